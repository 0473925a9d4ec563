/* cmd_cat.c: `ianawatch cat`: write a snapshot's original document, byte for byte. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/banned.h"

static const cli_option cat_options[] = {
	CLI_OPTION_HELP,
	CLI_OPTION_END,
};

static const cli_command_spec cat_spec = {
	"cat",
	"ianawatch cat SNAPSHOT",
	"Writes the original document of SNAPSHOT to standard output, byte for byte, from the\n"
	"compressed archive; its SHA-256 is checked against the stored one first. SNAPSHOT is an\n"
	"id, a date YYYY-MM-DD (the registry as it stood then), latest or latest~N.\n"
	"A snapshot imported with --no-raw has no original to write (exit status 4).",
	cat_options,
	"Exit status: 0 written; 2 a bad command line or output that could not be written; 4 no\n"
	"such snapshot, or it has no original document; the other statuses of ianawatch(1) for\n"
	"database failures (5 also when the archive does not match its SHA-256).",
	"no SNAPSHOT to write", CLI_ANY_OPERANDS, NULL, /* more than one: a message of its own */
};

CLI_DEFINE_SPEC(cat, cat_spec)

int cmd_cat(cli_ctx *ctx, int argc, char **argv)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int64_t id;
	int n, rc;

	if ((rc = cli_parse_options(&cat_spec, ctx, argc, argv, &n)) != CLI_PARSED)
		return rc;
	if (n > 1)
		return cli_usage_error("one SNAPSHOT at a time");
	if (strlen(argv[1]) > 4 * CLI_QUOTE_MAX)
		return cli_usage_error("%s is not a snapshot id, date, latest or latest~N",
		                       cli_quote(argv[1]));
	if ((rc = cli_open_store(ctx, STORE_READONLY)))
		return rc;
	if ((rc = store_resolve(ctx->st, argv[1], &id)) ||
	    (rc = store_raw(ctx->st, id, &data, &len)))
		return cli_fail(rc);
	/* A failed write is reported by main() (cli_close_stdout()). */
	rc = cli_write(data, len) ? EXIT_TROUBLE : EXIT_OK;
	free(data);
	return rc;
}
