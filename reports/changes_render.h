/*
 * changes_render.h: private to the change reports: the changelog engine that text and
 * Markdown share; each supplies a style saying how to escape, emphasise, head and list.
 */
#ifndef IANAWATCH_CHANGES_RENDER_H
#define IANAWATCH_CHANGES_RENDER_H

#include "reports/reports.h"

typedef struct changes_style {
	/* Appends registry text (service names, descriptions, notes) escaped for the format. */
	int (*text)(iw_buf *out, const char *s, size_t len);
	/* The first lines: `title` (dates, snapshots) and `counts` ("4 de-assigned, 2 added"),
	 * both safe to print as they are. */
	int (*headline)(iw_buf *out, const char *title, const char *counts);
	/* A group heading such as "De-assigned (4)" (safe), after a blank line. */
	int (*group)(iw_buf *out, const char *title);
	const char *item;      /* starts one change's line */
	const char *subitem;   /* starts a line under it (a modified field) */
	const char *strong_open, *strong_close; /* around the port/protocol and name */
} changes_style;

/* "3 moved, 4 de-assigned, 2 added, 1 person modified" in diff_shown_order (pairs counted
 * once, as diff_count_shown() counts them); nothing when every count is 0. Sticky. */
int report_counts_words(iw_buf *out, const size_t counts[DIFF_NSHOWN],
                        const size_t people[DIFF_NKINDS]);

/* Renders d as a changelog in style st; nothing at all when d is empty. */
int report_changes_render(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                          const diff_result *d, const changes_style *st);

#endif
