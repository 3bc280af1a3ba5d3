/* The HMAC-SHA-256 keying of libpq's SCRAM login, made cheap.
 *
 * libpq 15 computes SCRAM-SHA-256's SaltedPassword (PBKDF2, 4096 rounds
 * by default) with one HMAC_Init_ex(ctx, password, len, EVP_sha256(),
 * NULL) per round. Under OpenSSL 3, EVP_sha256() is a legacy digest
 * without a provider, so every such call fetches the provider's SHA-256
 * again, three times (a locked method-store lookup by name): 5 of the
 * 8 ms of client CPU a login costs, and the three PostgreSQL logins of a
 * diagnosis run at once on few cores.
 *
 * The dbloop executable exports its own HMAC_Init_ex (CMakeLists.txt:
 * --export-dynamic-symbol). The dynamic linker looks in the main program
 * first, also for a library dlopen()ed RTLD_LOCAL, so libpq (and libssl)
 * call this one. It hands libcrypto's HMAC_Init_ex the same digest
 * fetched once from the same library context and default properties
 * (what the implicit fetch finds), and changes nothing else: the key, the
 * rounds and libpq's SCRAM exchange are libpq's and libcrypto's. The real
 * functions come from the first client library loaded (dlsym on its
 * handle searches its own dependencies, so never this executable); an
 * OpenSSL without EVP_MD_fetch (1.1) gets every call unchanged.
 * -DDBLOOP_HMAC_SHIM=OFF builds without it. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "util/hmac_shim.h"

#ifdef DBLOOP_HMAC_SHIM

typedef int hmac_init_fn(void *ctx, const void *key, int len, const void *md,
			 void *impl);
typedef const void *evp_md_fn(void);
typedef void *evp_md_fetch_fn(void *libctx, const char *name,
			      const char *props);

static pthread_mutex_t bind_lock = PTHREAD_MUTEX_INITIALIZER;
static hmac_init_fn *real_init;
static evp_md_fn *real_sha256;
static evp_md_fetch_fn *real_fetch;

static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;
static const void *legacy_sha256;  /* EVP_sha256() */
static const void *fetched_sha256; /* EVP_MD_fetch(NULL, "SHA256", NULL) */
/* libcrypto calls HMAC_Init_ex itself (its HMAC provider, through the
 * PLT): one such call from inside the fetch must not wait for the fetch. */
static _Thread_local bool fetching;

/* dlsym's object pointer into a function pointer (ISO C has no cast). */
static void sym(void *h, const char *name, void *slot)
{
	void *p = dlsym(h, name);
	memcpy(slot, &p, sizeof(p));
}

void dbl_hmac_shim_bind(void *handle)
{
	pthread_mutex_lock(&bind_lock);
	if (!real_init) {
		hmac_init_fn *init = NULL;
		sym(handle, "HMAC_Init_ex", &init);
		if (init) {
			sym(handle, "EVP_sha256", &real_sha256);
			sym(handle, "EVP_MD_fetch", &real_fetch);
			real_init = init;
		}
	}
	pthread_mutex_unlock(&bind_lock);
}

static void fetch_sha256(void)
{
	fetching = true;
	if (real_sha256 && real_fetch) {
		legacy_sha256 = real_sha256();
		fetched_sha256 = real_fetch(NULL, "SHA256", NULL);
	}
	fetching = false;
}

/* OpenSSL's prototype, with its types left opaque: dbloop does not build
 * against OpenSSL's headers. */
int HMAC_Init_ex(void *ctx, const void *key, int len, const void *md,
		 void *impl);

int HMAC_Init_ex(void *ctx, const void *key, int len, const void *md,
		 void *impl)
{
	if (!fetching)
		pthread_once(&fetch_once, fetch_sha256);
	if (!real_init)
		return 0; /* OpenSSL's failure value; cannot happen (above) */
	if (!fetching && md && md == legacy_sha256 && fetched_sha256 && !impl)
		md = fetched_sha256;
	return real_init(ctx, key, len, md, impl);
}

#else

void dbl_hmac_shim_bind(void *handle)
{
	(void)handle;
}

#endif
