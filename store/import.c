/* import.c: adding a snapshot: its record and person spans, in time order, in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store_int.h"
#include "common/banned.h"

/* An open-addressing map from a 16-byte identity to the spans that touch the new position. */
typedef struct span {
	unsigned char hash[STORE_HASH_LEN];
	int64_t item_id;      /* record.id or person.id */
	int64_t first, last;
	int used;             /* the new snapshot contains this version */
} span;

typedef struct span_map {
	span *v;
	size_t n, alloc;
	size_t *slots;        /* index + 1 into v; 0 is empty */
	size_t nslots;
} span_map;

static uint64_t span_hash_key(const unsigned char *h)
{
	uint64_t k;
	memcpy(&k, h, sizeof(k));
	return k;
}

static void span_map_add(span_map *m, const span *sp)
{
	IW_GROW(m->v, m->n, m->alloc, 1024);
	m->v[m->n++] = *sp;
}

static void span_map_index(span_map *m)
{
	size_t i;
	m->nslots = 16;
	while (m->nslots < m->n * 2 + 16)
		m->nslots *= 2;
	m->slots = iw_calloc(m->nslots, sizeof(*m->slots));
	for (i = 0; i < m->n; i++) {
		size_t j = span_hash_key(m->v[i].hash) & (m->nslots - 1);
		while (m->slots[j])
			j = (j + 1) & (m->nslots - 1);
		m->slots[j] = i + 1;
	}
}

/* Calls back every span with this hash (a version may have one before and one after). */
static size_t span_map_find(const span_map *m, const unsigned char *h, span **out, size_t max)
{
	size_t j = span_hash_key(h) & (m->nslots - 1), found = 0;
	while (m->slots[j]) {
		span *sp = &m->v[m->slots[j] - 1];
		if (!memcmp(sp->hash, h, STORE_HASH_LEN) && found < max)
			out[found++] = sp;
		j = (j + 1) & (m->nslots - 1);
	}
	return found;
}

static void span_map_free(span_map *m)
{
	free(m->v);
	free(m->slots);
}

/* The statements an import runs for every version of a kind, prepared once per kind. */
enum import_stmt {
	IMPORT_FIND,    /* item id by hash */
	IMPORT_CLOSE,   /* (last, item, first) */
	IMPORT_SPLIT,   /* insert span (item, first, last) */
	IMPORT_EXTEND,  /* (new first, new last, item, old first) */
	IMPORT_DELETE,  /* (item, first) */
	IMPORT_INSERT,  /* a new version: (hash, the item's columns) */
	IMPORT_NSTMTS
};

/* The two kinds of versioned items share the span logic; only their tables differ. */
typedef struct item_kind {
	const char *touching_sql; /* spans live at k-1, k or k+1, with their item's hash */
	const char *sql[IMPORT_NSTMTS];
} item_kind;

static const item_kind record_kind = {
	"SELECT r.hash, s.record_id, s.first_pos, s.last_pos FROM record_span s "
	"JOIN record r ON r.id = s.record_id WHERE s.last_pos >= ?1 - 1 AND s.first_pos <= ?1 + 1",
	{
		"SELECT id FROM record WHERE hash = ?",
		"UPDATE record_span SET last_pos = ?1 WHERE record_id = ?2 AND first_pos = ?3",
		"INSERT INTO record_span (record_id, first_pos, last_pos) VALUES (?, ?, ?)",
		"UPDATE record_span SET first_pos = ?1, last_pos = ?2 WHERE record_id = ?3 AND "
		"first_pos = ?4",
		"DELETE FROM record_span WHERE record_id = ? AND first_pos = ?",
		"INSERT INTO record (hash, name, protocol, port, port_end, occurrence, description, "
		"assignee, contact, refs, notes, unauthorized, service_code, registration_date, "
		"modification_date) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	},
};

static const item_kind person_kind = {
	"SELECT p.hash, s.person_id, s.first_pos, s.last_pos FROM person_span s "
	"JOIN person p ON p.id = s.person_id WHERE s.last_pos >= ?1 - 1 AND s.first_pos <= ?1 + 1",
	{
		"SELECT id FROM person WHERE hash = ?",
		"UPDATE person_span SET last_pos = ?1 WHERE person_id = ?2 AND first_pos = ?3",
		"INSERT INTO person_span (person_id, first_pos, last_pos) VALUES (?, ?, ?)",
		"UPDATE person_span SET first_pos = ?1, last_pos = ?2 WHERE person_id = ?3 AND "
		"first_pos = ?4",
		"DELETE FROM person_span WHERE person_id = ? AND first_pos = ?",
		"INSERT INTO person (hash, pid, name, org, uri, updated) VALUES (?,?,?,?,?,?)",
	},
};

typedef struct import_ctx {
	store *s;
	const registry_doc *doc;
	const unsigned char *data;
	size_t len;
	const store_import_opts *opts;
	store_import_result *res;
	char sha[65];
	int64_t k;            /* the new snapshot's position */
	sqlite3_stmt *st[IMPORT_NSTMTS]; /* the kind being imported's statements */
} import_ctx;

static int import_step_done(import_ctx *c, sqlite3_stmt *st, const char *what)
{
	int sr = sqlite3_step(st);
	sqlite3_reset(st);
	if (sr != SQLITE_DONE && sr != SQLITE_ROW)
		return store_sqlerr(c->s, what);
	return IW_OK;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Inserts the item (record or person) unless a version with this hash exists; gives its id. */
static int import_item_id(import_ctx *c, const unsigned char *hash, int is_record, const void *item,
                          int64_t *id)
{
	int sr, i, rc;
	sqlite3_bind_blob(c->st[IMPORT_FIND], 1, hash, STORE_HASH_LEN, SQLITE_STATIC);
	sr = sqlite3_step(c->st[IMPORT_FIND]);
	if (sr == SQLITE_ROW) {
		*id = sqlite3_column_int64(c->st[IMPORT_FIND], 0);
		sqlite3_reset(c->st[IMPORT_FIND]);
		return IW_OK;
	}
	sqlite3_reset(c->st[IMPORT_FIND]);
	if (sr != SQLITE_DONE)
		return store_sqlerr(c->s, "find version");
	sqlite3_clear_bindings(c->st[IMPORT_INSERT]);
	sqlite3_bind_blob(c->st[IMPORT_INSERT], 1, hash, STORE_HASH_LEN, SQLITE_STATIC);
	if (is_record) {
		const registry_record *r = item;
		bind_text(c->st[IMPORT_INSERT], 2, r->f[REG_NAME]);
		bind_text(c->st[IMPORT_INSERT], 3, r->f[REG_PROTOCOL]);
		if (r->port != REGISTRY_NO_PORT) {
			sqlite3_bind_int(c->st[IMPORT_INSERT], 4, r->port);
			sqlite3_bind_int(c->st[IMPORT_INSERT], 5, r->port_end);
		}
		sqlite3_bind_int(c->st[IMPORT_INSERT], 6, (int)r->occurrence);
		for (i = REG_DESCRIPTION; i < REG_NFIELDS; i++)
			bind_text(c->st[IMPORT_INSERT], 7 + i - REG_DESCRIPTION, r->f[i]);
	} else {
		const registry_person *p = item;
		bind_text(c->st[IMPORT_INSERT], 2, p->id);
		for (i = 0; i < PERSON_NFIELDS; i++)
			bind_text(c->st[IMPORT_INSERT], 3 + i, p->f[i]);
	}
	if ((rc = import_step_done(c, c->st[IMPORT_INSERT], "insert version")))
		return rc;
	*id = sqlite3_last_insert_rowid(c->s->db);
	return IW_OK;
}

static int import_prepare_kind(import_ctx *c, const item_kind *kind)
{
	int i, rc = IW_OK;
	for (i = 0; i < IMPORT_NSTMTS && !rc; i++)
		rc = store_prepare(c->s, &c->st[i], kind->sql[i]);
	return rc;
}

static void import_finalize_kind(import_ctx *c)
{
	int i;
	for (i = 0; i < IMPORT_NSTMTS; i++) {
		sqlite3_finalize(c->st[i]);
		c->st[i] = NULL;
	}
}

static int import_exec3(import_ctx *c, sqlite3_stmt *st, int64_t a, int64_t b, int64_t d,
                        const char *what)
{
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	sqlite3_bind_int64(st, 3, d);
	return import_step_done(c, st, what);
}

/*
 * Places the items of the new snapshot at position k (spans already shifted past k):
 *  - a span that runs through k (first < k < last) keeps the item if the snapshot has it, else
 *    it is split around k;
 *  - spans ending at k-1 or starting at k+1 are extended (and merged) when the snapshot has it;
 *  - anything else gets a new span [k, k] (open-ended when k is the newest position).
 */
static int import_items(import_ctx *c, const item_kind *kind, int is_record, size_t nitems,
                        int64_t newest)
{
	span_map m;
	sqlite3_stmt *st = NULL;
	int64_t k = c->k;
	size_t i;
	int rc, sr;

	memset(&m, 0, sizeof(m));
	if ((rc = import_prepare_kind(c, kind)))
		goto out;
	if ((rc = store_prepare(c->s, &st, kind->touching_sql)))
		goto out;
	sqlite3_bind_int64(st, 1, k);
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		span sp;
		memset(&sp, 0, sizeof(sp));
		if (sqlite3_column_bytes(st, 0) != STORE_HASH_LEN) {
			rc = iw_error_set(IW_EDB, "corrupt version hash in the database");
			goto out;
		}
		memcpy(sp.hash, sqlite3_column_blob(st, 0), STORE_HASH_LEN);
		sp.item_id = sqlite3_column_int64(st, 1);
		sp.first = sqlite3_column_int64(st, 2);
		sp.last = sqlite3_column_int64(st, 3);
		span_map_add(&m, &sp);
	}
	if (sr != SQLITE_DONE) {
		rc = store_sqlerr(c->s, "read spans");
		goto out;
	}
	span_map_index(&m);

	for (i = 0; i < nitems; i++) {
		unsigned char full[32];
		span *found[4], *before = NULL, *after = NULL, *through = NULL;
		size_t nf, j;
		int64_t id = 0;
		const void *item = is_record ? (const void *)&c->doc->records[i]
		                             : (const void *)&c->doc->people[i];
		if (is_record)
			registry_record_identity(item, full);
		else
			registry_person_identity(item, full);
		nf = span_map_find(&m, full, found, 4);
		for (j = 0; j < nf; j++) {
			if (found[j]->first <= k && found[j]->last >= k)
				through = found[j];
			else if (found[j]->last == k - 1)
				before = found[j];
			else if (found[j]->first == k + 1)
				after = found[j];
		}
		if (through) {
			through->used = 1;
			continue;
		}
		if (before && after) {
			/* The gap at k closes: one span from before's first to after's last. */
			if ((rc = import_exec3(c, c->st[IMPORT_DELETE], after->item_id, after->first, 0, "merge spans")) ||
			    (rc = import_exec3(c, c->st[IMPORT_CLOSE], after->last, before->item_id, before->first,
			                       "merge spans")))
				goto out;
			before->used = after->used = 1;
			continue;
		}
		if (before) {
			int64_t last = k == newest ? STORE_OPEN : k;
			if ((rc = import_exec3(c, c->st[IMPORT_CLOSE], last, before->item_id, before->first, "extend span")))
				goto out;
			before->used = 1;
			continue;
		}
		if (after) {
			sqlite3_bind_int64(c->st[IMPORT_EXTEND], 4, after->first);
			if ((rc = import_exec3(c, c->st[IMPORT_EXTEND], k, after->last, after->item_id, "extend span")))
				goto out;
			after->used = 1;
			continue;
		}
		if ((rc = import_item_id(c, full, is_record, item, &id)))
			goto out;
		if ((rc = import_exec3(c, c->st[IMPORT_SPLIT], id, k, k == newest ? STORE_OPEN : k, "add span")))
			goto out;
	}
	/* Versions that run through k but are not in the new snapshot: cut k out of their span. */
	for (i = 0; i < m.n; i++) {
		span *sp = &m.v[i];
		if (sp->used || !(sp->first <= k && sp->last >= k))
			continue;
		/* Shifting left no span starting at k, so sp->first < k here. */
		if ((rc = import_exec3(c, c->st[IMPORT_CLOSE], k - 1, sp->item_id, sp->first, "split span")))
			goto out;
		if (k < newest &&
		    (rc = import_exec3(c, c->st[IMPORT_SPLIT], sp->item_id, k + 1, sp->last, "split span")))
			goto out;
	}
out:
	sqlite3_finalize(st);
	import_finalize_kind(c);
	span_map_free(&m);
	return rc;
}

/* Whole months from date a to date b (YYYY-MM-DD), 0 when b is not later. */
static double import_months_between(const char *a, const char *b)
{
	time_t ta, tb;
	if (iw_time_parse(a, &ta) || iw_time_parse(b, &tb) || tb <= ta)
		return 0;
	return (double)(tb - ta) / (30.44 * 86400);
}

/* The registry grows by well under 1 % a month (14,000 records in 2017, 14,500 in 2026): a
 * document with max_growth (10 %) more records than the newest snapshot, plus a point per
 * month between their dates and STORE_GROWTH_SLACK records, is not a plausible successor. */
static int import_check_growth(const registry_doc *doc, int64_t newest_records,
                               const char *newest_date, double max_growth)
{
	double months = import_months_between(newest_date, doc->updated);
	double bound = (double)newest_records * (1 + max_growth + months / 100) + STORE_GROWTH_SLACK;
	if ((double)doc->nrecords <= bound)
		return IW_OK;
	return iw_error_set(IW_EREFUSED, "refusing a document with %zu records: the newest snapshot "
	                    "(registry %s) has %lld, and more than %.0f looks like a broken or "
	                    "forged registry (--force stores it anyway)", doc->nrecords, newest_date,
	                    (long long)newest_records, bound);
}

/* The real registry repeats one record (rdp, without protocol or port) by name, protocol and
 * port; a document repeating many is broken. Names the first repeated record. */
static int import_check_duplicates(const registry_doc *doc)
{
	size_t i, dups = 0;
	const registry_record *first = NULL;
	for (i = 0; i < doc->nrecords; i++) {
		if (doc->records[i].occurrence == 0)
			continue;
		if (!first)
			first = &doc->records[i];
		dups++;
	}
	if (dups <= STORE_MAX_DUPLICATES)
		return IW_OK;
	if (first->port == REGISTRY_NO_PORT)
		return iw_error_set(IW_EREFUSED, "refusing a document with %zu repeated records (the "
		                    "registry has %d at most), the first '%s' (%s) without a port "
		                    "(--force stores it anyway)", dups, STORE_MAX_DUPLICATES,
		                    first->f[REG_NAME] ? first->f[REG_NAME] : "",
		                    first->f[REG_PROTOCOL] ? first->f[REG_PROTOCOL] : "no protocol");
	return iw_error_set(IW_EREFUSED, "refusing a document with %zu repeated records (the "
	                    "registry has %d at most), the first '%s' on %d/%s (--force stores it "
	                    "anyway)", dups, STORE_MAX_DUPLICATES,
	                    first->f[REG_NAME] ? first->f[REG_NAME] : "", first->port,
	                    first->f[REG_PROTOCOL] ? first->f[REG_PROTOCOL] : "");
}

/* Known content is a rollback when a later snapshot is stored: refused under refuse_older. */
static int import_check_known(store *s, int64_t id, const store_import_opts *opts)
{
	sqlite3_stmt *st = NULL;
	int rc;
	if (opts->force || !opts->refuse_older)
		return IW_OK;
	if ((rc = store_prepare(s, &st, "SELECT k.registry_updated, n.registry_updated, n.id "
	                        "FROM snapshot k, snapshot n WHERE k.id = ? AND n.pos > k.pos "
	                        "ORDER BY n.pos DESC LIMIT 1")))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = iw_error_set(IW_EREFUSED, "refusing a rollback: this is the content of snapshot "
		                  "%lld (registry %s), older than the newest, snapshot %lld (registry "
		                  "%s) (--force accepts it)", (long long)id,
		                  (const char *)sqlite3_column_text(st, 0),
		                  (long long)sqlite3_column_int64(st, 2),
		                  (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	return rc;
}

static int import_run(store *s, void *arg)
{
	import_ctx *c = arg;
	sqlite3_stmt *st = NULL;
	char observed[21], now[21];
	int64_t n = 0, newest_records = 0, existing;
	char newest_date[11] = "";
	int rc, sr;

	/* Re-check under the write lock: a concurrent run may have stored the same content. */
	rc = store_find_sha256(s, c->sha, &existing);
	if (rc == IW_OK) {
		c->res->snapshot_id = existing;
		c->res->created = 0;
		return import_check_known(s, existing, c->opts);
	}
	if (rc != IW_ENOTFOUND)
		return rc;
	iw_error_clear();

	iw_time_format(c->opts->observed_at, observed);
	if ((rc = store_count_snapshots(s, &n)))
		return rc;
	/* The registry's own date orders the history, the observed time its same-day
	 * re-publications, the content's hash (unique) whatever remains: any import order of any
	 * set of documents gives the same positions (STORE_ORDER). */
	if ((rc = store_prepare(s, &st, "SELECT count(*) FROM snapshot WHERE "
	                        "(registry_updated, observed_at, sha256) < (?, ?, ?)")))
		return rc;
	sqlite3_bind_text(st, 1, c->doc->updated, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, observed, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->sha, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = store_sqlerr(s, "place snapshot");
		goto out;
	}
	c->k = sqlite3_column_int64(st, 0) + 1;
	sqlite3_finalize(st);
	st = NULL;

	if (n > 0) {
		if ((rc = store_prepare(s, &st, "SELECT record_count, registry_updated, id FROM snapshot "
		                        "ORDER BY pos DESC LIMIT 1")))
			goto out;
		if (sqlite3_step(st) == SQLITE_ROW) {
			newest_records = sqlite3_column_int64(st, 0);
			snprintf(newest_date, sizeof(newest_date), "%s", sqlite3_column_text(st, 1));
		}
		sqlite3_finalize(st);
		st = NULL;
		if (!c->opts->force && c->opts->min_ratio > 0 &&
		    (double)c->doc->nrecords < c->opts->min_ratio * (double)newest_records) {
			rc = iw_error_set(IW_EREFUSED, "refusing a document with %zu records: the newest "
			                  "snapshot has %lld, and below %.0f%% of that looks like a broken "
			                  "download (--force stores it anyway)", c->doc->nrecords,
			                  (long long)newest_records, c->opts->min_ratio * 100);
			goto out;
		}
		if (!c->opts->force && c->opts->max_growth > 0 &&
		    (rc = import_check_growth(c->doc, newest_records, newest_date, c->opts->max_growth)))
			goto out;
		if (!c->opts->force && c->opts->refuse_older && strcmp(c->doc->updated, newest_date) < 0) {
			rc = iw_error_set(IW_EREFUSED, "refusing a registry dated %s: the newest snapshot is "
			                  "dated %s (--force stores it anyway)", c->doc->updated, newest_date);
			goto out;
		}
	}

	if (c->k <= n) {
		/* An older document arrives late: make room at position k. Open spans stay open. */
		static const char *const shift[] = {
			"UPDATE snapshot SET pos = pos + 1 WHERE pos >= ?1",
			"UPDATE record_span SET last_pos = last_pos + 1 WHERE last_pos >= ?1 AND last_pos < ?2",
			"UPDATE record_span SET first_pos = first_pos + 1 WHERE first_pos >= ?1",
			"UPDATE person_span SET last_pos = last_pos + 1 WHERE last_pos >= ?1 AND last_pos < ?2",
			"UPDATE person_span SET first_pos = first_pos + 1 WHERE first_pos >= ?1",
		};
		size_t i;
		for (i = 0; i < sizeof(shift) / sizeof(*shift); i++) {
			if ((rc = store_prepare(s, &st, shift[i])))
				goto out;
			sqlite3_bind_int64(st, 1, c->k);
			if (sqlite3_bind_parameter_count(st) > 1)
				sqlite3_bind_int64(st, 2, STORE_OPEN);
			sr = sqlite3_step(st);
			sqlite3_finalize(st);
			st = NULL;
			if (sr != SQLITE_DONE) {
				rc = store_sqlerr(s, "shift positions");
				goto out;
			}
		}
	} else if (n > 0) {
		/* Appending: the open spans of the previous newest are open at n+1 too. Nothing to do. */
	}

	if ((rc = import_items(c, &record_kind, 1, c->doc->nrecords, n + 1)) ||
	    (rc = import_items(c, &person_kind, 0, c->doc->npeople, n + 1)))
		goto out;

	if ((rc = store_exec(s, "INSERT OR REPLACE INTO meta (key, value) VALUES ('max_range', "
	                     "(SELECT coalesce(max(port_end - port), 0) FROM record))")))
		goto out;
	iw_time_format(iw_now(), now);
	if ((rc = store_prepare(s, &st, "INSERT INTO snapshot (pos, registry_updated, observed_at, "
	                        "sha256, size, source, record_count, person_count, imported_at) "
	                        "VALUES (?,?,?,?,?,?,?,?,?)")))
		goto out;
	sqlite3_bind_int64(st, 1, c->k);
	sqlite3_bind_text(st, 2, c->doc->updated, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, observed, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (int64_t)c->len);
	bind_text(st, 6, c->opts->source);
	sqlite3_bind_int64(st, 7, (int64_t)c->doc->nrecords);
	sqlite3_bind_int64(st, 8, (int64_t)c->doc->npeople);
	sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = store_sqlerr(s, "add snapshot");
		goto out;
	}
	c->res->snapshot_id = sqlite3_last_insert_rowid(s->db);
	c->res->created = 1;
	sqlite3_finalize(st);
	st = NULL;
	if (c->k > 1) {
		if ((rc = store_prepare(s, &st, "SELECT id FROM snapshot WHERE pos = ?")))
			goto out;
		sqlite3_bind_int64(st, 1, c->k - 1);
		if (sqlite3_step(st) == SQLITE_ROW)
			c->res->previous_id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		st = NULL;
	}
	if (c->opts->keep_raw)
		rc = store_raw_put(s, c->res->snapshot_id, c->k, c->data, c->len, c->opts->raw_job);
out:
	sqlite3_finalize(st);
	return rc;
}

/* Checks that need no database: a document cannot have been observed, nor published, in the
 * future (beyond STORE_CLOCK_SKEW); either would put it after every real snapshot for good. */
static int import_plausible_time(const registry_doc *doc, const store_import_opts *opts)
{
	time_t limit = iw_now() + STORE_CLOCK_SKEW;
	char when[21], lim[21], limit_date[11];

	iw_time_format(limit, lim);
	if (opts->observed_at > limit) {
		iw_time_format(opts->observed_at, when);
		return iw_error_set(IW_EINVAL, "observed time %s is in the future (allowing a day of "
		                    "clock skew, the latest accepted is %s)", when, lim);
	}
	snprintf(limit_date, sizeof(limit_date), "%.10s", lim);
	if (!opts->force && doc->updated && strcmp(doc->updated, limit_date) > 0)
		return iw_error_set(IW_EREFUSED, "refusing a registry dated %s: that is in the future "
		                    "(later than %s, a day from now; --force stores it anyway)",
		                    doc->updated, limit_date);
	return IW_OK;
}

void store_import_opts_init(store_import_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->observed_at = iw_now();
	o->keep_raw = 1;
	o->max_growth = STORE_MAX_GROWTH;
}

int store_import(store *s, const registry_doc *doc, const unsigned char *data, size_t len,
                 const store_import_opts *opts, store_import_result *res)
{
	import_ctx c = { .s = s, .doc = doc, .data = data, .len = len, .opts = opts, .res = res };
	unsigned char digest[IW_SHA256_LEN];
	int rc;

	memset(res, 0, sizeof(*res));
	if ((rc = import_plausible_time(doc, opts)) ||
	    (!opts->force && (rc = import_check_duplicates(doc))))
		return rc;
	iw_sha256(data, len, digest);
	iw_hex(digest, sizeof(digest), c.sha);

	/* Known content costs no write lock at all. */
	rc = store_find_sha256(s, c.sha, &res->snapshot_id);
	if (rc == IW_OK)
		return import_check_known(s, res->snapshot_id, opts);
	if (rc != IW_ENOTFOUND)
		return rc;
	iw_error_clear();
	return store_transaction(s, import_run, &c);
}
