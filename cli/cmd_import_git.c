/* cmd_import_git.c: `ianawatch import-git`: backfill the history from a git mirror's commits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "gitsrc/gitsrc.h"
#include "common/banned.h"

static cli_strings import_git_paths;
static const char *import_git_ref;
static int import_git_no_raw;

static const cli_option import_git_options[] = {
	CLI_OPTION_LIST(0, "path", "FILE", &import_git_paths,
	                "the file's path in the repository; repeat it for a file that moved\n"
	                "(default: service-names-port-numbers.xml and\n"
	                "iana-etc/service-names-port-numbers.xml)"),
	CLI_OPTION_STRING(0, "ref", "REF", &import_git_ref,
	                  "the branch, tag or commit whose history to read (default: HEAD)"),
	CLI_OPTION_FLAG(0, "no-raw", &import_git_no_raw,
	                "do not keep the compressed original documents"),
	CLI_OPTION_QUIET("print nothing but errors"),
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

/* A database that exists is opened now, so contents it already holds are recognised before
 * parsing; a missing one is created only once there is a valid document to put in it. Sets
 * *check_known when it holds snapshots. */
static int import_git_open_store(cli_ctx *ctx, int *check_known)
{
	store_snapshot *v = NULL;
	size_t n = 0;
	int rc = store_open(&ctx->st, ctx->db_path, STORE_WRITE);
	if (rc == IW_ENOTFOUND) {
		iw_error_clear();
		return EXIT_OK;
	}
	if (rc)
		return cli_fail(rc);
	if ((rc = store_list_snapshots(ctx->st, &v, &n)))
		return cli_fail(rc);
	store_snapshots_free(v, n);
	/* With nothing stored before this run, the only known contents are versions of this run,
	 * which gitsrc already lists once: hashing again would be wasted. */
	*check_known = n > 0;
	return EXIT_OK;
}

/* Imports version i. Returns IW_OK, IW_EPARSE for a version that is no registry (reported,
 * the run goes on), or an exit status when the store failed (the run stops). */
static int import_git_one(cli_import *im, const char *repo, int check_known, gitsrc *g,
                          size_t i)
{
	const gitsrc_version *v = gitsrc_version_at(g, i);
	const unsigned char *data;
	size_t len;
	char *source = iw_asprintf("git:%s@%s:%s", repo, v->commit, v->path);
	int rc, parsed;

	if ((rc = gitsrc_read(g, i, &data, &len))) {
		rc = cli_import_fail(im, rc);
		goto out;
	}
	if (check_known) {
		unsigned char digest[IW_SHA256_LEN];
		char hex[2 * IW_SHA256_LEN + 1];
		int64_t id;
		iw_sha256(data, len, digest);
		iw_hex(digest, sizeof(digest), hex);
		if ((rc = store_find_sha256(im->ctx->st, hex, &id)) == IW_OK) {
			cli_import_known(im, source, id);
			goto out;
		}
		if (rc != IW_ENOTFOUND) {
			rc = cli_import_fail(im, rc);
			goto out;
		}
		iw_error_clear();
	}
	if ((rc = cli_import_document(im, data, len, v->time, source, source, &parsed)))
		/* a version that is no registry: go on with the next; the store failed: the next
		 * would too */
		rc = parsed ? cli_exit_for(rc) : IW_EPARSE;
out:
	free(source);
	return rc;
}

int cmd_import_git(cli_ctx *ctx, int argc, char **argv)
{
	cli_import im;
	size_t i;
	gitsrc *g = NULL;
	int n, rc, check_known = 0, worst = EXIT_OK;
	char more[64];

	memset(&import_git_paths, 0, sizeof(import_git_paths));
	import_git_ref = NULL;
	import_git_no_raw = 0;
	rc = cli_parse_options(&import_git_spec, ctx, argc, argv, &n);
	if (rc == CLI_PARSED && n > 1)
		rc = cli_usage_error("one REPO at a time");
	if (rc != CLI_PARSED) {
		free((void *)import_git_paths.v);
		return rc;
	}
	cli_import_init(&im, ctx, import_git_no_raw, "versions");
	im.say = ctx->verbose > 0;
	rc = import_git_paths.n
		? gitsrc_open(&g, argv[1], import_git_ref, import_git_paths.v, import_git_paths.n)
		: gitsrc_open(&g, argv[1], import_git_ref, gitsrc_default_paths, gitsrc_ndefault_paths);
	free((void *)import_git_paths.v);
	if (rc)
		return cli_fail(rc);
	if ((worst = import_git_open_store(ctx, &check_known)) != EXIT_OK)
		goto out;
	cli_import_start(&im, gitsrc_count(g));
	for (i = 0; i < im.total; i++) {
		rc = import_git_one(&im, argv[1], check_known, g, i);
		if (rc == IW_EPARSE) {
			worst = cli_exit_for(IW_EPARSE);
		} else if (rc != IW_OK) {
			worst = rc; /* the store failed: the next versions would too */
			goto out;
		}
		cli_import_step(&im);
	}
	snprintf(more, sizeof(more), " (%zu versions in %zu commits)", im.total, gitsrc_commits(g));
	cli_import_summary(&im, argv[1], more);
out:
	gitsrc_free(g);
	return worst;
}
