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

/* "Name, Org", "Name", "Org", or the id itself when the snapshot's people do not say. */
static int history_person_label(iw_buf *out, const history_row *row, const char *id, size_t len)
{
	const registry_person *p = history_person(row, id, len);
	const char *name = p ? p->f[PERSON_NAME] : NULL, *org = p ? p->f[PERSON_ORG] : NULL;
	if (name && org)
		return iw_buf_printf(out, "%s, %s", name, org);
	if (name || org)
		return iw_buf_adds(out, name ? name : org);
	return iw_buf_add(out, id, len);
}

/* Items of a '\n'-separated list joined by sep; person ids as labels when `people`. */
static int history_list(iw_buf *out, const history_row *row, const char *list, const char *sep,
                        int people)
{
	const char *p = list;
	int rc = IW_OK;
	while (!rc && p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (p != list)
			rc = iw_buf_adds(out, sep);
		if (!rc)
			rc = people ? history_person_label(out, row, p, len) : iw_buf_add(out, p, len);
		p = nl ? nl + 1 : NULL;
	}
	return rc;
}

static int history_header(iw_buf *out, const history_timeline *t)
{
	if (!t->name)
		return iw_buf_printf(out, "%d/%s", (int)t->port, t->protocol);
	if (t->protocol)
		return iw_buf_printf(out, "%s/%s", t->name, t->protocol);
	return iw_buf_printf(out, "%s (no protocol)", t->name);
}

static int history_number(iw_buf *out, const registry_record *r)
{
	if (r->port == r->port_end)
		return iw_buf_printf(out, "%d", (int)r->port);
	return iw_buf_printf(out, "%d-%d", (int)r->port, (int)r->port_end);
}

/* Notes can run to a page (80/tcp); a timeline line shows their start, `show` all of them. */
#define HISTORY_NOTES_CLIP 72

/* s, or its first `max` bytes cut after a word (never inside a UTF-8 sequence) and "...". */
static int history_clipped(iw_buf *out, const char *s, size_t max)
{
	size_t n = strlen(s), cut = max, i;
	if (n <= max)
		return iw_buf_add(out, s, n);
	for (i = max; i > max / 2; i--)
		if (s[i] == ' ') {
			cut = i;
			break;
		}
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	while (cut > 0 && s[cut - 1] == ' ')
		cut--;
	return iw_buf_add(out, s, cut) || iw_buf_adds(out, " ...") ? IW_ENOMEM : IW_OK;
}

static int history_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

/* A note with the ids of the row's people (history_row_people()) read as their names. */
static int history_note(iw_buf *out, const history_row *row, const char *s)
{
	const char *p = s;
	int rc = IW_OK;
	while (!rc && *p) {
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
			rc = iw_buf_adds(out, pe->f[PERSON_NAME]);
			p += len;
		} else {
			rc = iw_buf_add(out, p, len ? len : 1);
			p += len ? len : 1;
		}
	}
	return rc;
}

/* A record's notes as history_note() reads them, clipped to max characters (0: whole). */
static int history_notes(iw_buf *out, const history_row *row, const char *s, size_t max)
{
	iw_buf tmp = IW_BUF_INIT(out->cap);
	int rc = history_note(&tmp, row, s);
	if (!rc)
		rc = max ? history_clipped(out, tmp.data ? tmp.data : "", max)
		         : iw_buf_add(out, tmp.data, tmp.len);
	iw_buf_free(&tmp);
	return rc;
}

/* One line about an entry in a timeline: what tells it apart in this timeline (its name, or
 * for a name's timeline its number), then description, people and notes. */
static int history_entry_summary(iw_buf *out, const history_timeline *t, const history_row *row,
                                 const registry_record *r)
{
	const char *people = r->f[REG_ASSIGNEE] ? r->f[REG_ASSIGNEE] : r->f[REG_CONTACT];
	int rc;
	if (t->name)
		rc = r->port == REGISTRY_NO_PORT ? iw_buf_adds(out, "no port") : history_number(out, r);
	else {
		rc = iw_buf_adds(out, r->f[REG_NAME] ? r->f[REG_NAME] : "(unnamed)");
		if (!rc && r->port != r->port_end)
			rc = iw_buf_addc(out, ' ') || history_number(out, r);
	}
	if (!rc && r->f[REG_DESCRIPTION])
		rc = iw_buf_printf(out, "  %s", r->f[REG_DESCRIPTION]);
	if (!rc && people)
		rc = iw_buf_adds(out, " (") || history_list(out, row, people, "; ", 1) ||
		     iw_buf_addc(out, ')');
	if (!rc && r->f[REG_NOTES])
		rc = iw_buf_adds(out, " -- ") ||
		     history_notes(out, row, r->f[REG_NOTES], HISTORY_NOTES_CLIP);
	return rc ? IW_ENOMEM : IW_OK;
}

/* A record that is not an entry: its description and notes, whole or clipped. */
static int history_other_summary(iw_buf *out, const history_row *row, const registry_record *r,
                                 size_t clip)
{
	int rc = iw_buf_adds(out, r->f[REG_DESCRIPTION] ? r->f[REG_DESCRIPTION] : "(no description)");
	if (!rc && r->f[REG_NOTES])
		rc = iw_buf_adds(out, " -- ") || history_notes(out, row, r->f[REG_NOTES], clip);
	return rc ? IW_ENOMEM : IW_OK;
}

/* Starts the next item of a row: after the status on the first line, else on a new line at
 * the items' column. */
static int history_item_start(iw_buf *out, const history_row *row, size_t *items)
{
	size_t pad = strlen(history_status_names[row->status]);
	if ((*items)++ == 0)
		return iw_buf_printf(out, "%*s", (int)(HISTORY_STATUS_WIDTH - pad + 2), "");
	return iw_buf_printf(out, "\n%*s", HISTORY_INDENT, "");
}

static int history_text_row(iw_buf *out, const history_timeline *t, const history_row *row)
{
	char span[64];
	size_t items = 0, i;
	int rc = IW_OK, f;

	snprintf(span, sizeof(span), "%s .. %s", t->snaps[row->first_pos - 1].registry_updated,
	         (size_t)row->last_pos == t->nsnaps ? "now"
	                                             : t->snaps[row->last_pos - 1].registry_updated);
	if ((rc = iw_buf_printf(out, "  %-*s  %s", HISTORY_SPAN_WIDTH, span,
	                        history_status_names[row->status])))
		return rc;
	for (i = 0; i < row->nentries && !rc; i++)
		if (!(rc = history_item_start(out, row, &items)))
			rc = history_entry_summary(out, t, row, row->entries[i]);
	for (i = 0; i < row->nothers && !rc; i++)
		if (!(rc = history_item_start(out, row, &items)))
			rc = history_other_summary(out, row, row->others[i], HISTORY_NOTES_CLIP);
	if (!rc && !items && !t->name)
		rc = history_item_start(out, row, &items) || iw_buf_adds(out, "(no record)");
	if (!rc && row->changed) {
		const char *sep = "changed: ";
		rc = history_item_start(out, row, &items);
		for (f = REG_DESCRIPTION; f < REG_NFIELDS && !rc; f++)
			if (row->changed & (1u << f)) {
				rc = iw_buf_printf(out, "%s%s", sep, registry_field_names[f]);
				sep = ", ";
			}
	}
	return rc ? IW_ENOMEM : iw_buf_addc(out, '\n');
}

/* show: every field of an entry, one per line. */
static int history_text_entry(iw_buf *out, const history_row *row, const registry_record *r)
{
	int rc = iw_buf_printf(out, "  %s", r->f[REG_NAME] ? r->f[REG_NAME] : "(unnamed)"), f;
	if (!rc && r->port != REGISTRY_NO_PORT) {
		rc = iw_buf_addc(out, ' ') || history_number(out, r);
		if (!rc)
			rc = r->f[REG_PROTOCOL] ? iw_buf_printf(out, "/%s", r->f[REG_PROTOCOL])
			                        : iw_buf_adds(out, " (every protocol)");
	} else if (!rc)
		rc = r->f[REG_PROTOCOL] ? iw_buf_printf(out, " (%s, no port)", r->f[REG_PROTOCOL])
		                        : iw_buf_adds(out, " (no port)");
	if (!rc)
		rc = iw_buf_addc(out, '\n');
	for (f = REG_DESCRIPTION; f < REG_NFIELDS && !rc; f++) {
		if (!r->f[f])
			continue;
		rc = iw_buf_printf(out, "    %-18s ", registry_field_names[f]);
		if (!rc)
			rc = registry_field_is_list((registry_field)f)
			     ? history_list(out, row, r->f[f], f == REG_REFERENCES ? ", " : "; ",
			                    f != REG_REFERENCES)
			     : iw_buf_adds(out, r->f[f]);
		if (!rc)
			rc = iw_buf_addc(out, '\n');
	}
	return rc ? IW_ENOMEM : IW_OK;
}

int history_render_text(iw_buf *out, const history_timeline *t, int detailed)
{
	size_t i;
	int rc;

	if ((rc = history_header(out, t)))
		return rc;
	if (!detailed) {
		if ((rc = iw_buf_addc(out, '\n')))
			return rc;
		for (i = 0; i < t->nrows && !rc; i++)
			rc = history_text_row(out, t, &t->rows[i]);
		return rc;
	}
	for (i = 0; i < t->nrows && !rc; i++) {
		const history_row *row = &t->rows[i];
		size_t k;
		rc = iw_buf_printf(out, ": %s%s\n", history_status_names[row->status],
		                   !t->name && !row->nentries && !row->nothers ? " (no record)" : "");
		for (k = 0; k < row->nentries && !rc; k++)
			rc = history_text_entry(out, row, row->entries[k]);
		for (k = 0; k < row->nothers && !rc; k++)
			rc = iw_buf_adds(out, "  ") || history_other_summary(out, row, row->others[k], 0) ||
			     iw_buf_addc(out, '\n');
	}
	return rc ? IW_ENOMEM : IW_OK;
}

int history_render_json(iw_buf *out, const history_timeline *t, const history_row *row, int span)
{
	size_t i;
	int rc, f;

	if (t->name)
		rc = iw_buf_adds(out, "\"name\": ") || iw_buf_add_json_str(out, t->name);
	else
		rc = iw_buf_printf(out, "\"port\": %d", (int)t->port);
	if (!rc)
		rc = iw_buf_adds(out, ", \"protocol\": ") || iw_buf_add_json_str(out, t->protocol);
	if (!rc && span)
		rc = iw_buf_adds(out, ", \"from\": ") ||
		     store_json_snapshot(out, &t->snaps[row->first_pos - 1]) ||
		     iw_buf_adds(out, ", \"to\": ") ||
		     store_json_snapshot(out, &t->snaps[row->last_pos - 1]);
	if (!rc)
		rc = iw_buf_printf(out, ", \"status\": \"%s\", \"entries\": [",
		                   history_status_names[row->status]);
	for (i = 0; i < row->nentries && !rc; i++)
		rc = (i && iw_buf_adds(out, ", ")) || registry_json_record(out, row->entries[i]);
	if (!rc)
		rc = iw_buf_adds(out, "], \"other_records\": [");
	for (i = 0; i < row->nothers && !rc; i++) {
		const registry_record *r = row->others[i];
		rc = iw_buf_printf(out, "%s{\"kind\": \"%s\", \"description\": ", i ? ", " : "",
		                   registry_record_kind(r) == REGISTRY_RESERVING ? "reserving"
		                                                                 : "unassigning") ||
		     iw_buf_add_json_str(out, r->f[REG_DESCRIPTION]) ||
		     iw_buf_adds(out, ", \"notes\": ") || iw_buf_add_json_str(out, r->f[REG_NOTES]) ||
		     iw_buf_addc(out, '}');
	}
	if (!rc)
		rc = iw_buf_adds(out, "], \"people\": {");
	for (i = 0; i < row->npeople && !rc; i++) {
		const registry_person *p = row->people[i].person;
		rc = (i && iw_buf_adds(out, ", ")) || iw_buf_add_json_str(out, row->people[i].id) ||
		     iw_buf_adds(out, ": ");
		if (!rc && !p)
			rc = iw_buf_adds(out, "null");
		for (f = 0; p && f < PERSON_NFIELDS && !rc; f++)
			rc = iw_buf_printf(out, "%s\"%s\": ", f ? ", " : "{",
			                   registry_person_field_names[f]) ||
			     iw_buf_add_json_str(out, p->f[f]);
		if (!rc && p)
			rc = iw_buf_addc(out, '}');
	}
	if (!rc)
		rc = iw_buf_addc(out, '}');
	return rc ? IW_ENOMEM : IW_OK;
}
