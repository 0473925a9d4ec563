/* watch_opts.c: --watch, --min-severity and --kind, the same on every command that reports
 * changes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "diff/diff.h"
#include "common/banned.h"

void cli_watch_init(cli_watch *w)
{
	memset(w, 0, sizeof(*w));
	w->min = WATCH_LOW;
}

int cli_watch_parse_file(const char *arg, void *value)
{
	cli_watch *w = value;
	if (!*arg)
		return iw_error_set(IW_EINVAL, "expected a file name");
	w->file = arg;
	return IW_OK;
}

int cli_watch_parse_severity(const char *arg, void *value)
{
	cli_watch *w = value;
	int rc = watch_severity_parse(arg, &w->min);
	if (rc == IW_OK)
		w->min_set = 1;
	return rc;
}

int cli_parse_kinds(const char *arg, void *value)
{
	return diff_filter_parse_kinds(value, arg);
}

int cli_watch_load(cli_watch *w)
{
	int rc;
	if (w->file && (rc = watch_list_read(w->file, &w->list)))
		return cli_fail(rc);
	w->rw.list = w->list;
	w->rw.min = w->min;
	w->rw.show = w->file || w->min_set;
	return 0;
}

const report_watch *cli_watch_get(const cli_watch *w)
{
	return w->rw.show ? &w->rw : NULL;
}

void cli_watch_free(cli_watch *w)
{
	if (!w)
		return;
	watch_list_free(w->list);
	w->list = NULL;
}
