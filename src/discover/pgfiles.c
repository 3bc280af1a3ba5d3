/* .pgpass matching with libpq's rules, and pg_service.conf look-ups. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "discover/pgfiles.h"
#include "util/textfile.h"

int dbl_pgpass_open(struct dbl_pgpass *pp, const char *path,
		    struct dbl_strlist *warnings)
{
	memset(pp, 0, sizeof(*pp));
	struct stat st;
	if (!path || stat(path, &st) < 0)
		return 0;
	pp->path = strdup(path);
	if (!pp->path)
		return -DBL_ENOMEM;
	pp->mode = (int)(st.st_mode & 0777);
	if (!S_ISREG(st.st_mode)) {
		pp->ignored = true;
		return dbl_warn(warnings,
				"password file '%s' is not a plain file, libpq "
				"ignores it",
				path);
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		pp->ignored = true;
		dbl_warn(warnings,
			 "password file '%s' has group or other access "
			 "(mode %04o), libpq ignores it: chmod 600 '%s'",
			 path, pp->mode, path);
	}
	if (dbl_textfile_read(path, warnings, &pp->text, NULL) < 0)
		pp->ignored = true;
	return 0;
}

/* Splits the next ':'-separated field off *p, undoing '\' escapes in
 * place. The last field (the password) takes the rest of the line. */
static char *next_field(char **p, bool last)
{
	char *start = *p, *out = *p, *c = *p;
	if (!c)
		return NULL;
	for (; *c; c++) {
		if (*c == '\\' && c[1]) {
			*out++ = *++c;
			continue;
		}
		if (*c == ':' && !last)
			break;
		*out++ = *c;
	}
	bool more = *c == ':';
	*out = '\0';
	*p = more ? c + 1 : NULL;
	return start;
}

static bool field_matches(const char *field, const char *want)
{
	return strcmp(field, "*") == 0 || (want && strcmp(field, want) == 0);
}

static bool line_matches(char *line, const char *const want[4], char **password)
{
	char *p = line;
	for (int i = 0; i < 4; i++) {
		char *f = next_field(&p, false);
		if (!f || !p || !field_matches(f, want[i]))
			return false;
	}
	char *pw = next_field(&p, true);
	if (password && pw) {
		*password = strdup(pw);
		dbl_secure_zero(pw, strlen(pw));
	}
	return true;
}

int dbl_pgpass_match(const struct dbl_pgpass *pp, const char *host,
		     const char *port, const char *database, const char *user,
		     char **password)
{
	if (password)
		*password = NULL;
	if (!pp->text)
		return 0;
	char *copy = strdup(pp->text);
	if (!copy)
		return 0;
	const char *const want[4] = {host, port, database, user};
	char *cursor = copy, *line;
	int lineno = 0, found = 0;
	while (!found && (line = dbl_textfile_next_line(&cursor))) {
		lineno++;
		if (*line == '#' || !*line)
			continue;
		if (line_matches(line, want, password))
			found = lineno;
	}
	dbl_secure_zero(copy, strlen(pp->text));
	free(copy);
	return found;
}

const char *dbl_pgpass_host(enum dbl_transport t, const char *host,
			    const char *socket_dir, const char *default_dir)
{
	switch (t) {
	case DBL_TRANSPORT_UNIX:
		if (!socket_dir || !*socket_dir ||
		    (default_dir && strcmp(socket_dir, default_dir) == 0))
			return "localhost";
		return socket_dir;
	case DBL_TRANSPORT_TCP4:
		return "127.0.0.1";
	case DBL_TRANSPORT_TCP6:
		return "::1";
	case DBL_TRANSPORT_LOCALHOST:
		return "localhost";
	default:
		return host;
	}
}

void dbl_pgpass_release(struct dbl_pgpass *pp)
{
	if (pp->text) {
		dbl_secure_zero(pp->text, strlen(pp->text));
		free(pp->text);
	}
	free(pp->path);
	memset(pp, 0, sizeof(*pp));
}

static int service_add(struct dbl_pgservice *s, const char *key,
		       const char *value, const char *path, int lineno)
{
	struct dbl_pgservice_kv *items =
		realloc(s->items, (s->n + 1) * sizeof(*items));
	if (!items)
		return -DBL_ENOMEM;
	s->items = items;
	struct dbl_pgservice_kv *kv = &items[s->n++];
	kv->key = strdup(key);
	kv->value = strdup(value);
	kv->source = dbl_asprintf("%s line %d", path, lineno);
	return kv->key && kv->value && kv->source ? 0 : -DBL_ENOMEM;
}

/* Walks the file; inside the wanted section, records key=value lines. */
static int service_scan(char *text, const char *path, const char *service,
			struct dbl_pgservice *out, struct dbl_strlist *w,
			bool *found)
{
	char *cursor = text, *line;
	int lineno = 0, rc = 0;
	bool in = false;
	while (rc == 0 && (line = dbl_textfile_next_line(&cursor))) {
		lineno++;
		line = dbl_trim(line);
		if (!*line || *line == '#')
			continue;
		if (*line == '[') {
			char *close = strchr(line, ']');
			if (close)
				*close = '\0';
			if (in)
				break; /* libpq stops at the next section */
			in = close && strcmp(line + 1, service) == 0;
			*found = *found || in;
			continue;
		}
		if (!in)
			continue;
		char *eq = strchr(line, '=');
		if (!eq) {
			dbl_warn(w, "%s line %d: syntax error in service file",
				 path, lineno);
			continue;
		}
		*eq = '\0';
		rc = service_add(out, dbl_trim(line), dbl_trim(eq + 1), path,
				 lineno);
	}
	return rc;
}

int dbl_pgservice_find(const char *path, const char *service,
		       struct dbl_pgservice *out, struct dbl_strlist *warnings)
{
	memset(out, 0, sizeof(*out));
	char *text = NULL;
	if (!path || !service ||
	    dbl_textfile_read(path, warnings, &text, NULL) < 0)
		return 0;
	bool found = false;
	int rc = service_scan(text, path, service, out, warnings, &found);
	dbl_secure_zero(text, strlen(text)); /* may hold a password= */
	free(text);
	if (rc < 0)
		return rc;
	return found ? 1 : 0;
}

const char *dbl_pgservice_get(const struct dbl_pgservice *s, const char *key,
			      const char **source)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->items[i].key, key) == 0) {
			if (source)
				*source = s->items[i].source;
			return s->items[i].value;
		}
	return NULL;
}

void dbl_pgservice_release(struct dbl_pgservice *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->items[i].key);
		if (s->items[i].value) {
			dbl_secure_zero(s->items[i].value,
					strlen(s->items[i].value));
			free(s->items[i].value);
		}
		free(s->items[i].source);
	}
	free(s->items);
	memset(s, 0, sizeof(*s));
}
