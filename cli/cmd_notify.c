/* cmd_notify.c: `ianawatch notify --test TARGET`: sends a sample notification to check a target. */
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

static int notify_parse_seconds(const char *s, void *out)
{
	return cli_parse_seconds(s, 3600, out);
}

static const cli_option notify_options[] = {
	CLI_OPTION_CALL(0, "test", "TARGET", &notify_args.targets, cli_parse_notify_target,
	                "send a sample notification to TARGET (repeatable): https://...,\n"
	                "slack+https://..., ntfy+https://... or mailto:ADDR"),
	CLI_OPTION_CALL(0, "timeout", "S", &notify_args.timeout_ms, notify_parse_seconds,
	                "give up a try after S seconds (default 30)"),
	CLI_OPTION_HELP,
	CLI_OPTION_END,
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
	NULL, 0, "targets go after --test",
};

CLI_DEFINE_SPEC(notify, notify_spec)

int cmd_notify(cli_ctx *ctx, int argc, char **argv)
{
	notify_opts o;
	size_t i;
	int n, rc, status = EXIT_OK;

	memset(&notify_args, 0, sizeof(notify_args));
	if ((rc = cli_parse_options(&notify_spec, ctx, argc, argv, &n)) != CLI_PARSED) {
		free((void *)notify_args.targets.v);
		return rc;
	}
	if (notify_args.targets.n == 0)
		return cli_usage_error("nothing to do: give --test TARGET");
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
		store_notification_clear(&sample);
	}
	fetch_global_cleanup();
	free((void *)notify_args.targets.v);
	return status;
}
