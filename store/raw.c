/* raw.c: the archive of original documents, zstd-compressed, each older one as a delta. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>
#include <zstd.h>

#include "common/common.h"
#include "store_int.h"
#include "common/banned.h"

/* Level 3: consecutive versions differ in a few records, so a version compressed against its
 * neighbour as a prefix costs about a kilobyte. The window covers the prefix, so long-distance
 * matching would only add time (measured: same size, 1.5x slower). */
#define RAW_LEVEL 3
#define RAW_WINDOW_LOG_MAX 27
#define RAW_MAX_CHAIN 1000000

static int raw_window_log(size_t total)
{
	int w = 10; /* zstd's smallest window */
	while (w < RAW_WINDOW_LOG_MAX && ((size_t)1 << w) < total)
		w++;
	return w;
}

static int raw_compress(const unsigned char *src, size_t n, const unsigned char *prefix,
                        size_t plen, unsigned char **out, size_t *outlen)
{
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	size_t bound = ZSTD_compressBound(n), r;
	unsigned char *dst = iw_malloc(bound);
	int rc = IW_OK;

	if (!cc) {
		free(dst);
		return iw_error_set(IW_ENOMEM, "cannot create a zstd context");
	}
	ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, RAW_LEVEL);
	ZSTD_CCtx_setParameter(cc, ZSTD_c_windowLog, raw_window_log(n + plen));
	ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
	if (prefix)
		ZSTD_CCtx_refPrefix(cc, prefix, plen);
	r = ZSTD_compress2(cc, dst, bound, src, n);
	if (ZSTD_isError(r)) {
		rc = iw_error_set(IW_ERROR, "zstd compression failed: %s", ZSTD_getErrorName(r));
		free(dst);
	} else {
		/* The bound is the document's size, the result a fraction of it (a delta: a few
		 * kilobytes): hand back only what is used, which keeps an import under its memory
		 * target while the job's results wait for the transaction. */
		*out = iw_realloc(dst, r ? r : 1);
		*outlen = r;
	}
	ZSTD_freeCCtx(cc);
	return rc;
}

static int raw_decompress(const unsigned char *src, size_t n, const unsigned char *prefix,
                          size_t plen, unsigned char **out, size_t *outlen)
{
	unsigned long long size = ZSTD_getFrameContentSize(src, n);
	ZSTD_DCtx *dc;
	unsigned char *dst;
	size_t r;
	int rc = IW_OK;

	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
	    size > REGISTRY_MAX_DOC_SIZE)
		return iw_error_set(IW_EDB, "corrupt raw document in the database");
	dc = ZSTD_createDCtx();
	if (!dc)
		return iw_error_set(IW_ENOMEM, "cannot create a zstd context");
	dst = iw_malloc((size_t)size + 1);
	ZSTD_DCtx_setParameter(dc, ZSTD_d_windowLogMax, RAW_WINDOW_LOG_MAX);
	if (prefix)
		ZSTD_DCtx_refPrefix(dc, prefix, plen);
	r = ZSTD_decompressDCtx(dc, dst, (size_t)size, src, n);
	if (ZSTD_isError(r) || r != size) {
		rc = iw_error_set(IW_EDB, "corrupt raw document in the database (%s)",
		                  ZSTD_isError(r) ? ZSTD_getErrorName(r) : "size mismatch");
		free(dst);
	} else {
		dst[size] = '\0';
		*out = dst;
		*outlen = (size_t)size;
	}
	ZSTD_freeDCtx(dc);
	return rc;
}

typedef struct raw_link {
	int64_t id;
	unsigned char *data;
	size_t len;
} raw_link;

/* The decompressed bytes of snapshot id, following its chain of bases to a self-contained one. */
static int raw_load(store *s, int64_t id, unsigned char **out, size_t *outlen)
{
	sqlite3_stmt *st = NULL;
	raw_link *chain = NULL;
	size_t n = 0, alloc = 0, i;
	unsigned char *cur = NULL;
	size_t curlen = 0;
	int64_t at = id;
	int rc = IW_OK, sr;

	if ((rc = store_prepare(s, &st, "SELECT base_id, data FROM raw WHERE snapshot_id = ?")))
		return rc;
	for (;;) {
		if (n >= RAW_MAX_CHAIN) {
			rc = iw_error_set(IW_EDB, "raw document chain of snapshot %lld loops", (long long)id);
			goto out;
		}
		sqlite3_bind_int64(st, 1, at);
		sr = sqlite3_step(st);
		if (sr == SQLITE_DONE) {
			rc = iw_error_set(IW_ENOTFOUND, at == id
			                  ? "snapshot %lld was stored without its raw document (--no-raw)"
			                  : "the raw document of snapshot %lld is missing its base", (long long)id);
			goto out;
		}
		if (sr != SQLITE_ROW) {
			rc = store_sqlerr(s, "read raw document");
			goto out;
		}
		IW_GROW(chain, n, alloc, 16);
		chain[n].id = at;
		chain[n].len = (size_t)sqlite3_column_bytes(st, 1);
		chain[n].data = iw_malloc(chain[n].len + 1);
		memcpy(chain[n].data, sqlite3_column_blob(st, 1), chain[n].len);
		n++;
		if (sqlite3_column_type(st, 0) == SQLITE_NULL)
			break;
		at = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	/* Decompress from the self-contained end back to the one asked for. */
	for (i = n; i-- > 0;) {
		unsigned char *next = NULL;
		size_t nextlen = 0;
		rc = raw_decompress(chain[i].data, chain[i].len, cur, curlen, &next, &nextlen);
		free(cur);
		cur = NULL;
		if (rc)
			goto out;
		cur = next;
		curlen = nextlen;
	}
	*out = cur;
	*outlen = curlen;
	cur = NULL;
out:
	for (i = 0; i < n; i++)
		free(chain[i].data);
	free(chain);
	free(cur);
	sqlite3_finalize(st);
	return rc;
}

static int raw_neighbour(store *s, int64_t pos, int after, int64_t *id, int *has_base)
{
	sqlite3_stmt *st = NULL;
	int rc = store_prepare(s, &st, after
		? "SELECT s.id, r.base_id IS NOT NULL FROM snapshot s JOIN raw r ON r.snapshot_id = s.id "
		  "WHERE s.pos > ? ORDER BY s.pos LIMIT 1"
		: "SELECT s.id, r.base_id IS NOT NULL FROM snapshot s JOIN raw r ON r.snapshot_id = s.id "
		  "WHERE s.pos < ? ORDER BY s.pos DESC LIMIT 1");
	int sr;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, pos);
	sr = sqlite3_step(st);
	*id = 0;
	if (sr == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*has_base = sqlite3_column_int(st, 1);
	} else if (sr != SQLITE_DONE)
		rc = store_sqlerr(s, "find neighbour");
	sqlite3_finalize(st);
	return rc;
}

/* Whether the chain of bases from id (itself included) reaches target. */
static int raw_chain_has(store *s, int64_t id, int64_t target, int *found)
{
	sqlite3_stmt *st = NULL;
	size_t steps = 0;
	int rc = store_prepare(s, &st, "SELECT base_id FROM raw_delta WHERE snapshot_id = ?"), sr;
	*found = 0;
	while (!rc && id && steps++ < RAW_MAX_CHAIN) {
		if (id == target) {
			*found = 1;
			break;
		}
		sqlite3_bind_int64(st, 1, id);
		sr = sqlite3_step(st);
		if (sr == SQLITE_ROW)
			id = sqlite3_column_int64(st, 0);
		else if (sr == SQLITE_DONE)
			id = 0;
		else
			rc = store_sqlerr(s, "follow raw documents");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Stores the raw document of id: a delta against base, or self-contained when base is 0.
 * An earlier self-contained row of id (now getting a successor) is replaced. */
static int raw_write(store *s, int64_t id, int64_t base, const unsigned char *z, size_t zlen)
{
	sqlite3_stmt *st = NULL;
	int rc = store_prepare(s, &st, "DELETE FROM raw_head WHERE snapshot_id = ?");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_sqlerr(s, "write raw document");
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if ((rc = store_prepare(s, &st, base
	                        ? "INSERT INTO raw_delta (snapshot_id, data, base_id) VALUES (?, ?, ?)"
	                        : "INSERT INTO raw_head (snapshot_id, data) VALUES (?, ?)")))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_blob(st, 2, z, (int)zlen, SQLITE_STATIC);
	if (base)
		sqlite3_bind_int64(st, 3, base);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_sqlerr(s, "write raw document");
	sqlite3_finalize(st);
	return rc;
}

struct store_raw_job {
	pthread_t thread;
	int running;
	char *db_path;
	const unsigned char *data;
	size_t len;
	int rc;
	int64_t pred_id;          /* the newest self-contained document when the job looked */
	unsigned char *z_new;     /* data compressed alone */
	size_t z_new_len;
	unsigned char *z_pred;    /* pred_id's document as a delta against data */
	size_t z_pred_len;
};

/* The newest self-contained raw document, decompressed, read through the job's own connection. */
static int raw_job_pred(store_raw_job *j, unsigned char **out, size_t *outlen)
{
	store *s = NULL;
	sqlite3_stmt *st = NULL;
	int rc = IW_OK;
	/* Opened as every reader is, so that a run whose document then fails to parse leaves no
	 * -wal or -shm file behind. No usable database (none yet, foreign, newer): nothing to
	 * re-encode; store_import() will say what is wrong with it. */
	if (store_open(&s, j->db_path, STORE_READONLY)) {
		iw_error_clear();
		goto out;
	}
	if (sqlite3_prepare_v2(s->db, "SELECT r.snapshot_id, r.data FROM raw_head r JOIN snapshot s ON "
	                       "s.id = r.snapshot_id ORDER BY s.pos DESC LIMIT 1",
	                       -1, &st, NULL) != SQLITE_OK)
		goto out; /* an empty or foreign file: store_import() will say so */
	if (sqlite3_step(st) == SQLITE_ROW) {
		j->pred_id = sqlite3_column_int64(st, 0);
		rc = raw_decompress(sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1), NULL,
		                    0, out, outlen);
	}
out:
	sqlite3_finalize(st);
	store_free(s);
	return rc;
}

static void *raw_job_run(void *arg)
{
	store_raw_job *j = arg;
	unsigned char *pred = NULL;
	size_t predlen = 0;
	j->rc = raw_job_pred(j, &pred, &predlen);
	if (!j->rc)
		j->rc = raw_compress(j->data, j->len, NULL, 0, &j->z_new, &j->z_new_len);
	if (!j->rc && pred)
		j->rc = raw_compress(pred, predlen, j->data, j->len, &j->z_pred, &j->z_pred_len);
	free(pred);
	return NULL;
}

int store_raw_job_start(const char *db_path, const unsigned char *data, size_t len,
                        store_raw_job **out)
{
	store_raw_job *j = iw_calloc(1, sizeof(*j));
	j->db_path = iw_strdup(db_path);
	j->data = data;
	j->len = len;
	if (pthread_create(&j->thread, NULL, raw_job_run, j) != 0) {
		free(j->db_path);
		free(j);
		*out = NULL;
		return iw_error_set(IW_ERROR, "cannot start a thread");
	}
	j->running = 1;
	*out = j;
	return IW_OK;
}

static void raw_job_wait(store_raw_job *j)
{
	if (j && j->running) {
		pthread_join(j->thread, NULL);
		j->running = 0;
	}
}

void store_raw_job_free(store_raw_job *j)
{
	if (!j)
		return;
	raw_job_wait(j);
	free(j->z_new);
	free(j->z_pred);
	free(j->db_path);
	free(j);
}

int store_raw_put(store *s, int64_t id, int64_t pos, const unsigned char *data, size_t len,
                  store_raw_job *job)
{
	unsigned char *base = NULL, *z = NULL, *prev = NULL;
	size_t baselen = 0, zlen = 0, prevlen = 0;
	int64_t succ = 0, pred = 0;
	int succ_based = 0, pred_based = 1, pred_in_chain = 0, rc;

	/* The newest raw document is self-contained, older ones are deltas against the next, so
	 * the document a nightly run needs is always one decompression away. */
	if ((rc = raw_neighbour(s, pos, 1, &succ, &succ_based)) ||
	    (rc = raw_neighbour(s, pos, 0, &pred, &pred_based)))
		goto out;
	if (!pred || pred_based)
		pred = 0; /* nothing self-contained before it to re-encode */
	/* After a reordering (migration 2) the successor may be a delta of pred: re-encoding pred
	 * against the new document would close a loop. */
	if (pred && succ && (rc = raw_chain_has(s, succ, pred, &pred_in_chain)))
		goto out;
	if (pred_in_chain)
		pred = 0;
	raw_job_wait(job);
	if (job && job->data == data && !succ && !job->rc && job->pred_id == pred &&
	    (!pred || job->z_pred)) {
		/* The job did this work while the document was being parsed. */
		if ((rc = raw_write(s, id, 0, job->z_new, job->z_new_len)))
			goto out;
		if (pred)
			rc = raw_write(s, pred, id, job->z_pred, job->z_pred_len);
		goto out;
	}
	if (succ && (rc = raw_load(s, succ, &base, &baselen)))
		goto out;
	if ((rc = raw_compress(data, len, base, baselen, &z, &zlen)))
		goto out;
	if ((rc = raw_write(s, id, succ, z, zlen)))
		goto out;
	free(z);
	z = NULL;
	if (!pred)
		goto out;
	if ((rc = raw_load(s, pred, &prev, &prevlen)) ||
	    (rc = raw_compress(prev, prevlen, data, len, &z, &zlen)))
		goto out;
	rc = raw_write(s, pred, id, z, zlen);
out:
	free(base);
	free(z);
	free(prev);
	return rc;
}

int store_raw(store *s, int64_t snapshot_id, unsigned char **out, size_t *len)
{
	store_snapshot snap;
	unsigned char digest[IW_SHA256_LEN];
	char hex[65];
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = store_get_snapshot(s, snapshot_id, &snap)))
		return rc;
	store_snapshot_clear(&snap);
	if ((rc = raw_load(s, snapshot_id, out, len)))
		return rc;
	iw_sha256(*out, *len, digest);
	iw_hex(digest, sizeof(digest), hex);
	if (strcmp(hex, snap.sha256)) {
		free(*out);
		*out = NULL;
		return iw_error_set(IW_EDB, "the raw document of snapshot %lld does not match its "
		                    "SHA-256 %s", (long long)snapshot_id, snap.sha256);
	}
	return IW_OK;
}

int store_raw_decompress(const unsigned char *src, size_t n, const unsigned char *prefix,
                         size_t plen, unsigned char **out, size_t *outlen)
{
	return raw_decompress(src, n, prefix, plen, out, outlen);
}
