/*
 * notify.h: notifications of change sets (fetch --notify, `ianawatch notify`; issue 15).
 *
 * A target is a string (command line or config file):
 *   https://HOST/PATH, http://...     POST of the change set's JSON (`diff --format json`'s
 *                                     object with a "summary" member first)
 *   slack+https://HOST/PATH           POST of {"text": MARKDOWN} (Slack, Mattermost)
 *   ntfy+https://HOST/TOPIC           POST of the text report, with Title and Priority headers
 *                                     (Priority from the highest severity: high, default, low)
 *   mailto:ADDR[,ADDR...]             a mail through sendmail(1) ($SENDMAIL, default
 *                                     /usr/sbin/sendmail, run as `sendmail -t -oi`): Subject,
 *                                     Date, Message-ID, MIME UTF-8 quoted-printable text, the
 *                                     Markdown report as the body
 * Targets may hold secrets (user:password@, tokens in the path or query of a webhook): they
 * are shown only as notify_target_redact() gives them, in every message, log and listing.
 *
 * Two halves, as ingest/: iw_notify (targets, payloads, the config file; no network) and
 * iw_notify_net (notify_send(), notify_deliver(): + libcurl), so that the reading program
 * never loads libcurl. Nothing here prints. Ownership: every result is the caller's, released
 * with the matching *_free() / store_notifications_free(), which accept NULL.
 */
#ifndef IANAWATCH_NOTIFY_H
#define IANAWATCH_NOTIFY_H

#include <stddef.h>
#include <time.h>

#include "common/common.h"
#include "reports/reports.h"
#include "store/store.h"

typedef enum notify_kind {
	NOTIFY_WEBHOOK = 0,
	NOTIFY_SLACK,
	NOTIFY_NTFY,
	NOTIFY_MAIL
} notify_kind;

/* Defaults: a queued notification is dropped (and said so) when older than this; the first
 * retry waits NOTIFY_RETRY_BASE_S, each next one twice as long, at most NOTIFY_RETRY_MAX_S;
 * one try gives up after NOTIFY_TIMEOUT_MS. */
#define NOTIFY_MAX_AGE_S (7L * 86400)
#define NOTIFY_RETRY_BASE_S 300L
#define NOTIFY_RETRY_MAX_S (6L * 3600)
#define NOTIFY_TIMEOUT_MS 30000L
#define NOTIFY_DEFAULT_SENDMAIL "/usr/sbin/sendmail"

/* IW_OK and *kind when target is one of the forms above (a URL with a host; an address
 * without blanks or control characters); else IW_EINVAL naming the redacted target. */
int notify_target_check(const char *target, notify_kind *kind);
/* The target without secrets: "scheme://host[:port]/…" for URLs (nothing of the user, path
 * or query), "mailto:ADDR" for mail. malloc()ed. */
char *notify_target_redact(const char *target);

/* Builds the notification of cs for target: target, shown, content_type, headers and body
 * set (from_id and to_id from cs, created_at = now). Release with store_notification_clear(). */
int notify_build(const char *target, const report_changeset *cs, time_t now,
                 store_notification *n);
/* The sample `ianawatch notify --test` sends: the same forms, with a made-up change set
 * (no database needed). */
int notify_build_sample(const char *target, time_t now, store_notification *n);

/* ---- the config file ----------------------------------------------------------------------- */

/*
 * One setting a line, `key = value`; '#' starts a comment line; blank lines are ignored:
 *   notify = TARGET          (repeatable)
 *   watch = FILE             (relative: from the config file's folder)
 *   min-severity = low|medium|high
 *   notify-max-age = DAYS    (1..365)
 * An unknown key or a bad value is an IW_EINVAL error "PATH:LINE: why".
 */
typedef struct notify_config {
	char **notify;
	size_t nnotify;
	char *watch;             /* NULL when not set */
	char *min_severity;      /* NULL when not set */
	long max_age_s;          /* 0 when not set */
} notify_config;

/* The path: $IANAWATCH_CONFIG, else $XDG_CONFIG_HOME/ianawatch/config, else
 * ~/.config/ianawatch/config. malloc()ed. */
char *notify_config_default_path(void);
/* Reads path; a missing file is an empty config unless required (then IW_EIO). */
int notify_config_read(const char *path, int required, notify_config *out);
void notify_config_clear(notify_config *c);

/* ---- delivery (iw_notify_net) ---------------------------------------------------------------- */

typedef struct notify_opts {
	long timeout_ms;         /* one try (default NOTIFY_TIMEOUT_MS; $IANAWATCH_NOTIFY_TIMEOUT_MS) */
	const char *sendmail;    /* $SENDMAIL, else NOTIFY_DEFAULT_SENDMAIL */
	long max_age_s;          /* NOTIFY_MAX_AGE_S */
	long retry_base_s, retry_max_s;
} notify_opts;
void notify_opts_init(notify_opts *o);

/* One try of n (as stored). IW_OK when delivered (HTTP 2xx; sendmail exiting 0); else IW_ENET
 * with a message naming n->shown and what happened, never the secret parts. Needs
 * fetch_global_init() (libcurl's global init) for HTTP targets. */
int notify_send(const notify_opts *o, const store_notification *n);

typedef struct notify_stats {
	size_t delivered, failed, expired, waiting; /* waiting: queued, not due yet */
} notify_stats;

/* Tries every queued notification that is due at `now`, oldest first: a delivered one leaves
 * the queue; a failed one stays, with its attempts counted and its next try at
 * now + retry_base_s * 2^(attempts-1) (at most retry_max_s); one queued more than max_age_s
 * ago is dropped instead. Each outcome but a delivery appends one line (no newline inside) to
 * msgs; deliveries go to msgs only when verbose. Returns IW_OK or the store's error. */
int notify_deliver(store *s, const notify_opts *o, time_t now, int verbose, iw_buf *msgs,
                   notify_stats *stats);

#endif
