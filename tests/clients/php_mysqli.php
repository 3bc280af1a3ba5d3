<?php
// php-mysqli: new mysqli(host, user, password, db, port, socket)
mysqli_report(MYSQLI_REPORT_OFF);
$s = getenv('DBL_SOCKET');
$c = @new mysqli(getenv('DBL_HOST'), getenv('DBL_USER'), getenv('DBL_PASSWORD'),
                 getenv('DBL_DB'), (int)getenv('DBL_PORT'), $s === '' ? null : $s);
if ($c->connect_errno) { echo "ERR ", $c->connect_error, "\n"; exit(1); }
$r = $c->query("SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()");
if ($r === false) { echo "ERR ", $c->error, "\n"; exit(1); }
echo "OK ", $r->fetch_row()[0], "\n";
