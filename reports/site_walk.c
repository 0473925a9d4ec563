/* site_walk.c: every stored document of a range of positions, rebuilt step by step from spans. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "site_int.h"
#include "common/banned.h"

/* Where a version is present: positions first..last. Leads both version structs, so the
 * merge below reads it through a pointer to either. */
typedef struct walk_span {
	int64_t first, last;
} walk_span;

/* The span of version k of items (of size bytes each, walk_rec or walk_person). */
static const walk_span *walk_span_at(const void *items, size_t size, size_t k)
{
	return (const walk_span *)(const void *)((const char *)items + k * size);
}

typedef struct walk_rec {
	walk_span span;
	registry_record rec;
	int assigning;   /* has a port and registry_record_kind() is REGISTRY_ASSIGNING */
} walk_rec;

typedef struct walk_person {
	walk_span span;
	registry_person p;
} walk_person;

/* The versions present at the current position (v, n) and at the one before (prev, nprev),
 * as indexes in canonical order. */
typedef struct walk_live {
	size_t *v, *prev;
	size_t n, nprev;
} walk_live;

/* What the walk keeps of one kind of version (records or people), as indexes into the
 * walk's array of that kind. */
typedef struct walk_set {
	walk_live live;
	size_t next;              /* the first version that has not entered yet */
	size_t *by_last;          /* the versions by last position: what leaves at each step */
	size_t step;              /* report_walk_next()'s place in by_last */
	/* For report_walk_pair(): its place in by_last, the first version that entered at the
	 * last step, and each side's selection (0: before, 1: after) with the position at which
	 * a version was last selected. */
	size_t leave, enter;
	size_t *sel[2], nsel[2];
	int64_t *stamp[2];
} walk_set;

/* Ports [lo, hi] of one protocol that a changed version covers. */
typedef struct walk_iv {
	int32_t lo, hi;
} walk_iv;

struct report_walk {
	registry_doc **strings;           /* own every string of every version, a document per
	                                   * store query */
	size_t nstrings;
	int partial;                      /* only what one pair needs is loaded */
	const store_snapshot *snaps;
	size_t nsnaps;
	walk_rec *recs;               /* sorted by (first, canonical order) */
	size_t nrecs, recs_alloc;
	walk_person *people;          /* sorted by (first, id, fields) */
	size_t npeople, people_alloc;
	walk_set rs, ps;              /* of recs, of people */
	int64_t pos, first, last;     /* pos: 0 before the first step */
	uint16_t (*cover)[65536];     /* per protocol: assigning records covering the port */
	uint8_t *nprotos;             /* per port: protocols on which it is assigned */
	size_t assigned;
	/* The last step's changed ports per protocol (sorted, merged) and the portless keys. */
	walk_iv *iv[REGISTRY_NPROTOS];
	size_t niv[REGISTRY_NPROTOS], iv_alloc[REGISTRY_NPROTOS];
	const registry_record **keys;
	size_t nkeys, keys_alloc;
	/* For report_walk_pair(): the record versions covering more than WALK_NARROW ports,
	 * which the search by port below does not find. */
	size_t *wide, nwide;
	size_t *scratch, scratch_alloc;
	registry_doc *pair[2];        /* report_walk_pair()'s documents */
	registry_doc *doc;            /* report_walk_doc()'s document */
};

static void walk_pair_index(report_walk *w);
static void walk_set_alloc(walk_set *s, const void *items, size_t size, size_t n);
static int walk_iv_qcmp(const void *pa, const void *pb);

static int walk_rec_qcmp(const void *pa, const void *pb)
{
	const walk_rec *a = pa, *b = pb;
	if (a->span.first != b->span.first)
		return a->span.first < b->span.first ? -1 : 1;
	return registry_record_cmp(&a->rec, &b->rec);
}

static int walk_person_cmp(const registry_person *a, const registry_person *b)
{
	int c, i;
	if ((c = registry_strcmp_null(a->id, b->id)))
		return c;
	for (i = 0; i < PERSON_NFIELDS; i++)
		if ((c = registry_strcmp_null(a->f[i], b->f[i])))
			return c;
	return 0;
}

static int walk_person_qcmp(const void *pa, const void *pb)
{
	const walk_person *a = pa, *b = pb;
	if (a->span.first != b->span.first)
		return a->span.first < b->span.first ? -1 : 1;
	return walk_person_cmp(&a->p, &b->p);
}

/* Takes over the strings of one store query (*doc becomes NULL). */
static void walk_keep_strings(report_walk *w, registry_doc **doc)
{
	w->strings = iw_realloc(w->strings, (w->nstrings + 1) * sizeof(*w->strings));
	w->strings[w->nstrings++] = *doc;
	*doc = NULL;
}

/* Appends the versions of l meeting [lo, hi] (and, when portless, only those without a port)
 * to the walk's records, keeping l's strings. */
static void walk_take_records(report_walk *w, store_version_list *l, int64_t lo, int64_t hi,
                              int portless)
{
	size_t i;
	if (w->nrecs + l->n > w->recs_alloc) {
		w->recs_alloc = w->nrecs + l->n;
		w->recs = iw_realloc(w->recs, (w->recs_alloc ? w->recs_alloc : 1) * sizeof(*w->recs));
	}
	for (i = 0; i < l->n; i++) {
		const store_version *v = &l->v[i];
		walk_rec *r;
		if (v->first_pos > hi || v->last_pos < lo ||
		    (portless && v->rec.port != REGISTRY_NO_PORT))
			continue;
		r = &w->recs[w->nrecs++];
		r->span.first = v->first_pos;
		r->span.last = v->last_pos;
		r->rec = v->rec;
		/* The store only holds validated ports; the bounds keep the tally's arrays safe. */
		r->assigning = v->rec.port >= 0 && v->rec.port_end >= v->rec.port &&
		               v->rec.port_end <= REGISTRY_PORT_MAX &&
		               registry_record_kind(&v->rec) == REGISTRY_ASSIGNING;
	}
	walk_keep_strings(w, &l->strings);
	store_version_list_free(l);
}

/* The record versions present somewhere in [first, last], from the store. */
static int walk_load_records(report_walk *w, store *st)
{
	store_version_list l;
	int rc = store_spans(st, STORE_RECORD_VERSIONS, STORE_SPANS_MEETING, w->first, w->last, &l);
	if (!rc)
		walk_take_records(w, &l, w->first, w->last, 0);
	return rc;
}

static int walk_load_people(report_walk *w, store *st)
{
	store_version_list l;
	size_t i;
	int rc = store_spans(st, STORE_PERSON_VERSIONS, STORE_SPANS_MEETING, w->first, w->last, &l);
	if (rc)
		return rc;
	walk_keep_strings(w, &l.strings);
	w->people = iw_malloc((l.n ? l.n : 1) * sizeof(*w->people));
	w->npeople = w->people_alloc = l.n;
	for (i = 0; i < l.n; i++) {
		w->people[i].span.first = l.v[i].first_pos;
		w->people[i].span.last = l.v[i].last_pos;
		w->people[i].p = l.v[i].p;
	}
	store_version_list_free(&l);
	return IW_OK;
}

/* Counts the ports a version covers in or out of the "assigned" tally. */
static void walk_cover(report_walk *w, const walk_rec *v, int add)
{
	int p;
	int32_t x;
	if (!v->assigning)
		return;
	for (p = 0; p < REGISTRY_NPROTOS; p++) {
		if (!registry_record_covers_proto(&v->rec, p))
			continue;
		for (x = v->rec.port; x <= v->rec.port_end; x++) {
			if (add) {
				if (w->cover[p][x]++ == 0 && w->nprotos[x]++ == 0)
					w->assigned++;
			} else if (w->cover[p][x] && --w->cover[p][x] == 0 && --w->nprotos[x] == 0) {
				w->assigned--;
			}
		}
	}
}

/* A version and its index, for sorting indexes without a global context. */
typedef struct walk_keyed {
	const void *item;
	size_t i;
} walk_keyed;

/* Ties (equal content) fall back on the index, so that repeats of an index are neighbours. */
static int walk_keyed_tie(const walk_keyed *a, const walk_keyed *b)
{
	return (a->i > b->i) - (a->i < b->i);
}

static int walk_keyed_rec_qcmp(const void *pa, const void *pb)
{
	const walk_keyed *a = pa, *b = pb;
	int c = registry_record_cmp(&((const walk_rec *)a->item)->rec,
	                            &((const walk_rec *)b->item)->rec);
	return c ? c : walk_keyed_tie(a, b);
}

static int walk_keyed_person_qcmp(const void *pa, const void *pb)
{
	const walk_keyed *a = pa, *b = pb;
	int c = walk_person_cmp(&((const walk_person *)a->item)->p,
	                        &((const walk_person *)b->item)->p);
	return c ? c : walk_keyed_tie(a, b);
}

static int walk_rec_cmp_v(const void *a, const void *b)
{
	return registry_record_cmp(&((const walk_rec *)a)->rec, &((const walk_rec *)b)->rec);
}

static int walk_person_cmp_v(const void *a, const void *b)
{
	return walk_person_cmp(&((const walk_person *)a)->p, &((const walk_person *)b)->p);
}

static void walk_rec_changed(report_walk *w, size_t i, int add)
{
	walk_cover(w, &w->recs[i], add);
}

/* Sorts the indexes v[0..n) by the items (of size bytes each) they name, in canonical order,
 * and drops repeats; returns how many are left. */
static size_t walk_sort_unique(size_t *v, size_t n, const void *items, size_t size,
                               int (*qcmp)(const void *, const void *))
{
	walk_keyed *k;
	size_t i, out = 0;
	if (n < 2)
		return n;
	k = iw_malloc(n * sizeof(*k));
	for (i = 0; i < n; i++) {
		k[i].item = (const char *)items + v[i] * size;
		k[i].i = v[i];
	}
	qsort(k, n, sizeof(*k), qcmp);
	for (i = 0; i < n; i++)
		if (!out || v[out - 1] != k[i].i)
			v[out++] = k[i].i;
	free(k);
	return out;
}

/* The first position: every version whose span covers it, sorted. */
static void walk_start(report_walk *w)
{
	size_t i;
	for (i = 0; i < w->nrecs && w->recs[i].span.first <= w->first; i++) {
		if (w->recs[i].span.last < w->first)
			continue;
		w->rs.live.v[w->rs.live.n++] = i;
		walk_cover(w, &w->recs[i], 1);
	}
	w->rs.next = i;
	for (i = 0; i < w->npeople && w->people[i].span.first <= w->first; i++)
		if (w->people[i].span.last >= w->first)
			w->ps.live.v[w->ps.live.n++] = i;
	w->ps.next = i;
	w->rs.live.n = walk_sort_unique(w->rs.live.v, w->rs.live.n, w->recs, sizeof(*w->recs),
	                                walk_keyed_rec_qcmp);
	w->ps.live.n = walk_sort_unique(w->ps.live.v, w->ps.live.n, w->people, sizeof(*w->people),
	                                walk_keyed_person_qcmp);
}

/* Sorts what was loaded and allocates the live lists and indexes. */
static void walk_ready(report_walk *w)
{
	if (w->nrecs > 1)
		qsort(w->recs, w->nrecs, sizeof(*w->recs), walk_rec_qcmp);
	if (w->npeople > 1)
		qsort(w->people, w->npeople, sizeof(*w->people), walk_person_qcmp);
	walk_set_alloc(&w->rs, w->recs, sizeof(*w->recs), w->nrecs);
	walk_set_alloc(&w->ps, w->people, sizeof(*w->people), w->npeople);
	walk_pair_index(w);
	w->cover = iw_calloc(REGISTRY_NPROTOS, sizeof(*w->cover));
	w->nprotos = iw_calloc(65536, 1);
}

int report_walk_open(store *s, const store_snapshot *snaps, size_t nsnaps, int64_t first,
                     int64_t last, report_walk **out)
{
	report_walk *w;
	int rc;

	*out = NULL;
	if (first < 1 || last < first || (size_t)last > nsnaps)
		return iw_error_set(IW_EINVAL, "site: no snapshot positions %lld..%lld among %zu",
		                    (long long)first, (long long)last, nsnaps);
	w = iw_calloc(1, sizeof(*w));
	w->snaps = snaps;
	w->nsnaps = nsnaps;
	w->first = first;
	w->last = last;
	/* One read transaction, so that both queries see the same history. */
	if ((rc = store_read_begin(s)))
		goto out;
	rc = walk_load_records(w, s);
	if (!rc)
		rc = walk_load_people(w, s);
	store_read_end(s);
	if (rc)
		goto out;
	walk_ready(w);
	*out = w;
	w = NULL;
out:
	report_walk_free(w);
	return rc;
}

/* The same version span found by two queries is kept once (sorted, so repeats are
 * neighbours: same span, equal content). */
static void walk_unique_records(report_walk *w)
{
	size_t i, out = 0;
	if (w->nrecs > 1)
		qsort(w->recs, w->nrecs, sizeof(*w->recs), walk_rec_qcmp);
	for (i = 0; i < w->nrecs; i++) {
		if (out && w->recs[out - 1].span.first == w->recs[i].span.first &&
		    w->recs[out - 1].span.last == w->recs[i].span.last &&
		    !registry_record_cmp(&w->recs[out - 1].rec, &w->recs[i].rec))
			continue;
		w->recs[out++] = w->recs[i];
	}
	w->nrecs = out;
}

static int walk_name_qcmp(const void *pa, const void *pb)
{
	return strcasecmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* A step changing more versions than this loads both whole positions instead: one query
 * beats one per changed range. */
#define WALK_STEP_MAX 64

static int walk_load_step(report_walk *w, store *s, int64_t pos, int *fallback)
{
	store_version_list gone, came, l;
	store_version_list *both[2];
	walk_iv *iv = NULL;
	const char **names = NULL;
	size_t i, k, niv = 0, nnames = 0;
	int rc, side;

	memset(&gone, 0, sizeof(gone));
	memset(&came, 0, sizeof(came));
	*fallback = 0;
	if ((rc = store_spans(s, STORE_RECORD_VERSIONS, STORE_SPANS_ENDING, pos - 1, pos - 1,
	                      &gone)) ||
	    (rc = store_spans(s, STORE_RECORD_VERSIONS, STORE_SPANS_STARTING, pos, pos, &came)))
		goto out;
	if (gone.n + came.n > WALK_STEP_MAX) {
		*fallback = 1;
		goto out;
	}
	both[0] = &gone;
	both[1] = &came;
	/* What shares a port or a portless name with a changed version, at either position: one
	 * query per stretch of changed ports (merged) and per name. */
	iv = iw_malloc((gone.n + came.n + 1) * sizeof(*iv));
	names = iw_malloc((gone.n + came.n + 1) * sizeof(*names));
	for (side = 0; side < 2; side++)
		for (i = 0; i < both[side]->n; i++) {
			const registry_record *r = &both[side]->v[i].rec;
			if (r->port == REGISTRY_NO_PORT && !r->f[REG_NAME]) {
				*fallback = 1;
				goto out;
			}
			if (r->port == REGISTRY_NO_PORT) {
				names[nnames++] = r->f[REG_NAME];
			} else {
				iv[niv].lo = r->port;
				iv[niv++].hi = r->port_end;
			}
		}
	if (niv > 1)
		qsort(iv, niv, sizeof(*iv), walk_iv_qcmp);
	if (nnames > 1)
		qsort(names, nnames, sizeof(*names), walk_name_qcmp);
	for (i = 0; i < niv; i = k) {
		int32_t hi = iv[i].hi;
		for (k = i + 1; k < niv && iv[k].lo <= hi + 1; k++)
			if (iv[k].hi > hi)
				hi = iv[k].hi;
		if ((rc = store_versions_for_ports(s, iv[i].lo, hi, &l)))
			goto out;
		walk_take_records(w, &l, pos - 1, pos, 0);
	}
	for (i = 0; i < nnames; i++) {
		if (i && !strcasecmp(names[i - 1], names[i]))
			continue;
		if ((rc = store_versions_for_name(s, names[i], &l)))
			goto out;
		walk_take_records(w, &l, pos - 1, pos, 1);
	}
	for (side = 0; side < 2; side++)
		walk_take_records(w, both[side], pos - 1, pos, 0);
	walk_unique_records(w);
	rc = walk_load_people(w, s);
out:
	free(iv);
	free(names);
	store_version_list_free(&gone);
	store_version_list_free(&came);
	return rc;
}

int report_walk_open_step(store *s, const store_snapshot *snaps, size_t nsnaps, int64_t pos,
                          report_walk **out)
{
	report_walk *w;
	int rc, fallback = 0;

	*out = NULL;
	if (pos < 2 || (size_t)pos > nsnaps)
		return iw_error_set(IW_EINVAL, "site: no step to snapshot position %lld among %zu",
		                    (long long)pos, nsnaps);
	w = iw_calloc(1, sizeof(*w));
	w->snaps = snaps;
	w->nsnaps = nsnaps;
	w->first = pos - 1;
	w->last = pos;
	w->partial = 1;
	if ((rc = store_read_begin(s)))
		goto out;
	rc = walk_load_step(w, s, pos, &fallback);
	store_read_end(s);
	if (rc)
		goto out;
	if (fallback) {
		report_walk_free(w);
		return report_walk_open(s, snaps, nsnaps, pos - 1, pos, out);
	}
	walk_ready(w);
	*out = w;
	w = NULL;
out:
	report_walk_free(w);
	return rc;
}

/* A document of the given versions (indexes in canonical order) at position pos. */
static registry_doc *walk_doc_new(const report_walk *w, int64_t pos, const walk_live *people,
                                  int prev)
{
	registry_doc *doc = registry_doc_new();
	const size_t *v = prev ? people->prev : people->v;
	size_t n = prev ? people->nprev : people->n, i;
	doc->updated = iw_strdup(w->snaps[pos - 1].registry_updated);
	for (i = 0; i < n; i++)
		*registry_doc_add_person(doc) = w->people[v[i]].p;
	return doc;
}

/* The first place in v[lo..n) (indexes of versions sorted by cmp) whose version does not sort
 * before version x. */
static size_t walk_live_bound(const size_t *v, size_t lo, size_t n, const char *base,
                              size_t size, size_t x, int (*cmp)(const void *, const void *))
{
	size_t hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp(base + v[mid] * size, base + x * size) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Where version x stands in the live list (v, n), sorted by cmp; x is in it. */
static size_t walk_live_find(const size_t *v, size_t n, const char *base, size_t size, size_t x,
                             int (*cmp)(const void *, const void *))
{
	size_t lo = walk_live_bound(v, 0, n, base, size, x, cmp), i;
	if (lo < n && v[lo] == x)
		return lo;
	for (i = 0; i < n; i++) /* never expected: equal content is one version */
		if (v[i] == x)
			return i;
	return n;
}

static int walk_size_qcmp(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	return (a > b) - (a < b);
}

/* Moves *at (a place in s->by_last) past the versions that left before pos; returns how many
 * leave at pos (last position pos - 1): by_last[*at...]. */
static size_t walk_leaving(const walk_set *s, const void *items, size_t size, size_t n,
                           size_t *at, int64_t pos)
{
	size_t k;
	while (*at < n && walk_span_at(items, size, s->by_last[*at])->last < pos - 1)
		(*at)++;
	for (k = *at; k < n && walk_span_at(items, size, s->by_last[k])->last == pos - 1; k++)
		continue;
	return k - *at;
}

/*
 * Moves the live list of s to position pos: drops the versions whose span ended before it
 * and merges in those starting at it. The list before the step stays in live.prev. The
 * versions leaving at pos (last position pos - 1, from by_last[step...]) and entering
 * (items[next...]) are few, so they are placed by binary search and the rest of the list is
 * copied in stretches, without reading each version.
 */
static void walk_step_fast(walk_set *s, const void *items, size_t size, size_t nitems,
                           int64_t pos, int (*cmp)(const void *, const void *),
                           void (*on_change)(report_walk *, size_t, int), report_walk *w,
                           size_t **scratch, size_t *scratch_alloc)
{
	const char *base = items;
	walk_live *l = &s->live;
	const size_t *by_last = s->by_last;
	size_t *old = l->v, *nv = l->prev, *next = &s->next, *leave = &s->step;
	size_t end = *next, nl = walk_leaving(s, items, size, nitems, leave, pos), k, e, out = 0;
	size_t from = 0, *gone;
	while (end < nitems && walk_span_at(items, size, end)->first == pos)
		end++;
	if (nl + 1 > *scratch_alloc) {
		*scratch_alloc = nl + 1;
		*scratch = iw_realloc(*scratch, *scratch_alloc * sizeof(**scratch));
	}
	gone = *scratch;
	for (k = 0; k < nl; k++) {
		size_t x = by_last[*leave + k];
		/* Versions that started after the walk's first position but ended before this one
		 * are not in the list (spans start no later than they end). */
		gone[k] = walk_live_find(old, l->n, base, size, x, cmp);
		if (on_change && gone[k] < l->n)
			on_change(w, x, 0);
	}
	if (nl > 1)
		qsort(gone, nl, sizeof(*gone), walk_size_qcmp);
	/* Merge: old[from..] up to each event, skipping the gone, inserting the entering. */
	k = 0;
	for (e = *next; e <= end; e++) {
		size_t at = e < end ? walk_live_bound(old, from, l->n, base, size, e, cmp) : l->n;
		while (from < at) {
			size_t stop = k < nl && gone[k] < at ? gone[k] : at;
			if (stop > from) {
				memcpy(nv + out, old + from, (stop - from) * sizeof(*nv));
				out += stop - from;
				from = stop;
			}
			if (k < nl && gone[k] == from && from < at) {
				from++;
				k++;
			}
		}
		if (e < end) {
			nv[out++] = e;
			if (on_change)
				on_change(w, e, 1);
		}
	}
	*leave += nl;
	l->prev = old;
	l->nprev = l->n;
	l->v = nv;
	l->n = out;
	*next = end;
}

int report_walk_next(report_walk *w, int64_t *pos, size_t *assigned)
{
	if (w->pos >= w->last)
		return IW_ENOTFOUND;
	registry_doc_free(w->doc);
	registry_doc_free(w->pair[0]);
	registry_doc_free(w->pair[1]);
	w->doc = w->pair[0] = w->pair[1] = NULL;
	if (w->pos == 0) {
		w->pos = w->first;
		walk_start(w);
	} else {
		w->pos++;
		w->rs.enter = w->rs.next;
		w->ps.enter = w->ps.next;
		walk_step_fast(&w->rs, w->recs, sizeof(*w->recs), w->nrecs, w->pos, walk_rec_cmp_v,
		               walk_rec_changed, w, &w->scratch, &w->scratch_alloc);
		walk_step_fast(&w->ps, w->people, sizeof(*w->people), w->npeople, w->pos,
		               walk_person_cmp_v, NULL, w, &w->scratch, &w->scratch_alloc);
	}
	*pos = w->pos;
	if (assigned)
		*assigned = w->assigned;
	return IW_OK;
}

int report_walk_doc(report_walk *w, const registry_doc **doc)
{
	size_t i;
	if (!w->pos)
		return iw_error_set(IW_EINVAL, "site: the walk has not started");
	if (w->partial)
		return iw_error_set(IW_EINVAL, "site: a walk of one step holds no whole document");
	if (!w->doc) {
		w->doc = walk_doc_new(w, w->pos, &w->ps.live, 0);
		for (i = 0; i < w->rs.live.n; i++)
			*registry_doc_add_record(w->doc) = w->recs[w->rs.live.v[i]].rec;
	}
	*doc = w->doc;
	return IW_OK;
}

static int walk_iv_qcmp(const void *pa, const void *pb)
{
	const walk_iv *a = pa, *b = pb;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return (a->hi > b->hi) - (a->hi < b->hi);
}

/* Records covering more ports than this are few (ranges such as Unassigned): they are
 * checked one by one; the others are found by binary search on their first port. */
#define WALK_NARROW 256

static int walk_wide(const registry_record *r)
{
	return r->port != REGISTRY_NO_PORT && r->port_end - r->port >= WALK_NARROW;
}

/* Sorting indexes by a version's last position, without a global context. */
typedef struct walk_by_last {
	int64_t last;
	size_t i;
} walk_by_last;

static int walk_by_last_qcmp(const void *pa, const void *pb)
{
	const walk_by_last *a = pa, *b = pb;
	if (a->last != b->last)
		return a->last < b->last ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

static size_t *walk_sort_by_last(const void *items, size_t size, size_t n)
{
	walk_by_last *k = iw_malloc((n ? n : 1) * sizeof(*k));
	size_t *out = iw_malloc((n ? n : 1) * sizeof(*out)), i;
	for (i = 0; i < n; i++) {
		k[i].last = walk_span_at(items, size, i)->last;
		k[i].i = i;
	}
	if (n > 1)
		qsort(k, n, sizeof(*k), walk_by_last_qcmp);
	for (i = 0; i < n; i++)
		out[i] = k[i].i;
	free(k);
	return out;
}

/* Allocates the lists and indexes of a set of the n versions items (of size bytes each). */
static void walk_set_alloc(walk_set *s, const void *items, size_t size, size_t n)
{
	int side;
	s->live.v = iw_malloc((n + 1) * sizeof(size_t));
	s->live.prev = iw_malloc((n + 1) * sizeof(size_t));
	s->by_last = walk_sort_by_last(items, size, n);
	for (side = 0; side < 2; side++) {
		s->sel[side] = iw_malloc((n + 1) * sizeof(size_t));
		s->stamp[side] = iw_calloc(n + 1, sizeof(int64_t));
	}
}

static void walk_set_free(walk_set *s)
{
	int side;
	free(s->live.v);
	free(s->live.prev);
	free(s->by_last);
	for (side = 0; side < 2; side++) {
		free(s->sel[side]);
		free(s->stamp[side]);
	}
}

/* What report_walk_pair() looks wide records up with, built once. */
static void walk_pair_index(report_walk *w)
{
	size_t i, n = 0;
	for (i = 0; i < w->nrecs; i++)
		n += walk_wide(&w->recs[i].rec);
	w->wide = iw_malloc((n ? n : 1) * sizeof(*w->wide));
	for (i = 0; i < w->nrecs; i++)
		if (walk_wide(&w->recs[i].rec))
			w->wide[w->nwide++] = i;
}

/* Selects version i of s for side (0: before, 1: after) of the pair at pos, once. */
static void walk_sel(walk_set *s, int side, size_t i, int64_t pos)
{
	if (s->stamp[side][i] == pos)
		return;
	s->stamp[side][i] = pos;
	s->sel[side][s->nsel[side]++] = i;
}

/* Selects, of the n versions items (of size bytes each) that s indexes, what left at pos
 * (span ended at pos - 1) for side 0 and what entered (span starts at pos) for side 1. */
static void walk_sel_changed(walk_set *s, const void *items, size_t size, size_t n, int64_t pos)
{
	size_t i, nl = walk_leaving(s, items, size, n, &s->leave, pos);
	for (i = 0; i < nl; i++)
		walk_sel(s, 0, s->by_last[s->leave + i], pos);
	for (i = s->enter; i < s->next; i++)
		walk_sel(s, 1, i, pos);
}

/* Notes what a version that left or entered touches: its ports, or its key without a port. */
static void walk_note_changed(report_walk *w, const registry_record *r)
{
	int p;
	if (r->port == REGISTRY_NO_PORT) {
		if (w->nkeys == w->keys_alloc) {
			w->keys_alloc = w->keys_alloc ? w->keys_alloc * 2 : 64;
			w->keys = iw_realloc(w->keys, w->keys_alloc * sizeof(*w->keys));
		}
		w->keys[w->nkeys++] = r;
		return;
	}
	for (p = 0; p < REGISTRY_NPROTOS; p++) {
		if (!registry_record_covers_proto(r, p))
			continue;
		if (w->niv[p] == w->iv_alloc[p]) {
			w->iv_alloc[p] = w->iv_alloc[p] ? w->iv_alloc[p] * 2 : 64;
			w->iv[p] = iw_realloc(w->iv[p], w->iv_alloc[p] * sizeof(*w->iv[p]));
		}
		w->iv[p][w->niv[p]].lo = r->port;
		w->iv[p][w->niv[p]++].hi = r->port_end;
	}
}

/* Sorts each protocol's intervals and merges the overlapping ones, for binary search. */
static void walk_merge_intervals(report_walk *w)
{
	int p;
	for (p = 0; p < REGISTRY_NPROTOS; p++) {
		size_t i, out = 0;
		if (w->niv[p] < 2)
			continue;
		qsort(w->iv[p], w->niv[p], sizeof(*w->iv[p]), walk_iv_qcmp);
		for (i = 1; i < w->niv[p]; i++) {
			if (w->iv[p][i].lo <= w->iv[p][out].hi + 1) {
				if (w->iv[p][i].hi > w->iv[p][out].hi)
					w->iv[p][out].hi = w->iv[p][i].hi;
			} else {
				w->iv[p][++out] = w->iv[p][i];
			}
		}
		w->niv[p] = out + 1;
	}
}

/* Whether a record with a port covers a changed port on one of its protocols. */
static int walk_touched(const report_walk *w, const registry_record *r)
{
	int p;
	for (p = 0; p < REGISTRY_NPROTOS; p++) {
		const walk_iv *iv = w->iv[p];
		size_t lo = 0, hi = w->niv[p];
		if (!hi || !registry_record_covers_proto(r, p))
			continue;
		/* The first interval ending at or after the record's first port. */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (iv[mid].hi < r->port)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < w->niv[p] && iv[lo].lo <= r->port_end)
			return 1;
	}
	return 0;
}

/* The first index of the live list l whose record does not sort before probe's key. */
static size_t walk_lower_bound(const report_walk *w, const size_t *v, size_t n,
                               const registry_record *probe)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (registry_key_cmp(&w->recs[v[mid]].rec, probe) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Adds to sel the unchanged versions of the live list (v, n) that cover a changed port or
 * share a changed portless key; the changed ones are added by the caller. */
static void walk_select_touched(report_walk *w, const size_t *v, size_t n, int64_t at, int side)
{
	registry_record probe;
	size_t i, k;
	int p;
	memset(&probe, 0, sizeof(probe));
	for (p = 0; p < REGISTRY_NPROTOS; p++) {
		for (k = 0; k < w->niv[p]; k++) {
			/* Narrow records covering [lo, hi] start within WALK_NARROW ports before it. */
			probe.port = w->iv[p][k].lo > WALK_NARROW ? w->iv[p][k].lo - WALK_NARROW : 0;
			probe.port_end = -1; /* before every record starting at probe.port */
			probe.f[REG_PROTOCOL] = NULL;
			probe.f[REG_NAME] = NULL;
			for (i = walk_lower_bound(w, v, n, &probe); i < n; i++) {
				const registry_record *r = &w->recs[v[i]].rec;
				if (r->port == REGISTRY_NO_PORT || r->port > w->iv[p][k].hi)
					break;
				if (!walk_wide(r) && walk_touched(w, r))
					walk_sel(&w->rs, side, v[i], w->pos);
			}
		}
	}
	for (k = 0; k < w->nkeys; k++) {
		probe.port = REGISTRY_NO_PORT;
		probe.port_end = w->keys[k]->port_end;
		probe.f[REG_PROTOCOL] = w->keys[k]->f[REG_PROTOCOL];
		probe.f[REG_NAME] = w->keys[k]->f[REG_NAME];
		for (i = walk_lower_bound(w, v, n, &probe); i < n; i++) {
			if (registry_key_cmp(&w->recs[v[i]].rec, &probe))
				break;
			walk_sel(&w->rs, side, v[i], w->pos);
		}
	}
	for (k = 0; k < w->nwide; k++) {
		const walk_rec *r = &w->recs[w->wide[k]];
		if (r->span.first <= at && r->span.last >= at && walk_touched(w, &r->rec))
			walk_sel(&w->rs, side, w->wide[k], w->pos);
	}
}

/* The live person (list v, n, sorted by id) whose id is id[0..len), or NULL. */
static const walk_person *walk_find_person(const report_walk *w, const size_t *v, size_t n,
                                           const char *id, size_t len)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *pid = w->people[v[mid]].p.id;
		int c = pid ? strncmp(pid, id, len) : -1;
		if (c == 0 && pid[len])
			c = 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n) {
		const char *pid = w->people[v[lo]].p.id;
		if (pid && !strncmp(pid, id, len) && !pid[len])
			return &w->people[v[lo]];
	}
	return NULL;
}

/* Adds the people named in a '\n'-separated list, as they stand on either side. */
static void walk_select_named(report_walk *w, const char *list)
{
	const walk_live *l = &w->ps.live;
	while (list && *list) {
		const char *nl = strchr(list, '\n');
		size_t len = nl ? (size_t)(nl - list) : strlen(list);
		const walk_person *pa = walk_find_person(w, l->prev, l->nprev, list, len);
		const walk_person *pb = walk_find_person(w, l->v, l->n, list, len);
		if (pa)
			walk_sel(&w->ps, 0, (size_t)(pa - w->people), w->pos);
		if (pb)
			walk_sel(&w->ps, 1, (size_t)(pb - w->people), w->pos);
		list = nl ? nl + 1 : NULL;
	}
}

/* A document of the selected versions at position pos. */
static registry_doc *walk_pair_doc(const report_walk *w, int64_t pos, int side)
{
	registry_doc *doc = registry_doc_new();
	size_t i;
	doc->updated = iw_strdup(w->snaps[pos - 1].registry_updated);
	for (i = 0; i < w->rs.nsel[side]; i++)
		*registry_doc_add_record(doc) = w->recs[w->rs.sel[side][i]].rec;
	for (i = 0; i < w->ps.nsel[side]; i++)
		*registry_doc_add_person(doc) = w->people[w->ps.sel[side][i]].p;
	return doc;
}

/*
 * Why the pair diffs like the whole documents (diff.h's rules): every version that changed
 * is in it; the status of a changed port is the strongest record covering it, and every
 * record covering it on either side is in the pair, so both status maps are exact wherever
 * a status can change, and equal elsewhere (only unchanged records cover other ports, and
 * they are on both sides); entries sharing a key with a changed entry share its ports (or,
 * without a port, its name and protocol), so each key that changed is matched over all its
 * entries, in their relative document order; any other entry in the pair is on both sides
 * unchanged and matches itself. What stands at a changed port (the text reports' "now
 * Reserved") is found among the same covering records. People: every person version that
 * left or entered, and every person a record of the pair names, each as it stands on each
 * side; so people changes are those of the whole documents, and every name a report
 * resolves (registry_person_label(), through either document) is found as in them.
 * The cost is that of what changed, whatever the size of the registry: the versions that
 * leave and enter are found by position, the unchanged neighbours by binary search on port
 * (or key) in the live lists, which are in canonical order.
 */
int report_walk_pair(report_walk *w, const registry_doc **a, const registry_doc **b)
{
	const walk_live *l = &w->rs.live;
	size_t k;
	int p, side;

	if (w->pos <= w->first)
		return iw_error_set(IW_EINVAL, "site: no step to compare at the first position");
	if (!w->pair[0]) {
		for (p = 0; p < REGISTRY_NPROTOS; p++)
			w->niv[p] = 0;
		w->nkeys = 0;
		w->rs.nsel[0] = w->rs.nsel[1] = w->ps.nsel[0] = w->ps.nsel[1] = 0;
		walk_sel_changed(&w->rs, w->recs, sizeof(*w->recs), w->nrecs, w->pos);
		for (side = 0; side < 2; side++)
			for (k = 0; k < w->rs.nsel[side]; k++)
				walk_note_changed(w, &w->recs[w->rs.sel[side][k]].rec);
		walk_merge_intervals(w);
		walk_select_touched(w, l->prev, l->nprev, w->pos - 1, 0);
		walk_select_touched(w, l->v, l->n, w->pos, 1);
		for (side = 0; side < 2; side++)
			w->rs.nsel[side] = walk_sort_unique(w->rs.sel[side], w->rs.nsel[side], w->recs,
			                                    sizeof(*w->recs), walk_keyed_rec_qcmp);

		walk_sel_changed(&w->ps, w->people, sizeof(*w->people), w->npeople, w->pos);
		for (side = 0; side < 2; side++)
			for (k = 0; k < w->rs.nsel[side]; k++) {
				const registry_record *r = &w->recs[w->rs.sel[side][k]].rec;
				walk_select_named(w, r->f[REG_ASSIGNEE]);
				walk_select_named(w, r->f[REG_CONTACT]);
			}
		for (side = 0; side < 2; side++)
			w->ps.nsel[side] = walk_sort_unique(w->ps.sel[side], w->ps.nsel[side], w->people,
			                                    sizeof(*w->people), walk_keyed_person_qcmp);

		w->pair[0] = walk_pair_doc(w, w->pos - 1, 0);
		w->pair[1] = walk_pair_doc(w, w->pos, 1);
	}
	*a = w->pair[0];
	*b = w->pair[1];
	return IW_OK;
}

void report_walk_free(report_walk *w)
{
	size_t i;
	int p;
	if (!w)
		return;
	registry_doc_free(w->doc);
	registry_doc_free(w->pair[0]);
	registry_doc_free(w->pair[1]);
	for (i = 0; i < w->nstrings; i++)
		registry_doc_free(w->strings[i]);
	free(w->strings);
	free(w->recs);
	free(w->people);
	walk_set_free(&w->rs);
	walk_set_free(&w->ps);
	free(w->cover);
	free(w->nprotos);
	free(w->scratch);
	free(w->wide);
	free(w->keys);
	for (p = 0; p < REGISTRY_NPROTOS; p++)
		free(w->iv[p]);
	free(w);
}
