/* json.c: the registry at one snapshot as JSON: the snapshot, every record, every person. */
#include "common/common.h"
#include "export/export.h"
#include "common/banned.h"

static int json_person(iw_buf *out, const registry_person *p)
{
	int rc, f;
	if ((rc = iw_buf_adds(out, "{\"id\": ")) || (rc = iw_buf_add_json_str(out, p->id)))
		return rc;
	for (f = 0; f < PERSON_NFIELDS; f++)
		if ((rc = iw_buf_printf(out, ", \"%s\": ", registry_person_field_names[f])) ||
		    (rc = iw_buf_add_json_str(out, p->f[f])))
			return rc;
	return iw_buf_addc(out, '}');
}

int export_json(iw_buf *out, const store_snapshot *snap, const registry_doc *doc)
{
	size_t i;
	int rc;
	/* Record and snapshot objects are the change reports' own, so scripts share one parser. */
	if ((rc = iw_buf_adds(out, "{\"snapshot\": ")) || (rc = store_json_snapshot(out, snap)) ||
	    (rc = iw_buf_adds(out, ",\n\"records\": [")))
		return rc;
	for (i = 0; i < doc->nrecords; i++)
		if ((rc = iw_buf_adds(out, i ? ",\n " : "\n ")) ||
		    (rc = registry_json_record(out, &doc->records[i])))
			return rc;
	if ((rc = iw_buf_adds(out, doc->nrecords ? "\n],\n\"people\": [" : "],\n\"people\": [")))
		return rc;
	for (i = 0; i < doc->npeople; i++)
		if ((rc = iw_buf_adds(out, i ? ",\n " : "\n ")) ||
		    (rc = json_person(out, &doc->people[i])))
			return rc;
	return iw_buf_adds(out, doc->npeople ? "\n]}\n" : "]}\n");
}
