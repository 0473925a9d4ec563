/* changes_render.c: the presentation model of a change set, and its text and Markdown walks. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "changes_render.h"
#include "common/banned.h"

/* The parts of the item being written: its subject and text, and the field being written. */
enum { PART_SUBJECT, PART_TEXT, PART_NAME, PART_BEFORE, PART_AFTER, REPORT_NPARTS };

/* Building state. The item being written goes into the buffers part[], `cur` being the part
 * written now; they are sticky (iw_buf), checked once as each item is stored. */
typedef struct report_render {
	report_model *m;
	report_escape_fn escape;
	const diff_result *d;
	const watch_severity *sev; /* NULL: severities are not shown */
	int next_sev;              /* the severity of the next item, -1 for none */
	diff_port_index *ixa, *ixb; /* built when a line first needs to say what stands at a port */
	iw_buf part[REPORT_NPARTS];
	iw_buf *cur;
	int in_item;
	int rc;
} report_render;

static void report_put(report_render *r, const char *s)
{
	iw_buf_adds(r->cur, s);
}

static void report_putf(report_render *r, const char *fmt, ...) IW_PRINTF(2, 3);

static void report_putf(report_render *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	iw_buf_vprintf(r->cur, fmt, ap);
	va_end(ap);
}

static void report_text_n(report_render *r, const char *s, size_t n)
{
	r->escape(r->cur, s, n);
}

/* Registry text, escaped; a missing value reads "(none)". */
static void report_text(report_render *r, const char *s)
{
	if (s)
		report_text_n(r, s, strlen(s));
	else
		report_put(r, "(none)");
}

/* A '\n'-separated list of person ids as "Name (Org), Name (Org)". */
/* ---- the model's structure: groups, items, fields -------------------------------------- */

/* The buffer's text as a string of the model (never NULL), the buffer emptied. */
static char *report_take(report_render *r, iw_buf *b)
{
	char *s;
	int rc = iw_buf_error(b);
	if (rc && !r->rc)
		r->rc = rc;
	s = iw_buf_detach(b, NULL);
	return s ? s : iw_strdup("");
}

static void report_item_end(report_render *r)
{
	report_mgroup *g;
	report_mitem *it;
	char *text;
	if (!r->in_item)
		return;
	r->in_item = 0;
	g = &r->m->groups[r->m->ngroups - 1];
	it = &g->items[g->nitems - 1];
	it->subject = report_take(r, &r->part[PART_SUBJECT]);
	/* The engine writes "SUBJECT verb...": the space belongs to the renderers. */
	text = report_take(r, &r->part[PART_TEXT]);
	if (text[0] == ' ')
		memmove(text, text + 1, strlen(text));
	it->text = text;
}

static void report_item(report_render *r)
{
	report_mgroup *g = &r->m->groups[r->m->ngroups - 1];
	report_item_end(r);
	IW_GROW(g->items, g->nitems, g->alloc, 16);
	memset(&g->items[g->nitems++], 0, sizeof(*g->items));
	g->items[g->nitems - 1].severity = r->next_sev;
	r->cur = &r->part[PART_TEXT];
	r->in_item = 1;
}

/* The item's subject (emphasised by renderers) starts or ends. */
static void report_strong(report_render *r, int open)
{
	r->cur = &r->part[open ? PART_SUBJECT : PART_TEXT];
}

/* A field of a modification: its name (escaped as registry text), then what is written goes
 * to the value before, and after report_field_next() to the value after. */
static void report_field_begin(report_render *r, const char *name)
{
	r->cur = &r->part[PART_NAME];
	report_text(r, name);
	r->cur = &r->part[PART_BEFORE];
}

static void report_field_next(report_render *r)
{
	r->cur = &r->part[PART_AFTER];
}

static void report_field_end(report_render *r)
{
	report_mgroup *g = &r->m->groups[r->m->ngroups - 1];
	report_mitem *it = &g->items[g->nitems - 1];
	report_mfield *f;
	it->fields = iw_realloc(it->fields, (it->nfields + 1) * sizeof(*it->fields));
	f = &it->fields[it->nfields++];
	f->name = report_take(r, &r->part[PART_NAME]);
	f->before = report_take(r, &r->part[PART_BEFORE]);
	f->after = report_take(r, &r->part[PART_AFTER]);
	r->cur = &r->part[PART_TEXT];
}

static void report_group(report_render *r, int kind, const char *title, size_t n)
{
	report_mgroup *g;
	report_item_end(r);
	r->m->groups = iw_realloc(r->m->groups, (r->m->ngroups + 1) * sizeof(*r->m->groups));
	g = &r->m->groups[r->m->ngroups++];
	memset(g, 0, sizeof(*g));
	g->kind = kind;
	g->count = n;
	g->title = iw_asprintf("%s (%zu)", title, n);
}

static void report_persons(report_render *r, const char *list, const registry_doc *doc,
                           const registry_doc *fallback)
{
	iw_buf label = IW_BUF_INIT(64 * 1024);
	const char *p = list;
	while (!r->rc && p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *id = iw_strndup(p, len);
		if (p != list)
			report_put(r, ", ");
		iw_buf_reset(&label);
		if (!r->rc)
			r->rc = registry_person_label(&label, doc, fallback, id);
		if (!r->rc)
			report_text_n(r, label.data ? label.data : "", label.len);
		free(id);
		p = nl ? nl + 1 : NULL;
	}
	iw_buf_free(&label);
}

/* A '\n'-separated list (references) as "a, b". */
static void report_list(report_render *r, const char *list)
{
	const char *p = list;
	while (!r->rc && p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (p != list)
			report_put(r, ", ");
		report_text_n(r, p, len);
		p = nl ? nl + 1 : NULL;
	}
}

static int report_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

/* The person whose id is s[0..len), or (when the word ends a sentence) s without its
 * trailing dots; *used says how much of s the id takes. */
static const registry_person *report_note_person(const char *s, size_t len, size_t *used,
                                                 const registry_doc *doc,
                                                 const registry_doc *fallback)
{
	char id[128];
	while (len >= 2 && len < sizeof(id)) {
		const registry_person *p;
		memcpy(id, s, len);
		id[len] = '\0';
		p = doc ? registry_doc_person(doc, id) : NULL;
		if (!p && fallback)
			p = registry_doc_person(fallback, id);
		if (p && p->f[PERSON_NAME]) {
			*used = len;
			return p;
		}
		if (s[len - 1] != '.')
			break;
		len--;
	}
	return NULL;
}

/* Notes mention people by id (a nested <xref type="person"> gives its data): a word that is
 * a person's id reads as the person's name, "previously compressnet by Bernie Volz". */
static void report_notes(report_render *r, const char *s, const registry_doc *doc,
                         const registry_doc *fallback)
{
	const char *p = s, *flushed = s;
	if (!s) {
		report_put(r, "(none)");
		return;
	}
	while (*p) {
		const char *q = p;
		const registry_person *pe;
		size_t used = 0;
		if (!report_id_char(*p) || (p > s && report_id_char(p[-1]))) {
			p++;
			continue;
		}
		while (report_id_char(*q))
			q++;
		pe = report_note_person(p, (size_t)(q - p), &used, doc, fallback);
		if (pe) {
			report_text_n(r, flushed, (size_t)(p - flushed));
			report_text(r, pe->f[PERSON_NAME]);
			flushed = p + used;
		}
		p = q;
	}
	report_text_n(r, flushed, (size_t)(p - flushed));
}

static void report_value(report_render *r, registry_field f, const char *v,
                         const registry_doc *doc, const registry_doc *fallback)
{
	if (!v)
		report_put(r, "(none)");
	else if (f == REG_ASSIGNEE || f == REG_CONTACT)
		report_persons(r, v, doc, fallback);
	else if (f == REG_REFERENCES)
		report_list(r, v);
	else if (f == REG_NOTES)
		report_notes(r, v, doc, fallback);
	else
		report_text(r, v);
}

/* "2/tcp", "2-3/udp", "2/any" (a record without protocol covers every protocol). */
static void report_loc(report_render *r, const char *protocol, int32_t port, int32_t port_end)
{
	report_putf(r, "%d", (int)port);
	if (port_end != port)
		report_putf(r, "-%d", (int)port_end);
	report_put(r, "/");
	if (protocol)
		report_text(r, protocol);
	else
		report_put(r, "any");
}

static void report_name(report_render *r, const char *name)
{
	if (name)
		report_text(r, name);
	else
		report_put(r, "(unnamed)");
}

/* Port/protocol and service name, emphasised: "2/tcp compressnet", or for an entry without
 * number "compressnet (tcp, no port)". */
static void report_subject(report_render *r, const diff_change *c)
{
	report_strong(r, 1);
	if (c->port != REGISTRY_NO_PORT) {
		report_loc(r, c->protocol, c->port, c->port_end);
		report_put(r, " ");
		report_name(r, c->name);
	} else {
		report_name(r, c->name);
		report_put(r, " (");
		if (c->protocol) {
			report_text(r, c->protocol);
			report_put(r, ", ");
		}
		report_put(r, "no port)");
	}
	report_strong(r, 0);
}

static diff_port_index *report_index(report_render *r, int after)
{
	diff_port_index **ix = after ? &r->ixb : &r->ixa;
	if (!*ix && !r->rc)
		r->rc = diff_port_index_build(after ? r->d->b : r->d->a, ix);
	return *ix;
}

/* What stands, in one side's document, at the first (protocol, port) entry e covers that is
 * not assigned there: "Reserved" (the description of the record giving that status) with its
 * notes, or the bare status when no record mentions the port. Writes nothing when every port
 * of e is assigned there. */
static void report_standing(report_render *r, const registry_record *e, int after,
                            const char *lead)
{
	const registry_doc *doc = after ? r->d->b : r->d->a, *other = after ? r->d->a : r->d->b;
	diff_port_index *ix = report_index(r, after);
	int p;
	if (!ix || e->port == REGISTRY_NO_PORT)
		return;
	for (p = 0; p < REGISTRY_NPROTOS; p++) {
		int32_t x;
		if (!registry_record_covers_proto(e, p))
			continue;
		for (x = e->port; x <= e->port_end; x++) {
			registry_status st = diff_port_index_status(ix, p, x);
			const registry_record *rec;
			if (st == STATUS_ASSIGNED)
				continue;
			rec = diff_port_index_find(ix, p, x, st);
			report_put(r, lead);
			if (rec && rec->f[REG_DESCRIPTION])
				report_text(r, rec->f[REG_DESCRIPTION]);
			else
				report_put(r, registry_status_names[st]);
			if (rec && rec->f[REG_NOTES]) {
				report_put(r, " (");
				report_notes(r, rec->f[REG_NOTES], doc, other);
				report_put(r, ")");
			}
			return;
		}
	}
}

/* "Description; assignee Name (Org); contact ...; references rfc:rfc6335 (notes)". */
static void report_details(report_render *r, const registry_record *rec, int after)
{
	const registry_doc *doc = after ? r->d->b : r->d->a, *other = after ? r->d->a : r->d->b;
	static const registry_field people[] = {REG_ASSIGNEE, REG_CONTACT};
	const char *sep = ": ";
	size_t i;
	if (rec->f[REG_DESCRIPTION]) {
		report_put(r, sep);
		report_text(r, rec->f[REG_DESCRIPTION]);
		sep = "; ";
	}
	for (i = 0; i < sizeof(people) / sizeof(*people); i++) {
		if (!rec->f[people[i]])
			continue;
		report_put(r, sep);
		report_put(r, registry_field_names[people[i]]);
		report_put(r, " ");
		report_persons(r, rec->f[people[i]], doc, other);
		sep = "; ";
	}
	if (rec->f[REG_REFERENCES]) {
		report_put(r, sep);
		report_put(r, "references ");
		report_list(r, rec->f[REG_REFERENCES]);
	}
	if (rec->f[REG_NOTES]) {
		report_put(r, " (");
		report_notes(r, rec->f[REG_NOTES], doc, other);
		report_put(r, ")");
	}
}

static void report_entry_line(report_render *r, const diff_change *c, const char *tail)
{
	size_t i;
	report_item(r);
	report_subject(r, c);
	switch (c->kind) {
	case DIFF_ASSIGNED:
		report_put(r, " assigned");
		report_standing(r, c->after, 0, ", was ");
		report_details(r, c->after, 1);
		break;
	case DIFF_DEASSIGNED:
		report_put(r, " de-assigned");
		report_standing(r, c->before, 1, ", now ");
		break;
	case DIFF_ADDED:
		report_put(r, " added");
		report_details(r, c->after, 1);
		break;
	case DIFF_REMOVED:
		report_put(r, " removed");
		report_details(r, c->before, 0);
		break;
	case DIFF_MODIFIED:
		report_put(r, " modified:");
		if (tail)
			report_put(r, tail);
		for (i = 0; i < DIFF_NCOMPARED; i++) {
			registry_field f = diff_compared_fields[i];
			if (!(c->fields & (1u << f)))
				continue;
			report_field_begin(r, registry_field_names[f]);
			report_value(r, f, c->before->f[f], r->d->a, r->d->b);
			report_field_next(r);
			report_value(r, f, c->after->f[f], r->d->b, r->d->a);
			report_field_end(r);
		}
		return;
	default:
		break;
	}
	if (tail)
		report_put(r, tail);
}

static void report_pair_line(report_render *r, const diff_pair *p)
{
	const diff_change *g = &r->d->changes[p->gone], *c = &r->d->changes[p->came];
	if (p->kind == DIFF_PAIR_RENAMED) {
		report_item(r);
		report_strong(r, 1);
		report_loc(r, c->protocol, c->port, c->port_end);
		report_strong(r, 0);
		report_put(r, " renamed from ");
		report_name(r, g->name);
		report_put(r, " to ");
		report_name(r, c->name);
		report_details(r, c->after, 1);
	} else if (c->port == REGISTRY_NO_PORT) {
		/* The port went, the service name stays (the CompressNET case). */
		report_entry_line(r, g, "; the service name stays, without a port");
	} else if (g->port == REGISTRY_NO_PORT) {
		report_entry_line(r, c, "; before, the service name had no port");
	} else {
		report_item(r);
		report_strong(r, 1);
		report_loc(r, g->protocol, g->port, g->port_end);
		report_put(r, " -> ");
		report_loc(r, c->protocol, c->port, c->port_end);
		report_put(r, " ");
		report_name(r, c->name);
		report_strong(r, 0);
		report_put(r, " moved");
		if (g->kind == DIFF_DEASSIGNED) {
			report_put(r, "; ");
			report_loc(r, g->protocol, g->port, g->port_end);
			report_standing(r, g->before, 1, " now ");
		}
	}
}

/* Describes the status of (p, port) in one side: the description of the record giving it, or
 * the status name. */
static void report_status_word(report_render *r, int after, const char *protocol, int32_t port,
                               registry_status st, int with_notes)
{
	diff_port_index *ix = report_index(r, after);
	const registry_record *rec = ix ? diff_port_index_find(ix, registry_protocol_index(protocol),
	                                                       port, st) : NULL;
	if (rec && rec->f[REG_DESCRIPTION])
		report_text(r, rec->f[REG_DESCRIPTION]);
	else
		report_put(r, registry_status_names[st]);
	if (with_notes && rec && rec->f[REG_NOTES]) {
		report_put(r, " (");
		report_notes(r, rec->f[REG_NOTES], after ? r->d->b : r->d->a, after ? r->d->a : r->d->b);
		report_put(r, ")");
	}
}

static int report_same_run(const diff_change *a, const diff_change *b)
{
	return a->port == b->port && a->port_end == b->port_end &&
	       a->status_before == b->status_before && a->status_after == b->status_after;
}

/* Status changes of the same ports on several protocols share one line: "4/tcp,udp". The
 * changes are sorted by port, then protocol, so they are adjacent. Returns how many it used. */
static size_t report_status_line(report_render *r, const diff_change *v, size_t n)
{
	size_t k = 1, i;
	while (k < n && report_same_run(&v[0], &v[k]))
		k++;
	if (r->sev)
		for (i = 0; i < k; i++)
			if ((int)r->sev[&v[i] - r->d->changes] > r->next_sev)
				r->next_sev = (int)r->sev[&v[i] - r->d->changes];
	report_item(r);
	report_strong(r, 1);
	report_putf(r, "%d", (int)v[0].port);
	if (v[0].port_end != v[0].port)
		report_putf(r, "-%d", (int)v[0].port_end);
	report_put(r, "/");
	for (i = 0; i < k; i++) {
		if (i)
			report_put(r, ",");
		report_text(r, v[i].protocol);
	}
	report_strong(r, 0);
	report_put(r, " was ");
	report_status_word(r, 0, v[0].protocol, v[0].port, v[0].status_before, 0);
	report_put(r, ", now ");
	report_status_word(r, 1, v[0].protocol, v[0].port, v[0].status_after, 1);
	return k;
}

static void report_person_line(report_render *r, const diff_person_change *pc)
{
	iw_buf label = IW_BUF_INIT(64 * 1024);
	size_t i;
	report_item(r);
	report_strong(r, 1);
	report_text(r, pc->id);
	report_strong(r, 0);
	report_put(r, " ");
	report_put(r, diff_kind_names[pc->kind]);
	if (pc->kind != DIFF_MODIFIED) {
		const registry_doc *doc = pc->kind == DIFF_ADDED ? r->d->b : r->d->a;
		if (!r->rc)
			r->rc = registry_person_label(&label, doc, NULL, pc->id);
		report_put(r, ": ");
		report_text_n(r, label.data ? label.data : "", label.len);
		iw_buf_free(&label);
		return;
	}
	report_put(r, ":");
	for (i = 0; i < PERSON_NFIELDS; i++) {
		registry_person_field f = diff_person_fields[i];
		if (!(pc->fields & (1u << f)))
			continue;
		report_field_begin(r, registry_person_field_names[f]);
		report_text(r, pc->before->f[f]);
		report_field_next(r);
		report_text(r, pc->after->f[f]);
		report_field_end(r);
	}
	iw_buf_free(&label);
}

static void report_headline(report_render *r, const store_snapshot *from,
                            const store_snapshot *to)
{
	iw_buf title = IW_BUF_INIT(4096), counts = IW_BUF_INIT(4096);
	const char *fd = from ? from->registry_updated : r->d->a->updated;
	const char *td = to ? to->registry_updated : r->d->b->updated;

	diff_count_shown(r->d, r->m->counts, r->m->people);
	iw_buf_printf(&title, "Registry changes %s -> %s", fd ? fd : "?", td ? td : "?");
	if (from && to)
		iw_buf_printf(&title, " (snapshots %lld -> %lld)", (long long)from->id,
		              (long long)to->id);
	report_counts_words(&counts, r->m->counts, r->m->people);
	r->m->title = report_take(r, &title);
	r->m->summary = report_take(r, &counts);
}

int report_counts_words(iw_buf *out, const size_t counts[DIFF_NSHOWN],
                        const size_t people[DIFF_NKINDS])
{
	static const diff_kind person_kinds[] = {DIFF_ADDED, DIFF_REMOVED, DIFF_MODIFIED};
	size_t start = out->len, i;
	for (i = 0; i < DIFF_NSHOWN; i++) {
		diff_kind k = diff_shown_order[i];
		if (!counts[k])
			continue;
		iw_buf_printf(out, "%s%zu %s%s", out->len > start ? ", " : "", counts[k],
		              diff_kind_words[k].count,
		              k == DIFF_STATUS ? (counts[k] == 1 ? " change" : " changes") : "");
	}
	for (i = 0; people && i < sizeof(person_kinds) / sizeof(*person_kinds); i++) {
		size_t n = people[person_kinds[i]];
		if (n)
			iw_buf_printf(out, "%s%zu %s %s", out->len > start ? ", " : "", n,
			              n == 1 ? "person" : "people", diff_kind_words[person_kinds[i]].count);
	}
	return iw_buf_error(out);
}

void report_model_free(report_model *m)
{
	size_t g, i, f;
	if (!m)
		return;
	for (g = 0; g < m->ngroups; g++) {
		report_mgroup *gr = &m->groups[g];
		for (i = 0; i < gr->nitems; i++) {
			report_mitem *it = &gr->items[i];
			for (f = 0; f < it->nfields; f++) {
				free(it->fields[f].name);
				free(it->fields[f].before);
				free(it->fields[f].after);
			}
			free(it->fields);
			free(it->subject);
			free(it->text);
		}
		free(gr->items);
		free(gr->title);
	}
	free(m->groups);
	free(m->title);
	free(m->summary);
	memset(m, 0, sizeof(*m));
}

/* The severity of the item about to be written: -1 when none are shown. */
static void report_next_sev(report_render *r, int a, int b)
{
	r->next_sev = -1;
	if (!r->sev)
		return;
	r->next_sev = a >= 0 ? (int)r->sev[a] : -1;
	if (b >= 0 && (int)r->sev[b] > r->next_sev)
		r->next_sev = (int)r->sev[b];
}

int report_model_build(report_model *m, const store_snapshot *from, const store_snapshot *to,
                       const diff_result *d, const watch_severity *sev,
                       report_escape_fn escape, size_t cap)
{
	report_render r;
	diff_pair *pairs = NULL;
	size_t npairs = 0, i;
	int k, o, part, rc;

	memset(m, 0, sizeof(*m));
	memset(&r, 0, sizeof(r));
	r.m = m;
	r.escape = escape;
	r.d = d;
	r.sev = sev;
	r.next_sev = -1;
	for (part = 0; part < REPORT_NPARTS; part++)
		iw_buf_init(&r.part[part], cap);
	r.cur = &r.part[PART_TEXT];
	if (diff_result_empty(d))
		return IW_OK;
	m->nonempty = 1;
	if ((rc = diff_pairs(d, &pairs, &npairs)))
		goto out;

	report_headline(&r, from, to);
	for (o = 0; o < DIFF_NSHOWN; o++) {
		k = (int)diff_shown_order[o];
		if (!m->counts[k])
			continue;
		report_group(&r, k, diff_kind_words[k].title, m->counts[k]);
		if (k == DIFF_MOVED || k == DIFF_RENAMED) {
			for (i = 0; i < npairs; i++)
				if (pairs[i].kind == (k == DIFF_MOVED ? DIFF_PAIR_MOVED : DIFF_PAIR_RENAMED)) {
					report_next_sev(&r, (int)pairs[i].gone, (int)pairs[i].came);
					report_pair_line(&r, &pairs[i]);
				}
			continue;
		}
		for (i = 0; i < d->nchanges;) {
			const diff_change *c = &d->changes[i];
			if (c->kind != (diff_kind)k || c->pair) {
				i++;
			} else if (k == DIFF_STATUS) {
				size_t end = i;
				while (end < d->nchanges && d->changes[end].kind == DIFF_STATUS)
					end++;
				report_next_sev(&r, -1, -1);
				i += report_status_line(&r, c, end - i);
			} else {
				report_next_sev(&r, (int)i, -1);
				report_entry_line(&r, c, NULL);
				i++;
			}
		}
	}
	if (d->npeople) {
		report_group(&r, REPORT_GROUP_PEOPLE, "People", d->npeople);
		for (i = 0; i < d->npeople; i++) {
			r.next_sev = sev ? (int)watch_person_severity(&d->people[i]) : -1;
			report_person_line(&r, &d->people[i]);
		}
	}
	report_item_end(&r);
	rc = r.rc;
out:
	free(pairs);
	diff_port_index_free(r.ixa);
	diff_port_index_free(r.ixb);
	for (part = 0; part < REPORT_NPARTS; part++)
		iw_buf_free(&r.part[part]);
	if (rc)
		report_model_free(m);
	return rc;
}

static int report_text_plain(iw_buf *out, const char *s, size_t len)
{
	return iw_buf_add(out, s, len);
}

/* Registry text only ever stands inside a list item or emphasis, never at a line start, so
 * escaping the inline specials is enough: emphasis, code, links, HTML and entities, tables
 * and strike-through. */
static int report_md_escape(iw_buf *out, const char *s, size_t len)
{
	static const char specials[] = "\\`*_[]<>|~&#!";
	size_t i, run = 0;
	for (i = 0; i < len; i++) {
		if (!memchr(specials, s[i], sizeof(specials) - 1))
			continue;
		iw_buf_add(out, s + run, i - run);
		iw_buf_addc(out, '\\');
		run = i;
	}
	iw_buf_add(out, s + run, len - run);
	return iw_buf_error(out);
}

/* A changelog format, all data (report_styles below). */
typedef struct changes_style {
	/* Appends registry text (service names, descriptions, notes) escaped for the format. */
	report_escape_fn text;
	/* The first lines: head[0], the title (dates, snapshots), head[1], the counts ("4
	 * de-assigned, 2 added"), head[2]; title and counts are safe to print as they are. */
	const char *head[3];
	/* Around a group heading such as "De-assigned (4)" (safe). */
	const char *group[2];
	const char *item;      /* starts one change's line */
	const char *subitem;   /* starts a line under it (a modified field) */
	const char *strong_open, *strong_close; /* around the port/protocol and name */
} changes_style;

/* What makes a changelog plain text (the one cron mails to a person) or Markdown (for
 * pasting into tickets): how registry text is escaped, what stands around the headline's
 * title and counts, around a group's heading, before a change and a field, around a subject. */
static const changes_style report_styles[] = {
	[REPORT_TEXT] = {report_text_plain, {"", ": ", "\n"}, {"\n", "\n"}, "  ", "      ", "", ""},
	[REPORT_MARKDOWN] = {report_md_escape, {"## ", "\n\n", ".\n"}, {"\n### ", "\n\n"}, "- ",
	                     "  - ", "**", "**"},
};

/* d as a changelog in style st, walking its model; nothing at all when d is empty. */
static int report_changes_render(iw_buf *out, const store_snapshot *from,
                                 const store_snapshot *to, const diff_result *d,
                                 const watch_severity *sev, const changes_style *st)
{
	report_model m;
	size_t g, i, f;
	int rc = report_model_build(&m, from, to, d, sev, st->text, out->cap);
	if (rc || !m.nonempty)
		return rc;
	iw_buf_printf(out, "%s%s%s%s%s", st->head[0], m.title, st->head[1], m.summary,
	              st->head[2]);
	for (g = 0; g < m.ngroups; g++) {
		const report_mgroup *gr = &m.groups[g];
		iw_buf_printf(out, "%s%s%s", st->group[0], gr->title, st->group[1]);
		for (i = 0; i < gr->nitems; i++) {
			const report_mitem *it = &gr->items[i];
			/* Plain appends: printf's "%s" costs several times a copy, on every line. */
			iw_buf_adds(out, st->item);
			if (it->severity >= 0)
				iw_buf_printf(out, "[%s] ", watch_severity_names[it->severity]);
			iw_buf_adds(out, st->strong_open);
			iw_buf_adds(out, it->subject);
			iw_buf_adds(out, st->strong_close);
			iw_buf_addc(out, ' ');
			iw_buf_adds(out, it->text);
			iw_buf_addc(out, '\n');
			for (f = 0; f < it->nfields; f++) {
				iw_buf_adds(out, st->subitem);
				iw_buf_adds(out, it->fields[f].name);
				iw_buf_adds(out, ": ");
				iw_buf_adds(out, it->fields[f].before);
				iw_buf_adds(out, " -> ");
				iw_buf_adds(out, it->fields[f].after);
				iw_buf_addc(out, '\n');
			}
		}
	}
	report_model_free(&m);
	return iw_buf_error(out);
}

int report_changes_format(iw_buf *out, report_format format, const store_snapshot *from,
                          const store_snapshot *to, const diff_result *d,
                          const watch_severity *sev)
{
	if (format == REPORT_JSON)
		return report_changes_json_sev(out, from, to, d, sev);
	return report_changes_render(out, from, to, d, sev, &report_styles[format]);
}

int report_changes_text(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                        const diff_result *d)
{
	return report_changes_format(out, REPORT_TEXT, from, to, d, NULL);
}

int report_changes_markdown(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                            const diff_result *d)
{
	return report_changes_format(out, REPORT_MARKDOWN, from, to, d, NULL);
}
