/* libpq's SCRAM without a digest fetch per HMAC round (hmac_shim.c). */
#ifndef DBLOOP_UTIL_HMAC_SHIM_H
#define DBLOOP_UTIL_HMAC_SHIM_H

/* Takes libcrypto's HMAC_Init_ex, EVP_sha256 and EVP_MD_fetch from the
 * dependencies of a client library just dlopen()ed (the first call that
 * finds them wins). A no-op when built without the shim. */
void dbl_hmac_shim_bind(void *handle);

#endif
