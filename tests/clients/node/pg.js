// node-pg: new Client({host, port, ...})
const { Client } = require("pg");
const e = process.env;
const cfg = { port: +e.DBL_PORT, user: e.DBL_USER, password: e.DBL_PASSWORD,
  database: e.DBL_DB, connectionTimeoutMillis: 3000 };
if (e.DBL_HOST) cfg.host = e.DBL_HOST;
const c = new Client(cfg);
c.connect()
  .then(() => c.query("SELECT coalesce(host(inet_client_addr()), 'unix') AS t"))
  .then((r) => { console.log("OK " + r.rows[0].t); return c.end(); })
  .catch((err) => { console.log("ERR " + (err.message || err.code || (err.errors || []).map((x) => x.message).join("; "))); process.exitCode = 1; c.end().catch(() => {}); });
