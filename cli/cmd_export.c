/* cmd_export.c: `ianawatch export`: the registry as it stood on a date, for other programs. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "export/export.h"
#include "common/banned.h"

static cli_format export_format;
static const char *export_at;

static const cli_option export_options[] = {
	CLI_OPTION_DATE(0, "at", &export_at, "YYYY-MM-DD"),
	CLI_OPTION_FORMAT(
	    &export_format, 1L << FORMAT_SERVICES | 1L << FORMAT_CSV | 1L << FORMAT_JSON,
	    "services: an /etc/services file (services(5)), as distributions generate\n"
	    "  it: one `name port/protocol # description` line per named record and\n"
	    "  port (a range gives a line per port; a record without protocol a tcp\n"
	    "  and a udp line); names exactly as the registry writes them, except\n"
	    "  one with blanks, which a line cannot hold: its first word, with the\n"
	    "  registry's name in the comment\n"
	    "csv: the columns of IANA's own CSV, one row per record (RFC 4180)\n"
	    "json: {\"snapshot\", \"records\", \"people\"}, records as in diff's JSON"),
	CLI_OPTION_HELP,
	CLI_OPTION_END,
};

static const cli_command_spec export_spec = {
	"export",
	"ianawatch export [--at DATE] --format services|csv|json",
	"Writes the registry as it stood on DATE (the latest snapshot whose registry date is on\n"
	"or before it; default: the latest snapshot) to standard output.",
	export_options,
	"Exit status: 0 written; 2 a bad command line or output that could not be written; 4 DATE\n"
	"is before the first snapshot, or the database holds no snapshot; the other statuses of\n"
	"ianawatch(1) for database failures.",
	NULL, 0, NULL,
};

CLI_DEFINE_SPEC(export, export_spec)

/* The whole export is built in memory (a few megabytes) before any of it is written, so a
 * failure never leaves half a file behind. */
#define EXPORT_MAX_OUTPUT (1024u * 1024 * 1024)

int cmd_export(cli_ctx *ctx, int argc, char **argv)
{
	cli_format fmt;
	const char *at;
	int n, rc;
	store_snapshot snap = {0};
	registry_doc *doc = NULL;
	iw_buf out = IW_BUF_INIT(EXPORT_MAX_OUTPUT);
	int64_t id;

	export_format = FORMAT_TEXT; /* none of the allowed ones: --format is required */
	export_at = NULL;
	if ((rc = cli_parse_options(&export_spec, ctx, argc, argv, &n)) != CLI_PARSED)
		return rc;
	if (export_format == FORMAT_TEXT)
		return cli_usage_error("--format services, csv or json is required");
	fmt = export_format;
	at = export_at;
	if ((rc = cli_open_store(ctx, STORE_READONLY)))
		return rc;
	rc = at ? store_at_date(ctx->st, at, &id) : store_resolve(ctx->st, "latest", &id);
	if (rc || (rc = store_get_snapshot(ctx->st, id, &snap)) ||
	    (rc = store_load_doc(ctx->st, id, &doc))) {
		rc = cli_fail(rc);
		goto out;
	}
	if (fmt == FORMAT_SERVICES)
		rc = export_services(&out, &snap, doc);
	else if (fmt == FORMAT_CSV)
		rc = export_csv(&out, doc);
	else
		rc = export_json(&out, &snap, doc);
	if (rc) {
		rc = cli_fail(rc);
		goto out;
	}
	rc = cli_output(&out) ? EXIT_TROUBLE : EXIT_OK; /* main() reports a write error */
out:
	iw_buf_free(&out);
	registry_doc_free(doc);
	store_snapshot_clear(&snap);
	return rc;
}
