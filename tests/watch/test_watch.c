/* test_watch.c: services files, watch lists, severities and the watch filter (issue 15). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "watch/watch.h"
#include "common/banned.h"

/* ---- services files ---------------------------------------------------------------------- */

typedef struct svc_case {
	const char *text;
	watch_services_format format;
	const char *entries;  /* "name port/proto [alias,alias]" per entry, ';'-separated */
	size_t skipped, other;
	const char *warnings; /* "LINE:message|..." */
} svc_case;

static const svc_case svc_cases[] = {
	{"# comment\n\ntcpmux\t\t1/tcp\t\t\t# TCP port service multiplexer\n"
	 "discard\t\t9/udp\t\tsink null\nrtmp\t\t1/ddp\t\t# AppleTalk\n",
	 WATCH_FORMAT_SERVICES, "tcpmux 1/tcp [];discard 9/udp [sink,null]", 0, 1, ""},
	{"compressnet\t2/tcp\t0.000013\t# Management Utility\nunknown\t4/tcp\t0.000477\n"
	 "echo\t7/SCTP\t0.000000\n",
	 WATCH_FORMAT_NMAP, "compressnet 2/tcp [];echo 7/sctp []", 0, 0, ""},
	{"good 1/tcp\nbroken\nnoproto 4000\nbig 70000/tcp\nslash /tcp\nlast 2/udp",
	 WATCH_FORMAT_SERVICES, "good 1/tcp [];last 2/udp []", 4, 0,
	 "2:expected 'name port/protocol', got 'broken'|"
	 "3:'4000' is not port/protocol (a port 0 to 65535)|"
	 "4:'70000/tcp' is not port/protocol (a port 0 to 65535)|"
	 "5:'/tcp' is not port/protocol (a port 0 to 65535)|"},
	{"a 1/tcp 0.5\nb 2/tcp 0.25\nc 3/tcp alias\n", WATCH_FORMAT_NMAP, "a 1/tcp [];b 2/tcp []",
	 1, 0, "3:'alias' is not a frequency (nmap-services)|"},
	{"", WATCH_FORMAT_SERVICES, "", 0, 0, ""},
};

static void svc_warn(void *arg, const char *file, unsigned line, const char *msg)
{
	iw_buf *b = arg;
	assert_string_equal(file, "test");
	iw_buf_printf(b, "%u:%s|", line, msg);
}

static void test_services(void **state)
{
	size_t i, k, a;
	(void)state;
	for (i = 0; i < sizeof(svc_cases) / sizeof(*svc_cases); i++) {
		const svc_case *c = &svc_cases[i];
		watch_services *f = NULL;
		iw_buf warn = IW_BUF_INIT(4096), got = IW_BUF_INIT(4096);
		assert_int_equal(watch_services_parse(c->text, strlen(c->text), "test", svc_warn, &warn,
		                                      &f), IW_OK);
		assert_int_equal(f->format, c->format);
		for (k = 0; k < f->n; k++) {
			iw_buf_printf(&got, "%s%s %d/%s [", k ? ";" : "", f->v[k].name, f->v[k].port,
			              f->v[k].protocol);
			for (a = 0; a < f->v[k].naliases; a++)
				iw_buf_printf(&got, "%s%s", a ? "," : "", f->v[k].aliases[a]);
			iw_buf_adds(&got, "]");
		}
		assert_int_equal(iw_buf_error(&got), IW_OK);
		assert_string_equal(got.data ? got.data : "", c->entries);
		assert_string_equal(warn.data ? warn.data : "", c->warnings);
		assert_int_equal(f->skipped, c->skipped);
		assert_int_equal(f->other_protocols, c->other);
		watch_services_free(f);
		iw_buf_free(&warn);
		iw_buf_free(&got);
	}
	watch_services_free(NULL);
}

/* ---- watch lists --------------------------------------------------------------------------- */

typedef struct list_case {
	const char *text;
	int rc;
	const char *items; /* "P:lo-hi/proto" "N:name" "U:person" separated by ' ', or the error */
} list_case;

static const list_case list_cases[] = {
	{"# ports\n443\n3000-3100/tcp\n  2/UDP  # old\n\nHTTP\nperson:Bernie_Volz\n", IW_OK,
	 "P:443-443/any P:3000-3100/tcp P:2-2/udp N:HTTP U:Bernie_Volz"},
	{"80\n70000\n", IW_EINVAL,
	 "list:2: bad port '70000' (expected N or N-M, 0 to 65535, N <= M)"},
	{"100-10\n", IW_EINVAL, "list:1: bad port '100-10' (expected N or N-M, 0 to 65535, N <= M)"},
	{"80/xyz\n", IW_EINVAL, "list:1: unknown protocol 'xyz' (expected tcp, udp, sctp or dccp)"},
	{"http\nperson:\n", IW_EINVAL, "list:2: person: needs an id without spaces"},
	{"two words\n", IW_EINVAL,
	 "list:1: 'two words' is not a port, a service name, person:ID or file:PATH"},
	{"file:\n", IW_EINVAL, "list:1: file: needs a path"},
	{"", IW_OK, ""},
};

static void list_items(iw_buf *b, const watch_list *w)
{
	size_t i;
	for (i = 0; i < w->n; i++) {
		const watch_item *it = &w->v[i];
		if (i)
			iw_buf_addc(b, ' ');
		if (it->kind == WATCH_ITEM_PORTS)
			iw_buf_printf(b, "P:%d-%d/%s", it->port_lo, it->port_hi,
			              it->proto < 0 ? "any" : registry_protocols[it->proto]);
		else
			iw_buf_printf(b, "%c:%s", it->kind == WATCH_ITEM_NAME ? 'N' : 'U', it->text);
	}
}

static void test_lists(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(list_cases) / sizeof(*list_cases); i++) {
		const list_case *c = &list_cases[i];
		watch_list *w = NULL;
		int rc = watch_list_parse(c->text, strlen(c->text), "list", &w);
		assert_int_equal(rc, c->rc);
		if (rc) {
			assert_null(w);
			assert_string_equal(iw_error_last(), c->items);
		} else {
			iw_buf b = IW_BUF_INIT(4096);
			list_items(&b, w);
			assert_int_equal(iw_buf_error(&b), IW_OK);
			assert_string_equal(b.data ? b.data : "", c->items);
			iw_buf_free(&b);
		}
		watch_list_free(w);
	}
	watch_list_free(NULL);
}

/* file: items, relative to the list's folder, from the committed test data. */
static void test_list_file(void **state)
{
	watch_list *w = NULL;
	iw_buf b = IW_BUF_INIT(4096);
	(void)state;
	assert_int_equal(watch_list_read(IW_SOURCE_DIR "/tests/data/services/watchlist", &w), IW_OK);
	list_items(&b, w);
	assert_string_equal(b.data, "P:443-443/any P:3000-3100/tcp P:2-2/udp N:HTTP U:Bernie_Volz "
	                    "P:1-1/tcp N:tcpmux P:7-7/tcp N:echo P:7-7/udp N:echo P:22-22/tcp N:ssh "
	                    "P:443-443/tcp N:https P:443-443/udp N:https");
	assert_int_equal(w->v[5].line, 7);
	iw_buf_free(&b);
	watch_list_free(w);
	assert_int_equal(watch_list_parse("file:no-such-file\n", 18, IW_SOURCE_DIR "/tests/list",
	                                  &w), IW_EIO);
	assert_non_null(strstr(iw_error_last(), "/tests/no-such-file"));
	assert_non_null(strstr(iw_error_last(), "tests/list:1: "));
	/* A services file with malformed lines is refused, not half-watched. */
	assert_int_equal(watch_list_parse("file:local-services\n", 20,
	                                  IW_SOURCE_DIR "/tests/data/services/list", &w), IW_EINVAL);
	assert_non_null(strstr(iw_error_last(), "services/list:1: "));
	assert_non_null(strstr(iw_error_last(), "/local-services:8: '4000' is not port/protocol (a "
	                       "port 0 to 65535) (3 malformed lines)"));
}

/* ---- severities and the filter on a real diff ------------------------------------------------ */

typedef struct rec_spec {
	const char *name, *proto;
	int32_t port;
	const char *desc, *contact, *notes;
} rec_spec;

static registry_doc *make_doc(const rec_spec *v, size_t n)
{
	registry_doc *d = registry_doc_new();
	size_t i;
	d->updated = iw_strdup("2025-01-01");
	for (i = 0; i < n; i++) {
		registry_record *r = registry_doc_add_record(d);
		r->f[REG_NAME] = v[i].name ? registry_doc_strdup(d, v[i].name) : NULL;
		r->f[REG_PROTOCOL] = registry_doc_strdup(d, v[i].proto);
		r->f[REG_DESCRIPTION] = v[i].desc ? registry_doc_strdup(d, v[i].desc) : NULL;
		r->f[REG_CONTACT] = v[i].contact ? registry_doc_strdup(d, v[i].contact) : NULL;
		r->f[REG_NOTES] = v[i].notes ? registry_doc_strdup(d, v[i].notes) : NULL;
		r->port = r->port_end = v[i].port;
	}
	registry_doc_sort(d);
	registry_doc_number_occurrences(d);
	return d;
}

static const rec_spec doc_a[] = {
	{"compressnet", "tcp", 2, "Management Utility", "Bernie_Volz", NULL},
	{"http", "tcp", 80, "World Wide Web HTTP", NULL, NULL},
	{"myapp", "tcp", 3000, "My app", "Jane", NULL},
	{"foo", "tcp", 5000, "Foo", NULL, NULL},
	{"bar", "udp", 6000, "Bar", NULL, NULL},
};
static const rec_spec doc_b[] = {
	{"compressnet", "tcp", REGISTRY_NO_PORT, "Management Utility", "Bernie_Volz", NULL},
	{NULL, "tcp", 2, "Reserved", NULL, NULL},
	{"http", "tcp", 80, "WWW", NULL, NULL},
	{"myapp", "tcp", 3001, "My app", "Jane", NULL},
	{"foo", "tcp", 5000, "Foo", NULL, "a new note"},
	{"bar", "udp", 6000, "Bar", NULL, NULL},
	{"baz", "udp", 7000, "Baz", NULL, NULL},
};

typedef struct filter_case {
	const char *list;     /* NULL: no watch list */
	watch_severity min;
	const char *kept;     /* "kind:name:port:severity" for each kept change */
} filter_case;

static const filter_case filter_cases[] = {
	{NULL, WATCH_LOW,
	 "assigned:myapp:3001:high assigned:baz:7000:low deassigned:compressnet:2:high "
	 "deassigned:myapp:3000:high added:compressnet:-1:high modified:http:80:medium "
	 "modified:foo:5000:low"},
	{NULL, WATCH_MEDIUM,
	 "assigned:myapp:3001:high deassigned:compressnet:2:high deassigned:myapp:3000:high "
	 "added:compressnet:-1:high modified:http:80:medium"},
	{NULL, WATCH_HIGH,
	 "assigned:myapp:3001:high deassigned:compressnet:2:high deassigned:myapp:3000:high "
	 "added:compressnet:-1:high"},
	{"3000-3100/tcp\n", WATCH_LOW, "assigned:myapp:3001:high deassigned:myapp:3000:high"},
	{"3000-3100/udp\n", WATCH_LOW, ""},
	{"HTTP\n7000\n", WATCH_LOW, "assigned:baz:7000:low modified:http:80:medium"},
	{"HTTP\n7000\n", WATCH_MEDIUM, "modified:http:80:medium"},
	{"person:Bernie_Volz\n", WATCH_LOW, "deassigned:compressnet:2:high added:compressnet:-1:high"},
	{"person:Jane\nfoo\n", WATCH_LOW,
	 "assigned:myapp:3001:high deassigned:myapp:3000:high modified:foo:5000:low"},
	/* The halves of a move stay together: the port watched keeps where the name went. */
	{"2/tcp\n", WATCH_LOW, "deassigned:compressnet:2:high added:compressnet:-1:high"},
	{"nothing-here\n", WATCH_LOW, ""},
};

static void test_filter(void **state)
{
	registry_doc *a = make_doc(doc_a, sizeof(doc_a) / sizeof(*doc_a));
	registry_doc *b = make_doc(doc_b, sizeof(doc_b) / sizeof(*doc_b));
	size_t i, k;
	(void)state;
	for (i = 0; i < sizeof(filter_cases) / sizeof(*filter_cases); i++) {
		const filter_case *c = &filter_cases[i];
		watch_list *w = NULL;
		diff_result *r = NULL;
		watch_severity *sev = NULL;
		iw_buf got = IW_BUF_INIT(4096);
		if (c->list)
			assert_int_equal(watch_list_parse(c->list, strlen(c->list), "list", &w), IW_OK);
		assert_int_equal(diff_compute(a, b, &r), IW_OK);
		assert_int_equal(watch_filter(r, w, c->min, &sev), IW_OK);
		for (k = 0; k < r->nchanges; k++)
			iw_buf_printf(&got, "%s%s:%s:%d:%s", k ? " " : "", diff_kind_names[r->changes[k].kind],
			              r->changes[k].name ? r->changes[k].name : "-", r->changes[k].port,
			              watch_severity_names[sev[k]]);
		assert_int_equal(iw_buf_error(&got), IW_OK);
		assert_string_equal(got.data ? got.data : "", c->kept);
		free(sev);
		iw_buf_free(&got);
		diff_result_free(r);
		watch_list_free(w);
	}
	registry_doc_free(a);
	registry_doc_free(b);
}

static void test_severity_names(void **state)
{
	watch_severity s;
	(void)state;
	assert_int_equal(watch_severity_parse("HIGH", &s), IW_OK);
	assert_int_equal(s, WATCH_HIGH);
	assert_int_equal(watch_severity_parse("medium", &s), IW_OK);
	assert_int_equal(s, WATCH_MEDIUM);
	assert_int_equal(watch_severity_parse("urgent", &s), IW_EINVAL);
	assert_string_equal(iw_error_last(),
	                    "unknown severity 'urgent' (expected low, medium or high)");
}

/* A NUL byte in a line: it would cut a name short ("ht\0tp" read as "ht") or leave an empty
 * alias, so the line is malformed (found by fuzzing). Lengths given, the text holding NULs. */
static void test_nul_bytes(void **state)
{
	static const char svc[] = "https 443/udp \0\nht\0tp 80/tcp\nhttp 80/tcp www\n";
	static const char list[] = "80\n443\0junk\n";
	iw_buf warn = IW_BUF_INIT(4096);
	watch_services *f = NULL;
	watch_list *w = NULL;
	(void)state;
	assert_int_equal(watch_services_parse(svc, sizeof(svc) - 1, "test", svc_warn, &warn, &f),
	                 IW_OK);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->v[0].name, "http");
	assert_int_equal(f->v[0].naliases, 1);
	assert_string_equal(f->v[0].aliases[0], "www");
	assert_int_equal(f->skipped, 2);
	assert_string_equal(warn.data, "1:a NUL byte|2:a NUL byte|");
	watch_services_free(f);
	iw_buf_free(&warn);
	assert_int_equal(watch_list_parse(list, sizeof(list) - 1, "list", &w), IW_EINVAL);
	assert_null(w);
	assert_string_equal(iw_error_last(), "list:2: a NUL byte");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_services),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_list_file),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_severity_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
