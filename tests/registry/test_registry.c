/* test_registry.c: the parser's handling of every quirk of the real registry, its refusals, and
 * the status rules, each as a row of a table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/common.h"
#include "registry/registry.h"
#include "common/banned.h"

#define HEAD "<?xml version='1.0' encoding='UTF-8'?>\n" \
	"<registry xmlns=\"http://www.iana.org/assignments\" id=\"service-names-port-numbers\">\n" \
	"<updated>2025-02-13</updated>\n"
#define TAIL "</registry>\n"

static registry_doc *parse_ok(const char *xml)
{
	registry_doc *doc = NULL;
	int rc = registry_parse((const unsigned char *)xml, strlen(xml), "t.xml", &doc);
	if (rc)
		fail_msg("parse failed: %s", iw_error_last());
	return doc;
}

/* One record's expected fields, as strings; NULL means absent. */
typedef struct record_case {
	const char *what;
	const char *xml;          /* one or more <record>s */
	size_t index;             /* which record to check */
	int port, port_end;
	const char *f[REG_NFIELDS];
	unsigned occurrence;
} record_case;

static const record_case record_cases[] = {
	{"a plain assignment", "<record><name>tcpmux</name><protocol>tcp</protocol>"
	 "<xref type=\"person\" data=\"Mark_Lottor\"/><description>TCP Port Service Multiplexer"
	 "</description><number>1</number></record>", 0, 1, 1,
	 {"tcpmux", "tcp", "TCP Port Service Multiplexer", NULL, "Mark_Lottor"}, 0},
	{"a record without protocol covers all", "<record><name>rdp</name>"
	 "<description>Reliable Data</description></record>", 0, -1, -1,
	 {"rdp", NULL, "Reliable Data"}, 0},
	{"a range", "<record><protocol>tcp</protocol><description>Unassigned</description>"
	 "<number>4-6</number></record>", 0, 4, 6, {NULL, "tcp", "Unassigned"}, 0},
	{"protocol is lowercased", "<record><name>x</name><protocol>TCP</protocol>"
	 "<number>9</number></record>", 0, 9, 9, {"x", "tcp"}, 0},
	{"whitespace is normalised", "<record>\n  <name>  a\n b </name>\n<description>\n\tone\n"
	 "   two  </description><number> 7 </number></record>", 0, 7, 7, {"a b", NULL, "one two"}, 0},
	{"an empty element is absent", "<record><name>e</name><description>  </description>"
	 "<note/></record>", 0, -1, -1, {"e"}, 0},
	{"assignee, contact, references and dates", "<record date=\"2019-04-22\" "
	 "updated=\"2025-02-13\"><name>c</name><protocol>udp</protocol><assignee>"
	 "<xref type=\"person\" data=\"A_One\"/><xref type=\"person\" data=\"B_Two\"/></assignee>"
	 "<xref type=\"person\" data=\"C_Three\"/><xref type=\"rfc\" data=\"rfc6335\"/>"
	 "<xref type=\"text\">n/a</xref><xref type=\"uri\" data=\"http://x.example/\"/>"
	 "<number>3</number></record>", 0, 3, 3,
	 {"c", "udp", NULL, "A_One\nB_Two", "C_Three", "rfc:rfc6335\ntext:n/a\nuri:http://x.example/",
	  NULL, NULL, NULL, "2019-04-22", "2025-02-13"}, 0},
	{"notes are joined and their xrefs give their data", "<record><protocol>tcp</protocol>"
	 "<description>Reserved</description><number>2</number><note>De-assigned on 2025-02-13, "
	 "previously compressnet by <xref type=\"person\" data=\"Bernie_Volz\"/></note>"
	 "<note>Second.</note></record>", 0, 2, 2,
	 {NULL, "tcp", "Reserved", NULL, NULL, NULL,
	  "De-assigned on 2025-02-13, previously compressnet by Bernie_Volz Second."}, 0},
	{"nested markup contributes its text", "<record><name>w</name><description>whois++<br/>"
	 "<br/>\nIANA assigned</description><note><paragraph>Defined TXT keys:</paragraph>\n"
	 "<paragraph>td: path</paragraph></note></record>", 0, -1, -1,
	 {"w", NULL, "whois++ IANA assigned", NULL, NULL, NULL, "Defined TXT keys: td: path"}, 0},
	{"unauthorized and service code", "<record><name>finger</name><protocol>tcp</protocol>"
	 "<number>79</number><unauthorized>Unauthorized use by some mail users</unauthorized>"
	 "<sc>1145656131</sc></record>", 0, 79, 79,
	 {"finger", "tcp", NULL, NULL, NULL, NULL, NULL, "Unauthorized use by some mail users",
	  "1145656131"}, 0},
	{"duplicate keys are numbered in document order",
	 "<record><name>rdp</name><description>first</description></record>"
	 "<record><name>rdp</name><description>second</description></record>", 1, -1, -1,
	 {"rdp", NULL, "second"}, 1},
	{"a service name without a port", "<record><name>compressnet</name><protocol>tcp</protocol>"
	 "<description>Management Utility</description></record>", 0, -1, -1,
	 {"compressnet", "tcp", "Management Utility"}, 0},
};

static void test_record_cases(void **state)
{
	size_t i;
	int f;
	(void)state;
	for (i = 0; i < sizeof(record_cases) / sizeof(*record_cases); i++) {
		const record_case *c = &record_cases[i];
		char *xml = iw_asprintf(HEAD "%s" TAIL, c->xml);
		registry_doc *doc = parse_ok(xml);
		const registry_record *r;
		print_message("case: %s\n", c->what);
		assert_true(c->index < doc->nrecords);
		r = &doc->records[c->index];
		assert_int_equal(r->port, c->port);
		assert_int_equal(r->port_end, c->port_end);
		assert_int_equal(r->occurrence, c->occurrence);
		for (f = 0; f < REG_NFIELDS; f++) {
			if (!c->f[f])
				assert_null(r->f[f]);
			else {
				assert_non_null(r->f[f]);
				assert_string_equal(r->f[f], c->f[f]);
			}
		}
		registry_doc_free(doc);
		free(xml);
	}
}

static void test_people_and_date(void **state)
{
	registry_doc *doc = parse_ok(HEAD "<record><name>a</name></record><people>"
		"<person id=\"Bernie_Volz\"><name>Bernie Volz</name><org>Cisco</org>"
		"<uri>mailto:volz&amp;cisco.com</uri><uri>http://x/</uri><updated>2025-01-01</updated>"
		"</person><person id=\"A\"><org>Org A</org></person></people>" TAIL);
	const registry_person *p;
	(void)state;
	assert_string_equal(doc->updated, "2025-02-13");
	assert_int_equal(doc->npeople, 2);
	registry_doc_index_people(doc);
	p = registry_doc_person(doc, "Bernie_Volz");
	assert_non_null(p);
	assert_string_equal(p->f[PERSON_NAME], "Bernie Volz");
	assert_string_equal(p->f[PERSON_ORG], "Cisco");
	assert_string_equal(p->f[PERSON_URI], "mailto:volz&cisco.com http://x/");
	assert_string_equal(p->f[PERSON_UPDATED], "2025-01-01");
	p = registry_doc_person(doc, "A");
	assert_non_null(p);
	assert_null(p->f[PERSON_NAME]);
	assert_null(registry_doc_person(doc, "nobody"));
	registry_doc_free(doc);
}

#define X16 "xxxxxxxxxxxxxxxx"
#define X256 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16

/* Documents that must be refused, and a word the message must contain. */
typedef struct bad_case {
	const char *what;
	const char *xml;
	const char *message;
} bad_case;

static const bad_case bad_cases[] = {
	{"empty", "", "empty document"},
	{"truncated", HEAD "<record><name>a</name><descr", "truncated"},
	{"not XML", "hello", "1: not XML: text where the document should start with a tag"},
	{"not XML after a declaration", "<?xml version='1.0'?>\n\nport 80/tcp", "3: not XML"},
	{"only white space", " \n\t\n", "not XML: no element, only white space"},
	{"only a comment", "<!-- nothing -->\n", "not XML: no element, only white space and comments or declarations"},
	{"HTML error page", "<!DOCTYPE html><html><body>503</body></html>", "HTML page"},
	{"wrong root", "<?xml version='1.0'?><html/>", "root element is <html>"},
	{"wrong namespace", "<registry xmlns=\"urn:x\" id=\"service-names-port-numbers\">"
	 "<updated>2025-01-01</updated></registry>", "namespace"},
	{"wrong id", "<registry xmlns=\"http://www.iana.org/assignments\" id=\"protocol-numbers\">"
	 "<updated>2025-01-01</updated></registry>", "protocol-numbers"},
	{"no date", "<registry xmlns=\"http://www.iana.org/assignments\" "
	 "id=\"service-names-port-numbers\"></registry>", "no <updated>"},
	{"bad date", "<registry xmlns=\"http://www.iana.org/assignments\" "
	 "id=\"service-names-port-numbers\"><updated>yesterday</updated></registry>", "not a date"},
	{"DOCTYPE with entity bomb", "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY a \"aaaa\">"
	 "<!ENTITY b \"&a;&a;&a;&a;\">]><registry/>", "DOCTYPE"},
	{"external entity", "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
	 "<registry>&x;</registry>", "DOCTYPE"},
	{"port above 65535", HEAD "<record><number>65536</number></record>" TAIL, "not 0-65535"},
	{"reversed range", HEAD "<record><number>10-5</number></record>" TAIL, "reversed"},
	{"port not a number", HEAD "<record><number>http</number></record>" TAIL, "not 0-65535"},
	{"negative port", HEAD "<record><number>-1</number></record>" TAIL, "not 0-65535"},
	{"two numbers", HEAD "<record><number>1</number><number>2</number></record>" TAIL,
	 "two <number>"},
	{"invalid UTF-8", HEAD "<record><name>\xff\xfe</name></record>" TAIL, "malformed XML"},
	{"undeclared entity", HEAD "<record><name>&bogus;</name></record>" TAIL, "XML"},
	/* Found by fuzzing: libxml2 reported this outside the parser and went on, cutting the text. */
	{"bytes invalid in the declared encoding", "<?xml version='1.0' encoding='EUC-JP'?>\n"
	 "<registry xmlns=\"http://www.iana.org/assignments\" id=\"service-names-port-numbers\">"
	 "<updated>2025-02-13</updated><record><name>\xd4ian</name></record></registry>\n",
	 "input conversion failed"},
	{"an attribute too long to keep whole", HEAD "<record><name>a</name><xref type=\"uri\" data=\""
	 X256 X256 X256 X256 X256 X256 X256 X256 "\"/></record>" TAIL, "attribute data is longer"},
	/* Found by fuzzing: the data attribute was then read from the input the refusal freed. */
	{"an over-long type inside collected text", HEAD "<record><note>see <xref type=\""
	 X16 X16 X16 X16 X16 "\" data=\"x\"/></note></record>" TAIL, "attribute type is longer"},
	{"a quoted value with a line break stays one line", "<registry xmlns="
	 "\"http://www.iana.org/assignments\" id=\"a&#10;b\"><updated>2025-01-01</updated>"
	 "</registry>", "registry id is 'a b'"},
};

static void test_bad_documents(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(*bad_cases); i++) {
		const bad_case *c = &bad_cases[i];
		registry_doc *doc = NULL;
		int rc;
		print_message("case: %s\n", c->what);
		iw_error_clear();
		rc = registry_parse((const unsigned char *)c->xml, strlen(c->xml), "bad.xml", &doc);
		assert_int_equal(rc, IW_EPARSE);
		assert_null(doc);
		if (!strstr(iw_error_last(), c->message))
			fail_msg("message '%s' lacks '%s'", iw_error_last(), c->message);
		assert_non_null(strstr(iw_error_last(), "bad.xml"));
	}
}

static void test_absurdly_long_field(void **state)
{
	size_t n = REGISTRY_MAX_FIELD + 10;
	char *big = iw_malloc(n + 1), *xml;
	registry_doc *doc = NULL;
	(void)state;
	memset(big, 'x', n);
	big[n] = '\0';
	xml = iw_asprintf(HEAD "<record><name>a</name><description>%s</description></record>" TAIL, big);
	assert_int_equal(registry_parse((unsigned char *)xml, strlen(xml), "big.xml", &doc), IW_EPARSE);
	assert_non_null(strstr(iw_error_last(), "longer than"));
	free(xml);
	free(big);
}

static void test_over_size_cap(void **state)
{
	registry_doc *doc = NULL;
	(void)state;
	/* Only the length is looked at before refusing, so no buffer of that size is needed. */
	assert_int_equal(registry_parse((const unsigned char *)"<", (size_t)REGISTRY_MAX_DOC_SIZE + 1,
	                                "huge.xml", &doc), IW_EPARSE);
	assert_non_null(strstr(iw_error_last(), "exceeds the cap"));
}

typedef struct kind_case {
	const char *name, *description;
	registry_kind kind;
} kind_case;

static const kind_case kind_cases[] = {
	{"http", "World Wide Web HTTP", REGISTRY_ASSIGNING},
	{"x", "Reserved", REGISTRY_ASSIGNING}, /* a name always assigns */
	{NULL, "Unassigned", REGISTRY_UNASSIGNING},
	{NULL, "Unassigned [was netstat]", REGISTRY_UNASSIGNING},
	{NULL, "(unassigned)", REGISTRY_UNASSIGNING},
	{NULL, "Reserved", REGISTRY_RESERVING},
	{NULL, "IANA Reserved", REGISTRY_RESERVING},
	{NULL, "De-registered", REGISTRY_RESERVING},
	{NULL, "Deregistered", REGISTRY_RESERVING},
	{NULL, "Removed 2007-02-22", REGISTRY_RESERVING},
	{NULL, "Deprecated", REGISTRY_RESERVING},
	{NULL, "De-Commissioned Port", REGISTRY_RESERVING},
	{NULL, "Decommissioned", REGISTRY_RESERVING},
	{NULL, "decomissioned", REGISTRY_RESERVING},
	{NULL, "any private mail system", REGISTRY_ASSIGNING},
	{NULL, NULL, REGISTRY_ASSIGNING},
};

static void test_kinds(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(kind_cases) / sizeof(*kind_cases); i++) {
		registry_record r;
		memset(&r, 0, sizeof(r));
		r.f[REG_NAME] = kind_cases[i].name;
		r.f[REG_DESCRIPTION] = kind_cases[i].description;
		print_message("case: %s / %s\n", kind_cases[i].name ? kind_cases[i].name : "-",
		              kind_cases[i].description ? kind_cases[i].description : "-");
		assert_int_equal(registry_record_kind(&r), kind_cases[i].kind);
	}
}

static void test_status_map(void **state)
{
	registry_doc *doc = parse_ok(HEAD
		"<record><protocol>tcp</protocol><description>Unassigned</description><number>1-100</number></record>"
		"<record><protocol>tcp</protocol><description>Reserved</description><number>2-3</number></record>"
		"<record><name>web</name><protocol>tcp</protocol><number>3</number></record>"
		"<record><description>Reserved</description><number>50</number></record>"
		"<record><name>noport</name><protocol>udp</protocol></record>" TAIL);
	registry_status_map *m = registry_status_map_build(doc);
	int tcp = registry_protocol_index("tcp"), udp = registry_protocol_index("udp");
	(void)state;
	assert_int_equal(m->s[tcp][1], STATUS_UNASSIGNED);
	assert_int_equal(m->s[tcp][2], STATUS_RESERVED);
	assert_int_equal(m->s[tcp][3], STATUS_ASSIGNED);
	assert_int_equal(m->s[tcp][50], STATUS_RESERVED);
	assert_int_equal(m->s[udp][50], STATUS_RESERVED);   /* no protocol: every protocol */
	assert_int_equal(m->s[registry_protocol_index("dccp")][50], STATUS_RESERVED);
	assert_int_equal(m->s[udp][3], STATUS_UNASSIGNED);
	assert_int_equal(registry_status_of(doc->records, doc->nrecords, tcp, 3), STATUS_ASSIGNED);
	assert_int_equal(registry_status_of(doc->records, doc->nrecords, tcp, 2), STATUS_RESERVED);
	assert_int_equal(registry_protocol_index("xyz"), -1);
	free(m);
	registry_doc_free(doc);
}

static void test_identity(void **state)
{
	registry_doc *a = parse_ok(HEAD "<record><name>a</name><description>x</description></record>"
	                           "<record><name>a</name><description>x</description></record>" TAIL);
	registry_doc *b = parse_ok(HEAD "\n\n  <record>\n <name>a</name>\n<description> x </description>"
	                           "</record>" TAIL);
	unsigned char h1[32], h2[32], h3[32];
	(void)state;
	registry_record_identity(&a->records[0], h1);
	registry_record_identity(&a->records[1], h2);
	registry_record_identity(&b->records[0], h3);
	assert_memory_not_equal(h1, h2, 32); /* same content, second occurrence */
	assert_memory_equal(h1, h3, 32);     /* re-indentation is no change */
	assert_int_equal(registry_record_equal(&a->records[0], &b->records[0]), 0);
	registry_doc_free(a);
	registry_doc_free(b);
}

static void test_real_snapshot(void **state)
{
	unsigned char *data;
	size_t len, i, unnamed = 0, noproto = 0, ranges = 0, noport = 0;
	registry_doc *doc = NULL;
	(void)state;
	assert_int_equal(iw_read_file(IW_SOURCE_DIR "/tests/data/2025-02-13.xml.gz",
	                              REGISTRY_MAX_DOC_SIZE, &data, &len), IW_OK);
	assert_int_equal(len, 3841246);
	assert_int_equal(registry_parse(data, len, "2025-02-13.xml", &doc), IW_OK);
	assert_string_equal(doc->updated, "2025-02-13");
	assert_int_equal(doc->nrecords, 14468);
	assert_int_equal(doc->npeople, 5570);
	for (i = 0; i < doc->nrecords; i++) {
		const registry_record *r = &doc->records[i];
		unnamed += !r->f[REG_NAME];
		noproto += !r->f[REG_PROTOCOL];
		ranges += r->port != r->port_end;
		noport += r->port == REGISTRY_NO_PORT;
	}
	assert_true(unnamed > 100 && noproto > 0 && ranges > 100 && noport > 100);
	registry_doc_free(doc);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_cases),
		cmocka_unit_test(test_people_and_date),
		cmocka_unit_test(test_bad_documents),
		cmocka_unit_test(test_absurdly_long_field),
		cmocka_unit_test(test_over_size_cap),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_status_map),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_real_snapshot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
