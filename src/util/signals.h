/* SIGINT/SIGTERM: a cancel flag the probes poll and a wake-up for sleeps,
 * so Ctrl-C ends a run within a poll interval, never mid-write. */
#ifndef DBLOOP_SIGNALS_H
#define DBLOOP_SIGNALS_H

#include <signal.h>

/* The signal that asked us to stop (SIGINT, SIGTERM), 0 while running.
 * The probe context takes it as `const volatile int *`. */
extern volatile sig_atomic_t dbl_cancel;

/* Installs the handlers (no SA_RESTART, so blocking calls return EINTR)
 * and the self-pipe that wakes dbl_signals_sleep_ms. 0, or -DBL_EINTERNAL
 * when the pipe cannot be made. Idempotent. */
int dbl_signals_install(void);

/* Restores the default dispositions and closes the pipe (before exec). */
void dbl_signals_restore(void);

/* Sleeps ms milliseconds or until a signal arrives. Returns 1 when the run
 * was cancelled (before or during the sleep), 0 otherwise. */
int dbl_signals_sleep_ms(int ms);

/* The exit status a shell reports for the signal: 130 for SIGINT, 143 for
 * SIGTERM; 0 when not cancelled. */
int dbl_signals_exit_code(void);

#endif
