/* fetch.c: the libcurl client behind `ianawatch fetch`: one URL into memory, retried and logged. */
#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "fetch/fetch.h"
#include "common/banned.h"

#define FETCH_MIB ((size_t)1 << 20)
/* Room for our own words around libcurl's error buffer. */
#define FETCH_OUTCOME_MAX (CURL_ERROR_SIZE + 256)

/* What one attempt concluded, which decides whether another one is worth it. */
typedef enum fetch_verdict {
	FETCH_DONE,      /* a complete 200 */
	FETCH_NOTMOD,    /* 304 to our conditional request */
	FETCH_RETRY,     /* transient: timeout, connection trouble, 5xx, 408, 429, truncation */
	FETCH_FATAL,     /* retrying cannot help: 4xx, cap, TLS, redirect loop, bad encoding */
} fetch_verdict;

/* State shared with libcurl's callbacks during one attempt. */
typedef struct fetch_xfer {
	iw_buf body;
	size_t max_body;
	int over_cap;        /* the write callback refused data beyond max_body */
	long stall_ms;
	int stalled;         /* the progress callback gave up on a silent server */
	int64_t last_data_ms;
	curl_off_t last_dl;
	long low_speed_bytes; /* the floor (fetch_opts) */
	long low_speed_ms;
	int too_slow;        /* the progress callback dropped a trickle */
	int64_t sample_ms;   /* start of the current speed sample */
	curl_off_t sample_dl;
	int64_t slow_since_ms; /* 0, or when the speed first fell under the floor */
	size_t header_bytes; /* all response headers of this attempt */
	int header_over;     /* the header callback refused a header beyond the cap */
	int headers_done;    /* the blank line ending the last response's headers arrived */
	long timeout_ms;     /* this attempt's CURLOPT_TIMEOUT_MS: the option or the budget left */
	int budget_cut;      /* ... and it is the budget's */
} fetch_xfer;

static int64_t fetch_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads a non-negative millisecond count from the environment; anything else keeps `def`. */
static long fetch_env_ms(const char *name, long def)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return def;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0)
		return def;
	return v;
}

void fetch_opts_init(fetch_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->connect_timeout_ms = 15000;
	o->timeout_ms = 300000;
	o->stall_ms = 30000;
	o->max_body = FETCH_DEFAULT_MAX_BODY;
	o->max_redirects = 5;
	o->accept_gzip = 1;
	o->attempts = 4;
	o->retry_base_ms = fetch_env_ms("IANAWATCH_RETRY_BASE_MS", 2000);
	o->retry_max_ms = fetch_env_ms("IANAWATCH_RETRY_MAX_MS", 60000);
	o->low_speed_bytes = fetch_env_ms("IANAWATCH_LOW_SPEED_LIMIT", 1024);
	o->low_speed_ms = fetch_env_ms("IANAWATCH_LOW_SPEED_MS", 30000);
	o->budget_ms = fetch_env_ms("IANAWATCH_FETCH_BUDGET_MS", 600000);
}

int fetch_global_init(void)
{
	CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);

	if (rc != CURLE_OK)
		return iw_error_set(IW_ENET, "cannot initialise libcurl: %s", curl_easy_strerror(rc));
	return IW_OK;
}

void fetch_global_cleanup(void)
{
	curl_global_cleanup();
}

void fetch_result_free(fetch_result *res)
{
	size_t i;

	if (!res)
		return;
	free(res->body);
	free(res->etag);
	free(res->last_modified);
	free(res->content_type);
	free(res->effective_url);
	for (i = 0; i < res->nlog; i++) {
		free(res->log[i].url);
		free(res->log[i].outcome);
	}
	free(res->log);
	memset(res, 0, sizeof(*res));
}

/* The URL without user name and password, since it ends up in the database and in messages. */
static char *fetch_redact(const char *url)
{
	CURLU *u = curl_url();
	char *user = NULL, *pass = NULL, *s = NULL, *out = NULL;

	if (!u || curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
		goto out;
	if (curl_url_get(u, CURLUPART_USER, &user, 0) != CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PASSWORD, &pass, 0) != CURLUE_OK)
		goto out; /* nothing to hide: keep the URL exactly as given */
	curl_url_set(u, CURLUPART_USER, NULL, 0);
	curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
	if (curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
		out = iw_strdup(s);
out:
	curl_free(user);
	curl_free(pass);
	curl_free(s);
	curl_url_cleanup(u);
	return out ? out : iw_strdup(url);
}

char *fetch_url_redact(const char *url)
{
	return fetch_redact(url);
}

/* "64 MiB", "512 KiB" or "1000 bytes", for messages about the cap. */
static void fetch_fmt_size(size_t n, char *out, size_t outlen)
{
	if (n >= FETCH_MIB && n % FETCH_MIB == 0)
		snprintf(out, outlen, "%zu MiB", n / FETCH_MIB);
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(out, outlen, "%zu KiB", n / 1024);
	else
		snprintf(out, outlen, "%zu bytes", n);
}

/* "30 s", "1.5 s": timeouts are options in ms but read better in seconds. */
static void fetch_fmt_secs(long ms, char *out, size_t outlen)
{
	snprintf(out, outlen, "%g s", (double)ms / 1000.0);
}

static size_t fetch_write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	fetch_xfer *x = userdata;
	size_t n = size * nmemb;

	/* libcurl hands us decoded data, so this bounds what a gzip bomb can expand to. */
	if (n > x->max_body - x->body.len || iw_buf_add(&x->body, ptr, n) != IW_OK) {
		x->over_cap = 1;
		return CURL_WRITEFUNC_ERROR;
	}
	return n;
}

static size_t fetch_header_cb(char *buf, size_t size, size_t nitems, void *userdata)
{
	fetch_xfer *x = userdata;
	size_t n = size * nitems;

	/* libcurl's own limit fails as "Out of memory"; this one says what was too large. */
	x->header_bytes += n;
	if (x->header_bytes > FETCH_MAX_HEADER_BYTES) {
		x->header_over = 1;
		return 0;
	}
	/* A redirect's headers are followed by the next response's. */
	x->headers_done = n <= 2 && (n == 0 || buf[0] == '\r' || buf[0] == '\n');
	/* Headers are data too: a slow but live server is not stalled. */
	x->last_data_ms = fetch_mono_ms();
	return n;
}

static int fetch_progress_cb(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                             curl_off_t ultotal, curl_off_t ulnow)
{
	fetch_xfer *x = userdata;
	int64_t now = fetch_mono_ms();

	(void)dltotal;
	(void)ultotal;
	(void)ulnow;
	if (dlnow != x->last_dl) {
		x->last_dl = dlnow;
		x->last_data_ms = now;
	} else if (x->stall_ms > 0 && now - x->last_data_ms >= x->stall_ms) {
		x->stalled = 1;
		return 1;
	}
	/* The floor: a server sending a byte a second is never silent, so the stall rule never
	 * fires; measure the speed over samples of a second or more and drop the transfer once it
	 * stayed under the floor for low_speed_ms (as CURLOPT_LOW_SPEED_LIMIT, in milliseconds). */
	if (x->low_speed_bytes > 0 && x->low_speed_ms > 0 && now - x->sample_ms >= 1000) {
		double rate = (double)(dlnow - x->sample_dl) * 1000.0 / (double)(now - x->sample_ms);
		if (rate >= (double)x->low_speed_bytes)
			x->slow_since_ms = 0;
		else if (!x->slow_since_ms)
			x->slow_since_ms = x->sample_ms;
		x->sample_ms = now;
		x->sample_dl = dlnow;
	}
	if (x->slow_since_ms && now - x->slow_since_ms >= x->low_speed_ms) {
		x->too_slow = 1;
		return 1;
	}
	return 0;
}

/* A random number for jitter; the quality hardly matters, only that clients do not align. */
static unsigned long fetch_random(void)
{
	unsigned long r;

	if (getentropy(&r, sizeof(r)) != 0)
		r = (unsigned long)fetch_mono_ms() ^ ((unsigned long)getpid() << 16);
	return r;
}

/* The wait after failed attempt number `failed` (1-based): base * 2^(failed-1) with "equal
 * jitter" (between half and all of it), raised to Retry-After when the server asked for more,
 * and never above retry_max_ms. */
static long fetch_backoff_ms(const fetch_opts *o, int failed, curl_off_t retry_after_s)
{
	long max = o->retry_max_ms;
	long d = o->retry_base_ms;
	long half;
	int i;

	for (i = 1; i < failed && d < max; i++)
		d = d > LONG_MAX / 2 ? LONG_MAX : d * 2;
	if (d > max)
		d = max;
	half = d / 2;
	if (d > 0)
		d = half + (long)(fetch_random() % (unsigned long)(d - half + 1));
	if (retry_after_s > 0) {
		long ra = retry_after_s > (curl_off_t)(max / 1000) ? max : (long)retry_after_s * 1000;
		if (ra > d)
			d = ra;
	}
	return d > max ? max : d;
}

static void fetch_sleep_ms(long ms)
{
	struct timespec ts, rem;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &rem) != 0 && errno == EINTR)
		ts = rem;
}

/* Turns libcurl's result and the response into a verdict and a one-line outcome. */
/* The libcurl errors whose outcome is a few words before libcurl's message, and whether a
 * retry may help; any other error is fatal, in libcurl's words alone. */
static const struct fetch_curl_word {
	CURLcode code;
	fetch_verdict verdict;
	const char *prefix;
} fetch_curl_words[] = {
	/* libcurl's words ("Could not resolve host: h", "Failed to connect to h port p...")
	 * already say it all. */
	{CURLE_COULDNT_RESOLVE_HOST, FETCH_RETRY, ""},
	{CURLE_COULDNT_RESOLVE_PROXY, FETCH_RETRY, ""},
	{CURLE_COULDNT_CONNECT, FETCH_RETRY, ""},
	{CURLE_SEND_ERROR, FETCH_RETRY, "connection failed: "},
	{CURLE_RECV_ERROR, FETCH_RETRY, "connection failed: "},
	{CURLE_GOT_NOTHING, FETCH_RETRY, "connection failed: "},
	{CURLE_HTTP2, FETCH_RETRY, "connection failed: "},
	{CURLE_HTTP2_STREAM, FETCH_RETRY, "connection failed: "},
	{CURLE_SSL_CONNECT_ERROR, FETCH_RETRY, "connection failed: "},
	{CURLE_PEER_FAILED_VERIFICATION, FETCH_FATAL, "TLS certificate verification failed: "},
	{CURLE_UNSUPPORTED_PROTOCOL, FETCH_FATAL, "refused: "},
	{CURLE_BAD_CONTENT_ENCODING, FETCH_FATAL, "bad content encoding: "},
};

static fetch_verdict fetch_classify(CURL *h, CURLcode rc, const fetch_xfer *x, const fetch_opts *o,
                                    int conditional, const char *errbuf, char *out, size_t outlen)
{
	long status = 0;
	curl_off_t got = 0, expected = -1, connect_us = 0;
	char num[64];
	size_t i;
	const char *detail = errbuf[0] ? errbuf : curl_easy_strerror(rc);

	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &got);
	curl_easy_getinfo(h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expected);
	curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect_us);

	switch (rc) {
	case CURLE_OK:
		if (status == 200) {
			snprintf(out, outlen, "200, %zu bytes", x->body.len);
			return FETCH_DONE;
		}
		if (status == 304 && conditional) {
			snprintf(out, outlen, "not modified");
			return FETCH_NOTMOD;
		}
		if (status == 304) {
			snprintf(out, outlen, "HTTP 304 to an unconditional request");
			return FETCH_FATAL;
		}
		snprintf(out, outlen, "HTTP %ld", status);
		if (status == 408 || status == 429 || (status >= 500 && status <= 599))
			return FETCH_RETRY;
		return FETCH_FATAL;
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		if (x->header_over) {
			fetch_fmt_size(FETCH_MAX_HEADER_BYTES, num, sizeof(num));
			snprintf(out, outlen, "response headers exceed %s cap", num);
			return FETCH_FATAL;
		}
		fetch_fmt_size(x->max_body, num, sizeof(num));
		if (rc == CURLE_FILESIZE_EXCEEDED) {
			/* libcurl stops before recording the length, so read the header itself. */
			struct curl_header *cl = NULL;
			if (curl_easy_header(h, "Content-Length", 0, CURLH_HEADER, -1, &cl) ==
			    CURLHE_OK)
				snprintf(out, outlen, "response exceeds %s cap (Content-Length %s)", num,
				         cl->value);
			else
				snprintf(out, outlen, "response exceeds %s cap", num);
		} else if (x->over_cap) {
			snprintf(out, outlen, "response exceeds %s cap", num);
		} else {
			snprintf(out, outlen, "cannot store the body: %s", detail);
		}
		return FETCH_FATAL;
	case CURLE_ABORTED_BY_CALLBACK:
		if (x->too_slow) {
			fetch_fmt_secs(x->low_speed_ms, num, sizeof(num));
			snprintf(out, outlen, "too slow: under %ld bytes/s for %s (got %lld bytes)",
			         x->low_speed_bytes, num, (long long)got);
			return FETCH_RETRY;
		}
		fetch_fmt_secs(x->stall_ms, num, sizeof(num));
		snprintf(out, outlen, "stalled: no data for %s (got %lld bytes)", num, (long long)got);
		return FETCH_RETRY;
	case CURLE_OPERATION_TIMEDOUT:
		if (connect_us == 0) {
			fetch_fmt_secs(o->connect_timeout_ms, num, sizeof(num));
			snprintf(out, outlen, "connect timed out after %s", num);
		} else if (x->budget_cut) {
			fetch_fmt_secs(o->budget_ms, num, sizeof(num));
			snprintf(out, outlen, "fetch budget of %s spent (got %lld bytes)", num,
			         (long long)got);
			return FETCH_FATAL;
		} else {
			fetch_fmt_secs(x->timeout_ms, num, sizeof(num));
			snprintf(out, outlen, "timed out after %s (got %lld bytes)", num, (long long)got);
		}
		return FETCH_RETRY;
	case CURLE_PARTIAL_FILE:
		if (expected >= 0)
			snprintf(out, outlen, "body truncated (got %lld of %lld bytes)", (long long)got,
			         (long long)expected);
		else
			snprintf(out, outlen, "body truncated (got %lld bytes): %s", (long long)got,
			         detail);
		return FETCH_RETRY;
	case CURLE_OUT_OF_MEMORY:
		/* libcurl refuses a single header line over CURL_MAX_HTTP_HEADER (100 KiB) with
		 * this code before the header callback sees it. */
		if (!x->headers_done && got == 0) {
			snprintf(out, outlen, "response header line exceeds libcurl's 100 KiB limit");
			return FETCH_FATAL;
		}
		snprintf(out, outlen, "%s", detail);
		return FETCH_FATAL;
	case CURLE_TOO_MANY_REDIRECTS:
		snprintf(out, outlen, "too many redirects (more than %ld)", o->max_redirects);
		return FETCH_FATAL;
	default:
		for (i = 0; i < sizeof(fetch_curl_words) / sizeof(fetch_curl_words[0]); i++)
			if (fetch_curl_words[i].code == rc) {
				snprintf(out, outlen, "%s%s", fetch_curl_words[i].prefix, detail);
				return fetch_curl_words[i].verdict;
			}
		snprintf(out, outlen, "%s", detail);
		return FETCH_FATAL;
	}
}

static void fetch_log_add(fetch_result *res, time_t at, long elapsed_ms, long status, int ok,
                          const char *url, const char *outcome)
{
	fetch_attempt *a;

	res->log = iw_realloc(res->log, (res->nlog + 1) * sizeof(*res->log));
	a = &res->log[res->nlog++];
	a->at = at;
	a->elapsed_ms = elapsed_ms;
	a->http_status = status;
	a->ok = ok;
	a->url = fetch_redact(url);
	a->outcome = iw_strdup(outcome);
}

/* A response header of the last response (after redirects), or NULL. */
static char *fetch_header(CURL *h, const char *name)
{
	struct curl_header *hd = NULL;

	if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hd) != CURLHE_OK || !hd->value)
		return NULL;
	return iw_strdup(hd->value);
}

/* Whether url parses and names http or https, so that a typo is the user's error (IW_EINVAL),
 * not a network failure worth retrying. */
int fetch_url_check(const char *url, const char *shown)
{
	CURLU *u = curl_url();
	char *scheme = NULL;
	int err = IW_OK;

	if (!u || curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
		err = iw_error_set(IW_EINVAL, "%s: not a valid URL", shown);
	else if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0)
		err = iw_error_set(IW_EINVAL, "%s: only http:// and https:// URLs can be fetched",
		                   shown);
	curl_free(scheme);
	curl_url_cleanup(u);
	return err;
}

/* Appends the request header "name: value" to *hdrs. */
static int fetch_add_header(struct curl_slist **hdrs, const char *name, const char *value,
                            const char *shown)
{
	char *line = iw_asprintf("%s: %s", name, value);
	struct curl_slist *tmp = curl_slist_append(*hdrs, line);

	free(line);
	if (!tmp)
		return iw_error_set(IW_ENOMEM, "%s: out of memory", shown);
	*hdrs = tmp;
	return IW_OK;
}

int fetch_url(const fetch_opts *o, fetch_result *res)
{
	CURL *h = NULL;
	struct curl_slist *hdrs = NULL;
	fetch_xfer x;
	char errbuf[CURL_ERROR_SIZE];
	char outcome[FETCH_OUTCOME_MAX];
	char *ua = NULL, *shown = NULL;
	const char *eff;
	fetch_verdict v = FETCH_FATAL;
	int conditional = 0, err = IW_OK, attempt, out_of_budget = 0;
	int64_t run_start;
	long wait;

	memset(res, 0, sizeof(*res));
	memset(&x, 0, sizeof(x));
	if (!o || !o->url || !*o->url)
		return iw_error_set(IW_EINVAL, "fetch: no URL given");
	shown = fetch_redact(o->url);
	err = fetch_url_check(o->url, shown);
	if (err)
		goto out;
	if (o->attempts < 1 || o->max_body == 0 ||
	    o->max_redirects < 0 || o->timeout_ms < 0 || o->connect_timeout_ms < 0 ||
	    o->stall_ms < 0 || o->retry_base_ms < 0 || o->retry_max_ms < 0 ||
	    o->low_speed_bytes < 0 || o->low_speed_ms < 0 || o->budget_ms < 0) {
		err = iw_error_set(IW_EINVAL, "%s: invalid fetch options", shown);
		goto out;
	}
	/* Validators come back from the database; a line break would inject request headers. */
	if ((o->etag && strpbrk(o->etag, "\r\n")) ||
	    (o->last_modified && strpbrk(o->last_modified, "\r\n"))) {
		err = iw_error_set(IW_EINVAL, "%s: stored ETag or Last-Modified holds a line break",
		                   shown);
		goto out;
	}
	iw_buf_init(&x.body, o->max_body);
	x.max_body = o->max_body;
	x.stall_ms = o->stall_ms;
	x.low_speed_bytes = o->low_speed_bytes;
	x.low_speed_ms = o->low_speed_ms;

	h = curl_easy_init();
	if (!h) {
		err = iw_error_set(IW_ENET, "%s: cannot create a libcurl handle", shown);
		goto out;
	}
	if (o->etag && *o->etag) {
		if ((err = fetch_add_header(&hdrs, "If-None-Match", o->etag, shown)))
			goto out;
		conditional = 1;
	}
	if (o->last_modified && *o->last_modified) {
		if ((err = fetch_add_header(&hdrs, "If-Modified-Since", o->last_modified, shown)))
			goto out;
		conditional = 1;
	}
	ua = o->user_agent ? iw_strdup(o->user_agent) : iw_strdup("ianawatch/" IANAWATCH_VERSION);

	errbuf[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, o->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, o->max_redirects);
	curl_easy_setopt(h, CURLOPT_USERAGENT, ua);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, o->accept_gzip ? "gzip" : NULL);
	/* Explicit although they are libcurl's defaults: a fetch is never allowed to skip them. */
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	/* Refuses a declared Content-Length over the cap before any byte of body is read; the write
	 * callback covers chunked and compressed responses. */
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fetch_write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, fetch_header_cb);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, fetch_progress_cb);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, &x);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);

	run_start = fetch_mono_ms();
	for (attempt = 1; attempt <= o->attempts; attempt++) {
		time_t at = iw_now();
		int64_t t0 = fetch_mono_ms();
		long status = 0, left = o->budget_ms > 0 ? o->budget_ms - (long)(t0 - run_start) : 0;
		curl_off_t retry_after = 0;
		CURLcode rc;

		iw_buf_reset(&x.body);
		x.over_cap = 0;
		x.stalled = 0;
		x.last_dl = 0;
		x.last_data_ms = t0;
		x.too_slow = 0;
		x.sample_ms = t0;
		x.sample_dl = 0;
		x.slow_since_ms = 0;
		x.header_bytes = 0;
		x.header_over = 0;
		x.headers_done = 0;
		/* The budget bounds the run, so no attempt may outlast what is left of it. */
		if (left < 1 && o->budget_ms > 0)
			left = 1;
		x.timeout_ms = o->timeout_ms;
		x.budget_cut = o->budget_ms > 0 && (o->timeout_ms == 0 || left < o->timeout_ms);
		if (x.budget_cut)
			x.timeout_ms = left;
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, x.timeout_ms);
		curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
		                 o->budget_ms > 0 && left < o->connect_timeout_ms ? left
		                                                                  : o->connect_timeout_ms);
		errbuf[0] = '\0';
		rc = curl_easy_perform(h);
		res->attempts = attempt;
		v = fetch_classify(h, rc, &x, o, conditional, errbuf, outcome, sizeof(outcome));
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		eff = NULL;
		curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff);
		fetch_log_add(res, at, (long)(fetch_mono_ms() - t0), status,
		              v == FETCH_DONE || v == FETCH_NOTMOD, eff ? eff : o->url, outcome);
		res->http_status = status;
		free(res->effective_url);
		res->effective_url = fetch_redact(eff ? eff : o->url);
		if (v != FETCH_RETRY || attempt == o->attempts)
			break;
		curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &retry_after);
		wait = fetch_backoff_ms(o, attempt, retry_after);
		/* A retry that could not even start within the budget is not worth waiting for. */
		if (o->budget_ms > 0 && fetch_mono_ms() - run_start + wait >= o->budget_ms) {
			out_of_budget = 1;
			break;
		}
		fetch_sleep_ms(wait);
	}

	if (v == FETCH_DONE || v == FETCH_NOTMOD) {
		const char *ct = NULL;
		curl_off_t wire = 0;

		res->not_modified = v == FETCH_NOTMOD;
		res->etag = fetch_header(h, "ETag");
		res->last_modified = fetch_header(h, "Last-Modified");
		if (res->not_modified && !res->etag && o->etag && *o->etag)
			res->etag = iw_strdup(o->etag);
		if (res->not_modified && !res->last_modified && o->last_modified && *o->last_modified)
			res->last_modified = iw_strdup(o->last_modified);
		curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
		if (ct)
			res->content_type = iw_strdup(ct);
		curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &wire);
		res->wire_bytes = (int64_t)wire;
		/* iw_buf keeps its data NUL-terminated, which the caller is promised. */
		if (v == FETCH_DONE)
			res->body = (unsigned char *)iw_buf_detach(&x.body, &res->len);
		goto out;
	}

	if (res->effective_url && strcmp(res->effective_url, shown) != 0) {
		if (res->attempts > 1)
			err = iw_error_set(IW_ENET, "%s: %s after %d attempts (redirected to %s)", shown,
			                   outcome, res->attempts, res->effective_url);
		else
			err = iw_error_set(IW_ENET, "%s: %s (redirected to %s)", shown, outcome,
			                   res->effective_url);
	} else if (out_of_budget) {
		char secs[64];
		fetch_fmt_secs(o->budget_ms, secs, sizeof(secs));
		err = iw_error_set(IW_ENET, "%s: %s after %d attempt%s; no time left for another in "
		                   "the fetch budget of %s", shown, outcome, res->attempts,
		                   res->attempts == 1 ? "" : "s", secs);
	} else if (res->attempts > 1) {
		err = iw_error_set(IW_ENET, "%s: %s after %d attempts", shown, outcome, res->attempts);
	} else {
		err = iw_error_set(IW_ENET, "%s: %s", shown, outcome);
	}
	/* A document over the cap cannot be a registry: the verdict import gives it too. */
	if (x.over_cap || strstr(outcome, "response exceeds ") == outcome)
		err = iw_error_set(IW_EPARSE, "%s: %s", shown, outcome);
out:
	curl_easy_cleanup(h);
	curl_slist_free_all(hdrs);
	iw_buf_free(&x.body);
	free(ua);
	free(shown);
	return err;
}

const char *fetch_library_version(void)
{
	static char text[96];
	if (!text[0]) {
		const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
		snprintf(text, sizeof(text), "libcurl %s (%s)", v->version,
		         v->ssl_version ? v->ssl_version : "no TLS");
	}
	return text;
}
