/*
 * cli.h: what every subcommand shares: the command table entry, the global options, the exit
 * statuses, and small helpers for option parsing and output formats.
 *
 * A subcommand is `int cmd_NAME(cli_ctx *ctx, int argc, char **argv)`; argv[0] is the command
 * name. It prints results to stdout, errors to stderr (through cli_error()), and returns an exit
 * status from the table below. Library errors become statuses through cli_exit_for().
 */
#ifndef IANAWATCH_CLI_H
#define IANAWATCH_CLI_H

#include <stdio.h>

#include "common/common.h"
#include "store/store.h"

/* Exit statuses, documented in ianawatch(1). 0 and 1 follow diff(1): for `diff`, 1 means
 * "there are changes"; for `fetch --exit-code`, "a new snapshot was stored". */
enum {
	EXIT_OK = 0,
	EXIT_CHANGES = 1,
	EXIT_TROUBLE = 2,   /* generic failure; also a bad command line */
	EXIT_USAGE = 2,
	EXIT_DATA = 3,      /* the input is not a valid registry document */
	EXIT_NOTFOUND = 4,  /* no such snapshot, port, name or date */
	EXIT_DB = 5,        /* the database is unusable (corrupt, newer schema, read-only) */
	EXIT_BUSY = 6,      /* another ianawatch is writing the database */
	EXIT_NET = 7,       /* the download failed */
	EXIT_REFUSED = 8,   /* a valid document refused as implausible (use --force) */
	EXIT_STALE = 9,     /* status --max-age: no successful check for too long */
};

typedef enum cli_format {
	FORMAT_TEXT = 0,
	FORMAT_JSON,
	FORMAT_MARKDOWN,
	FORMAT_SERVICES,
	FORMAT_CSV,
} cli_format;

typedef struct cli_ctx {
	const char *db_path;   /* resolved: --db, $IANAWATCH_DB, or the XDG default */
	int verbose;           /* -v given before the command */
	int quiet;
	store *st;             /* opened lazily by cli_open_store() */
	int argc_all;          /* the whole command line, for cli_exec_program() */
	char **argv_all;
} cli_ctx;

/* Opens ctx->st (creating the database and its folder when `create`); reports errors itself.
 * Returns 0 or an exit status. */
int cli_open_store(cli_ctx *ctx, int flags);

/* Prints "ianawatch: <message>" on stderr. */
void cli_error(const char *fmt, ...) IW_PRINTF(1, 2);
/* Prints "ianawatch: <iw_error_last()>" and returns the exit status for a library code. */
int cli_fail(int code);
int cli_exit_for(int code);

/* Parses "text|json|markdown|..." against the allowed set (a bitmask of 1 << cli_format). */
int cli_parse_format(const char *s, unsigned allowed, cli_format *out);

/* Option parsing: options may stand before or after operands (GNU style, via getopt_long with
 * a leading '+'-less optstring); helpers print usage errors and return EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) IW_PRINTF(2, 3);

/* The one-line usage error for what getopt_long() returned as '?' or ':' (main() sets opterr
 * to 0 and optstrings start with ':', so getopt prints nothing itself). */
int cli_bad_option(const char *cmd, int c, char **argv);

/* Parses a whole decimal number within [min, max]. */
int cli_parse_long(const char *s, long min, long max, long *out);

/* Every subcommand, in the order `ianawatch --help` lists them. Adding a command: write
 * cli/cmd_NAME.c (CMake picks it up) and add its line here. Underscores in NAME are dashes on
 * the command line (import_git is `import-git`). */
#define CLI_COMMANDS(X) \
	X(import, "store registry documents as snapshots") \
	X(import_git, "import every version of the registry from a git repository") \
	X(snapshots, "list the stored snapshots") \
	X(cat, "write a snapshot's original document") \
	X(export, "the registry on a date as /etc/services, CSV or JSON") \
	X(diff, "what changed between two snapshots") \
	X(history, "every state a port or service name went through") \
	X(show, "a port or service name as it stood on a date") \
	X(compare, "check a local services file against the registry and its history") \
	X(fetch, "download the registry and report what changed") \
	X(report, "write the HTML site, Atom feed, Markdown and JSON reports") \
	X(status, "when the last check, change and failure happened") \
	X(check, "verify the database against the stored documents")

/* libxml2 (with ICU), libcurl and libgit2 bring ~45 shared libraries that take longer to load
 * than a `history` query takes to answer. So, as git runs git-remote-https, the commands that
 * need them run in programs of their own, and in ianawatch their table entries are
 * cli/handoff_*.c's, which hand the whole command line over unchanged:
 *   ianawatch-ingest  import, check          (libxml2)
 *   ianawatch-net     fetch, import-git      (libxml2, libcurl, libgit2)
 * They are looked for in $IANAWATCH_EXEC_PATH, next to the running program (the build tree),
 * in ../libexec/ianawatch relative to it (an installed tree, wherever it was moved), then in
 * the libexec folder they were configured to go to (cli/util.c). */
#define CLI_INGEST_PROGRAM "ianawatch-ingest"
#define CLI_NET_PROGRAM "ianawatch-net"

/* Replaces this process with `program` run on the whole command line; returns only on
 * failure, with the exit status after printing why. */
int cli_exec_program(cli_ctx *ctx, const char *program);
/* Where `program` is run from, as cli_exec_program() looks for it (argv0: the running
 * program's argv[0]). */
void cli_program_path(const char *argv0, const char *program, char *path, size_t size);

/* `--version`: prints the version and the libraries this program runs with; in ianawatch, then
 * each helper's line (cli/version.c). Returns an exit status. */
int cli_version(cli_ctx *ctx);

#define CLI_DECLARE(name, summary) int cmd_##name(cli_ctx *ctx, int argc, char **argv);
CLI_COMMANDS(CLI_DECLARE)
#undef CLI_DECLARE

#endif
