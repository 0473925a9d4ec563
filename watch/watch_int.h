/* watch_int.h: what the watch module's files share and nobody else sees. */
#ifndef IANAWATCH_WATCH_INT_H
#define IANAWATCH_WATCH_INT_H

#include "watch/watch.h"

/* Owns all that a services file or a watch list points to: its items, and a copy of the text,
 * cut in place into their strings. */
typedef struct watch_arena {
	char *text;              /* NUL-terminated; len bytes before that (NULs among them) */
	size_t len;
	void *items;             /* the result's v */
	size_t items_alloc;
	const char **aliases;
	size_t naliases, aliases_alloc;
	watch_services **subs;   /* watch lists: the services files of file: items */
	size_t nsubs;
} watch_arena;

/* A new arena holding a NUL-terminated copy of data. */
watch_arena *watch_arena_new(const char *data, size_t len);
/* A new arena holding the file at path ("-" is stdin, WATCH_MAX_FILE at most), read in place:
 * the readers parse it without a copy. */
int watch_arena_read(const char *path, watch_arena **out);
/* Room for item n (of `size` bytes each) in a->items: returns a->items, moved maybe. */
void *watch_arena_items(watch_arena *a, size_t n, size_t size);
void watch_arena_free(watch_arena *a);

#endif
