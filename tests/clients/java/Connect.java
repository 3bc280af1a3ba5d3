// jdbc-mariadb, jdbc-postgresql: every argument is one JDBC URL; one line
// per URL (OK <seen> / ERR <message>), all in one JVM.
import java.sql.*;

public class Connect {
    public static void main(String[] args) {
        String user = System.getenv("DBL_USER"), pw = System.getenv("DBL_PASSWORD");
        DriverManager.setLoginTimeout(3);
        for (String url : args) {
            String q = url.startsWith("jdbc:postgresql:")
                ? "SELECT coalesce(host(inet_client_addr()), 'unix')"
                : "SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()";
            try (Connection c = DriverManager.getConnection(url, user, pw);
                 ResultSet r = c.createStatement().executeQuery(q)) {
                r.next();
                System.out.println("OK " + r.getString(1));
            } catch (SQLException e) {
                System.out.println("ERR " + String.valueOf(e.getMessage()).replace('\n', ' '));
            }
        }
    }
}
