/* query.c: what readers ask of the history: versions by span, a read transaction, JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store_int.h"
#include "common/banned.h"

/* Where a span meets [?1, ?2], by which end; the span tables are indexed on (last_pos,
 * first_pos), which serves all three. */
static const char *const query_where[] = {
	[STORE_SPANS_MEETING] = "s.last_pos >= ?1 AND s.first_pos <= ?2",
	[STORE_SPANS_ENDING] = "s.last_pos BETWEEN ?1 AND ?2",
	/* last_pos >= first_pos >= ?1: the redundant bound lets the index skip the spans that
	 * ended before the range, so a query near the newest position reads little. */
	[STORE_SPANS_STARTING] = "s.last_pos >= ?1 AND s.first_pos BETWEEN ?1 AND ?2",
};

/* The query `select` (which names the span table `s`), restricted to the spans meeting
 * [?1, ?2] as `which` says, into sql. */
static int query_spans(char *sql, size_t size, const char *select, store_span_which which)
{
	if (which != STORE_SPANS_MEETING && which != STORE_SPANS_ENDING &&
	    which != STORE_SPANS_STARTING)
		return iw_error_set(IW_EINVAL, "store: unknown span query %d", (int)which);
	snprintf(sql, size, "%s WHERE %s", select, query_where[which]);
	return IW_OK;
}

int store_spans(store *s, store_version_kind kind, store_span_which which, int64_t lo,
                int64_t hi, store_version_list *out)
{
	static const char *const select[] = {
		[STORE_RECORD_VERSIONS] = "SELECT r.id, s.first_pos, s.last_pos, " STORE_RECORD_COLUMNS
		                          " FROM " STORE_RECORD_SPANS,
		[STORE_PERSON_VERSIONS] = "SELECT p.id, s.first_pos, s.last_pos, " STORE_PERSON_COLUMNS
		                          " FROM " STORE_PERSON_SPANS,
	};
	char sql[512];

	memset(out, 0, sizeof(*out));
	if (kind != STORE_RECORD_VERSIONS && kind != STORE_PERSON_VERSIONS)
		return iw_error_set(IW_EINVAL, "store: unknown kind of version %d", (int)kind);
	if (query_spans(sql, sizeof(sql), select[kind], which))
		return IW_EINVAL;
	return store_query_versions(s, kind, sql, NULL, lo, hi, kind == STORE_RECORD_VERSIONS
	                            ? "reading the record spans" : "reading the person spans", out);
}

int store_read_begin(store *s)
{
	/* Only the outermost call opens a transaction, and only when the caller holds none. */
	if (s->read_depth++ == 0 && sqlite3_get_autocommit(s->db)) {
		int rc = store_exec(s, "BEGIN");
		if (rc) {
			s->read_depth--;
			return rc;
		}
		s->read_owned = 1;
	}
	return IW_OK;
}

void store_read_end(store *s)
{
	if (!s || s->read_depth == 0)
		return;
	if (--s->read_depth == 0 && s->read_owned) {
		s->read_owned = 0;
		/* A read transaction has nothing to keep: ending it cannot lose data. */
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	}
}

int store_json_snapshot(iw_buf *out, const store_snapshot *s)
{
	if (!s)
		return iw_buf_adds(out, "null");
	iw_buf_printf(out, "{\"id\": %lld, \"registry_updated\": ", (long long)s->id);
	iw_buf_add_json_str(out, s->registry_updated[0] ? s->registry_updated : NULL);
	iw_buf_adds(out, ", \"observed_at\": ");
	iw_buf_add_json_str(out, s->observed_at[0] ? s->observed_at : NULL);
	iw_buf_adds(out, ", \"sha256\": ");
	iw_buf_add_json_str(out, s->sha256[0] ? s->sha256 : NULL);
	iw_buf_addc(out, '}');
	return iw_buf_error(out);
}
