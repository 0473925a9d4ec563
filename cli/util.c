/* util.c: what every subcommand shares: opening the store, messages, exit statuses, output. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "history/history.h"
#include "common/banned.h"

const char *cli_command_name;

/* The errno of the first failed write to stdout, for the one message main() prints. */
static int cli_write_errno;

/* The message prefix: every line a command prints on stderr names the command. What stdout
 * holds goes out first, so that the two streams interleave in order. */
static void cli_prefix(void)
{
	errno = 0;
	if (fflush(stdout) != 0 && !cli_write_errno)
		cli_write_errno = errno ? errno : EIO;
	if (cli_command_name)
		fprintf(stderr, "ianawatch %s: ", cli_command_name);
	else
		fputs("ianawatch: ", stderr);
}

/* "ianawatch COMMAND: " and the message, without the end of line. */
static void cli_vmessage(const char *fmt, va_list ap) IW_PRINTF(1, 0);
static void cli_vmessage(const char *fmt, va_list ap)
{
	cli_prefix();
	vfprintf(stderr, fmt, ap);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cli_vmessage(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *cli_quote(const char *s)
{
	/* Rotating, so that one message can quote several arguments. */
	static char bufs[4][CLI_QUOTE_MAX + 8];
	static unsigned next;
	char *b = bufs[next++ % 4];
	size_t n = strlen(s);
	if (n <= CLI_QUOTE_MAX)
		snprintf(b, sizeof(bufs[0]), "'%s'", s);
	else
		snprintf(b, sizeof(bufs[0]), "'%.*s...'", CLI_QUOTE_MAX, s);
	return b;
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

int cli_read_snapshots(cli_ctx *ctx, store_snapshot **snaps, size_t *n)
{
	int rc;

	*snaps = NULL;
	*n = 0;
	if ((rc = store_read_begin(ctx->st)))
		return rc;
	if ((rc = store_list_snapshots(ctx->st, snaps, n)) == IW_OK && !*n)
		rc = iw_error_set(IW_ENOTFOUND, "the database holds no snapshot yet");
	if (rc) {
		store_snapshots_free(*snaps, *n);
		*snaps = NULL;
		*n = 0;
		store_read_end(ctx->st);
	}
	return rc;
}

void cli_note_history_ends(const store_snapshot *newest)
{
	cli_error("the history ends at %s (snapshot %lld)", newest->registry_updated,
	          (long long)newest->id);
}

void cli_note_unknown_name(cli_ctx *ctx, const char *name)
{
	/* A database failure here would only hide a hint: the command's answer stands. */
	if (name && ctx->st && history_name_known(ctx->st, name) == IW_ENOTFOUND)
		cli_error("--name: %s", iw_error_last());
}

int cli_query(cli_ctx *ctx, size_t cap, cli_query_fn run, void *arg)
{
	store_snapshot *snaps = NULL;
	size_t n = 0;
	iw_buf out;
	int rc, status = EXIT_OK;

	if ((rc = cli_open_store(ctx, STORE_READONLY)))
		return rc;
	iw_buf_init(&out, cap);
	if ((rc = cli_read_snapshots(ctx, &snaps, &n)) == IW_OK) {
		rc = run(ctx, snaps, n, &out, arg, &status);
		store_read_end(ctx->st);
	}
	status = cli_finish(rc, &out, status);
	store_snapshots_free(snaps, n);
	iw_buf_free(&out);
	return status;
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cli_vmessage(fmt, ap);
	va_end(ap);
	if (cli_command_name)
		fprintf(stderr, " (see ianawatch %s --help)\n", cli_command_name);
	else
		fputs(" (see ianawatch --help)\n", stderr);
	return EXIT_USAGE;
}

int cli_output(const iw_buf *b)
{
	return cli_write(b->data, b->len);
}

int cli_finish(int rc, const iw_buf *b, int ok)
{
	if (rc || (rc = iw_buf_error(b)))
		return cli_fail(rc);
	return cli_output(b) ? EXIT_TROUBLE : ok;
}

int cli_write(const void *data, size_t len)
{
	if (!len)
		return 0;
	errno = 0;
	if (fwrite(data, 1, len, stdout) != len) {
		if (!cli_write_errno)
			cli_write_errno = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

int cli_close_stdout(int rc)
{
	int err = cli_write_errno, failed = ferror(stdout) || cli_write_errno;
	errno = 0;
	if (fflush(stdout) != 0) {
		failed = 1;
		if (!err)
			err = errno;
	}
	errno = 0;
	if (fclose(stdout) != 0) {
		failed = 1;
		if (!err)
			err = errno;
	}
	if (!failed)
		return rc;
	/* A reader that stopped early (`ianawatch history 1-1000 | head`) wanted no more: that is
	 * no news worth a message, but the output is incomplete all the same. */
	if (err != EPIPE)
		cli_error("write error: %s", err ? strerror(err) : "output lost");
	return rc != EXIT_OK && rc != EXIT_CHANGES ? rc : EXIT_TROUBLE;
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

int cli_parse_seconds(const char *s, double max, long *ms)
{
	char *end;
	double v;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v <= 0 || v > max)
		return iw_error_set(IW_EINVAL, "expected a number of seconds (0 < S <= %.0f), not %s",
		                    max, cli_quote(s));
	*ms = (long)(v * 1000.0 + 0.5);
	if (*ms < 1)
		*ms = 1;
	return IW_OK;
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
