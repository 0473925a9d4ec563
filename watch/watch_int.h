/* watch_int.h: what the watch module's files share and nobody else sees. */
#ifndef IANAWATCH_WATCH_INT_H
#define IANAWATCH_WATCH_INT_H

#include "watch/watch.h"

/* Owns the strings of a services file or a watch list: a copy of the text, cut in place. */
typedef struct watch_arena {
	char *text;
	const char **aliases;
	size_t naliases, aliases_alloc;
	watch_services **subs;   /* watch lists: the services files of file: items */
	size_t nsubs;
} watch_arena;

void watch_arena_free(watch_arena *a);

#endif
