/* changes_json.c: the change report as JSON, exactly issue 3's contract, for scripts. */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "reports/reports.h"
#include "common/banned.h"

int report_json_snapshot(iw_buf *out, const store_snapshot *s)
{
	int rc;
	if (!s)
		return iw_buf_adds(out, "null");
	if ((rc = iw_buf_printf(out, "{\"id\": %lld, \"registry_updated\": ", (long long)s->id)) ||
	    (rc = iw_buf_add_json_str(out, s->registry_updated[0] ? s->registry_updated : NULL)) ||
	    (rc = iw_buf_adds(out, ", \"observed_at\": ")) ||
	    (rc = iw_buf_add_json_str(out, s->observed_at[0] ? s->observed_at : NULL)) ||
	    (rc = iw_buf_adds(out, ", \"sha256\": ")) ||
	    (rc = iw_buf_add_json_str(out, s->sha256[0] ? s->sha256 : NULL)))
		return rc;
	return iw_buf_addc(out, '}');
}

/* A '\n'-separated list (registry.h) as a JSON array. */
static int report_json_list(iw_buf *out, const char *list)
{
	const char *p = list;
	int rc = iw_buf_addc(out, '[');
	while (!rc && p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *item = iw_strndup(p, len);
		if (p != list)
			rc = iw_buf_adds(out, ", ");
		if (!rc)
			rc = iw_buf_add_json_str(out, item);
		free(item);
		p = nl ? nl + 1 : NULL;
	}
	return rc ? rc : iw_buf_addc(out, ']');
}

static int report_json_int(iw_buf *out, int32_t v)
{
	if (v == REGISTRY_NO_PORT)
		return iw_buf_adds(out, "null");
	return iw_buf_printf(out, "%d", (int)v);
}

int report_json_record(iw_buf *out, const registry_record *r)
{
	int rc, f;
	if (!r)
		return iw_buf_adds(out, "null");
	if ((rc = iw_buf_adds(out, "{\"name\": ")) ||
	    (rc = iw_buf_add_json_str(out, r->f[REG_NAME])) ||
	    (rc = iw_buf_adds(out, ", \"protocol\": ")) ||
	    (rc = iw_buf_add_json_str(out, r->f[REG_PROTOCOL])) ||
	    (rc = iw_buf_adds(out, ", \"port\": ")) ||
	    (rc = report_json_int(out, r->port)) ||
	    (rc = iw_buf_adds(out, ", \"port_end\": ")) ||
	    (rc = report_json_int(out, r->port_end)))
		return rc;
	for (f = REG_DESCRIPTION; f < REG_NFIELDS; f++) {
		if ((rc = iw_buf_printf(out, ", \"%s\": ", registry_field_names[f])))
			return rc;
		rc = registry_field_is_list((registry_field)f) ? report_json_list(out, r->f[f])
		                                               : iw_buf_add_json_str(out, r->f[f]);
		if (rc)
			return rc;
	}
	return iw_buf_addc(out, '}');
}

static int report_json_side(iw_buf *out, const diff_change *c, const registry_record *r,
                            registry_status st)
{
	if (c->kind == DIFF_STATUS)
		return iw_buf_add_json_str(out, registry_status_names[st]);
	return report_json_record(out, r);
}

static int report_json_change(iw_buf *out, const diff_change *c)
{
	int rc, i;
	if ((rc = iw_buf_printf(out, "{\"kind\": \"%s\", \"name\": ", diff_kind_names[c->kind])) ||
	    (rc = iw_buf_add_json_str(out, c->name)) ||
	    (rc = iw_buf_adds(out, ", \"protocol\": ")) ||
	    (rc = iw_buf_add_json_str(out, c->protocol)) ||
	    (rc = iw_buf_adds(out, ", \"port\": ")) ||
	    (rc = report_json_int(out, c->port)) ||
	    (rc = iw_buf_adds(out, ", \"port_end\": ")) ||
	    (rc = report_json_int(out, c->port_end)))
		return rc;
	if (c->kind == DIFF_MODIFIED) {
		int first = 1;
		if ((rc = iw_buf_adds(out, ", \"fields\": [")))
			return rc;
		for (i = 0; i < DIFF_NCOMPARED; i++) {
			registry_field f = diff_compared_fields[i];
			if (!(c->fields & (1u << f)))
				continue;
			if ((rc = iw_buf_printf(out, "%s\"%s\"", first ? "" : ", ",
			                        registry_field_names[f])))
				return rc;
			first = 0;
		}
		if ((rc = iw_buf_addc(out, ']')))
			return rc;
	}
	if ((rc = iw_buf_adds(out, ", \"before\": ")) ||
	    (rc = report_json_side(out, c, c->before, c->status_before)) ||
	    (rc = iw_buf_adds(out, ", \"after\": ")) ||
	    (rc = report_json_side(out, c, c->after, c->status_after)))
		return rc;
	return iw_buf_addc(out, '}');
}

static int report_json_person(iw_buf *out, const diff_person_change *p)
{
	int rc, i, first = 1;
	if ((rc = iw_buf_printf(out, "{\"kind\": \"%s\", \"id\": ", diff_kind_names[p->kind])) ||
	    (rc = iw_buf_add_json_str(out, p->id)))
		return rc;
	if (p->kind == DIFF_MODIFIED) {
		if ((rc = iw_buf_adds(out, ", \"fields\": [")))
			return rc;
		for (i = 0; i < PERSON_NFIELDS; i++) {
			registry_person_field f = diff_person_fields[i];
			if (!(p->fields & (1u << f)))
				continue;
			if ((rc = iw_buf_printf(out, "%s\"%s\"", first ? "" : ", ",
			                        registry_person_field_names[f])))
				return rc;
			first = 0;
		}
		if ((rc = iw_buf_addc(out, ']')))
			return rc;
	}
	return iw_buf_addc(out, '}');
}

int report_changes_json(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                        const diff_result *d)
{
	size_t i, nchanges = d ? d->nchanges : 0, npeople = d ? d->npeople : 0;
	int rc;
	if ((rc = iw_buf_adds(out, "{\"from\": ")) ||
	    (rc = report_json_snapshot(out, from)) ||
	    (rc = iw_buf_adds(out, ", \"to\": ")) ||
	    (rc = report_json_snapshot(out, to)) ||
	    (rc = iw_buf_adds(out, ",\n \"changes\": [")))
		return rc;
	for (i = 0; i < nchanges; i++) {
		if ((rc = iw_buf_adds(out, i ? ",\n  " : "\n  ")) ||
		    (rc = report_json_change(out, &d->changes[i])))
			return rc;
	}
	if ((rc = iw_buf_adds(out, nchanges ? "\n ],\n \"people\": [" : "],\n \"people\": [")))
		return rc;
	for (i = 0; i < npeople; i++) {
		if ((rc = iw_buf_adds(out, i ? ",\n  " : "\n  ")) ||
		    (rc = report_json_person(out, &d->people[i])))
			return rc;
	}
	return iw_buf_adds(out, npeople ? "\n ]}\n" : "]}\n");
}
