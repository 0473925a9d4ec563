/* main.c: ianawatch's entry point: global options, then dispatch through the command table. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/banned.h"

typedef struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(cli_ctx *ctx, int argc, char **argv);
} cli_command;

#define CLI_ENTRY(name, summary) {#name, summary, cmd_##name},
static const cli_command cli_commands[] = {CLI_COMMANDS(CLI_ENTRY)};
#undef CLI_ENTRY

#define CLI_NCOMMANDS (sizeof(cli_commands) / sizeof(*cli_commands))

/* "import-git" on the command line is import_git in the table. */
static int cli_name_matches(const char *table, const char *arg)
{
	for (; *table && *arg; table++, arg++)
		if (*table != *arg && !(*table == '_' && *arg == '-'))
			return 0;
	return *table == *arg;
}

static void cli_usage(FILE *f)
{
	size_t i;
	fprintf(f, "usage: ianawatch [--db PATH] [-v] [-q] [--version] [--help] COMMAND [ARGS]\n\n"
	           "Keeps the history of IANA's Service Name and Transport Protocol Port Number\n"
	           "Registry and reports what changed, in the registry's own terms.\n\ncommands:\n");
	for (i = 0; i < CLI_NCOMMANDS; i++) {
		char name[32];
		size_t j;
		snprintf(name, sizeof(name), "%s", cli_commands[i].name);
		for (j = 0; name[j]; j++)
			if (name[j] == '_')
				name[j] = '-';
		fprintf(f, "  %-12s %s\n", name, cli_commands[i].summary);
	}
	fprintf(f, "\nglobal options:\n"
	           "  --db PATH    the database (default: $IANAWATCH_DB, else\n"
	           "               $XDG_DATA_HOME/ianawatch/ianawatch.db)\n"
	           "  -v           say what is being done, on stderr\n"
	           "  -q           print nothing but errors (where a command prints a summary)\n"
	           "  --version    print the version and exit\n"
	           "  --help       print this help and exit\n\n"
	           "Global options may also follow the command. `ianawatch COMMAND --help`\n"
	           "describes a command; man ianawatch has the details, including the exit statuses.\n");
}

/* The options before the command. Returns -1 to go on with argv[*next], else an exit status. */
static int cli_global_options(cli_ctx *ctx, int argc, char **argv, int *next)
{
	int i;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--db") || !strncmp(a, "--db=", 5)) {
			const char *v = a[4] == '=' ? a + 5 : NULL;
			if (!v && i + 1 >= argc) {
				cli_error("option '--db' needs a value (see ianawatch --help)");
				return EXIT_USAGE;
			}
			if (!v)
				v = argv[++i];
			if (!*v) {
				cli_error("--db needs a path, not an empty string (see ianawatch --help)");
				return EXIT_USAGE;
			}
			ctx->db_path = v;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			ctx->verbose++;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			ctx->quiet = 1;
		} else if (!strcmp(a, "--version")) {
			return cli_version(ctx);
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			cli_usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(a, "--")) {
			i++;
			break;
		} else {
			cli_error("unknown global option %s (see ianawatch --help)", cli_quote(a));
			return EXIT_USAGE;
		}
	}
	*next = i;
	return -1;
}

int main(int argc, char **argv)
{
	static char name[32];
	cli_ctx ctx;
	char *default_db = NULL;
	const char *env;
	size_t i, j;
	int first = 1, rc;

	/* A closed pipe is a write error like any other (cli_close_stdout()), not a silent death
	 * halfway through a fetch that has more to record. */
	signal(SIGPIPE, SIG_IGN);
	memset(&ctx, 0, sizeof(ctx));
	ctx.argc_all = argc;
	ctx.argv_all = argv;
	if ((rc = cli_global_options(&ctx, argc, argv, &first)) != -1)
		return cli_close_stdout(rc);
	if (first >= argc) {
		cli_usage(stderr);
		return EXIT_USAGE;
	}
	for (i = 0; i < CLI_NCOMMANDS; i++)
		if (cli_name_matches(cli_commands[i].name, argv[first]))
			break;
	if (i == CLI_NCOMMANDS) {
		cli_error("%s is not a command (see ianawatch --help)", cli_quote(argv[first]));
		return EXIT_USAGE;
	}
	snprintf(name, sizeof(name), "%s", cli_commands[i].name);
	for (j = 0; name[j]; j++)
		if (name[j] == '_')
			name[j] = '-';
	cli_command_name = name;
	if (!ctx.db_path && (env = getenv("IANAWATCH_DB")) && *env)
		ctx.db_path = env;
	if (!ctx.db_path && !(ctx.db_path = default_db = store_default_path())) {
		cli_error("%s", iw_error_last());
		return EXIT_USAGE;
	}
	rc = cli_commands[i].run(&ctx, argc - first, argv + first);
	store_free(ctx.st);
	free(default_db);
	return cli_close_stdout(rc);
}
