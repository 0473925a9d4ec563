/*
 * registry.h: the model of IANA's Service Name and Transport Protocol Port Number Registry,
 * its parser, and the status rules (which record assigns, reserves or unassigns a port).
 *
 * Data flows one way: bytes -> registry_parse() -> registry_doc -> store / diff / reports.
 *
 * Text values are whitespace-normalised (runs of XML whitespace become one space, then trimmed;
 * an empty result is NULL). Lists (assignee, contact, references) are stored as one string whose
 * items are separated by '\n' (normalised text never contains a newline); NULL when empty.
 *
 * Ownership: a registry_doc owns every string its records and people point to (one arena);
 * registry_doc_free() releases all of it. Records are borrowed from the doc.
 */
#ifndef IANAWATCH_REGISTRY_H
#define IANAWATCH_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

/* The text fields of a record, in the order the diff contract lists them. */
typedef enum registry_field {
	REG_NAME = 0,
	REG_PROTOCOL,
	REG_DESCRIPTION,
	REG_ASSIGNEE,          /* list: person ids inside <assignee> */
	REG_CONTACT,           /* list: person ids of direct-child <xref type="person"> */
	REG_REFERENCES,        /* list: "type:data" of other direct-child <xref> */
	REG_NOTES,             /* all <note> texts joined by one space */
	REG_UNAUTHORIZED,
	REG_SERVICE_CODE,      /* <sc> */
	REG_REGISTRATION_DATE, /* attribute date */
	REG_MODIFICATION_DATE, /* attribute updated */
	REG_NFIELDS
} registry_field;

/* JSON/CLI names: "name", "protocol", "description", "assignee", "contact", "references",
 * "notes", "unauthorized", "service_code", "registration_date", "modification_date". */
extern const char *const registry_field_names[REG_NFIELDS];
/* Non-zero for assignee, contact and references. */
int registry_field_is_list(registry_field f);

#define REGISTRY_NO_PORT (-1)
/* Port numbers run 0..REGISTRY_PORT_MAX for each protocol. */
#define REGISTRY_PORT_MAX 65535
#define REGISTRY_NPORTS (REGISTRY_PORT_MAX + 1)
/* The most digits a port number is written with (those of REGISTRY_PORT_MAX). */
#define REGISTRY_PORT_DIGITS 5

typedef struct registry_record {
	const char *f[REG_NFIELDS]; /* NULL when absent */
	int32_t port;               /* REGISTRY_NO_PORT when the record has no <number> */
	int32_t port_end;           /* == port for a single port */
	uint32_t occurrence;        /* 0 for the first record with this (name, protocol, number)
	                               key in document order, 1 for the second, ... */
	uint32_t line;              /* source line, for messages; 0 when unknown */
} registry_record;

typedef enum registry_person_field {
	PERSON_NAME = 0,
	PERSON_ORG,
	PERSON_URI,     /* several <uri> are joined by one space */
	PERSON_UPDATED,
	PERSON_NFIELDS
} registry_person_field;

extern const char *const registry_person_field_names[PERSON_NFIELDS];

typedef struct registry_person {
	const char *id;
	const char *f[PERSON_NFIELDS];
} registry_person;

typedef struct registry_doc {
	char *updated;               /* registry date, the root's <updated> (YYYY-MM-DD) */
	registry_record *records;
	size_t nrecords;
	registry_person *people;
	size_t npeople;
	struct registry_arena *arena; /* owns every string above */
	size_t records_alloc, people_alloc; /* private */
	size_t arena_reserved;              /* private */
} registry_doc;

/* Hard limits: a document beyond them is refused, not truncated. */
#define REGISTRY_MAX_DOC_SIZE (64u * 1024 * 1024)
#define REGISTRY_MAX_FIELD (64u * 1024)
#define REGISTRY_MAX_RECORDS 1000000u

/*
 * Parses and validates a document: well-formed XML whose root is <registry> in the
 * http://www.iana.org/assignments namespace with id="service-names-port-numbers" and an
 * <updated> date. Loads no DTD, resolves no entity, refuses any DOCTYPE. Port numbers are read
 * by registry_port_parse(). `name` (a file name or URL) prefixes error messages, with the line.
 * On success *out is owned by the caller.
 */
int registry_parse(const unsigned char *data, size_t len, const char *name, registry_doc **out);
void registry_doc_free(registry_doc *doc);

/* An empty document to fill by hand (tests, the store's reconstruction); strings added with
 * registry_doc_strdup() belong to the doc. */
registry_doc *registry_doc_new(void);
const char *registry_doc_strdup(registry_doc *doc, const char *s);
const char *registry_doc_strndup(registry_doc *doc, const char *s, size_t n);
/* Reserves n bytes of the doc's arena for writing a string in place; registry_doc_commit()
 * then keeps the first `used` bytes (0: none) and returns the rest. One at a time. */
char *registry_doc_reserve(registry_doc *doc, size_t n);
void registry_doc_commit(registry_doc *doc, size_t used);
registry_record *registry_doc_add_record(registry_doc *doc);
registry_person *registry_doc_add_person(registry_doc *doc);
/* Recomputes every record's occurrence from the current order. */
void registry_doc_number_occurrences(registry_doc *doc);
/* Finds a person by id (binary search after registry_doc_index_people()). Borrowed. */
void registry_doc_index_people(registry_doc *doc);
const registry_person *registry_doc_person(const registry_doc *doc, const char *id);

/* ---- status rules (the diff issue's contract) ---------------------------------------------- */

typedef enum registry_kind {
	REGISTRY_ASSIGNING = 0, /* has a name, or an unnamed assignment */
	REGISTRY_RESERVING,     /* unnamed; "Reserved", "De-registered", "Removed", ... */
	REGISTRY_UNASSIGNING    /* unnamed; description starts with "unassigned" */
} registry_kind;

registry_kind registry_record_kind(const registry_record *r);

typedef enum registry_status {
	STATUS_UNASSIGNED = 0,
	STATUS_RESERVED = 1,
	STATUS_ASSIGNED = 2
} registry_status;

extern const char *const registry_status_names[3]; /* "unassigned", "reserved", "assigned" */

#define REGISTRY_NPROTOS 4
extern const char *const registry_protocols[REGISTRY_NPROTOS]; /* tcp, udp, sctp, dccp */
/* Index of a protocol name in registry_protocols, or -1. */
int registry_protocol_index(const char *proto);
/* The same for a protocol as a user types it, in any case ("TCP"); -1 for NULL or unknown. */
int registry_protocol_index_ci(const char *proto);
/* Non-zero when r covers protocol index p (its protocol, or any when it has none). */
int registry_record_covers_proto(const registry_record *r, int p);

/* The status of every (protocol, port): 4 x 65536 bytes. Owned by the caller (free()). */
typedef struct registry_status_map {
	uint8_t s[REGISTRY_NPROTOS][REGISTRY_NPORTS];
} registry_status_map;

registry_status_map *registry_status_map_build(const registry_doc *doc);
/* The status of one (protocol index, port) computed from the records alone. */
registry_status registry_status_of(const registry_record *recs, size_t n, int proto, int port);

/* SHA-256 identity of a record's content and occurrence. Records with equal identity are the
 * same version. */
void registry_record_identity(const registry_record *r, unsigned char out[32]);
void registry_person_identity(const registry_person *p, unsigned char out[32]);

/* Compares the content of two records (all fields, port, port_end). 0 when equal. */
int registry_record_equal(const registry_record *a, const registry_record *b);

/* strcmp() where NULL sorts before every string. */
int registry_strcmp_null(const char *a, const char *b);
/* 1 when the '\n'-separated list (assignee, contact; NULL is empty) holds item, compared
 * exactly or, with ignore_case, as ASCII without case; else 0. */
int registry_list_has(const char *list, const char *item, int ignore_case);
/* Orders people by id, then every field in registry_person_field order (NULL first): 0 only for
 * the same person with the same details. */
int registry_person_cmp(const registry_person *a, const registry_person *b);

/* What registry_port_parse() found. */
typedef enum registry_port_verdict {
	REGISTRY_PORT_OK = 0,
	REGISTRY_PORT_SYNTAX,   /* not "N" or "N-M" (empty, a sign, a space, a letter, "1-2-3", a
	                           number of more than REGISTRY_PORT_DIGITS digits: "000080") */
	REGISTRY_PORT_TOO_HIGH, /* a number above REGISTRY_PORT_MAX */
	REGISTRY_PORT_REVERSED  /* "N-M" with M < N */
} registry_port_verdict;

/* Reads a port or a range of ports from s[0..n), the one way for IANA's <number> and for what
 * users type (`history 80/tcp`, `diff --port 1-1023`): "N" or "N-M", each number 1 to
 * REGISTRY_PORT_DIGITS decimal digits (so "00003" is 3 but "0000003" is no port: IANA never pads,
 * and a bounded number cannot overflow) and at most REGISTRY_PORT_MAX, N <= M. The checks come
 * in the verdicts' order. On REGISTRY_PORT_OK sets *lo and *hi (equal for one port);
 * otherwise leaves them alone and sets no error: the caller words it, naming its input. */
registry_port_verdict registry_port_parse(const char *s, size_t n, int32_t *lo, int32_t *hi);
/* Orders records by the diff contract's key (name, protocol, number) as reports list it: port
 * (no port last), port_end, protocol, name. */
int registry_key_cmp(const registry_record *a, const registry_record *b);

/* Canonical sort order: port (no port last), port_end, protocol, name, occurrence, then the
 * remaining fields; used for reconstruction so a stored snapshot and a fresh parse list the
 * same records in the same order. */
int registry_record_cmp(const registry_record *a, const registry_record *b);
void registry_doc_sort(registry_doc *doc);

/* The libxml2 this program runs with, as "libxml2 2.9.14", for `--version`. A static string,
 * formatted on the first call (call it from one thread). */
const char *registry_library_version(void);

/* ---- shared forms of records and people (json.c) ---------------------------------------- */

struct iw_buf;
/* Every field of a record as one JSON object: name, protocol, port, port_end (int or null),
 * description, assignee, contact, references (arrays, [] when empty), notes, unauthorized,
 * service_code, registration_date, modification_date (string or null); null for NULL. The
 * form of a record in every JSON output (diff, history, show, export). Returns
 * iw_buf_error(out). */
int registry_json_record(struct iw_buf *out, const registry_record *r);
/* `"port": P, "port_end": E`, both null for a record without port (REGISTRY_NO_PORT): the form
 * of a port range in every JSON output. Returns iw_buf_error(out). */
int registry_json_ports(struct iw_buf *out, int32_t port, int32_t port_end);
/* "Name (Org)" of person `id` looked up in doc, then in fallback (either may be NULL); the
 * name alone without org, the org without name, the id itself when unknown. Plain text. */
int registry_person_label(struct iw_buf *out, const registry_doc *doc,
                          const registry_doc *fallback, const char *id);

#endif
