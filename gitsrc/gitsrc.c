/* gitsrc.c: lists and reads the versions of a file in a git repository's history (libgit2). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "common/common.h"
#include "gitsrc/gitsrc.h"
#include "common/banned.h"

const char *const gitsrc_default_paths[] = {
	"service-names-port-numbers.xml",
	"iana-etc/service-names-port-numbers.xml",
};
const size_t gitsrc_ndefault_paths = sizeof(gitsrc_default_paths) / sizeof(*gitsrc_default_paths);

struct gitsrc {
	git_repository *repo;
	char *name;               /* the repository as given, for messages */
	char **paths;
	size_t npaths;
	gitsrc_version *v;
	size_t n, alloc;
	size_t *slots;            /* open addressing over v by blob id: index + 1, 0 is empty */
	size_t nslots;
	size_t commits;
	git_blob *blob;           /* the one gitsrc_read() handed out last */
	int initialised;          /* git_libgit2_init() was called */
	/* Read-ahead: while the caller works on version i, a thread resolves version i+1. Only
	 * one thread uses libgit2 at a time: the caller's next gitsrc_read() (or gitsrc_free())
	 * joins the reader before touching the repository. */
	pthread_t ahead;
	int ahead_running;
	size_t ahead_index;
	git_blob *ahead_blob;
	int ahead_rc;
	char ahead_err[512];
};

/* Turns libgit2's last error into ours; GIT_ENOTFOUND becomes IW_ENOTFOUND. */
static int gitsrc_fail(int gerr, const char *what, const char *name)
{
	const git_error *e = git_error_last();
	return iw_error_set(gerr == GIT_ENOTFOUND ? IW_ENOTFOUND : IW_EIO, "%s: %s: %s", name, what,
	                    e && e->message ? e->message : "unknown git error");
}

/* Object ids are SHA-1s: their first bytes are already well spread. */
static size_t gitsrc_slot(const gitsrc *g, const unsigned char *id)
{
	uint64_t k;
	memcpy(&k, id, sizeof(k));
	return (size_t)k & (g->nslots - 1);
}

static int gitsrc_seen(const gitsrc *g, const unsigned char *id)
{
	size_t j;
	if (!g->nslots)
		return 0;
	for (j = gitsrc_slot(g, id); g->slots[j]; j = (j + 1) & (g->nslots - 1))
		if (!memcmp(g->v[g->slots[j] - 1].blob, id, GIT_OID_RAWSZ))
			return 1;
	return 0;
}

static void gitsrc_index(gitsrc *g, size_t i)
{
	size_t j = gitsrc_slot(g, g->v[i].blob);
	while (g->slots[j])
		j = (j + 1) & (g->nslots - 1);
	g->slots[j] = i + 1;
}

static void gitsrc_add(gitsrc *g, const git_oid *blob, const git_commit *commit, size_t path)
{
	gitsrc_version *v;
	size_t i;
	IW_GROW(g->v, g->n, g->alloc, 64);
	v = &g->v[g->n++];
	memset(v, 0, sizeof(*v));
	git_oid_tostr(v->commit, sizeof(v->commit), git_commit_id(commit));
	v->path = g->paths[path];
	v->time = (time_t)git_commit_time(commit);
	memcpy(v->blob, blob->id, GIT_OID_RAWSZ);
	/* Keep the table at most half full. */
	if (g->n * 2 > g->nslots) {
		g->nslots = g->nslots ? g->nslots * 2 : 256;
		free(g->slots);
		g->slots = iw_calloc(g->nslots, sizeof(*g->slots));
		for (i = 0; i < g->n; i++)
			gitsrc_index(g, i);
	} else {
		gitsrc_index(g, g->n - 1);
	}
}

/* Notes the paths' blobs in one commit; `last` holds the blob each path had in the previous
 * commit, so that the common case (file unchanged) costs one comparison. */
static int gitsrc_commit(gitsrc *g, const git_oid *id, git_oid *last_tree, git_oid *last)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	size_t i;
	int rc = IW_OK, gerr;

	if ((gerr = git_commit_lookup(&commit, g->repo, id))) {
		rc = gitsrc_fail(gerr, "read commit", g->name);
		goto out;
	}
	g->commits++;
	/* A commit that changed nothing in the tree (empty, or a merge of nothing) is skipped. */
	if (git_oid_equal(git_commit_tree_id(commit), last_tree))
		goto out;
	git_oid_cpy(last_tree, git_commit_tree_id(commit));
	if ((gerr = git_commit_tree(&tree, commit))) {
		rc = gitsrc_fail(gerr, "read tree", g->name);
		goto out;
	}
	for (i = 0; i < g->npaths; i++) {
		git_tree_entry *e = NULL;
		gerr = git_tree_entry_bypath(&e, tree, g->paths[i]);
		if (gerr == GIT_ENOTFOUND) {
			memset(&last[i], 0, sizeof(last[i]));
			continue;
		}
		if (gerr) {
			rc = gitsrc_fail(gerr, "read tree", g->name);
			goto out;
		}
		if (git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
		    !git_oid_equal(git_tree_entry_id(e), &last[i])) {
			git_oid_cpy(&last[i], git_tree_entry_id(e));
			if (!gitsrc_seen(g, last[i].id))
				gitsrc_add(g, &last[i], commit, i);
		}
		git_tree_entry_free(e);
	}
out:
	git_tree_free(tree);
	git_commit_free(commit);
	return rc;
}

/* Looks version i's blob up; on failure the message is set (in the calling thread). */
static int gitsrc_lookup(gitsrc *g, size_t i, git_blob **out)
{
	git_oid id;
	int gerr;
	*out = NULL;
	memcpy(id.id, g->v[i].blob, GIT_OID_RAWSZ);
	if ((gerr = git_blob_lookup(out, g->repo, &id)))
		return iw_error_prefix(gitsrc_fail(gerr, "read blob", g->name), "%s:%s", g->v[i].commit,
		                       g->v[i].path);
	return IW_OK;
}

static void *gitsrc_ahead_main(void *arg)
{
	gitsrc *g = arg;
	g->ahead_rc = gitsrc_lookup(g, g->ahead_index, &g->ahead_blob);
	if (g->ahead_rc)
		snprintf(g->ahead_err, sizeof(g->ahead_err), "%s", iw_error_last());
	return NULL;
}

/* Waits for the reader, if any; its result stays in ahead_*. */
static void gitsrc_ahead_join(gitsrc *g)
{
	if (!g->ahead_running)
		return;
	pthread_join(g->ahead, NULL);
	g->ahead_running = 0;
}

static void gitsrc_ahead_start(gitsrc *g, size_t i)
{
	g->ahead_index = i;
	g->ahead_blob = NULL;
	g->ahead_rc = IW_OK;
	/* Without a thread, the next read simply happens in the caller's. */
	g->ahead_running = pthread_create(&g->ahead, NULL, gitsrc_ahead_main, g) == 0;
	if (!g->ahead_running)
		g->ahead_index = SIZE_MAX;
}

/* "./a/b" and "/a/b" are "a/b": tree paths are relative to the root. */
static char *gitsrc_path(const char *p)
{
	for (;;) {
		if (p[0] == '.' && p[1] == '/')
			p += 2;
		else if (p[0] == '/')
			p++;
		else
			break;
	}
	return iw_strdup(p);
}

int gitsrc_open(gitsrc **out, const char *repo, const char *ref, const char *const *paths,
                size_t npaths)
{
	gitsrc *g = iw_calloc(1, sizeof(*g));
	git_object *obj = NULL;
	git_revwalk *walk = NULL;
	git_oid id, last_tree, *last = NULL;
	size_t i;
	int rc = IW_OK, gerr;

	*out = NULL;
	g->ahead_index = SIZE_MAX; /* nothing read ahead */
	if (!ref)
		ref = "HEAD";
	g->name = iw_strdup(repo);
	if (git_libgit2_init() < 0) {
		rc = iw_error_set(IW_ERROR, "cannot initialise libgit2");
		goto out;
	}
	g->initialised = 1;
	/* Re-hashing every object read (SHA-1 with collision detection) costs more than resolving
	 * it from the pack; inflating still checks each object's zlib checksum, and a version
	 * that is no registry never gets past the parser. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	if (npaths == 0) {
		rc = iw_error_set(IW_EINVAL, "%s: no path to look for", repo);
		goto out;
	}
	g->paths = iw_calloc(npaths, sizeof(*g->paths));
	g->npaths = npaths;
	for (i = 0; i < npaths; i++) {
		g->paths[i] = gitsrc_path(paths[i]);
		if (!g->paths[i][0]) {
			rc = iw_error_set(IW_EINVAL, "%s: empty path '%s'", repo, paths[i]);
			goto out;
		}
	}
	if ((gerr = git_repository_open_ext(&g->repo, repo, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL))) {
		rc = gerr == GIT_ENOTFOUND
			? iw_error_set(IW_ENOTFOUND, "%s: not a git repository", repo)
			: gitsrc_fail(gerr, "open", repo);
		goto out;
	}
	if ((gerr = git_revparse_single(&obj, g->repo, ref))) {
		rc = gerr == GIT_ENOTFOUND || gerr == GIT_EAMBIGUOUS || gerr == GIT_EINVALIDSPEC
			? iw_error_set(IW_ENOTFOUND, "%s: no revision '%s'", repo, ref)
			: gitsrc_fail(gerr, "resolve revision", repo);
		goto out;
	}
	{
		git_object *commit = NULL;
		if ((gerr = git_object_peel(&commit, obj, GIT_OBJECT_COMMIT))) {
			rc = iw_error_set(IW_EINVAL, "%s: '%s' is not a commit", repo, ref);
			goto out;
		}
		git_oid_cpy(&id, git_object_id(commit));
		git_object_free(commit);
	}
	if ((gerr = git_revwalk_new(&walk, g->repo)) ||
	    (gerr = git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME | GIT_SORT_REVERSE)) ||
	    (gerr = git_revwalk_simplify_first_parent(walk)) ||
	    (gerr = git_revwalk_push(walk, &id))) {
		rc = gitsrc_fail(gerr, "walk history", repo);
		goto out;
	}
	last = iw_calloc(npaths, sizeof(*last));
	memset(&last_tree, 0, sizeof(last_tree));
	while ((gerr = git_revwalk_next(&id, walk)) == 0)
		if ((rc = gitsrc_commit(g, &id, &last_tree, last)))
			goto out;
	if (gerr != GIT_ITEROVER) {
		rc = gitsrc_fail(gerr, "walk history", repo);
		goto out;
	}
	if (g->n == 0) {
		rc = iw_error_set(IW_ENOTFOUND, "%s: no commit of '%s' has %s%s", repo, ref,
		                  g->paths[0], npaths > 1 ? " or the other paths" : "");
		goto out;
	}
out:
	free(last);
	git_revwalk_free(walk);
	git_object_free(obj);
	if (rc) {
		gitsrc_free(g);
		return rc;
	}
	*out = g;
	return IW_OK;
}

void gitsrc_free(gitsrc *g)
{
	size_t i;
	if (!g)
		return;
	gitsrc_ahead_join(g);
	git_blob_free(g->ahead_blob);
	git_blob_free(g->blob);
	git_repository_free(g->repo);
	for (i = 0; i < g->npaths; i++)
		free(g->paths[i]);
	free(g->paths);
	free(g->v);
	free(g->slots);
	free(g->name);
	if (g->initialised)
		git_libgit2_shutdown();
	free(g);
}

size_t gitsrc_count(const gitsrc *g)
{
	return g->n;
}

const gitsrc_version *gitsrc_version_at(const gitsrc *g, size_t i)
{
	return i < g->n ? &g->v[i] : NULL;
}

size_t gitsrc_commits(const gitsrc *g)
{
	return g->commits;
}

int gitsrc_read(gitsrc *g, size_t i, const unsigned char **data, size_t *len)
{
	int rc;
	*data = NULL;
	*len = 0;
	if (i >= g->n)
		return iw_error_set(IW_EINVAL, "%s: no version %zu", g->name, i);
	gitsrc_ahead_join(g);
	git_blob_free(g->blob);
	g->blob = NULL;
	if (g->ahead_index == i) {
		g->blob = g->ahead_blob;
		rc = g->ahead_rc;
		if (rc)
			iw_error_set(rc, "%s", g->ahead_err);
	} else {
		git_blob_free(g->ahead_blob);
		rc = gitsrc_lookup(g, i, &g->blob);
	}
	g->ahead_blob = NULL;
	g->ahead_index = SIZE_MAX;
	if (rc)
		return rc;
	if (i + 1 < g->n)
		gitsrc_ahead_start(g, i + 1);
	*data = git_blob_rawcontent(g->blob);
	*len = (size_t)git_blob_rawsize(g->blob);
	return IW_OK;
}

const char *gitsrc_library_version(void)
{
	static char text[32];
	int major = 0, minor = 0, rev = 0;
	if (!text[0]) {
		git_libgit2_version(&major, &minor, &rev);
		snprintf(text, sizeof(text), "libgit2 %d.%d.%d", major, minor, rev);
	}
	return text;
}
