/* history.c: timelines of ports and service names, swept from the store's record versions. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "history/history.h"
#include "common/banned.h"

const char *const history_status_names[HISTORY_NSTATUS] = {
	"unassigned", "reserved", "assigned", "registered", "absent",
};

/* ---- parsing what is asked -------------------------------------------------------------- */

/* Length of the first part of "N-M" (the whole for "N"), or 0 when s[0..n) is neither. Only
 * the form counts here: a number out of range is still a port, and its error names it. */
static size_t history_port_spec(const char *s, size_t n)
{
	int32_t lo, hi;
	const char *dash;
	if (registry_port_parse(s, n, &lo, &hi) == REGISTRY_PORT_SYNTAX)
		return 0;
	dash = memchr(s, '-', n);
	return dash ? (size_t)(dash - s) : n;
}

/* One number of a port spec (digits only: history_port_spec() said so). */
static int history_port_number(const char *arg, const char *s, size_t n, int32_t *out)
{
	int32_t hi;
	if (registry_port_parse(s, n, out, &hi) == REGISTRY_PORT_OK)
		return IW_OK;
	if (n == strlen(arg))
		return iw_error_set(IW_EINVAL, "port %s is out of range (0-%d)", arg, REGISTRY_PORT_MAX);
	return iw_error_set(IW_EINVAL, "'%s': port %.*s is out of range (0-%d)", arg, (int)n, s,
	                    REGISTRY_PORT_MAX);
}

int history_parse_target(const char *arg, unsigned flags, history_query *q)
{
	const char *slash;
	size_t n, first, i;
	int rc, letter = 0;

	memset(q, 0, sizeof(*q));
	q->port_lo = q->port_hi = REGISTRY_NO_PORT;
	q->proto = -1;
	if (!arg || !*arg)
		return iw_error_set(IW_EINVAL, "empty port or service name");
	n = strlen(arg);
	if ((slash = strrchr(arg, '/'))) {
		size_t head = (size_t)(slash - arg);
		int p = registry_protocol_index_ci(slash + 1);
		if (history_port_spec(arg, head)) {
			if (p < 0)
				return iw_error_set(IW_EINVAL, "'%s': unknown protocol '%s' (expected tcp, "
				                    "udp, sctp or dccp)", arg, slash + 1);
			q->proto = p;
			n = head;
		} else if (p >= 0) {
			/* "NAME/tcp"; otherwise the slash belongs to the name ("914c/g"). */
			q->proto = p;
			n = head;
		}
	}
	if ((first = history_port_spec(arg, n))) {
		if ((rc = history_port_number(arg, arg, first, &q->port_lo)))
			return rc;
		q->port_hi = q->port_lo;
		if (first < n) {
			if (!(flags & HISTORY_ALLOW_RANGE))
				return iw_error_set(IW_EINVAL, "'%s': give one port, not a range", arg);
			if ((rc = history_port_number(arg, arg + first + 1, n - first - 1, &q->port_hi)))
				return rc;
			if (q->port_hi < q->port_lo)
				return iw_error_set(IW_EINVAL, "'%s': the range ends before it starts", arg);
		}
		return IW_OK;
	}
	if (n == 0)
		return iw_error_set(IW_EINVAL, "'%s': empty service name", arg);
	if (n > HISTORY_MAX_NAME)
		return iw_error_set(IW_EINVAL, "service name longer than %d characters", HISTORY_MAX_NAME);
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)arg[i];
		if (isspace(ch) || iscntrl(ch))
			return iw_error_set(IW_EINVAL, "'%.*s': a service name has no spaces or control "
			                    "characters", (int)n, arg);
		letter |= isalpha(ch) != 0;
	}
	/* RFC 6335 names have a letter; "3-" or "1-2-3" is a mistyped port, not a name. */
	if (!letter)
		return iw_error_set(IW_EINVAL, "'%s' is neither a port, a range N-M nor a service name",
		                    arg);
	memcpy(q->name, arg, n);
	q->name[n] = '\0';
	return IW_OK;
}

/* ---- the run ---------------------------------------------------------------------------- */

/* One resolved (person id, position); person is NULL when that snapshot does not list it. */
typedef struct history_cached {
	const char *id;
	int64_t pos;
	registry_person *person;
} history_cached;

typedef struct history_ctx {
	store *st;
	const history_query *q;
	int64_t *ids;                   /* snapshot id by position - 1 */
	store_snapshot *snaps;          /* by position - 1; loaded when a row needs one (id != 0) */
	size_t nsnaps;
	int64_t lo, hi;                 /* the positions looked at */
	store_version_list versions;
	registry_doc *strings;          /* owns the strings of resolved people */
	history_cached *cache;          /* open addressing on (id, pos); size a power of two */
	size_t ncache, cache_alloc;
	/* Scratch reused from one timeline to the next. */
	const store_version **cand;
	size_t ncand, cand_alloc;
	int64_t *bounds;
	size_t bounds_alloc;
	history_row *rows;
	size_t nrows, rows_alloc;
	history_fn fn;
	void *arg;
	size_t emitted;
	int at;                         /* one snapshot (show): every port has a status */
} history_ctx;

static uint64_t history_hash(const char *id, int64_t pos)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ull;
	return (h ^ (uint64_t)pos) * 1099511628211ull;
}

static history_cached *history_cache_slot(history_cached *tab, size_t alloc, const char *id,
                                          int64_t pos)
{
	size_t i = (size_t)history_hash(id, pos) & (alloc - 1);
	while (tab[i].id && (tab[i].pos != pos || strcmp(tab[i].id, id)))
		i = (i + 1) & (alloc - 1);
	return &tab[i];
}

static void history_cache_grow(history_ctx *c)
{
	size_t alloc = c->cache_alloc ? c->cache_alloc * 2 : 64, i;
	history_cached *tab = iw_calloc(alloc, sizeof(*tab));
	for (i = 0; i < c->cache_alloc; i++)
		if (c->cache[i].id)
			*history_cache_slot(tab, alloc, c->cache[i].id, c->cache[i].pos) = c->cache[i];
	free(c->cache);
	c->cache = tab;
	c->cache_alloc = alloc;
}

/* The person `id` as recorded at position pos, looked up once per (id, pos). */
static int history_person_at(history_ctx *c, const char *id, int64_t pos, history_cached **out)
{
	history_cached *slot;
	registry_person p;
	int rc;
	if (c->cache_alloc && (slot = history_cache_slot(c->cache, c->cache_alloc, id, pos))->id) {
		*out = slot;
		return IW_OK;
	}
	rc = store_person_at(c->st, id, pos, &p, c->strings);
	if (rc && rc != IW_ENOTFOUND)
		return rc;
	if (2 * (c->ncache + 1) > c->cache_alloc)
		history_cache_grow(c);
	slot = history_cache_slot(c->cache, c->cache_alloc, id, pos);
	slot->id = registry_doc_strdup(c->strings, id);
	slot->pos = pos;
	slot->person = NULL;
	if (rc == IW_OK) {
		slot->person = iw_malloc(sizeof(*slot->person));
		*slot->person = p;
	}
	c->ncache++;
	*out = slot;
	return IW_OK;
}

static void history_row_clear(history_row *r)
{
	free((void *)r->entries);
	free((void *)r->others);
	free((void *)r->people);
	memset(r, 0, sizeof(*r));
}

static int history_record_qcmp(const void *a, const void *b)
{
	return registry_record_cmp(*(const registry_record *const *)a,
	                           *(const registry_record *const *)b);
}

static int history_other_cmp(const registry_record *a, const registry_record *b)
{
	int c = registry_strcmp_null(a->f[REG_DESCRIPTION], b->f[REG_DESCRIPTION]);
	return c ? c : registry_strcmp_null(a->f[REG_NOTES], b->f[REG_NOTES]);
}

static int history_other_qcmp(const void *a, const void *b)
{
	return history_other_cmp(*(const registry_record *const *)a,
	                         *(const registry_record *const *)b);
}

/* The state at position b of the current candidates (all covering the timeline's port and
 * protocol, or all entries of its name and protocol). */
static void history_state_at(history_ctx *c, int64_t b, int by_name, history_row *row)
{
	const registry_record **entries = iw_malloc((c->ncand + 1) * sizeof(*entries));
	const registry_record **others = iw_malloc((c->ncand + 1) * sizeof(*others));
	size_t i, ne = 0, no = 0, k;
	int reserving = 0, ported = 0;

	memset(row, 0, sizeof(*row));
	for (i = 0; i < c->ncand; i++) {
		const store_version *v = c->cand[i];
		registry_kind kind;
		if (v->first_pos > b || v->last_pos < b)
			continue;
		kind = by_name ? REGISTRY_ASSIGNING : registry_record_kind(&v->rec);
		if (kind == REGISTRY_ASSIGNING) {
			entries[ne++] = &v->rec;
			ported |= v->rec.port != REGISTRY_NO_PORT;
		} else {
			others[no++] = &v->rec;
			reserving |= kind == REGISTRY_RESERVING;
		}
	}
	if (ne > 1)
		qsort(entries, ne, sizeof(*entries), history_record_qcmp);
	if (no > 1) {
		/* Non-entries have no identity: equal (description, notes) count once. */
		qsort(others, no, sizeof(*others), history_other_qcmp);
		for (i = 1, k = 1; i < no; i++)
			if (history_other_cmp(others[k - 1], others[i]))
				others[k++] = others[i];
		no = k;
	}
	/* The contract's status (registry_status_of()): the strongest covering record wins. */
	if (by_name)
		row->status = !ne ? HISTORY_ABSENT : ported ? HISTORY_ASSIGNED : HISTORY_REGISTERED;
	else
		row->status = ne ? HISTORY_ASSIGNED : reserving ? HISTORY_RESERVED : HISTORY_UNASSIGNED;
	row->first_pos = row->last_pos = b;
	row->entries = entries;
	row->nentries = ne;
	row->others = others;
	row->nothers = no;
}

static int history_same_state(const history_row *a, const history_row *b)
{
	size_t i;
	if (a->status != b->status || a->nentries != b->nentries || a->nothers != b->nothers)
		return 0;
	for (i = 0; i < a->nentries; i++)
		if (registry_record_equal(a->entries[i], b->entries[i]))
			return 0;
	for (i = 0; i < a->nothers; i++)
		if (history_other_cmp(a->others[i], b->others[i]))
			return 0;
	return 1;
}

static int history_same_key(const registry_record *a, const registry_record *b)
{
	return a->port == b->port && a->port_end == b->port_end &&
	       !registry_strcmp_null(a->f[REG_NAME], b->f[REG_NAME]) &&
	       !registry_strcmp_null(a->f[REG_PROTOCOL], b->f[REG_PROTOCOL]);
}

/* The fields that differ between rows whose entries pair up by key; 0 when they do not. */
static uint32_t history_changed(const history_row *prev, const history_row *row)
{
	uint32_t bits = 0;
	size_t i;
	int f;
	if (!row->nentries || prev->nentries != row->nentries)
		return 0;
	for (i = 0; i < row->nentries; i++)
		if (!history_same_key(prev->entries[i], row->entries[i]))
			return 0;
	for (i = 0; i < row->nentries; i++)
		for (f = REG_DESCRIPTION; f < REG_NFIELDS; f++)
			if (registry_strcmp_null(prev->entries[i]->f[f], row->entries[i]->f[f]))
				bits |= 1u << f;
	return bits;
}

/* The length of the person-id-like word at p (letters, digits, _ . -), 0 when none starts
 * there. A trailing dot ends a sentence, not the id. */
static size_t history_id_word(const char *p)
{
	size_t n = 0;
	while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
	       (p[n] >= '0' && p[n] <= '9') || p[n] == '_' || p[n] == '.' || p[n] == '-')
		n++;
	while (n > 0 && p[n - 1] == '.')
		n--;
	return n;
}

/* The people a row names, as history_row_people() collects them. */
typedef struct history_refs {
	history_person_ref *v;
	size_t n, alloc;
} history_refs;

/* Adds the person id (len bytes at p) unless the list has it, as the row's first snapshot
 * knows it. An id an entry lists is also looked up at the row's last snapshot, and joins
 * even when unknown; a word the notes mention joins only when it is a person there. */
static int history_refs_add(history_ctx *c, const history_row *row, history_refs *refs,
                            const char *p, size_t len, int mention)
{
	char *id = iw_strndup(p, len);
	history_cached *hit = NULL;
	size_t j;
	int rc = IW_OK;

	for (j = 0; j < refs->n; j++)
		if (!strcmp(refs->v[j].id, id))
			break;
	if (j == refs->n) {
		rc = history_person_at(c, id, row->first_pos, &hit);
		if (!rc && !hit->person && !mention && row->last_pos != row->first_pos)
			rc = history_person_at(c, id, row->last_pos, &hit);
		if (!rc && (hit->person || !mention)) {
			IW_GROW(refs->v, refs->n, refs->alloc, 4);
			refs->v[refs->n].id = hit->id;
			refs->v[refs->n].person = hit->person;
			refs->n++;
		}
	}
	free(id);
	return rc;
}

/* Resolves the person ids of a row's entries at its first position (else its last), and
 * those its notes mention. */
static int history_row_people(history_ctx *c, history_row *row)
{
	static const registry_field lists[] = {REG_ASSIGNEE, REG_CONTACT};
	history_refs refs = {NULL, 0, 0};
	size_t i, k;
	int rc = IW_OK;

	for (i = 0; i < row->nentries && !rc; i++) {
		for (k = 0; k < sizeof(lists) / sizeof(*lists) && !rc; k++) {
			const char *p = row->entries[i]->f[lists[k]];
			while (p && *p && !rc) {
				const char *nl = strchr(p, '\n');
				rc = history_refs_add(c, row, &refs, p,
				                      nl ? (size_t)(nl - p) : strlen(p), 0);
				p = nl ? nl + 1 : NULL;
			}
		}
	}
	/* Notes name people by id ("previously compressnet by Bernie_Volz"): an id-like word that
	 * is a person of the snapshot joins the list, so notes can read with the name. */
	for (i = 0; i < row->nentries + row->nothers && !rc; i++) {
		const registry_record *r = i < row->nentries ? row->entries[i]
		                                              : row->others[i - row->nentries];
		const char *p = r->f[REG_NOTES];
		while (p && *p && !rc) {
			size_t len = history_id_word(p);
			if (len >= 3 && memchr(p, '_', len))
				rc = history_refs_add(c, row, &refs, p, len, 1);
			p += len ? len : 1;
		}
	}
	row->people = refs.v;
	row->npeople = refs.n;
	return rc;
}

/* Loads the metadata of the snapshot at pos unless already there: a timeline names only its
 * rows' first and last snapshots, so listing all of them would be most of a query's cost. */
static int history_load_snap(history_ctx *c, int64_t pos)
{
	store_snapshot *s = &c->snaps[pos - 1];
	int rc;
	if (s->id)
		return IW_OK;
	if ((rc = store_get_snapshot(c->st, c->ids[pos - 1], s)))
		return rc;
	if (s->pos != pos)
		return iw_error_set(IW_EDB, "snapshot %lld is at position %lld, expected %lld",
		                    (long long)s->id, (long long)s->pos, (long long)pos);
	return IW_OK;
}

static int history_int64_qcmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Sweeps the candidates' span boundaries into rows and hands the timeline to the callback. */
static int history_emit(history_ctx *c, int32_t port, const char *name, const char *protocol)
{
	history_timeline t;
	size_t nb = 0, i, k;
	int by_name = name != NULL, rc = IW_OK;

	if (c->bounds_alloc < 2 * c->ncand + 1) {
		c->bounds_alloc = 2 * c->ncand + 1;
		c->bounds = iw_realloc(c->bounds, c->bounds_alloc * sizeof(*c->bounds));
	}
	/* The state can only change where some candidate starts or has just ended. */
	c->bounds[nb++] = c->lo;
	for (i = 0; i < c->ncand; i++) {
		int64_t f = c->cand[i]->first_pos, e = c->cand[i]->last_pos + 1;
		if (f > c->lo && f <= c->hi)
			c->bounds[nb++] = f;
		if (e > c->lo && e <= c->hi)
			c->bounds[nb++] = e;
	}
	qsort(c->bounds, nb, sizeof(*c->bounds), history_int64_qcmp);
	c->nrows = 0;
	for (i = 0; i < nb; i++) {
		history_row row;
		if (i && c->bounds[i] == c->bounds[i - 1])
			continue;
		history_state_at(c, c->bounds[i], by_name, &row);
		for (k = i + 1; k < nb && c->bounds[k] == c->bounds[i]; k++)
			;
		row.last_pos = k < nb ? c->bounds[k] - 1 : c->hi;
		if (c->nrows && history_same_state(&c->rows[c->nrows - 1], &row)) {
			c->rows[c->nrows - 1].last_pos = row.last_pos;
			history_row_clear(&row);
			continue;
		}
		IW_GROW(c->rows, c->nrows, c->rows_alloc, 16);
		c->rows[c->nrows++] = row;
	}
	for (i = 0; i < c->nrows && !rc; i++) {
		if (i)
			c->rows[i].changed = history_changed(&c->rows[i - 1], &c->rows[i]);
		rc = history_row_people(c, &c->rows[i]);
		if (!rc)
			rc = history_load_snap(c, c->rows[i].first_pos);
		if (!rc)
			rc = history_load_snap(c, c->rows[i].last_pos);
	}
	if (!rc) {
		memset(&t, 0, sizeof(t));
		t.port = port;
		t.name = name;
		t.protocol = protocol;
		t.rows = c->rows;
		t.nrows = c->nrows;
		t.snaps = c->snaps;
		t.nsnaps = c->nsnaps;
		c->emitted++;
		rc = c->fn(&t, c->arg);
	}
	for (i = 0; i < c->nrows; i++)
		history_row_clear(&c->rows[i]);
	c->nrows = 0;
	return rc;
}

static void history_cand_push(history_ctx *c, const store_version *v)
{
	IW_GROW(c->cand, c->ncand, c->cand_alloc, 32);
	c->cand[c->ncand++] = v;
}

static int history_version_port_qcmp(const void *a, const void *b)
{
	const store_version *x = *(const store_version *const *)a, *y = *(const store_version *const *)b;
	return x->rec.port < y->rec.port ? -1 : x->rec.port > y->rec.port;
}

/* Port timelines: a sweep over the ports keeps the versions covering the current one. */
static int history_ports(history_ctx *c)
{
	const history_query *q = c->q;
	size_t n = c->versions.n, k = 0, nactive = 0, i, j;
	const store_version **sorted = iw_malloc((n + 1) * sizeof(*sorted));
	const store_version **active = iw_malloc((n + 1) * sizeof(*active));
	int32_t x;
	int p, rc = IW_OK;

	for (i = 0; i < n; i++)
		sorted[i] = &c->versions.v[i];
	qsort(sorted, n, sizeof(*sorted), history_version_port_qcmp);
	for (x = q->port_lo; x <= q->port_hi && !rc; x++) {
		size_t before = c->emitted;
		for (i = 0, j = 0; i < nactive; i++)
			if (active[i]->rec.port_end >= x)
				active[j++] = active[i];
		nactive = j;
		for (; k < n && sorted[k]->rec.port <= x; k++)
			if (sorted[k]->rec.port != REGISTRY_NO_PORT && sorted[k]->rec.port_end >= x)
				active[nactive++] = sorted[k];
		for (p = 0; p < REGISTRY_NPROTOS && !rc; p++) {
			if (q->proto >= 0 && q->proto != p)
				continue;
			c->ncand = 0;
			for (i = 0; i < nactive; i++)
				if (registry_record_covers_proto(&active[i]->rec, p))
					history_cand_push(c, active[i]);
			if (c->ncand || (c->at && q->proto >= 0))
				rc = history_emit(c, x, NULL, registry_protocols[p]);
		}
		/* The status rule gives every port a status: on one snapshot, a port no record ever
		 * covered is unassigned on every protocol. */
		c->ncand = 0;
		if (c->at && c->emitted == before)
			for (p = 0; p < REGISTRY_NPROTOS && !rc; p++)
				rc = history_emit(c, x, NULL, registry_protocols[p]);
	}
	free(sorted);
	free(active);
	return rc;
}

/* Order of a name's protocol groups: tcp, udp, sctp, dccp, other protocols, none. */
static int history_proto_rank(const char *proto)
{
	int i = registry_protocol_index(proto);
	return !proto ? REGISTRY_NPROTOS + 1 : i < 0 ? REGISTRY_NPROTOS : i;
}

static int history_proto_qcmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int rx = history_proto_rank(x), ry = history_proto_rank(y);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return registry_strcmp_null(x, y);
}

/* Name timelines: one per protocol the name's entries ever had. */
static int history_names(history_ctx *c)
{
	size_t n = c->versions.n, ng = 0, i, g;
	const char **groups = iw_malloc((n + 1) * sizeof(*groups));
	const char *want = c->q->proto >= 0 ? registry_protocols[c->q->proto] : NULL;
	int rc = IW_OK;

	for (i = 0; i < n; i++) {
		const char *proto = c->versions.v[i].rec.f[REG_PROTOCOL];
		/* NAME/PROTO: that protocol, and the records without one, which cover it. */
		if (want && proto && strcmp(proto, want))
			continue;
		for (g = 0; g < ng; g++)
			if (!registry_strcmp_null(groups[g], proto))
				break;
		if (g == ng)
			groups[ng++] = proto;
	}
	qsort(groups, ng, sizeof(*groups), history_proto_qcmp);
	for (g = 0; g < ng && !rc; g++) {
		const store_version *latest = NULL;
		c->ncand = 0;
		for (i = 0; i < n; i++)
			if (!registry_strcmp_null(c->versions.v[i].rec.f[REG_PROTOCOL], groups[g])) {
				history_cand_push(c, &c->versions.v[i]);
				if (!latest || c->versions.v[i].last_pos > latest->last_pos)
					latest = &c->versions.v[i];
			}
		/* Names match case-insensitively: the header spells the name as the registry last
		 * did ("history compressnet" and "history CompressNET" read the same). */
		rc = history_emit(c, REGISTRY_NO_PORT,
		                  latest && latest->rec.f[REG_NAME] ? latest->rec.f[REG_NAME]
		                                                    : c->q->name, groups[g]);
	}
	free(groups);
	return rc;
}

/* "; did you mean a, b or c?" after a name no snapshot holds. */
static void history_suggest(const history_ctx *c, char *out, size_t size)
{
	char **sugg = NULL;
	size_t n = 0, i, len;
	out[0] = '\0';
	if (store_suggest(c->st, STORE_SUGGEST_NAMES, c->q->name, &sugg, &n) != IW_OK || !n)
		return;
	snprintf(out, size, "; did you mean ");
	for (i = 0; i < n; i++) {
		len = strlen(out);
		snprintf(out + len, size - len, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
		         sugg[i]);
	}
	len = strlen(out);
	snprintf(out + len, size - len, "?");
	store_suggestions_free(sugg, n);
}

static int history_not_found(const history_ctx *c)
{
	const history_query *q = c->q;
	char what[HISTORY_MAX_NAME + 64], among[64], sugg[3 * HISTORY_MAX_NAME + 64];
	/* Even for one snapshot (show), a timeline exists when any snapshot has one. */
	if (c->nsnaps == 1)
		snprintf(among, sizeof(among), "the only stored snapshot");
	else
		snprintf(among, sizeof(among), "any of the %zu stored snapshots", c->nsnaps);
	if (q->name[0]) {
		snprintf(what, sizeof(what), "%s%s%s", q->name, q->proto >= 0 ? "/" : "",
		         q->proto >= 0 ? registry_protocols[q->proto] : "");
		history_suggest(c, sugg, sizeof(sugg));
		return iw_error_set(IW_ENOTFOUND, "no entry named '%s' in %s (case ignored)%s", what,
		                    among, sugg);
	}
	if (q->port_lo == q->port_hi)
		snprintf(what, sizeof(what), "port %d", (int)q->port_lo);
	else
		snprintf(what, sizeof(what), "ports %d-%d", (int)q->port_lo, (int)q->port_hi);
	if (q->proto >= 0)
		snprintf(what + strlen(what), sizeof(what) - strlen(what), "/%s",
		         registry_protocols[q->proto]);
	return iw_error_set(IW_ENOTFOUND, "no record covers %s in %s: it was never assigned or "
	                    "reserved%s", what, among,
	                    q->port_lo >= HISTORY_DYNAMIC_LO ? HISTORY_DYNAMIC_NOTE : "");
}

int history_name_known(store *s, const char *name)
{
	history_query q;
	history_ctx c;
	store_version_list l = {0};
	int rc;

	if (strlen(name) > HISTORY_MAX_NAME)
		return iw_error_set(IW_ENOTFOUND, "no entry is named '%.40s...': names are at most %d "
		                    "characters", name, HISTORY_MAX_NAME);
	if ((rc = store_versions_for_name(s, name, &l)) || l.n)
		goto out;
	memset(&q, 0, sizeof(q));
	q.port_lo = q.port_hi = REGISTRY_NO_PORT;
	q.proto = -1;
	memcpy(q.name, name, strlen(name) + 1);
	memset(&c, 0, sizeof(c));
	c.st = s;
	c.q = &q;
	if (!(rc = store_positions(s, &c.ids, &c.nsnaps)))
		rc = history_not_found(&c);
	free(c.ids);
out:
	store_version_list_free(&l);
	return rc;
}

int history_run(store *s, const history_query *q, int64_t at_id, history_fn fn, void *arg)
{
	history_ctx c;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	c.st = s;
	c.q = q;
	c.fn = fn;
	c.arg = arg;
	c.strings = registry_doc_new();
	if ((rc = store_positions(s, &c.ids, &c.nsnaps)))
		goto out;
	if (!c.nsnaps) {
		rc = iw_error_set(IW_ENOTFOUND, "the database holds no snapshot yet");
		goto out;
	}
	c.snaps = iw_calloc(c.nsnaps, sizeof(*c.snaps));
	for (i = 0; i < c.nsnaps; i++)
		if (at_id && c.ids[i] == at_id)
			c.lo = c.hi = (int64_t)i + 1;
	c.at = at_id != 0;
	if (at_id == HISTORY_LATEST)
		c.lo = c.hi = (int64_t)c.nsnaps;
	else if (!at_id) {
		c.lo = 1;
		c.hi = (int64_t)c.nsnaps;
	} else if (!c.lo) {
		rc = iw_error_set(IW_ENOTFOUND, "no snapshot %lld", (long long)at_id);
		goto out;
	}
	if (q->name[0]) {
		if ((rc = store_versions_for_name(s, q->name, &c.versions)))
			goto out;
		rc = history_names(&c);
	} else {
		if (q->port_lo < 0 || q->port_hi > REGISTRY_PORT_MAX || q->port_lo > q->port_hi) {
			rc = iw_error_set(IW_EINVAL, "ports %d-%d are not within 0-%d", (int)q->port_lo,
			                  (int)q->port_hi, REGISTRY_PORT_MAX);
			goto out;
		}
		if ((rc = store_versions_for_ports(s, q->port_lo, q->port_hi, &c.versions)))
			goto out;
		rc = history_ports(&c);
	}
	if (!rc && !c.emitted)
		rc = history_not_found(&c);
out:
	for (i = 0; i < c.cache_alloc; i++)
		free(c.cache[i].person);
	free(c.cache);
	free(c.cand);
	free(c.bounds);
	free(c.rows);
	store_version_list_free(&c.versions);
	store_snapshots_free(c.snaps, c.nsnaps);
	free(c.ids);
	registry_doc_free(c.strings);
	return rc;
}
