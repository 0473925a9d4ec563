/* site_html.c: the site's HTML: escaping, the page frame, a change set's model as tables. */
#include <string.h>

#include "common/common.h"
#include "changes_render.h"
#include "site_int.h"
#include "common/banned.h"

int report_html_escape(iw_buf *out, const char *s, size_t len)
{
	size_t i, run = 0;
	for (i = 0; i < len; i++) {
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
		iw_buf_add(out, s + run, i - run);
		iw_buf_adds(out, ent);
		run = i + 1;
	}
	iw_buf_add(out, s + run, len - run);
	return iw_buf_error(out);
}

/* Writes model text (escaped: it never holds a raw '>'), showing the engine's " -> " as an
 * arrow. */
static void site_add_arrows(iw_buf *out, const char *s)
{
	const char *p;
	while ((p = strstr(s, " -> ")) != NULL) {
		iw_buf_add(out, s, (size_t)(p - s));
		iw_buf_adds(out, " \xE2\x86\x92 ");
		s = p + 4;
	}
	iw_buf_adds(out, s);
}

/* The fragment id and first column of each group, by kind. */
static void site_group_names(int kind, const char **id, const char **col)
{
	static const char *const ids[DIFF_NSHOWN] = {
		[DIFF_ASSIGNED] = "assigned", [DIFF_DEASSIGNED] = "de-assigned",
		[DIFF_ADDED] = "added", [DIFF_REMOVED] = "removed", [DIFF_MODIFIED] = "modified",
		[DIFF_STATUS] = "status-changes", [DIFF_MOVED] = "moved", [DIFF_RENAMED] = "renamed",
	};
	*id = kind >= 0 && kind < DIFF_NSHOWN ? ids[kind] : "people";
	*col = kind == DIFF_STATUS ? "Ports" : kind == REPORT_GROUP_PEOPLE ? "Person" : "Entry";
}

int report_html_model(report_model *m, const store_snapshot *from, const store_snapshot *to,
                      const diff_result *d, size_t cap)
{
	return report_model_build(m, from, to, d, NULL, report_html_escape, cap);
}

static void site_body_fields(iw_buf *out, const report_mitem *it)
{
	size_t f;
	if (!it->nfields)
		return;
	iw_buf_adds(out, "\n<table class=\"fields\"><thead><tr>"
	            "<th scope=\"col\">Field</th><th scope=\"col\">Before</th>"
	            "<th scope=\"col\">After</th></tr></thead><tbody>\n");
	for (f = 0; f < it->nfields; f++)
		iw_buf_printf(out, "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td></tr>\n",
		              it->fields[f].name, it->fields[f].before, it->fields[f].after);
	iw_buf_adds(out, "</tbody></table>");
}

int report_html_body(iw_buf *out, const report_model *m)
{
	size_t g, i;
	for (g = 0; g < m->ngroups; g++) {
		const report_mgroup *gr = &m->groups[g];
		const char *id, *col;
		site_group_names(gr->kind, &id, &col);
		iw_buf_printf(out, "<section id=\"%s\">\n<h2>%s</h2>\n<div class=\"wrap\"><table "
		              "class=\"changes\"><thead><tr><th scope=\"col\">%s</th>"
		              "<th scope=\"col\">Change</th></tr></thead><tbody>\n", id, gr->title, col);
		for (i = 0; i < gr->nitems; i++) {
			const report_mitem *it = &gr->items[i];
			iw_buf_adds(out, "<tr><th scope=\"row\">");
			site_add_arrows(out, it->subject);
			iw_buf_adds(out, "</th><td>");
			site_add_arrows(out, it->text);
			site_body_fields(out, it);
			iw_buf_adds(out, "</td></tr>\n");
		}
		iw_buf_adds(out, "</tbody></table></div></section>\n");
	}
	return iw_buf_error(out);
}

int report_changes_html(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                        const diff_result *d)
{
	report_model m;
	int rc = report_html_model(&m, from, to, d, out->cap);
	if (!rc)
		rc = report_html_body(out, &m);
	report_model_free(&m);
	return rc;
}

int report_html_headlines(iw_buf *out, const report_model *m, size_t max)
{
	size_t g, i, f, total = 0;
	for (g = 0; g < m->ngroups; g++) {
		const report_mgroup *gr = &m->groups[g];
		for (i = 0; i < gr->nitems; i++) {
			const report_mitem *it = &gr->items[i];
			if (++total > max)
				continue;
			iw_buf_adds(out, "<li><strong>");
			site_add_arrows(out, it->subject);
			iw_buf_adds(out, "</strong> ");
			site_add_arrows(out, it->text);
			/* A modification names its fields: "modified: description, notes". */
			for (f = 0; f < it->nfields; f++) {
				iw_buf_adds(out, f ? ", " : " ");
				iw_buf_adds(out, it->fields[f].name);
			}
			iw_buf_adds(out, "</li>");
		}
	}
	if (total > max)
		iw_buf_printf(out, "<li class=\"more\">and %zu more</li>", total - max);
	return iw_buf_error(out);
}

int report_counts_text(iw_buf *out, const size_t counts[DIFF_NSHOWN],
                       const size_t people[DIFF_NKINDS])
{
	size_t start = out->len;
	report_counts_words(out, counts, people);
	if (out->len == start)
		iw_buf_adds(out, "no change");
	return iw_buf_error(out);
}

/* Light and dark through prefers-color-scheme; the kind colours serve tables and charts. */
static const char site_css[] =
	":root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;"
	"--head:#f6f8fa;--link:#0550ae;--k0:#1a7f37;--k1:#cf222e;--k2:#0969da;--k3:#9a6700;"
	"--k4:#8250df;--k5:#6e7781;--k6:#bf3989;--k7:#1b7c83}\n"
	"@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;"
	"--line:#3d444d;--head:#151b23;--link:#71b7ff;--k0:#3fb950;--k1:#ff7b72;--k2:#58a6ff;"
	"--k3:#d29922;--k4:#bc8cff;--k5:#9198a1;--k6:#f778ba;--k7:#39c5cf}}\n"
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
	"a:focus-visible,input:focus-visible,button:focus-visible,summary:focus-visible"
	"{outline:3px solid var(--link);outline-offset:2px}\n"
	"ol.timeline{list-style:none;padding:0;border-left:3px solid var(--line);margin-left:.3rem}"
	"ol.timeline>li{padding:.1rem 0 .6rem 1rem}ol.timeline h3{font-size:1rem;margin:.4rem 0}\n"
	"ol.timeline>li.s1 h3::before{content:'\\25A0  '}ol.timeline>li.s2 h3::before"
	"{content:'\\25CF  '}ol.timeline>li.s0 h3::before{content:'\\25CB  '}\n"
	"dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.2rem 0}"
	"dt{color:var(--muted)}dd{margin:0}.ev{color:var(--muted)}\n"
	"ul.ports{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.2rem .8rem}\n"
	"#search input{font:inherit;padding:.3rem;width:min(30rem,90%)}#search button"
	"{font:inherit}#search label{display:block}\n"
	"svg .gap{stroke:var(--muted);stroke-dasharray:4 3;stroke-width:1}"
	"svg .hatch{stroke:var(--line);stroke-width:2}\n"
	"svg a:focus rect,svg a:focus circle{stroke:var(--fg);stroke-width:2}\n"
	"@media print{:root{--bg:#fff;--fg:#000;--link:#000}nav,form,footer{display:none}"
	"body{max-width:none;font-size:11pt}a{text-decoration:none}"
	"details{display:block}section{break-inside:avoid-page}}\n"
	"svg{width:100%;height:auto;display:block}svg text{fill:currentColor;font-size:12px}\n"
	"svg .grid{stroke:var(--line);stroke-width:1}svg .axis{stroke:var(--muted)}\n"
	"svg .line{fill:none;stroke:var(--k2);stroke-width:2}svg .dot{fill:var(--k2)}\n"
	".k0{fill:var(--k0);background:var(--k0)}.k1{fill:var(--k1);background:var(--k1)}"
	".k2{fill:var(--k2);background:var(--k2)}.k3{fill:var(--k3);background:var(--k3)}"
	".k4{fill:var(--k4);background:var(--k4)}.k5{fill:var(--k5);background:var(--k5)}"
	".k6{fill:var(--k6);background:var(--k6)}.k7{fill:var(--k7);background:var(--k7)}\n"
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
	iw_buf_adds(out, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
	            "lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	            "<meta name=\"viewport\" content=\"width=device-width, "
	            "initial-scale=1\"/>\n<meta name=\"color-scheme\" content=\"light "
	            "dark\"/>\n<meta name=\"generator\" content=\"ianawatch "
	            IANAWATCH_VERSION "\"/>\n<title>");
	report_html_escape(out, title, strlen(title));
	iw_buf_adds(out, "</title>\n<style>\n");
	iw_buf_adds(out, site_css);
	iw_buf_adds(out, "</style>\n</head>\n<body>\n");
	return iw_buf_error(out);
}

int report_html_css(iw_buf *out)
{
	return iw_buf_adds(out, site_css);
}

int report_html_page_head(iw_buf *out, const char *title, const char *root)
{
	iw_buf_adds(out, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
	            "lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	            "<meta name=\"viewport\" content=\"width=device-width, "
	            "initial-scale=1\"/>\n<meta name=\"color-scheme\" content=\"light "
	            "dark\"/>\n<title>");
	report_html_escape(out, title, strlen(title));
	iw_buf_printf(out, "</title>\n<link rel=\"stylesheet\" href=\"%ssite.css\"/>\n"
	              "</head>\n<body>\n", root);
	return iw_buf_error(out);
}

int report_html_foot(iw_buf *out)
{
	return iw_buf_adds(out, "<footer>Made by ianawatch " IANAWATCH_VERSION " from its stored "
	                   "history of IANA&#39;s Service Name and Transport Protocol Port Number "
	                   "Registry.</footer>\n</body>\n</html>\n");
}
