/* cmd_show.c: `ianawatch show`: a port or service name as the registry stood on a date. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "history/history.h"
#include "reports/reports.h"
#include "common/banned.h"

#define SHOW_OUTPUT_CAP (16u * 1024 * 1024)

static cli_format show_format;
static const char *show_at;

static const cli_option show_options[] = {
	CLI_OPTION_DATE(0, "at", &show_at,
	                "YYYY-MM-DD; a date before the first snapshot is an error"),
	CLI_OPTION_FORMAT(&show_format, 1L << FORMAT_TEXT | 1L << FORMAT_JSON,
	                  "text (default) or json: for PORT/PROTO {\"snapshot\": SNAP, \"port\",\n"
	                  "\"protocol\", \"status\", \"entries\": [RECORD], \"other_records\",\n"
	                  "\"people\"}; otherwise {\"snapshot\": SNAP, \"states\": [{the same\n"
	                  "members}, ...]}; SNAP and RECORD as in `diff`"),
	CLI_OPTION_HELP,
	CLI_OPTION_END,
};

static const cli_command_spec show_spec = {
	"show",
	"ianawatch show PORT[/PROTO] | NAME[/PROTO] [--at DATE] [--format text|json]",
	"A port or a service name as the registry stood in one snapshot: the latest, or with\n"
	"--at the registry as IANA published it on DATE (the latest snapshot whose registry date\n"
	"is on or before DATE; ties: the latest observed). A port's status (assigned, reserved,\n"
	"unassigned), every field of the entries covering it, and the other records covering it\n"
	"(Reserved, Unassigned); without /PROTO, every protocol of tcp, udp, sctp and dccp that\n"
	"some record ever covered. A name: its entries per protocol, with status assigned,\n"
	"registered (no port) or absent. Person references show the person's name and\n"
	"organisation as that snapshot records them. Every port has a status: one no record\n"
	"covers is unassigned (ports 49152-65535 are the registry's Dynamic/Private range, never\n"
	"assigned). Names are matched case-insensitively, as DNS labels are; an unknown name\n"
	"gets up to three suggestions. A DATE after the newest snapshot shows the newest and\n"
	"says on stderr where the data ends.",
	show_options,
	"Exit status: 0 done; 2 a bad command line (a port above 65535, an unknown protocol, an\n"
	"empty name, a malformed date) or the output could not be written; 4 DATE is before the\n"
	"first snapshot, no snapshot holds the name, or the database holds no snapshot; the other statuses of ianawatch(1) for database failures.",
	"give a port or a service name", 1, NULL,
};

CLI_DEFINE_SPEC(show, show_spec)

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

	if (o->format == FORMAT_JSON) {
		if (!o->timelines) {
			iw_buf_adds(&o->buf, "{\"snapshot\": ");
			store_json_snapshot(&o->buf, snap);
			iw_buf_adds(&o->buf, o->single ? ", " : ", \"states\": [\n{");
		} else {
			iw_buf_adds(&o->buf, "},\n{");
		}
		history_render_json(&o->buf, t, row, 0);
	} else {
		if (!o->timelines)
			iw_buf_printf(&o->buf, "as of %s (snapshot %lld, observed %s)\n",
			              snap->registry_updated, (long long)snap->id, snap->observed_at);
		iw_buf_addc(&o->buf, '\n');
		history_render_text(&o->buf, t, 1);
	}
	o->timelines++;
	return iw_buf_error(&o->buf);
}

/* A date past the newest snapshot answers with the newest: say where the data ends, since the
 * registry may have changed since. */
static int cmd_show_data_ends(store *st, int64_t id, const char *date)
{
	store_snapshot snap = {0};
	int rc = store_get_snapshot(st, id, &snap);
	int64_t *ids = NULL;
	size_t n = 0;
	if (!rc)
		rc = store_positions(st, &ids, &n);
	if (!rc && n && ids[n - 1] == id && strcmp(date, snap.registry_updated) > 0)
		cli_note_history_ends(&snap);
	free(ids);
	store_snapshot_clear(&snap);
	return rc;
}

int cmd_show(cli_ctx *ctx, int argc, char **argv)
{
	cmd_show_out o;
	history_query q;
	int64_t id = HISTORY_LATEST;
	int n, rc;

	show_format = FORMAT_TEXT;
	show_at = NULL;
	if ((rc = cli_parse_options(&show_spec, ctx, argc, argv, &n)) != CLI_PARSED)
		return rc;
	if (strlen(argv[1]) > 4 * CLI_QUOTE_MAX)
		return cli_usage_error("%s is too long for a port or a service name", cli_quote(argv[1]));
	if (history_parse_target(argv[1], 0, &q))
		return cli_usage_error("%s", iw_error_last());
	if ((rc = cli_open_store(ctx, STORE_READONLY)))
		return rc;
	o.format = show_format;
	o.single = !q.name[0] && q.proto >= 0;
	o.timelines = 0;
	iw_buf_init(&o.buf, SHOW_OUTPUT_CAP);
	rc = show_at ? store_at_date(ctx->st, show_at, &id) : IW_OK;
	if (!rc && show_at)
		rc = cmd_show_data_ends(ctx->st, id, show_at);
	if (!rc)
		rc = history_run(ctx->st, &q, id, cmd_show_timeline, &o);
	if (!rc && o.format == FORMAT_JSON)
		iw_buf_adds(&o.buf, o.single ? "}\n" : "}\n]}\n");
	rc = cli_finish(rc, &o.buf, EXIT_OK);
	iw_buf_free(&o.buf);
	return rc;
}
