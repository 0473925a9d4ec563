/* ingest_exec.c: in ianawatch, the commands that read documents run in ianawatch-ingest (cli.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

#ifndef IANAWATCH_LIBEXECDIR
#define IANAWATCH_LIBEXECDIR "/usr/local/libexec/ianawatch"
#endif

/* ianawatch-ingest next to this program (a build tree), else where it is installed. */
static int ingest_exec(cli_ctx *ctx)
{
	char self[PATH_MAX], path[PATH_MAX + 32];
	const char *env = getenv("IANAWATCH_INGEST");
	ssize_t n;

	fflush(stdout);
	if (env && *env) {
		snprintf(path, sizeof(path), "%s", env);
	} else if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) > 0) {
		char *slash;
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash)
			*slash = '\0';
		snprintf(path, sizeof(path), "%s/%s", self, CLI_INGEST_PROGRAM);
		if (access(path, X_OK) != 0)
			snprintf(path, sizeof(path), "%s/%s", IANAWATCH_LIBEXECDIR, CLI_INGEST_PROGRAM);
	} else {
		snprintf(path, sizeof(path), "%s/%s", IANAWATCH_LIBEXECDIR, CLI_INGEST_PROGRAM);
	}
	store_free(ctx->st);
	ctx->st = NULL;
	execv(path, ctx->argv_all);
	cli_error("cannot run %s: %s (is ianawatch installed completely?)", path, strerror(errno));
	return EXIT_TROUBLE;
}

int cmd_import(cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return ingest_exec(ctx);
}

int cmd_import_git(cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return ingest_exec(ctx);
}

int cmd_fetch(cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return ingest_exec(ctx);
}

int cmd_check(cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return ingest_exec(ctx);
}
