/*
 * diff.h: the semantic diff of two registry documents, in the registry's own terms (issue 3,
 * "Semantics" is the contract this module implements).
 *
 * Entries are the assigning records (registry_record_kind() == REGISTRY_ASSIGNING), keyed by
 * (name, protocol, number); several entries of one document sharing a key are matched in the
 * order of doc->records (the store's canonical order keeps that relative order), surplus ones
 * are new or gone. Other records only feed the status maps (registry_status_map_build()).
 *
 * Change kinds:
 *   assigned    key in B only, with a number, and some (protocol, port) it covers was not
 *               "assigned" in A
 *   added       key in B only, otherwise (no number, or every covered port was assigned)
 *   deassigned  key in A only, with a number, and some (protocol, port) it covers is not
 *               "assigned" in B
 *   removed     key in A only, otherwise
 *   modified    key in both; `fields` says which of description, assignee, contact,
 *               references, notes, unauthorized, service_code, registration_date,
 *               modification_date differ
 *   status      a maximal run of consecutive ports of one protocol (tcp, udp, sctp, dccp)
 *               whose status changed with the same (before, after), neither being "assigned"
 * People: id in B only "added", in A only "removed", in both with a differing name, org, uri
 * or updated "modified".
 *
 * Order (deterministic, what renderers and JSON print): by kind in the order of diff_kind
 * below (assigned, deassigned, added, removed, modified, status), then port (changes without a
 * port last), port_end, protocol (none first), name (none first), then document order. People
 * changes by id.
 *
 * Ownership: diff_compute() gives a diff_result the caller frees with diff_result_free(). It
 * borrows the two documents: records, people and strings it points to belong to them, so
 * they must outlive the result.
 */
#ifndef IANAWATCH_DIFF_H
#define IANAWATCH_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "registry/registry.h"

typedef enum diff_kind {
	DIFF_ASSIGNED = 0,
	DIFF_DEASSIGNED,
	DIFF_ADDED,
	DIFF_REMOVED,
	DIFF_MODIFIED,
	DIFF_STATUS,
	DIFF_NKINDS,                /* the contract's kinds (JSON "kind") end here */
	/* What readers are shown besides: a removal and an addition that read as one event
	 * (diff_pairs() below). Counted once per pair, selected by --kind like the others. */
	DIFF_MOVED = DIFF_NKINDS,
	DIFF_RENAMED,
	DIFF_NSHOWN
} diff_kind;

/* The one table of kind words, indexed by diff_kind (DIFF_NSHOWN entries): `name` is the
 * JSON and --kind word ("deassigned"), `count` the word of a summary ("4 de-assigned"),
 * `title` a section heading ("De-assigned"). */
typedef struct diff_kind_word {
	const char *name, *count, *title;
} diff_kind_word;
extern const diff_kind_word diff_kind_words[DIFF_NSHOWN];
/* The order in which kinds are shown (sections, summaries, tables): moved, renamed, then
 * the contract's kinds in enum order. */
extern const diff_kind diff_shown_order[DIFF_NSHOWN];
/* The contract's names (diff_kind_words[k].name for k < DIFF_NKINDS). */
extern const char *const diff_kind_names[DIFF_NKINDS];
/* The kind named s (exact, lowercase; "moved" and "renamed" too), or -1. */
int diff_kind_from_name(const char *s);

/* The fields a modification compares, sorted by name (the order of the JSON "fields" list):
 * assignee, contact, description, modification_date, notes, references, registration_date,
 * service_code, unauthorized. */
#define DIFF_NCOMPARED 9
extern const registry_field diff_compared_fields[DIFF_NCOMPARED];
/* The person fields sorted by name: name, org, updated, uri. */
extern const registry_person_field diff_person_fields[PERSON_NFIELDS];

typedef struct diff_change {
	diff_kind kind;
	const char *name;       /* NULL for an unnamed entry and for status changes */
	const char *protocol;   /* NULL for a record without protocol */
	int32_t port, port_end; /* REGISTRY_NO_PORT when the entry has no number */
	/* The entry in A (deassigned, removed, modified) and in B (assigned, added, modified);
	 * NULL otherwise and for status changes. */
	const registry_record *before, *after;
	uint32_t fields;        /* modified: bit (1u << registry_field) per differing field */
	/* status: the statuses of the run in A and B; for entries STATUS_ASSIGNED. */
	registry_status status_before, status_after;
	/* The move or rename this change is half of (diff_pairs() below): 0 when none, else
	 * DIFF_PAIR_MOVED or DIFF_PAIR_RENAMED with `partner` the other half's index in
	 * changes[]. Set by diff_compute(), kept true by diff_filter_apply(). */
	int pair;
	size_t partner;
} diff_change;

typedef struct diff_person_change {
	diff_kind kind;         /* DIFF_ADDED, DIFF_REMOVED or DIFF_MODIFIED */
	const char *id;
	const registry_person *before, *after; /* NULL on the side where it is absent */
	uint32_t fields;        /* modified: bit (1u << registry_person_field) per differing field */
} diff_person_change;

typedef struct diff_result {
	diff_change *changes;
	size_t nchanges;
	diff_person_change *people;
	size_t npeople;
	const registry_doc *a, *b; /* borrowed: the documents compared */
} diff_result;

/*
 * Computes the changes from a to b. Linear in the size of the documents after sorting (a
 * document already in canonical order, as the store returns it, is not re-sorted), plus one
 * memcmp of the 4 x 64 KiB status maps per protocol. *out is the caller's.
 */
int diff_compute(const registry_doc *a, const registry_doc *b, diff_result **out);
void diff_result_free(diff_result *r);
/* Non-zero when the result holds no change at all (entries, status or people). */
int diff_result_empty(const diff_result *r);
/* How many entry/status changes of each kind; people changes counted separately, by kind. */
void diff_count(const diff_result *r, size_t counts[DIFF_NKINDS], size_t people[DIFF_NKINDS]);
/* The kind a change is shown as: DIFF_MOVED or DIFF_RENAMED for half of a pair, else its
 * kind. */
diff_kind diff_shown_kind(const diff_change *c);
/* How many of each shown kind, as every renderer counts them: a pair counts once (as moved
 * or renamed, not as its removal and addition); people as diff_count(). */
void diff_count_shown(const diff_result *r, size_t counts[DIFF_NSHOWN],
                      size_t people[DIFF_NKINDS]);

/* ---- filters (the command line's --kind, --protocol, --port, --name) ------------------------ */

typedef struct diff_filter {
	uint32_t kinds;       /* bit (1u << diff_kind) per shown kind kept (diff_shown_kind():
	                         "removed" keeps removals that are not half of a move or
	                         rename); 0 keeps every kind */
	const char *protocol; /* keep changes on this protocol (case-insensitive), and changes of
	                         records without protocol, which cover every protocol; NULL: all */
	int32_t port_lo, port_hi; /* keep changes whose ports overlap [lo, hi]; REGISTRY_NO_PORT
	                             (both): no port filter. Changes without port are dropped. */
	const char *name;     /* keep changes of this service name (case-insensitive); NULL: all */
} diff_filter;

void diff_filter_init(diff_filter *f);
/* Parses "assigned,moved,..." into f->kinds. IW_EINVAL names an unknown kind. */
int diff_filter_parse_kinds(diff_filter *f, const char *s);
/* Parses "N" or "N-M" (registry_port_parse()) into f->port_lo/port_hi. */
int diff_filter_parse_ports(diff_filter *f, const char *s);
/* Drops from r every change the filter rejects, keeping the order. The two halves of a pair
 * are kept or dropped together (kept when either passes the protocol, port and name
 * filters). A people change is kept only when no protocol, port or name filter is set and
 * its kind passes f->kinds. */
void diff_filter_apply(diff_result *r, const diff_filter *f);

/* The one way every filter (diff_filter_apply(), diff_filter_text(), watch_filter()) drops
 * changes: moved_to[i] is the index change i gets, counting up from 0 in order, or
 * DIFF_DROPPED. Keeps the order and renumbers the pairs' partner indexes; a filter must keep
 * or drop both halves of a pair together. */
#define DIFF_DROPPED ((size_t)-1)
void diff_changes_compact(diff_result *r, const size_t *moved_to);

/* ---- person and text (log --person, --grep; match.c) ---------------------------------------- */

/* Drops from r every change that does not match, keeping the order and the pairs (a pair is
 * kept when either half matches). person (NULL: any): an entry change whose record, before or
 * after, lists as assignee or contact a person whose id or name (looked up in r->a and r->b)
 * equals it case-insensitively; a people change of such a person. grep (NULL: any): an entry
 * change whose name, description or notes, before or after, contain it case-insensitively;
 * status and people changes never match it. Both given: both must match. */
void diff_filter_text(diff_result *r, const char *person, const char *grep);

/* ---- presentation helpers ----------------------------------------------------------------- */

/*
 * A removal and an addition that read as one event, for renderers that want to show them on
 * one line (JSON keeps the contract's kinds). `gone` is a removed or deassigned change, `came`
 * an added or assigned one:
 *   DIFF_PAIR_MOVED    same name (non-NULL) and protocol, different number (including a port
 *                      dropped while the name stays, or a port given to a portless name)
 *   DIFF_PAIR_RENAMED  same protocol and port..port_end, different name
 * Only unambiguous pairs are made: exactly one gone and one came for the (name, protocol),
 * respectively (protocol, number); moves are paired first. Each change is in at most one pair.
 */
typedef enum diff_pair_kind { DIFF_PAIR_MOVED = 1, DIFF_PAIR_RENAMED = 2 } diff_pair_kind;

typedef struct diff_pair {
	size_t gone, came;    /* indexes into r->changes */
	diff_pair_kind kind;
} diff_pair;

/* Pairs, ordered by the index of `gone`. *out is the caller's (free()); NULL when n is 0. */
int diff_pairs(const diff_result *r, diff_pair **out, size_t *n);
/* Computes the pairs of r and records them in its changes (diff_change.pair, .partner);
 * diff_compute() calls it. */
void diff_pairs_mark(diff_result *r);

/*
 * The records of a document by port, to say what stands at a port: "2/tcp de-assigned, now
 * Reserved" names the reserving record now covering 2/tcp. Built once per rendering.
 */
typedef struct diff_port_index diff_port_index;

int diff_port_index_build(const registry_doc *doc, diff_port_index **out);
void diff_port_index_free(diff_port_index *ix);
/* The first record (in document order) covering (protocol index p, port) whose kind gives
 * `status` (assigning -> STATUS_ASSIGNED, reserving -> STATUS_RESERVED, unassigning ->
 * STATUS_UNASSIGNED); NULL when none (a port no record mentions is unassigned). Borrowed. */
const registry_record *diff_port_index_find(const diff_port_index *ix, int p, int32_t port,
                                            registry_status status);
/* The status of (protocol index p, port) in the indexed document. */
registry_status diff_port_index_status(const diff_port_index *ix, int p, int32_t port);

#endif
