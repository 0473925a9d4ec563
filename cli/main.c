/* main.c: ianawatch's entry point: global options, then dispatch through the command table. */
#include <getopt.h>
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
	fprintf(f, "usage: ianawatch [--db PATH] [-v] [--version] [--help] COMMAND [ARGS]\n\n"
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
	           "  --version    print the version and exit\n"
	           "  --help       print this help and exit\n\n"
	           "`ianawatch COMMAND --help` describes a command; man ianawatch has the details,\n"
	           "including the exit statuses.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"verbose", no_argument, NULL, 'v'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	cli_ctx ctx;
	char *default_db = NULL;
	const char *env;
	size_t i;
	int c, rc = EXIT_USAGE;

	memset(&ctx, 0, sizeof(ctx));
	ctx.argc_all = argc;
	ctx.argv_all = argv;
	/* '+' stops at the command name: what follows belongs to the command (git style). */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+vh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			ctx.db_path = optarg;
			break;
		case 'v':
			ctx.verbose++;
			break;
		case 'V':
			return cli_version(&ctx);
		case 'h':
			cli_usage(stdout);
			return EXIT_OK;
		default:
			cli_error("unknown global option '%s' (see ianawatch --help)", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		cli_usage(stderr);
		return EXIT_USAGE;
	}
	if (!ctx.db_path && (env = getenv("IANAWATCH_DB")) && *env)
		ctx.db_path = env;
	if (!ctx.db_path)
		ctx.db_path = default_db = store_default_path();

	for (i = 0; i < CLI_NCOMMANDS; i++)
		if (cli_name_matches(cli_commands[i].name, argv[optind]))
			break;
	if (i == CLI_NCOMMANDS) {
		cli_error("'%s' is not a command (see ianawatch --help)", argv[optind]);
		goto out;
	}
	{
		/* Each command parses its own options from its name on, with getopt restarted. */
		int first = optind;
		optind = 0;
		opterr = 0;
		rc = cli_commands[i].run(&ctx, argc - first, argv + first);
	}
	store_free(ctx.st);
	ctx.st = NULL;
out:
	store_free(ctx.st);
	free(default_db);
	return rc;
}
