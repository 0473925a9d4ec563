/* render.c: timelines and states as text for people and as JSON (issue 4's shapes) for scripts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "history/history.h"
#include "common/banned.h"

/* Width of the "FROM .. TO" column and of the status column of a timeline row. */
#define HISTORY_SPAN_WIDTH 24
#define HISTORY_STATUS_WIDTH 10
#define HISTORY_INDENT (2 + HISTORY_SPAN_WIDTH + 2 + HISTORY_STATUS_WIDTH + 2)

static const registry_person *history_person(const history_row *row, const char *id, size_t len)
{
	size_t i;
	for (i = 0; i < row->npeople; i++)
		if (strlen(row->people[i].id) == len && !memcmp(row->people[i].id, id, len))
			return row->people[i].person;
	return NULL;
}

/* "Name, Org", "Name", "Org", or the id itself when the snapshot's people do not say.
 * Appends run on past a failed one: the buffer's error is sticky (iw_buf_error()), and the
 * public renderers below check it once. */
static void history_person_label(iw_buf *out, const history_row *row, const char *id,
                                 size_t len)
{
	const registry_person *p = history_person(row, id, len);
	const char *name = p ? p->f[PERSON_NAME] : NULL, *org = p ? p->f[PERSON_ORG] : NULL;
	if (name && org)
		iw_buf_printf(out, "%s, %s", name, org);
	else if (name || org)
		iw_buf_adds(out, name ? name : org);
	else
		iw_buf_add(out, id, len);
}

/* Items of a '\n'-separated list joined by sep; person ids as labels when `people`. */
static void history_list(iw_buf *out, const history_row *row, const char *list, const char *sep,
                         int people)
{
	const char *p = list;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (p != list)
			iw_buf_adds(out, sep);
		if (people)
			history_person_label(out, row, p, len);
		else
			iw_buf_add(out, p, len);
		p = nl ? nl + 1 : NULL;
	}
}

static void history_header(iw_buf *out, const history_timeline *t)
{
	if (!t->name)
		iw_buf_printf(out, "%d/%s", (int)t->port, t->protocol);
	else if (t->protocol)
		iw_buf_printf(out, "%s/%s", t->name, t->protocol);
	else
		iw_buf_printf(out, "%s (no protocol)", t->name);
}

static void history_number(iw_buf *out, const registry_record *r)
{
	if (r->port == r->port_end)
		iw_buf_printf(out, "%d", (int)r->port);
	else
		iw_buf_printf(out, "%d-%d", (int)r->port, (int)r->port_end);
}

static int history_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

/* A note with the ids of the row's people (history_row_people()) read as their names. */
static void history_note(iw_buf *out, const history_row *row, const char *s)
{
	const char *p = s;
	while (*p) {
		size_t len = 0;
		const registry_person *pe = NULL;
		size_t i;
		if (p == s || !history_id_char(p[-1]))
			while (history_id_char(p[len]))
				len++;
		while (len > 0 && p[len - 1] == '.')
			len--;
		for (i = 0; len && i < row->npeople; i++)
			if (row->people[i].person && row->people[i].person->f[PERSON_NAME] &&
			    strlen(row->people[i].id) == len && !memcmp(row->people[i].id, p, len))
				pe = row->people[i].person;
		if (pe) {
			iw_buf_adds(out, pe->f[PERSON_NAME]);
			p += len;
		} else {
			iw_buf_add(out, p, len ? len : 1);
			p += len ? len : 1;
		}
	}
}


/* The registry's own dates of a record, when it has them: " [registered D, modified D]". */
static void history_record_dates(iw_buf *out, const registry_record *r)
{
	const char *reg = r->f[REG_REGISTRATION_DATE], *mod = r->f[REG_MODIFICATION_DATE];
	if (!reg && !mod)
		return;
	iw_buf_adds(out, " [");
	if (reg)
		iw_buf_printf(out, "registered %s", reg);
	if (mod)
		iw_buf_printf(out, "%smodified %s", reg ? ", " : "", mod);
	iw_buf_addc(out, ']');
}

/* One line about an entry in a timeline: what tells it apart in this timeline (its name, or
 * for a name's timeline its number), then description, people, the registry's dates and the
 * whole notes. */
static void history_entry_summary(iw_buf *out, const history_timeline *t, const history_row *row,
                                  const registry_record *r)
{
	const char *people = r->f[REG_ASSIGNEE] ? r->f[REG_ASSIGNEE] : r->f[REG_CONTACT];
	if (t->name) {
		if (r->port == REGISTRY_NO_PORT)
			iw_buf_adds(out, "no port");
		else
			history_number(out, r);
	} else {
		iw_buf_adds(out, r->f[REG_NAME] ? r->f[REG_NAME] : "(unnamed)");
		if (r->port != r->port_end) {
			iw_buf_addc(out, ' ');
			history_number(out, r);
		}
	}
	if (r->f[REG_DESCRIPTION])
		iw_buf_printf(out, "  %s", r->f[REG_DESCRIPTION]);
	if (people) {
		iw_buf_adds(out, " (");
		history_list(out, row, people, "; ", 1);
		iw_buf_addc(out, ')');
	}
	history_record_dates(out, r);
	if (r->f[REG_NOTES]) {
		iw_buf_adds(out, " -- ");
		history_note(out, row, r->f[REG_NOTES]);
	}
}

/* A record that is not an entry: its description and whole notes. */
static void history_other_summary(iw_buf *out, const history_row *row, const registry_record *r)
{
	iw_buf_adds(out, r->f[REG_DESCRIPTION] ? r->f[REG_DESCRIPTION] : "(no description)");
	if (r->f[REG_NOTES]) {
		iw_buf_adds(out, " -- ");
		history_note(out, row, r->f[REG_NOTES]);
	}
}

/* Starts the next item of a row: after the status on the first line, else on a new line at
 * the items' column. */
static void history_item_start(iw_buf *out, const history_row *row, size_t *items)
{
	size_t pad = strlen(history_status_names[row->status]);
	if ((*items)++ == 0)
		iw_buf_printf(out, "%*s", (int)(HISTORY_STATUS_WIDTH - pad + 2), "");
	else
		iw_buf_printf(out, "\n%*s", HISTORY_INDENT, "");
}

/* Timeline lines are wrapped to this many columns; the continuation of an item is indented
 * two more than its start. A word longer than a line stays whole. */
#define HISTORY_WRAP 100

static size_t history_columns(const char *s, size_t n)
{
	size_t cols = 0, i;
	for (i = 0; i < n; i++)
		cols += ((unsigned char)s[i] & 0xC0) != 0x80;
	return cols;
}

/* Appends the item text s (rendered whole) wrapped at word boundaries: nothing is ever cut. */
static void history_item_put(iw_buf *out, const history_row *row, size_t *items, const char *s)
{
	size_t width = HISTORY_WRAP - HISTORY_INDENT, col = 0;
	history_item_start(out, row, items);
	while (*s) {
		size_t sp = strspn(s, " "), n = strcspn(s + sp, " \n"), w = history_columns(s + sp, n);
		if (col && col + sp + w > width) {
			iw_buf_printf(out, "\n%*s", HISTORY_INDENT + 2, "");
			col = 2;
		} else if (col) {
			iw_buf_add(out, s, sp);
			col += sp;
		}
		s += sp;
		iw_buf_add(out, s, n);
		col += w;
		s += n;
		if (*s == '\n') {
			iw_buf_printf(out, "\n%*s", HISTORY_INDENT + 2, "");
			col = 2;
			s++;
		}
	}
}

static void history_text_row(iw_buf *out, const history_timeline *t, const history_row *row)
{
	char span[64];
	size_t items = 0, i;
	int f;

	snprintf(span, sizeof(span), "%s .. %s", t->snaps[row->first_pos - 1].registry_updated,
	         (size_t)row->last_pos == t->nsnaps ? "now"
	                                             : t->snaps[row->last_pos - 1].registry_updated);
	iw_buf_printf(out, "  %-*s  %s", HISTORY_SPAN_WIDTH, span, history_status_names[row->status]);
	for (i = 0; i < row->nentries + row->nothers; i++) {
		size_t start = out->len;
		char *text;
		if (i < row->nentries)
			history_entry_summary(out, t, row, row->entries[i]);
		else
			history_other_summary(out, row, row->others[i - row->nentries]);
		if (iw_buf_error(out))
			return;
		/* Rendered whole in place, then put back wrapped. */
		text = iw_strndup(out->data + start, out->len - start);
		out->len = start;
		out->data[start] = '\0';
		history_item_put(out, row, &items, text);
		free(text);
	}
	if (!items && !t->name) {
		history_item_start(out, row, &items);
		iw_buf_adds(out, "(no record)");
	}
	/* The history before the first stored snapshot is unknown: the row does not begin there. */
	if (row->first_pos == 1 && t->nsnaps > 1) {
		history_item_start(out, row, &items);
		iw_buf_printf(out, "since the first snapshot (%s)", t->snaps[0].registry_updated);
	}
	if (row->changed) {
		const char *sep = "changed: ";
		history_item_start(out, row, &items);
		for (f = REG_DESCRIPTION; f < REG_NFIELDS; f++)
			if (row->changed & (1u << f)) {
				iw_buf_printf(out, "%s%s", sep, registry_field_names[f]);
				sep = ", ";
			}
	}
	iw_buf_addc(out, '\n');
}

/* show: every field of an entry, one per line. */
static void history_text_entry(iw_buf *out, const history_row *row, const registry_record *r)
{
	int f;
	iw_buf_printf(out, "  %s", r->f[REG_NAME] ? r->f[REG_NAME] : "(unnamed)");
	if (r->port != REGISTRY_NO_PORT) {
		iw_buf_addc(out, ' ');
		history_number(out, r);
		if (r->f[REG_PROTOCOL])
			iw_buf_printf(out, "/%s", r->f[REG_PROTOCOL]);
		else
			iw_buf_adds(out, " (every protocol)");
	} else if (r->f[REG_PROTOCOL]) {
		iw_buf_printf(out, " (%s, no port)", r->f[REG_PROTOCOL]);
	} else {
		iw_buf_adds(out, " (no port)");
	}
	iw_buf_addc(out, '\n');
	for (f = REG_DESCRIPTION; f < REG_NFIELDS; f++) {
		if (!r->f[f])
			continue;
		iw_buf_printf(out, "    %-18s ", registry_field_names[f]);
		if (registry_field_is_list((registry_field)f))
			history_list(out, row, r->f[f], f == REG_REFERENCES ? ", " : "; ",
			             f != REG_REFERENCES);
		else
			iw_buf_adds(out, r->f[f]);
		iw_buf_addc(out, '\n');
	}
}

int history_render_text(iw_buf *out, const history_timeline *t, int detailed)
{
	size_t i, k;

	history_header(out, t);
	if (!detailed) {
		iw_buf_addc(out, '\n');
		for (i = 0; i < t->nrows; i++)
			history_text_row(out, t, &t->rows[i]);
		return iw_buf_error(out);
	}
	for (i = 0; i < t->nrows; i++) {
		const history_row *row = &t->rows[i];
		iw_buf_printf(out, ": %s%s\n", history_status_names[row->status],
		              !t->name && !row->nentries && !row->nothers ? " (no record)" : "");
		if (!t->name && t->port >= HISTORY_DYNAMIC_LO)
			iw_buf_adds(out, "  49152-65535 is the registry's Dynamic and/or Private Ports range "
			            "(RFC 6335):\n  IANA assigns no port there\n");
		for (k = 0; k < row->nentries; k++)
			history_text_entry(out, row, row->entries[k]);
		for (k = 0; k < row->nothers; k++) {
			iw_buf_adds(out, "  ");
			history_other_summary(out, row, row->others[k]);
			iw_buf_addc(out, '\n');
		}
	}
	return iw_buf_error(out);
}

int history_render_json(iw_buf *out, const history_timeline *t, const history_row *row, int span)
{
	size_t i;
	int f;

	if (t->name) {
		iw_buf_adds(out, "\"name\": ");
		iw_buf_add_json_str(out, t->name);
	} else {
		iw_buf_printf(out, "\"port\": %d", (int)t->port);
	}
	iw_buf_adds(out, ", \"protocol\": ");
	iw_buf_add_json_str(out, t->protocol);
	if (span) {
		iw_buf_adds(out, ", \"from\": ");
		store_json_snapshot(out, &t->snaps[row->first_pos - 1]);
		iw_buf_adds(out, ", \"to\": ");
		store_json_snapshot(out, &t->snaps[row->last_pos - 1]);
	}
	iw_buf_printf(out, ", \"status\": \"%s\", ", history_status_names[row->status]);
	/* The registry's Dynamic/Private range: no entry there is the rule (RFC 6335). */
	if (!t->name && t->port >= HISTORY_DYNAMIC_LO)
		iw_buf_adds(out, "\"range\": \"dynamic/private\", ");
	iw_buf_adds(out, "\"entries\": [");
	for (i = 0; i < row->nentries; i++) {
		if (i)
			iw_buf_adds(out, ", ");
		registry_json_record(out, row->entries[i]);
	}
	iw_buf_adds(out, "], \"other_records\": [");
	for (i = 0; i < row->nothers; i++) {
		const registry_record *r = row->others[i];
		iw_buf_printf(out, "%s{\"kind\": \"%s\", \"description\": ", i ? ", " : "",
		              registry_record_kind(r) == REGISTRY_RESERVING ? "reserving" : "unassigning");
		iw_buf_add_json_str(out, r->f[REG_DESCRIPTION]);
		iw_buf_adds(out, ", \"notes\": ");
		iw_buf_add_json_str(out, r->f[REG_NOTES]);
		iw_buf_addc(out, '}');
	}
	iw_buf_adds(out, "], \"people\": {");
	for (i = 0; i < row->npeople; i++) {
		const registry_person *p = row->people[i].person;
		if (i)
			iw_buf_adds(out, ", ");
		iw_buf_add_json_str(out, row->people[i].id);
		iw_buf_adds(out, ": ");
		if (!p) {
			iw_buf_adds(out, "null");
			continue;
		}
		for (f = 0; f < PERSON_NFIELDS; f++) {
			iw_buf_printf(out, "%s\"%s\": ", f ? ", " : "{", registry_person_field_names[f]);
			iw_buf_add_json_str(out, p->f[f]);
		}
		iw_buf_addc(out, '}');
	}
	iw_buf_addc(out, '}');
	return iw_buf_error(out);
}
