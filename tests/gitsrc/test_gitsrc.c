/* test_gitsrc.c: which versions of a file gitsrc finds in histories built here with libgit2. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <git2.h>

#include "common/common.h"
#include "gitsrc/gitsrc.h"
#include "common/banned.h"

#define A "service-names-port-numbers.xml"
#define B "iana-etc/service-names-port-numbers.xml"
#define MAXC 8

/* One commit: its files ("path=content" separated by ';', "" for an empty tree), its time,
 * and its parents as indexes of earlier commits (-1: none; the default is the previous one). */
typedef struct commit_spec {
	const char *files;
	long when;
	int parent, merge; /* parent: -2 means the previous commit; merge: -1 for none */
} commit_spec;

typedef struct gitsrc_case {
	const char *what;
	commit_spec commits[MAXC];
	size_t ncommits;
	int head;            /* the commit HEAD points to (-1: the last) */
	const char *paths[2];
	/* The expected versions, "commit:path:content" separated by ' ', oldest first;
	 * NULL when gitsrc_open() must fail with `err`. */
	const char *expect;
	int err;
} gitsrc_case;

#define C(files, when) {files, when, -2, -1}

static const gitsrc_case gitsrc_cases[] = {
	{"one version, unchanged across commits",
	 {C(A "=x", 100), C(A "=x;README=r", 200), C(A "=x;README=s", 300)}, 3, -1, {A, B},
	 "0:" A ":x", 0},
	{"every change is a version, with its commit's time",
	 {C(A "=x", 100), C(A "=y", 200), C(A "=z", 300)}, 3, -1, {A, B},
	 "0:" A ":x 1:" A ":y 2:" A ":z", 0},
	{"a rename keeping the content is no new version",
	 {C(A "=x", 100), C(B "=x", 200), C(B "=y", 300)}, 3, -1, {A, B},
	 "0:" A ":x 2:" B ":y", 0},
	{"a revert to an earlier content is not read again",
	 {C(A "=x", 100), C(A "=y", 200), C(A "=x", 300), C(A "=w", 400)}, 4, -1, {A, B},
	 "0:" A ":x 1:" A ":y 3:" A ":w", 0},
	{"a file that disappears and comes back changed",
	 {C(A "=x", 100), C("README=r", 200), C(A "=y", 300)}, 3, -1, {A, B},
	 "0:" A ":x 2:" A ":y", 0},
	{"both paths in one commit, in the order given",
	 {C(B "=y;" A "=x", 100), C(A "=x;" B "=z", 200)}, 2, -1, {A, B},
	 "0:" A ":x 0:" B ":y 1:" B ":z", 0},
	{"history before the file existed is walked past",
	 {C("README=r", 100), C("README=s", 200), C(A "=x", 300)}, 3, -1, {A, B},
	 "2:" A ":x", 0},
	{"only the paths asked for",
	 {C(A "=x;other.xml=o", 100), C(A "=x;other.xml=p", 200)}, 2, -1, {"./other.xml", NULL},
	 "0:other.xml:o 1:other.xml:p", 0},
	{"a side branch counts from the merge commit (first parent)",
	 {C(A "=x", 100), C(A "=side", 200), {A "=x;README=r", 150, 0, -1},
	  {A "=side;README=r", 300, 2, 1}},
	 4, -1, {A, B}, "0:" A ":x 3:" A ":side", 0},
	{"the revision asked for bounds the history",
	 {C(A "=x", 100), C(A "=y", 200), C(A "=z", 300)}, 3, 1, {A, B},
	 "0:" A ":x 1:" A ":y", 0},
	{"a tree at the path is not a version",
	 {C(A "/inner=x", 100), C(A "=y", 200)}, 2, -1, {A, B}, "1:" A ":y", 0},
	{"no commit has the path",
	 {C("README=r", 100), C("README=s", 200)}, 2, -1, {A, B}, NULL, IW_ENOTFOUND},
};

typedef struct fixture {
	char dir[256];
	git_repository *repo;
	git_oid ids[MAXC];
} fixture;

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Writes a tree holding `files` (paths of at most one folder level, which is all the
 * registry mirrors need). */
static void write_tree(git_repository *repo, const char *files, git_oid *out)
{
	git_treebuilder *root = NULL;
	char *spec = strdup(files), *save = NULL, *item;
	assert_int_equal(git_treebuilder_new(&root, repo, NULL), 0);
	for (item = strtok_r(spec, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(item, '='), *slash;
		git_oid blob;
		assert_non_null(eq);
		*eq = '\0';
		assert_int_equal(git_blob_create_from_buffer(&blob, repo, eq + 1, strlen(eq + 1)), 0);
		slash = strchr(item, '/');
		if (!slash) {
			assert_int_equal(git_treebuilder_insert(NULL, root, item, &blob, GIT_FILEMODE_BLOB), 0);
			continue;
		}
		*slash = '\0';
		{
			git_treebuilder *sub = NULL;
			const git_tree_entry *have = git_treebuilder_get(root, item);
			git_tree *old = NULL;
			git_oid subid;
			if (have)
				assert_int_equal(git_tree_lookup(&old, repo, git_tree_entry_id(have)), 0);
			assert_int_equal(git_treebuilder_new(&sub, repo, old), 0);
			assert_int_equal(git_treebuilder_insert(NULL, sub, slash + 1, &blob, GIT_FILEMODE_BLOB), 0);
			assert_int_equal(git_treebuilder_write(&subid, sub), 0);
			assert_int_equal(git_treebuilder_insert(NULL, root, item, &subid, GIT_FILEMODE_TREE), 0);
			git_treebuilder_free(sub);
			git_tree_free(old);
		}
	}
	assert_int_equal(git_treebuilder_write(out, root), 0);
	git_treebuilder_free(root);
	free(spec);
}

static void build(fixture *f, const gitsrc_case *tc)
{
	size_t i;
	snprintf(f->dir, sizeof(f->dir), "%s/iwgit.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(git_repository_init(&f->repo, f->dir, 0), 0);
	for (i = 0; i < tc->ncommits; i++) {
		const commit_spec *c = &tc->commits[i];
		git_signature *sig = NULL;
		git_tree *tree = NULL;
		git_commit *parents[2] = {NULL, NULL};
		size_t np = 0, k;
		git_oid treeid;
		char msg[32];
		int p = c->parent == -2 ? (int)i - 1 : c->parent;
		write_tree(f->repo, c->files, &treeid);
		assert_int_equal(git_tree_lookup(&tree, f->repo, &treeid), 0);
		if (p >= 0)
			assert_int_equal(git_commit_lookup(&parents[np++], f->repo, &f->ids[p]), 0);
		if (c->merge >= 0)
			assert_int_equal(git_commit_lookup(&parents[np++], f->repo, &f->ids[c->merge]), 0);
		assert_int_equal(git_signature_new(&sig, "t", "t@example.org", c->when, 0), 0);
		snprintf(msg, sizeof(msg), "commit %zu\n", i);
		assert_int_equal(git_commit_create(&f->ids[i], f->repo, NULL, sig, sig, NULL, msg, tree,
		                                   np, (const git_commit **)parents), 0);
		for (k = 0; k < np; k++)
			git_commit_free(parents[k]);
		git_tree_free(tree);
		git_signature_free(sig);
	}
	{
		git_reference *ref = NULL;
		int head = tc->head >= 0 ? tc->head : (int)tc->ncommits - 1;
		assert_int_equal(git_reference_create(&ref, f->repo, "refs/heads/main", &f->ids[head], 1,
		                                      NULL), 0);
		git_reference_free(ref);
		assert_int_equal(git_repository_set_head(f->repo, "refs/heads/main"), 0);
	}
}

static void teardown_repo(fixture *f)
{
	git_repository_free(f->repo);
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void test_cases(void **state)
{
	size_t n;
	(void)state;
	assert_true(git_libgit2_init() > 0);
	for (n = 0; n < sizeof(gitsrc_cases) / sizeof(*gitsrc_cases); n++) {
		const gitsrc_case *tc = &gitsrc_cases[n];
		fixture f;
		gitsrc *g = NULL;
		iw_buf got = IW_BUF_INIT(1 << 16);
		const char *paths[2];
		size_t np = 0, i;
		int rc;

		memset(&f, 0, sizeof(f));
		build(&f, tc);
		for (i = 0; i < 2; i++)
			if (tc->paths[i])
				paths[np++] = tc->paths[i];
		rc = gitsrc_open(&g, f.dir, NULL, paths, np);
		if (!tc->expect) {
			if (rc != tc->err)
				fail_msg("%s: status %d, expected %d", tc->what, rc, tc->err);
			assert_null(g);
			teardown_repo(&f);
			continue;
		}
		if (rc)
			fail_msg("%s: %s", tc->what, iw_error_last());
		for (i = 0; i < gitsrc_count(g); i++) {
			const gitsrc_version *v = gitsrc_version_at(g, i);
			const unsigned char *data;
			size_t len, c;
			char hex[GIT_OID_HEXSZ + 1];
			assert_int_equal(gitsrc_read(g, i, &data, &len), IW_OK);
			for (c = 0; c < tc->ncommits; c++)
				if (!strcmp(git_oid_tostr(hex, sizeof(hex), &f.ids[c]), v->commit))
					break;
			assert_true(c < tc->ncommits);
			/* The version's time is its commit's. */
			assert_int_equal((long)v->time, tc->commits[c].when);
			iw_buf_printf(&got, "%s%zu:%s:%.*s", i ? " " : "", c, v->path, (int)len, data);
		}
		if (strcmp(got.data ? got.data : "", tc->expect))
			fail_msg("%s:\n  got    %s\n  expect %s", tc->what, got.data ? got.data : "",
			         tc->expect);
		assert_null(gitsrc_version_at(g, gitsrc_count(g)));
		gitsrc_free(g);
		iw_buf_free(&got);
		teardown_repo(&f);
	}
	git_libgit2_shutdown();
}

static void test_errors(void **state)
{
	static const gitsrc_case one = {"x", {C(A "=x", 100)}, 1, -1, {A, NULL}, "", 0};
	const char *paths[] = {A};
	fixture f;
	gitsrc *g = NULL;
	const unsigned char *data;
	size_t len;
	char other[300];
	(void)state;

	assert_true(git_libgit2_init() > 0);
	memset(&f, 0, sizeof(f));
	build(&f, &one);
	/* Not a repository: the folder inside it is not searched upwards. */
	snprintf(other, sizeof(other), "%s/.git/objects", f.dir);
	assert_int_equal(gitsrc_open(&g, other, NULL, paths, 1), IW_ENOTFOUND);
	assert_non_null(strstr(iw_error_last(), "not a git repository"));
	assert_int_equal(gitsrc_open(&g, "/nonexistent/repo", NULL, paths, 1), IW_ENOTFOUND);
	/* No such revision, a revision that is no commit, no path. */
	assert_int_equal(gitsrc_open(&g, f.dir, "no-such-branch", paths, 1), IW_ENOTFOUND);
	assert_non_null(strstr(iw_error_last(), "no-such-branch"));
	assert_int_equal(gitsrc_open(&g, f.dir, "HEAD^{tree}", paths, 1), IW_EINVAL);
	assert_int_equal(gitsrc_open(&g, f.dir, NULL, paths, 0), IW_EINVAL);
	{
		const char *empty[] = {"./"};
		assert_int_equal(gitsrc_open(&g, f.dir, NULL, empty, 1), IW_EINVAL);
	}
	assert_null(g);
	/* The .git folder and a branch name work as well as the work tree and HEAD. */
	snprintf(other, sizeof(other), "%s/.git", f.dir);
	assert_int_equal(gitsrc_open(&g, other, "main", paths, 1), IW_OK);
	assert_int_equal(gitsrc_count(g), 1);
	assert_int_equal(gitsrc_commits(g), 1);
	assert_int_equal(gitsrc_read(g, 1, &data, &len), IW_EINVAL);
	assert_int_equal(gitsrc_read(g, 0, &data, &len), IW_OK);
	assert_int_equal(len, 1);
	assert_memory_equal(data, "x", 1);
	gitsrc_free(g);
	gitsrc_free(NULL);
	teardown_repo(&f);
	git_libgit2_shutdown();
}

/* Versions come back right whatever the order of reads (the next one is read ahead). */
static void test_read_order(void **state)
{
	static const gitsrc_case three = {"x", {C(A "=v0", 100), C(A "=v1", 200), C(A "=v2", 300),
	                                       C(A "=v3", 400)}, 4, -1, {A, NULL}, "", 0};
	static const size_t order[] = {0, 1, 3, 2, 2, 0, 3, 1, 2, 3};
	const char *paths[] = {A};
	fixture f;
	gitsrc *g = NULL;
	size_t k;
	(void)state;
	assert_true(git_libgit2_init() > 0);
	memset(&f, 0, sizeof(f));
	build(&f, &three);
	assert_int_equal(gitsrc_open(&g, f.dir, NULL, paths, 1), IW_OK);
	assert_int_equal(gitsrc_count(g), 4);
	for (k = 0; k < sizeof(order) / sizeof(*order); k++) {
		const unsigned char *data;
		size_t len;
		char want[3];
		snprintf(want, sizeof(want), "v%zu", order[k]);
		assert_int_equal(gitsrc_read(g, order[k], &data, &len), IW_OK);
		assert_int_equal(len, 2);
		assert_memory_equal(data, want, 2);
	}
	/* Freed while a read ahead may still run. */
	gitsrc_free(g);
	teardown_repo(&f);
	git_libgit2_shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_read_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
