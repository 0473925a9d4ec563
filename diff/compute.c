/* compute.c: the diff engine: entries matched by key, status runs, people (issue 3 contract). */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "diff/diff.h"
#include "common/banned.h"

const registry_field diff_compared_fields[DIFF_NCOMPARED] = {
	REG_ASSIGNEE, REG_CONTACT, REG_DESCRIPTION, REG_MODIFICATION_DATE, REG_NOTES,
	REG_REFERENCES, REG_REGISTRATION_DATE, REG_SERVICE_CODE, REG_UNAUTHORIZED,
};

const registry_person_field diff_person_fields[PERSON_NFIELDS] = {
	PERSON_NAME, PERSON_ORG, PERSON_UPDATED, PERSON_URI,
};

/* Key, then document order: the pointers all point into one doc->records array. */
static int diff_entry_cmp(const registry_record *a, const registry_record *b)
{
	int c = registry_key_cmp(a, b);
	if (c)
		return c;
	return a < b ? -1 : a > b;
}

static int diff_entry_qcmp(const void *pa, const void *pb)
{
	return diff_entry_cmp(*(const registry_record *const *)pa,
	                      *(const registry_record *const *)pb);
}

/* The entries (assigning records) of doc in key order; *n may be 0 (then NULL). */
static const registry_record **diff_entries(const registry_doc *doc, size_t *n)
{
	const registry_record **v;
	size_t i, k = 0;
	int sorted = 1;
	*n = 0;
	if (!doc->nrecords)
		return NULL;
	v = iw_malloc(doc->nrecords * sizeof(*v));
	for (i = 0; i < doc->nrecords; i++) {
		const registry_record *r = &doc->records[i];
		if (registry_record_kind(r) != REGISTRY_ASSIGNING)
			continue;
		if (k && sorted && diff_entry_cmp(v[k - 1], r) > 0)
			sorted = 0;
		v[k++] = r;
	}
	/* The store hands documents over in canonical order: checking is cheaper than sorting. */
	if (!sorted)
		qsort(v, k, sizeof(*v), diff_entry_qcmp);
	*n = k;
	return v;
}

typedef struct diff_vec {
	diff_change *v;
	size_t n, alloc;
} diff_vec;

static diff_change *diff_vec_push(diff_vec *vec)
{
	diff_change *c;
	IW_GROW(vec->v, vec->n, vec->alloc, 16);
	c = &vec->v[vec->n++];
	memset(c, 0, sizeof(*c));
	return c;
}

static void diff_change_entry(diff_change *c, diff_kind kind, const registry_record *r)
{
	c->kind = kind;
	c->name = r->f[REG_NAME];
	c->protocol = r->f[REG_PROTOCOL];
	c->port = r->port;
	c->port_end = r->port_end;
	c->status_before = c->status_after = STATUS_ASSIGNED;
}

/*
 * The statuses of a document, in one of two forms giving the same answers (registry.h's
 * rules: the strongest record covering a port wins, unassigned where none does): the full
 * map, or, for a document of few records (the pairs the change log diffs), the list of
 * (protocol, ports, status) of its reserving and assigning records, looked up by scanning.
 * Building a full map costs 256 KiB of fresh memory per document; the list costs nothing.
 */
#define DIFF_SPARSE_MAX 256

typedef struct diff_iv {
	int32_t lo, hi;
	uint8_t proto, st;
} diff_iv;

typedef struct diff_status {
	registry_status_map *map; /* NULL: the sparse form */
	diff_iv *iv;
	size_t n;
} diff_status;

static registry_status diff_kind_status(const registry_record *r)
{
	registry_kind k = registry_record_kind(r);
	return k == REGISTRY_ASSIGNING ? STATUS_ASSIGNED
	       : k == REGISTRY_RESERVING ? STATUS_RESERVED : STATUS_UNASSIGNED;
}

static void diff_status_build(const registry_doc *doc, int sparse, diff_status *st)
{
	size_t i;
	int p;
	memset(st, 0, sizeof(*st));
	if (!sparse) {
		st->map = registry_status_map_build(doc);
		return;
	}
	st->iv = iw_malloc((doc->nrecords * REGISTRY_NPROTOS + 1) * sizeof(*st->iv));
	for (i = 0; i < doc->nrecords; i++) {
		const registry_record *r = &doc->records[i];
		registry_status s;
		if (r->port == REGISTRY_NO_PORT || (s = diff_kind_status(r)) == STATUS_UNASSIGNED)
			continue;
		for (p = 0; p < REGISTRY_NPROTOS; p++) {
			if (!registry_record_covers_proto(r, p))
				continue;
			st->iv[st->n].lo = r->port;
			st->iv[st->n].hi = r->port_end;
			st->iv[st->n].proto = (uint8_t)p;
			st->iv[st->n++].st = (uint8_t)s;
		}
	}
}

static void diff_status_free(diff_status *st)
{
	free(st->map);
	free(st->iv);
}

static uint8_t diff_status_at(const diff_status *st, int p, int32_t x)
{
	uint8_t best = STATUS_UNASSIGNED;
	size_t i;
	if (st->map)
		return st->map->s[p][x];
	for (i = 0; i < st->n; i++)
		if (st->iv[i].proto == p && st->iv[i].lo <= x && x <= st->iv[i].hi &&
		    st->iv[i].st > best)
			best = st->iv[i].st;
	return best;
}

/* Non-zero when some (protocol, port) that r covers is not "assigned" in m. A record on a
 * protocol outside tcp/udp/sctp/dccp covers nothing the status rules know. */
static int diff_covers_unassigned(const registry_record *r, const diff_status *m)
{
	int p;
	int32_t x;
	if (r->port == REGISTRY_NO_PORT)
		return 0;
	for (p = 0; p < REGISTRY_NPROTOS; p++) {
		if (!registry_record_covers_proto(r, p))
			continue;
		for (x = r->port; x <= r->port_end; x++)
			if (diff_status_at(m, p, x) != STATUS_ASSIGNED)
				return 1;
	}
	return 0;
}

static uint32_t diff_record_fields(const registry_record *a, const registry_record *b)
{
	uint32_t mask = 0;
	int i;
	for (i = 0; i < DIFF_NCOMPARED; i++) {
		registry_field f = diff_compared_fields[i];
		if (registry_strcmp_null(a->f[f], b->f[f]))
			mask |= 1u << f;
	}
	return mask;
}

/* Walks both key-ordered entry lists at once; equal keys pair up in document order. */
static void diff_entries_merge(const registry_record **ea, size_t na, const registry_record **eb,
                               size_t nb, const diff_status *ma,
                               const diff_status *mb, diff_vec kinds[DIFF_NKINDS])
{
	size_t i = 0, j = 0;
	while (i < na || j < nb) {
		int c;
		if (i == na)
			c = 1;
		else if (j == nb)
			c = -1;
		else
			c = registry_key_cmp(ea[i], eb[j]);
		if (c < 0) {
			const registry_record *r = ea[i++];
			diff_kind k = diff_covers_unassigned(r, mb) ? DIFF_DEASSIGNED : DIFF_REMOVED;
			diff_change *ch = diff_vec_push(&kinds[k]);
			diff_change_entry(ch, k, r);
			ch->before = r;
		} else if (c > 0) {
			const registry_record *r = eb[j++];
			diff_kind k = diff_covers_unassigned(r, ma) ? DIFF_ASSIGNED : DIFF_ADDED;
			diff_change *ch = diff_vec_push(&kinds[k]);
			diff_change_entry(ch, k, r);
			ch->after = r;
		} else {
			const registry_record *ra = ea[i++], *rb = eb[j++];
			uint32_t fields = ra == rb ? 0 : diff_record_fields(ra, rb);
			if (fields) {
				diff_change *ch = diff_vec_push(&kinds[DIFF_MODIFIED]);
				diff_change_entry(ch, DIFF_MODIFIED, rb);
				ch->before = ra;
				ch->after = rb;
				ch->fields = fields;
			}
		}
	}
}

static void diff_status_run(diff_vec *vec, int p, int32_t lo, int32_t hi, uint8_t sa, uint8_t sb)
{
	diff_change *ch = diff_vec_push(vec);
	ch->kind = DIFF_STATUS;
	ch->protocol = registry_protocols[p];
	ch->port = lo;
	ch->port_end = hi;
	ch->status_before = (registry_status)sa;
	ch->status_after = (registry_status)sb;
}

/* Maximal runs of consecutive ports whose status changed with the same (before, after),
 * neither "assigned" (an assignment or de-assignment is reported by its entry). */
static void diff_status_changes(const registry_status_map *ma, const registry_status_map *mb,
                                diff_vec *vec)
{
	int p;
	for (p = 0; p < REGISTRY_NPROTOS; p++) {
		const uint8_t *sa = ma->s[p], *sb = mb->s[p];
		int32_t x, start = -1;
		if (!memcmp(sa, sb, sizeof(ma->s[p])))
			continue;
		for (x = 0; x <= REGISTRY_PORT_MAX; x++) {
			int change = sa[x] != sb[x] && sa[x] != STATUS_ASSIGNED && sb[x] != STATUS_ASSIGNED;
			if (start >= 0 && (!change || sa[x] != sa[start] || sb[x] != sb[start])) {
				diff_status_run(vec, p, start, x - 1, sa[start], sb[start]);
				start = -1;
			}
			if (change && start < 0)
				start = x;
		}
		if (start >= 0)
			diff_status_run(vec, p, start, REGISTRY_PORT_MAX, sa[start], sb[start]);
	}
}

static int diff_i32_qcmp(const void *pa, const void *pb)
{
	int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
	return (a > b) - (a < b);
}

/* The same runs from the sparse forms: the statuses only change at the bounds of the
 * records' ranges, so each stretch between two consecutive bounds has one (before, after);
 * ports outside every range are unassigned on both sides. */
static void diff_status_changes_sparse(const diff_status *ma, const diff_status *mb,
                                       diff_vec *vec)
{
	int32_t *b = iw_malloc((2 * (ma->n + mb->n) + 1) * sizeof(*b));
	int p;
	for (p = 0; p < REGISTRY_NPROTOS; p++) {
		size_t nb = 0, i, k, out = 0;
		int32_t start = -1;
		uint8_t ra = 0, rb = 0;
		const diff_status *side[2];
		side[0] = ma;
		side[1] = mb;
		for (k = 0; k < 2; k++)
			for (i = 0; i < side[k]->n; i++)
				if (side[k]->iv[i].proto == p) {
					b[nb++] = side[k]->iv[i].lo;
					b[nb++] = side[k]->iv[i].hi + 1;
				}
		if (!nb)
			continue;
		qsort(b, nb, sizeof(*b), diff_i32_qcmp);
		for (i = 0; i < nb; i++)
			if (!out || b[out - 1] != b[i])
				b[out++] = b[i];
		for (i = 0; i < out; i++) {
			/* The stretch [b[i], b[i + 1] - 1]; after the last bound, nothing covers. */
			int32_t x = b[i];
			uint8_t sa = 0, sb = 0;
			int change;
			if (x > REGISTRY_PORT_MAX)
				break;
			if (i + 1 < out) {
				sa = diff_status_at(ma, p, x);
				sb = diff_status_at(mb, p, x);
			}
			change = sa != sb && sa != STATUS_ASSIGNED && sb != STATUS_ASSIGNED;
			if (start >= 0 && (!change || sa != ra || sb != rb)) {
				diff_status_run(vec, p, start, x - 1, ra, rb);
				start = -1;
			}
			if (change && start < 0) {
				start = x;
				ra = sa;
				rb = sb;
			}
		}
		if (start >= 0)
			diff_status_run(vec, p, start, REGISTRY_PORT_MAX, ra, rb);
	}
	free(b);
}

/* Status changes by port, then protocol name; runs of one protocol never overlap, so the
 * order is total. */
static int diff_status_qcmp(const void *pa, const void *pb)
{
	const diff_change *a = pa, *b = pb;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if (a->port_end != b->port_end)
		return a->port_end < b->port_end ? -1 : 1;
	return strcmp(a->protocol, b->protocol);
}

static int diff_person_cmp(const registry_person *a, const registry_person *b)
{
	int c = registry_strcmp_null(a->id, b->id);
	if (c)
		return c;
	return a < b ? -1 : a > b;
}

static int diff_person_qcmp(const void *pa, const void *pb)
{
	return diff_person_cmp(*(const registry_person *const *)pa,
	                       *(const registry_person *const *)pb);
}

static const registry_person **diff_people_sorted(const registry_doc *doc)
{
	const registry_person **v;
	size_t i;
	int sorted = 1;
	if (!doc->npeople)
		return NULL;
	v = iw_malloc(doc->npeople * sizeof(*v));
	for (i = 0; i < doc->npeople; i++) {
		v[i] = &doc->people[i];
		if (i && sorted && diff_person_cmp(v[i - 1], v[i]) > 0)
			sorted = 0;
	}
	if (!sorted)
		qsort(v, doc->npeople, sizeof(*v), diff_person_qcmp);
	return v;
}

static void diff_person_push(diff_result *r, size_t *alloc, diff_kind kind,
                             const registry_person *before, const registry_person *after,
                             uint32_t fields)
{
	diff_person_change *c;
	IW_GROW(r->people, r->npeople, *alloc, 16);
	c = &r->people[r->npeople++];
	c->kind = kind;
	c->id = after ? after->id : before->id;
	c->before = before;
	c->after = after;
	c->fields = fields;
}

static void diff_people(const registry_doc *a, const registry_doc *b, diff_result *r)
{
	const registry_person **pa = diff_people_sorted(a), **pb = diff_people_sorted(b);
	size_t i = 0, j = 0, alloc = 0;
	while (i < a->npeople || j < b->npeople) {
		int c;
		if (i == a->npeople)
			c = 1;
		else if (j == b->npeople)
			c = -1;
		else
			c = registry_strcmp_null(pa[i]->id, pb[j]->id);
		if (c < 0) {
			diff_person_push(r, &alloc, DIFF_REMOVED, pa[i++], NULL, 0);
		} else if (c > 0) {
			diff_person_push(r, &alloc, DIFF_ADDED, NULL, pb[j++], 0);
		} else {
			uint32_t mask = 0;
			int f;
			for (f = 0; f < PERSON_NFIELDS; f++)
				if (registry_strcmp_null(pa[i]->f[f], pb[j]->f[f]))
					mask |= 1u << f;
			if (mask)
				diff_person_push(r, &alloc, DIFF_MODIFIED, pa[i], pb[j], mask);
			i++;
			j++;
		}
	}
	free(pa);
	free(pb);
}

int diff_compute(const registry_doc *a, const registry_doc *b, diff_result **out)
{
	const registry_record **ea = NULL, **eb = NULL;
	diff_status ma, mb;
	diff_vec kinds[DIFF_NKINDS];
	diff_result *r = NULL;
	size_t na, nb, total = 0;
	int k, sparse;

	*out = NULL;
	memset(kinds, 0, sizeof(kinds));
	if (!a || !b)
		return iw_error_set(IW_EINVAL, "diff_compute: missing document");

	ea = diff_entries(a, &na);
	eb = diff_entries(b, &nb);
	sparse = a->nrecords <= DIFF_SPARSE_MAX && b->nrecords <= DIFF_SPARSE_MAX;
	diff_status_build(a, sparse, &ma);
	diff_status_build(b, sparse, &mb);
	diff_entries_merge(ea, na, eb, nb, &ma, &mb, kinds);
	if (sparse)
		diff_status_changes_sparse(&ma, &mb, &kinds[DIFF_STATUS]);
	else
		diff_status_changes(ma.map, mb.map, &kinds[DIFF_STATUS]);
	if (kinds[DIFF_STATUS].n > 1)
		qsort(kinds[DIFF_STATUS].v, kinds[DIFF_STATUS].n, sizeof(diff_change), diff_status_qcmp);

	r = iw_calloc(1, sizeof(*r));
	r->a = a;
	r->b = b;
	for (k = 0; k < DIFF_NKINDS; k++)
		total += kinds[k].n;
	if (total) {
		r->changes = iw_malloc(total * sizeof(*r->changes));
		for (k = 0; k < DIFF_NKINDS; k++) {
			if (kinds[k].n)
				memcpy(r->changes + r->nchanges, kinds[k].v, kinds[k].n * sizeof(diff_change));
			r->nchanges += kinds[k].n;
		}
	}
	diff_people(a, b, r);
	diff_pairs_mark(r);
	*out = r;

	for (k = 0; k < DIFF_NKINDS; k++)
		free(kinds[k].v);
	free(ea);
	free(eb);
	diff_status_free(&ma);
	diff_status_free(&mb);
	return IW_OK;
}

void diff_result_free(diff_result *r)
{
	if (!r)
		return;
	free(r->changes);
	free(r->people);
	free(r);
}

int diff_result_empty(const diff_result *r)
{
	return !r || (r->nchanges == 0 && r->npeople == 0);
}

void diff_count(const diff_result *r, size_t counts[DIFF_NKINDS], size_t people[DIFF_NKINDS])
{
	size_t i;
	for (i = 0; i < DIFF_NKINDS; i++) {
		if (counts)
			counts[i] = 0;
		if (people)
			people[i] = 0;
	}
	if (!r)
		return;
	for (i = 0; i < r->nchanges; i++)
		if (counts)
			counts[r->changes[i].kind]++;
	for (i = 0; i < r->npeople; i++)
		if (people)
			people[r->people[i].kind]++;
}
