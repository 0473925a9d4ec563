/* send.c: one delivery try (libcurl POST, or sendmail), and the queue run of each fetch. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "notify/notify.h"
#include "common/banned.h"

/* A receiver's answer says nothing the status does not: it is dropped. */
static size_t notify_discard(char *ptr, size_t size, size_t nmemb, void *arg)
{
	(void)ptr;
	(void)arg;
	return size * nmemb;
}

static long notify_env_long(const char *name, long def, long lo, long hi)
{
	const char *s = getenv(name);
	char *end;
	long v;
	if (!s || !*s)
		return def;
	errno = 0;
	v = strtol(s, &end, 10);
	return errno || *end || v < lo || v > hi ? def : v;
}

void notify_opts_init(notify_opts *o)
{
	const char *sm = getenv("SENDMAIL");
	memset(o, 0, sizeof(*o));
	o->timeout_ms = notify_env_long("IANAWATCH_NOTIFY_TIMEOUT_MS", NOTIFY_TIMEOUT_MS, 1, 3600000L);
	o->sendmail = sm && *sm ? sm : NOTIFY_DEFAULT_SENDMAIL;
	o->max_age_s = NOTIFY_MAX_AGE_S;
	o->retry_base_s = NOTIFY_RETRY_BASE_S;
	o->retry_max_s = NOTIFY_RETRY_MAX_S;
}

static int notify_http(const notify_opts *o, const store_notification *n)
{
	const char *url = n->target;
	struct curl_slist *hdrs = NULL;
	char line[1024];
	const char *p, *nl;
	CURL *c;
	CURLcode cc;
	long status = 0;
	int rc = IW_OK;

	/* slack+https://... and ntfy+https://... are posted to https://... */
	if (strncasecmp(url, "slack+", 6) == 0 || strncasecmp(url, "ntfy+", 5) == 0)
		url = strchr(url, '+') + 1;
	if (!(c = curl_easy_init()))
		return iw_error_set(IW_ENOMEM, "%s: cannot start libcurl", n->shown);
	snprintf(line, sizeof(line), "Content-Type: %s",
	         n->content_type ? n->content_type : "application/octet-stream");
	hdrs = curl_slist_append(hdrs, line);
	/* No "Expect: 100-continue" wait on larger bodies. */
	hdrs = curl_slist_append(hdrs, "Expect:");
	for (p = n->headers; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		snprintf(line, sizeof(line), "%.*s", (int)(nl ? nl - p : (long)strlen(p)), p);
		hdrs = curl_slist_append(hdrs, line);
		if (!nl)
			break;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, (const char *)n->body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n->len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "ianawatch/" IANAWATCH_VERSION);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, o->timeout_ms < 15000 ? o->timeout_ms : 15000L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, notify_discard);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	/* libcurl's own messages can quote the URL: only its generic text is said. */
	if (cc == CURLE_OPERATION_TIMEDOUT)
		rc = iw_error_set(IW_ENET, "%s: timed out after %g s", n->shown,
		                  (double)o->timeout_ms / 1000.0);
	else if (cc != CURLE_OK)
		rc = iw_error_set(IW_ENET, "%s: %s", n->shown, curl_easy_strerror(cc));
	else if (status < 200 || status > 299)
		rc = iw_error_set(IW_ENET, "%s: HTTP %ld", n->shown, status);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	return rc;
}

static long notify_ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)(t.tv_sec - t0->tv_sec) * 1000L + (t.tv_nsec - t0->tv_nsec) / 1000000L;
}

/* Writes the message to sendmail's standard input within the time left; 0 when all of it
 * went, -1 on a closed pipe or the deadline. */
static int notify_feed(int fd, const store_notification *n, long timeout_ms,
                       const struct timespec *t0)
{
	size_t done = 0;
	while (done < n->len) {
		struct pollfd p;
		long left = timeout_ms - notify_ms_since(t0);
		ssize_t w;
		if (left <= 0)
			return -1;
		p.fd = fd;
		p.events = POLLOUT;
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR)
			return -1;
		w = write(fd, n->body + done, n->len - done);
		if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	return 0;
}

/* sendmail -t -oi, the message on its standard input; its exit status decides. A sendmail
 * that hangs is killed after the timeout, as a stalled receiver is dropped. */
static int notify_mail(const notify_opts *o, const store_notification *n)
{
	int fds[2], status = 0, rc = IW_OK, fed, timed_out = 0;
	struct sigaction ign, old;
	struct timespec t0, pause = {0, 10 * 1000000L};
	pid_t pid, got;

	if (pipe(fds) != 0)
		return iw_error_set(IW_ENET, "%s: pipe: %s", n->shown, strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return iw_error_set(IW_ENET, "%s: fork: %s", n->shown, strerror(errno));
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		dup2(fds[0], 0);
		/* sendmail's chatter is not ianawatch's output. */
		if (devnull >= 0)
			dup2(devnull, 1);
		close(fds[0]);
		close(fds[1]);
		execlp(o->sendmail, o->sendmail, "-t", "-oi", (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK);
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	fed = notify_feed(fds[1], n, o->timeout_ms, &t0);
	close(fds[1]);
	sigaction(SIGPIPE, &old, NULL);
	while ((got = waitpid(pid, &status, WNOHANG)) == 0 || (got < 0 && errno == EINTR)) {
		if (got == 0 && notify_ms_since(&t0) >= o->timeout_ms) {
			kill(pid, SIGKILL);
			timed_out = 1;
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			break;
		}
		nanosleep(&pause, NULL);
	}
	if (timed_out)
		rc = iw_error_set(IW_ENET, "%s: %s timed out after %g s", n->shown, o->sendmail,
		                  (double)o->timeout_ms / 1000.0);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		rc = iw_error_set(IW_ENET, "%s: cannot run %s", n->shown, o->sendmail);
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		rc = iw_error_set(IW_ENET, "%s: %s exited with status %d", n->shown, o->sendmail,
		                  WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	else if (fed != 0)
		rc = iw_error_set(IW_ENET, "%s: %s did not read the whole message", n->shown,
		                  o->sendmail);
	return rc;
}

int notify_send(const notify_opts *o, const store_notification *n)
{
	notify_kind kind;
	int rc;
	if ((rc = notify_target_check(n->target, &kind)))
		return rc;
	return kind == NOTIFY_MAIL ? notify_mail(o, n) : notify_http(o, n);
}

static long notify_backoff(const notify_opts *o, int attempts)
{
	long wait = o->retry_base_s;
	while (--attempts > 0 && wait < o->retry_max_s)
		wait *= 2;
	return wait < o->retry_max_s ? wait : o->retry_max_s;
}

int notify_deliver(store *s, const notify_opts *o, time_t now, int verbose, iw_buf *msgs,
                   notify_stats *stats)
{
	store_notification *v = NULL;
	size_t n = 0, i;
	char when[21];
	int rc;

	memset(stats, 0, sizeof(*stats));
	if ((rc = store_notify_list(s, 1, &v, &n)))
		return rc;
	for (i = 0; i < n && rc == IW_OK; i++) {
		store_notification *e = &v[i];
		if (now - e->created_at > o->max_age_s) {
			iw_time_format(e->created_at, when);
			iw_buf_printf(msgs, "notification to %s of snapshots %lld -> %lld dropped: queued "
			              "since %s, %d failed attempt%s (last: %s)\n", e->shown,
			              (long long)e->from_id, (long long)e->to_id, when, e->attempts,
			              e->attempts == 1 ? "" : "s",
			              e->last_error ? e->last_error : "none");
			stats->expired++;
			rc = store_notify_remove(s, e->id);
			continue;
		}
		if (e->next_at > now) {
			stats->waiting++;
			continue;
		}
		if (notify_send(o, e) == IW_OK) {
			stats->delivered++;
			if (verbose)
				iw_buf_printf(msgs, "notification to %s of snapshots %lld -> %lld delivered\n",
				              e->shown, (long long)e->from_id, (long long)e->to_id);
			rc = store_notify_remove(s, e->id);
		} else {
			char *err = iw_strdup(iw_error_last());
			time_t next = now + notify_backoff(o, e->attempts + 1);
			iw_error_clear();
			iw_time_format(next, when);
			iw_buf_printf(msgs, "notification of snapshots %lld -> %lld failed (attempt %d; "
			              "kept, next try after %s): %s\n", (long long)e->from_id,
			              (long long)e->to_id, e->attempts + 1, when, err);
			stats->failed++;
			rc = store_notify_failed(s, e->id, e->attempts + 1, next, err);
			free(err);
		}
	}
	store_notifications_free(v, n);
	return rc;
}
