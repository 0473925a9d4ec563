/* changes_text.c: the change report as plain text, the changelog cron mails to a person. */
#include "common/common.h"
#include "changes_render.h"
#include "common/banned.h"

static int report_text_plain(iw_buf *out, const char *s, size_t len)
{
	return iw_buf_add(out, s, len);
}

const changes_style report_text_style = {
	.text = report_text_plain,
	.head = {"", ": ", "\n"},
	.group = {"\n", "\n"},
	.item = "  ",
	.subitem = "      ",
	.strong_open = "",
	.strong_close = "",
};

int report_changes_text(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                        const diff_result *d)
{
	return report_changes_format(out, REPORT_TEXT, from, to, d, NULL);
}
