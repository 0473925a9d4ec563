/*
 * gitsrc.h: the versions of a file kept in a local git repository's history, read with
 * libgit2, for backfilling the store from public mirrors of the registry.
 *
 * gitsrc_open() walks the history of one revision oldest first and lists every distinct
 * version (blob) of the given paths, each with the first commit that has it; gitsrc_read()
 * then hands out a version's bytes. The walk follows first parents only (`git log
 * --first-parent --reverse` order): on a merge, what a side branch brought in counts from the
 * merge commit. A blob already listed (the same content at another path, or a revert to an
 * older version) is not listed again, so nothing is read twice.
 *
 * The time of a version is its commit's committer time, in UTC seconds.
 *
 * Speed: a registry version is a 4 MB blob, stored in packs as a chain of deltas that
 * libgit2 resolves afresh for every read (it caches no base over 1 MB), so gitsrc reads each
 * distinct blob once, turns off libgit2's re-hashing of objects read
 * (GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, a process-wide option), which doubled the cost,
 * and reads ahead: gitsrc_read(i) starts a thread that resolves version i+1 while the caller
 * parses version i (only one thread uses libgit2 at a time; the next call joins it).
 *
 * Ownership: gitsrc_open() gives a gitsrc the caller frees with gitsrc_free() (which accepts
 * NULL). Versions and the bytes from gitsrc_read() are borrowed from it. gitsrc_open() and
 * gitsrc_free() pair git_libgit2_init()/git_libgit2_shutdown(), so callers need not.
 */
#ifndef IANAWATCH_GITSRC_H
#define IANAWATCH_GITSRC_H

#include <stddef.h>
#include <time.h>

typedef struct gitsrc gitsrc;

typedef struct gitsrc_version {
	char commit[41];          /* the first commit (hex) whose tree has this blob at path */
	const char *path;         /* which of the paths given to gitsrc_open(); borrowed */
	time_t time;              /* that commit's committer time */
	unsigned char blob[20];   /* the blob's object id (raw SHA-1) */
} gitsrc_version;

/* The paths import-git looks at by default: the mirrors' names of the registry file. */
extern const char *const gitsrc_default_paths[];
extern const size_t gitsrc_ndefault_paths;

/*
 * Opens the repository at `repo` (the top of a work tree, its .git folder, or a bare repository),
 * resolves `ref` (any revision git understands, e.g. HEAD, a branch, a commit id; NULL means
 * HEAD) and walks its history for the `npaths` paths (relative to the repository's root,
 * "dir/file"; a leading "./" or "/" is ignored). Paths are copied.
 * IW_ENOTFOUND when the repository or the revision does not exist, or when no commit has any
 * of the paths; IW_EIO for other git failures. On success *out is the caller's.
 */
int gitsrc_open(gitsrc **out, const char *repo, const char *ref, const char *const *paths,
                size_t npaths);
void gitsrc_free(gitsrc *g);

/* The versions found, oldest first. Borrowed. */
size_t gitsrc_count(const gitsrc *g);
const gitsrc_version *gitsrc_version_at(const gitsrc *g, size_t i);
/* How many commits the walk visited. */
size_t gitsrc_commits(const gitsrc *g);

/* The bytes of version i (not NUL-terminated), valid until the next gitsrc_read() or
 * gitsrc_free(); read straight from the object database, not copied. Reading in order (i,
 * then i+1) finds each version already read ahead; any order works. A gitsrc is used by one
 * thread at a time. */
int gitsrc_read(gitsrc *g, size_t i, const unsigned char **data, size_t *len);

/* The libgit2 this program runs with, as "libgit2 1.5.1", for `--version`. A static string,
 * formatted on the first call (call it from one thread). */
const char *gitsrc_library_version(void);

#endif
