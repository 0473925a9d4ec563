/* cmd_check.c: `ianawatch check`: verify the database against the stored documents. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "common/banned.h"

static long check_sample;

static const cli_option check_options[] = {
	CLI_OPTION_LONG(0, "sample", "N", &check_sample, 1, 1000000000L,
	                "reconstruct only N snapshots, spread evenly and always with the newest\n"
	                "(default: every snapshot stored with its document)"),
	CLI_OPTION_QUIET("print nothing when all is well"),
	CLI_OPTION_HELP,
	CLI_OPTION_END,
};

static const cli_command_spec check_spec = {
	"check",
	"ianawatch check [--sample N] [-q]",
	"Verifies the database without changing it: SQLite's integrity and foreign keys, the\n"
	"snapshot positions and history spans, every stored original document (rebuilt and\n"
	"matched against its SHA-256), and that each snapshot reconstructed from the spans equals\n"
	"a fresh parse of its document. Prints one line per problem and exits with status 5 when\n"
	"there is any.",
	check_options,
	"Exit status: 0 no problem; 2 a bad command line or output that could not be written;\n"
	"4 no database; 5 a problem was found, or the database is unusable.",
	NULL, 0, NULL,
};

CLI_DEFINE_SPEC(check, check_spec)

static void check_print(void *arg, const char *problem)
{
	(void)arg;
	printf("%s\n", problem);
}

int cmd_check(cli_ctx *ctx, int argc, char **argv)
{
	store_check_result res;
	int n, rc;

	check_sample = 0;
	if ((rc = cli_parse_options(&check_spec, ctx, argc, argv, &n)) != CLI_PARSED)
		return rc;
	if ((rc = cli_open_store(ctx, STORE_READONLY)) != EXIT_OK)
		return rc;
	rc = store_check(ctx->st, (size_t)check_sample, check_print, NULL, &res);
	if (rc)
		return cli_fail(rc);
	if (!ctx->quiet) {
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
