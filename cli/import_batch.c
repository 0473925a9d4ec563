/* import_batch.c: what import and import-git share: storing a batch of documents, with counts,
 * a progress line and one summary. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "ingest/ingest.h"
#include "common/banned.h"

void cli_import_init(cli_import *im, cli_ctx *ctx, int no_raw, const char *unit)
{
	memset(im, 0, sizeof(*im));
	im->ctx = ctx;
	store_import_opts_init(&im->opts);
	if (no_raw)
		im->opts.keep_raw = 0;
	im->quiet = ctx->quiet;
	im->unit = unit;
	ingest_tune_malloc();
}

void cli_import_start(cli_import *im, size_t total)
{
	im->total = total;
	im->progress = !im->quiet && isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &im->started);
}

void cli_import_step(cli_import *im)
{
	struct timespec now;
	double secs;
	im->done++;
	if (!im->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - im->started.tv_sec) + (now.tv_nsec - im->started.tv_nsec) / 1e9;
	fprintf(stderr, "\rimporting: %zu/%zu %s, %.1f/s   ", im->done, im->total, im->unit,
	        secs > 0 ? (double)im->done / secs : 0.0);
	if (im->done == im->total)
		fputc('\n', stderr);
	fflush(stderr);
}

int cli_import_fail(cli_import *im, int code)
{
	im->failed++;
	if (im->progress)
		fputc('\n', stderr);
	return cli_fail(code);
}

void cli_import_known(cli_import *im, const char *shown, int64_t id)
{
	im->known++;
	if (im->say)
		printf("%s: already stored as snapshot %lld\n", shown, (long long)id);
}

int cli_import_document(cli_import *im, const unsigned char *data, size_t len, time_t observed,
                        const char *source, const char *shown, int *parsed)
{
	registry_doc *doc = NULL;
	store_import_result res;
	int rc;

	im->opts.observed_at = observed;
	im->opts.source = source;
	rc = ingest_document(&im->ctx->st, im->ctx->db_path, &im->opts, data, len, shown, &doc, &res);
	if (parsed)
		*parsed = doc != NULL;
	if (rc) {
		cli_import_fail(im, rc);
	} else if (!res.created) {
		cli_import_known(im, shown, res.snapshot_id);
	} else {
		im->stored++;
		if (im->say)
			printf("%s: stored as snapshot %lld (registry %s, %zu records)\n", shown,
			       (long long)res.snapshot_id, doc->updated, doc->nrecords);
	}
	registry_doc_free(doc);
	return rc;
}

void cli_import_summary(const cli_import *im, const char *name, const char *more)
{
	if (!im->quiet)
		printf("%s: %zu new snapshots, %zu already stored, %zu failed%s\n", name, im->stored,
		       im->known, im->failed, more);
}
