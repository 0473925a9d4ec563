/* fuzz_options.c: libFuzzer target: the option parser, cli_parse_options(), driven by every
 * command's option table on arbitrary command lines, with the properties commands rely on.
 * Input: the command's name on the first line, then one argument a line. Run with
 * -close_fd_mask=3: the parser prints its messages and --help (the sanitizers' and libFuzzer's
 * reports still reach the terminal). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/common.h"
#include "fuzz.h"
#include "common/banned.h"

#define FUZZ_OPTIONS_MAX 4096
#define FUZZ_MAX_ARGS 64

void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: property violated: %s\n", file, line, what);
	abort();
}

typedef struct fuzz_command {
	const cli_command_spec *(*spec)(void);
} fuzz_command;

#define FUZZ_ENTRY(name, summary) {cli_spec_##name},
static const fuzz_command fuzz_commands[] = {CLI_COMMANDS(FUZZ_ENTRY)};
#undef FUZZ_ENTRY
#define FUZZ_NCOMMANDS (sizeof(fuzz_commands) / sizeof(*fuzz_commands))

/* Puts every value the table can describe back to a known state, as each command does before
 * parsing: strings and dates unset, lists empty, numbers at their minimum, formats at the
 * first allowed one. */
static void fuzz_reset(const cli_command_spec *spec)
{
	const cli_option *o;
	unsigned f;
	for (o = spec->options; o->kind != CLI_OPT_END; o++) {
		switch (o->kind) {
		case CLI_OPT_FLAG:
		case CLI_OPT_COUNT:
			*(int *)o->value = 0;
			break;
		case CLI_OPT_STRING:
		case CLI_OPT_DATE:
			*(const char **)o->value = NULL;
			break;
		case CLI_OPT_LIST: {
			cli_strings *l = o->value;
			free((void *)l->v);
			l->v = NULL;
			l->n = 0;
			break;
		}
		case CLI_OPT_LONG:
			*(long *)o->value = o->min;
			break;
		case CLI_OPT_FORMAT:
			for (f = 0; cli_format_name(f) && !(o->min & (1L << f)); f++)
				;
			FUZZ_ASSERT(cli_format_name(f)); /* a FORMAT option allows some format */
			*(cli_format *)o->value = (cli_format)f;
			break;
		default:
			break;
		}
	}
}

/* What a parse that went on leaves in the values. */
static void fuzz_check_values(const cli_command_spec *spec, int argc)
{
	const cli_option *o;
	size_t i;
	for (o = spec->options; o->kind != CLI_OPT_END; o++) {
		switch (o->kind) {
		case CLI_OPT_FLAG:
			FUZZ_ASSERT(*(int *)o->value == 0 || *(int *)o->value == 1);
			break;
		case CLI_OPT_COUNT:
			FUZZ_ASSERT(*(int *)o->value >= 0 && *(int *)o->value < argc * FUZZ_OPTIONS_MAX);
			break;
		case CLI_OPT_STRING:
			FUZZ_ASSERT(!*(const char **)o->value || **(const char **)o->value);
			break;
		case CLI_OPT_DATE:
			FUZZ_ASSERT(!*(const char **)o->value || iw_date_valid(*(const char **)o->value));
			break;
		case CLI_OPT_LIST: {
			const cli_strings *l = o->value;
			FUZZ_ASSERT(l->n < (size_t)argc);
			for (i = 0; i < l->n; i++)
				FUZZ_ASSERT(l->v[i] && *l->v[i]);
			break;
		}
		case CLI_OPT_LONG:
			FUZZ_ASSERT(*(long *)o->value >= o->min && *(long *)o->value <= o->max);
			break;
		case CLI_OPT_FORMAT:
			FUZZ_ASSERT(o->min & (1L << *(cli_format *)o->value));
			break;
		default:
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[FUZZ_OPTIONS_MAX + 1], *p, *argv[FUZZ_MAX_ARGS + 2], *orig[FUZZ_MAX_ARGS + 2];
	const cli_command_spec *spec = NULL;
	cli_ctx ctx;
	int argc = 0, nops = -1, rc, i, j, k, dashdash;
	size_t c;

	if (size > FUZZ_OPTIONS_MAX)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (p = text; p && argc < FUZZ_MAX_ARGS + 1;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		argv[argc++] = p;
		p = nl ? nl + 1 : NULL;
	}
	argv[argc] = NULL;
	for (c = 0; c < FUZZ_NCOMMANDS; c++)
		if (!strcmp(fuzz_commands[c].spec()->name, argv[0]))
			spec = fuzz_commands[c].spec();
	if (!spec)
		return 0;
	memcpy(orig, argv, sizeof(*argv) * (size_t)(argc + 1));
	memset(&ctx, 0, sizeof(ctx));
	fuzz_reset(spec);
	cli_command_name = spec->name;
	rc = cli_parse_options(spec, &ctx, argc, argv, &nops);
	FUZZ_ASSERT(rc == CLI_PARSED || rc == EXIT_OK || rc == EXIT_USAGE);
	FUZZ_ASSERT(argv[0] == orig[0]);
	if (rc == EXIT_USAGE)
		goto out;
	fuzz_check_values(spec, argc);
	FUZZ_ASSERT(!ctx.db_path || *ctx.db_path);
	/* The operands, in order, each an original word that is not an option: a word not
	 * starting with '-', "-" itself, or anything after "--". */
	FUZZ_ASSERT(nops >= 0 && nops < argc && !argv[nops + 1]);
	for (i = 1, j = 1, dashdash = 0; i <= nops; i++, j++) {
		for (; j < argc && orig[j] != argv[i]; j++)
			;
		FUZZ_ASSERT(j < argc);
		for (k = 1; k < j; k++)
			dashdash |= !strcmp(orig[k], "--");
		FUZZ_ASSERT(dashdash || argv[i][0] != '-' || !argv[i][1]);
		FUZZ_ASSERT(strcmp(argv[i], "--") || dashdash);
	}
out:
	fuzz_reset(spec);
	cli_command_name = NULL;
	iw_error_clear();
	return 0;
}
