/* pg_hba.conf rules as the fixes and the 28000 split need them: which
 * rule a client would meet, for any user when none is known (with a user,
 * discovery's evaluator, dbl_hba_match, decides). */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include "classify/view.h"

static bool addr_prefix_match(const unsigned char *a, const unsigned char *b,
			      int bits)
{
	int whole = bits / 8, rest = bits % 8;
	if (memcmp(a, b, (size_t)whole) != 0)
		return false;
	if (rest == 0)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

bool dbl_hba_addr_covers(const char *field, const char *client)
{
	if (!field || !client || !*client)
		return false;
	if (strcmp(field, "all") == 0 || strcmp(field, "samehost") == 0 ||
	    strcmp(field, "samenet") == 0)
		return true;
	if (strcmp(field, "localhost") == 0)
		return strcmp(client, "127.0.0.1") == 0 ||
		       strcmp(client, "::1") == 0;
	char net[64];
	const char *slash = strchr(field, '/');
	size_t n = slash ? (size_t)(slash - field) : strlen(field);
	if (n >= sizeof(net))
		return false;
	memcpy(net, field, n);
	net[n] = '\0';
	unsigned char a[16], b[16];
	bool v6 = strchr(net, ':') != NULL;
	int fam = v6 ? AF_INET6 : AF_INET;
	if (inet_pton(fam, net, a) != 1 || inet_pton(fam, client, b) != 1)
		return false;
	int bits = slash ? atoi(slash + 1) : (v6 ? 128 : 32);
	if (bits < 0 || bits > (v6 ? 128 : 32))
		return false;
	return addr_prefix_match(a, b, bits);
}

/* "all", or a comma list naming want; +group and @file may match. */
static bool hba_list_covers(const char *field, const char *want)
{
	if (!field || !want || strcmp(field, "all") == 0)
		return true;
	char buf[256];
	dbl_strlcpy(buf, field, sizeof(buf));
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (tok[0] == '+' || tok[0] == '@' || tok[0] == '/' ||
		    strcmp(tok, want) == 0 || strcmp(tok, "sameuser") == 0 ||
		    strcmp(tok, "samerole") == 0)
			return true;
	}
	return false;
}

const struct dbl_hba_rule *dbl_hba_first(const struct dbl_facts *f, bool local,
					 const char *client, bool ssl,
					 const char *user, const char *db)
{
	if (!f)
		return NULL;
	/* With a user the discovery evaluator decides, exactly as the
	 * server would; without one, any user and database may match. */
	if (user) {
		enum dbl_transport t = local ? DBL_TRANSPORT_UNIX
				       : client && strchr(client, ':')
					       ? DBL_TRANSPORT_TCP6
					       : DBL_TRANSPORT_TCP4;
		return dbl_hba_match(&f->pg, t, local ? NULL : client, user, db,
				     ssl);
	}
	for (size_t i = 0; i < f->pg.n_hba; i++) {
		const struct dbl_hba_rule *h = &f->pg.hba[i];
		if (!dbl_hba_type_matches(h->type, local, ssl))
			continue;
		if (!local && !dbl_hba_addr_covers(h->address, client))
			continue;
		if (hba_list_covers(h->user, user) &&
		    hba_list_covers(h->database, db))
			return h;
	}
	return NULL;
}
