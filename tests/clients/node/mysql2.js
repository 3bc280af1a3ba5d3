// node-mysql2: mysql.createConnection({host, port, socketPath})
const mysql = require("mysql2");
const e = process.env;
const cfg = { host: e.DBL_HOST, port: +e.DBL_PORT, user: e.DBL_USER,
  password: e.DBL_PASSWORD, database: e.DBL_DB, connectTimeout: 3000 };
if (e.DBL_SOCKET) cfg.socketPath = e.DBL_SOCKET;
const c = mysql.createConnection(cfg);
c.query("SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()", (err, rows) => {
  if (err) { console.log("ERR " + (err.message || err.code || (err.errors || []).map((x) => x.message).join("; "))); process.exitCode = 1; c.destroy(); return; }
  console.log("OK " + Object.values(rows[0])[0]); c.end();
});
