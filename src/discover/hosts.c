/* Lines of /etc/hosts that name localhost, with their line numbers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbloop/common.h"
#include "discover/hosts.h"
#include "util/space.h"
#include "util/textfile.h"

static bool names_localhost(char *fields)
{
	char *save = NULL;
	/* The first field is the address; names follow. */
	char *tok = strtok_r(fields, DBL_SPACE_CHARS, &save);
	if (!tok)
		return false;
	while ((tok = strtok_r(NULL, DBL_SPACE_CHARS, &save)))
		if (strcasecmp(tok, "localhost") == 0)
			return true;
	return false;
}

int dbl_hosts_parse(char *text, const char *name, struct dbl_strlist *out)
{
	char *cursor = text, *line;
	int lineno = 0;
	while ((line = dbl_textfile_next_line(&cursor))) {
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		line = dbl_trim(line);
		if (!*line || strlen(line) > 1024)
			continue;
		char copy[1025];
		dbl_strlcpy(copy, line, sizeof(copy));
		if (!names_localhost(copy))
			continue;
		/* Show the line with runs of blanks folded to one space. */
		struct dbl_buf b = {0};
		char *save = NULL;
		for (char *tok = strtok_r(line, DBL_SPACE_CHARS, &save); tok;
		     tok = strtok_r(NULL, DBL_SPACE_CHARS, &save))
			dbl_buf_printf(&b, "%s%s", b.len ? " " : "", tok);
		int rc = b.oom ? -DBL_ENOMEM
			       : dbl_strlist_pushf(out, "%s line %d: %s", name,
						   lineno, b.data);
		dbl_buf_release(&b);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int dbl_hosts_localhost_lines(const char *path, struct dbl_strlist *out,
			      struct dbl_strlist *warnings)
{
	char *text = NULL;
	int err = 0;
	int rc = dbl_textfile_read(path, warnings, &text, &err);
	if (rc < 0) {
		if (err == ENOENT)
			dbl_warn(warnings, "cannot read '%s': no such file",
				 path);
		return rc;
	}
	rc = dbl_hosts_parse(text, path, out);
	free(text);
	return rc;
}
