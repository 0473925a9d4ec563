/* fuzz_services.c: libFuzzer target: local services files (/etc/services and nmap-services,
 * watch_services_parse()) on arbitrary bytes, with the properties `compare` relies on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "fuzz.h"
#include "registry/registry.h"
#include "watch/watch.h"
#include "common/banned.h"

/* Services files are a few hundred kilobytes; fuzz inputs stay far smaller. */
#define FUZZ_SERVICES_MAX (256u * 1024)

void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: property violated: %s\n", file, line, what);
	abort();
}

typedef struct fuzz_warnings {
	size_t n;
	unsigned last_line, lines;
} fuzz_warnings;

/* Every warning names the file and a line of it, in order, and is one line. */
static void fuzz_warn(void *arg, const char *file, unsigned line, const char *msg)
{
	fuzz_warnings *w = arg;
	FUZZ_ASSERT(!strcmp(file, "fuzz-services"));
	FUZZ_ASSERT(line >= 1 && line <= w->lines && line > w->last_line);
	FUZZ_ASSERT(*msg && !strchr(msg, '\n'));
	w->last_line = line;
	w->n++;
}

/* A name or alias as the parser keeps it: a word of printable, non-space bytes. */
static void fuzz_check_word(const char *s)
{
	FUZZ_ASSERT(*s);
	for (; *s; s++)
		FUZZ_ASSERT((unsigned char)*s > 0x20 && *s != 0x7f && *s != '#');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	watch_services *f = NULL;
	fuzz_warnings w;
	size_t i, k;
	unsigned last = 0;

	if (size > FUZZ_SERVICES_MAX)
		return 0;
	memset(&w, 0, sizeof(w));
	w.lines = 1;
	for (i = 0; i < size; i++)
		w.lines += data[i] == '\n';
	FUZZ_ASSERT(watch_services_parse((const char *)data, size, "fuzz-services", fuzz_warn, &w,
	                                 &f) == IW_OK);
	FUZZ_ASSERT(f->format == WATCH_FORMAT_SERVICES || f->format == WATCH_FORMAT_NMAP);
	FUZZ_ASSERT(f->skipped == w.n);
	FUZZ_ASSERT(f->n + f->skipped + f->other_protocols <= w.lines);
	for (i = 0; i < f->n; i++) {
		const watch_service *s = &f->v[i];
		fuzz_check_word(s->name);
		FUZZ_ASSERT(s->port >= 0 && s->port <= REGISTRY_PORT_MAX);
		FUZZ_ASSERT(s->proto >= 0 && s->proto < REGISTRY_NPROTOS);
		FUZZ_ASSERT(!strcmp(s->protocol, registry_protocols[s->proto]));
		FUZZ_ASSERT(s->line > last && s->line <= w.lines);
		last = s->line;
		FUZZ_ASSERT(!s->naliases || f->format == WATCH_FORMAT_SERVICES);
		FUZZ_ASSERT(!s->naliases == !s->aliases);
		for (k = 0; k < s->naliases; k++)
			fuzz_check_word(s->aliases[k]);
		if (f->format == WATCH_FORMAT_NMAP)
			FUZZ_ASSERT(strcmp(s->name, "unknown"));
	}
	watch_services_free(f);
	iw_error_clear();
	return 0;
}
