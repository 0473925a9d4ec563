/* cmd_diff.c: `ianawatch diff`: what changed between two snapshots, exit status like diff(1). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "diff/diff.h"
#include "reports/reports.h"
#include "common/banned.h"

/* A report of every record of the registry changing is ~10 MB of JSON; this leaves room. */
#define DIFF_OUTPUT_CAP (256u * 1024 * 1024)

static const char cmd_diff_usage[] =
	"usage: ianawatch diff [FROM [TO]] [--format text|json|markdown] [--kind K,...]\n"
	"                      [--protocol P] [--port N|N-M] [--name NAME]\n"
	"\n"
	"What changed in the registry from snapshot FROM to snapshot TO. FROM and TO are a\n"
	"snapshot id, a date YYYY-MM-DD (the registry as it stood then), `latest` or `latest~N`.\n"
	"No operand: the previous snapshot against the latest; one: FROM against the latest.\n"
	"\n"
	"  --format F      text (default; nothing when nothing changed), json, markdown\n"
	"  --kind K,...    only these kinds: moved, renamed, assigned, deassigned, added,\n"
	"                  removed, modified, status (people: added, removed, modified)\n"
	"  --protocol P    only changes on protocol P (records without protocol cover all)\n"
	"  --port N|N-M    only changes on these ports\n"
	"  --name NAME     only changes of this service name\n"
	"  -h, --help      this help\n"
	"\n"
	"Options may stand before or after the operands. Exit status, like diff(1): 0 no\n"
	"changes, 1 changes, 2 trouble (such as a bad command line); also 4 when FROM or TO\n"
	"names no snapshot, and the other statuses of ianawatch(1) for database failures.\n";

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

int cmd_diff(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"kind", required_argument, NULL, 'k'},
		{"protocol", required_argument, NULL, 'p'},
		{"port", required_argument, NULL, 'P'},
		{"name", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	store_snapshot from, to;
	diff_filter filter;
	cli_format format = FORMAT_TEXT;
	iw_buf out = IW_BUF_INIT(DIFF_OUTPUT_CAP);
	const char *from_spec = "latest~1", *to_spec = "latest";
	int opt, rc, status = EXIT_TROUBLE, nargs, changed = 0;

	memset(&from, 0, sizeof(from));
	memset(&to, 0, sizeof(to));
	diff_filter_init(&filter);
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(cmd_diff_usage, stdout);
			status = EXIT_OK;
			goto out;
		case 'f':
			if ((rc = cli_parse_format(optarg, 1u << FORMAT_TEXT | 1u << FORMAT_JSON |
			                                   1u << FORMAT_MARKDOWN, &format))) {
				status = rc;
				goto out;
			}
			break;
		case 'k':
			if (diff_filter_parse_kinds(&filter, optarg)) {
				status = cli_usage_error(argv[0], "%s", iw_error_last());
				goto out;
			}
			break;
		case 'p':
			if (!*optarg) {
				status = cli_usage_error(argv[0], "--protocol needs a protocol name");
				goto out;
			}
			filter.protocol = optarg;
			break;
		case 'P':
			if (diff_filter_parse_ports(&filter, optarg)) {
				status = cli_usage_error(argv[0], "%s", iw_error_last());
				goto out;
			}
			break;
		case 'n':
			if (!*optarg) {
				status = cli_usage_error(argv[0], "--name needs a service name");
				goto out;
			}
			filter.name = optarg;
			break;
		default:
			status = cli_bad_option(argv[0], opt, argv);
			goto out;
		}
	}
	nargs = argc - optind;
	if (nargs > 2) {
		status = cli_usage_error(argv[0], "too many operands (expected [FROM [TO]])");
		goto out;
	}
	if (nargs >= 1)
		from_spec = argv[optind];
	if (nargs == 2)
		to_spec = argv[optind + 1];

	if ((rc = cli_open_store(ctx, STORE_READONLY))) {
		status = rc;
		goto out;
	}
	if ((rc = cmd_diff_snapshot(ctx->st, from_spec, "FROM", &from)) ||
	    (rc = cmd_diff_snapshot(ctx->st, to_spec, "TO", &to))) {
		status = rc;
		goto out;
	}
	/* The same rendering as fetch's report, from the library. */
	if ((rc = report_stored_changes(&out, ctx->st, from.id, to.id, NULL, NULL,
	                                format == FORMAT_JSON       ? REPORT_JSON
	                                : format == FORMAT_MARKDOWN ? REPORT_MARKDOWN
	                                                            : REPORT_TEXT,
	                                &filter, &changed))) {
		status = cli_fail(rc);
		goto out;
	}
	if ((out.len && fwrite(out.data, 1, out.len, stdout) != out.len) || fflush(stdout)) {
		cli_error("writing the report: %s", strerror(errno));
		status = EXIT_TROUBLE;
		goto out;
	}
	status = changed ? EXIT_CHANGES : EXIT_OK;
out:
	iw_buf_free(&out);
	store_snapshot_clear(&from);
	store_snapshot_clear(&to);
	return status;
}
