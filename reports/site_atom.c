/* site_atom.c: the Atom 1.0 feed of change sets (RFC 4287), its dates and entry ids. */
#include <string.h>

#include "common/common.h"
#include "site_int.h"
#include "common/banned.h"

/* The feed's own id: the same for every copy of the site, since every copy follows the same
 * registry; a tag URI (RFC 4151) never needs to resolve. */
#define SITE_FEED_ID "tag:ianawatch,2025:service-names-port-numbers"

int report_atom_time(const char *iso, char out[21])
{
	time_t t;
	out[0] = '\0';
	if (!iso || iw_time_parse(iso, &t))
		return iw_error_set(IW_EINVAL, "not an ISO 8601 UTC time: '%s'", iso ? iso : "(null)");
	iw_time_format(t, out);
	return IW_OK;
}

static int site_hex_digit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int report_atom_entry_id(const char *sha256_hex, char out[46])
{
	static const char hex[] = "0123456789abcdef";
	char h[32];
	size_t i, o = 0;
	out[0] = '\0';
	if (!sha256_hex || strlen(sha256_hex) != 64)
		return iw_error_set(IW_EINVAL, "not a SHA-256 in hex: '%s'",
		                    sha256_hex ? sha256_hex : "(null)");
	for (i = 0; i < 64; i++)
		if (!site_hex_digit(sha256_hex[i]))
			return iw_error_set(IW_EINVAL, "not a SHA-256 in hex: '%s'", sha256_hex);
	for (i = 0; i < 32; i++) {
		char c = sha256_hex[i];
		h[i] = (char)(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
	}
	/* RFC 9562: version 8 (custom) in the 13th digit, variant 10xx in the 17th. */
	h[12] = '8';
	{
		int v = h[16] <= '9' ? h[16] - '0' : h[16] - 'a' + 10;
		h[16] = hex[(v & 0x3) | 0x8];
	}
	memcpy(out, "urn:uuid:", 9);
	o = 9;
	for (i = 0; i < 32; i++) {
		if (i == 8 || i == 12 || i == 16 || i == 20)
			out[o++] = '-';
		out[o++] = h[i];
	}
	out[o] = '\0';
	return IW_OK;
}

static void site_atom_text(iw_buf *out, const char *tag, const char *s, size_t len)
{
	iw_buf_printf(out, "<%s>", tag);
	report_html_escape(out, s, len);
	iw_buf_printf(out, "</%s>\n", tag);
}

int report_atom_feed(iw_buf *out, const report_feed_entry *e, size_t n, const char *updated)
{
	char when[21];
	size_t i;
	int rc;

	if ((rc = report_atom_time(updated, when)))
		return rc;
	iw_buf_printf(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	              "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n"
	              "<id>" SITE_FEED_ID "</id>\n"
	              "<title>IANA port registry changes</title>\n"
	              "<subtitle>What changed in IANA&#39;s Service Name and Transport Protocol "
	              "Port Number Registry, one entry per change.</subtitle>\n"
	              "<updated>%s</updated>\n"
	              "<author><name>ianawatch</name></author>\n"
	              "<generator version=\"" IANAWATCH_VERSION "\">ianawatch</generator>\n"
	              "<link rel=\"alternate\" type=\"text/html\" href=\"index.html\"/>\n"
	              "<link rel=\"self\" type=\"application/atom+xml\" href=\"feed.atom\"/>\n",
	              when);
	for (i = 0; i < n; i++) {
		char id[46], entry_when[21];
		iw_buf title = IW_BUF_INIT(4096);
		if ((rc = report_atom_entry_id(e[i].to->sha256, id)) ||
		    (rc = report_atom_time(e[i].to->observed_at, entry_when)))
			return rc;
		iw_buf_printf(&title, "Registry %s: %s", e[i].to->registry_updated, e[i].counts);
		if ((rc = iw_buf_error(&title))) {
			iw_buf_free(&title);
			return rc;
		}
		iw_buf_printf(out, "<entry>\n<id>%s</id>\n", id);
		site_atom_text(out, "title", title.data, title.len);
		iw_buf_printf(out, "<updated>%s</updated>\n<published>%s</published>\n"
		              "<link rel=\"alternate\" type=\"text/html\" href=\"", entry_when,
		              entry_when);
		report_html_escape(out, e[i].href, strlen(e[i].href));
		iw_buf_adds(out, "\"/>\n");
		site_atom_text(out, "summary", e[i].counts, strlen(e[i].counts));
		/* The change set's HTML, escaped once more as Atom's type="html" wants. */
		iw_buf_adds(out, "<content type=\"html\">");
		report_html_escape(out, e[i].content, e[i].content_len);
		iw_buf_adds(out, "</content>\n</entry>\n");
		iw_buf_free(&title);
	}
	iw_buf_adds(out, "</feed>\n");
	return iw_buf_error(out);
}
