/* test_truncate.c: a real snapshot cut short anywhere is refused, never taken for a smaller
 * registry; only a cut after the closing </registry> (trailing whitespace) may be accepted,
 * and then it must be the whole registry. The same for its gzip-compressed form. */
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

#define NCUTS 50

static unsigned char *load(const char *name, size_t *len)
{
	unsigned char *data = NULL;
	char *path = iw_asprintf("%s/tests/data/%s", IW_SOURCE_DIR, name);
	assert_int_equal(iw_read_file(path, REGISTRY_MAX_DOC_SIZE, &data, len), IW_OK);
	free(path);
	return data;
}

/* Where the document's content ends: after its last "</registry>". */
static size_t content_end(const unsigned char *data, size_t len)
{
	static const char close[] = "</registry>";
	size_t n = sizeof(close) - 1, i;
	for (i = len - n + 1; i-- > 0;)
		if (!memcmp(data + i, close, n))
			return i + n;
	fail_msg("no </registry> in the document");
	return 0;
}

/* The offsets to cut at: spread over the document, plus the edges where a parser is most
 * tempted to accept (inside the last records, the people list, the closing tags). */
static size_t cut_at(size_t i, size_t len, size_t end)
{
	static const size_t near_end[] = {1, 2, 5, 11, 12, 20, 100, 1000, 10000};
	size_t nnear = sizeof(near_end) / sizeof(*near_end);
	if (i < nnear)
		return end > near_end[i] ? end - near_end[i] : 0;
	if (i == nnear)
		return 0;
	if (i == nnear + 1)
		return 1;
	return (i - nnear - 1) * (len / (NCUTS - nnear - 1)) + 7 * i;
}

static void check_cuts(const char *name)
{
	size_t len = 0, end, i, refused = 0;
	unsigned char *data = load(name, &len);
	registry_doc *whole = NULL;
	assert_int_equal(registry_parse(data, len, name, &whole), IW_OK);
	end = content_end(data, len);
	for (i = 0; i < NCUTS; i++) {
		size_t cut = cut_at(i, len, end);
		registry_doc *doc = NULL;
		int rc;
		if (cut >= len)
			continue;
		/* A private copy of exactly `cut` bytes: the parser must not look past it. */
		unsigned char *part = iw_malloc(cut ? cut : 1);
		memcpy(part, data, cut);
		iw_error_clear();
		rc = registry_parse(part, cut, "cut.xml", &doc);
		if (rc == IW_OK) {
			/* Only the trailing whitespace may go: the registry itself must be whole. */
			if (cut < end)
				fail_msg("%s cut at %zu of %zu (content ends at %zu) was accepted", name, cut,
				         len, end);
			assert_int_equal(doc->nrecords, whole->nrecords);
			assert_int_equal(doc->npeople, whole->npeople);
		} else {
			assert_int_equal(rc, IW_EPARSE);
			assert_null(doc);
			assert_non_null(strstr(iw_error_last(), "cut.xml"));
			assert_null(strchr(iw_error_last(), '\n'));
			refused++;
		}
		registry_doc_free(doc);
		free(part);
	}
	print_message("%s: %zu cuts refused\n", name, refused);
	assert_true(refused >= NCUTS - 3);
	registry_doc_free(whole);
	free(data);
}

static void test_truncated_2025(void **state)
{
	(void)state;
	check_cuts("2025-02-13.xml.gz");
}

static void test_truncated_2017(void **state)
{
	(void)state;
	check_cuts("2017-03-10.xml.gz");
}

/* A gzip stream cut short is refused by the decompressor, whatever it would have held. */
static void test_truncated_gzip(void **state)
{
	char *path = iw_asprintf("%s/tests/data/2025-01-23.xml.gz", IW_SOURCE_DIR);
	FILE *f = fopen(path, "rb");
	unsigned char *gz = iw_malloc(4u << 20);
	size_t n, i;
	(void)state;
	assert_non_null(f);
	n = fread(gz, 1, 4u << 20, f);
	fclose(f);
	assert_true(n > 1000);
	for (i = 1; i <= 20; i++) {
		unsigned char *out = NULL;
		size_t outlen = 0, cut = n - n * i / 21;
		assert_int_equal(iw_gunzip(gz, cut, REGISTRY_MAX_DOC_SIZE, &out, &outlen), IW_EPARSE);
		assert_null(out);
		assert_non_null(strstr(iw_error_last(), "truncated"));
	}
	free(gz);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncated_2025),
		cmocka_unit_test(test_truncated_2017),
		cmocka_unit_test(test_truncated_gzip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
