/* cmd_export.c: `ianawatch export`: the registry as it stood on a date, for other programs. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "export/export.h"
#include "common/banned.h"

static const char export_usage[] =
	"usage: ianawatch export [--at DATE] --format services|csv|json\n\n"
	"Writes the registry as it stood on DATE (the latest snapshot whose registry date is on\n"
	"or before it; default: the latest snapshot) to standard output.\n\n"
	"  --at DATE     YYYY-MM-DD\n"
	"  --format F    services: an /etc/services file (services(5)), as distributions generate\n"
	"                  it: one `name port/protocol # description` line per named record and\n"
	"                  port (a range gives a line per port; a record without protocol a tcp\n"
	"                  and a udp line)\n"
	"                csv: the columns of IANA's own CSV, one row per record (RFC 4180)\n"
	"                json: {\"snapshot\", \"records\", \"people\"}, records as in diff's JSON\n"
	"  -h, --help    print this help\n";

/* The whole export is built in memory (a few megabytes) before any of it is written, so a
 * failure never leaves half a file behind. */
#define EXPORT_MAX_OUTPUT (1024u * 1024 * 1024)

int cmd_export(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{"at", required_argument, NULL, 'a'},
		{"format", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const unsigned formats = 1u << FORMAT_SERVICES | 1u << FORMAT_CSV | 1u << FORMAT_JSON;
	cli_format fmt = FORMAT_TEXT;
	const char *at = NULL;
	int have_format = 0, c, rc;
	store_snapshot snap = {0};
	registry_doc *doc = NULL;
	iw_buf out = IW_BUF_INIT(EXPORT_MAX_OUTPUT);
	int64_t id;

	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'a': at = optarg; break;
		case 'F':
			if ((rc = cli_parse_format(optarg, formats, &fmt)))
				return rc;
			have_format = 1;
			break;
		case 'h': fputs(export_usage, stdout); return EXIT_OK;
		default: return cli_bad_option("export", c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error("export", "unexpected argument '%s'", argv[optind]);
	if (!have_format)
		return cli_usage_error("export", "--format services, csv or json is required");
	if (at && !iw_date_valid(at))
		return cli_usage_error("export", "--at: '%s' is not a date (YYYY-MM-DD)", at);
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
	if ((out.len && fwrite(out.data, 1, out.len, stdout) != out.len) || fflush(stdout) != 0) {
		cli_error("cannot write the export to standard output");
		rc = EXIT_TROUBLE;
	}
out:
	iw_buf_free(&out);
	registry_doc_free(doc);
	store_snapshot_clear(&snap);
	return rc;
}
