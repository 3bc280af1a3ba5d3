/* The fix writers' interface: what to change on this machine for one
 * finding, from the view of its target the classifier built. */
#ifndef DBLOOP_FIXES_H
#define DBLOOP_FIXES_H

#include "classify/view.h"

/* Writes fd->fix and fd->commands for this machine from the facts in d.
 * 0 or -DBL_ENOMEM. */
int dbl_fix_fill(struct dbl_finding *fd, const struct dbl_diag *d);

#endif
