/* changes_stored.c: the change report between two stored snapshots, shared by diff and fetch. */
#include <string.h>

#include "common/common.h"
#include "reports/reports.h"
#include "common/banned.h"

int report_stored_changes(iw_buf *out, store *s, int64_t from_id, int64_t to_id,
                          const registry_doc *from_doc, const registry_doc *to_doc,
                          report_format format, const diff_filter *filter, int *changed)
{
	store_snapshot from, to;
	registry_doc *da = NULL, *db = NULL;
	diff_result *d = NULL;
	int rc;

	memset(&from, 0, sizeof(from));
	memset(&to, 0, sizeof(to));
	if (changed)
		*changed = 0;
	if ((rc = store_get_snapshot(s, from_id, &from)) ||
	    (rc = store_get_snapshot(s, to_id, &to)))
		goto out;
	if (!from_doc) {
		if ((rc = store_load_doc(s, from_id, &da)))
			goto out;
		from_doc = da;
	}
	if (!to_doc) {
		/* A snapshot against itself: one document serves as both sides. */
		if (to_id == from_id)
			to_doc = from_doc;
		else if ((rc = store_load_doc(s, to_id, &db)))
			goto out;
		else
			to_doc = db;
	}
	if ((rc = diff_compute(from_doc, to_doc, &d)))
		goto out;
	if (filter)
		diff_filter_apply(d, filter);
	if (format == REPORT_JSON)
		rc = report_changes_json(out, &from, &to, d);
	else if (format == REPORT_MARKDOWN)
		rc = report_changes_markdown(out, &from, &to, d);
	else
		rc = report_changes_text(out, &from, &to, d);
	if (rc == IW_OK && changed)
		*changed = !diff_result_empty(d);
out:
	diff_result_free(d);
	registry_doc_free(da);
	registry_doc_free(db);
	store_snapshot_clear(&from);
	store_snapshot_clear(&to);
	return rc;
}
