/* handoff_ingest.c: in ianawatch, import and check run in ianawatch-ingest (see cli.h). */
#include "cli/cli.h"
#include "common/banned.h"

CLI_HANDOFF(import, CLI_INGEST_PROGRAM)
CLI_HANDOFF(check, CLI_INGEST_PROGRAM)
