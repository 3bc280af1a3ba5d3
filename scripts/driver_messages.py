#!/usr/bin/env python3
"""Write tests/fixtures/explain/driver_templates.txt: the connection-failure
message templates of the client drivers installed here, read from the
drivers themselves -- never guessed -- with their placeholders rendered
with plausible values, for `dbloop explain` to be scored on (issue 19).

  MariaDB Connector/J  /usr/share/java/mariadb-java-client.jar  class files'
                       constant pools (CONSTANT_Utf8)
  PgJDBC               /usr/share/java/postgresql.jar  constant pools, and
                       its translation bundles org/postgresql/translation/
                       messages_*.class (the msgid/msgstr table their
                       static initialiser fills)
  go-sql-driver/mysql, lib/pq, jackc/pgconn  /usr/share/gocode/src/...: the
                       error strings of their .go sources
  PyMySQL, mysqlclient /usr/lib/python3/dist-packages/{pymysql,MySQLdb}
  mysql2, pg (npm)     tests/clients/node/node_modules/...
  libmariadb           /usr/lib/x86_64-linux-gnu/libmariadb.so.3 (its
                       printable strings: the CR_ client error table)
  PHP mysqlnd          /usr/lib/php/*/mysqlnd.so (printable strings)

Which strings are connection failures, and the class each proves, is the
table below (TEMPLATES): chosen from the strings a failed connect,
handshake, authentication, TLS, DNS or socket step prints, the class
decided from the text and /work/shared/spec/classes.md before explain was
run on them. Every fixed piece of a template (the text between its
placeholders) must occur in the driver's file, or the script fails: a
template the installed driver does not hold is not written.

    python3 scripts/driver_messages.py           # rewrite the fixture
    python3 scripts/driver_messages.py --check   # fail if it differs

The fixture's split: lines are scripts/explain_corpus_split.py's (seeded,
by template: one thread per template). --check exits 0, saying so, when a
driver is missing. Python standard library only."""
import glob
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = "tests/fixtures/explain/driver_templates.txt"
NODE = os.path.join(ROOT, "tests/clients/node/node_modules")
GO = "/usr/share/gocode/src/github.com"
PY = "/usr/lib/python3/dist-packages"
MARIADB_JAR = "/usr/share/java/mariadb-java-client.jar"
PGJDBC_JAR = "/usr/share/java/postgresql.jar"
LIBMARIADB = "/usr/lib/x86_64-linux-gnu/libmariadb.so.3"


def mysqlnd_path():
    found = sorted(glob.glob("/usr/lib/php/*/mysqlnd.so"))
    return found[-1] if found else "/usr/lib/php/mysqlnd.so"


# ---- reading the drivers -------------------------------------------------

def class_pool(data):
    """The constant pool of a class file: index -> (tag, value), and the
    offset after it."""
    if data[:4] != b"\xca\xfe\xba\xbe":
        return [], 0
    n = struct.unpack(">H", data[8:10])[0]
    i, k, cp = 10, 1, [None] * n
    while k < n:
        t = data[i]
        if t == 1:
            ln = struct.unpack(">H", data[i + 1:i + 3])[0]
            cp[k] = (1, data[i + 3:i + 3 + ln].decode("utf-8", "replace"))
            i += 3 + ln
        elif t in (3, 4, 9, 10, 11, 12, 17, 18):
            i += 5
        elif t in (5, 6):
            i += 9
            k += 1
        elif t in (7, 8, 16, 19, 20):
            cp[k] = (t, struct.unpack(">H", data[i + 1:i + 3])[0])
            i += 3
        elif t == 15:
            i += 4
        else:
            raise ValueError(f"constant pool tag {t}")
        k += 1
    return cp, i


def jar_strings(path):
    """Every CONSTANT_Utf8 of every class in the jar, one a line."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if name.endswith(".class"):
                cp, _ = class_pool(z.read(name))
                out.extend(e[1] for e in cp if e and e[0] == 1)
    return "\n".join(out)


def bundle_table(data):
    """msgid -> msgstr of a msgfmt --java2 ResourceBundle class: its
    <clinit> stores msgid at even and msgstr at odd indices of table[]."""
    cp, i = class_pool(data)
    i += 6
    i += 2 + 2 * struct.unpack(">H", data[i:i + 2])[0]

    def members(i):
        n = struct.unpack(">H", data[i:i + 2])[0]
        i += 2
        out = []
        for _ in range(n):
            name = cp[struct.unpack(">H", data[i + 2:i + 4])[0]][1]
            na = struct.unpack(">H", data[i + 6:i + 8])[0]
            i += 8
            attrs = {}
            for _ in range(na):
                an = cp[struct.unpack(">H", data[i:i + 2])[0]][1]
                al = struct.unpack(">I", data[i + 2:i + 6])[0]
                attrs[an] = data[i + 6:i + 6 + al]
                i += 6 + al
            out.append((name, attrs))
        return out, i

    _, i = members(i)
    methods, _ = members(i)
    code = [a["Code"] for n, a in methods if n == "<clinit>"][0]
    bc = code[8:8 + struct.unpack(">I", code[4:8])[0]]
    table, j, idx, s = {}, 0, None, None
    while j < len(bc):
        op = bc[j]
        if 0x03 <= op <= 0x08:  # iconst_0..5
            idx, j = op - 3, j + 1
        elif op == 0x10:  # bipush
            idx, j = bc[j + 1], j + 2
        elif op == 0x11:  # sipush
            idx, j = struct.unpack(">h", bc[j + 1:j + 3])[0], j + 3
        elif op in (0x12, 0x13):  # ldc, ldc_w
            ref = bc[j + 1] if op == 0x12 else struct.unpack(">H", bc[j + 1:j + 3])[0]
            e = cp[ref]
            s = cp[e[1]][1] if e and e[0] == 8 else None
            j += 2 if op == 0x12 else 3
        elif op == 0x53:  # aastore
            if s is not None and idx is not None:
                table[idx] = s
            s = idx = None
            j += 1
        elif op in (0x2a, 0x4b, 0x59, 0xb1):
            j += 1
        elif op in (0xbd, 0xb3, 0xb2):
            j += 3
        else:
            raise ValueError(f"unexpected opcode {op:#x} in <clinit>")
    return {table[k]: table[k + 1] for k in table if k % 2 == 0 and k + 1 in table}


def pgjdbc_translations(path):
    """lang -> {msgid: msgstr} from the jar's translation bundles."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            m = re.fullmatch(r"org/postgresql/translation/messages_(\w+)\.class", name)
            if m:
                out[m.group(1)] = bundle_table(z.read(name))
    return out


def binary_strings(path, minlen=6):
    data = open(path, "rb").read()
    return "\n".join(s.decode("ascii") for s in
                     re.findall(rb"[\x20-\x7e\t]{%d,}" % minlen, data))


def tree_text(root, exts, skip=r"_test\.go$|\.test\.js$|/test/"):
    out = []
    for base, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(base, f)
            if f.endswith(exts) and not re.search(skip, p):
                out.append(open(p, encoding="utf-8", errors="replace").read())
    return "\n".join(out)


def dpkg_version(pkg):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg],
                              capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def npm_version(name):
    p = os.path.join(NODE, name, "package.json")
    return json.load(open(p))["version"] if os.path.exists(p) else None


# ---- the drivers ---------------------------------------------------------
# name: (engine, label, version source, file shown, reader)
DRIVERS = {
    "mariadb-connector-j": ("mysql", "MariaDB Connector/J", ("deb", "libmariadb-java"),
                            MARIADB_JAR, lambda: jar_strings(MARIADB_JAR)),
    "pgjdbc": ("postgres", "PgJDBC", ("deb", "libpostgresql-jdbc-java"),
               PGJDBC_JAR, lambda: jar_strings(PGJDBC_JAR)),
    "go-sql-driver-mysql": ("mysql", "go-sql-driver/mysql",
                            ("deb", "golang-github-go-sql-driver-mysql-dev"),
                            GO + "/go-sql-driver/mysql",
                            lambda: tree_text(GO + "/go-sql-driver/mysql", (".go",))),
    "lib-pq": ("postgres", "lib/pq", ("deb", "golang-github-lib-pq-dev"),
               GO + "/lib/pq", lambda: tree_text(GO + "/lib/pq", (".go",))),
    "jackc-pgconn": ("postgres", "jackc/pgconn", ("deb", "golang-github-jackc-pgconn-dev"),
                     GO + "/jackc/pgconn", lambda: tree_text(GO + "/jackc/pgconn", (".go",))),
    "pymysql": ("mysql", "PyMySQL", ("deb", "python3-pymysql"), PY + "/pymysql",
                lambda: tree_text(PY + "/pymysql", (".py",))),
    "mysqlclient": ("mysql", "mysqlclient (MySQLdb)", ("deb", "python3-mysqldb"),
                    PY + "/MySQLdb", lambda: tree_text(PY + "/MySQLdb", (".py",))),
    "node-mysql2": ("mysql", "mysql2 (npm)", ("npm", "mysql2"), NODE + "/mysql2",
                    lambda: tree_text(NODE + "/mysql2/lib", (".js",))),
    "node-pg": ("postgres", "pg (npm)", ("npm", "pg"), NODE + "/pg",
                lambda: "\n".join(tree_text(NODE + "/" + d, (".js",))
                                  for d in ("pg/lib", "pg-pool", "pg-protocol/dist"))),
    "libmariadb": ("mysql", "MariaDB Connector/C (libmariadb)", ("deb", "libmariadb3"),
                   LIBMARIADB, lambda: binary_strings(LIBMARIADB)),
    "php-mysqlnd": ("mysql", "PHP mysqlnd", ("deb", "php8.2-mysql"), mysqlnd_path(),
                    lambda: binary_strings(mysqlnd_path())),
}

# Values the placeholders are rendered with.
VALUES = {
    "host": "db.example", "user": "app", "db": "shop", "addr": "10.0.0.5",
    "client": "10.0.0.7", "pid": "4242", "mysock": "/run/mysqld/mysqld.sock",
    "pgsock": "/var/run/postgresql/.s.PGSQL.5432",
}
PORT = {"mysql": "3306", "postgres": "5432"}

# How each driver's message reaches the user (not read from the driver:
# the language's exception print); {} is the message.
FRAME = {
    "mariadb-connector-j": "java.sql.SQLNonTransientConnectionException: {}",
    "pgjdbc": "org.postgresql.util.PSQLException: {}",
    "go-sql-driver-mysql": "{}",
    "lib-pq": "{}",
    "jackc-pgconn": "failed to connect to `host=db.example user=app database=shop`: {}",
    "pymysql": "{}",
    "mysqlclient": "{}",
    "node-mysql2": "Error: {}",
    "node-pg": "Error: {}",
    "libmariadb": "{}",
    "php-mysqlnd": "{}",
}

# (driver, class, template[, values]). In a template {name} is a
# placeholder (VALUES, the entry's own values, {port} the engine's port),
# {} joins two strings the driver concatenates; ~ in a template's fixed
# text is a piece of the frame around the driver's words, not read from
# the driver (an errno text, an exception name). A tuple of variants in
# one entry shares one thread (the same template with other values).
T = []


def add(driver, cls, template, **values):
    T.append((driver, cls, template, values))


# MariaDB Connector/J 2.7.6
M = "mariadb-connector-j"
add(M, "tls_mismatch", "Trying to connect with ssl, but ssl not enabled in the server")
add(M, ("dns_failure", "connection_refused", "timeout"),
    "Could not connect to {}~address=(host={host})(port={port}{}~)(type=master){} : {}"
    "Socket fail to connect to host:{host}, port:{port}. {err}",
    err=("db.example", "Connection refused (Connection refused)", "connect timed out"))
add(M, "connection_refused", "Could not connect to {host}:{port} : {err}",
    err="Connection refused (Connection refused)")
add(M, ("socket_missing", "socket_stale"),
    "Could not connect to socket :{} native connect() failed : {err}",
    err=("No such file or directory", "Connection refused"))
add(M, "socket_missing", "Could not connect to named pipe '{pipe}' : {err}",
    pipe="\\\\.\\pipe\\MySQL", err="~The system cannot find the file specified")
add(M, "auth_method_mismatch",
    "RSA public key is not available client side (option serverRsaPublicKeyFile not set)")
add(M, "auth_method_mismatch",
    "Could not connect using SHA256 plugin :{} RSA public key is not available client side "
    "(option serverRsaPublicKeyFile)")
add(M, "auth_method_mismatch|access_denied",
    "Could not connect: receive AuthSwitchRequest in place of RSA public key. "
    "Did user has the rights to connect to database ?")
add(M, "auth_method_mismatch",
    "Could not read server RSA public key from file : serverRsaPublicKeyFile={path}",
    path="/etc/mysql/public_key.pem")
add(M, "auth_method_mismatch",
    "Client does not support authentication protocol requested by server. "
    "plugin type was = '{plugin}'", plugin="auth_gssapi_client")
add(M, "tls_mismatch|auth_method_mismatch",
    "Connector use a plugin that require SSL without enabling ssl. For compatibility, "
    "this can still be disabled explicitly forcing 'useSsl=false' in connection "
    "string.plugin is = {plugin}", plugin="mysql_clear_password")
add(M, "tls_mismatch", "SSL hostname verification failed : {err}",
    err="DNS host \"db.example\" doesn't correspond to certificate CN \"mariadb\"")
add(M, "tls_mismatch", "Unsupported SSL protocol '{p}'. Supported protocols : {list}",
    p="TLSv1", list="TLSv1.3, TLSv1.2")
add(M, "tls_mismatch", "Unsupported SSL cipher '{c}'. Supported ciphers : {list}",
    c="DHE-RSA-AES256-SHA", list="TLS_AES_256_GCM_SHA384, TLS_AES_128_GCM_SHA256")
add(M, "tls_mismatch", "Failed to find serverSslCert file. serverSslCert={path}",
    path="/etc/ssl/db-ca.pem")
add(M, "tls_mismatch", "Failed to find keyStore file. Option keyStore={path}",
    path="/etc/ssl/client.jks")
add(M, "tls_mismatch", "Could not initialize SSL context")
add(M, "server_starting|protocol_mismatch|timeout",
    "unexpected end of stream, read {n} bytes from 4{} (socket was closed by server)", n="0")
add(M, "timeout",
    "No connection available within the specified time (option 'connectTimeout': {ms} ms)",
    ms="30000")
add(M, "unknown",
    "No host is defined and pipe option is not set. Check if connection string respect "
    "format (jdbc:(mysql|mariadb):[replication:|loadbalance:|sequential:|aurora:]"
    "//<hostDescription>[,<hostDescription>...]/[database][?<key1>=<value1>"
    "[&<key2>=<value2>]])")
add(M, "auth_method_mismatch",
    "GSS-API authentication exception : no credential cache not found.")
add(M, "auth_method_mismatch",
    "No principal name defined on server. Please set server variable "
    "\"gssapi-principal-name\" or set option \"servicePrincipalName\"")
add(M, "protocol_mismatch",
    "Protocol exchange error. Expect login success or RSA login request message")
add(M, "protocol_mismatch", "unexpected data during authentication (header={h}",
    h="72, packetLength=5)")
add(M, "unknown", "Unix domain sockets are not supported on Windows")
add(M, "unknown", "shared memory connections are only supported on Windows")
add(M, "unknown", "No active connection found for master")
add(M, "access_denied",
    "~(conn=12) Access denied for user 'app'@'10.0.0.7' (using password: YES)\n{}"
    "Current charset is {cs}. If password has been set using other charset, consider "
    "using option 'passwordCharacterEncoding'", cs="UTF-8")
add(M, "auth_method_mismatch",
    "PAM authentication request multiple passwords, but 'password{}{n}' is not set", n="2")

# PgJDBC 42.5.5 (MessageFormat: '' is one quote)
P = "pgjdbc"
PGJDBC_MSGIDS = {}


def pg(cls, msgid, values=(), translate=False):
    add(P, cls, msgid, _mf=values)
    if translate:
        PGJDBC_MSGIDS[msgid] = (cls, values)


pg("connection_refused",
   "Connection to {0} refused. Check that the hostname and port are correct and that "
   "the postmaster is accepting TCP/IP connections.", ("db.example:5432",), True)
pg("unknown", "The connection attempt failed.")
pg("tls_mismatch", "The server does not support SSL.", (), True)
pg("access_denied",
   "The server requested password-based authentication, but no password was provided.",
   (), True)
pg("access_denied",
   "The server requested password-based authentication, but no password was provided "
   "by plugin {0}", ("org.example.VaultPlugin",))
pg("access_denied",
   "The server requested SCRAM-based authentication, but no password was provided.")
pg("access_denied",
   "The server requested SCRAM-based authentication, but the password is an empty string.")
pg("auth_method_mismatch",
   "The authentication type {0} is not supported. Check that you have configured the "
   "pg_hba.conf file to include the client''s IP address or subnet, and that it is "
   "using an authentication scheme supported by the driver.", ("10",))
pg("timeout", "Connection attempt timed out.", (), True)
pg("tls_mismatch", "An error occurred while setting up the SSL connection.")
pg("protocol_mismatch", "Protocol error.  Session setup failed.")
pg("unknown",
   "Something unusual has occurred to cause the driver to fail. Please report this exception.")
pg("tls_mismatch", "SSL error: {0}", ("Received fatal alert: handshake_failure",))
pg("tls_mismatch", "The hostname {0} could not be verified by hostnameverifier {1}.",
   ("db.example", "PgjdbcHostnameVerifier"))
pg("tls_mismatch", "Could not open SSL root certificate file {0}.",
   ("/home/app/.postgresql/root.crt",))
pg("tls_mismatch", "Could not open SSL certificate file {0}.",
   ("/home/app/.postgresql/postgresql.crt",))
pg("tls_mismatch", "Could not read SSL key file {0}.", ("/home/app/.postgresql/postgresql.pk8",))
pg("tls_mismatch", "Could not decrypt SSL key file {0}.", ("/home/app/.postgresql/postgresql.pk8",))
pg("tls_mismatch", "Loading the SSL root certificate {0} into a TrustManager failed.",
   ("/home/app/.postgresql/root.crt",))
pg("tls_mismatch", "Could not initialize SSL context.")
pg("tls_mismatch|auth_method_mismatch", "The server does not support GSS Encryption.")
pg("auth_method_mismatch", "GSS Authentication failed")
pg("auth_method_mismatch", "No cached kerberos ticket found and no password supplied.")
pg("auth_method_mismatch",
   "SSPI forced with gsslib=sspi, but SSPI not available; set loglevel=2 for details")
pg("unknown", "Could not find a server with specified targetServerType: {0}", ("primary",))
pg("server_starting|protocol_mismatch|timeout",
   "Premature end of input stream, expected {0} bytes, but only read {1}.", ("5", "0"))
pg("unknown",
   "Your security policy has prevented the connection from being attempted.  You "
   "probably need to grant the connect java.net.SocketPermission to the database "
   "server host and port that you wish to connect to.")
pg("unknown", "A connection could not be made using the requested protocol {0}.", ("3",))

# go-sql-driver/mysql 1.5.0
G = "go-sql-driver-mysql"
add(G, "unknown", "invalid connection")
add(G, "protocol_mismatch|auth_method_mismatch", "malformed packet")
add(G, "tls_mismatch", "TLS requested but server does not support TLS")
add(G, "auth_method_mismatch",
    "this user requires clear text authentication. If you still want to use it, please "
    "add 'allowCleartextPasswords=1' to your DSN")
add(G, "auth_method_mismatch", "this user requires mysql native password authentication.")
add(G, "auth_method_mismatch",
    "this user requires old password authentication. If you still want to use it, "
    "please add 'allowOldPasswords=1' to your DSN. See also "
    "https://github.com/go-sql-driver/mysql/wiki/old_passwords")
add(G, "auth_method_mismatch", "this authentication plugin is not supported")
add(G, "protocol_mismatch", "MySQL server does not support required protocol 41+")
add(G, "unknown", "bad connection")
add(G, "unknown", "unexpected read from socket")
add(G, "unknown", "invalid DSN: missing the slash separating the database name")
add(G, "unknown", "invalid DSN: network address not terminated (missing closing brace)")
add(G, "unknown", "invalid value / unknown server pub key name: {name}", name="prod-key")

# lib/pq 1.10.7 (its errorf prefixes "pq: ")
Q = "lib-pq"
add(Q, "tls_mismatch", "pq: SSL is not enabled on the server")
add(Q, "unknown", "pq: Could not detect default username. Please provide one explicitly")
add(Q, "tls_mismatch",
    "pq: Private key has world access. Permissions should be u=rw,g=r (0640) if owned by "
    "root, or u=rw (0600), or less")
add(Q, "tls_mismatch", "permissions for files not owned by root should be u=rw (0600) or less")
add(Q, "auth_method_mismatch",
    "~pq: {}kerberos error: no GSSAPI provider registered (import "
    "github.com/lib/pq/auth/kerberos if you need Kerberos support)")
add(Q, "auth_method_mismatch", "~pq: {}unknown authentication response: {n}", n="7")
add(Q, "protocol_mismatch", "~pq: {}unknown response for startup: {q}", q="'H'")
add(Q, "protocol_mismatch", "~pq: {}unexpected authentication response: {q}", q="'S'")
add(Q, "unknown",
    "~pq: {}unsupported sslmode {m}; only \"require\" (default), \"verify-full\", "
    "\"verify-ca\", and \"disable\" supported", m="\"prefer\"")
add(Q, "tls_mismatch", "~pq: {}couldn't parse pem in sslrootcert")
add(Q, "auth_method_mismatch", "~pq: {}GSSAPI protocol error")

# jackc/pgconn 1.11.0 (connectError: "failed to connect to `host=...`: msg (err)")
J = "jackc-pgconn"
add(J, "dns_failure", "hostname resolving error{} ({err})",
    err="~lookup db.example on 127.0.0.11:53: no such host")
add(J, "dns_failure", "hostname resolving error{} ({}ip addr wasn't found{})")
add(J, ("connection_refused", "socket_missing"), "dial error{} ({err})",
    err=("~dial tcp 10.0.0.5:5432: connect: connection refused",
         "~dial unix /var/run/postgresql/.s.PGSQL.5432: connect: no such file or directory"))
add(J, "timeout", "dial error{} ({}timeout: {err})", err="~dial tcp 10.0.0.5:5432: i/o timeout")
add(J, "tls_mismatch", "tls error{} ({}server refused TLS connection{})")
add(J, "access_denied", "server error{} ({sev}: {msg} (SQLSTATE {code}))",
    sev="FATAL", msg="~password authentication failed for user \"app\"", code="28P01")
add(J, "server_starting|protocol_mismatch|timeout", "failed to receive message{} ({err})",
    err="~unexpected EOF")
add(J, "auth_method_mismatch", "failed SASL auth{} ({}server does not support SCRAM-SHA-256{})")
add(J, "protocol_mismatch",
    "failed SASL auth{} ({}invalid SCRAM server-first-message received from server: did not "
    "include r={})")

# PyMySQL 1.0.2
Y = "pymysql"
add(Y, ("connection_refused", "timeout", "dns_failure"),
    "~pymysql.err.OperationalError: (2003, \"{}Can't connect to MySQL server on {rhost} ({err}){}~\")",
    rhost="'db.example'",
    err=("~[Errno 111] Connection refused", "~timed out",
         "~[Errno -2] Name or service not known"))
add(Y, "server_starting|protocol_mismatch|timeout",
    "~pymysql.err.OperationalError: (2013, '{}Lost connection to MySQL server during query ({err}){}~')",
    err="~timed out")
add(Y, "unknown",
    "~pymysql.err.OperationalError: (2006, \"{}MySQL server has gone away ({err}){}~\")",
    err="~ConnectionResetError(104, 'Connection reset by peer')")
add(Y, "auth_method_mismatch",
    "~pymysql.err.OperationalError: (2059, \"{}Authentication plugin '{p}' not configured{}~\")",
    p="auth_gssapi_client")
add(Y, "auth_method_mismatch",
    "~pymysql.err.OperationalError: {}Couldn't receive server's public key")
add(Y, "auth_method_mismatch",
    "~pymysql.err.OperationalError: (2059, \"{}Authentication plugin '{p}'{} not loaded: - "
    "{klass} missing authenticate method{}~\")", p="dialog",
    klass="<class 'pymysql.connections.DialogHandler'>")
add(Y, "protocol_mismatch",
    "~pymysql.err.InternalError: {}Packet sequence number wrong - got {a} expected {b}",
    a="1", b="0")
add(Y, "auth_method_mismatch",
    "~pymysql.err.OperationalError: {}caching sha2: Unknwon result for fast auth: {n}", n="5")
add(Y, "tls_mismatch", "~NotImplementedError: {}ssl module not found")

# mysqlclient 1.4.6's Python part
C = "mysqlclient"
add(C, "unknown", "~MySQLdb.NotSupportedError: {}server is too old to set charset")

# mysql2 3.x (npm)
N = "node-mysql2"
add(N, "timeout", "connect ETIMEDOUT{}~\n    code: '{}ETIMEDOUT{}~'")
add(N, "tls_mismatch", "Server does not support secure connection{}~\n    code: '{}HANDSHAKE_NO_SSL_SUPPORT{}~'")
add(N, "protocol_mismatch", "Unexpected packet during handshake phase{}~\n    code: '{}HANDSHAKE_UNKNOWN_ERROR{}~'")
add(N, "unknown", "Connection lost: The server closed the connection.{}~\n    code: '{}PROTOCOL_CONNECTION_LOST{}~'")
add(N, "auth_method_mismatch",
    "Server requests authentication using unknown plugin {p}. See {}TODO: add plugins doco "
    "here{} on how to configure or author authentication plugins.{}~\n    code: "
    "'{}AUTH_SWITCH_PLUGIN_ERROR{}~'", p="auth_gssapi_client")
add(N, "unknown", "No connections available.")
add(N, "unknown", "Pool is closed.")
add(N, "unknown", "Unknown SSL profile '{p}'", p="Amazon RDS")

# pg 8.x, pg-pool (npm)
E = "node-pg"
add(E, "server_starting|protocol_mismatch|timeout", "Connection terminated unexpectedly")
add(E, "tls_mismatch", "The server does not support SSL connections")
add(E, "tls_mismatch", "There was an error establishing an SSL connection")
add(E, "timeout", "timeout expired")
add(E, "timeout", "timeout exceeded when trying to connect")
add(E, "timeout", "Connection terminated due to connection timeout")
add(E, "access_denied", "SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string")
add(E, "access_denied",
    "SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a non-empty string")
add(E, "auth_method_mismatch", "SASL: Only mechanism SCRAM-SHA-256 is currently supported")
add(E, "unknown", "Client has encountered a connection error and is not queryable")
add(E, "unknown", "Client has already been connected. You cannot reuse a client.")
add(E, "unknown", "Connection terminated")

# libmariadb (Connector/C 3.3, as the mariadb client prints it)
L = "libmariadb"
add(L, ("socket_missing", "socket_stale", "socket_permission"),
    "~ERROR 2002 (HY000): {}Can't connect to local server through socket '{mysock}' ({e})",
    e=("2", "111", "13"))
add(L, ("connection_refused", "timeout", "connection_refused|timeout"),
    "~ERROR 2003 (HY000): {}Can't connect to server on '{host}' ({e})",
    e=("111", "110", "115"))
add(L, "unknown", "~ERROR 2001 (HY000): {}Can't create UNIX socket ({e})", e="24")
add(L, "unknown", "~ERROR 2004 (HY000): {}Can't create TCP/IP socket ({e})", e="97")
add(L, "dns_failure", "~ERROR 2005 (HY000): {}Unknown server host '{host}' ({e})", e="-2")
add(L, "protocol_mismatch",
    "~ERROR 2007 (HY000): {}Protocol mismatch. Server Version = {s} Client Version = {c}",
    s="0", c="10")
add(L, "protocol_mismatch", "~ERROR 2012 (HY000): {}Error in server handshake")
add(L, "server_starting|protocol_mismatch|timeout",
    "~ERROR 2013 (HY000): {}Lost connection to server during query")
add(L, "unknown", "~ERROR 2006 (HY000): {}Server has gone away")
add(L, "tls_mismatch", "~ERROR 2026 (HY000): {}SSL is required, but the server does not support it")
add(L, "tls_mismatch", "~ERROR 2026 (HY000): {}TLS/SSL error: {err}",
    err="~unable to get local issuer certificate")
add(L, "tls_mismatch", "~ERROR 2026 (HY000): {}TLS/SSL error: {err} ({n})",
    err="~wrong version number", n="10")
add(L, "protocol_mismatch", "~ERROR 2027 (HY000): {}Received malformed packet")
add(L, "protocol_mismatch", "~ERROR 2047 (HY000): {}Wrong or unknown protocol")
add(L, "auth_method_mismatch",
    "~ERROR 2049 (HY000): {}Connection with old authentication protocol refused.")
add(L, "server_starting|protocol_mismatch|timeout",
    "~ERROR 2013 (HY000): {}Lost connection to server at '{}handshake: reading initial "
    "communication packet{}', system error: {e}", e="104")
add(L, "server_starting|protocol_mismatch|timeout|host_blocked",
    "~ERROR 2013 (HY000): {}Lost connection to server at '{}reading authorization packet{}', "
    "system error: {e}", e="0")
add(L, "auth_method_mismatch",
    "~ERROR 2059 (HY000): {}Plugin {p} could not be loaded: {err}", p="caching_sha2_password",
    err="~/usr/lib/x86_64-linux-gnu/libmariadb3/plugin/caching_sha2_password.so: cannot "
    "open shared object file: No such file or directory")
add(L, "auth_method_mismatch",
    "Authentication plugin '{p}' couldn't be found in restricted_auth plugin list.",
    p="mysql_clear_password")
add(L, "access_denied",
    "Received error packet before completion of TLS handshake. The authenticity of the "
    "following error cannot be verified: {n} - {msg}", n="1045",
    msg="~Access denied for user 'app'@'10.0.0.7' (using password: YES)")
add(L, "tls_mismatch", "~ERROR 2026 (HY000): {}Validation of SSL server certificate failed")
add(L, "tls_mismatch", "~ERROR 2026 (HY000): {}Unable to get server certificate")
add(L, "tls_mismatch", "Fingerprint verification of server certificate failed")
add(L, "unknown", "Shared memory connection failed during {step}. ({n})", step="shmem", n="2")
add(L, "socket_missing",
    "~ERROR 2017 (HY000): {}Can't open named pipe to host: {h}  pipe: {p} ({n})",
    h=".", p="MySQL", n="2")
add(L, "unknown", "Server returned an error packet without further information")

# PHP mysqlnd (8.2)
H = "php-mysqlnd"
add(H, "auth_method_mismatch",
    ("~PHP Warning:  mysqli::real_connect(): {}The server requested authentication method "
     "unknown to the client [{p}]"), p="caching_sha2_password")
add(H, "auth_method_mismatch",
    "~SQLSTATE[HY000] [2054] {}The server requested authentication method unknown to the client")
add(H, "protocol_mismatch",
    "~PHP Warning:  PDO::__construct(): {}Packets out of order. Expected {a} received {b}. "
    "Packet size={n}", a="0", b="1", n="23")
add(H, "server_starting|protocol_mismatch|timeout",
    "~PHP Warning:  mysqli::real_connect(): {}Error while reading greeting packet. PID={pid}")
add(H, "tls_mismatch", "~SQLSTATE[HY000] [2002] {}Cannot connect to MySQL using SSL")
add(H, "auth_method_mismatch",
    "~SQLSTATE[HY000] [2000] {}mysqlnd cannot connect to MySQL 4.1+ using the old insecure "
    "authentication. Please use an administration tool to reset your password with the "
    "command SET PASSWORD = PASSWORD('your_existing_password'). This will store a new, and "
    "more secure, hash value in mysql.user. If this user is used in other scripts executed "
    "by PHP 5.2 or earlier you might need to remove the old-passwords flag from your my.cnf file")
add(H, "protocol_mismatch",
    "~SQLSTATE[HY000] [2000] {}Connecting to 3.22, 3.23 & 4.0 is not supported. Server is {v}",
    v="4.0.30")
add(H, "unknown", "~SQLSTATE[HY000] [2006] {}MySQL server has gone away")
add(H, "auth_method_mismatch|protocol_mismatch",
    "~PHP Warning:  mysqli::real_connect(): {}Unexpected server response while doing "
    "caching_sha2 auth: {n}", n="109")
add(H, "auth_method_mismatch",
    "~PHP Warning:  mysqli::real_connect(): {}Error while receiving public key. PID={pid}")
add(H, "unknown",
    "~SQLSTATE[HY000] [2002] {}Unknown error while trying to connect via {url}",
    url="tcp://db.example:3306")
add(H, "protocol_mismatch",
    "~PHP Warning:  mysqli::real_connect(): {}The server sent wrong length for scramble")
add(H, "protocol_mismatch",
    "~PHP Warning:  mysqli::real_connect(): {}GREET packet shorter than expected")


# ---- rendering -----------------------------------------------------------

PH = re.compile(r"\{(\w*)\}")


def pieces(template):
    """The driver's own fixed pieces of a template: its text between
    placeholders, without the frame text marked ~ (up to the next {})."""
    out = []
    for part in PH.split(template)[0::2]:
        if part.startswith("~"):
            continue
        part = part.strip()
        if part:
            out.append(part)
    return out


def render(template, engine, values):
    def value(m):
        k = m.group(1)
        if k == "":
            return ""
        if k == "port":
            return PORT[engine]
        v = values.get(k, VALUES.get(k))
        if v is None:
            raise KeyError(f"no value for {{{k}}} in {template!r}")
        return v.lstrip("~")
    text = PH.sub(value, template)
    return re.sub(r"(^|\n)~", r"\1", text).replace("~", "")


def mf_render(pattern, args):
    """java.text.MessageFormat: {n} is args[n], '' is one quote."""
    text = re.sub(r"\{(\d+)\}", lambda m: args[int(m.group(1))], pattern)
    return text.replace("''", "'")


def expand(entry):
    """(class, values) for each variant of an entry."""
    driver, cls, template, values = entry
    multi = [k for k, v in values.items() if isinstance(v, tuple) and k != "_mf"]
    if not isinstance(cls, tuple):
        return [(cls, values)]
    out = []
    for i, c in enumerate(cls):
        v = dict(values)
        for k in multi:
            v[k] = values[k][i]
        out.append((c, v))
    return out


def version(src):
    kind, name = src
    v = dpkg_version(name) if kind == "deb" else npm_version(name)
    return v, (f"Debian package {name} {v}" if kind == "deb" else f"npm {name} {v}")


def build():
    """The fixture's text (split: -), or None and the missing drivers."""
    missing = [d for d, (_, _, _, path, _) in DRIVERS.items() if not os.path.exists(path)]
    if missing:
        return None, missing
    blobs = {d: spec[4]() for d, spec in DRIVERS.items()}
    seen, records, counts, errors = set(), [], {}, []
    num = {}

    def emit(driver, cls, template, message, lang, where):
        if message in seen:
            return False
        seen.add(message)
        engine, label, src, path, _ = DRIVERS[driver]
        ver, pkg = version(src)
        records.append((driver, num[driver], cls, engine, lang, label, ver, pkg,
                        where or path, template, message))
        return True

    for entry in T:
        driver, cls, template, values = entry
        for p in pieces(template):
            if p not in blobs[driver]:
                errors.append(f"{driver}: not in the installed driver: {p!r}")
        num[driver] = num.get(driver, 0) + 1
        new = False
        for c, v in expand(entry):
            if driver == "pgjdbc":
                msg = mf_render(template, v.get("_mf", ()))
            else:
                msg = render(template, DRIVERS[driver][0], v)
            msg = FRAME[driver].replace("{}", msg)
            new |= emit(driver, c, template.replace("~", ""), msg, "en", None)
        counts[driver] = counts.get(driver, 0) + new
    for lang, table in sorted(pgjdbc_translations(PGJDBC_JAR).items()):
        for msgid, (cls, values) in PGJDBC_MSGIDS.items():
            if msgid in table and table[msgid] != msgid:
                num["pgjdbc"] += 1
                msg = FRAME["pgjdbc"].replace("{}", mf_render(table[msgid], values))
                if emit("pgjdbc", cls, table[msgid], msg, lang,
                        f"{PGJDBC_JAR} (org/postgresql/translation/messages_{lang}.class)"):
                    counts["pgjdbc-" + lang] = counts.get("pgjdbc-" + lang, 0) + 1
    if errors:
        sys.exit("driver_messages: " + "\n".join(errors))
    out = [HEADER.rstrip("\n")]
    for (driver, n, cls, engine, lang, label, ver, pkg, where, template,
         message) in records:
        # a file of this checkout (the npm modules) by its path in it, so
        # that another clone writes the same file
        if where.startswith(ROOT + os.sep):
            where = os.path.relpath(where, ROOT)
        out += [f"=== {cls} {engine}", f"source: {where}", f"thread: {driver}#{n}",
                f"stack: {label} {ver} ({pkg})", f"lang: {lang}", "cause: -",
                "split: -", "template: " + template.replace("\n", "\\n"), message]
    return "\n".join(out) + "\n", counts


HEADER = """\
# Connection-failure message templates of the client drivers installed
# here, read from the drivers by scripts/driver_messages.py (do not edit:
# rerun it; --check fails when this file differs from what the installed
# drivers give): MariaDB Connector/J's and PgJDBC's class files (and
# PgJDBC's translation bundles), go-sql-driver/mysql's, lib/pq's and
# jackc/pgconn's .go sources, PyMySQL's and mysqlclient's Python, the npm
# mysql2 and pg packages, libmariadb's client error table and PHP
# mysqlnd's strings. Each record is one template with its placeholders
# rendered (host db.example, port 3306/5432, user app, database shop, an
# errno text), in the frame the language prints it in; CLASS is what the
# text proves, decided from the text and the spec before explain was run
# on it ("unknown": it proves nothing about connecting). Duplicates across
# drivers (the same text) are written once.
#
# Format as threads11.txt: "=== CLASS ENGINE", then source: (the file the
# template came from), thread: (driver#n: one per template; the variants
# of one template -- the same words with another errno -- share it),
# stack: (driver, version, package), lang:, cause: ("-": no ticket behind
# it), split: (scripts/explain_corpus_split.py --file, seeded, by
# template), template: (the text as the driver holds it, {name} a
# placeholder, \\n a newline), then the rendered message.
"""


def main():
    check = "--check" in sys.argv[1:]
    text, info = build()
    if text is None:
        print("driver_messages: skipped, missing: " + ", ".join(info))
        return
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False,
                                     encoding="utf-8") as f:
        f.write(text)
    try:
        p = subprocess.run([sys.executable,
                            os.path.join(ROOT, "scripts/explain_corpus_split.py"),
                            "--file", f.name], capture_output=True, text=True)
        if p.returncode:
            sys.exit(p.stderr)
        text = open(f.name, encoding="utf-8").read()
    finally:
        os.unlink(f.name)
    path = os.path.join(ROOT, OUT)
    if check:
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        if old != text:
            sys.exit(f"driver_messages: {OUT} differs from the installed drivers' "
                     "messages; rerun scripts/driver_messages.py")
        return
    open(path, "w", encoding="utf-8").write(text)
    n = text.count("\n=== ")
    print(f"{n} records; templates per driver: "
          + ", ".join(f"{k} {v}" for k, v in counts_sorted(info)))


def counts_sorted(counts):
    return sorted(counts.items())


if __name__ == "__main__":
    main()
