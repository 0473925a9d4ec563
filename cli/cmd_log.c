/* cmd_log.c: `ianawatch log`: every change between consecutive snapshots of a period. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "diff/diff.h"
#include "reports/reports.h"
#include "watch/watch.h"
#include "common/banned.h"

/* The whole history as text is a few MB; this leaves room for much longer ones. */
#define LOG_OUTPUT_CAP (512u * 1024 * 1024)

static cli_format log_format;
static diff_filter log_filter;
static const char *log_since, *log_until, *log_person, *log_grep;
static cli_watch log_watch;
static int log_reverse;
/* --port's protocol, kept here: diff_filter borrows it. */
static char log_proto[8];

/* N, N-M, optionally /PROTO (tcp, udp, sctp, dccp, any case). */
static int log_parse_ports(const char *arg, void *value)
{
	diff_filter *f = value;
	const char *slash = strchr(arg, '/');
	size_t n = slash ? (size_t)(slash - arg) : strlen(arg);
	int p;
	if (slash) {
		if ((p = registry_protocol_index_ci(slash + 1)) < 0)
			return iw_error_set(IW_EINVAL, "unknown protocol '%s' (expected tcp, udp, sctp or dccp)",
			                    slash + 1);
		snprintf(log_proto, sizeof(log_proto), "%s", registry_protocols[p]);
		f->protocol = log_proto;
	}
	if (registry_port_parse(arg, n, &f->port_lo, &f->port_hi) != REGISTRY_PORT_OK)
		return iw_error_set(IW_EINVAL, "bad port '%.*s' (expected N or N-M, 0 to %d, N <= M)",
		                    (int)n, arg, REGISTRY_PORT_MAX);
	return IW_OK;
}

static const cli_option log_options[] = {
	CLI_OPTION_STRING(0, "since", "DATE", &log_since,
	                  "change sets whose newer snapshot's registry date is on or after DATE:\n"
	                  "YYYY, YYYY-MM, YYYY-MM-DD, or Nd, Nm, Ny (days, months, years ago)"),
	CLI_OPTION_STRING(0, "until", "DATE", &log_until,
	                  "... on or before DATE (YYYY: through December 31, YYYY-MM: the month's end)"),
	CLI_OPTION_KINDS(&log_filter),
	CLI_OPTION_CALL(0, "port", "N[-M][/PROTO]", &log_filter, log_parse_ports,
	                "only changes on these ports (and protocol)"),
	CLI_OPTION_STRING(0, "name", "NAME", &log_filter.name,
	                  "only changes of this service name (any case)"),
	CLI_OPTION_STRING(0, "person", "WHO", &log_person,
	                  "only changes of entries WHO is assignee or contact of, and of WHO's\n"
	                  "own record; WHO is a person id or name, any case"),
	CLI_OPTION_STRING(0, "grep", "TEXT", &log_grep,
	                  "only changes of entries whose name, description or notes contain TEXT\n"
	                  "(any case)"),
	CLI_WATCH_OPTIONS(&log_watch),
	CLI_OPTION_FLAG(0, "reverse", &log_reverse, "oldest first"),
	CLI_OPTION_FORMAT(&log_format, 1L << FORMAT_TEXT | 1L << FORMAT_JSON | 1L << FORMAT_MARKDOWN,
	                  "text (default), markdown, or json: {\"snapshots\": N, \"change_sets\":\n"
	                  "[CHANGES, ...]}, each CHANGES exactly what `diff FROM TO --format json`\n"
	                  "prints for that pair"),
	CLI_OPTION_HELP,
	CLI_OPTION_END,
};

static const cli_command_spec log_spec = {
	"log",
	"ianawatch log [--since DATE] [--until DATE] [--kind K,...] [--port N[-M][/PROTO]]\n"
	"                     [--name NAME] [--person WHO] [--grep TEXT] [--reverse]\n"
	"                     [--watch FILE] [--min-severity low|medium|high]\n"
	"                     [--format text|json|markdown]",
	"Every change between consecutive snapshots in a period (default the whole history),\n"
	"newest first like git log: one change set per pair of consecutive snapshots, headed with\n"
	"their registry dates, exactly as `diff` shows that pair. A change set belongs to the\n"
	"period when the registry date of its newer snapshot does. Filters combine with AND; a\n"
	"change set they leave empty is not shown. Relative dates count back from today.",
	log_options,
	"Exit status, like grep(1): 0 some change was listed; 1 none matched (a period past the\n"
	"newest snapshot also says on stderr where the history ends); 2 a bad command line or\n"
	"output that could not be written; 4 the database holds no snapshot; the other statuses\n"
	"of ianawatch(1) for database failures.",
	NULL, CLI_ANY_OPERANDS, NULL, /* any: a message of its own */
};

CLI_DEFINE_SPEC(log, log_spec)

static int log_days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Whether s is exactly n decimal digits. */
static int log_digits(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[n] == '\0' || s[n] == '-';
}

/* Nd, Nm, Ny: that many days, months or years before iw_now(). */
static int log_relative(const char *s, char out[11])
{
	time_t now = iw_now();
	struct tm tm;
	long n;
	size_t len = strlen(s);
	char unit = len ? s[len - 1] : 0;
	char num[16];
	int y, m, d;
	if (len < 2 || len > 6 || (unit != 'd' && unit != 'm' && unit != 'y'))
		return -1;
	memcpy(num, s, len - 1);
	num[len - 1] = '\0';
	if (!log_digits(num, len - 1) || cli_parse_long(num, 0, 36500, &n))
		return -1;
	if (unit == 'd')
		now -= (time_t)n * 86400;
	if (!gmtime_r(&now, &tm))
		return -1;
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 1;
	d = tm.tm_mday;
	if (unit == 'm') {
		long months = (long)y * 12 + (m - 1) - n;
		y = (int)(months / 12);
		m = (int)(months % 12) + 1;
	} else if (unit == 'y') {
		y -= (int)n;
	}
	if (d > log_days_in_month(y, m))
		d = log_days_in_month(y, m);
	if (y < 1 || y > 9999)
		return -1;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return 0;
}

/* A period's bound: YYYY, YYYY-MM, YYYY-MM-DD or relative; `end` picks the last day of a
 * year or month. */
static int log_parse_date(const char *opt, const char *s, int end, char out[11])
{
	size_t len = strlen(s);
	if (log_relative(s, out) == 0)
		return EXIT_OK;
	if (len == 4 && log_digits(s, 4) && strcmp(s, "0000")) {
		snprintf(out, 11, "%s-%s", s, end ? "12-31" : "01-01");
		return EXIT_OK;
	}
	if (len == 7 && log_digits(s, 4) && s[4] == '-' && log_digits(s + 5, 2)) {
		int y = atoi(s), m = atoi(s + 5);
		if (y >= 1 && m >= 1 && m <= 12) {
			snprintf(out, 11, "%.7s-%02d", s, end ? log_days_in_month(y, m) : 1);
			return EXIT_OK;
		}
	}
	if (len == 10 && iw_date_valid(s)) {
		memcpy(out, s, 11);
		return EXIT_OK;
	}
	return cli_usage_error("--%s: %s is not a date (expected YYYY, YYYY-MM, YYYY-MM-DD, or Nd, "
	                       "Nm, Ny for days, months, years ago)", opt, cli_quote(s));
}

typedef struct log_narrowing {
	const char *person, *grep;
} log_narrowing;

static int log_narrow(void *arg, diff_result *d)
{
	const log_narrowing *n = arg;
	diff_filter_text(d, n->person, n->grep);
	return IW_OK;
}

int cmd_log(cli_ctx *ctx, int argc, char **argv)
{
	iw_buf out = IW_BUF_INIT(LOG_OUTPUT_CAP);
	store_snapshot *snaps = NULL;
	size_t nsnaps = 0, nsets = 0, i;
	log_narrowing nw;
	report_log_opts o;
	char since[11] = "", until[11] = "";
	int rc, status = EXIT_TROUBLE, nargs;

	log_format = FORMAT_TEXT;
	diff_filter_init(&log_filter);
	log_since = log_until = log_person = log_grep = NULL;
	cli_watch_init(&log_watch);
	log_reverse = 0;
	memset(&nw, 0, sizeof(nw));
	memset(&o, 0, sizeof(o));
	if ((rc = cli_parse_options(&log_spec, ctx, argc, argv, &nargs)) != CLI_PARSED)
		return rc;
	if (nargs)
		return cli_usage_error("unexpected operand %s", cli_quote(argv[1]));
	if (log_since && (rc = log_parse_date("since", log_since, 0, since)))
		return rc;
	if (log_until && (rc = log_parse_date("until", log_until, 1, until)))
		return rc;
	if (*since && *until && strcmp(since, until) > 0)
		return cli_usage_error("the period is empty: --since %s is after --until %s", since,
		                       until);
	nw.person = log_person;
	nw.grep = log_grep;
	if ((rc = cli_watch_load(&log_watch)))
		return rc;

	if ((rc = cli_open_store(ctx, STORE_READONLY))) {
		status = rc;
		goto out;
	}
	if ((rc = store_read_begin(ctx->st))) {
		status = cli_fail(rc);
		goto out;
	}
	rc = store_list_snapshots(ctx->st, &snaps, &nsnaps);
	if (rc) {
		store_read_end(ctx->st);
		status = cli_fail(rc);
		goto out;
	}
	if (!nsnaps) {
		store_read_end(ctx->st);
		cli_error("the database holds no snapshot");
		status = EXIT_NOTFOUND;
		goto out;
	}
	/* Snapshots are in registry-date order: the period is one run of positions. */
	o.first = 1;
	o.last = (int64_t)nsnaps;
	for (i = 0; i < nsnaps && *since && strcmp(snaps[i].registry_updated, since) < 0; i++)
		o.first = (int64_t)i + 2;
	for (i = nsnaps; i > 0 && *until && strcmp(snaps[i - 1].registry_updated, until) > 0; i--)
		o.last = (int64_t)i - 1;
	o.reverse = log_reverse;
	o.format = log_format == FORMAT_JSON       ? REPORT_JSON
	           : log_format == FORMAT_MARKDOWN ? REPORT_MARKDOWN
	                                           : REPORT_TEXT;
	o.filter = &log_filter;
	o.narrow = log_person || log_grep ? log_narrow : NULL;
	o.arg = &nw;
	o.watch = cli_watch_get(&log_watch);
	rc = report_log(&out, ctx->st, snaps, nsnaps, &o, &nsets);
	store_read_end(ctx->st);
	if (rc) {
		status = cli_fail(rc);
		goto out;
	}
	if (cli_output(&out))
		goto out; /* main() reports the write error */
	if (*since && strcmp(since, snaps[nsnaps - 1].registry_updated) > 0)
		cli_note_history_ends(&snaps[nsnaps - 1]);
	status = nsets ? EXIT_OK : EXIT_CHANGES;
	if (!nsets)
		cli_note_unknown_name(ctx, log_filter.name);
out:
	iw_buf_free(&out);
	store_snapshots_free(snaps, nsnaps);
	cli_watch_free(&log_watch);
	return status;
}
