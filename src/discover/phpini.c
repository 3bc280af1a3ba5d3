/* php.ini's default socket settings (phpini.h). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The highest /etc/php/<version>/cli under root; NULL when none. */
static char *cli_dir(const char *root)
{
	char *base = dbl_rooted_path(root, "/etc/php");
	DIR *d = base ? opendir(base) : NULL;
	char best[64] = "";
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9' ||
		    strlen(e->d_name) >= sizeof(best))
			continue;
		if (!best[0] || strverscmp(e->d_name, best) > 0)
			dbl_strlcpy(best, e->d_name, sizeof(best));
	}
	if (d)
		closedir(d);
	char *dir =
		best[0] && base ? dbl_asprintf("%s/%s/cli", base, best) : NULL;
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

int dbl_phpini_lookup(const char *root, const char *key, char **value,
		      char **source)
{
	*value = *source = NULL;
	char *dir = cli_dir(root);
	if (!dir)
		return 0;
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
	free(dir);
	return rc;
}
