/* filter.c: narrowing a diff to the kinds, protocol, ports or name asked on the command line. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "diff/diff.h"
#include "common/banned.h"

void diff_filter_init(diff_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->port_lo = f->port_hi = REGISTRY_NO_PORT;
}

int diff_filter_parse_kinds(diff_filter *f, const char *s)
{
	uint32_t kinds = 0;
	const char *p = s;
	if (!s || !*s)
		return iw_error_set(IW_EINVAL, "empty change kind list");
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char word[16];
		int k = -1;
		if (len > 0 && len < sizeof(word)) {
			memcpy(word, p, len);
			word[len] = '\0';
			k = diff_kind_from_name(word);
		}
		if (k < 0)
			return iw_error_set(IW_EINVAL,
			                    "unknown change kind '%.*s' (expected assigned, deassigned, "
			                    "added, removed, modified or status)", (int)(len > 64 ? 64 : len), p);
		kinds |= 1u << k;
		if (!end)
			break;
		p = end + 1;
	}
	f->kinds = kinds;
	return IW_OK;
}

/* A port number: 1 to 5 digits, at most 65535. Returns the end of the digits, or NULL. */
static const char *diff_parse_port(const char *s, int32_t *out)
{
	long v = 0;
	int digits = 0;
	while (*s >= '0' && *s <= '9' && digits < 6) {
		v = v * 10 + (*s - '0');
		s++;
		digits++;
	}
	if (!digits || digits > 5 || v > 65535)
		return NULL;
	*out = (int32_t)v;
	return s;
}

int diff_filter_parse_ports(diff_filter *f, const char *s)
{
	int32_t lo, hi;
	const char *p = s ? diff_parse_port(s, &lo) : NULL;
	if (!p)
		goto bad;
	hi = lo;
	if (*p == '-') {
		p = diff_parse_port(p + 1, &hi);
		if (!p)
			goto bad;
	}
	if (*p || hi < lo)
		goto bad;
	f->port_lo = lo;
	f->port_hi = hi;
	return IW_OK;
bad:
	return iw_error_set(IW_EINVAL, "bad port '%s' (expected N or N-M, 0 to 65535, N <= M)",
	                    s ? s : "");
}

static int diff_filter_keeps(const diff_filter *f, const diff_change *c)
{
	if (f->kinds && !(f->kinds & (1u << c->kind)))
		return 0;
	if (f->protocol && c->protocol && strcasecmp(c->protocol, f->protocol))
		return 0;
	if (f->port_lo != REGISTRY_NO_PORT &&
	    (c->port == REGISTRY_NO_PORT || c->port > f->port_hi || c->port_end < f->port_lo))
		return 0;
	if (f->name && (!c->name || strcasecmp(c->name, f->name)))
		return 0;
	return 1;
}

void diff_filter_apply(diff_result *r, const diff_filter *f)
{
	size_t i, n = 0;
	int narrowed;
	if (!r || !f)
		return;
	for (i = 0; i < r->nchanges; i++)
		if (diff_filter_keeps(f, &r->changes[i]))
			r->changes[n++] = r->changes[i];
	r->nchanges = n;
	/* People are not on a port, protocol or name: any such filter asks about ports only. */
	narrowed = f->protocol || f->name || f->port_lo != REGISTRY_NO_PORT;
	n = 0;
	for (i = 0; i < r->npeople; i++)
		if (!narrowed && (!f->kinds || (f->kinds & (1u << r->people[i].kind))))
			r->people[n++] = r->people[i];
	r->npeople = n;
}
