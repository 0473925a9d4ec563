/* test_export.c: the services, CSV and JSON exporters against their rules in export.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/common.h"
#include "export/export.h"
#include "common/banned.h"

#define R(body) "<record>" body "</record>\n"
#define NAME(x) "<name>" x "</name>"
#define PROTO(x) "<protocol>" x "</protocol>"
#define NUM(x) "<number>" x "</number>"
#define DESC(x) "<description>" x "</description>"
#define XREF(t, d) "<xref type=\"" t "\" data=\"" d "\"/>"
#define ASSIGNEE(id) "<assignee>" XREF("person", id) "</assignee>"

/* A document as the store hands it out: sorted canonically, people indexed. */
static registry_doc *doc_of(const char *records, const char *people)
{
	iw_buf b = IW_BUF_INIT(1 << 20);
	registry_doc *doc = NULL;
	assert_int_equal(iw_buf_printf(&b,
	                               "<?xml version='1.0' encoding='UTF-8'?>\n"
	                               "<registry xmlns=\"http://www.iana.org/assignments\" "
	                               "id=\"service-names-port-numbers\">\n"
	                               "<title>test</title><updated>2025-02-13</updated>\n%s\n"
	                               "<people>%s</people>\n</registry>\n",
	                               records, people ? people : ""), 0);
	if (registry_parse((const unsigned char *)b.data, b.len, "test.xml", &doc))
		fail_msg("parse: %s", iw_error_last());
	registry_doc_sort(doc);
	registry_doc_index_people(doc);
	iw_buf_free(&b);
	return doc;
}

/* ---- services -------------------------------------------------------------------------- */

typedef struct services_case {
	const char *what;
	const char *records;
	const char *lines; /* the body after the header comment */
} services_case;

#define LONG69 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopq"

static const services_case services_cases[] = {
	{"a named record", R(NAME("foo") PROTO("tcp") DESC("Some service") NUM("150")),
	 "foo              150/tcp    # Some service\n"},
	{"unnamed records give no line",
	 R(PROTO("tcp") DESC("Reserved") NUM("2")) R(PROTO("udp") DESC("Unassigned") NUM("3-9")), ""},
	{"a name without port gives no line", R(NAME("svc-only") DESC("Service name only")), ""},
	{"names exactly as the registry writes them (issue 13); protocols lowercased",
	 R(NAME("Foo_Bar") PROTO("TCP") DESC("x") NUM("7")) R(NAME("914c/g") PROTO("tcp") NUM("7")),
	 "914c/g           7/tcp\nFoo_Bar          7/tcp      # x\n"},
	{"a name a line cannot hold: its first word, the registry's name in the comment",
	 R(NAME("Apple Remote Desktop (Net Assistant)") PROTO("tcp") DESC("Net Assistant") NUM("8"))
	 R(NAME("Two Words#") PROTO("tcp") NUM("9")) R(NAME("Hash#tag") PROTO("udp") NUM("9")),
	 "Apple            8/tcp      # registry name \"Apple Remote Desktop (Net Assistant)\": Net "
	 "Assistant\nTwo              9/tcp      # registry name \"Two Words#\"\n"
	 "Hash             9/udp      # registry name \"Hash#tag\"\n"},
	{"a name that is all blanks or a comment gives no line",
	 R(NAME("#x") PROTO("tcp") NUM("10")) R(NAME("ok") PROTO("tcp") NUM("10")),
	 "ok               10/tcp\n"},
	{"a range gives a line per port",
	 R(NAME("x11") PROTO("tcp") DESC("X") NUM("6000-6002")),
	 "x11              6000/tcp   # X\nx11              6001/tcp   # X\nx11              6002/tcp   # X\n"},
	{"no protocol gives tcp and udp",
	 R(NAME("active-net") DESC("Active Networks") NUM("3322-3323")),
	 "active-net       3322/tcp   # Active Networks\nactive-net       3322/udp   # Active Networks\n"
	 "active-net       3323/tcp   # Active Networks\nactive-net       3323/udp   # Active Networks\n"},
	{"the same name, port and protocol once",
	 R(NAME("dup") PROTO("tcp") DESC("one") NUM("9")) R(NAME("dup") PROTO("tcp") DESC("two") NUM("9")),
	 "dup              9/tcp      # one\n"},
	{"names equal but for case are one name, as the document first spells it",
	 R(NAME("Dup") PROTO("tcp") NUM("9")) R(NAME("dup") PROTO("tcp") NUM("9")), "Dup              9/tcp\n"},
	{"a description of 70 characters or more is no comment, with no trailing blanks",
	 R(NAME("long") PROTO("tcp") DESC(LONG69 "r") NUM("1"))
	 R(NAME("short") PROTO("tcp") DESC(LONG69) NUM("1")),
	 "long             1/tcp\nshort            1/tcp      # " LONG69 "\n"},
	{"characters, not bytes, count",
	 R(NAME("utf") PROTO("udp") DESC("\xc3\xa9" LONG69 "") NUM("4")),
	 "utf              4/udp\n"},
	{"multibyte text under the limit keeps its comment",
	 R(NAME("utf") PROTO("udp") DESC("Caf\xc3\xa9 \xe2\x80\x94 \xe6\x97\xa5") NUM("4")),
	 "utf              4/udp      # Caf\xc3\xa9 \xe2\x80\x94 \xe6\x97\xa5\n"},
	{"historic names are kept", R(NAME("msp") PROTO("tcp") DESC("Message Send Protocol (historic)") NUM("18")),
	 "msp              18/tcp     # Message Send Protocol (historic)\n"},
	{"no description, no comment", R(NAME("bare") PROTO("sctp") NUM("5")), "bare             5/sctp\n"},
	{"port order, then tcp, udp, sctp, dccp, then other protocols, then name",
	 R(NAME("b") PROTO("dccp") DESC("d") NUM("10")) R(NAME("b") PROTO("sctp") DESC("s") NUM("10"))
	 R(NAME("b") PROTO("udp") DESC("u") NUM("10")) R(NAME("a") PROTO("udp") DESC("u") NUM("10"))
	 R(NAME("r") PROTO("tcp") DESC("r") NUM("9-11")) R(NAME("z") PROTO("tcp") DESC("t") NUM("1"))
	 R(NAME("q") PROTO("quic") DESC("q") NUM("10")),
	 "z                1/tcp      # t\nr                9/tcp      # r\nr                10/tcp     # r\n"
	 "a                10/udp     # u\nb                10/udp     # u\nb                10/sctp    # s\n"
	 "b                10/dccp    # d\nq                10/quic    # q\nr                11/tcp     # r\n"},
};

static void test_services(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(services_cases) / sizeof(*services_cases); i++) {
		const services_case *tc = &services_cases[i];
		registry_doc *doc = doc_of(tc->records, NULL);
		iw_buf out = IW_BUF_INIT(1 << 20);
		const char *body;
		assert_int_equal(export_services(&out, NULL, doc), IW_OK);
		body = strstr(out.data, "service-names-port-numbers\n#\n");
		assert_non_null(body);
		body += strlen("service-names-port-numbers\n#\n");
		if (strcmp(body, tc->lines))
			fail_msg("%s:\n--- got\n%s--- expected\n%s", tc->what, body, tc->lines);
		iw_buf_free(&out);
		registry_doc_free(doc);
	}
}

static void test_services_header(void **state)
{
	registry_doc *doc = doc_of("", NULL);
	store_snapshot snap;
	iw_buf out = IW_BUF_INIT(1 << 16);
	(void)state;
	memset(&snap, 0, sizeof(snap));
	snap.id = 42;
	snprintf(snap.observed_at, sizeof(snap.observed_at), "2025-02-14T01:46:39Z");
	snprintf(snap.sha256, sizeof(snap.sha256), "%064d", 7);
	assert_int_equal(export_services(&out, &snap, doc), IW_OK);
	assert_string_equal(out.data,
		"# /etc/services: IANA's Service Name and Transport Protocol Port Number Registry\n"
		"# as of 2025-02-13 (ianawatch snapshot 42, observed 2025-02-14T01:46:39Z,\n"
		"# sha256 0000000000000000000000000000000000000000000000000000000000000007).\n#\n"
		"# See also services(5) and IANA's official page:\n"
		"# https://www.iana.org/assignments/service-names-port-numbers\n#\n");
	iw_buf_reset(&out);
	assert_int_equal(export_services(&out, NULL, doc), IW_OK);
	assert_non_null(strstr(out.data, "\n# as of 2025-02-13.\n#\n"));
	iw_buf_free(&out);
	registry_doc_free(doc);
}

/* A range over every port on many records must be refused, not fill the memory. */
static void test_services_cap(void **state)
{
	iw_buf recs = IW_BUF_INIT(1 << 20), out = IW_BUF_INIT((size_t)1 << 30);
	registry_doc *doc;
	int i;
	(void)state;
	for (i = 0; i < 40; i++)
		iw_buf_printf(&recs, R(NAME("all%d") DESC("x") NUM("0-65535")), i);
	doc = doc_of(recs.data, NULL);
	assert_int_equal(export_services(&out, NULL, doc), IW_ENOMEM);
	assert_non_null(strstr(iw_error_last(), "lines"));
	iw_buf_free(&out);
	iw_buf_free(&recs);
	registry_doc_free(doc);
	/* And a buffer's cap is honoured. */
	doc = doc_of(R(NAME("foo") PROTO("tcp") DESC("Some service") NUM("150")), NULL);
	iw_buf_init(&out, 64);
	assert_int_equal(export_services(&out, NULL, doc), IW_ENOMEM);
	iw_buf_free(&out);
	registry_doc_free(doc);
}

/* ---- csv ------------------------------------------------------------------------------- */

typedef struct csv_field_case {
	const char *in, *out;
} csv_field_case;

static const csv_field_case csv_field_cases[] = {
	{"plain", "plain"},
	{"", ""},
	{"a, b", "\"a, b\""},
	{"say \"hi\"", "\"say \"\"hi\"\"\""},
	{"\"", "\"\"\"\""},
	{"two\nlines", "\"two\nlines\""},
	{"cr\r", "\"cr\r\""},
	{"semi;colon and 'quote'", "semi;colon and 'quote'"},
};

static void test_csv_field(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(csv_field_cases) / sizeof(*csv_field_cases); i++) {
		iw_buf out = IW_BUF_INIT(1024);
		assert_int_equal(export_csv_field(&out, csv_field_cases[i].in,
		                                  strlen(csv_field_cases[i].in)), IW_OK);
		assert_string_equal(out.data ? out.data : "", csv_field_cases[i].out);
		iw_buf_free(&out);
	}
	{
		iw_buf out = IW_BUF_INIT(1024);
		assert_int_equal(export_csv_field(&out, NULL, 0), IW_OK);
		assert_int_equal(out.len, 0);
		/* Only len counts: the field may be part of a longer string. */
		assert_int_equal(export_csv_field(&out, "ab,cd", 2), IW_OK);
		assert_string_equal(out.data, "ab");
		iw_buf_free(&out);
	}
}

typedef struct csv_case {
	const char *what;
	const char *records;
	const char *row;
} csv_case;

static const csv_case csv_cases[] = {
	{"every column",
	 "<record date=\"2001-02-03\" updated=\"2024-05-06\">" NAME("http") PROTO("tcp")
	 ASSIGNEE("IESG") XREF("person", "IETF_Chair") DESC("World Wide Web HTTP") NUM("80")
	 XREF("rfc", "rfc9110") "<note>Defined TXT keys</note><sc>SC1</sc>"
	 "<unauthorized>Known misuse</unauthorized></record>",
	 "http,80,tcp,World Wide Web HTTP,[IESG],[IETF_Chair],2001-02-03,2024-05-06,[RFC9110],SC1,"
	 "Known misuse,Defined TXT keys\r\n"},
	{"a range, no name", R(PROTO("udp") DESC("Unassigned") NUM("100-200")),
	 ",100-200,udp,Unassigned,,,,,,,,\r\n"},
	{"no port, no protocol", R(NAME("svc") DESC("Only a name")), "svc,,,Only a name,,,,,,,,\r\n"},
	{"several ids and references concatenated; draft, uri and note in brackets, text as is",
	 R(NAME("x") PROTO("tcp") "<assignee>" XREF("person", "A") XREF("person", "B") "</assignee>"
	   XREF("person", "C") XREF("person", "D") NUM("1") XREF("rfc", "rfc4727")
	   XREF("rfc", "rfc6335") XREF("draft", "draft-ietf-foo-01") XREF("uri", "https://e.org/a")
	   XREF("note", "1") "<xref type=\"text\">n/a</xref>"),
	 "x,1,tcp,,[A][B],[C][D],,,[RFC4727][RFC6335][draft-ietf-foo-01][https://e.org/a][1]n/a,,,\r\n"},
	{"commas and quotes are quoted",
	 R(NAME("q") PROTO("tcp") DESC("a \"quoted\", text") NUM("2") "<note>one, two</note>"),
	 "q,2,tcp,\"a \"\"quoted\"\", text\",,,,,,,,\"one, two\"\r\n"},
};

static void test_csv(void **state)
{
	static const char header[] =
		"Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,"
		"Registration Date,Modification Date,Reference,Service Code,Unauthorized Use Reported,"
		"Assignment Notes\r\n";
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(csv_cases) / sizeof(*csv_cases); i++) {
		const csv_case *tc = &csv_cases[i];
		registry_doc *doc = doc_of(tc->records, NULL);
		iw_buf out = IW_BUF_INIT(1 << 20);
		assert_int_equal(export_csv(&out, doc), IW_OK);
		assert_memory_equal(out.data, header, strlen(header));
		if (strcmp(out.data + strlen(header), tc->row))
			fail_msg("%s:\n--- got\n%s--- expected\n%s", tc->what, out.data + strlen(header),
			         tc->row);
		iw_buf_free(&out);
		registry_doc_free(doc);
	}
}

/* ---- json ------------------------------------------------------------------------------ */

static void test_json(void **state)
{
	registry_doc *doc = doc_of(R(NAME("foo") PROTO("tcp") ASSIGNEE("P_1") DESC("F \"x\"") NUM("5-6"))
	                           R(PROTO("udp") DESC("Reserved") NUM("7")),
	                           "<person id=\"P_1\"><name>Pat</name><org>Org</org>"
	                           "<uri>mailto:p&amp;e.org</uri><updated>2020-01-02</updated></person>"
	                           "<person id=\"Q\"><name>Q</name></person>");
	registry_doc *empty = doc_of("", NULL);
	store_snapshot snap;
	iw_buf out = IW_BUF_INIT(1 << 20);
	(void)state;
	memset(&snap, 0, sizeof(snap));
	snap.id = 3;
	snprintf(snap.registry_updated, sizeof(snap.registry_updated), "2025-02-13");
	snprintf(snap.observed_at, sizeof(snap.observed_at), "2025-02-14T01:46:39Z");
	snprintf(snap.sha256, sizeof(snap.sha256), "ab");
	assert_int_equal(export_json(&out, &snap, doc), IW_OK);
	assert_string_equal(out.data,
		"{\"snapshot\": {\"id\": 3, \"registry_updated\": \"2025-02-13\", \"observed_at\": "
		"\"2025-02-14T01:46:39Z\", \"sha256\": \"ab\"},\n\"records\": [\n"
		" {\"name\": \"foo\", \"protocol\": \"tcp\", \"port\": 5, \"port_end\": 6, \"description\": "
		"\"F \\\"x\\\"\", \"assignee\": [\"P_1\"], \"contact\": [], \"references\": [], \"notes\": null, "
		"\"unauthorized\": null, \"service_code\": null, \"registration_date\": null, "
		"\"modification_date\": null},\n"
		" {\"name\": null, \"protocol\": \"udp\", \"port\": 7, \"port_end\": 7, \"description\": "
		"\"Reserved\", \"assignee\": [], \"contact\": [], \"references\": [], \"notes\": null, "
		"\"unauthorized\": null, \"service_code\": null, \"registration_date\": null, "
		"\"modification_date\": null}\n],\n\"people\": [\n"
		" {\"id\": \"P_1\", \"name\": \"Pat\", \"org\": \"Org\", \"uri\": \"mailto:p&e.org\", "
		"\"updated\": \"2020-01-02\"},\n"
		" {\"id\": \"Q\", \"name\": \"Q\", \"org\": null, \"uri\": null, \"updated\": null}\n]}\n");
	iw_buf_reset(&out);
	assert_int_equal(export_json(&out, NULL, empty), IW_OK);
	assert_string_equal(out.data, "{\"snapshot\": null,\n\"records\": [],\n\"people\": []}\n");
	iw_buf_free(&out);
	registry_doc_free(doc);
	registry_doc_free(empty);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_services),
		cmocka_unit_test(test_services_header),
		cmocka_unit_test(test_services_cap),
		cmocka_unit_test(test_csv_field),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
