// go-mysql, go-pq, go-pgx: dblclients DRIVER, settings from DBL_* as for the
// other scripts. go-mysql's DSN names the transport: unix(S) when a socket
// is configured, tcp(H:P) otherwise.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v4"
	_ "github.com/lib/pq"
)

const mySeen = "SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()"
const pgSeen = "SELECT coalesce(host(inet_client_addr()), 'unix')"

func pgDSN() string {
	e := os.Getenv
	d := fmt.Sprintf("port=%s user=%s password=%s dbname=%s sslmode=disable connect_timeout=3",
		e("DBL_PORT"), e("DBL_USER"), e("DBL_PASSWORD"), e("DBL_DB"))
	if e("DBL_HOST") != "" {
		d = "host=" + e("DBL_HOST") + " " + d
	}
	return d
}

func main() {
	e := os.Getenv
	var seen string
	var err error
	switch os.Args[1] {
	case "go-mysql":
		cfg := mysql.NewConfig()
		cfg.User, cfg.Passwd, cfg.DBName = e("DBL_USER"), e("DBL_PASSWORD"), e("DBL_DB")
		cfg.Timeout = 3 * time.Second
		if e("DBL_SOCKET") != "" {
			cfg.Net, cfg.Addr = "unix", e("DBL_SOCKET")
		} else {
			cfg.Net, cfg.Addr = "tcp", net.JoinHostPort(e("DBL_HOST"), e("DBL_PORT"))
		}
		var db *sql.DB
		if db, err = sql.Open("mysql", cfg.FormatDSN()); err == nil {
			err = db.QueryRow(mySeen).Scan(&seen)
		}
	case "go-pq":
		var db *sql.DB
		if db, err = sql.Open("postgres", pgDSN()); err == nil {
			err = db.QueryRow(pgSeen).Scan(&seen)
		}
	case "go-pgx":
		var c *pgx.Conn
		if c, err = pgx.Connect(context.Background(), pgDSN()); err == nil {
			err = c.QueryRow(context.Background(), pgSeen).Scan(&seen)
		}
	}
	if err != nil {
		fmt.Println("ERR " + strings.ReplaceAll(err.Error(), "\n", " "))
		os.Exit(1)
	}
	fmt.Println("OK " + seen)
}
