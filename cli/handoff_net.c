/* handoff_net.c: in ianawatch, fetch, import-git and notify run in ianawatch-net (see cli.h). */
#include "cli/cli.h"
#include "common/banned.h"

CLI_HANDOFF(fetch, CLI_NET_PROGRAM)
CLI_HANDOFF(import_git, CLI_NET_PROGRAM)
CLI_HANDOFF(notify, CLI_NET_PROGRAM)
