/* cmd_search.c: `ianawatch search`: full-text search over every version of every record and person. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/banned.h"

#define SEARCH_OUTPUT_CAP (64u * 1024 * 1024)
#define SEARCH_MAX_TEXT 1024

static cli_format search_format;

static const cli_option search_options[] = {
	CLI_OPTION_FORMAT(
	    &search_format, 1L << FORMAT_TEXT | 1L << FORMAT_JSON,
	    "text (default) or json: {\"snapshots\": N, \"query\": TEXT, \"hits\": [{\"kind\":\n"
	    "\"entry\"|\"person\", \"name\", \"protocol\", \"port\", \"port_end\", \"from\":\n"
	    "SNAP, \"to\": SNAP, \"versions\", \"score\", \"text\"}, ...]}, SNAP as in `diff`"),
	CLI_OPTION_HELP,
	CLI_OPTION_END,
};

static const cli_command_spec search_spec = {
	"search",
	"ianawatch search TEXT... [--format text|json]",
	"Full-text search over every stored version of every record (service name, description,\n"
	"notes, assignee and contact ids, references) and person (id, name, organisation, uri).\n"
	"Every word is required and matched as a whole word, case and accents ignored; there is\n"
	"no query syntax. Results are grouped by entry (a service name on one protocol, or an\n"
	"unnamed record's port) or person, best match first (SQLite FTS5's bm25), each with the\n"
	"registry dates of the first and last snapshots in which the text matched (\"now\" for\n"
	"the latest) and how many stored versions matched.",
	search_options,
	"Exit status: 0 something matched; 1 nothing matched (as grep(1)); 2 a bad command line\n"
	"or output that could not be written; 4 the database holds no snapshot; the other\n"
	"statuses of ianawatch(1) for database failures.",
	"give the text to search for", CLI_ANY_OPERANDS, NULL,
};

CLI_DEFINE_SPEC(search, search_spec)


/* "compressnet/tcp, port 3", "person Bernie_Volz", "(unnamed) 2/tcp". */
static void search_entry_label(iw_buf *b, const store_search_hit *h)
{
	if (h->is_person) {
		iw_buf_printf(b, "person %s", h->name);
		return;
	}
	if (!h->name) {
		iw_buf_printf(b, "(unnamed) %d", h->port);
		if (h->port_end != h->port)
			iw_buf_printf(b, "-%d", h->port_end);
		if (h->protocol)
			iw_buf_printf(b, "/%s", h->protocol);
		return;
	}
	iw_buf_adds(b, h->name);
	if (h->protocol)
		iw_buf_printf(b, "/%s", h->protocol);
	if (h->port != REGISTRY_NO_PORT && h->port_end != h->port)
		iw_buf_printf(b, ", ports %d-%d", h->port, h->port_end);
	else if (h->port != REGISTRY_NO_PORT)
		iw_buf_printf(b, ", port %d", h->port);
}

static void search_text_hit(iw_buf *b, const store_search_hit *h, const store_snapshot *from,
                            const store_snapshot *to, int to_latest)
{
	search_entry_label(b, h);
	iw_buf_printf(b, "\n  %s .. %s, %zu version%s", from->registry_updated,
	              to_latest ? "now" : to->registry_updated, h->versions,
	              h->versions == 1 ? "" : "s");
	if (h->text)
		iw_buf_printf(b, ": %s", h->text);
	iw_buf_addc(b, '\n');
}

static void search_json_hit(iw_buf *b, const store_search_hit *h, const store_snapshot *from,
                            const store_snapshot *to)
{
	iw_buf_printf(b, "{\"kind\": \"%s\", \"name\": ", h->is_person ? "person" : "entry");
	iw_buf_add_json_str(b, h->name);
	iw_buf_adds(b, ", \"protocol\": ");
	iw_buf_add_json_str(b, h->protocol);
	iw_buf_adds(b, ", ");
	registry_json_ports(b, h->port, h->port_end);
	iw_buf_adds(b, ", \"from\": ");
	store_json_snapshot(b, from);
	iw_buf_adds(b, ", \"to\": ");
	store_json_snapshot(b, to);
	iw_buf_printf(b, ", \"versions\": %zu, \"score\": %.3f, \"text\": ", h->versions, h->score);
	iw_buf_add_json_str(b, h->text);
	iw_buf_addc(b, '}');
}

/* The hits of the text `arg` (a cli_query_fn): 1 as grep(1) when there is none. */
static int search_query(cli_ctx *ctx, const store_snapshot *snaps, size_t nids, iw_buf *b,
                        void *arg, int *status)
{
	const char *text = arg;
	store_search_list hits = {0};
	size_t i;
	int rc;

	/* One query for every snapshot, not two per hit. */
	if ((rc = store_search(ctx->st, text, &hits)))
		return rc;
	if (search_format == FORMAT_JSON) {
		iw_buf_printf(b, "{\"snapshots\": %zu, \"query\": ", nids);
		iw_buf_add_json_str(b, text);
		iw_buf_adds(b, ", \"hits\": [");
	}
	for (i = 0; i < hits.n && !rc; i++) {
		const store_search_hit *h = &hits.v[i];
		if (h->first_pos < 1 || h->last_pos < h->first_pos || (size_t)h->last_pos > nids) {
			rc = iw_error_set(IW_EDB, "search hit at positions %lld-%lld of %zu",
			                  (long long)h->first_pos, (long long)h->last_pos, nids);
			break;
		}
		if (search_format == FORMAT_JSON) {
			iw_buf_adds(b, i ? ",\n" : "\n");
			search_json_hit(b, h, &snaps[h->first_pos - 1], &snaps[h->last_pos - 1]);
		} else {
			search_text_hit(b, h, &snaps[h->first_pos - 1], &snaps[h->last_pos - 1],
			                (size_t)h->last_pos == nids);
		}
	}
	if (!rc && search_format == FORMAT_JSON)
		iw_buf_adds(b, hits.n ? "\n]}\n" : "]}\n");
	*status = hits.n ? EXIT_OK : EXIT_CHANGES;
	store_search_list_free(&hits);
	return rc;
}

int cmd_search(cli_ctx *ctx, int argc, char **argv)
{
	iw_buf text;
	int i, n, rc;

	search_format = FORMAT_TEXT;
	if ((rc = cli_parse_options(&search_spec, ctx, argc, argv, &n)) != CLI_PARSED)
		return rc;
	iw_buf_init(&text, SEARCH_MAX_TEXT);
	for (i = 1; i <= n; i++) {
		if (i > 1)
			iw_buf_addc(&text, ' ');
		iw_buf_adds(&text, argv[i]);
	}
	if (iw_buf_error(&text))
		rc = cli_usage_error("the search text is longer than %d characters", SEARCH_MAX_TEXT - 1);
	else if (strspn(text.data, " \t\n\r\f\v") == text.len)
		rc = cli_usage_error("give the text to search for, not only blanks");
	else
		rc = cli_query(ctx, SEARCH_OUTPUT_CAP, search_query, text.data);
	iw_buf_free(&text);
	return rc;
}
