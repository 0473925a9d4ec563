/* cmd_cat.c: `ianawatch cat`: write a snapshot's original document, byte for byte. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "common/banned.h"

static const char cat_usage[] =
	"usage: ianawatch cat SNAPSHOT\n\n"
	"Writes the original document of SNAPSHOT to standard output, byte for byte, from the\n"
	"compressed archive; its SHA-256 is checked against the stored one first. SNAPSHOT is an\n"
	"id, a date YYYY-MM-DD (the registry as it stood then), latest or latest~N.\n"
	"A snapshot imported with --no-raw has no original to write (exit status 4).\n\n"
	"  -h, --help   print this help\n";

int cmd_cat(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	unsigned char *data = NULL;
	size_t len = 0;
	int64_t id;
	int c, rc;

	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(cat_usage, stdout); return EXIT_OK;
		default: return cli_bad_option("cat", c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error("cat", "no SNAPSHOT to write");
	if (optind + 1 < argc)
		return cli_usage_error("cat", "one SNAPSHOT at a time");
	if ((rc = cli_open_store(ctx, STORE_READONLY)))
		return rc;
	if ((rc = store_resolve(ctx->st, argv[optind], &id)) ||
	    (rc = store_raw(ctx->st, id, &data, &len)))
		return cli_fail(rc);
	rc = EXIT_OK;
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
		cli_error("cannot write snapshot %lld to standard output", (long long)id);
		rc = EXIT_TROUBLE;
	}
	free(data);
	return rc;
}
