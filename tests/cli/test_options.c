/* test_options.c: the option tables' parser (cli/options.c) and the usage they render. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "common/banned.h"

static const char *t_name, *t_at;
static long t_count;
static int t_flag, t_verbose;
static cli_format t_format;
static cli_strings t_list;

static const cli_option t_options[] = {
	CLI_OPTION_STRING('n', "name", "NAME", &t_name, "a name"),
	CLI_OPTION_LONG(0, "count", "N", &t_count, 1, 10, "a number\nfrom 1 to 10"),
	CLI_OPTION_FLAG('f', "flag", &t_flag, "a flag"),
	CLI_OPTION_FORMAT(&t_format, 1L << FORMAT_TEXT | 1L << FORMAT_JSON, "text or json"),
	CLI_OPTION_DATE(0, "at", &t_at, "a date"),
	CLI_OPTION_LIST(0, "path", "P", &t_list, "repeatable"),
	CLI_OPTION_COUNT('l', "loud", &t_verbose, "louder"),
	CLI_OPTION_QUIET("the global -q, said here"),
	CLI_OPTION_HELP,
	CLI_OPTION_END,
};

static const cli_command_spec t_spec = {
	"demo", "ianawatch demo [--name NAME] ARG...", "Demonstrates.", t_options, "Exit status: 0.",
	NULL, CLI_ANY_OPERANDS, NULL,
};

/* The same options, with one or two operands. */
static const cli_command_spec t_two_spec = {
	"demo", "ianawatch demo [--name NAME] ARG [ARG]", "Demonstrates.", t_options, NULL,
	"give an ARG", 2, "two at the most",
};

typedef struct option_case {
	const char *argv[10];
	int rc;
	const char *ops;      /* the operands left, joined by '|' */
	const char *name;
	long count;
	int flag, loud, ctx_verbose, ctx_quiet, npaths;
	cli_format format;
	const char *db;
	const char *err;      /* stderr, exactly */
} option_case;

#define SEE " (see ianawatch demo --help)\n"
static const option_case cases[] = {
	{{"demo", "a", "--name", "x", "b", NULL}, CLI_PARSED, "a|b", "x", 0, 0, 0, 0, 0, 0,
	 FORMAT_TEXT, NULL, ""},
	{{"demo", "--name=x", "--count=3", "-f", "a", NULL}, CLI_PARSED, "a", "x", 3, 1, 0, 0, 0, 0,
	 FORMAT_TEXT, NULL, ""},
	{{"demo", "-nx", "-fll", "a", NULL}, CLI_PARSED, "a", "x", 0, 1, 2, 0, 0, 0, FORMAT_TEXT,
	 NULL, ""},
	{{"demo", "-n", "x", "--", "--flag", "-", NULL}, CLI_PARSED, "--flag|-", "x", 0, 0, 0, 0, 0,
	 0, FORMAT_TEXT, NULL, ""},
	{{"demo", "a", "--db", "t.db", "-v", "-q", "--format", "json", NULL}, CLI_PARSED, "a", NULL,
	 0, 0, 0, 1, 1, 0, FORMAT_JSON, "t.db", ""},
	{{"demo", "--quiet", "a", NULL}, CLI_PARSED, "a", NULL, 0, 0, 0, 0, 1, 0, FORMAT_TEXT, NULL,
	 ""},
	{{"demo", "-fq", NULL}, CLI_PARSED, "", NULL, 0, 1, 0, 0, 1, 0, FORMAT_TEXT, NULL, ""},
	{{"demo", "--quiet=1", NULL}, EXIT_USAGE, NULL, NULL, 0, 0, 0, 0, 0, 0, FORMAT_TEXT, NULL,
	 "ianawatch demo: option '--quiet' takes no value" SEE},
	{{"demo", "--path", "p1", "--path=p2", NULL}, CLI_PARSED, "", NULL, 0, 0, 0, 0, 0, 2,
	 FORMAT_TEXT, NULL, ""},
	{{"demo", "--bogus", NULL}, EXIT_USAGE, NULL, NULL, 0, 0, 0, 0, 0, 0, FORMAT_TEXT, NULL,
	 "ianawatch demo: unknown option '--bogus'" SEE},
	{{"demo", "--bogus=1", NULL}, EXIT_USAGE, NULL, NULL, 0, 0, 0, 0, 0, 0, FORMAT_TEXT, NULL,
	 "ianawatch demo: unknown option '--bogus'" SEE},
	{{"demo", "-x", NULL}, EXIT_USAGE, NULL, NULL, 0, 0, 0, 0, 0, 0, FORMAT_TEXT, NULL,
	 "ianawatch demo: unknown option '-x'" SEE},
	{{"demo", "a", "--name", NULL}, EXIT_USAGE, NULL, NULL, 0, 0, 0, 0, 0, 0, FORMAT_TEXT, NULL,
	 "ianawatch demo: option '--name' needs a value" SEE},
	{{"demo", "-n", NULL}, EXIT_USAGE, NULL, NULL, 0, 0, 0, 0, 0, 0, FORMAT_TEXT, NULL,
	 "ianawatch demo: option '-n' needs a value" SEE},
	{{"demo", "--name=", NULL}, EXIT_USAGE, NULL, NULL, 0, 0, 0, 0, 0, 0, FORMAT_TEXT, NULL,
	 "ianawatch demo: --name needs a value, not an empty string" SEE},
	{{"demo", "--flag=1", NULL}, EXIT_USAGE, NULL, NULL, 0, 0, 0, 0, 0, 0, FORMAT_TEXT, NULL,
	 "ianawatch demo: option '--flag' takes no value" SEE},
	{{"demo", "--count", "11", NULL}, EXIT_USAGE, NULL, NULL, 0, 0, 0, 0, 0, 0, FORMAT_TEXT,
	 NULL, "ianawatch demo: --count: '11' is not a whole number from 1 to 10" SEE},
	{{"demo", "--format", "yaml", NULL}, EXIT_USAGE, NULL, NULL, 0, 0, 0, 0, 0, 0, FORMAT_TEXT,
	 NULL, "ianawatch demo: --format: unknown format 'yaml' (expected one of: text, json)" SEE},
	{{"demo", "--at", "2025-02-30", NULL}, EXIT_USAGE, NULL, NULL, 0, 0, 0, 0, 0, 0,
	 FORMAT_TEXT, NULL, "ianawatch demo: --at: '2025-02-30' is not a date (YYYY-MM-DD)" SEE},
	{{"demo", "--db", "", NULL}, EXIT_USAGE, NULL, NULL, 0, 0, 0, 0, 0, 0, FORMAT_TEXT, NULL,
	 "ianawatch demo: --db needs a path, not an empty string" SEE},
	{{"demo", "--db", NULL}, EXIT_USAGE, NULL, NULL, 0, 0, 0, 0, 0, 0, FORMAT_TEXT, NULL,
	 "ianawatch demo: option '--db' needs a value" SEE},
	{{"demo", "--at", "0123456789012345678901234567890123456789TOO-LONG", NULL}, EXIT_USAGE,
	 NULL, NULL, 0, 0, 0, 0, 0, 0, FORMAT_TEXT, NULL,
	 "ianawatch demo: --at: '0123456789012345678901234567890123456789...' is not a date "
	 "(YYYY-MM-DD)" SEE},
};

static char err_path[] = "/tmp/iwoptsXXXXXX";
static int err_fd = -1, saved_fd = -1;

/* Sends stderr to err_path while the parser runs, so that its messages can be compared. */
static void capture_stderr(void)
{
	fflush(stderr);
	saved_fd = dup(2);
	assert_true(saved_fd >= 0);
	assert_int_equal(ftruncate(err_fd, 0), 0);
	assert_int_equal(lseek(err_fd, 0, SEEK_SET), 0);
	assert_true(dup2(err_fd, 2) == 2);
}

/* What went to stderr since capture_stderr(); stderr is the terminal's again. */
static char *take_stderr(void)
{
	char *s = calloc(1, 4096);
	ssize_t n;
	fflush(stderr);
	assert_true(dup2(saved_fd, 2) == 2);
	close(saved_fd);
	assert_int_equal(lseek(err_fd, 0, SEEK_SET), 0);
	n = read(err_fd, s, 4095);
	assert_true(n >= 0);
	return s;
}

static void test_parse(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const option_case *c = &cases[i];
		char *argv[11];
		cli_ctx ctx;
		int argc = 0, n = -1, rc, k;
		char ops[256] = "", *err;

		memset(&ctx, 0, sizeof(ctx));
		t_name = t_at = NULL;
		t_count = 0;
		t_flag = t_verbose = 0;
		t_format = FORMAT_TEXT;
		memset(&t_list, 0, sizeof(t_list));
		while (c->argv[argc]) {
			argv[argc] = (char *)c->argv[argc];
			argc++;
		}
		argv[argc] = NULL;
		capture_stderr();
		rc = cli_parse_options(&t_spec, &ctx, argc, argv, &n);
		err = take_stderr();
		if (rc != c->rc || strcmp(err, c->err))
			print_message("case %zu: rc %d, stderr: %s\n", i, rc, err);
		assert_int_equal(rc, c->rc);
		assert_string_equal(err, c->err);
		free(err);
		if (rc == CLI_PARSED) {
			for (k = 1; k <= n; k++)
				snprintf(ops + strlen(ops), sizeof(ops) - strlen(ops), "%s%s", k > 1 ? "|" : "",
				         argv[k]);
			assert_null(argv[n + 1]);
			assert_string_equal(ops, c->ops);
			if (c->name)
				assert_string_equal(t_name, c->name);
			else
				assert_null(t_name);
			assert_int_equal(t_count, c->count);
			assert_int_equal(t_flag, c->flag);
			assert_int_equal(t_verbose, c->loud);
			assert_int_equal(ctx.verbose, c->ctx_verbose);
			assert_int_equal(ctx.quiet, c->ctx_quiet);
			assert_int_equal(t_list.n, (size_t)c->npaths);
			assert_int_equal(t_format, c->format);
			if (c->db)
				assert_string_equal(ctx.db_path, c->db);
		}
		free((void *)t_list.v);
	}
}

static void test_usage(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	(void)state;
	cli_render_usage(&t_spec, f);
	fclose(f);
	/* The help column is three past the longest option, continuation lines aligned to it. */
	assert_non_null(strstr(text, "usage: ianawatch demo [--name NAME] ARG...\n\nDemonstrates.\n\n"
	                             "  -n, --name NAME   a name\n"
	                             "  --count N         a number\n"
	                             "                    from 1 to 10\n"
	                             "  -f, --flag        a flag\n"));
	assert_non_null(strstr(text, "  -h, --help        print this help\n\nExit status: 0.\n"));
	free(text);
}

static void test_help(void **state)
{
	char *argv[] = {"demo", "a", "--help", NULL};
	cli_ctx ctx;
	int n;
	(void)state;
	memset(&ctx, 0, sizeof(ctx));
	/* The text itself is test_usage's; the CLI cases check real commands' --help. */
	assert_int_equal(cli_parse_options(&t_spec, &ctx, 3, argv, &n), EXIT_OK);
}

/* The operands are counted once the options are read; --help is never a counting error. */
static void test_operands(void **state)
{
	static const struct {
		const char *argv[6];
		int rc;
		const char *err;
	} counts[] = {
		{{"demo", "a", NULL}, CLI_PARSED, ""},
		{{"demo", "a", "--name", "x", "b", NULL}, CLI_PARSED, ""},
		{{"demo", "--name", "x", NULL}, EXIT_USAGE, "ianawatch demo: give an ARG" SEE},
		{{"demo", "a", "b", "c", "d", NULL}, EXIT_USAGE,
		 "ianawatch demo: unexpected argument 'c' (two at the most)" SEE},
		{{"demo", "a", "b", "c", "--help", NULL}, EXIT_OK, ""},
		{{"demo", "--bogus", NULL}, EXIT_USAGE, "ianawatch demo: unknown option '--bogus'" SEE},
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(counts) / sizeof(*counts); i++) {
		char *argv[7], *err;
		cli_ctx ctx;
		int argc = 0, n, rc;
		memset(&ctx, 0, sizeof(ctx));
		while (counts[i].argv[argc]) {
			argv[argc] = (char *)counts[i].argv[argc];
			argc++;
		}
		argv[argc] = NULL;
		capture_stderr();
		rc = cli_parse_options(&t_two_spec, &ctx, argc, argv, &n);
		err = take_stderr();
		if (rc != counts[i].rc || strcmp(err, counts[i].err))
			print_message("case %zu: rc %d, stderr: %s\n", i, rc, err);
		assert_int_equal(rc, counts[i].rc);
		assert_string_equal(err, counts[i].err);
		free(err);
	}
}

static void test_quote(void **state)
{
	char long_arg[200];
	(void)state;
	memset(long_arg, 'y', sizeof(long_arg) - 1);
	long_arg[sizeof(long_arg) - 1] = '\0';
	assert_string_equal(cli_quote("short"), "'short'");
	assert_int_equal(strlen(cli_quote(long_arg)), CLI_QUOTE_MAX + 5);
	assert_string_equal(cli_quote(long_arg) + CLI_QUOTE_MAX + 1, "...'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_operands),
		cmocka_unit_test(test_quote),
	};
	int rc;
	if ((err_fd = mkstemp(err_path)) < 0)
		return 1;
	cli_command_name = "demo";
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	close(err_fd);
	unlink(err_path);
	return rc;
}
