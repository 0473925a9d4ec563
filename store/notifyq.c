/* notifyq.c: the queue of notifications waiting for delivery (fetch --notify). */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store_int.h"
#include "common/banned.h"

static int notifyq_bind(sqlite3_stmt *st, size_t i, const void *arg)
{
	const store_notification *e = (const store_notification *)arg + i;
	char when[21];

	if (!e->target || !e->shown)
		return iw_error_set(IW_EINVAL, "notification without target");
	sqlite3_bind_text(st, 1, e->target, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, e->shown, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, e->from_id);
	sqlite3_bind_int64(st, 4, e->to_id);
	store_bind_text(st, 5, e->content_type);
	store_bind_text(st, 6, e->headers);
	sqlite3_bind_blob(st, 7, e->body ? (const void *)e->body : (const void *)"", (int)e->len,
	                  SQLITE_TRANSIENT);
	iw_time_format(e->created_at, when);
	sqlite3_bind_text(st, 8, when, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 9, when, -1, SQLITE_TRANSIENT);
	return IW_OK;
}

int store_notify_add(store *s, const store_notification *v, size_t n)
{
	if (n == 0)
		return IW_OK;
	return store_write_rows(s, "INSERT INTO notification (target, shown, from_id, to_id, "
	                        "content_type, headers, body, created_at, next_at) "
	                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", n, notifyq_bind, v,
	                        "write notification");
}

int store_notify_list(store *s, int with_body, store_notification **out, size_t *n)
{
	sqlite3_stmt *st = NULL;
	store_notification *v = NULL;
	size_t k = 0, alloc = 0;
	int rc, sr;

	*out = NULL;
	*n = 0;
	if ((rc = store_prepare(s, &st, "SELECT id, target, shown, from_id, to_id, content_type, "
	                        "headers, body, created_at, next_at, attempts, last_error "
	                        "FROM notification ORDER BY id")))
		return rc;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		store_notification *e;
		IW_GROW(v, k, alloc, 8);
		e = &v[k++];
		memset(e, 0, sizeof(*e));
		e->id = sqlite3_column_int64(st, 0);
		e->target = store_column_strdup(st, 1);
		e->shown = store_column_strdup(st, 2);
		e->from_id = sqlite3_column_int64(st, 3);
		e->to_id = sqlite3_column_int64(st, 4);
		e->content_type = store_column_strdup(st, 5);
		e->headers = store_column_strdup(st, 6);
		if (with_body) {
			const void *blob = sqlite3_column_blob(st, 7);
			e->len = (size_t)sqlite3_column_bytes(st, 7);
			e->body = iw_malloc(e->len + 1);
			if (e->len)
				memcpy(e->body, blob, e->len);
			e->body[e->len] = 0;
		}
		e->created_at = store_column_time(st, 8);
		e->next_at = store_column_time(st, 9);
		e->attempts = sqlite3_column_int(st, 10);
		e->last_error = store_column_strdup(st, 11);
	}
	if (sr != SQLITE_DONE) {
		rc = store_sqlerr(s, "read notification");
		store_notifications_free(v, k);
	} else {
		*out = v;
		*n = k;
	}
	sqlite3_finalize(st);
	return rc;
}

typedef struct notifyq_update {
	int64_t id;
	int attempts;
	time_t next_at;
	const char *error;
} notifyq_update;

static int notifyq_bind_update(sqlite3_stmt *st, size_t i, const void *arg)
{
	const notifyq_update *u = arg;
	char when[21];

	(void)i;
	iw_time_format(u->next_at, when);
	sqlite3_bind_int64(st, 1, u->id);
	sqlite3_bind_int(st, 2, u->attempts);
	sqlite3_bind_text(st, 3, when, -1, SQLITE_TRANSIENT);
	store_bind_text(st, 4, u->error);
	return IW_OK;
}

static int notifyq_bind_id(sqlite3_stmt *st, size_t i, const void *arg)
{
	(void)i;
	sqlite3_bind_int64(st, 1, *(const int64_t *)arg);
	return IW_OK;
}

int store_notify_remove(store *s, int64_t id)
{
	return store_write_rows(s, "DELETE FROM notification WHERE id = ?", 1, notifyq_bind_id, &id,
	                        "write notification");
}

int store_notify_failed(store *s, int64_t id, int attempts, time_t next_at, const char *error)
{
	notifyq_update u;

	u.id = id;
	u.attempts = attempts;
	u.next_at = next_at;
	u.error = error;
	return store_write_rows(s, "UPDATE notification SET attempts = ?2, next_at = ?3, "
	                        "last_error = ?4 WHERE id = ?1", 1, notifyq_bind_update, &u,
	                        "write notification");
}

void store_notification_clear(store_notification *n)
{
	if (!n)
		return;
	free(n->target);
	free(n->shown);
	free(n->content_type);
	free(n->headers);
	free(n->body);
	free(n->last_error);
	memset(n, 0, sizeof(*n));
}

void store_notifications_free(store_notification *v, size_t n)
{
	size_t i;
	if (!v)
		return;
	for (i = 0; i < n; i++)
		store_notification_clear(&v[i]);
	free(v);
}
