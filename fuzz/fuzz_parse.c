/* fuzz_parse.c: libFuzzer target: registry_parse() on arbitrary bytes, then everything later
 * stages do with a parsed document (status map, identities, sort, people index). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "common/common.h"
#include "fuzz.h"
#include "registry/registry.h"
#include "common/banned.h"

void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: property violated: %s\n", file, line, what);
	abort();
}

/* What the rest of ianawatch relies on once a document is accepted. */
static void fuzz_check_doc(registry_doc *doc)
{
	registry_status_map *m;
	unsigned char h[32];
	size_t i;
	FUZZ_ASSERT(doc->updated && iw_date_valid(doc->updated));
	for (i = 0; i < doc->nrecords; i++) {
		const registry_record *r = &doc->records[i];
		int f;
		FUZZ_ASSERT((r->port == REGISTRY_NO_PORT && r->port_end == REGISTRY_NO_PORT) ||
		            (r->port >= 0 && r->port <= r->port_end && r->port_end <= REGISTRY_PORT_MAX));
		for (f = 0; f < REG_NFIELDS; f++) {
			const char *v = r->f[f];
			if (!v)
				continue;
			/* Normalised: non-empty, trimmed, and only lists hold newlines. */
			FUZZ_ASSERT(*v && v[0] != ' ' && v[strlen(v) - 1] != ' ');
			FUZZ_ASSERT(strlen(v) <= REGISTRY_MAX_FIELD + 8);
			if (!registry_field_is_list((registry_field)f))
				FUZZ_ASSERT(!strchr(v, '\n'));
		}
		registry_record_identity(r, h);
		(void)registry_record_kind(r);
	}
	for (i = 0; i < doc->npeople; i++) {
		FUZZ_ASSERT(doc->people[i].id != NULL);
		registry_person_identity(&doc->people[i], h);
	}
	m = registry_status_map_build(doc);
	for (i = 0; i < doc->nrecords && i < 64; i++) {
		const registry_record *r = &doc->records[i];
		int p;
		if (r->port == REGISTRY_NO_PORT)
			continue;
		for (p = 0; p < REGISTRY_NPROTOS; p++)
			FUZZ_ASSERT(m->s[p][r->port] == registry_status_of(doc->records, doc->nrecords, p,
			                                                    r->port));
	}
	free(m);
	registry_doc_sort(doc);
	for (i = 1; i < doc->nrecords; i++)
		FUZZ_ASSERT(registry_record_cmp(&doc->records[i - 1], &doc->records[i]) <= 0);
	registry_doc_index_people(doc);
	for (i = 0; i < doc->npeople; i++)
		FUZZ_ASSERT(registry_doc_person(doc, doc->people[i].id) != NULL);
}

/* Library code never prints: anything libxml2 would write on its own is a finding. */
static void fuzz_generic_error(void *ctx, const char *msg, ...) IW_PRINTF(2, 3);
static void fuzz_generic_error(void *ctx, const char *msg, ...)
{
	(void)ctx;
	fprintf(stderr, "libxml2 printed: %s\n", msg);
	fuzz_fail("libxml2 printed an error of its own", __FILE__, __LINE__);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	registry_doc *doc = NULL;
	int rc;
	if (!initialised) {
		xmlSetGenericErrorFunc(NULL, fuzz_generic_error);
		initialised = 1;
	}
	rc = registry_parse(data, size, "fuzz.xml", &doc);
	if (rc == IW_OK) {
		FUZZ_ASSERT(doc != NULL);
		fuzz_check_doc(doc);
	} else {
		/* A refusal is one line naming the document, and leaves nothing behind. */
		const char *msg = iw_error_last();
		FUZZ_ASSERT(doc == NULL && rc < 0);
		FUZZ_ASSERT(*msg && !strchr(msg, '\n'));
		FUZZ_ASSERT(strstr(msg, "fuzz.xml") == msg);
	}
	registry_doc_free(doc);
	iw_error_clear();
	return 0;
}
