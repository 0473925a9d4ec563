/* test_changes_report.c: the text, Markdown and JSON change reports (issue 3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/common.h"
#include "reports/reports.h"
#include "testdoc.h"
#include "common/banned.h"

#define R(body) "<record>" body "</record>\n"
#define NAME(x) "<name>" x "</name>"
#define PROTO(x) "<protocol>" x "</protocol>"
#define NUM(x) "<number>" x "</number>"
#define DESC(x) "<description>" x "</description>"
#define PERSON(id, body) "<person id=\"" id "\">" body "</person>"

static void snap(store_snapshot *s, int64_t id, const char *date, const char *observed,
                 char hexdigit)
{
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->pos = id;
	snprintf(s->registry_updated, sizeof(s->registry_updated), "%s", date);
	snprintf(s->observed_at, sizeof(s->observed_at), "%s", observed);
	memset(s->sha256, hexdigit, 64);
	s->sha256[64] = '\0';
}

/* ---- a minimal JSON checker: is the text one well-formed JSON value? ------------------------ */

static const char *json_value(const char *p, int depth);

static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p && *p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				int i;
				for (i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
						return NULL;
				p += 4;
			} else if (!*p || !strchr("\"\\/bfnrt", *p)) {
				return NULL;
			}
		}
		p++;
	}
	return *p == '"' ? p + 1 : NULL;
}

static const char *json_container(const char *p, int depth, char close, int object)
{
	p = json_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (object) {
			if (!(p = json_string(json_ws(p))))
				return NULL;
			p = json_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		if (!(p = json_value(p, depth + 1)))
			return NULL;
		p = json_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *json_value(const char *p, int depth)
{
	if (depth > 32)
		return NULL;
	p = json_ws(p);
	if (*p == '{')
		return json_container(p, depth, '}', 1);
	if (*p == '[')
		return json_container(p, depth, ']', 0);
	if (*p == '"')
		return json_string(p);
	if (!strncmp(p, "null", 4) || !strncmp(p, "true", 4))
		return p + 4;
	if (!strncmp(p, "false", 5))
		return p + 5;
	if (*p == '-' || (*p >= '0' && *p <= '9')) {
		if (*p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
		return p;
	}
	return NULL;
}

static void assert_json(const char *s)
{
	const char *end = json_value(s, 0);
	if (!end || *json_ws(end))
		fail_msg("not one JSON value at offset %ld:\n%s", end ? (long)(end - s) : -1L, s);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	const char *p = hay;
	while ((p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static void test_json_checker(void **state)
{
	(void)state;
	assert_non_null(json_value("{\"a\": [1, -2, null, \"x\\n\\u00e9\"], \"b\": {}}", 0));
	assert_null(json_value("{\"a\": [1,]}", 0));
	assert_null(json_value("{\"a\" 1}", 0));
	assert_null(json_value("[\"unterminated]", 0));
}

/* ---- the real pair ------------------------------------------------------------------------- */

typedef struct real_pair {
	registry_doc *a, *b;
	diff_result *d;
	store_snapshot from, to;
} real_pair;

static int real_setup(void **state)
{
	real_pair *rp = calloc(1, sizeof(*rp));
	rp->a = testdoc_fixture("2025-01-23.xml.gz");
	rp->b = testdoc_fixture("2025-02-13.xml.gz");
	if (diff_compute(rp->a, rp->b, &rp->d))
		return -1;
	snap(&rp->from, 7, "2025-01-23", "2025-01-24T06:00:00Z", 'a');
	snap(&rp->to, 8, "2025-02-13", "2025-02-14T06:00:00Z", 'b');
	*state = rp;
	return 0;
}

static int real_teardown(void **state)
{
	real_pair *rp = *state;
	diff_result_free(rp->d);
	registry_doc_free(rp->a);
	registry_doc_free(rp->b);
	free(rp);
	return 0;
}

static const char real_text[] =
	"Registry changes 2025-01-23 -> 2025-02-13 (snapshots 7 -> 8): 4 de-assigned, 2 added\n"
	"\n"
	"De-assigned (4)\n"
	"  2/tcp compressnet de-assigned, now Reserved (De-assigned on 2025-02-13, previously "
	"compressnet by Bernie Volz)\n"
	"  2/udp compressnet de-assigned, now Reserved (De-assigned on 2025-02-13, previously "
	"compressnet by Bernie Volz)\n"
	"  3/tcp compressnet de-assigned, now Reserved (De-assigned on 2025-02-13, previously "
	"compressnet by Bernie Volz)\n"
	"  3/udp compressnet de-assigned, now Reserved (De-assigned on 2025-02-13, previously "
	"compressnet by Bernie Volz)\n"
	"\n"
	"Added (2)\n"
	"  compressnet (tcp, no port) added: Management Utility/Compression Process; assignee "
	"Bernie Volz; contact Bernie Volz (Defined TXT keys: None)\n"
	"  compressnet (udp, no port) added: Management Utility/Compression Process; assignee "
	"Bernie Volz; contact Bernie Volz (Defined TXT keys: None)\n";

static void test_real_text(void **state)
{
	real_pair *rp = *state;
	iw_buf out = IW_BUF_INIT(1 << 20);
	assert_int_equal(report_changes_text(&out, &rp->from, &rp->to, rp->d), IW_OK);
	assert_string_equal(out.data, real_text);
	iw_buf_free(&out);
}

static void test_real_markdown(void **state)
{
	real_pair *rp = *state;
	iw_buf out = IW_BUF_INIT(1 << 20);
	assert_int_equal(report_changes_markdown(&out, &rp->from, &rp->to, rp->d), IW_OK);
	assert_non_null(strstr(out.data, "## Registry changes 2025-01-23 -> 2025-02-13 "
	                                 "(snapshots 7 -> 8)\n\n4 de-assigned, 2 added.\n"));
	assert_non_null(strstr(out.data, "\n### De-assigned (4)\n\n- **2/tcp compressnet** "
	                                 "de-assigned, now Reserved (De-assigned on 2025-02-13, "
	                                 "previously compressnet by Bernie Volz)\n"));
	assert_non_null(strstr(out.data, "\n### Added (2)\n\n- **compressnet (tcp, no port)** added: "
	                                 "Management Utility/Compression Process; assignee Bernie "
	                                 "Volz; contact Bernie Volz (Defined TXT keys: None)\n"));
	assert_int_equal(count(out.data, "\n- "), 6);
	iw_buf_free(&out);
}

static void test_real_json(void **state)
{
	real_pair *rp = *state;
	iw_buf out = IW_BUF_INIT(1 << 20);
	char from[300];
	assert_int_equal(report_changes_json(&out, &rp->from, &rp->to, rp->d), IW_OK);
	assert_json(out.data);
	snprintf(from, sizeof(from),
	         "{\"from\": {\"id\": 7, \"registry_updated\": \"2025-01-23\", \"observed_at\": "
	         "\"2025-01-24T06:00:00Z\", \"sha256\": \"%s\"}, \"to\": {\"id\": 8,", rp->from.sha256);
	assert_int_equal(strncmp(out.data, from, strlen(from)), 0);
	assert_int_equal(count(out.data, "{\"kind\": \"deassigned\""), 4);
	assert_int_equal(count(out.data, "{\"kind\": \"added\""), 2);
	assert_int_equal(count(out.data, "{\"kind\": "), 6);
	assert_int_equal(count(out.data, "\"fields\""), 0);
	assert_non_null(strstr(out.data,
		"{\"kind\": \"deassigned\", \"name\": \"compressnet\", \"protocol\": \"tcp\", "
		"\"port\": 2, \"port_end\": 2, \"before\": {\"name\": \"compressnet\", \"protocol\": "
		"\"tcp\", \"port\": 2, \"port_end\": 2, \"description\": \"Management Utility\", "
		"\"assignee\": [], \"contact\": [], \"references\": [], \"notes\": null, "
		"\"unauthorized\": null, \"service_code\": null, \"registration_date\": null, "
		"\"modification_date\": null}, \"after\": null}"));
	assert_non_null(strstr(out.data,
		"{\"kind\": \"added\", \"name\": \"compressnet\", \"protocol\": \"udp\", \"port\": null, "
		"\"port_end\": null, \"before\": null, \"after\": {\"name\": \"compressnet\", "
		"\"protocol\": \"udp\", \"port\": null, \"port_end\": null, \"description\": "
		"\"Management Utility/Compression Process\", \"assignee\": [\"Bernie_Volz\"], "
		"\"contact\": [\"Bernie_Volz\"], \"references\": [], \"notes\": \"Defined TXT keys: "
		"None\", \"unauthorized\": null, \"service_code\": null, \"registration_date\": null, "
		"\"modification_date\": \"2025-02-13\"}}"));
	/* The deassigned ones come first, in port then protocol order. */
	assert_true(strstr(out.data, "\"protocol\": \"udp\", \"port\": 2,") <
	            strstr(out.data, "\"protocol\": \"tcp\", \"port\": 3,"));
	assert_true(strstr(out.data, "\"port\": 3,") < strstr(out.data, "\"kind\": \"added\""));
	assert_non_null(strstr(out.data, "\n \"people\": []}\n"));
	iw_buf_free(&out);
}

/* ---- empty results ------------------------------------------------------------------------ */

static void test_empty(void **state)
{
	registry_doc *a = testdoc("2025-01-01", R(NAME("foo") PROTO("tcp") NUM("1")), "");
	registry_doc *b = testdoc("2025-01-02", R(NAME("foo") PROTO("tcp") NUM("1"))
	                                        R(NAME("bar") PROTO("tcp") NUM("2")), "");
	store_snapshot from, to;
	diff_result *d = NULL;
	diff_filter f;
	iw_buf out = IW_BUF_INIT(1 << 20);
	(void)state;
	snap(&from, 1, "2025-01-01", "2025-01-01T00:00:00Z", '0');
	snap(&to, 2, "2025-01-02", "2025-01-02T00:00:00Z", '1');
	assert_int_equal(diff_compute(a, a, &d), IW_OK);
	iw_buf_adds(&out, "kept");
	assert_int_equal(report_changes_text(&out, &from, &to, d), IW_OK);
	assert_int_equal(report_changes_markdown(&out, &from, &to, d), IW_OK);
	assert_string_equal(out.data, "kept");
	iw_buf_reset(&out);
	assert_int_equal(report_changes_json(&out, &from, &to, d), IW_OK);
	assert_json(out.data);
	assert_non_null(strstr(out.data, ",\n \"changes\": [],\n \"people\": []}\n"));
	diff_result_free(d);

	/* A result narrowed to nothing is empty too. */
	assert_int_equal(diff_compute(a, b, &d), IW_OK);
	diff_filter_init(&f);
	assert_int_equal(diff_filter_parse_kinds(&f, "removed"), IW_OK);
	diff_filter_apply(d, &f);
	iw_buf_reset(&out);
	assert_int_equal(report_changes_text(&out, &from, &to, d), IW_OK);
	assert_int_equal(out.len, 0);
	diff_result_free(d);

	/* Without snapshots, JSON says null and the text names the registry dates. */
	assert_int_equal(diff_compute(a, b, &d), IW_OK);
	iw_buf_reset(&out);
	assert_int_equal(report_changes_json(&out, NULL, NULL, d), IW_OK);
	assert_json(out.data);
	assert_int_equal(strncmp(out.data, "{\"from\": null, \"to\": null,", 26), 0);
	iw_buf_reset(&out);
	assert_int_equal(report_changes_text(&out, NULL, NULL, d), IW_OK);
	assert_non_null(strchr(out.data, '\n'));
	*strchr(out.data, '\n') = '\0';
	assert_string_equal(out.data, "Registry changes 2025-01-01 -> 2025-01-02: 1 assigned");
	diff_result_free(d);
	iw_buf_free(&out);
	registry_doc_free(a);
	registry_doc_free(b);
}

/* ---- every kind of line ---------------------------------------------------------------- */

static const char all_a[] =
	R(NAME("foo") PROTO("tcp") DESC("Foo") NUM("100"))
	R(PROTO("tcp") DESC("Unassigned") NUM("200"))
	R(NAME("old") PROTO("udp") DESC("Old") NUM("300"))
	R(NAME("mod") PROTO("tcp") "<assignee><xref type=\"person\" data=\"Jane_Doe\"/></assignee>"
	  DESC("one") NUM("400"))
	R(DESC("Unassigned") NUM("500"))
	R(PROTO("tcp") DESC("Reserved") NUM("600"))
	R(NAME("dup") PROTO("tcp") DESC("a") NUM("700"))
	R(NAME("dup") PROTO("tcp") DESC("b") NUM("700"))
	R(NAME("gone") PROTO("tcp") DESC("G") NUM("800"));
static const char all_b[] =
	R(PROTO("tcp") DESC("Unassigned") NUM("100"))
	R(NAME("foo") PROTO("tcp") DESC("Foo") NUM("200"))
	R(NAME("new") PROTO("udp") DESC("New") NUM("300"))
	R(NAME("mod") PROTO("tcp") "<assignee><xref type=\"person\" data=\"Bob_X\"/></assignee>"
	  DESC("two") NUM("400") "<note>see <xref type=\"person\" data=\"Jane_Doe\"/>.</note>")
	R(DESC("Reserved") NUM("500") "<note>Reserved for X</note>")
	R(NAME("newsvc") PROTO("tcp") "<xref type=\"person\" data=\"Jane_Doe\"/>"
	  DESC("New service") NUM("600"))
	R(NAME("dup") PROTO("tcp") DESC("a") NUM("700"))
	R(NAME("portless") PROTO("tcp") DESC("P"));
static const char all_pa[] =
	PERSON("Jane_Doe", "<name>Jane Doe</name><org>Example Corp</org>")
	PERSON("Old_P", "<name>Old P</name>");
static const char all_pb[] =
	PERSON("Jane_Doe", "<name>Jane Doe</name><org>Example Inc</org>")
	PERSON("New_P", "<name>New P</name><org>New P</org>");

static const char all_text[] =
	"Registry changes 2025-01-01 -> 2025-02-01 (snapshots 1 -> 2): 1 moved, 1 renamed, "
	"1 assigned, 1 de-assigned, 1 added, 1 removed, 1 modified, 4 status changes, "
	"1 person added, 1 person removed, 1 person modified\n"
	"\n"
	"Moved (1)\n"
	"  100/tcp -> 200/tcp foo moved; 100/tcp now Unassigned\n"
	"\n"
	"Renamed (1)\n"
	"  300/udp renamed from old to new: New\n"
	"\n"
	"Assigned (1)\n"
	"  600/tcp newsvc assigned, was Reserved: New service; contact Jane Doe (Example Inc)\n"
	"\n"
	"De-assigned (1)\n"
	"  800/tcp gone de-assigned, now unassigned\n"
	"\n"
	"Added (1)\n"
	"  portless (tcp, no port) added: P\n"
	"\n"
	"Removed (1)\n"
	"  700/tcp dup removed: b\n"
	"\n"
	"Modified (1)\n"
	"  400/tcp mod modified:\n"
	"      assignee: Jane Doe (Example Corp) -> Bob_X\n"
	"      description: one -> two\n"
	"      notes: (none) -> see Jane Doe.\n"
	"\n"
	"Status changes (4)\n"
	"  500/dccp,sctp,tcp,udp was Unassigned, now Reserved (Reserved for X)\n"
	"\n"
	"People (3)\n"
	"  Jane_Doe modified:\n"
	"      org: Example Corp -> Example Inc\n"
	"  New_P added: New P\n"
	"  Old_P removed: Old P\n";

static void test_all_kinds(void **state)
{
	registry_doc *a = testdoc("2025-01-01", all_a, all_pa);
	registry_doc *b = testdoc("2025-02-01", all_b, all_pb);
	store_snapshot from, to;
	diff_result *d = NULL;
	iw_buf out = IW_BUF_INIT(1 << 20);
	(void)state;
	snap(&from, 1, "2025-01-01", "2025-01-01T00:00:00Z", '0');
	snap(&to, 2, "2025-02-01", "2025-02-01T00:00:00Z", '1');
	assert_int_equal(diff_compute(a, b, &d), IW_OK);
	assert_int_equal(report_changes_text(&out, &from, &to, d), IW_OK);
	assert_string_equal(out.data, all_text);

	iw_buf_reset(&out);
	assert_int_equal(report_changes_markdown(&out, &from, &to, d), IW_OK);
	assert_non_null(strstr(out.data, "\n### Moved (1)\n\n"
	                                 "- **100/tcp -> 200/tcp foo** moved; 100/tcp now Unassigned\n"
	                                 "\n### Renamed (1)\n\n"
	                                 "- **300/udp** renamed from old to new: New\n"));
	assert_non_null(strstr(out.data, "\n- **400/tcp mod** modified:\n"
	                                 "  - assignee: Jane Doe (Example Corp) -> Bob\\_X\n"
	                                 "  - description: one -> two\n"));
	assert_non_null(strstr(out.data, "\n### People (3)\n\n- **Jane\\_Doe** modified:\n"
	                                 "  - org: Example Corp -> Example Inc\n"));

	iw_buf_reset(&out);
	assert_int_equal(report_changes_json(&out, &from, &to, d), IW_OK);
	assert_json(out.data);
	assert_non_null(strstr(out.data, "{\"kind\": \"modified\", \"name\": \"mod\", \"protocol\": "
	                                 "\"tcp\", \"port\": 400, \"port_end\": 400, \"fields\": "
	                                 "[\"assignee\", \"description\", \"notes\"], \"before\": {"));
	assert_non_null(strstr(out.data, "{\"kind\": \"status\", \"name\": null, \"protocol\": "
	                                 "\"sctp\", \"port\": 500, \"port_end\": 500, \"before\": "
	                                 "\"unassigned\", \"after\": \"reserved\"}"));
	assert_non_null(strstr(out.data, "\"people\": [\n  {\"kind\": \"modified\", \"id\": "
	                                 "\"Jane_Doe\", \"fields\": [\"org\"]},\n  {\"kind\": "
	                                 "\"added\", \"id\": \"New_P\"},\n  {\"kind\": \"removed\", "
	                                 "\"id\": \"Old_P\"}\n ]}\n"));
	/* JSON keeps the contract's kinds: the move is an assigned and a deassigned. */
	assert_non_null(strstr(out.data, "{\"kind\": \"assigned\", \"name\": \"foo\""));
	assert_non_null(strstr(out.data, "{\"kind\": \"deassigned\", \"name\": \"foo\""));
	/* Each half names the other by its index in "changes": assigned foo is changes[0],
	 * deassigned foo changes[2]. */
	assert_non_null(strstr(out.data, "\"pair\": {\"kind\": \"moved\", \"index\": 2}"));
	assert_non_null(strstr(out.data, "\"pair\": {\"kind\": \"moved\", \"index\": 0}"));
	assert_int_equal(count(out.data, "\"pair\": {\"kind\": \"moved\""), 2);
	assert_int_equal(count(out.data, "\"pair\": {\"kind\": \"renamed\""), 2);
	assert_int_equal(count(out.data, "{\"kind\": "), 13 + 3 + 4);

	/* A cap too small for the report is an error, not a truncated report. */
	{
		iw_buf small = IW_BUF_INIT(100);
		assert_int_equal(report_changes_text(&small, &from, &to, d), IW_ENOMEM);
		assert_int_equal(report_changes_json(&small, &from, &to, d), IW_ENOMEM);
		iw_buf_free(&small);
	}
	iw_buf_free(&out);
	diff_result_free(d);
	registry_doc_free(a);
	registry_doc_free(b);
}

/* ---- Markdown escaping and person names ------------------------------------------------- */

static void test_markdown_escaping(void **state)
{
	registry_doc *a = testdoc("2025-01-01", "", "");
	registry_doc *b = testdoc("2025-02-01",
	                          R(NAME("foo_bar") PROTO("tcp")
	                            DESC("a *b* [c](d) &lt;e&gt; `f` | g ~ h &amp; i # j !k \\ l")
	                            NUM("9")), "");
	diff_result *d = NULL;
	iw_buf out = IW_BUF_INIT(1 << 20);
	(void)state;
	assert_int_equal(diff_compute(a, b, &d), IW_OK);
	assert_int_equal(report_changes_markdown(&out, NULL, NULL, d), IW_OK);
	assert_non_null(strstr(out.data, "\n- **9/tcp foo\\_bar** assigned, was unassigned: "
	                                 "a \\*b\\* \\[c\\](d) \\<e\\> \\`f\\` \\| g \\~ h \\& i "
	                                 "\\# j \\!k \\\\ l\n"));
	/* Text leaves them alone. */
	iw_buf_reset(&out);
	assert_int_equal(report_changes_text(&out, NULL, NULL, d), IW_OK);
	assert_non_null(strstr(out.data, "  9/tcp foo_bar assigned, was unassigned: "
	                                 "a *b* [c](d) <e> `f` | g ~ h & i # j !k \\ l\n"));
	iw_buf_free(&out);
	diff_result_free(d);
	registry_doc_free(a);
	registry_doc_free(b);
}

static void test_person_label(void **state)
{
	registry_doc *a = testdoc("2025-01-01", "",
	                          PERSON("Jane_Doe", "<name>Jane Doe</name><org>Example</org>")
	                          PERSON("Only_Org", "<org>ACME</org>")
	                          PERSON("Same", "<name>IETF</name><org>IETF</org>")
	                          PERSON("Nobody", "<uri>mailto:x</uri>"));
	registry_doc *b = testdoc("2025-01-01", "", PERSON("Late", "<name>Late Comer</name>"));
	static const struct { const char *id, *label; } cases[] = {
		{"Jane_Doe", "Jane Doe (Example)"},
		{"Only_Org", "ACME"},
		{"Same", "IETF"},
		{"Nobody", "Nobody"},
		{"Late", "Late Comer"},
		{"Unknown", "Unknown"},
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		iw_buf out = IW_BUF_INIT(1024);
		assert_int_equal(registry_person_label(&out, a, b, cases[i].id), IW_OK);
		assert_string_equal(out.data, cases[i].label);
		iw_buf_free(&out);
	}
	registry_doc_free(a);
	registry_doc_free(b);
}

/* Person ids in assignee/contact lists and in notes read as names; words that merely look
 * like ids stay. */
static void test_person_resolution(void **state)
{
	static const char people[] =
		PERSON("Jane_Doe", "<name>Jane Doe</name><org>Example</org>")
		PERSON("John.Smith", "<name>John Smith</name>")
		PERSON("IESG", "<name>IESG</name>");
	registry_doc *a = testdoc("2025-01-01", "", people);
	registry_doc *b = testdoc("2025-02-01",
	                          R(NAME("svc") PROTO("udp")
	                            "<assignee><xref type=\"person\" data=\"Jane_Doe\"/>"
	                            "<xref type=\"person\" data=\"Ghost\"/></assignee>"
	                            "<xref type=\"person\" data=\"John.Smith\"/>"
	                            DESC("Svc") NUM("7")
	                            "<note>Moved by <xref type=\"person\" data=\"Jane_Doe\"/>, "
	                            "approved by John.Smith. Not Jane_Doex nor xJane_Doe.</note>"),
	                          people);
	diff_result *d = NULL;
	iw_buf out = IW_BUF_INIT(1 << 20);
	(void)state;
	assert_int_equal(diff_compute(a, b, &d), IW_OK);
	assert_int_equal(report_changes_text(&out, NULL, NULL, d), IW_OK);
	assert_non_null(strstr(out.data, "  7/udp svc assigned, was unassigned: Svc; assignee "
	                                 "Jane Doe (Example), Ghost; contact John Smith (Moved by "
	                                 "Jane Doe, approved by John Smith. Not Jane_Doex nor "
	                                 "xJane_Doe.)\n"));
	iw_buf_free(&out);
	diff_result_free(d);
	registry_doc_free(a);
	registry_doc_free(b);
}

static void test_json_record(void **state)
{
	registry_doc *a = testdoc("2025-01-01",
	                          "<record date=\"2001-02-03\" updated=\"2004-05-06\">"
	                          NAME("full") PROTO("dccp")
	                          "<assignee><xref type=\"person\" data=\"A\"/>"
	                          "<xref type=\"person\" data=\"B\"/></assignee>"
	                          "<xref type=\"person\" data=\"C\"/>"
	                          "<xref type=\"rfc\" data=\"rfc1\"/><xref type=\"uri\" "
	                          "data=\"https://x\"/>"
	                          DESC("say \"hi\"") NUM("10-20") "<note>n1</note><note>n2</note>"
	                          "<unauthorized>u</unauthorized><sc>SC</sc></record>", "");
	iw_buf out = IW_BUF_INIT(4096);
	(void)state;
	assert_int_equal(a->nrecords, 1);
	assert_int_equal(registry_json_record(&out, &a->records[0]), IW_OK);
	assert_string_equal(out.data,
		"{\"name\": \"full\", \"protocol\": \"dccp\", \"port\": 10, \"port_end\": 20, "
		"\"description\": \"say \\\"hi\\\"\", \"assignee\": [\"A\", \"B\"], \"contact\": [\"C\"], "
		"\"references\": [\"rfc:rfc1\", \"uri:https://x\"], \"notes\": \"n1 n2\", "
		"\"unauthorized\": \"u\", \"service_code\": \"SC\", \"registration_date\": "
		"\"2001-02-03\", \"modification_date\": \"2004-05-06\"}");
	iw_buf_reset(&out);
	assert_int_equal(registry_json_record(&out, NULL), IW_OK);
	assert_string_equal(out.data, "null");
	iw_buf_reset(&out);
	assert_int_equal(store_json_snapshot(&out, NULL), IW_OK);
	assert_string_equal(out.data, "null");
	iw_buf_free(&out);
	registry_doc_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_checker),
		cmocka_unit_test_setup_teardown(test_real_text, real_setup, real_teardown),
		cmocka_unit_test_setup_teardown(test_real_markdown, real_setup, real_teardown),
		cmocka_unit_test_setup_teardown(test_real_json, real_setup, real_teardown),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_all_kinds),
		cmocka_unit_test(test_markdown_escaping),
		cmocka_unit_test(test_person_label),
		cmocka_unit_test(test_person_resolution),
		cmocka_unit_test(test_json_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
