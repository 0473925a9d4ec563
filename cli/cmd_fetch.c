/* cmd_fetch.c: `ianawatch fetch`: the nightly job's command line; the job is ingest/fetch_run.c. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "fetch/fetch.h"
#include "ingest/ingest.h"
#include "common/banned.h"

/* What the command line chose; the run itself is ingest_fetch_run(). */
typedef struct fetch_run {
	const char *url;
	cli_format format;
	int exit_code, force;
	const char *report_dir;
	ingest_fetch_opts io;
} fetch_run;

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
	"                         90% of the newest snapshot's records, an older registry date,\n"
	"                         or content stored before as a snapshot older than the newest\n"
	"  -v, --verbose          say on stderr what was done (attempts, not modified, stored...)\n"
	"  --timeout S            give up an attempt after S seconds in all (default 300)\n"
	"  --connect-timeout S    give up connecting after S seconds (default 15)\n"
	"  --stall-timeout S      give up an attempt when no byte arrived for S seconds\n"
	"                         (default 30; checked about once a second)\n"
	"  --attempts N           tries in all, with exponential backoff between them, on\n"
	"                         timeouts, connection errors, 408, 429 and 5xx (default 4)\n"
	"  --report-dir DIR       on every successful check, bring the static site in DIR up to\n"
	"                         date with whatever it lacks (`report --incremental --out DIR`)\n"
	"  -h, --help             this help\n"
	"\n"
	"What it does: takes the lock <database>.lock (another run holding it for 10 s makes this\n"
	"one exit 6); sends the ETag / Last-Modified of the previous download, so a 304 costs\n"
	"nothing; checks that a new body is complete and IANA's service-names-port-numbers\n"
	"registry; stores it unless its content is already stored; records the check; prints the\n"
	"change report. Every attempt is logged in the database for `ianawatch status`, failures\n"
	"too. The whole run ends within its budget (600 s), an attempt slower than 1024 bytes/s\n"
	"for 30 s is dropped.\n"
	"\n"
	"Output: nothing on 304 or when the content is already stored; otherwise the changes from\n"
	"the previous snapshot (nothing in text and markdown when only the registry's date\n"
	"changed; JSON always prints the object). The very first snapshot is not compared with\n"
	"nothing: text and markdown print one line, `first snapshot stored: registry DATE, N\n"
	"records`, JSON the object with \"from\": null and empty arrays.\n"
	"\n"
	"Exit status: 0 success, changed or not (with --exit-code: 1 when a snapshot was stored,\n"
	"the first one included); 2 bad command line; 3 the download is not a valid registry\n"
	"(an HTML page, truncated or foreign XML, over the 64 MiB cap); 5 database unusable;\n"
	"6 another run holds the lock; 7 the download failed (network, HTTP error, timeout,\n"
	"stall, too slow, budget spent, truncation, headers too large, redirect loop); 8 refused\n"
	"as implausible or a rollback (see --force). On every failure the database\n"
	"holds nothing new but the log entry.\n"
	"\n"
	"Environment: http_proxy, https_proxy, no_proxy as libcurl reads them;\n"
	"IANAWATCH_RETRY_BASE_MS (first backoff, default 2000), IANAWATCH_RETRY_MAX_MS (cap of\n"
	"one wait, Retry-After included, default 60000), IANAWATCH_LOCK_WAIT_MS (default 10000);\n"
	"IANAWATCH_FETCH_BUDGET_MS (the whole run, attempts and waits, default 600000);\n"
	"IANAWATCH_LOW_SPEED_LIMIT, IANAWATCH_LOW_SPEED_MS (drop an attempt slower than 1024\n"
	"bytes/s for 30000 ms, the defaults).\n";

/* -v: what the run did, on stderr, so that stdout keeps only the report. */
static void fetch_say(void *arg, const char *line)
{
	(void)arg;
	fflush(stdout);
	fprintf(stderr, "ianawatch: %s\n", line);
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

/* Writes what the run has to say once the check is recorded; returns the exit status. */
static int fetch_finish(int rc, ingest_fetch_result *res, int exit_code)
{
	int status = EXIT_OK;
	char *msg = rc ? iw_strdup(iw_error_last()) : NULL;
	const char *p, *nl;

	/* The report goes out even when the log cannot be written: the news is real. */
	if (res->report.len && (fwrite(res->report.data, 1, res->report.len, stdout) !=
	                                res->report.len || fflush(stdout))) {
		cli_error("writing the report: %s", strerror(errno));
		status = EXIT_TROUBLE;
	}
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
	if (status == EXIT_OK && res->later_rc)
		status = cli_exit_for(res->later_rc);
	if (status == EXIT_OK && exit_code && res->created)
		status = EXIT_CHANGES;
	free(msg);
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
	ingest_fetch_result res;
	long v;
	int opt, rc, status = EXIT_TROUBLE;

	memset(&r, 0, sizeof(r));
	memset(&res, 0, sizeof(res));
	r.url = FETCH_DEFAULT_URL;
	r.format = FORMAT_TEXT;
	ingest_fetch_opts_init(&r.io);
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
				r.io.fetch.timeout_ms = v;
			else if (opt == 'C')
				r.io.fetch.connect_timeout_ms = v;
			else
				r.io.fetch.stall_ms = v;
			break;
		case 'A':
			if (cli_parse_long(optarg, 1, 20, &v)) {
				status = cli_usage_error(argv[0], "--attempts: expected 1 to 20, not '%s'",
				                         optarg);
				goto out;
			}
			r.io.fetch.attempts = (int)v;
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
	status = fetch_finish(rc, &res, r.exit_code);
out:
	ingest_fetch_result_free(&res);
	return status;
}
