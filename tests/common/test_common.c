/* test_common.c: the capped buffer's one error rule (the first failure sticks), and error
 * messages: one line, and never cut before the reason however long what they quote. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/common.h"
#include "common/banned.h"

/* Each case appends `parts` in order to a buffer capped at `cap` bytes. */
static const struct buf_case {
	const char *what;
	size_t cap;
	const char *parts[4];
	int want_err;
	const char *want;     /* the contents after the appends */
} buf_cases[] = {
	{"fits", 16, {"ab", "cd", NULL}, IW_OK, "abcd"},
	{"exactly the cap", 4, {"ab", "cd", NULL}, IW_OK, "abcd"},
	{"one over the cap fails", 3, {"ab", "cd", NULL}, IW_ENOMEM, "ab"},
	{"a later small append after a failure is refused", 4, {"ab", "cde", "x", NULL}, IW_ENOMEM, "ab"},
	{"a zero cap refuses everything", 0, {"a", NULL}, IW_ENOMEM, ""},
};

static void test_buf_sticky(void **state)
{
	size_t i, j;
	(void)state;
	for (i = 0; i < sizeof buf_cases / sizeof buf_cases[0]; i++) {
		const struct buf_case *c = &buf_cases[i];
		iw_buf b;
		int last = IW_OK;
		iw_buf_init(&b, c->cap);
		for (j = 0; c->parts[j]; j++)
			last = iw_buf_adds(&b, c->parts[j]);
		print_message("case: %s\n", c->what);
		assert_int_equal(iw_buf_error(&b), c->want_err);
		assert_int_equal(last, c->want_err);
		assert_int_equal(b.len, strlen(c->want));
		assert_memory_equal(b.len ? b.data : "", c->want, b.len);
		/* printf, addc and reset keep the failure too. */
		if (c->want_err) {
			assert_int_equal(iw_buf_printf(&b, "%d", 1), c->want_err);
			assert_int_equal(iw_buf_addc(&b, 'z'), c->want_err);
			iw_buf_reset(&b);
			assert_int_equal(iw_buf_error(&b), c->want_err);
		}
		iw_buf_free(&b);
		assert_int_equal(iw_buf_error(&b), IW_OK);
	}
}

static void test_buf_printf_and_json(void **state)
{
	iw_buf b = IW_BUF_INIT(64);
	(void)state;
	iw_buf_printf(&b, "%s=%d ", "port", 3);
	iw_buf_add_json_str(&b, "a\"b\n");
	assert_int_equal(iw_buf_error(&b), IW_OK);
	assert_string_equal(b.data, "port=3 \"a\\\"b\\n\"");
	iw_buf_free(&b);
	iw_buf_free(NULL);
}

/* A number, or null where it has the value that means absent. */
static const struct json_int_case {
	long long v, none;
	const char *want;
} json_int_cases[] = {
	{0, 0, "null"},
	{404, 0, "404"},
	{-1, -1, "null"},
	{0, -1, "0"},
	{-2147483647LL - 1, 0, "-2147483648"},
	{65535, -1, "65535"},
};

static void test_buf_json_int(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(json_int_cases) / sizeof(json_int_cases[0]); i++) {
		iw_buf b = IW_BUF_INIT(64);
		assert_int_equal(iw_buf_add_json_int(&b, json_int_cases[i].v, json_int_cases[i].none),
		                 IW_OK);
		assert_string_equal(b.data, json_int_cases[i].want);
		iw_buf_free(&b);
	}
}

/* Each case sets a message `len` characters of `fill` between `before` and `after`, then puts
 * `prefix` before it (none when NULL). */
static const struct error_case {
	const char *what;
	const char *before, *after, *prefix;
	char fill;
	size_t len;
	int shortened;        /* expect " ... " in the middle */
} error_cases[] = {
	{"short: whole", "cannot open ", ": No such file", NULL, 'a', 10, 0},
	{"just fits", "", "", NULL, 'a', IW_ERROR_MAX - 1, 0},
	{"one over: shortened", "", "!", NULL, 'a', IW_ERROR_MAX - 1, 1},
	{"a 2,000-character file name keeps the reason", "/tmp/",
	 ": truncated or malformed XML: Document is empty", NULL, 'x', 2000, 1},
	{"a long value keeps what is expected", "unknown severity '",
	 "' (expected low, medium or high)", NULL, 'h', 5000, 1},
	{"a prefix before a long message keeps both ends", "", ": not a registry document",
	 "import", 'y', 3000, 1},
	{"UTF-8 is never cut inside a character", "", ": bad", NULL, 0, 1500, 1},
};

static void test_error_messages(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(error_cases) / sizeof(*error_cases); i++) {
		const struct error_case *c = &error_cases[i];
		char *fill = malloc(c->len + 1), *want_end;
		const char *msg, *p;
		size_t k;
		int rc;
		for (k = 0; k < c->len; k++)
			fill[k] = c->fill ? c->fill : (k % 2 ? "\xc3\xa9"[1] : "\xc3\xa9"[0]);
		fill[c->len] = '\0';
		rc = iw_error_set(IW_EINVAL, "%s%s%s", c->before, fill, c->after);
		assert_int_equal(rc, IW_EINVAL);
		if (c->prefix)
			assert_int_equal(iw_error_prefix(IW_EIO, "%s", c->prefix), IW_EIO);
		msg = iw_error_last();
		print_message("%s\n", c->what);
		assert_true(strlen(msg) < IW_ERROR_MAX);
		assert_int_equal(strstr(msg, " ... ") != NULL, c->shortened);
		/* The beginning and the reason at the end are kept. */
		want_end = iw_asprintf("%s", c->after);
		assert_true(strlen(msg) >= strlen(want_end));
		assert_string_equal(msg + strlen(msg) - strlen(want_end), want_end);
		if (c->prefix && *c->prefix)
			assert_true(!strncmp(msg, c->prefix, strlen(c->prefix)) &&
			            !strncmp(msg + strlen(c->prefix), ": ", 2));
		else
			assert_true(!strncmp(msg, c->before, strlen(c->before)));
		/* Never a broken UTF-8 sequence: é is two bytes, C3 A9. */
		for (p = msg; *p; p++)
			if ((unsigned char)*p == 0xC3)
				assert_int_equal((unsigned char)p[1], 0xA9);
			else if ((unsigned char)*p == 0xA9)
				assert_true(p > msg && (unsigned char)p[-1] == 0xC3);
		free(want_end);
		free(fill);
	}
	/* A prefix longer than the buffer, before a reason. */
	{
		char *pre = malloc(3000);
		memset(pre, 'q', 2999);
		pre[2999] = '\0';
		iw_error_set(IW_EINVAL, "not a registry document");
		iw_error_prefix(IW_EINVAL, "%s", pre);
		assert_true(strlen(iw_error_last()) < IW_ERROR_MAX);
		assert_non_null(strstr(iw_error_last(), ": not a registry document"));
		free(pre);
	}
	/* One line: control characters of inserted text become spaces. */
	iw_error_set(IW_EINVAL, "unknown severity '%s'", "hi\ngh\r\t");
	assert_string_equal(iw_error_last(), "unknown severity 'hi gh  '");
	iw_error_clear();
	assert_string_equal(iw_error_last(), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_sticky),
		cmocka_unit_test(test_buf_printf_and_json),
		cmocka_unit_test(test_buf_json_int),
		cmocka_unit_test(test_error_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
