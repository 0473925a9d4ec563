/*
 * store.h: the SQLite history of the registry.
 *
 * Every snapshot is one imported document. Record and person versions are stored once, with
 * the spans of consecutive snapshots ("positions") in which they appear, so a decade of nightly
 * snapshots costs a few rows per change. Snapshots are ordered by the registry's own date,
 * then by observed time, then by SHA-256 (see store_import()); `pos` is the 1-based rank in
 * that order (it shifts when an older document is imported later), `id` never
 * changes. The raw documents are kept zstd-compressed, each older one as a delta against the
 * next, so the newest is always one decompression away.
 *
 * Ownership: store_open() gives a store the caller frees with store_free(). Arrays and docs
 * returned through `out` parameters are the caller's (free with the named *_free()).
 * Every write runs in one transaction: on failure the database is exactly as before.
 */
#ifndef IANAWATCH_STORE_H
#define IANAWATCH_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "registry/registry.h"

typedef struct store store;

enum {
	/* Reads only, and consistently: the store sees the database as it was at its first query,
	 * whatever writers commit later, until store_free(). */
	STORE_READONLY = 0,
	STORE_WRITE = 1,   /* open for writing (takes the write lock when writing) */
	STORE_CREATE = 2,  /* create the file, its folder and the schema if missing */
};

/* The schema version this build writes; a database with a higher one is refused. */
#define STORE_SCHEMA_VERSION 5

/* The default path: $XDG_DATA_HOME/ianawatch/ianawatch.db, else ~/.local/share/...
 * Returns a malloc()ed string. */
char *store_default_path(void);

int store_open(store **out, const char *path, int flags);
void store_free(store *s);

typedef struct store_snapshot {
	int64_t id;
	int64_t pos;
	char registry_updated[11];  /* YYYY-MM-DD */
	char observed_at[21];       /* YYYY-MM-DDTHH:MM:SSZ */
	char sha256[65];
	int64_t size;
	int64_t record_count;
	int64_t person_count;
	char *source;               /* file path or URL; owned by the snapshot */
	int has_raw;
} store_snapshot;

void store_snapshot_clear(store_snapshot *s); /* frees source */
void store_snapshots_free(store_snapshot *v, size_t n);

/* Clock skew allowed between this machine and the registry or the given observed time. */
#define STORE_CLOCK_SKEW 86400

/* Plausibility bounds (see store_import_opts; --force skips them). */
#define STORE_MAX_GROWTH 0.10     /* 10 % more records than the newest snapshot */
#define STORE_GROWTH_SLACK 64     /* records, for registries too small for percentages */
#define STORE_MAX_DUPLICATES 16   /* records repeating another's name, protocol and port (the
                                     real registry has one: rdp) */

typedef struct store_import_opts {
	const char *source;   /* recorded as provenance */
	time_t observed_at;   /* when the document was seen */
	int keep_raw;         /* keep the compressed original (default 1; --no-raw clears it) */
	int force;            /* skip the plausibility checks below */
	double min_ratio;     /* refuse a document with fewer records than this fraction of the
	                         newest snapshot's (0 to skip; fetch uses 0.9) */
	double max_growth;    /* refuse a document with more records than the newest snapshot's
	                         times (1 + max_growth + 1 % per month between their registry
	                         dates), plus STORE_GROWTH_SLACK (default STORE_MAX_GROWTH; 0 to
	                         skip) */
	int refuse_older;     /* refuse a registry date older than the newest snapshot's, and
	                         known content older than the newest snapshot (a rollback) */
	struct store_raw_job *raw_job; /* optional: the raw archive compressed ahead of time */
} store_import_opts;

void store_import_opts_init(store_import_opts *o);

typedef struct store_import_result {
	int64_t snapshot_id;  /* the new snapshot, or the one that already holds this content */
	int created;          /* 1 when a snapshot was stored, 0 when the content was known */
	int64_t previous_id;  /* the snapshot just before it in time, 0 when none */
} store_import_result;

/* Compressing the raw archive takes about as long as parsing, so it can run beside the parse:
 * store_raw_job_start() starts, in a thread with its own read-only connection to db_path, what
 * store_import() would do for a document appended after the newest snapshot. Pass the job in
 * store_import_opts.raw_job; if the database moved meanwhile, store_import() recomputes.
 * data must stay valid until store_raw_job_free(), which waits for the thread. */
typedef struct store_raw_job store_raw_job;
int store_raw_job_start(const char *db_path, const unsigned char *data, size_t len,
                        store_raw_job **out);
void store_raw_job_free(store_raw_job *job);

/* Stores doc (parsed from data[0..len)) as a snapshot, at its place in the history: snapshots
 * are ordered by the registry's date (doc->updated), then by observed time (the registry's
 * same-day re-publications), then by SHA-256, so that any import order of the same documents
 * gives the same positions. Unless opts->force, refuses (IW_EREFUSED) more than
 * STORE_MAX_DUPLICATES repeated records (naming the first) and the growth and age bounds of
 * opts; content already stored gives created = 0, or IW_EREFUSED under opts->refuse_older when
 * a later snapshot exists (a rollback). Fails with IW_EINVAL when opts->observed_at is later than now
 * (iw_now()) plus STORE_CLOCK_SKEW, and, unless opts->force, with IW_EREFUSED when the
 * registry date is later than that. */
int store_import(store *s, const registry_doc *doc, const unsigned char *data, size_t len,
                 const store_import_opts *opts, store_import_result *res);

/* All snapshots, oldest first. */
int store_list_snapshots(store *s, store_snapshot **out, size_t *n);
int store_get_snapshot(store *s, int64_t id, store_snapshot *out);
/* Looks a snapshot up by sha256 hex; IW_ENOTFOUND when unknown. */
int store_find_sha256(store *s, const char *hex, int64_t *id);

/* Resolves a user's snapshot reference: an id ("42"), a date ("2025-02-13": the latest snapshot
 * whose registry date is on or before it, ties by observed time), "latest", "latest~N". */
int store_resolve(store *s, const char *spec, int64_t *id);
/* The latest snapshot whose registry date is <= date (YYYY-MM-DD). IW_ENOTFOUND before the
 * first. */
int store_at_date(store *s, const char *date, int64_t *id);

/* Reconstructs the records and people of a snapshot from the spans, sorted canonically
 * (registry_doc_sort), people sorted by id and indexed. *out is the caller's. */
int store_load_doc(store *s, int64_t snapshot_id, registry_doc **out);

/* The original bytes of a snapshot (IW_ENOTFOUND when stored with --no-raw); verified against
 * its SHA-256. *out is the caller's (free()). */
int store_raw(store *s, int64_t snapshot_id, unsigned char **out, size_t *len);

/* ---- history queries (issue: history/show) ----------------------------------------------- */

typedef enum store_version_kind {
	STORE_RECORD_VERSIONS = 0, /* store_version.rec */
	STORE_PERSON_VERSIONS,     /* store_version.p */
} store_version_kind;

/* One stored version of a record or of a person (as its list's kind says), with the
 * positions where it is present. */
typedef struct store_version {
	int64_t id;                    /* of the version's row */
	int64_t first_pos, last_pos;   /* last_pos capped at the newest position */
	union {
		registry_record rec;   /* strings owned by the list's doc */
		registry_person p;
	};
} store_version;

/* What a version query returns: person versions from store_person_versions() and
 * store_spans(STORE_PERSON_VERSIONS, ...), record versions from the others. */
typedef struct store_version_list {
	store_version_kind kind;
	store_version *v;
	size_t n;
	registry_doc *strings; /* owns the strings */
} store_version_list;

void store_version_list_free(store_version_list *l);
/* Every version of every record covering port [lo, hi] (any protocol), or named `name`
 * (case-insensitively, as DNS labels compare: "CompressNET" finds compressnet), with its
 * spans; or, for store_versions_for_person(), listing person id `pid` (case-insensitively) as
 * assignee or contact. The list is the caller's (store_version_list_free()); an empty list
 * is IW_OK. */
int store_versions_for_ports(store *s, int lo, int hi, store_version_list *out);
int store_versions_for_name(store *s, const char *name, store_version_list *out);
int store_versions_for_person(store *s, const char *pid, store_version_list *out);

/* Every version of every person whose id or name (in any version) is `who`, compared
 * case-insensitively ("Bernie_Volz", "bernie volz"), ordered by id, then time. IW_ENOTFOUND
 * (error set) when there is none. *out is the caller's (store_version_list_free()). */
int store_person_versions(store *s, const char *who, store_version_list *out);

/* "Did you mean": up to STORE_SUGGESTIONS stored service names (STORE_SUGGEST_NAMES) or
 * person ids (STORE_SUGGEST_PEOPLE, matched against ids and names) nearest to query by edit
 * distance, case-insensitive, nearest first, none farther than a third of the query's length
 * (at least 2) and none equal to it. *out (n strings) is the caller's: free with
 * store_suggestions_free(); NULL when there is none. */
#define STORE_SUGGESTIONS 3
typedef enum store_suggest_kind { STORE_SUGGEST_NAMES, STORE_SUGGEST_PEOPLE } store_suggest_kind;
int store_suggest(store *s, store_suggest_kind kind, const char *query, char ***out, size_t *n);
void store_suggestions_free(char **v, size_t n);

/* One search result: an entry (the versions of a named record with one name, any case, and
 * protocol; of an unnamed one, one protocol and port) or a person, whose stored versions
 * matched. Strings owned by the list's doc. */
typedef struct store_search_hit {
	int is_person;
	const char *name;          /* the record's name (NULL when unnamed), or the person id */
	const char *protocol;      /* NULL for a person or a record without one */
	int port, port_end;        /* lowest port and highest port_end of the matching versions;
	                              REGISTRY_NO_PORT for a person or no port */
	int64_t first_pos, last_pos; /* the positions the matching versions span */
	double score;              /* relevance (FTS5 bm25, sign flipped): higher is better */
	size_t versions;           /* matching versions */
	const char *text;          /* a description (record) or name (person) to show */
} store_search_hit;

typedef struct store_search_list {
	store_search_hit *v;
	size_t n;
	registry_doc *strings;     /* owns the strings */
} store_search_list;

void store_search_list_free(store_search_list *l);
/* Full-text search (SQLite FTS5, schema 4) over every version of every record (name,
 * description, notes, assignee and contact ids, references) and person (id, name,
 * organisation, uri). text is words, all required, each matched as a word (case and accents
 * ignored; no query syntax). Hits grouped as described above, best first; none is IW_OK with
 * n = 0. IW_EINVAL when text has no word. *out is the caller's (store_search_list_free()). */
int store_search(store *s, const char *text, store_search_list *out);

/* Every version with its spans that ended before position pos (last_pos < pos): what the
 * registry held once and no longer held at pos (compare's de-assignment dates). */
int store_versions_ended(store *s, int64_t pos, store_version_list *out);
/* Every person version with id `pid` and its spans (for resolving names per snapshot). */
int store_person_at(store *s, const char *pid, int64_t pos, registry_person *out, registry_doc *strings);

/* Position -> snapshot id map of all snapshots (index pos-1). */
int store_positions(store *s, int64_t **ids, size_t *n);

/* ---- readers' queries (query.c): versions by span, for the site walk and the change log -----
 *
 * A span is a stretch of consecutive positions in which one version is present. The changes
 * between positions i and i + 1 are the versions whose span ENDS at i (gone, or replaced) and
 * those whose span STARTS at i + 1 (new, or the replacement): two small queries, whatever the
 * length of the history, and no snapshot loaded whole. */
typedef enum store_span_which {
	STORE_SPANS_MEETING = 0, /* spans sharing a position with [lo, hi] */
	STORE_SPANS_ENDING,      /* spans whose last position is in [lo, hi] (an open span ends
	                            at the newest position) */
	STORE_SPANS_STARTING,    /* spans whose first position is in [lo, hi] */
} store_span_which;

/* The record or person versions with a span as `which` says, one row per span (a version
 * present in two stretches comes twice), in no particular order; decoded as store_load_doc()
 * decodes them, last_pos clamped to the newest position. out->strings owns every string: free
 * the list with store_version_list_free(), or take out->strings over (set it NULL) first. */
int store_spans(store *s, store_version_kind kind, store_span_which which, int64_t lo,
                int64_t hi, store_version_list *out);

/* A read transaction: every query between store_read_begin() and store_read_end() sees the
 * same history. Calls nest; only the outermost opens and closes it, and none does when a
 * transaction is already open. Every successful begin must be ended. */
int store_read_begin(store *s);
void store_read_end(store *s);

struct iw_buf;
/* {"id": 12, "registry_updated": "...", "observed_at": "...", "sha256": "..."}, or null: the
 * form of a snapshot in every JSON output. Returns iw_buf_error(out). */
int store_json_snapshot(struct iw_buf *out, const store_snapshot *s);

/* Runs fn inside one write transaction (BEGIN IMMEDIATE ... COMMIT, ROLLBACK on failure). */
int store_transaction(store *s, int (*fn)(store *s, void *arg), void *arg);

/* ---- fetch log, HTTP validators and the run lock (fetchlog.c; issue: fetch) --------------- */

/* Outcomes of a fetch attempt as stored in fetch_log.outcome:
 *   changed       a new snapshot was stored (snapshot_id names it)
 *   unchanged     a complete body whose content is already stored (snapshot_id names it)
 *   not-modified  the server answered 304 to the conditional request
 *   refused       a valid registry refused as implausible (fewer records, older date)
 *   error         the run failed: download, invalid document, database
 *   retry         this attempt failed and the run tried again (its outcome is a later row)
 * The first three are successful checks, the next two failures; `retry` is neither. */
#define STORE_FETCH_CHANGED "changed"
#define STORE_FETCH_UNCHANGED "unchanged"
#define STORE_FETCH_NOT_MODIFIED "not-modified"
#define STORE_FETCH_REFUSED "refused"
#define STORE_FETCH_ERROR "error"
#define STORE_FETCH_RETRY "retry"

/* One row of fetch_log. Strings are owned by the entry when filled by store_fetch_last()
 * (release with store_fetch_entry_clear()); store_fetch_record() only reads them. */
typedef struct store_fetch_entry {
	int64_t id;           /* set when read */
	time_t at;            /* when the attempt started */
	char *url;            /* the URL asked for, without credentials */
	long http_status;     /* 0: no response */
	char *outcome;        /* one of STORE_FETCH_* */
	char *message;        /* what happened, one line; NULL when nothing to add */
	int64_t snapshot_id;  /* changed / unchanged: the snapshot; 0 otherwise */
} store_fetch_entry;

void store_fetch_entry_clear(store_fetch_entry *e);

/* The validators remembered per URL for the next conditional GET. Strings owned by the struct
 * when filled by store_http_cache_get() (release with store_http_cache_clear()); NULL when
 * absent. */
typedef struct store_http_cache {
	char *etag;
	char *last_modified;
	char *sha256;         /* of the last valid body the URL served */
	time_t checked_at;    /* the last successful check */
} store_http_cache;

void store_http_cache_clear(store_http_cache *c);
/* The validators of url; IW_ENOTFOUND (without setting an error) when none are stored. */
int store_http_cache_get(store *s, const char *url, store_http_cache *out);

/* Appends the n entries to the log and, when cache is not NULL, replaces the validators of
 * cache_url; all in one transaction. */
int store_fetch_record(store *s, const store_fetch_entry *entries, size_t n,
                       const char *cache_url, const store_http_cache *cache);

typedef enum store_fetch_which {
	STORE_FETCH_LAST_SUCCESS = 0, /* changed, unchanged or not-modified */
	STORE_FETCH_LAST_CHANGE,      /* changed */
	STORE_FETCH_LAST_FAILURE,     /* error or refused */
} store_fetch_which;

/* The newest entry (by time, then by order of writing) of the given kind; IW_ENOTFOUND
 * (without setting an error) when there is none. */
int store_fetch_last(store *s, store_fetch_which which, store_fetch_entry *out);

/*
 * An exclusive lock for one whole writing run: flock(2) on "<db_path>.lock" (created 0600, and
 * the database's folder 0700, when missing), so that two overlapping cron runs never both
 * download, write and report. Polls for up to wait_ms, then fails with IW_EBUSY and a message
 * naming the lock file. The lock dies with the process, so a crashed run leaves none behind.
 * *fd receives the descriptor to pass to store_run_unlock(), which accepts -1.
 */
int store_run_lock(const char *db_path, long wait_ms, int *fd);
void store_run_unlock(int fd);

/* Leaves the write-ahead log as it is when s is closed, instead of copying it into the
 * database file and waiting for the disk (fsync): for a run that only appended to the fetch
 * log, as a 304 does on most nights, which then ends in milliseconds. The rows survive a crash
 * of the program; a power cut may lose them until the next checkpoint (SQLite's own every
 * 1000 pages, or the close of any run that stores a snapshot). */
void store_defer_checkpoint(store *s);

/* Loads a snapshot's document (as store_load_doc() does) in a thread with its own read-only
 * connection to db_path, so that the caller can go on meanwhile: fetch loads the previous
 * snapshot, for its change report, while it parses and stores the new one. Every started job
 * must be finished: store_load_job_finish() waits for the thread, frees the job, and gives the
 * document (the caller's) or the thread's error. */
typedef struct store_load_job store_load_job;
int store_load_job_start(const char *db_path, int64_t snapshot_id, store_load_job **out);
int store_load_job_finish(store_load_job *job, registry_doc **out);

/* ---- the notification queue (notifyq.c; issue 15) ---------------------------------------- */

/*
 * Notifications of change sets (fetch --notify) wait here until delivered: a run queues one
 * per target and change set, in the same database as the snapshot, then tries every one due;
 * a failure stays queued with its next try time. The payload is built once, when queued, so a
 * retry sends the same bytes (the same Message-ID for a mail).
 */
typedef struct store_notification {
	int64_t id;
	char *target;          /* as configured: may hold secrets, never print it */
	char *shown;           /* the target without secrets, for status and messages */
	int64_t from_id, to_id;/* the change set */
	char *content_type;    /* of the body (HTTP targets) */
	char *headers;         /* extra request headers, one "Name: value\n" each; may be NULL */
	unsigned char *body;   /* the payload (for mail: the whole message); NULL in listings */
	size_t len;
	time_t created_at, next_at;
	int attempts;          /* failed tries so far */
	char *last_error;      /* the last failure, without secrets; NULL before any */
} store_notification;

/* Queues n notifications in one transaction (ids, attempts, next_at = created_at ignored). */
int store_notify_add(store *s, const store_notification *v, size_t n);
/* Every queued notification, oldest first; with_body: the payloads too. */
int store_notify_list(store *s, int with_body, store_notification **out, size_t *n);
/* A delivered or expired notification leaves the queue. */
int store_notify_remove(store *s, int64_t id);
/* A failed try: attempts, the next try time and the error (written as given). */
int store_notify_failed(store *s, int64_t id, int attempts, time_t next_at, const char *error);
void store_notifications_free(store_notification *v, size_t n);
/* Frees what one notification owns and zeroes it (one built outside a list: notify_build()).
 * Accepts NULL. */
void store_notification_clear(store_notification *n);

/* ---- verification (check.c; issue: hardening) -------------------------------------------- */

/*
 * Called by store_raw_walk() once per stored raw document. data[0..len) is the decompressed
 * document (not yet checked against its SHA-256), borrowed for the call; when it cannot be
 * rebuilt (corrupt data, a missing base, a loop in the chain of bases) data is NULL and error
 * says why. A non-zero return stops the walk, which returns it.
 */
typedef int (*store_raw_fn)(void *arg, int64_t snapshot_id, const unsigned char *data,
                            size_t len, const char *error);
/*
 * Decompresses every raw document once: the self-contained ones first (newest first), then
 * each delta against the document it is based on, holding only the documents that still have
 * deltas to rebuild. n documents cost n decompressions, where store_raw() per snapshot would
 * re-walk each chain.
 */
int store_raw_walk(store *s, store_raw_fn fn, void *arg);

typedef struct store_check_result {
	size_t snapshots;  /* snapshots in the database */
	size_t compared;   /* snapshots whose reconstruction was compared with their document */
	size_t no_raw;     /* snapshots stored without their document (spans checked only) */
	size_t problems;   /* problems reported */
} store_check_result;

/* Receives one problem, a single line naming the snapshot or table (no newline). */
typedef void (*store_check_fn)(void *arg, const char *problem);

/*
 * Verifies the database without writing to it: SQLite's integrity and foreign key checks; the
 * snapshot positions (a permutation of 1..n); every span (first <= last, within 1..n or open,
 * no two of one version overlapping, its version existing); each snapshot's record and person
 * counts against the spans covering its position; every raw document rebuildable and matching
 * its snapshot's size and SHA-256; and, for every snapshot with a raw document (or `sample` of
 * them, spread evenly, always including the newest; 0 for all), that the records and people
 * reconstructed from the spans equal a fresh parse of the document.
 * Each problem goes to fn (NULL: only counted). Returns IW_OK when there are none, IW_EDB (with a message counting
 * them) when there are; *out is filled either way.
 */
int store_check(store *s, size_t sample, store_check_fn fn, void *arg, store_check_result *out);

/* The SQLite and zstd libraries this program runs with, as "SQLite 3.40.1, zstd 1.5.4", for
 * `ianawatch --version`. A static string, formatted on the first call (call it from one thread). */
const char *store_library_versions(void);

#endif
