/* reorder.c: putting the snapshots of an existing database in history order (migration 1 -> 2),
 * renumbering positions and rebuilding every span to match. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store_int.h"
#include "common/banned.h"

/* One kind of versioned item: its span table and the column naming the item. */
typedef struct reorder_kind {
	const char *select_sql;  /* item, first, last; ordered by item */
	const char *delete_sql;
	const char *insert_sql;  /* (item, first, last) */
} reorder_kind;

static const reorder_kind reorder_kinds[] = {
	{"SELECT record_id, first_pos, last_pos FROM record_span ORDER BY record_id, first_pos",
	 "DELETE FROM record_span",
	 "INSERT INTO record_span (record_id, first_pos, last_pos) VALUES (?, ?, ?)"},
	{"SELECT person_id, first_pos, last_pos FROM person_span ORDER BY person_id, first_pos",
	 "DELETE FROM person_span",
	 "INSERT INTO person_span (person_id, first_pos, last_pos) VALUES (?, ?, ?)"},
};

typedef struct reorder_span {
	int64_t item, first, last;
} reorder_span;

/* Writes the runs of present[1..n] as spans of item; a run reaching n stays open. */
static int reorder_emit(store *s, sqlite3_stmt *ins, int64_t item, const unsigned char *present,
                        int64_t n)
{
	int64_t p = 1;
	while (p <= n) {
		int64_t first;
		int sr;
		if (!present[p]) {
			p++;
			continue;
		}
		first = p;
		while (p <= n && present[p])
			p++;
		sqlite3_bind_int64(ins, 1, item);
		sqlite3_bind_int64(ins, 2, first);
		sqlite3_bind_int64(ins, 3, p > n ? STORE_OPEN : p - 1);
		sr = sqlite3_step(ins);
		sqlite3_reset(ins);
		if (sr != SQLITE_DONE)
			return store_sqlerr(s, "rebuild spans");
	}
	return IW_OK;
}

/* Maps every span through newpos (old position -> new one) and rewrites the table. */
static int reorder_spans(store *s, const reorder_kind *k, const int64_t *newpos, int64_t n)
{
	sqlite3_stmt *st = NULL;
	reorder_span *v = NULL;
	size_t cnt = 0, alloc = 0, i, j;
	unsigned char *present = iw_calloc((size_t)n + 1, 1);
	int rc, sr;

	/* Read everything first: the table is rewritten from scratch below. */
	if ((rc = store_prepare(s, &st, k->select_sql)))
		goto out;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		IW_GROW(v, cnt, alloc, 4096);
		v[cnt].item = sqlite3_column_int64(st, 0);
		v[cnt].first = sqlite3_column_int64(st, 1);
		v[cnt].last = sqlite3_column_int64(st, 2);
		cnt++;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sr != SQLITE_DONE) {
		rc = store_sqlerr(s, "read spans");
		goto out;
	}
	if ((rc = store_exec(s, k->delete_sql)) || (rc = store_prepare(s, &st, k->insert_sql)))
		goto out;
	for (i = 0; i < cnt; i = j) {
		int64_t p;
		memset(present, 0, (size_t)n + 1);
		for (j = i; j < cnt && v[j].item == v[i].item; j++) {
			int64_t last = v[j].last > n ? n : v[j].last;
			if (v[j].first < 1) {
				rc = iw_error_set(IW_EDB, "%s: a span starts at position %lld; run "
				                  "`ianawatch check`", s->path, (long long)v[j].first);
				goto out;
			}
			for (p = v[j].first; p <= last; p++)
				present[newpos[p]] = 1;
		}
		if ((rc = reorder_emit(s, st, v[i].item, present, n)))
			goto out;
	}
out:
	sqlite3_finalize(st);
	free(v);
	free(present);
	return rc;
}

int store_reorder(store *s)
{
	sqlite3_stmt *st = NULL;
	int64_t n = 0, *newpos = NULL, *ids = NULL, rank = 0;
	int rc, sr, moved = 0;
	size_t i;

	if ((rc = store_count_snapshots(s, &n)) || n == 0)
		return rc;
	newpos = iw_calloc((size_t)n + 1, sizeof(*newpos));
	ids = iw_calloc((size_t)n + 1, sizeof(*ids));
	if ((rc = store_prepare(s, &st, "SELECT id, pos FROM snapshot ORDER BY " STORE_ORDER)))
		goto out;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t pos = sqlite3_column_int64(st, 1);
		if (pos < 1 || pos > n || newpos[pos] || rank >= n) {
			rc = iw_error_set(IW_EDB, "%s: snapshot positions are not 1..%lld; run `ianawatch "
			                  "check`", s->path, (long long)n);
			goto out;
		}
		newpos[pos] = ++rank;
		ids[rank] = sqlite3_column_int64(st, 0);
		moved |= pos != rank;
	}
	if (sr != SQLITE_DONE) {
		rc = store_sqlerr(s, "order snapshots");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!moved)
		goto out;
	for (i = 0; i < sizeof(reorder_kinds) / sizeof(*reorder_kinds); i++) {
		if ((rc = reorder_spans(s, &reorder_kinds[i], newpos, n)))
			goto out;
	}
	if ((rc = store_prepare(s, &st, "UPDATE snapshot SET pos = ? WHERE id = ?")))
		goto out;
	for (rank = 1; rank <= n; rank++) {
		sqlite3_bind_int64(st, 1, rank);
		sqlite3_bind_int64(st, 2, ids[rank]);
		sr = sqlite3_step(st);
		sqlite3_reset(st);
		if (sr != SQLITE_DONE) {
			rc = store_sqlerr(s, "renumber snapshots");
			goto out;
		}
	}
out:
	sqlite3_finalize(st);
	free(newpos);
	free(ids);
	return rc;
}
