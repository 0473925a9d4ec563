/* test_store.c: the span store: intervals, dedupe by hash, out-of-order imports, rollback, the
 * raw archive, and the schema guard. Every snapshot read back must equal a fresh parse. */
#define _GNU_SOURCE /* unshare() */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
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

/* Asks the database at path through a connection of its own (the store's is private). */
static int64_t count_at(const char *path, const char *sql)
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

#define count(st, sql) count_at(path, sql)

/* Import orders to try: in time order, reversed, and shuffled. */
static const size_t orders[][NVERSIONS] = {
	{0, 1, 2, 3, 4},
	{4, 3, 2, 1, 0},
	{2, 0, 4, 1, 3},
	{1, 3, 0, 4, 2},
};

/* When each version was observed: on its registry date; all at the same moment (imported
 * without --observed-at); in reverse (each older version seen later). The history follows the
 * registry's dates in every case. */
enum { OBSERVED_ON_DATE, OBSERVED_NOW, OBSERVED_BACKWARDS, OBSERVED_MODES };

static void observed_time(size_t v, int mode, char *when, size_t size)
{
	if (mode == OBSERVED_ON_DATE)
		snprintf(when, size, "%sT12:00:00Z", versions[v][0]);
	else if (mode == OBSERVED_NOW)
		snprintf(when, size, "2025-06-01T00:00:00Z");
	else
		snprintf(when, size, "2025-06-%02zuT00:00:00Z", NVERSIONS + 1 - v);
}

static void test_orders(void **state)
{
	size_t o, i;
	int mode;
	int64_t spans_in_order = -1, records_in_order = -1;
	(void)state;
	for (mode = 0; mode < OBSERVED_MODES; mode++)
	for (o = 0; o < sizeof(orders) / sizeof(*orders); o++) {
		char *path = temp_db();
		store *st = NULL;
		int64_t ids[NVERSIONS];
		store_snapshot *snaps = NULL;
		size_t n = 0;
		store_check_result cr;
		print_message("observed %d, order %zu\n", mode, o);
		assert_int_equal(store_open(&st, path, STORE_WRITE | STORE_CREATE), IW_OK);
		for (i = 0; i < NVERSIONS; i++) {
			size_t v = orders[o][i];
			char *xml = version_xml(v);
			char when[32];
			store_import_result res;
			observed_time(v, mode, when, sizeof(when));
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
			spans_in_order = count(st, "SELECT count(*) FROM record_span");
			records_in_order = count(st, "SELECT count(*) FROM record");
		}
		assert_int_equal(count(st, "SELECT count(*) FROM record_span"), spans_in_order);
		assert_int_equal(count(st, "SELECT count(*) FROM record"), records_in_order);
		assert_int_equal(store_check(st, 0, NULL, NULL, &cr), IW_OK);
		assert_int_equal(cr.compared, NVERSIONS);
		store_free(st);
		remove_db(path);
	}
	/* keep (1 version, 1 span), back (1 version, 2 spans around its gap), the rest one each. */
	assert_int_equal(spans_in_order, records_in_order + 1);
}

/* The registry re-publishes on the same date: those versions follow their observed times. */
static void test_same_day(void **state)
{
	char *path = temp_db();
	char *a = iw_asprintf(HEAD "<record><name>a</name><number>1</number></record>" TAIL,
	                      "2020-01-01", "Pat");
	char *b = iw_asprintf(HEAD "<record><name>b</name><number>1</number></record>" TAIL,
	                      "2020-01-01", "Pat");
	char *c = iw_asprintf(HEAD "<record><name>c</name><number>1</number></record>" TAIL,
	                      "2019-12-01", "Pat");
	store *st = NULL;
	store_import_result ra, rb, rc;
	int64_t id;
	(void)state;
	assert_int_equal(store_open(&st, path, STORE_WRITE | STORE_CREATE), IW_OK);
	assert_int_equal(import_xml(st, b, "2020-01-02T10:00:00Z", &rb), IW_OK);
	assert_int_equal(import_xml(st, a, "2020-01-02T09:00:00Z", &ra), IW_OK);
	assert_int_equal(import_xml(st, c, "2020-01-03T00:00:00Z", &rc), IW_OK);
	assert_int_equal(store_resolve(st, "latest", &id), IW_OK);
	assert_int_equal(id, rb.snapshot_id);
	assert_int_equal(store_resolve(st, "latest~1", &id), IW_OK);
	assert_int_equal(id, ra.snapshot_id);
	assert_int_equal(store_resolve(st, "latest~2", &id), IW_OK);
	assert_int_equal(id, rc.snapshot_id);
	assert_int_equal(ra.previous_id, 0);
	assert_int_equal(rc.previous_id, 0);
	assert_snapshot_is(st, ra.snapshot_id, a);
	assert_snapshot_is(st, rb.snapshot_id, b);
	assert_snapshot_is(st, rc.snapshot_id, c);
	store_free(st);
	remove_db(path);
	free(a);
	free(b);
	free(c);
}

/* Neither an observed time nor a registry date may lie in the future (a day of skew allowed). */
static void test_future(void **state)
{
	char *path = temp_db(), *xml0 = version_xml(0);
	char *late = iw_asprintf(HEAD "<record><name>x</name><number>1</number></record>" TAIL,
	                         "2026-01-03", "Pat");
	char *soon = iw_asprintf(HEAD "<record><name>x</name><number>2</number></record>" TAIL,
	                         "2026-01-02", "Pat");
	store *st = NULL;
	store_import_result res;
	registry_doc *doc = NULL;
	store_import_opts o;
	(void)state;
	setenv("IANAWATCH_NOW", "2026-01-01T00:00:00Z", 1);
	assert_int_equal(store_open(&st, path, STORE_WRITE | STORE_CREATE), IW_OK);
	assert_int_equal(import_xml(st, xml0, "2026-01-02T00:00:01Z", &res), IW_EINVAL);
	assert_non_null(strstr(iw_error_last(), "in the future"));
	assert_int_equal(import_xml(st, xml0, "2026-01-02T00:00:00Z", &res), IW_OK);
	assert_int_equal(import_xml(st, late, "2026-01-01T00:00:00Z", &res), IW_EREFUSED);
	assert_non_null(strstr(iw_error_last(), "2026-01-03"));
	assert_int_equal(import_xml(st, soon, "2026-01-01T00:00:00Z", &res), IW_OK);
	assert_int_equal(count(st, "SELECT count(*) FROM snapshot"), 2);
	/* --force stores a future registry date, never a future observed time. */
	assert_int_equal(registry_parse((unsigned char *)late, strlen(late), "v", &doc), IW_OK);
	store_import_opts_init(&o);
	o.force = 1;
	assert_int_equal(store_import(st, doc, (unsigned char *)late, strlen(late), &o, &res), IW_OK);
	o.observed_at += 2 * 86400;
	assert_int_equal(store_import(st, doc, (unsigned char *)late, strlen(late), &o, &res), IW_EINVAL);
	registry_doc_free(doc);
	unsetenv("IANAWATCH_NOW");
	store_free(st);
	remove_db(path);
	free(xml0);
	free(late);
	free(soon);
}

/* A schema 1 database, made by ianawatch 0.x from the five versions imported newest first (each
 * observed a day after the previous one), so that version 1 ordered them backwards. Migration 2
 * puts them in the registry's order in one transaction. */
static void test_migrate_from_1(void **state)
{
	char *gz = iw_asprintf("%s/tests/data/schema1-backwards.db.gz", IW_SOURCE_DIR);
	char *path = temp_db();
	unsigned char *data = NULL;
	size_t len, i, n = 0;
	store *st = NULL;
	store_snapshot *snaps = NULL;
	store_check_result cr;
	FILE *f;
	(void)state;
	assert_int_equal(iw_read_file(gz, 1 << 24, &data, &len), IW_OK);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	free(data);
	assert_int_equal(count(st, "PRAGMA user_version"), 1);
	/* Readers cannot migrate, and leave the file alone. */
	assert_int_equal(store_open(&st, path, STORE_READONLY), IW_EDB);
	assert_non_null(strstr(iw_error_last(), "needs an upgrade"));
	assert_int_equal(count(st, "SELECT pos FROM snapshot WHERE id = 1"), 1);
	assert_int_equal(store_open(&st, path, STORE_WRITE), IW_OK);
	assert_int_equal(count(st, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(store_list_snapshots(st, &snaps, &n), IW_OK);
	assert_int_equal(n, NVERSIONS);
	for (i = 0; i < NVERSIONS; i++) {
		char *xml = version_xml(i);
		assert_string_equal(snaps[i].registry_updated, versions[i][0]);
		assert_int_equal(snaps[i].id, (int64_t)(NVERSIONS - i));
		assert_snapshot_is(st, snaps[i].id, xml);
		free(xml);
	}
	store_snapshots_free(snaps, n);
	assert_int_equal(store_check(st, 0, NULL, NULL, &cr), IW_OK);
	/* Migration 4 indexed what was stored: "back" is there at 1 and from 3 on. */
	{
		store_search_list l;
		assert_int_equal(store_search(st, "BACK", &l), IW_OK);
		assert_int_equal(l.n, 1);
		assert_string_equal(l.v[0].name, "back");
		assert_int_equal(l.v[0].first_pos, 1);
		assert_int_equal(l.v[0].last_pos, 4);
		assert_int_equal(l.v[0].versions, 1);
		store_search_list_free(&l);
	}
	/* The same minimal spans as imports in order give (see test_orders). */
	assert_int_equal(count(st, "SELECT count(*) FROM record_span"),
	                 count(st, "SELECT count(*) FROM record") + 1);
	/* It goes on like any database: a version that arrives late takes its place. */
	{
		char *mid = iw_asprintf(HEAD "<record><name>keep</name><number>200</number></record>"
		                        TAIL, "2020-04-15", "Pat Q");
		store_import_result res;
		assert_int_equal(import_xml(st, mid, "2025-07-01T00:00:00Z", &res), IW_OK);
		assert_int_equal(count(st, "SELECT pos FROM snapshot WHERE registry_updated = "
		                       "'2020-04-15'"), 5);
		assert_snapshot_is(st, res.snapshot_id, mid);
		assert_int_equal(store_check(st, 0, NULL, NULL, &cr), IW_OK);
		free(mid);
	}
	store_free(st);
	remove_db(path);
	free(gz);
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
	assert_int_equal(count(st, "SELECT count(*) FROM snapshot"), 2);

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
	records = count(st, "SELECT count(*) FROM record");
	spans = count(st, "SELECT count(*) FROM record_span");
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
	assert_int_equal(count(st, "SELECT count(*) FROM snapshot"), 1);
	assert_int_equal(count(st, "SELECT count(*) FROM record"), records);
	assert_int_equal(count(st, "SELECT count(*) FROM record_span"), spans);
	assert_int_equal(count(st, "SELECT count(*) FROM raw"), 1);
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

/* The notification queue (issue 15): queued with payloads, failed tries counted, removed. */
static void test_notify_queue(void **state)
{
	static const unsigned char body[] = {'{', 0, 0xff, '}'};
	char *path = temp_db();
	store *st = NULL;
	store_notification q[2], *v = NULL;
	size_t n = 0;
	(void)state;
	memset(q, 0, sizeof(q));
	q[0].target = "https://u:secret@h.example/x";
	q[0].shown = "https://h.example/\xe2\x80\xa6";
	q[0].from_id = 1;
	q[0].to_id = 2;
	q[0].content_type = "application/json";
	q[0].body = (unsigned char *)body;
	q[0].len = sizeof(body);
	q[0].created_at = 86400;
	q[1].target = q[1].shown = "mailto:a@example.org";
	q[1].headers = "X: y\n";
	q[1].created_at = 86401;
	assert_int_equal(store_open(&st, path, STORE_WRITE | STORE_CREATE), IW_OK);
	assert_int_equal(store_notify_add(st, q, 2), IW_OK);
	assert_int_equal(store_notify_list(st, 1, &v, &n), IW_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].target, q[0].target);
	assert_string_equal(v[0].shown, q[0].shown);
	assert_int_equal(v[0].len, sizeof(body));
	assert_memory_equal(v[0].body, body, sizeof(body));
	assert_int_equal(v[0].created_at, 86400);
	assert_int_equal(v[0].next_at, 86400);
	assert_int_equal(v[0].attempts, 0);
	assert_null(v[0].last_error);
	assert_null(v[0].headers);
	assert_string_equal(v[1].headers, "X: y\n");
	assert_int_equal(v[1].len, 0);
	assert_int_equal(store_notify_failed(st, v[0].id, 1, 90000, "h.example: HTTP 500"), IW_OK);
	assert_int_equal(store_notify_remove(st, v[1].id), IW_OK);
	store_notifications_free(v, n);
	/* A listing without payloads, as status reads it. */
	assert_int_equal(store_notify_list(st, 0, &v, &n), IW_OK);
	assert_int_equal(n, 1);
	assert_null(v[0].body);
	assert_int_equal(v[0].attempts, 1);
	assert_int_equal(v[0].next_at, 90000);
	assert_string_equal(v[0].last_error, "h.example: HTTP 500");
	store_notifications_free(v, n);
	/* Nothing queued without a target. */
	q[0].target = NULL;
	assert_int_equal(store_notify_add(st, q, 1), IW_EINVAL);
	iw_error_clear();
	store_free(st);
	remove_db(path);
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
	assert_int_equal(count(st, "SELECT count(*) FROM record"), 14466 + 6);
	/* The older raw document is a small delta against the newer one. */
	assert_true(count(st, "SELECT length(data) FROM raw WHERE snapshot_id = 1") < 4096);
	store_free(st);
	remove_db(path);
}

static int file_exists(const char *path, const char *suffix)
{
	char *p = iw_asprintf("%s%s", path, suffix);
	int r = access(p, F_OK) == 0;
	free(p);
	return r;
}

static store *write_two(char *path)
{
	char *xml0 = version_xml(0), *xml1 = version_xml(1);
	store *st = NULL;
	store_import_result res;
	assert_int_equal(store_open(&st, path, STORE_WRITE | STORE_CREATE), IW_OK);
	assert_int_equal(import_xml(st, xml0, "2020-01-02T00:00:00Z", &res), IW_OK);
	assert_int_equal(import_xml(st, xml1, "2020-02-02T00:00:00Z", &res), IW_OK);
	free(xml0);
	free(xml1);
	return st;
}

/* Reading leaves no -wal or -shm behind that was not there, and writes nothing. */
static void test_reader_leaves_nothing(void **state)
{
	char *path = temp_db();
	store *st = write_two(path), *rd = NULL;
	int64_t id;
	(void)state;
	store_free(st);
	assert_false(file_exists(path, "-wal"));
	assert_false(file_exists(path, "-shm"));
	assert_int_equal(store_open(&rd, path, STORE_READONLY), IW_OK);
	assert_int_equal(store_resolve(rd, "latest", &id), IW_OK);
	assert_int_equal(id, 2);
	/* A reader cannot write, whatever it asks. */
	assert_int_equal(store_fetch_record(rd, NULL, 0, "http://x", &(store_http_cache){0}), IW_EDB);
	store_free(rd);
	assert_false(file_exists(path, "-wal"));
	assert_false(file_exists(path, "-shm"));
	/* Beside a writer, the writer's files stay, and the reader sees what was committed. */
	assert_int_equal(store_open(&st, path, STORE_WRITE), IW_OK);
	assert_int_equal(store_resolve(st, "latest", &id), IW_OK);
	assert_true(file_exists(path, "-wal"));
	assert_int_equal(store_open(&rd, path, STORE_READONLY), IW_OK);
	assert_int_equal(store_resolve(rd, "latest~1", &id), IW_OK);
	assert_int_equal(id, 1);
	store_free(rd);
	assert_true(file_exists(path, "-wal"));
	store_free(st);
	assert_false(file_exists(path, "-wal"));
	remove_db(path);
}

/* A database on a read-only mount can be read (a WAL database needs a -shm that cannot be made
 * there). Needs a private mount namespace: skipped where unshare(2) is not allowed. */
static void test_read_only_mount(void **state)
{
	char dir[] = "/tmp/iwromntXXXXXX";
	char *path;
	store *st;
	pid_t pid;
	int status;
	(void)state;
	assert_non_null(mkdtemp(dir));
	path = iw_asprintf("%s/ro.db", dir);
	st = write_two(path);
	store_free(st);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		store *rd = NULL;
		int64_t id = 0;
		if (unshare(CLONE_NEWNS) != 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) ||
		    mount(dir, dir, "none", MS_BIND, NULL) != 0 ||
		    mount("none", dir, "none", MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) != 0)
			_exit(77);
		if (access(dir, W_OK) == 0 || errno != EROFS)
			_exit(78);
		if (store_open(&rd, path, STORE_READONLY) != IW_OK) {
			fprintf(stderr, "%s\n", iw_error_last());
			_exit(1);
		}
		if (store_resolve(rd, "latest", &id) != IW_OK || id != 2)
			_exit(2);
		store_free(rd);
		/* Writers are refused, clearly. */
		if (store_open(&rd, path, STORE_WRITE) == IW_OK)
			_exit(3);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77 || WEXITSTATUS(status) == 78) {
		print_message("no private mount namespace here: read-only mount not tested\n");
	} else {
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_false(file_exists(path, "-shm"));
	remove_db(path);
	rmdir(dir);
}

/* A database renamed or removed during a write run: the next write fails, naming why. */
static void test_moved_during_write(void **state)
{
	char *path = temp_db(), *moved = iw_asprintf("%s.moved", path), *xml = version_xml(2);
	store *st = write_two(path);
	store_import_result res;
	(void)state;
	assert_int_equal(rename(path, moved), 0);
	assert_int_equal(import_xml(st, xml, "2020-03-02T00:00:00Z", &res), IW_EDB);
	assert_non_null(strstr(iw_error_last(), "moved or removed"));
	store_free(st);
	remove_db(moved);
	free(path);
	free(xml);
}

/* Without $HOME (cron, services) the default path is still absolute. */
static void test_default_path_without_home(void **state)
{
	char *home = getenv("HOME") ? iw_strdup(getenv("HOME")) : NULL, *p;
	char *xdg = getenv("XDG_DATA_HOME") ? iw_strdup(getenv("XDG_DATA_HOME")) : NULL;
	(void)state;
	unsetenv("XDG_DATA_HOME");
	unsetenv("HOME");
	p = store_default_path();
	assert_non_null(p);
	assert_int_equal(p[0], '/');
	free(p);
	setenv("HOME", "", 1);
	p = store_default_path();
	assert_non_null(p);
	assert_int_equal(p[0], '/');
	free(p);
	setenv("HOME", "relative", 1);
	p = store_default_path();
	assert_non_null(p);
	assert_int_equal(p[0], '/');
	free(p);
	if (home)
		setenv("HOME", home, 1);
	if (xdg)
		setenv("XDG_DATA_HOME", xdg, 1);
	free(home);
	free(xdg);
}

/* A registry of n records on ports 1..n (every name repeated `dups` extra times on port 7). */
static char *big_xml(const char *date, size_t n, size_t dups)
{
	iw_buf b = IW_BUF_INIT(1 << 24);
	size_t i;
	iw_buf_printf(&b, HEAD, date);
	for (i = 1; i <= n; i++)
		iw_buf_printf(&b, "<record><name>s%zu</name><protocol>tcp</protocol><number>%zu</number>"
		              "</record>", i, i);
	for (i = 0; i < dups; i++)
		iw_buf_adds(&b, "<record><name>s7</name><protocol>tcp</protocol><number>7</number>"
		            "</record>");
	iw_buf_printf(&b, TAIL, "Pat");
	assert_int_equal(iw_buf_error(&b), IW_OK);
	return iw_buf_detach(&b, NULL);
}

static int import_forced(store *st, const char *xml, int force, int refuse_older,
                         store_import_result *res)
{
	registry_doc *doc = NULL;
	store_import_opts o;
	int rc;
	assert_int_equal(registry_parse((const unsigned char *)xml, strlen(xml), "v", &doc), IW_OK);
	store_import_opts_init(&o);
	o.force = force;
	o.refuse_older = refuse_older;
	assert_int_equal(iw_time_parse("2025-01-01T00:00:00Z", &o.observed_at), IW_OK);
	rc = store_import(st, doc, (const unsigned char *)xml, strlen(xml), &o, res);
	registry_doc_free(doc);
	return rc;
}

/* Growth beyond the bound against the newest snapshot is refused; time widens the bound. */
static void test_growth_bound(void **state)
{
	char *path = temp_db();
	char *base = big_xml("2020-01-01", 1000, 0), *burst = big_xml("2020-02-01", 1200, 0);
	char *later = big_xml("2022-01-01", 1200, 0);
	store *st = NULL;
	store_import_result res;
	(void)state;
	assert_int_equal(store_open(&st, path, STORE_WRITE | STORE_CREATE), IW_OK);
	assert_int_equal(import_forced(st, base, 0, 0, &res), IW_OK);
	assert_int_equal(import_forced(st, burst, 0, 0, &res), IW_EREFUSED);
	assert_non_null(strstr(iw_error_last(), "1200 records"));
	assert_non_null(strstr(iw_error_last(), "--force"));
	assert_int_equal(count(st, "SELECT count(*) FROM snapshot"), 1);
	/* Two years on, 20 % more is within the bound (10 % + 1 % a month). */
	assert_int_equal(import_forced(st, later, 0, 0, &res), IW_OK);
	assert_int_equal(import_forced(st, burst, 1, 0, &res), IW_OK);
	assert_int_equal(count(st, "SELECT count(*) FROM snapshot"), 3);
	store_free(st);
	remove_db(path);
	free(base);
	free(burst);
	free(later);
}

/* One repeated record (as rdp in the real registry) is fine; many are refused, named. */
static void test_duplicates(void **state)
{
	char *path = temp_db();
	char *one = big_xml("2020-01-01", 50, 1), *many = big_xml("2020-01-02", 50, 20);
	store *st = NULL;
	store_import_result res;
	(void)state;
	assert_int_equal(store_open(&st, path, STORE_WRITE | STORE_CREATE), IW_OK);
	assert_int_equal(import_forced(st, one, 0, 0, &res), IW_OK);
	assert_int_equal(import_forced(st, many, 0, 0, &res), IW_EREFUSED);
	assert_non_null(strstr(iw_error_last(), "20 repeated records"));
	assert_non_null(strstr(iw_error_last(), "'s7' on 7/tcp"));
	assert_int_equal(import_forced(st, many, 1, 0, &res), IW_OK);
	assert_int_equal(res.created, 1);
	store_free(st);
	remove_db(path);
	free(one);
	free(many);
}

/* Content stored before but older than the newest snapshot is a rollback. */
static void test_known_rollback(void **state)
{
	char *path = temp_db(), *xml0 = version_xml(0), *xml1 = version_xml(1);
	store *st = NULL;
	store_import_result res;
	(void)state;
	assert_int_equal(store_open(&st, path, STORE_WRITE | STORE_CREATE), IW_OK);
	assert_int_equal(import_forced(st, xml0, 0, 1, &res), IW_OK);
	assert_int_equal(import_forced(st, xml1, 0, 1, &res), IW_OK);
	assert_int_equal(import_forced(st, xml0, 0, 1, &res), IW_EREFUSED);
	assert_non_null(strstr(iw_error_last(), "rollback"));
	/* The newest content again is simply unchanged; without refuse_older, old content too. */
	assert_int_equal(import_forced(st, xml1, 0, 1, &res), IW_OK);
	assert_int_equal(res.created, 0);
	assert_int_equal(import_forced(st, xml0, 0, 0, &res), IW_OK);
	assert_int_equal(res.created, 0);
	assert_int_equal(res.snapshot_id, 1);
	store_free(st);
	remove_db(path);
	free(xml0);
	free(xml1);
}

static store *open_real_pair(char *path)
{
	static const char *const files[] = {"2025-01-23.xml.gz", "2025-02-13.xml.gz"};
	store *st = NULL;
	size_t i;
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
		registry_doc_free(doc);
		free(data);
		free(file);
	}
	return st;
}

/* Names and people as users type them; suggestions for what is not there. */
static void test_lookup(void **state)
{
	char *path = temp_db();
	store *st = open_real_pair(path);
	store_version_list a, b, people;
	char **sug = NULL;
	size_t n = 0, i;
	int compressnet = 0;
	(void)state;
	/* The registry writes CompressNET; DNS labels compare case-insensitively. */
	assert_int_equal(store_versions_for_name(st, "compressnet", &a), IW_OK);
	assert_int_equal(store_versions_for_name(st, "COMPRESSNET", &b), IW_OK);
	assert_true(a.n >= 4);
	assert_int_equal(a.n, b.n);
	for (i = 0; i < a.n; i++)
		assert_string_equal(a.v[i].rec.f[REG_NAME], b.v[i].rec.f[REG_NAME]);
	store_version_list_free(&a);
	store_version_list_free(&b);
	assert_int_equal(store_suggest(st, STORE_SUGGEST_NAMES, "compresnet", &sug, &n), IW_OK);
	assert_true(n >= 1 && n <= STORE_SUGGESTIONS);
	assert_string_equal(sug[0], "compressnet");
	store_suggestions_free(sug, n);
	assert_int_equal(store_suggest(st, STORE_SUGGEST_NAMES, "zzzzzzzzzzzzzzzzzzzz", &sug, &n), IW_OK);
	assert_int_equal(n, 0);
	assert_null(sug);
	/* A person by name or id, any case: their own versions, then what they held. */
	assert_int_equal(store_person_versions(st, "bernie volz", &people), IW_OK);
	assert_true(people.n >= 1);
	assert_string_equal(people.v[0].p.id, "Bernie_Volz");
	assert_string_equal(people.v[0].p.f[PERSON_NAME], "Bernie Volz");
	assert_int_equal(people.v[0].first_pos, 1);
	assert_int_equal(people.v[people.n - 1].last_pos, 2);
	store_version_list_free(&people);
	assert_int_equal(store_person_versions(st, "BERNIE_VOLZ", &people), IW_OK);
	assert_string_equal(people.v[0].p.id, "Bernie_Volz");
	store_version_list_free(&people);
	assert_int_equal(store_person_versions(st, "Nobody_At_All", &people), IW_ENOTFOUND);
	assert_int_equal(store_versions_for_person(st, "bernie_volz", &a), IW_OK);
	for (i = 0; i < a.n; i++) {
		const char *as = a.v[i].rec.f[REG_ASSIGNEE], *co = a.v[i].rec.f[REG_CONTACT];
		assert_true((as && strstr(as, "Bernie_Volz")) || (co && strstr(co, "Bernie_Volz")));
		if (a.v[i].rec.f[REG_NAME] && !strcmp(a.v[i].rec.f[REG_NAME], "compressnet") &&
		    a.v[i].last_pos == 1)
			compressnet++;
	}
	/* compressnet 3/tcp and 3/udp held until the de-assignment of 2025-02-13. */
	assert_int_equal(compressnet, 2);
	store_version_list_free(&a);
	/* An id must match whole: a prefix is not the person. */
	assert_int_equal(store_versions_for_person(st, "Bernie_Vol", &a), IW_OK);
	assert_int_equal(a.n, 0);
	store_version_list_free(&a);
	/* Ids go through the full-text index as a quoted phrase: a quote is text, not syntax; an
	 * id with no word character (not in the index) is looked for in every version. */
	assert_int_equal(store_versions_for_person(st, "Bernie\"Volz", &a), IW_OK);
	assert_int_equal(a.n, 0);
	store_version_list_free(&a);
	assert_int_equal(store_versions_for_person(st, "_-_", &a), IW_OK);
	assert_int_equal(a.n, 0);
	store_version_list_free(&a);
	assert_int_equal(store_versions_for_person(st, "volz bernie", &a), IW_OK);
	assert_int_equal(a.n, 0);
	store_version_list_free(&a);
	assert_int_equal(store_suggest(st, STORE_SUGGEST_PEOPLE, "Bernie Volx", &sug, &n), IW_OK);
	assert_true(n >= 1);
	assert_string_equal(sug[0], "Bernie_Volz");
	store_suggestions_free(sug, n);
	store_free(st);
	remove_db(path);
}

/* Full-text search over every version, grouped by entry and person, best first. */
static void test_search(void **state)
{
	char *path = temp_db();
	store *st = open_real_pair(path);
	store_search_list l;
	size_t i;
	int person = 0, record = 0;
	(void)state;
	assert_int_equal(store_search(st, "compression", &l), IW_OK);
	assert_true(l.n >= 2);
	assert_false(l.v[0].is_person);
	assert_string_equal(l.v[0].name, "compressnet");
	for (i = 1; i < l.n; i++)
		assert_true(l.v[i - 1].score >= l.v[i].score);
	/* One entry per name and protocol, however many versions matched. */
	for (i = 0; i < l.n; i++)
		if (l.v[i].name && !strcmp(l.v[i].name, "compressnet"))
			record++;
	assert_int_equal(record, 2);
	store_search_list_free(&l);
	/* A person by name, and the entries naming them; words in any case, all required. */
	assert_int_equal(store_search(st, "BERNIE volz", &l), IW_OK);
	record = 0;
	for (i = 0; i < l.n; i++) {
		if (l.v[i].is_person && !strcmp(l.v[i].name, "Bernie_Volz")) {
			person++;
			assert_int_equal(l.v[i].first_pos, 1);
			assert_int_equal(l.v[i].last_pos, 2);
		}
		if (!l.v[i].is_person && l.v[i].name && !strcmp(l.v[i].name, "compressnet"))
			record++;
	}
	assert_int_equal(person, 1);
	assert_int_equal(record, 2);
	store_search_list_free(&l);
	/* Query syntax in the text is only text. */
	assert_int_equal(store_search(st, "\"compression OR NEAR( *", &l), IW_OK);
	store_search_list_free(&l);
	assert_int_equal(store_search(st, "zzqqxxnotaword", &l), IW_OK);
	assert_int_equal(l.n, 0);
	store_search_list_free(&l);
	assert_int_equal(store_search(st, "  ", &l), IW_EINVAL);
	store_free(st);
	remove_db(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orders),
		cmocka_unit_test(test_same_day),
		cmocka_unit_test(test_future),
		cmocka_unit_test(test_migrate_from_1),
		cmocka_unit_test(test_reader_leaves_nothing),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_growth_bound),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_known_rollback),
		cmocka_unit_test(test_read_only_mount),
		cmocka_unit_test(test_moved_during_write),
		cmocka_unit_test(test_default_path_without_home),
		cmocka_unit_test(test_dedupe_and_resolve),
		cmocka_unit_test(test_refusal_rolls_back),
		cmocka_unit_test(test_no_raw),
		cmocka_unit_test(test_schema_guard),
		cmocka_unit_test(test_notify_queue),
		cmocka_unit_test(test_real_pair),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
