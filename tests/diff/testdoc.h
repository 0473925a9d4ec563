/* testdoc.h: small registry documents from inline XML, and a one-line-per-change signature of a
 * diff, shared by the diff and change report tests. */
#ifndef IANAWATCH_TESTDOC_H
#define IANAWATCH_TESTDOC_H

#include "diff/diff.h"

/* A registry dated `date` holding `records` (XML of <record> elements) and `people` (XML of
 * <person> elements, may be ""), parsed and with people indexed. Fails the test on error. */
registry_doc *testdoc(const char *date, const char *records, const char *people);
/* A committed fixture under tests/data, parsed (gunzipped) with people indexed. */
registry_doc *testdoc_fixture(const char *file);
/* "kind name protocol port[-end] [fields]" per change, "person-kind id [fields]" per people
 * change, '\n'-joined; "-" for a missing value; status changes end in "before>after".
 * Caller frees. */
char *testdoc_signature(const diff_result *d);

#endif
