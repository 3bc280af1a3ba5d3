/* php.ini's default socket settings (phpini.h). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dbloop/common.h"
#include "discover/phpini.h"
#include "util/textfile.h"

int dbl_phpini_scan(char *text, const char *key, const char **value)
{
	char *cur = text, *line;
	int n = 0, found = 0;
	size_t klen = strlen(key);
	while ((line = dbl_textfile_next_line(&cur))) {
		n++;
		char *t = dbl_trim(line);
		if (strncmp(t, key, klen) != 0)
			continue;
		char *rest = dbl_trim(t + klen);
		if (*rest != '=')
			continue;
		char *v = dbl_trim(rest + 1);
		char *semi = strchr(v, ';');
		if (semi && v[0] != '"')
			*semi = '\0';
		v = dbl_trim(v);
		size_t len = strlen(v);
		if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
			v[len - 1] = '\0';
			v++;
		}
		*value = v;
		found = n;
	}
	return found;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The SAPIs whose php.ini an app may run under, in the order dbloop picks
 * one: a web app is served by PHP-FPM or Apache's mod_php, whose php.ini
 * Debian keeps apart from the CLI's. */
static const struct {
	const char *dir, *name;
} sapis[] = {
	{"fpm", "PHP-FPM"},
	{"apache2", "Apache mod_php"},
	{"cli", "the CLI"},
};
#define N_SAPIS (sizeof(sapis) / sizeof(sapis[0]))
#define SAPI_CLI (N_SAPIS - 1)

/* The highest /etc/php/<version>/<sapi> under root that exists; NULL when
 * none does. */
static char *sapi_dir(const char *root, const char *sapi)
{
	char *base = dbl_rooted_path(root, "/etc/php");
	DIR *d = base ? opendir(base) : NULL;
	char best[64] = "";
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9' ||
		    strlen(e->d_name) >= sizeof(best))
			continue;
		if (best[0] && strverscmp(e->d_name, best) <= 0)
			continue;
		char *dir = dbl_asprintf("%s/%s/%s", base, e->d_name, sapi);
		struct stat st;
		if (dir && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
			dbl_strlcpy(best, e->d_name, sizeof(best));
		free(dir);
	}
	if (d)
		closedir(d);
	char *dir = best[0] && base ? dbl_asprintf("%s/%s/%s", base, best, sapi)
				    : NULL;
	free(base);
	return dir;
}

static int consider(const char *path, const char *key, char **value,
		    char **source, bool *seen)
{
	char *text = NULL;
	if (dbl_textfile_read(path, NULL, &text, NULL) < 0)
		return 0;
	*seen = true;
	const char *v = NULL;
	int line = dbl_phpini_scan(text, key, &v);
	int rc = 0;
	if (line && *v) {
		rc = dbl_set_str(value, v);
		free(*source);
		*source = dbl_asprintf("%s line %d", path, line);
	} else if (line && !*value) {
		free(*source);
		*source = dbl_asprintf("%s line %d is empty: PHP's compiled-in "
				       "default",
				       path, line);
	}
	free(text);
	return rc < 0 || (line && !*source) ? -DBL_ENOMEM : 0;
}

/* The lookup in one SAPI's directory: php.ini, then conf.d/\*.ini. */
static int lookup_dir(const char *dir, const char *key, char **value,
		      char **source)
{
	bool seen = false;
	char *ini = dbl_asprintf("%s/php.ini", dir);
	char *confd = dbl_asprintf("%s/conf.d", dir);
	int rc = ini && confd ? consider(ini, key, value, source, &seen)
			      : -DBL_ENOMEM;
	DIR *d = rc == 0 ? opendir(confd) : NULL;
	char *names[256];
	size_t n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) && n < 256) {
		size_t len = strlen(e->d_name);
		if (len > 4 && strcmp(e->d_name + len - 4, ".ini") == 0 &&
		    (names[n] = dbl_asprintf("%s/%s", confd, e->d_name)))
			n++;
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	for (size_t i = 0; i < n; i++) {
		if (rc == 0)
			rc = consider(names[i], key, value, source, &seen);
		free(names[i]);
	}
	if (rc == 0 && seen && !*source)
		*source = dbl_asprintf("%s and %s/*.ini do not set %s", ini,
				       confd, key);
	free(ini);
	free(confd);
	return rc;
}

/* What the CLI's php.ini says beside the served SAPI's, for the reader:
 * the CLI (php scripts, artisan, wp-cli) may take another socket. */
static char *with_cli(const char *root, const char *key, const char *sapi,
		      const char *value, const char *source)
{
	char *cdir = sapi_dir(root, "cli");
	char *cv = NULL, *cs = NULL;
	if (cdir && lookup_dir(cdir, key, &cv, &cs) < 0) {
		free(cdir);
		return NULL;
	}
	bool same = (!cv && !value) || (cv && value && !strcmp(cv, value));
	const char *served = "the SAPI that serves a web app";
	char *out =
		!cdir  ? dbl_asprintf("%s (%s's php.ini, %s; no CLI php.ini)",
				      source, sapi, served)
		: same ? dbl_asprintf("%s (%s's php.ini, %s; the CLI's, which "
				      "php scripts use, agrees: %s)",
				      source, sapi, served, cs ? cs : cdir)
		       : dbl_asprintf("%s (%s's php.ini, %s; the CLI's, which "
				      "php scripts use, differs: %s%s%s)",
				      source, sapi, served, cv ? cv : "",
				      cv ? " from " : "", cs ? cs : cdir);
	free(cdir);
	free(cv);
	free(cs);
	return out;
}

int dbl_phpini_lookup(const char *root, const char *key, char **value,
		      char **source)
{
	*value = *source = NULL;
	char *dir = NULL;
	size_t k = 0;
	for (; k < N_SAPIS && !dir; k++)
		dir = sapi_dir(root, sapis[k].dir);
	if (!dir)
		return 0;
	k--;
	int rc = lookup_dir(dir, key, value, source);
	free(dir);
	if (rc == 0 && k == SAPI_CLI && *source) {
		char *s = dbl_asprintf("%s (the CLI's php.ini; no PHP-FPM or "
				       "Apache mod_php php.ini)",
				       *source);
		if (!s)
			rc = -DBL_ENOMEM;
		free(*source);
		*source = s;
	} else if (rc == 0 && *source) {
		char *s = with_cli(root, key, sapis[k].name, *value, *source);
		if (!s)
			rc = -DBL_ENOMEM;
		free(*source);
		*source = s;
	}
	return rc;
}
