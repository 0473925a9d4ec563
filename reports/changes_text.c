/* changes_text.c: the change report as plain text, the changelog cron mails to a person. */
#include "common/common.h"
#include "changes_render.h"
#include "common/banned.h"

static int report_text_plain(iw_buf *out, const char *s, size_t len)
{
	return iw_buf_add(out, s, len);
}

static int report_text_headline(iw_buf *out, const char *title, const char *counts)
{
	return iw_buf_printf(out, "%s: %s\n", title, counts);
}

static int report_text_group(iw_buf *out, const char *title)
{
	return iw_buf_printf(out, "\n%s\n", title);
}

static const changes_style report_text_style = {
	report_text_plain, report_text_headline, report_text_group, "  ", "      ", "", "",
};

int report_changes_text(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                        const diff_result *d)
{
	return report_changes_render(out, from, to, d, NULL, &report_text_style);
}

int report_changes_text_sev(iw_buf *out, const store_snapshot *from, const store_snapshot *to,
                        const diff_result *d, const watch_severity *sev)
{
	return report_changes_render(out, from, to, d, sev, &report_text_style);
}
