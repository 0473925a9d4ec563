/* testdoc.c: builds small registry documents for the diff tests and summarises diff results. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/common.h"
#include "testdoc.h"
#include "common/banned.h"

registry_doc *testdoc(const char *date, const char *records, const char *people)
{
	iw_buf b = IW_BUF_INIT(1 << 20);
	registry_doc *doc = NULL;
	int rc;
	assert_int_equal(iw_buf_printf(&b,
	                               "<?xml version='1.0' encoding='UTF-8'?>\n"
	                               "<registry xmlns=\"http://www.iana.org/assignments\" "
	                               "id=\"service-names-port-numbers\">\n"
	                               "<title>test</title><updated>%s</updated>\n%s\n"
	                               "<people>%s</people>\n</registry>\n",
	                               date, records, people), 0);
	rc = registry_parse((const unsigned char *)b.data, b.len, "test.xml", &doc);
	if (rc)
		fail_msg("parse: %s", iw_error_last());
	registry_doc_index_people(doc);
	iw_buf_free(&b);
	return doc;
}

registry_doc *testdoc_fixture(const char *file)
{
	char path[4096];
	unsigned char *data = NULL;
	size_t len = 0;
	registry_doc *doc = NULL;
	snprintf(path, sizeof(path), "%s/tests/data/%s", IW_SOURCE_DIR, file);
	if (iw_read_file(path, REGISTRY_MAX_DOC_SIZE, &data, &len))
		fail_msg("read %s: %s", path, iw_error_last());
	if (registry_parse(data, len, file, &doc))
		fail_msg("parse %s: %s", path, iw_error_last());
	free(data);
	registry_doc_index_people(doc);
	return doc;
}

static void testdoc_fields(iw_buf *b, uint32_t mask, int people)
{
	int i, first = 1, n = people ? PERSON_NFIELDS : DIFF_NCOMPARED;
	for (i = 0; i < n; i++) {
		int f = people ? (int)diff_person_fields[i] : (int)diff_compared_fields[i];
		if (!(mask & (1u << f)))
			continue;
		iw_buf_printf(b, "%s%s", first ? " " : ",",
		              people ? registry_person_field_names[f] : registry_field_names[f]);
		first = 0;
	}
}

char *testdoc_signature(const diff_result *d)
{
	iw_buf b = IW_BUF_INIT(1 << 24);
	size_t i;
	for (i = 0; i < d->nchanges; i++) {
		const diff_change *c = &d->changes[i];
		iw_buf_printf(&b, "%s%s %s %s ", b.len ? "\n" : "", diff_kind_names[c->kind],
		              c->name ? c->name : "-", c->protocol ? c->protocol : "-");
		if (c->port == REGISTRY_NO_PORT)
			iw_buf_adds(&b, "-");
		else if (c->port == c->port_end)
			iw_buf_printf(&b, "%d", (int)c->port);
		else
			iw_buf_printf(&b, "%d-%d", (int)c->port, (int)c->port_end);
		if (c->kind == DIFF_MODIFIED)
			testdoc_fields(&b, c->fields, 0);
		if (c->kind == DIFF_STATUS)
			iw_buf_printf(&b, " %s>%s", registry_status_names[c->status_before],
			              registry_status_names[c->status_after]);
	}
	for (i = 0; i < d->npeople; i++) {
		const diff_person_change *p = &d->people[i];
		iw_buf_printf(&b, "%sperson-%s %s", b.len ? "\n" : "", diff_kind_names[p->kind], p->id);
		if (p->kind == DIFF_MODIFIED)
			testdoc_fields(&b, p->fields, 1);
	}
	return iw_buf_detach(&b, NULL);
}
