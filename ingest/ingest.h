/*
 * ingest.h: a registry document becomes a snapshot; the nightly fetch run's policy.
 *
 * Two halves, one per program (cli/cli.h explains the split), so that a program links only what
 * its commands need:
 *   ingest_document()   parse + store one document (import, import-git, fetch): iw_ingest,
 *                       libxml2, SQLite, zstd;
 *   ingest_fetch_run()  the whole `ianawatch fetch`: lock, validators, download, plausibility,
 *                       store, log, change report, site: iw_ingest_net, + libcurl.
 * Neither prints anything: the fetch run hands its report and its -v notes to the caller.
 */
#ifndef IANAWATCH_INGEST_H
#define IANAWATCH_INGEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"
#include "fetch/fetch.h"
#include "notify/notify.h"
#include "registry/registry.h"
#include "reports/reports.h"
#include "store/store.h"

/* Keeps glibc from unmapping and remapping the document-sized buffers each time (call once,
 * before a loop of ingest_document()). */
void ingest_tune_malloc(void);

/* Parses data (`name` in messages: a file name, a URL, or git:REPO@COMMIT:PATH) and stores it
 * with opts (the caller sets source, observed_at and the plausibility rules), compressing the
 * raw archive in a thread beside the parse (store_raw_job_start()). *st is opened at db_path,
 * and the database created, only once the document parsed (and stays open, the caller's).
 * Returns IW_OK or a library code with the message set (a store failure prefixed with name).
 * *doc is the parsed document, the caller's (registry_doc_free()), NULL when it did not parse:
 * so the caller tells a bad document from a failing store. */
int ingest_document(store **st, const char *db_path, store_import_opts *opts,
                    const unsigned char *data, size_t len, const char *name, registry_doc **doc,
                    store_import_result *res);

/* ---- the nightly fetch run ------------------------------------------------------------------ */

/* A document with fewer records than this fraction of the newest snapshot's is refused. */
#define INGEST_MIN_RATIO 0.9
/* How long a run waits for another one to finish before it gives up. Ten seconds absorbs a run
 * that is just committing, not a stalled download: that one ends within its fetch budget. */
#define INGEST_LOCK_WAIT_MS 10000L

typedef struct ingest_fetch_opts {
	const char *db_path;
	fetch_opts fetch;         /* fetch_opts_init() then the caller's choices; fetch.url set */
	report_format format;     /* of the change report */
	int force;                /* store what looks implausible (min_ratio, older, rollback) */
	const char *report_dir;   /* NULL, or the static site every run brings up to date */
	long lock_wait_ms;        /* INGEST_LOCK_WAIT_MS unless $IANAWATCH_LOCK_WAIT_MS */
	/* -v: what the run does, one line at a time (no newline); NULL for silence. */
	void (*say)(void *arg, const char *line);
	void *say_arg;
	/* --watch, --min-severity: the report and the notifications hold only these changes
	 * (NULL: all, without severities). */
	const report_watch *watch;
	/* --notify: a notification of the new change set is queued for each target (after the
	 * snapshot is stored), when the (narrowed) change set is not empty. */
	const char *const *notify;
	size_t nnotify;
	notify_opts notify_o;     /* notify_opts_init() by ingest_fetch_opts_init() */
} ingest_fetch_opts;

/* Fills o with the defaults (fetch_opts_init(), the lock wait); db_path and fetch.url NULL. */
void ingest_fetch_opts_init(ingest_fetch_opts *o);

typedef struct ingest_fetch_result {
	int64_t snapshot_id;  /* the snapshot the content is (stored now or before), 0 if none */
	int created;          /* a new snapshot was stored by this run */
	iw_buf report;        /* the change report to print (empty when there is nothing to say) */
	int later_rc;         /* IW_OK, or what failed AFTER the check was recorded (the change
	                         report, the site): the snapshot and the log are in the database */
	iw_buf later;         /* those failures' messages, one line each */
	int watched;          /* a snapshot was stored and its (narrowed) change set is not empty */
	iw_buf notes;         /* the notifications' failures and drops (with -v, deliveries too),
	                         one line each; they do not change the run's outcome */
	notify_stats notified;
} ingest_fetch_result;

/* One run of `ianawatch fetch`, in the order that keeps the database right whatever happens
 * to the output: take the lock <db>.lock; open (create) the database; send the validators of
 * the previous check when their content is still stored; download within the fetch budget;
 * refuse what is not a registry, is implausible (fewer than INGEST_MIN_RATIO of the newest
 * snapshot's records, an older registry date) or is a rollback (content already stored as a
 * snapshot older than the newest), unless force; store; compute the change report; RECORD the
 * check (fetch log and HTTP cache) before anything is written out; then bring report_dir up to
 * date with whatever it lacks (report_site_write(), incremental), on every successful check,
 * 304 included, so that a site a previous run failed to write catches up; then, whatever the
 * check's outcome (once the database is open), queue the new change set's notifications and
 * try every queued one that is due (notify_deliver()). The caller prints res->report
 * afterwards.
 *
 * Returns IW_OK for a successful check (a 304, known content or a new snapshot), otherwise the
 * failure, logged as such in the database: IW_EBUSY (the lock), IW_EDB, IW_ENET (download),
 * IW_EPARSE (not a registry; a body over the size cap), IW_EREFUSED (implausible or rollback),
 * IW_EINVAL (a bad URL). Failures after the check (report, site) go to res->later_rc and
 * res->later. Release res with ingest_fetch_result_free() (accepts NULL), success or not. */
int ingest_fetch_run(const ingest_fetch_opts *o, ingest_fetch_result *res);
void ingest_fetch_result_free(ingest_fetch_result *res);

#endif
