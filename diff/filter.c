/* filter.c: narrowing a diff to the kinds, protocol, ports or name asked on the command line. */
#include <stdio.h>
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

/* "unknown change kind 'x' (expected assigned, deassigned, ... or renamed)", the words from
 * the one kind table. */
static int diff_filter_bad_kind(const char *p, size_t len)
{
	char list[256];
	size_t used = 0;
	int k;
	list[0] = '\0';
	for (k = 0; k < DIFF_NSHOWN && used < sizeof(list); k++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
		                         k == 0 ? "" : k == DIFF_NSHOWN - 1 ? " or " : ", ",
		                         diff_kind_words[k].name);
	return iw_error_set(IW_EINVAL, "unknown change kind '%.*s' (expected %s)",
	                    (int)(len > 64 ? 64 : len), p, list);
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
			return diff_filter_bad_kind(p, len);
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

/* The protocol, port and name filters. */
static int diff_filter_where(const diff_filter *f, const diff_change *c)
{
	if (f->protocol && c->protocol && strcasecmp(c->protocol, f->protocol))
		return 0;
	if (f->port_lo != REGISTRY_NO_PORT &&
	    (c->port == REGISTRY_NO_PORT || c->port > f->port_hi || c->port_end < f->port_lo))
		return 0;
	if (f->name && (!c->name || strcasecmp(c->name, f->name)))
		return 0;
	return 1;
}

static int diff_filter_keeps(const diff_filter *f, const diff_result *r, size_t i)
{
	const diff_change *c = &r->changes[i];
	if (f->kinds && !(f->kinds & (1u << diff_shown_kind(c))))
		return 0;
	return diff_filter_where(f, c) || (c->pair && diff_filter_where(f, &r->changes[c->partner]));
}

void diff_changes_compact(diff_result *r, const size_t *moved_to)
{
	size_t i, n = 0;
	for (i = 0; i < r->nchanges; i++) {
		if (moved_to[i] == DIFF_DROPPED)
			continue;
		r->changes[n] = r->changes[i];
		if (r->changes[n].pair)
			r->changes[n].partner = moved_to[r->changes[n].partner];
		n++;
	}
	r->nchanges = n;
}

void diff_filter_apply(diff_result *r, const diff_filter *f)
{
	size_t i, n = 0, *moved_to;
	int narrowed;
	if (!r || !f)
		return;
	/* Where each kept change lands, to keep the pairs' partner indexes true. */
	moved_to = iw_malloc((r->nchanges ? r->nchanges : 1) * sizeof(*moved_to));
	for (i = 0; i < r->nchanges; i++)
		moved_to[i] = diff_filter_keeps(f, r, i) ? n++ : DIFF_DROPPED;
	diff_changes_compact(r, moved_to);
	free(moved_to);
	/* People are not on a port, protocol or name: any such filter asks about ports only. */
	narrowed = f->protocol || f->name || f->port_lo != REGISTRY_NO_PORT;
	n = 0;
	for (i = 0; i < r->npeople; i++)
		if (!narrowed && (!f->kinds || (f->kinds & (1u << r->people[i].kind))))
			r->people[n++] = r->people[i];
	r->npeople = n;
}
