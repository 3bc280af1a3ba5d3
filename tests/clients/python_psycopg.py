# python-psycopg: psycopg2.connect(host=, port=, ...) (libpq underneath)
import os, psycopg2
e = os.environ
kw = dict(port=int(e["DBL_PORT"]), user=e["DBL_USER"], password=e["DBL_PASSWORD"],
          dbname=e["DBL_DB"], connect_timeout=3)
if e["DBL_HOST"]:
    kw["host"] = e["DBL_HOST"]
try:
    c = psycopg2.connect(**kw).cursor()
    c.execute("SELECT coalesce(host(inet_client_addr()), 'unix')")
    print("OK", c.fetchone()[0])
except psycopg2.Error as exc:
    print("ERR", str(exc).strip().replace("\n", " ")); raise SystemExit(1)
