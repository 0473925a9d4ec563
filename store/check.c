/* check.c: verifying a database: SQLite's own checks, the spans, the raw archive (walked once),
 * and each snapshot's reconstruction against a fresh parse of its stored document. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store_int.h"
#include "common/banned.h"

/* An id and where it is in an array: sorted by id, for lookups by binary search. */
typedef struct store_id_index {
	int64_t id;
	size_t idx;
} store_id_index;

#define WALK_NONE ((size_t)-1)

static int store_id_cmp(const void *pa, const void *pb)
{
	const store_id_index *a = pa, *b = pb;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* The index stored with id, or WALK_NONE. */
static size_t store_id_find(const store_id_index *v, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].id == id)
			return v[mid].idx;
		if (v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return WALK_NONE;
}

/* ---- the raw archive walk ------------------------------------------------------------------ */

typedef struct walk_node {
	int64_t id;
	int64_t base;               /* 0: compressed alone */
	int64_t pos;                /* 0 when its snapshot row is missing */
	size_t first_child, nchildren; /* its deltas, in walk.children */
	int done;                   /* fn was called for it */
} walk_node;

typedef struct walk_frame {
	size_t node;
	unsigned char *data;        /* the node's document, kept while deltas remain */
	size_t len;
	size_t next;                /* its next child to rebuild */
} walk_frame;

typedef struct walk {
	store *s;
	store_raw_fn fn;
	void *arg;
	walk_node *nodes;           /* newest first */
	size_t n;
	size_t *children;
	store_id_index *byid;       /* node indices sorted by id */
	sqlite3_stmt *blob;
	walk_frame *stack;
	size_t sp, stack_alloc;
} walk;

static int walk_node_cmp(const void *pa, const void *pb)
{
	const walk_node *a = pa, *b = pb;
	/* Newest first; rows without a snapshot last. */
	if (a->pos != b->pos)
		return !a->pos ? 1 : !b->pos ? -1 : a->pos > b->pos ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static size_t walk_find(const walk *w, int64_t id)
{
	return store_id_find(w->byid, w->n, id);
}

/* Reads the rows (without their data) and links each delta to the document it is based on. */
static int walk_load(walk *w)
{
	sqlite3_stmt *st = NULL;
	size_t alloc = 0, i, *fill = NULL;
	int rc, sr;

	if ((rc = store_prepare(w->s, &st, "SELECT r.snapshot_id, r.base_id, s.pos FROM raw r "
	                        "LEFT JOIN snapshot s ON s.id = r.snapshot_id")))
		return rc;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		walk_node *nd;
		IW_GROW(w->nodes, w->n, alloc, 256);
		nd = &w->nodes[w->n++];
		memset(nd, 0, sizeof(*nd));
		nd->id = sqlite3_column_int64(st, 0);
		nd->base = sqlite3_column_int64(st, 1);
		nd->pos = sqlite3_column_int64(st, 2);
	}
	if (sr != SQLITE_DONE)
		rc = store_sqlerr(w->s, "list raw documents");
	sqlite3_finalize(st);
	if (rc || !w->n)
		return rc;
	qsort(w->nodes, w->n, sizeof(*w->nodes), walk_node_cmp);
	w->byid = iw_malloc(w->n * sizeof(*w->byid));
	for (i = 0; i < w->n; i++) {
		w->byid[i].id = w->nodes[i].id;
		w->byid[i].idx = i;
	}
	qsort(w->byid, w->n, sizeof(*w->byid), store_id_cmp);

	/* Children grouped per parent, newest first like the nodes. */
	for (i = 0; i < w->n; i++) {
		size_t p = w->nodes[i].base ? walk_find(w, w->nodes[i].base) : WALK_NONE;
		if (p != WALK_NONE)
			w->nodes[p].nchildren++;
	}
	for (i = 0, alloc = 0; i < w->n; i++) {
		w->nodes[i].first_child = alloc;
		alloc += w->nodes[i].nchildren;
	}
	w->children = iw_malloc((alloc ? alloc : 1) * sizeof(*w->children));
	fill = iw_calloc(w->n, sizeof(*fill));
	for (i = 0; i < w->n; i++) {
		size_t p = w->nodes[i].base ? walk_find(w, w->nodes[i].base) : WALK_NONE;
		if (p != WALK_NONE)
			w->children[w->nodes[p].first_child + fill[p]++] = i;
	}
	free(fill);
	return store_prepare(w->s, &w->blob, "SELECT data FROM raw WHERE snapshot_id = ?");
}

/* Reports every delta below node (which could not be rebuilt) as unbuildable. */
static int walk_fail_below(walk *w, size_t node)
{
	size_t *todo = iw_malloc(w->n * sizeof(*todo)), n = 0, i;
	char why[160];
	int rc = IW_OK;
	snprintf(why, sizeof(why), "it depends on the raw document of snapshot %lld, which cannot "
	         "be rebuilt", (long long)w->nodes[node].id);
	todo[n++] = node;
	while (n && !rc) {
		walk_node *nd = &w->nodes[todo[--n]];
		for (i = 0; i < nd->nchildren && !rc; i++) {
			size_t c = w->children[nd->first_child + i];
			if (w->nodes[c].done)
				continue;
			w->nodes[c].done = 1;
			rc = w->fn(w->arg, w->nodes[c].id, NULL, 0, why);
			todo[n++] = c;
		}
	}
	free(todo);
	return rc;
}

/* Rebuilds one document against its base's (prefix) and hands it to fn; *out keeps it, NULL
 * when it could not be rebuilt. */
static int walk_visit(walk *w, size_t node, const unsigned char *prefix, size_t plen,
                      unsigned char **out, size_t *outlen)
{
	walk_node *nd = &w->nodes[node];
	char why[512] = "";
	int rc, sr;

	*out = NULL;
	*outlen = 0;
	nd->done = 1;
	sqlite3_bind_int64(w->blob, 1, nd->id);
	sr = sqlite3_step(w->blob);
	if (sr == SQLITE_ROW) {
		if (store_raw_decompress(sqlite3_column_blob(w->blob, 0),
		                         (size_t)sqlite3_column_bytes(w->blob, 0), prefix, plen, out,
		                         outlen) != IW_OK)
			snprintf(why, sizeof(why), "%s", iw_error_last());
	} else {
		snprintf(why, sizeof(why), "cannot read it: %s", sqlite3_errmsg(w->s->db));
	}
	sqlite3_reset(w->blob);
	rc = w->fn(w->arg, nd->id, *out, *outlen, *out ? NULL : why);
	if (!rc && !*out)
		rc = walk_fail_below(w, node);
	return rc;
}

static void walk_push(walk *w, size_t node, unsigned char *data, size_t len)
{
	IW_GROW(w->stack, w->sp, w->stack_alloc, 16);
	w->stack[w->sp].node = node;
	w->stack[w->sp].data = data;
	w->stack[w->sp].len = len;
	w->stack[w->sp].next = 0;
	w->sp++;
}

/* Rebuilds the tree below one self-contained document, depth first. */
static int walk_tree(walk *w, size_t root)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rc = walk_visit(w, root, NULL, 0, &data, &len);
	if (rc || !data || !w->nodes[root].nchildren) {
		free(data);
		return rc;
	}
	walk_push(w, root, data, len);
	while (w->sp && !rc) {
		walk_frame *top = &w->stack[w->sp - 1];
		const walk_node *pn = &w->nodes[top->node];
		unsigned char *pdata = top->data, *cdata = NULL;
		size_t plen = top->len, clen = 0, child;
		int last;
		child = w->children[pn->first_child + top->next++];
		last = top->next == pn->nchildren;
		/* A document whose last delta is being rebuilt is not needed afterwards: a chain costs
		 * two documents in memory, not its length. */
		if (last)
			w->sp--;
		rc = walk_visit(w, child, pdata, plen, &cdata, &clen);
		if (last)
			free(pdata);
		if (!rc && cdata && w->nodes[child].nchildren) {
			walk_push(w, child, cdata, clen);
			cdata = NULL;
		}
		free(cdata);
	}
	return rc;
}

/* Why a document that no tree reached cannot be rebuilt. */
static void walk_orphan_reason(const walk *w, size_t node, char *why, size_t n)
{
	size_t steps, at = node;
	for (steps = 0; steps <= w->n; steps++) {
		int64_t base = w->nodes[at].base;
		size_t p = walk_find(w, base);
		if (p == WALK_NONE) {
			snprintf(why, n, "it is a delta of snapshot %lld, whose raw document is missing",
			         (long long)base);
			return;
		}
		at = p;
	}
	snprintf(why, n, "its chain of bases loops and never reaches a self-contained document");
}

int store_raw_walk(store *s, store_raw_fn fn, void *arg)
{
	walk w = { .s = s, .fn = fn, .arg = arg };
	size_t i;
	int rc;

	if ((rc = walk_load(&w)))
		goto out;
	for (i = 0; i < w.n && !rc; i++)
		if (!w.nodes[i].base)
			rc = walk_tree(&w, i);
	for (i = 0; i < w.n && !rc; i++) {
		char why[200];
		if (w.nodes[i].done)
			continue;
		walk_orphan_reason(&w, i, why, sizeof(why));
		w.nodes[i].done = 1;
		rc = fn(arg, w.nodes[i].id, NULL, 0, why);
	}
out:
	for (i = 0; i < w.sp; i++)
		free(w.stack[i].data);
	free(w.stack);
	sqlite3_finalize(w.blob);
	free(w.nodes);
	free(w.children);
	free(w.byid);
	return rc;
}

/* ---- the check --------------------------------------------------------------------------- */

/* Past this many problems of one kind, the rest are counted, not listed. */
#define CHECK_LIST_MAX 20
/* Differing records or people listed per snapshot. */
#define CHECK_DIFF_MAX 3

typedef struct check {
	store *s;
	store_check_fn fn;
	void *arg;
	store_check_result *res;
	store_snapshot *snaps;     /* by position */
	size_t nsnaps;
	store_id_index *byid;      /* indices into snaps, sorted by id */
	unsigned char *sampled;    /* per snaps index: compare its reconstruction */
	size_t listed;             /* problems of the current kind so far */
} check;

static void check_problem(check *c, const char *fmt, ...) IW_PRINTF(2, 3);
static void check_problem(check *c, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	c->res->problems++;
	if (c->listed++ >= CHECK_LIST_MAX || !c->fn)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	c->fn(c->arg, line);
}

/* Ends a kind of problem: says how many were not listed. */
static void check_kind_done(check *c, const char *kind)
{
	char line[200];
	if (c->listed > CHECK_LIST_MAX && c->fn) {
		snprintf(line, sizeof(line), "%s: %zu more problems of this kind not listed", kind,
		         c->listed - CHECK_LIST_MAX);
		c->fn(c->arg, line);
	}
	c->listed = 0;
}

static void check_sqlerr(check *c, const char *what)
{
	check_problem(c, "%s: %s", what, sqlite3_errmsg(c->s->db));
}

static void check_sqlite(check *c)
{
	sqlite3_stmt *st = NULL;
	int sr;

	if (store_prepare(c->s, &st, "PRAGMA integrity_check(100)")) {
		check_sqlerr(c, "integrity_check");
	} else {
		while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
			const char *m = (const char *)sqlite3_column_text(st, 0);
			if (m && strcmp(m, "ok"))
				check_problem(c, "integrity_check: %s", m);
		}
		if (sr != SQLITE_DONE)
			check_sqlerr(c, "integrity_check");
	}
	sqlite3_finalize(st);
	check_kind_done(c, "integrity_check");
	st = NULL;
	if (store_prepare(c->s, &st, "PRAGMA foreign_key_check")) {
		check_sqlerr(c, "foreign_key_check");
	} else {
		while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
			const char *table = (const char *)sqlite3_column_text(st, 0);
			const char *parent = (const char *)sqlite3_column_text(st, 2);
			/* WITHOUT ROWID tables (the spans) have no rowid to name. */
			if (sqlite3_column_type(st, 1) == SQLITE_NULL)
				check_problem(c, "foreign_key_check: a %s row refers to a missing %s row",
				              table ? table : "?", parent ? parent : "?");
			else
				check_problem(c, "foreign_key_check: %s row %lld refers to a missing %s row",
				              table ? table : "?", (long long)sqlite3_column_int64(st, 1),
				              parent ? parent : "?");
		}
		if (sr != SQLITE_DONE)
			check_sqlerr(c, "foreign_key_check");
	}
	sqlite3_finalize(st);
	check_kind_done(c, "foreign_key_check");
}

static const store_snapshot *check_snapshot(const check *c, int64_t id)
{
	size_t i = store_id_find(c->byid, c->nsnaps, id);
	return i == WALK_NONE ? NULL : &c->snaps[i];
}

/* Loads the catalogue and checks that the positions are exactly 1..n. */
static int check_snapshots(check *c)
{
	size_t i;
	if (store_list_snapshots(c->s, &c->snaps, &c->nsnaps)) {
		check_problem(c, "snapshot: %s", iw_error_last());
		check_kind_done(c, "snapshot");
		return IW_EDB;
	}
	c->res->snapshots = c->nsnaps;
	c->byid = iw_malloc((c->nsnaps ? c->nsnaps : 1) * sizeof(*c->byid));
	for (i = 0; i < c->nsnaps; i++) {
		c->byid[i].id = c->snaps[i].id;
		c->byid[i].idx = i;
		if (c->snaps[i].pos != (int64_t)i + 1)
			check_problem(c, "snapshot: positions are not 1..%zu: snapshot %lld is at position "
			              "%lld, expected %zu", c->nsnaps, (long long)c->snaps[i].id,
			              (long long)c->snaps[i].pos, i + 1);
		if (!c->snaps[i].has_raw)
			c->res->no_raw++;
	}
	qsort(c->byid, c->nsnaps, sizeof(*c->byid), store_id_cmp);
	check_kind_done(c, "snapshot");
	return IW_OK;
}

static void check_fmt_last(int64_t last, char *out, size_t n)
{
	if (last == STORE_OPEN)
		snprintf(out, n, "open");
	else
		snprintf(out, n, "%lld", (long long)last);
}

/* One table of spans: bounds, overlaps, its versions' existence, and the counts they imply. */
static void check_spans(check *c, const char *table, const char *item, const char *sql,
                        int record_counts)
{
	sqlite3_stmt *st = NULL;
	int64_t n = (int64_t)c->nsnaps, prev_item = 0, prev_first = 0, prev_last = 0, *cov;
	size_t i;
	int sr, have_prev = 0;

	cov = iw_calloc(c->nsnaps + 2, sizeof(*cov));
	if (store_prepare(c->s, &st, sql)) {
		check_sqlerr(c, table);
		goto out;
	}
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0), first = sqlite3_column_int64(st, 1);
		int64_t last = sqlite3_column_int64(st, 2);
		char l[24], pl[24];
		int ok = 1;
		check_fmt_last(last, l, sizeof(l));
		if (sqlite3_column_int(st, 3))
			check_problem(c, "%s: span [%lld, %s] belongs to %s %lld, which does not exist",
			              table, (long long)first, l, item, (long long)id);
		if (first < 1 || first > n) {
			check_problem(c, "%s: %s %lld has span [%lld, %s], which starts outside positions "
			              "1..%lld", table, item, (long long)id, (long long)first, l, (long long)n);
			ok = 0;
		} else if (last != STORE_OPEN && (last < first || last > n)) {
			check_problem(c, "%s: %s %lld has span [%lld, %s], which %s", table, item,
			              (long long)id, (long long)first, l,
			              last < first ? "ends before it starts" : "ends past the newest position");
			ok = 0;
		}
		if (have_prev && prev_item == id && prev_last >= first) {
			check_fmt_last(prev_last, pl, sizeof(pl));
			check_problem(c, "%s: %s %lld has overlapping spans [%lld, %s] and [%lld, %s]", table,
			              item, (long long)id, (long long)prev_first, pl, (long long)first, l);
		}
		if (ok) {
			cov[first]++;
			cov[(last == STORE_OPEN || last > n ? n : last) + 1]--;
		}
		have_prev = 1;
		prev_item = id;
		prev_first = first;
		prev_last = last;
	}
	if (sr != SQLITE_DONE) {
		check_sqlerr(c, table);
		goto out;
	}
	/* The versions covering each position are what its snapshot holds. */
	for (i = 0; i < c->nsnaps; i++) {
		const store_snapshot *sn = &c->snaps[i];
		int64_t want = record_counts ? sn->record_count : sn->person_count;
		cov[i + 1] += cov[i];
		if (sn->pos == (int64_t)i + 1 && cov[i + 1] != want)
			check_problem(c, "snapshot %lld (registry %s): %s_count is %lld, but %lld %s versions "
			              "cover its position %zu", (long long)sn->id, sn->registry_updated,
			              record_counts ? "record" : "person", (long long)want,
			              (long long)cov[i + 1], item, i + 1);
	}
out:
	sqlite3_finalize(st);
	free(cov);
	check_kind_done(c, table);
}

/* A snapshot has at most one raw document (compressed alone, or a delta). */
static void check_raw_rows(check *c)
{
	sqlite3_stmt *st = NULL;
	int sr;
	if (store_prepare(c->s, &st, "SELECT snapshot_id, count(*) FROM raw GROUP BY snapshot_id "
	                  "HAVING count(*) > 1")) {
		check_sqlerr(c, "raw");
		return;
	}
	while ((sr = sqlite3_step(st)) == SQLITE_ROW)
		check_problem(c, "raw: snapshot %lld has %d raw documents, not one",
		              (long long)sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1));
	if (sr != SQLITE_DONE)
		check_sqlerr(c, "raw");
	sqlite3_finalize(st);
}

/* Chooses the snapshots to reconstruct: all those with a document, or `sample` of them spread
 * evenly from the oldest, always with the newest. */
static void check_choose(check *c, size_t sample)
{
	size_t *cand = iw_malloc((c->nsnaps ? c->nsnaps : 1) * sizeof(*cand)), m = 0, i;
	c->sampled = iw_calloc(c->nsnaps ? c->nsnaps : 1, 1);
	for (i = 0; i < c->nsnaps; i++)
		if (c->snaps[i].has_raw)
			cand[m++] = i;
	if (sample == 0 || sample >= m) {
		for (i = 0; i < m; i++)
			c->sampled[cand[i]] = 1;
	} else {
		c->sampled[cand[m - 1]] = 1;
		for (i = 0; i + 1 < sample; i++)
			c->sampled[cand[sample > 2 ? i * (m - 2) / (sample - 2) : 0]] = 1;
	}
	free(cand);
}

static int check_person_cmp(const void *pa, const void *pb)
{
	return registry_person_cmp(pa, pb);
}

static void check_describe_record(const void *rp, char *out, size_t n)
{
	const registry_record *r = rp;
	char port[16], line[24] = "";
	if (r->line)
		snprintf(line, sizeof(line), " (line %u)", (unsigned)r->line);
	if (r->port == REGISTRY_NO_PORT)
		snprintf(port, sizeof(port), "no port");
	else if (r->port == r->port_end)
		snprintf(port, sizeof(port), "%d", (int)r->port);
	else
		snprintf(port, sizeof(port), "%d-%d", (int)r->port, (int)r->port_end);
	snprintf(out, n, "%s/%s %s #%u%s", port, r->f[REG_PROTOCOL] ? r->f[REG_PROTOCOL] : "any",
	         r->f[REG_NAME] ? r->f[REG_NAME] : "(unnamed)", (unsigned)r->occurrence, line);
}

/* One differing record or person of a snapshot: listed up to CHECK_DIFF_MAX per snapshot, all
 * counted. */
static void check_diff(check *c, const store_snapshot *sn, size_t *ndiff, const char *fmt, ...)
	IW_PRINTF(4, 5);
static void check_diff(check *c, const store_snapshot *sn, size_t *ndiff, const char *fmt, ...)
{
	char what[700];
	va_list ap;
	c->res->problems++;
	if ((*ndiff)++ >= CHECK_DIFF_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	{
		char line[800];
		snprintf(line, sizeof(line), "snapshot %lld (registry %s): %s", (long long)sn->id,
		         sn->registry_updated, what);
		c->fn(c->arg, line);
	}
}

static int check_record_cmp(const void *pa, const void *pb)
{
	return registry_record_cmp(pa, pb);
}

static void check_describe_person(const void *pp, char *out, size_t n)
{
	const registry_person *p = pp;
	snprintf(out, n, "%s (%s)", p->id ? p->id : "(no id)",
	         p->f[PERSON_NAME] ? p->f[PERSON_NAME] : "no name");
}

/* One side of a comparison: a sorted array of records or people. */
typedef struct check_side {
	const void *v;
	size_t n;
} check_side;

/* Merges two arrays of `size`-byte elements sorted by cmp and reports each element only one
 * side has, as "NOUN (describe) is in the spans but not in the document" or the reverse. */
static void check_compare_sorted(check *c, const store_snapshot *sn, const char *noun,
                                 check_side spans, check_side fresh, size_t size,
                                 int (*cmp)(const void *, const void *),
                                 void (*describe)(const void *, char *, size_t), size_t *ndiff)
{
	const char *a = spans.v, *b = fresh.v;
	size_t i = 0, j = 0;
	while (i < spans.n || j < fresh.n) {
		int d = i == spans.n ? 1 : j == fresh.n ? -1 : cmp(a + i * size, b + j * size);
		char what[300];
		if (d == 0) {
			i++;
			j++;
			continue;
		}
		describe(d < 0 ? a + i++ * size : b + j++ * size, what, sizeof(what));
		check_diff(c, sn, ndiff, "%s %s is %s", noun, what, d < 0
		           ? "in the spans but not in the document" : "in the document but not in the spans");
	}
}

/* The snapshot as the spans give it must equal a fresh parse of its document. */
static void check_reconstruction(check *c, const store_snapshot *sn, const unsigned char *data,
                                 size_t len)
{
	registry_doc *fresh = NULL, *spans = NULL;
	char name[64];
	size_t ndiff = 0;

	snprintf(name, sizeof(name), "snapshot %lld", (long long)sn->id);
	if (registry_parse(data, len, name, &fresh) != IW_OK) {
		check_diff(c, sn, &ndiff, "its document no longer parses: %s", iw_error_last());
		goto out;
	}
	if (store_load_doc(c->s, sn->id, &spans) != IW_OK) {
		check_diff(c, sn, &ndiff, "cannot reconstruct it: %s", iw_error_last());
		goto out;
	}
	c->res->compared++;
	registry_doc_sort(fresh);
	/* By id and then every field, so that both sides list people sharing an id alike. */
	if (fresh->npeople > 1)
		qsort(fresh->people, fresh->npeople, sizeof(*fresh->people), check_person_cmp);
	if (spans->npeople > 1)
		qsort(spans->people, spans->npeople, sizeof(*spans->people), check_person_cmp);
	if (strcmp(fresh->updated, sn->registry_updated))
		check_diff(c, sn, &ndiff, "its document is dated %s", fresh->updated);
	if ((int64_t)fresh->nrecords != sn->record_count ||
	    (int64_t)fresh->npeople != sn->person_count)
		check_diff(c, sn, &ndiff, "its document has %zu records and %zu people, the catalogue "
		           "says %lld and %lld", fresh->nrecords, fresh->npeople,
		           (long long)sn->record_count, (long long)sn->person_count);
	check_compare_sorted(c, sn, "record", (check_side){spans->records, spans->nrecords},
	                     (check_side){fresh->records, fresh->nrecords}, sizeof(*spans->records),
	                     check_record_cmp, check_describe_record, &ndiff);
	check_compare_sorted(c, sn, "person", (check_side){spans->people, spans->npeople},
	                     (check_side){fresh->people, fresh->npeople}, sizeof(*spans->people),
	                     check_person_cmp, check_describe_person, &ndiff);
	if (ndiff > CHECK_DIFF_MAX) {
		char line[200];
		snprintf(line, sizeof(line), "snapshot %lld (registry %s): %zu more differences not listed",
		         (long long)sn->id, sn->registry_updated, ndiff - CHECK_DIFF_MAX);
		c->fn(c->arg, line);
	}
out:
	registry_doc_free(fresh);
	registry_doc_free(spans);
}

static int check_raw_one(void *arg, int64_t id, const unsigned char *data, size_t len,
                         const char *error)
{
	check *c = arg;
	const store_snapshot *sn = check_snapshot(c, id);
	unsigned char digest[IW_SHA256_LEN];
	char hex[65];

	if (!sn) {
		check_problem(c, "raw: a document for snapshot %lld, which does not exist", (long long)id);
		return IW_OK;
	}
	if (!data) {
		check_problem(c, "snapshot %lld (registry %s): its raw document cannot be rebuilt: %s",
		              (long long)id, sn->registry_updated, error);
		return IW_OK;
	}
	iw_sha256(data, len, digest);
	iw_hex(digest, sizeof(digest), hex);
	if ((int64_t)len != sn->size || strcmp(hex, sn->sha256)) {
		check_problem(c, "snapshot %lld (registry %s): its raw document (%zu bytes, SHA-256 %s) "
		              "is not the one imported (%lld bytes, SHA-256 %s)", (long long)id,
		              sn->registry_updated, len, hex, (long long)sn->size, sn->sha256);
		return IW_OK;
	}
	if (c->sampled[sn - c->snaps])
		check_reconstruction(c, sn, data, len);
	return IW_OK;
}

int store_check(store *s, size_t sample, store_check_fn fn, void *arg, store_check_result *out)
{
	check c;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.fn = fn;
	c.arg = arg;
	c.res = out;
	/* One read transaction (nested in a read-only store's own): a writer committing meanwhile
	 * changes nothing this check sees. */
	if ((rc = store_exec(s, "SAVEPOINT store_check")))
		return rc;
	check_sqlite(&c);
	if (check_snapshots(&c) == IW_OK) {
		check_spans(&c, "record_span", "record",
		            "SELECT s.record_id, s.first_pos, s.last_pos, r.id IS NULL FROM record_span s "
		            "LEFT JOIN record r ON r.id = s.record_id ORDER BY s.record_id, s.first_pos", 1);
		check_spans(&c, "person_span", "person",
		            "SELECT s.person_id, s.first_pos, s.last_pos, p.id IS NULL FROM person_span s "
		            "LEFT JOIN person p ON p.id = s.person_id ORDER BY s.person_id, s.first_pos", 0);
		check_raw_rows(&c);
		check_choose(&c, sample);
		if (store_raw_walk(s, check_raw_one, &c) != IW_OK)
			check_problem(&c, "raw: %s", iw_error_last());
		check_kind_done(&c, "raw");
	}
	store_exec(s, "RELEASE store_check");
	store_snapshots_free(c.snaps, c.nsnaps);
	free(c.byid);
	free(c.sampled);
	if (out->problems)
		return iw_error_set(IW_EDB, "%s: %zu problem%s found", s->path, out->problems,
		                    out->problems == 1 ? "" : "s");
	iw_error_clear();
	return IW_OK;
}
