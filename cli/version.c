/* version.c: `--version`: the version and the libraries each of the three programs runs with.
 * Compiled into each program with IANAWATCH_PROGRAM set (cli/CMakeLists.txt), so that it names
 * only the libraries that program links: ianawatch asks its helpers for their line. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/store.h"
#if IANAWATCH_PROGRAM >= 1
#include "registry/registry.h"
#endif
#if IANAWATCH_PROGRAM >= 2
#include "fetch/fetch.h"
#include "gitsrc/gitsrc.h"
#endif
#include "common/banned.h"

#if IANAWATCH_PROGRAM == 0
/* Runs `helper --version`, which prints its own line; 0, or -1 after saying why not. */
static int cli_version_helper(const char *argv0, const char *program)
{
	char path[2 * PATH_MAX];
	char *argv[3];
	pid_t pid;
	int status;

	cli_program_path(argv0, program, path, sizeof(path));
	argv[0] = path;
	argv[1] = "--version";
	argv[2] = NULL;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		cli_error("cannot run %s: %s", path, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		execv(path, argv);
		cli_error("cannot run %s: %s (is ianawatch installed completely?)", path,
		          strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
#endif

int cli_version(cli_ctx *ctx)
{
	int rc = EXIT_OK;
#if IANAWATCH_PROGRAM == 0
	printf("ianawatch %s: %s\n", IANAWATCH_VERSION, store_library_versions());
	if (cli_version_helper(ctx->argv_all[0], CLI_INGEST_PROGRAM) ||
	    cli_version_helper(ctx->argv_all[0], CLI_NET_PROGRAM))
		rc = EXIT_TROUBLE;
#elif IANAWATCH_PROGRAM == 1
	(void)ctx;
	printf("%s %s: %s, %s\n", CLI_INGEST_PROGRAM, IANAWATCH_VERSION, registry_library_version(),
	       store_library_versions());
#else
	(void)ctx;
	printf("%s %s: %s, %s, %s, %s\n", CLI_NET_PROGRAM, IANAWATCH_VERSION,
	       fetch_library_version(), gitsrc_library_version(), registry_library_version(),
	       store_library_versions());
#endif
	return fflush(stdout) == 0 && !ferror(stdout) ? rc : EXIT_TROUBLE;
}
