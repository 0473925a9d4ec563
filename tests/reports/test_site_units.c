/* test_site_units.c: escaping, Atom dates and ids, chart scaling, a change set's HTML. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "common/common.h"
#include "reports/reports.h"
#include "site_int.h"
#include "testdoc.h"
#include "common/banned.h"

#define R(body) "<record>" body "</record>\n"
#define NAME(x) "<name>" x "</name>"
#define PROTO(x) "<protocol>" x "</protocol>"
#define NUM(x) "<number>" x "</number>"
#define DESC(x) "<description>" x "</description>"
#define NOTE(x) "<note>" x "</note>"

#define PLOT_H (REPORT_CHART_BOTTOM - REPORT_CHART_TOP)
#define PLOT_W (REPORT_CHART_WIDTH - REPORT_CHART_LEFT - REPORT_CHART_RIGHT)

static char *render(int (*fn)(iw_buf *, const char *, size_t), const char *s)
{
	iw_buf b = IW_BUF_INIT(1 << 20);
	assert_int_equal(fn(&b, s, strlen(s)), IW_OK);
	assert_int_equal(iw_buf_addc(&b, '\0'), IW_OK);
	return iw_buf_detach(&b, NULL);
}

/* Parses XML text strictly (no recovery, no network); fails the test with the first error. */
static xmlDocPtr parse_xml(const char *text, size_t len)
{
	xmlDocPtr doc = xmlReadMemory(text, (int)len, "test.xml", NULL,
	                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		fail_msg("not well-formed XML: %s\n%.2000s", e && e->message ? e->message : "?", text);
	}
	return doc;
}

/* ---- escaping ------------------------------------------------------------------------------- */

static void test_html_escape(void **state)
{
	static const char *const cases[][2] = {
		{"<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"},
		{"AT&T", "AT&amp;T"},
		{"say \"hi\"", "say &quot;hi&quot;"},
		{"&amp; stays text", "&amp;amp; stays text"},
		{"tab\tand\nnewline", "tab\tand\nnewline"},
		{"bell\x07 and nul-free", "bell\xEF\xBF\xBD and nul-free"},
		{"Z\xC3\xBCrich \xE2\x86\x92 utf-8", "Z\xC3\xBCrich \xE2\x86\x92 utf-8"},
		{"", ""},
		{"]]>", "]]&gt;"},
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *got = render(report_html_escape, cases[i][0]);
		assert_string_equal(got, cases[i][1]);
		free(got);
	}
}

/* A change set whose registry text is hostile renders as text, in well-formed markup. */
static void test_changes_html_escapes(void **state)
{
	registry_doc *a = testdoc("2025-01-01",
	                          R(NAME("evil") PROTO("tcp") NUM("100") DESC("x -> y"))
	                          R(NAME("same") PROTO("udp") NUM("200") DESC("kept")), "");
	registry_doc *b = testdoc("2025-02-01",
	                          R(NAME("evil") PROTO("tcp") NUM("100")
	                            DESC("&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"q\" 'a'"))
	                          R(NAME("same") PROTO("udp") NUM("200") DESC("kept"))
	                          R(NAME("a&amp;b") PROTO("tcp") NUM("300") DESC("new")
	                            NOTE("&lt;b&gt;bold&lt;/b&gt;")), "");
	diff_result *d = NULL;
	iw_buf out = IW_BUF_INIT(1 << 20), wrapped = IW_BUF_INIT(1 << 20);
	xmlDocPtr x;
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	(void)state;

	assert_int_equal(diff_compute(a, b, &d), IW_OK);
	assert_int_equal(report_changes_html(&out, NULL, NULL, d), IW_OK);
	assert_non_null(out.data);
	assert_null(strstr(out.data, "<script"));
	assert_null(strstr(out.data, "<b>"));
	assert_non_null(strstr(out.data, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; "
	                                 "&#39;a&#39;"));
	assert_non_null(strstr(out.data, "a&amp;b"));
	/* A description holding the engine's arrow stays one value, escaped. */
	assert_non_null(strstr(out.data, "<td>x -&gt; y</td>"));
	assert_int_equal(iw_buf_printf(&wrapped, "<div>%s</div>", out.data), IW_OK);
	x = parse_xml(wrapped.data, wrapped.len);
	ctx = xmlXPathNewContext(x);
	/* The modified entry: a field table with Before and After columns, one row. */
	o = xmlXPathEvalExpression(BAD_CAST "//table[@class='fields']/thead/tr/th[@scope='col']", ctx);
	assert_int_equal(o->nodesetval ? o->nodesetval->nodeNr : 0, 3);
	xmlXPathFreeObject(o);
	o = xmlXPathEvalExpression(BAD_CAST "string(//table[@class='fields']/tbody/tr/th[@scope='row'])",
	                           ctx);
	assert_string_equal((const char *)o->stringval, "description");
	xmlXPathFreeObject(o);
	o = xmlXPathEvalExpression(BAD_CAST "string(//table[@class='fields']/tbody/tr/td[2])", ctx);
	assert_string_equal((const char *)o->stringval, "<script>alert(1)</script> & \"q\" 'a'");
	xmlXPathFreeObject(o);
	/* Every change row starts with its subject as a row header. */
	o = xmlXPathEvalExpression(BAD_CAST "//table[@class='changes']/tbody/tr[not(th[@scope='row'])]",
	                           ctx);
	assert_int_equal(o->nodesetval ? o->nodesetval->nodeNr : 0, 0);
	xmlXPathFreeObject(o);
	o = xmlXPathEvalExpression(BAD_CAST "count(//section)", ctx);
	assert_int_equal((int)o->floatval, 2); /* Assigned, Modified */
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(x);

	/* Nothing at all for no change. */
	iw_buf_reset(&out);
	diff_result_free(d);
	assert_int_equal(diff_compute(a, a, &d), IW_OK);
	assert_int_equal(report_changes_html(&out, NULL, NULL, d), IW_OK);
	assert_int_equal(out.len, 0);

	diff_result_free(d);
	iw_buf_free(&out);
	iw_buf_free(&wrapped);
	registry_doc_free(a);
	registry_doc_free(b);
}

static void test_counts_text(void **state)
{
	size_t counts[DIFF_NSHOWN] = {0}, people[DIFF_NKINDS] = {0};
	iw_buf b = IW_BUF_INIT(4096);
	(void)state;
	assert_int_equal(report_counts_text(&b, counts, people), IW_OK);
	assert_string_equal(b.data, "no change");
	iw_buf_reset(&b);
	counts[DIFF_DEASSIGNED] = 4;
	counts[DIFF_ADDED] = 2;
	counts[DIFF_STATUS] = 1;
	people[DIFF_MODIFIED] = 3;
	people[DIFF_ADDED] = 1;
	counts[DIFF_RENAMED] = 5;
	assert_int_equal(report_counts_text(&b, counts, people), IW_OK);
	assert_string_equal(b.data, "5 renamed, 4 de-assigned, 2 added, 1 status change, "
	                            "1 person added, 3 people modified");
	iw_buf_free(&b);
}

/* ---- Atom ------------------------------------------------------------------------------------ */

static int is_rfc3339_utc(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t i;
	if (strlen(s) != sizeof(shape) - 1)
		return 0;
	for (i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
			return 0;
	return 1;
}

static void test_atom_time(void **state)
{
	static const char *const good[][2] = {
		{"2025-02-14T01:46:39Z", "2025-02-14T01:46:39Z"},
		{"2025-02-13", "2025-02-13T00:00:00Z"},
		{"2025-02-14T01:46Z", "2025-02-14T01:46:00Z"},
		{"2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z"},
		{"1999-12-31T23:59:59+00:00", "1999-12-31T23:59:59Z"},
	};
	static const char *const bad[] = {"yesterday", "2025-13-01", "2025-02-30", "",
	                                  "2025-02-14T25:00Z"};
	char out[21];
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(*good); i++) {
		assert_int_equal(report_atom_time(good[i][0], out), IW_OK);
		assert_string_equal(out, good[i][1]);
		assert_true(is_rfc3339_utc(out));
	}
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(report_atom_time(bad[i], out), IW_EINVAL);
		assert_string_equal(out, "");
	}
	assert_int_equal(report_atom_time(NULL, out), IW_EINVAL);
}

static void test_atom_entry_id(void **state)
{
	static const char sha[] = "a720019f60a4ee158d092ec81e1d1caab43925e7f79a5647cad0afc051d41bdb";
	static const char upper[] = "A720019F60A4EE158D092EC81E1D1CAAB43925E7F79A5647CAD0AFC051D41BDB";
	char id[46], again[46], other[46];
	char changed[65];
	size_t i;
	(void)state;
	assert_int_equal(report_atom_entry_id(sha, id), IW_OK);
	/* The first 128 bits, version 8 and variant 10xx set (RFC 9562). */
	assert_string_equal(id, "urn:uuid:a720019f-60a4-8e15-8d09-2ec81e1d1caa");
	assert_int_equal(report_atom_entry_id(sha, again), IW_OK);
	assert_string_equal(id, again);
	assert_int_equal(report_atom_entry_id(upper, again), IW_OK);
	assert_string_equal(id, again);
	/* The variant nibble keeps its two low bits: 0xf becomes 0xb. */
	memcpy(changed, sha, sizeof(changed));
	changed[16] = 'f';
	assert_int_equal(report_atom_entry_id(changed, other), IW_OK);
	assert_string_equal(other, "urn:uuid:a720019f-60a4-8e15-bd09-2ec81e1d1caa");
	/* Different snapshots, different ids. */
	changed[0] = 'b';
	assert_int_equal(report_atom_entry_id(changed, other), IW_OK);
	assert_string_not_equal(id, other);
	for (i = 0; i < strlen(id); i++)
		assert_true(id[i] != ' ' && id[i] != '<' && id[i] != '&');
	assert_int_equal(report_atom_entry_id("a720019f", id), IW_EINVAL);
	changed[5] = 'g';
	assert_int_equal(report_atom_entry_id(changed, id), IW_EINVAL);
	assert_int_equal(report_atom_entry_id(NULL, id), IW_EINVAL);
}

/* ---- chart scaling -------------------------------------------------------------------------- */

static void test_axis_nice(void **state)
{
	static const struct {
		long lo, hi;
		int ticks;
		long want_lo, want_hi, want_step;
	} cases[] = {
		{0, 0, 5, 0, 1, 1},             /* no change at all */
		{0, 1, 5, 0, 1, 1},
		{0, 7, 5, 0, 8, 2},
		{0, 10, 5, 0, 10, 2},
		{0, 43, 5, 0, 50, 10},
		{0, 500, 5, 0, 500, 100},       /* a month with hundreds of changes */
		{0, 501, 5, 0, 600, 200},
		{6223, 6357, 5, 6200, 6400, 50},  /* assigned ports: not from zero */
		{6357, 6357, 5, 6356, 6358, 1}, /* one snapshot */
		{9, 3, 5, 2, 10, 2},            /* given backwards */
		{0, 3, 0, 0, 5, 5},             /* at least one step */
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		report_axis ax;
		report_axis_nice(cases[i].lo, cases[i].hi, cases[i].ticks, &ax);
		if (ax.lo != cases[i].want_lo || ax.hi != cases[i].want_hi ||
		    ax.step != cases[i].want_step)
			fail_msg("case %zu (%ld..%ld): got %ld..%ld step %ld", i, cases[i].lo, cases[i].hi,
			         ax.lo, ax.hi, ax.step);
	}
}

static void test_axis_properties(void **state)
{
	long lo, hi;
	(void)state;
	for (lo = 0; lo < 3000; lo += 37) {
		for (hi = lo; hi < lo + 100000; hi = hi * 3 + 1) {
			report_axis ax;
			report_axis_nice(lo, hi, 5, &ax);
			assert_true(ax.lo <= lo && ax.hi >= hi && ax.hi > ax.lo);
			assert_true(ax.lo >= 0);
			assert_int_equal(ax.lo % ax.step, 0);
			assert_int_equal(ax.hi % ax.step, 0);
			assert_true((ax.hi - ax.lo) / ax.step <= 5);
		}
	}
}

static double attr_num(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	double d;
	char *end;
	if (!v)
		fail_msg("<%s> without %s", (const char *)n->name, name);
	d = strtod((const char *)v, &end);
	assert_true(*end == '\0' && end != (char *)v);
	xmlFree(v);
	return d;
}

/* The SVG parses, holds no NaN or infinity, and every bar lies inside the plot. Returns the
 * document for more checks. */
static xmlDocPtr check_svg(const iw_buf *svg)
{
	xmlDocPtr doc;
	xmlNodePtr n;
	assert_non_null(svg->data);
	assert_null(strstr(svg->data, "nan"));
	assert_null(strstr(svg->data, "inf"));
	doc = parse_xml(svg->data, svg->len);
	n = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)n->name, "svg");
	for (n = n->children; n; n = n->next) {
		double y, h, x, w;
		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "rect"))
			continue;
		x = attr_num(n, "x");
		y = attr_num(n, "y");
		w = attr_num(n, "width");
		h = attr_num(n, "height");
		assert_true(h > 0 && w > 0);
		assert_true(y >= REPORT_CHART_TOP - 0.01 && y + h <= REPORT_CHART_BOTTOM + 0.01);
		assert_true(x >= REPORT_CHART_LEFT - 0.01 &&
		            x + w <= REPORT_CHART_WIDTH - REPORT_CHART_RIGHT + 0.01);
	}
	return doc;
}

static int count_elements(xmlDocPtr doc, const char *name)
{
	xmlNodePtr n;
	int k = 0;
	for (n = xmlDocGetRootElement(doc)->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name))
			k++;
	return k;
}

static void test_chart_one_snapshot(void **state)
{
	report_chart_point p = {1739404800, 6357, NULL};
	iw_buf b = IW_BUF_INIT(1 << 20);
	xmlDocPtr doc;
	xmlNodePtr n;
	(void)state;
	assert_int_equal(report_chart_ports_svg(&b, &p, 1), IW_OK);
	doc = check_svg(&b);
	assert_int_equal(count_elements(doc, "circle"), 1);
	assert_int_equal(count_elements(doc, "polyline"), 0);
	for (n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "circle"))
			continue;
		/* In the middle of the time axis, in the middle of the value axis 6356..6358. */
		assert_true(attr_num(n, "cx") == REPORT_CHART_LEFT + PLOT_W / 2.0);
		assert_true(attr_num(n, "cy") == REPORT_CHART_TOP + PLOT_H / 2.0);
	}
	xmlFreeDoc(doc);
	/* And one month without change, and no month at all. */
	iw_buf_reset(&b);
	{
		report_chart_month m = {2025, 2, {0}, 0, 0, 0, NULL};
		assert_int_equal(report_chart_months_svg(&b, &m, 1), IW_OK);
		doc = check_svg(&b);
		assert_int_equal(count_elements(doc, "rect"), 0);
		assert_non_null(strstr(b.data, "No change in this period"));
		xmlFreeDoc(doc);
	}
	iw_buf_reset(&b);
	assert_int_equal(report_chart_months_svg(&b, NULL, 0), IW_OK);
	xmlFreeDoc(check_svg(&b));
	iw_buf_reset(&b);
	assert_int_equal(report_chart_ports_svg(&b, NULL, 0), IW_OK);
	xmlFreeDoc(check_svg(&b));
	iw_buf_free(&b);
}

static void test_chart_no_changes(void **state)
{
	report_chart_month m[12];
	report_chart_point p[3] = {{1489104000, 6223, NULL}, {1600000000, 6223, NULL},
	                            {1748000000, 6223, NULL}};
	iw_buf b = IW_BUF_INIT(1 << 20);
	xmlDocPtr doc;
	int i;
	(void)state;
	memset(m, 0, sizeof(m));
	for (i = 0; i < 12; i++) {
		m[i].year = 2024;
		m[i].month = i + 1;
	}
	assert_int_equal(report_chart_months_svg(&b, m, 12), IW_OK);
	doc = check_svg(&b);
	assert_int_equal(count_elements(doc, "rect"), 0);
	assert_non_null(strstr(b.data, "No change in this period"));
	xmlFreeDoc(doc);
	/* Three snapshots years apart: three dots in the middle, no line across the gaps
	 * between them, which are hatched and said to have no snapshot. */
	iw_buf_reset(&b);
	assert_int_equal(report_chart_ports_svg(&b, p, 3), IW_OK);
	doc = check_svg(&b);
	assert_int_equal(count_elements(doc, "polyline"), 0);
	assert_int_equal(count_elements(doc, "circle"), 3);
	assert_non_null(strstr(b.data, "cy=\"112.0\""));
	assert_non_null(strstr(b.data, "<title>No snapshot between 2017-03-10 and 2020-09-13"));
	xmlFreeDoc(doc);
	iw_buf_free(&b);
}

static void test_chart_hundreds_in_a_month(void **state)
{
	report_chart_month m[24];
	iw_buf b = IW_BUF_INIT(1 << 20);
	xmlDocPtr doc;
	xmlNodePtr n;
	double big_top = 1e9, small_h = 0;
	int i, nrect = 0;
	(void)state;
	memset(m, 0, sizeof(m));
	for (i = 0; i < 24; i++) {
		m[i].year = 2024 + i / 12;
		m[i].month = i % 12 + 1;
		m[i].counts[DIFF_ASSIGNED] = i % 3;
	}
	m[5].counts[DIFF_ASSIGNED] = 0;
	m[5].counts[DIFF_MODIFIED] = 300;
	m[5].counts[DIFF_STATUS] = 200;
	assert_int_equal(report_chart_months_svg(&b, m, 24), IW_OK);
	doc = check_svg(&b);
	for (n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
		xmlNodePtr t;
		xmlChar *title;
		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "rect"))
			continue;
		nrect++;
		for (t = n->children; t && t->type != XML_ELEMENT_NODE; t = t->next)
			;
		assert_non_null(t);
		title = xmlNodeGetContent(t);
		if (!strncmp((const char *)title, "2024-06:", 8)) {
			double y = attr_num(n, "y");
			if (y < big_top)
				big_top = y;
		}
		if (!strcmp((const char *)title, "2024-02: 1 assigned"))
			small_h = attr_num(n, "height");
		xmlFree(title);
	}
	/* 500 changes reach the top of an axis 0..500; one change is 1/500 of the plot. */
	assert_true(big_top > REPORT_CHART_TOP - 0.01 && big_top < REPORT_CHART_TOP + 0.01);
	assert_true(small_h > PLOT_H / 500.0 - 0.01 && small_h < PLOT_H / 500.0 + 0.01);
	/* One bar per kind and month with changes: 15 small months + 2 kinds in June. */
	assert_int_equal(nrect, 15 + 2);
	assert_non_null(strstr(b.data, ">500</text>"));
	xmlFreeDoc(doc);
	iw_buf_free(&b);
}

/* The committed snapshots' shape: 2017-03-10, then 2025-01-23 and 2025-02-13. The line joins
 * only the two close ones; the changes of 2017 -> 2025 are a band over the gap, not January
 * 2025's bar, and do not set the scale. */
static void test_chart_gap(void **state)
{
	report_chart_point p[3] = {{1489104000, 6223, NULL}, {1737590400, 6357, "changes/a.html"},
	                           {1739404800, 6355, "changes/b.html"}};
	report_chart_month m[2];
	iw_buf b = IW_BUF_INIT(1 << 20);
	xmlDocPtr doc;
	(void)state;
	assert_int_equal(report_chart_ports_svg(&b, p, 3), IW_OK);
	doc = check_svg(&b);
	assert_int_equal(count_elements(doc, "polyline"), 1);
	assert_int_equal(count_elements(doc, "a"), 2);
	assert_non_null(strstr(b.data, "No snapshot between 2017-03-10 and 2025-01-23"));
	assert_non_null(strstr(b.data, "<a href=\"changes/b.html\">"));
	xmlFreeDoc(doc);

	memset(m, 0, sizeof(m));
	m[0].gap = 1;
	m[0].t0 = 1489104000;
	m[0].t1 = 1737590400;
	m[0].counts[DIFF_ADDED] = 804;
	m[0].href = "changes/a.html";
	m[1].year = 2025;
	m[1].month = 2;
	m[1].counts[DIFF_DEASSIGNED] = 4;
	m[1].href = "changes/b.html";
	iw_buf_reset(&b);
	assert_int_equal(report_chart_months_svg(&b, m, 2), IW_OK);
	doc = check_svg(&b);
	assert_non_null(strstr(b.data, "No snapshot between 2017-03-10 and 2025-01-23: 804 changes, no snapshot between"));
	assert_null(strstr(b.data, "2025-01: 804"));
	/* The axis is the months' (4 changes), not the gap's. */
	assert_non_null(strstr(b.data, ">4</text>"));
	assert_null(strstr(b.data, ">800</text>"));
	xmlFreeDoc(doc);
	iw_buf_free(&b);
}

static void test_format_number(void **state)
{
	static const struct {
		long v;
		const char *want;
	} cases[] = {{0, "0"}, {999, "999"}, {1000, "1,000"}, {6357, "6,357"}, {-12345, "-12,345"},
	             {1234567, "1,234,567"}};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		iw_buf b = IW_BUF_INIT(64);
		assert_int_equal(report_format_number(&b, cases[i].v), IW_OK);
		assert_string_equal(b.data, cases[i].want);
		iw_buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_changes_html_escapes),
		cmocka_unit_test(test_counts_text),
		cmocka_unit_test(test_atom_time),
		cmocka_unit_test(test_atom_entry_id),
		cmocka_unit_test(test_axis_nice),
		cmocka_unit_test(test_axis_properties),
		cmocka_unit_test(test_chart_one_snapshot),
		cmocka_unit_test(test_chart_no_changes),
		cmocka_unit_test(test_chart_hundreds_in_a_month),
		cmocka_unit_test(test_chart_gap),
		cmocka_unit_test(test_format_number),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
