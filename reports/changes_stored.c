/* changes_stored.c: the change report between two stored snapshots, shared by diff and fetch. */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "changes_render.h"
#include "reports/reports.h"
#include "common/banned.h"

void report_changeset_free(report_changeset *cs)
{
	if (!cs)
		return;
	diff_result_free(cs->d);
	registry_doc_free(cs->da);
	registry_doc_free(cs->db);
	free(cs->sev);
	store_snapshot_clear(&cs->from);
	store_snapshot_clear(&cs->to);
	memset(cs, 0, sizeof(*cs));
}

int report_changeset_load(report_changeset *cs, store *s, int64_t from_id, int64_t to_id,
                          const registry_doc *from_doc, const registry_doc *to_doc,
                          const diff_filter *filter, const report_watch *w)
{
	size_t i;
	int rc;

	memset(cs, 0, sizeof(*cs));
	if ((rc = store_get_snapshot(s, from_id, &cs->from)) ||
	    (rc = store_get_snapshot(s, to_id, &cs->to)))
		goto out;
	if (!from_doc) {
		if ((rc = store_load_doc(s, from_id, &cs->da)))
			goto out;
		from_doc = cs->da;
	}
	if (!to_doc) {
		/* A snapshot against itself: one document serves as both sides. */
		if (to_id == from_id)
			to_doc = from_doc;
		else if ((rc = store_load_doc(s, to_id, &cs->db)))
			goto out;
		else
			to_doc = cs->db;
	}
	if ((rc = diff_compute(from_doc, to_doc, &cs->d)))
		goto out;
	if (filter)
		diff_filter_apply(cs->d, filter);
	if (w) {
		if ((rc = watch_filter(cs->d, w->list, w->min, &cs->sev)))
			goto out;
	} else {
		/* Not shown, but the highest severity is (a notification's priority). */
		cs->sev = iw_calloc(cs->d->nchanges ? cs->d->nchanges : 1, sizeof(*cs->sev));
		if ((rc = watch_severities(cs->d, cs->sev)))
			goto out;
	}
	cs->highest = WATCH_LOW;
	for (i = 0; i < cs->d->nchanges; i++)
		if (cs->sev[i] > cs->highest)
			cs->highest = cs->sev[i];
	for (i = 0; i < cs->d->npeople; i++)
		if (watch_person_severity(&cs->d->people[i]) > cs->highest)
			cs->highest = watch_person_severity(&cs->d->people[i]);
	if (!w || !w->show) {
		free(cs->sev);
		cs->sev = NULL;
	}
out:
	if (rc)
		report_changeset_free(cs);
	return rc;
}

int report_changeset_empty(const report_changeset *cs)
{
	return !cs->d || diff_result_empty(cs->d);
}

int report_changeset_render(iw_buf *out, const report_changeset *cs, report_format format)
{
	return report_changes_format(out, format, &cs->from, &cs->to, cs->d, cs->sev);
}

int report_changeset_summary(iw_buf *out, const report_changeset *cs)
{
	size_t counts[DIFF_NSHOWN], people[DIFF_NKINDS];
	iw_buf_printf(out, "Registry changes %s -> %s (snapshots %lld -> %lld): ",
	              cs->from.registry_updated, cs->to.registry_updated,
	              (long long)cs->from.id, (long long)cs->to.id);
	if (report_changeset_empty(cs))
		return iw_buf_adds(out, "no change");
	diff_count_shown(cs->d, counts, people);
	report_counts_words(out, counts, people);
	return iw_buf_error(out);
}

int report_stored_changes_watch(iw_buf *out, store *s, int64_t from_id, int64_t to_id,
                                const registry_doc *from_doc, const registry_doc *to_doc,
                                report_format format, const diff_filter *filter,
                                const report_watch *w, int *changed)
{
	report_changeset cs;
	int rc;

	if (changed)
		*changed = 0;
	if ((rc = report_changeset_load(&cs, s, from_id, to_id, from_doc, to_doc, filter, w)))
		return rc;
	rc = report_changeset_render(out, &cs, format);
	if (rc == IW_OK && changed)
		*changed = !report_changeset_empty(&cs);
	report_changeset_free(&cs);
	return rc;
}

int report_stored_changes(iw_buf *out, store *s, int64_t from_id, int64_t to_id,
                          const registry_doc *from_doc, const registry_doc *to_doc,
                          report_format format, const diff_filter *filter, int *changed)
{
	return report_stored_changes_watch(out, s, from_id, to_id, from_doc, to_doc, format,
	                                   filter, NULL, changed);
}
