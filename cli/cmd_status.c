/* cmd_status.c: `ianawatch status`: when the last check, change and failure happened. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "reports/reports.h"
#include "common/banned.h"

static const char cmd_status_usage[] =
	"usage: ianawatch status [--format text|json] [--max-age DAYS] [-q]\n"
	"\n"
	"Tells, from the log `ianawatch fetch` keeps in the database: the last successful check\n"
	"(a new snapshot, content already stored, or 304 not modified), the last change (the last\n"
	"fetch that stored a snapshot), the last failure (download error, invalid document,\n"
	"refusal) with its message, and how many snapshots are stored. Attempts that failed but\n"
	"were retried successfully are not failures. A missing database is an empty history.\n"
	"\n"
	"  --format F      text (default) or json: {\"last_check\", \"last_change\",\n"
	"                  \"last_failure\", \"snapshots\", \"max_age_days\", \"stale\"}\n"
	"  --max-age DAYS  exit 9 with a one-line message on stderr when no check has succeeded\n"
	"                  for more than DAYS days (fractions allowed), or never: a cron job or\n"
	"                  timer that silently stopped is caught by this\n"
	"  -q, --quiet     print nothing on stdout (for monitoring with --max-age)\n"
	"  -h, --help      this help\n"
	"\n"
	"Exit status: 0; 9 when stale (--max-age); 5 when the database is unusable.\n";

typedef struct status_info {
	store_fetch_entry check, change, failure;
	int has_check, has_change, has_failure;
	store_snapshot change_snap;
	int has_change_snap;
	size_t snapshots;
	time_t now;
	double max_age_days;      /* < 0: not asked */
	int stale;
} status_info;

/* Reads one kind of log entry; a missing one is not an error. */
static int status_last(store *st, store_fetch_which which, store_fetch_entry *e, int *has)
{
	int rc = store_fetch_last(st, which, e);
	*has = rc == IW_OK;
	return rc == IW_ENOTFOUND ? IW_OK : rc;
}

static int status_load(store *st, status_info *si)
{
	store_snapshot *all = NULL;
	int rc;

	if ((rc = status_last(st, STORE_FETCH_LAST_SUCCESS, &si->check, &si->has_check)) ||
	    (rc = status_last(st, STORE_FETCH_LAST_CHANGE, &si->change, &si->has_change)) ||
	    (rc = status_last(st, STORE_FETCH_LAST_FAILURE, &si->failure, &si->has_failure)))
		return rc;
	if ((rc = store_list_snapshots(st, &all, &si->snapshots)))
		return rc;
	store_snapshots_free(all, si->snapshots);
	/* The snapshot may have been removed since; the change is still worth telling. */
	if (si->has_change && si->change.snapshot_id > 0 &&
	    store_get_snapshot(st, si->change.snapshot_id, &si->change_snap) == IW_OK)
		si->has_change_snap = 1;
	iw_error_clear();
	return IW_OK;
}

/* "12 min ago", "5 h ago", "3 days ago", "in the future" (a clock set back). */
static void status_age(time_t now, time_t at, char *out, size_t len)
{
	double secs = difftime(now, at);
	if (secs < 0)
		snprintf(out, len, "in the future");
	else if (secs < 3600)
		snprintf(out, len, "%lld min ago", (long long)(secs / 60));
	else if (secs < 2 * 86400)
		snprintf(out, len, "%lld h ago", (long long)(secs / 3600));
	else
		snprintf(out, len, "%lld days ago", (long long)(secs / 86400));
}

static void status_text(iw_buf *out, const status_info *si)
{
	char when[21], age[32];

	if (si->has_check) {
		iw_time_format(si->check.at, when);
		status_age(si->now, si->check.at, age, sizeof(age));
		iw_buf_printf(out, "last success:  %s (%s), %s", when, age, si->check.outcome);
		if (si->check.http_status)
			iw_buf_printf(out, " (HTTP %ld)", si->check.http_status);
		iw_buf_printf(out, ", %s\n", si->check.url);
	} else {
		iw_buf_adds(out, "last success:  never\n");
	}
	if (si->has_change) {
		iw_time_format(si->change.at, when);
		status_age(si->now, si->change.at, age, sizeof(age));
		iw_buf_printf(out, "last change:   %s (%s), snapshot %lld", when, age,
		              (long long)si->change.snapshot_id);
		if (si->has_change_snap)
			iw_buf_printf(out, " (registry %s)", si->change_snap.registry_updated);
		iw_buf_adds(out, "\n");
	} else {
		iw_buf_adds(out, "last change:   never\n");
	}
	if (si->has_failure) {
		iw_time_format(si->failure.at, when);
		status_age(si->now, si->failure.at, age, sizeof(age));
		iw_buf_printf(out, "last failure:  %s (%s), %s: %s\n", when, age, si->failure.outcome,
		              si->failure.message ? si->failure.message : "(no message)");
	} else {
		iw_buf_adds(out, "last failure:  never\n");
	}
	iw_buf_printf(out, "snapshots:     %zu\n", si->snapshots);
}

static void status_json_entry_head(iw_buf *out, const store_fetch_entry *e)
{
	char when[21];
	iw_time_format(e->at, when);
	iw_buf_printf(out, "{\"at\": \"%s\", \"url\": ", when);
	iw_buf_add_json_str(out, e->url);
	if (e->http_status)
		iw_buf_printf(out, ", \"http_status\": %ld", e->http_status);
	else
		iw_buf_adds(out, ", \"http_status\": null");
	iw_buf_adds(out, ", \"outcome\": ");
	iw_buf_add_json_str(out, e->outcome);
}

static void status_json(iw_buf *out, const status_info *si)
{
	iw_buf_adds(out, "{\"last_check\": ");
	if (si->has_check) {
		status_json_entry_head(out, &si->check);
		iw_buf_adds(out, "}");
	} else {
		iw_buf_adds(out, "null");
	}
	iw_buf_adds(out, ",\n \"last_change\": ");
	if (si->has_change) {
		status_json_entry_head(out, &si->change);
		iw_buf_adds(out, ", \"snapshot\": ");
		if (si->has_change_snap)
			store_json_snapshot(out, &si->change_snap);
		else
			iw_buf_adds(out, "null");
		iw_buf_adds(out, "}");
	} else {
		iw_buf_adds(out, "null");
	}
	iw_buf_adds(out, ",\n \"last_failure\": ");
	if (si->has_failure) {
		status_json_entry_head(out, &si->failure);
		iw_buf_adds(out, ", \"message\": ");
		iw_buf_add_json_str(out, si->failure.message);
		iw_buf_adds(out, "}");
	} else {
		iw_buf_adds(out, "null");
	}
	iw_buf_printf(out, ",\n \"snapshots\": %zu, \"max_age_days\": ", si->snapshots);
	if (si->max_age_days >= 0)
		iw_buf_printf(out, "%g, \"stale\": %s}\n", si->max_age_days,
		              si->stale ? "true" : "false");
	else
		iw_buf_adds(out, "null, \"stale\": null}\n");
}

/* Parses DAYS: a non-negative number, fractions allowed, at most a century. */
static int status_parse_days(const char *s, double *out)
{
	char *end;
	double v;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < 0 || v > 36500)
		return -1;
	*out = v;
	return 0;
}

int cmd_status(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"max-age", required_argument, NULL, 'm'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	status_info si;
	cli_format format = FORMAT_TEXT;
	iw_buf out = IW_BUF_INIT((size_t)1 << 20);
	int opt, rc, quiet = ctx->quiet, status = EXIT_TROUBLE;

	memset(&si, 0, sizeof(si));
	si.max_age_days = -1;
	while ((opt = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if ((rc = cli_parse_format(optarg, 1u << FORMAT_TEXT | 1u << FORMAT_JSON,
			                           &format))) {
				status = rc;
				goto out;
			}
			break;
		case 'm':
			if (status_parse_days(optarg, &si.max_age_days)) {
				status = cli_usage_error(argv[0], "--max-age: expected a number of days, not "
				                         "'%s'", optarg);
				goto out;
			}
			break;
		case 'q': quiet = 1; break;
		case 'h':
			fputs(cmd_status_usage, stdout);
			status = EXIT_OK;
			goto out;
		default:
			status = cli_bad_option(argv[0], opt, argv);
			goto out;
		}
	}
	if (optind < argc) {
		status = cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	si.now = iw_now();
	rc = store_open(&ctx->st, ctx->db_path, STORE_READONLY);
	if (rc == IW_ENOTFOUND) {
		/* No database yet: nothing was ever checked, which --max-age reports as stale. */
		iw_error_clear();
	} else if (rc) {
		status = cli_fail(rc);
		goto out;
	} else if ((rc = status_load(ctx->st, &si))) {
		status = cli_fail(rc);
		goto out;
	}
	if (si.max_age_days >= 0)
		si.stale = !si.has_check || difftime(si.now, si.check.at) > si.max_age_days * 86400.0;
	if (format == FORMAT_JSON)
		status_json(&out, &si);
	else
		status_text(&out, &si);
	if (!quiet && out.len && (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout))) {
		cli_error("writing the status: %s", strerror(errno));
		goto out;
	}
	status = EXIT_OK;
	if (si.stale) {
		if (si.has_check) {
			char when[21];
			iw_time_format(si.check.at, when);
			cli_error("no successful check for %.1f days (the last one was at %s; max age %g "
			          "days)", difftime(si.now, si.check.at) / 86400.0, when, si.max_age_days);
		} else {
			cli_error("no successful check ever (max age %g days)", si.max_age_days);
		}
		status = EXIT_STALE;
	}
out:
	iw_buf_free(&out);
	store_fetch_entry_clear(&si.check);
	store_fetch_entry_clear(&si.change);
	store_fetch_entry_clear(&si.failure);
	store_snapshot_clear(&si.change_snap);
	return status;
}
