/* list.c: watch lists, which changes touch them, and how severe each change is. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "watch_int.h"
#include "common/banned.h"

const char *const watch_severity_names[WATCH_NSEVERITIES] = {"low", "medium", "high"};

int watch_severity_parse(const char *s, watch_severity *out)
{
	int i;
	for (i = 0; i < WATCH_NSEVERITIES; i++) {
		if (s && !strcasecmp(s, watch_severity_names[i])) {
			*out = (watch_severity)i;
			return IW_OK;
		}
	}
	return iw_error_set(IW_EINVAL, "unknown severity '%s' (expected low, medium or high)",
	                    s ? s : "");
}

static watch_item *list_add(watch_list *w)
{
	w->v = watch_arena_items(w->arena, w->n, sizeof(*w->v));
	memset(&w->v[w->n], 0, sizeof(w->v[0]));
	return &w->v[w->n++];
}

static int list_all_digits_or_dash(const char *s)
{
	for (; *s && *s != '/'; s++)
		if (!isdigit((unsigned char)*s) && *s != '-')
			return 0;
	return 1;
}

/* A port item: "N", "N-M", optionally "/PROTO", read by the registry's own port parser. */
static int list_parse_ports(char *s, watch_item *it)
{
	char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	it->kind = WATCH_ITEM_PORTS;
	it->proto = -1;
	if (slash && (it->proto = registry_protocol_index_ci(slash + 1)) < 0)
		return iw_error_set(IW_EINVAL, "unknown protocol '%s' (expected tcp, udp, sctp or dccp)",
		                    slash + 1);
	if (registry_port_parse(s, n, &it->port_lo, &it->port_hi) != REGISTRY_PORT_OK)
		return iw_error_set(IW_EINVAL, "bad port '%.*s' (expected N or N-M, 0 to %d, N <= M)",
		                    (int)n, s, REGISTRY_PORT_MAX);
	return IW_OK;
}

static int list_name_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x21 || *s == 0x7f)
			return 0;
	return 1;
}

/* Keeps the first malformed line of a file: item's services file. */
static void list_file_warn(void *arg, const char *file, unsigned line, const char *msg)
{
	char **first = arg;
	if (!*first)
		*first = iw_asprintf("%s:%u: %s", file, line, msg);
}

/* file:PATH: every entry of the services file becomes a port item and a name item. */
static int list_add_file(watch_list *w, const char *listname, const char *path, unsigned line)
{
	watch_services *f = NULL;
	char *full = NULL, *first = NULL;
	const char *slash = strrchr(listname, '/');
	size_t i;
	int rc;

	if (path[0] != '/' && slash)
		full = iw_asprintf("%.*s/%s", (int)(slash - listname), listname, path);
	rc = watch_services_read(full ? full : path, list_file_warn, &first, &f);
	if (!rc && f->skipped)
		rc = iw_error_set(IW_EINVAL, "%s (%zu malformed line%s)", first ? first : path,
		                  f->skipped, f->skipped == 1 ? "" : "s");
	free(first);
	free(full);
	if (rc) {
		watch_services_free(f);
		return rc;
	}
	w->arena->subs = iw_realloc(w->arena->subs, (w->arena->nsubs + 1) * sizeof(*w->arena->subs));
	w->arena->subs[w->arena->nsubs++] = f;
	for (i = 0; i < f->n; i++) {
		watch_item *it = list_add(w);
		it->kind = WATCH_ITEM_PORTS;
		it->port_lo = it->port_hi = f->v[i].port;
		it->proto = f->v[i].proto;
		it->line = line;
		it = list_add(w);
		it->kind = WATCH_ITEM_NAME;
		it->text = f->v[i].name;
		it->line = line;
	}
	return IW_OK;
}

/* Parses the text of a, which the result then owns. */
static int list_parse(watch_arena *a, const char *name, watch_list **out)
{
	watch_list *w = iw_calloc(1, sizeof(*w));
	char *p, *end;
	unsigned line = 0;
	int rc = IW_OK;

	*out = NULL;
	w->arena = a;
	p = a->text;
	end = p + a->len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end, *hash, *s, *e;
		watch_item *it;

		line++;
		*le = '\0';
		/* A NUL would end the item early: "443\0junk" is not "443". */
		if (memchr(p, '\0', (size_t)(le - p))) {
			rc = iw_error_set(IW_EINVAL, "a NUL byte");
			goto bad;
		}
		s = p;
		p = le + 1;
		if ((hash = strchr(s, '#')))
			*hash = '\0';
		while (*s && isspace((unsigned char)*s))
			s++;
		e = s + strlen(s);
		while (e > s && isspace((unsigned char)e[-1]))
			*--e = '\0';
		if (!*s)
			continue;
		if (!strncmp(s, "file:", 5)) {
			if (!s[5]) {
				rc = iw_error_set(IW_EINVAL, "file: needs a path");
				goto bad;
			}
			if ((rc = list_add_file(w, name, s + 5, line)))
				goto bad;
			continue;
		}
		it = list_add(w);
		it->line = line;
		if (!strncmp(s, "person:", 7)) {
			it->kind = WATCH_ITEM_PERSON;
			it->text = s + 7;
			if (!list_name_ok(it->text)) {
				rc = iw_error_set(IW_EINVAL, "person: needs an id without spaces");
				goto bad;
			}
		} else if (isdigit((unsigned char)*s) && list_all_digits_or_dash(s)) {
			if ((rc = list_parse_ports(s, it)))
				goto bad;
		} else {
			it->kind = WATCH_ITEM_NAME;
			it->text = s;
			if (!list_name_ok(s)) {
				rc = iw_error_set(IW_EINVAL, "'%s' is not a port, a service name, person:ID or "
				                  "file:PATH", s);
				goto bad;
			}
		}
	}
	*out = w;
	return IW_OK;
bad:
	iw_error_prefix(rc, "%s:%u", name, line);
	watch_list_free(w);
	return rc;
}

int watch_list_parse(const char *data, size_t len, const char *name, watch_list **out)
{
	return list_parse(watch_arena_new(data, len), name, out);
}

int watch_list_read(const char *path, watch_list **out)
{
	watch_arena *a;
	int rc;
	*out = NULL;
	if ((rc = watch_arena_read(path, &a)))
		return rc;
	return list_parse(a, path, out);
}

void watch_list_free(watch_list *w)
{
	if (!w)
		return;
	watch_arena_free(w->arena);
	free(w);
}

/* ---- matching --------------------------------------------------------------------------- */

static int list_record_has_person(const registry_record *r, const char *id)
{
	return r && (registry_list_has(r->f[REG_ASSIGNEE], id, 0) ||
	             registry_list_has(r->f[REG_CONTACT], id, 0));
}

static int list_name_is(const registry_record *r, const char *name)
{
	return r && r->f[REG_NAME] && !strcasecmp(r->f[REG_NAME], name);
}

static int list_item_matches(const watch_item *it, const void *arg)
{
	const diff_change *c = arg;
	switch (it->kind) {
	case WATCH_ITEM_PORTS:
		if (c->port == REGISTRY_NO_PORT || c->port > it->port_hi || c->port_end < it->port_lo)
			return 0;
		return it->proto < 0 || !c->protocol ||
		       !strcasecmp(c->protocol, registry_protocols[it->proto]);
	case WATCH_ITEM_NAME:
		return (c->name && !strcasecmp(c->name, it->text)) || list_name_is(c->before, it->text) ||
		       list_name_is(c->after, it->text);
	case WATCH_ITEM_PERSON:
		return list_record_has_person(c->before, it->text) ||
		       list_record_has_person(c->after, it->text);
	}
	return 0;
}

static int list_item_is_person(const watch_item *it, const void *arg)
{
	const diff_person_change *c = arg;
	return it->kind == WATCH_ITEM_PERSON && !strcmp(it->text, c->id);
}

/* Non-zero when some item of w matches x; a NULL list watches everything. */
static int list_any(const watch_list *w, int (*match)(const watch_item *, const void *),
                    const void *x)
{
	size_t i;
	if (!w)
		return 1;
	for (i = 0; i < w->n; i++)
		if (match(&w->v[i], x))
			return 1;
	return 0;
}

int watch_change_matches(const watch_list *w, const diff_change *c)
{
	return list_any(w, list_item_matches, c);
}

int watch_person_change_matches(const watch_list *w, const diff_person_change *c)
{
	return list_any(w, list_item_is_person, c);
}

/* ---- severity ------------------------------------------------------------------------------ */

watch_severity watch_change_severity(const diff_change *c)
{
	const uint32_t medium = 1u << REG_ASSIGNEE | 1u << REG_CONTACT | 1u << REG_DESCRIPTION;
	switch (c->kind) {
	case DIFF_DEASSIGNED:
	case DIFF_REMOVED:
	case DIFF_STATUS:
		return WATCH_HIGH;
	case DIFF_MODIFIED:
		return (c->fields & medium) ? WATCH_MEDIUM : WATCH_LOW;
	default:
		return WATCH_LOW;
	}
}

watch_severity watch_person_severity(const diff_person_change *c)
{
	return c->kind == DIFF_ADDED ? WATCH_LOW : WATCH_MEDIUM;
}

int watch_severities(const diff_result *r, watch_severity *sev)
{
	diff_pair *pairs = NULL;
	size_t npairs = 0, i;
	int rc;
	for (i = 0; i < r->nchanges; i++)
		sev[i] = watch_change_severity(&r->changes[i]);
	if ((rc = diff_pairs(r, &pairs, &npairs)))
		return rc;
	for (i = 0; i < npairs; i++)
		if (pairs[i].kind == DIFF_PAIR_MOVED)
			sev[pairs[i].came] = WATCH_HIGH;
	free(pairs);
	return IW_OK;
}

int watch_filter(diff_result *r, const watch_list *w, watch_severity min, watch_severity **sev_out)
{
	watch_severity *sev = iw_calloc(r->nchanges ? r->nchanges : 1, sizeof(*sev));
	size_t *moved_to = iw_calloc(r->nchanges ? r->nchanges : 1, sizeof(*moved_to));
	size_t i, k = 0;
	int rc;

	if (sev_out)
		*sev_out = NULL;
	if ((rc = watch_severities(r, sev))) {
		free(sev);
		free(moved_to);
		return rc;
	}
	/* The halves of a move or rename stay together: one that touches a watched item keeps
	 * its partner (diff_changes_compact() renumbers it). */
	for (i = 0; i < r->nchanges; i++) {
		const diff_change *c = &r->changes[i];
		watch_severity s = sev[i];
		int match = watch_change_matches(w, c);
		if (c->pair && c->partner < r->nchanges) {
			if (sev[c->partner] > s)
				s = sev[c->partner];
			match = match || watch_change_matches(w, &r->changes[c->partner]);
		}
		moved_to[i] = (s >= min && match) ? k++ : DIFF_DROPPED;
	}
	/* moved_to[i] <= i, so the severities move down in place as the changes do. */
	for (i = 0; i < r->nchanges; i++)
		if (moved_to[i] != DIFF_DROPPED)
			sev[moved_to[i]] = sev[i];
	diff_changes_compact(r, moved_to);
	free(moved_to);
	for (i = 0, k = 0; i < r->npeople; i++) {
		if (watch_person_severity(&r->people[i]) < min ||
		    !watch_person_change_matches(w, &r->people[i]))
			continue;
		r->people[k++] = r->people[i];
	}
	r->npeople = k;
	if (sev_out)
		*sev_out = sev;
	else
		free(sev);
	return IW_OK;
}
