/* store_int.h: what the store's own files share; not part of the public API. */
#ifndef IANAWATCH_STORE_INT_H
#define IANAWATCH_STORE_INT_H

#include <sqlite3.h>
#include <time.h>

#include "store/store.h"

/* last_pos of a span that is still open: the record is in every snapshot from first_pos on.
 * Appending a snapshot then costs nothing for the records it leaves alone. */
#define STORE_OPEN ((int64_t)1 << 40)
/* Record and person identities are the first 16 bytes of their SHA-256. */
#define STORE_HASH_LEN 16

struct store {
	sqlite3 *db;
	char *path;
	int writable;
	int read_depth;  /* store_read_begin() calls not yet ended */
	int read_owned;  /* the outermost one opened the transaction */
};

/* The history order of snapshots (columns of table snapshot): the registry's own date, then
 * the observed time for same-day re-publications, then the content's hash. */
#define STORE_ORDER "registry_updated, observed_at, sha256"

/* Migration 1 -> 2: renumbers the positions in STORE_ORDER and rebuilds every span to match.
 * Runs inside the caller's transaction. */
int store_reorder(store *s);

/* The most a checkpointed write-ahead log keeps on disk (PRAGMA journal_size_limit), bytes. */
#define STORE_WAL_LIMIT "16777216"

/* IW_EDB when the database file was renamed or unlinked since it was opened
 * (SQLITE_FCNTL_HAS_MOVED): store_begin() and store_commit() refuse to go on then. */
int store_has_moved(store *s);

/* Sets the error from the connection's message and returns IW_EDB. */
int store_sqlerr(store *s, const char *what);
int store_prepare(store *s, sqlite3_stmt **st, const char *sql);
int store_exec(store *s, const char *sql);
/* Steps a one-row query: IW_OK with the row to read, IW_ENOTFOUND (no message set) when
 * there is none, IW_EDB naming `what` when the step fails. */
int store_step_row(store *s, sqlite3_stmt *st, const char *what);
/* A text column as a string of the caller's (NULL for SQL NULL). */
char *store_column_strdup(sqlite3_stmt *st, int col);
/* A time column, stored as YYYY-MM-DDTHH:MM:SSZ (which sorts like the time itself); 0 for
 * NULL or a value that does not parse. */
time_t store_column_time(sqlite3_stmt *st, int col);
/* Binds v, or NULL when v is NULL. */
void store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Binds row i of a batch (arg) to st, whose bindings are clear; a non-zero return (an error
 * set) stops the batch with it. */
typedef int (*store_bind_fn)(sqlite3_stmt *st, size_t i, const void *arg);
/* Runs the statement sql (a write) n times, row i bound by bind(), inside the caller's
 * transaction; a failing step names `what`. */
int store_run_rows(store *s, const char *sql, size_t n, store_bind_fn bind, const void *arg,
                   const char *what);
/* store_run_rows() in one write transaction of its own (store_transaction()). */
int store_write_rows(store *s, const char *sql, size_t n, store_bind_fn bind, const void *arg,
                     const char *what);
int store_begin(store *s);
int store_commit(store *s);
void store_rollback(store *s);
int store_count_snapshots(store *s, int64_t *n);
/* Fills a store_snapshot from a row of STORE_SNAPSHOT_COLUMNS. The raw tables are asked by
 * primary key: through the `raw` view, SQLite would scan both and read the big blob. */
#define STORE_SNAPSHOT_COLUMNS \
	"id, pos, registry_updated, observed_at, sha256, size, record_count, person_count, source, " \
	"(EXISTS(SELECT 1 FROM raw_head h WHERE h.snapshot_id = snapshot.id) OR " \
	"EXISTS(SELECT 1 FROM raw_delta d WHERE d.snapshot_id = snapshot.id))"
void store_snapshot_from_row(sqlite3_stmt *st, store_snapshot *out);

/* Raw archive (raw.c): keeps data for snapshot id at pos, re-encoding its neighbours. */
int store_raw_put(store *s, int64_t id, int64_t pos, const unsigned char *data, size_t len,
                  store_raw_job *job);
/* Decompresses one raw row's data (a delta when prefix is its base's document); *out is the
 * caller's, NUL-terminated. Used by the archive walk in check.c. */
int store_raw_decompress(const unsigned char *src, size_t n, const unsigned char *prefix,
                         size_t plen, unsigned char **out, size_t *outlen);
/* Record fields from a row, starting at column `col` in the order of STORE_RECORD_COLUMNS. */
#define STORE_RECORD_COLUMNS \
	"r.name, r.protocol, r.port, r.port_end, r.occurrence, r.description, r.assignee, " \
	"r.contact, r.refs, r.notes, r.unauthorized, r.service_code, r.registration_date, " \
	"r.modification_date"
void store_record_from_row(sqlite3_stmt *st, int col, registry_doc *strings, registry_record *r);
/* A text column copied into strings, NULL for SQL NULL. */
const char *store_text_from_row(sqlite3_stmt *st, int col, registry_doc *strings);
/* Person fields from a row, starting at column `col` in the order of STORE_PERSON_COLUMNS. */
#define STORE_PERSON_COLUMNS "p.pid, p.name, p.org, p.uri, p.updated"
void store_person_from_row(sqlite3_stmt *st, int col, registry_doc *strings, registry_person *p);
/* The span tables joined to their versions, as `s` and `r` or `p`. */
#define STORE_RECORD_SPANS "record_span s JOIN record r ON r.id = s.record_id"
#define STORE_PERSON_SPANS "person_span s JOIN person p ON p.id = s.person_id"

/* The version lists' one reader. Runs sql, a query whose columns are a version's id,
 * first_pos, last_pos, then STORE_RECORD_COLUMNS (kind STORE_RECORD_VERSIONS) or
 * STORE_PERSON_COLUMNS (STORE_PERSON_VERSIONS), with ?1 bound to text, or,
 * when text is NULL, ?1 and ?2 to lo and hi. Fills *out (emptied first) with its rows,
 * last_pos clamped to the newest position; on failure, out is left empty and the message
 * names `what`. */
int store_query_versions(store *s, store_version_kind kind, const char *sql, const char *text,
                         int64_t lo, int64_t hi, const char *what, store_version_list *out);

#endif
