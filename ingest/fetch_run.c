/* fetch_run.c: the nightly job behind `ianawatch fetch`: download, validate, store, log, report. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "common/banned.h"

/* Room for a report of every record of the registry changing (~10 MB of JSON), as in diff. */
#define INGEST_OUTPUT_CAP (256u * 1024 * 1024)
#define INGEST_LATER_CAP (64u * 1024)

typedef struct fetch_run {
	const ingest_fetch_opts *o;
	ingest_fetch_result *out;
	store *st;
	char *shown;              /* the URL without credentials: log key, source, messages */
	fetch_opts fo;
	fetch_result res;
	store_http_cache cache;   /* validators remembered from the previous run */
	int64_t cache_id;         /* the snapshot they describe, 0 when not sent */
	store_fetch_entry *log;   /* one entry per attempt, the last one the run's outcome */
	size_t nlog;
	registry_doc *doc;
	store_load_job *load;     /* the newest snapshot, loading beside the parse and import */
	int64_t load_id;
} fetch_run;

static void run_say(const fetch_run *r, const char *fmt, ...) IW_PRINTF(2, 3);

static void run_say(const fetch_run *r, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	if (!r->o->say)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	r->o->say(r->o->say_arg, line);
}

/* A failure after the check was recorded: kept for the caller, the first one decides. */
static void run_later(fetch_run *r, int rc)
{
	const char *msg = iw_error_last();
	iw_buf_printf(&r->out->later, "%s\n", *msg ? msg : "unknown error");
	if (!r->out->later_rc)
		r->out->later_rc = rc;
	iw_error_clear();
}

void ingest_fetch_opts_init(ingest_fetch_opts *o)
{
	memset(o, 0, sizeof(*o));
	fetch_opts_init(&o->fetch);
	o->format = REPORT_TEXT;
	/* So that tests need not wait. */
	o->lock_wait_ms = iw_env_long("IANAWATCH_LOCK_WAIT_MS", INGEST_LOCK_WAIT_MS, 0, 3600000L);
	notify_opts_init(&o->notify_o);
}

void ingest_fetch_result_free(ingest_fetch_result *res)
{
	if (!res)
		return;
	iw_buf_free(&res->report);
	iw_buf_free(&res->later);
	iw_buf_free(&res->notes);
	memset(res, 0, sizeof(*res));
}

/* Turns the attempts of fetch_url() into log entries: all but the last are retries; the last
 * one's outcome is decided by the caller (run_conclude). */
static void run_log_attempts(fetch_run *r)
{
	size_t i, n = r->res.nlog ? r->res.nlog : 1;
	r->log = iw_calloc(n, sizeof(*r->log));
	r->nlog = n;
	if (r->res.nlog == 0) {
		/* No attempt was made (a bad URL): the failure is logged all the same. */
		r->log[0].at = iw_now();
		r->log[0].url = iw_strdup(r->shown);
		return;
	}
	for (i = 0; i < r->res.nlog; i++) {
		const fetch_attempt *a = &r->res.log[i];
		store_fetch_entry *e = &r->log[i];
		e->at = a->at;
		e->url = iw_strdup(r->shown);
		e->http_status = a->http_status;
		if (a->url && strcmp(a->url, r->shown) != 0)
			e->message = iw_asprintf("%s (via %s)", a->outcome ? a->outcome : "", a->url);
		else
			e->message = iw_strdup(a->outcome ? a->outcome : "");
		if (i + 1 < r->res.nlog)
			e->outcome = iw_strdup(STORE_FETCH_RETRY);
		run_say(r, "attempt %zu: %s (%ld ms)", i + 1, e->message, a->elapsed_ms);
	}
}

/* Sets the run's outcome on the last log entry; a message replaces the attempt's own. */
static void run_conclude(fetch_run *r, const char *outcome, const char *message,
                         int64_t snapshot_id)
{
	store_fetch_entry *e = &r->log[r->nlog - 1];
	free(e->outcome);
	e->outcome = iw_strdup(outcome);
	if (message) {
		free(e->message);
		e->message = iw_strdup(message);
	}
	e->snapshot_id = snapshot_id;
}

/* Writes the log (and, after a successful check, the validators): a failed run commits its
 * log too, since `status` exists to show failures. Returns IW_OK or the store's error. */
static int run_write_log(fetch_run *r, int success, const char *sha256)
{
	store_http_cache next;
	int rc;

	memset(&next, 0, sizeof(next));
	if (success) {
		/* A 304 may omit the validators; then the ones sent still hold. */
		next.etag = r->res.etag ? r->res.etag : (r->res.not_modified ? r->cache.etag : NULL);
		next.last_modified = r->res.last_modified
			? r->res.last_modified
			: (r->res.not_modified ? r->cache.last_modified : NULL);
		next.sha256 = (char *)sha256;
		next.checked_at = iw_now();
	}
	rc = store_fetch_record(r->st, r->log, r->nlog, r->shown, success ? &next : NULL);
	if (rc)
		iw_error_prefix(rc, "writing the fetch log");
	return rc;
}

/* Ends a failed run: logs the error already set, returns rc with that message kept. */
static int run_fail(fetch_run *r, const char *outcome, int rc)
{
	char *msg = iw_strdup(iw_error_last());
	int log_rc;
	run_conclude(r, outcome, msg, 0);
	if ((log_rc = run_write_log(r, 0, NULL)))
		run_later(r, log_rc);
	iw_error_set(rc, "%s", msg);
	free(msg);
	return rc;
}

/* The validators of the previous run are only worth sending while the content they describe
 * is still stored: otherwise a 304 would leave the database without that content forever. */
static void run_load_validators(fetch_run *r)
{
	int64_t id;
	int rc = store_http_cache_get(r->st, r->shown, &r->cache);
	if (rc == IW_OK && r->cache.sha256 &&
	    store_find_sha256(r->st, r->cache.sha256, &id) == IW_OK) {
		r->fo.etag = r->cache.etag;
		r->fo.last_modified = r->cache.last_modified;
		r->cache_id = id;
		run_say(r, "sending validators:%s%s%s%s", r->cache.etag ? " ETag " : "",
		        r->cache.etag ? r->cache.etag : "",
		        r->cache.last_modified ? ", Last-Modified " : "",
		        r->cache.last_modified ? r->cache.last_modified : "");
	} else if (rc == IW_OK) {
		run_say(r, "validators of %s ignored: their content is not stored", r->shown);
	}
	iw_error_clear();
}

/* Appends the one-line note of a snapshot that has nothing before it to compare with (JSON:
 * the change object with "from": null and no changes). */
static int run_first_note(fetch_run *r, int64_t id)
{
	store_snapshot to;
	diff_result none;
	size_t n = 0;
	store_snapshot *all = NULL;
	iw_buf *b = &r->out->report;
	int rc;

	memset(&to, 0, sizeof(to));
	if ((rc = store_get_snapshot(r->st, id, &to)))
		return rc;
	if (r->o->format == REPORT_JSON) {
		memset(&none, 0, sizeof(none));
		none.a = none.b = r->doc;
		rc = report_changes_json(b, NULL, &to, &none);
		store_snapshot_clear(&to);
		return rc;
	}
	if ((rc = store_list_snapshots(r->st, &all, &n)) == IW_OK) {
		if (n <= 1)
			iw_buf_printf(b, "first snapshot stored: registry %s, %lld records\n",
			              to.registry_updated, (long long)to.record_count);
		else
			/* Only when the clock ($IANAWATCH_NOW) went back: nothing earlier to diff with. */
			iw_buf_printf(b, "snapshot %lld stored: registry %s, %lld records; no earlier "
			              "snapshot to compare it with\n", (long long)id, to.registry_updated,
			              (long long)to.record_count);
		rc = iw_buf_error(b);
	}
	store_snapshots_free(all, n);
	store_snapshot_clear(&to);
	return rc;
}

/* The document loaded beside the import when it is snapshot `id` (an older document arriving
 * late has another predecessor), else NULL; the job is finished either way. */
static registry_doc *run_take_loaded(fetch_run *r, int64_t id)
{
	registry_doc *doc = NULL;
	if (!r->load)
		return NULL;
	if (store_load_job_finish(r->load, &doc) != IW_OK) {
		/* Not fatal: the report loads the snapshot itself. */
		run_say(r, "loading snapshot %lld beside the import failed (%s); loading it again",
		        (long long)r->load_id, iw_error_last());
		iw_error_clear();
	} else if (r->load_id != id) {
		registry_doc_free(doc);
		doc = NULL;
	}
	r->load = NULL;
	return doc;
}

/* Content already stored as snapshot `id` served again. When a newer snapshot exists, the
 * server went back in time (a rollback, a stale mirror): refused like an older document never
 * seen before, since the registry only moves forward. */
static int run_check_rollback(fetch_run *r, int64_t id)
{
	store_snapshot known, newest;
	int64_t newest_id;
	int rc = IW_OK;

	if (r->o->force)
		return IW_OK;
	memset(&known, 0, sizeof(known));
	memset(&newest, 0, sizeof(newest));
	if (store_resolve(r->st, "latest", &newest_id) != IW_OK || newest_id == id) {
		iw_error_clear();
		return IW_OK;
	}
	if ((rc = store_get_snapshot(r->st, id, &known)) ||
	    (rc = store_get_snapshot(r->st, newest_id, &newest)))
		goto out;
	if (strcmp(known.registry_updated, newest.registry_updated) < 0)
		rc = iw_error_set(IW_EREFUSED, "%s: rollback: the document served is snapshot %lld "
		                  "(registry %s), older than the newest snapshot %lld (registry %s); "
		                  "use --force to accept it", r->shown, (long long)id,
		                  known.registry_updated, (long long)newest_id,
		                  newest.registry_updated);
out:
	store_snapshot_clear(&known);
	store_snapshot_clear(&newest);
	return rc;
}

/* Content already stored: nothing to write but the log and the validators. */
static int run_unchanged(fetch_run *r, int64_t id, const char *sha)
{
	const fetch_attempt *last = &r->res.log[r->res.nlog - 1];
	char *msg;
	int rc;

	if ((rc = run_check_rollback(r, id)))
		return run_fail(r, rc == IW_EREFUSED ? STORE_FETCH_REFUSED : STORE_FETCH_ERROR, rc);
	run_say(r, "unchanged: the content is already stored as snapshot %lld", (long long)id);
	store_defer_checkpoint(r->st);
	msg = iw_asprintf("%s; already stored as snapshot %lld", last->outcome, (long long)id);
	run_conclude(r, STORE_FETCH_UNCHANGED, msg, id);
	free(msg);
	r->out->snapshot_id = id;
	return run_write_log(r, 1, sha);
}

/* One notification of cs per target, queued in the database the snapshot is already in: a
 * failure here loses the notification, not the snapshot, and is said. */
static void run_queue_notifications(fetch_run *r, const report_changeset *cs)
{
	store_notification *v;
	size_t i, n = 0;
	int rc = IW_OK;

	if (!r->o->nnotify)
		return;
	v = iw_calloc(r->o->nnotify, sizeof(*v));
	for (i = 0; i < r->o->nnotify && rc == IW_OK; i++)
		if ((rc = notify_build(r->o->notify[i], cs, iw_now(), &v[n])) == IW_OK)
			n++;
	if (rc == IW_OK)
		rc = store_notify_add(r->st, v, n);
	if (rc)
		run_later(r, iw_error_prefix(rc, "snapshot %lld stored, but its notifications "
		                             "could not be queued", (long long)cs->to.id));
	else
		run_say(r, "%zu notification%s queued", n, n == 1 ? "" : "s");
	store_notifications_free(v, n);
}

/* Every queued notification that is due, this run's and earlier runs' failures alike. */
static void run_notify(fetch_run *r)
{
	int rc = notify_deliver(r->st, &r->o->notify_o, iw_now(), r->o->say != NULL,
	                        &r->out->notes, &r->out->notified);
	if (rc)
		run_later(r, iw_error_prefix(rc, "the notification queue"));
}

/* A complete 200: validate, store, compute the report, log. */
static int run_store_body(fetch_run *r)
{
	static const unsigned char empty[1] = {0};
	const unsigned char *body = r->res.body ? r->res.body : empty;
	const fetch_attempt *last = &r->res.log[r->res.nlog - 1];
	store_import_opts io;
	store_import_result ir;
	unsigned char digest[IW_SHA256_LEN];
	char sha[2 * IW_SHA256_LEN + 1];
	char *msg;
	int64_t known;
	int rc, changed = 0;

	iw_sha256(body, r->res.len, digest);
	iw_hex(digest, sizeof(digest), sha);
	/* Known content (a new ETag on the same bytes) was validated when it was stored. */
	rc = store_find_sha256(r->st, sha, &known);
	if (rc == IW_OK)
		return run_unchanged(r, known, sha);
	if (rc != IW_ENOTFOUND)
		return run_fail(r, STORE_FETCH_ERROR, rc);
	iw_error_clear();
	/* The report will most likely compare with the newest snapshot: load it on a third
	 * thread meanwhile, rather than after the import. */
	if (store_resolve(r->st, "latest", &r->load_id) != IW_OK ||
	    store_load_job_start(r->o->db_path, r->load_id, &r->load) != IW_OK)
		r->load = NULL;
	iw_error_clear();
	store_import_opts_init(&io);
	io.source = r->shown;
	io.observed_at = last->at;
	io.force = r->o->force;
	io.min_ratio = INGEST_MIN_RATIO;
	io.refuse_older = 1;
	if ((rc = ingest_document(&r->st, r->o->db_path, &io, body, r->res.len, r->shown, &r->doc,
	                          &ir)))
		return run_fail(r, rc == IW_EREFUSED ? STORE_FETCH_REFUSED : STORE_FETCH_ERROR, rc);
	if (!ir.created)
		return run_unchanged(r, ir.snapshot_id, sha);

	r->out->snapshot_id = ir.snapshot_id;
	r->out->created = 1;
	run_say(r, "stored snapshot %lld (registry %s, %zu records)%s", (long long)ir.snapshot_id,
	        r->doc->updated, r->doc->nrecords, ir.previous_id ? "" : ", the first one");
	if (ir.previous_id) {
		registry_doc *prev = run_take_loaded(r, ir.previous_id);
		report_changeset cs;
		/* The document just parsed, in the order a load from the store would give, saves
		 * reconstructing it. */
		registry_doc_sort(r->doc);
		registry_doc_index_people(r->doc);
		rc = report_changeset_load(&cs, r->st, ir.previous_id, ir.snapshot_id, prev, r->doc,
		                           NULL, r->o->watch);
		if (rc == IW_OK) {
			rc = report_changeset_render(&r->out->report, &cs, r->o->format);
			changed = !report_changeset_empty(&cs);
			r->out->watched = changed;
			if (changed)
				run_queue_notifications(r, &cs);
			report_changeset_free(&cs);
		}
		registry_doc_free(prev);
		if (rc == IW_OK && !changed)
			run_say(r, "no change against snapshot %lld beyond the document itself",
			        (long long)ir.previous_id);
	} else {
		rc = run_first_note(r, ir.snapshot_id);
	}
	if (rc) {
		iw_buf_reset(&r->out->report);
		run_later(r, iw_error_prefix(rc, "snapshot %lld stored, but its change report failed",
		                             (long long)ir.snapshot_id));
	}
	/* The snapshot is stored whatever happens now: log it as such, before any output, so that
	 * a run killed while writing (SIGPIPE, a full disk) leaves the check recorded. */
	msg = iw_asprintf("%s; stored as snapshot %lld (registry %s, %zu records)", last->outcome,
	                  (long long)ir.snapshot_id, r->doc->updated, r->doc->nrecords);
	run_conclude(r, STORE_FETCH_CHANGED, msg, ir.snapshot_id);
	free(msg);
	return run_write_log(r, 1, sha);
}

/* --report-dir: the site brought up to date with whatever it lacks, on every successful
 * check: a run that stored a snapshot but could not write the site is made good by the next. */
static void run_update_site(fetch_run *r)
{
	report_site_stats site;
	int rc;

	if (!r->o->report_dir)
		return;
	if ((rc = report_site_write(r->st, r->o->report_dir, NULL, 1, &site))) {
		if (r->out->snapshot_id)
			iw_error_prefix(rc, "snapshot %lld stored, but the site in %s was not updated",
			                (long long)r->out->snapshot_id, r->o->report_dir);
		else
			iw_error_prefix(rc, "the site in %s was not updated", r->o->report_dir);
		run_later(r, rc);
		return;
	}
	if (site.files_written)
		run_say(r, "site in %s: %zu change sets, %zu pages and %zu files written",
		        r->o->report_dir, site.change_sets, site.pages_written, site.files_written);
	else
		run_say(r, "site in %s: up to date", r->o->report_dir);
}

int ingest_fetch_run(const ingest_fetch_opts *o, ingest_fetch_result *out)
{
	fetch_run r;
	int rc, lock = -1, curl_ready = 0;

	memset(out, 0, sizeof(*out));
	iw_buf_init(&out->report, INGEST_OUTPUT_CAP);
	iw_buf_init(&out->later, INGEST_LATER_CAP);
	iw_buf_init(&out->notes, INGEST_LATER_CAP);
	memset(&r, 0, sizeof(r));
	r.o = o;
	r.out = out;
	r.fo = o->fetch;
	if (!o->db_path || !o->fetch.url || !*o->fetch.url)
		return iw_error_set(IW_EINVAL, "fetch: no database or no URL");
	r.shown = fetch_url_redact(o->fetch.url);

	/* The lock comes first: a second run must neither download nor write nor report. */
	if ((rc = store_run_lock(o->db_path, o->lock_wait_ms, &lock)))
		goto out;
	/* Created on the first run even when the download fails: the failure is logged there. */
	if ((rc = store_open(&r.st, o->db_path, STORE_WRITE | STORE_CREATE)))
		goto out;
	run_load_validators(&r);
	if ((rc = fetch_global_init()))
		goto out;
	curl_ready = 1;
	run_say(&r, "fetching %s", r.shown);

	rc = fetch_url(&r.fo, &r.res);
	run_log_attempts(&r);
	if (rc) {
		rc = run_fail(&r, STORE_FETCH_ERROR, rc);
	} else if (r.res.not_modified) {
		run_say(&r, "not modified");
		/* Unchanged since this URL's last check, but another URL may have brought newer
		 * content since: then this one serves a rollback too. */
		if (r.cache_id && (rc = run_check_rollback(&r, r.cache_id))) {
			rc = run_fail(&r, rc == IW_EREFUSED ? STORE_FETCH_REFUSED : STORE_FETCH_ERROR, rc);
		} else {
			run_conclude(&r, STORE_FETCH_NOT_MODIFIED, NULL, 0);
			out->snapshot_id = r.cache_id;
			/* Most nights end here: no snapshot, so no need to wait for the disk. */
			store_defer_checkpoint(r.st);
			rc = run_write_log(&r, 1, r.cache.sha256);
		}
	} else {
		rc = run_store_body(&r);
	}
	if (rc == IW_OK)
		run_update_site(&r);
	/* Whatever the check gave: a failing download must not hold back yesterday's news. */
	{
		char *msg = rc ? iw_strdup(iw_error_last()) : NULL;
		run_notify(&r);
		if (msg)
			iw_error_set(rc, "%s", msg);
		free(msg);
	}
out:
	/* Every thread and connection ends before the lock is released, so the next run finds
	 * everything committed. */
	registry_doc_free(run_take_loaded(&r, 0));
	store_free(r.st);
	store_run_unlock(lock);
	for (size_t i = 0; i < r.nlog; i++)
		store_fetch_entry_clear(&r.log[i]);
	free(r.log);
	registry_doc_free(r.doc);
	fetch_result_free(&r.res);
	if (curl_ready)
		fetch_global_cleanup();
	store_http_cache_clear(&r.cache);
	free(r.shown);
	return rc;
}
