/* libpq's SCRAM without a digest fetch per HMAC round (hmac_shim.c). */
#ifndef DBLOOP_UTIL_HMAC_SHIM_H
#define DBLOOP_UTIL_HMAC_SHIM_H

#include <stdbool.h>

/* Takes libcrypto's functions from the dependencies of a client library
 * just dlopen()ed (the first call that finds them wins) and, for libpq,
 * where libpq's code lies. A no-op when built without the shim. */
void dbl_hmac_shim_bind(void *handle, bool is_libpq);

#endif
