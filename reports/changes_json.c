/* changes_json.c: the change report as JSON, exactly issue 3's contract, for scripts. */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "changes_render.h"
#include "common/banned.h"

/* Appends are sticky (iw_buf): the functions below write freely and report_changes_json()
 * checks the buffer once. */

static void report_json_side(iw_buf *out, const diff_change *c, const registry_record *r,
                             registry_status st)
{
	if (c->kind == DIFF_STATUS)
		iw_buf_add_json_str(out, registry_status_names[st]);
	else
		registry_json_record(out, r);
}

/* The "fields" of a modification: the names of those in mask, in the diff's compared order
 * (a record's fields, or a person's when people). */
static void report_json_fields(iw_buf *out, unsigned mask, int people)
{
	size_t i, n = people ? PERSON_NFIELDS : DIFF_NCOMPARED;
	int first = 1;
	iw_buf_adds(out, ", \"fields\": [");
	for (i = 0; i < n; i++) {
		int f = people ? (int)diff_person_fields[i] : (int)diff_compared_fields[i];
		if (!(mask & (1u << f)))
			continue;
		iw_buf_printf(out, "%s\"%s\"", first ? "" : ", ",
		              people ? registry_person_field_names[f] : registry_field_names[f]);
		first = 0;
	}
	iw_buf_addc(out, ']');
}

static void report_json_change(iw_buf *out, const diff_change *c, int sev)
{
	iw_buf_printf(out, "{\"kind\": \"%s\", \"name\": ", diff_kind_names[c->kind]);
	iw_buf_add_json_str(out, c->name);
	iw_buf_adds(out, ", \"protocol\": ");
	iw_buf_add_json_str(out, c->protocol);
	iw_buf_adds(out, ", ");
	registry_json_ports(out, c->port, c->port_end);
	if (c->kind == DIFF_MODIFIED)
		report_json_fields(out, c->fields, 0);
	/* A move or rename names its other half by its index in the same "changes" array
	 * (the array holds every change of d, in order). */
	if (c->pair)
		iw_buf_printf(out, ", \"pair\": {\"kind\": \"%s\", \"index\": %zu}",
		              diff_kind_words[c->pair == DIFF_PAIR_MOVED ? DIFF_MOVED
		                                                         : DIFF_RENAMED].name,
		              c->partner);
	iw_buf_adds(out, ", \"before\": ");
	report_json_side(out, c, c->before, c->status_before);
	iw_buf_adds(out, ", \"after\": ");
	report_json_side(out, c, c->after, c->status_after);
	if (sev >= 0)
		iw_buf_printf(out, ", \"severity\": \"%s\"", watch_severity_names[sev]);
	iw_buf_addc(out, '}');
}

static void report_json_person(iw_buf *out, const diff_person_change *p, int sev)
{
	iw_buf_printf(out, "{\"kind\": \"%s\", \"id\": ", diff_kind_names[p->kind]);
	iw_buf_add_json_str(out, p->id);
	if (p->kind == DIFF_MODIFIED)
		report_json_fields(out, p->fields, 1);
	if (sev)
		iw_buf_printf(out, ", \"severity\": \"%s\"",
		              watch_severity_names[watch_person_severity(p)]);
	iw_buf_addc(out, '}');
}

int report_changes_json(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                        const diff_result *d)
{
	return report_changes_format(out, REPORT_JSON, from, to, d, NULL);
}

int report_changes_json_sev(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                            const diff_result *d, const watch_severity *sev)
{
	size_t i, nchanges = d ? d->nchanges : 0, npeople = d ? d->npeople : 0;
	iw_buf_adds(out, "{\"from\": ");
	store_json_snapshot(out, from);
	iw_buf_adds(out, ", \"to\": ");
	store_json_snapshot(out, to);
	iw_buf_adds(out, ",\n \"changes\": [");
	for (i = 0; i < nchanges; i++) {
		iw_buf_adds(out, i ? ",\n  " : "\n  ");
		report_json_change(out, &d->changes[i], sev ? (int)sev[i] : -1);
	}
	iw_buf_adds(out, nchanges ? "\n ],\n \"people\": [" : "],\n \"people\": [");
	for (i = 0; i < npeople; i++) {
		iw_buf_adds(out, i ? ",\n  " : "\n  ");
		report_json_person(out, &d->people[i], sev != NULL);
	}
	iw_buf_adds(out, npeople ? "\n ]}\n" : "]}\n");
	return iw_buf_error(out);
}
