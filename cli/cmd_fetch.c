/* cmd_fetch.c: `ianawatch fetch`: the nightly job's command line; the job is ingest/fetch_run.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "fetch/fetch.h"
#include "ingest/ingest.h"
#include "notify/notify.h"
#include "common/banned.h"

/* What the command line chose; the run itself is ingest_fetch_run(). */
typedef struct fetch_run {
	const char *url;
	cli_format format;
	int exit_code, force;
	const char *report_dir;
	ingest_fetch_opts io;
} fetch_run;

/* -v: what the run did, on stderr, so that stdout keeps only the report. */
static void fetch_say(void *arg, const char *line)
{
	(void)arg;
	fflush(stdout);
	fprintf(stderr, "ianawatch fetch: %s\n", line);
}

static int fetch_parse_seconds(const char *s, void *out)
{
	return cli_parse_seconds(s, 86400, out);
}

/* --url: refused here, before the lock or the database are touched. */
static int fetch_parse_url(const char *s, void *out)
{
	char *shown = fetch_url_redact(s);
	int rc = fetch_url_check(s, shown);
	free(shown);
	if (rc == IW_OK)
		*(const char **)out = s;
	return rc;
}

/* The command line, as cli_parse_options() fills it. */
static struct {
	const char *url, *report_dir, *config;
	cli_format format;
	int exit_code, force, verbose;
	long timeout_ms, connect_timeout_ms, stall_ms, attempts, notify_max_age;
	cli_strings notify;
	cli_watch watch;
} fetch_args;

static const cli_option fetch_options[] = {
	CLI_OPTION_CALL(0, "url", "URL", &fetch_args.url, fetch_parse_url,
	                "where to download from (default: IANA's\n" FETCH_DEFAULT_URL ")"),
	CLI_OPTION_FORMAT(&fetch_args.format,
	                  1L << FORMAT_TEXT | 1L << FORMAT_JSON | 1L << FORMAT_MARKDOWN,
	                  "text (default), markdown or json (issue 3's change object)"),
	CLI_OPTION_FLAG(0, "exit-code", &fetch_args.exit_code,
	                "exit 1 when a new snapshot was stored"),
	CLI_OPTION_FLAG(0, "force", &fetch_args.force,
	                "store a document even when it looks implausible: fewer than\n"
	                "90% of the newest snapshot's records, or an older registry date"),
	CLI_OPTION_COUNT('v', "verbose", &fetch_args.verbose,
	                 "say on stderr what was done (attempts, not modified, stored...)"),
	CLI_OPTION_CALL(0, "timeout", "S", &fetch_args.timeout_ms, fetch_parse_seconds,
	                "give up an attempt after S seconds in all (default 300)"),
	CLI_OPTION_CALL(0, "connect-timeout", "S", &fetch_args.connect_timeout_ms,
	                fetch_parse_seconds, "give up connecting after S seconds (default 15)"),
	CLI_OPTION_CALL(0, "stall-timeout", "S", &fetch_args.stall_ms, fetch_parse_seconds,
	                "give up an attempt when no byte arrived for S seconds\n"
	                "(default 30; checked about once a second)"),
	CLI_OPTION_LONG(0, "attempts", "N", &fetch_args.attempts, 1, 20,
	                "tries in all, with exponential backoff between them, on\n"
	                "timeouts, connection errors, 408, 429 and 5xx (default 4)"),
	CLI_OPTION_STRING(0, "report-dir", "DIR", &fetch_args.report_dir,
	                  "after storing a new snapshot, bring the static site in DIR up\n"
	                  "to date (`ianawatch report --incremental --out DIR`)"),
	CLI_WATCH_OPTIONS(&fetch_args.watch),
	CLI_OPTION_CALL(0, "notify", "TARGET", &fetch_args.notify, cli_parse_notify_target,
	                "send each new change set (narrowed by --watch) to TARGET:\n"
	                "https://..., slack+https://..., ntfy+https://..., mailto:ADDR\n"
	                "(repeatable; failures are queued and retried by later runs)"),
	CLI_OPTION_STRING(0, "config", "FILE", &fetch_args.config,
	                  "read notify, watch, min-severity and notify-max-age from FILE\n"
	                  "(default $IANAWATCH_CONFIG, else\n"
	                  "$XDG_CONFIG_HOME/ianawatch/config or ~/.config/ianawatch/config)"),
	CLI_OPTION_LONG(0, "notify-max-age", "DAYS", &fetch_args.notify_max_age, 1, 365,
	                "drop a notification still undelivered after DAYS (default 7)"),
	CLI_OPTION_HELP,
	CLI_OPTION_END,
};

static const cli_command_spec fetch_spec = {
	"fetch",
	"ianawatch fetch [--url URL] [--format text|json|markdown] [--exit-code] [--force]\n"
	"                       [-v] [--timeout S] [--connect-timeout S] [--stall-timeout S]\n"
	"                       [--attempts N] [--report-dir DIR] [--watch FILE]\n"
	"                       [--min-severity low|medium|high] [--notify TARGET]...\n"
	"                       [--config FILE] [--notify-max-age DAYS]",
	"Downloads the registry, stores it as a snapshot when its content changed, and prints\n"
	"what changed against the previous snapshot. Made for cron and systemd timers: when\n"
	"nothing changed it prints nothing.",
	fetch_options,
	"What it does: takes the lock <database>.lock (another run holding it for 10 s makes this\n"
	"one exit 6); sends the ETag / Last-Modified of the previous download, so a 304 costs\n"
	"nothing; checks that a new body is complete and IANA's service-names-port-numbers\n"
	"registry; stores it unless its content is already stored; prints the change report.\n"
	"Every attempt is logged in the database for `ianawatch status`, failures too. A bad\n"
	"command line (a URL other than http:// or https:// included) touches nothing.\n"
	"\n"
	"Output: nothing on 304 or when the content is already stored; otherwise the changes from\n"
	"the previous snapshot (nothing in text and markdown when only the registry's date\n"
	"changed; JSON always prints the object). The very first snapshot is not compared with\n"
	"nothing: text and markdown print one line, `first snapshot stored: registry DATE, N\n"
	"records`, JSON the object with \"from\": null and empty arrays.\n"
	"\n"
	"Watch lists: with --watch FILE (or `watch =` in the config file) the report holds only\n"
	"the changes touching a watched item, each with its severity, and --exit-code exits 1\n"
	"only when such a change arrived.\n"
	"\n"
	"Notifications: for each target (--notify, `notify =` lines of the config file), a new\n"
	"change set that is not empty once narrowed is queued in the database after the snapshot\n"
	"is stored, then every queued notification that is due is sent, on every run: a failure\n"
	"(network, timeout, HTTP other than 2xx, sendmail exiting non-zero) stays queued and is\n"
	"retried by later runs, 5 min after the first failure, then twice as long each time (at\n"
	"most 6 h), until delivered or older than --notify-max-age (then dropped, and said so).\n"
	"Failures are said on stderr and do not change the exit status; `status` lists what is\n"
	"queued. Targets are shown as scheme://host/... only: their secrets are never printed.\n"
	"\n"
	"Exit status: 0 success, changed or not (with --exit-code: 1 when a snapshot was stored,\n"
	"the first one included; with --watch, only when a watched item changed, which a first\n"
	"snapshot does not); 2 bad command line, or the report could not be written; 3 the\n"
	"download is not a valid registry (an HTML page, truncated or foreign XML); 5 database\n"
	"unusable; 6 another run holds the lock; 7 the download failed (network, HTTP error,\n"
	"timeout, stall, truncation, too large, redirect loop); 8 refused as implausible (see\n"
	"--force). On every failure the database holds nothing new but the log entry.\n"
	"\n"
	"Environment: http_proxy, https_proxy, no_proxy as libcurl reads them;\n"
	"IANAWATCH_RETRY_BASE_MS (first backoff, default 2000), IANAWATCH_RETRY_MAX_MS (cap of\n"
	"one wait, Retry-After included, default 60000), IANAWATCH_LOCK_WAIT_MS (default 10000);\n"
	"IANAWATCH_CONFIG (the config file), SENDMAIL (default /usr/sbin/sendmail),\n"
	"IANAWATCH_NOTIFY_TIMEOUT_MS (one notification try, default 30000).",
	NULL, 0, "the URL goes after --url",
};

CLI_DEFINE_SPEC(fetch, fetch_spec)

/* Writes what the run has to say once the check is recorded; returns the exit status. */
static int fetch_finish(int rc, ingest_fetch_result *res, int exit_code, int watching)
{
	int status = EXIT_OK;
	char *msg = rc ? iw_strdup(iw_error_last()) : NULL;
	const char *p, *nl;

	/* The report goes out even when the log cannot be written: the news is real. A failed
	 * write is reported by main() (cli_close_stdout()). */
	if (cli_output(&res->report))
		status = EXIT_TROUBLE;
	if (rc) {
		cli_error("%s", msg && *msg ? msg : "unknown error");
		status = cli_exit_for(rc);
	}
	for (p = res->later.data; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		cli_error("%.*s", (int)(nl - p), p);
	}
	for (p = res->notes.data; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		cli_error("%.*s", (int)(nl - p), p);
	}
	if (status == EXIT_OK && res->later_rc)
		status = cli_exit_for(res->later_rc);
	if (status == EXIT_OK && exit_code && (watching ? res->watched : res->created))
		status = EXIT_CHANGES;
	free(msg);
	return status;
}

/* The config file and the command line together (the command line's --watch and
 * --min-severity win; targets add up), read before anything is touched. Returns 0 or the
 * exit status. */
static int fetch_configure(ingest_fetch_opts *io, notify_config *cfg)
{
	char *path = fetch_args.config ? iw_strdup(fetch_args.config) : notify_config_default_path();
	const char **targets;
	size_t i, n = 0;
	int rc, explicit = fetch_args.config || (getenv("IANAWATCH_CONFIG") &&
	                                         *getenv("IANAWATCH_CONFIG"));

	ingest_fetch_opts_init(io);
	rc = notify_config_read(path, explicit, cfg);
	free(path);
	if (rc)
		return cli_fail(rc);
	if (!fetch_args.watch.file && cfg->watch)
		fetch_args.watch.file = cfg->watch;
	if (!fetch_args.watch.min_set && cfg->min_severity &&
	    (rc = cli_watch_parse_severity(cfg->min_severity, &fetch_args.watch)))
		return cli_fail(rc);
	if ((rc = cli_watch_load(&fetch_args.watch)))
		return rc;
	io->watch = cli_watch_get(&fetch_args.watch);
	targets = iw_calloc(cfg->nnotify + fetch_args.notify.n + 1, sizeof(*targets));
	for (i = 0; i < cfg->nnotify; i++)
		targets[n++] = cfg->notify[i];
	for (i = 0; i < fetch_args.notify.n; i++)
		targets[n++] = fetch_args.notify.v[i];
	io->notify = targets;
	io->nnotify = n;
	if (fetch_args.notify_max_age)
		io->notify_o.max_age_s = fetch_args.notify_max_age * 86400;
	else if (cfg->max_age_s)
		io->notify_o.max_age_s = cfg->max_age_s;
	return 0;
}

int cmd_fetch(cli_ctx *ctx, int argc, char **argv)
{
	fetch_run r;
	ingest_fetch_result res;
	notify_config cfg;
	int n, rc, status;

	memset(&r, 0, sizeof(r));
	memset(&res, 0, sizeof(res));
	memset(&fetch_args, 0, sizeof(fetch_args));
	cli_watch_init(&fetch_args.watch);
	fetch_args.url = FETCH_DEFAULT_URL;
	fetch_args.format = FORMAT_TEXT;
	if ((rc = cli_parse_options(&fetch_spec, ctx, argc, argv, &n)) != CLI_PARSED)
		return rc;
	if ((status = fetch_configure(&r.io, &cfg))) {
		notify_config_clear(&cfg);
		free((void *)fetch_args.notify.v);
		cli_watch_free(&fetch_args.watch);
		return status;
	}
	r.url = fetch_args.url;
	r.format = fetch_args.format;
	r.exit_code = fetch_args.exit_code;
	r.force = fetch_args.force;
	r.report_dir = fetch_args.report_dir;
	ctx->verbose += fetch_args.verbose;
	if (fetch_args.timeout_ms)
		r.io.fetch.timeout_ms = fetch_args.timeout_ms;
	if (fetch_args.connect_timeout_ms)
		r.io.fetch.connect_timeout_ms = fetch_args.connect_timeout_ms;
	if (fetch_args.stall_ms)
		r.io.fetch.stall_ms = fetch_args.stall_ms;
	if (fetch_args.attempts)
		r.io.fetch.attempts = (int)fetch_args.attempts;
	r.io.db_path = ctx->db_path;
	r.io.fetch.url = r.url;
	r.io.format = r.format == FORMAT_JSON       ? REPORT_JSON
	              : r.format == FORMAT_MARKDOWN ? REPORT_MARKDOWN
	                                            : REPORT_TEXT;
	r.io.force = r.force;
	r.io.report_dir = r.report_dir;
	if (ctx->verbose > 0)
		r.io.say = fetch_say;
	rc = ingest_fetch_run(&r.io, &res);
	status = fetch_finish(rc, &res, r.exit_code, r.io.watch != NULL);
	ingest_fetch_result_free(&res);
	notify_config_clear(&cfg);
	free((void *)r.io.notify);
	free((void *)fetch_args.notify.v);
	cli_watch_free(&fetch_args.watch);
	return status;
}
