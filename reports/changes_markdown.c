/* changes_markdown.c: the change report as Markdown, for pasting into tickets. */
#include <string.h>

#include "common/common.h"
#include "changes_render.h"
#include "common/banned.h"

/* Registry text only ever stands inside a list item or emphasis, never at a line start, so
 * escaping the inline specials is enough: emphasis, code, links, HTML and entities, tables
 * and strike-through. */
static int report_md_text(iw_buf *out, const char *s, size_t len)
{
	static const char specials[] = "\\`*_[]<>|~&#!";
	size_t i, run = 0;
	for (i = 0; i < len; i++) {
		if (!memchr(specials, s[i], sizeof(specials) - 1))
			continue;
		iw_buf_add(out, s + run, i - run);
		iw_buf_addc(out, '\\');
		run = i;
	}
	iw_buf_add(out, s + run, len - run);
	return iw_buf_error(out);
}

const changes_style report_markdown_style = {
	.text = report_md_text,
	.head = {"## ", "\n\n", ".\n"},
	.group = {"\n### ", "\n\n"},
	.item = "- ",
	.subitem = "  - ",
	.strong_open = "**",
	.strong_close = "**",
};

int report_changes_markdown(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                            const diff_result *d)
{
	return report_changes_format(out, REPORT_MARKDOWN, from, to, d, NULL);
}
