/* handoff_net.c: in ianawatch, fetch and import-git run in ianawatch-net (see cli.h). */
#include "cli/cli.h"
#include "common/banned.h"

CLI_HANDOFF(fetch, CLI_NET_PROGRAM)
CLI_HANDOFF(import_git, CLI_NET_PROGRAM)
