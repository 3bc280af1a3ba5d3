#!/usr/bin/env python3
"""Generate src/explain/explain_phrases_i18n.c, the translated phrases
`dbloop explain` recognises, from the catalogues Debian ships (issue 19,
part 5) -- read, never guessed:

  postgres-15.mo  (postgresql-15)  the server's messages and severities
  libpq5-15.mo    (libpq5)         libpq's connection messages
  libc.mo         (libc-l10n)      strerror and resolver texts libpq embeds
  errmsg-utf8.txt (mariadb-server) the MariaDB server's error texts
  postgresql.jar  (libpostgresql-jdbc-java) PgJDBC's translation bundles
                  (org/postgresql/translation/messages_*.class, read as
                  scripts/driver_messages.py reads them)

For each English msgid the explain phrase table knows (KEYS below), every
catalogue's translation is cut at its printf directives (%s, %d, %1$s, %m)
into its fixed parts; explain matches a translation when all its parts
occur in order, close together (explain_i18n.c). It also writes
tests/fixtures/explain/i18n_rendered.txt: each translation rendered with
real values in the form the program prints it, for test_explain_i18n.c.

    python3 scripts/gen_explain_i18n.py           # rewrite both files
    python3 scripts/gen_explain_i18n.py --check   # fail if they differ

Python standard library only (gettext reads .mo)."""
import gettext
import os
import re
import sys

LOCALE = "/usr/share/locale"
ERRMSG = "/usr/share/mysql/errmsg-utf8.txt"
OUT_C = "src/explain/explain_phrases_i18n.c"
OUT_FIX = "tests/fixtures/explain/i18n_rendered.txt"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from driver_messages import PGJDBC_JAR, pgjdbc_translations  # noqa: E402

# key: (catalogue, English msgid). The key names the action in
# explain_i18n.c (class and weight, errno, or hint).
PG_KEYS = [
    ("pg_password", 'password authentication failed for user "%s"'),
    ("pg_db_missing", 'database "%s" does not exist'),
    ("pg_role_missing", 'role "%s" does not exist'),
    ("pg_hba", 'no pg_hba.conf entry for host "%s", user "%s", database "%s", %s'),
    ("pg_hba_rejects", 'pg_hba.conf rejects connection for host "%s", user "%s", database "%s", %s'),
    ("pg_peer", 'Peer authentication failed for user "%s"'),
    ("pg_ident", 'Ident authentication failed for user "%s"'),
    # the server's words for the other methods' failed logins: an
    # external service (PAM, LDAP, RADIUS, BSD) or the certificate's name
    # rejected the credentials; GSSAPI and SSPI a method the client side
    # could not do; a method name the server does not know
    ("pg_pam", 'PAM authentication failed for user "%s"'),
    ("pg_ldap", 'LDAP authentication failed for user "%s"'),
    ("pg_radius", 'RADIUS authentication failed for user "%s"'),
    ("pg_bsd", 'BSD authentication failed for user "%s"'),
    ("pg_cert", 'certificate authentication failed for user "%s"'),
    ("pg_gssapi", 'GSSAPI authentication failed for user "%s"'),
    ("pg_sspi", 'SSPI authentication failed for user "%s"'),
    ("pg_bad_method", 'authentication failed for user "%s": invalid authentication method'),
    # the rest of the server's connection-stage FATALs a client sees:
    # a reject line, an ident map or user-name check that failed, the
    # login's own timeout, the role without REPLICATION a walsender
    # needs, a database being dropped, a server going down or
    # recovering from a crash, a session ended by a timeout
    ("pg_host_rejected", 'authentication failed for user "%s": host rejected'),
    ("pg_ldap_login", 'LDAP login failed for user "%s" on server "%s": %s'),
    ("pg_no_usermap", 'no match in usermap "%s" for user "%s" authenticated as "%s"'),
    ("pg_name_mismatch", 'provided user name (%s) and authenticated user name (%s) do not match'),
    ("pg_auth_timeout", "canceling authentication due to timeout"),
    ("pg_walsender", "must be superuser or replication role to start walsender"),
    ("pg_invalid_db", 'cannot connect to invalid database "%s"'),
    ("pg_admin_stop", "terminating connection due to administrator command"),
    ("pg_crash", "terminating connection because of crash of another server process"),
    ("pg_idle_session", "terminating connection due to idle-session timeout"),
    ("pg_idle_xact", "terminating connection due to idle-in-transaction timeout"),
    ("pg_nologin", 'role "%s" is not permitted to log in'),
    ("pg_role_limit", 'too many connections for role "%s"'),
    ("pg_too_many", "sorry, too many clients already"),
    ("pg_reserved", "remaining connection slots are reserved for non-replication superuser connections"),
    ("pg_starting", "the database system is starting up"),
    ("pg_shutting", "the database system is shutting down"),
    ("pg_recovery", "the database system is in recovery mode"),
    ("pg_not_accepting", "the database system is not accepting connections"),
    ("pg_not_yet", "the database system is not yet accepting connections"),
    ("pg_perm_db", 'permission denied for database "%s"'),
    ("pg_client_cert", "connection requires a valid client certificate"),
    # the DETAIL under "password authentication failed" in the server log
    ("pg_expired", 'User "%s" has an expired password.'),
    ("pg_no_password", 'User "%s" has no password assigned.'),
    ("pg_no_scram", 'User "%s" does not have a valid SCRAM secret.'),
    ("pg_no_md5", 'User "%s" has a password that cannot be used with MD5 authentication.'),
    ("pg_pw_mismatch", 'Password does not match for user "%s".'),
    ("sev_fatal", "FATAL"),
    ("sev_error", "ERROR"),
    ("sev_panic", "PANIC"),
]
PQ_KEYS = [
    ("pq_on_socket", 'connection to server on socket "%s" failed: '),
    ("pq_at_host_addr", 'connection to server at "%s" (%s), port %s failed: '),
    ("pq_at_host", 'connection to server at "%s", port %s failed: '),
    ("pq_running_socket", "\tIs the server running locally and accepting connections on that socket?\n"),
    ("pq_running_host", "\tIs the server running on that host and accepting TCP/IP connections?\n"),
    ("pq_closed", "server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.\n"),
    ("pq_timeout", "timeout expired\n"),
    ("pq_dns", 'could not translate host name "%s" to address: %s\n'),
    ("pq_nossl", "server does not support SSL, but SSL was required\n"),
    ("pq_nopw", "fe_sendauth: no password supplied\n"),
]
LIBC_KEYS = [
    ("libc_refused", "Connection refused"),
    ("libc_enoent", "No such file or directory"),
    ("libc_eacces", "Permission denied"),
    ("libc_timedout", "Connection timed out"),
    ("libc_hostunreach", "No route to host"),
    ("libc_netunreach", "Network is unreachable"),
    ("libc_reset", "Connection reset by peer"),
    ("libc_addrnotavail", "Cannot assign requested address"),
    ("libc_noname", "Name or service not known"),
    ("libc_again", "Temporary failure in name resolution"),
]
# PgJDBC's own connection messages (java.text.MessageFormat patterns:
# {0} a value, '' one quote)
JDBC_KEYS = [
    ("jdbc_refused", "Connection to {0} refused. Check that the hostname and port are "
     "correct and that the postmaster is accepting TCP/IP connections."),
    ("jdbc_nossl", "The server does not support SSL."),
    ("jdbc_nopw", "The server requested password-based authentication, but no password "
     "was provided."),
    ("jdbc_timeout", "Connection attempt timed out."),
    ("jdbc_ssl_setup", "An error occurred while setting up the SSL connection."),
    ("jdbc_auth_type", "The authentication type {0} is not supported. Check that you have "
     "configured the pg_hba.conf file to include the client''s IP address or subnet, and "
     "that it is using an authentication scheme supported by the driver."),
]
# MariaDB error names, their codes, and what the English text proves
MY_KEYS = [
    ("my_1045", "ER_ACCESS_DENIED_ERROR", 1045),
    ("my_1044", "ER_DBACCESS_DENIED_ERROR", 1044),
    ("my_1049", "ER_BAD_DB_ERROR", 1049),
    ("my_1698", "ER_ACCESS_DENIED_NO_PASSWORD_ERROR", 1698),
    ("my_1130", "ER_HOST_NOT_PRIVILEGED", 1130),
    ("my_1040", "ER_CON_COUNT_ERROR", 1040),
    ("my_1129", "ER_HOST_IS_BLOCKED", 1129),
]
# errmsg-utf8.txt's language names to locale names
MY_LANGS = {
    "chi": "zh_CN", "cze": "cs", "dan": "da", "est": "et", "fre": "fr",
    "ger": "de", "geo": "ka", "greek": "el", "hindi": "hi", "hun": "hu",
    "ita": "it", "jpn": "ja", "kor": "ko", "nla": "nl", "nor": "nb",
    "norwegian-ny": "nn", "pol": "pl", "por": "pt", "rum": "ro",
    "rus": "ru", "serbian": "sr", "slo": "sk", "spa": "es", "swe": "sv",
    "ukr": "uk", "bgn": "bg",
}
# the class each English rendering proves (what the test expects of
# every translation too)
EXPECT = {
    "pg_password": "access_denied", "pg_db_missing": "database_missing",
    "pg_role_missing": "access_denied", "pg_hba": "host_not_allowed",
    "pg_hba_rejects": "host_not_allowed", "pg_peer": "auth_method_mismatch",
    "pg_ident": "auth_method_mismatch", "pg_nologin": "account_unusable",
    "pg_pam": "access_denied", "pg_ldap": "access_denied",
    "pg_radius": "access_denied", "pg_bsd": "access_denied",
    "pg_cert": "access_denied", "pg_gssapi": "auth_method_mismatch",
    "pg_sspi": "auth_method_mismatch",
    "pg_bad_method": "auth_method_mismatch",
    "pg_host_rejected": "host_not_allowed", "pg_ldap_login": "access_denied",
    "pg_no_usermap": "auth_method_mismatch",
    "pg_name_mismatch": "auth_method_mismatch", "pg_auth_timeout": "timeout",
    "pg_walsender": "account_unusable", "pg_invalid_db": "database_missing",
    "pg_admin_stop": "server_starting", "pg_crash": "server_starting",
    "pg_idle_session": "timeout", "pg_idle_xact": "timeout",
    "pg_role_limit": "account_unusable",
    "pg_too_many": "too_many_connections",
    "pg_reserved": "too_many_connections", "pg_starting": "server_starting",
    "pg_shutting": "server_starting", "pg_recovery": "server_starting",
    "pg_not_accepting": "server_starting", "pg_not_yet": "server_starting",
    "pg_perm_db": "access_denied", "pg_client_cert": "tls_mismatch",
    "pg_expired": "account_unusable", "pg_no_password": "access_denied",
    "pg_no_scram": "auth_method_mismatch", "pg_no_md5": "auth_method_mismatch",
    "pg_pw_mismatch": "access_denied",
    "pq_socket_enoent": "socket_missing",
    "pq_tcp_refused": "connection_refused",
    "pq_tcp_timeout": "timeout", "pq_dns": "dns_failure",
    "pq_nossl": "tls_mismatch", "pq_nopw": "access_denied",
    "my_1045": "access_denied", "my_1044": "access_denied|database_missing",
    "my_1049": "database_missing", "my_1698": "access_denied|auth_method_mismatch",
    "my_1130": "host_not_allowed", "my_1040": "too_many_connections",
    "my_1129": "host_blocked",
    "jdbc_refused": "connection_refused", "jdbc_nossl": "tls_mismatch",
    "jdbc_nopw": "access_denied", "jdbc_timeout": "timeout",
    "jdbc_ssl_setup": "tls_mismatch", "jdbc_auth_type": "auth_method_mismatch",
}

DIRECTIVE = re.compile(r"%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|z)?[sdumcxXf]")
STRIP = " \t\n'\"`»«“”„‚‘’「」『』:,.()（）：，;"


def ascii_lower(s):
    return "".join(c.lower() if c < "\x80" else c for c in s)


def first_line(s):
    for line in s.split("\n"):
        if line.strip():
            return line
    return ""


# What explain's working copy makes of typographic characters
# (explain_scan.c, typographic()): curly quotes read as ASCII ones, spaces
# of other widths as a space, invisible ones dropped.
FOLD = {0x2018: "'", 0x2019: "'", 0x201A: "'", 0x201B: "'",
        0x201C: '"', 0x201D: '"', 0x201E: '"', 0x201F: '"',
        0x00A0: " ", 0x202F: " ", 0x3000: " ",
        0x200B: None, 0x200C: None, 0x200D: None, 0x2060: None, 0xFEFF: None,
        **{c: " " for c in range(0x2000, 0x200B)}}


def parts_of(text):
    """The fixed parts of a translation, lower-cased as explain lower-cases
    (ASCII only), stripped of quotes and punctuation at their ends; parts
    of fewer than 3 bytes are dropped."""
    text = first_line(text.replace("%%", "%")).translate(FOLD)
    out = []
    for p in DIRECTIVE.split(text):
        # explain folds every run of white space into one space
        p = ascii_lower(re.sub(r"\s+", " ", p).strip(STRIP))
        if len(p.encode()) >= 3:
            out.append(p)
    return out


def mf_printf(pattern):
    """A MessageFormat pattern as a printf one, for parts_of and fill."""
    return re.sub(r"\{\d+\}", "%s", pattern.replace("%", "%%")).replace("''", "'")


def catalogue(lang, domain):
    path = os.path.join(LOCALE, lang, "LC_MESSAGES", domain + ".mo")
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        t = gettext.GNUTranslations(f)
    cat = {}
    for k, v in t._catalog.items():
        if isinstance(k, tuple):  # plural forms: (msgid, n)
            if k[1] != 0:
                continue
            k = k[0]
        cat[k] = v
    return cat


def langs_with(domain):
    return sorted(l for l in os.listdir(LOCALE)
                  if os.path.exists(os.path.join(LOCALE, l, "LC_MESSAGES", domain + ".mo")))


def errmsg_texts():
    """{error name: {lang: text}} for the names in MY_KEYS."""
    want = {name for _, name, _ in MY_KEYS}
    out, cur = {}, None
    with open(ERRMSG, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^(ER_[A-Z0-9_]+)\b[ \t]*([0-9A-Z]{5})?", line)
            if m:
                cur = m.group(1) if m.group(1) in want else None
                if cur:
                    out[cur] = {"state": m.group(2) or "HY000"}
                continue
            m = re.match(r'^\s+(\S+)\s+"(.*)"\s*$', line)
            if m and cur:
                out[cur][m.group(1)] = m.group(2)
    return out


def c_str(s):
    b = s.encode()
    out = '"'
    for ch in b:
        if ch in (0x22, 0x5C):
            out += "\\" + chr(ch)
        elif 0x20 <= ch < 0x7F:
            out += chr(ch)
        else:
            out += "\\%03o" % ch
    return out + '"'


def main():
    check = "--check" in sys.argv[1:]
    rows = []      # (lang, source, key, parts)
    found = []     # catalogues read
    missing = []
    trans = {}     # (domain, lang) -> catalogue
    pg_langs = langs_with("postgres-15")
    pq_langs = langs_with("libpq5-15")
    libc_langs = langs_with("libc")
    for domain, keys, langs in (("postgres-15", PG_KEYS, pg_langs),
                                ("libpq5-15", PQ_KEYS, pq_langs),
                                ("libc", LIBC_KEYS, libc_langs)):
        if not langs:
            missing.append(domain)
        for lang in langs:
            if lang.startswith("en"):
                continue
            cat = catalogue(lang, domain)
            trans[(domain, lang)] = cat
            found.append(f"{domain}:{lang}")
            for key, msgid in keys:
                msgstr = cat.get(msgid)
                if not msgstr or msgstr == msgid:
                    continue
                parts = parts_of(msgstr)
                if not parts or parts == parts_of(msgid):
                    continue
                rows.append((lang, domain, key, parts))
    my = errmsg_texts() if os.path.exists(ERRMSG) else {}
    if not my:
        missing.append("errmsg-utf8.txt")
    for key, name, _ in MY_KEYS:
        eng = my.get(name, {}).get("eng", "")
        for mylang, text in sorted(my.get(name, {}).items()):
            if mylang in ("eng", "state") or mylang not in MY_LANGS:
                continue
            parts = parts_of(text)
            if not parts or parts == parts_of(eng):
                continue
            rows.append((MY_LANGS[mylang], "mariadb", key, parts))
    jdbc = pgjdbc_translations(PGJDBC_JAR) if os.path.exists(PGJDBC_JAR) else {}
    if not jdbc:
        missing.append("postgresql.jar")
    for lang, table in sorted(jdbc.items()):
        found.append(f"pgjdbc:{lang}")
        for key, msgid in JDBC_KEYS:
            msgstr = table.get(msgid)
            if not msgstr or msgstr == msgid:
                continue
            parts = parts_of(mf_printf(msgstr))
            if parts and parts != parts_of(mf_printf(msgid)):
                rows.append((lang, "pgjdbc", key, parts))

    c = ["/* Generated by scripts/gen_explain_i18n.py from Debian's catalogues",
         " * (postgres-15.mo, libpq5-15.mo, libc.mo, MariaDB errmsg-utf8.txt,",
         " * PgJDBC's translation bundles in postgresql.jar);",
         " * do not edit. Each row: the locale, the catalogue, the key of the",
         " * English msgid (its meaning is in explain_i18n.c), and where its",
         " * parts start in dbl_xi18n_text: the fixed parts of the translation,",
         " * lower-cased (ASCII), in order, each ending in a NUL, an empty one",
         " * after the last. No pointers: a table of them is relocated, page by",
         " * page, when the program starts (explain_i18n.h). */",
         "/* clang-format off */",
         '#include "explain/explain_i18n.h"',
         "",
         "#pragma GCC diagnostic ignored \"-Woverlength-strings\"",
         "",
         "const char dbl_xi18n_text[] ="]
    offsets, at = [], 0
    for lang, src, key, parts in rows:
        offsets.append(at)
        ps = parts[:DBL_PARTS]
        c.append("\t" + " ".join(c_str(p) + ' "\\0"' for p in ps) + ' "\\0"')
        at += sum(len(p.encode()) + 1 for p in ps) + 1
    c[-1] += ";"
    c += ["", "const struct dbl_xi18n_row dbl_xi18n_rows[] = {"]
    for (lang, src, key, parts), off in zip(rows, offsets):
        c.append(f'\t{{"{lang}", "{src}", "{key}", {off}}},')
    c += ["};", "",
          "const size_t dbl_xi18n_n_rows =",
          "\tsizeof(dbl_xi18n_rows) / sizeof(dbl_xi18n_rows[0]);",
          f"const size_t dbl_xi18n_text_len = {at};", ""]
    for lang, src, key, parts in rows:
        if len(lang) >= 8 or len(src) >= 12 or len(key) >= 20:
            sys.exit(f"gen_explain_i18n: a name too long for its field: {lang} {src} {key}")
    c_text = "\n".join(c)

    fix = render(trans, my, pg_langs, pq_langs, jdbc)
    if check:
        bad = [p for p, t in ((OUT_C, c_text), (OUT_FIX, fix))
               if not os.path.exists(p) or open(p, encoding="utf-8").read() != t]
        if bad:
            sys.exit("gen_explain_i18n: out of date: " + ", ".join(bad))
        return
    with open(OUT_C, "w", encoding="utf-8") as f:
        f.write(c_text)
    with open(OUT_FIX, "w", encoding="utf-8") as f:
        f.write(fix)
    langs = sorted({r[0] for r in rows})
    print(f"{len(rows)} rows, {len(langs)} locales: {' '.join(langs)}")
    print(f"catalogues read: {len(found)}; missing: {' '.join(missing) or 'none'}")


DBL_PARTS = 6

# real values the renderings use
VALUES = {"user": "app", "db": "appdb", "host": "127.0.0.1",
          "sock": "/var/run/postgresql/.s.PGSQL.5432"}


def fill(fmt, *vals):
    """printf-style filling of %s/%d/%1$s with vals, positional aware."""
    it = iter(vals)

    def sub(m):
        d = m.group(0)
        pos = re.match(r"%(\d+)\$", d)
        if pos:
            return str(vals[int(pos.group(1)) - 1])
        return str(next(it, ""))
    return DIRECTIVE.sub(sub, fmt.replace("%%", "\x00")).replace("\x00", "%")


def render(trans, my, pg_langs, pq_langs, jdbc):
    """Each translation in the form the program prints it, with the
    class its English original proves."""
    out = ["# Generated by scripts/gen_explain_i18n.py; do not edit.",
           "# Translated messages rendered from Debian's catalogues with real",
           "# values. Record: '=== CLASS LANG KEY', then the message.", ""]
    pgmsg = dict(PG_KEYS)
    pqmsg = dict(PQ_KEYS)
    libcmsg = dict(LIBC_KEYS)
    v = VALUES
    server = {
        "pg_password": (v["user"],), "pg_db_missing": (v["db"],),
        "pg_role_missing": (v["user"],),
        "pg_hba": (v["host"], v["user"], v["db"], "SSL encryption"),
        "pg_hba_rejects": (v["host"], v["user"], v["db"], "SSL encryption"),
        "pg_peer": (v["user"],), "pg_ident": (v["user"],),
        "pg_pam": (v["user"],), "pg_ldap": (v["user"],),
        "pg_radius": (v["user"],), "pg_bsd": (v["user"],),
        "pg_cert": (v["user"],), "pg_gssapi": (v["user"],),
        "pg_sspi": (v["user"],), "pg_bad_method": (v["user"],),
        "pg_host_rejected": (v["user"],),
        "pg_ldap_login": (v["user"], "ldap.example.com", "Invalid credentials"),
        "pg_no_usermap": ("omicron", v["user"], "bob"),
        "pg_name_mismatch": (v["user"], "bob"), "pg_auth_timeout": (),
        "pg_walsender": (), "pg_invalid_db": (v["db"],), "pg_admin_stop": (),
        "pg_crash": (), "pg_idle_session": (), "pg_idle_xact": (),
        "pg_nologin": (v["user"],), "pg_role_limit": (v["user"],),
        "pg_too_many": (), "pg_reserved": (), "pg_starting": (),
        "pg_shutting": (), "pg_recovery": (), "pg_not_accepting": (),
        "pg_not_yet": (), "pg_perm_db": (v["db"],), "pg_client_cert": (),
    }
    for lang in ["en"] + [l for l in pg_langs if not l.startswith("en")]:
        cat = trans.get(("postgres-15", lang), {}) if lang != "en" else {}
        pq = trans.get(("libpq5-15", lang), {}) if lang != "en" else {}
        tr = lambda c, m: c.get(m) or m
        fatal = tr(cat, "FATAL")
        at = fill(tr(pq, pqmsg["pq_at_host_addr"]), "localhost", v["host"], "5432")
        for key, args in server.items():
            msg = fill(tr(cat, pgmsg[key]), *args)
            out.append(f"=== {EXPECT[key]} {lang} {key}")
            out.append(f"{at}{fatal}:  {msg}")
        # a server log: the FATAL line, then the DETAIL that decides
        failed = fill(tr(cat, pgmsg["pg_password"]), v["user"])
        detail = tr(cat, "DETAIL")
        for key in ("pg_expired", "pg_no_password", "pg_no_scram",
                    "pg_no_md5", "pg_pw_mismatch"):
            msg = fill(tr(cat, pgmsg[key]), v["user"])
            out.append(f"=== {EXPECT[key]} {lang} {key}")
            out.append(f"{fatal}:  {failed}\n{detail}:  {msg}")
    for lang in ["en"] + [l for l in pq_langs if not l.startswith("en")]:
        pq = trans.get(("libpq5-15", lang), {}) if lang != "en" else {}
        lc = trans.get(("libc", lang), {}) if lang != "en" else {}
        tr = lambda c, m: c.get(m) or m
        sock = fill(tr(pq, pqmsg["pq_on_socket"]), v["sock"])
        at = fill(tr(pq, pqmsg["pq_at_host_addr"]), "localhost", v["host"], "5432")
        recs = [
            ("pq_socket_enoent", sock + tr(lc, libcmsg["libc_enoent"]) + "\n" +
             tr(pq, pqmsg["pq_running_socket"]).rstrip("\n")),
            ("pq_tcp_refused", at + tr(lc, libcmsg["libc_refused"]) + "\n" +
             tr(pq, pqmsg["pq_running_host"]).rstrip("\n")),
            ("pq_tcp_timeout", at + tr(pq, pqmsg["pq_timeout"]).rstrip("\n")),
            ("pq_dns", fill(tr(pq, pqmsg["pq_dns"]), "db.example",
                            tr(lc, libcmsg["libc_noname"])).rstrip("\n")),
            ("pq_nossl", at + tr(pq, pqmsg["pq_nossl"]).rstrip("\n")),
            ("pq_nopw", at + tr(pq, pqmsg["pq_nopw"]).rstrip("\n")),
        ]
        for key, msg in recs:
            out.append(f"=== {EXPECT[key]} {lang} {key}")
            out.append(msg)
    myargs = {
        "my_1045": ("app", "localhost", "YES"),
        "my_1044": ("app", "localhost", "appdb"),
        "my_1049": ("appdb",), "my_1698": ("app", "localhost"),
        "my_1130": ("10.0.0.7",), "my_1040": (),
        "my_1129": ("10.0.0.7",),
    }
    for key, name, code in MY_KEYS:
        state = my.get(name, {}).get("state", "HY000")
        for mylang, text in sorted(my.get(name, {}).items()):
            lang = "en" if mylang == "eng" else MY_LANGS.get(mylang)
            if not lang:
                continue
            # the text alone (a log that dropped the code), then with it
            msg = fill(text, *myargs[key])
            out.append(f"=== {EXPECT[key]} {lang} {key}")
            out.append(msg)
            out.append(f"=== {EXPECT[key]} {lang} {key}")
            out.append(f"ERROR {code} ({state}): {msg}")
    jdbc_args = {"jdbc_refused": ("db.example:5432",), "jdbc_auth_type": ("10",)}
    for lang, table in [("en", {})] + sorted(jdbc.items()):
        for key, msgid in JDBC_KEYS:
            msgstr = table.get(msgid, msgid if lang == "en" else None)
            if not msgstr or (lang != "en" and msgstr == msgid):
                continue
            msg = fill(mf_printf(msgstr), *jdbc_args.get(key, ()))
            out.append(f"=== {EXPECT[key]} {lang} {key}")
            out.append("org.postgresql.util.PSQLException: " + msg)
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
