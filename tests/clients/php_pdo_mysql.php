<?php
// php-pdo-mysql: the DSN mysql:host=H;port=P;dbname=D[;unix_socket=S]
$dsn = 'mysql:host=' . getenv('DBL_HOST') . ';port=' . getenv('DBL_PORT') . ';dbname=' . getenv('DBL_DB');
if (getenv('DBL_SOCKET') !== '') $dsn .= ';unix_socket=' . getenv('DBL_SOCKET');
try {
    $c = new PDO($dsn, getenv('DBL_USER'), getenv('DBL_PASSWORD'));
    $r = $c->query("SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()");
    echo "OK ", $r->fetchColumn(), "\n";
} catch (PDOException $e) { echo "ERR ", $e->getMessage(), "\n"; exit(1); }
