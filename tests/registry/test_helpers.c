/* test_helpers.c: the one definition of ports, protocols and people that every module uses
 * (registry_port_parse and friends), each as a row of a table. */
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

typedef struct port_case {
	const char *s;
	registry_port_verdict verdict;
	int32_t lo, hi; /* when REGISTRY_PORT_OK */
} port_case;

static void test_port_parse(void **state)
{
	static const port_case cases[] = {
		{"0", REGISTRY_PORT_OK, 0, 0},
		{"3", REGISTRY_PORT_OK, 3, 3},
		{"65535", REGISTRY_PORT_OK, 65535, 65535},
		{"00003", REGISTRY_PORT_OK, 3, 3},
		{"6000-6063", REGISTRY_PORT_OK, 6000, 6063},
		{"7-7", REGISTRY_PORT_OK, 7, 7},
		{"0-65535", REGISTRY_PORT_OK, 0, 65535},
		{"00001-00002", REGISTRY_PORT_OK, 1, 2},
		{"65536", REGISTRY_PORT_TOO_HIGH, 0, 0},
		{"99999", REGISTRY_PORT_TOO_HIGH, 0, 0},
		{"1-65536", REGISTRY_PORT_TOO_HIGH, 0, 0},
		{"70000-1", REGISTRY_PORT_TOO_HIGH, 0, 0},
		{"10-5", REGISTRY_PORT_REVERSED, 0, 0},
		{"000003", REGISTRY_PORT_SYNTAX, 0, 0},
		{"0000003", REGISTRY_PORT_SYNTAX, 0, 0},
		{"1-000002", REGISTRY_PORT_SYNTAX, 0, 0},
		{"99999999999999999999", REGISTRY_PORT_SYNTAX, 0, 0},
		{"", REGISTRY_PORT_SYNTAX, 0, 0},
		{"-5", REGISTRY_PORT_SYNTAX, 0, 0},
		{"5-", REGISTRY_PORT_SYNTAX, 0, 0},
		{"+5", REGISTRY_PORT_SYNTAX, 0, 0},
		{" 5", REGISTRY_PORT_SYNTAX, 0, 0},
		{"5 ", REGISTRY_PORT_SYNTAX, 0, 0},
		{"5x", REGISTRY_PORT_SYNTAX, 0, 0},
		{"1-2-3", REGISTRY_PORT_SYNTAX, 0, 0},
		{"1--2", REGISTRY_PORT_SYNTAX, 0, 0},
		{"http", REGISTRY_PORT_SYNTAX, 0, 0},
		{"0x10", REGISTRY_PORT_SYNTAX, 0, 0},
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const port_case *c = &cases[i];
		int32_t lo = -7, hi = -7;
		print_message("%s\n", c->s);
		assert_int_equal(registry_port_parse(c->s, strlen(c->s), &lo, &hi), c->verdict);
		if (c->verdict == REGISTRY_PORT_OK) {
			assert_int_equal(lo, c->lo);
			assert_int_equal(hi, c->hi);
		} else { /* a refusal leaves the outputs alone */
			assert_int_equal(lo, -7);
			assert_int_equal(hi, -7);
		}
	}
}

/* Only s[0..n) counts: the rest of a "80/tcp" argument is not the port's. */
static void test_port_parse_length(void **state)
{
	int32_t lo = 0, hi = 0;
	(void)state;
	assert_int_equal(registry_port_parse("80/tcp", 2, &lo, &hi), REGISTRY_PORT_OK);
	assert_int_equal(lo, 80);
	assert_int_equal(hi, 80);
	assert_int_equal(registry_port_parse("1-10/udp", 4, &lo, &hi), REGISTRY_PORT_OK);
	assert_int_equal(hi, 10);
	assert_int_equal(registry_port_parse("80/tcp", 3, &lo, &hi), REGISTRY_PORT_SYNTAX);
	assert_int_equal(registry_port_parse(NULL, 0, &lo, &hi), REGISTRY_PORT_SYNTAX);
	assert_int_equal(REGISTRY_NPORTS, REGISTRY_PORT_MAX + 1);
}

typedef struct proto_case {
	const char *s;
	int exact, any_case;
} proto_case;

static void test_protocols(void **state)
{
	static const proto_case cases[] = {
		{"tcp", 0, 0}, {"udp", 1, 1}, {"sctp", 2, 2}, {"dccp", 3, 3},
		{"TCP", -1, 0}, {"Udp", -1, 1}, {"sCtP", -1, 2},
		{"", -1, -1}, {"tcp ", -1, -1}, {"tc", -1, -1}, {"tcpx", -1, -1}, {"ddp", -1, -1},
		{NULL, -1, -1},
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		print_message("%s\n", cases[i].s ? cases[i].s : "(null)");
		assert_int_equal(registry_protocol_index(cases[i].s), cases[i].exact);
		assert_int_equal(registry_protocol_index_ci(cases[i].s), cases[i].any_case);
	}
}

typedef struct strcmp_case {
	const char *a, *b;
	int sign;
} strcmp_case;

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_strcmp_null(void **state)
{
	static const strcmp_case cases[] = {
		{NULL, NULL, 0}, {NULL, "", -1}, {"", NULL, 1}, {NULL, "a", -1}, {"a", NULL, 1},
		{"a", "a", 0}, {"a", "b", -1}, {"b", "a", 1}, {"", "a", -1}, {"ab", "a", 1},
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		print_message("row %zu\n", i);
		assert_int_equal(sign(registry_strcmp_null(cases[i].a, cases[i].b)), cases[i].sign);
	}
}

typedef struct list_has_case {
	const char *list, *item;
	int ignore_case, want;
} list_has_case;

static void test_list_has(void **state)
{
	static const list_has_case cases[] = {
		{NULL, "a", 0, 0},
		{"", "a", 0, 0},
		{"Bernie_Volz", "Bernie_Volz", 0, 1},
		{"IESG\nBernie_Volz", "Bernie_Volz", 0, 1},
		{"Bernie_Volz\nIESG", "Bernie_Volz", 0, 1},
		{"Bernie_Volz\nIESG", "IESG", 0, 1},
		{"bernie_volz", "Bernie_Volz", 0, 0},
		{"bernie_volz", "Bernie_Volz", 1, 1},
		{"Bernie_Volz2", "Bernie_Volz", 1, 0},
		{"Bernie", "Bernie_Volz", 0, 0},
		{"IESG\n", "", 0, 0},
		{"a\n\nb", "b", 0, 1},
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		print_message("row %zu\n", i);
		assert_int_equal(!!registry_list_has(cases[i].list, cases[i].item, cases[i].ignore_case),
		                 cases[i].want);
	}
}

typedef struct json_ports_case {
	int32_t port, port_end;
	const char *want;
} json_ports_case;

static void test_json_ports(void **state)
{
	static const json_ports_case cases[] = {
		{REGISTRY_NO_PORT, REGISTRY_NO_PORT, "\"port\": null, \"port_end\": null"},
		{0, 0, "\"port\": 0, \"port_end\": 0"},
		{443, 443, "\"port\": 443, \"port_end\": 443"},
		{3000, 3100, "\"port\": 3000, \"port_end\": 3100"},
		{REGISTRY_PORT_MAX, REGISTRY_PORT_MAX, "\"port\": 65535, \"port_end\": 65535"},
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		iw_buf b = IW_BUF_INIT(1024);
		print_message("row %zu\n", i);
		assert_int_equal(registry_json_ports(&b, cases[i].port, cases[i].port_end), IW_OK);
		assert_string_equal(b.data, cases[i].want);
		iw_buf_free(&b);
	}
}

typedef struct person_case {
	const char *what;
	registry_person a, b;
	int sign;
} person_case;

static void test_person_cmp(void **state)
{
	static const person_case cases[] = {
		{"same", {"Jon_Postel", {"Jon Postel", NULL, "http://x"}},
		 {"Jon_Postel", {"Jon Postel", NULL, "http://x"}}, 0},
		{"both empty", {NULL, {NULL}}, {NULL, {NULL}}, 0},
		{"id first", {"A", {"Zed"}}, {"B", {"Adam"}}, -1},
		{"no id first", {NULL, {"Zed"}}, {"A", {"Adam"}}, -1},
		{"then the name", {"A", {"Bob"}}, {"A", {"Ann"}}, 1},
		{"a missing field first", {"A", {"Ann", NULL}}, {"A", {"Ann", "Org"}}, -1},
		{"the last field counts", {"A", {"Ann", "Org", "u:2"}}, {"A", {"Ann", "Org", "u:1"}}, 1},
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const person_case *c = &cases[i];
		print_message("%s\n", c->what);
		assert_int_equal(sign(registry_person_cmp(&c->a, &c->b)), c->sign);
		assert_int_equal(sign(registry_person_cmp(&c->b, &c->a)), -c->sign);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_parse),
		cmocka_unit_test(test_port_parse_length),
		cmocka_unit_test(test_protocols),
		cmocka_unit_test(test_strcmp_null),
		cmocka_unit_test(test_list_has),
		cmocka_unit_test(test_json_ports),
		cmocka_unit_test(test_person_cmp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
