/* cmd_history.c: `ianawatch history`: every state a port, range or service name went through. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "history/history.h"
#include "common/banned.h"

/* Output is written out whenever this much has gathered, so a range of ports streams. */
#define HISTORY_FLUSH (64u * 1024)
#define HISTORY_OUTPUT_CAP (64u * 1024 * 1024)

static const char cmd_history_usage[] =
	"usage: ianawatch history PORT[/PROTO] | N-M[/PROTO] | NAME[/PROTO] [--format text|json]\n"
	"\n"
	"Every state a port (each port of a range N-M, or a service name) went through across the\n"
	"stored snapshots, oldest first: one row per run of consecutive snapshots in the same\n"
	"state, from the registry date of its first snapshot to that of its last (\"now\" when it\n"
	"runs to the latest). The state of a port is its status (assigned, reserved, unassigned),\n"
	"the entries covering it with all their fields, and the description and notes of the\n"
	"other records covering it (Reserved, Unassigned); a mere split of an Unassigned range is\n"
	"no new state. Without /PROTO: every protocol of tcp, udp, sctp and dccp that some record\n"
	"ever covered. A service name's state on a protocol is its entries there: assigned (one\n"
	"has a port), registered (none has a port) or absent. Names are matched exactly.\n"
	"\n"
	"  --format F   text (default) or json: {\"snapshots\": N, \"rows\": [{\"port\" (or \"name\"),\n"
	"               \"protocol\", \"from\": SNAP, \"to\": SNAP, \"status\", \"entries\": [RECORD],\n"
	"               \"other_records\", \"people\"}, ...]}, SNAP and RECORD as in `diff`\n"
	"  -h, --help   this help\n"
	"\n"
	"Exit status: 0 done; 2 a bad command line (a port above 65535, an unknown protocol, an\n"
	"empty name); 4 no record ever covered the port, no snapshot holds the name, or the\n"
	"database holds no snapshot; the other statuses of ianawatch(1) for database failures.\n";

typedef struct cmd_history_out {
	cli_format format;
	iw_buf buf;
	size_t timelines, rows;
} cmd_history_out;

static void cmd_history_flush(iw_buf *b)
{
	if (b->len)
		fwrite(b->data, 1, b->len, stdout);
	iw_buf_reset(b);
}

static int cmd_history_timeline(const history_timeline *t, void *arg)
{
	cmd_history_out *o = arg;
	size_t i;
	int rc = IW_OK;

	if (o->format == FORMAT_JSON) {
		/* Opened with the first timeline: nothing at all is printed when nothing is found. */
		if (!o->timelines)
			rc = iw_buf_printf(&o->buf, "{\"snapshots\": %zu, \"rows\": [\n", t->nsnaps);
		for (i = 0; i < t->nrows && !rc; i++) {
			if (o->rows++ && (rc = iw_buf_adds(&o->buf, ",\n")))
				break;
			if (!(rc = iw_buf_addc(&o->buf, '{')) &&
			    !(rc = history_render_json(&o->buf, t, &t->rows[i], 1)))
				rc = iw_buf_addc(&o->buf, '}');
		}
	} else {
		if (o->timelines && (rc = iw_buf_addc(&o->buf, '\n')))
			return rc;
		rc = history_render_text(&o->buf, t, 0);
	}
	o->timelines++;
	if (!rc && o->buf.len >= HISTORY_FLUSH)
		cmd_history_flush(&o->buf);
	return rc;
}

int cmd_history(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	cmd_history_out o;
	history_query q;
	int c, rc;

	o.format = FORMAT_TEXT;
	o.timelines = o.rows = 0;
	iw_buf_init(&o.buf, HISTORY_OUTPUT_CAP);
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'F':
			if ((rc = cli_parse_format(optarg, 1u << FORMAT_TEXT | 1u << FORMAT_JSON,
			                           &o.format)))
				return rc;
			break;
		case 'h': fputs(cmd_history_usage, stdout); return EXIT_OK;
		default: return cli_bad_option("history", c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error("history", "give a port, a range N-M or a service name");
	if (optind + 1 < argc)
		return cli_usage_error("history", "unexpected argument '%s'", argv[optind + 1]);
	if (history_parse_target(argv[optind], HISTORY_ALLOW_RANGE, &q))
		return cli_usage_error("history", "%s", iw_error_last());
	if ((rc = cli_open_store(ctx, STORE_READONLY)))
		return rc;
	rc = history_run(ctx->st, &q, 0, cmd_history_timeline, &o);
	if (!rc && o.format == FORMAT_JSON)
		rc = iw_buf_adds(&o.buf, "\n]}\n");
	cmd_history_flush(&o.buf);
	iw_buf_free(&o.buf);
	return rc ? cli_fail(rc) : EXIT_OK;
}
