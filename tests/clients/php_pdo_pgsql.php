<?php
// php-pdo-pgsql: the DSN pgsql:host=H;port=P;dbname=D (libpq underneath)
$dsn = 'pgsql:port=' . getenv('DBL_PORT') . ';dbname=' . getenv('DBL_DB');
if (getenv('DBL_HOST') !== '') $dsn .= ';host=' . getenv('DBL_HOST');
try {
    $c = new PDO($dsn, getenv('DBL_USER'), getenv('DBL_PASSWORD'));
    $r = $c->query("SELECT coalesce(host(inet_client_addr()), 'unix')");
    echo "OK ", $r->fetchColumn(), "\n";
} catch (PDOException $e) { echo "ERR ", $e->getMessage(), "\n"; exit(1); }
