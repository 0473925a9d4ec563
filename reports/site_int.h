/*
 * site_int.h: private to the static site (site.c, site_walk.c, site_html.c, site_atom.c,
 * site_chart.c): the walk over consecutive snapshots and the pieces of pages the files share.
 */
#ifndef IANAWATCH_SITE_INT_H
#define IANAWATCH_SITE_INT_H

#include "changes_render.h"

/* ---- the run (site.c), shared with the port pages and search index (site_ports.c) ------ */

#define SITE_NAME_MAX 40

/* The pair (snapshot j-1, snapshot j) of the range, for j >= 1. */
typedef struct site_pair {
	int known;             /* counts and headlines are set (from the state file or a diff) */
	int computed;          /* diffed in this run */
	int nonempty;          /* a change set */
	size_t counts[DIFF_NSHOWN], people[DIFF_NKINDS];
	char *headlines;       /* the index's first changes, HTML <li> items */
	char *json;            /* report_changes_json() of a change set, for changes.json */
	char *feed;            /* its HTML body (report_html_body()), kept for the newest
	                          REPORT_FEED_MAX change sets: the feed's entries */
	int32_t *touch;        /* the port ranges its changes name: lo, hi, lo, hi, ... sorted,
	                          merged; ntouch ranges */
	size_t ntouch;
	int page_due;          /* its HTML page is to be written (from `feed`) after the walk */
} site_pair;

typedef struct site_run {
	store *st;
	const char *outdir;
	const char *since;
	int incremental;
	store_snapshot *snaps; /* every stored snapshot, oldest first */
	size_t nsnaps;
	size_t first, n;       /* the range: snaps[first .. first + n) */
	site_pair *pairs;      /* n entries, [0] unused */
	long *assigned;        /* n entries; -1 while unknown */
	report_site_stats *stats;
	const report_watch *watch; /* report --watch: change sets narrowed (issue 15) */
} site_run;

/* The snapshot at index j of the range. */
const store_snapshot *report_site_snap(const site_run *r, size_t j);
/* "2025-02-13_ae7697a32197": a change set's file name (without extension). */
void report_site_name(const store_snapshot *to, char out[SITE_NAME_MAX]);
/* Writes outdir/rel unless it already holds these bytes; *written (may be NULL) says which. */
int report_site_file(site_run *r, const char *rel, const iw_buf *b, int *written);

/* ---- port pages and the search index (site_ports.c) ----------------------------------------- */

/* Writes ports/N.html for every port some record other than an Unassigned one ever covered
 * (or, on an incremental run with a usable .ianawatch-ports.tsv, for the ports the change
 * sets computed in this run touched, and their new neighbours), search-index.js from every
 * port's names, description words and people, search.html, search.js and site.css. */
int report_site_ports(site_run *r);

/* ---- the walk (site_walk.c) -------------------------------------------------------------- */

/*
 * Every document from position first to last (store.h's 1-based ranks), rebuilt from the
 * record and person spans read in one pass, instead of one store_load_doc() per snapshot:
 * a document differs from the previous one by the few versions whose spans start or end
 * there, so each step merges those into the previous (canonically sorted) list. The
 * documents equal what store_load_doc() returns: same records in the same order, people
 * sorted by id. Their strings belong to the walk.
 *
 * report_walk_next() advances to the next position. `assigned` is the number of port numbers
 * that some assigning record covers on at least one protocol (registry.h's rules: status
 * "assigned" on tcp, udp, sctp or dccp), kept up to date from the versions entering and
 * leaving rather than from a status map per snapshot.
 *
 * report_walk_pair() gives, for the step just made (position pos-1 to pos), two documents for
 * diff_compute() that hold only the versions that left or entered and the unchanged ones
 * sharing a port or key with them (and all people): the diff, and everything the change
 * reports say about it, is exactly that of the whole documents (see site_walk.c), at a
 * fraction of the cost. report_walk_doc() builds the whole document of the current position.
 * Documents are owned by the walk and valid until the next step.
 */
typedef struct report_walk report_walk;

/* snaps[i] is the snapshot at position i + 1 (store_list_snapshots()), borrowed: registry
 * dates come from it. */
int report_walk_open(store *s, const store_snapshot *snaps, size_t nsnaps, int64_t first,
                     int64_t last, report_walk **out);
/* A walk of the one step from position pos - 1 to pos that loads only what
 * report_walk_pair() needs: the versions whose span ends at pos - 1 or starts at pos, the
 * versions at either position sharing a port (store_versions_for_ports()) or a portless name
 * with them, and the people of both positions; a step changing many versions loads the two
 * positions whole instead. report_walk_doc() refuses it. */
int report_walk_open_step(store *s, const store_snapshot *snaps, size_t nsnaps, int64_t pos,
                          report_walk **out);
/* IW_OK with *pos; IW_ENOTFOUND past the last position. */
int report_walk_next(report_walk *w, int64_t *pos, size_t *assigned);
int report_walk_pair(report_walk *w, const registry_doc **a, const registry_doc **b);
int report_walk_doc(report_walk *w, const registry_doc **doc);
void report_walk_free(report_walk *w);

/* ---- HTML pieces (site_html.c) -------------------------------------------------------------- */

/* The start of a page up to and including <body>; title is plain text (escaped here). */
int report_html_head(iw_buf *out, const char *title);
int report_html_foot(iw_buf *out);
/* The same head linking root + "site.css" (written by report_html_css()) instead of carrying
 * the style inline: the thousands of port pages share one stylesheet. */
int report_html_page_head(iw_buf *out, const char *title, const char *root);
int report_html_css(iw_buf *out);
/* The model of a change set for HTML (registry text HTML-escaped), report_model_build(). */
int report_html_model(report_model *m, const store_snapshot *from, const store_snapshot *to,
                      const diff_result *d, size_t cap);
/* The change set as sections, one table per group (report_changes_html()). Sticky. */
int report_html_body(iw_buf *out, const report_model *m);
/* The first `max` changes as <li> items (subject and what happened) and "and N more": the
 * index's headline changes. One line of HTML, no newline. Sticky. */
int report_html_headlines(iw_buf *out, const report_model *m, size_t max);
/* "4 de-assigned, 2 added, 1 person modified", plain ASCII; "no change" when all are 0. */
int report_counts_text(iw_buf *out, const size_t counts[DIFF_NSHOWN],
                       const size_t people[DIFF_NKINDS]);

/* ---- the feed (site_atom.c) ---------------------------------------------------------------- */

typedef struct report_feed_entry {
	const store_snapshot *to;   /* the newer snapshot: id (from its SHA-256) and updated */
	const char *counts;         /* "4 de-assigned, 2 added", plain text */
	const char *href;           /* the change set's page, relative to the feed */
	const char *content;        /* the change set as HTML */
	size_t content_len;
} report_feed_entry;

/* The whole feed, entries as given (newest first); `updated` is the feed's time (ISO 8601). */
int report_atom_feed(iw_buf *out, const report_feed_entry *e, size_t n, const char *updated);


#endif
