/* fetchlog.c: the fetch log, the HTTP validators per URL, and the lock of one fetch run. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "common/common.h"
#include "store_int.h"
#include "common/banned.h"

/* How often a waiting run retries the lock: short enough that a wait of a few seconds ends
 * soon after the other run does. */
#define STORE_LOCK_POLL_MS 50

void store_fetch_entry_clear(store_fetch_entry *e)
{
	if (!e)
		return;
	free(e->url);
	free(e->outcome);
	free(e->message);
	memset(e, 0, sizeof(*e));
}

void store_http_cache_clear(store_http_cache *c)
{
	if (!c)
		return;
	free(c->etag);
	free(c->last_modified);
	free(c->sha256);
	memset(c, 0, sizeof(*c));
}

/* The fetch log stores an empty value as NULL. */
static void fetchlog_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	store_bind_text(st, i, v && *v ? v : NULL);
}

int store_http_cache_get(store *s, const char *url, store_http_cache *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_prepare(s, &st, "SELECT etag, last_modified, sha256, checked_at "
	                        "FROM http_cache WHERE url = ?")))
		return rc;
	sqlite3_bind_text(st, 1, url, -1, SQLITE_TRANSIENT);
	if ((rc = store_step_row(s, st, "read http_cache")) == IW_OK) {
		out->etag = store_column_strdup(st, 0);
		out->last_modified = store_column_strdup(st, 1);
		out->sha256 = store_column_strdup(st, 2);
		out->checked_at = store_column_time(st, 3);
	}
	sqlite3_finalize(st);
	return rc;
}

typedef struct fetchlog_batch {
	const store_fetch_entry *entries;
	size_t n;
	const char *cache_url;
	const store_http_cache *cache;
} fetchlog_batch;

static int fetchlog_bind_entry(sqlite3_stmt *st, size_t i, const void *arg)
{
	const store_fetch_entry *e = (const store_fetch_entry *)arg + i;
	char when[21];

	if (!e->url || !e->outcome)
		return iw_error_set(IW_EINVAL, "fetch log entry without URL or outcome");
	iw_time_format(e->at, when);
	sqlite3_bind_text(st, 1, when, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, e->url, -1, SQLITE_TRANSIENT);
	if (e->http_status > 0)
		sqlite3_bind_int64(st, 3, e->http_status);
	sqlite3_bind_text(st, 4, e->outcome, -1, SQLITE_TRANSIENT);
	fetchlog_bind_text(st, 5, e->message);
	if (e->snapshot_id > 0)
		sqlite3_bind_int64(st, 6, e->snapshot_id);
	return IW_OK;
}

static int fetchlog_bind_cache(sqlite3_stmt *st, size_t i, const void *arg)
{
	const fetchlog_batch *b = arg;
	char when[21];

	(void)i;
	iw_time_format(b->cache->checked_at, when);
	sqlite3_bind_text(st, 1, b->cache_url, -1, SQLITE_TRANSIENT);
	fetchlog_bind_text(st, 2, b->cache->etag);
	fetchlog_bind_text(st, 3, b->cache->last_modified);
	fetchlog_bind_text(st, 4, b->cache->sha256);
	sqlite3_bind_text(st, 5, when, -1, SQLITE_TRANSIENT);
	return IW_OK;
}

static int fetchlog_write(store *s, void *arg)
{
	const fetchlog_batch *b = arg;
	int rc = store_run_rows(s, "INSERT INTO fetch_log (at, url, http_status, outcome, message, "
	                        "snapshot_id) VALUES (?, ?, ?, ?, ?, ?)", b->n, fetchlog_bind_entry,
	                        b->entries, "write fetch_log");

	if (!rc && b->cache)
		rc = store_run_rows(s, "INSERT OR REPLACE INTO http_cache (url, etag, last_modified, "
		                    "sha256, checked_at) VALUES (?, ?, ?, ?, ?)", 1,
		                    fetchlog_bind_cache, b, "write http_cache");
	return rc;
}

int store_fetch_record(store *s, const store_fetch_entry *entries, size_t n,
                       const char *cache_url, const store_http_cache *cache)
{
	fetchlog_batch b;

	if (cache && (!cache_url || !*cache_url))
		return iw_error_set(IW_EINVAL, "http_cache update without URL");
	if (n == 0 && !cache)
		return IW_OK;
	b.entries = entries;
	b.n = n;
	b.cache_url = cache_url;
	b.cache = cache;
	return store_transaction(s, fetchlog_write, &b);
}

int store_fetch_last(store *s, store_fetch_which which, store_fetch_entry *out)
{
	static const char *const where[] = {
		[STORE_FETCH_LAST_SUCCESS] = "outcome IN ('" STORE_FETCH_CHANGED "', '"
		                             STORE_FETCH_UNCHANGED "', '" STORE_FETCH_NOT_MODIFIED "')",
		[STORE_FETCH_LAST_CHANGE] = "outcome = '" STORE_FETCH_CHANGED "'",
		[STORE_FETCH_LAST_FAILURE] = "outcome IN ('" STORE_FETCH_ERROR "', '"
		                             STORE_FETCH_REFUSED "')",
	};
	sqlite3_stmt *st = NULL;
	char sql[320];
	int rc;

	memset(out, 0, sizeof(*out));
	if ((unsigned)which >= sizeof(where) / sizeof(*where))
		return iw_error_set(IW_EINVAL, "unknown fetch log query %d", (int)which);
	/* The WHERE clause is one of the constants above, never user input. */
	snprintf(sql, sizeof(sql), "SELECT id, at, url, http_status, outcome, message, snapshot_id "
	         "FROM fetch_log WHERE %s ORDER BY at DESC, id DESC LIMIT 1", where[which]);
	if ((rc = store_prepare(s, &st, sql)))
		return rc;
	if ((rc = store_step_row(s, st, "read fetch_log")) == IW_OK) {
		out->id = sqlite3_column_int64(st, 0);
		out->at = store_column_time(st, 1);
		out->url = store_column_strdup(st, 2);
		out->http_status = (long)sqlite3_column_int64(st, 3);
		out->outcome = store_column_strdup(st, 4);
		out->message = store_column_strdup(st, 5);
		out->snapshot_id = sqlite3_column_int64(st, 6);
	}
	sqlite3_finalize(st);
	return rc;
}

void store_defer_checkpoint(store *s)
{
	if (s && s->db)
		sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
}

static void fetchlog_sleep_ms(long ms)
{
	struct timespec ts;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int store_run_lock(const char *db_path, long wait_ms, int *fd)
{
	char *lock_path = NULL, *dir = NULL, *slash;
	long waited = 0;
	int rc = IW_OK, f = -1;

	*fd = -1;
	lock_path = iw_asprintf("%s.lock", db_path);
	dir = iw_strdup(db_path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if ((rc = iw_mkdir_p(dir, 0700)))
			goto out;
	}
	f = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (f < 0) {
		rc = iw_error_set(IW_EIO, "%s: cannot open the lock file: %s", lock_path,
		                  strerror(errno));
		goto out;
	}
	for (;;) {
		if (flock(f, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			rc = iw_error_set(IW_EIO, "%s: cannot lock: %s", lock_path, strerror(errno));
			goto out;
		}
		if (waited >= wait_ms) {
			rc = iw_error_set(IW_EBUSY, "another ianawatch run holds %s (waited %.1f s); "
			                  "it will report what it finds, so this run stops here",
			                  lock_path, (double)waited / 1000.0);
			goto out;
		}
		fetchlog_sleep_ms(STORE_LOCK_POLL_MS);
		waited += STORE_LOCK_POLL_MS;
	}
	*fd = f;
	f = -1;
out:
	if (f >= 0)
		close(f);
	free(lock_path);
	free(dir);
	return rc;
}

void store_run_unlock(int fd)
{
	if (fd < 0)
		return;
	/* Closing releases the flock; the file stays, since removing it would race with a run
	 * that just opened it. */
	close(fd);
}
