/* test_fetch.c: fetch/ against a real HTTP(S) server on 127.0.0.1 (tests/httpd.py) that serves
 * the committed snapshots and misbehaves on demand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fetch/fetch.h"
#include "test_httpd.h"
#include "common/banned.h"

#ifndef IW_SOURCE_DIR
#error "IW_SOURCE_DIR must name the source tree"
#endif
#ifndef IW_TEST_DATA_DIR
#define IW_TEST_DATA_DIR IW_SOURCE_DIR "/tests/data"
#endif

#define V1 "2025-01-23.xml"
#define V2 "2025-02-13.xml"

static test_httpd plain_srv, tls_srv;
static unsigned char *v1_data, *v2_data;
static size_t v1_len, v2_len;

/* The URL of `path` on the plain server. */
static const char *url(const char *path)
{
	static char buf[4][512];
	static int next;
	char *b = buf[next++ % 4];

	snprintf(b, sizeof(buf[0]), "http://127.0.0.1:%d%s", plain_srv.port, path);
	return b;
}

/* Options that keep every test quick: short waits, few attempts. */
static void fast_opts(fetch_opts *o, const char *u)
{
	fetch_opts_init(o);
	o->url = u;
	o->attempts = 3;
	o->retry_base_ms = 20;
	o->retry_max_ms = 2000;
	o->connect_timeout_ms = 3000;
	o->timeout_ms = 15000;
	o->stall_ms = 5000;
}

static int group_setup(void **state)
{
	static const char *proxies[] = { "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
	                                 "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY" };
	size_t i;

	(void)state;
	/* The server is on loopback: a proxy from the environment must not get in between. */
	for (i = 0; i < sizeof(proxies) / sizeof(proxies[0]); i++)
		unsetenv(proxies[i]);
	unsetenv("IANAWATCH_RETRY_BASE_MS");
	unsetenv("IANAWATCH_RETRY_MAX_MS");
	if (fetch_global_init() != IW_OK)
		return -1;
	if (iw_read_file(IW_TEST_DATA_DIR "/" V1 ".gz", FETCH_DEFAULT_MAX_BODY, &v1_data, &v1_len) ||
	    iw_read_file(IW_TEST_DATA_DIR "/" V2 ".gz", FETCH_DEFAULT_MAX_BODY, &v2_data, &v2_len)) {
		fprintf(stderr, "fixtures: %s\n", iw_error_last());
		return -1;
	}
	if (test_httpd_start(&plain_srv, NULL) != 0) {
		fprintf(stderr, "cannot start tests/httpd.py\n");
		return -1;
	}
	if (test_httpd_start(&tls_srv, IW_SOURCE_DIR "/tests/fetch/selfsigned.pem") != 0) {
		fprintf(stderr, "cannot start tests/httpd.py --tls-cert\n");
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	test_httpd_stop(&plain_srv);
	test_httpd_stop(&tls_srv);
	free(v1_data);
	free(v2_data);
	fetch_global_cleanup();
	return 0;
}

/* ---- success ---------------------------------------------------------------------------- */

static void test_200_with_validators(void **state)
{
	fetch_opts o;
	fetch_result r;
	const char *u = url("/f/" V1 "?gzip=0");

	(void)state;
	fast_opts(&o, u);
	assert_int_equal(fetch_url(&o, &r), IW_OK);
	assert_int_equal(r.http_status, 200);
	assert_false(r.not_modified);
	assert_int_equal(r.len, v1_len);
	assert_memory_equal(r.body, v1_data, v1_len);
	assert_int_equal(r.body[r.len], '\0');
	assert_int_equal(r.wire_bytes, (int64_t)v1_len);
	assert_non_null(r.etag);
	assert_int_equal(r.etag[0], '"');
	assert_non_null(r.last_modified);
	assert_non_null(strstr(r.last_modified, " GMT"));
	assert_string_equal(r.content_type, "text/xml");
	assert_string_equal(r.effective_url, u);
	assert_int_equal(r.attempts, 1);
	assert_int_equal(r.nlog, 1);
	assert_true(r.log[0].ok);
	assert_int_equal(r.log[0].http_status, 200);
	assert_string_equal(r.log[0].url, u);
	assert_true(r.log[0].at > 0);
	assert_int_equal(strncmp(r.log[0].outcome, "200, ", 5), 0);
	fetch_result_free(&r);
	assert_null(r.body);
	fetch_result_free(NULL);
}

static void test_304_on_matching_etag(void **state)
{
	fetch_opts o;
	fetch_result r1, r2;
	const char *u = url("/f/" V1);

	(void)state;
	fast_opts(&o, u);
	assert_int_equal(fetch_url(&o, &r1), IW_OK);
	assert_non_null(r1.etag);
	o.etag = r1.etag;
	assert_int_equal(fetch_url(&o, &r2), IW_OK);
	assert_int_equal(r2.http_status, 304);
	assert_true(r2.not_modified);
	assert_null(r2.body);
	assert_int_equal(r2.len, 0);
	assert_string_equal(r2.etag, r1.etag);
	assert_string_equal(r2.last_modified, r1.last_modified);
	assert_int_equal(r2.nlog, 1);
	assert_true(r2.log[0].ok);
	assert_string_equal(r2.log[0].outcome, "not modified");
	fetch_result_free(&r2);

	/* A stale ETag gets the document again. */
	o.etag = "\"0000-stale\"";
	assert_int_equal(fetch_url(&o, &r2), IW_OK);
	assert_int_equal(r2.http_status, 200);
	assert_false(r2.not_modified);
	assert_int_equal(r2.len, v1_len);
	fetch_result_free(&r2);
	fetch_result_free(&r1);
}

static void test_304_on_last_modified(void **state)
{
	fetch_opts o;
	fetch_result r1, r2;
	const char *u = url("/f/" V1 "?etag=0");

	(void)state;
	fast_opts(&o, u);
	assert_int_equal(fetch_url(&o, &r1), IW_OK);
	assert_null(r1.etag);
	assert_non_null(r1.last_modified);
	o.last_modified = r1.last_modified;
	assert_int_equal(fetch_url(&o, &r2), IW_OK);
	assert_true(r2.not_modified);
	assert_int_equal(r2.http_status, 304);
	assert_string_equal(r2.last_modified, r1.last_modified);
	fetch_result_free(&r2);

	o.last_modified = "Thu, 01 Jan 1970 00:00:00 GMT";
	assert_int_equal(fetch_url(&o, &r2), IW_OK);
	assert_false(r2.not_modified);
	assert_int_equal(r2.len, v1_len);
	fetch_result_free(&r2);
	fetch_result_free(&r1);
}

/* Three nightly runs over three served versions: new, changed, unchanged. */
static void test_nightly_versions(void **state)
{
	fetch_opts o;
	fetch_result r1, r2, r3, ctl;
	const char *u = url("/current");

	(void)state;
	fast_opts(&o, url("/_control/current?file=" V1));
	assert_int_equal(fetch_url(&o, &ctl), IW_OK);
	fetch_result_free(&ctl);
	fast_opts(&o, u);
	assert_int_equal(fetch_url(&o, &r1), IW_OK);
	assert_int_equal(r1.len, v1_len);
	assert_memory_equal(r1.body, v1_data, v1_len);

	fast_opts(&o, url("/_control/current?file=" V2));
	assert_int_equal(fetch_url(&o, &ctl), IW_OK);
	fetch_result_free(&ctl);
	fast_opts(&o, u);
	o.etag = r1.etag;
	o.last_modified = r1.last_modified;
	assert_int_equal(fetch_url(&o, &r2), IW_OK);
	assert_false(r2.not_modified);
	assert_int_equal(r2.len, v2_len);
	assert_memory_equal(r2.body, v2_data, v2_len);
	assert_string_not_equal(r2.etag, r1.etag);

	o.etag = r2.etag;
	o.last_modified = r2.last_modified;
	assert_int_equal(fetch_url(&o, &r3), IW_OK);
	assert_true(r3.not_modified);
	assert_string_equal(r3.etag, r2.etag);
	fetch_result_free(&r1);
	fetch_result_free(&r2);
	fetch_result_free(&r3);
}

static void test_gzip_transfer_is_decoded(void **state)
{
	fetch_opts o;
	fetch_result r;

	(void)state;
	fast_opts(&o, url("/f/" V1));
	assert_int_equal(fetch_url(&o, &r), IW_OK);
	assert_int_equal(r.len, v1_len);
	assert_memory_equal(r.body, v1_data, v1_len);
	/* It really travelled compressed (the XML shrinks about eightfold). */
	assert_true(r.wire_bytes > 0 && r.wire_bytes < (int64_t)v1_len / 4);
	fetch_result_free(&r);

	/* Without Accept-Encoding the server sends it plain. */
	o.accept_gzip = 0;
	assert_int_equal(fetch_url(&o, &r), IW_OK);
	assert_int_equal(r.wire_bytes, (int64_t)v1_len);
	assert_memory_equal(r.body, v1_data, v1_len);
	fetch_result_free(&r);
}

static void test_good_redirect_is_followed(void **state)
{
	fetch_opts o;
	fetch_result r;
	const char *target = url("/f/" V1);

	(void)state;
	fast_opts(&o, url("/redirect?to=/f/" V1));
	assert_int_equal(fetch_url(&o, &r), IW_OK);
	assert_int_equal(r.len, v1_len);
	assert_string_equal(r.effective_url, target);
	assert_string_equal(r.log[0].url, target);
	fetch_result_free(&r);
}

/* An error page served with 200 is data at this layer; the Content-Type lets the caller see it. */
static void test_html_page_is_returned_with_its_type(void **state)
{
	fetch_opts o;
	fetch_result r;

	(void)state;
	fast_opts(&o, url("/html"));
	assert_int_equal(fetch_url(&o, &r), IW_OK);
	assert_int_equal(r.http_status, 200);
	assert_string_equal(r.content_type, "text/html; charset=utf-8");
	assert_non_null(strstr((const char *)r.body, "<html>"));
	fetch_result_free(&r);
}

static void test_user_agent_and_encoding_sent(void **state)
{
	fetch_opts o;
	fetch_result r;

	(void)state;
	fast_opts(&o, url("/echo"));
	assert_int_equal(fetch_url(&o, &r), IW_OK);
	assert_non_null(strstr((const char *)r.body, "User-Agent: ianawatch/" IANAWATCH_VERSION "\n"));
	assert_non_null(strstr((const char *)r.body, "Accept-Encoding: gzip\n"));
	assert_null(strstr((const char *)r.body, "If-None-Match"));
	fetch_result_free(&r);

	o.user_agent = "ianawatch-test/1";
	o.etag = "\"abc\"";
	o.last_modified = "Wed, 22 Jan 2025 10:00:00 GMT";
	assert_int_equal(fetch_url(&o, &r), IW_OK);
	assert_non_null(strstr((const char *)r.body, "User-Agent: ianawatch-test/1\n"));
	assert_non_null(strstr((const char *)r.body, "If-None-Match: \"abc\"\n"));
	assert_non_null(strstr((const char *)r.body, "If-Modified-Since: Wed, 22 Jan 2025 10:00:00 GMT\n"));
	fetch_result_free(&r);
}

static void test_proxy_environment_is_honoured(void **state)
{
	fetch_opts o;
	fetch_result r;
	char proxy[64];

	(void)state;
	/* The server doubles as a proxy; the .invalid host name cannot resolve, so success proves
	 * the request went through it. */
	snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", plain_srv.port);
	setenv("http_proxy", proxy, 1);
	fast_opts(&o, "http://registry.ianawatch.invalid/echo");
	assert_int_equal(fetch_url(&o, &r), IW_OK);
	assert_non_null(strstr((const char *)r.body,
	                       "GET http://registry.ianawatch.invalid/echo HTTP/1.1\n"));
	fetch_result_free(&r);

	fast_opts(&o, "http://registry.ianawatch.invalid/f/" V1);
	assert_int_equal(fetch_url(&o, &r), IW_OK);
	assert_int_equal(r.len, v1_len);
	assert_memory_equal(r.body, v1_data, v1_len);
	fetch_result_free(&r);

	/* no_proxy wins over a proxy that would fail. */
	setenv("http_proxy", "http://127.0.0.1:1", 1);
	setenv("no_proxy", "127.0.0.1", 1);
	fast_opts(&o, url("/echo"));
	assert_int_equal(fetch_url(&o, &r), IW_OK);
	assert_non_null(strstr((const char *)r.body, "GET /echo HTTP/1.1\n"));
	fetch_result_free(&r);
	unsetenv("http_proxy");
	unsetenv("no_proxy");
}

/* ---- retries ---------------------------------------------------------------------------- */

static void test_500_then_200_is_retried(void **state)
{
	fetch_opts o;
	fetch_result r;

	(void)state;
	fast_opts(&o, url("/f/" V1 "?fail=2&code=500"));
	assert_int_equal(fetch_url(&o, &r), IW_OK);
	assert_int_equal(r.http_status, 200);
	assert_int_equal(r.len, v1_len);
	assert_int_equal(r.attempts, 3);
	assert_int_equal(r.nlog, 3);
	assert_int_equal(r.log[0].http_status, 500);
	assert_false(r.log[0].ok);
	assert_string_equal(r.log[0].outcome, "HTTP 500");
	assert_string_equal(r.log[1].outcome, "HTTP 500");
	assert_int_equal(r.log[2].http_status, 200);
	assert_true(r.log[2].ok);
	fetch_result_free(&r);
}

static void test_5xx_gives_up_with_a_clear_error(void **state)
{
	fetch_opts o;
	fetch_result r;
	char want[600];
	const char *u = url("/f/" V1 "?fail=100&code=503");

	(void)state;
	fast_opts(&o, u);
	assert_int_equal(fetch_url(&o, &r), IW_ENET);
	snprintf(want, sizeof(want), "%s: HTTP 503 after 3 attempts", u);
	assert_string_equal(iw_error_last(), want);
	assert_int_equal(r.http_status, 503);
	assert_null(r.body);
	assert_int_equal(r.attempts, 3);
	assert_int_equal(r.nlog, 3);
	assert_false(r.log[2].ok);
	fetch_result_free(&r);
}

static void test_backoff_grows(void **state)
{
	fetch_opts o;
	fetch_result r;
	int64_t t0;

	(void)state;
	fast_opts(&o, url("/f/" V1 "?fail=2&code=502"));
	o.retry_base_ms = 200;
	t0 = test_now_ms();
	assert_int_equal(fetch_url(&o, &r), IW_OK);
	/* Waits of 100..200 ms, then 200..400 ms (equal jitter). */
	assert_true(test_now_ms() - t0 >= 300);
	assert_true(test_now_ms() - t0 < 3000);
	assert_int_equal(r.attempts, 3);
	fetch_result_free(&r);
}

static void test_429_honours_retry_after(void **state)
{
	fetch_opts o;
	fetch_result r;
	int64_t t0;

	(void)state;
	fast_opts(&o, url("/f/" V1 "?fail=1&code=429&retry_after=1"));
	o.retry_base_ms = 10;
	t0 = test_now_ms();
	assert_int_equal(fetch_url(&o, &r), IW_OK);
	assert_true(test_now_ms() - t0 >= 1000);
	assert_int_equal(r.attempts, 2);
	assert_int_equal(r.log[0].http_status, 429);
	assert_string_equal(r.log[0].outcome, "HTTP 429");
	assert_int_equal(r.len, v1_len);
	fetch_result_free(&r);
}

static void test_retry_after_is_capped(void **state)
{
	fetch_opts o;
	fetch_result r;
	int64_t t0;

	(void)state;
	fast_opts(&o, url("/f/" V1 "?fail=1&code=429&retry_after=3600"));
	o.retry_max_ms = 300;
	t0 = test_now_ms();
	assert_int_equal(fetch_url(&o, &r), IW_OK);
	assert_true(test_now_ms() - t0 >= 300);
	assert_true(test_now_ms() - t0 < 3000);
	assert_int_equal(r.attempts, 2);
	fetch_result_free(&r);
}

static void test_retry_env_overrides(void **state)
{
	fetch_opts o;

	(void)state;
	setenv("IANAWATCH_RETRY_BASE_MS", "7", 1);
	setenv("IANAWATCH_RETRY_MAX_MS", "70", 1);
	fetch_opts_init(&o);
	assert_int_equal(o.retry_base_ms, 7);
	assert_int_equal(o.retry_max_ms, 70);
	setenv("IANAWATCH_RETRY_BASE_MS", "soon", 1);
	fetch_opts_init(&o);
	assert_int_equal(o.retry_base_ms, 2000);
	unsetenv("IANAWATCH_RETRY_BASE_MS");
	unsetenv("IANAWATCH_RETRY_MAX_MS");
	fetch_opts_init(&o);
	assert_int_equal(o.retry_max_ms, 60000);
	assert_int_equal(o.max_body, (size_t)64 << 20);
	assert_int_equal(o.max_redirects, 5);
	assert_int_equal(o.attempts, 4);
}

static void test_4xx_is_not_retried(void **state)
{
	fetch_opts o;
	fetch_result r;
	char want[600];
	const char *u = url("/f/no-such-file.xml");

	(void)state;
	fast_opts(&o, u);
	assert_int_equal(fetch_url(&o, &r), IW_ENET);
	snprintf(want, sizeof(want), "%s: HTTP 404", u);
	assert_string_equal(iw_error_last(), want);
	assert_int_equal(r.attempts, 1);
	assert_int_equal(r.http_status, 404);
	fetch_result_free(&r);

	/* A 304 nobody asked for is not "unchanged". */
	fast_opts(&o, url("/status/304"));
	assert_int_equal(fetch_url(&o, &r), IW_ENET);
	assert_non_null(strstr(iw_error_last(), "HTTP 304 to an unconditional request"));
	fetch_result_free(&r);
}

static void test_connection_refused_is_retried(void **state)
{
	fetch_opts o;
	fetch_result r;
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	char u[64];
	int fd;

	(void)state;
	/* A port that was free a moment ago and has no listener. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	close(fd);
	snprintf(u, sizeof(u), "http://127.0.0.1:%d/f/x.xml", ntohs(sa.sin_port));

	fast_opts(&o, u);
	o.attempts = 2;
	assert_int_equal(fetch_url(&o, &r), IW_ENET);
	assert_non_null(strstr(iw_error_last(), ": Failed to connect to 127.0.0.1 port "));
	assert_non_null(strstr(iw_error_last(), "after 2 attempts"));
	assert_int_equal(r.attempts, 2);
	assert_int_equal(r.http_status, 0);
	assert_int_equal(r.log[0].http_status, 0);
	fetch_result_free(&r);
}

/* ---- failures that must never become a snapshot ----------------------------------------- */

static void test_stall_mid_body_fails(void **state)
{
	fetch_opts o;
	fetch_result r;
	int64_t t0;

	(void)state;
	fast_opts(&o, url("/f/" V1 "?gzip=0&stall=1000"));
	o.stall_ms = 1000;
	o.attempts = 2;
	t0 = test_now_ms();
	assert_int_equal(fetch_url(&o, &r), IW_ENET);
	/* Each attempt gives up between 1 and 2 s after the last byte. */
	assert_true(test_now_ms() - t0 < 6000);
	assert_non_null(strstr(iw_error_last(), "stalled: no data for 1 s (got 1000 bytes)"));
	assert_non_null(strstr(iw_error_last(), "after 2 attempts"));
	assert_int_equal(r.attempts, 2);
	assert_int_equal(r.log[0].http_status, 200);
	assert_false(r.log[0].ok);
	assert_null(r.body);
	fetch_result_free(&r);
}

static void test_total_timeout(void **state)
{
	fetch_opts o;
	fetch_result r;
	int64_t t0;

	(void)state;
	/* A trickle is not a stall, but it must not run forever either. */
	fast_opts(&o, url("/f/" V1 "?gzip=0&trickle=20"));
	o.timeout_ms = 1500;
	o.attempts = 1;
	t0 = test_now_ms();
	assert_int_equal(fetch_url(&o, &r), IW_ENET);
	assert_true(test_now_ms() - t0 < 4000);
	assert_non_null(strstr(iw_error_last(), ": timed out after 1.5 s (got "));
	assert_null(r.body);
	fetch_result_free(&r);
}

static void test_truncated_body_fails(void **state)
{
	fetch_opts o;
	fetch_result r;
	char want[600];
	const char *u = url("/f/" V1 "?gzip=0&truncate=1000");

	(void)state;
	fast_opts(&o, u);
	o.attempts = 2;
	assert_int_equal(fetch_url(&o, &r), IW_ENET);
	snprintf(want, sizeof(want), "%s: body truncated (got 1000 of %zu bytes) after 2 attempts", u,
	         v1_len);
	assert_string_equal(iw_error_last(), want);
	assert_null(r.body);
	assert_int_equal(r.len, 0);
	fetch_result_free(&r);

	/* Truncated gzip on the wire too. */
	fast_opts(&o, url("/f/" V1 "?truncate=5000"));
	o.attempts = 1;
	assert_int_equal(fetch_url(&o, &r), IW_ENET);
	assert_non_null(strstr(iw_error_last(), "body truncated (got 5000 of "));
	fetch_result_free(&r);
}

static void test_redirect_loop_fails(void **state)
{
	fetch_opts o;
	fetch_result r;
	char want[600];
	const char *u = url("/loop");

	(void)state;
	fast_opts(&o, u);
	assert_int_equal(fetch_url(&o, &r), IW_ENET);
	snprintf(want, sizeof(want), "%s: too many redirects (more than 5)", u);
	assert_string_equal(iw_error_last(), want);
	assert_int_equal(r.attempts, 1);
	fetch_result_free(&r);
}

static void test_gzip_bomb_is_refused(void **state)
{
	fetch_opts o;
	fetch_result r;
	char want[600];
	const char *u = url("/bomb?mib=80");

	(void)state;
	/* About 80 KiB on the wire, 80 MiB decoded: over the default 64 MiB cap. */
	fast_opts(&o, u);
	assert_int_equal(fetch_url(&o, &r), IW_EPARSE);
	snprintf(want, sizeof(want), "%s: response exceeds 64 MiB cap", u);
	assert_string_equal(iw_error_last(), want);
	assert_int_equal(r.attempts, 1);
	assert_null(r.body);
	fetch_result_free(&r);
}

static void test_bad_gzip_is_refused(void **state)
{
	fetch_opts o;
	fetch_result r;

	(void)state;
	fast_opts(&o, url("/badgzip"));
	assert_int_equal(fetch_url(&o, &r), IW_ENET);
	assert_non_null(strstr(iw_error_last(), ": bad content encoding: "));
	assert_int_equal(r.attempts, 1);
	fetch_result_free(&r);
}

static void test_body_cap(void **state)
{
	fetch_opts o;
	fetch_result r;
	char want[600];
	const char *u = url("/f/" V1 "?gzip=0");

	(void)state;
	/* Refused on the Content-Length, before the body. */
	fast_opts(&o, u);
	o.max_body = 1 << 20;
	assert_int_equal(fetch_url(&o, &r), IW_EPARSE);
	snprintf(want, sizeof(want), "%s: response exceeds 1 MiB cap (Content-Length %zu)", u, v1_len);
	assert_string_equal(iw_error_last(), want);
	fetch_result_free(&r);

	/* Compressed: the Content-Length fits, the decoded body does not. */
	fast_opts(&o, url("/f/" V1));
	o.max_body = 1 << 20;
	assert_int_equal(fetch_url(&o, &r), IW_EPARSE);
	assert_non_null(strstr(iw_error_last(), ": response exceeds 1 MiB cap"));
	fetch_result_free(&r);

	/* The cap is inclusive. */
	fast_opts(&o, url("/f/" V1));
	o.max_body = v1_len;
	assert_int_equal(fetch_url(&o, &r), IW_OK);
	assert_int_equal(r.len, v1_len);
	fetch_result_free(&r);
	o.max_body = v1_len - 1;
	assert_int_equal(fetch_url(&o, &r), IW_EPARSE);
	fetch_result_free(&r);
}

static void test_trickle_is_dropped_under_the_floor(void **state)
{
	fetch_opts o;
	fetch_result r;
	int64_t t0;

	(void)state;
	/* 8 bytes every 100 ms: never silent, so only the floor can drop it. */
	fast_opts(&o, url("/f/" V1 "?gzip=0&trickle=100&piece=8"));
	o.attempts = 1;
	o.low_speed_bytes = 1024;
	o.low_speed_ms = 1500;
	t0 = test_now_ms();
	assert_int_equal(fetch_url(&o, &r), IW_ENET);
	assert_true(test_now_ms() - t0 < 5000);
	assert_non_null(strstr(iw_error_last(), ": too slow: under 1024 bytes/s for 1.5 s (got "));
	assert_null(r.body);
	fetch_result_free(&r);
}

static void test_budget_bounds_every_attempt_and_wait(void **state)
{
	fetch_opts o;
	fetch_result r;
	int64_t t0;

	(void)state;
	/* Four attempts of up to 15 s would take a minute; the budget ends the run in 2 s. */
	fast_opts(&o, url("/f/" V1 "?gzip=0&stall=100"));
	o.attempts = 4;
	o.stall_ms = 0;
	o.low_speed_bytes = 0;
	o.budget_ms = 2000;
	t0 = test_now_ms();
	assert_int_equal(fetch_url(&o, &r), IW_ENET);
	assert_true(test_now_ms() - t0 < 3500);
	assert_non_null(strstr(iw_error_last(), "fetch budget of 2 s spent"));
	fetch_result_free(&r);

	/* Backoff waits count too: a retry that cannot start within the budget is not made. */
	fast_opts(&o, url("/f/" V1 "?fail=9&code=503"));
	o.attempts = 4;
	o.retry_base_ms = 4000;
	o.retry_max_ms = 4000;
	o.budget_ms = 1000;
	t0 = test_now_ms();
	assert_int_equal(fetch_url(&o, &r), IW_ENET);
	assert_true(test_now_ms() - t0 < 1000);
	assert_int_equal(r.attempts, 1);
	assert_non_null(strstr(iw_error_last(), "HTTP 503 after 1 attempt; no time left for "
	                                        "another in the fetch budget of 1 s"));
	fetch_result_free(&r);
}

static void test_huge_header_is_named(void **state)
{
	fetch_opts o;
	fetch_result r;

	(void)state;
	/* One 1 MiB line: libcurl refuses it ("Out of memory" until this said what). */
	fast_opts(&o, url("/bighead?kib=1024"));
	assert_int_equal(fetch_url(&o, &r), IW_ENET);
	assert_non_null(strstr(iw_error_last(), ": response header line exceeds libcurl's 100 KiB "
	                                        "limit"));
	assert_int_equal(r.attempts, 1);
	fetch_result_free(&r);
	/* Many lines, none too long, over the total cap. */
	fast_opts(&o, url("/bighead?kib=8&lines=20"));
	assert_int_equal(fetch_url(&o, &r), IW_ENET);
	assert_non_null(strstr(iw_error_last(), ": response headers exceed 64 KiB cap"));
	fetch_result_free(&r);
	/* Under the cap, a large header is fine. */
	fast_opts(&o, url("/bighead?kib=32"));
	assert_int_equal(fetch_url(&o, &r), IW_OK);
	fetch_result_free(&r);
}

static void test_tls_is_verified(void **state)
{
	fetch_opts o;
	fetch_result r;
	char u[128];

	(void)state;
	/* A self-signed certificate, valid for 127.0.0.1, but trusted by nobody. */
	snprintf(u, sizeof(u), "https://127.0.0.1:%d/f/" V1, tls_srv.port);
	fast_opts(&o, u);
	assert_int_equal(fetch_url(&o, &r), IW_ENET);
	assert_non_null(strstr(iw_error_last(), ": TLS certificate verification failed: "));
	assert_int_equal(r.attempts, 1);
	assert_null(r.body);
	fetch_result_free(&r);
}

static void test_credentials_stay_out_of_logs(void **state)
{
	fetch_opts o;
	fetch_result r;
	char u[128];

	(void)state;
	snprintf(u, sizeof(u), "http://robot:hunter2@127.0.0.1:%d/f/no-such-file.xml", plain_srv.port);
	fast_opts(&o, u);
	assert_int_equal(fetch_url(&o, &r), IW_ENET);
	assert_null(strstr(iw_error_last(), "hunter2"));
	assert_non_null(strstr(iw_error_last(), "/f/no-such-file.xml: HTTP 404"));
	assert_null(strstr(r.log[0].url, "hunter2"));
	assert_null(strstr(r.effective_url, "hunter2"));
	fetch_result_free(&r);
}

static void test_bad_options(void **state)
{
	fetch_opts o;
	fetch_result r;

	(void)state;
	fast_opts(&o, "ftp://127.0.0.1/x");
	assert_int_equal(fetch_url(&o, &r), IW_EINVAL);
	assert_non_null(strstr(iw_error_last(), "only http:// and https://"));
	fetch_result_free(&r);

	fast_opts(&o, "http://[::1/x");
	assert_int_equal(fetch_url(&o, &r), IW_EINVAL);
	assert_string_equal(iw_error_last(), "http://[::1/x: not a valid URL");
	assert_int_equal(r.nlog, 0);
	fetch_result_free(&r);

	fast_opts(&o, url("/echo"));
	o.etag = "\"x\"\r\nX-Injected: 1";
	assert_int_equal(fetch_url(&o, &r), IW_EINVAL);
	assert_non_null(strstr(iw_error_last(), "line break"));
	fetch_result_free(&r);

	fast_opts(&o, NULL);
	assert_int_equal(fetch_url(&o, &r), IW_EINVAL);
	fetch_result_free(&r);

	fast_opts(&o, url("/f/" V1));
	o.attempts = 0;
	assert_int_equal(fetch_url(&o, &r), IW_EINVAL);
	assert_int_equal(r.nlog, 0);
	fetch_result_free(&r);

	/* Redirects may not leave HTTP(S) either. */
	fast_opts(&o, url("/redirect?to=file:///etc/passwd"));
	assert_int_equal(fetch_url(&o, &r), IW_ENET);
	assert_non_null(strstr(iw_error_last(), ": refused: "));
	assert_non_null(strstr(iw_error_last(), "(redirected to file:///etc/passwd)"));
	assert_int_equal(r.attempts, 1);
	assert_null(r.body);
	fetch_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_200_with_validators),
		cmocka_unit_test(test_304_on_matching_etag),
		cmocka_unit_test(test_304_on_last_modified),
		cmocka_unit_test(test_nightly_versions),
		cmocka_unit_test(test_gzip_transfer_is_decoded),
		cmocka_unit_test(test_good_redirect_is_followed),
		cmocka_unit_test(test_html_page_is_returned_with_its_type),
		cmocka_unit_test(test_user_agent_and_encoding_sent),
		cmocka_unit_test(test_proxy_environment_is_honoured),
		cmocka_unit_test(test_500_then_200_is_retried),
		cmocka_unit_test(test_5xx_gives_up_with_a_clear_error),
		cmocka_unit_test(test_backoff_grows),
		cmocka_unit_test(test_429_honours_retry_after),
		cmocka_unit_test(test_retry_after_is_capped),
		cmocka_unit_test(test_retry_env_overrides),
		cmocka_unit_test(test_4xx_is_not_retried),
		cmocka_unit_test(test_connection_refused_is_retried),
		cmocka_unit_test(test_stall_mid_body_fails),
		cmocka_unit_test(test_total_timeout),
		cmocka_unit_test(test_truncated_body_fails),
		cmocka_unit_test(test_redirect_loop_fails),
		cmocka_unit_test(test_gzip_bomb_is_refused),
		cmocka_unit_test(test_bad_gzip_is_refused),
		cmocka_unit_test(test_body_cap),
		cmocka_unit_test(test_trickle_is_dropped_under_the_floor),
		cmocka_unit_test(test_budget_bounds_every_attempt_and_wait),
		cmocka_unit_test(test_huge_header_is_named),
		cmocka_unit_test(test_tls_is_verified),
		cmocka_unit_test(test_credentials_stay_out_of_logs),
		cmocka_unit_test(test_bad_options),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
