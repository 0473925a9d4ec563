/* present.c: what renderers share: the kind words, move/rename pairs, what stands at a port. */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "diff/diff.h"
#include "common/banned.h"

static int diff_is_gone(diff_kind k);

const diff_kind_word diff_kind_words[DIFF_NSHOWN] = {
	[DIFF_ASSIGNED] = {"assigned", "assigned", "Assigned"},
	[DIFF_DEASSIGNED] = {"deassigned", "de-assigned", "De-assigned"},
	[DIFF_ADDED] = {"added", "added", "Added"},
	[DIFF_REMOVED] = {"removed", "removed", "Removed"},
	[DIFF_MODIFIED] = {"modified", "modified", "Modified"},
	[DIFF_STATUS] = {"status", "status", "Status changes"},
	[DIFF_MOVED] = {"moved", "moved", "Moved"},
	[DIFF_RENAMED] = {"renamed", "renamed", "Renamed"},
};

const char *const diff_kind_names[DIFF_NKINDS] = {
	"assigned", "deassigned", "added", "removed", "modified", "status",
};

const diff_kind diff_shown_order[DIFF_NSHOWN] = {
	DIFF_MOVED, DIFF_RENAMED, DIFF_ASSIGNED, DIFF_DEASSIGNED, DIFF_ADDED, DIFF_REMOVED,
	DIFF_MODIFIED, DIFF_STATUS,
};

int diff_kind_from_name(const char *s)
{
	int k;
	if (!s)
		return -1;
	for (k = 0; k < DIFF_NSHOWN; k++)
		if (!strcmp(s, diff_kind_words[k].name))
			return k;
	return -1;
}

diff_kind diff_shown_kind(const diff_change *c)
{
	if (c->pair == DIFF_PAIR_MOVED)
		return DIFF_MOVED;
	if (c->pair == DIFF_PAIR_RENAMED)
		return DIFF_RENAMED;
	return c->kind;
}

void diff_count_shown(const diff_result *r, size_t counts[DIFF_NSHOWN],
                      size_t people[DIFF_NKINDS])
{
	size_t i;
	diff_count(r, NULL, people);
	for (i = 0; counts && i < DIFF_NSHOWN; i++)
		counts[i] = 0;
	for (i = 0; counts && r && i < r->nchanges; i++) {
		const diff_change *c = &r->changes[i];
		/* A pair once: at its removal half. */
		if (!c->pair || diff_is_gone(c->kind))
			counts[diff_shown_kind(c)]++;
	}
}

static int diff_is_gone(diff_kind k)
{
	return k == DIFF_REMOVED || k == DIFF_DEASSIGNED;
}

static int diff_is_came(diff_kind k)
{
	return k == DIFF_ADDED || k == DIFF_ASSIGNED;
}

/* qsort has no context argument: the candidates carry their change. */
typedef struct diff_cand {
	const diff_change *c;
	size_t idx;
	int gone;
} diff_cand;

static int diff_cand_name_qcmp(const void *pa, const void *pb)
{
	const diff_cand *a = pa, *b = pb;
	int c = registry_strcmp_null(a->c->name, b->c->name);
	if (!c)
		c = registry_strcmp_null(a->c->protocol, b->c->protocol);
	if (!c)
		c = a->idx < b->idx ? -1 : a->idx > b->idx;
	return c;
}

static int diff_cand_port_qcmp(const void *pa, const void *pb)
{
	const diff_cand *a = pa, *b = pb;
	int c = registry_strcmp_null(a->c->protocol, b->c->protocol);
	if (!c && a->c->port != b->c->port)
		c = a->c->port < b->c->port ? -1 : 1;
	if (!c && a->c->port_end != b->c->port_end)
		c = a->c->port_end < b->c->port_end ? -1 : 1;
	if (!c)
		c = a->idx < b->idx ? -1 : a->idx > b->idx;
	return c;
}

static int diff_same_name(const diff_change *a, const diff_change *b)
{
	return !registry_strcmp_null(a->name, b->name) && !registry_strcmp_null(a->protocol, b->protocol);
}

static int diff_same_number(const diff_change *a, const diff_change *b)
{
	return !registry_strcmp_null(a->protocol, b->protocol) && a->port == b->port &&
	       a->port_end == b->port_end;
}

/* Pairs the groups (runs of equal key under `same`) holding exactly one gone and one came. */
static void diff_pair_groups(diff_cand *v, size_t n, int (*same)(const diff_change *,
                             const diff_change *), diff_pair_kind kind, unsigned char *used,
                             diff_pair *pairs, size_t *npairs)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i + 1, gones = 0, g = 0, c = 0, k;
		while (j < n && same(v[i].c, v[j].c))
			j++;
		for (k = i; k < j; k++) {
			if (v[k].gone) {
				gones++;
				g = k;
			} else {
				c = k;
			}
		}
		if (j - i == 2 && gones == 1) {
			diff_pair *p = &pairs[(*npairs)++];
			p->gone = v[g].idx;
			p->came = v[c].idx;
			p->kind = kind;
			used[v[g].idx] = used[v[c].idx] = 1;
		}
		i = j;
	}
}

static int diff_pair_qcmp(const void *pa, const void *pb)
{
	const diff_pair *a = pa, *b = pb;
	return a->gone < b->gone ? -1 : a->gone > b->gone;
}

/* The gone and came changes not paired yet that have a name (by_name) or a number, into v,
 * sorted as diff_pair_groups() wants them. Returns how many. */
static size_t diff_candidates(const diff_result *r, const unsigned char *used, int by_name,
                              diff_cand *v)
{
	size_t i, nv = 0;
	for (i = 0; i < r->nchanges; i++) {
		const diff_change *c = &r->changes[i];
		if (used[i] || !(diff_is_gone(c->kind) || diff_is_came(c->kind)))
			continue;
		if (by_name ? !c->name : c->port == REGISTRY_NO_PORT)
			continue;
		v[nv].c = c;
		v[nv].idx = i;
		v[nv].gone = diff_is_gone(c->kind);
		nv++;
	}
	qsort(v, nv, sizeof(*v), by_name ? diff_cand_name_qcmp : diff_cand_port_qcmp);
	return nv;
}

static int diff_pairs_find(const diff_result *r, diff_pair **out, size_t *n)
{
	diff_cand *v = NULL;
	diff_pair *pairs = NULL;
	unsigned char *used = NULL;
	size_t nv, np = 0;

	*out = NULL;
	*n = 0;
	if (!r || !r->nchanges)
		return IW_OK;
	v = iw_malloc(r->nchanges * sizeof(*v));
	used = iw_calloc(r->nchanges, 1);
	pairs = iw_malloc((r->nchanges / 2 + 1) * sizeof(*pairs));

	/* Moves first: the same name on the same protocol, now on another number. */
	nv = diff_candidates(r, used, 1, v);
	diff_pair_groups(v, nv, diff_same_name, DIFF_PAIR_MOVED, used, pairs, &np);

	/* Then renames: another name on the same protocol and number. */
	nv = diff_candidates(r, used, 0, v);
	diff_pair_groups(v, nv, diff_same_number, DIFF_PAIR_RENAMED, used, pairs, &np);

	free(v);
	free(used);
	if (!np) {
		free(pairs);
		return IW_OK;
	}
	qsort(pairs, np, sizeof(*pairs), diff_pair_qcmp);
	*out = pairs;
	*n = np;
	return IW_OK;
}

void diff_pairs_mark(diff_result *r)
{
	diff_pair *pairs = NULL;
	size_t n = 0, i;
	if (!r)
		return;
	for (i = 0; i < r->nchanges; i++)
		r->changes[i].pair = 0;
	diff_pairs_find(r, &pairs, &n);
	for (i = 0; i < n; i++) {
		diff_change *g = &r->changes[pairs[i].gone], *c = &r->changes[pairs[i].came];
		g->pair = c->pair = (int)pairs[i].kind;
		g->partner = pairs[i].came;
		c->partner = pairs[i].gone;
	}
	free(pairs);
}

int diff_pairs(const diff_result *r, diff_pair **out, size_t *n)
{
	diff_pair *pairs;
	size_t i, np = 0;
	*out = NULL;
	*n = 0;
	if (!r || !r->nchanges)
		return IW_OK;
	for (i = 0; i < r->nchanges; i++)
		if (r->changes[i].pair && diff_is_gone(r->changes[i].kind))
			np++;
	if (!np)
		return IW_OK;
	pairs = iw_malloc(np * sizeof(*pairs));
	np = 0;
	for (i = 0; i < r->nchanges; i++) {
		const diff_change *c = &r->changes[i];
		if (c->pair && diff_is_gone(c->kind)) {
			pairs[np].gone = i;
			pairs[np].came = c->partner;
			pairs[np].kind = (diff_pair_kind)c->pair;
			np++;
		}
	}
	*out = pairs;
	*n = np;
	return IW_OK;
}

/* ---- port index ------------------------------------------------------------------------- */

/* A record with a number, and what the scan reads beside it. */
typedef struct diff_port_slot {
	const registry_record *rec;
	int32_t maxend;  /* the largest port_end among this slot and the ones before it */
	uint8_t status;  /* the status the record gives the ports it covers */
} diff_port_slot;

/* One allocation: the slots, by port then document order, follow the count. */
struct diff_port_index {
	size_t n;
	diff_port_slot v[];
};

static int diff_port_rec_cmp(const registry_record *a, const registry_record *b)
{
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return a < b ? -1 : a > b;
}

static int diff_port_slot_qcmp(const void *pa, const void *pb)
{
	return diff_port_rec_cmp(((const diff_port_slot *)pa)->rec, ((const diff_port_slot *)pb)->rec);
}

static uint8_t diff_kind_status(registry_kind k)
{
	return k == REGISTRY_ASSIGNING ? STATUS_ASSIGNED
	       : k == REGISTRY_RESERVING ? STATUS_RESERVED : STATUS_UNASSIGNED;
}

int diff_port_index_build(const registry_doc *doc, diff_port_index **out)
{
	diff_port_index *ix;
	size_t i, n = 0;
	int sorted = 1;

	*out = NULL;
	if (!doc)
		return iw_error_set(IW_EINVAL, "diff_port_index_build: missing document");
	ix = iw_malloc(sizeof(*ix) + doc->nrecords * sizeof(ix->v[0]));
	for (i = 0; i < doc->nrecords; i++) {
		const registry_record *r = &doc->records[i];
		if (r->port == REGISTRY_NO_PORT)
			continue;
		if (n && sorted && diff_port_rec_cmp(ix->v[n - 1].rec, r) > 0)
			sorted = 0;
		ix->v[n++].rec = r;
	}
	if (!sorted)
		qsort(ix->v, n, sizeof(ix->v[0]), diff_port_slot_qcmp);
	ix->n = n;
	for (i = 0; i < n; i++) {
		diff_port_slot *sl = &ix->v[i];
		sl->status = diff_kind_status(registry_record_kind(sl->rec));
		sl->maxend = sl->rec->port_end;
		if (i && ix->v[i - 1].maxend > sl->maxend)
			sl->maxend = ix->v[i - 1].maxend;
	}
	*out = ix;
	return IW_OK;
}

void diff_port_index_free(diff_port_index *ix)
{
	free(ix);
}

/* Visits every record covering (p, port): walks down from the last record starting at or
 * before port while an earlier one could still reach it (maxend). Sets *best to the strongest
 * status found and returns the first record in document order whose status is `want` (-1:
 * none wanted). */
static const registry_record *diff_port_index_scan(const diff_port_index *ix, int p,
                                                   int32_t port, int want, uint8_t *best)
{
	const registry_record *found = NULL;
	size_t lo = 0, hi = ix->n;
	*best = STATUS_UNASSIGNED;
	if (!ix->n || p < 0 || p >= REGISTRY_NPROTOS)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ix->v[mid].rec->port <= port)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo-- > 0 && ix->v[lo].maxend >= port) {
		const diff_port_slot *sl = &ix->v[lo];
		const registry_record *r = sl->rec;
		if (r->port_end < port || !registry_record_covers_proto(r, p))
			continue;
		if (sl->status > *best)
			*best = sl->status;
		if (want >= 0 && sl->status == want && (!found || r < found))
			found = r;
	}
	return found;
}

const registry_record *diff_port_index_find(const diff_port_index *ix, int p, int32_t port,
                                            registry_status status)
{
	uint8_t best;
	if (!ix)
		return NULL;
	return diff_port_index_scan(ix, p, port, (int)status, &best);
}

registry_status diff_port_index_status(const diff_port_index *ix, int p, int32_t port)
{
	uint8_t best = STATUS_UNASSIGNED;
	if (ix)
		diff_port_index_scan(ix, p, port, -1, &best);
	return (registry_status)best;
}
