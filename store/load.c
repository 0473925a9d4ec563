/* load.c: reconstructing snapshots and record histories from the spans. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store_int.h"
#include "common/banned.h"

/* A constant spelled inside SQL text. */
#define LOAD_STR_(x) #x
#define LOAD_STR(x) LOAD_STR_(x)

const char *store_text_from_row(sqlite3_stmt *st, int col, registry_doc *strings)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? registry_doc_strndup(strings, (const char *)t,
	                                (size_t)sqlite3_column_bytes(st, col)) : NULL;
}

void store_record_from_row(sqlite3_stmt *st, int col, registry_doc *strings, registry_record *r)
{
	int i;
	memset(r, 0, sizeof(*r));
	r->f[REG_NAME] = store_text_from_row(st, col, strings);
	r->f[REG_PROTOCOL] = store_text_from_row(st, col + 1, strings);
	if (sqlite3_column_type(st, col + 2) == SQLITE_NULL) {
		r->port = r->port_end = REGISTRY_NO_PORT;
	} else {
		r->port = sqlite3_column_int(st, col + 2);
		r->port_end = sqlite3_column_int(st, col + 3);
	}
	r->occurrence = (uint32_t)sqlite3_column_int(st, col + 4);
	for (i = REG_DESCRIPTION; i < REG_NFIELDS; i++)
		r->f[i] = store_text_from_row(st, col + 5 + i - REG_DESCRIPTION, strings);
}

void store_person_from_row(sqlite3_stmt *st, int col, registry_doc *strings, registry_person *p)
{
	int i;
	p->id = store_text_from_row(st, col, strings);
	for (i = 0; i < PERSON_NFIELDS; i++)
		p->f[i] = store_text_from_row(st, col + 1 + i, strings);
}

static int load_pos(store *s, int64_t id, int64_t *pos, char updated[11])
{
	store_snapshot snap;
	int rc = store_get_snapshot(s, id, &snap);
	if (rc)
		return rc;
	*pos = snap.pos;
	if (updated)
		memcpy(updated, snap.registry_updated, 11);
	store_snapshot_clear(&snap);
	return IW_OK;
}

/* Adds the versions of one kind present at pos to doc. */
static int load_doc_rows(store *s, store_version_kind kind, int64_t pos, registry_doc *doc)
{
	static const char *const sql[] = {
		[STORE_RECORD_VERSIONS] = "SELECT " STORE_RECORD_COLUMNS " FROM " STORE_RECORD_SPANS
		                          " WHERE s.last_pos >= ?1 AND s.first_pos <= ?1",
		[STORE_PERSON_VERSIONS] = "SELECT " STORE_PERSON_COLUMNS " FROM " STORE_PERSON_SPANS
		                          " WHERE s.last_pos >= ?1 AND s.first_pos <= ?1",
	};
	sqlite3_stmt *st = NULL;
	int rc, sr;

	if ((rc = store_prepare(s, &st, sql[kind])))
		return rc;
	sqlite3_bind_int64(st, 1, pos);
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		if (kind == STORE_RECORD_VERSIONS)
			store_record_from_row(st, 0, doc, registry_doc_add_record(doc));
		else
			store_person_from_row(st, 0, doc, registry_doc_add_person(doc));
	}
	if (sr != SQLITE_DONE)
		rc = store_sqlerr(s, kind == STORE_RECORD_VERSIONS ? "load records" : "load people");
	sqlite3_finalize(st);
	return rc;
}

int store_load_doc(store *s, int64_t snapshot_id, registry_doc **out)
{
	registry_doc *doc = registry_doc_new();
	char updated[11];
	int64_t pos;
	int rc;

	*out = NULL;
	if ((rc = load_pos(s, snapshot_id, &pos, updated)))
		goto out;
	doc->updated = iw_strdup(updated);
	if ((rc = load_doc_rows(s, STORE_RECORD_VERSIONS, pos, doc)) ||
	    (rc = load_doc_rows(s, STORE_PERSON_VERSIONS, pos, doc)))
		goto out;
	registry_doc_sort(doc);
	registry_doc_index_people(doc);
	*out = doc;
	doc = NULL;
out:
	registry_doc_free(doc);
	return rc;
}

void store_version_list_free(store_version_list *l)
{
	if (!l)
		return;
	free(l->v);
	registry_doc_free(l->strings);
	memset(l, 0, sizeof(*l));
}

static int load_prepare(store *s, sqlite3_stmt **st, const char *sql, const char *text,
                        int64_t lo, int64_t hi)
{
	int rc = store_prepare(s, st, sql);
	if (rc)
		return rc;
	if (text)
		sqlite3_bind_text(*st, 1, text, -1, SQLITE_STATIC);
	else {
		sqlite3_bind_int64(*st, 1, lo);
		sqlite3_bind_int64(*st, 2, hi);
	}
	return IW_OK;
}

/* Runs a span query (columns: id, first_pos, last_pos, then the version's own, as l->kind
 * says) and adds each row to l with its last position: an open span runs to the newest
 * snapshot. */
static int load_spans(store *s, const char *sql, const char *text, int64_t lo, int64_t hi,
                      const char *what, store_version_list *l)
{
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int64_t n = 0, last;
	int rc, sr;

	if ((rc = store_count_snapshots(s, &n)) || (rc = load_prepare(s, &st, sql, text, lo, hi)))
		return rc;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		store_version *v;
		IW_GROW(l->v, l->n, alloc, 64);
		v = &l->v[l->n++];
		v->id = sqlite3_column_int64(st, 0);
		v->first_pos = sqlite3_column_int64(st, 1);
		last = sqlite3_column_int64(st, 2);
		v->last_pos = last > n ? n : last;
		if (l->kind == STORE_RECORD_VERSIONS)
			store_record_from_row(st, 3, l->strings, &v->rec);
		else
			store_person_from_row(st, 3, l->strings, &v->p);
	}
	if (sr != SQLITE_DONE)
		rc = store_sqlerr(s, what);
	sqlite3_finalize(st);
	return rc;
}

int store_query_versions(store *s, store_version_kind kind, const char *sql, const char *text,
                         int64_t lo, int64_t hi, const char *what, store_version_list *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->kind = kind;
	out->strings = registry_doc_new();
	if ((rc = load_spans(s, sql, text, lo, hi, what, out)))
		store_version_list_free(out);
	return rc;
}

/* A query of record versions (as store_query_versions()) for the lookups below. */
static int load_versions(store *s, const char *sql, const char *text, int64_t lo, int64_t hi,
                         store_version_list *out)
{
	return store_query_versions(s, STORE_RECORD_VERSIONS, sql, text, lo, hi, "load versions",
	                            out);
}

int store_versions_for_ports(store *s, int lo, int hi, store_version_list *out)
{
	/* A record covering lo starts at most max_range ports before it: that bounds the index
	 * scan on both sides. */
	return load_versions(s, "SELECT r.id, s.first_pos, s.last_pos, "
	                     STORE_RECORD_COLUMNS " FROM record r JOIN record_span s ON "
	                     "s.record_id = r.id WHERE r.port BETWEEN ?1 - coalesce((SELECT "
	                     "value FROM meta WHERE key = 'max_range'), "
	                     LOAD_STR(REGISTRY_PORT_MAX) ") AND ?2 AND r.port_end >= ?1 "
	                     "ORDER BY s.first_pos, r.id", NULL, lo, hi, out);
}

int store_versions_ended(store *s, int64_t pos, store_version_list *out)
{
	return load_versions(s, "SELECT r.id, s.first_pos, s.last_pos, " STORE_RECORD_COLUMNS
	                     " FROM " STORE_RECORD_SPANS " WHERE s.last_pos BETWEEN ?1 AND ?2 "
	                     "ORDER BY s.first_pos, r.id", NULL, 0, pos > 1 ? pos - 1 : 0, out);
}

int store_versions_for_name(store *s, const char *name, store_version_list *out)
{
	return load_versions(s, "SELECT r.id, s.first_pos, s.last_pos, "
	                     STORE_RECORD_COLUMNS " FROM record r JOIN record_span s ON "
	                     "s.record_id = r.id WHERE r.name = ?1 COLLATE NOCASE "
	                     "ORDER BY s.first_pos, r.id", name, 0, 0, out);
}

int store_versions_for_person(store *s, const char *pid, store_version_list *out)
{
	/* Lists are '\n'-separated ids: pad both sides so that an id matches only whole. */
#define LOAD_PERSON_IN_LISTS \
	"instr(lower(char(10) || coalesce(r.assignee, '') || char(10) || " \
	"coalesce(r.contact, '') || char(10)), lower(char(10) || ?1 || char(10))) > 0"
	const unsigned char *p;
	int words = 0;
	for (p = (const unsigned char *)pid; *p && !words; p++)
		words = isalnum(*p) || *p >= 0x80;
	/* The full-text index holds the ids' words (Bernie_Volz: bernie volz): it narrows 15,000
	 * record versions to the few naming them, before the exact test; an id without a word
	 * character is not in it, and is looked for in every version. */
	if (words)
		return load_versions(s, "SELECT r.id, s.first_pos, s.last_pos, "
		                     STORE_RECORD_COLUMNS " FROM record r JOIN record_span s "
		                     "ON s.record_id = r.id WHERE r.id IN (SELECT rowid FROM "
		                     "record_fts WHERE record_fts MATCH 'people: \"' || "
		                     "replace(?1, '\"', '\"\"') || '\"') AND "
		                     LOAD_PERSON_IN_LISTS " ORDER BY s.first_pos, r.id", pid, 0, 0,
		                     out);
	return load_versions(s, "SELECT r.id, s.first_pos, s.last_pos, "
	                     STORE_RECORD_COLUMNS " FROM record r JOIN record_span s ON "
	                     "s.record_id = r.id WHERE " LOAD_PERSON_IN_LISTS
	                     " ORDER BY s.first_pos, r.id", pid, 0, 0, out);
#undef LOAD_PERSON_IN_LISTS
}

int store_person_at(store *s, const char *pid, int64_t pos, registry_person *out,
                    registry_doc *strings)
{
	sqlite3_stmt *st = NULL;
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = store_prepare(s, &st, "SELECT " STORE_PERSON_COLUMNS " FROM person p "
	                        "JOIN person_span s ON s.person_id = p.id WHERE p.pid = ?1 "
	                        "AND s.first_pos <= ?2 AND s.last_pos >= ?2 LIMIT 1")))
		return rc;
	sqlite3_bind_text(st, 1, pid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, pos);
	if ((rc = store_step_row(s, st, "load person")) == IW_OK)
		store_person_from_row(st, 0, strings, out);
	sqlite3_finalize(st);
	return rc;
}
