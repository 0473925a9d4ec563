/* test_history.c: port and name timelines on a small synthetic history, imported in several
 * orders: which changes start a row (assignment, field edit, de-assignment, a Reserved note)
 * and which do not (range splits), records without protocol, range records, people as they
 * were, show at one snapshot, and what is refused or not found. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/common.h"
#include "history/history.h"
#include "registry/registry.h"
#include "store/store.h"
#include "common/banned.h"

#define HEAD "<?xml version='1.0' encoding='UTF-8'?>\n" \
	"<registry xmlns=\"http://www.iana.org/assignments\" id=\"service-names-port-numbers\">\n" \
	"<updated>%s</updated>\n"
#define TAIL "<people><person id=\"P\"><name>%s</name></person></people></registry>\n"

#define UNASSIGNED(range) "<record><protocol>tcp</protocol><description>Unassigned</description>" \
	"<number>" range "</number></record>"
#define NEW(desc) "<record><name>new</name><protocol>tcp</protocol><assignee><xref type=\"person\" " \
	"data=\"P\"/></assignee><description>" desc "</description><number>50</number></record>"
#define RESERVED(note) "<record><protocol>tcp</protocol><description>Reserved</description>" \
	"<number>50</number><note>" note "</note></record>"
/* An entry without protocol (covers tcp, udp, sctp and dccp) and a range entry. */
#define ANY "<record><name>any</name><number>200</number></record>"
#define RNG(range) "<record><name>rng</name><protocol>udp</protocol><number>" range "</number></record>"

typedef struct hist_version {
	const char *date, *observed, *body, *person;
} hist_version;

/* Positions 1..6 in time order. Port 50/tcp: assigned out of an Unassigned range (2), the range
 * split again with nothing else changing (3), a field edit (4), de-assigned to Reserved (5), the
 * Reserved record's note edited (6). The person P is renamed at 4. rng grows at 4. */
static const hist_version story[] = {
	{"2020-01-01", "2020-01-02T00:00:00Z", UNASSIGNED("1-100") ANY RNG("300-310"), "Pat"},
	{"2020-02-01", "2020-02-02T00:00:00Z",
	 UNASSIGNED("1-49") NEW("first") UNASSIGNED("51-100") ANY RNG("300-310"), "Pat"},
	{"2020-03-01", "2020-03-02T00:00:00Z",
	 UNASSIGNED("1-29") UNASSIGNED("30-49") NEW("first") UNASSIGNED("51-100") ANY RNG("300-310"),
	 "Pat"},
	{"2020-04-01", "2020-04-02T00:00:00Z",
	 UNASSIGNED("1-29") UNASSIGNED("30-49") NEW("second") UNASSIGNED("51-100") ANY RNG("300-320"),
	 "Pat Q"},
	{"2020-05-01", "2020-05-02T00:00:00Z",
	 UNASSIGNED("1-29") UNASSIGNED("30-49") RESERVED("De-assigned") UNASSIGNED("51-100") ANY
	 RNG("300-320"), "Pat Q"},
	{"2020-06-01", "2020-06-02T00:00:00Z",
	 UNASSIGNED("1-29") UNASSIGNED("30-49") RESERVED("De-assigned on 2020-06-01")
	 UNASSIGNED("51-100") ANY RNG("300-320"), "Pat Q"},
};
#define NSTORY (sizeof(story) / sizeof(*story))

/* Import orders: in time order, reversed, shuffled. The timelines must not depend on it. */
static const size_t orders[][NSTORY] = {
	{0, 1, 2, 3, 4, 5},
	{5, 4, 3, 2, 1, 0},
	{3, 0, 5, 1, 4, 2},
};

typedef struct hist_case {
	const char *what;
	const char *target;
	int at;            /* 0: history; else show at this position */
	int rc;
	const char *want;  /* compact form (see hist_row), timelines on separate lines */
} hist_case;

static const hist_case cases[] = {
	{"assignment, split (no row), edit, de-assignment, note edit", "50/tcp", 0, IW_OK,
	 "50/tcp: 1-1 unassigned O:Unassigned; 2-3 assigned E:new:50-50:first P:P=Pat; "
	 "4-4 assigned E:new:50-50:second C:description P:P=Pat Q; 5-5 reserved O:Reserved:De-assigned; "
	 "6-6 reserved O:Reserved:De-assigned on 2020-06-01"},
	{"an Unassigned range split twice is one row", "40/tcp", 0, IW_OK,
	 "40/tcp: 1-6 unassigned O:Unassigned"},
	{"without protocol: only protocols some record covered", "50", 0, IW_OK,
	 "50/tcp: 1-1 unassigned O:Unassigned; 2-3 assigned E:new:50-50:first P:P=Pat; "
	 "4-4 assigned E:new:50-50:second C:description P:P=Pat Q; 5-5 reserved O:Reserved:De-assigned; "
	 "6-6 reserved O:Reserved:De-assigned on 2020-06-01"},
	{"an entry without protocol covers all four", "200", 0, IW_OK,
	 "200/tcp: 1-6 assigned E:any:200-200\n200/udp: 1-6 assigned E:any:200-200\n"
	 "200/sctp: 1-6 assigned E:any:200-200\n200/dccp: 1-6 assigned E:any:200-200"},
	{"a port inside a range record; the range's new end is a new state", "305", 0, IW_OK,
	 "305/udp: 1-3 assigned E:rng:300-310; 4-6 assigned E:rng:300-320"},
	{"a port the range reaches later: unassigned without a record before", "315/udp", 0, IW_OK,
	 "315/udp: 1-3 unassigned; 4-6 assigned E:rng:300-320"},
	{"each port of a range", "49-51/TCP", 0, IW_OK,
	 "49/tcp: 1-6 unassigned O:Unassigned\n"
	 "50/tcp: 1-1 unassigned O:Unassigned; 2-3 assigned E:new:50-50:first P:P=Pat; "
	 "4-4 assigned E:new:50-50:second C:description P:P=Pat Q; 5-5 reserved O:Reserved:De-assigned; "
	 "6-6 reserved O:Reserved:De-assigned on 2020-06-01\n"
	 "51/tcp: 1-6 unassigned O:Unassigned"},
	{"a name: absent, assigned, edited, gone", "new", 0, IW_OK,
	 "new/tcp: 1-1 absent; 2-3 assigned E:new:50-50:first P:P=Pat; "
	 "4-4 assigned E:new:50-50:second C:description P:P=Pat Q; 5-6 absent"},
	{"a name without protocol", "any", 0, IW_OK, "any/-: 1-6 assigned E:any:200-200"},
	{"a name on a protocol it never had", "new/udp", 0, IW_ENOTFOUND, NULL},
	{"an unknown name", "nosuch", 0, IW_ENOTFOUND, NULL},
	{"a port no record covers", "999/tcp", 0, IW_ENOTFOUND, NULL},
	{"a protocol no record covers", "50/sctp", 0, IW_ENOTFOUND, NULL},
	{"show: assigned, as the person was then", "50/tcp", 3, IW_OK,
	 "50/tcp: 3-3 assigned E:new:50-50:first P:P=Pat"},
	{"show: reserved", "50/tcp", 5, IW_OK, "50/tcp: 5-5 reserved O:Reserved:De-assigned"},
	{"show: a name gone by then", "new", 6, IW_OK, "new/tcp: 6-6 absent"},
	{"show: a port no record covered yet", "315/udp", 1, IW_OK, "315/udp: 1-1 unassigned"},
	/* Issue 13: the status rule gives every port a status, covered or not. */
	{"show: a port no record ever covered", "999/tcp", 2, IW_OK, "999/tcp: 2-2 unassigned"},
	{"show: every protocol of a port no record ever covered", "65000", 2, IW_OK,
	 "65000/tcp: 2-2 unassigned\n65000/udp: 2-2 unassigned\n65000/sctp: 2-2 unassigned\n"
	 "65000/dccp: 2-2 unassigned"},
};

static char *temp_db(void)
{
	char tmpl[] = "/tmp/iwhistXXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	close(fd);
	unlink(tmpl);
	return iw_strdup(tmpl);
}

static void remove_db(char *path)
{
	char *w = iw_asprintf("%s-wal", path), *s = iw_asprintf("%s-shm", path);
	unlink(path);
	unlink(w);
	unlink(s);
	free(w);
	free(s);
	free(path);
}

static void import_version(store *st, const hist_version *v)
{
	char *xml = iw_asprintf(HEAD "%s" TAIL, v->date, v->body, v->person);
	registry_doc *doc = NULL;
	store_import_opts o;
	store_import_result res;
	assert_int_equal(registry_parse((const unsigned char *)xml, strlen(xml), "v.xml", &doc), IW_OK);
	store_import_opts_init(&o);
	assert_int_equal(iw_time_parse(v->observed, &o.observed_at), IW_OK);
	o.source = "test";
	assert_int_equal(store_import(st, doc, (const unsigned char *)xml, strlen(xml), &o, &res), IW_OK);
	assert_int_equal(res.created, 1);
	registry_doc_free(doc);
	free(xml);
}

static store *story_db(const size_t *order, char **path)
{
	store *st = NULL;
	size_t i;
	*path = temp_db();
	assert_int_equal(store_open(&st, *path, STORE_WRITE | STORE_CREATE), IW_OK);
	for (i = 0; i < NSTORY; i++)
		import_version(st, &story[order[i]]);
	return st;
}

/* Compact form of a row: "FIRST-LAST status", then " E:name:port-end:description" per entry,
 * " O:description:notes" per other record, " C:f,g" for changed fields, " P:id=name" per
 * person. */
static void hist_row(iw_buf *b, const history_row *r)
{
	size_t i;
	int f;
	const char *sep = " C:";
	iw_buf_printf(b, "%lld-%lld %s", (long long)r->first_pos, (long long)r->last_pos,
	              history_status_names[r->status]);
	for (i = 0; i < r->nentries; i++) {
		const registry_record *e = r->entries[i];
		iw_buf_printf(b, " E:%s:%d-%d", e->f[REG_NAME] ? e->f[REG_NAME] : "-", (int)e->port,
		              (int)e->port_end);
		if (e->f[REG_DESCRIPTION])
			iw_buf_printf(b, ":%s", e->f[REG_DESCRIPTION]);
	}
	for (i = 0; i < r->nothers; i++) {
		iw_buf_printf(b, " O:%s", r->others[i]->f[REG_DESCRIPTION]);
		if (r->others[i]->f[REG_NOTES])
			iw_buf_printf(b, ":%s", r->others[i]->f[REG_NOTES]);
	}
	for (f = 0; f < REG_NFIELDS; f++)
		if (r->changed & (1u << f)) {
			iw_buf_printf(b, "%s%s", sep, registry_field_names[f]);
			sep = ",";
		}
	for (i = 0; i < r->npeople; i++)
		iw_buf_printf(b, " P:%s=%s", r->people[i].id,
		              r->people[i].person ? r->people[i].person->f[PERSON_NAME] : "?");
}

static int hist_collect(const history_timeline *t, void *arg)
{
	iw_buf *b = arg;
	size_t i;
	if (b->len)
		iw_buf_addc(b, '\n');
	if (t->name)
		iw_buf_printf(b, "%s/%s:", t->name, t->protocol ? t->protocol : "-");
	else
		iw_buf_printf(b, "%d/%s:", (int)t->port, t->protocol);
	for (i = 0; i < t->nrows; i++) {
		iw_buf_adds(b, i ? "; " : " ");
		hist_row(b, &t->rows[i]);
		/* Rows tile the positions asked about without gap or overlap. */
		if (i)
			assert_int_equal(t->rows[i].first_pos, t->rows[i - 1].last_pos + 1);
	}
	return IW_OK;
}

static int64_t id_at(store *st, int pos)
{
	int64_t *ids = NULL, id;
	size_t n = 0;
	assert_int_equal(store_positions(st, &ids, &n), IW_OK);
	assert_true(pos >= 1 && (size_t)pos <= n);
	id = ids[pos - 1];
	free(ids);
	return id;
}

static void test_timelines(void **state)
{
	size_t o, i;
	(void)state;
	for (o = 0; o < sizeof(orders) / sizeof(*orders); o++) {
		char *path;
		store *st = story_db(orders[o], &path);
		for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
			const hist_case *c = &cases[i];
			history_query q;
			iw_buf got = IW_BUF_INIT(1 << 20);
			int rc;
			assert_int_equal(history_parse_target(c->target, HISTORY_ALLOW_RANGE, &q), IW_OK);
			rc = history_run(st, &q, c->at ? id_at(st, c->at) : 0, hist_collect, &got);
			if (rc != c->rc || (c->want && (!got.data || strcmp(got.data, c->want)))) {
				print_error("order %zu, case '%s' (%s): rc %d, got\n%s\nwant\n%s\n", o, c->what,
				            c->target, rc, got.data ? got.data : "", c->want ? c->want : "");
				fail();
			}
			if (rc)
				assert_true(strlen(iw_error_last()) > 0);
			iw_buf_free(&got);
		}
		store_free(st);
		remove_db(path);
	}
}

static int hist_render(const history_timeline *t, void *arg)
{
	iw_buf *b = arg;
	return history_render_text(b, t, 0);
}

static int hist_render_show(const history_timeline *t, void *arg)
{
	iw_buf *b = arg;
	int rc = history_render_text(b, t, 1);
	if (!rc)
		rc = iw_buf_adds(b, "JSON ") || history_render_json(b, t, &t->rows[0], 0);
	return rc;
}

/* The text timeline people read, and show's detailed text and JSON members. */
static void test_render(void **state)
{
	static const char want_text[] =
		"50/tcp\n"
		"  2020-01-01 .. 2020-01-01  unassigned  Unassigned\n"
		"                                        since the first snapshot (2020-01-01)\n"
		"  2020-02-01 .. 2020-03-01  assigned    new  first (Pat)\n"
		"  2020-04-01 .. 2020-04-01  assigned    new  second (Pat Q)\n"
		"                                        changed: description\n"
		"  2020-05-01 .. 2020-05-01  reserved    Reserved -- De-assigned\n"
		"  2020-06-01 .. now         reserved    Reserved -- De-assigned on 2020-06-01\n"
		"315/udp\n"
		"  2020-01-01 .. 2020-03-01  unassigned  (no record)\n"
		"                                        since the first snapshot (2020-01-01)\n"
		"  2020-04-01 .. now         assigned    rng 300-320\n";
	static const char want_show[] =
		"50/tcp: assigned\n"
		"  new 50/tcp\n"
		"    description        first\n"
		"    assignee           Pat\n"
		"JSON \"port\": 50, \"protocol\": \"tcp\", \"status\": \"assigned\", \"entries\": [{";
	char *path;
	store *st = story_db(orders[0], &path);
	history_query q;
	iw_buf b = IW_BUF_INIT(1 << 20);
	(void)state;

	assert_int_equal(history_parse_target("50/tcp", 0, &q), IW_OK);
	assert_int_equal(history_run(st, &q, 0, hist_render, &b), IW_OK);
	assert_int_equal(history_parse_target("315/udp", 0, &q), IW_OK);
	assert_int_equal(history_run(st, &q, 0, hist_render, &b), IW_OK);
	assert_string_equal(b.data, want_text);

	iw_buf_reset(&b);
	assert_int_equal(history_parse_target("50/tcp", 0, &q), IW_OK);
	assert_int_equal(history_run(st, &q, id_at(st, 2), hist_render_show, &b), IW_OK);
	assert_int_equal(strncmp(b.data, want_show, strlen(want_show)), 0);
	assert_non_null(strstr(b.data, "], \"other_records\": [], \"people\": {\"P\": {\"name\": "
	                               "\"Pat\", \"org\": null, \"uri\": null, \"updated\": null}}"));

	iw_buf_reset(&b);
	assert_int_equal(history_parse_target("50", 0, &q), IW_OK);
	assert_int_equal(history_run(st, &q, HISTORY_LATEST, hist_render_show, &b), IW_OK);
	assert_string_equal(b.data, "50/tcp: reserved\n  Reserved -- De-assigned on 2020-06-01\n"
	                            "JSON \"port\": 50, \"protocol\": \"tcp\", \"status\": \"reserved\", "
	                            "\"entries\": [], \"other_records\": [{\"kind\": \"reserving\", "
	                            "\"description\": \"Reserved\", \"notes\": \"De-assigned on "
	                            "2020-06-01\"}], \"people\": {}");
	iw_buf_free(&b);
	store_free(st);
	remove_db(path);
}

/* An empty database and an unknown snapshot are "not found", with a message. */
static void test_empty(void **state)
{
	char *path = temp_db();
	store *st = NULL;
	history_query q;
	iw_buf b = IW_BUF_INIT(1024);
	(void)state;
	assert_int_equal(store_open(&st, path, STORE_WRITE | STORE_CREATE), IW_OK);
	assert_int_equal(history_parse_target("3/tcp", 0, &q), IW_OK);
	assert_int_equal(history_run(st, &q, 0, hist_collect, &b), IW_ENOTFOUND);
	assert_string_equal(iw_error_last(), "the database holds no snapshot yet");
	assert_int_equal(history_run(st, &q, HISTORY_LATEST, hist_collect, &b), IW_ENOTFOUND);
	import_version(st, &story[0]);
	assert_int_equal(history_run(st, &q, 99, hist_collect, &b), IW_ENOTFOUND);
	assert_string_equal(iw_error_last(), "no snapshot 99");
	assert_null(b.data);
	store_free(st);
	remove_db(path);
}

typedef struct parse_case {
	const char *arg;
	unsigned flags;
	int rc;
	int32_t lo, hi;
	int proto;
	const char *name;
} parse_case;

static void test_parse(void **state)
{
	static const parse_case pc[] = {
		{"3", 0, IW_OK, 3, 3, -1, ""},
		{"0", 0, IW_OK, 0, 0, -1, ""},
		{"65535/udp", 0, IW_OK, 65535, 65535, 1, ""},
		{"80/TCP", 0, IW_OK, 80, 80, 0, ""},
		{"1-10/dccp", HISTORY_ALLOW_RANGE, IW_OK, 1, 10, 3, ""},
		{"7-7", HISTORY_ALLOW_RANGE, IW_OK, 7, 7, -1, ""},
		{"1-10", 0, IW_EINVAL, 0, 0, 0, NULL},
		{"10-5", HISTORY_ALLOW_RANGE, IW_EINVAL, 0, 0, 0, NULL},
		{"70000", 0, IW_EINVAL, 0, 0, 0, NULL},
		{"99999999999999999999", 0, IW_EINVAL, 0, 0, 0, NULL},
		{"1-65536", HISTORY_ALLOW_RANGE, IW_EINVAL, 0, 0, 0, NULL},
		{"80/xyz", 0, IW_EINVAL, 0, 0, 0, NULL},
		{"80/", 0, IW_EINVAL, 0, 0, 0, NULL},
		{"", 0, IW_EINVAL, 0, 0, 0, NULL},
		{"/tcp", 0, IW_EINVAL, 0, 0, 0, NULL},
		{"3-", 0, IW_EINVAL, 0, 0, 0, NULL},
		{"a b", 0, IW_EINVAL, 0, 0, 0, NULL},
		{"compressnet", 0, IW_OK, REGISTRY_NO_PORT, REGISTRY_NO_PORT, -1, "compressnet"},
		{"compressnet/Udp", 0, IW_OK, REGISTRY_NO_PORT, REGISTRY_NO_PORT, 1, "compressnet"},
		{"cl/1", 0, IW_OK, REGISTRY_NO_PORT, REGISTRY_NO_PORT, -1, "cl/1"},
		{"914c/g/sctp", 0, IW_OK, REGISTRY_NO_PORT, REGISTRY_NO_PORT, 2, "914c/g"},
		{"3com-tsmux", 0, IW_OK, REGISTRY_NO_PORT, REGISTRY_NO_PORT, -1, "3com-tsmux"},
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(pc) / sizeof(*pc); i++) {
		history_query q;
		int rc = history_parse_target(pc[i].arg, pc[i].flags, &q);
		if (rc != pc[i].rc) {
			print_error("'%s': rc %d, want %d (%s)\n", pc[i].arg, rc, pc[i].rc, iw_error_last());
			fail();
		}
		if (rc) {
			assert_true(strlen(iw_error_last()) > 0);
			continue;
		}
		assert_int_equal(q.port_lo, pc[i].lo);
		assert_int_equal(q.port_hi, pc[i].hi);
		assert_int_equal(q.proto, pc[i].proto);
		assert_string_equal(q.name, pc[i].name);
	}
}

/* Whether some snapshot has a name (any case), and what is said when none has. */
static const struct name_case {
	const char *name;
	int rc;
	const char *said; /* a part of the message when not found */
} name_cases[] = {
	{"new", IW_OK, NULL},
	{"NEW", IW_OK, NULL},
	{"rng", IW_OK, NULL},
	{"nwe", IW_ENOTFOUND, "no entry named 'nwe' in any of the 6 stored snapshots (case ignored)"},
	{"rnx", IW_ENOTFOUND, "; did you mean rng or any?"},
	{"zzzzzzzzzzzzzzzz", IW_ENOTFOUND, "(case ignored)"},
};

static void test_name_known(void **state)
{
	char *path;
	store *st = story_db(orders[0], &path);
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(name_cases) / sizeof(*name_cases); i++) {
		int rc = history_name_known(st, name_cases[i].name);
		if (rc != name_cases[i].rc ||
		    (rc && !strstr(iw_error_last(), name_cases[i].said))) {
			print_error("'%s': rc %d, said '%s'\n", name_cases[i].name, rc,
			            rc ? iw_error_last() : "");
			fail();
		}
	}
	store_free(st);
	remove_db(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_timelines),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_name_known),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
