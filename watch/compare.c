/* compare.c: a local services file against the registry at one snapshot, and its history. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "watch_int.h"
#include "common/banned.h"

const char *const watch_verdict_names[WATCH_NVERDICTS] = {
	"agrees", "differs", "deassigned", "reserved", "unknown", "missing",
};

void watch_compare_opts_init(watch_compare_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->port_lo = o->port_hi = REGISTRY_NO_PORT;
	o->proto = -1;
}

/* Records with a name, by the hash of their lowercased name (then in the order added): a
 * lookup is a binary search over integers, then strcasecmp() on the few of equal hash. */
typedef struct cmp_item {
	uint32_t hash;
	uint32_t order;
	const registry_record *rec;
	const store_version *ver; /* past versions only */
} cmp_item;

typedef struct cmp_name_index {
	cmp_item *v;
	size_t n, alloc;
} cmp_name_index;

static uint32_t cmp_hash(const char *s);

static int cmp_item_cmp(const void *a, const void *b)
{
	const cmp_item *x = a, *y = b;
	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void cmp_index_add(cmp_name_index *ix, const registry_record *r, const store_version *ver)
{
	if (!r->f[REG_NAME] || registry_record_kind(r) != REGISTRY_ASSIGNING)
		return;
	IW_GROW(ix->v, ix->n, ix->alloc, 1024);
	ix->v[ix->n].hash = cmp_hash(r->f[REG_NAME]);
	ix->v[ix->n].order = (uint32_t)ix->n;
	ix->v[ix->n].rec = r;
	ix->v[ix->n++].ver = ver;
}

static void cmp_index_sort(cmp_name_index *ix)
{
	if (ix->n)
		qsort(ix->v, ix->n, sizeof(*ix->v), cmp_item_cmp);
}

/* The range [*lo, *hi) of items whose name hashes as name's; callers compare the names. */
static void cmp_index_find(const cmp_name_index *ix, const char *name, size_t *lo, size_t *hi)
{
	uint32_t h = cmp_hash(name);
	size_t a = 0, b = ix->n;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (ix->v[m].hash < h)
			a = m + 1;
		else
			b = m;
	}
	*lo = a;
	while (b < ix->n && ix->v[b].hash == h)
		b++;
	*hi = b < a ? a : b;
}

/* Names said once (unknown): open addressing over lowercased FNV-1a. */
typedef struct cmp_name_set {
	const char **slot;
	size_t cap, n;
} cmp_name_set;

static uint32_t cmp_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (uint32_t)tolower((unsigned char)*s)) * 16777619u;
	return h;
}

/* Adds name; returns 1 when it was new. */
static int cmp_set_add(cmp_name_set *set, const char *name)
{
	size_t i;
	if ((set->n + 1) * 2 > set->cap) {
		cmp_name_set bigger = {NULL, set->cap ? set->cap * 2 : 256, 0};
		bigger.slot = iw_calloc(bigger.cap, sizeof(*bigger.slot));
		for (i = 0; i < set->cap; i++)
			if (set->slot[i])
				cmp_set_add(&bigger, set->slot[i]);
		free(set->slot);
		*set = bigger;
	}
	for (i = cmp_hash(name) & (set->cap - 1); set->slot[i]; i = (i + 1) & (set->cap - 1))
		if (!strcasecmp(set->slot[i], name))
			return 0;
	set->slot[i] = name;
	set->n++;
	return 1;
}

typedef struct cmp_ctx {
	store *st;
	watch_compare_result *r;
	const registry_status_map *map;
	const diff_port_index *ports;
	cmp_name_index names;      /* the snapshot's entries */
	cmp_name_index past;       /* entries of the versions gone by the snapshot (when needed) */
	int history_loaded;
	store_snapshot *snaps;
	size_t nsnaps;
	int64_t at_pos;
	cmp_name_set unknown;
	size_t alloc;
} cmp_ctx;

static int cmp_covers(const registry_record *e, int proto, int32_t port)
{
	return registry_record_covers_proto(e, proto) && e->port != REGISTRY_NO_PORT &&
	       e->port <= port && port <= e->port_end;
}

static int cmp_load_history(cmp_ctx *c)
{
	store_version_list *l = &c->r->history;
	size_t i;
	int rc;
	if (c->history_loaded)
		return IW_OK;
	c->history_loaded = 1;
	if ((rc = store_versions_ended(c->st, c->at_pos, l)))
		return rc;
	for (i = 0; i < l->n; i++)
		if (l->v[i].first_pos <= c->at_pos)
			cmp_index_add(&c->past, &l->v[i].rec, &l->v[i]);
	cmp_index_sort(&c->past);
	return IW_OK;
}

static watch_finding *cmp_add(cmp_ctx *c, watch_verdict v)
{
	watch_finding *f;
	IW_GROW(c->r->v, c->r->n, c->alloc, 64);
	f = &c->r->v[c->r->n++];
	memset(f, 0, sizeof(*f));
	f->verdict = v;
	return f;
}

/* One (name, protocol, port) of the file. */
static int cmp_one(cmp_ctx *c, const char *name, const char *alias_of, const watch_service *sv)
{
	size_t lo, hi, i, plo = 0, phi = 0;
	const registry_record *name_entry = NULL, *was = NULL;
	int64_t was_last = 0;
	registry_status status = (registry_status)c->map->s[sv->proto][sv->port];
	watch_verdict v;
	watch_finding *f;
	int rc, known = 0;

	cmp_index_find(&c->names, name, &lo, &hi);
	for (i = lo; i < hi; i++) {
		const registry_record *e = c->names.v[i].rec;
		if (strcasecmp(e->f[REG_NAME], name))
			continue;
		known = 1;
		if (cmp_covers(e, sv->proto, sv->port)) {
			c->r->count[WATCH_AGREES]++;
			return IW_OK;
		}
		if (!name_entry && registry_record_covers_proto(e, sv->proto))
			name_entry = e;
	}
	/* Not agreeing: the history tells de-assigned from never known. */
	if ((rc = cmp_load_history(c)))
		return rc;
	cmp_index_find(&c->past, name, &plo, &phi);
	for (i = plo; i < phi; i++) {
		const store_version *pv = c->past.v[i].ver;
		if (strcasecmp(pv->rec.f[REG_NAME], name))
			continue;
		known = 1;
		if (cmp_covers(&pv->rec, sv->proto, sv->port) && pv->last_pos >= was_last) {
			was = &pv->rec;
			was_last = pv->last_pos;
		}
	}
	if (status != STATUS_ASSIGNED && was && was_last < c->at_pos)
		v = WATCH_DEASSIGNED;
	else if (!known)
		v = WATCH_UNKNOWN;
	else if (status == STATUS_ASSIGNED || name_entry)
		v = WATCH_DIFFERS;
	else if (status == STATUS_RESERVED)
		v = WATCH_RESERVED;
	else
		v = WATCH_DIFFERS;
	if (v == WATCH_UNKNOWN && !cmp_set_add(&c->unknown, name))
		return IW_OK; /* said once per name */
	c->r->count[v]++;
	f = cmp_add(c, v);
	f->name = name;
	f->alias_of = alias_of;
	f->protocol = sv->protocol;
	f->port = sv->port;
	f->line = sv->line;
	f->status = status;
	if (v == WATCH_DIFFERS || v == WATCH_DEASSIGNED)
		f->name_entry = name_entry;
	if (v == WATCH_DIFFERS) {
		if (status == STATUS_ASSIGNED)
			f->port_entry = diff_port_index_find(c->ports, sv->proto, sv->port, STATUS_ASSIGNED);
	}
	if (v == WATCH_DEASSIGNED) {
		f->was = was;
		if (was_last >= 1 && (size_t)was_last < c->nsnaps)
			memcpy(f->since, c->snaps[was_last].registry_updated, sizeof(f->since));
	}
	if (v == WATCH_DEASSIGNED || v == WATCH_RESERVED)
		f->now = diff_port_index_find(c->ports, sv->proto, sv->port, status);
	return IW_OK;
}

/* The file's (name, protocol, port) triples, sorted, for --missing. */
typedef struct cmp_key {
	const char *name;
	int proto;
	int32_t port;
} cmp_key;

static int cmp_key_cmp(const void *a, const void *b)
{
	const cmp_key *x = a, *y = b;
	int c = strcasecmp(x->name, y->name);
	if (c)
		return c;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	return x->port < y->port ? -1 : x->port > y->port;
}

static void cmp_missing(cmp_ctx *c, const watch_services *file, const watch_compare_opts *o)
{
	cmp_key *keys = NULL;
	size_t n = 0, alloc = 0, i, k;
	const registry_doc *doc = c->r->doc;

	for (i = 0; i < file->n; i++) {
		for (k = 0; k <= file->v[i].naliases; k++) {
			IW_GROW(keys, n, alloc, 1024);
			keys[n].name = k ? file->v[i].aliases[k - 1] : file->v[i].name;
			keys[n].proto = file->v[i].proto;
			keys[n++].port = file->v[i].port;
		}
	}
	if (n)
		qsort(keys, n, sizeof(*keys), cmp_key_cmp);
	for (i = 0; i < doc->nrecords; i++) {
		const registry_record *e = &doc->records[i];
		cmp_key key;
		int p;
		if (!e->f[REG_NAME] || e->port == REGISTRY_NO_PORT || !e->f[REG_PROTOCOL] ||
		    registry_record_kind(e) != REGISTRY_ASSIGNING)
			continue;
		if ((p = registry_protocol_index(e->f[REG_PROTOCOL])) < 0)
			continue;
		if (o->proto >= 0 && p != o->proto)
			continue;
		if (o->port_lo != REGISTRY_NO_PORT && (e->port > o->port_hi || e->port_end < o->port_lo))
			continue;
		key.name = e->f[REG_NAME];
		key.proto = p;
		key.port = e->port;
		if (n && bsearch(&key, keys, n, sizeof(*keys), cmp_key_cmp))
			continue;
		{
			watch_finding *f = cmp_add(c, WATCH_MISSING);
			f->name = e->f[REG_NAME];
			f->protocol = registry_protocols[p];
			f->port = e->port;
			f->status = STATUS_ASSIGNED;
			f->name_entry = e;
			c->r->count[WATCH_MISSING]++;
		}
	}
	free(keys);
}

int watch_compare(store *s, const watch_services *file, const watch_compare_opts *o,
                  watch_compare_result **out)
{
	watch_compare_result *r = iw_calloc(1, sizeof(*r));
	registry_status_map *map = NULL;
	diff_port_index *ports = NULL;
	cmp_ctx c;
	size_t i, k;
	int rc;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.st = s;
	c.r = r;
	if ((rc = store_list_snapshots(s, &c.snaps, &c.nsnaps)))
		goto out;
	if (!c.nsnaps) {
		rc = iw_error_set(IW_ENOTFOUND, "the database holds no snapshot (run ianawatch fetch "
		                  "or import first)");
		goto out;
	}
	c.at_pos = (int64_t)c.nsnaps;
	if (o->snapshot_id) {
		for (i = 0; i < c.nsnaps && c.snaps[i].id != o->snapshot_id; i++)
			;
		if (i == c.nsnaps) {
			rc = iw_error_set(IW_ENOTFOUND, "no snapshot %lld", (long long)o->snapshot_id);
			goto out;
		}
		c.at_pos = c.snaps[i].pos;
	}
	r->snapshot = c.snaps[c.at_pos - 1];
	r->snapshot.source = NULL; /* owned by the list */
	if ((rc = store_load_doc(s, r->snapshot.id, &r->doc)))
		goto out;
	map = registry_status_map_build(r->doc);
	if ((rc = diff_port_index_build(r->doc, &ports)))
		goto out;
	c.map = map;
	c.ports = ports;
	for (i = 0; i < r->doc->nrecords; i++)
		cmp_index_add(&c.names, &r->doc->records[i], NULL);
	cmp_index_sort(&c.names);
	for (i = 0; i < file->n; i++) {
		const watch_service *sv = &file->v[i];
		if ((rc = cmp_one(&c, sv->name, NULL, sv)))
			goto out;
		for (k = 0; k < sv->naliases; k++)
			if ((rc = cmp_one(&c, sv->aliases[k], sv->name, sv)))
				goto out;
	}
	if (o->missing)
		cmp_missing(&c, file, o);
out:
	free(c.names.v);
	free(c.past.v);
	free(c.unknown.slot);
	store_snapshots_free(c.snaps, c.nsnaps);
	free(map);
	diff_port_index_free(ports);
	if (rc) {
		watch_compare_result_free(r);
		return rc;
	}
	*out = r;
	return IW_OK;
}

void watch_compare_result_free(watch_compare_result *r)
{
	if (!r)
		return;
	free(r->v);
	registry_doc_free(r->doc);
	store_version_list_free(&r->history);
	free(r);
}

/* ---- rendering ------------------------------------------------------------------------------ */

static const char *cmp_status_word(registry_status s)
{
	return s == STATUS_RESERVED ? "Reserved" : s == STATUS_UNASSIGNED ? "Unassigned" : "assigned";
}

/* Where the finding's name stands now on its protocol: "; NAME is at 22/tcp". */
static void cmp_name_now(iw_buf *b, const watch_finding *f)
{
	const registry_record *e = f->name_entry;
	if (e->port == REGISTRY_NO_PORT)
		iw_buf_printf(b, "; %s is registered without a port", e->f[REG_NAME]);
	else if (e->port == e->port_end)
		iw_buf_printf(b, "; %s is at %d/%s", e->f[REG_NAME], e->port, f->protocol);
	else
		iw_buf_printf(b, "; %s is at %d-%d/%s", e->f[REG_NAME], e->port, e->port_end, f->protocol);
}

/* The explanation of one finding, one line, for text and Markdown. */
static void cmp_detail(iw_buf *b, const watch_finding *f)
{
	switch (f->verdict) {
	case WATCH_DIFFERS:
		if (f->port_entry)
			iw_buf_printf(b, "%d/%s is assigned to %s", f->port, f->protocol,
			              f->port_entry->f[REG_NAME] ? f->port_entry->f[REG_NAME] :
			                                           "an unnamed entry");
		else
			iw_buf_printf(b, "%d/%s is %s", f->port, f->protocol,
			              f->status == STATUS_RESERVED ? "reserved" : "unassigned");
		if (f->name_entry)
			cmp_name_now(b, f);
		else if (!f->port_entry)
			iw_buf_printf(b, "; %s is not assigned on %s", f->name, f->protocol);
		break;
	case WATCH_DEASSIGNED:
		iw_buf_printf(b, "de-assigned on %s, now %s", f->since[0] ? f->since : "?",
		              cmp_status_word(f->status));
		if (f->was && f->was->f[REG_DESCRIPTION])
			iw_buf_printf(b, " (was %s: %s)", f->was->f[REG_NAME], f->was->f[REG_DESCRIPTION]);
		if (f->name_entry)
			cmp_name_now(b, f);
		break;
	case WATCH_RESERVED:
		iw_buf_printf(b, "%d/%s is Reserved", f->port, f->protocol);
		if (f->now && f->now->f[REG_NOTES])
			iw_buf_printf(b, " (%s)", f->now->f[REG_NOTES]);
		break;
	case WATCH_UNKNOWN:
		iw_buf_adds(b, "never in the registry");
		break;
	case WATCH_MISSING:
		iw_buf_adds(b, f->name_entry && f->name_entry->f[REG_DESCRIPTION] ?
		               f->name_entry->f[REG_DESCRIPTION] : "");
		break;
	default:
		break;
	}
}

static void cmp_json_rec_name(iw_buf *b, const char *key, const registry_record *e)
{
	iw_buf_printf(b, ", \"%s\": ", key);
	if (!e) {
		iw_buf_adds(b, "null");
		return;
	}
	iw_buf_adds(b, "{\"name\": ");
	iw_buf_add_json_str(b, e->f[REG_NAME]);
	iw_buf_adds(b, ", ");
	registry_json_ports(b, e->port, e->port_end);
	iw_buf_adds(b, ", \"description\": ");
	iw_buf_add_json_str(b, e->f[REG_DESCRIPTION]);
	iw_buf_adds(b, "}");
}

static void cmp_md_cell(iw_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			iw_buf_adds(b, "\\|");
		else
			iw_buf_addc(b, *s);
	}
}

int watch_compare_render(iw_buf *b, const watch_compare_result *r, const char *file,
                         watch_render_format fmt)
{
	const store_snapshot *sn = &r->snapshot;
	iw_buf d = IW_BUF_INIT(64 * 1024);
	size_t i, checked = 0;
	int v;

	for (v = 0; v < WATCH_MISSING; v++)
		checked += r->count[v];
	if (fmt == WATCH_RENDER_JSON) {
		iw_buf_adds(b, "{\"file\": ");
		iw_buf_add_json_str(b, file);
		iw_buf_printf(b, ", \"snapshot\": {\"id\": %lld, \"registry_updated\": \"%s\", "
		              "\"observed_at\": \"%s\", \"sha256\": \"%s\"}, \"counts\": {",
		              (long long)sn->id, sn->registry_updated, sn->observed_at, sn->sha256);
		for (v = 0; v < WATCH_NVERDICTS; v++)
			iw_buf_printf(b, "%s\"%s\": %zu", v ? ", " : "", watch_verdict_names[v], r->count[v]);
		iw_buf_adds(b, "}, \"findings\": [");
		for (i = 0; i < r->n; i++) {
			const watch_finding *f = &r->v[i];
			iw_buf_printf(b, "%s\n{\"verdict\": \"%s\", \"line\": ", i ? "," : "",
			              watch_verdict_names[f->verdict]);
			iw_buf_add_json_int(b, f->line, 0);
			iw_buf_adds(b, ", \"name\": ");
			iw_buf_add_json_str(b, f->name);
			iw_buf_adds(b, ", \"alias_of\": ");
			iw_buf_add_json_str(b, f->alias_of);
			iw_buf_printf(b, ", \"port\": %d, \"protocol\": \"%s\", \"status\": \"%s\"", f->port,
			              f->protocol, registry_status_names[f->status]);
			cmp_json_rec_name(b, "port_entry", f->port_entry);
			cmp_json_rec_name(b, "name_entry", f->name_entry);
			cmp_json_rec_name(b, "was", f->was);
			iw_buf_adds(b, ", \"deassigned_on\": ");
			iw_buf_add_json_str(b, f->since[0] ? f->since : NULL);
			iw_buf_adds(b, ", \"message\": ");
			iw_buf_reset(&d);
			cmp_detail(&d, f);
			iw_buf_add_json_str(b, d.data ? d.data : "");
			iw_buf_adds(b, "}");
		}
		iw_buf_adds(b, r->n ? "\n]}\n" : "]}\n");
	} else {
		int md = fmt == WATCH_RENDER_MARKDOWN;
		iw_buf_printf(b, md ? "# %s compared with the registry of %s\n\n" :
		                      "%s compared with the registry of %s",
		              file, sn->registry_updated);
		iw_buf_printf(b, md ? "Snapshot %lld, observed %s.\n\n" : " (snapshot %lld, observed %s)\n",
		              (long long)sn->id, sn->observed_at);
		if (md && r->n)
			iw_buf_adds(b, "| Line | Name | Port | Finding | Details |\n"
			               "|---:|---|---|---|---|\n");
		for (i = 0; i < r->n; i++) {
			const watch_finding *f = &r->v[i];
			iw_buf_reset(&d);
			cmp_detail(&d, f);
			if (md) {
				if (f->line)
					iw_buf_printf(b, "| %u | ", f->line);
				else
					iw_buf_adds(b, "| | ");
				cmp_md_cell(b, f->name);
				if (f->alias_of) {
					iw_buf_adds(b, " (alias of ");
					cmp_md_cell(b, f->alias_of);
					iw_buf_adds(b, ")");
				}
				iw_buf_printf(b, " | %d/%s | %s | ", f->port, f->protocol,
				              watch_verdict_names[f->verdict]);
				cmp_md_cell(b, d.data ? d.data : "");
				iw_buf_adds(b, " |\n");
				continue;
			}
			if (f->line)
				iw_buf_printf(b, "%s:%u: ", file, f->line);
			else
				iw_buf_adds(b, "missing: ");
			iw_buf_printf(b, "%s", f->name);
			if (f->alias_of)
				iw_buf_printf(b, " (alias of %s)", f->alias_of);
			iw_buf_printf(b, " %d/%s", f->port, f->protocol);
			if (f->verdict == WATCH_DEASSIGNED)
				iw_buf_printf(b, ": %s\n", d.data ? d.data : "");
			else if (f->verdict != WATCH_MISSING)
				iw_buf_printf(b, ": %s: %s\n", watch_verdict_names[f->verdict],
				              d.data ? d.data : "");
			else
				iw_buf_printf(b, "%s%s\n", d.len ? ": " : "", d.data ? d.data : "");
		}
		iw_buf_printf(b, "%s%zu name%s checked: %zu agree, %zu differ, %zu de-assigned, "
		              "%zu reserved, %zu unknown", md ? "\n" : "", checked, checked == 1 ? "" : "s",
		              r->count[WATCH_AGREES], r->count[WATCH_DIFFERS], r->count[WATCH_DEASSIGNED],
		              r->count[WATCH_RESERVED], r->count[WATCH_UNKNOWN]);
		if (r->count[WATCH_MISSING])
			iw_buf_printf(b, "; %zu missing", r->count[WATCH_MISSING]);
		iw_buf_adds(b, md ? ".\n" : "\n");
	}
	v = iw_buf_error(&d) ? iw_buf_error(&d) : iw_buf_error(b);
	iw_buf_free(&d);
	return v;
}
