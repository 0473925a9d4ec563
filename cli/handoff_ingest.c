/* handoff_ingest.c: in ianawatch, import and check run in ianawatch-ingest (see cli.h). */
#include "cli/cli.h"
#include "common/banned.h"

int cmd_import(cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_exec_program(ctx, CLI_INGEST_PROGRAM);
}

int cmd_check(cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_exec_program(ctx, CLI_INGEST_PROGRAM);
}
