/*
 * store.h: the SQLite history of the registry.
 *
 * Every snapshot is one imported document. Record and person versions are stored once, with
 * the spans of consecutive snapshots ("positions") in which they appear, so a decade of nightly
 * snapshots costs a few rows per change. Snapshots are ordered by observed time; `pos` is the
 * 1-based rank in that order (it shifts when an older document is imported later), `id` never
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
	STORE_READONLY = 0,
	STORE_WRITE = 1,   /* open for writing (takes the write lock when writing) */
	STORE_CREATE = 2,  /* create the file, its folder and the schema if missing */
};

/* The schema version this build writes; a database with a higher one is refused. */
#define STORE_SCHEMA_VERSION 1

/* The default path: $XDG_DATA_HOME/ianawatch/ianawatch.db, else ~/.local/share/...
 * Returns a malloc()ed string. */
char *store_default_path(void);

int store_open(store **out, const char *path, int flags);
void store_free(store *s);
/* The underlying connection, for modules that add their own tables (fetch log). Borrowed. */
struct sqlite3 *store_db(store *s);

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

typedef struct store_import_opts {
	const char *source;   /* recorded as provenance */
	time_t observed_at;   /* when the document was seen */
	int keep_raw;         /* keep the compressed original (default 1; --no-raw clears it) */
	int force;            /* skip the plausibility checks below */
	double min_ratio;     /* refuse a document with fewer records than this fraction of the
	                         newest snapshot's (0 to skip; fetch uses 0.9) */
	int refuse_older;     /* refuse a registry date older than the newest snapshot's */
} store_import_opts;

void store_import_opts_init(store_import_opts *o);

typedef struct store_import_result {
	int64_t snapshot_id;  /* the new snapshot, or the one that already holds this content */
	int created;          /* 1 when a snapshot was stored, 0 when the content was known */
	int64_t previous_id;  /* the snapshot just before it in time, 0 when none */
} store_import_result;

/* Stores doc (parsed from data[0..len)) as a snapshot. */
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

/* One stored record version with the positions where it is present. */
typedef struct store_version {
	int64_t record_id;
	int64_t first_pos, last_pos;
	registry_record rec;  /* strings owned by the list's doc */
} store_version;

typedef struct store_version_list {
	store_version *v;
	size_t n;
	registry_doc *strings; /* owns the strings */
} store_version_list;

void store_version_list_free(store_version_list *l);
/* Every version of every record covering port [lo, hi] (any protocol), or, with name != NULL,
 * named `name`, with its spans. */
int store_versions_for_ports(store *s, int lo, int hi, store_version_list *out);
int store_versions_for_name(store *s, const char *name, store_version_list *out);
/* Every person version with id `pid` and its spans (for resolving names per snapshot). */
int store_person_at(store *s, const char *pid, int64_t pos, registry_person *out, registry_doc *strings);

/* Position -> snapshot id map of all snapshots (index pos-1). */
int store_positions(store *s, int64_t **ids, size_t *n);

/* Runs fn inside one write transaction (BEGIN IMMEDIATE ... COMMIT, ROLLBACK on failure). */
int store_transaction(store *s, int (*fn)(store *s, void *arg), void *arg);

#endif
