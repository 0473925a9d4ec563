/* fuzz_args.c: libFuzzer target: the parsers of command-line arguments (dates and times, ports
 * and ranges, PORT[/PROTO] or NAME targets, change kinds, numbers, snapshot references) on
 * arbitrary strings, with the properties their callers rely on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/common.h"
#include "diff/diff.h"
#include "fuzz.h"
#include "history/history.h"
#include "store/store.h"
#include "common/banned.h"

/* Longer arguments only repeat what shorter ones exercise. */
#define FUZZ_ARG_MAX 512

void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: property violated: %s\n", file, line, what);
	abort();
}

/* A database of three small snapshots, built once, for store_resolve(). */
static store *fuzz_store;
static int64_t fuzz_ids[3];

static void fuzz_remove_db(const char *path)
{
	char *w = iw_asprintf("%s-wal", path), *s = iw_asprintf("%s-shm", path);
	unlink(path);
	unlink(w);
	unlink(s);
	free(w);
	free(s);
}

static void fuzz_open_store(void)
{
	static const char *const dates[3][2] = {
		{"2020-01-01", "2020-01-02T00:00:00Z"},
		{"2020-06-01", "2020-06-02T00:00:00Z"},
		{"2021-01-01", "2021-01-02T00:00:00Z"},
	};
	char path[64];
	size_t i;
	snprintf(path, sizeof(path), "/tmp/iwfuzz-args-%ld.db", (long)getpid());
	fuzz_remove_db(path);
	if (store_open(&fuzz_store, path, STORE_WRITE | STORE_CREATE))
		fuzz_fail(iw_error_last(), __FILE__, __LINE__);
	for (i = 0; i < 3; i++) {
		char *xml = iw_asprintf("<registry xmlns=\"http://www.iana.org/assignments\" "
		                        "id=\"service-names-port-numbers\"><updated>%s</updated><record>"
		                        "<name>s%zu</name><number>%zu</number></record></registry>",
		                        dates[i][0], i, i + 1);
		registry_doc *doc = NULL;
		store_import_opts o;
		store_import_result res;
		store_import_opts_init(&o);
		if (registry_parse((const unsigned char *)xml, strlen(xml), "seed", &doc) ||
		    iw_time_parse(dates[i][1], &o.observed_at) ||
		    store_import(fuzz_store, doc, (const unsigned char *)xml, strlen(xml), &o, &res))
			fuzz_fail(iw_error_last(), __FILE__, __LINE__);
		fuzz_ids[i] = res.snapshot_id;
		registry_doc_free(doc);
		free(xml);
	}
	/* The fuzzer exits without cleaning up: the file is gone, the open handle keeps it. */
	fuzz_remove_db(path);
}

static void fuzz_time(const char *s)
{
	time_t t, t2;
	char out[21];
	int date_ok = iw_date_valid(s);
	if (iw_time_parse(s, &t) != IW_OK) {
		FUZZ_ASSERT(!date_ok); /* every valid date is a valid time (midnight) */
		return;
	}
	/* What parses formats back to a time that parses to the same instant. */
	iw_time_format(t, out);
	FUZZ_ASSERT(iw_time_parse(out, &t2) == IW_OK);
	FUZZ_ASSERT(t == t2);
	if (!strstr(s, ":60")) /* a leap second may roll over to the next day */
		FUZZ_ASSERT(!memcmp(out, s, 10));
	if (date_ok)
		FUZZ_ASSERT(t % 86400 == 0);
}

static void fuzz_ports(const char *s)
{
	diff_filter f;
	diff_filter_init(&f);
	if (diff_filter_parse_ports(&f, s) == IW_OK)
		FUZZ_ASSERT(f.port_lo >= 0 && f.port_lo <= f.port_hi && f.port_hi <= REGISTRY_PORT_MAX);
	else
		FUZZ_ASSERT(f.port_lo == REGISTRY_NO_PORT && f.port_hi == REGISTRY_NO_PORT);
	if (diff_filter_parse_kinds(&f, s) == IW_OK)
		FUZZ_ASSERT(f.kinds != 0);
}

static void fuzz_target(const char *s)
{
	unsigned flags;
	for (flags = 0; flags <= HISTORY_ALLOW_RANGE; flags++) {
		history_query q;
		if (history_parse_target(s, flags, &q) != IW_OK)
			continue;
		FUZZ_ASSERT(q.proto >= -1 && q.proto < REGISTRY_NPROTOS);
		if (q.name[0]) {
			FUZZ_ASSERT(q.port_lo == REGISTRY_NO_PORT && strlen(q.name) <= HISTORY_MAX_NAME);
			FUZZ_ASSERT(!strchr(q.name, ' ') && !strchr(q.name, '\n'));
		} else {
			FUZZ_ASSERT(q.port_lo >= 0 && q.port_lo <= q.port_hi &&
			            q.port_hi <= REGISTRY_PORT_MAX);
			FUZZ_ASSERT(flags || q.port_lo == q.port_hi);
		}
	}
}

static void fuzz_numbers(const char *s)
{
	long v;
	if (cli_parse_long(s, 1, 1000, &v) == 0)
		FUZZ_ASSERT(v >= 1 && v <= 1000);
	if (cli_parse_long(s, -5, 5, &v) == 0)
		FUZZ_ASSERT(v >= -5 && v <= 5);
}

static void fuzz_resolve(const char *s)
{
	int64_t id = 0;
	int rc;
	if (!fuzz_store)
		fuzz_open_store();
	rc = store_resolve(fuzz_store, s, &id);
	if (rc == IW_OK)
		FUZZ_ASSERT(id == fuzz_ids[0] || id == fuzz_ids[1] || id == fuzz_ids[2]);
	else
		FUZZ_ASSERT(rc == IW_EINVAL || rc == IW_ENOTFOUND);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[FUZZ_ARG_MAX + 1];
	if (size > FUZZ_ARG_MAX)
		return 0;
	/* An argument is a C string: it ends at the first NUL. */
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_time(s);
	fuzz_ports(s);
	fuzz_target(s);
	fuzz_numbers(s);
	fuzz_resolve(s);
	iw_error_clear();
	return 0;
}
