/*
 * export.h: the registry as it stood at one snapshot, in the formats other programs read:
 * /etc/services, IANA's own CSV, and JSON.
 *
 * Every exporter appends to a capped iw_buf (common.h) and returns IW_OK or a negative IW_E*
 * code (IW_ENOMEM when the buffer's cap is reached). Inputs are borrowed. `doc` is a document
 * as store_load_doc() gives it: records in canonical order (registry_doc_sort(), i.e. by port,
 * then protocol, then name), people sorted by id. `snap` names the snapshot in headers; it may
 * be NULL for a document outside the store.
 *
 * services (services(5)), after the iana-etc generator most distributions ship today
 * (github.com/Mic92/iana-etc, update.py), with these choices:
 *  - one line `name port/protocol` per named record with a port; no aliases: every name the
 *    registry lists for a port gets its own line, in the document's canonical order (so
 *    getservbyport() finds the alphabetically first name of a port);
 *  - the name exactly as the registry writes it (acmaint_dbd, 914c/g, 3Com-nsd: iana-etc
 *    lowercases and turns '_' into '-', inventing names no registration has, while
 *    getservbyname() compares names exactly); a name a services line cannot hold (with
 *    whitespace or '#': "Apple Remote Desktop (Net Assistant)", "Escale (Newton Dock)")
 *    gives its first word (Apple, Escale: the rule iana-etc applies to protocol names), and
 *    its comment keeps the registry's name: `# registry name "..."` then `: description`;
 *  - a range gives one line per port (iana-etc writes the first port only, which leaves
 *    getservbyport() blind to the rest; the registry has 8 named ranges, 312 ports in 2025);
 *  - a named record without protocol (old registrations such as active-net 3322-3325) gives a
 *    tcp and a udp line, the two protocols /etc/services readers look up;
 *  - every named record counts, including those whose description says "historic" or
 *    "deprecated" (iana-etc drops them; the registry still assigns the name, see
 *    registry_record_kind()); unnamed records (Reserved, Unassigned) give no line;
 *  - the same name (case aside, as the document first spells it), port and protocol twice
 *    gives one line;
 *  - the comment `# description` when the description is shorter than 70 characters, as
 *    iana-etc does, to keep lines short;
 *  - columns as iana-etc: "%-16s %-10s"; a header comment names the registry date and the
 *    snapshot (id, observed time, SHA-256).
 *
 * csv: the columns of IANA's own service-names-port-numbers.csv: Service Name, Port Number
 * (N or N-M; a range N-N of the document is N; empty without a port), Transport Protocol, Description, Assignee, Contact,
 * Registration Date, Modification Date, Reference, Service Code, Unauthorized Use Reported,
 * Assignment Notes. Person ids and references in IANA's bracket notation: "[Jon_Postel]",
 * "[RFC6335]" (rfc references uppercased), "[draft-...]", "[https://...]", several
 * concatenated ("[RFC4727][RFC6335]"). A header row, then one row per record; RFC 4180:
 * CRLF line ends, a field quoted (with "" for ") when it holds a comma, a quote, CR or LF.
 *
 * json: {"snapshot": SNAP, "records": [RECORD, ...], "people": [PERSON, ...]} with SNAP and
 * RECORD as store.h and registry.h give them (store_json_snapshot(), registry_json_record()) and PERSON
 * {"id", "name", "org", "uri", "updated"} (strings or null); one record or person per line.
 */
#ifndef IANAWATCH_EXPORT_H
#define IANAWATCH_EXPORT_H

#include "common/common.h"
#include "registry/registry.h"
#include "store/store.h"

int export_services(iw_buf *out, const store_snapshot *snap, const registry_doc *doc);
int export_csv(iw_buf *out, const registry_doc *doc);
int export_json(iw_buf *out, const store_snapshot *snap, const registry_doc *doc);

/* Appends one CSV field (no separator) with RFC 4180 quoting; NULL is an empty field. */
int export_csv_field(iw_buf *out, const char *s, size_t len);

#endif
