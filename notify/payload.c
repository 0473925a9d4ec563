/* payload.c: what each kind of target receives for one change set, built once when queued. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "notify/notify.h"
#include "common/banned.h"

/* Reports of every record changing are ~10 MB; a notification of that is still sent whole. */
#define NOTIFY_PAYLOAD_CAP (64u * 1024 * 1024)

/* The parts every form is made of. */
typedef struct notify_parts {
	const char *summary;  /* one line, ASCII (dates and counts) */
	const char *title;    /* ntfy's Title, the mail's Subject */
	const char *json;     /* the change object, "{...}\n" */
	const char *markdown;
	const char *text;
	watch_severity highest;
	int64_t to_id;
} notify_parts;

/* Quoted-printable (RFC 2045): lines of at most 76 characters, so that no mail system
 * rewrites or cuts the long lines of a report. Lines end in LF: sendmail takes local mail
 * so and makes them CRLF itself. */
static void notify_qp(iw_buf *out, const char *s)
{
	size_t col = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int plain = (c >= 33 && c <= 126 && c != '=') ||
		            ((c == ' ' || c == '\t') && s[1] && s[1] != '\n');
		if (c == '\n') {
			iw_buf_adds(out, "\n");
			col = 0;
			continue;
		}
		if (col + (plain ? 1 : 3) > 75) {
			iw_buf_adds(out, "=\n");
			col = 0;
		}
		if (plain) {
			iw_buf_addc(out, (char)c);
			col++;
		} else {
			iw_buf_printf(out, "=%02X", c);
			col += 3;
		}
	}
	if (col)
		iw_buf_adds(out, "\n");
}

/* The notification of p in the form target's kind takes; n is emptied first. */
static int notify_form(const char *target, const notify_parts *p, time_t now,
                       store_notification *n)
{
	static const char *const priority[WATCH_NSEVERITIES] = {"low", "default", "high"};
	iw_buf b = IW_BUF_INIT(NOTIFY_PAYLOAD_CAP), h = IW_BUF_INIT(64 * 1024);
	char date[64], host[256];
	notify_kind kind;
	struct tm tm;
	int rc;

	memset(n, 0, sizeof(*n));
	if ((rc = notify_target_check(target, &kind)))
		goto out;
	switch (kind) {
	case NOTIFY_WEBHOOK:
		/* The diff object with the summary first: '{' "summary": ..., then the rest. */
		iw_buf_adds(&b, "{\"summary\": ");
		iw_buf_add_json_str(&b, p->summary);
		iw_buf_adds(&b, ", ");
		iw_buf_adds(&b, p->json + 1);
		n->content_type = iw_strdup("application/json");
		break;
	case NOTIFY_SLACK:
		iw_buf_adds(&b, "{\"text\": ");
		iw_buf_add_json_str(&b, p->markdown);
		iw_buf_adds(&b, "}\n");
		n->content_type = iw_strdup("application/json");
		break;
	case NOTIFY_NTFY:
		iw_buf_adds(&b, p->text);
		iw_buf_printf(&h, "Title: %s\nPriority: %s\nTags: ianawatch\n", p->title,
		              priority[p->highest]);
		n->content_type = iw_strdup("text/plain; charset=utf-8");
		break;
	case NOTIFY_MAIL:
		gmtime_r(&now, &tm);
		strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
		if (gethostname(host, sizeof(host)) != 0 || !host[0] || strpbrk(host, " <>@\n"))
			snprintf(host, sizeof(host), "localhost");
		host[sizeof(host) - 1] = '\0';
		iw_buf_printf(&b, "To: %s\n", target + strlen("mailto:"));
		iw_buf_printf(&b, "Subject: [ianawatch] %s\n", p->title);
		iw_buf_printf(&b, "Date: %s\n", date);
		iw_buf_printf(&b, "Message-ID: <ianawatch.%lld.%lld.%ld@%s>\n", (long long)p->to_id,
		              (long long)now, (long)getpid(), host);
		iw_buf_adds(&b, "MIME-Version: 1.0\n"
		                "Content-Type: text/plain; charset=utf-8\n"
		                "Content-Transfer-Encoding: quoted-printable\n"
		                "Auto-Submitted: auto-generated\n\n");
		notify_qp(&b, p->markdown);
		n->content_type = iw_strdup("message/rfc822");
		break;
	}
	if ((rc = iw_buf_error(&b)) || (rc = iw_buf_error(&h)))
		goto out;
	n->target = iw_strdup(target);
	n->shown = notify_target_redact(target);
	n->headers = h.len ? iw_buf_detach(&h, NULL) : NULL;
	n->body = (unsigned char *)iw_buf_detach(&b, &n->len);
	n->created_at = now;
	n->next_at = now;
out:
	iw_buf_free(&b);
	iw_buf_free(&h);
	if (rc)
		store_notification_clear(n);
	return rc;
}

int notify_build(const char *target, const report_changeset *cs, time_t now,
                 store_notification *n)
{
	iw_buf sum = IW_BUF_INIT(4096), title = IW_BUF_INIT(4096), json = IW_BUF_INIT(NOTIFY_PAYLOAD_CAP),
	       md = IW_BUF_INIT(NOTIFY_PAYLOAD_CAP), text = IW_BUF_INIT(NOTIFY_PAYLOAD_CAP);
	notify_parts p;
	int rc;

	memset(n, 0, sizeof(*n));
	report_changeset_summary(&sum, cs);
	iw_buf_printf(&title, "IANA registry changes %s -> %s (%s)", cs->from.registry_updated,
	              cs->to.registry_updated, watch_severity_names[cs->highest]);
	report_changeset_render(&json, cs, REPORT_JSON);
	report_changeset_render(&md, cs, REPORT_MARKDOWN);
	report_changeset_render(&text, cs, REPORT_TEXT);
	if ((rc = iw_buf_error(&sum)) || (rc = iw_buf_error(&title)) || (rc = iw_buf_error(&json)) ||
	    (rc = iw_buf_error(&md)) || (rc = iw_buf_error(&text)))
		goto out;
	memset(&p, 0, sizeof(p));
	p.summary = sum.data;
	p.title = title.data;
	p.json = json.data;
	p.markdown = md.data ? md.data : "";
	p.text = text.data ? text.data : "";
	p.highest = cs->highest;
	p.to_id = cs->to.id;
	if ((rc = notify_form(target, &p, now, n)) == IW_OK) {
		n->from_id = cs->from.id;
		n->to_id = cs->to.id;
	}
out:
	iw_buf_free(&sum);
	iw_buf_free(&title);
	iw_buf_free(&json);
	iw_buf_free(&md);
	iw_buf_free(&text);
	return rc;
}

int notify_build_sample(const char *target, time_t now, store_notification *n)
{
	static const notify_parts sample = {
		.summary = "ianawatch test notification: this target works",
		.title = "ianawatch test notification",
		.json = "{\"test\": true, \"from\": null, \"to\": null,\n \"changes\": [],\n "
		        "\"people\": []}\n",
		.markdown = "## ianawatch test notification\n\n"
		            "This target works: changes to the IANA service-name and port-number "
		            "registry will be sent here.\n",
		.text = "ianawatch test notification: this target works. Changes to the IANA "
		        "service-name and port-number registry will be sent here.\n",
		.highest = WATCH_LOW,
	};
	return notify_form(target, &sample, now, n);
}
