/* watch_int.h: what the watch module's files share and nobody else sees. */
#ifndef IANAWATCH_WATCH_INT_H
#define IANAWATCH_WATCH_INT_H

#include "watch/watch.h"

/* Owns all that a services file or a watch list points to: its items, and a copy of the text,
 * cut in place into their strings. */
typedef struct watch_arena {
	char *text;
	void *items;             /* the result's v */
	size_t items_alloc;
	const char **aliases;
	size_t naliases, aliases_alloc;
	watch_services **subs;   /* watch lists: the services files of file: items */
	size_t nsubs;
} watch_arena;

/* A new arena holding a NUL-terminated copy of data. */
watch_arena *watch_arena_new(const char *data, size_t len);
/* Room for item n (of `size` bytes each) in a->items: returns a->items, moved maybe. */
void *watch_arena_items(watch_arena *a, size_t n, size_t size);
void watch_arena_free(watch_arena *a);

#endif
