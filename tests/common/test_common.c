/* test_common.c: the capped buffer's one error rule: the first failure sticks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_sticky),
		cmocka_unit_test(test_buf_printf_and_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
