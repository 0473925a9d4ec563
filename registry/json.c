/* json.c: a record as JSON and a person as a label, the forms every reader of records shares. */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "registry/registry.h"
#include "common/banned.h"

/* A '\n'-separated list (registry.h) as a JSON array. */
static void registry_json_list(iw_buf *out, const char *list)
{
	const char *p = list;
	iw_buf_addc(out, '[');
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *item = iw_strndup(p, len);
		if (p != list)
			iw_buf_adds(out, ", ");
		iw_buf_add_json_str(out, item);
		free(item);
		p = nl ? nl + 1 : NULL;
	}
	iw_buf_addc(out, ']');
}

int registry_json_ports(iw_buf *out, int32_t port, int32_t port_end)
{
	if (port == REGISTRY_NO_PORT)
		iw_buf_adds(out, "\"port\": null, \"port_end\": null");
	else
		iw_buf_printf(out, "\"port\": %d, \"port_end\": %d", (int)port, (int)port_end);
	return iw_buf_error(out);
}

int registry_json_record(iw_buf *out, const registry_record *r)
{
	int f;
	if (!r)
		return iw_buf_adds(out, "null");
	iw_buf_adds(out, "{\"name\": ");
	iw_buf_add_json_str(out, r->f[REG_NAME]);
	iw_buf_adds(out, ", \"protocol\": ");
	iw_buf_add_json_str(out, r->f[REG_PROTOCOL]);
	iw_buf_adds(out, ", ");
	registry_json_ports(out, r->port, r->port_end);
	for (f = REG_DESCRIPTION; f < REG_NFIELDS; f++) {
		iw_buf_printf(out, ", \"%s\": ", registry_field_names[f]);
		if (registry_field_is_list((registry_field)f))
			registry_json_list(out, r->f[f]);
		else
			iw_buf_add_json_str(out, r->f[f]);
	}
	iw_buf_addc(out, '}');
	return iw_buf_error(out);
}

int registry_person_label(iw_buf *out, const registry_doc *doc, const registry_doc *fallback,
                          const char *id)
{
	const registry_person *p = doc ? registry_doc_person(doc, id) : NULL;
	const char *name, *org;
	if (!p && fallback)
		p = registry_doc_person(fallback, id);
	if (!p || (!p->f[PERSON_NAME] && !p->f[PERSON_ORG]))
		return iw_buf_adds(out, id ? id : "(unknown)");
	name = p->f[PERSON_NAME];
	org = p->f[PERSON_ORG];
	if (name && org && strcmp(name, org))
		return iw_buf_printf(out, "%s (%s)", name, org);
	return iw_buf_adds(out, name ? name : org);
}
