/* util.c: what every subcommand shares: opening the store, errors, exit statuses, options. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/banned.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fputs("ianawatch: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_exit_for(int code)
{
	switch (code) {
	case IW_OK: return EXIT_OK;
	case IW_EINVAL: return EXIT_USAGE;
	case IW_ENOTFOUND: return EXIT_NOTFOUND;
	case IW_EPARSE: return EXIT_DATA;
	case IW_EDB: return EXIT_DB;
	case IW_EBUSY: return EXIT_BUSY;
	case IW_ENET: return EXIT_NET;
	case IW_EREFUSED: return EXIT_REFUSED;
	default: return EXIT_TROUBLE;
	}
}

int cli_fail(int code)
{
	const char *msg = iw_error_last();
	cli_error("%s", *msg ? msg : "unknown error");
	return cli_exit_for(code);
}

int cli_open_store(cli_ctx *ctx, int flags)
{
	int rc;
	if (ctx->st)
		return EXIT_OK;
	rc = store_open(&ctx->st, ctx->db_path, flags);
	if (rc)
		return cli_fail(rc);
	return EXIT_OK;
}

int cli_parse_format(const char *s, unsigned allowed, cli_format *out)
{
	static const char *const names[] = {"text", "json", "markdown", "services", "csv"};
	iw_buf list = IW_BUF_INIT(256);
	size_t i;
	for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
		if (!(allowed & (1u << i)))
			continue;
		if (!strcmp(s, names[i])) {
			*out = (cli_format)i;
			iw_buf_free(&list);
			return EXIT_OK;
		}
		iw_buf_printf(&list, "%s%s", list.len ? ", " : "", names[i]);
	}
	cli_error("unknown format '%s' (expected one of: %s)", s, list.data ? list.data : "");
	iw_buf_free(&list);
	return EXIT_USAGE;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fprintf(stderr, "ianawatch %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see ianawatch %s --help)\n", cmd);
	return EXIT_USAGE;
}

int cli_bad_option(const char *cmd, int c, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "?";
	if (c == ':')
		return cli_usage_error(cmd, "option '%s' needs a value", arg);
	return cli_usage_error(cmd, "unknown option '%s'", arg);
}

int cli_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Where the helpers were installed, and the same folder relative to the folder of the
 * installed ianawatch (both set by cli/CMakeLists.txt from the install layout). */
#ifndef IANAWATCH_LIBEXECDIR
#define IANAWATCH_LIBEXECDIR "/usr/local/libexec/ianawatch"
#endif
#ifndef IANAWATCH_BIN_TO_LIBEXEC
#define IANAWATCH_BIN_TO_LIBEXEC "../libexec/ianawatch"
#endif

/* The folder of the running program, from argv[0] as POSIX shells and execvp() set it: a path
 * when it has a slash, else the first executable of that name on $PATH; symbolic links
 * resolved (realpath), so /usr/local/bin/ianawatch -> /opt/iw/bin/ianawatch finds /opt/iw.
 * /proc/self/exe (Linux) only when argv[0] does not lead to the program. 0 or -1. */
static int cli_self_dir(const char *argv0, char *dir, size_t size)
{
	char cand[PATH_MAX], real[PATH_MAX];
	const char *path, *p;
	char *slash;
	ssize_t n;

	real[0] = '\0';
	if (argv0 && strchr(argv0, '/')) {
		if (!realpath(argv0, real))
			real[0] = '\0';
	} else if (argv0 && *argv0 && (path = getenv("PATH"))) {
		p = path;
		while (!real[0]) {
			size_t len = strcspn(p, ":");
			/* An empty entry is the current folder. */
			int w = snprintf(cand, sizeof(cand), "%.*s/%s", len ? (int)len : 1,
			                 len ? p : ".", argv0);
			if (w > 0 && (size_t)w < sizeof(cand) && access(cand, X_OK) == 0 &&
			    !realpath(cand, real))
				real[0] = '\0';
			if (!p[len])
				break;
			p += len + 1;
		}
	}
	if (!real[0] && (n = readlink("/proc/self/exe", real, sizeof(real) - 1)) > 0)
		real[n] = '\0';
	if (!real[0] || !(slash = strrchr(real, '/')))
		return -1;
	*slash = '\0';
	return snprintf(dir, size, "%s", real[0] ? real : "/") < (int)size ? 0 : -1;
}

/* See cli.h. The first of: $IANAWATCH_EXEC_PATH/program; program beside the running one (the build
 * tree, and one helper running another); DIR/../libexec/ianawatch/program, where DIR holds
 * the running program (git's RUNTIME_PREFIX: an installed tree works from whatever prefix it
 * was installed or moved to); the configured libexec folder. */
void cli_program_path(const char *argv0, const char *program, char *path, size_t size)
{
	const char *env = getenv("IANAWATCH_EXEC_PATH");
	char self[PATH_MAX];

	if (env && *env) {
		snprintf(path, size, "%s/%s", env, program);
		if (access(path, X_OK) == 0)
			return;
	}
	if (cli_self_dir(argv0, self, sizeof(self)) == 0) {
		snprintf(path, size, "%s/%s", self, program);
		if (access(path, X_OK) == 0)
			return;
		snprintf(path, size, "%s/%s/%s", self, IANAWATCH_BIN_TO_LIBEXEC, program);
		if (access(path, X_OK) == 0)
			return;
	}
	snprintf(path, size, "%s/%s", IANAWATCH_LIBEXECDIR, program);
}

int cli_exec_program(cli_ctx *ctx, const char *program)
{
	char path[2 * PATH_MAX];

	cli_program_path(ctx->argv_all[0], program, path, sizeof(path));
	fflush(stdout);
	store_free(ctx->st);
	ctx->st = NULL;
	/* The helper finds its own folder (and the other helper) from its argv[0]. */
	ctx->argv_all[0] = path;
	execv(path, ctx->argv_all);
	cli_error("cannot run %s: %s (is ianawatch installed completely?)", path, strerror(errno));
	return EXIT_TROUBLE;
}
