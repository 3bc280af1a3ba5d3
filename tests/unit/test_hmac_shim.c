/* The HMAC_Init_ex that libpq's SCRAM binds to (src/util/hmac_shim.c):
 * what it computes is libcrypto's HMAC-SHA-256, for the RFC 4231 vectors
 * and for SCRAM's PBKDF2 driven round by round as libpq drives it. Here
 * the caller is not libpq, so the key re-use path is not taken; the lab's
 * SCRAM logins (integration tests) take it. */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dbloop/clientlib.h"

#ifdef DBLOOP_HMAC_SHIM

int HMAC_Init_ex(void *ctx, const void *key, int len, const void *md,
		 void *impl);

static struct {
	void *(*ctx_new)(void);
	void (*ctx_free)(void *);
	int (*update)(void *, const unsigned char *, size_t);
	int (*final)(void *, unsigned char *, unsigned int *);
	const void *(*sha256)(void);
	int (*pbkdf2)(const char *, int, const unsigned char *, int, int,
		      const void *, int, unsigned char *);
} c;

static void sym(void *h, const char *name, void *slot)
{
	void *p = dlsym(h, name);
	memcpy(slot, &p, sizeof(p));
}

/* libpq loaded (which binds the shim), then libcrypto's own functions. */
static int setup(void **state)
{
	(void)state;
	if (dbl_libpq_load(NULL, 0) < 0)
		return 0;
	void *h = dlopen("libcrypto.so.3", RTLD_NOLOAD | RTLD_LAZY);
	if (!h)
		return 0;
	sym(h, "HMAC_CTX_new", &c.ctx_new);
	sym(h, "HMAC_CTX_free", &c.ctx_free);
	sym(h, "HMAC_Update", &c.update);
	sym(h, "HMAC_Final", &c.final);
	sym(h, "EVP_sha256", &c.sha256);
	sym(h, "PKCS5_PBKDF2_HMAC", &c.pbkdf2);
	return 0;
}

static void need_libcrypto(void)
{
	if (!c.ctx_new || !c.ctx_free || !c.update || !c.final || !c.sha256 ||
	    !c.pbkdf2)
		skip();
}

static void mac(void *ctx, const void *key, int klen, const char *data,
		unsigned char out[32])
{
	unsigned int n = 0;
	assert_int_equal(
		HMAC_Init_ex(ctx, key, klen, key ? c.sha256() : NULL, NULL), 1);
	assert_int_equal(
		c.update(ctx, (const unsigned char *)data, strlen(data)), 1);
	assert_int_equal(c.final(ctx, out, &n), 1);
	assert_int_equal(n, 32);
}

static void hex(const unsigned char *b, char *out)
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* RFC 4231 test cases 2 and 6 (a key longer than the block), and the
 * key kept across a re-init with no key. */
static void rfc4231(void **state)
{
	(void)state;
	need_libcrypto();
	unsigned char key6[131], out[32];
	char got[65];
	memset(key6, 0xaa, sizeof(key6));
	void *ctx = c.ctx_new();
	assert_non_null(ctx);
	mac(ctx, "Jefe", 4, "what do ya want for nothing?", out);
	hex(out, got);
	assert_string_equal(got, "5bdcc146bf60754e6a042426089575c75a003f089d27"
				 "39839dec58b964ec3843");
	mac(ctx, NULL, 0, "what do ya want for nothing?", out);
	hex(out, got);
	assert_string_equal(got, "5bdcc146bf60754e6a042426089575c75a003f089d27"
				 "39839dec58b964ec3843");
	mac(ctx, key6, (int)sizeof(key6),
	    "Test Using Larger Than Block-Size Key - Hash Key First", out);
	hex(out, got);
	assert_string_equal(got, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728"
				 "c5140546040f0ee37f54");
	c.ctx_free(ctx);
}

/* SaltedPassword as libpq 15 computes it (one keyed init per round, one
 * context) equals libcrypto's PKCS5_PBKDF2_HMAC. */
static void pbkdf2_rounds(void **state)
{
	(void)state;
	need_libcrypto();
	static const char pw[] = "benchpw";
	static const unsigned char salt[16] = "0123456789abcdef";
	unsigned char u[32], prev[32], result[32], want[32], first[20];
	unsigned int n = 0;
	void *ctx = c.ctx_new();
	assert_non_null(ctx);
	memcpy(first, salt, 16);
	memcpy(first + 16, "\0\0\0\1", 4);
	assert_int_equal(HMAC_Init_ex(ctx, pw, 7, c.sha256(), NULL), 1);
	assert_int_equal(c.update(ctx, first, sizeof(first)), 1);
	assert_int_equal(c.final(ctx, prev, &n), 1);
	memcpy(result, prev, 32);
	for (int i = 2; i <= 4096; i++) {
		assert_int_equal(HMAC_Init_ex(ctx, pw, 7, c.sha256(), NULL), 1);
		assert_int_equal(c.update(ctx, prev, 32), 1);
		assert_int_equal(c.final(ctx, u, &n), 1);
		for (int j = 0; j < 32; j++)
			result[j] ^= u[j];
		memcpy(prev, u, 32);
	}
	c.ctx_free(ctx);
	assert_int_equal(c.pbkdf2(pw, 7, salt, 16, 4096, c.sha256(), 32, want),
			 1);
	assert_memory_equal(result, want, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc4231),
		cmocka_unit_test(pbkdf2_rounds),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}

#else

static void not_built(void **state)
{
	(void)state;
	skip();
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(not_built)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

#endif
