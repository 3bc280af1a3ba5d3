/* dlopen of libpq and libmariadb on first use (dbloop/clientlib.h). */
#define DBL_CLIENTLIB_IMPL 1
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "dbloop/common.h"
#include "dbloop/util.h"

#ifdef DBLOOP_WITH_LIBPQ
#include <libpq-fe.h>
#include <pg_config.h>
#endif
#ifdef DBLOOP_WITH_MARIADB
#include <mariadb_version.h>
#include <mysql.h>
#endif

#include "dbloop/clientlib.h"
#include "util/hmac_shim.h"

#ifndef DBLOOP_LIBPQ_SONAME
#define DBLOOP_LIBPQ_SONAME "libpq.so.5"
#endif
#ifndef DBLOOP_MARIADB_SONAME
#define DBLOOP_MARIADB_SONAME "libmariadb.so.3"
#endif

struct sym {
	const char *name;
	void *slot; /* a function pointer variable */
};

struct lib {
	const char *soname;
	const struct sym *syms;
	bool is_libpq;
	pthread_once_t once;
	int rc;
	char why[256];
};

/* RTLD_NOW: a missing symbol shows here, not in a probe thread. */
static void load(struct lib *l)
{
	void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(l->why, sizeof(l->why), "cannot load '%s': %s",
			 l->soname, e ? e : "unknown error");
		l->rc = -DBL_EINTERNAL;
		return;
	}
	for (const struct sym *s = l->syms; s->name; s++) {
		void *p = dlsym(h, s->name);
		if (!p) {
			snprintf(l->why, sizeof(l->why),
				 "'%s' has no symbol '%s'", l->soname, s->name);
			l->rc = -DBL_EINTERNAL;
			return;
		}
		/* ISO C has no object-to-function pointer cast: copy it. */
		memcpy(s->slot, &p, sizeof(p));
	}
	dbl_hmac_shim_bind(h, l->is_libpq);
	l->rc = 0;
}

static int outcome(struct lib *l, char *err, size_t errlen)
{
	if (l->rc < 0 && err && errlen)
		dbl_strlcpy(err, l->why, errlen);
	return l->rc;
}

#define DBL_CLIENTLIB_DEFINE(f) __typeof__(f) *dbl_sym_##f;
#define DBL_CLIENTLIB_ENTRY(f) {#f, &dbl_sym_##f},

#ifdef DBLOOP_WITH_LIBPQ
DBL_PQ_FUNCS(DBL_CLIENTLIB_DEFINE)
static const struct sym pq_syms[] = {DBL_PQ_FUNCS(DBL_CLIENTLIB_ENTRY){0}};
static struct lib pq = {DBLOOP_LIBPQ_SONAME, pq_syms, true,
			PTHREAD_ONCE_INIT,   0,	      ""};
static void load_pq(void)
{
	load(&pq);
}
#endif

#ifdef DBLOOP_WITH_MARIADB
DBL_MY_FUNCS(DBL_CLIENTLIB_DEFINE)
static const struct sym my_syms[] = {DBL_MY_FUNCS(DBL_CLIENTLIB_ENTRY){0}};
static struct lib my = {DBLOOP_MARIADB_SONAME, my_syms, false,
			PTHREAD_ONCE_INIT,     0,	""};
static void load_my(void)
{
	load(&my);
}
#endif

int dbl_libpq_load(char *err, size_t errlen)
{
#ifdef DBLOOP_WITH_LIBPQ
	pthread_once(&pq.once, load_pq);
	return outcome(&pq, err, errlen);
#else
	if (err && errlen)
		dbl_strlcpy(err, "built without libpq", errlen);
	return -DBL_EINTERNAL;
#endif
}

int dbl_libmariadb_load(char *err, size_t errlen)
{
#ifdef DBLOOP_WITH_MARIADB
	pthread_once(&my.once, load_my);
	return outcome(&my, err, errlen);
#else
	if (err && errlen)
		dbl_strlcpy(err, "built without libmariadb", errlen);
	return -DBL_EINTERNAL;
#endif
}

const char *dbl_libpq_built_version(void)
{
#ifdef DBLOOP_WITH_LIBPQ
	static char v[16];
	if (!v[0])
		snprintf(v, sizeof(v), "%d.%d", PG_VERSION_NUM / 10000,
			 PG_VERSION_NUM % 10000);
	return v;
#else
	return NULL;
#endif
}

const char *dbl_libmariadb_built_version(void)
{
#ifdef DBLOOP_WITH_MARIADB
	return MARIADB_PACKAGE_VERSION;
#else
	return NULL;
#endif
}
