-- my_user_localhost_only: the only account for app is 'app'@'localhost';
-- with skip-name-resolve, TCP from 127.0.0.1 or ::1 is not 'localhost'.
CREATE USER 'app'@'localhost' IDENTIFIED BY 'app-secret';
GRANT ALL ON appdb.* TO 'app'@'localhost';
