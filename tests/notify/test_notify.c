/* test_notify.c: notification targets, their redaction, payloads and the config file (issue 15). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "notify/notify.h"
#include "common/banned.h"

/* ---- targets ------------------------------------------------------------------------------- */

typedef struct target_case {
	const char *target;
	int ok;
	notify_kind kind;
	const char *shown;
} target_case;

static const target_case target_cases[] = {
	{"https://hooks.example.org/services/T0/B0/XXXX", 1, NOTIFY_WEBHOOK,
	 "https://hooks.example.org/\xe2\x80\xa6"},
	{"http://user:pw@127.0.0.1:8080/hook?token=abc", 1, NOTIFY_WEBHOOK,
	 "http://127.0.0.1:8080/\xe2\x80\xa6"},
	{"HTTPS://Example.org", 1, NOTIFY_WEBHOOK, "HTTPS://Example.org/\xe2\x80\xa6"},
	{"slack+https://hooks.slack.com/services/T/B/secret", 1, NOTIFY_SLACK,
	 "slack+https://hooks.slack.com/\xe2\x80\xa6"},
	{"ntfy+https://ntfy.sh/my-secret-topic", 1, NOTIFY_NTFY, "ntfy+https://ntfy.sh/\xe2\x80\xa6"},
	{"mailto:ports@example.org", 1, NOTIFY_MAIL, "mailto:ports@example.org"},
	{"mailto:a@example.org,b@example.org", 1, NOTIFY_MAIL, "mailto:a@example.org,b@example.org"},
	{"mailto:", 0, NOTIFY_MAIL, NULL},
	{"mailto:nobody", 0, NOTIFY_MAIL, NULL},
	{"mailto:a@b?subject=x", 0, NOTIFY_MAIL, NULL},
	{"mailto:a@b\nBcc: c@d", 0, NOTIFY_MAIL, NULL},
	{"https://", 0, NOTIFY_WEBHOOK, NULL},
	{"https://user:secret@/x", 0, NOTIFY_WEBHOOK, NULL},
	{"https://exa mple.org/", 0, NOTIFY_WEBHOOK, NULL},
	{"ftp://example.org/", 0, NOTIFY_WEBHOOK, NULL},
	{"", 0, NOTIFY_WEBHOOK, NULL},
};

static void test_targets(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(target_cases) / sizeof(*target_cases); i++) {
		const target_case *c = &target_cases[i];
		notify_kind kind;
		int rc = notify_target_check(c->target, &kind);
		if (c->ok) {
			char *shown = notify_target_redact(c->target);
			assert_int_equal(rc, IW_OK);
			assert_int_equal(kind, c->kind);
			assert_string_equal(shown, c->shown);
			free(shown);
		} else {
			assert_int_equal(rc, IW_EINVAL);
			/* The message never holds the secret parts. */
			assert_null(strstr(iw_error_last(), "secret"));
		}
		iw_error_clear();
	}
}

/* ---- samples: one per kind ----------------------------------------------------------------- */

static void test_samples(void **state)
{
	store_notification n;
	const char *p;
	size_t line;
	(void)state;

	assert_int_equal(notify_build_sample("https://u:secret@h.example/x?k=secret", 86400, &n), IW_OK);
	assert_string_equal(n.content_type, "application/json");
	assert_string_equal(n.shown, "https://h.example/\xe2\x80\xa6");
	assert_true(strncmp((const char *)n.body, "{\"summary\": \"ianawatch test notification", 40) == 0);
	assert_non_null(strstr((const char *)n.body, "\"changes\": []"));
	assert_null(n.headers);
	store_notification_clear(&n);

	assert_int_equal(notify_build_sample("slack+https://h.example/x", 0, &n), IW_OK);
	assert_true(strncmp((const char *)n.body, "{\"text\": \"## ianawatch test notification\\n", 41) == 0);
	store_notification_clear(&n);

	assert_int_equal(notify_build_sample("ntfy+https://h.example/topic", 0, &n), IW_OK);
	assert_string_equal(n.headers, "Title: ianawatch test notification\nPriority: low\n"
	                               "Tags: ianawatch\n");
	store_notification_clear(&n);

	/* 1970-01-02 00:00:00 UTC */
	assert_int_equal(notify_build_sample("mailto:ops@example.org", 86400, &n), IW_OK);
	assert_non_null(strstr((const char *)n.body, "To: ops@example.org\n"));
	assert_non_null(strstr((const char *)n.body, "Date: Fri, 02 Jan 1970 00:00:00 +0000\n"));
	assert_non_null(strstr((const char *)n.body, "Content-Type: text/plain; charset=utf-8\n"));
	assert_non_null(strstr((const char *)n.body, "Content-Transfer-Encoding: quoted-printable\n"));
	/* Quoted-printable keeps every line within 76 characters. */
	for (p = (const char *)n.body, line = 0; *p; p++) {
		line = *p == '\n' ? 0 : line + 1;
		assert_true(line <= 76);
	}
	store_notification_clear(&n);

	assert_int_equal(notify_build_sample("gopher://x/", 0, &n), IW_EINVAL);
	iw_error_clear();
}

/* ---- the config file -------------------------------------------------------------------------- */

typedef struct config_case {
	const char *text;
	int rc;
	const char *error;    /* the message's end after "PATH" */
	size_t nnotify;
	const char *watch;    /* relative to the file's folder, "" for none */
	const char *min;
	long max_age_s;
} config_case;

static const config_case config_cases[] = {
	{"# ianawatch\n\nnotify = https://h.example/x\nnotify=mailto:a@b.example\n"
	 "watch = my-ports\nmin-severity = medium\nnotify-max-age = 3\n",
	 IW_OK, NULL, 2, "my-ports", "medium", 3 * 86400},
	{"watch = /etc/ianawatch/ports\r\n", IW_OK, NULL, 0, "/etc/ianawatch/ports", NULL, 0},
	{"", IW_OK, NULL, 0, "", NULL, 0},
	{"notify https://h/x\n", IW_EINVAL, ":1: expected `key = value`", 0, "", NULL, 0},
	{"\nnotify = ftp://h/x\n", IW_EINVAL, ":2: unknown notification target (expected https://, "
	 "http://, slack+https://, ntfy+https:// or mailto:)", 0, "", NULL, 0},
	{"colour = blue\n", IW_EINVAL, ":1: unknown setting 'colour' (expected notify, watch, "
	 "min-severity or notify-max-age)", 0, "", NULL, 0},
	{"notify-max-age = 0\n", IW_EINVAL, ":1: notify-max-age: expected a number of days (1..365)",
	 0, "", NULL, 0},
	{"min-severity = urgent\n", IW_EINVAL, NULL, 0, "", NULL, 0},
	{"watch =\n", IW_EINVAL, ":1: watch has no value", 0, "", NULL, 0},
};

static void test_config(void **state)
{
	char dir[] = "/tmp/iwnotifyXXXXXX", path[64], want[256];
	size_t i;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/config", dir);
	for (i = 0; i < sizeof(config_cases) / sizeof(*config_cases); i++) {
		const config_case *c = &config_cases[i];
		notify_config cfg;
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(c->text, f);
		fclose(f);
		assert_int_equal(notify_config_read(path, 1, &cfg), c->rc);
		if (c->rc) {
			if (c->error) {
				snprintf(want, sizeof(want), "%s%s", path, c->error);
				assert_string_equal(iw_error_last(), want);
			}
			iw_error_clear();
			continue;
		}
		assert_int_equal(cfg.nnotify, c->nnotify);
		if (*c->watch == '/')
			assert_string_equal(cfg.watch, c->watch);
		else if (*c->watch) {
			snprintf(want, sizeof(want), "%s/%s", dir, c->watch);
			assert_string_equal(cfg.watch, want);
		} else
			assert_null(cfg.watch);
		if (c->min)
			assert_string_equal(cfg.min_severity, c->min);
		assert_int_equal(cfg.max_age_s, c->max_age_s);
		notify_config_clear(&cfg);
	}
	unlink(path);
	/* A missing file: an empty config, unless it was asked for. */
	{
		notify_config cfg;
		assert_int_equal(notify_config_read(path, 0, &cfg), IW_OK);
		assert_int_equal(cfg.nnotify, 0);
		assert_int_not_equal(notify_config_read(path, 1, &cfg), IW_OK);
		iw_error_clear();
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
