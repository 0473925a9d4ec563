/* cmd_compare.c: `ianawatch compare`: a local services file checked against the registry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "watch/watch.h"
#include "common/banned.h"

#define COMPARE_OUTPUT_CAP (64u * 1024 * 1024)

static cli_format compare_format;
static const char *compare_at, *compare_port;
static int compare_missing;

static const cli_option compare_options[] = {
	CLI_OPTION_DATE(0, "at", &compare_at,
	                "the registry as published on DATE (YYYY-MM-DD); default the newest"),
	CLI_OPTION_FLAG(0, "missing", &compare_missing,
	                "also list what the registry assigns that the file lacks"),
	CLI_OPTION_STRING(0, "port", "RANGE", &compare_port,
	                  "with --missing: only ports N or N-M, optionally /tcp, /udp, ..."),
	CLI_OPTION_FORMAT(&compare_format,
	                  1L << FORMAT_TEXT | 1L << FORMAT_JSON | 1L << FORMAT_MARKDOWN,
	                  "text (default), json or markdown"),
	CLI_OPTION_HELP,
	CLI_OPTION_END,
};

static const cli_command_spec compare_spec = {
	"compare",
	"ianawatch compare FILE [--at DATE] [--missing [--port N[-M][/PROTO]]]\n"
	"                         [--format text|json|markdown]",
	"Checks a local services file (FILE, or - for standard input) against the registry: an\n"
	"/etc/services file (name port/proto aliases # comment) or nmap's nmap-services (name\n"
	"port/proto frequency # comment), told apart by content. Each name and alias of each\n"
	"line is one of: agrees (the registry assigns the name to the port and protocol; not\n"
	"listed), differs (the port is assigned to another name, or the name to another port),\n"
	"deassigned (the name had the port and lost it: the date and what it was), reserved\n"
	"(the port is Reserved), unknown (never in the registry; said once per name). Names\n"
	"compare case-insensitively. Lines on protocols the registry does not number (ddp) and\n"
	"nmap's \"unknown\" placeholders are ignored. A malformed line is reported on stderr as\n"
	"FILE:LINE and skipped.",
	compare_options,
	"Exit status: 0 the file agrees with the registry; 1 there are findings; 2 a bad command\n"
	"line or an unreadable FILE; 4 DATE is before the first snapshot or the database holds\n"
	"no snapshot; the other statuses of ianawatch(1) for database failures.",
	"give a services file", 1, NULL,
};

CLI_DEFINE_SPEC(compare, compare_spec)

static void cmd_compare_warn(void *arg, const char *file, unsigned line, const char *msg)
{
	(void)arg;
	fflush(stdout);
	fprintf(stderr, "ianawatch compare: %s:%u: %s\n", file, line, msg);
}

/* --port N[-M][/PROTO], read by the registry's own port parser. */
static int cmd_compare_parse_port(const char *arg, watch_compare_opts *o)
{
	const char *slash = strchr(arg, '/');
	size_t n = slash ? (size_t)(slash - arg) : strlen(arg);
	if (slash && (o->proto = registry_protocol_index_ci(slash + 1)) < 0)
		return cli_usage_error("--port: unknown protocol %s (expected tcp, udp, sctp or dccp)",
		                       cli_quote(slash + 1));
	if (registry_port_parse(arg, n, &o->port_lo, &o->port_hi) != REGISTRY_PORT_OK)
		return cli_usage_error("--port: bad port %s (expected N or N-M, 0 to %d, N <= M)",
		                       cli_quote(arg), REGISTRY_PORT_MAX);
	return EXIT_OK;
}

int cmd_compare(cli_ctx *ctx, int argc, char **argv)
{
	watch_compare_opts o;
	watch_services *file = NULL;
	watch_compare_result *r = NULL;
	cli_format format = FORMAT_TEXT;
	iw_buf out = IW_BUF_INIT(COMPARE_OUTPUT_CAP);
	const char *at = NULL, *port = NULL, *path;
	int n, rc, status = EXIT_OK;

	watch_compare_opts_init(&o);
	compare_format = FORMAT_TEXT;
	compare_at = compare_port = NULL;
	compare_missing = 0;
	if ((rc = cli_parse_options(&compare_spec, ctx, argc, argv, &n)) != CLI_PARSED)
		return rc;
	path = argv[1];
	o.missing = compare_missing;
	format = compare_format;
	at = compare_at;
	port = compare_port;
	if (port && !o.missing)
		return cli_usage_error("--port restricts --missing; give --missing too");
	if (port && (rc = cmd_compare_parse_port(port, &o)))
		return rc;
	if ((rc = watch_services_read(path, cmd_compare_warn, NULL, &file))) {
		fflush(stdout);
		fprintf(stderr, "ianawatch compare: %s\n", iw_error_last());
		return EXIT_TROUBLE;
	}
	if ((status = cli_open_store(ctx, STORE_READONLY)))
		goto out;
	rc = at ? store_at_date(ctx->st, at, &o.snapshot_id) : IW_OK;
	if (!rc)
		rc = watch_compare(ctx->st, file, &o, &r);
	if (!rc)
		rc = watch_compare_render(&out, r, strcmp(path, "-") ? path : "(standard input)",
		                          format == FORMAT_JSON ? WATCH_RENDER_JSON :
		                          format == FORMAT_MARKDOWN ? WATCH_RENDER_MARKDOWN :
		                          WATCH_RENDER_TEXT);
	if (rc) {
		status = cli_fail(rc);
		goto out;
	}
	if (cli_output(&out))
		status = EXIT_TROUBLE; /* main() reports the write error */
	else
		status = r->n ? EXIT_CHANGES : EXIT_OK;
out:
	iw_buf_free(&out);
	watch_compare_result_free(r);
	watch_services_free(file);
	return status;
}
