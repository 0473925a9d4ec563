/* store.c: opening the database, its schema and migrations, and the snapshot catalogue. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "common/common.h"
#include "store_int.h"
#include "common/banned.h"

/* 'IANW': marks a SQLite file as an ianawatch database. */
#define STORE_APPLICATION_ID 0x49414e57

/* migrations[i] takes the schema from version i to i + 1, in one transaction each: its SQL,
 * then its function. Never edit a released entry: add one. */
typedef struct store_migration {
	const char *sql;
	int (*fn)(store *s);
} store_migration;

static const store_migration store_migrations[] = {
	/* 0 -> 1: the first release. */
	{"CREATE TABLE snapshot ("
	"  id INTEGER PRIMARY KEY,"
	"  pos INTEGER NOT NULL,"                /* rank by observed time, 1-based */
	"  registry_updated TEXT NOT NULL,"
	"  observed_at TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL UNIQUE,"
	"  size INTEGER NOT NULL,"
	"  source TEXT,"
	"  record_count INTEGER NOT NULL,"
	"  person_count INTEGER NOT NULL,"
	"  imported_at TEXT NOT NULL);"
	"CREATE INDEX snapshot_pos ON snapshot(pos);"
	"CREATE INDEX snapshot_date ON snapshot(registry_updated, observed_at);"
	/* The original documents: the newest (and any other without a successor) compressed
	 * alone in raw_head, every other as a small delta against its successor in raw_delta.
	 * Kept apart so that the one big row, rewritten on every import, does not leave the
	 * pages of the small ones half empty. `raw` reads both. */
	"CREATE TABLE raw_head ("
	"  snapshot_id INTEGER PRIMARY KEY REFERENCES snapshot(id),"
	"  data BLOB NOT NULL);"
	"CREATE TABLE raw_delta ("
	"  snapshot_id INTEGER PRIMARY KEY REFERENCES snapshot(id),"
	"  base_id INTEGER NOT NULL REFERENCES snapshot(id),"
	"  data BLOB NOT NULL);"
	"CREATE VIEW raw (snapshot_id, base_id, data) AS"
	"  SELECT snapshot_id, base_id, data FROM raw_delta"
	"  UNION ALL SELECT snapshot_id, NULL, data FROM raw_head;"
	"CREATE TABLE record ("
	"  id INTEGER PRIMARY KEY,"
	"  hash BLOB NOT NULL UNIQUE,"
	"  name TEXT, protocol TEXT, port INTEGER, port_end INTEGER,"
	"  occurrence INTEGER NOT NULL,"
	"  description TEXT, assignee TEXT, contact TEXT, refs TEXT, notes TEXT,"
	"  unauthorized TEXT, service_code TEXT, registration_date TEXT, modification_date TEXT);"
	"CREATE INDEX record_port ON record(port, port_end);"
	"CREATE INDEX record_name ON record(name);"
	"CREATE TABLE record_span ("
	"  record_id INTEGER NOT NULL REFERENCES record(id),"
	"  first_pos INTEGER NOT NULL,"
	"  last_pos INTEGER NOT NULL,"
	"  PRIMARY KEY (record_id, first_pos)) WITHOUT ROWID;"
	"CREATE INDEX record_span_last ON record_span(last_pos, first_pos);"
	"CREATE TABLE person ("
	"  id INTEGER PRIMARY KEY,"
	"  hash BLOB NOT NULL UNIQUE,"
	"  pid TEXT NOT NULL, name TEXT, org TEXT, uri TEXT, updated TEXT);"
	"CREATE INDEX person_pid ON person(pid);"
	"CREATE TABLE person_span ("
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  first_pos INTEGER NOT NULL,"
	"  last_pos INTEGER NOT NULL,"
	"  PRIMARY KEY (person_id, first_pos)) WITHOUT ROWID;"
	"CREATE INDEX person_span_last ON person_span(last_pos, first_pos);"
	/* HTTP validators per URL and every fetch attempt, for conditional GET and `status`. */
	"CREATE TABLE http_cache ("
	"  url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, sha256 TEXT, checked_at TEXT);"
	"CREATE TABLE fetch_log ("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL, url TEXT NOT NULL, http_status INTEGER,"
	"  outcome TEXT NOT NULL," /* changed, unchanged, not-modified, refused, error */
	"  message TEXT, snapshot_id INTEGER);"
	"CREATE INDEX fetch_log_outcome ON fetch_log(outcome, at);"
	/* Facts derived on write, e.g. max_range: the widest port range of any record, which
	 * bounds the index scan of a port query. */
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value);", NULL},
	/* 1 -> 2: snapshots ordered by the registry's date, not by when they were observed
	 * (issue 13); the index serves the placement of each import. */
	{"DROP INDEX snapshot_date;"
	 "CREATE INDEX snapshot_order ON snapshot(" STORE_ORDER ");", store_reorder},
	/* 2 -> 3: names and people as users type them, case-insensitively (issue 12). */
	{"DROP INDEX record_name;"
	 "CREATE INDEX record_name ON record(name COLLATE NOCASE);"
	 "CREATE INDEX person_pid_nocase ON person(pid COLLATE NOCASE);"
	 "CREATE INDEX person_name ON person(name COLLATE NOCASE);", NULL},
	/* 3 -> 4: full-text search over every version of every record and person (issue 12).
	 * Contentless (the text is in record and person already; versions are never deleted),
	 * kept up to date by triggers, filled here for what is already stored. Person ids in
	 * assignee and contact split into words at '_' (Bernie_Volz: bernie, volz). */
	{"CREATE VIRTUAL TABLE record_fts USING fts5(name, description, notes, people, refs, "
	 "  content='');"
	 "CREATE VIRTUAL TABLE person_fts USING fts5(pid, name, org, uri, content='');"
	 "CREATE TRIGGER record_fts_insert AFTER INSERT ON record BEGIN"
	 "  INSERT INTO record_fts (rowid, name, description, notes, people, refs) VALUES"
	 "  (new.id, new.name, new.description, new.notes,"
	 "   coalesce(new.assignee, '') || ' ' || coalesce(new.contact, ''), new.refs);"
	 "END;"
	 "CREATE TRIGGER person_fts_insert AFTER INSERT ON person BEGIN"
	 "  INSERT INTO person_fts (rowid, pid, name, org, uri) VALUES"
	 "  (new.id, new.pid, new.name, new.org, new.uri);"
	 "END;"
	 "INSERT INTO record_fts (rowid, name, description, notes, people, refs)"
	 "  SELECT id, name, description, notes,"
	 "  coalesce(assignee, '') || ' ' || coalesce(contact, ''), refs FROM record;"
	 "INSERT INTO person_fts (rowid, pid, name, org, uri)"
	 "  SELECT id, pid, name, org, uri FROM person;", NULL},
	/* 4 -> 5: notifications waiting for delivery (fetch --notify, issue 15). */
	{"CREATE TABLE notification ("
	 "  id INTEGER PRIMARY KEY,"
	 "  target TEXT NOT NULL,"          /* may hold secrets: never shown */
	 "  shown TEXT NOT NULL,"           /* the target without secrets */
	 "  from_id INTEGER, to_id INTEGER,"
	 "  content_type TEXT, headers TEXT,"
	 "  body BLOB NOT NULL,"
	 "  created_at TEXT NOT NULL, next_at TEXT NOT NULL,"
	 "  attempts INTEGER NOT NULL DEFAULT 0,"
	 "  last_error TEXT);", NULL},
};

#define STORE_NMIGRATIONS ((int)(sizeof(store_migrations) / sizeof(*store_migrations)))

int store_sqlerr(store *s, const char *what)
{
	int code = sqlite3_errcode(s->db);
	int ret = IW_EDB;
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return iw_error_set(IW_EBUSY, "%s: the database is busy: another ianawatch is writing "
		                    "it; try again later", s->path);
	if (code == SQLITE_READONLY)
		return iw_error_set(IW_EDB, "%s: the database is read-only", s->path);
	if (code == SQLITE_NOTADB)
		return iw_error_set(IW_EDB, "%s: not an ianawatch database", s->path);
	if (code == SQLITE_CORRUPT)
		return iw_error_set(IW_EDB, "%s: the database is corrupt (%s)", s->path,
		                    sqlite3_errmsg(s->db));
	if (code == SQLITE_FULL)
		ret = IW_EIO;
	return iw_error_set(ret, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

int store_prepare(store *s, sqlite3_stmt **st, const char *sql)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return store_sqlerr(s, "prepare");
	return IW_OK;
}

int store_step_row(store *s, sqlite3_stmt *st, const char *what)
{
	int sr = sqlite3_step(st);
	if (sr == SQLITE_ROW)
		return IW_OK;
	if (sr == SQLITE_DONE)
		return IW_ENOTFOUND;
	return store_sqlerr(s, what);
}

char *store_column_strdup(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? iw_strdup((const char *)t) : NULL;
}

time_t store_column_time(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	time_t v = 0;
	if (t && iw_time_parse((const char *)t, &v) != IW_OK)
		v = 0;
	return v;
}

void store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

int store_exec(store *s, const char *sql)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_sqlerr(s, "exec");
	return IW_OK;
}

int store_begin(store *s)
{
	int rc;
	/* IMMEDIATE takes the write lock now, so two writers never interleave; busy_timeout makes
	 * the second one wait briefly before it gives up. */
	if ((rc = store_has_moved(s)))
		return rc;
	return store_exec(s, "BEGIN IMMEDIATE");
}

int store_commit(store *s)
{
	int rc;
	/* Rows committed to a file that is no longer at its path would be lost without a word. */
	if ((rc = store_has_moved(s)))
		return rc;
	return store_exec(s, "COMMIT");
}

void store_rollback(store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int store_transaction(store *s, int (*fn)(store *s, void *arg), void *arg)
{
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = fn(s, arg);
	if (rc == IW_OK)
		rc = store_commit(s);
	if (rc)
		store_rollback(s);
	return rc;
}

int store_run_rows(store *s, const char *sql, size_t n, store_bind_fn bind, const void *arg,
                   const char *what)
{
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc;

	if ((rc = store_prepare(s, &st, sql)))
		return rc;
	for (i = 0; i < n; i++) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		if ((rc = bind(st, i, arg)))
			break;
		if (sqlite3_step(st) != SQLITE_DONE) {
			rc = store_sqlerr(s, what);
			break;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

typedef struct store_rows {
	const char *sql;
	size_t n;
	store_bind_fn bind;
	const void *arg;
	const char *what;
} store_rows;

static int store_rows_run(store *s, void *arg)
{
	const store_rows *r = arg;
	return store_run_rows(s, r->sql, r->n, r->bind, r->arg, r->what);
}

int store_write_rows(store *s, const char *sql, size_t n, store_bind_fn bind, const void *arg,
                     const char *what)
{
	store_rows r;

	r.sql = sql;
	r.n = n;
	r.bind = bind;
	r.arg = arg;
	r.what = what;
	return store_transaction(s, store_rows_run, &r);
}

static int store_pragma_int(store *s, const char *sql, int *out)
{
	sqlite3_stmt *st;
	int rc = store_prepare(s, &st, sql);
	if (rc)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	else
		rc = store_sqlerr(s, "read schema");
	sqlite3_finalize(st);
	return rc;
}

static int store_migrate(store *s)
{
	int version = 0, app = 0, tables = 0, rc, i;
	char sql[128];

	if ((rc = store_pragma_int(s, "PRAGMA user_version", &version)) ||
	    (rc = store_pragma_int(s, "PRAGMA application_id", &app)) ||
	    (rc = store_pragma_int(s, "SELECT count(*) FROM sqlite_master", &tables)))
		return rc;
	if (tables > 0 && app != STORE_APPLICATION_ID)
		return iw_error_set(IW_EDB, "%s: a SQLite database, but not an ianawatch one", s->path);
	if (version > STORE_SCHEMA_VERSION)
		return iw_error_set(IW_EDB, "%s: database schema version %d is newer than this "
		                    "ianawatch (%s) supports (%d); upgrade ianawatch", s->path,
		                    version, IANAWATCH_VERSION, STORE_SCHEMA_VERSION);
	if (version == STORE_SCHEMA_VERSION)
		return IW_OK;
	if (!s->writable)
		return iw_error_set(IW_EDB, "%s: database schema version %d needs an upgrade; run a "
		                    "writing command such as `ianawatch import` first", s->path, version);
	/* One transaction per step: each leaves a database a build of that version can use. */
	for (i = version; i < STORE_SCHEMA_VERSION; i++) {
		if ((rc = store_begin(s)))
			return rc;
		/* Re-read under the write lock: another process may have migrated meanwhile. */
		if ((rc = store_pragma_int(s, "PRAGMA user_version", &version)))
			goto out;
		if (version <= i) {
			if (i >= STORE_NMIGRATIONS) {
				rc = iw_error_set(IW_ERROR, "no migration from schema version %d", i);
				goto out;
			}
			if ((store_migrations[i].sql && (rc = store_exec(s, store_migrations[i].sql))) ||
			    (store_migrations[i].fn && (rc = store_migrations[i].fn(s))))
				goto out;
			snprintf(sql, sizeof(sql), "PRAGMA user_version = %d; PRAGMA application_id = %d",
			         i + 1, STORE_APPLICATION_ID);
			if ((rc = store_exec(s, sql)))
				goto out;
		}
		if ((rc = store_commit(s)))
			goto out;
	}
out:
	if (rc)
		store_rollback(s);
	return rc;
}

char *store_default_path(void)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	struct passwd *pw;
	if (xdg && xdg[0] == '/')
		return iw_asprintf("%s/ianawatch/ianawatch.db", xdg);
	if (home && home[0] == '/')
		return iw_asprintf("%s/.local/share/ianawatch/ianawatch.db", home);
	/* Under cron or a service manager HOME may be unset: the password database knows the
	 * home; a path relative to wherever the job happens to run never is one. */
	pw = getpwuid(getuid());
	if (pw && pw->pw_dir && pw->pw_dir[0] == '/')
		return iw_asprintf("%s/.local/share/ianawatch/ianawatch.db", pw->pw_dir);
	iw_error_set(IW_EINVAL, "no home folder to keep the database in ($HOME is not an absolute "
	             "path and user %lu has none): give --db PATH or set IANAWATCH_DB",
	             (unsigned long)getuid());
	return NULL;
}

static int store_file_exists(const char *path, const char *suffix)
{
	char *p = iw_asprintf("%s%s", path, suffix);
	int r = access(p, F_OK) == 0;
	free(p);
	return r;
}

/* Whether the folder holding path accepts new files (the -wal and -shm SQLite adds). */
static int store_dir_writable(const char *path)
{
	char *dir = iw_strdup(path), *slash = strrchr(dir, '/');
	int r;
	if (!slash)
		r = access(".", W_OK) == 0;
	else {
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		r = access(dir, W_OK) == 0;
	}
	free(dir);
	return r;
}

/* path as a file: URI with ?immutable=1, for a database on read-only media. */
static char *store_immutable_uri(const char *path)
{
	iw_buf b;
	const char *p;
	char *out = NULL;
	iw_buf_init(&b, 3 * strlen(path) + 64);
	iw_buf_adds(&b, "file:");
	for (p = path; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '%' || c == '?' || c == '#' || c < 0x21 || c >= 0x7f)
			iw_buf_printf(&b, "%%%02X", c);
		else
			iw_buf_addc(&b, (char)c);
	}
	iw_buf_adds(&b, "?immutable=1");
	if (iw_buf_error(&b) == IW_OK)
		out = iw_buf_detach(&b, NULL);
	iw_buf_free(&b);
	return out;
}

/* Opens the connection. A reader must leave behind no -wal or -shm that was not there: when
 * none is there and the file could be written, it opens read-write but query_only, so that
 * SQLite, closing the last connection, removes what it created (a read-only connection cannot).
 * Otherwise it opens read-only; on read-only media, where SQLite cannot create the -shm a WAL
 * database needs, it reads the file as immutable (nobody can be writing it there). */
static int store_connect(store *s, const char *path)
{
	int ro_media, rc, flags;
	if (s->writable)
		flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	else if (!store_file_exists(path, "-wal") && !store_file_exists(path, "-shm") &&
	         access(path, W_OK) == 0 && store_dir_writable(path))
		flags = SQLITE_OPEN_READWRITE;
	else
		flags = SQLITE_OPEN_READONLY;
	rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK && !s->writable && flags == SQLITE_OPEN_READONLY &&
	    !store_dir_writable(path) && !store_file_exists(path, "-shm")) {
		/* Probe: a WAL database there fails its first read with SQLITE_CANTOPEN. */
		ro_media = sqlite3_exec(s->db, "SELECT count(*) FROM sqlite_master", NULL, NULL,
		                        NULL) == SQLITE_CANTOPEN;
		if (ro_media) {
			char *uri = store_immutable_uri(path);
			sqlite3_close_v2(s->db);
			s->db = NULL;
			if (!uri)
				return iw_error_set(IW_ENOMEM, "%s: path too long", path);
			rc = sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
			                     SQLITE_OPEN_NOMUTEX, NULL);
			free(uri);
		}
	}
	if (rc != SQLITE_OK)
		return iw_error_set(IW_EDB, "%s: cannot open the database: %s", path,
		                    s->db ? sqlite3_errmsg(s->db) : "out of memory");
	return IW_OK;
}

int store_has_moved(store *s)
{
	int moved = 0;
	if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK && moved)
		return iw_error_set(IW_EDB, "%s: the database file was moved or removed while "
		                    "ianawatch was using it; nothing more was written", s->path);
	return IW_OK;
}

int store_open(store **out, const char *path, int flags)
{
	store *s = iw_calloc(1, sizeof(*s));
	int rc = IW_OK;
	struct stat sb;

	*out = NULL;
	s->path = iw_strdup(path);
	s->writable = (flags & (STORE_WRITE | STORE_CREATE)) != 0;
	if (!*path) {
		rc = iw_error_set(IW_EINVAL, "an empty database path");
		goto out;
	}
	if (stat(path, &sb) != 0) {
		char *dir, *slash;
		if (!(flags & STORE_CREATE)) {
			rc = iw_error_set(IW_ENOTFOUND, "%s: no database here yet; `ianawatch import` or "
			                  "`ianawatch fetch` creates it", path);
			goto out;
		}
		dir = iw_strdup(path);
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			rc = iw_mkdir_p(dir, 0700);
		}
		free(dir);
		if (rc)
			goto out;
	} else if (!S_ISREG(sb.st_mode)) {
		rc = iw_error_set(IW_EDB, "%s: not a regular file", path);
		goto out;
	} else if (s->writable && access(path, W_OK) != 0) {
		rc = iw_error_set(IW_EDB, "%s: the database is read-only (%s)", path, strerror(errno));
		goto out;
	}
	if ((rc = store_connect(s, path)))
		goto out;
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_extended_result_codes(s->db, 0);
	if ((rc = store_exec(s, s->writable ? "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL"
	                                    : "PRAGMA query_only = ON")))
		goto out;
	if ((rc = store_migrate(s)))
		goto out;
	/* WAL lets readers see a consistent snapshot set while a writer works. Only once the file
	 * is known to be ours: switching rewrites the header of whatever SQLite file it is. The
	 * log is cut back to STORE_WAL_LIMIT at each checkpoint, so a bulk import leaves no
	 * hundred-megabyte -wal behind. */
	if (s->writable && (rc = store_exec(s, "PRAGMA journal_mode = WAL; "
	                                    "PRAGMA journal_size_limit = " STORE_WAL_LIMIT)))
		goto out;
	/* A reader's queries must agree with each other: in one read transaction for the store's
	 * life, it sees the database as of its first query, however many writers commit meanwhile
	 * (an import of an older document shifts every position). */
	if (!s->writable && (rc = store_exec(s, "BEGIN")))
		goto out;
	*out = s;
	s = NULL;
out:
	store_free(s);
	return rc;
}

void store_free(store *s)
{
	if (!s)
		return;
	if (s->db)
		sqlite3_close_v2(s->db);
	free(s->path);
	free(s);
}

void store_snapshot_clear(store_snapshot *s)
{
	if (!s)
		return;
	free(s->source);
	s->source = NULL;
}

void store_snapshots_free(store_snapshot *v, size_t n)
{
	size_t i;
	if (!v)
		return;
	for (i = 0; i < n; i++)
		store_snapshot_clear(&v[i]);
	free(v);
}

static void store_copy_text(sqlite3_stmt *st, int col, char *dst, size_t size)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	snprintf(dst, size, "%s", t ? (const char *)t : "");
}

void store_snapshot_from_row(sqlite3_stmt *st, store_snapshot *out)
{
	const unsigned char *src;
	memset(out, 0, sizeof(*out));
	out->id = sqlite3_column_int64(st, 0);
	out->pos = sqlite3_column_int64(st, 1);
	store_copy_text(st, 2, out->registry_updated, sizeof(out->registry_updated));
	store_copy_text(st, 3, out->observed_at, sizeof(out->observed_at));
	store_copy_text(st, 4, out->sha256, sizeof(out->sha256));
	out->size = sqlite3_column_int64(st, 5);
	out->record_count = sqlite3_column_int64(st, 6);
	out->person_count = sqlite3_column_int64(st, 7);
	src = sqlite3_column_text(st, 8);
	out->source = src ? iw_strdup((const char *)src) : NULL;
	out->has_raw = sqlite3_column_int(st, 9);
}

int store_list_snapshots(store *s, store_snapshot **out, size_t *n)
{
	sqlite3_stmt *st = NULL;
	store_snapshot *v = NULL;
	size_t cnt = 0, alloc = 0;
	int rc, sr;

	*out = NULL;
	*n = 0;
	if ((rc = store_prepare(s, &st, "SELECT " STORE_SNAPSHOT_COLUMNS " FROM snapshot ORDER BY pos")))
		return rc;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		IW_GROW(v, cnt, alloc, 64);
		store_snapshot_from_row(st, &v[cnt++]);
	}
	if (sr != SQLITE_DONE) {
		rc = store_sqlerr(s, "list snapshots");
		store_snapshots_free(v, cnt);
		goto out;
	}
	*out = v;
	*n = cnt;
out:
	sqlite3_finalize(st);
	return rc;
}

int store_get_snapshot(store *s, int64_t id, store_snapshot *out)
{
	sqlite3_stmt *st = NULL;
	int rc;
	if ((rc = store_prepare(s, &st, "SELECT " STORE_SNAPSHOT_COLUMNS " FROM snapshot WHERE id = ?")))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = store_step_row(s, st, "read snapshot");
	if (rc == IW_OK)
		store_snapshot_from_row(st, out);
	else if (rc == IW_ENOTFOUND)
		rc = iw_error_set(IW_ENOTFOUND, "no snapshot %lld", (long long)id);
	sqlite3_finalize(st);
	return rc;
}

static int store_query_id(store *s, const char *sql, const char *arg, int64_t iarg, int64_t *id)
{
	sqlite3_stmt *st = NULL;
	int rc;
	if ((rc = store_prepare(s, &st, sql)))
		return rc;
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_int64(st, 1, iarg);
	if ((rc = store_step_row(s, st, "query")) == IW_OK)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

int store_count_snapshots(store *s, int64_t *n)
{
	int rc = store_query_id(s, "SELECT count(*) FROM snapshot WHERE ? IS NOT NULL", "x", 0, n);
	return rc == IW_ENOTFOUND ? (*n = 0, IW_OK) : rc;
}

int store_find_sha256(store *s, const char *hex, int64_t *id)
{
	int rc = store_query_id(s, "SELECT id FROM snapshot WHERE sha256 = ?", hex, 0, id);
	if (rc == IW_ENOTFOUND)
		return iw_error_set(IW_ENOTFOUND, "no snapshot with SHA-256 %s", hex);
	return rc;
}

int store_at_date(store *s, const char *date, int64_t *id)
{
	int rc;
	if (!iw_date_valid(date))
		return iw_error_set(IW_EINVAL, "'%s' is not a date (YYYY-MM-DD)", date);
	rc = store_query_id(s, "SELECT id FROM snapshot WHERE registry_updated <= ? "
	                    "ORDER BY registry_updated DESC, observed_at DESC, pos DESC LIMIT 1",
	                    date, 0, id);
	if (rc == IW_ENOTFOUND) {
		int64_t n = 0;
		store_count_snapshots(s, &n);
		if (n == 0)
			return iw_error_set(IW_ENOTFOUND, "the database holds no snapshot yet");
		return iw_error_set(IW_ENOTFOUND, "%s is before the first stored snapshot", date);
	}
	return rc;
}

int store_resolve(store *s, const char *spec, int64_t *id)
{
	char *end;
	long long v;
	int rc;
	if (!spec || !*spec)
		return iw_error_set(IW_EINVAL, "empty snapshot reference");
	if (!strcmp(spec, "latest") || !strncmp(spec, "latest~", 7)) {
		long long back = 0;
		if (spec[6] == '~') {
			errno = 0;
			back = strtoll(spec + 7, &end, 10);
			if (errno || *end || end == spec + 7 || back < 0)
				return iw_error_set(IW_EINVAL, "'%s': expected latest~N with N >= 0", spec);
		}
		rc = store_query_id(s, "SELECT id FROM snapshot ORDER BY pos DESC LIMIT 1 OFFSET ?",
		                    NULL, back, id);
		if (rc == IW_ENOTFOUND)
			return iw_error_set(IW_ENOTFOUND, "'%s': the database holds fewer snapshots", spec);
		return rc;
	}
	if (strlen(spec) == 10 && spec[4] == '-')
		return store_at_date(s, spec, id);
	errno = 0;
	v = strtoll(spec, &end, 10);
	if (errno || *end || v <= 0)
		return iw_error_set(IW_EINVAL, "'%s' is not a snapshot id, a date YYYY-MM-DD, latest "
		                    "or latest~N", spec);
	rc = store_query_id(s, "SELECT id FROM snapshot WHERE id = ?", NULL, v, id);
	if (rc == IW_ENOTFOUND)
		return iw_error_set(IW_ENOTFOUND, "no snapshot %lld", v);
	return rc;
}

int store_positions(store *s, int64_t **ids, size_t *n)
{
	sqlite3_stmt *st = NULL;
	int64_t *v = NULL;
	size_t cnt = 0, alloc = 0;
	int rc, sr;
	*ids = NULL;
	*n = 0;
	if ((rc = store_prepare(s, &st, "SELECT id FROM snapshot ORDER BY pos")))
		return rc;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		IW_GROW(v, cnt, alloc, 256);
		v[cnt++] = sqlite3_column_int64(st, 0);
	}
	if (sr != SQLITE_DONE) {
		free(v);
		rc = store_sqlerr(s, "list positions");
	} else {
		*ids = v;
		*n = cnt;
	}
	sqlite3_finalize(st);
	return rc;
}

const char *store_library_versions(void)
{
	static char text[64];
	if (!text[0])
		snprintf(text, sizeof(text), "SQLite %s, zstd %s", sqlite3_libversion(),
		         ZSTD_versionString());
	return text;
}
