/* cmd_show.c: `ianawatch show`: a port or service name as the registry stood on a date. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "history/history.h"
#include "reports/reports.h"
#include "common/banned.h"

#define SHOW_OUTPUT_CAP (16u * 1024 * 1024)

static const char cmd_show_usage[] =
	"usage: ianawatch show PORT[/PROTO] | NAME[/PROTO] [--at DATE] [--format text|json]\n"
	"\n"
	"A port or a service name as the registry stood in one snapshot: the latest, or with\n"
	"--at the registry as IANA published it on DATE (the latest snapshot whose registry date\n"
	"is on or before DATE; ties: the latest observed). A port's status (assigned, reserved,\n"
	"unassigned), every field of the entries covering it, and the other records covering it\n"
	"(Reserved, Unassigned); without /PROTO, every protocol of tcp, udp, sctp and dccp that\n"
	"some record ever covered. A name: its entries per protocol, with status assigned,\n"
	"registered (no port) or absent. Person references show the person's name and\n"
	"organisation as that snapshot records them. Names are matched exactly.\n"
	"\n"
	"  --at DATE    YYYY-MM-DD; a date before the first snapshot is an error\n"
	"  --format F   text (default) or json: for PORT/PROTO {\"snapshot\": SNAP, \"port\",\n"
	"               \"protocol\", \"status\", \"entries\": [RECORD], \"other_records\",\n"
	"               \"people\"}; otherwise {\"snapshot\": SNAP, \"states\": [{the same\n"
	"               members}, ...]}; SNAP and RECORD as in `diff`\n"
	"  -h, --help   this help\n"
	"\n"
	"Exit status: 0 done; 2 a bad command line (a port above 65535, an unknown protocol, an\n"
	"empty name, a malformed date); 4 DATE is before the first snapshot, no record ever\n"
	"covered the port, no snapshot holds the name, or the database holds no snapshot; the\n"
	"other statuses of ianawatch(1) for database failures.\n";

typedef struct cmd_show_out {
	cli_format format;
	int single;        /* PORT/PROTO: one flat object */
	iw_buf buf;
	size_t timelines;
} cmd_show_out;

static int cmd_show_timeline(const history_timeline *t, void *arg)
{
	cmd_show_out *o = arg;
	const history_row *row = &t->rows[0];
	const store_snapshot *snap = &t->snaps[row->first_pos - 1];
	int rc = IW_OK;

	if (o->format == FORMAT_JSON) {
		if (!o->timelines)
			rc = iw_buf_adds(&o->buf, "{\"snapshot\": ") || store_json_snapshot(&o->buf, snap) ||
			     iw_buf_adds(&o->buf, o->single ? ", " : ", \"states\": [\n{");
		else
			rc = iw_buf_adds(&o->buf, "},\n{");
		if (!rc)
			rc = history_render_json(&o->buf, t, row, 0);
	} else {
		if (!o->timelines)
			rc = iw_buf_printf(&o->buf, "as of %s (snapshot %lld, observed %s)\n",
			                   snap->registry_updated, (long long)snap->id, snap->observed_at);
		if (!rc)
			rc = iw_buf_addc(&o->buf, '\n') || history_render_text(&o->buf, t, 1);
	}
	o->timelines++;
	return rc ? IW_ENOMEM : IW_OK;
}

int cmd_show(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{"at", required_argument, NULL, 'a'},
		{"format", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	cmd_show_out o;
	history_query q;
	const char *at = NULL;
	int64_t id = HISTORY_LATEST;
	int c, rc;

	o.format = FORMAT_TEXT;
	o.timelines = 0;
	iw_buf_init(&o.buf, SHOW_OUTPUT_CAP);
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'a': at = optarg; break;
		case 'F':
			if ((rc = cli_parse_format(optarg, 1u << FORMAT_TEXT | 1u << FORMAT_JSON,
			                           &o.format)))
				return rc;
			break;
		case 'h': fputs(cmd_show_usage, stdout); return EXIT_OK;
		default: return cli_bad_option("show", c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error("show", "give a port or a service name");
	if (optind + 1 < argc)
		return cli_usage_error("show", "unexpected argument '%s'", argv[optind + 1]);
	if (history_parse_target(argv[optind], 0, &q))
		return cli_usage_error("show", "%s", iw_error_last());
	if (at && !iw_date_valid(at))
		return cli_usage_error("show", "--at '%s' is not a date YYYY-MM-DD", at);
	o.single = !q.name[0] && q.proto >= 0;
	if ((rc = cli_open_store(ctx, STORE_READONLY)))
		return rc;
	rc = at ? store_at_date(ctx->st, at, &id) : IW_OK;
	if (!rc)
		rc = history_run(ctx->st, &q, id, cmd_show_timeline, &o);
	if (!rc && o.format == FORMAT_JSON)
		rc = iw_buf_adds(&o.buf, o.single ? "}\n" : "}\n]}\n");
	if (!rc && o.buf.len)
		fwrite(o.buf.data, 1, o.buf.len, stdout);
	iw_buf_free(&o.buf);
	return rc ? cli_fail(rc) : EXIT_OK;
}
