/* document.c: one document into the store, as import, import-git and fetch need it. */
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "ingest/ingest.h"
#include "common/banned.h"

void ingest_tune_malloc(void)
{
#ifdef __GLIBC__
	/* Each document means a few buffers of its size (4 MB: the file or blob, libgit2's delta
	 * links, zstd's output), allocated and freed over and over: keep freed memory in the heap
	 * rather than unmapping it and faulting in fresh zeroed pages the next time, which cost
	 * import-git as much CPU as resolving its deltas, and import a sixth of its time. */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 32 << 20);
	mallopt(M_ARENA_MAX, 1); /* the raw archive thread reuses the same memory */
#endif
}

int ingest_document(store **st, const char *db_path, store_import_opts *opts,
                    const unsigned char *data, size_t len,
                    const char *name, registry_doc **doc, store_import_result *res)
{
	store_raw_job *job = NULL;
	int rc;

	*doc = NULL;
	/* Compress the raw archive on the other core while this one parses. */
	if (opts->keep_raw && store_raw_job_start(db_path, data, len, &job) != IW_OK)
		job = NULL;
	if ((rc = registry_parse(data, len, name, doc)))
		goto out;
	/* The database is created only once there is something valid to put in it. The status
	 * stays a library code (callers map it), so a refused database exits 5, not 2. */
	if (!*st && (rc = store_open(st, db_path, STORE_WRITE | STORE_CREATE)))
		goto out;
	opts->raw_job = job;
	if ((rc = store_import(*st, *doc, data, len, opts, res)))
		iw_error_prefix(rc, "%s", name);
out:
	opts->raw_job = NULL;
	store_raw_job_free(job);
	return rc;
}
