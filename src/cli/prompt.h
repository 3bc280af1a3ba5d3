/* -W: asking for a password on the terminal. */
#ifndef DBLOOP_PROMPT_H
#define DBLOOP_PROMPT_H

#include <stddef.h>

/* Writes prompt to /dev/tty and reads one line from it with echo off.
 * *out is a new string the caller wipes (dbl_secure_zero) and frees.
 * 0; -DBL_EUSAGE with err filled when there is no terminal; -DBL_ECANCELED
 * when a signal interrupted the read. */
int dbl_prompt_password(const char *prompt, char **out, char *err,
			size_t errlen);

#endif
