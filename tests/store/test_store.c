/* test_store.c: the span store: intervals, dedupe by hash, out-of-order imports, rollback, the
 * raw archive, and the schema guard. Every snapshot read back must equal a fresh parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "common/common.h"
#include "registry/registry.h"
#include "store/store.h"
#include "common/banned.h"

#define HEAD "<?xml version='1.0' encoding='UTF-8'?>\n" \
	"<registry xmlns=\"http://www.iana.org/assignments\" id=\"service-names-port-numbers\">\n" \
	"<updated>%s</updated>\n"
#define TAIL "<people><person id=\"P\"><name>%s</name></person></people></registry>\n"

/* Five small versions: an assignment out of an Unassigned range, a range split, a field edit,
 * a de-assignment, a person's name change, and one record that comes back after a gap. */
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
	{"2020-04-01", "<record><protocol>tcp</protocol><description>Unassigned</description>"
	 "<number>1-49</number></record><record><protocol>tcp</protocol><description>Reserved"
	 "</description><number>50</number><note>De-assigned</note></record><record><protocol>tcp"
	 "</protocol><description>Unassigned</description><number>51-100</number></record>"
	 "<record><name>keep</name><number>200</number></record>"
	 "<record><name>back</name><number>300</number></record>", "Pat Q"},
	{"2020-05-01", "<record><name>keep</name><number>200</number></record>", "Pat Q"},
};
#define NVERSIONS (sizeof(versions) / sizeof(*versions))

static char *version_xml(size_t i)
{
	return iw_asprintf(HEAD "%s" TAIL, versions[i][0], versions[i][1], versions[i][2]);
}

static char *temp_db(void)
{
	char tmpl[] = "/tmp/iwstoreXXXXXX";
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

static int import_xml(store *st, const char *xml, const char *observed, store_import_result *res)
{
	registry_doc *doc = NULL;
	store_import_opts o;
	int rc = registry_parse((const unsigned char *)xml, strlen(xml), "v.xml", &doc);
	if (rc)
		return rc;
	store_import_opts_init(&o);
	assert_int_equal(iw_time_parse(observed, &o.observed_at), IW_OK);
	o.source = "test";
	rc = store_import(st, doc, (const unsigned char *)xml, strlen(xml), &o, res);
	registry_doc_free(doc);
	return rc;
}

/* A stored snapshot must equal a fresh parse of its document, record for record. */
static void assert_snapshot_is(store *st, int64_t id, const char *xml)
{
	registry_doc *want = NULL, *got = NULL;
	size_t i;
	int f;
	unsigned char *raw = NULL;
	size_t rawlen = 0;
	assert_int_equal(registry_parse((const unsigned char *)xml, strlen(xml), "v.xml", &want), IW_OK);
	registry_doc_sort(want);
	registry_doc_index_people(want);
	assert_int_equal(store_load_doc(st, id, &got), IW_OK);
	assert_string_equal(got->updated, want->updated);
	assert_int_equal(got->nrecords, want->nrecords);
	for (i = 0; i < want->nrecords; i++)
		assert_int_equal(registry_record_cmp(&got->records[i], &want->records[i]), 0);
	assert_int_equal(got->npeople, want->npeople);
	for (i = 0; i < want->npeople; i++) {
		assert_string_equal(got->people[i].id, want->people[i].id);
		for (f = 0; f < PERSON_NFIELDS; f++) {
			const char *a = got->people[i].f[f], *b = want->people[i].f[f];
			assert_true((!a && !b) || (a && b && !strcmp(a, b)));
		}
	}
	assert_int_equal(store_raw(st, id, &raw, &rawlen), IW_OK);
	assert_int_equal(rawlen, strlen(xml));
	assert_memory_equal(raw, xml, rawlen);
	free(raw);
	registry_doc_free(want);
	registry_doc_free(got);
}

/* Asks the database file itself (its own connection): store.h hands no connection out. */
static int64_t count(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q;
	int64_t n;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

/* Import orders to try: in time order, reversed, and shuffled. */
static const size_t orders[][NVERSIONS] = {
	{0, 1, 2, 3, 4},
	{4, 3, 2, 1, 0},
	{2, 0, 4, 1, 3},
	{1, 3, 0, 4, 2},
};

static void test_orders(void **state)
{
	size_t o, i;
	int64_t spans_in_order = -1, records_in_order = -1;
	(void)state;
	for (o = 0; o < sizeof(orders) / sizeof(*orders); o++) {
		char *path = temp_db();
		store *st = NULL;
		int64_t ids[NVERSIONS];
		store_snapshot *snaps = NULL;
		size_t n = 0;
		print_message("order %zu\n", o);
		assert_int_equal(store_open(&st, path, STORE_WRITE | STORE_CREATE), IW_OK);
		for (i = 0; i < NVERSIONS; i++) {
			size_t v = orders[o][i];
			char *xml = version_xml(v);
			char when[32];
			store_import_result res;
			snprintf(when, sizeof(when), "%sT12:00:00Z", versions[v][0]);
			assert_int_equal(import_xml(st, xml, when, &res), IW_OK);
			assert_int_equal(res.created, 1);
			ids[v] = res.snapshot_id;
			free(xml);
		}
		/* Whatever the import order, the snapshots are in time order and read back exactly. */
		assert_int_equal(store_list_snapshots(st, &snaps, &n), IW_OK);
		assert_int_equal(n, NVERSIONS);
		for (i = 0; i < NVERSIONS; i++) {
			char *xml = version_xml(i);
			assert_int_equal(snaps[i].id, ids[i]);
			assert_int_equal(snaps[i].pos, (int64_t)i + 1);
			assert_snapshot_is(st, ids[i], xml);
			free(xml);
		}
		store_snapshots_free(snaps, n);
		/* ...and the spans are the same minimal set. */
		if (spans_in_order < 0) {
			spans_in_order = count(path, "SELECT count(*) FROM record_span");
			records_in_order = count(path, "SELECT count(*) FROM record");
		}
		assert_int_equal(count(path, "SELECT count(*) FROM record_span"), spans_in_order);
		assert_int_equal(count(path, "SELECT count(*) FROM record"), records_in_order);
		store_free(st);
		remove_db(path);
	}
	/* keep (1 version, 1 span), back (1 version, 2 spans around its gap), the rest one each. */
	assert_int_equal(spans_in_order, records_in_order + 1);
}

static void test_dedupe_and_resolve(void **state)
{
	char *path = temp_db(), *xml0 = version_xml(0), *xml1 = version_xml(1);
	store *st = NULL;
	store_import_result res;
	int64_t id;
	(void)state;
	assert_int_equal(store_open(&st, path, STORE_WRITE | STORE_CREATE), IW_OK);
	assert_int_equal(import_xml(st, xml0, "2020-01-02T00:00:00Z", &res), IW_OK);
	assert_int_equal(import_xml(st, xml1, "2020-02-02T00:00:00Z", &res), IW_OK);
	assert_int_equal(import_xml(st, xml0, "2021-01-01T00:00:00Z", &res), IW_OK);
	assert_int_equal(res.created, 0);
	assert_int_equal(res.snapshot_id, 1);
	assert_int_equal(count(path, "SELECT count(*) FROM snapshot"), 2);

	assert_int_equal(store_resolve(st, "latest", &id), IW_OK);
	assert_int_equal(id, 2);
	assert_int_equal(store_resolve(st, "latest~1", &id), IW_OK);
	assert_int_equal(id, 1);
	assert_int_equal(store_resolve(st, "latest~2", &id), IW_ENOTFOUND);
	assert_int_equal(store_resolve(st, "2020-01-15", &id), IW_OK);
	assert_int_equal(id, 1);
	assert_int_equal(store_resolve(st, "2020-02-01", &id), IW_OK);
	assert_int_equal(id, 2);
	assert_int_equal(store_resolve(st, "2019-12-31", &id), IW_ENOTFOUND);
	assert_non_null(strstr(iw_error_last(), "before the first"));
	assert_int_equal(store_resolve(st, "2", &id), IW_OK);
	assert_int_equal(store_resolve(st, "7", &id), IW_ENOTFOUND);
	assert_int_equal(store_resolve(st, "x", &id), IW_EINVAL);
	assert_int_equal(store_resolve(st, "2020-02-30", &id), IW_EINVAL);
	store_free(st);
	remove_db(path);
	free(xml0);
	free(xml1);
}

static void test_refusal_rolls_back(void **state)
{
	char *path = temp_db(), *xml3 = version_xml(3), *xml4 = version_xml(4), *xml0 = version_xml(0);
	store *st = NULL;
	store_import_result res;
	store_import_opts o;
	registry_doc *doc = NULL;
	int64_t records, spans;
	(void)state;
	assert_int_equal(store_open(&st, path, STORE_WRITE | STORE_CREATE), IW_OK);
	assert_int_equal(import_xml(st, xml3, "2020-04-02T00:00:00Z", &res), IW_OK);
	records = count(path, "SELECT count(*) FROM record");
	spans = count(path, "SELECT count(*) FROM record_span");
	/* Far fewer records than the newest snapshot: refused, nothing written. */
	assert_int_equal(registry_parse((unsigned char *)xml4, strlen(xml4), "v", &doc), IW_OK);
	store_import_opts_init(&o);
	o.min_ratio = 0.9;
	assert_int_equal(store_import(st, doc, (unsigned char *)xml4, strlen(xml4), &o, &res), IW_EREFUSED);
	registry_doc_free(doc);
	/* An older registry date: refused when asked to. */
	assert_int_equal(registry_parse((unsigned char *)xml0, strlen(xml0), "v", &doc), IW_OK);
	store_import_opts_init(&o);
	o.refuse_older = 1;
	assert_int_equal(store_import(st, doc, (unsigned char *)xml0, strlen(xml0), &o, &res), IW_EREFUSED);
	assert_int_equal(count(path, "SELECT count(*) FROM snapshot"), 1);
	assert_int_equal(count(path, "SELECT count(*) FROM record"), records);
	assert_int_equal(count(path, "SELECT count(*) FROM record_span"), spans);
	assert_int_equal(count(path, "SELECT count(*) FROM raw"), 1);
	/* --force stores it. */
	o.force = 1;
	assert_int_equal(store_import(st, doc, (unsigned char *)xml0, strlen(xml0), &o, &res), IW_OK);
	assert_int_equal(res.created, 1);
	registry_doc_free(doc);
	store_free(st);
	remove_db(path);
	free(xml0);
	free(xml3);
	free(xml4);
}

static void test_no_raw(void **state)
{
	char *path = temp_db(), *xml = version_xml(0);
	store *st = NULL;
	store_import_result res;
	store_import_opts o;
	registry_doc *doc = NULL;
	unsigned char *raw = NULL;
	size_t len;
	(void)state;
	assert_int_equal(store_open(&st, path, STORE_WRITE | STORE_CREATE), IW_OK);
	assert_int_equal(registry_parse((unsigned char *)xml, strlen(xml), "v", &doc), IW_OK);
	store_import_opts_init(&o);
	o.keep_raw = 0;
	assert_int_equal(store_import(st, doc, (unsigned char *)xml, strlen(xml), &o, &res), IW_OK);
	assert_int_equal(store_raw(st, res.snapshot_id, &raw, &len), IW_ENOTFOUND);
	assert_non_null(strstr(iw_error_last(), "--no-raw"));
	registry_doc_free(doc);
	store_free(st);
	remove_db(path);
	free(xml);
}

static void test_schema_guard(void **state)
{
	char *path = temp_db();
	store *st = NULL;
	sqlite3 *db;
	FILE *f;
	(void)state;
	/* A database from a newer ianawatch is refused and left alone. */
	assert_int_equal(store_open(&st, path, STORE_WRITE | STORE_CREATE), IW_OK);
	store_free(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(&st, path, STORE_WRITE), IW_EDB);
	assert_non_null(strstr(iw_error_last(), "newer"));
	assert_int_equal(store_open(&st, path, STORE_READONLY), IW_EDB);
	/* A file that is not a database. */
	f = fopen(path, "w");
	fputs("not a database, just some text that is long enough to fill a header..........", f);
	fclose(f);
	assert_int_equal(store_open(&st, path, STORE_READONLY), IW_EDB);
	assert_non_null(strstr(iw_error_last(), "not an ianawatch database"));
	/* A missing database is not created by a reader. */
	unlink(path);
	assert_int_equal(store_open(&st, path, STORE_READONLY), IW_ENOTFOUND);
	assert_int_not_equal(access(path, F_OK), 0);
	/* Another application's SQLite file. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(&st, path, STORE_WRITE), IW_EDB);
	assert_non_null(strstr(iw_error_last(), "not an ianawatch one"));
	remove_db(path);
}

static void test_real_pair(void **state)
{
	static const char *const files[] = {"2025-01-23.xml.gz", "2025-02-13.xml.gz"};
	char *path = temp_db();
	store *st = NULL;
	size_t i;
	(void)state;
	assert_int_equal(store_open(&st, path, STORE_WRITE | STORE_CREATE), IW_OK);
	for (i = 0; i < 2; i++) {
		char *file = iw_asprintf("%s/tests/data/%s", IW_SOURCE_DIR, files[i]);
		unsigned char *data = NULL;
		size_t len;
		registry_doc *doc = NULL;
		store_import_opts o;
		store_import_result res;
		assert_int_equal(iw_read_file(file, REGISTRY_MAX_DOC_SIZE, &data, &len), IW_OK);
		assert_int_equal(registry_parse(data, len, file, &doc), IW_OK);
		store_import_opts_init(&o);
		o.observed_at = (time_t)(1700000000 + i);
		assert_int_equal(store_import(st, doc, data, len, &o, &res), IW_OK);
		assert_snapshot_is(st, res.snapshot_id, (const char *)data);
		registry_doc_free(doc);
		free(data);
		free(file);
	}
	/* Six records changed between the two: that is all the second snapshot costs. */
	assert_int_equal(count(path, "SELECT count(*) FROM record"), 14466 + 6);
	/* The older raw document is a small delta against the newer one. */
	assert_true(count(path, "SELECT length(data) FROM raw WHERE snapshot_id = 1") < 4096);
	store_free(st);
	remove_db(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orders),
		cmocka_unit_test(test_dedupe_and_resolve),
		cmocka_unit_test(test_refusal_rolls_back),
		cmocka_unit_test(test_no_raw),
		cmocka_unit_test(test_schema_guard),
		cmocka_unit_test(test_real_pair),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
