/* cmd_snapshots.c: `ianawatch snapshots`: list the stored snapshots, oldest first. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "common/banned.h"

static const char snapshots_usage[] =
	"usage: ianawatch snapshots [--format text|json]\n\n"
	"Lists the stored snapshots, oldest first: id, registry date, observed time, records,\n"
	"SHA-256 and source.\n\n"
	"  --format F   text (default) or json: an array of objects with id, registry_updated,\n"
	"               observed_at, sha256, size, record_count, person_count, source, raw\n"
	"  -h, --help   print this help\n";

int cmd_snapshots(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	cli_format fmt = FORMAT_TEXT;
	store_snapshot *v = NULL;
	iw_buf out = IW_BUF_INIT(SIZE_MAX / 2);
	size_t n = 0, i;
	int c, rc;

	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'F':
			if ((rc = cli_parse_format(optarg, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, &fmt)))
				return rc;
			break;
		case 'h': fputs(snapshots_usage, stdout); return EXIT_OK;
		default: return cli_bad_option("snapshots", c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error("snapshots", "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open_store(ctx, STORE_READONLY)))
		return rc;
	if ((rc = store_list_snapshots(ctx->st, &v, &n)))
		return cli_fail(rc);
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
	if (out.data)
		fwrite(out.data, 1, out.len, stdout);
	iw_buf_free(&out);
	store_snapshots_free(v, n);
	return EXIT_OK;
}
