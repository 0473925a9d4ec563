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

int diff_filter_parse_ports(diff_filter *f, const char *s)
{
	if (s && registry_port_parse(s, strlen(s), &f->port_lo, &f->port_hi) == REGISTRY_PORT_OK)
		return IW_OK;
	return iw_error_set(IW_EINVAL, "bad port '%s' (expected N or N-M, 0 to %d, N <= M)",
	                    s ? s : "", REGISTRY_PORT_MAX);
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
