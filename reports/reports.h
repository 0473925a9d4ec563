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
#include "watch/watch.h"

/* ==== change reports (changes_render.c, changes_json.c) =====================================
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
 * record (registry_json_record()) for entries, the status name for "status" changes, or null.
 * One change per line, a final newline.
 */
int report_changes_text(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                        const diff_result *d);
int report_changes_markdown(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                            const diff_result *d);
int report_changes_json(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                        const diff_result *d);


/* ==== changes between two stored snapshots (changes_stored.c) ===============================
 *
 * What `diff` and `fetch` both print: loads snapshots from_id and to_id (equal ids compare a
 * snapshot with itself), computes the diff, narrows it with filter (NULL keeps everything) and
 * renders it with report_changes_text/markdown/json() above, appending to out. *changed (may be
 * NULL) becomes 1 when the narrowed result holds any change, 0 otherwise.
 * from_doc and to_doc, when not NULL, are the documents of from_id and to_id as the caller
 * already holds them (fetch has just parsed the new one and loaded the previous one beside
 * it), in the form store_load_doc() gives: sorted with registry_doc_sort(), people indexed
 * with registry_doc_index_people(). They save loading those snapshots again.
 */
typedef enum report_format { REPORT_TEXT = 0, REPORT_JSON, REPORT_MARKDOWN } report_format;

int report_stored_changes(iw_buf *out, store *s, int64_t from_id, int64_t to_id,
                          const registry_doc *from_doc, const registry_doc *to_doc,
                          report_format format, const diff_filter *filter, int *changed);

/* ==== the change log (changes_log.c) =================================================
 *
 * Every change set between consecutive snapshots whose newer one is at a position in
 * [o->first, o->last] (store.h's 1-based ranks; 1 <= first, last <= nsnaps; first > last is an
 * empty period), each exactly what report_stored_changes() renders for that pair with the same
 * filter, narrowed further by o->narrow (which may drop changes from the result it is given;
 * a non-zero return stops the log with that error). A change set left empty is omitted.
 * Newest first, or oldest first with o->reverse. Text and Markdown: the change sets'
 * renderings one after another, a blank line between; nothing when there is none. JSON:
 *   {"snapshots": N, "change_sets": [CHANGES,\n CHANGES ...]}
 * one object per line, each report_changes_json()'s object without its final newline, N the
 * number of snapshots the period's pairs run between (its positions and the one before).
 * snaps[i] is the snapshot at position i + 1 (store_list_snapshots()). The documents are not
 * loaded: the pairs come from the span walk (site_int.h's report_walk_pair(), proved equal to
 * whole documents' diffs by the log_equals_diff test). *nsets receives the change sets listed.
 */
typedef struct report_log_opts {
	int64_t first, last;
	int reverse;
	report_format format;
	const diff_filter *filter;                 /* NULL: keep every change */
	int (*narrow)(void *arg, diff_result *d);  /* NULL: none; after filter, before watch */
	void *arg;
	const struct report_watch *watch;          /* as diff --watch: NULL: none */
	/* first == last: the one change set alone, exactly as report_stored_changes() renders
	 * it (JSON even when empty, no envelope); *nsets is 1 when it holds a change. Loads
	 * only what that pair needs (what `diff` of two consecutive snapshots uses). */
	int single;
} report_log_opts;

int report_log(iw_buf *out, store *s, const store_snapshot *snaps, size_t nsnaps,
               const report_log_opts *o, size_t *nsets);

/* ==== change sets narrowed to a watch list, with severities (changes_stored.c, issue 15) ====
 *
 * What `diff --watch`, `fetch --watch` and the notifications of fetch show. A report_watch
 * says which changes to keep: those touching list (NULL: all) whose severity is at least min
 * (watch_filter()); show asks for severities in the rendering (the command line sets it when
 * --watch or --min-severity is given). With show, text and Markdown start each line with
 * "[high] " (a pair or a shared status line: the highest of its changes) and JSON adds
 * "severity": "low|medium|high" to every change and person change.
 */
typedef struct report_watch {
	const watch_list *list;   /* borrowed; NULL: every change */
	watch_severity min;       /* WATCH_LOW keeps all */
	int show;                 /* render severities */
} report_watch;

/* One change set, loaded, diffed and narrowed; owns everything it holds. */
typedef struct report_changeset {
	store_snapshot from, to;
	registry_doc *da, *db;    /* loaded here when the caller gave no document */
	diff_result *d;           /* borrows the documents */
	watch_severity *sev;      /* d->nchanges of them when shown, else NULL */
	watch_severity highest;   /* of the kept changes and people (WATCH_LOW when none) */
} report_changeset;

/* Loads snapshots from_id and to_id (or uses the documents given, as report_stored_changes()
 * does), computes the diff, applies filter (NULL: none) then w (NULL: none). Documents given
 * must outlive cs. On error cs is empty. */
int report_changeset_load(report_changeset *cs, store *s, int64_t from_id, int64_t to_id,
                          const registry_doc *from_doc, const registry_doc *to_doc,
                          const diff_filter *filter, const report_watch *w);
/* Renders cs in format (severities when cs->sev), as the report_changes_*() functions. */
int report_changeset_render(iw_buf *out, const report_changeset *cs, report_format format);
/* One line, no newline: "Registry changes 2025-01-23 -> 2025-02-13 (snapshots 1 -> 2): 1
 * moved, 2 de-assigned"; "... : no change" when cs is empty. */
int report_changeset_summary(iw_buf *out, const report_changeset *cs);
int report_changeset_empty(const report_changeset *cs);
void report_changeset_free(report_changeset *cs);
/* report_stored_changes() narrowed by w (NULL: exactly report_stored_changes()). */
int report_stored_changes_watch(iw_buf *out, store *s, int64_t from_id, int64_t to_id,
                                const registry_doc *from_doc, const registry_doc *to_doc,
                                report_format format, const diff_filter *filter,
                                const report_watch *w, int *changed);

/* ==== the static site (site.c, site_walk.c, site_html.c, site_atom.c, site_chart.c) =========
 *
 * report_site_write() writes a self-contained site for people, feed readers and scripts into
 * outdir (created when missing): no network, no JavaScript, inline CSS, light and dark.
 *   index.html               change sets newest first (date, counts by kind, the first
 *                            changes), and two inline SVG charts: assigned port numbers per
 *                            snapshot and changes per month by kind
 *   changes/NAME.html        one page per change set, NAME = "<registry date of the newer
 *                            snapshot>_<first 12 hex digits of its SHA-256>", with the
 *                            changes grouped by kind (report_changes_html())
 *   changes/NAME.md          the same change set as report_changes_markdown()
 *   changes.json             every change set, oldest first: [CHANGES, ...], each element
 *                            exactly report_changes_json()'s object
 *   feed.atom                Atom 1.0, the newest REPORT_FEED_MAX change sets
 *   .ianawatch-site.tsv      what later incremental runs reuse (see below)
 * A change set is a pair of consecutive snapshots whose diff is not empty (diff_result_empty()
 * is false): a new registry date alone makes none. With since_date (YYYY-MM-DD, or NULL for
 * all), only change sets whose newer snapshot has a registry date on or after it, and the
 * charts cover the same snapshots.
 *
 * Every file is written to a temporary name and renamed (iw_write_file_atomic()), so a reader
 * never sees half a page; a file that already holds the right bytes is left alone. Cost: one pass over the span tables (site_walk.c), then one diff per
 * consecutive pair, made on the versions that changed and those sharing their ports rather
 * than on whole documents (same result, see site_walk.c); no document is loaded per snapshot.
 *
 * incremental (what `fetch --report-dir` asks for): when .ianawatch-site.tsv describes the
 * stored snapshots it saw (same since_date, and those snapshots are still the first ones of
 * the range, in order), only pairs after them are diffed, and pages are written only for
 * those and for change sets whose files are missing; then the index, feed, changes.json and
 * the state file are rewritten (from the state file, which also keeps each change set's
 * JSON, and the existing pages), unless nothing at all was new or missing: then no file is
 * touched. Otherwise, and without `incremental`, everything is computed and written.
 *
 * IW_ENOTFOUND when the store holds no snapshot; IW_EINVAL for a bad since_date; IW_EIO
 * naming the file that could not be written.
 */
#define REPORT_FEED_MAX 50

typedef struct report_site_stats {
	size_t snapshots;      /* snapshots covered (the range since since_date) */
	size_t change_sets;    /* change sets listed */
	size_t computed;       /* pairs diffed in this run; the others came from the state file */
	size_t pages_written;  /* change sets whose page or Markdown was (re)written */
	size_t files_written;  /* every file (re)written; identical ones are not */
} report_site_stats;

int report_site_write(store *s, const char *outdir, const char *since_date, int incremental,
                      report_site_stats *stats);
/* report --watch (issue 15): every change set narrowed by w (report_watch, above) before it
 * is listed or written, the Markdown and JSON with severities when w->show; always written
 * whole (incremental is ignored). w NULL: report_site_write(). */
int report_site_write_watch(store *s, const char *outdir, const char *since_date,
                            int incremental, const report_watch *w, report_site_stats *stats);

/* The change set as HTML sections, one per group of the changelog (the text and Markdown
 * reports' engine), each a table with <th scope> headers: the subject (port/protocol and
 * name), then what happened; a modification lists each field with its before and after.
 * Nothing for an empty result. */
int report_changes_html(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                        const diff_result *d);
/* Appends s[0..len) with & < > " ' as entities and control characters other than tab, CR
 * and LF (which XML cannot carry) as U+FFFD: safe in HTML and XML text and attributes. */
int report_html_escape(iw_buf *out, const char *s, size_t len);
/* "6357" -> "6,357". */
int report_format_number(iw_buf *out, long v);

/* An ISO 8601 UTC time (iw_time_parse()) as RFC 3339 "YYYY-MM-DDTHH:MM:SSZ", for Atom's
 * <updated>: a date alone is midnight. IW_EINVAL otherwise. */
int report_atom_time(const char *iso, char out[21]);
/* The stable id of the entry for the change set leading to the snapshot with this SHA-256:
 * "urn:uuid:" and its first 128 bits, with RFC 9562's version 8 and variant bits set, so
 * every copy of the site, and every run, gives the same entry the same id. IW_EINVAL when
 * the argument is not 64 hex digits. */
int report_atom_entry_id(const char *sha256_hex, char out[46]);

/* Chart scaling: a range [lo, hi] covering the data, in steps of 1, 2 or 5 times a power of
 * ten, with at most max_ticks steps. A flat series gets a range around its value (0..1 for
 * zeros), so hi > lo always. */
typedef struct report_axis {
	long lo, hi, step;
} report_axis;

void report_axis_nice(long lo, long hi, int max_ticks, report_axis *out);

/* The charts' geometry (SVG user units): the plot spans x LEFT..WIDTH-RIGHT, y TOP..BOTTOM,
 * the value axis lo at BOTTOM and hi at TOP. */
#define REPORT_CHART_WIDTH 720
#define REPORT_CHART_HEIGHT 240
#define REPORT_CHART_LEFT 64
#define REPORT_CHART_RIGHT 12
#define REPORT_CHART_TOP 12
#define REPORT_CHART_BOTTOM 212

/* Two snapshots further apart than this many days leave a stretch with no snapshot: the charts
 * draw it as a gap (hatched, labelled), never as a line across it, and the changes found over
 * it as one band over the whole stretch, never piled into the month it ends in. */
#define REPORT_CHART_GAP_DAYS 62

typedef struct report_chart_point {
	time_t t;          /* the snapshot's registry date */
	long value;        /* assigned port numbers */
	const char *href;  /* the change set leading to it, or NULL (then no dot is drawn) */
} report_chart_point;

typedef struct report_chart_month {
	int year, month;   /* a calendar month, when `gap` is 0 */
	long counts[DIFF_NSHOWN]; /* by diff_kind, moved and renamed included */
	/* A change set across a stretch with no snapshot: t0 and t1 are its two snapshots'
	 * registry dates; year and month are ignored. */
	int gap;
	time_t t0, t1;
	const char *href;  /* its change sets (a page or an anchor of the index), or NULL */
} report_chart_month;

/* An <svg> element: assigned port numbers over time at real dates, a line through consecutive
 * snapshots, broken (and the stretch hatched) where a gap lies between two; a linked dot per
 * point with href; one point alone: a dot in the middle. */
int report_chart_ports_svg(iw_buf *out, const report_chart_point *p, size_t n);
/* An <svg> element: one stacked bar per month with changes, at its real place on the time
 * axis, a class k0..k7 per shown kind (diff_kind); a gap's changes as a hatched band over it,
 * labelled with their number; "No change in this period" when there is no change at all.
 * Bars with an href are links. */
int report_chart_months_svg(iw_buf *out, const report_chart_month *m, size_t n);

#endif
