/* diff_int.h: what diff/'s own files share (not part of the public diff.h). */
#ifndef IANAWATCH_DIFF_INT_H
#define IANAWATCH_DIFF_INT_H

#include <stddef.h>

#include "diff/diff.h"

/* Keeps the changes whose moved_to[i] is not (size_t)-1, in order (moved_to[i] is where
 * change i lands), so that the pairs' partner indexes stay true; frees moved_to. */
void diff_compact_changes(diff_result *r, size_t *moved_to);

#endif
