/* test_query.c: the readers' queries: versions by span agree with whole snapshots, the change
 * between consecutive positions is what ends and what starts there, read transactions nest. */
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
#include "registry/registry.h"
#include "store/store.h"
#include "common/banned.h"

#define HEAD "<?xml version='1.0' encoding='UTF-8'?>\n" \
	"<registry xmlns=\"http://www.iana.org/assignments\" id=\"service-names-port-numbers\">\n" \
	"<updated>%s</updated>\n"
#define TAIL "<people><person id=\"P\"><name>%s</name></person></people></registry>\n"

/* An assignment out of a range, an edit, a de-assignment, a record back after a gap, a
 * person renamed, and a document that drops almost everything. */
static const char *const versions[][3] = {
	{"2020-01-01", "<record><protocol>tcp</protocol><description>Unassigned</description>"
	 "<number>1-100</number></record><record><name>keep</name><number>200</number></record>"
	 "<record><name>back</name><number>300</number></record>", "Pat"},
	{"2020-02-01", "<record><protocol>tcp</protocol><description>Unassigned</description>"
	 "<number>1-49</number></record><record><name>new</name><protocol>tcp</protocol>"
	 "<number>50</number></record><record><protocol>tcp</protocol><description>Unassigned"
	 "</description><number>51-100</number></record><record><name>keep</name>"
	 "<number>200</number></record>", "Pat"},
	{"2020-03-01", "<record><protocol>tcp</protocol><description>Unassigned</description>"
	 "<number>1-49</number></record><record><name>new</name><protocol>tcp</protocol>"
	 "<description>edited</description><number>50</number></record><record><protocol>tcp"
	 "</protocol><description>Unassigned</description><number>51-100</number></record>"
	 "<record><name>keep</name><number>200</number></record>"
	 "<record><name>back</name><number>300</number></record>", "Pat Q"},
	{"2020-04-01", "<record><name>keep</name><number>200</number></record>", "Pat Q"},
};
#define NVERSIONS (sizeof(versions) / sizeof(*versions))

static char *db_path;
static store *st;

static int setup(void **state)
{
	char tmpl[] = "/tmp/iwqueryXXXXXX";
	size_t i;
	int fd = mkstemp(tmpl);
	(void)state;
	assert_true(fd >= 0);
	close(fd);
	unlink(tmpl);
	db_path = iw_strdup(tmpl);
	assert_int_equal(store_open(&st, db_path, STORE_WRITE | STORE_CREATE), IW_OK);
	for (i = 0; i < NVERSIONS; i++) {
		char *xml = iw_asprintf(HEAD "%s" TAIL, versions[i][0], versions[i][1], versions[i][2]);
		char when[32];
		registry_doc *doc = NULL;
		store_import_opts o;
		store_import_result res;
		assert_int_equal(registry_parse((const unsigned char *)xml, strlen(xml), "v.xml", &doc),
		                 IW_OK);
		store_import_opts_init(&o);
		snprintf(when, sizeof(when), "%sT12:00:00Z", versions[i][0]);
		assert_int_equal(iw_time_parse(when, &o.observed_at), IW_OK);
		o.source = "test";
		assert_int_equal(store_import(st, doc, (const unsigned char *)xml, strlen(xml), &o, &res),
		                 IW_OK);
		registry_doc_free(doc);
		free(xml);
	}
	return 0;
}

static int teardown(void **state)
{
	char *w = iw_asprintf("%s-wal", db_path), *s = iw_asprintf("%s-shm", db_path);
	(void)state;
	store_free(st);
	unlink(db_path);
	unlink(w);
	unlink(s);
	free(w);
	free(s);
	free(db_path);
	return 0;
}

static registry_doc *load_at(int64_t pos)
{
	int64_t *ids = NULL;
	size_t n = 0;
	registry_doc *doc = NULL;
	assert_int_equal(store_positions(st, &ids, &n), IW_OK);
	assert_true(pos >= 1 && (size_t)pos <= n);
	assert_int_equal(store_load_doc(st, ids[pos - 1], &doc), IW_OK);
	free(ids);
	return doc;
}

static int doc_has(const registry_doc *doc, const registry_record *r)
{
	size_t i;
	for (i = 0; i < doc->nrecords; i++)
		if (!registry_record_equal(&doc->records[i], r))
			return 1;
	return 0;
}

/* How many records of `of` are absent from `in`. */
static size_t count_missing(const registry_doc *of, const registry_doc *in)
{
	size_t i, n = 0;
	for (i = 0; i < of->nrecords; i++)
		n += !doc_has(in, &of->records[i]);
	return n;
}

/* The versions meeting one position are that snapshot, record for record. */
static void test_meeting_is_the_snapshot(void **state)
{
	int64_t pos;
	(void)state;
	for (pos = 1; pos <= (int64_t)NVERSIONS; pos++) {
		registry_doc *doc = load_at(pos);
		store_version_list l;
		size_t i;
		assert_int_equal(store_spans(st, STORE_RECORD_VERSIONS, STORE_SPANS_MEETING, pos, pos,
		                             &l), IW_OK);
		assert_int_equal(l.n, doc->nrecords);
		for (i = 0; i < l.n; i++) {
			assert_true(l.v[i].first_pos <= pos && l.v[i].last_pos >= pos);
			assert_true(doc_has(doc, &l.v[i].rec));
		}
		store_version_list_free(&l);
		registry_doc_free(doc);
	}
}

/* Between i and i + 1: what ends at i is what i has and i + 1 lacks; what starts at i + 1
 * is the reverse. The change log is computed this way, without loading snapshots. */
static void test_change_between_positions(void **state)
{
	int64_t i;
	(void)state;
	for (i = 1; i < (int64_t)NVERSIONS; i++) {
		registry_doc *a = load_at(i), *b = load_at(i + 1);
		store_version_list gone, came;
		size_t k;
		assert_int_equal(store_spans(st, STORE_RECORD_VERSIONS, STORE_SPANS_ENDING, i, i, &gone),
		                 IW_OK);
		assert_int_equal(store_spans(st, STORE_RECORD_VERSIONS, STORE_SPANS_STARTING, i + 1,
		                             i + 1, &came), IW_OK);
		assert_int_equal(gone.n, count_missing(a, b));
		assert_int_equal(came.n, count_missing(b, a));
		for (k = 0; k < gone.n; k++) {
			assert_int_equal(gone.v[k].last_pos, i);
			assert_true(doc_has(a, &gone.v[k].rec) && !doc_has(b, &gone.v[k].rec));
		}
		for (k = 0; k < came.n; k++) {
			assert_int_equal(came.v[k].first_pos, i + 1);
			assert_true(doc_has(b, &came.v[k].rec) && !doc_has(a, &came.v[k].rec));
		}
		store_version_list_free(&gone);
		store_version_list_free(&came);
		registry_doc_free(a);
		registry_doc_free(b);
	}
}

static void test_people_and_open_spans(void **state)
{
	store_version_list l;
	(void)state;
	/* "Pat" ends at 2, "Pat Q" starts at 3 and is open: it runs to the newest position. */
	assert_int_equal(store_spans(st, STORE_PERSON_VERSIONS, STORE_SPANS_ENDING, 2, 2, &l),
	                 IW_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.kind, STORE_PERSON_VERSIONS);
	assert_string_equal(l.v[0].p.id, "P");
	assert_string_equal(l.v[0].p.f[PERSON_NAME], "Pat");
	store_version_list_free(&l);
	assert_int_equal(store_spans(st, STORE_PERSON_VERSIONS, STORE_SPANS_STARTING, 3, 3, &l),
	                 IW_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].p.f[PERSON_NAME], "Pat Q");
	assert_int_equal(l.v[0].last_pos, (int64_t)NVERSIONS);
	store_version_list_free(&l);
	/* Nothing ends after the newest position, nothing starts before the first. */
	assert_int_equal(store_spans(st, STORE_PERSON_VERSIONS, STORE_SPANS_STARTING, 4, 100, &l),
	                 IW_OK);
	assert_int_equal(l.n, 0);
	store_version_list_free(&l);
	store_version_list_free(NULL);
	assert_int_equal(store_spans(st, STORE_PERSON_VERSIONS, (store_span_which)7, 1, 1, &l),
	                 IW_EINVAL);
	assert_int_equal(store_spans(st, (store_version_kind)7, STORE_SPANS_MEETING, 1, 1, &l),
	                 IW_EINVAL);
}

static void test_read_transactions_nest(void **state)
{
	store_version_list l;
	(void)state;
	assert_int_equal(store_read_begin(st), IW_OK);
	assert_int_equal(store_read_begin(st), IW_OK);
	assert_int_equal(store_spans(st, STORE_RECORD_VERSIONS, STORE_SPANS_MEETING, 1, 4, &l), IW_OK);
	store_version_list_free(&l);
	store_read_end(st);
	store_read_end(st);
	store_read_end(st); /* one end too many is harmless */
	/* After the outermost end, a new begin opens a transaction again. */
	assert_int_equal(store_read_begin(st), IW_OK);
	store_read_end(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meeting_is_the_snapshot),
		cmocka_unit_test(test_change_between_positions),
		cmocka_unit_test(test_people_and_open_spans),
		cmocka_unit_test(test_read_transactions_nest),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
