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

#ifndef IANAWATCH_LIBEXECDIR
#define IANAWATCH_LIBEXECDIR "/usr/local/libexec/ianawatch"
#endif

int cli_exec_program(cli_ctx *ctx, const char *program)
{
	char self[PATH_MAX], path[PATH_MAX + 64];
	const char *env = getenv("IANAWATCH_EXEC_PATH");
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	path[0] = '\0';
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')))
			*slash = '\0';
		snprintf(path, sizeof(path), "%s/%s", self, program);
	}
	if ((!path[0] || access(path, X_OK) != 0) && env && *env)
		snprintf(path, sizeof(path), "%s/%s", env, program);
	if (!path[0] || access(path, X_OK) != 0)
		snprintf(path, sizeof(path), "%s/%s", IANAWATCH_LIBEXECDIR, program);
	fflush(stdout);
	store_free(ctx->st);
	ctx->st = NULL;
	execv(path, ctx->argv_all);
	cli_error("cannot run %s: %s (is ianawatch installed completely?)", path, strerror(errno));
	return EXIT_TROUBLE;
}
