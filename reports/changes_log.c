/* changes_log.c: the change log: every consecutive change set of a range, from the span walk. */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "site_int.h"
#include "watch/watch.h"
#include "common/banned.h"

/* One rendered change set, kept until the order of the whole log is known. */
typedef struct log_piece {
	char *data;
	size_t len;
} log_piece;

/* The diff of the step the walk just made, narrowed as o says, with the severities to show
 * when o->watch asks for them; *d and *sev are the caller's. */
static int log_step_diff(report_walk *w, const report_log_opts *o, diff_result **d,
                         watch_severity **sev)
{
	const registry_doc *a, *b;
	int rc;
	*d = NULL;
	*sev = NULL;
	if ((rc = report_walk_pair(w, &a, &b)) || (rc = diff_compute(a, b, d)))
		return rc;
	if (o->filter)
		diff_filter_apply(*d, o->filter);
	if (o->narrow && (rc = o->narrow(o->arg, *d)))
		goto out;
	/* As report_changeset_load() narrows diff --watch (last, so that the severities match
	 * the changes kept). */
	if (o->watch && (rc = watch_filter(*d, o->watch->list, o->watch->min, sev)))
		goto out;
	if (*sev && !o->watch->show) {
		free(*sev);
		*sev = NULL;
	}
out:
	if (rc) {
		diff_result_free(*d);
		*d = NULL;
		free(*sev);
		*sev = NULL;
	}
	return rc;
}

/* Appends the log's pieces in the order asked, as text, Markdown or one JSON object. */
static int log_assemble(iw_buf *out, const report_log_opts *o, const log_piece *v, size_t n,
                        int64_t nsnaps)
{
	size_t i;
	if (o->format == REPORT_JSON) {
		iw_buf_printf(out, "{\"snapshots\": %lld, \"change_sets\": [", (long long)nsnaps);
		if (n)
			iw_buf_add(out, "\n", 1);
	}
	for (i = 0; i < n; i++) {
		const log_piece *p = &v[o->reverse ? i : n - 1 - i];
		size_t len = p->len;
		if (o->format == REPORT_JSON) {
			/* The object as diff prints it, without its final newline. */
			if (len && p->data[len - 1] == '\n')
				len--;
			iw_buf_add(out, p->data, len);
			iw_buf_add(out, i + 1 < n ? ",\n" : "\n", i + 1 < n ? 2 : 1);
		} else {
			if (i)
				iw_buf_add(out, "\n", 1);
			iw_buf_add(out, p->data, len);
		}
	}
	if (o->format == REPORT_JSON)
		iw_buf_add(out, "]}\n", 3);
	return iw_buf_error(out);
}

int report_log(iw_buf *out, store *s, const store_snapshot *snaps, size_t nsnaps,
               const report_log_opts *o, size_t *nsets)
{
	report_walk *w = NULL;
	log_piece *v = NULL;
	size_t n = 0, alloc = 0, i;
	int64_t first = o->first < 2 ? 2 : o->first, pos, count;
	int rc = IW_OK, single_changed = 0;

	*nsets = 0;
	if (o->first < 1 || o->last > (int64_t)nsnaps)
		return iw_error_set(IW_EINVAL, "log: no snapshot positions %lld..%lld among %zu",
		                    (long long)o->first, (long long)o->last, nsnaps);
	if (o->single && (o->first != o->last || o->first < 2))
		return iw_error_set(IW_EINVAL, "log: one change set needs one position after the first");
	/* The snapshots the period's change sets run between. */
	count = o->last < o->first ? 0 : o->last - (o->first > 1 ? o->first - 1 : 1) + 1;
	if (first <= o->last) {
		/* One pair: load what it needs rather than both snapshots. */
		rc = first == o->last ? report_walk_open_step(s, snaps, nsnaps, first, &w)
		                      : report_walk_open(s, snaps, nsnaps, first - 1, o->last, &w);
		if (rc)
			goto out;
		while ((rc = report_walk_next(w, &pos, NULL)) == IW_OK) {
			diff_result *d = NULL;
			watch_severity *sev = NULL;
			iw_buf piece = IW_BUF_INIT(out->cap);
			if (pos < first)
				continue;
			if ((rc = log_step_diff(w, o, &d, &sev)))
				goto out;
			if (o->single) {
				/* diff's own output: rendered even when empty (JSON always prints). */
				rc = report_changes_format(out, o->format, &snaps[pos - 2], &snaps[pos - 1], d,
				                           sev);
				single_changed = !diff_result_empty(d);
				diff_result_free(d);
				free(sev);
				if (rc)
					goto out;
				continue;
			}
			if (diff_result_empty(d)) {
				diff_result_free(d);
				free(sev);
				continue;
			}
			rc = report_changes_format(&piece, o->format, &snaps[pos - 2], &snaps[pos - 1], d,
			                           sev);
			diff_result_free(d);
			free(sev);
			if (rc) {
				iw_buf_free(&piece);
				goto out;
			}
			if (n == alloc) {
				alloc = alloc ? alloc * 2 : 64;
				v = iw_realloc(v, alloc * sizeof(*v));
			}
			v[n].data = iw_buf_detach(&piece, &v[n].len);
			n++;
		}
		if (rc != IW_ENOTFOUND)
			goto out;
		rc = IW_OK;
	}
	if (o->single) {
		*nsets = (size_t)single_changed;
		goto out;
	}
	if ((rc = log_assemble(out, o, v, n, count)))
		goto out;
	*nsets = n;
out:
	for (i = 0; i < n; i++)
		free(v[i].data);
	free(v);
	report_walk_free(w);
	return rc;
}
