/* cmd_import.c: `ianawatch import`: store registry documents from files as snapshots. */
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "ingest/ingest.h"
#include "common/banned.h"

static const char import_usage[] =
	"usage: ianawatch import [--observed-at TIME] [--no-raw] [--force] FILE...\n"
	"       ianawatch import --manifest TSV [--no-raw] [--force]\n\n"
	"Stores each registry document (FILE may be gzip-compressed; - is stdin) as a snapshot.\n"
	"A document whose content is already stored is skipped; one observed before the newest\n"
	"snapshot takes its place in time.\n\n"
	"  --observed-at TIME  when the document was seen, ISO 8601 UTC (default: now)\n"
	"  --manifest TSV      import the files listed in TSV, one `path<TAB>observed_at` per\n"
	"                      line (extra middle columns and a header line are allowed; relative\n"
	"                      paths are relative to the manifest)\n"
	"  --no-raw            do not keep the compressed original document\n"
	"  --force             store documents that look implausible\n"
	"  -q, --quiet         print nothing but errors\n"
	"  -h, --help          print this help\n";

typedef struct import_state {
	cli_ctx *ctx;
	store_import_opts opts;
	int quiet, progress;
	size_t stored, known, failed, done, total;
	time_t started;
} import_state;

static void import_progress(import_state *st)
{
	double secs = difftime(time(NULL), st->started);
	if (!st->progress)
		return;
	fprintf(stderr, "\rimporting: %zu/%zu documents, %.1f/s   ", st->done, st->total,
	        secs > 0 ? (double)st->done / secs : 0.0);
	if (st->done == st->total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* Imports one file; errors are reported here so a batch can go on with the next file. */
static int import_one(import_state *st, const char *path, time_t observed, int say)
{
	iw_input in;
	registry_doc *doc = NULL;
	store_import_result res;
	const char *shown = strcmp(path, "-") ? path : "<stdin>";
	int rc;

	/* Over the size cap, a file cannot be a registry document: the status fetch gives a body
	 * over the same cap (iw_input_read() fails with IW_ENOMEM only at the cap). */
	if ((rc = iw_input_read(&in, path, REGISTRY_MAX_DOC_SIZE))) {
		if (rc == IW_ENOMEM)
			rc = iw_error_prefix(IW_EPARSE, "document too large");
		goto out;
	}
	st->opts.observed_at = observed;
	st->opts.source = path;
	if ((rc = ingest_document(&st->ctx->st, st->ctx->db_path, &st->opts, in.data, in.len, shown, &doc, &res)))
		goto out;
	if (res.created) {
		st->stored++;
		if (say)
			printf("%s: stored as snapshot %lld (registry %s, %zu records)\n", shown,
			       (long long)res.snapshot_id, doc->updated, doc->nrecords);
	} else {
		st->known++;
		if (say)
			printf("%s: already stored as snapshot %lld\n", shown, (long long)res.snapshot_id);
	}
out:
	if (rc) {
		st->failed++;
		if (st->progress)
			fputc('\n', stderr);
		cli_fail(rc);
	}
	registry_doc_free(doc);
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

static int import_manifest(import_state *st, const char *manifest)
{
	unsigned char *text = NULL;
	size_t len = 0, lineno = 0, nlines = 0;
	char *dir = NULL, *p, *slash, **paths = NULL;
	time_t *times = NULL;
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
				worst = cli_usage_error("import", "%s:%zu: expected path<TAB>observed_at",
				                        manifest, lineno);
				goto out;
			}
			if (iw_time_parse(when, &t) != IW_OK) {
				if (lineno == 1)
					goto next; /* a header line */
				cli_error("%s:%zu: %s", manifest, lineno, iw_error_last());
				worst = EXIT_USAGE;
				goto out;
			}
			paths = iw_realloc(paths, (nlines + 1) * sizeof(*paths));
			times = iw_realloc(times, (nlines + 1) * sizeof(*times));
			paths[nlines] = path[0] == '/' ? iw_strdup(path) : iw_asprintf("%s%s", dir, path);
			times[nlines++] = t;
		}
	next:
		p = nl ? nl + 1 : NULL;
	}
	st->total = nlines;
	for (size_t i = 0; i < nlines; i++) {
		int rc1 = import_one(st, paths[i], times[i], st->ctx->verbose > 0);
		st->done++;
		import_progress(st);
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
	if (!st->quiet)
		printf("%s: %zu new snapshots, %zu already stored, %zu failed\n", manifest, st->stored,
		       st->known, st->failed);
out:
	for (size_t i = 0; i < nlines; i++)
		free(paths[i]);
	free(paths);
	free(times);
	free(dir);
	free(text);
	return worst;
}

int cmd_import(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{"observed-at", required_argument, NULL, 'o'},
		{"manifest", required_argument, NULL, 'm'},
		{"no-raw", no_argument, NULL, 'R'},
		{"force", no_argument, NULL, 'f'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	import_state st;
	const char *manifest = NULL, *observed = NULL;
	time_t when;
	int c, rc, worst = EXIT_OK;

	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	store_import_opts_init(&st.opts);
	while ((c = getopt_long(argc, argv, ":qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': observed = optarg; break;
		case 'm': manifest = optarg; break;
		case 'R': st.opts.keep_raw = 0; break;
		case 'f': st.opts.force = 1; break;
		case 'q': st.quiet = 1; break;
		case 'h': fputs(import_usage, stdout); return EXIT_OK;
		default: return cli_bad_option("import", c, argv);
		}
	}
	if (manifest && (optind < argc || observed))
		return cli_usage_error("import", "--manifest takes no FILE and no --observed-at");
	if (!manifest && optind >= argc)
		return cli_usage_error("import", "no FILE to import");
	ingest_tune_malloc();
	when = iw_now();
	if (observed && iw_time_parse(observed, &when) != IW_OK)
		return cli_usage_error("import", "--observed-at: %s", iw_error_last());
	st.started = time(NULL);
	st.progress = !st.quiet && isatty(STDERR_FILENO);
	if (manifest)
		return import_manifest(&st, manifest);
	st.progress = 0;
	for (; optind < argc; optind++) {
		if ((rc = import_one(&st, argv[optind], when, !st.quiet)) != IW_OK && worst == EXIT_OK)
			worst = cli_exit_for(rc);
	}
	return worst;
}
