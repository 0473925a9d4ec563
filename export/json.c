/* json.c: the registry at one snapshot as JSON: the snapshot, every record, every person. */
#include "common/common.h"
#include "export/export.h"
#include "common/banned.h"

static void json_person(iw_buf *out, const registry_person *p)
{
	int f;
	iw_buf_adds(out, "{\"id\": ");
	iw_buf_add_json_str(out, p->id);
	for (f = 0; f < PERSON_NFIELDS; f++) {
		iw_buf_printf(out, ", \"%s\": ", registry_person_field_names[f]);
		iw_buf_add_json_str(out, p->f[f]);
	}
	iw_buf_addc(out, '}');
}

int export_json(iw_buf *out, const store_snapshot *snap, const registry_doc *doc)
{
	size_t i;
	/* Record and snapshot objects are the change reports' own, so scripts share one parser. */
	iw_buf_adds(out, "{\"snapshot\": ");
	store_json_snapshot(out, snap);
	iw_buf_adds(out, ",\n\"records\": [");
	for (i = 0; i < doc->nrecords && !iw_buf_error(out); i++) {
		iw_buf_adds(out, i ? ",\n " : "\n ");
		registry_json_record(out, &doc->records[i]);
	}
	iw_buf_adds(out, doc->nrecords ? "\n],\n\"people\": [" : "],\n\"people\": [");
	for (i = 0; i < doc->npeople && !iw_buf_error(out); i++) {
		iw_buf_adds(out, i ? ",\n " : "\n ");
		json_person(out, &doc->people[i]);
	}
	iw_buf_adds(out, doc->npeople ? "\n]}\n" : "]}\n");
	return iw_buf_error(out);
}
