/* parse.c: a streaming, validating parser of service-names-port-numbers.xml (libxml2 SAX2). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>

#include "common/common.h"
#include "registry/registry.h"
#include "common/banned.h"

#define IANA_NS "http://www.iana.org/assignments"
#define IANA_ID "service-names-port-numbers"
#define PARSE_CHUNK (256 * 1024)

/* What the text being collected belongs to. */
typedef enum {
	T_NONE = 0,
	T_UPDATED,       /* the registry's date */
	T_FIELD,         /* a record field; p->field says which */
	T_NUMBER,
	T_XREF_TEXT,     /* <xref type="text"> directly in a record: a reference */
	T_PERSON_FIELD,
} parse_target;

typedef struct parser {
	xmlParserCtxtPtr ctxt;
	const xmlChar **attrs; /* of the element being started: SAX2's 5-tuples */
	int nattrs;
	int depth;             /* of the current element; the root is 0 */
	const char *name;
	registry_doc *doc;
	int rc;

	iw_buf text;           /* raw text of the element being collected */
	parse_target target;
	int target_depth;
	int field;             /* registry_field or registry_person_field */

	registry_record *rec;  /* the record being read, or NULL */
	iw_buf lists[REG_NFIELDS]; /* list and notes accumulators of the current record */
	int in_assignee;
	int assignee_depth;
	registry_person *person;
	iw_buf uri;            /* <uri> values of the current person */
	int in_people;
	int updated_seen;
	const unsigned char *data;
	size_t len;
} parser;

static int parse_line(parser *p)
{
	return p->ctxt ? xmlSAX2GetLineNumber(p->ctxt) : 0;
}

/* Error messages are one line: values quoted from the document (an attribute with &#10;) and
 * libxml2's own messages ("...indicate encoding !\nBytes: ...") may hold line breaks. */
static void parse_one_line(char *msg)
{
	for (; *msg; msg++)
		if (*msg == '\n' || *msg == '\r' || *msg == '\t')
			*msg = ' ';
}

static int parse_fail(parser *p, int code, const char *fmt, ...) IW_PRINTF(3, 4);
static int parse_fail(parser *p, int code, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	if (p->rc)
		return p->rc;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	parse_one_line(msg);
	p->rc = iw_error_set(code, "%s:%d: %s", p->name, parse_line(p), msg);
	if (p->ctxt)
		xmlStopParser(p->ctxt);
	return p->rc;
}

/* The number of the document's last line: an error there means the document was cut short. */
static int parse_last_line(const parser *p)
{
	const unsigned char *q = p->data, *end = p->data + p->len;
	int line = 1;
	while (q < end && (q = memchr(q, '\n', (size_t)(end - q)))) {
		if (++q < end)
			line++;
	}
	return line;
}

/* Keeps the first error libxml2 reports: it names the real cause. Returns 1 when kept. */
static int parse_xml_keep(parser *p, xmlErrorPtr err)
{
	char msg[400];
	size_t n;
	int truncated, line;
	if (!err || err->level < XML_ERR_ERROR || p->rc)
		return 0;
	snprintf(msg, sizeof(msg), "%s", err->message ? err->message : "");
	parse_one_line(msg);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == ' ')
		n--;
	/* Errors raised outside the parser (encoding conversion) carry no line. */
	line = err->line > 0 ? err->line : parse_line(p);
	/* libxml2 calls a tag (in practice an attribute value) over its 10,000,000-byte lookup
	 * limit an internal error; it is the document's fault, so say what was too large. */
	if (err->code == XML_ERR_INTERNAL_ERROR && strstr(msg, "Huge input lookup")) {
		p->rc = iw_error_set(IW_EPARSE, "%s:%d: tag or attribute value too large (over "
		                     "libxml2's limit of 10000000 bytes)", p->name, line);
		return 1;
	}
	truncated = line >= parse_last_line(p);
	p->rc = iw_error_set(IW_EPARSE, "%s:%d: %s: %.*s", p->name, line,
	                     truncated ? "truncated or malformed XML" : "malformed XML", (int)n, msg);
	return 1;
}

/* The parser's own (well-formedness) errors: the first one stops it. */
static void parse_xml_error(void *arg, xmlErrorPtr err)
{
	parser *p = arg;
	if (parse_xml_keep(p, err) && p->ctxt)
		xmlStopParser(p->ctxt);
}

/* Errors raised without the parser's context, in the middle of its work (switching encodings):
 * stopping it there crashes libxml2 2.9, so only record them; every callback and the chunk
 * loop then ignore the rest. */
static void parse_xml_global_error(void *arg, xmlErrorPtr err)
{
	parse_xml_keep(arg, err);
}

/* Copies s[0..n) into out (room for n + 1 bytes) with runs of XML whitespace collapsed to
 * one space and trimmed; returns the length written before the NUL. */
static size_t parse_collapse(const char *s, size_t n, char *out)
{
	size_t i, o = 0;
	int space = 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = 1;
			continue;
		}
		if (space && o > 0)
			out[o++] = ' ';
		space = 0;
		out[o++] = c;
	}
	out[o] = '\0';
	return o;
}

/* s normalised (parse_collapse()) straight into the doc's arena; NULL when nothing is left. */
static const char *parse_normalise(registry_doc *doc, const char *s, size_t n)
{
	char *out = registry_doc_reserve(doc, n + 1);
	size_t o = parse_collapse(s, n, out);
	registry_doc_commit(doc, o ? o + 1 : 0);
	return o ? out : NULL;
}

static int parse_add_text(parser *p, const char *s)
{
	if (!s)
		return IW_OK;
	if (iw_buf_adds(&p->text, s))
		return parse_fail(p, IW_EPARSE, "text longer than %u bytes", REGISTRY_MAX_FIELD);
	return IW_OK;
}

/* The value of an attribute (without namespace) of the element being started, copied into tmp. */
static const char *parse_attr(parser *p, const char *name, char *tmp, size_t tmpsize)
{
	int i;
	/* Once the parse failed, xmlStopParser() has freed the input the attributes point into
	 * (found by fuzzing: a second attribute read after a first one was refused). */
	if (p->rc)
		return NULL;
	for (i = 0; i < p->nattrs; i++) {
		const xmlChar **a = p->attrs + 5 * i;
		if (!a[2] && !strcmp((const char *)a[0], name)) {
			size_t n = (size_t)(a[4] - a[3]);
			/* Cutting a value short would store a record that is not the document's. */
			if (n >= tmpsize) {
				parse_fail(p, IW_EPARSE, "attribute %s is longer than %zu bytes", name,
				           tmpsize - 1);
				return NULL;
			}
			/* Normalised like text (found by fuzzing: type="&#10;person" was a reference
			 * " person:..." rather than a contact). */
			parse_collapse((const char *)a[3], n, tmp);
			return tmp;
		}
	}
	return NULL;
}

/* Appends item to a '\n'-separated list (or a ' '-separated one for notes and uris). */
static int parse_list_add(parser *p, iw_buf *b, const char *item, char sep)
{
	if (!item)
		return IW_OK;
	if ((b->len && iw_buf_addc(b, sep)) || iw_buf_adds(b, item))
		return parse_fail(p, IW_EPARSE, "list longer than %u bytes", REGISTRY_MAX_FIELD);
	return IW_OK;
}

static int parse_number(parser *p, const char *s, registry_record *rec)
{
	if (!s)
		return parse_fail(p, IW_EPARSE, "empty <number>");
	switch (registry_port_parse(s, strlen(s), &rec->port, &rec->port_end)) {
	case REGISTRY_PORT_OK:
		return IW_OK;
	case REGISTRY_PORT_REVERSED:
		return parse_fail(p, IW_EPARSE, "port range '%s' is reversed", s);
	default:
		return parse_fail(p, IW_EPARSE, "port number '%s' is not 0-%d or a range N-M", s,
		                  REGISTRY_PORT_MAX);
	}
}

static void parse_begin_text(parser *p, parse_target t, int field, int depth)
{
	p->target = t;
	p->field = field;
	p->target_depth = depth;
	iw_buf_reset(&p->text);
}

/* The element whose text was being collected ends: store the normalised value. */
static int parse_end_text(parser *p)
{
	const char *v = parse_normalise(p->doc, p->text.data ? p->text.data : "", p->text.len);
	char ref[REGISTRY_MAX_FIELD + 8];
	parse_target t = p->target;
	p->target = T_NONE;
	switch (t) {
	case T_UPDATED:
		if (!v || !iw_date_valid(v))
			return parse_fail(p, IW_EPARSE, "registry <updated> '%s' is not a date YYYY-MM-DD",
			                  v ? v : "");
		free(p->doc->updated);
		p->doc->updated = iw_strdup(v);
		p->updated_seen = 1;
		return IW_OK;
	case T_NUMBER:
		return parse_number(p, v, p->rec);
	case T_FIELD:
		if (p->field == REG_NOTES)
			return parse_list_add(p, &p->lists[REG_NOTES], v, ' ');
		if (p->field == REG_PROTOCOL && v) {
			char *lc = (char *)v;
			for (; *lc; lc++)
				*lc = (char)tolower((unsigned char)*lc);
		}
		p->rec->f[p->field] = v;
		return IW_OK;
	case T_XREF_TEXT:
		if (!v)
			return IW_OK;
		snprintf(ref, sizeof(ref), "text:%s", v);
		return parse_list_add(p, &p->lists[REG_REFERENCES], ref, '\n');
	case T_PERSON_FIELD:
		if (p->field == PERSON_URI)
			return parse_list_add(p, &p->uri, v, ' ');
		p->person->f[p->field] = v;
		return IW_OK;
	case T_NONE:
		break;
	}
	return IW_OK;
}

static int parse_begin_record(parser *p)
{
	char tmp[256];
	int i;
	if (p->doc->nrecords >= REGISTRY_MAX_RECORDS)
		return parse_fail(p, IW_EPARSE, "more than %u records", REGISTRY_MAX_RECORDS);
	p->rec = registry_doc_add_record(p->doc);
	p->rec->line = (uint32_t)parse_line(p);
	if (parse_attr(p, "date", tmp, sizeof(tmp)))
		p->rec->f[REG_REGISTRATION_DATE] = parse_normalise(p->doc, tmp, strlen(tmp));
	if (parse_attr(p, "updated", tmp, sizeof(tmp)))
		p->rec->f[REG_MODIFICATION_DATE] = parse_normalise(p->doc, tmp, strlen(tmp));
	for (i = 0; i < REG_NFIELDS; i++)
		iw_buf_reset(&p->lists[i]);
	return IW_OK;
}

static void parse_end_record(parser *p)
{
	static const registry_field lists[] = {REG_ASSIGNEE, REG_CONTACT, REG_REFERENCES, REG_NOTES};
	size_t i;
	for (i = 0; i < sizeof(lists) / sizeof(*lists); i++) {
		iw_buf *b = &p->lists[lists[i]];
		p->rec->f[lists[i]] = b->len ? registry_doc_strndup(p->doc, b->data, b->len) : NULL;
	}
	p->rec = NULL;
	p->in_assignee = 0;
}

/* An <xref> that is a direct child of <record>: a contact or a reference. */
static int parse_record_xref(parser *p, int depth, int empty)
{
	char type[64], data[2048], ref[2200];
	const char *t = parse_attr(p, "type", type, sizeof(type));
	const char *d = parse_attr(p, "data", data, sizeof(data));
	const char *nd = d ? parse_normalise(p->doc, d, strlen(d)) : NULL;
	if (t && !strcmp(t, "person"))
		return parse_list_add(p, &p->lists[REG_CONTACT], nd, '\n');
	if (t && !strcmp(t, "text")) {
		if (!empty)
			parse_begin_text(p, T_XREF_TEXT, 0, depth);
		return IW_OK;
	}
	if (!nd)
		return IW_OK;
	snprintf(ref, sizeof(ref), "%s:%s", t ? t : "", nd);
	return parse_list_add(p, &p->lists[REG_REFERENCES], ref, '\n');
}

static int parse_record_child(parser *p, const char *el, int depth, int empty)
{
	static const struct { const char *el; int field; } fields[] = {
		{"name", REG_NAME}, {"protocol", REG_PROTOCOL}, {"description", REG_DESCRIPTION},
		{"note", REG_NOTES}, {"unauthorized", REG_UNAUTHORIZED}, {"sc", REG_SERVICE_CODE},
	};
	size_t i;
	if (!strcmp(el, "xref"))
		return parse_record_xref(p, depth, empty);
	if (!strcmp(el, "assignee")) {
		p->in_assignee = !empty;
		p->assignee_depth = depth;
		return IW_OK;
	}
	if (!strcmp(el, "number")) {
		if (p->rec->port != REGISTRY_NO_PORT)
			return parse_fail(p, IW_EPARSE, "record has two <number> elements");
		parse_begin_text(p, T_NUMBER, 0, depth);
		return empty ? parse_end_text(p) : IW_OK;
	}
	for (i = 0; i < sizeof(fields) / sizeof(*fields); i++) {
		if (strcmp(el, fields[i].el))
			continue;
		if (fields[i].field != REG_NOTES && p->rec->f[fields[i].field])
			return parse_fail(p, IW_EPARSE, "record has two <%s> elements", el);
		parse_begin_text(p, T_FIELD, fields[i].field, depth);
		return empty ? parse_end_text(p) : IW_OK;
	}
	return IW_OK; /* unknown elements carry nothing the model knows */
}

static int parse_person_child(parser *p, const char *el, int depth, int empty)
{
	int i;
	for (i = 0; i < PERSON_NFIELDS; i++) {
		if (strcmp(el, registry_person_field_names[i]))
			continue;
		parse_begin_text(p, T_PERSON_FIELD, i, depth);
		return empty ? parse_end_text(p) : IW_OK;
	}
	return IW_OK;
}

static int parse_root(parser *p, const char *local, const char *ns)
{
	char id[128];
	if (strcmp(local, "registry"))
		return parse_fail(p, IW_EPARSE, "root element is <%s>, not IANA's <registry>", local);
	if (!ns || strcmp(ns, IANA_NS))
		return parse_fail(p, IW_EPARSE, "root <registry> is not in the %s namespace", IANA_NS);
	if (!parse_attr(p, "id", id, sizeof(id)) || strcmp(id, IANA_ID))
		return parse_fail(p, IW_EPARSE, "registry id is '%s', not '%s'",
		                  parse_attr(p, "id", id, sizeof(id)) ? id : "", IANA_ID);
	return IW_OK;
}

/* SAX2 reports an empty element's end too, so `empty` is always 0: the end handler finishes. */
static int parse_element(parser *p, const char *el, const char *ns, int depth, int empty)
{
	if (depth == 0)
		return parse_root(p, el, ns);
	if (p->target != T_NONE) {
		/* Nested markup inside collected text: an <xref> stands for its data. */
		if (!strcmp(el, "xref")) {
			char type[64], data[2048];
			const char *t = parse_attr(p, "type", type, sizeof(type));
			if (!(t && !strcmp(t, "text")) && parse_attr(p, "data", data, sizeof(data)))
				return parse_add_text(p, data);
		}
		return IW_OK;
	}
	if (depth == 1) {
		if (!strcmp(el, "record"))
			return parse_begin_record(p);
		if (!strcmp(el, "people")) {
			p->in_people = !empty;
			return IW_OK;
		}
		if (!strcmp(el, "updated")) {
			parse_begin_text(p, T_UPDATED, 0, depth);
			return empty ? parse_end_text(p) : IW_OK;
		}
		return IW_OK;
	}
	if (p->rec && depth == 2)
		return parse_record_child(p, el, depth, empty);
	if (p->rec && p->in_assignee && depth == p->assignee_depth + 1 && !strcmp(el, "xref")) {
		char type[64], data[2048];
		const char *t = parse_attr(p, "type", type, sizeof(type));
		const char *d = parse_attr(p, "data", data, sizeof(data));
		if (t && !strcmp(t, "person") && d)
			return parse_list_add(p, &p->lists[REG_ASSIGNEE], parse_normalise(p->doc, d, strlen(d)),
			                      '\n');
		return IW_OK;
	}
	if (p->in_people && depth == 2 && !strcmp(el, "person")) {
		char id[512];
		const char *v = parse_attr(p, "id", id, sizeof(id));
		p->person = registry_doc_add_person(p->doc);
		p->person->id = v ? parse_normalise(p->doc, v, strlen(v)) : NULL;
		iw_buf_reset(&p->uri);
		if (empty)
			p->person = NULL;
		return IW_OK;
	}
	if (p->person && depth == 3)
		return parse_person_child(p, el, depth, empty);
	return IW_OK;
}

static int parse_end_element(parser *p, int depth)
{
	if (p->target != T_NONE && depth == p->target_depth)
		return parse_end_text(p);
	if (p->rec && depth == 1) {
		parse_end_record(p);
		return IW_OK;
	}
	if (p->in_assignee && depth == p->assignee_depth) {
		p->in_assignee = 0;
		return IW_OK;
	}
	if (p->person && depth == 2) {
		p->person->f[PERSON_URI] =
			p->uri.len ? registry_doc_strndup(p->doc, p->uri.data, p->uri.len) : NULL;
		if (!p->person->id)
			p->doc->npeople--; /* a person without id cannot be referenced */
		p->person = NULL;
		return IW_OK;
	}
	if (p->in_people && depth == 1)
		p->in_people = 0;
	return IW_OK;
}

static const unsigned char *parse_find(const unsigned char *h, size_t n, const char *needle)
{
	size_t m = strlen(needle), i;
	for (i = 0; i + m <= n; i++)
		if (h[i] == (unsigned char)needle[0] && !memcmp(h + i, needle, m))
			return h + i;
	return NULL;
}

/* Refuses a DOCTYPE before libxml2 sees it: the registry has none, and a DTD is where entity
 * bombs and external entities live. */
static int parse_check_prolog(parser *p, const unsigned char *data, size_t len)
{
	size_t i = 0;
	if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
		i = 3;
	while (i < len) {
		if (isspace(data[i])) {
			i++;
			continue;
		}
		if (data[i] != '<')
			break;
		if (i + 1 < len && data[i + 1] == '?') {
			const unsigned char *e = parse_find(data + i, len - i, "?>");
			if (!e)
				break;
			i = (size_t)(e - data) + 2;
			continue;
		}
		if (i + 3 < len && !memcmp(data + i, "<!--", 4)) {
			const unsigned char *e = parse_find(data + i + 4, len - i - 4, "-->");
			if (!e)
				break;
			i = (size_t)(e - data) + 3;
			continue;
		}
		if (len - i >= 14 && (!strncasecmp((const char *)data + i, "<!DOCTYPE html", 14) ||
		                      !strncasecmp((const char *)data + i, "<html", 5)))
			return iw_error_set(IW_EPARSE, "%s: an HTML page, not the registry's XML (an error "
			                    "page served in its place?)", p->name);
		if (len - i >= 9 && !memcmp(data + i, "<!DOCTYPE", 9))
			return iw_error_set(IW_EPARSE, "%s: a DOCTYPE is not allowed in the registry "
			                    "(DTDs and entities are refused)", p->name);
		break;
	}
	/* Text where the first tag should be (a plain text file, a services file): libxml2 would
	 * say "Document is empty". Bytes outside printable ASCII may start another encoding
	 * (UTF-16, UTF-32: libxml2 detects them), so only printable ASCII is judged here. */
	if (i == len)
		return iw_error_set(IW_EPARSE, "%s: not XML: no element, only white space%s", p->name,
		                    i > 0 && memchr(data, '<', len) ? " and comments or declarations" : "");
	if (data[i] != '<' && data[i] >= 0x21 && data[i] <= 0x7E) {
		int line = 1;
		size_t k;
		for (k = 0; k < i; k++)
			line += data[k] == '\n';
		return iw_error_set(IW_EPARSE, "%s:%d: not XML: text where the document should start "
		                    "with a tag ('<')", p->name, line);
	}
	return IW_OK;
}

static void sax_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                      int nns, const xmlChar **ns, int nattrs, int ndefaulted, const xmlChar **attrs)
{
	parser *p = ctx;
	(void)prefix;
	(void)nns;
	(void)ns;
	(void)ndefaulted;
	if (p->rc)
		return;
	p->depth++;
	p->attrs = attrs;
	p->nattrs = nattrs;
	parse_element(p, (const char *)local, (const char *)uri, p->depth, 0);
	p->attrs = NULL;
	p->nattrs = 0;
}

static void sax_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	parser *p = ctx;
	(void)local;
	(void)prefix;
	(void)uri;
	if (p->rc)
		return;
	parse_end_element(p, p->depth);
	p->depth--;
}

static void sax_text(void *ctx, const xmlChar *text, int len)
{
	parser *p = ctx;
	if (p->rc || p->target == T_NONE)
		return;
	if (iw_buf_add(&p->text, text, (size_t)len))
		parse_fail(p, IW_EPARSE, "text longer than %u bytes", REGISTRY_MAX_FIELD);
}

/* Backstops for the prolog check: a DTD or an entity must never be acted on. */
static void sax_dtd(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
	(void)name;
	(void)eid;
	(void)sid;
	parse_fail(ctx, IW_EPARSE, "a DOCTYPE is not allowed in the registry");
}

static void sax_entity(void *ctx, const xmlChar *name, int type, const xmlChar *pid,
                       const xmlChar *sid, xmlChar *content)
{
	(void)type;
	(void)pid;
	(void)sid;
	(void)content;
	parse_fail(ctx, IW_EPARSE, "entity declaration '%s' is not allowed", (const char *)name);
}

int registry_parse(const unsigned char *data, size_t len, const char *name, registry_doc **out)
{
	parser p;
	xmlSAXHandler sax;
	xmlStructuredErrorFunc saved_error;
	void *saved_error_ctx;
	int ret, i, xml_rc = 0;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.name = name ? name : "<document>";
	p.depth = -1;
	if (len == 0)
		return iw_error_set(IW_EPARSE, "%s: empty document", p.name);
	if (len > REGISTRY_MAX_DOC_SIZE)
		return iw_error_set(IW_EPARSE, "%s: document of %zu bytes exceeds the cap of %u bytes",
		                    p.name, len, REGISTRY_MAX_DOC_SIZE);
	if ((ret = parse_check_prolog(&p, data, len)))
		return ret;
	p.data = data;
	p.len = len;

	p.doc = registry_doc_new();
	/* Real records take ~265 bytes of XML each: reserve once instead of growing by copies. */
	p.doc->records_alloc = len / 200 + 16;
	p.doc->records = iw_malloc(p.doc->records_alloc * sizeof(*p.doc->records));
	iw_buf_init(&p.text, REGISTRY_MAX_FIELD);
	iw_buf_init(&p.uri, REGISTRY_MAX_FIELD);
	for (i = 0; i < REG_NFIELDS; i++)
		iw_buf_init(&p.lists[i], REGISTRY_MAX_FIELD);

	xmlInitParser(); /* once per process; later calls return at once */
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = sax_start;
	sax.endElementNs = sax_end;
	sax.characters = sax_text;
	sax.ignorableWhitespace = sax_text;
	sax.cdataBlock = sax_text;
	sax.internalSubset = sax_dtd;
	sax.externalSubset = sax_dtd;
	sax.entityDecl = sax_entity;
	sax.serror = parse_xml_error;
	/* Errors libxml2 raises without the parser's context (a byte invalid in the declared
	 * encoding) go to the global handler, which prints them and lets the parse go on with the
	 * text cut short: route them to this parse, which they fail. */
	saved_error = xmlStructuredError;
	saved_error_ctx = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(&p, parse_xml_global_error);
	/* The push parser reads the document in chunks instead of copying it whole. */
	p.ctxt = xmlCreatePushParserCtxt(&sax, &p, NULL, 0, NULL);
	if (!p.ctxt) {
		p.rc = iw_error_set(IW_EPARSE, "%s: cannot start the XML parser", p.name);
		goto out;
	}
	/* No NOENT (entities stay unexpanded), no DTDLOAD/DTDATTR, no network, no HUGE limits. */
	xmlCtxtUseOptions(p.ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA);
	for (size_t off = 0; off < len && !p.rc && !xml_rc;) {
		size_t n = len - off < PARSE_CHUNK ? len - off : PARSE_CHUNK;
		xml_rc = xmlParseChunk(p.ctxt, (const char *)data + off, (int)n, 0);
		off += n;
	}
	if (!p.rc && !xml_rc)
		xml_rc = xmlParseChunk(p.ctxt, NULL, 0, 1);
	if (p.rc)
		goto out;
	if (xml_rc) {
		/* Whatever stopped libxml2 without reporting it, the document is not whole. */
		p.rc = iw_error_set(IW_EPARSE, "%s:%d: malformed XML (libxml2 error %d)", p.name,
		                    parse_line(&p), xml_rc);
		goto out;
	}
	if (!p.ctxt->wellFormed) {
		p.rc = iw_error_set(IW_EPARSE, "%s:%d: malformed XML", p.name, parse_line(&p));
		goto out;
	}
	if (!p.updated_seen) {
		p.rc = iw_error_set(IW_EPARSE, "%s: the registry has no <updated> date", p.name);
		goto out;
	}
	registry_doc_number_occurrences(p.doc);
	*out = p.doc;
	p.doc = NULL;
out:
	if (p.ctxt) {
		xmlFreeDoc(p.ctxt->myDoc);
		xmlFreeParserCtxt(p.ctxt);
	}
	xmlSetStructuredErrorFunc(saved_error_ctx, saved_error);
	registry_doc_free(p.doc);
	iw_buf_free(&p.text);
	iw_buf_free(&p.uri);
	for (i = 0; i < REG_NFIELDS; i++)
		iw_buf_free(&p.lists[i]);
	return p.rc;
}

const char *registry_library_version(void)
{
	static char text[32];
	if (!text[0]) {
		/* xmlParserVersion is "20914" for 2.9.14: the version run, not the one built with. */
		long v = strtol(xmlParserVersion, NULL, 10);
		snprintf(text, sizeof(text), "libxml2 %ld.%ld.%ld", v / 10000, v / 100 % 100, v % 100);
	}
	return text;
}
