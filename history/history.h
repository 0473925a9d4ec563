/*
 * history.h: every state a port or a service name went through across the stored snapshots,
 * and the state at one snapshot (issue 4: `ianawatch history` and `ianawatch show`).
 *
 * The state of port X on protocol P in a snapshot is (issue 4, with issue 3's rules from
 * registry.h): its status (registry_status_of(): assigned, reserved or unassigned), the
 * covering entries (assigning records) with all their fields, and the description and notes
 * of the covering records that are not entries, not their ranges. A timeline is the list of
 * maximal runs ("rows") of consecutive snapshot positions with the same state, oldest first:
 * a split of an Unassigned range starts no row, a new note on the covering Reserved record
 * does. Without a protocol, a port has one timeline per protocol (tcp, udp, sctp, dccp) that
 * some record ever covered.
 *
 * The state of a service name on a protocol is the set of entries with that name and
 * protocol (records without protocol form a group of their own); its status is "assigned"
 * when one of them has a port number, "registered" when they have none, "absent" when there
 * is no such entry in the snapshot.
 *
 * Cost: one query for the record versions covering the ports (or named so), one for the
 * snapshot positions, one per snapshot a row starts or ends at and one per distinct (person,
 * position) resolved; a timeline is computed by a sweep over the span boundaries of its
 * versions, never snapshot by snapshot.
 *
 * Ownership: history_run() hands each timeline to a callback; the timeline, its rows and
 * everything they point to are borrowed and valid only during that call.
 */
#ifndef IANAWATCH_HISTORY_H
#define IANAWATCH_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "common/common.h"
#include "registry/registry.h"
#include "store/store.h"

/* Row statuses: the first three are registry_status values (port timelines); the last two
 * only occur in name timelines. */
typedef enum history_status {
	HISTORY_UNASSIGNED = STATUS_UNASSIGNED,
	HISTORY_RESERVED = STATUS_RESERVED,
	HISTORY_ASSIGNED = STATUS_ASSIGNED,
	HISTORY_REGISTERED, /* the name has entries, none with a port number */
	HISTORY_ABSENT,     /* the name has no entry on this protocol */
	HISTORY_NSTATUS
} history_status;

/* "unassigned", "reserved", "assigned", "registered", "absent". */
extern const char *const history_status_names[HISTORY_NSTATUS];

/* ---- what is asked ---------------------------------------------------------------------- */

#define HISTORY_MAX_NAME 255

typedef struct history_query {
	int32_t port_lo, port_hi; /* ports asked for; REGISTRY_NO_PORT (both) for a name */
	int proto;                /* index in registry_protocols, or -1 for every protocol */
	char name[HISTORY_MAX_NAME + 1]; /* the service name, matched case-insensitively; "" for
	                                    ports */
} history_query;

/* history_parse_target() flags. */
#define HISTORY_ALLOW_RANGE 1u

/*
 * Parses what the user asks about: "PORT", "PORT/PROTO", "N-M" (with HISTORY_ALLOW_RANGE,
 * optionally "/PROTO"), or a service name, optionally "NAME/PROTO". A protocol is one of tcp,
 * udp, sctp, dccp in any case. Digits (and a dash between digits) are a port; anything else is
 * a name, so names with a slash ("cl/1", "914c/g") stay names unless what follows the last
 * slash is a protocol. IW_EINVAL with a one-line message for an empty argument, a port above
 * 65535, a range N-M with N > M, an unknown protocol after a port, a name with spaces or
 * control characters or longer than HISTORY_MAX_NAME.
 */
int history_parse_target(const char *arg, unsigned flags, history_query *q);

/* ---- the answer ------------------------------------------------------------------------- */

/* A person an entry refers to, as recorded in the row's first snapshot (or, when absent there,
 * in its last one). */
typedef struct history_person_ref {
	const char *id;
	const registry_person *person; /* NULL when the snapshots' people do not list the id */
} history_person_ref;

typedef struct history_row {
	int64_t first_pos, last_pos;  /* snapshot positions (1-based, store.h) */
	history_status status;
	/* The covering entries, in canonical order (registry_record_cmp()). */
	const registry_record *const *entries;
	size_t nentries;
	/* One covering non-entry record per distinct (description, notes), sorted by them;
	 * only their kind, description and notes are part of the state. Port timelines only. */
	const registry_record *const *others;
	size_t nothers;
	/* Every person id of the entries' assignee and contact lists, in order of first mention. */
	const history_person_ref *people;
	size_t npeople;
	/* When the previous row has entries with the same keys (name, protocol, number): the
	 * fields that differ, bit (1u << registry_field); 0 otherwise. Helps say why a row that
	 * reads the same in a summary is a new state. */
	uint32_t changed;
} history_row;

typedef struct history_timeline {
	int32_t port;          /* port timelines: the port; REGISTRY_NO_PORT for a name */
	const char *name;      /* name timelines: the name; NULL for a port */
	const char *protocol;  /* the protocol; for a name, NULL for its records without one */
	const history_row *rows;
	size_t nrows;
	/* The stored snapshots by position - 1 (nsnaps of them); only the entries at the rows'
	 * first and last positions are filled in. */
	const store_snapshot *snaps;
	size_t nsnaps;
} history_timeline;

/* Called once per timeline, in order: port, then protocol (tcp, udp, sctp, dccp, others,
 * none). A non-zero return stops the run and is returned by history_run(). */
typedef int (*history_fn)(const history_timeline *t, void *arg);

/* The registry's Dynamic/Private range (RFC 6335 section 6): IANA assigns no port there, so
 * no record covering one is the rule, not a gap; messages and `show` say so. */
#define HISTORY_DYNAMIC_LO 49152
#define HISTORY_DYNAMIC_NOTE \
	" (49152-65535 is the registry's Dynamic and/or Private Ports range, RFC 6335: never assigned)"

/* history_run()'s at_id for the newest snapshot. */
#define HISTORY_LATEST (-1)

/*
 * Computes the timelines q asks for. With at_id == 0, over every stored snapshot (history);
 * with a snapshot id (or HISTORY_LATEST), at that snapshot only: every timeline then has
 * exactly one row (show).
 * Over every snapshot, a port (and protocol) no record ever covered, or a name no snapshot
 * holds, has no timeline; when nothing at all is found the result is IW_ENOTFOUND with a
 * message saying so (with up to three "did you mean" names, and the Dynamic/Private range
 * named for ports from 49152), as it is for an empty database or an unknown snapshot id. At
 * one snapshot every port has a status (issue 13): a port and protocol no record ever
 * covered is one "unassigned" row, on the protocol asked or, without one, on each of tcp,
 * udp, sctp and dccp when no record ever covered the port on any.
 */
int history_run(store *s, const history_query *q, int64_t at_id, history_fn fn, void *arg);

/* IW_OK when some stored snapshot has an entry named `name` (any case); otherwise IW_ENOTFOUND
 * with history_run()'s message for it ("no entry named 'X' in any of the N stored snapshots
 * (case ignored); did you mean Y?"). For a command whose name filter matched nothing, to say
 * whether the name is at fault. */
int history_name_known(store *s, const char *name);

/* ---- rendering ---------------------------------------------------------------------------- */

/*
 * Text, for people. history: a header ("3/tcp", "compressnet/udp") and one line per row:
 *   "  2017-03-10 .. 2025-01-23  assigned    compressnet  Compression Process (Bernie Volz)"
 * (the registry dates of the row's first and last snapshots, "now" when it runs to the latest),
 * further entries and records on continuation lines, each with its registration and
 * modification dates and whole notes, wrapped at 100 columns (never cut); "since the first
 * snapshot (DATE)" under a row that begins there; "changed: f, ..." when only fields not
 * shown differ. show's text explains ports from 49152 as the Dynamic/Private range. show (`detailed`): "3/tcp: assigned" then every field of each entry.
 * Appends to out; returns IW_OK or the buffer's error.
 */
int history_render_text(iw_buf *out, const history_timeline *t, int detailed);

/*
 * The JSON members of one row, without braces, so that callers embed them:
 *   "port": 3, "protocol": "tcp"   (a name timeline: "name": ..., "protocol": ...)
 *   "from": SNAP, "to": SNAP       (only with `span`)
 *   "status": S, "range": "dynamic/private" (only for ports 49152-65535),
 *   "entries": [RECORD, ...],
 *   "other_records": [{"kind": "reserving"|"unassigning", "description", "notes"}, ...],
 *   "people": {ID: {"name", "org", "uri", "updated"} or null, ...}
 * SNAP and RECORD are the diff's (store_json_snapshot(), registry_json_record()).
 */
int history_render_json(iw_buf *out, const history_timeline *t, const history_row *row, int span);

#endif
