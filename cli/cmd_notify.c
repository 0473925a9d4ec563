/* cmd_notify.c: `ianawatch notify --test TARGET`: sends a sample notification to check a target. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "fetch/fetch.h"
#include "notify/notify.h"
#include "common/banned.h"

static struct {
	cli_strings targets;
	long timeout_ms;
} notify_args;

static int notify_parse_target(const char *s, void *out)
{
	cli_strings *l = out;
	notify_kind kind;
	int rc = notify_target_check(s, &kind);
	if (rc)
		return rc;
	l->v = iw_realloc((void *)l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = s;
	return IW_OK;
}

static int notify_parse_seconds(const char *s, void *out)
{
	char *end;
	double v;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v <= 0 || v > 3600)
		return iw_error_set(IW_EINVAL, "expected a number of seconds (0 < S <= 3600), not %s",
		                    cli_quote(s));
	*(long *)out = (long)(v * 1000.0 + 0.5) > 0 ? (long)(v * 1000.0 + 0.5) : 1;
	return IW_OK;
}

static const cli_option notify_options[] = {
	{"test", 0, CLI_OPT_CALL, "TARGET",
	 "send a sample notification to TARGET (repeatable): https://...,\n"
	 "slack+https://..., ntfy+https://... or mailto:ADDR",
	 &notify_args.targets, 0, 0, notify_parse_target},
	{"timeout", 0, CLI_OPT_CALL, "S", "give up a try after S seconds (default 30)",
	 &notify_args.timeout_ms, 0, 0, notify_parse_seconds},
	{"help", 'h', CLI_OPT_HELP, NULL, "this help", NULL, 0, 0, NULL},
	{NULL, 0, CLI_OPT_END, NULL, NULL, NULL, 0, 0, NULL},
};

static const cli_command_spec notify_spec = {
	"notify",
	"ianawatch notify --test TARGET... [--timeout S]",
	"Sends a sample notification to each TARGET, in the form `fetch --notify TARGET` sends\n"
	"change sets (see ianawatch(1)), to check that it arrives. Nothing is queued and the\n"
	"database is not opened. Targets are shown as scheme://host/... only.",
	notify_options,
	"Environment: SENDMAIL (default /usr/sbin/sendmail), IANAWATCH_NOTIFY_TIMEOUT_MS.\n"
	"Exit status: 0 every sample was delivered; 2 bad command line; 7 a delivery failed\n"
	"(said on stderr).",
};

const cli_command_spec *cli_spec_notify(void)
{
	return &notify_spec;
}

int cmd_notify(cli_ctx *ctx, int argc, char **argv)
{
	notify_opts o;
	size_t i;
	int n, rc, status = EXIT_OK;

	memset(&notify_args, 0, sizeof(notify_args));
	if ((rc = cli_parse_options(&notify_spec, ctx, argc, argv, &n)) != CLI_PARSED) {
		free((void *)notify_args.targets.v);
		return rc == CLI_HELPED ? EXIT_OK : rc;
	}
	if (n > 0 || notify_args.targets.n == 0) {
		free((void *)notify_args.targets.v);
		return n > 0 ? cli_usage_error("unexpected argument %s (targets go after --test)",
		                               cli_quote(argv[1]))
		             : cli_usage_error("nothing to do: give --test TARGET");
	}
	notify_opts_init(&o);
	if (notify_args.timeout_ms)
		o.timeout_ms = notify_args.timeout_ms;
	if ((rc = fetch_global_init())) {
		free((void *)notify_args.targets.v);
		return cli_fail(rc);
	}
	for (i = 0; i < notify_args.targets.n; i++) {
		store_notification sample;
		if ((rc = notify_build_sample(notify_args.targets.v[i], iw_now(), &sample)) == IW_OK)
			rc = notify_send(&o, &sample);
		if (rc == IW_OK) {
			if (!ctx->quiet)
				printf("%s: sample delivered\n", sample.shown);
		} else {
			cli_error("%s", iw_error_last());
			status = EXIT_NET;
		}
		notify_payload_clear(&sample);
	}
	fetch_global_cleanup();
	free((void *)notify_args.targets.v);
	return status;
}
