/*
 * fetch.h: downloads one URL into memory over HTTP(S) with libcurl, the way a nightly job must:
 * conditional GET (ETag / Last-Modified), gzip transfer, a few redirects at most, TLS always
 * verified, the usual proxy variables honoured (http_proxy, https_proxy, no_proxy: libcurl's
 * defaults), connect / total / stall timeouts, a hard cap on the decoded body size, and retries
 * with exponential backoff and jitter on timeouts, connection errors, 5xx, 408 and 429
 * (honouring Retry-After, capped).
 *
 * This layer only moves bytes. It reports a complete 200 body or a 304; whether the body is a
 * registry document (and not, say, an HTML error page served with 200) is the caller's job, which
 * is why the Content-Type is reported.
 *
 * Ownership: fetch_url() fills a caller-provided fetch_result, on success AND on failure (the
 * attempt log is there in both cases, to be stored for `ianawatch status`); release it with
 * fetch_result_free(), which accepts NULL and a zeroed result. Every string in the result is
 * owned by it. Credentials in URLs (user:password@) never appear in the log or in messages.
 */
#ifndef IANAWATCH_FETCH_H
#define IANAWATCH_FETCH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/common.h"

/* The registry's canonical address, the default of `ianawatch fetch`. */
#define FETCH_DEFAULT_URL \
	"https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.xml"

#define FETCH_DEFAULT_MAX_BODY ((size_t)64 << 20)

typedef struct fetch_opts {
	const char *url;            /* http:// or https:// only (redirects too) */
	const char *etag;           /* sent verbatim as If-None-Match; NULL or "" for none */
	const char *last_modified;  /* sent verbatim as If-Modified-Since; NULL or "" for none */
	const char *user_agent;     /* NULL: "ianawatch/" IANAWATCH_VERSION */
	long connect_timeout_ms;    /* TCP + TLS connect, per attempt (default 15000) */
	long timeout_ms;            /* whole attempt, headers to last byte (default 300000) */
	long stall_ms;              /* abort an attempt when no byte (header or body) has arrived
	                               for this long: a server that stalls mid-body (default 30000;
	                               checked about once a second, so it fires within +1 s) */
	size_t max_body;            /* cap on the DECODED body, so a gzip bomb fails too; also
	                               refuses a larger Content-Length up front (default 64 MiB) */
	long max_redirects;         /* default 5 */
	int accept_gzip;            /* send Accept-Encoding: gzip; libcurl decodes (default 1) */
	int attempts;               /* tries in all, >= 1 (default 4) */
	long retry_base_ms;         /* wait before the 2nd try; doubles each time, with jitter
	                               between half and all of it (default 2000,
	                               $IANAWATCH_RETRY_BASE_MS overrides) */
	long retry_max_ms;          /* cap of any single wait, Retry-After included (default 60000,
	                               $IANAWATCH_RETRY_MAX_MS overrides) */
	long low_speed_bytes;       /* the floor: abort an attempt whose body arrives slower than
	                               this many bytes a second ... (default 1024,
	                               $IANAWATCH_LOW_SPEED_LIMIT overrides; 0: no floor) */
	long low_speed_ms;          /* ... for this long (default 30000, so a trickle is dropped
	                               within a minute; $IANAWATCH_LOW_SPEED_MS overrides). The
	                               wait for the response headers counts as slow too. */
	long budget_ms;             /* the whole run, every attempt and every backoff wait: no
	                               attempt outlives it, no retry starts once it is spent
	                               (default 600000, $IANAWATCH_FETCH_BUDGET_MS overrides;
	                               0: no budget) */
} fetch_opts;

/* Response headers (all of one attempt, redirects included) beyond this fail the attempt. */
#define FETCH_MAX_HEADER_BYTES ((size_t)64 << 10)

/* Fills o with the defaults above (reading the two environment overrides, which exist so that
 * command-line tests can retry fast); url is left NULL. */
void fetch_opts_init(fetch_opts *o);

/* One try, as logged in the database. */
typedef struct fetch_attempt {
	time_t at;          /* when it started (iw_now(), so $IANAWATCH_NOW applies) */
	long elapsed_ms;    /* how long it took (monotonic clock) */
	long http_status;   /* the final response's status, 0 when there was none */
	int ok;             /* 1 for a complete 200 or a 304 */
	char *url;          /* the effective URL after redirects (credentials removed) */
	char *outcome;      /* "200, 3921042 bytes", "not modified", "HTTP 503",
	                       "stalled: no data for 30 s", "body truncated (got 1 of 9 bytes)"... */
} fetch_attempt;

typedef struct fetch_result {
	long http_status;       /* of the last attempt; 0 when no response arrived */
	int not_modified;       /* 1: the server answered 304; body is empty */
	unsigned char *body;    /* the decoded body of a 200, NUL-terminated (not counted in len);
	                           NULL on failure and on 304 */
	size_t len;
	int64_t wire_bytes;     /* body bytes received on the wire (compressed size under gzip) */
	char *etag;             /* the response's ETag; on a 304 without one, the ETag sent */
	char *last_modified;    /* the response's Last-Modified; same rule */
	char *content_type;     /* e.g. "text/xml", "text/html; charset=utf-8"; NULL when absent */
	char *effective_url;    /* after redirects (credentials removed) */
	int attempts;           /* how many tries were made */
	fetch_attempt *log;     /* one entry per try, oldest first */
	size_t nlog;
} fetch_result;

/* Wraps curl_global_init(): call once at program start, before any thread exists. */
int fetch_global_init(void);
void fetch_global_cleanup(void);

/* Downloads o->url. Returns IW_OK with a 200 body or not_modified set; otherwise IW_EINVAL for
 * bad options, IW_EPARSE for a body over the cap, IW_ENET with one line naming the URL and what happened, e.g.
 *   "https://h/x: HTTP 503 after 4 attempts"
 *   "https://h/x: body truncated (got 123 of 456 bytes)"
 *   "https://h/x: too many redirects (more than 5)"
 *   "https://h/x: stalled: no data for 30 s after 4 attempts"
 *   "https://h/x: response exceeds 64 MiB cap"
 *   "https://h/x: too slow: under 1024 bytes/s for 30 s (got 200 bytes)"
 *   "https://h/x: response headers exceed 64 KiB cap"
 *   "https://h/x: HTTP 503 after 2 attempts; fetch budget of 600 s spent"
 * A body over max_body fails with IW_EPARSE, not IW_ENET: a document that large is not a
 * registry document, the same verdict (and exit status) as `import` gives a file over the cap.
 * A status other than 200 / 304 / 408 / 429 / 5xx fails at once (no retry); so do TLS
 * verification failures, redirect loops, the size cap and undecodable gzip. *res is always
 * filled and must be released with fetch_result_free(). */
int fetch_url(const fetch_opts *o, fetch_result *res);

/* Releases what res holds and zeroes it; accepts NULL. */
void fetch_result_free(fetch_result *res);

/* url without user name and password, as the log and the messages show it, for callers that
 * store or print the URL they asked for. malloc()ed; the URL as given when it has no
 * credentials or does not parse. */
char *fetch_url_redact(const char *url);

/* IW_OK when url parses and names http or https; else IW_EINVAL with a message naming
 * `shown` (the redacted URL). What fetch_url() checks first, for callers that validate a
 * command line before they touch anything. Needs no fetch_global_init(). */
int fetch_url_check(const char *url, const char *shown);

/* The libcurl this program runs with and its TLS library, as "libcurl 7.88.1 (OpenSSL/3.0.15)",
 * for `--version`. A static string, formatted on the first call (call it from one thread). */
const char *fetch_library_version(void);

#endif
