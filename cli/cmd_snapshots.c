/* cmd_snapshots.c: `ianawatch snapshots`: list the stored snapshots, oldest first. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "common/banned.h"

static cli_format snapshots_format;

static const cli_option snapshots_options[] = {
	CLI_OPTION_FORMAT(&snapshots_format, 1L << FORMAT_TEXT | 1L << FORMAT_JSON,
	                  "text (default) or json: an array of objects with id, registry_updated,\n"
	                  "observed_at, sha256, size, record_count, person_count, source, raw"),
	CLI_OPTION_HELP,
	CLI_OPTION_END,
};

static const cli_command_spec snapshots_spec = {
	"snapshots",
	"ianawatch snapshots [--format text|json]",
	"Lists the stored snapshots, oldest first: id, registry date, observed time, records,\n"
	"SHA-256 and source.",
	snapshots_options,
	"Exit status: 0 done; 2 a bad command line; 4 no database, or the database holds no\n"
	"snapshot yet (as for `history` and `show`); the other statuses of ianawatch(1) for\n"
	"database failures.",
	NULL, 0, NULL,
};

CLI_DEFINE_SPEC(snapshots, snapshots_spec)

int cmd_snapshots(cli_ctx *ctx, int argc, char **argv)
{
	store_snapshot *v = NULL;
	iw_buf out = IW_BUF_INIT(SIZE_MAX / 2);
	size_t n = 0, i;
	cli_format fmt;
	int nops, rc;

	snapshots_format = FORMAT_TEXT;
	if ((rc = cli_parse_options(&snapshots_spec, ctx, argc, argv, &nops)) != CLI_PARSED)
		return rc;
	fmt = snapshots_format;
	if ((rc = cli_open_store(ctx, STORE_READONLY)))
		return rc;
	if ((rc = store_list_snapshots(ctx->st, &v, &n)))
		return cli_fail(rc);
	if (!n) {
		/* As `history` and `show` say it: an empty list would look like a broken database. */
		store_snapshots_free(v, n);
		cli_error("the database holds no snapshot yet");
		return EXIT_NOTFOUND;
	}
	if (fmt == FORMAT_JSON)
		iw_buf_adds(&out, "[");
	else if (n)
		iw_buf_printf(&out, "%5s  %-10s  %-20s  %7s  %-64s  %s\n", "id", "registry", "observed",
		              "records", "sha256", "source");
	for (i = 0; i < n; i++) {
		store_snapshot *s = &v[i];
		if (fmt == FORMAT_JSON) {
			iw_buf_printf(&out, "%s\n {\"id\": %lld, \"registry_updated\": \"%s\", "
			              "\"observed_at\": \"%s\", \"sha256\": \"%s\", \"size\": %lld, "
			              "\"record_count\": %lld, \"person_count\": %lld, \"source\": ",
			              i ? "," : "", (long long)s->id, s->registry_updated, s->observed_at,
			              s->sha256, (long long)s->size, (long long)s->record_count,
			              (long long)s->person_count);
			iw_buf_add_json_str(&out, s->source);
			iw_buf_printf(&out, ", \"raw\": %s}", s->has_raw ? "true" : "false");
		} else {
			iw_buf_printf(&out, "%5lld  %-10s  %-20s  %7lld  %-64s  %s\n", (long long)s->id,
			              s->registry_updated, s->observed_at, (long long)s->record_count,
			              s->sha256, s->source ? s->source : "-");
		}
	}
	if (fmt == FORMAT_JSON)
		iw_buf_adds(&out, n ? "\n]\n" : "]\n");
	rc = cli_finish(IW_OK, &out, EXIT_OK);
	iw_buf_free(&out);
	store_snapshots_free(v, n);
	return rc;
}
