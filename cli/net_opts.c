/* net_opts.c: option parsers that only ianawatch-net's commands (fetch, notify) need. */
#include <stdlib.h>

#include "cli/cli.h"
#include "notify/notify.h"
#include "common/banned.h"

int cli_parse_notify_target(const char *arg, void *value)
{
	cli_strings *l = value;
	notify_kind kind;
	int rc = notify_target_check(arg, &kind);
	if (rc)
		return rc;
	l->v = iw_realloc((void *)l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = arg;
	return IW_OK;
}
