/*
 * watch.h: what matters to one user (issue 15): a local services file compared with the
 * registry's history (`ianawatch compare`), and watch lists with the severity of each change,
 * so that diff, log, fetch and report can keep only the changes that touch watched items.
 *
 * A library above store/ and diff/, below reports/ and cli/. It never prints: malformed lines
 * go to a callback, results into structures and iw_buf renderings.
 *
 * Ownership: every result of a parse, read or watch_compare() call is the caller's, released with
 * the matching *_free(), which accepts NULL. Strings in a result belong to it.
 */
#ifndef IANAWATCH_WATCH_H
#define IANAWATCH_WATCH_H

#include <stddef.h>
#include <stdint.h>

#include "common/common.h"
#include "diff/diff.h"
#include "registry/registry.h"
#include "store/store.h"

/* Files larger than this are refused (services files are well under 2 MB). */
#define WATCH_MAX_FILE (64u * 1024 * 1024)

/* Receives one malformed line (1-based) and why, one line without newline. The line is
 * skipped; parsing goes on. */
typedef void (*watch_warn_fn)(void *arg, const char *file, unsigned line, const char *msg);

/* ---- services files ------------------------------------------------------------------------ */

typedef enum watch_services_format {
	WATCH_FORMAT_SERVICES = 0, /* /etc/services: name port/proto [aliases...] [# comment] */
	WATCH_FORMAT_NMAP          /* nmap-services: name port/proto frequency [# comment] */
} watch_services_format;

typedef struct watch_service {
	const char *name;       /* as written */
	const char *protocol;   /* lowercased: one of registry_protocols */
	int proto;              /* its index in registry_protocols */
	int32_t port;
	const char *const *aliases; /* /etc/services only; naliases of them */
	size_t naliases;
	unsigned line;          /* 1-based */
} watch_service;

typedef struct watch_services {
	watch_services_format format;
	watch_service *v;
	size_t n;
	size_t skipped;         /* malformed lines (reported to the callback) */
	size_t other_protocols; /* lines on a protocol the registry does not number (ddp): ignored */
	struct watch_arena *arena; /* owns the strings */
} watch_services;

/*
 * Parses a services file, its format detected by content: nmap's when most lines with a
 * third field have a frequency there (a decimal number with a point), else /etc/services.
 * In nmap's format, entries named "unknown" (its placeholder for an unnamed port) are
 * skipped. A line without "port/proto", with a port above 65535 or a name with control
 * characters goes to warn (may be NULL) and is skipped. `name` names the file in messages.
 */
int watch_services_parse(const char *data, size_t len, const char *name, watch_warn_fn warn,
                         void *arg, watch_services **out);
/* Reads path ("-" is stdin, named "(standard input)" in messages) and parses it. */
int watch_services_read(const char *path, watch_warn_fn warn, void *arg, watch_services **out);
void watch_services_free(watch_services *f);

/* ---- compare a services file with the registry --------------------------------------------- */

typedef enum watch_verdict {
	WATCH_AGREES = 0,   /* the registry assigns this name to this port and protocol */
	WATCH_DIFFERS,      /* the port is assigned to another name, or the name to another port */
	WATCH_DEASSIGNED,   /* this name had this port and lost it (date in the finding) */
	WATCH_RESERVED,     /* the port is reserved, and this name never had it */
	WATCH_UNKNOWN,      /* the name was never in the registry (said once per name) */
	WATCH_MISSING,      /* --missing: the registry assigns it, the file lacks it */
	WATCH_NVERDICTS
} watch_verdict;

/* "agrees", "differs", "deassigned", "reserved", "unknown", "missing". */
extern const char *const watch_verdict_names[WATCH_NVERDICTS];

typedef struct watch_finding {
	watch_verdict verdict;
	const char *name;        /* the file's name (an alias when `alias`); MISSING: the entry's */
	const char *alias_of;    /* for an alias: the line's first name; else NULL */
	const char *protocol;
	int32_t port;
	unsigned line;           /* 0 for MISSING */
	registry_status status;  /* the port's status in the snapshot */
	/* DIFFERS: the entry holding the port (another name), NULL when it is not assigned. */
	const registry_record *port_entry;
	/* DIFFERS, DEASSIGNED: an entry of this name on this protocol at another port (or
	 * without port); MISSING: the registry's entry. NULL otherwise. */
	const registry_record *name_entry;
	/* DEASSIGNED: the last version of the entry and the registry date of the first snapshot
	 * without it. */
	const registry_record *was;
	char since[11];
	/* DEASSIGNED, RESERVED: the reserving or unassigning record now covering the port. */
	const registry_record *now;
} watch_finding;

typedef struct watch_compare_opts {
	int64_t snapshot_id;     /* 0: the newest */
	int missing;             /* also list what the file lacks */
	int32_t port_lo, port_hi;/* --missing restricted to these ports; REGISTRY_NO_PORT: all */
	int proto;               /* --missing restricted to this protocol index; -1: all */
} watch_compare_opts;

void watch_compare_opts_init(watch_compare_opts *o);

typedef struct watch_compare_result {
	store_snapshot snapshot;   /* the snapshot compared with */
	watch_finding *v;          /* every finding except agreements, in file order, then missing */
	size_t n;
	size_t count[WATCH_NVERDICTS]; /* names checked per verdict (AGREES included) */
	registry_doc *doc;         /* the snapshot; findings' records point into it ... */
	store_version_list history;/* ... or into these versions (loaded only when needed) */
} watch_compare_result;

/*
 * Compares every (name or alias, port, protocol) of f with the snapshot: one store_load_doc()
 * and, when some name does not agree, one store_versions_ended() for what the registry held
 * before and no longer (de-assignment dates; a name in neither was never in the registry).
 * Names compare case-insensitively. IW_ENOTFOUND when the store holds no snapshot.
 */
int watch_compare(store *s, const watch_services *f, const watch_compare_opts *o,
                  watch_compare_result **out);
void watch_compare_result_free(watch_compare_result *r);

/* Renders r for people (text), as Markdown, or as one JSON object (see ianawatch(1)); `file`
 * names the services file. Appends to out; returns IW_OK or the buffer's error. */
typedef enum watch_render_format {
	WATCH_RENDER_TEXT = 0,
	WATCH_RENDER_JSON,
	WATCH_RENDER_MARKDOWN
} watch_render_format;
int watch_compare_render(iw_buf *out, const watch_compare_result *r, const char *file,
                         watch_render_format fmt);

/* ---- watch lists ----------------------------------------------------------------------------- */

typedef enum watch_item_kind {
	WATCH_ITEM_PORTS = 0, /* a port or range, with or without protocol */
	WATCH_ITEM_NAME,      /* a service name (case-insensitive) */
	WATCH_ITEM_PERSON     /* person:ID, an assignee or contact (exact) */
} watch_item_kind;

typedef struct watch_item {
	watch_item_kind kind;
	int32_t port_lo, port_hi; /* PORTS */
	int proto;                /* PORTS: index in registry_protocols, -1 for any */
	const char *text;         /* NAME, PERSON */
	unsigned line;            /* the line of the watch list naming it */
} watch_item;

typedef struct watch_list {
	watch_item *v;
	size_t n;
	struct watch_arena *arena;
} watch_list;

/*
 * Parses a watch list: one item a line, '#' starts a comment, blank lines are ignored:
 *   443  3000-3100/tcp      a port or range (0..65535), optionally /tcp, /udp, /sctp, /dccp
 *   http                    a service name
 *   person:Bernie_Volz      a person id
 *   file:PATH               every entry of a services file (both its port and its name);
 *                           a relative PATH is taken from the watch list's folder
 * `name` is the list's path (for messages and file: paths). A bad line is an IW_EINVAL error
 * "NAME:LINE: why"; a file: that cannot be read or has malformed lines also fails.
 */
int watch_list_parse(const char *data, size_t len, const char *name, watch_list **out);
int watch_list_read(const char *path, watch_list **out);
void watch_list_free(watch_list *w);

/* Non-zero when the change touches a watched item: its ports overlap a watched range on a
 * matching protocol (a record without protocol matches every protocol), its name (before or
 * after) is watched, or a watched person is in its assignee or contact lists. A NULL list
 * watches everything. */
int watch_change_matches(const watch_list *w, const diff_change *c);
int watch_person_change_matches(const watch_list *w, const diff_person_change *c);

typedef enum watch_severity {
	WATCH_LOW = 0,
	WATCH_MEDIUM,
	WATCH_HIGH,
	WATCH_NSEVERITIES
} watch_severity;

/* "low", "medium", "high". */
extern const char *const watch_severity_names[WATCH_NSEVERITIES];
/* Parses a severity name (case-insensitive); IW_EINVAL names the bad value. */
int watch_severity_parse(const char *s, watch_severity *out);

/*
 * The severity of a change alone: high for deassigned, removed and status changes; medium for
 * a modification of the assignee, contact or description; low for the rest. A change of
 * people: medium when modified or removed, low when added. Severity is about what happened;
 * whether it matters to you is watch_change_matches().
 */
watch_severity watch_change_severity(const diff_change *c);
watch_severity watch_person_severity(const diff_person_change *c);

/*
 * The severity of every change of r (sev[i] for r->changes[i]; the caller allocates
 * r->nchanges of them): watch_change_severity(), and high for the arriving half of a move
 * (diff_pairs(): the same name at a new number), which the departing half already is.
 */
int watch_severities(const diff_result *r, watch_severity *sev);

/*
 * Keeps in r only the changes (and people changes) that touch w (NULL: all) and whose
 * severity is at least min, in their order. If sev_out is not NULL, *sev_out receives the
 * kept changes' severities (r->nchanges of them after the call; the caller's, free()).
 * The one call diff, log, fetch and report make for --watch and --min-severity.
 */
int watch_filter(diff_result *r, const watch_list *w, watch_severity min, watch_severity **sev_out);

#endif
