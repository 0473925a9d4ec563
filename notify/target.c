/* target.c: notification targets: which kind, and how to show one without its secrets. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "notify/notify.h"
#include "common/banned.h"

static const struct {
	const char *prefix;
	notify_kind kind;
} notify_schemes[] = {
	{"https://", NOTIFY_WEBHOOK},     {"http://", NOTIFY_WEBHOOK},
	{"slack+https://", NOTIFY_SLACK}, {"slack+http://", NOTIFY_SLACK},
	{"ntfy+https://", NOTIFY_NTFY},   {"ntfy+http://", NOTIFY_NTFY},
	{"mailto:", NOTIFY_MAIL},
};

/* The scheme's length ("https://" included) and kind; 0 when the target has none known. */
static size_t notify_scheme(const char *t, notify_kind *kind)
{
	size_t i, n;
	for (i = 0; i < sizeof(notify_schemes) / sizeof(*notify_schemes); i++) {
		n = strlen(notify_schemes[i].prefix);
		if (strncasecmp(t, notify_schemes[i].prefix, n) == 0) {
			*kind = notify_schemes[i].kind;
			return n;
		}
	}
	return 0;
}

/* The host[:port] of a URL's authority (after any user:password@), as [start, end). */
static void notify_host(const char *auth, const char **start, const char **end)
{
	const char *e = auth + strcspn(auth, "/?#"), *at = NULL, *p;
	for (p = auth; p < e; p++)
		if (*p == '@')
			at = p;
	*start = at ? at + 1 : auth;
	*end = e;
}

char *notify_target_redact(const char *target)
{
	notify_kind kind;
	size_t n = notify_scheme(target, &kind);
	const char *hs, *he;
	if (!n)
		return iw_strdup("(unknown target)");
	if (kind == NOTIFY_MAIL)
		return iw_asprintf("mailto:%.*s", (int)strcspn(target + n, "?"), target + n);
	notify_host(target + n, &hs, &he);
	return iw_asprintf("%.*s%.*s/\xe2\x80\xa6", (int)n, target, (int)(he - hs), hs);
}

static int notify_host_ok(const char *s, const char *e)
{
	if (s == e)
		return 0;
	for (; s < e; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]_", *s))
			return 0;
	return 1;
}

int notify_target_check(const char *target, notify_kind *kind)
{
	size_t n = notify_scheme(target, kind);
	const char *p, *hs, *he;
	char *shown;
	int rc = IW_OK;

	if (!n)
		return iw_error_set(IW_EINVAL, "unknown notification target (expected https://, "
		                    "http://, slack+https://, ntfy+https:// or mailto:)");
	shown = notify_target_redact(target);
	for (p = target; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			rc = iw_error_set(IW_EINVAL, "%s: blanks or control characters in the target",
			                  shown);
			goto out;
		}
	if (*kind == NOTIFY_MAIL) {
		p = target + n;
		if (!*p || strchr(p, '?') || !strchr(p, '@') || strpbrk(p, "<>\"\\;"))
			rc = iw_error_set(IW_EINVAL, "%s: expected mailto:ADDRESS[,ADDRESS...]", shown);
		goto out;
	}
	notify_host(target + n, &hs, &he);
	if (!notify_host_ok(hs, he))
		rc = iw_error_set(IW_EINVAL, "%s: no host, or a bad one, in the URL", shown);
out:
	free(shown);
	return rc;
}
