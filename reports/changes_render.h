/*
 * changes_render.h: private to the change reports: the presentation model every format walks,
 * and the one entry point of the formats (report_changes_format()).
 */
#ifndef IANAWATCH_CHANGES_RENDER_H
#define IANAWATCH_CHANGES_RENDER_H

#include "reports/reports.h"

/* Appends registry text escaped for one format. */
typedef int (*report_escape_fn)(iw_buf *out, const char *s, size_t len);

/*
 * The presentation model of a change set, built once from the change objects (diff/) and
 * walked by each renderer: groups in diff_shown_order (then People), each with its items; an
 * item is a subject (port/protocol and name, which renderers emphasise), the text saying what
 * happened, and for a modification its fields with the values before and after. Counts are
 * diff_count_shown()'s, so summary, headings and tables agree. Strings hold registry text
 * already escaped by the format's escape function (the engine's own words need none), never
 * NULL. Everything is owned by the model: report_model_free().
 */
#define REPORT_GROUP_PEOPLE (-1)

typedef struct report_mfield {
	char *name, *before, *after;
} report_mfield;

typedef struct report_mitem {
	int severity;         /* watch_severity when severities are shown, else -1 */
	char *subject, *text;
	report_mfield *fields;
	size_t nfields;
} report_mitem;

typedef struct report_mgroup {
	int kind;             /* diff_kind (DIFF_MOVED ... included), or REPORT_GROUP_PEOPLE */
	char *title;          /* "De-assigned (4)" */
	size_t count;         /* as counted in the summary (a status line may stand for several) */
	report_mitem *items;
	size_t nitems, alloc;
} report_mgroup;

typedef struct report_model {
	int nonempty;         /* 0: no change at all (nothing else is set) */
	char *title;          /* "Registry changes 2025-01-23 -> 2025-02-13 (snapshots 1 -> 2)" */
	char *summary;        /* "4 de-assigned, 2 added" (report_counts_words()) */
	size_t counts[DIFF_NSHOWN], people[DIFF_NKINDS];
	report_mgroup *groups;
	size_t ngroups;
} report_model;

/* Builds the model of d; each string part is capped at cap bytes. On error m is empty.
 * sev (watch_severities() of d, NULL for none) gives each item its severity: a pair or a
 * shared status line takes the highest of its changes. */
int report_model_build(report_model *m, const store_snapshot *from, const store_snapshot *to,
                       const diff_result *d, const watch_severity *sev,
                       report_escape_fn escape, size_t cap);
void report_model_free(report_model *m);

/* "3 moved, 4 de-assigned, 2 added, 1 person modified" in diff_shown_order (pairs counted
 * once, as diff_count_shown() counts them); nothing when every count is 0. Sticky. */
int report_counts_words(iw_buf *out, const size_t counts[DIFF_NSHOWN],
                        const size_t people[DIFF_NKINDS]);

/* JSON (changes_json.c); with sev (NULL: none), every change says its "severity". */
int report_changes_json_sev(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                            const diff_result *d, const watch_severity *sev);

/* d in format, with the severities sev (NULL: none; with them, text and Markdown start each
 * line with its severity, "[high] "): what every change report writes. Text and Markdown
 * write nothing at all when d is empty. */
int report_changes_format(iw_buf *out, report_format format, const store_snapshot *from,
                          const store_snapshot *to, const diff_result *d,
                          const watch_severity *sev);

#endif
