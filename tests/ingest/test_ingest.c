/* test_ingest.c: ingest/ without a process: a document from a file into a store, and whole
 * fetch runs (ingest_fetch_run()) against tests/httpd.py on 127.0.0.1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ingest/ingest.h"
#include "test_httpd.h"
#include "common/banned.h"

#ifndef IW_SOURCE_DIR
#error "IW_SOURCE_DIR must name the source tree"
#endif
#define IW_TEST_DATA_DIR IW_SOURCE_DIR "/tests/data"

static test_httpd srv;

static char work[256];

/* A path in this run's scratch folder. */
static const char *tmp_path(const char *name)
{
	static char buf[4][512];
	static int next;
	char *b = buf[next++ % 4];
	snprintf(b, sizeof(buf[0]), "%s/%s", work, name);
	return b;
}

static int group_setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	(void)state;
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	snprintf(work, sizeof(work), "%s/iw-ingest-work-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(work) || test_httpd_start(&srv, NULL) != 0) {
		fprintf(stderr, "cannot start tests/httpd.py\n");
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[600];
	(void)state;
	test_httpd_stop(&srv);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", work);
	if (system(cmd) != 0)
		return -1;
	return 0;
}

/* Fast options for a run into db: retries after milliseconds, no lock wait. */
static void run_opts(ingest_fetch_opts *o, const char *db, const char *u)
{
	ingest_fetch_opts_init(o);
	o->db_path = db;
	o->fetch.url = u;
	o->fetch.retry_base_ms = 10;
	o->fetch.attempts = 1;
	o->lock_wait_ms = 0;
}

static void test_document_from_a_file(void **state)
{
	unsigned char *data = NULL;
	size_t len = 0;
	store *st = NULL;
	store_import_opts io;
	store_import_result res;
	registry_doc *doc = NULL;
	const char *db = tmp_path("doc.db");
	struct stat sb;

	(void)state;
	assert_int_equal(iw_read_file(IW_TEST_DATA_DIR "/2025-01-23.xml.gz", 64 << 20, &data, &len),
	                 IW_OK);
	/* Not a registry: nothing parsed, no database created. */
	store_import_opts_init(&io);
	assert_int_equal(ingest_document(&st, db, &io, data, len / 2, "half.xml", &doc, &res),
	                 IW_EPARSE);
	assert_null(doc);
	assert_null(st);
	assert_int_not_equal(stat(db, &sb), 0);
	assert_non_null(strstr(iw_error_last(), "half.xml:"));

	store_import_opts_init(&io);
	io.source = "2025-01-23.xml";
	io.observed_at = 1737683095;
	assert_int_equal(ingest_document(&st, db, &io, data, len, "2025-01-23.xml", &doc, &res),
	                 IW_OK);
	assert_non_null(st);
	assert_non_null(doc);
	assert_true(res.created);
	assert_int_equal(res.snapshot_id, 1);
	assert_string_equal(doc->updated, "2025-01-23");
	registry_doc_free(doc);
	/* Known content: parsed, not stored again. */
	assert_int_equal(ingest_document(&st, db, &io, data, len, "again.xml", &doc, &res), IW_OK);
	assert_false(res.created);
	assert_int_equal(res.snapshot_id, 1);
	registry_doc_free(doc);
	store_free(st);
	free(data);
}

/* The nightly sequence: first snapshot, 304, a new version, a rollback, --force. */
static void test_fetch_run_nightly_and_rollback(void **state)
{
	ingest_fetch_opts o;
	ingest_fetch_result r;
	const char *db = tmp_path("nightly.db");
	char u1[300], u2[300];

	(void)state;
	snprintf(u1, sizeof(u1), "http://127.0.0.1:%d/f/2025-01-23.xml", srv.port);
	snprintf(u2, sizeof(u2), "http://127.0.0.1:%d/f/2025-02-13.xml", srv.port);
	run_opts(&o, db, u1);
	assert_int_equal(ingest_fetch_run(&o, &r), IW_OK);
	assert_true(r.created);
	assert_int_equal(r.snapshot_id, 1);
	assert_string_equal(r.report.data, "first snapshot stored: registry 2025-01-23, 14466 records\n");
	ingest_fetch_result_free(&r);

	/* 304: nothing new, nothing to say. */
	assert_int_equal(ingest_fetch_run(&o, &r), IW_OK);
	assert_false(r.created);
	assert_int_equal(r.report.len, 0);
	ingest_fetch_result_free(&r);

	run_opts(&o, db, u2);
	o.format = REPORT_JSON;
	assert_int_equal(ingest_fetch_run(&o, &r), IW_OK);
	assert_true(r.created);
	assert_int_equal(r.snapshot_id, 2);
	assert_non_null(strstr(r.report.data, "\"deassigned\""));
	ingest_fetch_result_free(&r);

	/* The old version served again: a rollback, whether stored before or not. */
	run_opts(&o, db, u1);
	assert_int_equal(ingest_fetch_run(&o, &r), IW_EREFUSED);
	assert_non_null(strstr(iw_error_last(), "rollback: the document served is snapshot 1 "
	                                        "(registry 2025-01-23), older than the newest "
	                                        "snapshot 2 (registry 2025-02-13)"));
	assert_false(r.created);
	assert_int_equal(r.report.len, 0);
	ingest_fetch_result_free(&r);
	o.force = 1;
	assert_int_equal(ingest_fetch_run(&o, &r), IW_OK);
	assert_false(r.created);
	assert_int_equal(r.snapshot_id, 1);
	ingest_fetch_result_free(&r);
}

/* A site the run could not write is caught up by the next run, a 304. */
static void test_fetch_run_site_catches_up(void **state)
{
	ingest_fetch_opts o;
	ingest_fetch_result r;
	const char *db = tmp_path("site.db");
	const char *blocker = tmp_path("blocked");
	const char *site = tmp_path("blocked/site");
	char u1[300], u2[300], index[600];
	FILE *f;
	struct stat sb;

	(void)state;
	snprintf(u1, sizeof(u1), "http://127.0.0.1:%d/f/2025-01-23.xml", srv.port);
	snprintf(u2, sizeof(u2), "http://127.0.0.1:%d/f/2025-02-13.xml", srv.port);
	run_opts(&o, db, u1);
	assert_int_equal(ingest_fetch_run(&o, &r), IW_OK);
	ingest_fetch_result_free(&r);

	f = fopen(blocker, "w");
	assert_non_null(f);
	fclose(f);
	run_opts(&o, db, u2);
	o.report_dir = site;
	assert_int_equal(ingest_fetch_run(&o, &r), IW_OK);
	assert_true(r.created);
	assert_int_equal(r.later_rc, IW_EIO);
	assert_non_null(strstr(r.later.data, "snapshot 2 stored, but the site in "));
	assert_non_null(strstr(r.report.data, "4 de-assigned"));
	ingest_fetch_result_free(&r);

	assert_int_equal(unlink(blocker), 0);
	assert_int_equal(ingest_fetch_run(&o, &r), IW_OK);
	assert_false(r.created);
	assert_int_equal(r.later_rc, IW_OK);
	ingest_fetch_result_free(&r);
	snprintf(index, sizeof(index), "%s/index.html", site);
	assert_int_equal(stat(index, &sb), 0);
	snprintf(index, sizeof(index), "%s/changes.json", site);
	assert_int_equal(stat(index, &sb), 0);
	assert_true(sb.st_size > 100);
}

/* A trickling server ends the run within its budget, logged as a failure. */
static void test_fetch_run_budget(void **state)
{
	ingest_fetch_opts o;
	ingest_fetch_result r;
	const char *db = tmp_path("budget.db");
	char u[300];
	struct timespec t0, t1;

	(void)state;
	snprintf(u, sizeof(u), "http://127.0.0.1:%d/f/2025-01-23.xml?gzip=0&trickle=1000&piece=1",
	         srv.port);
	run_opts(&o, db, u);
	o.fetch.attempts = 4;
	o.fetch.low_speed_bytes = 0;
	o.fetch.budget_ms = 1500;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(ingest_fetch_run(&o, &r), IW_ENET);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 5);
	assert_non_null(strstr(iw_error_last(), "fetch budget of 1.5 s spent"));
	assert_false(r.created);
	ingest_fetch_result_free(&r);
	ingest_fetch_result_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_document_from_a_file),
		cmocka_unit_test(test_fetch_run_nightly_and_rollback),
		cmocka_unit_test(test_fetch_run_site_catches_up),
		cmocka_unit_test(test_fetch_run_budget),
	};
	setenv("IANAWATCH_NOW", "2026-01-01T00:00:00Z", 1);
	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
