/* cmd_report.c: `ianawatch report`: write the HTML site, Atom feed, Markdown and JSON reports. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "reports/reports.h"
#include "common/banned.h"

#define CMD_REPORT_STR(x) #x
#define CMD_REPORT_XSTR(x) CMD_REPORT_STR(x)

static const char cmd_report_usage[] =
	"usage: ianawatch report [--out DIR] [--since DATE] [--incremental]\n"
	"\n"
	"Writes a static site of the stored history for people, feed readers and scripts:\n"
	"index.html (change sets newest first, with charts of assigned ports and of changes per\n"
	"month), one page per change set in changes/ with the same report as Markdown (.md),\n"
	"one page per port in ports/ (its states over time, linked to its change sets),\n"
	"search.html (ports, names, people, words; its index in search-index.js),\n"
	"feed.atom (Atom 1.0, the newest " CMD_REPORT_XSTR(REPORT_FEED_MAX) " change sets) and "
	"changes.json (every change set,\n"
	"oldest first, as `ianawatch diff --format json` prints it). A change set is what\n"
	"changed between two consecutive snapshots; snapshots differing only in the registry\n"
	"date make none. Pages need no network; only the search needs JavaScript. Every file is written to a\n"
	"temporary name and renamed, so a reader never sees half a page.\n"
	"\n"
	"  --out DIR       where to write (default: reports/ next to the database)\n"
	"  --since DATE    only change sets whose registry date is DATE (YYYY-MM-DD) or later\n"
	"  --incremental   reuse what an earlier run wrote into DIR: only change sets new since\n"
	"                  then (or whose files are missing) are computed and written, with the\n"
	"                  pages of the ports they touched, then the index, feed, changes.json\n"
	"                  and search index; nothing at all when nothing is new\n"
	"                  (what `fetch --report-dir` does)\n"
	"  -h, --help      this help\n"
	"\n"
	"Prints the path of index.html and how many change sets, pages and files were written.\n"
	"Exit status: 0 written; 2 bad command line or a file could not be written; 4 no snapshot\n"
	"is stored; 5 the database is unusable.\n";

/* reports/ in the folder holding the database. */
static char *cmd_report_default_dir(const char *db_path)
{
	const char *slash = strrchr(db_path, '/');
	if (!slash)
		return iw_strdup("reports");
	if (slash == db_path)
		return iw_strdup("/reports");
	return iw_asprintf("%.*s/reports", (int)(slash - db_path), db_path);
}

int cmd_report(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"out", required_argument, NULL, 'o'},
		{"since", required_argument, NULL, 's'},
		{"incremental", no_argument, NULL, 'i'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	report_site_stats stats;
	const char *out = NULL, *since = NULL;
	char *dir = NULL;
	int opt, rc, status = EXIT_TROUBLE, incremental = 0;

	while ((opt = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(cmd_report_usage, stdout);
			status = EXIT_OK;
			goto out;
		case 'o':
			if (!*optarg) {
				status = cli_usage_error(argv[0], "--out needs a folder");
				goto out;
			}
			out = optarg;
			break;
		case 's':
			if (!iw_date_valid(optarg)) {
				status = cli_usage_error(argv[0], "--since needs a date YYYY-MM-DD, not '%s'",
				                         optarg);
				goto out;
			}
			since = optarg;
			break;
		case 'i':
			incremental = 1;
			break;
		default:
			status = cli_bad_option(argv[0], opt, argv);
			goto out;
		}
	}
	if (optind < argc) {
		status = cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	dir = out ? iw_strdup(out) : cmd_report_default_dir(ctx->db_path);
	if ((rc = cli_open_store(ctx, STORE_READONLY))) {
		status = rc;
		goto out;
	}
	if ((rc = report_site_write(ctx->st, dir, since, incremental, &stats))) {
		status = cli_fail(rc);
		goto out;
	}
	if (!ctx->quiet)
		printf("%s/index.html: %zu change set%s in %zu snapshot%s; %zu page%s and %zu file%s "
		       "written\n", dir, stats.change_sets, stats.change_sets == 1 ? "" : "s",
		       stats.snapshots, stats.snapshots == 1 ? "" : "s", stats.pages_written,
		       stats.pages_written == 1 ? "" : "s", stats.files_written,
		       stats.files_written == 1 ? "" : "s");
	if (fflush(stdout)) {
		cli_error("writing the summary: %s", strerror(errno));
		goto out;
	}
	status = EXIT_OK;
out:
	free(dir);
	return status;
}
