/* The default MySQL socket of PHP's mysqli and PDO_MYSQL from php.ini and
 * its scan directory (the layout `php --ini` prints), read, not run. */
#ifndef DBLOOP_PHPINI_H
#define DBLOOP_PHPINI_H

#include "dbloop/util.h"

/* The value of key ("mysqli.default_socket") for the SAPI that would run
 * the app, under root ("" or NULL: /): PHP-FPM's /etc/php/<highest>/fpm
 * when it exists, else Apache mod_php's apache2/, else the CLI's cli/;
 * there php.ini, then conf.d/\*.ini in name order; the last non-empty
 * assignment wins (PHP ignores an empty one and keeps its compiled-in
 * default). *value is NULL when none sets it; *source names the file and
 * line that decided, or the empty line that was ignored, or NULL when no
 * php.ini exists; for FPM and Apache it also says which SAPI that is and
 * what the CLI's php.ini says (php scripts use that one). Both owned by
 * the caller. 0 or -DBL_ENOMEM. */
int dbl_phpini_lookup(const char *root, const char *key, char **value,
		      char **source);

/* One php.ini text (modified in place): the last assignment of key.
 * Returns its line (0 when none) and points *value into text ("" for an
 * empty one). */
int dbl_phpini_scan(char *text, const char *key, const char **value);

#endif
