/* lookup.c: names as users type them: people over time, and "did you mean" suggestions. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store_int.h"
#include "common/banned.h"

int store_person_versions(store *s, const char *who, store_version_list *out)
{
	/* Every version of each person whose id or name (in any version) is `who`. */
	int rc = store_query_versions(s, STORE_PERSON_VERSIONS, "SELECT p.id, sp.first_pos, "
	                              "sp.last_pos, " STORE_PERSON_COLUMNS " FROM person p JOIN "
	                              "person_span sp ON sp.person_id = p.id WHERE p.pid IN (SELECT "
	                              "pid FROM person WHERE pid = ?1 COLLATE NOCASE OR name = ?1 "
	                              "COLLATE NOCASE) ORDER BY p.pid, sp.first_pos, p.id", who, 0,
	                              0, "load person", out);
	if (!rc && out->n == 0) {
		store_version_list_free(out);
		rc = iw_error_set(IW_ENOTFOUND, "no person '%s' in any snapshot", who);
	}
	return rc;
}

/* ---- suggestions --------------------------------------------------------------------------- */

#define LOOKUP_MAX_LEN 64

/* Levenshtein distance between a and b, case-insensitive; b is cut at LOOKUP_MAX_LEN. */
static size_t lookup_distance(const char *a, size_t la, const char *b)
{
	size_t row[LOOKUP_MAX_LEN + 1], lb = strlen(b), i, j;
	if (lb > LOOKUP_MAX_LEN)
		lb = LOOKUP_MAX_LEN;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

typedef struct lookup_hit {
	char *text;
	size_t dist;
} lookup_hit;

/* Keeps the STORE_SUGGESTIONS nearest, ties by first seen (the query's alphabetical order). */
static void lookup_offer(lookup_hit *best, size_t *nbest, const char *text, size_t dist)
{
	size_t i, at = *nbest;
	for (i = 0; i < *nbest; i++) {
		if (!strcmp(best[i].text, text))
			return;
		if (dist < best[i].dist && at == *nbest)
			at = i;
	}
	if (at >= STORE_SUGGESTIONS)
		return;
	if (*nbest == STORE_SUGGESTIONS)
		free(best[--*nbest].text);
	memmove(&best[at + 1], &best[at], (*nbest - at) * sizeof(*best));
	best[at].text = iw_strdup(text);
	best[at].dist = dist;
	++*nbest;
}

int store_suggest(store *s, store_suggest_kind kind, const char *query, char ***out, size_t *n)
{
	static const char *const sql[] = {
		"SELECT DISTINCT name, NULL FROM record WHERE name IS NOT NULL ORDER BY 1",
		"SELECT DISTINCT pid, name FROM person ORDER BY 1",
	};
	sqlite3_stmt *st = NULL;
	lookup_hit best[STORE_SUGGESTIONS];
	size_t nbest = 0, lq = strlen(query), limit, i;
	int rc, sr;

	*out = NULL;
	*n = 0;
	if (lq == 0 || lq > LOOKUP_MAX_LEN)
		return IW_OK;
	/* Beyond a third of the query's letters, a "suggestion" is another word. */
	limit = lq / 3 > 2 ? lq / 3 : 2;
	if ((rc = store_prepare(s, &st, sql[kind == STORE_SUGGEST_PEOPLE])))
		return rc;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		size_t d = id ? lookup_distance(query, lq, id) : limit + 1;
		if (name) {
			size_t dn = lookup_distance(query, lq, name);
			if (dn < d)
				d = dn;
		}
		if (id && d <= limit && d > 0)
			lookup_offer(best, &nbest, id, d);
	}
	if (sr != SQLITE_DONE) {
		rc = store_sqlerr(s, "suggest");
		for (i = 0; i < nbest; i++)
			free(best[i].text);
		goto out;
	}
	if (nbest) {
		*out = iw_calloc(nbest, sizeof(**out));
		for (i = 0; i < nbest; i++)
			(*out)[i] = best[i].text;
		*n = nbest;
	}
out:
	sqlite3_finalize(st);
	return rc;
}

void store_suggestions_free(char **v, size_t n)
{
	size_t i;
	if (!v)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- full-text search ---------------------------------------------------------------------- */

/* The user's words as an FTS5 query: each one quoted (so that no word is taken for syntax),
 * all required. */
static char *lookup_fts_query(const char *text)
{
	iw_buf b = IW_BUF_INIT(4096);
	const char *p = text;
	char *out = NULL;
	int words = 0;
	while (*p) {
		const char *w;
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		w = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		iw_buf_adds(&b, words++ ? " \"" : "\"");
		for (; w < p; w++) {
			if (*w == '"')
				iw_buf_addc(&b, '"');
			iw_buf_addc(&b, *w);
		}
		iw_buf_addc(&b, '"');
	}
	if (words && iw_buf_error(&b) == IW_OK)
		out = iw_buf_detach(&b, NULL);
	iw_buf_free(&b);
	return out;
}

void store_search_list_free(store_search_list *l)
{
	if (!l)
		return;
	free(l->v);
	registry_doc_free(l->strings);
	memset(l, 0, sizeof(*l));
}

int store_search(store *s, const char *text, store_search_list *out)
{
	/* Hits grouped by entry (a named record by name and protocol, an unnamed one by protocol
	 * and port) and by person, each with the positions its matching versions span, best
	 * (lowest bm25) first. */
	static const char sql[] =
		"WITH rm AS MATERIALIZED (SELECT rowid AS id, bm25(record_fts) AS score FROM record_fts "
		"  WHERE record_fts MATCH ?1),"
		" pm AS MATERIALIZED (SELECT rowid AS id, bm25(person_fts) AS score FROM person_fts "
		"  WHERE person_fts MATCH ?1) "
		"SELECT 0, r.name, r.protocol, min(r.port), max(r.port_end), min(sp.first_pos), "
		"  max(sp.last_pos), min(rm.score), count(DISTINCT r.id), min(r.description) "
		"  FROM rm JOIN record r ON r.id = rm.id JOIN record_span sp ON sp.record_id = r.id "
		"  GROUP BY lower(coalesce(r.name, '')), r.protocol, "
		"    CASE WHEN r.name IS NULL THEN r.port END "
		"UNION ALL "
		"SELECT 1, p.pid, NULL, NULL, NULL, min(sp.first_pos), max(sp.last_pos), min(pm.score), "
		"  count(DISTINCT p.id), min(p.name) "
		"  FROM pm JOIN person p ON p.id = pm.id JOIN person_span sp ON sp.person_id = p.id "
		"  GROUP BY p.pid "
		"ORDER BY 8, 1, 2, 3, 4";
	sqlite3_stmt *st = NULL;
	char *q = lookup_fts_query(text);
	size_t alloc = 0;
	int64_t n = 0;
	int rc, sr;

	memset(out, 0, sizeof(*out));
	out->strings = registry_doc_new();
	if (!q) {
		rc = iw_error_set(IW_EINVAL, "nothing to search for");
		goto out;
	}
	if ((rc = store_count_snapshots(s, &n)) || (rc = store_prepare(s, &st, sql)))
		goto out;
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		store_search_hit *h;
		IW_GROW(out->v, out->n, alloc, 32);
		h = &out->v[out->n++];
		memset(h, 0, sizeof(*h));
		h->is_person = sqlite3_column_int(st, 0);
		h->name = store_text_from_row(st, 1, out->strings);
		h->protocol = store_text_from_row(st, 2, out->strings);
		h->port = sqlite3_column_type(st, 3) == SQLITE_NULL ? REGISTRY_NO_PORT
		                                                   : sqlite3_column_int(st, 3);
		h->port_end = sqlite3_column_type(st, 4) == SQLITE_NULL ? REGISTRY_NO_PORT
		                                                       : sqlite3_column_int(st, 4);
		h->first_pos = sqlite3_column_int64(st, 5);
		h->last_pos = sqlite3_column_int64(st, 6);
		if (h->last_pos > n)
			h->last_pos = n;
		h->score = -sqlite3_column_double(st, 7);
		h->versions = (size_t)sqlite3_column_int64(st, 8);
		h->text = store_text_from_row(st, 9, out->strings);
	}
	if (sr != SQLITE_DONE)
		rc = store_sqlerr(s, "search");
out:
	sqlite3_finalize(st);
	free(q);
	if (rc)
		store_search_list_free(out);
	return rc;
}
