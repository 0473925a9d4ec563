/*
 * reports.h: renderings of the registry's history for people and programs.
 *
 * Every renderer appends to a capped iw_buf (common.h) and returns IW_OK or a negative IW_E*
 * code (IW_ENOMEM when the buffer's cap is reached); none writes to a file or stdout itself.
 * Inputs are borrowed. Sections below are owned by different files; add a new section for a
 * new kind of report rather than widening another one.
 */
#ifndef IANAWATCH_REPORTS_H
#define IANAWATCH_REPORTS_H

#include "common/common.h"
#include "diff/diff.h"
#include "registry/registry.h"
#include "store/store.h"

/* ==== change reports (changes_text.c, changes_markdown.c, changes_render.c, changes_json.c) ==
 *
 * What changed from snapshot `from` to snapshot `to`, as computed by diff_compute() (and
 * possibly narrowed by diff_filter_apply()). Person ids are resolved to "Name (Org)" through
 * the result's documents (d->a for what was, d->b for what is, each falling back to the
 * other); their people must be sorted by id (registry_doc_index_people(); the store's
 * documents are). `from` and `to` may be NULL (documents outside the store): the text names
 * the registry dates only, JSON says null.
 *
 * Text and Markdown read like a changelog: a headline with counts by kind, then one group per
 * kind, one line per change; a removal and an addition that are one move or rename
 * (diff_pairs()) are shown together in a group of their own, status changes of the same ports
 * on several protocols share a line. An EMPTY result renders NOTHING in text and Markdown
 * (the buffer is left untouched), so that cron mails only news; JSON always renders the
 * object, with empty arrays.
 *
 * JSON is issue 3's contract:
 *   {"from": SNAP, "to": SNAP,
 *    "changes": [{"kind", "name", "protocol", "port", "port_end", "fields" (modified only),
 *                 "before", "after"}, ...],
 *    "people": [{"kind", "id", "fields" (modified only)}, ...]}
 * with SNAP = {"id", "registry_updated", "observed_at", "sha256"}, and before/after the full
 * record (report_json_record()) for entries, the status name for "status" changes, or null.
 * One change per line, a final newline.
 */
int report_changes_text(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                        const diff_result *d);
int report_changes_markdown(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                            const diff_result *d);
int report_changes_json(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                        const diff_result *d);

/* {"id": 12, "registry_updated": "...", "observed_at": "...", "sha256": "..."}, or null. */
int report_json_snapshot(iw_buf *out, const store_snapshot *s);
/* Every field of a record as one JSON object: name, protocol, port, port_end (int or null),
 * description, assignee, contact, references (arrays, [] when empty), notes, unauthorized,
 * service_code, registration_date, modification_date (string or null). */
int report_json_record(iw_buf *out, const registry_record *r);
/* "Name (Org)" of person `id` looked up in doc, then in fallback (either may be NULL); the
 * name alone without org, the org without name, the id itself when unknown. Plain text. */
int report_person_label(iw_buf *out, const registry_doc *doc, const registry_doc *fallback,
                        const char *id);

/* ==== changes between two stored snapshots (changes_stored.c) ===============================
 *
 * What `diff` and `fetch` both print: loads snapshots from_id and to_id (equal ids compare a
 * snapshot with itself), computes the diff, narrows it with filter (NULL keeps everything) and
 * renders it with report_changes_text/markdown/json() above, appending to out. *changed (may be
 * NULL) becomes 1 when the narrowed result holds any change, 0 otherwise.
 */
typedef enum report_format { REPORT_TEXT = 0, REPORT_JSON, REPORT_MARKDOWN } report_format;

int report_stored_changes(iw_buf *out, store *s, int64_t from_id, int64_t to_id,
                          report_format format, const diff_filter *filter, int *changed);

#endif
