/* cmd_check.c: `ianawatch check`: verify the database against the stored documents. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "common/banned.h"

static const char check_usage[] =
	"usage: ianawatch check [--sample N] [-q]\n\n"
	"Verifies the database without changing it: SQLite's integrity and foreign keys, the\n"
	"snapshot positions and history spans, every stored original document (rebuilt and\n"
	"matched against its SHA-256), and that each snapshot reconstructed from the spans equals\n"
	"a fresh parse of its document. Prints one line per problem and exits with status 5 when\n"
	"there is any.\n\n"
	"  --sample N   reconstruct only N snapshots, spread evenly and always with the newest\n"
	"               (default: every snapshot stored with its document)\n"
	"  -q, --quiet  print nothing when all is well\n"
	"  -h, --help   print this help\n";

static void check_print(void *arg, const char *problem)
{
	(void)arg;
	printf("%s\n", problem);
}

int cmd_check(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{"sample", required_argument, NULL, 's'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	store_check_result res;
	long sample = 0;
	int c, rc, quiet = 0;

	while ((c = getopt_long(argc, argv, ":qh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (cli_parse_long(optarg, 1, 1000000000L, &sample))
				return cli_usage_error("check", "--sample: '%s' is not a number from 1", optarg);
			break;
		case 'q': quiet = 1; break;
		case 'h': fputs(check_usage, stdout); return EXIT_OK;
		default: return cli_bad_option("check", c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error("check", "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open_store(ctx, STORE_READONLY)) != EXIT_OK)
		return rc;
	rc = store_check(ctx->st, (size_t)sample, check_print, NULL, &res);
	if (rc)
		return cli_fail(rc);
	if (!quiet) {
		if (res.compared < res.snapshots)
			printf("ok: %zu of %zu snapshots checked", res.compared, res.snapshots);
		else
			printf("ok: %zu snapshot%s checked", res.compared, res.compared == 1 ? "" : "s");
		if (res.no_raw)
			printf(" (%zu stored without their document: spans only)", res.no_raw);
		printf("\n");
	}
	return EXIT_OK;
}
