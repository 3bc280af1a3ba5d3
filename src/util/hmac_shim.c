/* The HMAC-SHA-256 keying of libpq's SCRAM login, made cheap.
 *
 * libpq 15 computes SCRAM-SHA-256's SaltedPassword (PBKDF2, 4096 rounds
 * by default) with one HMAC_Init_ex(ctx, password, len, EVP_sha256(),
 * NULL) per round, on one context. Under OpenSSL 3 each call costs
 * twice: EVP_sha256() is a legacy digest without a provider, so the
 * call fetches the provider's SHA-256 again, three times (a locked
 * method-store lookup by name); and it keys the context anew, two more
 * SHA-256 blocks and two context set-ups, for the key it already holds.
 * That was 6 of the 8 ms of client CPU a login costs, and a diagnosis
 * runs three PostgreSQL logins at once on few cores.
 *
 * The dbloop executable exports its own HMAC_Init_ex (CMakeLists.txt:
 * --export-dynamic-symbol). The dynamic linker looks in the main program
 * first, also for a library dlopen()ed RTLD_LOCAL, so libpq (and libssl,
 * and libcrypto itself) call this one, which calls libcrypto's with
 *  - the SHA-256 digest fetched once from the same library context and
 *    default properties (what the implicit fetch finds) in place of the
 *    legacy EVP_sha256();
 *  - for a call from libpq's own code that gives the context the key and
 *    digest it was last given by this thread, with that digest still set,
 *    no key: OpenSSL's documented "reuse the existing key" form
 *    (HMAC_Init_ex(3)), which restarts from the stored inner/outer pads.
 *    Only libpq's calls: libpq keys a context it made itself with
 *    HMAC_Init_ex before any reuse and never copies one into another, so
 *    the context cannot hold another key than the one recorded here.
 * The bytes hashed, the key, the rounds and libpq's SCRAM exchange are
 * libpq's and libcrypto's. The real functions come from the first client
 * library loaded (dlsym on its handle searches its own dependencies, so
 * never this executable); an OpenSSL without EVP_MD_fetch (1.1) gets
 * every call unchanged. -DDBLOOP_HMAC_SHIM=OFF builds without it. */
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "dbloop/util.h"
#include "util/hmac_shim.h"

#ifdef DBLOOP_HMAC_SHIM

typedef int hmac_init_fn(void *ctx, const void *key, int len, const void *md,
			 void *impl);
typedef const void *hmac_get_md_fn(const void *ctx);
typedef const void *evp_md_fn(void);
typedef void *evp_md_fetch_fn(void *libctx, const char *name,
			      const char *props);

static pthread_mutex_t bind_lock = PTHREAD_MUTEX_INITIALIZER;
static hmac_init_fn *real_init;
static hmac_get_md_fn *real_get_md;
static evp_md_fn *real_sha256;
static evp_md_fetch_fn *real_fetch;
/* libpq's code: [pq_lo, pq_hi) */
static uintptr_t pq_lo, pq_hi;

static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;
static const void *legacy_sha256;  /* EVP_sha256() */
static const void *fetched_sha256; /* EVP_MD_fetch(NULL, "SHA256", NULL) */
/* libcrypto calls HMAC_Init_ex itself (its HMAC provider, through the
 * PLT): one such call from inside the fetch must not wait for the fetch. */
static _Thread_local bool fetching;

/* The key this thread last gave a context of libpq's, wiped when the
 * thread ends (a pthread key's destructor) or another key replaces it. */
#define KEY_MAX 1024
struct last_key {
	const void *ctx, *md;
	int len;
	unsigned char key[KEY_MAX];
};
static _Thread_local struct last_key last;
static pthread_key_t wipe_at_exit;
static bool have_wipe_key;

/* dlsym's object pointer into a function pointer (ISO C has no cast). */
static void sym(void *h, const char *name, void *slot)
{
	void *p = dlsym(h, name);
	memcpy(slot, &p, sizeof(p));
}

struct find_text {
	uintptr_t base, lo, hi;
};

/* The executable segments of the object loaded at f->base. */
static int text_of(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct find_text *f = arg;
	(void)size;
	if (info->dlpi_addr != f->base)
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
		if (!f->lo || lo < f->lo)
			f->lo = lo;
		if (lo + ph->p_memsz > f->hi)
			f->hi = lo + ph->p_memsz;
	}
	return 1;
}

static void find_libpq_text(void *handle)
{
	struct link_map *lm = NULL;
	if (dlinfo(handle, RTLD_DI_LINKMAP, &lm) != 0 || !lm)
		return;
	struct find_text f = {.base = lm->l_addr};
	dl_iterate_phdr(text_of, &f);
	pq_lo = f.lo;
	pq_hi = f.hi;
}

void dbl_hmac_shim_bind(void *handle, bool is_libpq)
{
	pthread_mutex_lock(&bind_lock);
	if (!real_init) {
		hmac_init_fn *init = NULL;
		sym(handle, "HMAC_Init_ex", &init);
		if (init) {
			sym(handle, "HMAC_CTX_get_md", &real_get_md);
			sym(handle, "EVP_sha256", &real_sha256);
			sym(handle, "EVP_MD_fetch", &real_fetch);
			real_init = init;
		}
	}
	if (is_libpq && !pq_hi)
		find_libpq_text(handle);
	pthread_mutex_unlock(&bind_lock);
}

static void wipe(void *p)
{
	dbl_secure_zero(p, sizeof(struct last_key));
}

static void fetch_sha256(void)
{
	fetching = true;
	if (real_sha256 && real_fetch) {
		legacy_sha256 = real_sha256();
		fetched_sha256 = real_fetch(NULL, "SHA256", NULL);
	}
	have_wipe_key = pthread_key_create(&wipe_at_exit, wipe) == 0;
	fetching = false;
}

static bool from_libpq(const void *caller)
{
	uintptr_t a = (uintptr_t)caller;
	return a >= pq_lo && a < pq_hi;
}

static void remember(void *ctx, const void *key, int len, const void *md)
{
	if (!have_wipe_key)
		return; /* nothing kept that could not be wiped */
	dbl_secure_zero(&last, sizeof(last));
	if (pthread_setspecific(wipe_at_exit, &last) != 0)
		return;
	last.ctx = ctx;
	last.md = md;
	last.len = len;
	memcpy(last.key, key, (size_t)len);
}

/* OpenSSL's prototype, with its types left opaque: dbloop does not build
 * against OpenSSL's headers. */
int HMAC_Init_ex(void *ctx, const void *key, int len, const void *md,
		 void *impl);

int HMAC_Init_ex(void *ctx, const void *key, int len, const void *md,
		 void *impl)
{
	const void *caller = __builtin_return_address(0);

	if (fetching || !real_init)
		return real_init ? real_init(ctx, key, len, md, impl) : 0;
	pthread_once(&fetch_once, fetch_sha256);
	if (md && md == legacy_sha256 && fetched_sha256 && !impl)
		md = fetched_sha256;
	if (!key || !md || impl || len < 0 || len > KEY_MAX || !real_get_md ||
	    !from_libpq(caller))
		return real_init(ctx, key, len, md, impl);
	if (last.ctx == ctx && last.md == md && last.len == len &&
	    memcmp(last.key, key, (size_t)len) == 0 && real_get_md(ctx) == md)
		return real_init(ctx, NULL, 0, NULL, NULL);
	int rc = real_init(ctx, key, len, md, impl);
	if (rc == 1)
		remember(ctx, key, len, md);
	else
		dbl_secure_zero(&last, sizeof(last));
	return rc;
}

#else

void dbl_hmac_shim_bind(void *handle, bool is_libpq)
{
	(void)handle;
	(void)is_libpq;
}

#endif
