/* cmd_report.c: `ianawatch report`: write the HTML site, Atom feed, Markdown and JSON reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "reports/reports.h"
#include "common/banned.h"

#define CMD_REPORT_STR(x) #x
#define CMD_REPORT_XSTR(x) CMD_REPORT_STR(x)

static const char *report_out, *report_since;
static int report_incremental;
static cli_watch report_watch_args;

static const cli_option report_options[] = {
	CLI_OPTION_STRING('o', "out", "DIR", &report_out,
	                  "where to write (default: reports/ next to the database)"),
	CLI_OPTION_DATE(0, "since", &report_since,
	                "only change sets whose registry date is DATE (YYYY-MM-DD)\n"
	                "or later"),
	CLI_OPTION_FLAG(0, "incremental", &report_incremental,
	                "reuse what an earlier run wrote into DIR: only change sets new since\n"
	                "then (or whose files are missing) are computed and written, with the\n"
	                "pages of the ports they touched, then the index, feed, changes.json\n"
	                "and search index; nothing at all when nothing is new\n"
	                "(what `fetch --report-dir` does)"),
	CLI_WATCH_OPTIONS(&report_watch_args),
	CLI_OPTION_HELP,
	CLI_OPTION_END,
};

static const cli_command_spec report_spec = {
	"report",
	"ianawatch report [--out DIR] [--since DATE] [--incremental] [--watch FILE]\n"
	"                        [--min-severity low|medium|high]",
	"Writes a static site of the stored history for people, feed readers and scripts:\n"
	"index.html (change sets newest first, with charts of assigned ports and of changes per\n"
	"month), one page per change set in changes/ with the same report as Markdown (.md),\n"
	"one page per port in ports/ (its states over time, linked to its change sets),\n"
	"search.html (ports, names, people, words; its index in search-index.js),\n"
	"feed.atom (Atom 1.0, the newest " CMD_REPORT_XSTR(REPORT_FEED_MAX) " change sets) and "
	"changes.json (every change set,\n"
	"oldest first, as `ianawatch diff --format json` prints it). A change set is what\n"
	"changed between two consecutive snapshots; snapshots differing only in the registry\n"
	"date make none. Pages need no network; only the search needs JavaScript. Every file is\n"
	"written to a temporary name and renamed, so a reader never sees half a page. With\n"
	"--watch or --min-severity, only the changes kept are listed (change sets left empty are\n"
	"not), the Markdown and JSON reports show each change's severity, and the whole site is\n"
	"written (--incremental is ignored); give it a DIR of its own.",
	report_options,
	"Prints the path of index.html and how many change sets, pages and files were written.\n"
	"Exit status: 0 written; 2 bad command line or a file could not be written; 4 no snapshot\n"
	"is stored; 5 the database is unusable.",
	NULL, 0, NULL,
};

CLI_DEFINE_SPEC(report, report_spec)

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
	report_site_stats stats;
	char *dir = NULL;
	int n, rc, status = EXIT_TROUBLE;

	report_out = report_since = NULL;
	report_incremental = 0;
	cli_watch_init(&report_watch_args);
	if ((rc = cli_parse_options(&report_spec, ctx, argc, argv, &n)) != CLI_PARSED)
		return rc;
	if ((rc = cli_watch_load(&report_watch_args)))
		return rc;
	dir = report_out ? iw_strdup(report_out) : cmd_report_default_dir(ctx->db_path);
	if ((rc = cli_open_store(ctx, STORE_READONLY))) {
		status = rc;
		goto out;
	}
	if ((rc = report_site_write_watch(ctx->st, dir, report_since, report_incremental,
	                                  cli_watch_get(&report_watch_args), &stats))) {
		status = cli_fail(rc);
		goto out;
	}
	if (!ctx->quiet)
		printf("%s/index.html: %zu change set%s in %zu snapshot%s; %zu page%s and %zu file%s "
		       "written\n", dir, stats.change_sets, stats.change_sets == 1 ? "" : "s",
		       stats.snapshots, stats.snapshots == 1 ? "" : "s", stats.pages_written,
		       stats.pages_written == 1 ? "" : "s", stats.files_written,
		       stats.files_written == 1 ? "" : "s");
	status = EXIT_OK;
out:
	free(dir);
	cli_watch_free(&report_watch_args);
	return status;
}
