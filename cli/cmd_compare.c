/* cmd_compare.c: `ianawatch compare`: a local services file checked against the registry. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "watch/watch.h"
#include "common/banned.h"

#define COMPARE_OUTPUT_CAP (64u * 1024 * 1024)

static const char cmd_compare_usage[] =
	"usage: ianawatch compare FILE [--at DATE] [--missing [--port N[-M][/PROTO]]]\n"
	"                         [--format text|json|markdown]\n"
	"\n"
	"Checks a local services file (FILE, or - for standard input) against the registry: an\n"
	"/etc/services file (name port/proto aliases # comment) or nmap's nmap-services (name\n"
	"port/proto frequency # comment), told apart by content. Each name and alias of each\n"
	"line is one of: agrees (the registry assigns the name to the port and protocol; not\n"
	"listed), differs (the port is assigned to another name, or the name to another port),\n"
	"deassigned (the name had the port and lost it: the date and what it was), reserved\n"
	"(the port is Reserved), unknown (never in the registry; said once per name). Names\n"
	"compare case-insensitively. Lines on protocols the registry does not number (ddp) and\n"
	"nmap's \"unknown\" placeholders are ignored. A malformed line is reported on stderr as\n"
	"FILE:LINE and skipped.\n"
	"\n"
	"  --at DATE     the registry as published on DATE (YYYY-MM-DD); default the newest\n"
	"  --missing     also list what the registry assigns that the file lacks\n"
	"  --port RANGE  with --missing: only ports N or N-M, optionally /tcp, /udp, ...\n"
	"  --format F    text (default), json or markdown\n"
	"  -h, --help    this help\n"
	"\n"
	"Exit status: 0 the file agrees with the registry; 1 there are findings; 2 a bad command\n"
	"line or an unreadable FILE; 4 DATE is before the first snapshot or the database holds\n"
	"no snapshot; the other statuses of ianawatch(1) for database failures.\n";

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
		return cli_usage_error("compare", "unknown protocol '%s' (expected tcp, udp, sctp or dccp)",
		                       slash + 1);
	if (registry_port_parse(arg, n, &o->port_lo, &o->port_hi) != REGISTRY_PORT_OK)
		return cli_usage_error("compare", "bad port '%.*s' (expected N or N-M, 0 to %d, N <= M)",
		                       (int)n, arg, REGISTRY_PORT_MAX);
	return EXIT_OK;
}

int cmd_compare(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{"at", required_argument, NULL, 'a'},
		{"missing", no_argument, NULL, 'm'},
		{"port", required_argument, NULL, 'p'},
		{"format", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	watch_compare_opts o;
	watch_services *file = NULL;
	watch_compare_result *r = NULL;
	cli_format format = FORMAT_TEXT;
	iw_buf out = IW_BUF_INIT(COMPARE_OUTPUT_CAP);
	const char *at = NULL, *port = NULL, *path;
	int c, rc, status = EXIT_OK;

	watch_compare_opts_init(&o);
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'a': at = optarg; break;
		case 'm': o.missing = 1; break;
		case 'p': port = optarg; break;
		case 'F':
			if ((rc = cli_parse_format(optarg, 1u << FORMAT_TEXT | 1u << FORMAT_JSON |
			                                   1u << FORMAT_MARKDOWN, &format)))
				return rc;
			break;
		case 'h': fputs(cmd_compare_usage, stdout); return EXIT_OK;
		default: return cli_bad_option("compare", c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error("compare", "give a services file");
	if (optind + 1 < argc)
		return cli_usage_error("compare", "unexpected argument '%s'", argv[optind + 1]);
	path = argv[optind];
	if (at && !iw_date_valid(at))
		return cli_usage_error("compare", "--at '%s' is not a date YYYY-MM-DD", at);
	if (port && !o.missing)
		return cli_usage_error("compare", "--port restricts --missing; give --missing too");
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
	fwrite(out.data, 1, out.len, stdout);
	status = r->n ? EXIT_CHANGES : EXIT_OK;
out:
	iw_buf_free(&out);
	watch_compare_result_free(r);
	watch_services_free(file);
	return status;
}
