/* services.c: the registry at one snapshot as an /etc/services file (choices in export.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "export/export.h"
#include "common/banned.h"

/* iana-etc leaves out comments of 70 characters or more. */
#define SERVICES_MAX_COMMENT 70
/* Ranges give a line per port: a hostile document must not turn that into gigabytes. The
 * registry has about 12,000 lines. */
#define SERVICES_MAX_LINES (1u << 20)

/* One named record on one protocol; its ports share it. */
typedef struct services_entry {
	char *name;          /* as the registry writes it, or its first word; owned */
	char *proto;         /* lowercase, owned */
	int proto_rank;
	const char *desc;    /* borrowed; NULL for no comment */
	const char *registry_name; /* borrowed: the name it was cut from, for the comment; NULL
	                              when the name is the registry's */
} services_entry;

typedef struct services_line {
	const services_entry *e;
	int32_t port;
	size_t seq;          /* record order, to keep the sort stable */
} services_line;

typedef struct services_out {
	services_entry *e;
	size_t ne;
	services_line *v;
	size_t n, alloc;
} services_out;

/* What ends a field of a services line: whitespace, or '#' (a comment). */
static int services_breaks(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
	       c == '#';
}

/* The name as the registry writes it, when a services line can hold it (acmaint_dbd, 914c/g,
 * 3Com-nsd: getservbyname() compares exactly, so nothing is lowercased or rewritten); else
 * its first word, the rule iana-etc applies to protocol names ("Apple Remote Desktop (Net
 * Assistant)" is Apple), with *cut set. NULL when not even a first word is left. */
static char *services_name(const char *s, int *cut)
{
	size_t n = 0;
	while (s[n] && !services_breaks(s[n]))
		n++;
	*cut = s[n] != '\0';
	return n ? iw_strndup(s, n) : NULL;
}

static char *services_proto(const char *s)
{
	char *n = iw_strdup(s), *p;
	for (p = n; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
		else if (services_breaks(*p))
			*p = '-';
	}
	return n;
}

/* Characters (UTF-8 code points), as iana-etc's Python len() counts them. */
static size_t services_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* tcp, udp, sctp, dccp as the registry lists them; other names after, alphabetically. */
static int services_proto_rank(const char *proto)
{
	int i = registry_protocol_index(proto);
	return i >= 0 ? i : REGISTRY_NPROTOS;
}

/* Adds the entry of r on proto and a line for each of its ports. */
static int services_add(services_out *o, const registry_record *r, const char *proto)
{
	services_entry *e;
	int32_t p;
	int cut;
	char *name = services_name(r->f[REG_NAME], &cut);
	if (!name)
		return IW_OK;
	e = &o->e[o->ne++];
	e->name = name;
	e->registry_name = cut ? r->f[REG_NAME] : NULL;
	e->proto = services_proto(proto);
	e->proto_rank = services_proto_rank(e->proto);
	e->desc = r->f[REG_DESCRIPTION];
	if (e->desc && services_chars(e->desc) >= SERVICES_MAX_COMMENT)
		e->desc = NULL;
	for (p = r->port; p <= r->port_end; p++) {
		if (o->n >= SERVICES_MAX_LINES)
			return iw_error_set(IW_ENOMEM, "more than %u lines of services: refusing the "
			                    "document", SERVICES_MAX_LINES);
		if (o->n == o->alloc) {
			o->alloc = o->alloc ? o->alloc * 2 : 4096;
			o->v = iw_realloc(o->v, o->alloc * sizeof(*o->v));
		}
		o->v[o->n].e = e;
		o->v[o->n].port = p;
		o->v[o->n].seq = o->n;
		o->n++;
	}
	return IW_OK;
}

static int services_cmp(const void *a, const void *b)
{
	const services_line *x = a, *y = b;
	int c;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if (x->e->proto_rank != y->e->proto_rank)
		return x->e->proto_rank < y->e->proto_rank ? -1 : 1;
	if ((c = strcmp(x->e->proto, y->e->proto)))
		return c;
	/* Alphabetically, case aside (3Com-nsd keeps its place); names equal but for case are one
	 * name (RFC 6335), kept as the document first spells it. */
	if ((c = strcasecmp(x->e->name, y->e->name)))
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void services_header(iw_buf *out, const store_snapshot *snap, const registry_doc *doc)
{
	iw_buf_printf(out, "# /etc/services: IANA's Service Name and Transport Protocol "
	              "Port Number Registry\n# as of %s", doc->updated ? doc->updated : "(undated)");
	if (snap)
		iw_buf_printf(out, " (ianawatch snapshot %lld, observed %s,\n# sha256 %s)",
		              (long long)snap->id, snap->observed_at, snap->sha256);
	iw_buf_adds(out, ".\n#\n# See also services(5) and IANA's official page:\n"
	            "# https://www.iana.org/assignments/service-names-port-numbers\n#\n");
}

int export_services(iw_buf *out, const store_snapshot *snap, const registry_doc *doc)
{
	services_out o;
	iw_buf where = IW_BUF_INIT(REGISTRY_MAX_FIELD + 16);
	size_t i;
	int rc;

	memset(&o, 0, sizeof(o));
	/* At most two entries (tcp and udp) per record, allocated once: lines point into it. */
	o.e = iw_calloc(doc->nrecords * 2 + 1, sizeof(*o.e));
	services_header(out, snap, doc);
	for (i = 0; i < doc->nrecords; i++) {
		const registry_record *r = &doc->records[i];
		if (!r->f[REG_NAME] || r->port == REGISTRY_NO_PORT)
			continue;
		if (r->f[REG_PROTOCOL])
			rc = services_add(&o, r, r->f[REG_PROTOCOL]);
		else if (!(rc = services_add(&o, r, "tcp")))
			rc = services_add(&o, r, "udp");
		if (rc)
			goto out;
	}
	if (o.n)
		qsort(o.v, o.n, sizeof(*o.v), services_cmp);
	for (i = 0; i < o.n; i++) {
		const services_line *x = &o.v[i], *prev = i ? &o.v[i - 1] : NULL;
		if (prev && prev->port == x->port && !strcmp(prev->e->proto, x->e->proto) &&
		    !strcasecmp(prev->e->name, x->e->name))
			continue;
		iw_buf_reset(&where);
		iw_buf_printf(&where, "%d/%s", (int)x->port, x->e->proto);
		if ((rc = iw_buf_error(&where)))
			goto out;
		if (x->e->registry_name)
			iw_buf_printf(out, "%-16s %-10s # registry name \"%s\"%s%s\n", x->e->name,
			              where.data, x->e->registry_name, x->e->desc ? ": " : "",
			              x->e->desc ? x->e->desc : "");
		else if (x->e->desc)
			iw_buf_printf(out, "%-16s %-10s # %s\n", x->e->name, where.data, x->e->desc);
		else
			iw_buf_printf(out, "%-16s %s\n", x->e->name, where.data);
	}
	rc = iw_buf_error(out);
out:
	for (i = 0; i < o.ne; i++) {
		free(o.e[i].name);
		free(o.e[i].proto);
	}
	free(o.e);
	free(o.v);
	iw_buf_free(&where);
	return rc;
}
