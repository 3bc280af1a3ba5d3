# Sourced from /docker-entrypoint-initdb.d by the postgres entrypoint (as
# user postgres): PostgreSQL refuses a key readable by others, and a bind
# mount keeps the repository's mode, so copy the test pair into $PGDATA.
install -m 600 /etc/dbloop/tls/server.key "$PGDATA/server.key"
install -m 644 /etc/dbloop/tls/server.crt "$PGDATA/server.crt"
cat >>"$PGDATA/postgresql.conf" <<'CONF'
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
CONF
