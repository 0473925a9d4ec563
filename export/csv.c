/* csv.c: the registry at one snapshot in the columns of IANA's own CSV, quoted per RFC 4180. */
#include <string.h>

#include "common/common.h"
#include "export/export.h"
#include "common/banned.h"

static const char csv_header[] =
	"Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,"
	"Registration Date,Modification Date,Reference,Service Code,Unauthorized Use Reported,"
	"Assignment Notes\r\n";

int export_csv_field(iw_buf *out, const char *s, size_t len)
{
	size_t i, start;
	if (!s || !len)
		return iw_buf_error(out);
	for (i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			break;
	if (i == len)
		return iw_buf_add(out, s, len);
	iw_buf_addc(out, '"');
	/* Copy runs up to and including each quote, then double it. */
	for (start = 0, i = 0; i < len; i++) {
		if (s[i] != '"')
			continue;
		iw_buf_add(out, s + start, i + 1 - start);
		iw_buf_addc(out, '"');
		start = i + 1;
	}
	iw_buf_add(out, s + start, len - start);
	iw_buf_addc(out, '"');
	return iw_buf_error(out);
}

/* A '\n'-separated list (registry.h) in IANA's bracket notation: "[a][b]". References are
 * "type:data": an RFC is written as IANA does ("[RFC6335]"), free text as it is, anything
 * else (draft, uri, note) as its data in brackets. */
static void csv_list(iw_buf *f, const char *list, int references)
{
	const char *p = list;
	while (p && *p) {
		const char *nl = strchr(p, '\n'), *colon;
		size_t len = nl ? (size_t)(nl - p) : strlen(p), i;
		colon = references ? memchr(p, ':', len) : NULL;
		if (colon && colon - p == 4 && !memcmp(p, "text", 4)) {
			iw_buf_add(f, colon + 1, len - 5);
		} else if (colon) {
			int rfc = colon - p == 3 && !memcmp(p, "rfc", 3);
			iw_buf_addc(f, '[');
			for (i = (size_t)(colon + 1 - p); i < len; i++)
				iw_buf_addc(f, rfc && p[i] >= 'a' && p[i] <= 'z' ? (char)(p[i] - 'a' + 'A')
				                                                 : p[i]);
			iw_buf_addc(f, ']');
		} else {
			iw_buf_addc(f, '[');
			iw_buf_add(f, p, len);
			iw_buf_addc(f, ']');
		}
		p = nl ? nl + 1 : NULL;
	}
}

/* Writes the field gathered in f and its separator; f's error stays for export_csv(). */
static void csv_put(iw_buf *out, iw_buf *f, int last)
{
	export_csv_field(out, f->data, f->len);
	iw_buf_reset(f);
	iw_buf_adds(out, last ? "\r\n" : ",");
}

static void csv_text(iw_buf *out, iw_buf *f, const char *s, int last)
{
	if (s)
		iw_buf_adds(f, s);
	csv_put(out, f, last);
}

static void csv_row(iw_buf *out, iw_buf *f, const registry_record *r)
{
	csv_text(out, f, r->f[REG_NAME], 0);
	if (r->port != REGISTRY_NO_PORT && r->port_end != r->port)
		iw_buf_printf(f, "%d-%d", (int)r->port, (int)r->port_end);
	else if (r->port != REGISTRY_NO_PORT)
		iw_buf_printf(f, "%d", (int)r->port);
	csv_put(out, f, 0);
	csv_text(out, f, r->f[REG_PROTOCOL], 0);
	csv_text(out, f, r->f[REG_DESCRIPTION], 0);
	csv_list(f, r->f[REG_ASSIGNEE], 0);
	csv_put(out, f, 0);
	csv_list(f, r->f[REG_CONTACT], 0);
	csv_put(out, f, 0);
	csv_text(out, f, r->f[REG_REGISTRATION_DATE], 0);
	csv_text(out, f, r->f[REG_MODIFICATION_DATE], 0);
	csv_list(f, r->f[REG_REFERENCES], 1);
	csv_put(out, f, 0);
	csv_text(out, f, r->f[REG_SERVICE_CODE], 0);
	csv_text(out, f, r->f[REG_UNAUTHORIZED], 0);
	csv_text(out, f, r->f[REG_NOTES], 1);
}

int export_csv(iw_buf *out, const registry_doc *doc)
{
	/* One field at a time: a field never exceeds the parser's cap by much (lists join
	 * several capped values), so this bounds it without limiting real documents. */
	iw_buf f = IW_BUF_INIT(64u * REGISTRY_MAX_FIELD);
	size_t i;
	int rc;
	iw_buf_adds(out, csv_header);
	for (i = 0; i < doc->nrecords && !iw_buf_error(out) && !iw_buf_error(&f); i++)
		csv_row(out, &f, &doc->records[i]);
	/* A field over its cap was written short: the field buffer's error says so. */
	rc = iw_buf_error(&f) ? iw_buf_error(&f) : iw_buf_error(out);
	iw_buf_free(&f);
	return rc;
}
