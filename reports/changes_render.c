/* changes_render.c: the changelog engine behind the text and Markdown change reports. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "changes_render.h"
#include "common/banned.h"

/* Rendering state. Errors are sticky: after the first failed append nothing more is written
 * and the code is returned at the end, which keeps the many small writes readable. */
typedef struct report_render {
	iw_buf *out;
	const changes_style *st;
	const diff_result *d;
	diff_port_index *ixa, *ixb; /* built when a line first needs to say what stands at a port */
	int rc;
} report_render;

static const char *const report_group_titles[DIFF_NKINDS] = {
	"Assigned", "De-assigned", "Added", "Removed", "Modified", "Status changes",
};

static const char *const report_count_words[DIFF_NKINDS] = {
	"assigned", "de-assigned", "added", "removed", "modified", "status",
};

static void report_put(report_render *r, const char *s)
{
	if (!r->rc)
		r->rc = iw_buf_adds(r->out, s);
}

static void report_putf(report_render *r, const char *fmt, ...) IW_PRINTF(2, 3);

static void report_putf(report_render *r, const char *fmt, ...)
{
	va_list ap;
	if (r->rc)
		return;
	va_start(ap, fmt);
	r->rc = iw_buf_vprintf(r->out, fmt, ap);
	va_end(ap);
}

static void report_text_n(report_render *r, const char *s, size_t n)
{
	if (!r->rc)
		r->rc = r->st->text(r->out, s, n);
}

/* Registry text, escaped; a missing value reads "(none)". */
static void report_text(report_render *r, const char *s)
{
	if (s)
		report_text_n(r, s, strlen(s));
	else
		report_put(r, "(none)");
}

int report_person_label(iw_buf *out, const registry_doc *doc, const registry_doc *fallback,
                        const char *id)
{
	const registry_person *p = doc ? registry_doc_person(doc, id) : NULL;
	const char *name, *org;
	if (!p && fallback)
		p = registry_doc_person(fallback, id);
	if (!p || (!p->f[PERSON_NAME] && !p->f[PERSON_ORG]))
		return iw_buf_adds(out, id ? id : "(unknown)");
	name = p->f[PERSON_NAME];
	org = p->f[PERSON_ORG];
	if (name && org && strcmp(name, org))
		return iw_buf_printf(out, "%s (%s)", name, org);
	return iw_buf_adds(out, name ? name : org);
}

/* A '\n'-separated list of person ids as "Name (Org), Name (Org)". */
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
			r->rc = report_person_label(&label, doc, fallback, id);
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
	report_put(r, r->st->strong_open);
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
	report_put(r, r->st->strong_close);
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
	report_put(r, r->st->item);
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
		report_put(r, "\n");
		for (i = 0; i < DIFF_NCOMPARED; i++) {
			registry_field f = diff_compared_fields[i];
			if (!(c->fields & (1u << f)))
				continue;
			report_put(r, r->st->subitem);
			report_text(r, registry_field_names[f]);
			report_put(r, ": ");
			report_value(r, f, c->before->f[f], r->d->a, r->d->b);
			report_put(r, " -> ");
			report_value(r, f, c->after->f[f], r->d->b, r->d->a);
			report_put(r, "\n");
		}
		return;
	default:
		break;
	}
	if (tail)
		report_put(r, tail);
	report_put(r, "\n");
}

static void report_pair_line(report_render *r, const diff_pair *p)
{
	const diff_change *g = &r->d->changes[p->gone], *c = &r->d->changes[p->came];
	if (p->kind == DIFF_PAIR_RENAMED) {
		report_put(r, r->st->item);
		report_put(r, r->st->strong_open);
		report_loc(r, c->protocol, c->port, c->port_end);
		report_put(r, r->st->strong_close);
		report_put(r, " renamed from ");
		report_name(r, g->name);
		report_put(r, " to ");
		report_name(r, c->name);
		report_details(r, c->after, 1);
		report_put(r, "\n");
	} else if (c->port == REGISTRY_NO_PORT) {
		/* The port went, the service name stays (the CompressNET case). */
		report_entry_line(r, g, "; the service name stays, without a port");
	} else if (g->port == REGISTRY_NO_PORT) {
		report_entry_line(r, c, "; before, the service name had no port");
	} else {
		report_put(r, r->st->item);
		report_put(r, r->st->strong_open);
		report_loc(r, g->protocol, g->port, g->port_end);
		report_put(r, " -> ");
		report_loc(r, c->protocol, c->port, c->port_end);
		report_put(r, " ");
		report_name(r, c->name);
		report_put(r, r->st->strong_close);
		report_put(r, " moved");
		if (g->kind == DIFF_DEASSIGNED) {
			report_put(r, "; ");
			report_loc(r, g->protocol, g->port, g->port_end);
			report_standing(r, g->before, 1, " now ");
		}
		report_put(r, "\n");
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
	report_put(r, r->st->item);
	report_put(r, r->st->strong_open);
	report_putf(r, "%d", (int)v[0].port);
	if (v[0].port_end != v[0].port)
		report_putf(r, "-%d", (int)v[0].port_end);
	report_put(r, "/");
	for (i = 0; i < k; i++) {
		if (i)
			report_put(r, ",");
		report_text(r, v[i].protocol);
	}
	report_put(r, r->st->strong_close);
	report_put(r, " was ");
	report_status_word(r, 0, v[0].protocol, v[0].port, v[0].status_before, 0);
	report_put(r, ", now ");
	report_status_word(r, 1, v[0].protocol, v[0].port, v[0].status_after, 1);
	report_put(r, "\n");
	return k;
}

static void report_person_line(report_render *r, const diff_person_change *pc)
{
	iw_buf label = IW_BUF_INIT(64 * 1024);
	size_t i;
	report_put(r, r->st->item);
	report_put(r, r->st->strong_open);
	report_text(r, pc->id);
	report_put(r, r->st->strong_close);
	report_put(r, " ");
	report_put(r, diff_kind_names[pc->kind]);
	if (pc->kind != DIFF_MODIFIED) {
		const registry_doc *doc = pc->kind == DIFF_ADDED ? r->d->b : r->d->a;
		if (!r->rc)
			r->rc = report_person_label(&label, doc, NULL, pc->id);
		report_put(r, ": ");
		report_text_n(r, label.data ? label.data : "", label.len);
		report_put(r, "\n");
		iw_buf_free(&label);
		return;
	}
	report_put(r, ":\n");
	for (i = 0; i < PERSON_NFIELDS; i++) {
		registry_person_field f = diff_person_fields[i];
		if (!(pc->fields & (1u << f)))
			continue;
		report_put(r, r->st->subitem);
		report_put(r, registry_person_field_names[f]);
		report_put(r, ": ");
		report_text(r, pc->before->f[f]);
		report_put(r, " -> ");
		report_text(r, pc->after->f[f]);
		report_put(r, "\n");
	}
	iw_buf_free(&label);
}

static void report_headline(report_render *r, const store_snapshot *from,
                            const store_snapshot *to)
{
	static const char *const person_words[DIFF_NKINDS] = {
		NULL, NULL, "added", "removed", "modified", NULL,
	};
	iw_buf title = IW_BUF_INIT(4096), counts = IW_BUF_INIT(4096);
	size_t nk[DIFF_NKINDS], np[DIFF_NKINDS];
	const char *fd = from ? from->registry_updated : r->d->a->updated;
	const char *td = to ? to->registry_updated : r->d->b->updated;
	int k, rc = 0;

	diff_count(r->d, nk, np);
	rc = iw_buf_printf(&title, "Registry changes %s -> %s", fd ? fd : "?", td ? td : "?");
	if (!rc && from && to)
		rc = iw_buf_printf(&title, " (snapshots %lld -> %lld)", (long long)from->id,
		                   (long long)to->id);
	for (k = 0; !rc && k < DIFF_NKINDS; k++) {
		if (!nk[k])
			continue;
		rc = iw_buf_printf(&counts, "%s%zu %s%s", counts.len ? ", " : "", nk[k],
		                   report_count_words[k],
		                   k == DIFF_STATUS ? (nk[k] == 1 ? " change" : " changes") : "");
	}
	for (k = 0; !rc && k < DIFF_NKINDS; k++) {
		if (!np[k] || !person_words[k])
			continue;
		rc = iw_buf_printf(&counts, "%s%zu %s %s", counts.len ? ", " : "", np[k],
		                   np[k] == 1 ? "person" : "people", person_words[k]);
	}
	if (!rc)
		rc = r->st->headline(r->out, title.data, counts.data ? counts.data : "");
	if (rc && !r->rc)
		r->rc = rc;
	iw_buf_free(&title);
	iw_buf_free(&counts);
}

static void report_group(report_render *r, const char *title, size_t n)
{
	char line[128];
	snprintf(line, sizeof(line), "%s (%zu)", title, n);
	if (!r->rc)
		r->rc = r->st->group(r->out, line);
}

int report_changes_render(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                          const diff_result *d, const changes_style *st)
{
	report_render r;
	diff_pair *pairs = NULL;
	unsigned char *paired = NULL;
	size_t npairs = 0, i;
	int k, rc;

	memset(&r, 0, sizeof(r));
	r.out = out;
	r.st = st;
	r.d = d;
	if (diff_result_empty(d))
		return IW_OK;
	if ((rc = diff_pairs(d, &pairs, &npairs)))
		goto out;
	paired = iw_calloc(d->nchanges ? d->nchanges : 1, 1);
	for (i = 0; i < npairs; i++)
		paired[pairs[i].gone] = paired[pairs[i].came] = 1;

	report_headline(&r, from, to);
	if (npairs) {
		report_group(&r, "Moved and renamed", npairs);
		for (i = 0; i < npairs; i++)
			report_pair_line(&r, &pairs[i]);
	}
	for (k = 0; k < DIFF_NKINDS; k++) {
		size_t n = 0;
		for (i = 0; i < d->nchanges; i++)
			if (d->changes[i].kind == (diff_kind)k && !paired[i])
				n++;
		if (!n)
			continue;
		report_group(&r, report_group_titles[k], n);
		for (i = 0; i < d->nchanges;) {
			const diff_change *c = &d->changes[i];
			if (c->kind != (diff_kind)k || paired[i]) {
				i++;
			} else if (k == DIFF_STATUS) {
				size_t end = i;
				while (end < d->nchanges && d->changes[end].kind == DIFF_STATUS)
					end++;
				i += report_status_line(&r, c, end - i);
			} else {
				report_entry_line(&r, c, NULL);
				i++;
			}
		}
	}
	if (d->npeople) {
		report_group(&r, "People", d->npeople);
		for (i = 0; i < d->npeople; i++)
			report_person_line(&r, &d->people[i]);
	}
	rc = r.rc;
out:
	free(pairs);
	free(paired);
	diff_port_index_free(r.ixa);
	diff_port_index_free(r.ixb);
	return rc;
}
