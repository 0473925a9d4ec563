/* site_html.c: the site's HTML: escaping, the page frame, a change set through the engine. */
#include <string.h>

#include "common/common.h"
#include "changes_render.h"
#include "site_int.h"
#include "common/banned.h"

/*
 * The changelog engine (changes_render.c) decides what a change set says; this file only
 * dresses its lines as tables. Its HTML style writes registry text escaped and marks the
 * structure with control characters, which escaped text never contains (XML cannot carry
 * them, and report_html_escape() replaces them):
 *   SITE_GROUP title \n                     a group heading, "De-assigned (4)"
 *   SITE_ITEM SITE_STRONG subject SITE_END_STRONG rest \n     one change
 *   SITE_SUB field ": " before " -> " after \n                a modified field under it
 * Escaped text never holds '>' either, so a literal " -> " is always the engine's arrow.
 */
#define SITE_GROUP '\x01'
#define SITE_ITEM '\x02'
#define SITE_SUB '\x03'
#define SITE_STRONG '\x04'
#define SITE_END_STRONG '\x05'

const char *const report_kind_titles[DIFF_NKINDS] = {
	"Assigned", "De-assigned", "Added", "Removed", "Modified", "Status",
};

static const char *const site_count_words[DIFF_NKINDS] = {
	"assigned", "de-assigned", "added", "removed", "modified", "status",
};

int report_html_escape(iw_buf *out, const char *s, size_t len)
{
	size_t i, run = 0;
	int rc = 0;
	for (i = 0; i < len && !rc; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *ent;
		switch (c) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default:
			/* Control characters other than tab and newlines make a page ill-formed XML. */
			if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
				continue;
			ent = "\xEF\xBF\xBD";
			break;
		}
		if ((rc = iw_buf_add(out, s + run, i - run)) == 0)
			rc = iw_buf_adds(out, ent);
		run = i + 1;
	}
	if (!rc)
		rc = iw_buf_add(out, s + run, len - run);
	return rc;
}

static int site_html_text(iw_buf *out, const char *s, size_t len)
{
	return report_html_escape(out, s, len);
}

/* The page says the dates and counts itself: the engine's headline is not needed. */
static int site_html_headline(iw_buf *out, const char *title, const char *counts)
{
	(void)out;
	(void)title;
	(void)counts;
	return IW_OK;
}

static int site_html_group(iw_buf *out, const char *title)
{
	int rc = iw_buf_addc(out, SITE_GROUP);
	if (!rc)
		rc = iw_buf_adds(out, title);
	return rc ? rc : iw_buf_addc(out, '\n');
}

static const changes_style site_html_style = {
	site_html_text, site_html_headline, site_html_group,
	"\x02", "\x03", "\x04", "\x05",
};

/* One line of the engine's output, split at its marks. Parts point into the line. */
typedef struct site_line {
	char kind;             /* SITE_GROUP, SITE_ITEM, SITE_SUB, or 0 for anything else */
	const char *a, *b, *c; /* group: title; item: subject, rest; sub: field, before, after */
	size_t alen, blen, clen;
} site_line;

static const char *site_find(const char *s, size_t len, const char *what)
{
	size_t n = strlen(what), i;
	for (i = 0; i + n <= len; i++)
		if (!memcmp(s + i, what, n))
			return s + i;
	return NULL;
}

static void site_parse_line(const char *s, size_t len, site_line *l)
{
	const char *p, *end = s + len;
	memset(l, 0, sizeof(*l));
	if (!len)
		return;
	l->kind = s[0];
	s++;
	len--;
	if (l->kind == SITE_GROUP) {
		l->a = s;
		l->alen = len;
	} else if (l->kind == SITE_ITEM) {
		const char *close = memchr(s, SITE_END_STRONG, len);
		if (len && s[0] == SITE_STRONG && close) {
			l->a = s + 1;
			l->alen = (size_t)(close - l->a);
			l->b = close + 1;
		} else {
			l->b = s;
		}
		l->blen = (size_t)(end - l->b);
		/* The engine separates subject and verb with one space. */
		if (l->blen && l->b[0] == ' ') {
			l->b++;
			l->blen--;
		}
	} else if (l->kind == SITE_SUB) {
		p = site_find(s, len, ": ");
		if (!p) {
			l->b = s;
			l->blen = len;
			return;
		}
		l->a = s;
		l->alen = (size_t)(p - s);
		l->b = p + 2;
		p = site_find(l->b, (size_t)(end - l->b), " -> ");
		if (p) {
			l->blen = (size_t)(p - l->b);
			l->c = p + 4;
			l->clen = (size_t)(end - l->c);
		} else {
			l->blen = (size_t)(end - l->b);
		}
	} else {
		l->kind = 0;
		l->b = s - 1;
		l->blen = len + 1;
	}
}

/* Writes already escaped text, showing the engine's " -> " as an arrow. */
static int site_add_arrows(iw_buf *out, const char *s, size_t len)
{
	const char *end = s + len;
	int rc = 0;
	while (!rc && s < end) {
		const char *p = site_find(s, (size_t)(end - s), " -> ");
		if (!p)
			return iw_buf_add(out, s, (size_t)(end - s));
		if ((rc = iw_buf_add(out, s, (size_t)(p - s))) == 0)
			rc = iw_buf_adds(out, " \xE2\x86\x92 ");
		s = p + 4;
	}
	return rc;
}

/* "De-assigned (4)" -> "de-assigned": a fragment id. */
static int site_slug(iw_buf *out, const char *title, size_t len)
{
	size_t i;
	int rc = 0, dash = 0;
	for (i = 0; i < len && !rc && title[i] != '('; i++) {
		char c = title[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash)
				rc = iw_buf_addc(out, '-');
			dash = 0;
			if (!rc)
				rc = iw_buf_addc(out, c);
		} else {
			dash = out->len > 0;
		}
	}
	return rc;
}

int report_html_engine(iw_buf *tmp, const store_snapshot *from, const store_snapshot *to,
                       const diff_result *d)
{
	return report_changes_render(tmp, from, to, d, &site_html_style);
}

/* Steps through the engine's lines. */
static const char *site_next_line(const char *p, const char *end, site_line *l)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	site_parse_line(p, len, l);
	return p + len + (nl ? 1 : 0);
}

/* Closes what is open before the next line: a field table, a change's row, a group. */
static int site_close(iw_buf *out, int *in_fields, int *in_item)
{
	int rc = 0;
	if (*in_fields)
		rc = iw_buf_adds(out, "</tbody></table>");
	if (!rc && *in_item)
		rc = iw_buf_adds(out, "</td></tr>\n");
	*in_fields = *in_item = 0;
	return rc;
}

static int site_body_sub(iw_buf *out, const site_line *l, int *in_fields)
{
	int rc = 0;
	if (!*in_fields)
		rc = iw_buf_adds(out, "\n<table class=\"fields\"><thead><tr>"
		                 "<th scope=\"col\">Field</th><th scope=\"col\">Before</th>"
		                 "<th scope=\"col\">After</th></tr></thead><tbody>\n");
	*in_fields = 1;
	if (!rc)
		rc = iw_buf_adds(out, "<tr><th scope=\"row\">");
	if (!rc)
		rc = iw_buf_add(out, l->a ? l->a : "", l->alen);
	if (!rc)
		rc = iw_buf_adds(out, "</th><td>");
	if (!rc)
		rc = iw_buf_add(out, l->b, l->blen);
	if (!rc)
		rc = iw_buf_adds(out, "</td><td>");
	if (!rc && l->c)
		rc = iw_buf_add(out, l->c, l->clen);
	return rc ? rc : iw_buf_adds(out, "</td></tr>\n");
}

static int site_body_group(iw_buf *out, const site_line *l)
{
	iw_buf slug = IW_BUF_INIT(256);
	const char *col = "Entry";
	int rc;
	if (l->alen >= 6 && !memcmp(l->a, "Status", 6))
		col = "Ports";
	else if (l->alen >= 6 && !memcmp(l->a, "People", 6))
		col = "Person";
	rc = site_slug(&slug, l->a, l->alen);
	if (!rc)
		rc = iw_buf_printf(out, "<section id=\"%s\">\n<h2>", slug.data ? slug.data : "");
	if (!rc)
		rc = iw_buf_add(out, l->a, l->alen);
	if (!rc)
		rc = iw_buf_printf(out, "</h2>\n<div class=\"wrap\"><table class=\"changes\">"
		                   "<thead><tr><th scope=\"col\">%s</th>"
		                   "<th scope=\"col\">Change</th></tr></thead><tbody>\n", col);
	iw_buf_free(&slug);
	return rc;
}

int report_html_body(iw_buf *out, const char *engine, size_t len)
{
	const char *p = engine, *end = engine + len;
	int rc = 0, in_group = 0, in_item = 0, in_fields = 0;
	while (!rc && p < end) {
		site_line l;
		p = site_next_line(p, end, &l);
		if (l.kind == SITE_SUB && in_item) {
			rc = site_body_sub(out, &l, &in_fields);
			continue;
		}
		if ((rc = site_close(out, &in_fields, &in_item)))
			break;
		if (l.kind == SITE_GROUP) {
			if (in_group)
				rc = iw_buf_adds(out, "</tbody></table></div></section>\n");
			if (!rc)
				rc = site_body_group(out, &l);
			in_group = 1;
		} else if (l.kind == SITE_ITEM) {
			rc = iw_buf_adds(out, "<tr><th scope=\"row\">");
			if (!rc && l.a)
				rc = site_add_arrows(out, l.a, l.alen);
			if (!rc)
				rc = iw_buf_adds(out, "</th><td>");
			if (!rc)
				rc = site_add_arrows(out, l.b, l.blen);
			in_item = 1;
		} else if (l.b && l.blen) {
			/* Not expected from the engine: keep the text rather than lose it. */
			rc = iw_buf_adds(out, in_group ? "<tr><td colspan=\"2\">" : "<p>");
			if (!rc)
				rc = iw_buf_add(out, l.b, l.blen);
			if (!rc)
				rc = iw_buf_adds(out, in_group ? "</td></tr>\n" : "</p>\n");
		}
	}
	if (!rc)
		rc = site_close(out, &in_fields, &in_item);
	if (!rc && in_group)
		rc = iw_buf_adds(out, "</tbody></table></div></section>\n");
	return rc;
}

int report_changes_html(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                        const diff_result *d)
{
	iw_buf tmp = IW_BUF_INIT(out->cap);
	int rc = report_html_engine(&tmp, from, to, d);
	if (!rc && tmp.len)
		rc = report_html_body(out, tmp.data, tmp.len);
	iw_buf_free(&tmp);
	return rc;
}

int report_html_headlines(iw_buf *out, const char *engine, size_t len, size_t max)
{
	const char *p = engine, *end = engine + len;
	size_t total = 0;
	int rc = 0, fields = 0;
	while (!rc && p < end) {
		site_line l;
		p = site_next_line(p, end, &l);
		if (l.kind == SITE_SUB) {
			/* A modification names its fields: "modified: description, notes". */
			if (fields) {
				rc = iw_buf_adds(out, fields++ == 1 ? " " : ", ");
				if (!rc)
					rc = iw_buf_add(out, l.a ? l.a : l.b, l.a ? l.alen : l.blen);
			}
			continue;
		}
		if (fields) {
			rc = iw_buf_adds(out, "</li>");
			fields = 0;
		}
		if (rc || l.kind != SITE_ITEM || ++total > max)
			continue;
		rc = iw_buf_adds(out, "<li><strong>");
		if (!rc && l.a)
			rc = site_add_arrows(out, l.a, l.alen);
		if (!rc)
			rc = iw_buf_adds(out, "</strong> ");
		if (!rc)
			rc = site_add_arrows(out, l.b, l.blen);
		if (!rc && l.blen && l.b[l.blen - 1] == ':')
			fields = 1;
		else if (!rc)
			rc = iw_buf_adds(out, "</li>");
	}
	if (!rc && fields)
		rc = iw_buf_adds(out, "</li>");
	if (!rc && total > max)
		rc = iw_buf_printf(out, "<li class=\"more\">and %zu more</li>", total - max);
	return rc;
}

int report_counts_text(iw_buf *out, const size_t counts[DIFF_NKINDS],
                       const size_t people[DIFF_NKINDS])
{
	static const diff_kind person_kinds[] = {DIFF_ADDED, DIFF_REMOVED, DIFF_MODIFIED};
	size_t start = out->len, i;
	int k, rc = 0;
	for (k = 0; !rc && k < DIFF_NKINDS; k++) {
		if (!counts[k])
			continue;
		rc = iw_buf_printf(out, "%s%zu %s%s", out->len > start ? ", " : "", counts[k],
		                   site_count_words[k],
		                   k == DIFF_STATUS ? (counts[k] == 1 ? " change" : " changes") : "");
	}
	for (i = 0; !rc && i < sizeof(person_kinds) / sizeof(*person_kinds); i++) {
		size_t n = people[person_kinds[i]];
		if (!n)
			continue;
		rc = iw_buf_printf(out, "%s%zu %s %s", out->len > start ? ", " : "", n,
		                   n == 1 ? "person" : "people", site_count_words[person_kinds[i]]);
	}
	if (!rc && out->len == start)
		rc = iw_buf_adds(out, "no change");
	return rc;
}

/* Light and dark through prefers-color-scheme; the kind colours serve tables and charts. */
static const char site_css[] =
	":root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;"
	"--head:#f6f8fa;--link:#0550ae;--k0:#1a7f37;--k1:#cf222e;--k2:#0969da;--k3:#9a6700;"
	"--k4:#8250df;--k5:#6e7781}\n"
	"@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;"
	"--line:#3d444d;--head:#151b23;--link:#71b7ff;--k0:#3fb950;--k1:#ff7b72;--k2:#58a6ff;"
	"--k3:#d29922;--k4:#bc8cff;--k5:#9198a1}}\n"
	"html{background:var(--bg);color:var(--fg)}\n"
	"body{margin:0 auto;max-width:64rem;padding:1rem;font:1rem/1.5 system-ui,-apple-system,"
	"'Segoe UI',Roboto,sans-serif;overflow-wrap:break-word}\n"
	"a{color:var(--link)}h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.25rem;"
	"margin-top:2rem}\n"
	"nav{font-size:.95rem;margin-bottom:1rem}.meta,footer,.more,caption{color:var(--muted)}\n"
	"footer{margin-top:3rem;font-size:.9rem;border-top:1px solid var(--line);padding-top:.5rem}\n"
	"code{font-size:.85em;word-break:break-all}\n"
	".wrap{overflow-x:auto}table{border-collapse:collapse;width:100%;margin:.5rem 0}\n"
	"caption{text-align:left;font-size:.9rem}\n"
	"th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;"
	"vertical-align:top}\n"
	"thead th{background:var(--head);font-weight:600}tbody th{font-weight:600}\n"
	"table.counts{width:auto;min-width:14rem}table.counts td{text-align:right}\n"
	"table.fields{margin:.4rem 0 0;font-size:.95rem}table.fields th{width:9rem}\n"
	"table.changes>tbody>tr>th{width:30%}\n"
	"ul.heads{margin:0;padding-left:1.1rem}table.sets th{white-space:nowrap}\n"
	"table.sets td{overflow-wrap:anywhere}\n"
	"svg{width:100%;height:auto;display:block}svg text{fill:currentColor;font-size:12px}\n"
	"svg .grid{stroke:var(--line);stroke-width:1}svg .axis{stroke:var(--muted)}\n"
	"svg .line{fill:none;stroke:var(--k2);stroke-width:2}svg .dot{fill:var(--k2)}\n"
	".k0{fill:var(--k0);background:var(--k0)}.k1{fill:var(--k1);background:var(--k1)}"
	".k2{fill:var(--k2);background:var(--k2)}.k3{fill:var(--k3);background:var(--k3)}"
	".k4{fill:var(--k4);background:var(--k4)}.k5{fill:var(--k5);background:var(--k5)}\n"
	"ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;"
	"font-size:.9rem}\n"
	".sw{display:inline-block;width:.8rem;height:.8rem;margin-right:.4rem;"
	"vertical-align:-.05rem;border-radius:2px}\n"
	"@media (max-width:40rem){body{padding:.6rem}svg text{font-size:18px}"
	"table.sets,table.sets>tbody,table.sets>tbody>tr,table.sets>tbody>tr>*,"
	"table.changes,table.changes>tbody,table.changes>tbody>tr,table.changes>tbody>tr>*"
	"{display:block;width:auto}"
	"table.sets>thead,table.changes>thead{display:none}"
	"table.sets>tbody>tr,table.changes>tbody>tr{border-bottom:1px solid var(--line);"
	"padding:.4rem 0}table.sets>tbody>tr>*,table.changes>tbody>tr>*{border:0;"
	"padding:.1rem 0}}\n";

int report_html_head(iw_buf *out, const char *title)
{
	int rc = iw_buf_adds(out, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
	                     "lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	                     "<meta name=\"viewport\" content=\"width=device-width, "
	                     "initial-scale=1\"/>\n<meta name=\"color-scheme\" content=\"light "
	                     "dark\"/>\n<meta name=\"generator\" content=\"ianawatch "
	                     IANAWATCH_VERSION "\"/>\n<title>");
	if (!rc)
		rc = report_html_escape(out, title, strlen(title));
	if (!rc)
		rc = iw_buf_adds(out, "</title>\n<style>\n");
	if (!rc)
		rc = iw_buf_adds(out, site_css);
	if (!rc)
		rc = iw_buf_adds(out, "</style>\n</head>\n<body>\n");
	return rc;
}

int report_html_foot(iw_buf *out)
{
	return iw_buf_adds(out, "<footer>Made by ianawatch " IANAWATCH_VERSION " from its stored "
	                   "history of IANA&#39;s Service Name and Transport Protocol Port Number "
	                   "Registry.</footer>\n</body>\n</html>\n");
}
