/* cmd_diff.c: `ianawatch diff`: what changed between two snapshots, exit status like diff(1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "diff/diff.h"
#include "reports/reports.h"
#include "common/banned.h"

/* A report of every record of the registry changing is ~10 MB of JSON; this leaves room. */
#define DIFF_OUTPUT_CAP (256u * 1024 * 1024)

static cli_format diff_format;
static diff_filter diff_args_filter;
static cli_watch diff_watch;

static int diff_parse_ports(const char *arg, void *value)
{
	return diff_filter_parse_ports(value, arg);
}

static const cli_option diff_options[] = {
	CLI_OPTION_FORMAT(&diff_format, 1L << FORMAT_TEXT | 1L << FORMAT_JSON | 1L << FORMAT_MARKDOWN,
	                  "text (default; nothing when nothing changed), json, markdown"),
	CLI_OPTION_KINDS(&diff_args_filter),
	CLI_OPTION_STRING(0, "protocol", "P", &diff_args_filter.protocol,
	                  "only changes on protocol P (records without protocol cover all)"),
	CLI_OPTION_CALL(0, "port", "N|N-M", &diff_args_filter, diff_parse_ports,
	                "only changes on these ports"),
	CLI_OPTION_STRING(0, "name", "NAME", &diff_args_filter.name,
	                  "only changes of this service name"),
	CLI_WATCH_OPTIONS(&diff_watch),
	CLI_OPTION_HELP,
	CLI_OPTION_END,
};

static const cli_command_spec diff_spec = {
	"diff",
	"ianawatch diff [FROM [TO]] [--format text|json|markdown] [--kind K,...]\n"
	"                      [--protocol P] [--port N|N-M] [--name NAME]\n"
	"                      [--watch FILE] [--min-severity low|medium|high]",
	"What changed in the registry from snapshot FROM to snapshot TO. FROM and TO are a\n"
	"snapshot id, a date YYYY-MM-DD (the registry as it stood then), `latest` or `latest~N`.\n"
	"No operand: the previous snapshot against the latest; one: FROM against the latest.",
	diff_options,
	"Options may stand before or after the operands. Exit status, like diff(1): 0 no\n"
	"changes, 1 changes, 2 trouble (such as a bad command line, or output that could not be\n"
	"written); also 4 when FROM or TO names no snapshot, and the other statuses of\n"
	"ianawatch(1) for database failures. With --watch or --min-severity, only the changes\n"
	"kept count, and each shows its severity.",
	NULL, CLI_ANY_OPERANDS, NULL, /* more than two: a message of its own */
};

CLI_DEFINE_SPEC(diff, diff_spec)

/* Resolves spec and loads the snapshot's metadata. */
static int cmd_diff_snapshot(store *st, const char *spec, const char *what,
                             store_snapshot *out)
{
	int64_t id;
	int rc = store_resolve(st, spec, &id);
	if (rc == 0)
		rc = store_get_snapshot(st, id, out);
	if (rc)
		return cli_fail(iw_error_prefix(rc, "%s", what));
	return 0;
}

/* A date beyond the newest snapshot compares the newest: say where the history ends. */
static int cmd_diff_data_ends(store *st, const char *const specs[2])
{
	store_snapshot newest;
	int64_t id;
	int rc, i;
	for (i = 0; i < 2; i++)
		if (strlen(specs[i]) == 10 && iw_date_valid(specs[i]))
			break;
	if (i == 2)
		return 0;
	memset(&newest, 0, sizeof(newest));
	if ((rc = store_resolve(st, "latest", &id)) || (rc = store_get_snapshot(st, id, &newest)))
		return cli_fail(rc);
	for (i = 0; i < 2; i++)
		if (strlen(specs[i]) == 10 && iw_date_valid(specs[i]) &&
		    strcmp(specs[i], newest.registry_updated) > 0) {
			cli_note_history_ends(&newest);
			break;
		}
	store_snapshot_clear(&newest);
	return 0;
}

static report_format cmd_diff_report_format(void)
{
	return diff_format == FORMAT_JSON       ? REPORT_JSON
	       : diff_format == FORMAT_MARKDOWN ? REPORT_MARKDOWN
	                                        : REPORT_TEXT;
}

/* Consecutive snapshots: the change log's one step, which loads what changed and its
 * neighbours instead of two whole snapshots (the same bytes: tests/cli/log_equals_diff.sh
 * compares both ways; $IANAWATCH_DIFF_WHOLE makes diff load the whole documents). */
static int cmd_diff_step(store *st, int64_t pos, iw_buf *out)
{
	store_snapshot *snaps = NULL;
	size_t nsnaps = 0, nsets = 0;
	report_log_opts o;
	int rc, status;

	memset(&o, 0, sizeof(o));
	o.first = o.last = pos;
	o.single = 1;
	o.format = cmd_diff_report_format();
	o.filter = &diff_args_filter;
	o.watch = cli_watch_get(&diff_watch);
	if ((rc = store_read_begin(st)))
		return cli_fail(rc);
	rc = store_list_snapshots(st, &snaps, &nsnaps);
	if (!rc)
		rc = report_log(out, st, snaps, nsnaps, &o, &nsets);
	store_read_end(st);
	if (rc)
		status = cli_fail(rc);
	else if (cli_output(out))
		status = EXIT_TROUBLE; /* main() reports the write error */
	else
		status = nsets ? EXIT_CHANGES : EXIT_OK;
	store_snapshots_free(snaps, nsnaps);
	return status;
}

int cmd_diff(cli_ctx *ctx, int argc, char **argv)
{
	store_snapshot from, to;
	iw_buf out = IW_BUF_INIT(DIFF_OUTPUT_CAP);
	const char *from_spec = "latest~1", *to_spec = "latest", *specs[2];
	int rc, status = EXIT_TROUBLE, nargs, changed = 0, i;

	memset(&from, 0, sizeof(from));
	memset(&to, 0, sizeof(to));
	diff_format = FORMAT_TEXT;
	diff_filter_init(&diff_args_filter);
	cli_watch_init(&diff_watch);
	if ((rc = cli_parse_options(&diff_spec, ctx, argc, argv, &nargs)) != CLI_PARSED)
		return rc;
	if (nargs > 2)
		return cli_usage_error("too many operands (expected [FROM [TO]])");
	for (i = 1; i <= nargs; i++)
		if (strlen(argv[i]) > 4 * CLI_QUOTE_MAX)
			return cli_usage_error("%s: %s is not a snapshot id, date, latest or latest~N",
			                       i == 1 ? "FROM" : "TO", cli_quote(argv[i]));
	if (nargs >= 1)
		from_spec = argv[1];
	if (nargs == 2)
		to_spec = argv[2];

	if ((rc = cli_watch_load(&diff_watch))) {
		status = rc;
		goto out;
	}
	if ((rc = cli_open_store(ctx, STORE_READONLY))) {
		status = rc;
		goto out;
	}
	if ((rc = cmd_diff_snapshot(ctx->st, from_spec, "FROM", &from)) ||
	    (rc = cmd_diff_snapshot(ctx->st, to_spec, "TO", &to))) {
		status = rc;
		goto out;
	}
	specs[0] = from_spec;
	specs[1] = to_spec;
	if ((rc = cmd_diff_data_ends(ctx->st, specs))) {
		status = rc;
		goto out;
	}
	if (to.pos == from.pos + 1 && !getenv("IANAWATCH_DIFF_WHOLE")) {
		status = cmd_diff_step(ctx->st, to.pos, &out);
		goto out;
	}
	/* The same rendering as fetch's report, from the library. */
	if ((rc = report_stored_changes_watch(&out, ctx->st, from.id, to.id, NULL, NULL,
	                                      cmd_diff_report_format(), &diff_args_filter,
	                                      cli_watch_get(&diff_watch), &changed))) {
		status = cli_fail(rc);
		goto out;
	}
	if (cli_output(&out))
		goto out; /* main() reports the write error */
	status = changed ? EXIT_CHANGES : EXIT_OK;
out:
	if (status == EXIT_OK)
		cli_note_unknown_name(ctx, diff_args_filter.name);
	iw_buf_free(&out);
	cli_watch_free(&diff_watch);
	store_snapshot_clear(&from);
	store_snapshot_clear(&to);
	return status;
}
