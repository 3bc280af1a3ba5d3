/* Names of the shared enums, generated from the X-macro lists. */
#include <errno.h>
#include <string.h>

#include "dbloop/codes.h"
#include "dbloop/common.h"

#define X2(e, n) n,
#define X3(e, n, p) n,

static const char *const engine_names[] = {DBL_ENGINE_MAP(X2)};
static const char *const transport_names[] = {DBL_TRANSPORT_MAP(X2)};
static const char *const stage_names[] = {DBL_STAGE_MAP(X2)};
static const char *const severity_names[] = {DBL_SEVERITY_MAP(X2)};
static const char *const class_names[] = {DBL_CLASS_MAP(X3)};
static const char *const protocol_names[] = {DBL_PROTOCOL_MAP(X2)};
static const char *const ssl_mode_names[] = {DBL_SSL_MODE_MAP(X2)};
#define X(e, n, p) p,
static const bool class_is_pattern[] = {DBL_CLASS_MAP(X)};
#undef X

static const char *name_of(const char *const *names, size_t n, int v)
{
	return v >= 0 && (size_t)v < n ? names[v] : "?";
}

static int parse_name(const char *const *names, size_t n, const char *s,
		      int *out)
{
	for (size_t i = 0; s && i < n; i++) {
		if (strcmp(names[i], s) == 0) {
			*out = (int)i;
			return 0;
		}
	}
	return -DBL_EINVAL;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define DEFINE_NAMES(kind, type, table)                                        \
	const char *dbl_##kind##_name(type v)                                  \
	{                                                                      \
		return name_of(table, COUNT(table), (int)v);                   \
	}                                                                      \
	int dbl_##kind##_parse(const char *s, type *out)                       \
	{                                                                      \
		int v;                                                         \
		if (parse_name(table, COUNT(table), s, &v) < 0)                \
			return -DBL_EINVAL;                                    \
		*out = (type)v;                                                \
		return 0;                                                      \
	}

DEFINE_NAMES(engine, enum dbl_engine, engine_names)
DEFINE_NAMES(transport, enum dbl_transport, transport_names)
DEFINE_NAMES(stage, enum dbl_stage, stage_names)
DEFINE_NAMES(severity, enum dbl_severity, severity_names)
DEFINE_NAMES(class, enum dbl_class, class_names)
DEFINE_NAMES(protocol, enum dbl_protocol, protocol_names)
DEFINE_NAMES(ssl_mode, enum dbl_ssl_mode, ssl_mode_names)

bool dbl_class_is_pattern(enum dbl_class c)
{
	return (int)c >= 0 && (size_t)c < COUNT(class_is_pattern) &&
	       class_is_pattern[c];
}

/* The errno names a connection failure can carry (dbloop/codes.h). */
struct errno_name {
	int value;
	const char *name;
};

#define X(e, text) {e, #e},
static const struct errno_name errno_names[] = {DBL_ERRNO_MAP(X)};
#undef X

const char *dbl_errno_name(int err)
{
	for (size_t i = 0; err != 0 && i < COUNT(errno_names); i++)
		if (errno_names[i].value == err)
			return errno_names[i].name;
	return NULL;
}

int dbl_errno_from_name(const char *name)
{
	for (size_t i = 0; name && i < COUNT(errno_names); i++)
		if (strcmp(errno_names[i].name, name) == 0)
			return errno_names[i].value;
	return 0;
}
