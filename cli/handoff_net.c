/* handoff_net.c: in ianawatch, fetch, import-git and notify run in ianawatch-net (see cli.h). */
#include "cli/cli.h"
#include "common/banned.h"

int cmd_fetch(cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_exec_program(ctx, CLI_NET_PROGRAM);
}

int cmd_import_git(cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_exec_program(ctx, CLI_NET_PROGRAM);
}

int cmd_notify(cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_exec_program(ctx, CLI_NET_PROGRAM);
}
