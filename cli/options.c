/* options.c: one option table per command gives its parsing, its --help and its completions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/banned.h"

static const char *const cli_format_names[] = {"text", "json", "markdown", "services", "csv"};
#define CLI_NFORMATS (sizeof(cli_format_names) / sizeof(*cli_format_names))

const char *cli_format_name(unsigned f)
{
	return f < CLI_NFORMATS ? cli_format_names[f] : NULL;
}

/* What cli_apply() returns for --help: the rest of the command line is still read. */
#define CLI_HELPED (-2)

/* The global options, also accepted after the command (`import --manifest X --db t.db`). */
enum { CLI_GLOBAL_DB = 1, CLI_GLOBAL_VERBOSE, CLI_GLOBAL_QUIET };

static int cli_global_long(const char *name, size_t len)
{
	if (len == 2 && !strncmp(name, "db", 2))
		return CLI_GLOBAL_DB;
	if (len == 7 && !strncmp(name, "verbose", 7))
		return CLI_GLOBAL_VERBOSE;
	if (len == 5 && !strncmp(name, "quiet", 5))
		return CLI_GLOBAL_QUIET;
	return 0;
}

static int cli_takes_value(const cli_option *o)
{
	return o->kind != CLI_OPT_FLAG && o->kind != CLI_OPT_COUNT && o->kind != CLI_OPT_HELP &&
	       o->kind != CLI_OPT_QUIET;
}

/* The option as messages name it: its long name when it has one. */
static void cli_option_name(const cli_option *o, char *out, size_t len)
{
	if (o->long_name)
		snprintf(out, len, "--%s", o->long_name);
	else
		snprintf(out, len, "-%c", o->short_name);
}

static int cli_parse_format_arg(const cli_option *o, const char *arg, const char *shown)
{
	iw_buf list = IW_BUF_INIT(256);
	size_t i;
	int rc;
	for (i = 0; i < CLI_NFORMATS; i++) {
		if (!(o->min & (1L << i)))
			continue;
		if (!strcmp(arg, cli_format_names[i])) {
			*(cli_format *)o->value = (cli_format)i;
			iw_buf_free(&list);
			return EXIT_OK;
		}
		iw_buf_printf(&list, "%s%s", list.len ? ", " : "", cli_format_names[i]);
	}
	rc = cli_usage_error("%s: unknown format %s (expected one of: %s)", shown, cli_quote(arg),
	                     iw_buf_error(&list) || !list.data ? "?" : list.data);
	iw_buf_free(&list);
	return rc;
}

/* Stores arg (NULL for an option without a value) as o says. Returns EXIT_OK or EXIT_USAGE. */
static int cli_apply(const cli_command_spec *spec, cli_ctx *ctx, const cli_option *o,
                     const char *arg)
{
	char shown[64];
	long v;
	cli_option_name(o, shown, sizeof(shown));
	switch (o->kind) {
	case CLI_OPT_FLAG:
		*(int *)o->value = 1;
		return EXIT_OK;
	case CLI_OPT_COUNT:
		(*(int *)o->value)++;
		return EXIT_OK;
	case CLI_OPT_QUIET:
		ctx->quiet = 1;
		return EXIT_OK;
	case CLI_OPT_HELP:
		cli_render_usage(spec, stdout);
		return CLI_HELPED;
	case CLI_OPT_STRING:
		if (!*arg)
			return cli_usage_error("%s needs a value, not an empty string", shown);
		*(const char **)o->value = arg;
		return EXIT_OK;
	case CLI_OPT_LIST: {
		cli_strings *l = o->value;
		if (!*arg)
			return cli_usage_error("%s needs a value, not an empty string", shown);
		l->v = iw_realloc((void *)l->v, (l->n + 1) * sizeof(*l->v));
		l->v[l->n++] = arg;
		return EXIT_OK;
	}
	case CLI_OPT_LONG:
		if (cli_parse_long(arg, o->min, o->max, &v))
			return cli_usage_error("%s: %s is not a whole number from %ld to %ld", shown,
			                       cli_quote(arg), o->min, o->max);
		*(long *)o->value = v;
		return EXIT_OK;
	case CLI_OPT_FORMAT:
		return cli_parse_format_arg(o, arg, shown);
	case CLI_OPT_DATE:
		if (!iw_date_valid(arg))
			return cli_usage_error("%s: %s is not a date (YYYY-MM-DD)", shown, cli_quote(arg));
		*(const char **)o->value = arg;
		return EXIT_OK;
	case CLI_OPT_CALL:
		/* The library's message quotes the argument whole: quote it here instead when long. */
		if (strlen(arg) > 4 * CLI_QUOTE_MAX)
			return cli_usage_error("%s: %s is too long to be a value", shown, cli_quote(arg));
		if (o->parse(arg, o->value) != IW_OK)
			return cli_usage_error("%s: %s", shown, iw_error_last());
		return EXIT_OK;
	case CLI_OPT_END:
		break;
	}
	return cli_usage_error("%s: internal error: bad option table", shown);
}

static int cli_apply_global(cli_ctx *ctx, int which, const char *arg)
{
	switch (which) {
	case CLI_GLOBAL_DB:
		if (!*arg)
			return cli_usage_error("--db needs a path, not an empty string");
		ctx->db_path = arg;
		break;
	case CLI_GLOBAL_VERBOSE:
		ctx->verbose++;
		break;
	default:
		ctx->quiet = 1;
		break;
	}
	return EXIT_OK;
}

/* A long option: "--name", "--name=value"; *i moves past a value taken from the next word. */
static int cli_parse_long_opt(const cli_command_spec *spec, cli_ctx *ctx, int argc, char **argv,
                              int *i)
{
	const char *word = argv[*i] + 2, *eq = strchr(word, '='), *arg = NULL;
	size_t len = eq ? (size_t)(eq - word) : strlen(word);
	const cli_option *o;
	int global = 0, needs;

	for (o = spec->options; o->kind != CLI_OPT_END; o++)
		if (o->long_name && strlen(o->long_name) == len && !strncmp(o->long_name, word, len))
			break;
	if (o->kind == CLI_OPT_END && !(global = cli_global_long(word, len))) {
		char *name = iw_strndup(argv[*i], len + 2);
		int rc = cli_usage_error("unknown option %s", cli_quote(name));
		free(name);
		return rc;
	}
	needs = global ? global == CLI_GLOBAL_DB : cli_takes_value(o);
	if (eq) {
		if (!needs)
			return cli_usage_error("option '--%.*s' takes no value", (int)len, word);
		arg = eq + 1;
	} else if (needs) {
		if (*i + 1 >= argc)
			return cli_usage_error("option %s needs a value", cli_quote(argv[*i]));
		arg = argv[++*i];
	}
	return global ? cli_apply_global(ctx, global, arg) : cli_apply(spec, ctx, o, arg);
}

/* A cluster of short options: "-q", "-qv", "-ofile", "-o file". */
static int cli_parse_short_opts(const cli_command_spec *spec, cli_ctx *ctx, int argc,
                                char **argv, int *i)
{
	const char *p = argv[*i] + 1;
	for (; *p; p++) {
		const cli_option *o;
		int rc;
		for (o = spec->options; o->kind != CLI_OPT_END; o++)
			if (o->short_name && o->short_name == *p)
				break;
		if (o->kind == CLI_OPT_END) {
			if (*p == 'v' || *p == 'q') {
				cli_apply_global(ctx, *p == 'v' ? CLI_GLOBAL_VERBOSE : CLI_GLOBAL_QUIET, NULL);
				continue;
			}
			return cli_usage_error("unknown option '-%c'", *p);
		}
		if (!cli_takes_value(o)) {
			if ((rc = cli_apply(spec, ctx, o, NULL)) != EXIT_OK)
				return rc;
			continue;
		}
		if (p[1])
			return cli_apply(spec, ctx, o, p + 1);
		if (*i + 1 >= argc)
			return cli_usage_error("option '-%c' needs a value", *p);
		return cli_apply(spec, ctx, o, argv[++*i]);
	}
	return EXIT_OK;
}

static int cli_count_operands(const cli_command_spec *spec, int n, char **ops)
{
	const char *hint = spec->extra_hint;
	if (n < 1 && spec->missing)
		return cli_usage_error("%s", spec->missing);
	if (spec->max_operands != CLI_ANY_OPERANDS && n > spec->max_operands)
		return cli_usage_error("unexpected argument %s%s%s%s", cli_quote(ops[spec->max_operands]),
		                       hint ? " (" : "", hint ? hint : "", hint ? ")" : "");
	return EXIT_OK;
}

int cli_parse_options(const cli_command_spec *spec, cli_ctx *ctx, int argc, char **argv,
                      int *nops)
{
	char **ops = iw_calloc((size_t)argc + 1, sizeof(*ops));
	int i, n = 0, rc = EXIT_OK, helped = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			while (++i < argc)
				ops[n++] = argv[i];
			break;
		}
		if (a[0] != '-' || !a[1]) {
			ops[n++] = argv[i]; /* an operand; "-" is one too (stdin) */
			continue;
		}
		rc = a[1] == '-' ? cli_parse_long_opt(spec, ctx, argc, argv, &i)
		                 : cli_parse_short_opts(spec, ctx, argc, argv, &i);
		if (rc == CLI_HELPED) {
			/* --help wins, but a later unknown option is still an error. */
			helped = 1;
			rc = EXIT_OK;
		}
		if (rc != EXIT_OK)
			break;
	}
	if (rc == EXIT_OK && !helped)
		rc = cli_count_operands(spec, n, ops);
	if (rc == EXIT_OK) {
		memcpy(argv + 1, ops, (size_t)n * sizeof(*ops));
		argv[n + 1] = NULL;
		*nops = n;
		rc = helped ? EXIT_OK : CLI_PARSED;
	}
	free(ops);
	return rc;
}

/* "-x, --name ARG": the left column of an option in --help. */
static void cli_option_left(const cli_option *o, char *out, size_t len)
{
	int n = 0;
	if (o->short_name)
		n = snprintf(out, len, "-%c%s", o->short_name, o->long_name ? ", " : "");
	if (o->long_name && n >= 0 && (size_t)n < len)
		n += snprintf(out + n, len - (size_t)n, "--%s", o->long_name);
	if (o->arg_name && n >= 0 && (size_t)n < len)
		snprintf(out + n, len - (size_t)n, " %s", o->arg_name);
}

void cli_render_usage(const cli_command_spec *spec, FILE *out)
{
	const cli_option *o;
	char left[80];
	size_t width = 0;

	fprintf(out, "usage: %s\n\n%s\n\n", spec->synopsis, spec->description);
	for (o = spec->options; o->kind != CLI_OPT_END; o++) {
		cli_option_left(o, left, sizeof(left));
		if (strlen(left) > width)
			width = strlen(left);
	}
	/* Help text starts three columns after the longest option, in every command alike. */
	for (o = spec->options; o->kind != CLI_OPT_END; o++) {
		const char *h = o->help, *nl;
		int first = 1;
		cli_option_left(o, left, sizeof(left));
		do {
			nl = strchr(h, '\n');
			fprintf(out, "  %-*s   %.*s\n", (int)width, first ? left : "",
			        (int)(nl ? (size_t)(nl - h) : strlen(h)), h);
			first = 0;
			if (nl) /* NULL + 1 is undefined (UBSan, found by fuzzing) */
				h = nl + 1;
		} while (nl);
	}
	if (spec->epilogue)
		fprintf(out, "\n%s\n", spec->epilogue);
}
