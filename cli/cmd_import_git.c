/* cmd_import_git.c: `ianawatch import-git`: backfill the history from a git mirror's commits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "ingest/ingest.h"
#include "gitsrc/gitsrc.h"
#include "common/banned.h"

static cli_strings import_git_paths;
static const char *import_git_ref;
static int import_git_no_raw, import_git_quiet;

static const cli_option import_git_options[] = {
	CLI_OPTION_LIST(0, "path", "FILE", &import_git_paths,
	                "the file's path in the repository; repeat it for a file that moved\n"
	                "(default: service-names-port-numbers.xml and\n"
	                "iana-etc/service-names-port-numbers.xml)"),
	CLI_OPTION_STRING(0, "ref", "REF", &import_git_ref,
	                  "the branch, tag or commit whose history to read (default: HEAD)"),
	CLI_OPTION_FLAG(0, "no-raw", &import_git_no_raw,
	                "do not keep the compressed original documents"),
	CLI_OPTION_FLAG('q', "quiet", &import_git_quiet, "print nothing but errors"),
	CLI_OPTION_HELP,
	CLI_OPTION_END,
};

static const cli_command_spec import_git_spec = {
	"import-git",
	"ianawatch import-git [--path FILE]... [--ref REF] [--no-raw] [-q] REPO",
	"Imports every version of the registry file kept in the history of the local git\n"
	"repository REPO, oldest first, each observed at its commit's (committer) time. Versions\n"
	"whose content is already stored are skipped, so mirrors can be imported one after the\n"
	"other, and again. History is followed through first parents (git log --first-parent):\n"
	"what a merged branch brought in counts from the merge commit.",
	import_git_options,
	"A version that is not a valid registry is reported (commit and path) and skipped; the\n"
	"exit status is then 3. Each snapshot's source is git:REPO@COMMIT:PATH.",
	"no REPO to import from", CLI_ANY_OPERANDS, NULL, /* more: a message of its own */
};

CLI_DEFINE_SPEC(import_git, import_git_spec)

typedef struct import_git_state {
	cli_ctx *ctx;
	const char *repo;
	store_import_opts opts;
	int quiet, progress, check_known;
	size_t stored, known, failed, done, total;
	struct timespec started;
} import_git_state;

static void import_git_progress(import_git_state *st)
{
	struct timespec now;
	double secs;
	if (!st->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - st->started.tv_sec) + (now.tv_nsec - st->started.tv_nsec) / 1e9;
	fprintf(stderr, "\rimporting: %zu/%zu versions, %.1f/s   ", st->done, st->total,
	        secs > 0 ? (double)st->done / secs : 0.0);
	if (st->done == st->total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* Reports a failure on a line of its own, below the progress line. */
static int import_git_fail(import_git_state *st, int code)
{
	if (st->progress)
		fputc('\n', stderr);
	return cli_fail(code);
}

/* A database that exists is opened now, so contents it already holds are recognised before
 * parsing; a missing one is created only once there is a valid document to put in it. */
static int import_git_open_store(import_git_state *st)
{
	store_snapshot *v = NULL;
	size_t n = 0;
	int rc = store_open(&st->ctx->st, st->ctx->db_path, STORE_WRITE);
	if (rc == IW_ENOTFOUND) {
		iw_error_clear();
		return EXIT_OK;
	}
	if (rc)
		return cli_fail(rc);
	if ((rc = store_list_snapshots(st->ctx->st, &v, &n)))
		return cli_fail(rc);
	store_snapshots_free(v, n);
	/* With nothing stored before this run, the only known contents are versions of this run,
	 * which gitsrc already lists once: hashing again would be wasted. */
	st->check_known = n > 0;
	return EXIT_OK;
}

/* Imports version i. Returns IW_OK, IW_EPARSE for a version that is no registry (reported,
 * the run goes on), or an exit status when the store failed (the run stops). */
static int import_git_one(import_git_state *st, gitsrc *g, size_t i)
{
	const gitsrc_version *v = gitsrc_version_at(g, i);
	const unsigned char *data;
	size_t len;
	registry_doc *doc = NULL;
	store_import_result res;
	char *source = iw_asprintf("git:%s@%s:%s", st->repo, v->commit, v->path);
	int rc;

	if ((rc = gitsrc_read(g, i, &data, &len))) {
		rc = import_git_fail(st, rc);
		goto out;
	}
	if (st->check_known) {
		unsigned char digest[IW_SHA256_LEN];
		char hex[2 * IW_SHA256_LEN + 1];
		int64_t id;
		iw_sha256(data, len, digest);
		iw_hex(digest, sizeof(digest), hex);
		if ((rc = store_find_sha256(st->ctx->st, hex, &id)) == IW_OK) {
			st->known++;
			if (st->ctx->verbose > 0)
				printf("%s: already stored as snapshot %lld\n", source, (long long)id);
			goto out;
		}
		if (rc != IW_ENOTFOUND) {
			rc = import_git_fail(st, rc);
			goto out;
		}
		iw_error_clear();
	}
	st->opts.observed_at = v->time;
	st->opts.source = source;
	if ((rc = ingest_document(&st->ctx->st, st->ctx->db_path, &st->opts, data, len, source, &doc, &res))) {
		import_git_fail(st, rc);
		if (!doc) {
			st->failed++;
			rc = IW_EPARSE; /* this version is no registry: go on with the next */
		} else {
			rc = cli_exit_for(rc); /* the store failed: the next would too */
		}
		goto out;
	}
	if (res.created) {
		st->stored++;
		if (st->ctx->verbose > 0)
			printf("%s: stored as snapshot %lld (registry %s, %zu records)\n", source,
			       (long long)res.snapshot_id, doc->updated, doc->nrecords);
	} else {
		st->known++;
		if (st->ctx->verbose > 0)
			printf("%s: already stored as snapshot %lld\n", source, (long long)res.snapshot_id);
	}
out:
	registry_doc_free(doc);
	free(source);
	return rc;
}

int cmd_import_git(cli_ctx *ctx, int argc, char **argv)
{
	import_git_state st;
	size_t i;
	gitsrc *g = NULL;
	int n, rc, worst = EXIT_OK;

	memset(&import_git_paths, 0, sizeof(import_git_paths));
	import_git_ref = NULL;
	import_git_no_raw = import_git_quiet = 0;
	rc = cli_parse_options(&import_git_spec, ctx, argc, argv, &n);
	if (rc == CLI_PARSED && n > 1)
		rc = cli_usage_error("one REPO at a time");
	if (rc != CLI_PARSED) {
		free((void *)import_git_paths.v);
		return rc;
	}
	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	store_import_opts_init(&st.opts);
	if (import_git_no_raw)
		st.opts.keep_raw = 0;
	st.quiet = import_git_quiet || ctx->quiet;
	st.repo = argv[1];
	ingest_tune_malloc();
	rc = import_git_paths.n
		? gitsrc_open(&g, st.repo, import_git_ref, import_git_paths.v, import_git_paths.n)
		: gitsrc_open(&g, st.repo, import_git_ref, gitsrc_default_paths, gitsrc_ndefault_paths);
	free((void *)import_git_paths.v);
	if (rc)
		return cli_fail(rc);
	if ((worst = import_git_open_store(&st)) != EXIT_OK)
		goto out;
	st.total = gitsrc_count(g);
	st.progress = !st.quiet && isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &st.started);
	for (i = 0; i < st.total; i++) {
		rc = import_git_one(&st, g, i);
		st.done++;
		if (rc == IW_EPARSE) {
			worst = cli_exit_for(IW_EPARSE);
		} else if (rc != IW_OK) {
			worst = rc; /* the store failed: the next versions would too */
			goto out;
		}
		import_git_progress(&st);
	}
	if (!st.quiet)
		printf("%s: %zu new snapshots, %zu already stored, %zu failed (%zu versions in %zu "
		       "commits)\n", st.repo, st.stored, st.known, st.failed, st.total,
		       gitsrc_commits(g));
out:
	gitsrc_free(g);
	return worst;
}
