/* match.c: narrowing a diff to a person or to a piece of text (log --person, --grep). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "diff/diff.h"
#include "common/banned.h"

/* Whether s contains needle, ignoring ASCII case (the registry's text is ASCII). */
static int diff_contains_ci(const char *s, const char *needle)
{
	size_t n = strlen(needle);
	if (!s)
		return 0;
	if (!n)
		return 1;
	for (; *s; s++)
		if (!strncasecmp(s, needle, n))
			return 1;
	return 0;
}

/* Whether person id `id` (the whole id) is `who`, by id or by name in either document. */
static int diff_person_is(const diff_result *r, const char *id, size_t len, const char *who)
{
	const registry_person *p;
	char buf[256];
	if (len == strlen(who) && !strncasecmp(id, who, len))
		return 1;
	if (len >= sizeof(buf))
		return 0;
	memcpy(buf, id, len);
	buf[len] = '\0';
	if (r->b && (p = registry_doc_person(r->b, buf)) && p->f[PERSON_NAME] &&
	    !strcasecmp(p->f[PERSON_NAME], who))
		return 1;
	if (r->a && (p = registry_doc_person(r->a, buf)) && p->f[PERSON_NAME] &&
	    !strcasecmp(p->f[PERSON_NAME], who))
		return 1;
	return 0;
}

/* Whether a '\n'-separated list of person ids names `who`. */
static int diff_list_names(const diff_result *r, const char *list, const char *who)
{
	while (list && *list) {
		const char *nl = strchr(list, '\n');
		size_t len = nl ? (size_t)(nl - list) : strlen(list);
		if (len && diff_person_is(r, list, len, who))
			return 1;
		list = nl ? nl + 1 : NULL;
	}
	return 0;
}

static int diff_record_matches(const diff_result *r, const registry_record *rec,
                               const char *person, const char *grep)
{
	if (!rec)
		return 0;
	if (person && !diff_list_names(r, rec->f[REG_ASSIGNEE], person) &&
	    !diff_list_names(r, rec->f[REG_CONTACT], person))
		return 0;
	if (grep && !diff_contains_ci(rec->f[REG_NAME], grep) &&
	    !diff_contains_ci(rec->f[REG_DESCRIPTION], grep) &&
	    !diff_contains_ci(rec->f[REG_NOTES], grep))
		return 0;
	return 1;
}

static int diff_change_matches(const diff_result *r, const diff_change *c, const char *person,
                               const char *grep)
{
	return diff_record_matches(r, c->before, person, grep) ||
	       diff_record_matches(r, c->after, person, grep);
}

static int diff_people_matches(const diff_result *r, const diff_person_change *c,
                               const char *who)
{
	const registry_person *v[2];
	int i;
	v[0] = c->before;
	v[1] = c->after;
	if (diff_person_is(r, c->id, strlen(c->id), who))
		return 1;
	for (i = 0; i < 2; i++)
		if (v[i] && v[i]->f[PERSON_NAME] && !strcasecmp(v[i]->f[PERSON_NAME], who))
			return 1;
	return 0;
}

void diff_filter_text(diff_result *r, const char *person, const char *grep)
{
	size_t i, n = 0, *moved_to;
	if (!r || (!person && !grep))
		return;
	moved_to = iw_malloc((r->nchanges ? r->nchanges : 1) * sizeof(*moved_to));
	for (i = 0; i < r->nchanges; i++) {
		const diff_change *c = &r->changes[i];
		int keep = diff_change_matches(r, c, person, grep) ||
		           (c->pair && diff_change_matches(r, &r->changes[c->partner], person, grep));
		moved_to[i] = keep ? n++ : DIFF_DROPPED;
	}
	diff_changes_compact(r, moved_to);
	free(moved_to);
	n = 0;
	for (i = 0; i < r->npeople; i++)
		if (!grep && diff_people_matches(r, &r->people[i], person))
			r->people[n++] = r->people[i];
	r->npeople = n;
}
