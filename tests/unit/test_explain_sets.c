/* dbloop explain on the sets of real messages from public threads and
 * pages (issue 19): tests/fixtures/explain/{threads,threads2,threads3,
 * threads4,threads5,threads6,threads7,threads8,threads9,threads10,
 * threads11,threads12,threads13,threads14,threads15,threads16,threads19,
 * threads20 to threads35,
 * i18n,i18n2}.txt,
 * none of whose threads is in another set, each split once by thread
 * before explain was scored on it; and driver_templates.txt, the
 * installed drivers' own message templates, split by template. Both halves of each set are scored — the class the text
 * proves right first, and the cause the thread confirmed among the class
 * and the alternatives — and each held-out half must stay above its committed
 * floors; so must the held-out halves pooled, the figure the goal
 * is stated in.
 * Misses are printed for the development halves only
 * (DBL_CORPUS_VERBOSE=1): the held-out halves are not looked into.
 * Floors are in percent; raise them, never lower. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbloop/explain.h"
#include "explain_corpus.h"

struct corpus_set {
	const char *name, *file;
	int min_n; /* messages each half must have */
	int class_floor, cause_floor;
};

/* The set kept out of the pooled figure: templates, not tickets. */
#define APART_FILE "driver_templates.txt"

static const struct corpus_set sets[] = {
	/* Before any tuning held 56 / 79, dev 61 / 86; with main's explain
	 * after 5a0a58b held 91 / 81, dev 93 / 88; after the dev-half fixes
	 * of issue 19 point 3 (refusal ranking, socket and DNS alternatives,
	 * compose prefixes, PgJDBC's refusal, ER_USER_LIMIT_REACHED) held
	 * 93 / 88, dev 98 / 96. With the records whose thread sits on the
	 * other half of corpus.txt not scored (skip:), and the fixes for
	 * threads2.txt's dev half: held 93 / 89 (118 messages, 39 causes),
	 * dev 99 / 95. */
	{"threads", "threads.txt", 101, 90, 86},
	/* Untouched (main at ca050d1): held 94 % (71/75) / 83 % (5/6), dev
	 * 88 % (67/76) / 100 % (7/7). After the fixes for the dev half's
	 * misses: held 100 % (75/75) / 83 % (5/6), dev 100 % / 100 %;
	 * floors: two messages, one cause below. */
	{"threads2", "threads2.txt", 60, 97, 66},
	/* Chosen where the thread confirms the root cause. Untouched (main
	 * at e8ebd0e): held 98 % (61/62) / 100 % (29/29), dev 92 % (58/63) /
	 * 84 % (22/26). After the fixes for the dev half's misses (MySQL
	 * 1698 deciding over the words it shares with 1045, 1524 and an auth
	 * plugin "is not loaded", an application's "access denied to
	 * user@host"): held 98 % / 100 %, dev 100 % / 100 %. */
	{"threads3", "threads3.txt", 60, 95, 93},
	/* Translated messages (24 scored, 3 with a confirmed cause): main
	 * before the catalogue table held 87 / 100, dev 100 / 66; with it
	 * held 95 / 100. */
	{"i18n threads", "i18n.txt", 20, 90, 66},
	/* The server's, the client library's or the operating system's
	 * translation. Untouched (main at 9581022): held 83 % (5/6) / 100 %
	 * (2/2), dev 100 % (6/6) / 100 % (1/1); no dev miss, nothing tuned.
	 * Floors: one message (17 points of six), one cause below. */
	{"i18n2", "i18n2.txt", 6, 66, 50},
	/* Applications' trackers the other sets did not draw on (Nextcloud,
	 * Mattermost, Metabase, Directus, Strapi, Kong, Temporal, Sentry,
	 * Zabbix, ...), drivers, ORMs and docker-library images; 62 of 174
	 * records with the cause the thread confirmed. Untouched (main at
	 * a050b26, and at 2a9844b): held 94 % (81/86) / 83 % (31/37), dev
	 * 95 % (84/88) / 84 % (21/25). After the fixes for the dev half's
	 * misses (the resolver's failure in LuaSocket's, FreeBSD's and
	 * Windows' words, Npgsql's missing password, 1129 by the rest of
	 * its text; server_not_running under a timeout, server_starting
	 * under database_missing; 1820 in its words came with e9391c8):
	 * held 94 % / 83 %
	 * (unchanged), dev 100 % / 100 %. Floors: three messages, one
	 * cause below. */
	{"threads4", "threads4.txt", 80, 91, 80},
	/* Stored public pages, no GitHub threads: Q&A pages and their mirrors,
	 * MySQL's bug tracker, blog posts, vendor manuals and error-reference
	 * pages; 34 of 80 records with the cause the page confirmed. Untouched
	 * (main at 003467a, and at 5148884): held 100 % (40/40) / 94 % (16/17),
	 * dev 95 % (38/40) / 88 % (15/17). After the fixes for the dev
	 * half's misses (57P03 in older words, "user ... does not exist",
	 * the images' entrypoint lines ranking server_starting): held 100 % /
	 * 94 % (unchanged), dev 100 % / 100 %. Floors: two messages, one
	 * cause below. */
	{"threads5", "threads5.txt", 40, 95, 88},
	/* GitHub threads of the stacks the other sets drew on least
	 * (Elixir, Rust, Go, .NET, Java, Ansible, Magento, Drupal, PostgREST,
	 * ProxySQL, ...); 42 of 175 records with the cause the thread
	 * confirmed. Untouched (main at 003467a, the same at 5148884): held
	 * 95 % (83/87) / 90 % (18/20), dev 92 % (81/88) / 90 % (20/22).
	 * After the fixes for the dev half's misses (ProxySQL's 9001 and
	 * PgBouncer's own answers, Java's "Connection reset", Connector/J's
	 * end of stream, "SSL SYSCALL" no longer a TLS mismatch by itself,
	 * server_starting in place of socket_permission under a missing
	 * socket): held 96 % (84/87) / 90 %, dev 100 % (88/88) / 95 %
	 * (21/22). Floors: two messages, one cause below. */
	{"threads6", "threads6.txt", 80, 93, 85},
	/* GitHub threads of self-hosted applications and their images (Wiki.js,
	 * Joplin, Home Assistant's recorder, Snipe-IT, Kimai, Uptime Kuma,
	 * ...), compose healthchecks, the pull requests that fixed a
	 * connection failure, Chinese Java projects (jeecg-boot, nacos,
	 * xxl-job, canal); 106 of 122 records with the cause the thread
	 * confirmed. Untouched (main at 0438816): held 98 % (60/61) / 96 %
	 * (50/52), dev 96 % (59/61) / 92 % (50/54). After the fixes for the
	 * dev half's misses (172.16.0.0/12 as Docker's, mysqljs's "Packets out
	 * of order", MySql.Data's "does not support SSL connections", P1001
	 * at localhost): held unchanged, dev 100 % (61/61) / 98 % (53/54).
	 * Floors: two messages, one cause below. */
	{"threads7", "threads7.txt", 60, 95, 94},
	/* GitHub threads of application frameworks, ORMs, drivers and dev
	 * environments (Django, Rails, Laravel/Sail, Symfony/Doctrine, Prisma,
	 * TypeORM, Sequelize, Knex, Quarkus, bitnami and docker-library images,
	 * GitHub Actions, WSL, Homebrew, ...); 101 of 124 records with the
	 * cause the thread confirmed. Untouched (main at 5dca21f): held 91 %
	 * (57/62) / 88 % (47/53), dev 93 % (58/62) / 93 % (45/48). After the
	 * fixes for the dev half's misses (a client certificate required,
	 * the server's words over Rails' NoDatabaseError, mysqljs's
	 * PROTOCOL_PACKETS_OUT_OF_ORDER): held unchanged, dev 98 % (61/62) /
	 * 97 % (47/48). Floors: two messages, one cause below. */
	{"threads8", "threads8.txt", 60, 88, 86},
	/* GitHub threads of infrastructure and operations tools: poolers and
	 * proxies (PgBouncer, Pgpool-II, Supavisor, ProxySQL, HAProxy), HA and
	 * operators (Patroni, Stolon, repmgr, CloudNativePG, the Zalando and
	 * Crunchy operators, Vitess), wire-compatible and hosted databases
	 * (CockroachDB, YugabyteDB, TiDB, Dolt, Neon, Supabase, PlanetScale,
	 * Cloud SQL Auth Proxy, Azure), migration/backup/CDC tools, exporters
	 * and monitoring, admin tools, Ansible and Terraform; 110 of 127
	 * records with the cause the thread confirmed. Untouched (main at
	 * 8e4cdf8): held 79 % (50/63) / 78 % (43/55), dev 82 % (53/64) / 83 %
	 * (46/55). After the fixes for the dev half's misses (PgBouncer's
	 * "SASL authentication failed", the hosted proxies' TLS demands
	 * (PlanetScale, Neon's SNI), GSSAPI negotiation, ENOTDIR, 2013's
	 * stale "system error: 2", PgJDBC's Chinese refusal, "malformed
	 * packet" listing the auth plugin): held 81 % (51/63) / 80 % (44/55),
	 * dev 100 % (64/64) / 98 % (54/55): the dev half's words are each
	 * product's own, and the held half's are others'. Floors: two
	 * messages, one cause below. */
	{"threads9", "threads9.txt", 60, 76, 76},
	/* Non-English messages the earlier sets did not hold: the stores gave
	 * two new threads (es: the server's translation in the wrong code
	 * page; tr: Windows' refusal under PDO), none with a confirmed cause.
	 * Untouched (main at f848c9c): held 100 % (1/1) / no cause, dev
	 * 0 % (0/1) / no cause. After the fix for the dev half's miss
	 * (U+FFFD standing for a letter a decoder dropped): held unchanged,
	 * dev 100 % (1/1). One message a half: the floors test only
	 * that each half parses and is scored; the set counts in the pooled
	 * figure. */
	{"threads10", "threads10.txt", 1, 0, 0},
	/* Developers' own machines, the stacks the earlier sets drew on
	 * least: Herd, Valet, Sail and laradock; DDEV, Lando, Docksal,
	 * Warden; XAMPP, MAMP, WAMP, Laragon, DBngin; Homebrew,
	 * Postgres.app, MacPorts; Docker Desktop, OrbStack, Podman, Rancher
	 * Desktop; WSL; devcontainers, Codespaces, Gitpod, nix shells;
	 * Vagrant and Homestead; Testcontainers; CI service containers; the
	 * IDEs' and desktop database tools; 79 of 132 records with the
	 * cause the thread confirmed. Untouched (main at d85d8d3): held
	 * 96 % (64/66) / 86 % (33/38), dev 92 % (61/66) / 90 % (37/41);
	 * with main at 52e50f2 (folded white space, the refusal's
	 * alternatives reordered), still untouched: held 96 % (64/66) /
	 * 89 % (34/38), dev 92 % (61/66) / 92 % (38/41). After the fixes
	 * for the dev half's misses (EPERM on a MySQL socket, "(1)" after
	 * "through socket"; libmysqlclient's 2007 "Protocol mismatch";
	 * OpenSSL's handshake alerts, "sslv3 alert", "tlsv1 alert", "SSL
	 * alert number"): held unchanged, dev 96 % (64/66) / 95 % (39/41);
	 * every other set's halves unchanged, pooled dev 753 / 344 of 348.
	 * Floors: two messages, one cause below the untouched held half. */
	{"threads11", "threads11.txt", 60, 93, 86},
	/* Hobbyist, game-server and bot stacks: Minecraft plugins (LuckPerms,
	 * CoreProtect, Plan, AuthMe, BanManager, ...; HikariCP and
	 * Connector/J inside them, Pterodactyl), FiveM/RedM (oxmysql,
	 * mysql-async, ghmattimysql), Garry's Mod and SourceMod plugins, MMO
	 * emulators and game backends (TrinityCore, AzerothCore, CMaNGOS,
	 * rAthena, TFS, Nakama), Discord, Telegram and Twitch bots, home-lab
	 * and Raspberry Pi projects; 29 of 116 records with the cause the
	 * thread confirmed. Untouched (main at 1133b42): held 91 % (53/58) /
	 * 82 % (14/17), dev 98 % (57/58) / 91 % (11/12). Floors: two
	 * messages, one cause below the untouched held half. After the fix
	 * for the dev half's one miss (MariaDB Connector/J's "SSL
	 * Connection required, but not provided by server", and 2.x's
	 * "Trying to connect with ssl, but ssl not enabled in the server",
	 * are tls_mismatch): dev 100 % (58/58) / 100 % (12/12), held
	 * unchanged; every other set's halves unchanged, pooled dev 863 /
	 * 375 of 378. */
	{"threads12", "threads12.txt", 54, 87, 76},
	/* Data, analytics and ML tools: Airflow, dbt, Superset, Redash,
	 * Metabase, Dagster, Prefect, MLflow, Great Expectations, Label
	 * Studio, Hasura, Debezium and Kafka Connect, Spark, Trino, Druid,
	 * Pentaho, Airbyte, Power BI, R's DBI drivers, notebooks, Streamlit,
	 * LangChain and LlamaIndex; 104 records, 35 with the cause the thread
	 * confirmed. Untouched (main at 1133b42): held 84 % (44/52) / 76 %
	 * (13/17), dev 96 % (50/52) / 100 % (18/18). Floors: two messages,
	 * one cause below the untouched held half. After the fixes for the
	 * dev half's two misses (MariaDB Connector/J's "RSA public key is
	 * not available client side" is auth_method_mismatch; its "Socket
	 * fail to connect to host:H, port:P. H", an UnknownHostException,
	 * is dns_failure): dev 100 % (52/52) / 100 %, held 88 % (46/52) /
	 * 82 % (14/17); every other set's halves unchanged. */
	{"threads14", "threads14.txt", 48, 80, 70},
	/* Content-management, ERP and business applications (WordPress,
	 * wp-cli, Joomla, Drupal, Moodle, Matomo, MediaWiki, phpBB,
	 * PrestaShop, OpenCart, Shopware, Odoo, ERPNext/Frappe, Dolibarr,
	 * GLPI, SuiteCRM, Redmine, OpenProject, Mastodon, Discourse,
	 * Keycloak, SonarQube, Jira, Mattermost, Chatwoot, Zammad, OTRS,
	 * Nextcloud, ownCloud, Seafile, Piwigo, ...); 116 records, 87 MySQL
	 * or MariaDB, 29 PostgreSQL, 32 with the cause the thread confirmed.
	 * Untouched (main at 6871f5d): held 98 % (57/58) / 81 % (13/16),
	 * dev 96 % (56/58) / 87 % (14/16); the same at 1133b42 and 2a2405e.
	 * Floors: two messages, one cause below the untouched held half. After
	 * the fixes for the dev half's two class misses ("\\xhh" escapes of
	 * UTF-8 bytes, an Apache error log's, put back; libmysqlclient's EINTR,
	 * "... on 'H' (4)", a connect cut short by connect_timeout, read as
	 * ETIMEDOUT): dev 100 % (58/58) / 87 %, held unchanged; threads5's
	 * held cause 16 -> 17 of 17, every other set unchanged. */
	{"threads13", "threads13.txt", 54, 94, 75},
	/* The .NET and PHP framework stacks: EF Core with Npgsql and Pomelo,
	 * MySqlConnector, MySql.Data, ABP, Orchard Core, nopCommerce, .NET
	 * Aspire, Radarr and Prowlarr; Symfony and Doctrine, CodeIgniter,
	 * CakePHP, Yii2, Zend/Laminas, ThinkPHP, Phalcon; 115 records, 70
	 * MySQL or MariaDB, 45 PostgreSQL, 26 with the cause the thread
	 * confirmed. Untouched (main at ae829d3): held 85 % (49/57) / 80 %
	 * (12/15), dev 87 % (51/58) / 100 % (11/11). Floors: two messages,
	 * one cause below the untouched held half. After the fixes for the
	 * dev half's seven misses (MySqlConnector's "SSL Authentication
	 * Error" is tls_mismatch; Npgsql's "Timeout during reading attempt"
	 * and .NET's German "Timeout für den Vorgang wurde überschritten"
	 * are timeout): dev 100 % (58/58) / 100 %, held 91 % (52/57) / 87 %
	 * (13/15); every other set's halves unchanged. */
	{"threads16", "threads16.txt", 54, 82, 73},
	/* Not tickets: the connection-failure message templates of the
	 * drivers installed here (scripts/driver_messages.py: MariaDB
	 * Connector/J 2.7.6, PgJDBC 42.5.5 and 14 of its translations,
	 * go-sql-driver/mysql, lib/pq, jackc/pgconn, PyMySQL, mysqlclient,
	 * npm mysql2 and pg, libmariadb, PHP mysqlnd), 210 records, split by
	 * template; no causes. Untouched (main at 547ba08 and a17ae7e): held 47 %
	 * (51/108), dev 41 % (42/102). Floor: two messages below the
	 * untouched held half. Kept out of the pooled figure, which is
	 * stated for real messages; printed pooled with it as well. After
	 * the fixes for the dev half's misses (the drivers' own words for
	 * TLS the client cannot set up, an authentication it cannot do, a
	 * protocol it does not meet, the pool's and the resolver's
	 * timeouts; PgJDBC's translation bundles read into the i18n table):
	 * dev 99 % (101/102), held 62 % (68/108); threads8 held 57 -> 58 of
	 * 62, every other set unchanged. */
	/* JVM application stacks: Spring Boot and Spring Data (JPA, JDBC,
	 * R2DBC), Hibernate, Quarkus (agroal, reactive clients, dev services)
	 * and Keycloak on it, Micronaut, Vert.x SQL clients, jOOQ codegen,
	 * MyBatis, Flyway, HikariCP, Tomcat JDBC, dbcp, c3p0 and Druid pools,
	 * r2dbc-postgresql, r2dbc-mysql, r2dbc-mariadb, jasync, Exposed and
	 * Ktor, Slick, Skunk and Play, Payara, JBoss and Open Liberty; 103
	 * records, 57 PostgreSQL, 46 MySQL or MariaDB, 26 with the cause the
	 * thread confirmed. Untouched (main at ae829d3): held 88 % (45/51) /
	 * 75 % (9/12), dev 88 % (46/52) / 85 % (12/14). Floors: two
	 * messages, one cause below the untouched held half. After the fixes
	 * for the dev half's misses (the JVM's words: JSSE's "PKIX path
	 * building failed", "unable to find valid certification path", "No
	 * appropriate protocol", SSLHandshakeException, tls_mismatch;
	 * java.util.concurrent's TimeoutException, as agroal throws it,
	 * timeout; Skunk's "Unexpected backend message: Authentication...",
	 * auth_method_mismatch; r2dbc-postgresql's "Cannot connect to" a
	 * refusal at least; a loopback refusal on a port of Docker's range
	 * for published ports, 32768 and up, offers server_starting first):
	 * dev 100 % (52/52) / 100 % (14/14), held 92 % (47/51) / 75 %;
	 * threads12's held half 53 -> 55 of 58 / 14 -> 15 of 17, every
	 * other set unchanged. */
	{"threads15", "threads15.txt", 48, 84, 66},
	/* Less common client stacks and the database tools: Perl DBI, Ruby,
	 * Haskell, OCaml, Crystal, Swift, Dart, Julia, Lua, Deno, libpqxx,
	 * Qt and ODBC; migration and schema tools (Flyway, Liquibase, goose,
	 * golang-migrate, dbmate, Atlas, sqitch, Knex, Prisma, gh-ost,
	 * pt-online-schema-change) and backup and replication tools
	 * (pgBackRest, Barman, wal-g, repmgr, pglogical, pg_dump wrappers,
	 * mydumper, pg_chameleon, Airbyte, Meltano); 124 records, 88
	 * PostgreSQL, 36 MySQL or MariaDB, 26 with the cause the thread
	 * confirmed. Untouched (main at 9135663): held 93 % (58/62) / 84 %
	 * (11/13), dev 95 % (59/62) / 100 % (13/13). Floors: two messages,
	 * one cause below the untouched held half. After the fixes for the
	 * dev half's three misses (Winsock's "An existing connection was
	 * forcibly closed by the remote host" is ECONNRESET; Dart's
	 * "Unsupported authentication type N" is auth_method_mismatch;
	 * crystal-db's "DB::ConnectionRefused" a refusal at least): dev 100 %
	 * (62/62) / 100 %, held 95 % (59/62) / 84 %; every other set's halves
	 * unchanged. */
	{"threads19", "threads19.txt", 58, 90, 76},
	/* CI and test infrastructure: GitHub Actions service containers
	 * and setup actions, act, GitLab CI, Travis, CircleCI, Azure
	 * Pipelines, drone; Testcontainers, pytest-django, RSpec, Jest,
	 * PHPUnit, pgTAP; compose healthchecks and wait loops; 101
	 * records, 60 PostgreSQL, 41 MySQL or MariaDB, 29 with the cause
	 * the thread confirmed. Untouched (main at 57c88e3): held 95 %
	 * (47/49) / 100 % (16/16), dev 98 % (51/52) / 92 % (12/13).
	 * Floors: two messages, one cause below the untouched held half.
	 * After the dev fixes (a phrase matches where a word starts, so
	 * Python's FileNotFoundError is no Node ENOTFOUND; psycopg 3's
	 * "failed to resolve host"; a refusal from a one-label host name,
	 * a compose or Kubernetes service, lists server_starting): dev
	 * 100 % / 100 %, held unchanged. */
	{"threads20", "threads20.txt", 45, 91, 93},
	/* Kubernetes, cloud and managed databases: Helm charts, operators,
	 * RDS and RDS Proxy, Cloud SQL and its proxy, Azure, Heroku,
	 * Supabase and Supavisor, Neon, PlanetScale, Render, Fly.io,
	 * serverless platforms; 131 records, 80 PostgreSQL, 51 MySQL or
	 * MariaDB, 33 with a confirmed cause. Untouched (main at 57c88e3):
	 * held 92 % (58/63) / 100 % (16/16), dev 95 % (65/68) / 94 %
	 * (16/17). After the dev fixes (the server's failed logins of
	 * every method, PAM's among them as RDS IAM prints it, read in all
	 * the catalogues' languages; libpq's "SSL connection has been
	 * closed unexpectedly" lists its causes, an allow-list among them):
	 * dev 98 % (67/68) / 100 %, held 95 % (60/63) / 100 %. */
	{"threads21", "threads21.txt", 60, 88, 93},
	/* Operating systems, packages and local installs: Homebrew,
	 * Postgres.app, MacPorts, WSL, Windows installers, NixOS, Fedora
	 * and RHEL, Debian's clusters, FreeBSD jails, Alpine, snap,
	 * Termux, Ansible, Chef and Puppet modules; 124 records, 59
	 * PostgreSQL, 65 MySQL or MariaDB, 35 with a confirmed cause.
	 * Untouched (main at 57c88e3 with the word-start rule): held 96 %
	 * (61/63) / 86 % (13/15), dev 96 % (59/61) / 100 % (20/20). After
	 * the dev fixes (an errno in MySQL's "'...' (N)" place that is none
	 * of connect()'s, Solaris' 95, proves no missing socket; macOS' 36
	 * is EINPROGRESS as Linux's 115; Winsock's 11001 and 11004 are a
	 * failed lookup): dev 100 % (61/61) / 100 %, held unchanged. */
	{"threads23", "threads23.txt", 60, 93, 80},
	/* Database GUI clients, IDE extensions, dashboards, exporters and
	 * monitoring agents: pgAdmin, DBeaver, DataGrip, HeidiSQL,
	 * Beekeeper, TablePlus, Adminer, phpMyAdmin, Sequel Ace, Workbench,
	 * VS Code extensions, Grafana, postgres_exporter, mysqld_exporter,
	 * Telegraf, Datadog, Zabbix, PMM, pgwatch, netdata, check_postgres;
	 * 183 records, 78 PostgreSQL, 105 MySQL or MariaDB, 46 with a
	 * confirmed cause. Untouched (main at 974bbe0 with the fixes of
	 * threads20, 21 and 23): held 96 % (85/88) / 95 % (23/24), dev 97 %
	 * (93/95) / 86 % (19/22). After the dev fixes (127.0.0.1 refused
	 * beside ::1 rules the IPv6 causes out; JSSE's "Remote host
	 * terminated the handshake" is TLS; Connector/J's "Could not
	 * create connection to database server" lists its causes): dev
	 * 98 % (94/95) / 100 % (22/22), held unchanged; threads7's held
	 * causes 50 -> 51 of 52, threads14's held 46 -> 47 of 52 / 14 -> 15
	 * of 17. */
	{"threads22", "threads22.txt", 85, 94, 91},
	/* TLS/SSL and authentication-method errors in any stack: sslmode,
	 * require_secure_transport, certificate checks, client
	 * certificates, SNI, SCRAM against old drivers, caching_sha2 and
	 * mysql_native_password, GSSAPI, unix_socket; 120 records, 60
	 * PostgreSQL, 60 MySQL or MariaDB, 37 with a confirmed cause.
	 * Untouched (main at c0961b6): held 79 % (47/59) / 62 % (10/16),
	 * dev 70 % (43/61) / 76 % (16/21). After the dev fixes (the TLS
	 * libraries' own words for a certificate they reject: OpenSSL's
	 * verify errors, libpq's host-name and root-certificate checks,
	 * Node's codes, Go's crypto/x509, JSSE's validator, rustls,
	 * Schannel, .NET and Npgsql, Erlang's ssl; a libpq without TLS,
	 * GSSAPI or SSPI; pgx's "unknown authentication type"; MySqlConnector's
	 * RSA key retrieval): dev 100 % (61/61) / 100 % (21/21), held 96 %
	 * (57/59) / 93 % (15/16), and seven other sets' held halves up
	 * (threads4 81 -> 83, threads9 51 -> 52, threads11 64 -> 65,
	 * threads14 47 -> 48, threads16 52 -> 55, threads19 59 -> 60,
	 * threads23 61 -> 62). The floors, two messages and one cause below
	 * the held half after the fixes rather than the untouched one, so
	 * that they guard what the fixes reached. */
	{"threads24", "threads24.txt", 55, 93, 87},
	/* The Python server ecosystem: psycopg2, psycopg 3, asyncpg,
	 * pg8000, PyMySQL, mysqlclient, mysql-connector-python; SQLAlchemy,
	 * peewee, Pony, pandas; Django applications (netbox, paperless-ngx,
	 * weblate, zulip, saleor, InvenTree, taiga), Celery, FastAPI, Odoo,
	 * frappe, Home Assistant, Mailman, Airflow, PostHog; 125 records,
	 * 69 PostgreSQL, 56 MySQL or MariaDB, 32 with a confirmed cause.
	 * Untouched (main at 32e00d7): held 98 % (61/62) / 100 % (20/20),
	 * dev 95 % (60/63) / 100 % (12/12). After the dev fixes (libpq's
	 * "Is the server running on host ..." hint alone, in any language,
	 * proves a failed TCP connect, placed as a refusal, no longer a
	 * stopped server; musl's "Host is unreachable" is EHOSTUNREACH):
	 * dev 98 % (62/63) / 92 % (11/12), held unchanged; threads13's held
	 * half 57 -> 56 of 58. */
	{"threads27", "threads27.txt", 60, 95, 95},
	/* Go, Rust and Elixir/Erlang: lib/pq, pgx, go-sql-driver, gorm,
	 * xorm, ent, sqlx, goose and Go applications (Gitea, Grafana,
	 * Mattermost, Harbor, Vault, Temporal, Hydra, Authelia, PhotoPrism,
	 * Listmonk); Rust's sqlx, diesel, sea-orm, rust-postgres, the mysql
	 * crate, deadpool and Vaultwarden, Lemmy, Atuin; Ecto, Postgrex,
	 * MyXQL, Phoenix, Plausible, Pleroma; epgsql, mysql-otp, ejabberd,
	 * EMQX, VerneMQ; 130 records, 84 PostgreSQL, 46 MySQL or MariaDB,
	 * 33 with a confirmed cause. Untouched (main at 84e2e1b): held 93 %
	 * (62/66) / 88 % (16/18), dev 92 % (59/64) / 86 % (13/15). After
	 * the dev fixes (Go's "dial tcp: lookup ..." is the resolver's
	 * failure, whatever errno follows it; Erlang's nxdomain; Go's
	 * "context deadline exceeded"; deadpool's creation timeout;
	 * Postgrex's "ssl not available"): dev 100 % (64/64) / 86 %, held
	 * unchanged; threads.txt's held half 110 -> 111 of 118,
	 * threads22's held causes 23 -> 24 of 24. */
	{"threads26", "threads26.txt", 60, 90, 83},
	/* The JavaScript/TypeScript server ecosystem: node-postgres,
	 * mysqljs, mysql2, the MariaDB connector, postgres.js, Deno, Bun;
	 * Prisma, TypeORM, Sequelize, Knex, Drizzle, MikroORM; NestJS,
	 * AdonisJS, egg.js; Strapi, Payload, Directus, Ghost, Medusa, n8n,
	 * Appsmith, Budibase, Hasura, PostGraphile, the Supabase CLI; 186
	 * records, 115 PostgreSQL, 71 MySQL or MariaDB, 47 with a
	 * confirmed cause. Untouched (main at a79b3b1): held 93 % (88/94)
	 * / 90 % (20/22), dev 90 % (83/92) / 92 % (23/25). After the dev
	 * fixes (an errno's name counts where a word starts, so
	 * Sequelize's "SequelizeAccessDeniedError" holds no EACCES; Prisma's
	 * later P1000 wording and its P1010; the MariaDB connector's pool
	 * timeout; "SSL/TLS required"; Ghost's "Unknown database error"
	 * heading is no MySQL 1049): dev 97 % (90/92) / 96 % (24/25), held
	 * 94 % (89/94) / 90 %. Lowering ECONNRESET alone below the weight
	 * that places a class (unknown, its causes listed) was tried: one
	 * development message right, two wrong, so it was not kept. */
	{"threads25", "threads25.txt", 90, 91, 86},
	/* The JVM beyond Spring Boot: plain JDBC, HikariCP, c3p0, DBCP,
	 * Tomcat's pool, Druid, R2DBC; Slick, Play, Clojure's pgmig,
	 * Grails; Flyway, Hive's schematool, Ranger, Kettle; Guacamole,
	 * Confluence, Bitbucket, SonarQube, Liferay, Alfresco, Camunda,
	 * DHIS2, Nacos, XXL-JOB, Seata, DolphinScheduler, Conductor, Halo,
	 * ThingsBoard, CloudBeaver, Chat2DB; 107 records, 43 PostgreSQL,
	 * 64 MySQL or MariaDB, 28 with a confirmed cause. Untouched (main
	 * at 3e9bd32): held 100 % (53/53) / 92 % (13/14), dev 90 % (49/54)
	 * / 64 % (9/14). After the dev fixes (pgjdbc's "SCRAM authentication
	 * is not supported by this driver"; HikariCP's older pool timeout
	 * and SQLTimeoutException): dev 96 % (52/54) / 71 % (10/14), held
	 * unchanged. */
	{"threads29", "threads29.txt", 50, 96, 85},
	/* Change data capture, ETL and data integration: Debezium, Flink
	 * CDC, canal, Maxwell, DataX, SeaTunnel, Kafka Connect JDBC,
	 * Logstash, Kettle, pgloader, ClickHouse's MySQL and PostgreSQL
	 * engines, DuckDB's scanner, Trino, StarRocks, Materialize,
	 * RisingWave, ReadySet, PeerDB, Airbyte, Singer; 104 records, 47
	 * PostgreSQL, 57 MySQL or MariaDB, six in Chinese, 25 with a
	 * confirmed cause. Untouched (main at 3e9bd32): held 86 % (45/52)
	 * / 63 % (7/11), dev 86 % (45/52) / 92 % (13/14). After the dev
	 * fixes (pgloader's "10 fell through ECASE expression", its SASL
	 * request unhandled; the server's "no PostgreSQL user name
	 * specified in startup packet"): dev 100 % (52/52) / 92 %, held
	 * unchanged. */
	{"threads30", "threads30.txt", 50, 82, 54},
	/* The PHP ecosystem: PDO, mysqli, mysqlnd, pg_connect; Laravel,
	 * Doctrine, Symfony, Yii, CodeIgniter, CakePHP, Phalcon, Hyperf,
	 * ThinkPHP; Nextcloud, WordPress, Drupal, Magento, Moodle,
	 * MediaWiki, Matomo, Joomla, Roundcube, LibreNMS, Firefly III,
	 * Snipe-IT, BookStack and more; 185 records, 45 PostgreSQL, 140
	 * MySQL or MariaDB, 33 with a confirmed cause. Untouched (main at
	 * c5f98c3): held 94 % (87/92) / 84 % (16/19), dev 98 % (92/93) /
	 * 85 % (12/14). After the dev fixes (a server log's "User ... has
	 * no password assigned" is access_denied, as four development
	 * records of threads9, threads27 and threads31 have it, two of
	 * them confirmed; "database « x »" with English words): dev 100 %
	 * (93/93) / 85 %, held unchanged; threads27's dev half 62 -> 63. */
	{"threads28", "threads28.txt", 85, 92, 78},
	/* Container images and self-hosting platforms: the docker-library
	 * and bitnami images, linuxserver.io, Portainer, Coolify, CapRover,
	 * Dokku, Unraid, TrueNAS, Synology, YunoHost, podman, Docker
	 * Desktop, Rancher Desktop, OrbStack, minikube, k3s; 157 records,
	 * 85 PostgreSQL, 72 MySQL or MariaDB, 40 with a confirmed cause.
	 * Untouched (main at c5f98c3): held 97 % (77/79) / 88 % (16/18),
	 * dev 97 % (76/78) / 100 % (22/22). After the dev fixes (the same
	 * "has no password assigned"): dev 100 % (78/78) / 100 %, held
	 * unchanged. */
	{"threads31", "threads31.txt", 75, 94, 83},
	/* The Ruby ecosystem: the pg and mysql2 gems, ActiveRecord,
	 * Sequel; Mastodon, GitLab, Diaspora, Chatwoot, Huginn, OpenProject,
	 * Spree, Redmine plugins, postal; Capistrano deploys and error
	 * reporters' wrappers; 88 records, 50 PostgreSQL, 38 MySQL or
	 * MariaDB, 15 with a confirmed cause (the helper's searches ran out
	 * at 88). Untouched (main at 0c8c7d6): held 95 % (42/44) / 100 %
	 * (10/10), dev 95 % (42/44) / 100 % (5/5). After the dev fixes
	 * (libmysqlclient's "Can't connect to MySQL server on 'h'" and
	 * MariaDB's "Can't connect to server on" without a code or errno
	 * are a failed TCP connect, as 2003 alone; pg_isready's "host:port
	 * - no response"): dev 100 % (44/44) / 100 %, held 97 % (43/44) /
	 * 100 %; threads9's held half 52 -> 53 of 63 / 45 -> 46 of 55,
	 * threads14's 48 -> 49 of 52, threads19's 60 -> 61 of 62,
	 * threads28's 87 -> 88 of 92. */
	{"threads32", "threads32.txt", 40, 90, 90},
	/* GIS, scientific and AI software: QGIS, GeoServer, Mapnik and
	 * renderd, osm2pgsql, imposm, Nominatim, Martin, pg_tileserv,
	 * Promscale, CKAN, Galaxy, iRODS, cBioPortal, Ensembl VEP, R's
	 * ensembldb, Omeka S, Islandora, Dify, Flowise, LibreChat, DB-GPT;
	 * 86 records, 56 PostgreSQL, 30 MySQL or MariaDB, 18 with a
	 * confirmed cause (the helper's searches ran out at 86). Untouched
	 * (main at 2762f7a): held 95 % (40/42) / 88 % (8/9), dev 95 %
	 * (42/44) / 100 % (8/8). After the dev fix (libpq's socket hint "Is
	 * the server running locally and accepting connections on Unix
	 * domain socket" alone, its first line cut off, is a socket that
	 * did not answer at that path, in any language, as the TCP hint is
	 * a refusal): dev 97 % (43/44) / 100 %, held unchanged; threads.txt's
	 * held half 111 -> 114 of 118 / 35 -> 34 of 39. */
	{"threads34", "threads34.txt", 40, 90, 77},
	/* ODBC, BI and analytics clients: MySQL Connector/ODBC, MariaDB
	 * Connector/ODBC and psqlODBC under unixODBC and Windows, R's odbc,
	 * RODBC, RMariaDB and RPostgreSQL, Metabase, Redash, Lightdash,
	 * Cube.js, Tableau, Power BI, Excel, LibreOffice Base, MATLAB,
	 * Jupyter, Colab; 80 records, 44 PostgreSQL, 36 MySQL or MariaDB,
	 * 9 with a confirmed cause (the helper's searches ran out at 80).
	 * Untouched (main at d1f39fd): held 92 % (36/39) / 100 % (5/5), dev
	 * 92 % (38/41) / 75 % (3/4). After the dev fixes (ODBC's and
	 * JDBC's SQLSTATE 08S01 only lists a stopped server, below the
	 * weight that places a class, so that the errno beside it decides;
	 * the server's pt_BR 'banco de dados "x" não existe', which Debian
	 * ships no catalogue for): dev 97 % (40/41) / 75 %, held 94 %
	 * (37/39) / 100 %. */
	{"threads33", "threads33.txt", 35, 87, 80},
	/* .NET beyond EF Core: Npgsql, MySqlConnector and MySql.Data used
	 * directly, Hangfire's PostgreSQL and MySQL storages, Marten,
	 * linq2db, Quartz.NET, NHibernate, nopCommerce, SiteServer, the
	 * *arr applications, vaultwarden, BTCPay, game-server plugins, and
	 * some other stacks; 93 records, 47 PostgreSQL, 46 MySQL or
	 * MariaDB, 14 with a confirmed cause (the helper's searches ran out
	 * at 93). Untouched (main at 635313a): held 87 % (41/47) / 62 %
	 * (5/8), dev 86 % (40/46) / 66 % (4/6). After the dev fixes (a
	 * garbled translation of the pg_hba text, "pg_hba.conf" with a
	 * quoted address after it; Npgsql's "Unknown message code" for a
	 * byte no PostgreSQL server sends, and its pool's timeouts): dev
	 * 97 % (45/46) / 83 % (5/6), held unchanged; threads8's held half
	 * 58 -> 59 of 62 / 48 -> 49 of 53. */
	{"threads35", "threads35.txt", 40, 82, 50},
	{"driver templates", APART_FILE, 100, 45, 0},
};

/* The held-out halves pooled: 96 % (267/277) class, 93 % (72/77) cause
 * with threads3, before i18n2; 96 % (272/283) / 93 % (74/79) with it;
 * with threads4, untouched and after its dev fixes alike, 95.7 %
 * (353/369) / 90.5 % (105/116): the class floor raised from 94 to 95;
 * with threads6, untouched, 95.6 % (436/456) / 90.4 % (123/136);
 * with threads5 as well, untouched, 96.0 % (476/496) / 90.8 %
 * (139/153), the floors kept; after the dev fixes of both, 96.2 %
 * (477/496) / 90.8 %. Twelve alternatives added from what the classes
 * are known to arise from (endpoint_mismatch under server_not_running,
 * wrong_port under access_denied, ...; no set's misses behind them)
 * moved neither half. With threads7, untouched, 96.4 % (537/557) /
 * 92.2 % (189/205); the floors kept. With threads8, untouched, 96.0 %
 * (594/619) / 91.5 % (236/258); the floors kept. With threads9,
 * untouched, 94.4 % (644/682) / 89.1 % (279/313): below 95 / 90, so
 * the floors are lowered to 94 / 89: harder data, not a change of
 * explain. After threads8's and threads9's dev fixes, 94.6 % (645/682)
 * / 89.5 % (280/313). With threads10, untouched, 94.6 % (646/683) /
 * 89.5 % (280/313); the floors kept; after its dev fix the same.
 * With white space folded (a wrapped or padded paste) and a refusal's
 * alternatives in the dev halves' order: the same 646 / 280 (threads2
 * +1 cause, threads6 -1), pooled dev cause 301 -> 305 of 307.
 * With threads11, untouched, 94.8 % (710/749) / 89.2 % (313/351) at
 * d85d8d3, 94.8 % / 89.5 % (314/351) at 52e50f2; the floors kept.
 * With curly quotes read as ASCII ones, 94.9 % (711/749) / 89.5 %.
 * With threads12, untouched (main at 1133b42), 94.7 % (764/807) /
 * 89.1 % (328/368); the floors kept.
 * With threads14, untouched (main at 1133b42), 94.3 % (755/801) /
 * 88.9 % (327/368): below 89 for the cause, so that floor is lowered
 * to 88: harder data, not a change of explain. After threads14's dev
 * fixes, 94.5 % (757/801) / 89.1 % (328/368): raised back to 89.
 * With threads12 as well, untouched (main at 2a2405e), 94.3 %
 * (810/859) / 88.8 % (342/385): below 89 for the cause, so that floor
 * is lowered to 88 again: harder data, not a change of explain.
 * With threads13 as well (threads12 and 14 in, main at eebfcb0),
 * untouched, 94.5 % (867/917) / 88.5 % (355/401); without threads12
 * 94.8 % (814/859) / 88.8 % (341/384). The floors kept. After its
 * dev fixes, 94.5 % (867/917) / 88.8 % (356/401).
 * With threads16 as well, untouched (main at ae829d3), 94.1 %
 * (917/974) / 88.5 % (368/416); the floors kept. After its dev
 * fixes, 94.5 % (920/974) / 88.7 % (369/416).
 * With threads15 (without threads16), untouched (main at ae829d3),
 * 94.3 % (913/968) / 88.4 % (365/413); with threads15 as well as
 * threads16 and its dev fixes (main at 4be0ec8), threads15 untouched,
 * 94.1 % (965/1025) / 88.3 % (378/428); the floors kept. After
 * threads15's dev fixes, 94.5 % (969/1025) / 88.6 % (379/428).
 * With threads19, untouched (main at 9135663), 94.5 % (1027/1087) /
 * 88.4 % (390/441); the floors kept. After threads19's dev fixes,
 * 94.6 % (1028/1087) / 88.4 % (390/441). With the alternatives filled
 * to four where a class is known to arise from more causes, 94.6 %
 * (1028/1087) / 88.7 % (391/441).
 * With threads20 to threads35 (2,000 records, session 27), scored with
 * explain as at 21f4344: 93.9 % (1953/2079) / 88.3 % (602/682). After
 * their development halves' fixes, 95.8 % (1992/2079) / 90.9 %
 * (620/682); the earlier sets' 1,087 alone 94.6 % -> 96.1 % (1045) /
 * 88.7 % -> 90.7 % (400/441). The floors raised to 95 / 90.
 * The goal is 95 / 97. */
#define POOLED_CLASS_FLOOR 95
#define POOLED_CAUSE_FLOOR 90

static void add_score(struct corpus_score *to, const struct corpus_score *s)
{
	to->n += s->n;
	to->class_ok += s->class_ok;
	to->n_cause += s->n_cause;
	to->cause_ok += s->cause_ok;
	to->any_ok += s->any_ok;
}

static void test_sets(void **state)
{
	(void)state;
	struct corpus_halves all = {0}, with_apart = {0};
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		char path[512];
		struct corpus_halves h;
		snprintf(path, sizeof(path), "%s/explain/%s", DBL_FIXTURES,
			 sets[i].file);
		corpus_score_file(path, &h);
		corpus_check(sets[i].name, &h, sets[i].min_n,
			     sets[i].class_floor, sets[i].cause_floor);
		add_score(&with_apart.dev, &h.dev);
		add_score(&with_apart.held, &h.held);
		if (strcmp(sets[i].file, APART_FILE) == 0)
			continue;
		add_score(&all.dev, &h.dev);
		add_score(&all.held, &h.held);
	}
	corpus_check("sets pooled", &all, 200, POOLED_CLASS_FLOOR,
		     POOLED_CAUSE_FLOOR);
	corpus_print_half("sets pooled with the driver templates", "dev",
			  &with_apart.dev);
	corpus_print_half("sets pooled with the driver templates", "held-out",
			  &with_apart.held);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
