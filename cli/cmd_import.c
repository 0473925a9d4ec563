/* cmd_import.c: `ianawatch import`: store registry documents from files as snapshots. */
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/banned.h"

/* --observed-at: parsed while the command line is read, so a bad one stops the run early. */
typedef struct import_when {
	int given;
	time_t at;
} import_when;

static import_when import_observed;
static const char *import_manifest_path;
static int import_no_raw, import_force;

static int import_parse_time(const char *arg, void *value)
{
	import_when *w = value;
	w->given = 1;
	return iw_time_parse(arg, &w->at);
}

static const cli_option import_options[] = {
	CLI_OPTION_CALL(0, "observed-at", "TIME", &import_observed, import_parse_time,
	                "when the document was seen, ISO 8601 UTC (default: now; not\n"
	                "later than a day from now)"),
	CLI_OPTION_STRING(0, "manifest", "TSV", &import_manifest_path,
	                  "import the files listed in TSV, one `path<TAB>observed_at` per\n"
	                  "line (extra middle columns and a header line are allowed; relative\n"
	                  "paths are relative to the manifest)"),
	CLI_OPTION_FLAG(0, "no-raw", &import_no_raw, "do not keep the compressed original document"),
	CLI_OPTION_FLAG(0, "force", &import_force,
	                "store documents that look implausible (future registry date,\n"
	                "too many records or repeated records)"),
	CLI_OPTION_QUIET("print nothing but errors"),
	CLI_OPTION_HELP,
	CLI_OPTION_END,
};

static const cli_command_spec import_spec = {
	"import",
	"ianawatch import [--observed-at TIME] [--no-raw] [--force] FILE...\n"
	"       ianawatch import --manifest TSV [--no-raw] [--force]",
	"Stores each registry document (FILE may be gzip-compressed; - is stdin) as a snapshot.\n"
	"A document whose content is already stored is skipped; snapshots are ordered by the\n"
	"registry's date, then observed time, so an older registry takes its place in time.",
	import_options,
	"Exit status: 0 every document stored or already stored; 2 a bad command line, or a file\n"
	"that cannot be read; 3 a document that is no valid registry (the others are still\n"
	"imported); 8 refused as implausible (see --force); 5 and 6 for database failures. With\n"
	"several documents, the status of the first failure.",
	NULL, CLI_ANY_OPERANDS, NULL, /* FILE..., or none with --manifest */
};

CLI_DEFINE_SPEC(import, import_spec)

/* Imports one file; errors are reported here so a batch can go on with the next file. */
static int import_one(cli_import *im, const char *path, time_t observed)
{
	iw_input in;
	const char *shown = strcmp(path, "-") ? path : "<stdin>";
	int rc;

	/* Over the size cap, a file cannot be a registry document: the status fetch gives a body
	 * over the same cap (iw_input_read() fails with IW_ENOMEM only at the cap). */
	if ((rc = iw_input_read(&in, path, REGISTRY_MAX_DOC_SIZE))) {
		if (rc == IW_ENOMEM)
			rc = iw_error_prefix(IW_EPARSE, "document too large");
		cli_import_fail(im, rc);
	} else {
		rc = cli_import_document(im, in.data, in.len, observed, path, shown, NULL);
	}
	iw_input_free(&in);
	return rc;
}

/* Splits a manifest line into its first and last tab-separated fields, in place. */
static int import_manifest_line(char *line, char **path, char **when)
{
	char *tab = strchr(line, '\t'), *last = strrchr(line, '\t');
	size_t n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (!tab)
		return -1;
	*tab = '\0';
	*path = line;
	*when = last + 1;
	return 0;
}

/* A document the manifest lists. */
typedef struct import_entry {
	char *path;
	time_t observed;
} import_entry;

static int import_manifest(cli_import *im, const char *manifest)
{
	unsigned char *text = NULL;
	size_t len = 0, lineno = 0, nlines = 0;
	char *dir = NULL, *p, *slash;
	import_entry *v = NULL;
	int rc, worst = EXIT_OK;

	if ((rc = iw_read_file(manifest, 64u * 1024 * 1024, &text, &len)))
		return cli_fail(rc);
	dir = iw_strdup(manifest);
	slash = strrchr(dir, '/');
	if (slash)
		slash[1] = '\0';
	else
		dir[0] = '\0';
	/* Read the whole manifest first: a bad line stops the run before anything is stored. */
	for (p = (char *)text; p && *p;) {
		char *nl = strchr(p, '\n'), *path, *when;
		time_t t;
		if (nl)
			*nl = '\0';
		lineno++;
		if (*p && *p != '#') {
			if (import_manifest_line(p, &path, &when)) {
				worst = cli_usage_error("%s:%zu: expected path<TAB>observed_at", manifest,
				                        lineno);
				goto out;
			}
			if (iw_time_parse(when, &t) != IW_OK) {
				if (lineno == 1)
					goto next; /* a header line */
				cli_error("%s:%zu: %s", manifest, lineno, iw_error_last());
				worst = EXIT_USAGE;
				goto out;
			}
			v = iw_realloc(v, (nlines + 1) * sizeof(*v));
			v[nlines].path = path[0] == '/' ? iw_strdup(path) : iw_asprintf("%s%s", dir, path);
			v[nlines++].observed = t;
		}
	next:
		p = nl ? nl + 1 : NULL;
	}
	cli_import_start(im, nlines);
	for (size_t i = 0; i < nlines; i++) {
		int rc1 = import_one(im, v[i].path, v[i].observed);
		cli_import_step(im);
		if (rc1 != IW_OK && worst == EXIT_OK)
			worst = cli_exit_for(rc1);
		/* A bad document is skipped; a failing database fails every later one too. */
		if (rc1 == IW_EDB || rc1 == IW_EBUSY || rc1 == IW_EIO)
			break;
#ifdef __GLIBC__
		/* ingest_tune_malloc() keeps freed buffers for the next document; a long
		 * backfill would otherwise fragment the heap into ever more memory. */
		if (i % 4 == 3)
			malloc_trim(0);
#endif
	}
	cli_import_summary(im, manifest, "");
out:
	for (size_t i = 0; i < nlines; i++)
		free(v[i].path);
	free(v);
	free(dir);
	free(text);
	return worst;
}

int cmd_import(cli_ctx *ctx, int argc, char **argv)
{
	cli_import im;
	time_t when;
	int i, n, rc, worst = EXIT_OK;

	memset(&import_observed, 0, sizeof(import_observed));
	import_manifest_path = NULL;
	import_no_raw = import_force = 0;
	if ((rc = cli_parse_options(&import_spec, ctx, argc, argv, &n)) != CLI_PARSED)
		return rc;
	if (import_manifest_path && (n > 0 || import_observed.given))
		return cli_usage_error("--manifest takes no FILE and no --observed-at");
	if (!import_manifest_path && n < 1)
		return cli_usage_error("no FILE to import");
	/* No system opens a longer name; the message would be cut before saying so. */
	for (i = 1; i <= n; i++)
		if (strlen(argv[i]) >= PATH_MAX)
			return cli_usage_error("%s: file name too long", cli_quote(argv[i]));
	if (import_manifest_path && strlen(import_manifest_path) >= PATH_MAX)
		return cli_usage_error("%s: file name too long", cli_quote(import_manifest_path));
	cli_import_init(&im, ctx, import_no_raw, "documents");
	im.opts.force = import_force;
	if (import_manifest_path) {
		im.say = ctx->verbose > 0;
		return import_manifest(&im, import_manifest_path);
	}
	im.say = !im.quiet;
	when = import_observed.given ? import_observed.at : iw_now();
	for (i = 1; i <= n; i++) {
		rc = import_one(&im, argv[i], when);
		if (rc != IW_OK && worst == EXIT_OK)
			worst = cli_exit_for(rc);
	}
	return worst;
}
