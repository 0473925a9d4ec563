/* test_diff.c: the semantic diff engine against every rule of issue 3's contract. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/common.h"
#include "diff/diff.h"
#include "testdoc.h"
#include "common/banned.h"

#define R(body) "<record>" body "</record>\n"
#define NAME(x) "<name>" x "</name>"
#define PROTO(x) "<protocol>" x "</protocol>"
#define NUM(x) "<number>" x "</number>"
#define DESC(x) "<description>" x "</description>"
#define UNASSIGNED(proto, num) R(PROTO(proto) DESC("Unassigned") NUM(num))
#define RESERVED(proto, num) R(PROTO(proto) DESC("Reserved") NUM(num))
#define ENTRY(name, proto, num) R(NAME(name) PROTO(proto) DESC("Some service") NUM(num))
#define PERSON(id, body) "<person id=\"" id "\">" body "</person>"

typedef struct diff_case {
	const char *what;
	const char *a, *b;               /* records of A and B */
	const char *people_a, *people_b; /* NULL: none */
	const char *expect;              /* testdoc_signature() of the diff */
} diff_case;

static const diff_case diff_cases[] = {
	/* ---- assignments, status, ranges ---- */
	{"assignment out of an Unassigned range",
	 UNASSIGNED("tcp", "100-200"),
	 UNASSIGNED("tcp", "100-149") ENTRY("foo", "tcp", "150") UNASSIGNED("tcp", "151-200"),
	 NULL, NULL, "assigned foo tcp 150"},
	{"assignment of a Reserved port",
	 RESERVED("tcp", "150"), ENTRY("foo", "tcp", "150"), NULL, NULL, "assigned foo tcp 150"},
	{"assignment of a range, one port of it was free",
	 ENTRY("bar", "udp", "6000") ENTRY("bar", "udp", "6002"),
	 ENTRY("bar", "udp", "6000") ENTRY("bar", "udp", "6002") ENTRY("x11", "udp", "6000-6002"),
	 NULL, NULL, "assigned x11 udp 6000-6002"},
	{"second entry on an assigned port is added, not assigned",
	 ENTRY("foo", "tcp", "150"), ENTRY("foo", "tcp", "150") ENTRY("foo-alt", "tcp", "150"),
	 NULL, NULL, "added foo-alt tcp 150"},
	{"range split is no change",
	 UNASSIGNED("tcp", "100-200"), UNASSIGNED("tcp", "100-149") UNASSIGNED("tcp", "150-200"),
	 NULL, NULL, ""},
	{"range merge is no change",
	 UNASSIGNED("udp", "100-149") UNASSIGNED("udp", "150-200"), UNASSIGNED("udp", "100-200"),
	 NULL, NULL, ""},
	{"reserved range split with another wording is no change",
	 RESERVED("tcp", "10-20"),
	 R(PROTO("tcp") DESC("IANA Reserved") NUM("10-15")) RESERVED("tcp", "16-20"),
	 NULL, NULL, ""},
	{"Unassigned to Reserved is a status change",
	 UNASSIGNED("tcp", "100-200"),
	 UNASSIGNED("tcp", "100-149") RESERVED("tcp", "150-160") UNASSIGNED("tcp", "161-200"),
	 NULL, NULL, "status - tcp 150-160 unassigned>reserved"},
	{"a dropped Reserved record leaves the port unassigned",
	 RESERVED("tcp", "7"), "", NULL, NULL, "status - tcp 7 reserved>unassigned"},
	{"runs break where (before, after) changes",
	 UNASSIGNED("tcp", "1-10") RESERVED("tcp", "11-20"),
	 RESERVED("tcp", "1-10") UNASSIGNED("tcp", "11-20"),
	 NULL, NULL, "status - tcp 1-10 unassigned>reserved\nstatus - tcp 11-20 reserved>unassigned"},
	{"De-Commissioned Port reserves",
	 UNASSIGNED("tcp", "16"), R(PROTO("tcp") DESC("De-Commissioned Port") NUM("16")),
	 NULL, NULL, "status - tcp 16 unassigned>reserved"},
	{"status of a record without protocol changes every protocol",
	 "", R(DESC("Reserved") NUM("5")), NULL, NULL,
	 "status - dccp 5 unassigned>reserved\nstatus - sctp 5 unassigned>reserved\n"
	 "status - tcp 5 unassigned>reserved\nstatus - udp 5 unassigned>reserved"},

	/* ---- de-assignments, moves, renames ---- */
	{"de-assignment to Reserved",
	 ENTRY("compressnet", "tcp", "2"),
	 R(PROTO("tcp") DESC("Reserved") NUM("2")
	   "<note>De-assigned on 2025-02-13, previously compressnet by "
	   "<xref type=\"person\" data=\"Bernie_Volz\"/></note>"),
	 NULL, NULL, "deassigned compressnet tcp 2"},
	{"de-assignment by dropping the record",
	 ENTRY("foo", "tcp", "2"), "", NULL, NULL, "deassigned foo tcp 2"},
	{"Unassigned [was netstat] unassigns",
	 ENTRY("netstat", "tcp", "15"), R(PROTO("tcp") DESC("Unassigned [was netstat]") NUM("15")),
	 NULL, NULL, "deassigned netstat tcp 15"},
	{"port move",
	 ENTRY("foo", "tcp", "100") UNASSIGNED("tcp", "200"),
	 UNASSIGNED("tcp", "100") ENTRY("foo", "tcp", "200"),
	 NULL, NULL, "assigned foo tcp 200\ndeassigned foo tcp 100"},
	{"rename on the same port",
	 ENTRY("foo", "tcp", "100"), ENTRY("bar", "tcp", "100"),
	 NULL, NULL, "added bar tcp 100\nremoved foo tcp 100"},
	{"port dropped while the name stays",
	 ENTRY("foo", "tcp", "100"), R(NAME("foo") PROTO("tcp") DESC("Foo")) RESERVED("tcp", "100"),
	 NULL, NULL, "deassigned foo tcp 100\nadded foo tcp -"},
	{"service names without port come and go",
	 R(NAME("old") DESC("Old service")), R(NAME("new") PROTO("tcp") DESC("New service")),
	 NULL, NULL, "added new tcp -\nremoved old - -"},

	/* ---- records without protocol ---- */
	{"record without protocol replacing per-protocol records",
	 ENTRY("foo", "tcp", "300") ENTRY("foo", "udp", "300"), R(NAME("foo") NUM("300")),
	 NULL, NULL, "assigned foo - 300\nremoved foo tcp 300\nremoved foo udp 300"},
	{"record without protocol narrowed to tcp",
	 R(NAME("foo") NUM("300")), ENTRY("foo", "tcp", "300"),
	 NULL, NULL, "deassigned foo - 300\nadded foo tcp 300"},
	{"record on an unknown protocol covers no status",
	 "", ENTRY("foo", "ddp", "300"), NULL, NULL, "added foo ddp 300"},

	/* ---- unnamed assignments ---- */
	{"unnamed assignment",
	 UNASSIGNED("tcp", "24"), R(PROTO("tcp") DESC("any private mail system") NUM("24")),
	 NULL, NULL, "assigned - tcp 24"},
	{"unnamed assignment edited",
	 R(PROTO("tcp") "<xref type=\"person\" data=\"Rick_Adams\"/>"
	   DESC("any private mail system") NUM("24")),
	 R(PROTO("tcp") "<xref type=\"person\" data=\"Someone_Else\"/>"
	   DESC("any private mail system") NUM("24")),
	 NULL, NULL, "modified - tcp 24 contact"},
	{"unnamed assignment de-assigned",
	 R(PROTO("udp") DESC("any private terminal access") NUM("57")), RESERVED("udp", "57"),
	 NULL, NULL, "deassigned - udp 57"},

	/* ---- duplicate keys ---- */
	{"duplicate keys: the surplus one is gone",
	 R(NAME("foo") PROTO("tcp") DESC("one") NUM("100")) R(NAME("foo") PROTO("tcp") DESC("two") NUM("100")),
	 R(NAME("foo") PROTO("tcp") DESC("one") NUM("100")),
	 NULL, NULL, "removed foo tcp 100"},
	{"duplicate keys: matched in document order",
	 R(NAME("foo") PROTO("tcp") DESC("one") NUM("100")),
	 R(NAME("foo") PROTO("tcp") DESC("zero") NUM("100")) R(NAME("foo") PROTO("tcp") DESC("one") NUM("100")),
	 NULL, NULL, "added foo tcp 100\nmodified foo tcp 100 description"},
	{"duplicate keys: both kept unchanged",
	 ENTRY("foo", "tcp", "100") ENTRY("foo", "tcp", "100"),
	 ENTRY("foo", "tcp", "100") ENTRY("foo", "tcp", "100"), NULL, NULL, ""},

	/* ---- field edits: every compared field ---- */
	{"edit description",
	 R(NAME("foo") PROTO("tcp") DESC("one") NUM("100")),
	 R(NAME("foo") PROTO("tcp") DESC("two") NUM("100")),
	 NULL, NULL, "modified foo tcp 100 description"},
	{"edit assignee",
	 R(NAME("foo") PROTO("tcp") "<assignee><xref type=\"person\" data=\"A\"/></assignee>" NUM("100")),
	 R(NAME("foo") PROTO("tcp") "<assignee><xref type=\"person\" data=\"B\"/></assignee>" NUM("100")),
	 NULL, NULL, "modified foo tcp 100 assignee"},
	{"edit contact",
	 R(NAME("foo") PROTO("tcp") "<xref type=\"person\" data=\"A\"/>" NUM("100")),
	 R(NAME("foo") PROTO("tcp") "<xref type=\"person\" data=\"A\"/><xref type=\"person\" data=\"B\"/>" NUM("100")),
	 NULL, NULL, "modified foo tcp 100 contact"},
	{"edit references",
	 R(NAME("foo") PROTO("tcp") "<xref type=\"rfc\" data=\"rfc1\"/>" NUM("100")),
	 R(NAME("foo") PROTO("tcp") "<xref type=\"rfc\" data=\"rfc2\"/>" NUM("100")),
	 NULL, NULL, "modified foo tcp 100 references"},
	{"edit notes",
	 R(NAME("foo") PROTO("tcp") NUM("100") "<note>x</note>"),
	 R(NAME("foo") PROTO("tcp") NUM("100") "<note>x</note><note>y</note>"),
	 NULL, NULL, "modified foo tcp 100 notes"},
	{"edit unauthorized",
	 R(NAME("foo") PROTO("tcp") NUM("100")),
	 R(NAME("foo") PROTO("tcp") NUM("100") "<unauthorized>yes</unauthorized>"),
	 NULL, NULL, "modified foo tcp 100 unauthorized"},
	{"edit service code",
	 R(NAME("foo") PROTO("tcp") NUM("100") "<sc>1</sc>"),
	 R(NAME("foo") PROTO("tcp") NUM("100") "<sc>2</sc>"),
	 NULL, NULL, "modified foo tcp 100 service_code"},
	{"edit registration date",
	 "<record date=\"2020-01-01\">" NAME("foo") PROTO("tcp") NUM("100") "</record>",
	 "<record date=\"2021-01-01\">" NAME("foo") PROTO("tcp") NUM("100") "</record>",
	 NULL, NULL, "modified foo tcp 100 registration_date"},
	{"edit modification date",
	 "<record updated=\"2020-01-01\">" NAME("foo") PROTO("tcp") NUM("100") "</record>",
	 "<record>" NAME("foo") PROTO("tcp") NUM("100") "</record>",
	 NULL, NULL, "modified foo tcp 100 modification_date"},
	{"several fields, sorted by name",
	 R(NAME("foo") PROTO("tcp") DESC("one") NUM("100") "<note>n1</note>"),
	 R(NAME("foo") PROTO("tcp") "<assignee><xref type=\"person\" data=\"A\"/></assignee>"
	   DESC("two") NUM("100") "<note>n2</note>"),
	 NULL, NULL, "modified foo tcp 100 assignee,description,notes"},
	{"whitespace and protocol case are no change",
	 R(NAME("foo") PROTO("TCP") DESC("  a \n  b ") NUM("100")),
	 R(NAME("foo") PROTO("tcp") DESC("a b") NUM("100")),
	 NULL, NULL, ""},
	{"record moved within the document is no change",
	 ENTRY("a", "tcp", "1") ENTRY("b", "tcp", "2"), ENTRY("b", "tcp", "2") ENTRY("a", "tcp", "1"),
	 NULL, NULL, ""},

	/* ---- people ---- */
	{"people added, removed and modified",
	 "",
	 "",
	 PERSON("W", "<name>W</name><uri>mailto:w&amp;a.org</uri><updated>2020-01-01</updated>")
	 PERSON("Y", "<name>Y</name>") PERSON("Z", "<name>Z</name><org>Old</org>")
	 PERSON("Q", "<name>Q</name>"),
	 PERSON("Q", "<name>Q</name>") PERSON("W", "<name>W W</name><uri>mailto:w&amp;b.org</uri>"
	                                      "<updated>2021-01-01</updated>")
	 PERSON("X", "<name>X</name>") PERSON("Z", "<name>Z</name><org>New</org>"),
	 "person-modified W name,updated,uri\nperson-added X\nperson-removed Y\n"
	 "person-modified Z org"},
	{"people: a second uri is a change",
	 "", "", PERSON("P", "<name>P</name><uri>mailto:a</uri>"),
	 PERSON("P", "<name>P</name><uri>mailto:a</uri><uri>https://p.example</uri>"),
	 "person-modified P uri"},
};

static char *run_diff(const char *a, const char *b, const char *pa, const char *pb)
{
	registry_doc *da = testdoc("2025-01-01", a, pa ? pa : "");
	registry_doc *db = testdoc("2025-02-01", b, pb ? pb : "");
	diff_result *d = NULL;
	char *sig;
	assert_int_equal(diff_compute(da, db, &d), IW_OK);
	assert_ptr_equal(d->a, da);
	assert_ptr_equal(d->b, db);
	sig = testdoc_signature(d);
	diff_result_free(d);
	registry_doc_free(da);
	registry_doc_free(db);
	return sig;
}

static void test_cases(void **state)
{
	size_t i, failures = 0;
	(void)state;
	for (i = 0; i < sizeof(diff_cases) / sizeof(*diff_cases); i++) {
		const diff_case *c = &diff_cases[i];
		char *sig = run_diff(c->a, c->b, c->people_a, c->people_b);
		if (strcmp(sig, c->expect)) {
			print_error("case '%s':\n  expected: [%s]\n  got:      [%s]\n", c->what, c->expect, sig);
			failures++;
		}
		free(sig);
	}
	assert_int_equal(failures, 0);
}

/* Without changes in B, the reverse diff mirrors each kind. */
static void test_reverse(void **state)
{
	char *sig;
	(void)state;
	sig = run_diff(UNASSIGNED("tcp", "100") ENTRY("foo", "tcp", "200"),
	               ENTRY("foo", "tcp", "100") UNASSIGNED("tcp", "200"), NULL, NULL);
	assert_string_equal(sig, "assigned foo tcp 100\ndeassigned foo tcp 200");
	free(sig);
}

static void test_identical_and_self(void **state)
{
	registry_doc *da = testdoc("2025-01-01", ENTRY("foo", "tcp", "1") RESERVED("udp", "1"), "");
	diff_result *d = NULL;
	size_t counts[DIFF_NKINDS], people[DIFF_NKINDS];
	int k;
	(void)state;
	assert_int_equal(diff_compute(da, da, &d), IW_OK);
	assert_true(diff_result_empty(d));
	diff_count(d, counts, people);
	for (k = 0; k < DIFF_NKINDS; k++)
		assert_int_equal(counts[k] + people[k], 0);
	diff_result_free(d);
	diff_result_free(NULL);
	assert_true(diff_result_empty(NULL));
	assert_int_equal(diff_compute(NULL, da, &d), IW_EINVAL);
	assert_null(d);
	registry_doc_free(da);
}

/* The change carries the records: before in A, after in B, the surplus duplicate's own. */
static void test_change_records(void **state)
{
	registry_doc *da = testdoc("2025-01-01",
	                           R(NAME("foo") PROTO("tcp") DESC("one") NUM("100"))
	                           R(NAME("foo") PROTO("tcp") DESC("two") NUM("100"))
	                           R(NAME("bar") PROTO("tcp") DESC("old") NUM("101")), "");
	registry_doc *db = testdoc("2025-02-01",
	                           R(NAME("foo") PROTO("tcp") DESC("one") NUM("100"))
	                           R(NAME("bar") PROTO("tcp") DESC("new") NUM("101")), "");
	diff_result *d = NULL;
	size_t counts[DIFF_NKINDS];
	(void)state;
	assert_int_equal(diff_compute(da, db, &d), IW_OK);
	assert_int_equal(d->nchanges, 2);
	assert_int_equal(d->changes[0].kind, DIFF_REMOVED);
	assert_string_equal(d->changes[0].before->f[REG_DESCRIPTION], "two");
	assert_null(d->changes[0].after);
	assert_int_equal(d->changes[1].kind, DIFF_MODIFIED);
	assert_string_equal(d->changes[1].before->f[REG_DESCRIPTION], "old");
	assert_string_equal(d->changes[1].after->f[REG_DESCRIPTION], "new");
	assert_int_equal(d->changes[1].fields, 1u << REG_DESCRIPTION);
	diff_count(d, counts, NULL);
	assert_int_equal(counts[DIFF_REMOVED], 1);
	assert_int_equal(counts[DIFF_MODIFIED], 1);
	assert_int_equal(counts[DIFF_ADDED], 0);
	diff_result_free(d);
	registry_doc_free(da);
	registry_doc_free(db);
}

static const char real_pair[] =
	"deassigned compressnet tcp 2\ndeassigned compressnet udp 2\n"
	"deassigned compressnet tcp 3\ndeassigned compressnet udp 3\n"
	"added compressnet tcp -\nadded compressnet udp -";

static const char real_pair_reverse[] =
	"assigned compressnet tcp 2\nassigned compressnet udp 2\n"
	"assigned compressnet tcp 3\nassigned compressnet udp 3\n"
	"removed compressnet tcp -\nremoved compressnet udp -";

/* The CompressNET de-assignment of 2025-02-13: ports 2 and 3 (tcp, udp) de-assigned and now
 * Reserved, compressnet kept without a port, nothing else. 2/tcp going from assigned to
 * reserved is no status change: the entry reports it. */
static void test_real_pair(void **state)
{
	registry_doc *da = testdoc_fixture("2025-01-23.xml.gz");
	registry_doc *db = testdoc_fixture("2025-02-13.xml.gz");
	diff_result *d = NULL;
	char *sig;
	(void)state;
	assert_true(da->nrecords > 14000);
	assert_int_equal(diff_compute(da, db, &d), IW_OK);
	sig = testdoc_signature(d);
	assert_string_equal(sig, real_pair);
	free(sig);
	assert_string_equal(d->changes[0].before->f[REG_DESCRIPTION], "Management Utility");
	diff_result_free(d);

	assert_int_equal(diff_compute(db, da, &d), IW_OK);
	sig = testdoc_signature(d);
	assert_string_equal(sig, real_pair_reverse);
	free(sig);
	diff_result_free(d);

	/* The store's canonical order gives the same answer (and takes the no-sort path). */
	registry_doc_sort(da);
	registry_doc_sort(db);
	assert_int_equal(diff_compute(da, db, &d), IW_OK);
	sig = testdoc_signature(d);
	assert_string_equal(sig, real_pair);
	free(sig);
	diff_result_free(d);
	registry_doc_free(da);
	registry_doc_free(db);
}

/* ---- pairs ---------------------------------------------------------------------------- */

typedef struct pair_case {
	const char *what;
	const char *a, *b;
	const char *expect; /* "kind gone->came" per pair, indexes into the changes */
} pair_case;

static const pair_case pair_cases[] = {
	{"move", ENTRY("foo", "tcp", "100"), ENTRY("foo", "tcp", "200"), "moved 1->0"},
	{"rename", ENTRY("foo", "tcp", "100"), ENTRY("bar", "tcp", "100"), "renamed 1->0"},
	{"port dropped, name stays",
	 ENTRY("foo", "tcp", "100"), R(NAME("foo") PROTO("tcp") DESC("Foo")), "moved 0->1"},
	{"ambiguous moves are not paired",
	 ENTRY("foo", "tcp", "100") ENTRY("foo", "tcp", "101"), ENTRY("foo", "tcp", "200"), ""},
	{"moves on two protocols pair per protocol",
	 ENTRY("foo", "tcp", "100") ENTRY("foo", "udp", "100"),
	 ENTRY("foo", "tcp", "200") ENTRY("foo", "udp", "200"), "moved 2->0\nmoved 3->1"},
	{"different protocols are not a move",
	 ENTRY("foo", "tcp", "100"), ENTRY("foo", "udp", "200"), ""},
	{"unnamed to named on the same port is a rename",
	 R(PROTO("tcp") DESC("any private mail system") NUM("24")), ENTRY("mail", "tcp", "24"),
	 "renamed 1->0"},
	{"modifications are never paired",
	 R(NAME("foo") PROTO("tcp") DESC("a") NUM("1")), R(NAME("foo") PROTO("tcp") DESC("b") NUM("1")),
	 ""},
};

static void test_pairs(void **state)
{
	size_t i, failures = 0;
	(void)state;
	for (i = 0; i < sizeof(pair_cases) / sizeof(*pair_cases); i++) {
		const pair_case *c = &pair_cases[i];
		registry_doc *da = testdoc("2025-01-01", c->a, "");
		registry_doc *db = testdoc("2025-02-01", c->b, "");
		diff_result *d = NULL;
		diff_pair *pairs = NULL;
		size_t n = 0, j;
		iw_buf sig = IW_BUF_INIT(4096);
		assert_int_equal(diff_compute(da, db, &d), IW_OK);
		assert_int_equal(diff_pairs(d, &pairs, &n), IW_OK);
		iw_buf_adds(&sig, "");
		for (j = 0; j < n; j++)
			iw_buf_printf(&sig, "%s%s %zu->%zu", j ? "\n" : "",
			              pairs[j].kind == DIFF_PAIR_MOVED ? "moved" : "renamed",
			              pairs[j].gone, pairs[j].came);
		if (strcmp(sig.data, c->expect)) {
			print_error("pair case '%s':\n  expected: [%s]\n  got:      [%s]\n", c->what,
			            c->expect, sig.data);
			failures++;
		}
		assert_true(n == 0 ? pairs == NULL : pairs != NULL);
		free(pairs);
		iw_buf_free(&sig);
		diff_result_free(d);
		registry_doc_free(da);
		registry_doc_free(db);
	}
	assert_int_equal(failures, 0);
}

/* ---- filters ---------------------------------------------------------------------------- */

static void test_filter_parse(void **state)
{
	diff_filter f;
	(void)state;
	diff_filter_init(&f);
	assert_int_equal(f.kinds, 0);
	assert_int_equal(f.port_lo, REGISTRY_NO_PORT);
	assert_int_equal(diff_filter_parse_kinds(&f, "assigned,status"), IW_OK);
	assert_int_equal(f.kinds, (1u << DIFF_ASSIGNED) | (1u << DIFF_STATUS));
	assert_int_equal(diff_filter_parse_kinds(&f, "deassigned"), IW_OK);
	assert_int_equal(f.kinds, 1u << DIFF_DEASSIGNED);
	assert_int_equal(diff_filter_parse_kinds(&f, "assigned,bogus"), IW_EINVAL);
	assert_non_null(strstr(iw_error_last(), "bogus"));
	assert_int_equal(diff_filter_parse_kinds(&f, "assigned,"), IW_EINVAL);
	assert_int_equal(diff_filter_parse_kinds(&f, ""), IW_EINVAL);
	assert_int_equal(diff_filter_parse_kinds(&f, "Assigned"), IW_EINVAL);
	assert_int_equal(diff_filter_parse_kinds(&f, "assignedassignedassigned"), IW_EINVAL);

	assert_int_equal(diff_filter_parse_ports(&f, "80"), IW_OK);
	assert_int_equal(f.port_lo, 80);
	assert_int_equal(f.port_hi, 80);
	assert_int_equal(diff_filter_parse_ports(&f, "0-65535"), IW_OK);
	assert_int_equal(f.port_lo, 0);
	assert_int_equal(f.port_hi, 65535);
	assert_int_equal(diff_filter_parse_ports(&f, "65536"), IW_EINVAL);
	assert_int_equal(diff_filter_parse_ports(&f, "10-5"), IW_EINVAL);
	assert_int_equal(diff_filter_parse_ports(&f, "-5"), IW_EINVAL);
	assert_int_equal(diff_filter_parse_ports(&f, "5-"), IW_EINVAL);
	assert_int_equal(diff_filter_parse_ports(&f, "5x"), IW_EINVAL);
	assert_int_equal(diff_filter_parse_ports(&f, "000080"), IW_EINVAL);
	assert_int_equal(diff_filter_parse_ports(&f, ""), IW_EINVAL);
	assert_int_equal(f.port_lo, 0); /* failures leave the filter alone */
	assert_int_equal(f.port_hi, 65535);
}

typedef struct filter_case {
	const char *what;
	const char *kinds, *protocol, *ports, *name; /* NULL: not set */
	const char *expect;
} filter_case;

static const char filter_a[] =
	ENTRY("foo", "tcp", "100") ENTRY("foo", "udp", "100") ENTRY("gone", "tcp", "300")
	R(NAME("bar") PROTO("tcp") DESC("one") NUM("400-410"));
static const char filter_b[] =
	ENTRY("foo", "tcp", "200") ENTRY("foo", "udp", "200") RESERVED("tcp", "300")
	R(NAME("bar") PROTO("tcp") DESC("two") NUM("400-410")) R(NAME("any") NUM("500"))
	R(NAME("Portless") PROTO("tcp") DESC("x"));
static const char filter_pa[] = PERSON("P", "<name>P</name>");
static const char filter_pb[] = PERSON("P", "<name>PP</name>");

static const filter_case filter_cases[] = {
	{"none", NULL, NULL, NULL, NULL,
	 "assigned foo tcp 200\nassigned foo udp 200\nassigned any - 500\n"
	 "deassigned foo tcp 100\ndeassigned foo udp 100\ndeassigned gone tcp 300\n"
	 "added Portless tcp -\nmodified bar tcp 400-410 description\nperson-modified P name"},
	/* A kind selects what is shown as that kind: the halves of the foo moves are "moved". */
	{"kinds", "deassigned,modified", NULL, NULL, NULL,
	 "deassigned gone tcp 300\nmodified bar tcp 400-410 description\nperson-modified P name"},
	{"kinds exclude people", "assigned", NULL, NULL, NULL, "assigned any - 500"},
	{"moved keeps both halves", "moved", NULL, NULL, NULL,
	 "assigned foo tcp 200\nassigned foo udp 200\ndeassigned foo tcp 100\n"
	 "deassigned foo udp 100"},
	{"renamed", "renamed", NULL, NULL, NULL, ""},
	{"protocol keeps records without protocol", NULL, "UDP", NULL, NULL,
	 "assigned foo udp 200\nassigned any - 500\ndeassigned foo udp 100"},
	/* A pair stays whole when one half is on the port asked. */
	{"single port", NULL, NULL, "100", NULL,
	 "assigned foo tcp 200\nassigned foo udp 200\ndeassigned foo tcp 100\n"
	 "deassigned foo udp 100"},
	{"port range overlapping a range record", NULL, NULL, "410-600", NULL,
	 "assigned any - 500\nmodified bar tcp 400-410 description"},
	{"name, case-insensitive", NULL, NULL, NULL, "FOO",
	 "assigned foo tcp 200\nassigned foo udp 200\ndeassigned foo tcp 100\ndeassigned foo udp 100"},
	{"name of a portless entry", NULL, NULL, NULL, "portless", "added Portless tcp -"},
	{"all together", "moved", "tcp", "1-1000", "foo",
	 "assigned foo tcp 200\ndeassigned foo tcp 100"},
	{"nothing left", "status", NULL, NULL, NULL, ""},
};

static void test_filter_apply(void **state)
{
	size_t i, failures = 0;
	(void)state;
	for (i = 0; i < sizeof(filter_cases) / sizeof(*filter_cases); i++) {
		const filter_case *c = &filter_cases[i];
		registry_doc *da = testdoc("2025-01-01", filter_a, filter_pa);
		registry_doc *db = testdoc("2025-02-01", filter_b, filter_pb);
		diff_result *d = NULL;
		diff_filter f;
		char *sig;
		diff_filter_init(&f);
		if (c->kinds)
			assert_int_equal(diff_filter_parse_kinds(&f, c->kinds), IW_OK);
		if (c->ports)
			assert_int_equal(diff_filter_parse_ports(&f, c->ports), IW_OK);
		f.protocol = c->protocol;
		f.name = c->name;
		assert_int_equal(diff_compute(da, db, &d), IW_OK);
		diff_filter_apply(d, &f);
		sig = testdoc_signature(d);
		if (strcmp(sig, c->expect)) {
			print_error("filter case '%s':\n  expected: [%s]\n  got:      [%s]\n", c->what,
			            c->expect, sig);
			failures++;
		}
		assert_int_equal(diff_result_empty(d), c->expect[0] == '\0');
		free(sig);
		diff_result_free(d);
		registry_doc_free(da);
		registry_doc_free(db);
	}
	assert_int_equal(failures, 0);
}

/* ---- port index --------------------------------------------------------------------------- */

static void test_port_index(void **state)
{
	registry_doc *doc = testdoc("2025-01-01",
	                            RESERVED("tcp", "0") UNASSIGNED("tcp", "1-1000")
	                            R(DESC("Reserved") NUM("5")) ENTRY("foo", "tcp", "5")
	                            R(PROTO("udp") DESC("IANA Reserved") NUM("900-2000"))
	                            ENTRY("wide", "sctp", "10-60000") ENTRY("late", "sctp", "30"),
	                            "");
	diff_port_index *ix = NULL;
	const registry_record *r;
	int tcp = registry_protocol_index("tcp"), udp = registry_protocol_index("udp");
	int sctp = registry_protocol_index("sctp"), dccp = registry_protocol_index("dccp");
	(void)state;
	assert_int_equal(diff_port_index_build(doc, &ix), IW_OK);
	assert_int_equal(diff_port_index_status(ix, tcp, 0), STATUS_RESERVED);
	assert_int_equal(diff_port_index_status(ix, tcp, 4), STATUS_UNASSIGNED);
	assert_int_equal(diff_port_index_status(ix, tcp, 5), STATUS_ASSIGNED);
	assert_int_equal(diff_port_index_status(ix, udp, 5), STATUS_RESERVED);
	assert_int_equal(diff_port_index_status(ix, dccp, 5), STATUS_RESERVED);
	assert_int_equal(diff_port_index_status(ix, udp, 6), STATUS_UNASSIGNED);
	assert_int_equal(diff_port_index_status(ix, udp, 1500), STATUS_RESERVED);
	assert_int_equal(diff_port_index_status(ix, tcp, 1500), STATUS_UNASSIGNED);
	assert_int_equal(diff_port_index_status(ix, sctp, 40000), STATUS_ASSIGNED);
	assert_int_equal(diff_port_index_status(ix, sctp, 65535), STATUS_UNASSIGNED);

	r = diff_port_index_find(ix, tcp, 500, STATUS_UNASSIGNED);
	assert_non_null(r);
	assert_string_equal(r->f[REG_DESCRIPTION], "Unassigned");
	r = diff_port_index_find(ix, tcp, 5, STATUS_RESERVED);
	assert_non_null(r);
	assert_null(r->f[REG_PROTOCOL]);
	r = diff_port_index_find(ix, udp, 1000, STATUS_RESERVED);
	assert_non_null(r);
	assert_string_equal(r->f[REG_DESCRIPTION], "IANA Reserved");
	/* The first in document order, though a later one starts closer. */
	r = diff_port_index_find(ix, sctp, 30, STATUS_ASSIGNED);
	assert_non_null(r);
	assert_string_equal(r->f[REG_NAME], "wide");
	assert_null(diff_port_index_find(ix, udp, 6, STATUS_UNASSIGNED));
	assert_null(diff_port_index_find(ix, -1, 6, STATUS_UNASSIGNED));
	diff_port_index_free(ix);
	diff_port_index_free(NULL);

	/* Sorted canonically, the index answers the same. */
	registry_doc_sort(doc);
	assert_int_equal(diff_port_index_build(doc, &ix), IW_OK);
	assert_int_equal(diff_port_index_status(ix, udp, 1500), STATUS_RESERVED);
	assert_int_equal(diff_port_index_status(ix, sctp, 40000), STATUS_ASSIGNED);
	diff_port_index_free(ix);
	registry_doc_free(doc);
}

static void test_kind_names(void **state)
{
	int k;
	(void)state;
	for (k = 0; k < DIFF_NKINDS; k++)
		assert_int_equal(diff_kind_from_name(diff_kind_names[k]), k);
	assert_int_equal(diff_kind_from_name("people"), -1);
	assert_int_equal(diff_kind_from_name(NULL), -1);
	/* The compared fields are sorted by name, as JSON lists them. */
	for (k = 1; k < DIFF_NCOMPARED; k++)
		assert_true(strcmp(registry_field_names[diff_compared_fields[k - 1]],
		                   registry_field_names[diff_compared_fields[k]]) < 0);
	for (k = 1; k < PERSON_NFIELDS; k++)
		assert_true(strcmp(registry_person_field_names[diff_person_fields[k - 1]],
		                   registry_person_field_names[diff_person_fields[k]]) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_reverse),
		cmocka_unit_test(test_identical_and_self),
		cmocka_unit_test(test_change_records),
		cmocka_unit_test(test_real_pair),
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_filter_parse),
		cmocka_unit_test(test_filter_apply),
		cmocka_unit_test(test_port_index),
		cmocka_unit_test(test_kind_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
