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
	int rc;
	if (!s || !len)
		return IW_OK;
	for (i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			break;
	if (i == len)
		return iw_buf_add(out, s, len);
	if ((rc = iw_buf_addc(out, '"')))
		return rc;
	/* Copy runs up to and including each quote, then double it. */
	for (start = 0, i = 0; i < len; i++) {
		if (s[i] != '"')
			continue;
		if ((rc = iw_buf_add(out, s + start, i + 1 - start)) || (rc = iw_buf_addc(out, '"')))
			return rc;
		start = i + 1;
	}
	if ((rc = iw_buf_add(out, s + start, len - start)))
		return rc;
	return iw_buf_addc(out, '"');
}

/* A '\n'-separated list (registry.h) in IANA's bracket notation: "[a][b]". References are
 * "type:data": an RFC is written as IANA does ("[RFC6335]"), free text as it is, anything
 * else (draft, uri, note) as its data in brackets. */
static int csv_list(iw_buf *f, const char *list, int references)
{
	const char *p = list;
	int rc = IW_OK;
	while (!rc && p && *p) {
		const char *nl = strchr(p, '\n'), *colon;
		size_t len = nl ? (size_t)(nl - p) : strlen(p), i;
		colon = references ? memchr(p, ':', len) : NULL;
		if (colon && colon - p == 4 && !memcmp(p, "text", 4)) {
			rc = iw_buf_add(f, colon + 1, len - 5);
		} else if (colon) {
			int rfc = colon - p == 3 && !memcmp(p, "rfc", 3);
			rc = iw_buf_addc(f, '[');
			for (i = (size_t)(colon + 1 - p); !rc && i < len; i++)
				rc = iw_buf_addc(f, rfc && p[i] >= 'a' && p[i] <= 'z' ? (char)(p[i] - 'a' + 'A')
				                                                      : p[i]);
			if (!rc)
				rc = iw_buf_addc(f, ']');
		} else {
			if (!(rc = iw_buf_addc(f, '[')) && !(rc = iw_buf_add(f, p, len)))
				rc = iw_buf_addc(f, ']');
		}
		p = nl ? nl + 1 : NULL;
	}
	return rc;
}

static int csv_put(iw_buf *out, iw_buf *f, int last)
{
	int rc = export_csv_field(out, f->data, f->len);
	iw_buf_reset(f);
	if (rc)
		return rc;
	return iw_buf_adds(out, last ? "\r\n" : ",");
}

static int csv_text(iw_buf *out, iw_buf *f, const char *s, int last)
{
	int rc = s ? iw_buf_adds(f, s) : IW_OK;
	return rc ? rc : csv_put(out, f, last);
}

static int csv_row(iw_buf *out, iw_buf *f, const registry_record *r)
{
	int rc;
	if ((rc = csv_text(out, f, r->f[REG_NAME], 0)))
		return rc;
	if (r->port != REGISTRY_NO_PORT)
		rc = r->port_end != r->port ? iw_buf_printf(f, "%d-%d", (int)r->port, (int)r->port_end)
		                            : iw_buf_printf(f, "%d", (int)r->port);
	if (rc || (rc = csv_put(out, f, 0)) ||
	    (rc = csv_text(out, f, r->f[REG_PROTOCOL], 0)) ||
	    (rc = csv_text(out, f, r->f[REG_DESCRIPTION], 0)) ||
	    (rc = csv_list(f, r->f[REG_ASSIGNEE], 0)) || (rc = csv_put(out, f, 0)) ||
	    (rc = csv_list(f, r->f[REG_CONTACT], 0)) || (rc = csv_put(out, f, 0)) ||
	    (rc = csv_text(out, f, r->f[REG_REGISTRATION_DATE], 0)) ||
	    (rc = csv_text(out, f, r->f[REG_MODIFICATION_DATE], 0)) ||
	    (rc = csv_list(f, r->f[REG_REFERENCES], 1)) || (rc = csv_put(out, f, 0)) ||
	    (rc = csv_text(out, f, r->f[REG_SERVICE_CODE], 0)) ||
	    (rc = csv_text(out, f, r->f[REG_UNAUTHORIZED], 0)))
		return rc;
	return csv_text(out, f, r->f[REG_NOTES], 1);
}

int export_csv(iw_buf *out, const registry_doc *doc)
{
	/* One field at a time: a field never exceeds the parser's cap by much (lists join
	 * several capped values), so this bounds it without limiting real documents. */
	iw_buf f = IW_BUF_INIT(64u * REGISTRY_MAX_FIELD);
	size_t i;
	int rc = iw_buf_adds(out, csv_header);
	for (i = 0; !rc && i < doc->nrecords; i++)
		rc = csv_row(out, &f, &doc->records[i]);
	iw_buf_free(&f);
	return rc;
}
