/* cmd_status.c: `ianawatch status`: when the last check, change and failure happened. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "reports/reports.h"
#include "common/banned.h"

static int status_parse_days(const char *s, void *out);

static cli_format status_format;
static double status_max_age;

static const cli_option status_options[] = {
	CLI_OPTION_FORMAT(&status_format, 1L << FORMAT_TEXT | 1L << FORMAT_JSON,
	                  "text (default) or json: {\"last_check\", \"last_change\",\n"
	                  "\"last_failure\", \"notifications\", \"snapshots\", \"max_age_days\",\n"
	                  "\"stale\"}; pending notifications are listed too"),
	CLI_OPTION_CALL(0, "max-age", "DAYS", &status_max_age, status_parse_days,
	                "exit 9 with a one-line message on stderr when no check has succeeded\n"
	                "for more than DAYS days (fractions allowed), or never: a cron job or\n"
	                "timer that silently stopped is caught by this"),
	CLI_OPTION_QUIET("print nothing on stdout (for monitoring with --max-age)"),
	CLI_OPTION_HELP,
	CLI_OPTION_END,
};

static const cli_command_spec status_spec = {
	"status",
	"ianawatch status [--format text|json] [--max-age DAYS] [-q]",
	"Tells, from the log `ianawatch fetch` keeps in the database: the last successful check\n"
	"(a new snapshot, content already stored, or 304 not modified), the last change (the\n"
	"newest snapshot and when it was observed, whatever stored it: a fetch, or `import` and\n"
	"`import-git`, whose outcome is \"imported\"), the last failure (download error, invalid document,\n"
	"refusal) with its message, and how many snapshots are stored. Attempts that failed but\n"
	"were retried successfully are not failures. A missing database is an empty history.",
	status_options,
	"Exit status: 0; 2 a bad command line or output that could not be written; 9 when stale\n"
	"(--max-age); 5 when the database is unusable.",
	NULL, 0, NULL,
};

CLI_DEFINE_SPEC(status, status_spec)

typedef struct status_info {
	store_fetch_entry check, change, failure;
	int has_check, has_change, has_failure;
	store_snapshot change_snap;
	int has_change_snap;
	/* The newest snapshot, whatever stored it (fetch, import, import-git): the last change
	 * when the fetch log does not name it. */
	store_snapshot newest;
	int has_newest;
	time_t newest_at;
	size_t snapshots;
	store_notification *queue; /* notifications waiting for delivery (no payloads) */
	size_t nqueue;
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
	int64_t *ids = NULL;
	size_t nids = 0;
	int rc;

	if ((rc = status_last(st, STORE_FETCH_LAST_SUCCESS, &si->check, &si->has_check)) ||
	    (rc = status_last(st, STORE_FETCH_LAST_CHANGE, &si->change, &si->has_change)) ||
	    (rc = status_last(st, STORE_FETCH_LAST_FAILURE, &si->failure, &si->has_failure)))
		return rc;
	if ((rc = store_list_snapshots(st, &all, &si->snapshots)))
		return rc;
	store_snapshots_free(all, si->snapshots);
	if ((rc = store_notify_list(st, 0, &si->queue, &si->nqueue)))
		return rc;
	/* The snapshot may have been removed since; the change is still worth telling. */
	if (si->has_change && si->change.snapshot_id > 0 &&
	    store_get_snapshot(st, si->change.snapshot_id, &si->change_snap) == IW_OK)
		si->has_change_snap = 1;
	if ((rc = store_positions(st, &ids, &nids)))
		return rc;
	if (nids && store_get_snapshot(st, ids[nids - 1], &si->newest) == IW_OK &&
	    iw_time_parse(si->newest.observed_at, &si->newest_at) == IW_OK)
		si->has_newest = 1;
	free(ids);
	iw_error_clear();
	return IW_OK;
}

/* The newest snapshot was not stored by the last fetch that stored one (imported, or
 * imported since): it is the last change, seen when it was observed. */
static int status_by_import(const status_info *si)
{
	return si->has_newest && (!si->has_change || si->change.snapshot_id != si->newest.id);
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
	if (status_by_import(si)) {
		status_age(si->now, si->newest_at, age, sizeof(age));
		iw_buf_printf(out, "last change:   %s (%s), snapshot %lld (registry %s), imported from "
		              "%s\n", si->newest.observed_at, age, (long long)si->newest.id,
		              si->newest.registry_updated, si->newest.source ? si->newest.source : "?");
	} else if (si->has_change) {
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
	if (si->nqueue)
		iw_buf_printf(out, "notifications: %zu waiting\n", si->nqueue);
	for (size_t i = 0; i < si->nqueue; i++) {
		const store_notification *q = &si->queue[i];
		char queued[21], next[21];
		iw_time_format(q->created_at, queued);
		iw_time_format(q->next_at, next);
		/* shown: never the target itself, which may hold a token. */
		iw_buf_printf(out, "  %s, snapshots %lld -> %lld, queued %s, %d failed attempt%s, "
		              "next try %s", q->shown, (long long)q->from_id, (long long)q->to_id,
		              queued, q->attempts, q->attempts == 1 ? "" : "s", next);
		if (q->last_error)
			iw_buf_printf(out, ": %s", q->last_error);
		iw_buf_addc(out, '\n');
	}
}

static void status_json_entry_head(iw_buf *out, const store_fetch_entry *e)
{
	char when[21];
	iw_time_format(e->at, when);
	iw_buf_printf(out, "{\"at\": \"%s\", \"url\": ", when);
	iw_buf_add_json_str(out, e->url);
	iw_buf_adds(out, ", \"http_status\": ");
	iw_buf_add_json_int(out, e->http_status, 0);
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
	if (status_by_import(si)) {
		iw_buf_printf(out, "{\"at\": \"%s\", \"url\": null, \"http_status\": null, "
		              "\"outcome\": \"imported\", \"source\": ", si->newest.observed_at);
		iw_buf_add_json_str(out, si->newest.source);
		iw_buf_adds(out, ", \"snapshot\": ");
		store_json_snapshot(out, &si->newest);
		iw_buf_adds(out, "}");
	} else if (si->has_change) {
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
	iw_buf_adds(out, ",\n \"notifications\": [");
	for (size_t i = 0; i < si->nqueue; i++) {
		const store_notification *q = &si->queue[i];
		char queued[21], next[21];
		iw_time_format(q->created_at, queued);
		iw_time_format(q->next_at, next);
		iw_buf_adds(out, i ? ", {\"target\": " : "{\"target\": ");
		iw_buf_add_json_str(out, q->shown);
		iw_buf_printf(out, ", \"from\": %lld, \"to\": %lld, \"queued_at\": \"%s\", "
		              "\"attempts\": %d, \"next_try\": \"%s\", \"last_error\": ",
		              (long long)q->from_id, (long long)q->to_id, queued, q->attempts, next);
		iw_buf_add_json_str(out, q->last_error);
		iw_buf_addc(out, '}');
	}
	iw_buf_adds(out, "]");
	iw_buf_printf(out, ",\n \"snapshots\": %zu, \"max_age_days\": ", si->snapshots);
	if (si->max_age_days >= 0)
		iw_buf_printf(out, "%g, \"stale\": %s}\n", si->max_age_days,
		              si->stale ? "true" : "false");
	else
		iw_buf_adds(out, "null, \"stale\": null}\n");
}

/* Parses DAYS: a non-negative number, fractions allowed, at most a century. */
static int status_parse_days(const char *s, void *out)
{
	char *end;
	double v;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < 0 || v > 36500)
		return iw_error_set(IW_EINVAL, "expected a number of days from 0 to 36500, not %s",
		                    cli_quote(s));
	*(double *)out = v;
	return IW_OK;
}

int cmd_status(cli_ctx *ctx, int argc, char **argv)
{
	status_info si;
	cli_format format;
	iw_buf out = IW_BUF_INIT((size_t)1 << 20);
	int n, rc, status = EXIT_TROUBLE;

	memset(&si, 0, sizeof(si));
	status_format = FORMAT_TEXT;
	status_max_age = -1;
	if ((rc = cli_parse_options(&status_spec, ctx, argc, argv, &n)) != CLI_PARSED)
		return rc;
	format = status_format;
	si.max_age_days = status_max_age;
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
	if ((rc = iw_buf_error(&out))) {
		status = cli_fail(rc);
		goto out;
	}
	if (!ctx->quiet && cli_output(&out))
		goto out; /* main() reports the write error */
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
	store_notifications_free(si.queue, si.nqueue);
	store_snapshot_clear(&si.change_snap);
	store_snapshot_clear(&si.newest);
	return status;
}
