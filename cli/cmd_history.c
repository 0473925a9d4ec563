/* cmd_history.c: `ianawatch history`: every state a port, range or service name went through. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "history/history.h"
#include "common/banned.h"

/* Output is written out whenever this much has gathered, so a range of ports streams. */
#define HISTORY_FLUSH (64u * 1024)
#define HISTORY_OUTPUT_CAP (64u * 1024 * 1024)

static cli_format history_format;

static const cli_option history_options[] = {
	CLI_OPTION_FORMAT(
	    &history_format, 1L << FORMAT_TEXT | 1L << FORMAT_JSON,
	    "text (default) or json: {\"snapshots\": N, \"rows\": [{\"port\" (or \"name\"),\n"
	    "\"protocol\", \"from\": SNAP, \"to\": SNAP, \"status\", \"entries\": [RECORD],\n"
	    "\"other_records\", \"people\"}, ...]}, SNAP and RECORD as in `diff`"),
	CLI_OPTION_HELP,
	CLI_OPTION_END,
};

static const cli_command_spec history_spec = {
	"history",
	"ianawatch history PORT[/PROTO] | N-M[/PROTO] | NAME[/PROTO] [--format text|json]",
	"Every state a port (each port of a range N-M, or a service name) went through across the\n"
	"stored snapshots, oldest first: one row per run of consecutive snapshots in the same\n"
	"state, from the registry date of its first snapshot to that of its last (\"now\" when it\n"
	"runs to the latest). The state of a port is its status (assigned, reserved, unassigned),\n"
	"the entries covering it with all their fields, and the description and notes of the\n"
	"other records covering it (Reserved, Unassigned); a mere split of an Unassigned range is\n"
	"no new state. Without /PROTO: every protocol of tcp, udp, sctp and dccp that some record\n"
	"ever covered. A service name's state on a protocol is its entries there: assigned (one\n"
	"has a port), registered (none has a port) or absent. Names are matched\n"
	"case-insensitively, as DNS labels are (3com-nsd finds 3Com-nsd); an unknown name gets up\n"
	"to three suggestions. Notes are shown whole, wrapped; the registry's registration and\n"
	"modification dates follow an entry when it has them; a row that begins with the first\n"
	"stored snapshot says so, since the state may be older.",
	history_options,
	"Exit status: 0 done; 2 a bad command line (a port above 65535, an unknown protocol, an\n"
	"empty name) or the output could not be written; 4 no record ever covered the port (ports\n"
	"49152-65535 are the registry's Dynamic/Private range, never assigned), no snapshot holds\n"
	"the name, or the database holds no snapshot; the other statuses of\n"
	"ianawatch(1) for database failures.",
	"give a port, a range N-M or a service name", 1, NULL,
};

CLI_DEFINE_SPEC(history, history_spec)

typedef struct cmd_history_out {
	cli_format format;
	iw_buf buf;
	size_t timelines, rows;
} cmd_history_out;

/* A failed write stops the run: the rest would be lost too (main() says why). */
static int cmd_history_flush(iw_buf *b)
{
	int rc = iw_buf_error(b);
	if (rc == IW_OK && cli_output(b))
		rc = iw_error_set(IW_EIO, "write error");
	iw_buf_reset(b);
	return rc;
}

static int cmd_history_timeline(const history_timeline *t, void *arg)
{
	cmd_history_out *o = arg;
	size_t i;

	if (o->format == FORMAT_JSON) {
		/* Opened with the first timeline: nothing at all is printed when nothing is found. */
		if (!o->timelines)
			iw_buf_printf(&o->buf, "{\"snapshots\": %zu, \"rows\": [\n", t->nsnaps);
		for (i = 0; i < t->nrows; i++) {
			if (o->rows++)
				iw_buf_adds(&o->buf, ",\n");
			iw_buf_addc(&o->buf, '{');
			history_render_json(&o->buf, t, &t->rows[i], 1);
			iw_buf_addc(&o->buf, '}');
		}
	} else {
		if (o->timelines)
			iw_buf_addc(&o->buf, '\n');
		history_render_text(&o->buf, t, 0);
	}
	o->timelines++;
	if (iw_buf_error(&o->buf))
		return iw_buf_error(&o->buf);
	return o->buf.len >= HISTORY_FLUSH ? cmd_history_flush(&o->buf) : IW_OK;
}

int cmd_history(cli_ctx *ctx, int argc, char **argv)
{
	cmd_history_out o;
	history_query q;
	int n, rc;

	history_format = FORMAT_TEXT;
	if ((rc = cli_parse_options(&history_spec, ctx, argc, argv, &n)) != CLI_PARSED)
		return rc;
	if (strlen(argv[1]) > 4 * CLI_QUOTE_MAX)
		return cli_usage_error("%s is too long for a port or a service name", cli_quote(argv[1]));
	if (history_parse_target(argv[1], HISTORY_ALLOW_RANGE, &q))
		return cli_usage_error("%s", iw_error_last());
	if ((rc = cli_open_store(ctx, STORE_READONLY)))
		return rc;
	o.format = history_format;
	o.timelines = o.rows = 0;
	iw_buf_init(&o.buf, HISTORY_OUTPUT_CAP);
	rc = history_run(ctx->st, &q, 0, cmd_history_timeline, &o);
	if (!rc && o.format == FORMAT_JSON)
		iw_buf_adds(&o.buf, "\n]}\n");
	if (!rc)
		rc = cmd_history_flush(&o.buf);
	iw_buf_free(&o.buf);
	if (rc == IW_EIO && ferror(stdout))
		return EXIT_TROUBLE; /* main() reports the write error */
	return rc ? cli_fail(rc) : EXIT_OK;
}
