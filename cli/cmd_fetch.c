/* cmd_fetch.c: `ianawatch fetch`: the nightly job: download, validate, store, report changes. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "fetch/fetch.h"
#include "registry/registry.h"
#include "reports/reports.h"
#include "common/banned.h"

/* Room for a report of every record of the registry changing (~10 MB of JSON), as in diff. */
#define FETCH_OUTPUT_CAP (256u * 1024 * 1024)
/* How long a run waits for another one to finish before it gives up (IANAWATCH_LOCK_WAIT_MS
 * overrides it, so tests need not wait). Ten seconds absorbs a run that is just committing,
 * not a stalled download: that one reports on its own. */
#define FETCH_LOCK_WAIT_MS 10000L
/* A document with fewer records than this fraction of the newest snapshot's is refused. */
#define FETCH_MIN_RATIO 0.9

static const char cmd_fetch_usage[] =
	"usage: ianawatch fetch [--url URL] [--format text|json|markdown] [--exit-code] [--force]\n"
	"                       [-v] [--timeout S] [--connect-timeout S] [--stall-timeout S]\n"
	"                       [--attempts N] [--report-dir DIR]\n"
	"\n"
	"Downloads the registry, stores it as a snapshot when its content changed, and prints\n"
	"what changed against the previous snapshot. Made for cron and systemd timers: when\n"
	"nothing changed it prints nothing.\n"
	"\n"
	"  --url URL              where to download from (default: IANA's\n"
	"                         " FETCH_DEFAULT_URL ")\n"
	"  --format F             text (default), markdown or json (issue 3's change object)\n"
	"  --exit-code            exit 1 when a new snapshot was stored\n"
	"  --force                store a document even when it looks implausible: fewer than\n"
	"                         90% of the newest snapshot's records, or an older registry date\n"
	"  -v, --verbose          say on stderr what was done (attempts, not modified, stored...)\n"
	"  --timeout S            give up an attempt after S seconds in all (default 300)\n"
	"  --connect-timeout S    give up connecting after S seconds (default 15)\n"
	"  --stall-timeout S      give up an attempt when no byte arrived for S seconds\n"
	"                         (default 30; checked about once a second)\n"
	"  --attempts N           tries in all, with exponential backoff between them, on\n"
	"                         timeouts, connection errors, 408, 429 and 5xx (default 4)\n"
	"  --report-dir DIR       after storing a new snapshot, bring the static site in DIR up\n"
	"                         to date (`ianawatch report --incremental --out DIR`)\n"
	"  -h, --help             this help\n"
	"\n"
	"What it does: takes the lock <database>.lock (another run holding it for 10 s makes this\n"
	"one exit 6); sends the ETag / Last-Modified of the previous download, so a 304 costs\n"
	"nothing; checks that a new body is complete and IANA's service-names-port-numbers\n"
	"registry; stores it unless its content is already stored; prints the change report.\n"
	"Every attempt is logged in the database for `ianawatch status`, failures too.\n"
	"\n"
	"Output: nothing on 304 or when the content is already stored; otherwise the changes from\n"
	"the previous snapshot (nothing in text and markdown when only the registry's date\n"
	"changed; JSON always prints the object). The very first snapshot is not compared with\n"
	"nothing: text and markdown print one line, `first snapshot stored: registry DATE, N\n"
	"records`, JSON the object with \"from\": null and empty arrays.\n"
	"\n"
	"Exit status: 0 success, changed or not (with --exit-code: 1 when a snapshot was stored,\n"
	"the first one included); 2 bad command line; 3 the download is not a valid registry\n"
	"(an HTML page, truncated or foreign XML); 5 database unusable; 6 another run holds the\n"
	"lock; 7 the download failed (network, HTTP error, timeout, stall, truncation, too large,\n"
	"redirect loop); 8 refused as implausible (see --force). On every failure the database\n"
	"holds nothing new but the log entry.\n"
	"\n"
	"Environment: http_proxy, https_proxy, no_proxy as libcurl reads them;\n"
	"IANAWATCH_RETRY_BASE_MS (first backoff, default 2000), IANAWATCH_RETRY_MAX_MS (cap of\n"
	"one wait, Retry-After included, default 60000), IANAWATCH_LOCK_WAIT_MS (default 10000).\n";

typedef struct fetch_run {
	cli_ctx *ctx;
	const char *url;          /* as given */
	char *shown;              /* the URL without credentials: log key, source, messages */
	cli_format format;
	int exit_code, force;
	fetch_opts fo;
	fetch_result res;
	store_http_cache cache;   /* validators remembered from the previous run */
	store_fetch_entry *log;   /* one entry per attempt, the last one the run's outcome */
	size_t nlog;
	registry_doc *doc;
	store_load_job *load;     /* the newest snapshot, loading beside the parse and import */
	int64_t load_id;
	iw_buf report;
	const char *report_dir;   /* --report-dir: the static site to update (reports.h) */
} fetch_run;

static void fetch_say(const fetch_run *r, const char *fmt, ...) IW_PRINTF(2, 3);

/* -v: what the run did, on stderr, so that stdout keeps only the report. */
static void fetch_say(const fetch_run *r, const char *fmt, ...)
{
	va_list ap;
	if (r->ctx->verbose <= 0)
		return;
	fflush(stdout);
	fputs("ianawatch: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Parses a positive number of seconds, fractions allowed ("0.5"), into milliseconds. */
static int fetch_parse_seconds(const char *s, long *ms)
{
	char *end;
	double v;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v <= 0 || v > 86400)
		return -1;
	*ms = (long)(v * 1000.0 + 0.5);
	if (*ms < 1)
		*ms = 1;
	return 0;
}

static long fetch_lock_wait_ms(void)
{
	const char *s = getenv("IANAWATCH_LOCK_WAIT_MS");
	long v;
	if (s && *s && cli_parse_long(s, 0, 3600000L, &v) == 0)
		return v;
	return FETCH_LOCK_WAIT_MS;
}

/* Turns the attempts of fetch_url() into log entries: all but the last are retries; the last
 * one's outcome is decided by the caller (fetch_conclude). */
static void fetch_log_attempts(fetch_run *r)
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
		fetch_say(r, "attempt %zu: %s (%ld ms)", i + 1, e->message, a->elapsed_ms);
	}
}

/* Sets the run's outcome on the last log entry; a message replaces the attempt's own. */
static void fetch_conclude(fetch_run *r, const char *outcome, const char *message,
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
static int fetch_write_log(fetch_run *r, int success, const char *sha256)
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
	rc = store_fetch_record(r->ctx->st, r->log, r->nlog, r->shown, success ? &next : NULL);
	if (rc)
		iw_error_prefix(rc, "writing the fetch log");
	return rc;
}

/* Ends a failed run: prints the error line, logs it, returns `status`. */
static int fetch_fail(fetch_run *r, const char *outcome, int status)
{
	char *msg = iw_strdup(iw_error_last());
	int rc;
	cli_error("%s", *msg ? msg : "unknown error");
	fetch_conclude(r, outcome, msg, 0);
	free(msg);
	if ((rc = fetch_write_log(r, 0, NULL)))
		cli_fail(rc);
	return status;
}

/* The validators of the previous run are only worth sending while the content they describe
 * is still stored: otherwise a 304 would leave the database without that content forever. */
static void fetch_load_validators(fetch_run *r)
{
	int64_t id;
	int rc = store_http_cache_get(r->ctx->st, r->shown, &r->cache);
	if (rc == IW_OK && r->cache.sha256 &&
	    store_find_sha256(r->ctx->st, r->cache.sha256, &id) == IW_OK) {
		r->fo.etag = r->cache.etag;
		r->fo.last_modified = r->cache.last_modified;
		fetch_say(r, "sending validators:%s%s%s%s", r->cache.etag ? " ETag " : "",
		          r->cache.etag ? r->cache.etag : "",
		          r->cache.last_modified ? ", Last-Modified " : "",
		          r->cache.last_modified ? r->cache.last_modified : "");
	} else if (rc == IW_OK) {
		fetch_say(r, "validators of %s ignored: their content is not stored", r->shown);
	}
	iw_error_clear();
}

/* Appends the one-line note of a snapshot that has nothing before it to compare with (JSON:
 * the change object with "from": null and no changes). */
static int fetch_first_note(fetch_run *r, int64_t id)
{
	store_snapshot to;
	diff_result none;
	size_t n = 0;
	store_snapshot *all = NULL;
	int rc;

	memset(&to, 0, sizeof(to));
	if ((rc = store_get_snapshot(r->ctx->st, id, &to)))
		return rc;
	if (r->format == FORMAT_JSON) {
		memset(&none, 0, sizeof(none));
		none.a = none.b = r->doc;
		rc = report_changes_json(&r->report, NULL, &to, &none);
		store_snapshot_clear(&to);
		return rc;
	}
	if ((rc = store_list_snapshots(r->ctx->st, &all, &n)) == IW_OK) {
		if (n <= 1)
			rc = iw_buf_printf(&r->report, "first snapshot stored: registry %s, %lld records\n",
			                   to.registry_updated, (long long)to.record_count);
		else
			/* Only when the clock ($IANAWATCH_NOW) went back: nothing earlier to diff with. */
			rc = iw_buf_printf(&r->report, "snapshot %lld stored: registry %s, %lld records; "
			                   "no earlier snapshot to compare it with\n", (long long)id,
			                   to.registry_updated, (long long)to.record_count);
	}
	store_snapshots_free(all, n);
	store_snapshot_clear(&to);
	return rc;
}

/* The document loaded beside the import when it is snapshot `id` (an older document arriving
 * late has another predecessor), else NULL; the job is finished either way. */
static registry_doc *fetch_take_loaded(fetch_run *r, int64_t id)
{
	registry_doc *doc = NULL;
	if (!r->load)
		return NULL;
	if (store_load_job_finish(r->load, &doc) != IW_OK) {
		/* Not fatal: the report loads the snapshot itself. */
		fetch_say(r, "loading snapshot %lld beside the import failed (%s); loading it again",
		          (long long)r->load_id, iw_error_last());
		iw_error_clear();
	} else if (r->load_id != id) {
		registry_doc_free(doc);
		doc = NULL;
	}
	r->load = NULL;
	return doc;
}

/* Content already stored: nothing to write but the log and the validators. */
static int fetch_unchanged(fetch_run *r, int64_t id, const char *sha)
{
	const fetch_attempt *last = &r->res.log[r->res.nlog - 1];
	char *msg;
	int rc;

	fetch_say(r, "unchanged: the content is already stored as snapshot %lld", (long long)id);
	store_defer_checkpoint(r->ctx->st);
	msg = iw_asprintf("%s; already stored as snapshot %lld", last->outcome, (long long)id);
	fetch_conclude(r, STORE_FETCH_UNCHANGED, msg, id);
	free(msg);
	if ((rc = fetch_write_log(r, 1, sha)))
		return cli_fail(rc);
	return EXIT_OK;
}

/* A complete 200: validate, store, report. Returns the exit status. */
static int fetch_store_body(fetch_run *r)
{
	static const unsigned char empty[1] = {0};
	const unsigned char *body = r->res.body ? r->res.body : empty;
	const fetch_attempt *last = &r->res.log[r->res.nlog - 1];
	store_import_opts io;
	store_import_result ir;
	store_raw_job *job = NULL;
	unsigned char digest[IW_SHA256_LEN];
	char sha[2 * IW_SHA256_LEN + 1];
	char *msg;
	int64_t known;
	int rc, changed = 0, status = EXIT_OK;

	iw_sha256(body, r->res.len, digest);
	iw_hex(digest, sizeof(digest), sha);
	/* Known content (a new ETag on the same bytes) was validated when it was stored. */
	rc = store_find_sha256(r->ctx->st, sha, &known);
	if (rc == IW_OK)
		return fetch_unchanged(r, known, sha);
	if (rc != IW_ENOTFOUND)
		return fetch_fail(r, STORE_FETCH_ERROR, cli_exit_for(rc));
	iw_error_clear();
	/* Compress the raw archive on the other core while this one parses; without the thread,
	 * store_import() compresses it itself. */
	if (store_raw_job_start(r->ctx->db_path, body, r->res.len, &job) != IW_OK) {
		job = NULL;
		iw_error_clear();
	}
	/* The report will most likely compare with the newest snapshot: load it on a third
	 * thread meanwhile, rather than after the import. */
	if (store_resolve(r->ctx->st, "latest", &r->load_id) != IW_OK ||
	    store_load_job_start(r->ctx->db_path, r->load_id, &r->load) != IW_OK)
		r->load = NULL;
	iw_error_clear();
	if ((rc = registry_parse(body, r->res.len, r->shown, &r->doc))) {
		store_raw_job_free(job);
		return fetch_fail(r, STORE_FETCH_ERROR, EXIT_DATA);
	}
	store_import_opts_init(&io);
	io.source = r->shown;
	io.observed_at = last->at;
	io.force = r->force;
	io.min_ratio = FETCH_MIN_RATIO;
	io.refuse_older = 1;
	io.raw_job = job;
	rc = store_import(r->ctx->st, r->doc, body, r->res.len, &io, &ir);
	store_raw_job_free(job);
	if (rc) {
		iw_error_prefix(rc, "%s", r->shown);
		return fetch_fail(r, rc == IW_EREFUSED ? STORE_FETCH_REFUSED : STORE_FETCH_ERROR,
		                  cli_exit_for(rc));
	}
	if (!ir.created)
		return fetch_unchanged(r, ir.snapshot_id, sha);

	fetch_say(r, "stored snapshot %lld (registry %s, %zu records)%s", (long long)ir.snapshot_id,
	          r->doc->updated, r->doc->nrecords, ir.previous_id ? "" : ", the first one");
	if (ir.previous_id) {
		report_format rf = r->format == FORMAT_JSON       ? REPORT_JSON
		                   : r->format == FORMAT_MARKDOWN ? REPORT_MARKDOWN
		                                                  : REPORT_TEXT;
		registry_doc *prev = fetch_take_loaded(r, ir.previous_id);
		/* The document just parsed, in the order a load from the store would give, saves
		 * reconstructing it. */
		registry_doc_sort(r->doc);
		registry_doc_index_people(r->doc);
		rc = report_stored_changes(&r->report, r->ctx->st, ir.previous_id, ir.snapshot_id,
		                           prev, r->doc, rf, NULL, &changed);
		registry_doc_free(prev);
		if (rc == IW_OK && !changed)
			fetch_say(r, "no change against snapshot %lld beyond the document itself",
			          (long long)ir.previous_id);
	} else {
		rc = fetch_first_note(r, ir.snapshot_id);
	}
	/* The snapshot is stored whatever happens now: log it as such. */
	msg = iw_asprintf("%s; stored as snapshot %lld (registry %s, %zu records)", last->outcome,
	                  (long long)ir.snapshot_id, r->doc->updated, r->doc->nrecords);
	fetch_conclude(r, STORE_FETCH_CHANGED, msg, ir.snapshot_id);
	free(msg);
	if (rc) {
		status = cli_fail(iw_error_prefix(rc, "snapshot %lld stored, but its change report "
		                                  "failed", (long long)ir.snapshot_id));
		rc = IW_OK;
	}
	/* The report goes out even when the log cannot be written: the news is real. */
	if (r->report.len && (fwrite(r->report.data, 1, r->report.len, stdout) != r->report.len ||
	                      fflush(stdout))) {
		cli_error("writing the report: %s", strerror(errno));
		status = EXIT_TROUBLE;
	}
	if ((rc = fetch_write_log(r, 1, sha)))
		return cli_fail(rc);
	/* --report-dir: the static site, brought up to date incrementally (report_site_write()). */
	if (r->report_dir) {
		report_site_stats site;
		if ((rc = report_site_write(r->ctx->st, r->report_dir, NULL, 1, &site))) {
			int site_status = cli_fail(iw_error_prefix(rc, "snapshot %lld stored, but the site "
			                                           "in %s was not updated",
			                                           (long long)ir.snapshot_id, r->report_dir));
			if (status == EXIT_OK)
				status = site_status;
		} else {
			fetch_say(r, "site in %s: %zu change sets, %zu pages and %zu files written",
			          r->report_dir, site.change_sets, site.pages_written, site.files_written);
		}
	}
	if (status == EXIT_OK && r->exit_code)
		status = EXIT_CHANGES;
	return status;
}

int cmd_fetch(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"url", required_argument, NULL, 'u'},
		{"format", required_argument, NULL, 'f'},
		{"exit-code", no_argument, NULL, 'e'},
		{"force", no_argument, NULL, 'F'},
		{"verbose", no_argument, NULL, 'v'},
		{"timeout", required_argument, NULL, 'T'},
		{"connect-timeout", required_argument, NULL, 'C'},
		{"stall-timeout", required_argument, NULL, 'S'},
		{"attempts", required_argument, NULL, 'A'},
		{"report-dir", required_argument, NULL, 'R'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	fetch_run r;
	long v;
	int opt, rc, status = EXIT_TROUBLE, lock = -1, curl_ready = 0;

	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.url = FETCH_DEFAULT_URL;
	r.format = FORMAT_TEXT;
	iw_buf_init(&r.report, FETCH_OUTPUT_CAP);
	fetch_opts_init(&r.fo);
	while ((opt = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'u': r.url = optarg; break;
		case 'f':
			if ((rc = cli_parse_format(optarg, 1u << FORMAT_TEXT | 1u << FORMAT_JSON |
			                                   1u << FORMAT_MARKDOWN, &r.format))) {
				status = rc;
				goto out;
			}
			break;
		case 'e': r.exit_code = 1; break;
		case 'F': r.force = 1; break;
		case 'v': ctx->verbose++; break;
		case 'T':
		case 'C':
		case 'S':
			if (fetch_parse_seconds(optarg, &v)) {
				status = cli_usage_error(argv[0], "--%s: expected a number of seconds (0 < S "
				                         "<= 86400), not '%s'", opt == 'T' ? "timeout"
				                         : opt == 'C' ? "connect-timeout" : "stall-timeout",
				                         optarg);
				goto out;
			}
			if (opt == 'T')
				r.fo.timeout_ms = v;
			else if (opt == 'C')
				r.fo.connect_timeout_ms = v;
			else
				r.fo.stall_ms = v;
			break;
		case 'A':
			if (cli_parse_long(optarg, 1, 20, &v)) {
				status = cli_usage_error(argv[0], "--attempts: expected 1 to 20, not '%s'",
				                         optarg);
				goto out;
			}
			r.fo.attempts = (int)v;
			break;
		case 'R':
			if (!*optarg) {
				status = cli_usage_error(argv[0], "--report-dir needs a folder");
				goto out;
			}
			r.report_dir = optarg;
			break;
		case 'h':
			fputs(cmd_fetch_usage, stdout);
			status = EXIT_OK;
			goto out;
		default:
			status = cli_bad_option(argv[0], opt, argv);
			goto out;
		}
	}
	if (optind < argc) {
		status = cli_usage_error(argv[0], "unexpected argument '%s' (the URL goes after --url)",
		                         argv[optind]);
		goto out;
	}
	if (!*r.url) {
		status = cli_usage_error(argv[0], "--url needs a URL");
		goto out;
	}
	r.shown = fetch_url_redact(r.url);
	r.fo.url = r.url;

	/* The lock comes first: a second run must neither download nor write nor report. */
	if ((rc = store_run_lock(ctx->db_path, fetch_lock_wait_ms(), &lock))) {
		status = cli_fail(rc);
		goto out;
	}
	/* Created on the first run even when the download fails: the failure is logged there. */
	if ((status = cli_open_store(ctx, STORE_WRITE | STORE_CREATE)) != EXIT_OK)
		goto out;
	fetch_load_validators(&r);
	if ((rc = fetch_global_init())) {
		status = cli_fail(rc);
		goto out;
	}
	curl_ready = 1;
	fetch_say(&r, "fetching %s", r.shown);

	rc = fetch_url(&r.fo, &r.res);
	fetch_log_attempts(&r);
	if (rc) {
		status = fetch_fail(&r, STORE_FETCH_ERROR, cli_exit_for(rc));
		goto out;
	}
	if (r.res.not_modified) {
		fetch_say(&r, "not modified");
		fetch_conclude(&r, STORE_FETCH_NOT_MODIFIED, NULL, 0);
		/* Most nights end here: no snapshot, so no need to wait for the disk. */
		store_defer_checkpoint(ctx->st);
		status = (rc = fetch_write_log(&r, 1, r.cache.sha256)) ? cli_fail(rc) : EXIT_OK;
		goto out;
	}
	status = fetch_store_body(&r);
out:
	/* Every thread and connection ends before the lock is released, so the next run finds
	 * everything committed. */
	registry_doc_free(fetch_take_loaded(&r, 0));
	store_free(ctx->st);
	ctx->st = NULL;
	store_run_unlock(lock);
	for (size_t i = 0; i < r.nlog; i++)
		store_fetch_entry_clear(&r.log[i]);
	free(r.log);
	registry_doc_free(r.doc);
	fetch_result_free(&r.res);
	if (curl_ready)
		fetch_global_cleanup();
	store_http_cache_clear(&r.cache);
	iw_buf_free(&r.report);
	free(r.shown);
	return status;
}
