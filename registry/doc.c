/* doc.c: the in-memory registry document: an arena for its strings, record identity and order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "common/common.h"
#include "registry/registry.h"
#include "common/banned.h"

const char *const registry_field_names[REG_NFIELDS] = {
	"name", "protocol", "description", "assignee", "contact", "references", "notes",
	"unauthorized", "service_code", "registration_date", "modification_date",
};

const char *const registry_person_field_names[PERSON_NFIELDS] = {"name", "org", "uri", "updated"};

int registry_field_is_list(registry_field f)
{
	return f == REG_ASSIGNEE || f == REG_CONTACT || f == REG_REFERENCES;
}

/* Strings live in large chunks freed all at once: a snapshot has ~100k of them. */
struct registry_arena {
	struct registry_arena *next;
	size_t used, size;
	char data[];
};

#define ARENA_CHUNK (256u * 1024)

static char *registry_arena_alloc(registry_doc *doc, size_t n)
{
	struct registry_arena *a = doc->arena;
	if (!a || a->size - a->used < n) {
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		struct registry_arena *c = iw_malloc(sizeof(*c) + size);
		c->used = 0;
		c->size = size;
		if (a && n > ARENA_CHUNK) {
			/* A big one-off goes behind the current chunk, which stays current. */
			c->next = a->next;
			a->next = c;
			c->used = n;
			return c->data;
		}
		c->next = a;
		doc->arena = a = c;
	}
	a->used += n;
	return a->data + a->used - n;
}

const char *registry_doc_strndup(registry_doc *doc, const char *s, size_t n)
{
	char *p = registry_arena_alloc(doc, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *registry_doc_reserve(registry_doc *doc, size_t n)
{
	/* Allocate, then hand back what registry_doc_commit() says was not used. */
	char *p = registry_arena_alloc(doc, n);
	doc->arena_reserved = n;
	return p;
}

void registry_doc_commit(registry_doc *doc, size_t used)
{
	struct registry_arena *a = doc->arena;
	/* A reservation larger than a chunk got a chunk of its own behind the current one. */
	if (doc->arena_reserved <= ARENA_CHUNK && used <= doc->arena_reserved)
		a->used -= doc->arena_reserved - used;
	doc->arena_reserved = 0;
}

const char *registry_doc_strdup(registry_doc *doc, const char *s)
{
	return s ? registry_doc_strndup(doc, s, strlen(s)) : NULL;
}

registry_doc *registry_doc_new(void)
{
	return iw_calloc(1, sizeof(registry_doc));
}

registry_record *registry_doc_add_record(registry_doc *doc)
{
	registry_record *r;
	IW_GROW(doc->records, doc->nrecords, doc->records_alloc, 256);
	r = &doc->records[doc->nrecords++];
	memset(r, 0, sizeof(*r));
	r->port = r->port_end = REGISTRY_NO_PORT;
	return r;
}

registry_person *registry_doc_add_person(registry_doc *doc)
{
	registry_person *p;
	IW_GROW(doc->people, doc->npeople, doc->people_alloc, 256);
	p = &doc->people[doc->npeople++];
	memset(p, 0, sizeof(*p));
	return p;
}

void registry_doc_free(registry_doc *doc)
{
	struct registry_arena *a, *next;
	if (!doc)
		return;
	for (a = doc->arena; a; a = next) {
		next = a->next;
		free(a);
	}
	free(doc->records);
	free(doc->people);
	free(doc->updated);
	free(doc);
}

int registry_strcmp_null(const char *a, const char *b)
{
	if (a == b)
		return 0;
	if (!a)
		return -1;
	if (!b)
		return 1;
	return strcmp(a, b);
}

int registry_list_has(const char *list, const char *item, int ignore_case)
{
	size_t n = strlen(item);
	while (list && *list) {
		const char *nl = strchr(list, '\n');
		size_t len = nl ? (size_t)(nl - list) : strlen(list);
		if (len == n && !(ignore_case ? strncasecmp(list, item, n) : memcmp(list, item, n)))
			return 1;
		list = nl ? nl + 1 : NULL;
	}
	return 0;
}

/* The first difference between two arrays of n fields, as registry_strcmp_null() sees it. */
static int doc_fields_cmp(const char *const *a, const char *const *b, int n)
{
	int c, i;
	for (i = 0; i < n; i++)
		if ((c = registry_strcmp_null(a[i], b[i])))
			return c;
	return 0;
}

int registry_person_cmp(const registry_person *a, const registry_person *b)
{
	int c = registry_strcmp_null(a->id, b->id);
	return c ? c : doc_fields_cmp(a->f, b->f, PERSON_NFIELDS);
}

int registry_key_cmp(const registry_record *a, const registry_record *b)
{
	int c;
	if (a->port != b->port)
		return a->port == REGISTRY_NO_PORT ? 1 : b->port == REGISTRY_NO_PORT ? -1
		       : a->port < b->port ? -1 : 1;
	if (a->port_end != b->port_end)
		return a->port_end < b->port_end ? -1 : 1;
	if ((c = registry_strcmp_null(a->f[REG_PROTOCOL], b->f[REG_PROTOCOL])))
		return c;
	return registry_strcmp_null(a->f[REG_NAME], b->f[REG_NAME]);
}

int registry_record_cmp(const registry_record *a, const registry_record *b)
{
	int c;
	if ((c = registry_key_cmp(a, b)))
		return c;
	if (a->occurrence != b->occurrence)
		return a->occurrence < b->occurrence ? -1 : 1;
	return doc_fields_cmp(a->f, b->f, REG_NFIELDS);
}

int registry_record_equal(const registry_record *a, const registry_record *b)
{
	if (a->port != b->port || a->port_end != b->port_end)
		return 1;
	return doc_fields_cmp(a->f, b->f, REG_NFIELDS) != 0;
}

static int registry_record_qcmp(const void *a, const void *b)
{
	return registry_record_cmp(a, b);
}

void registry_doc_sort(registry_doc *doc)
{
	if (doc->nrecords > 1)
		qsort(doc->records, doc->nrecords, sizeof(*doc->records), registry_record_qcmp);
}

typedef struct { const registry_record *r; size_t i; } registry_keyed;

static int registry_keyed_cmp(const void *pa, const void *pb)
{
	const registry_keyed *a = pa, *b = pb;
	int c = registry_key_cmp(a->r, b->r);
	if (c)
		return c;
	return a->i < b->i ? -1 : a->i > b->i;
}

void registry_doc_number_occurrences(registry_doc *doc)
{
	registry_keyed *k;
	size_t i;
	if (!doc->nrecords)
		return;
	k = iw_malloc(doc->nrecords * sizeof(*k));
	for (i = 0; i < doc->nrecords; i++) {
		k[i].r = &doc->records[i];
		k[i].i = i;
	}
	qsort(k, doc->nrecords, sizeof(*k), registry_keyed_cmp);
	for (i = 0; i < doc->nrecords; i++) {
		uint32_t occ = 0;
		if (i > 0 && registry_key_cmp(k[i - 1].r, k[i].r) == 0)
			occ = doc->records[k[i - 1].i].occurrence + 1;
		doc->records[k[i].i].occurrence = occ;
	}
	free(k);
}

static int registry_person_qcmp(const void *a, const void *b)
{
	const registry_person *pa = a, *pb = b;
	return registry_strcmp_null(pa->id, pb->id);
}

void registry_doc_index_people(registry_doc *doc)
{
	if (doc->npeople > 1)
		qsort(doc->people, doc->npeople, sizeof(*doc->people), registry_person_qcmp);
}

const registry_person *registry_doc_person(const registry_doc *doc, const char *id)
{
	size_t lo = 0, hi = doc->npeople;
	if (!id)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = registry_strcmp_null(doc->people[mid].id, id);
		if (c == 0)
			return &doc->people[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Identity hashes serialise each field with a presence tag and its length, so that no two
 * different records produce the same byte string, and hash it in one call: per-field digest
 * updates cost more than the hashing itself. */
typedef struct ser {
	char stack[4096];
	char *p;
	size_t len, alloc;
} ser;

static void ser_add(ser *s, const char *data, size_t n)
{
	if (s->len + n > s->alloc) {
		size_t alloc = (s->len + n) * 2;
		if (s->p == s->stack) {
			s->p = iw_malloc(alloc);
			memcpy(s->p, s->stack, s->len);
		} else
			s->p = iw_realloc(s->p, alloc);
		s->alloc = alloc;
	}
	memcpy(s->p + s->len, data, n);
	s->len += n;
}

static void ser_num(ser *s, uint64_t v, char end)
{
	char tmp[24];
	size_t i = sizeof(tmp);
	tmp[--i] = end;
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	ser_add(s, tmp + i, sizeof(tmp) - i);
}

static void ser_str(ser *s, const char *v)
{
	size_t n;
	if (!v) {
		ser_add(s, "-", 1);
		return;
	}
	n = strlen(v);
	ser_add(s, "+", 1);
	ser_num(s, n, ':');
	ser_add(s, v, n);
}

static void ser_init(ser *s)
{
	s->p = s->stack;
	s->len = 0;
	s->alloc = sizeof(s->stack);
}

static void ser_done(ser *s, unsigned char out[32])
{
	iw_sha256(s->p, s->len, out);
	if (s->p != s->stack)
		free(s->p);
}

void registry_record_identity(const registry_record *r, unsigned char out[32])
{
	ser s;
	int i;
	ser_init(&s);
	ser_add(&s, "R", 1);
	ser_num(&s, (uint64_t)(r->port + 1), ',');
	ser_num(&s, (uint64_t)(r->port_end + 1), ',');
	ser_num(&s, r->occurrence, ';');
	for (i = 0; i < REG_NFIELDS; i++)
		ser_str(&s, r->f[i]);
	ser_done(&s, out);
}

void registry_person_identity(const registry_person *p, unsigned char out[32])
{
	ser s;
	int i;
	ser_init(&s);
	ser_add(&s, "P", 1);
	ser_str(&s, p->id);
	for (i = 0; i < PERSON_NFIELDS; i++)
		ser_str(&s, p->f[i]);
	ser_done(&s, out);
}
