/* lookup.c: names as users type them: people over time, and "did you mean" suggestions. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/store_int.h"

static const char *lookup_text(sqlite3_stmt *st, int col, registry_doc *strings)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? registry_doc_strndup(strings, (const char *)t,
	                                (size_t)sqlite3_column_bytes(st, col)) : NULL;
}

void store_person_list_free(store_person_list *l)
{
	if (!l)
		return;
	free(l->v);
	registry_doc_free(l->strings);
	memset(l, 0, sizeof(*l));
}

int store_person_versions(store *s, const char *who, store_person_list *out)
{
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int64_t n = 0;
	int rc, sr, i;

	memset(out, 0, sizeof(*out));
	out->strings = registry_doc_new();
	if ((rc = store_count_snapshots(s, &n)))
		goto out;
	/* Every version of each person whose id or name (in any version) is `who`. */
	if ((rc = store_prepare(s, &st, "SELECT p.id, sp.first_pos, sp.last_pos, p.pid, p.name, "
	                        "p.org, p.uri, p.updated FROM person p JOIN person_span sp ON "
	                        "sp.person_id = p.id WHERE p.pid IN (SELECT pid FROM person WHERE "
	                        "pid = ?1 COLLATE NOCASE OR name = ?1 COLLATE NOCASE) "
	                        "ORDER BY p.pid, sp.first_pos, p.id")))
		goto out;
	sqlite3_bind_text(st, 1, who, -1, SQLITE_STATIC);
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		store_person_version *v;
		if (out->n == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			out->v = iw_realloc(out->v, alloc * sizeof(*out->v));
		}
		v = &out->v[out->n++];
		v->person_id = sqlite3_column_int64(st, 0);
		v->first_pos = sqlite3_column_int64(st, 1);
		v->last_pos = sqlite3_column_int64(st, 2);
		if (v->last_pos > n)
			v->last_pos = n;
		v->p.id = lookup_text(st, 3, out->strings);
		for (i = 0; i < PERSON_NFIELDS; i++)
			v->p.f[i] = lookup_text(st, 4 + i, out->strings);
	}
	if (sr != SQLITE_DONE)
		rc = store_sqlerr(s, "load person");
	else if (out->n == 0)
		rc = iw_error_set(IW_ENOTFOUND, "no person '%s' in any snapshot", who);
out:
	sqlite3_finalize(st);
	if (rc)
		store_person_list_free(out);
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
