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

/* Notes can run to a page (80/tcp); a timeline line shows their start, `show` all of them. */
#define HISTORY_NOTES_CLIP 72

/* Where to cut s (n > max bytes) to its first `max` bytes: after a word, never inside a UTF-8
 * sequence, without trailing blanks. */
static size_t history_clip_at(const char *s, size_t max)
{
	size_t cut = max, i;
	for (i = max; i > max / 2; i--)
		if (s[i] == ' ') {
			cut = i;
			break;
		}
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	while (cut > 0 && s[cut - 1] == ' ')
		cut--;
	return cut;
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

/* A record's notes as history_note() reads them, clipped to max bytes and " ..." (0: whole).
 * Rendered in place, then cut back: the names read in change the length. */
static void history_notes(iw_buf *out, const history_row *row, const char *s, size_t max)
{
	size_t start = out->len;
	history_note(out, row, s);
	if (!max || iw_buf_error(out) || out->len - start <= max)
		return;
	out->len = start + history_clip_at(out->data + start, max);
	out->data[out->len] = '\0';
	iw_buf_adds(out, " ...");
}

/* One line about an entry in a timeline: what tells it apart in this timeline (its name, or
 * for a name's timeline its number), then description, people and notes. */
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
	if (r->f[REG_NOTES]) {
		iw_buf_adds(out, " -- ");
		history_notes(out, row, r->f[REG_NOTES], HISTORY_NOTES_CLIP);
	}
}

/* A record that is not an entry: its description and notes, whole or clipped. */
static void history_other_summary(iw_buf *out, const history_row *row, const registry_record *r,
                                  size_t clip)
{
	iw_buf_adds(out, r->f[REG_DESCRIPTION] ? r->f[REG_DESCRIPTION] : "(no description)");
	if (r->f[REG_NOTES]) {
		iw_buf_adds(out, " -- ");
		history_notes(out, row, r->f[REG_NOTES], clip);
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

static void history_text_row(iw_buf *out, const history_timeline *t, const history_row *row)
{
	char span[64];
	size_t items = 0, i;
	int f;

	snprintf(span, sizeof(span), "%s .. %s", t->snaps[row->first_pos - 1].registry_updated,
	         (size_t)row->last_pos == t->nsnaps ? "now"
	                                             : t->snaps[row->last_pos - 1].registry_updated);
	iw_buf_printf(out, "  %-*s  %s", HISTORY_SPAN_WIDTH, span, history_status_names[row->status]);
	for (i = 0; i < row->nentries; i++) {
		history_item_start(out, row, &items);
		history_entry_summary(out, t, row, row->entries[i]);
	}
	for (i = 0; i < row->nothers; i++) {
		history_item_start(out, row, &items);
		history_other_summary(out, row, row->others[i], HISTORY_NOTES_CLIP);
	}
	if (!items && !t->name) {
		history_item_start(out, row, &items);
		iw_buf_adds(out, "(no record)");
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
		for (k = 0; k < row->nentries; k++)
			history_text_entry(out, row, row->entries[k]);
		for (k = 0; k < row->nothers; k++) {
			iw_buf_adds(out, "  ");
			history_other_summary(out, row, row->others[k], 0);
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
	iw_buf_printf(out, ", \"status\": \"%s\", \"entries\": [", history_status_names[row->status]);
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
