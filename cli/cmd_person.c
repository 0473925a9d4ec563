/* cmd_person.c: `ianawatch person`: a person's own record over time and every entry they held. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "common/banned.h"

#define PERSON_OUTPUT_CAP (16u * 1024 * 1024)

static cli_format person_format;

static const cli_option person_options[] = {
	CLI_OPTION_FORMAT(
	    &person_format, 1L << FORMAT_TEXT | 1L << FORMAT_JSON,
	    "text (default) or json: {\"snapshots\": N, \"people\": [{\"id\", \"versions\":\n"
	    "[{\"from\": SNAP, \"to\": SNAP, \"name\", \"org\", \"uri\", \"updated\"}, ...],\n"
	    "\"entries\": [{\"name\", \"protocol\", \"port\", \"port_end\", \"roles\":\n"
	    "[\"assignee\", \"contact\"], \"from\": SNAP, \"to\": SNAP}, ...]}, ...]}"),
	CLI_OPTION_HELP,
	CLI_OPTION_END,
};

static const cli_command_spec person_spec = {
	"person",
	"ianawatch person WHO [--format text|json]",
	"A person of the registry's people list, over every stored snapshot: their own record\n"
	"(name, organisation, uri, updated) in each state it went through, with the registry\n"
	"dates of the first and last snapshots holding it (\"now\" for the latest), then every\n"
	"entry that listed them as assignee or contact, with the stretches of snapshots in\n"
	"which it did. WHO is a person id (Bernie_Volz) or a name (\"bernie volz\"), matched\n"
	"case-insensitively; a name shared by several ids lists each of them.",
	person_options,
	"Exit status: 0 done; 2 a bad command line or output that could not be written; 4 no\n"
	"such person (with up to three suggestions) or the database holds no snapshot; the\n"
	"other statuses of ianawatch(1) for database failures.",
	"give a person id or name", 1, "quote a name with spaces",
};

CLI_DEFINE_SPEC(person, person_spec)

#define PERSON_ASSIGNEE 1
#define PERSON_CONTACT 2

/* One stretch of snapshots in which an entry listed the person in one role. */
typedef struct person_span {
	const registry_record *rec; /* the stretch's latest version */
	int roles;                  /* PERSON_ASSIGNEE | PERSON_CONTACT */
	int64_t first_pos, last_pos;
} person_span;

static int person_key_cmp(const person_span *a, const person_span *b)
{
	int c = strcasecmp(a->rec->f[REG_NAME] ? a->rec->f[REG_NAME] : "",
	                   b->rec->f[REG_NAME] ? b->rec->f[REG_NAME] : "");
	if (c)
		return c;
	if ((c = registry_strcmp_null(a->rec->f[REG_PROTOCOL], b->rec->f[REG_PROTOCOL])))
		return c;
	if (a->rec->port != b->rec->port)
		return a->rec->port < b->rec->port ? -1 : 1;
	if (a->rec->port_end != b->rec->port_end)
		return a->rec->port_end < b->rec->port_end ? -1 : 1;
	return a->roles - b->roles;
}

static int person_span_qcmp(const void *x, const void *y)
{
	const person_span *a = x, *b = y;
	int c = person_key_cmp(a, b);
	if (c)
		return c;
	return a->first_pos < b->first_pos ? -1 : a->first_pos > b->first_pos;
}

/* Order of the output: by when the stretch began, then by entry. */
static int person_out_qcmp(const void *x, const void *y)
{
	const person_span *a = x, *b = y;
	if (a->first_pos != b->first_pos)
		return a->first_pos < b->first_pos ? -1 : 1;
	return person_key_cmp(a, b);
}

/* The person's roles in vl, as maximal stretches per (entry, role). *out is the caller's. */
static size_t person_spans(const store_version_list *vl, const char *pid, person_span **out)
{
	person_span *v = iw_malloc((vl->n + 1) * sizeof(*v));
	size_t n = 0, i, k;
	for (i = 0; i < vl->n; i++) {
		int roles = registry_list_has(vl->v[i].rec.f[REG_ASSIGNEE], pid, 1) * PERSON_ASSIGNEE |
		            registry_list_has(vl->v[i].rec.f[REG_CONTACT], pid, 1) * PERSON_CONTACT;
		if (!roles)
			continue;
		v[n].rec = &vl->v[i].rec;
		v[n].roles = roles;
		v[n].first_pos = vl->v[i].first_pos;
		v[n].last_pos = vl->v[i].last_pos;
		n++;
	}
	qsort(v, n, sizeof(*v), person_span_qcmp);
	for (i = 0, k = 0; i < n; i++) {
		if (k && !person_key_cmp(&v[k - 1], &v[i]) && v[i].first_pos <= v[k - 1].last_pos + 1) {
			if (v[i].last_pos > v[k - 1].last_pos) {
				v[k - 1].last_pos = v[i].last_pos;
				v[k - 1].rec = v[i].rec;
			}
			continue;
		}
		v[k++] = v[i];
	}
	qsort(v, k, sizeof(*v), person_out_qcmp);
	*out = v;
	return k;
}

typedef struct person_out {
	iw_buf *b;
	cli_format format;
	const store_snapshot *snaps;
	size_t nsnaps;
	size_t people;
} person_out;

static const char *const person_roles_text[] = {"", "assignee", "contact", "assignee, contact"};
static const char *const person_roles_json[] = {
	"", "\"assignee\"", "\"contact\"", "\"assignee\", \"contact\""};

static void person_span_text(person_out *o, int64_t first, int64_t last)
{
	char span[64];
	snprintf(span, sizeof(span), "%s .. %s", o->snaps[first - 1].registry_updated,
	         (size_t)last == o->nsnaps ? "now" : o->snaps[last - 1].registry_updated);
	iw_buf_printf(o->b, "  %-24s  ", span);
}

static void person_entry_label(iw_buf *b, const registry_record *r)
{
	iw_buf_adds(b, r->f[REG_NAME] ? r->f[REG_NAME] : "(unnamed)");
	if (r->port != REGISTRY_NO_PORT) {
		iw_buf_printf(b, " %d", r->port);
		if (r->port_end != r->port)
			iw_buf_printf(b, "-%d", r->port_end);
		if (r->f[REG_PROTOCOL])
			iw_buf_printf(b, "/%s", r->f[REG_PROTOCOL]);
	} else if (r->f[REG_PROTOCOL]) {
		iw_buf_printf(b, " (%s, no port)", r->f[REG_PROTOCOL]);
	} else {
		iw_buf_adds(b, " (no port)");
	}
}

static void person_render(person_out *o, const store_version *pv, size_t npv,
                          const person_span *sp, size_t nsp)
{
	iw_buf *b = o->b;
	size_t i;
	int f;

	if (o->format == FORMAT_JSON) {
		iw_buf_adds(b, o->people++ ? ",\n{\"id\": " : "\n{\"id\": ");
		iw_buf_add_json_str(b, pv[0].p.id);
		iw_buf_adds(b, ", \"versions\": [");
		for (i = 0; i < npv; i++) {
			iw_buf_adds(b, i ? ", {\"from\": " : "{\"from\": ");
			store_json_snapshot(b, &o->snaps[pv[i].first_pos - 1]);
			iw_buf_adds(b, ", \"to\": ");
			store_json_snapshot(b, &o->snaps[pv[i].last_pos - 1]);
			for (f = 0; f < PERSON_NFIELDS; f++) {
				iw_buf_printf(b, ", \"%s\": ", registry_person_field_names[f]);
				iw_buf_add_json_str(b, pv[i].p.f[f]);
			}
			iw_buf_addc(b, '}');
		}
		iw_buf_adds(b, "], \"entries\": [");
		for (i = 0; i < nsp; i++) {
			const registry_record *r = sp[i].rec;
			iw_buf_adds(b, i ? ",\n  {\"name\": " : "\n  {\"name\": ");
			iw_buf_add_json_str(b, r->f[REG_NAME]);
			iw_buf_adds(b, ", \"protocol\": ");
			iw_buf_add_json_str(b, r->f[REG_PROTOCOL]);
			iw_buf_adds(b, ", ");
			registry_json_ports(b, r->port, r->port_end);
			iw_buf_printf(b, ", \"roles\": [%s], \"from\": ", person_roles_json[sp[i].roles]);
			store_json_snapshot(b, &o->snaps[sp[i].first_pos - 1]);
			iw_buf_adds(b, ", \"to\": ");
			store_json_snapshot(b, &o->snaps[sp[i].last_pos - 1]);
			iw_buf_addc(b, '}');
		}
		iw_buf_adds(b, "]}");
		return;
	}
	if (o->people++)
		iw_buf_addc(b, '\n');
	iw_buf_printf(b, "%s\n", pv[0].p.id);
	for (i = 0; i < npv; i++) {
		const char *sep = "";
		person_span_text(o, pv[i].first_pos, pv[i].last_pos);
		for (f = 0; f < PERSON_NFIELDS; f++)
			if (pv[i].p.f[f]) {
				iw_buf_printf(b, "%s%s%s", sep, f == PERSON_UPDATED ? "updated " : "",
				              pv[i].p.f[f]);
				sep = ", ";
			}
		iw_buf_addc(b, '\n');
	}
	if (!nsp) {
		iw_buf_adds(b, "  no entry listed them as assignee or contact\n");
		return;
	}
	iw_buf_printf(b, "entries (%zu):\n", nsp);
	for (i = 0; i < nsp; i++) {
		person_span_text(o, sp[i].first_pos, sp[i].last_pos);
		iw_buf_printf(b, "%-17s  ", person_roles_text[sp[i].roles]);
		person_entry_label(b, sp[i].rec);
		if (sp[i].rec->f[REG_DESCRIPTION])
			iw_buf_printf(b, "  %s", sp[i].rec->f[REG_DESCRIPTION]);
		iw_buf_addc(b, '\n');
	}
}

/* "no person 'x' in any snapshot; did you mean a, b or c?" */
static int person_not_found(store *st, const char *who)
{
	char **sugg = NULL;
	size_t n = 0, i;
	iw_buf m = IW_BUF_INIT(1024);
	int rc;

	iw_buf_printf(&m, "no person %s in any snapshot (ids and names are matched, case ignored)",
	              cli_quote(who));
	if (store_suggest(st, STORE_SUGGEST_PEOPLE, who, &sugg, &n) == IW_OK && n) {
		iw_buf_adds(&m, "; did you mean ");
		for (i = 0; i < n; i++)
			iw_buf_printf(&m, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", sugg[i]);
		iw_buf_addc(&m, '?');
	}
	store_suggestions_free(sugg, n);
	rc = iw_error_set(IW_ENOTFOUND, "%s", iw_buf_error(&m) ? "no such person" : m.data);
	iw_buf_free(&m);
	return rc;
}

/* Every person matching `who` (a cli_query_fn). */
static int person_query(cli_ctx *ctx, const store_snapshot *snaps, size_t nsnaps, iw_buf *out,
                        void *arg, int *status)
{
	const char *who = arg;
	store_version_list pl = {0};
	person_out o;
	size_t i, j;
	int rc;

	(void)status;
	memset(&o, 0, sizeof(o));
	o.b = out;
	o.format = person_format;
	o.snaps = snaps;
	o.nsnaps = nsnaps;
	rc = store_person_versions(ctx->st, who, &pl);
	if (rc == IW_ENOTFOUND)
		return person_not_found(ctx->st, who);
	if (rc)
		return rc;
	if (o.format == FORMAT_JSON)
		iw_buf_printf(out, "{\"snapshots\": %zu, \"people\": [", nsnaps);
	for (i = 0; i < pl.n && !rc; i = j) {
		store_version_list vl = {0};
		person_span *sp = NULL;
		size_t nsp;
		for (j = i + 1; j < pl.n && !strcmp(pl.v[j].p.id, pl.v[i].p.id); j++)
			;
		if ((rc = store_versions_for_person(ctx->st, pl.v[i].p.id, &vl)))
			break;
		nsp = person_spans(&vl, pl.v[i].p.id, &sp);
		person_render(&o, &pl.v[i], j - i, sp, nsp);
		free(sp);
		store_version_list_free(&vl);
	}
	if (!rc && o.format == FORMAT_JSON)
		iw_buf_adds(out, "\n]}\n");
	store_version_list_free(&pl);
	return rc;
}

int cmd_person(cli_ctx *ctx, int argc, char **argv)
{
	int n, rc;

	person_format = FORMAT_TEXT;
	if ((rc = cli_parse_options(&person_spec, ctx, argc, argv, &n)) != CLI_PARSED)
		return rc;
	if (!argv[1][0] || strlen(argv[1]) > 4 * CLI_QUOTE_MAX)
		return cli_usage_error("%s is no person id or name", cli_quote(argv[1]));
	return cli_query(ctx, PERSON_OUTPUT_CAP, person_query, argv[1]);
}
