# python-pymysql: pymysql.connect(host=, port=, unix_socket=)
import os, pymysql
e = os.environ
kw = dict(host=e["DBL_HOST"], port=int(e["DBL_PORT"]), user=e["DBL_USER"],
          password=e["DBL_PASSWORD"], database=e["DBL_DB"], connect_timeout=3)
if e["DBL_SOCKET"]:
    kw["unix_socket"] = e["DBL_SOCKET"]
try:
    c = pymysql.connect(**kw).cursor()
    c.execute("SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()")
    print("OK", c.fetchone()[0])
except pymysql.MySQLError as exc:
    print("ERR", exc); raise SystemExit(1)
