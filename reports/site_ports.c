/* site_ports.c: a page per port (its timeline from history/), the search page and its index. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "history/history.h"
#include "site_int.h"

/* search.js, one line a string (built from site_search.js). */
static const char *const ports_search_js[] = {
#include "site_search_js.inc"
};

#include "common/banned.h"

#define PORTS_STATE ".ianawatch-ports.tsv"
/* Bump when the index lines change: an older file is ignored and every page rewritten. */
#define PORTS_MAGIC "ianawatch-ports 1"
#define PORTS_CAP (64u * 1024 * 1024)

typedef struct ports_person {
	char *id, *name, *org;
} ports_person;

typedef struct ports_ctx {
	site_run *r;
	unsigned char *page;   /* REGISTRY_NPORTS: the port has a page */
	unsigned char *dirty;  /* REGISTRY_NPORTS: its page is written in this run */
	char **idx;            /* REGISTRY_NPORTS: its search index line (names, description,
	                          words, person ids, tab-separated), owned */
	ports_person *people;
	size_t npeople, people_alloc;
	uint32_t *cs_off, *cs; /* change sets by port: cs[cs_off[p] .. cs_off[p + 1]) */
	int32_t cur;           /* the port whose page is being built, -1 before the first */
	iw_buf body, names, words, pids;
	char *desc;            /* the newest description of the current port */
	char regdate[16];      /* the earliest registration date of its entries */
} ports_ctx;

/* ---- small text helpers ---------------------------------------------------------------------- */

static void ports_esc(iw_buf *b, const char *s)
{
	report_html_escape(b, s, strlen(s));
}

/* A JSON string (the index is JavaScript). */
static void ports_json_str(iw_buf *b, const char *s)
{
	iw_buf_addc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			iw_buf_printf(b, "\\%c", c);
		else if (c < 0x20)
			iw_buf_printf(b, "\\u%04x", c);
		else
			iw_buf_addc(b, (char)c);
	}
	iw_buf_addc(b, '"');
}

/* A search link's query value, percent-encoded but for RFC 3986's unreserved characters. */
static void ports_query(iw_buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
			iw_buf_addc(b, (char)c);
		else
			iw_buf_printf(b, "%%%02X", c);
	}
}

/* Whether hay holds needle, ASCII letters in any case. */
static int ports_has(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return 1;
	return !n;
}

/* Appends each word of s (letters and digits, 3 or more, lower case) not yet in b or in skip. */
static void ports_add_words(iw_buf *b, const char *s, const char *skip)
{
	char w[64];
	while (*s) {
		size_t n = 0;
		while (*s && !isalnum((unsigned char)*s))
			s++;
		while (isalnum((unsigned char)*s)) {
			if (n < sizeof(w) - 1)
				w[n++] = (char)tolower((unsigned char)*s);
			s++;
		}
		w[n] = '\0';
		if (n < 3 || (skip && ports_has(skip, w)))
			continue;
		if (b->data && b->len) {
			const char *p = b->data;
			size_t found = 0;
			while ((p = strstr(p, w)) != NULL) {
				if ((p == b->data || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) {
					found = 1;
					break;
				}
				p += n;
			}
			if (found)
				continue;
		}
		if (b->len)
			iw_buf_addc(b, ' ');
		iw_buf_adds(b, w);
	}
}

/* Appends a person id (kept as it is: the index's people are keyed by it) once. */
static void ports_add_id(iw_buf *b, const char *id)
{
	size_t n = strlen(id);
	const char *p = b->data;
	if (!n || strchr(id, ' ') || strchr(id, '\t'))
		return;
	while (p && (p = strstr(p, id)) != NULL) {
		if ((p == b->data || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return;
		p += n;
	}
	if (b->len)
		iw_buf_addc(b, ' ');
	iw_buf_adds(b, id);
}

/* ---- links to what the registry's text names ------------------------------------------------ */

/* "rfc:rfc6335", "uri:https://...", "draft:draft-ietf-...", or other "type:data". */
static void ports_reference(iw_buf *b, const char *ref)
{
	const char *colon = strchr(ref, ':'), *data = colon ? colon + 1 : ref;
	size_t tlen = colon ? (size_t)(colon - ref) : 0;
	if (tlen == 3 && !strncmp(ref, "rfc", 3) && !strncasecmp(data, "rfc", 3) &&
	    isdigit((unsigned char)data[3]) && strspn(data + 3, "0123456789") == strlen(data + 3)) {
		iw_buf_printf(b, "<a href=\"https://www.rfc-editor.org/rfc/rfc%s\">RFC %s</a>",
		              data + 3, data + 3);
	} else if (tlen == 3 && !strncmp(ref, "uri", 3) &&
	           (!strncmp(data, "https://", 8) || !strncmp(data, "http://", 7))) {
		iw_buf_adds(b, "<a href=\"");
		ports_esc(b, data);
		iw_buf_adds(b, "\">");
		ports_esc(b, data);
		iw_buf_adds(b, "</a>");
	} else if (tlen == 5 && !strncmp(ref, "draft", 5) && !strncmp(data, "draft-", 6) &&
	           strspn(data, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(data)) {
		iw_buf_printf(b, "<a href=\"https://datatracker.ietf.org/doc/%s/\">%s</a>", data, data);
	} else {
		ports_esc(b, ref);
	}
}

static const history_person_ref *ports_person_ref(const history_row *row, const char *id)
{
	size_t i;
	for (i = 0; i < row->npeople; i++)
		if (!strcmp(row->people[i].id, id))
			return &row->people[i];
	return NULL;
}

/* A person id linked to the search page's answer for it, shown by name when known. */
static void ports_person_link(iw_buf *b, const history_row *row, const char *id)
{
	const history_person_ref *ref = ports_person_ref(row, id);
	iw_buf_adds(b, "<a href=\"../search.html?q=");
	ports_query(b, id);
	iw_buf_adds(b, "\">");
	if (ref && ref->person && ref->person->f[PERSON_NAME]) {
		ports_esc(b, ref->person->f[PERSON_NAME]);
		if (ref->person->f[PERSON_ORG]) {
			iw_buf_adds(b, " (");
			ports_esc(b, ref->person->f[PERSON_ORG]);
			iw_buf_adds(b, ")");
		}
	} else {
		ports_esc(b, id);
	}
	iw_buf_adds(b, "</a>");
}

/* Each '\n'-separated item of a list field through fn, comma-separated. */
static void ports_list(iw_buf *b, const history_row *row, const char *list, int people)
{
	const char *s = list;
	char item[512];
	int first = 1;
	while (*s) {
		size_t n = strcspn(s, "\n");
		snprintf(item, sizeof(item), "%.*s", (int)n, s);
		iw_buf_adds(b, first ? "" : ", ");
		if (people)
			ports_person_link(b, row, item);
		else
			ports_reference(b, item);
		first = 0;
		s += n;
		if (*s)
			s++;
	}
}

/* ---- one port's page ------------------------------------------------------------------------- */

static size_t ports_pair_of_pos(const site_run *r, int64_t pos)
{
	int64_t j = pos - 1 - (int64_t)r->first;
	return j >= 1 && j < (int64_t)r->n && r->pairs[j].nonempty ? (size_t)j : 0;
}

static void ports_person_note(ports_ctx *c, const history_row *row)
{
	size_t i;
	for (i = 0; i < row->npeople; i++) {
		const history_person_ref *p = &row->people[i];
		ports_person *q;
		if (!p->person || !p->person->f[PERSON_NAME])
			continue;
		if (c->npeople == c->people_alloc) {
			c->people_alloc = c->people_alloc ? 2 * c->people_alloc : 256;
			c->people = iw_realloc(c->people, c->people_alloc * sizeof(*c->people));
		}
		q = &c->people[c->npeople++];
		q->id = iw_strdup(p->id);
		q->name = iw_strdup(p->person->f[PERSON_NAME]);
		q->org = iw_strdup(p->person->f[PERSON_ORG] ? p->person->f[PERSON_ORG] : "");
		ports_add_id(&c->pids, p->id);
	}
}

static void ports_entry(ports_ctx *c, const history_row *row, const registry_record *e)
{
	static const struct {
		registry_field f;
		const char *label;
	} fields[] = {
		{REG_DESCRIPTION, "Description"}, {REG_ASSIGNEE, "Assignee"},
		{REG_CONTACT, "Contact"}, {REG_REFERENCES, "References"}, {REG_NOTES, "Notes"},
		{REG_REGISTRATION_DATE, "Registered"}, {REG_MODIFICATION_DATE, "Modified"},
	};
	iw_buf *b = &c->body;
	size_t i;
	iw_buf_adds(b, "<dl>");
	iw_buf_adds(b, "<dt>Name</dt><dd>");
	if (e->f[REG_NAME]) {
		iw_buf_adds(b, "<a href=\"../search.html?q=");
		ports_query(b, e->f[REG_NAME]);
		iw_buf_adds(b, "\">");
		ports_esc(b, e->f[REG_NAME]);
		iw_buf_adds(b, "</a>");
		if (!c->names.len || !ports_has(c->names.data, e->f[REG_NAME])) {
			if (c->names.len)
				iw_buf_addc(&c->names, ' ');
			iw_buf_adds(&c->names, e->f[REG_NAME]);
		}
	} else {
		iw_buf_adds(b, "(no name)");
	}
	if (e->port != e->port_end)
		iw_buf_printf(b, " (range %d-%d)", (int)e->port, (int)e->port_end);
	iw_buf_adds(b, "</dd>");
	for (i = 0; i < sizeof(fields) / sizeof(*fields); i++) {
		const char *v = e->f[fields[i].f];
		if (!v)
			continue;
		iw_buf_printf(b, "<dt>%s</dt><dd>", fields[i].label);
		if (fields[i].f == REG_ASSIGNEE || fields[i].f == REG_CONTACT)
			ports_list(b, row, v, 1);
		else if (fields[i].f == REG_REFERENCES)
			ports_list(b, row, v, 0);
		else
			ports_esc(b, v);
		iw_buf_adds(b, "</dd>");
		if (fields[i].f == REG_REGISTRATION_DATE &&
		    (!c->regdate[0] || strcmp(v, c->regdate) < 0))
			snprintf(c->regdate, sizeof(c->regdate), "%.10s", v);
		if (fields[i].f == REG_DESCRIPTION)
			ports_add_words(&c->words, v, NULL);
	}
	iw_buf_adds(b, "</dl>\n");
}

/* What the row's start did, next to the previous row. */
static const char *ports_event(const history_timeline *t, size_t i)
{
	const history_row *row = &t->rows[i], *prev = i ? &t->rows[i - 1] : NULL;
	if (!prev)
		return row->status == HISTORY_UNASSIGNED ? "" : "first seen";
	if (prev->nentries && !row->nentries)
		return row->status == HISTORY_RESERVED ? "de-assigned, now reserved" : "de-assigned";
	if (!prev->nentries && row->nentries)
		return "assigned";
	if (prev->status != row->status)
		return "status changed";
	return "changed";
}

static int ports_timeline(const history_timeline *t, void *arg);

static void ports_section(ports_ctx *c, const history_timeline *t)
{
	const site_run *r = c->r;
	iw_buf *b = &c->body;
	size_t i, k;
	iw_buf_printf(b, "<section id=\"%s\">\n<h2>%d/%s</h2>\n<ol class=\"timeline\">\n",
	              t->protocol, (int)t->port, t->protocol);
	for (i = 0; i < t->nrows; i++) {
		const history_row *row = &t->rows[i];
		const store_snapshot *f = &t->snaps[row->first_pos - 1], *l = &t->snaps[row->last_pos - 1];
		size_t j = ports_pair_of_pos(r, row->first_pos);
		const char *ev = ports_event(t, i);
		iw_buf_printf(b, "<li class=\"s%d\"><h3>", (int)row->status);
		if (j) {
			char name[SITE_NAME_MAX];
			report_site_name(report_site_snap(r, j), name);
			iw_buf_printf(b, "<a href=\"../changes/%s.html\"><time datetime=\"%.10s\">%.10s"
			              "</time></a>", name, f->registry_updated, f->registry_updated);
		} else {
			iw_buf_printf(b, "<time datetime=\"%.10s\">%.10s</time>", f->registry_updated,
			              f->registry_updated);
		}
		if (row->last_pos == (int64_t)t->nsnaps)
			iw_buf_adds(b, " to now");
		else
			iw_buf_printf(b, " to <time datetime=\"%.10s\">%.10s</time>", l->registry_updated,
			              l->registry_updated);
		iw_buf_printf(b, ": <strong>%s</strong>", history_status_names[row->status]);
		if (*ev)
			iw_buf_printf(b, " <span class=\"ev\">(%s)</span>", ev);
		iw_buf_adds(b, "</h3>\n");
		for (k = 0; k < row->nentries; k++)
			ports_entry(c, row, row->entries[k]);
		for (k = 0; k < row->nothers; k++) {
			const registry_record *o = row->others[k];
			iw_buf_adds(b, "<p class=\"other\">");
			iw_buf_adds(b, registry_record_kind(o) == REGISTRY_RESERVING ? "Reserved record"
			                                                             : "Unassigned record");
			if (o->port != o->port_end)
				iw_buf_printf(b, " %d-%d", (int)o->port, (int)o->port_end);
			if (o->f[REG_DESCRIPTION]) {
				iw_buf_adds(b, ": ");
				ports_esc(b, o->f[REG_DESCRIPTION]);
				ports_add_words(&c->words, o->f[REG_DESCRIPTION], NULL);
			}
			if (o->f[REG_NOTES]) {
				iw_buf_adds(b, ". Notes: ");
				ports_esc(b, o->f[REG_NOTES]);
			}
			iw_buf_adds(b, "</p>\n");
		}
		if (!row->nentries && !row->nothers)
			iw_buf_adds(b, "<p class=\"other\">No record covers it.</p>\n");
		ports_person_note(c, row);
		if (row->last_pos == (int64_t)t->nsnaps) {
			const char *d = row->nentries && row->entries[0]->f[REG_DESCRIPTION]
			                ? row->entries[0]->f[REG_DESCRIPTION]
			                : row->nothers && row->others[0]->f[REG_DESCRIPTION]
			                ? row->others[0]->f[REG_DESCRIPTION] : NULL;
			if (d && !c->desc)
				c->desc = iw_strdup(d);
		}
		iw_buf_adds(b, "</li>\n");
	}
	iw_buf_adds(b, "</ol>\n</section>\n");
}

static int32_t ports_neighbour(const ports_ctx *c, int32_t p, int dir)
{
	for (p += dir; p >= 0 && p <= REGISTRY_PORT_MAX; p += dir)
		if (c->page[p])
			return p;
	return -1;
}

/* Writes the current port's page and its index line. */
static int ports_finish(ports_ctx *c)
{
	site_run *r = c->r;
	iw_buf out = IW_BUF_INIT(PORTS_CAP), line = IW_BUF_INIT(PORTS_CAP);
	int32_t p = c->cur, prev, next;
	char title[64], rel[64];
	uint32_t k;
	int rc;

	if (p < 0)
		return IW_OK;
	prev = ports_neighbour(c, p, -1);
	next = ports_neighbour(c, p, 1);
	snprintf(title, sizeof(title), "Port %d", (int)p);
	report_html_page_head(&out, title, "../");
	iw_buf_adds(&out, "<nav><a href=\"../index.html\">Change sets</a> \xC2\xB7 "
	            "<a href=\"../search.html\">Search ports and people</a>");
	if (prev >= 0)
		iw_buf_printf(&out, " \xC2\xB7 <a href=\"%d.html\" rel=\"prev\">\xE2\x86\x90 Port %d"
		              "</a>", (int)prev, (int)prev);
	if (next >= 0)
		iw_buf_printf(&out, " \xC2\xB7 <a href=\"%d.html\" rel=\"next\">Port %d \xE2\x86\x92"
		              "</a>", (int)next, (int)next);
	iw_buf_printf(&out, "</nav>\n<main>\n<h1>Port %d</h1>\n<p class=\"meta\">", (int)p);
	if (c->regdate[0])
		iw_buf_printf(&out, "First registered <time datetime=\"%s\">%s</time>. ", c->regdate,
		              c->regdate);
	else
		iw_buf_adds(&out, "The registry gives no registration date. ");
	iw_buf_printf(&out, "Its states in the stored snapshots, oldest first, by protocol; "
	              "dates are the registry&#39;s.</p>\n");
	if (c->body.data)
		iw_buf_add(&out, c->body.data, c->body.len);
	iw_buf_adds(&out, "<section id=\"changes\">\n<h2>Change sets that touched it</h2>\n");
	if (c->cs_off[p] == c->cs_off[p + 1])
		iw_buf_adds(&out, "<p>None among the listed change sets.</p>\n");
	else
		iw_buf_adds(&out, "<ul>\n");
	for (k = c->cs_off[p]; k < c->cs_off[p + 1]; k++) {
		size_t j = c->cs[k];
		const site_pair *pr = &r->pairs[j];
		char name[SITE_NAME_MAX];
		report_site_name(report_site_snap(r, j), name);
		iw_buf_printf(&out, "<li><a href=\"../changes/%s.html\">%s</a>: ", name,
		              report_site_snap(r, j)->registry_updated);
		report_counts_text(&out, pr->counts, pr->people);
		iw_buf_adds(&out, "</li>\n");
	}
	if (c->cs_off[p] != c->cs_off[p + 1])
		iw_buf_adds(&out, "</ul>\n");
	iw_buf_adds(&out, "</section>\n</main>\n");
	report_html_foot(&out);
	snprintf(rel, sizeof(rel), "ports/%d.html", (int)p);
	if (!(rc = iw_buf_error(&out)))
		rc = report_site_file(r, rel, &out, NULL);
	/* The index line: names, newest description, other words, person ids. */
	iw_buf_adds(&line, c->names.data ? c->names.data : "");
	iw_buf_addc(&line, '\t');
	if (c->desc)
		iw_buf_adds(&line, c->desc);
	iw_buf_addc(&line, '\t');
	if (c->words.data) {
		iw_buf wl = IW_BUF_INIT(PORTS_CAP);
		ports_add_words(&wl, c->words.data, c->desc);
		iw_buf_adds(&line, wl.data ? wl.data : "");
		iw_buf_free(&wl);
	}
	iw_buf_addc(&line, '\t');
	iw_buf_adds(&line, c->pids.data ? c->pids.data : "");
	if (!rc && !(rc = iw_buf_error(&line))) {
		free(c->idx[p]);
		c->idx[p] = iw_buf_detach(&line, NULL);
	}
	iw_buf_free(&out);
	iw_buf_free(&line);
	iw_buf_reset(&c->body);
	iw_buf_reset(&c->names);
	iw_buf_reset(&c->words);
	iw_buf_reset(&c->pids);
	free(c->desc);
	c->desc = NULL;
	c->regdate[0] = '\0';
	c->cur = -1;
	return rc;
}

static int ports_timeline(const history_timeline *t, void *arg)
{
	ports_ctx *c = arg;
	int rc;
	if (t->port < 0 || t->port > REGISTRY_PORT_MAX || !c->page[t->port] || !c->dirty[t->port])
		return IW_OK;
	if (t->port != c->cur) {
		if ((rc = ports_finish(c)))
			return rc;
		c->cur = t->port;
	}
	ports_section(c, t);
	return iw_buf_error(&c->body);
}

/* ---- which ports, and the state between runs ------------------------------------------------- */

/* Every port some record other than an Unassigned one ever covered has a page. */
static int ports_all(ports_ctx *c)
{
	store_version_list l;
	size_t i;
	int rc;
	memset(&l, 0, sizeof(l));
	if ((rc = store_versions_for_ports(c->r->st, 0, REGISTRY_PORT_MAX, &l)))
		return rc;
	for (i = 0; i < l.n; i++) {
		const registry_record *rec = &l.v[i].rec;
		int32_t x;
		if (rec->port == REGISTRY_NO_PORT || registry_record_kind(rec) == REGISTRY_UNASSIGNING)
			continue;
		for (x = rec->port; x <= rec->port_end && x <= REGISTRY_PORT_MAX; x++)
			c->page[x] = c->dirty[x] = 1;
	}
	store_version_list_free(&l);
	return IW_OK;
}

/* Reads the previous run's index lines and people; 0 when missing or stale. */
static int ports_state_read(ports_ctx *c)
{
	unsigned char *data = NULL;
	size_t len = 0;
	char *path = iw_asprintf("%s/%s", c->r->outdir, PORTS_STATE), *line, *next;
	int ok = 1, first = 1;
	if (iw_read_file(path, PORTS_CAP, &data, &len)) {
		iw_error_clear();
		free(path);
		return 0;
	}
	free(path);
	for (line = (char *)data; ok && line && *line; line = next) {
		char *tab;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (first) {
			ok = !strcmp(line, PORTS_MAGIC);
			first = 0;
			continue;
		}
		if (line[0] == 'P' && line[1] == '\t') {
			char *f[3];
			f[0] = line + 2;
			f[1] = strchr(f[0], '\t');
			f[2] = f[1] ? strchr(f[1] + 1, '\t') : NULL;
			if (!f[2]) {
				ok = 0;
				break;
			}
			*f[1]++ = '\0';
			*f[2]++ = '\0';
			if (c->npeople == c->people_alloc) {
				c->people_alloc = c->people_alloc ? 2 * c->people_alloc : 256;
				c->people = iw_realloc(c->people, c->people_alloc * sizeof(*c->people));
			}
			c->people[c->npeople].id = iw_strdup(f[0]);
			c->people[c->npeople].name = iw_strdup(f[1]);
			c->people[c->npeople].org = iw_strdup(f[2]);
			c->npeople++;
			continue;
		}
		{
			char *end;
			long p = strtol(line, &end, 10);
			if (end == line || *end != '\t' || p < 0 || p > REGISTRY_PORT_MAX) {
				ok = 0;
				break;
			}
			tab = end + 1;
			c->page[p] = 1;
			free(c->idx[p]);
			c->idx[p] = iw_strdup(tab);
		}
	}
	free(data);
	return ok && !first;
}

static int ports_person_qcmp(const void *a, const void *b)
{
	const ports_person *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	if (!c)
		c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->org, y->org);
}

/* Sorts the people by id, one line each: of several names an id had, the first in byte
 * order, so that an incremental run keeps what a full one would. */
static void ports_people_unique(ports_ctx *c)
{
	size_t i, n = 0;
	qsort(c->people, c->npeople, sizeof(*c->people), ports_person_qcmp);
	for (i = 0; i < c->npeople; i++) {
		if (n && !strcmp(c->people[n - 1].id, c->people[i].id)) {
			free(c->people[i].id);
			free(c->people[i].name);
			free(c->people[i].org);
			continue;
		}
		c->people[n++] = c->people[i];
	}
	c->npeople = n;
}

static int ports_state_write(ports_ctx *c, iw_buf *js)
{
	iw_buf b = IW_BUF_INIT(PORTS_CAP);
	size_t i;
	int32_t p;
	int rc;
	iw_buf_adds(&b, PORTS_MAGIC "\n");
	iw_buf_adds(js, "/* The search index of this site (search.js), written by ianawatch. */\n"
	            "var IW_INDEX = {\"ports\": [\n");
	for (p = 0; p <= REGISTRY_PORT_MAX; p++) {
		char *f[4];
		int k;
		if (!c->page[p] || !c->idx[p])
			continue;
		iw_buf_printf(&b, "%d\t%s\n", (int)p, c->idx[p]);
		f[0] = c->idx[p];
		for (k = 1; k < 4; k++) {
			f[k] = f[k - 1] ? strchr(f[k - 1], '\t') : NULL;
			if (f[k])
				f[k]++;
		}
		iw_buf_printf(js, "[%d", (int)p);
		for (k = 0; k < 4; k++) {
			size_t n = !f[k] ? 0 : k < 3 && f[k + 1] ? (size_t)(f[k + 1] - 1 - f[k]) : strlen(f[k]);
			char *v = iw_strndup(f[k] ? f[k] : "", n);
			iw_buf_addc(js, ',');
			ports_json_str(js, v);
			free(v);
		}
		iw_buf_adds(js, "],\n");
	}
	iw_buf_adds(js, "[-1,\"\",\"\",\"\",\"\"]],\n\"people\": [\n");
	for (i = 0; i < c->npeople; i++) {
		iw_buf_printf(&b, "P\t%s\t%s\t%s\n", c->people[i].id, c->people[i].name,
		              c->people[i].org);
		iw_buf_addc(js, '[');
		ports_json_str(js, c->people[i].id);
		iw_buf_addc(js, ',');
		ports_json_str(js, c->people[i].name);
		iw_buf_addc(js, ',');
		ports_json_str(js, c->people[i].org);
		iw_buf_adds(js, i + 1 < c->npeople ? "],\n" : "]\n");
	}
	iw_buf_adds(js, "]};\n");
	if (!(rc = iw_buf_error(&b)))
		rc = report_site_file(c->r, PORTS_STATE, &b, NULL);
	iw_buf_free(&b);
	return rc;
}

/* cs_off/cs: the change sets (pair indices, oldest first) naming each port. */
static void ports_changes_by_port(ports_ctx *c)
{
	const site_run *r = c->r;
	size_t j, k, total = 0;
	uint32_t *fill;
	int32_t x;
	c->cs_off = iw_calloc(REGISTRY_NPORTS + 1, sizeof(*c->cs_off));
	for (j = 1; j < r->n; j++)
		for (k = 0; k < r->pairs[j].ntouch; k++)
			for (x = r->pairs[j].touch[2 * k]; x <= r->pairs[j].touch[2 * k + 1]; x++) {
				c->cs_off[x + 1]++;
				total++;
			}
	for (x = 0; x < REGISTRY_NPORTS; x++)
		c->cs_off[x + 1] += c->cs_off[x];
	c->cs = iw_malloc((total + 1) * sizeof(*c->cs));
	fill = iw_malloc(REGISTRY_NPORTS * sizeof(*fill));
	memcpy(fill, c->cs_off, REGISTRY_NPORTS * sizeof(*fill));
	for (j = 1; j < r->n; j++)
		for (k = 0; k < r->pairs[j].ntouch; k++)
			for (x = r->pairs[j].touch[2 * k]; x <= r->pairs[j].touch[2 * k + 1]; x++)
				c->cs[fill[x]++] = (uint32_t)j;
	free(fill);
}

/* ---- the search page, its script and the stylesheet ------------------------------------------ */


static int ports_static(site_run *r)
{
	iw_buf b = IW_BUF_INIT(PORTS_CAP);
	size_t i;
	int rc;
	report_html_page_head(&b, "Search ports and people", "");
	iw_buf_adds(&b, "<nav><a href=\"index.html\">Change sets</a></nav>\n<main>\n"
	            "<h1>Search ports and people</h1>\n"
	            "<form id=\"search\" action=\"search.html\" method=\"get\" role=\"search\">\n"
	            "<label for=\"q\">Port, range, service name, person or word</label>\n"
	            "<input id=\"q\" name=\"q\" type=\"search\" autocomplete=\"off\" "
	            "spellcheck=\"false\" placeholder=\"3, 6000-6010, compressnet, Bernie Volz, "
	            "dynamic\"/>\n<button type=\"submit\">Search</button>\n</form>\n"
	            "<noscript><p>The search runs in your browser and needs JavaScript. Every "
	            "port&#39;s page is at <code>ports/NUMBER.html</code>, and the "
	            "<a href=\"index.html\">change sets</a> link to the ports they changed.</p>"
	            "</noscript>\n<p id=\"status\" class=\"meta\" aria-live=\"polite\"></p>\n"
	            "<div id=\"results\"></div>\n</main>\n"
	            "<script src=\"search-index.js\"></script>\n"
	            "<script src=\"search.js\"></script>\n");
	report_html_foot(&b);
	if (!(rc = iw_buf_error(&b)))
		rc = report_site_file(r, "search.html", &b, NULL);
	if (!rc) {
		iw_buf_reset(&b);
		for (i = 0; i < sizeof(ports_search_js) / sizeof(*ports_search_js); i++)
			iw_buf_adds(&b, ports_search_js[i]);
		if (!(rc = iw_buf_error(&b)))
			rc = report_site_file(r, "search.js", &b, NULL);
	}
	if (!rc) {
		iw_buf_reset(&b);
		report_html_css(&b);
		if (!(rc = iw_buf_error(&b)))
			rc = report_site_file(r, "site.css", &b, NULL);
	}
	iw_buf_free(&b);
	return rc;
}

/* ---- the whole ----------------------------------------------------------------------------- */

int report_site_ports(site_run *r)
{
	ports_ctx c;
	iw_buf js = IW_BUF_INIT(PORTS_CAP);
	char *dir = iw_asprintf("%s/ports", r->outdir);
	size_t j, i;
	int full = 1, rc, any = 0;
	int32_t x;

	memset(&c, 0, sizeof(c));
	c.r = r;
	c.cur = -1;
	iw_buf_init(&c.body, PORTS_CAP);
	iw_buf_init(&c.names, PORTS_CAP);
	iw_buf_init(&c.words, PORTS_CAP);
	iw_buf_init(&c.pids, PORTS_CAP);
	c.page = iw_calloc(REGISTRY_NPORTS, 1);
	c.dirty = iw_calloc(REGISTRY_NPORTS, 1);
	c.idx = iw_calloc(REGISTRY_NPORTS, sizeof(*c.idx));
	if ((rc = iw_mkdir_p(dir, 0755)) || (rc = ports_static(r)))
		goto out;
	ports_changes_by_port(&c);
	/* Incremental when the previous run's index is there and some change set was not
	 * diffed again: only the ports the new ones touched change. */
	if (r->incremental && ports_state_read(&c)) {
		for (j = 1; j < r->n; j++)
			if (r->pairs[j].nonempty && !r->pairs[j].computed)
				full = 0;
	}
	if (full) {
		memset(c.page, 0, REGISTRY_NPORTS);
		for (x = 0; x <= REGISTRY_PORT_MAX; x++) {
			free(c.idx[x]);
			c.idx[x] = NULL;
		}
		for (i = 0; i < c.npeople; i++) {
			free(c.people[i].id);
			free(c.people[i].name);
			free(c.people[i].org);
		}
		c.npeople = 0;
		if ((rc = ports_all(&c)))
			goto out;
	} else {
		for (j = 1; j < r->n; j++) {
			const site_pair *p = &r->pairs[j];
			size_t k;
			if (!p->computed)
				continue;
			for (k = 0; k < p->ntouch; k++)
				for (x = p->touch[2 * k]; x <= p->touch[2 * k + 1]; x++) {
					/* A new page: its neighbours' links change too. */
					if (!c.page[x]) {
						int32_t a, b;
						c.page[x] = 1;
						if ((a = ports_neighbour(&c, x, -1)) >= 0)
							c.dirty[a] = 1;
						if ((b = ports_neighbour(&c, x, 1)) >= 0)
							c.dirty[b] = 1;
					}
					c.dirty[x] = 1;
				}
		}
	}
	/* One history run per stretch of ports to write. */
	for (x = 0; x <= REGISTRY_PORT_MAX && !rc; x++) {
		int32_t hi = x;
		history_query q;
		if (!c.dirty[x])
			continue;
		any = 1;
		if (full) {
			hi = REGISTRY_PORT_MAX;
		} else {
			while (hi < REGISTRY_PORT_MAX && c.dirty[hi + 1])
				hi++;
		}
		memset(&q, 0, sizeof(q));
		q.port_lo = x;
		q.port_hi = hi;
		q.proto = -1;
		rc = history_run(r->st, &q, 0, ports_timeline, &c);
		if (rc == IW_ENOTFOUND) {
			iw_error_clear();
			rc = IW_OK;
		}
		if (!rc)
			rc = ports_finish(&c);
		x = hi;
	}
	if (rc || (!any && !full))
		goto out;
	ports_people_unique(&c);
	if (!(rc = ports_state_write(&c, &js)) && !(rc = iw_buf_error(&js)))
		rc = report_site_file(r, "search-index.js", &js, NULL);
out:
	for (x = 0; x <= REGISTRY_PORT_MAX; x++)
		free(c.idx[x]);
	for (i = 0; i < c.npeople; i++) {
		free(c.people[i].id);
		free(c.people[i].name);
		free(c.people[i].org);
	}
	free(c.people);
	free(c.idx);
	free(c.page);
	free(c.dirty);
	free(c.cs_off);
	free(c.cs);
	free(c.desc);
	free(dir);
	iw_buf_free(&c.body);
	iw_buf_free(&c.names);
	iw_buf_free(&c.words);
	iw_buf_free(&c.pids);
	iw_buf_free(&js);
	return rc;
}
