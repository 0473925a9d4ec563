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
#include <time.h>

#include "common/common.h"
#include "reports/reports.h"
#include "store/store.h"
#include "watch/watch.h"

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

/* Starts a read on ctx->st (store_read_begin()) and lists its snapshots, oldest first (index
 * pos - 1); a database without any is IW_ENOTFOUND. On IW_OK the caller ends the read and
 * frees the list (store_snapshots_free()); on an error nothing is left open or allocated. */
int cli_read_snapshots(cli_ctx *ctx, store_snapshot **snaps, size_t *n);

/* A query command's answer, rendered into out from the stored snapshots (oldest first: index
 * pos - 1) inside one read of ctx->st. Returns IW_OK, setting *status when the exit status is
 * not EXIT_OK, or a library code with its message set. */
typedef int (*cli_query_fn)(cli_ctx *ctx, const store_snapshot *snaps, size_t nsnaps,
                            iw_buf *out, void *arg, int *status);
/* The path of every query command: opens the store read-only, lists the snapshots in one read
 * (cli_read_snapshots()), runs `run` with an output buffer capped at `cap`, ends the read, then
 * prints the answer or the error (cli_finish()). Returns the exit status. */
int cli_query(cli_ctx *ctx, size_t cap, cli_query_fn run, void *arg);

/* A date past the newest snapshot was asked for, and answered with the newest: says on stderr
 * where the history ends, in the one wording of diff, log and show, since the registry may
 * have changed since. */
void cli_note_history_ends(const store_snapshot *newest);

/* After a --name filter matched nothing: says on stderr when no stored snapshot has an entry
 * of that name, with history's "did you mean"; the command's exit status stays as it is. */
void cli_note_unknown_name(cli_ctx *ctx, const char *name);

/* The command being run, as `ianawatch --help` spells it ("import-git"); NULL before one is
 * chosen. main() sets it; every message names it. */
extern const char *cli_command_name;

/* Prints "ianawatch COMMAND: <message>" on stderr ("ianawatch: " before a command is known):
 * the one prefix of every message. */
void cli_error(const char *fmt, ...) IW_PRINTF(1, 2);
/* Prints iw_error_last() through cli_error() and returns the exit status for a library code. */
int cli_fail(int code);
int cli_exit_for(int code);

/* An argument as messages quote it: whole when short, else its first CLI_QUOTE_MAX characters
 * and "...", so that the reason after it is never lost however long the argument. The text is
 * in one of a few rotating static buffers: good for one message with up to four of them. */
#define CLI_QUOTE_MAX 40
const char *cli_quote(const char *s);

/* A usage error: "ianawatch COMMAND: <message> (see ianawatch COMMAND --help)"; returns
 * EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) IW_PRINTF(1, 2);

/* Parses a whole decimal number within [min, max]. */
int cli_parse_long(const char *s, long min, long max, long *out);

/* Parses a positive number of seconds, fractions allowed ("0.5"), at most max, into
 * milliseconds (at least 1). IW_OK, or IW_EINVAL with a message saying what was expected. */
int cli_parse_seconds(const char *s, double max, long *ms);

/* A CLI_OPT_CALL parser for ianawatch-net's --notify/--test TARGET: checks the target (its
 * message shows it without secrets), then appends it to the cli_strings value. */
int cli_parse_notify_target(const char *arg, void *value);

/* Writes b to stdout. Returns 0, or -1 when the write failed: the caller stops and returns
 * EXIT_TROUBLE without a message, since main() reports the write error (cli_close_stdout()). */
int cli_output(const iw_buf *b);

/* A command's exit status once it rendered into b: rc (IW_OK or an error), else b's sticky
 * error, is reported with cli_fail(); otherwise b is written and `ok` returned (EXIT_TROUBLE
 * when the write failed: main() reports it). */
int cli_finish(int rc, const iw_buf *b, int ok);
int cli_write(const void *data, size_t len);

/* Flushes and closes stdout, as GNU's close_stdout does: when any output was lost it prints
 * "ianawatch COMMAND: write error: REASON" (nothing for EPIPE: a reader such as head(1) that
 * stopped reading wanted no more) and returns EXIT_TROUBLE, else rc. main() calls it last. */
int cli_close_stdout(int rc);

/* ---- options: one table per command, for parsing, --help and completions (cli/options.c) --- */

/* What an option stores in its `value`, and how its argument is checked. */
typedef enum cli_opt_kind {
	CLI_OPT_END = 0, /* ends a table */
	CLI_OPT_FLAG,    /* int: set to 1 */
	CLI_OPT_COUNT,   /* int: one more each time */
	CLI_OPT_STRING,  /* const char *: the argument, which may not be empty */
	CLI_OPT_LIST,    /* cli_strings: every argument given, in order (a repeatable option) */
	CLI_OPT_LONG,    /* long: a whole number within [min, max] */
	CLI_OPT_FORMAT,  /* cli_format: one of the formats whose bits (1 << cli_format) are in min */
	CLI_OPT_DATE,    /* const char *: a date YYYY-MM-DD */
	CLI_OPT_CALL,    /* parse(argument, value): IW_OK, or an error whose message says why */
	CLI_OPT_HELP,    /* prints the command's usage on stdout; the command then exits 0 */
	CLI_OPT_QUIET,   /* the global -q (ctx->quiet), listed to say what it silences here */
} cli_opt_kind;

typedef struct cli_option {
	const char *long_name;  /* without the dashes */
	char short_name;        /* 0: none */
	cli_opt_kind kind;
	const char *arg_name;   /* "DATE": shown in --help; NULL for options without a value */
	const char *help;       /* --help's text; '\n' starts an aligned continuation line */
	void *value;            /* where the result goes (see the kinds) */
	long min, max;          /* LONG: the range; FORMAT: min is the set of formats */
	int (*parse)(const char *arg, void *value); /* CALL */
} cli_option;

/* A table's entries, one macro per kind (as git's OPT_BOOL, OPT_STRING...): the short name
 * (0 for none), the long name, the argument's name in --help, where the value goes, then the
 * help text. Every table ends with CLI_OPTION_END. */
#define CLI_OPTION_FLAG(s, l, var, help) {l, s, CLI_OPT_FLAG, NULL, help, var, 0, 0, NULL}
#define CLI_OPTION_COUNT(s, l, var, help) {l, s, CLI_OPT_COUNT, NULL, help, var, 0, 0, NULL}
#define CLI_OPTION_STRING(s, l, arg, var, help) {l, s, CLI_OPT_STRING, arg, help, var, 0, 0, NULL}
#define CLI_OPTION_LIST(s, l, arg, var, help) {l, s, CLI_OPT_LIST, arg, help, var, 0, 0, NULL}
#define CLI_OPTION_LONG(s, l, arg, var, min, max, help) \
	{l, s, CLI_OPT_LONG, arg, help, var, min, max, NULL}
#define CLI_OPTION_DATE(s, l, var, help) {l, s, CLI_OPT_DATE, "DATE", help, var, 0, 0, NULL}
#define CLI_OPTION_CALL(s, l, arg, var, parse, help) \
	{l, s, CLI_OPT_CALL, arg, help, var, 0, 0, parse}
/* --format F into the cli_format `*var`, one of `formats` (1L << FORMAT_TEXT | ...). */
#define CLI_OPTION_FORMAT(var, formats, help) \
	{"format", 0, CLI_OPT_FORMAT, "F", help, var, formats, 0, NULL}
#define CLI_OPTION_QUIET(help) {"quiet", 'q', CLI_OPT_QUIET, NULL, help, NULL, 0, 0, NULL}
#define CLI_OPTION_HELP {"help", 'h', CLI_OPT_HELP, NULL, "print this help", NULL, 0, 0, NULL}
#define CLI_OPTION_END {NULL, 0, CLI_OPT_END, NULL, NULL, NULL, 0, 0, NULL}

/* The arguments of a CLI_OPT_LIST option. */
typedef struct cli_strings {
	const char **v;
	size_t n;
} cli_strings;

/* A command's whole command-line interface, as data. --help is rendered from it: the usage
 * line(s), the description, the options aligned in a column, and the epilogue (output, exit
 * status, environment). Shell completions can be generated from the same tables. */
typedef struct cli_command_spec {
	const char *name;        /* as typed: "import-git" */
	const char *synopsis;    /* after "usage: ianawatch "; one line per form, '\n' between */
	const char *description; /* paragraphs, wrapped */
	const cli_option *options; /* ends with a CLI_OPT_END entry */
	const char *epilogue;    /* after the options; may be NULL */
	/* The operands, which cli_parse_options() counts once the options are read. With
	 * `missing` set, at least one is needed, and `missing` is the usage error without any.
	 * At most max_operands (CLI_ANY_OPERANDS: no limit): the first one too many is the usage
	 * error "unexpected argument 'X'", followed by " (extra_hint)" when that is set. */
	const char *missing;
	int max_operands;
	const char *extra_hint;
} cli_command_spec;
#define CLI_ANY_OPERANDS (-1)

/* Parses argv (argv[0] is the command name) against spec, GNU style: options may stand
 * before, between or after operands; `--opt=value` and `--opt value`, `-x value`; `--`
 * ends the options. The global options --db PATH, -v/--verbose and -q/--quiet are accepted
 * here too (into ctx) unless the command's table has its own. The operands are left in
 * argv[1..*nops], in order, and their number is checked against the spec's. Every error is
 * one line, "ianawatch COMMAND: ...". Returns CLI_PARSED to go on, else the exit status the
 * command returns at once: EXIT_OK when --help was printed, or EXIT_USAGE. Nothing is
 * opened or written here: commands validate their operands too before they open the
 * database. */
#define CLI_PARSED (-1)
int cli_parse_options(const cli_command_spec *spec, cli_ctx *ctx, int argc, char **argv,
                      int *nops);

/* The word of format f on the command line ("markdown"); NULL past the last format. A FORMAT
 * option accepts the formats f whose bit (1L << f) is in its `min`. */
const char *cli_format_name(unsigned f);

/* The usage text of spec, as --help prints it. */
void cli_render_usage(const cli_command_spec *spec, FILE *out);

/* --watch FILE and --min-severity low|medium|high, shared by diff, fetch and report (and log):
 * fill one with cli_watch_init(), point the options' values at it (cli_watch_option_*), then
 * cli_watch_load() before the database is opened. */
typedef struct cli_watch {
	const char *file;        /* --watch */
	watch_severity min;      /* --min-severity */
	int min_set;
	watch_list *list;        /* read by cli_watch_load() */
	report_watch rw;         /* what the reports take; rw.show when either option is given */
} cli_watch;
void cli_watch_init(cli_watch *w);
/* CLI_OPT_CALL parsers: value is the cli_watch. */
int cli_watch_parse_file(const char *arg, void *value);
int cli_watch_parse_severity(const char *arg, void *value);
/* Reads the watch list, if any; 0, or the exit status after printing why. */
int cli_watch_load(cli_watch *w);
/* The report_watch to pass on: NULL when neither option was given. */
const report_watch *cli_watch_get(const cli_watch *w);
void cli_watch_free(cli_watch *w);
#define CLI_WATCH_OPTIONS(w)                                                                  \
	CLI_OPTION_CALL(0, "watch", "FILE", w, cli_watch_parse_file,                               \
	                "only changes touching an item of the watch list FILE (ports,\n"          \
	                "ranges, names, person:ID, file:SERVICES; see ianawatch(1))"),              \
	CLI_OPTION_CALL(0, "min-severity", "S", w, cli_watch_parse_severity,                       \
	                "only changes of severity S or above: low, medium, high; with\n"          \
	                "--watch or this, every change shows its severity")

/* --kind K,... into a diff_filter (diff/diff.h), shared by diff and log: a CLI_OPT_CALL parser
 * (diff_filter_parse_kinds()) and its option row. */
int cli_parse_kinds(const char *arg, void *value);
#define CLI_OPTION_KINDS(filter)                                                              \
	CLI_OPTION_CALL(0, "kind", "K,...", filter, cli_parse_kinds,                               \
	                "only these kinds: moved, renamed, assigned, deassigned, added,\n"        \
	                "removed, modified, status (people: added, removed, modified)")

/* Every command's interface (defined in its cmd_NAME.c; ianawatch-net links them all). */
#define CLI_DECLARE_SPEC(name, summary) const cli_command_spec *cli_spec_##name(void);
/* In cmd_NAME.c, after its spec: defines cli_spec_NAME(), which returns &spec. */
#define CLI_DEFINE_SPEC(name, spec) \
	const cli_command_spec *cli_spec_##name(void) \
	{ \
		return &(spec); \
	}
/* (expanded below, after CLI_COMMANDS) */

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
	X(log, "every change between consecutive snapshots of a period") \
	X(history, "every state a port or service name went through") \
	X(show, "a port or service name as it stood on a date") \
	X(search, "full-text search over every version of every record and person") \
	X(person, "a person's record over time and every entry they held") \
	X(compare, "check a local services file against the registry and its history") \
	X(fetch, "download the registry and report what changed") \
	X(notify, "send a sample notification to check a target") \
	X(report, "write the HTML site, Atom feed, Markdown and JSON reports") \
	X(status, "when the last check, change and failure happened") \
	X(check, "verify the database against the stored documents")

/* ---- import and import-git: one batch of documents (cli/import_batch.c) ------------------ */

typedef struct cli_import {
	cli_ctx *ctx;
	store_import_opts opts; /* set by cli_import_init(); the caller may add its own rules */
	int quiet;              /* nothing on stdout but errors (-q) */
	int say;                /* a line on stdout for every document (the caller's choice) */
	int progress;           /* "importing: N/TOTAL UNIT" on stderr, a terminal's */
	const char *unit;       /* of the progress line: "documents", "versions" */
	size_t stored, known, failed, done, total;
	struct timespec started;
} cli_import;

/* Readies a batch: the store's default rules (keep_raw off with no_raw), quiet with -q, and
 * the allocator for a loop of documents (ingest_tune_malloc()). */
void cli_import_init(cli_import *im, cli_ctx *ctx, int no_raw, const char *unit);
/* The batch holds `total` documents: starts the progress line's clock (shown unless quiet, on
 * a terminal). */
void cli_import_start(cli_import *im, size_t total);
/* One more document done: the progress line, if any, moves on. */
void cli_import_step(cli_import *im);
/* Counts a document that failed and reports code's message (on a line of its own, below the
 * progress line). Returns the exit status for code. */
int cli_import_fail(cli_import *im, int code);
/* Counts a document whose content is stored already, as snapshot id (shown when im->say). */
void cli_import_known(cli_import *im, const char *shown, int64_t id);
/* Stores one document (ingest_document(), ctx->st opened then): source is recorded, shown names
 * it in messages. Counts it, says so when im->say, and reports a failure (cli_import_fail()).
 * Returns IW_OK or the library code; *parsed (unless NULL) tells a bad document (0) from a
 * failing store. */
int cli_import_document(cli_import *im, const unsigned char *data, size_t len, time_t observed,
                        const char *source, const char *shown, int *parsed);
/* "NAME: N new snapshots, N already stored, N failed" then `more` (unless quiet). */
void cli_import_summary(const cli_import *im, const char *name, const char *more);

/* libxml2 (with ICU), libcurl and libgit2 bring ~45 shared libraries that take longer to load
 * than a `history` query takes to answer. So, as git runs git-remote-https, the commands that
 * need them run in programs of their own, and in ianawatch their table entries are
 * cli/handoff_*.c's, which hand the whole command line over unchanged:
 *   ianawatch-ingest  import, check          (libxml2)
 *   ianawatch-net     fetch, import-git, notify (libxml2, libcurl, libgit2)
 * They are looked for in $IANAWATCH_EXEC_PATH, next to the running program (the build tree),
 * in ../libexec/ianawatch relative to it (an installed tree, wherever it was moved), then in
 * the libexec folder they were configured to go to (cli/util.c). */
#define CLI_INGEST_PROGRAM "ianawatch-ingest"
#define CLI_NET_PROGRAM "ianawatch-net"

/* Replaces this process with `program` run on the whole command line; returns only on
 * failure, with the exit status after printing why. */
int cli_exec_program(cli_ctx *ctx, const char *program);
/* Defines cmd_NAME as the hand-over of the whole command line to `program`. */
#define CLI_HANDOFF(name, program) \
	int cmd_##name(cli_ctx *ctx, int argc, char **argv) \
	{ \
		(void)argc; \
		(void)argv; \
		return cli_exec_program(ctx, program); \
	}
/* Where `program` is run from, as cli_exec_program() looks for it (argv0: the running
 * program's argv[0]). */
void cli_program_path(const char *argv0, const char *program, char *path, size_t size);

/* `--version`: prints the version and the libraries this program runs with; in ianawatch, then
 * each helper's line (cli/version.c). Returns an exit status. */
int cli_version(cli_ctx *ctx);

#define CLI_DECLARE(name, summary) int cmd_##name(cli_ctx *ctx, int argc, char **argv);
CLI_COMMANDS(CLI_DECLARE)
CLI_COMMANDS(CLI_DECLARE_SPEC)
#undef CLI_DECLARE

#endif
