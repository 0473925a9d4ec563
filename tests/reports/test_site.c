/* test_site.c: the site of the committed real snapshots: files, XML, feed, links, increments. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "common/common.h"
#include "reports/reports.h"
#include "site_int.h"
#include "store/store.h"
#include "common/banned.h"

/* tests/data/MANIFEST.tsv: the committed versions and when they were observed. */
static const char *const fixtures[][2] = {
	{"2017-03-10.xml.gz", "2017-03-14T19:45:24Z"},
	{"2025-01-23.xml.gz", "2025-01-24T01:44:55Z"},
	{"2025-02-13.xml.gz", "2025-02-14T01:46:39Z"},
};
#define NFIXTURES 3

static char *temp_dir(void)
{
	char tmpl[] = "/tmp/iwsiteXXXXXX";
	if (!mkdtemp(tmpl))
		fail_msg("mkdtemp failed");
	return iw_strdup(tmpl);
}

static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	if (!d) {
		unlink(path);
		return;
	}
	while ((e = readdir(d))) {
		char *p;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		p = iw_asprintf("%s/%s", path, e->d_name);
		remove_tree(p);
		free(p);
	}
	closedir(d);
	rmdir(path);
}

static void import_bytes(store *st, const unsigned char *data, size_t len, const char *name,
                         const char *observed)
{
	registry_doc *doc = NULL;
	store_import_opts o;
	store_import_result res;
	store_import_opts_init(&o);
	o.source = name;
	assert_int_equal(iw_time_parse(observed, &o.observed_at), IW_OK);
	if (registry_parse(data, len, name, &doc))
		fail_msg("parse %s: %s", name, iw_error_last());
	if (store_import(st, doc, data, len, &o, &res))
		fail_msg("import %s: %s", name, iw_error_last());
	assert_int_equal(res.created, 1);
	registry_doc_free(doc);
}

static void import_fixture(store *st, size_t i)
{
	char path[4096];
	unsigned char *data = NULL;
	size_t len = 0;
	snprintf(path, sizeof(path), "%s/tests/data/%s", IW_SOURCE_DIR, fixtures[i][0]);
	if (iw_read_file(path, REGISTRY_MAX_DOC_SIZE, &data, &len))
		fail_msg("read %s: %s", path, iw_error_last());
	import_bytes(st, data, len, fixtures[i][0], fixtures[i][1]);
	free(data);
}

/* A database in dir holding the first n committed versions. */
static store *fixture_store(const char *dir, size_t n)
{
	char *path = iw_asprintf("%s/test.db", dir);
	store *st = NULL;
	size_t i;
	if (store_open(&st, path, STORE_WRITE | STORE_CREATE))
		fail_msg("open %s: %s", path, iw_error_last());
	free(path);
	for (i = 0; i < n; i++)
		import_fixture(st, i);
	return st;
}

static char *read_text(const char *path)
{
	unsigned char *data = NULL;
	size_t len = 0;
	if (iw_read_file(path, 1u << 28, &data, &len))
		fail_msg("read %s: %s", path, iw_error_last());
	return (char *)data;
}

static xmlDocPtr parse_file(const char *path)
{
	xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
	                            XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		fail_msg("%s is not well-formed: %s (line %d)", path,
		         e && e->message ? e->message : "?", e ? e->line : 0);
	}
	return doc;
}

/* Every file of a folder tree, relative paths sorted, '\n'-joined. */
static void list_tree(const char *root, const char *rel, iw_buf *out)
{
	char *path = rel[0] ? iw_asprintf("%s/%s", root, rel) : iw_strdup(root);
	struct dirent **names = NULL;
	int n = scandir(path, &names, NULL, alphasort), i;
	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		char *sub = rel[0] ? iw_asprintf("%s/%s", rel, names[i]->d_name)
		                   : iw_strdup(names[i]->d_name);
		char *full = iw_asprintf("%s/%s", root, sub);
		struct stat st;
		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
			assert_int_equal(stat(full, &st), 0);
			if (S_ISDIR(st.st_mode))
				list_tree(root, sub, out);
			else
				iw_buf_printf(out, "%s\n", sub);
		}
		free(sub);
		free(full);
		free(names[i]);
	}
	free(names);
	free(path);
}

static int ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && !strcmp(s + a - b, tail);
}

/* Each relative href of the page names a file that exists. Returns how many it checked. */
static int check_links(const char *root, const char *rel, xmlDocPtr doc)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST "//@href", ctx);
	char *dir = iw_strdup(rel), *slash = strrchr(dir, '/');
	int i, n = o->nodesetval ? o->nodesetval->nodeNr : 0, checked = 0;
	if (slash)
		*slash = '\0';
	else
		dir[0] = '\0';
	for (i = 0; i < n; i++) {
		xmlChar *href = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
		const char *h = (const char *)href;
		struct stat st;
		char *path;
		if (strstr(h, "://") || h[0] == '#' || !strncmp(h, "mailto:", 7)) {
			xmlFree(href);
			continue;
		}
		assert_null(strchr(h, '#'));
		/* A query (search.html?q=NAME) is the search page's. */
		if (strchr(h, '?'))
			*strchr((char *)href, '?') = '\0';
		path = dir[0] ? iw_asprintf("%s/%s/%s", root, dir, h) : iw_asprintf("%s/%s", root, h);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			fail_msg("%s links to %s, which does not exist", rel, h);
		free(path);
		xmlFree(href);
		checked++;
	}
	free(dir);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return checked;
}

static int xpath_count(xmlXPathContextPtr ctx, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	int n;
	assert_non_null(o);
	n = o->nodesetval ? o->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(o);
	return n;
}

static char *xpath_string(xmlXPathContextPtr ctx, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	char *s;
	assert_non_null(o);
	s = iw_strdup(o->stringval ? (const char *)o->stringval : "");
	xmlXPathFreeObject(o);
	return s;
}

/* ---- the walk gives the store's documents, and the pairs diff like them ---------------------- */

static void render_all(iw_buf *b, const store_snapshot *f, const store_snapshot *t,
                       const diff_result *d)
{
	assert_int_equal(report_changes_json(b, f, t, d), IW_OK);
	assert_int_equal(report_changes_text(b, f, t, d), IW_OK);
	assert_int_equal(report_changes_markdown(b, f, t, d), IW_OK);
	assert_int_equal(report_changes_html(b, f, t, d), IW_OK);
}

static void test_walk_matches_store(void **state)
{
	char *dir = temp_dir();
	store *st = fixture_store(dir, NFIXTURES);
	store_snapshot *v = NULL;
	registry_doc *prev = NULL;
	report_walk *w = NULL;
	size_t n = 0, assigned;
	int64_t pos;
	(void)state;

	assert_int_equal(store_list_snapshots(st, &v, &n), IW_OK);
	assert_int_equal(n, NFIXTURES);
	assert_int_equal(report_walk_open(st, v, n, 1, (int64_t)n, &w), IW_OK);
	while (report_walk_next(w, &pos, &assigned) == IW_OK) {
		registry_doc *want = NULL;
		const registry_doc *got, *a, *b;
		registry_status_map *m;
		size_t k, ports = 0;
		int x, p;
		assert_int_equal(store_load_doc(st, v[pos - 1].id, &want), IW_OK);
		assert_int_equal(report_walk_doc(w, &got), IW_OK);
		assert_int_equal(got->nrecords, want->nrecords);
		assert_int_equal(got->npeople, want->npeople);
		assert_string_equal(got->updated, want->updated);
		for (k = 0; k < got->nrecords; k++) {
			assert_int_equal(registry_record_cmp(&got->records[k], &want->records[k]), 0);
			assert_int_equal(got->records[k].occurrence, want->records[k].occurrence);
		}
		for (k = 0; k < got->npeople; k++)
			assert_string_equal(got->people[k].id, want->people[k].id);
		/* The tally is the status map's count of port numbers assigned on some protocol. */
		m = registry_status_map_build(want);
		for (x = 0; x < 65536; x++) {
			for (p = 0; p < REGISTRY_NPROTOS; p++)
				if (m->s[p][x] == STATUS_ASSIGNED)
					break;
			ports += p < REGISTRY_NPROTOS;
		}
		free(m);
		assert_int_equal(assigned, ports);
		assert_true(ports > 6000);

		if (pos == 1) {
			assert_int_equal(report_walk_pair(w, &a, &b), IW_EINVAL);
		} else {
			/* The pair's diff reads exactly like the whole documents' diff. */
			diff_result *dp = NULL, *dw = NULL;
			iw_buf bp = IW_BUF_INIT(1 << 28), bw = IW_BUF_INIT(1 << 28);
			assert_int_equal(report_walk_pair(w, &a, &b), IW_OK);
			assert_true(a->nrecords < want->nrecords / 2);
			assert_int_equal(diff_compute(a, b, &dp), IW_OK);
			assert_int_equal(diff_compute(prev, want, &dw), IW_OK);
			assert_int_equal(dp->nchanges, dw->nchanges);
			assert_int_equal(dp->npeople, dw->npeople);
			assert_true(dw->nchanges > 0);
			render_all(&bp, &v[pos - 2], &v[pos - 1], dp);
			render_all(&bw, &v[pos - 2], &v[pos - 1], dw);
			assert_int_equal(bp.len, bw.len);
			assert_memory_equal(bp.data, bw.data, bw.len);
			iw_buf_free(&bp);
			iw_buf_free(&bw);
			diff_result_free(dp);
			diff_result_free(dw);
		}
		registry_doc_free(prev);
		prev = want;
	}
	assert_int_equal(pos, NFIXTURES);
	registry_doc_free(prev);
	report_walk_free(w);
	store_snapshots_free(v, n);
	store_free(st);
	remove_tree(dir);
	free(dir);
}

/* ---- the whole site ------------------------------------------------------------------------- */

static void check_feed(const char *out, const store_snapshot *v, size_t n)
{
	char *path = iw_asprintf("%s/feed.atom", out);
	xmlDocPtr doc = parse_file(path);
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	char *s, expr[256];
	int i, entries;
	xmlXPathRegisterNs(ctx, BAD_CAST "a", BAD_CAST "http://www.w3.org/2005/Atom");

	/* RFC 4287 4.1.1: a feed has an id, a title, an updated time and an author. */
	assert_int_equal(xpath_count(ctx, "/a:feed"), 1);
	assert_int_equal(xpath_count(ctx, "/a:feed/a:id"), 1);
	assert_int_equal(xpath_count(ctx, "/a:feed/a:title"), 1);
	assert_int_equal(xpath_count(ctx, "/a:feed/a:updated"), 1);
	assert_int_equal(xpath_count(ctx, "/a:feed/a:author/a:name"), 1);
	s = xpath_string(ctx, "string(/a:feed/a:updated)");
	assert_string_equal(s, v[n - 1].observed_at);
	free(s);
	entries = xpath_count(ctx, "/a:feed/a:entry");
	assert_int_equal(entries, (int)n - 1);
	/* Newest first; each entry: its id, title, updated, a link and the change set as HTML. */
	for (i = 1; i <= entries; i++) {
		const store_snapshot *to = &v[n - i];
		char id[46];
		assert_int_equal(report_atom_entry_id(to->sha256, id), IW_OK);
		snprintf(expr, sizeof(expr), "string(/a:feed/a:entry[%d]/a:id)", i);
		s = xpath_string(ctx, expr);
		assert_string_equal(s, id);
		free(s);
		snprintf(expr, sizeof(expr), "string(/a:feed/a:entry[%d]/a:updated)", i);
		s = xpath_string(ctx, expr);
		assert_string_equal(s, to->observed_at);
		free(s);
		snprintf(expr, sizeof(expr), "string(/a:feed/a:entry[%d]/a:title)", i);
		s = xpath_string(ctx, expr);
		assert_true(!strncmp(s, "Registry ", 9) && strstr(s, to->registry_updated));
		free(s);
		snprintf(expr, sizeof(expr), "/a:feed/a:entry[%d]/a:content[@type='html']", i);
		assert_int_equal(xpath_count(ctx, expr), 1);
		snprintf(expr, sizeof(expr), "string(/a:feed/a:entry[%d]/a:content)", i);
		s = xpath_string(ctx, expr);
		assert_non_null(strstr(s, "<table class=\"changes\">"));
		if (!strcmp(to->registry_updated, "2025-02-13")) {
			/* Escaped once in the feed, the content is the page's HTML again. */
			assert_non_null(strstr(s, "<th scope=\"row\">2/tcp compressnet</th><td>de-assigned"));
		}
		free(s);
	}
	/* index.html, feed.atom itself, and each entry's page. */
	assert_int_equal(check_links(out, "feed.atom", doc), 2 + entries);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	free(path);
}

static void check_site(const char *out, store *st, size_t expect_sets)
{
	iw_buf files = IW_BUF_INIT(1 << 20);
	store_snapshot *v = NULL;
	size_t n = 0, pages = 0;
	char *line, *next, *json, *p;
	int links = 0;

	assert_int_equal(store_list_snapshots(st, &v, &n), IW_OK);
	list_tree(out, "", &files);
	assert_non_null(files.data);
	assert_null(strstr(files.data, ".tmp.")); /* no temporary file left behind */
	for (line = files.data; line && *line; line = next) {
		next = strchr(line, '\n');
		*next++ = '\0';
		if (ends_with(line, ".html")) {
			char *path = iw_asprintf("%s/%s", out, line);
			char *text = read_text(path);
			xmlDocPtr doc = parse_file(path);
			/* No script but the search page's own two, light and dark (inline, or the
			 * site's stylesheet that the port and search pages share), readable on a
			 * phone, nothing loaded from elsewhere. */
			int shared_css = !strncmp(line, "ports/", 6) || !strcmp(line, "search.html");
			if (!strcmp(line, "search.html")) {
				assert_non_null(strstr(text, "<script src=\"search-index.js\"></script>"));
				assert_non_null(strstr(text, "<script src=\"search.js\"></script>"));
			} else {
				assert_null(strstr(text, "<script"));
				assert_null(strstr(text, " src="));
			}
			if (shared_css) {
				char *css = iw_asprintf("%s/site.css", out), *style = read_text(css);
				assert_non_null(strstr(style, "prefers-color-scheme:dark"));
				assert_non_null(strstr(style, "@media print"));
				assert_non_null(strstr(text, "<link rel=\"stylesheet\" href=\""));
				free(style);
				free(css);
			} else {
				assert_non_null(strstr(text, "prefers-color-scheme:dark"));
				assert_null(strstr(text, "<link"));
			}
			assert_non_null(strstr(text, "<meta name=\"viewport\" content=\"width=device-width"));
			links += check_links(out, line, doc);
			pages += !strncmp(line, "changes/", 8);
			xmlFreeDoc(doc);
			free(text);
			free(path);
		}
	}
	assert_int_equal(pages, expect_sets);
	/* The index: feed, JSON and every page; each page: index, Markdown, JSON, and the older
	 * page but for the oldest; and more (charts, search, ports), each checked above. */
	assert_true(links >= (int)(2 + 5 * expect_sets - (expect_sets ? 1 : 0)));
	check_feed(out, v, n);

	/* changes.json: every change set, oldest first, each the JSON report of its pair. */
	p = iw_asprintf("%s/changes.json", out);
	json = read_text(p);
	free(p);
	assert_true(json[0] == '[' && ends_with(json, "]\n"));
	{
		const char *at = json;
		size_t i;
		for (i = n - expect_sets; i < n; i++) {
			char key[128];
			snprintf(key, sizeof(key), "\"to\": {\"id\": %lld,", (long long)v[i].id);
			at = strstr(at, key);
			assert_non_null(at);
		}
	}
	free(json);
	store_snapshots_free(v, n);
	iw_buf_free(&files);
}

static void test_site_real(void **state)
{
	char *dir = temp_dir(), *out = iw_asprintf("%s/site", dir), *p, *text;
	store *st = fixture_store(dir, NFIXTURES);
	report_site_stats stats;
	(void)state;

	assert_int_equal(report_site_write(st, out, NULL, 0, &stats), IW_OK);
	assert_int_equal(stats.snapshots, 3);
	assert_int_equal(stats.change_sets, 2);
	assert_int_equal(stats.computed, 2);
	assert_int_equal(stats.pages_written, 2);
	/* Two change sets (page and Markdown), index, feed, JSON, state; 6415 port pages, the
	 * search page, its script and index, the stylesheet, the ports' state. */
	assert_int_equal(stats.files_written, 2 * 2 + 4 + 6415 + 5);
	check_site(out, st, 2);

	/* The CompressNET change set: its page, its Markdown (the text reports' engine). */
	p = iw_asprintf("%s/changes/2025-02-13_a720019f60a4.html", out);
	text = read_text(p);
	assert_non_null(strstr(text, "<h2>De-assigned (4)</h2>"));
	assert_non_null(strstr(text, "<th scope=\"row\">3/udp compressnet</th><td>de-assigned, now "
	                             "Reserved (De-assigned on 2025-02-13, previously compressnet by "
	                             "Bernie Volz)</td>"));
	assert_non_null(strstr(text, "<th scope=\"row\">compressnet (tcp, no port)</th>"));
	assert_non_null(strstr(text, "href=\"2025-01-23_"));
	free(text);
	free(p);
	p = iw_asprintf("%s/changes/2025-02-13_a720019f60a4.md", out);
	text = read_text(p);
	assert_true(!strncmp(text, "## Registry changes 2025-01-23 -> 2025-02-13", 44));
	assert_non_null(strstr(text, "- **2/tcp compressnet** de-assigned, now Reserved"));
	free(text);
	free(p);
	p = iw_asprintf("%s/index.html", out);
	text = read_text(p);
	assert_non_null(strstr(text, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(text, "<polyline class=\"line\""));
	assert_non_null(strstr(text, "<a href=\"changes/2025-02-13_a720019f60a4.html\">2025-02-13</a>"));
	/* Newest first. */
	assert_true(strstr(text, "<th scope=\"row\"><a href=\"changes/2025-02-13_") <
	            strstr(text, "<th scope=\"row\"><a href=\"changes/2025-01-23_"));
	free(text);
	free(p);

	store_free(st);
	remove_tree(dir);
	free(dir);
	free(out);
}

/* Files of two trees are the same, byte for byte. */
static void assert_same_tree(const char *a, const char *b)
{
	iw_buf la = IW_BUF_INIT(1 << 20), lb = IW_BUF_INIT(1 << 20);
	char *line, *next;
	list_tree(a, "", &la);
	list_tree(b, "", &lb);
	assert_string_equal(la.data, lb.data);
	for (line = la.data; line && *line; line = next) {
		char *pa, *pb, *ta, *tb;
		next = strchr(line, '\n');
		*next++ = '\0';
		pa = iw_asprintf("%s/%s", a, line);
		pb = iw_asprintf("%s/%s", b, line);
		ta = read_text(pa);
		tb = read_text(pb);
		if (strcmp(ta, tb))
			fail_msg("%s differs between an incremental and a full run", line);
		free(ta);
		free(tb);
		free(pa);
		free(pb);
	}
	iw_buf_free(&la);
	iw_buf_free(&lb);
}

static void test_site_incremental(void **state)
{
	char *dir = temp_dir(), *inc = iw_asprintf("%s/inc", dir), *full = iw_asprintf("%s/full", dir);
	char *path = NULL;
	store *st = fixture_store(dir, 2);
	report_site_stats stats;
	struct dirent **names = NULL;
	int n, i;
	(void)state;

	/* Incremental into an empty folder does everything. */
	assert_int_equal(report_site_write(st, inc, NULL, 1, &stats), IW_OK);
	assert_int_equal(stats.computed, 1);
	assert_int_equal(stats.pages_written, 1);
	import_fixture(st, 2);
	assert_int_equal(report_site_write(st, inc, NULL, 1, &stats), IW_OK);
	assert_int_equal(stats.computed, 1);
	/* The new change set, and the older one, which now links to it. */
	assert_int_equal(stats.pages_written, 2);
	assert_int_equal(stats.change_sets, 2);
	/* Those (page, Markdown, the older page), index, feed, JSON, state; the pages of ports 2
	 * and 3, the search index and the ports' state: the other ports are not touched. */
	assert_int_equal(stats.files_written, 3 + 4 + 2 + 2);
	assert_int_equal(report_site_write(st, full, NULL, 0, &stats), IW_OK);
	assert_int_equal(stats.computed, 2);
	assert_same_tree(inc, full);
	check_site(inc, st, 2);

	/* Nothing new: nothing computed, no file touched; the index, feed, JSON and state come
	 * back when missing. */
	assert_int_equal(report_site_write(st, inc, NULL, 1, &stats), IW_OK);
	assert_int_equal(stats.computed, 0);
	assert_int_equal(stats.pages_written, 0);
	assert_int_equal(stats.files_written, 0);
	assert_int_equal(stats.change_sets, 2);
	assert_same_tree(inc, full);
	path = iw_asprintf("%s/feed.atom", inc);
	assert_int_equal(unlink(path), 0);
	free(path);
	path = NULL;
	assert_int_equal(report_site_write(st, inc, NULL, 1, &stats), IW_OK);
	assert_int_equal(stats.computed, 0);
	assert_int_equal(stats.files_written, 1); /* the rest is already as it should be */
	assert_same_tree(inc, full);
	/* A full run over a site that is up to date computes everything and rewrites nothing. */
	assert_int_equal(report_site_write(st, full, NULL, 0, &stats), IW_OK);
	assert_int_equal(stats.computed, 2);
	assert_int_equal(stats.pages_written, 0);
	assert_int_equal(stats.files_written, 0);

	/* A page gone missing is written again, and only that one. */
	{
		char *changes = iw_asprintf("%s/changes", inc);
		n = scandir(changes, &names, NULL, alphasort);
		for (i = 0; i < n; i++) {
			if (!path && !strncmp(names[i]->d_name, "2025-01-23_", 11) &&
			    ends_with(names[i]->d_name, ".html"))
				path = iw_asprintf("%s/%s", changes, names[i]->d_name);
			free(names[i]);
		}
		free(names);
		free(changes);
	}
	assert_non_null(path);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(report_site_write(st, inc, NULL, 1, &stats), IW_OK);
	assert_int_equal(stats.pages_written, 1);
	assert_int_equal(stats.computed, 1);
	assert_same_tree(inc, full);

	/* A state file for another range is not trusted. */
	assert_int_equal(report_site_write(st, inc, "2025-02-01", 1, &stats), IW_OK);
	assert_int_equal(stats.snapshots, 2);
	assert_int_equal(stats.change_sets, 1);
	assert_int_equal(stats.computed, 1);

	free(path);
	store_free(st);
	remove_tree(dir);
	free(dir);
	free(inc);
	free(full);
}

static void test_site_since_and_edges(void **state)
{
	char *dir = temp_dir(), *out = iw_asprintf("%s/site", dir), *p, *text;
	store *st = fixture_store(dir, 0);
	report_site_stats stats;
	(void)state;

	assert_int_equal(report_site_write(st, out, NULL, 0, &stats), IW_ENOTFOUND);
	assert_non_null(strstr(iw_error_last(), "no snapshot"));
	assert_int_equal(report_site_write(st, out, "2025-02-30", 0, &stats), IW_EINVAL);

	/* One snapshot: a site without change sets, and a feed without entries. */
	import_fixture(st, 0);
	assert_int_equal(report_site_write(st, out, NULL, 0, &stats), IW_OK);
	assert_int_equal(stats.snapshots, 1);
	assert_int_equal(stats.change_sets, 0);
	check_site(out, st, 0);
	p = iw_asprintf("%s/index.html", out);
	text = read_text(p);
	assert_non_null(strstr(text, "No change set yet"));
	assert_non_null(strstr(text, "<circle class=\"dot\""));
	free(text);
	free(p);

	import_fixture(st, 1);
	import_fixture(st, 2);
	assert_int_equal(report_site_write(st, out, "2025-02-01", 0, &stats), IW_OK);
	assert_int_equal(stats.snapshots, 2);
	assert_int_equal(stats.change_sets, 1);
	/* A date after the newest snapshot: the newest alone, nothing listed. */
	assert_int_equal(report_site_write(st, out, "2030-01-01", 0, &stats), IW_OK);
	assert_int_equal(stats.snapshots, 1);
	assert_int_equal(stats.change_sets, 0);

	store_free(st);
	remove_tree(dir);
	free(dir);
	free(out);
}

/* Hostile registry text goes through the store into pages and feed as text. */
static void test_site_escapes_end_to_end(void **state)
{
	static const char head[] =
		"<?xml version='1.0' encoding='UTF-8'?>\n<registry xmlns=\"http://www.iana.org/"
		"assignments\" id=\"service-names-port-numbers\">\n<title>t</title><updated>%s</updated>\n"
		"<record><name>keep</name><protocol>tcp</protocol><number>7</number>"
		"<description>Echo</description></record>\n%s<people>"
		"<person id=\"X&amp;Y\"><name>Mallory &lt;m@x&gt;</name></person></people>\n</registry>\n";
	char *dir = temp_dir(), *out = iw_asprintf("%s/site", dir), *p, *text, *x1, *x2;
	store *st = fixture_store(dir, 0);
	report_site_stats stats;
	(void)state;

	x1 = iw_asprintf(head, "2025-03-01", "");
	x2 = iw_asprintf(head, "2025-03-02",
	                 "<record><name>x&amp;y</name><protocol>tcp</protocol><number>4444</number>"
	                 "<description>&lt;script&gt;alert(\"pwn\")&lt;/script&gt; &amp; 'more'"
	                 "</description><assignee><xref type=\"person\" data=\"X&amp;Y\"/></assignee>"
	                 "<note>see &lt;/td&gt;&lt;/tr&gt;</note></record>\n");
	import_bytes(st, (const unsigned char *)x1, strlen(x1), "x1.xml", "2025-03-01T10:00:00Z");
	import_bytes(st, (const unsigned char *)x2, strlen(x2), "x2.xml", "2025-03-02T10:00:00Z");
	assert_int_equal(report_site_write(st, out, NULL, 0, &stats), IW_OK);
	assert_int_equal(stats.change_sets, 1);
	check_site(out, st, 1);

	p = iw_asprintf("%s/index.html", out);
	text = read_text(p);
	assert_null(strstr(text, "<script"));
	assert_non_null(strstr(text, "&lt;script&gt;alert(&quot;pwn&quot;)&lt;/script&gt; &amp; "
	                             "&#39;more&#39;"));
	assert_non_null(strstr(text, "Mallory &lt;m@x&gt;"));
	free(text);
	free(p);
	p = iw_asprintf("%s/feed.atom", out);
	text = read_text(p);
	/* Inside Atom's type="html" content, the page's escaped text is escaped once more. */
	assert_non_null(strstr(text, "&amp;lt;script&amp;gt;"));
	assert_non_null(strstr(text, "see &amp;lt;/td&amp;gt;&amp;lt;/tr&amp;gt;"));
	free(text);
	free(p);

	free(x1);
	free(x2);
	store_free(st);
	remove_tree(dir);
	free(dir);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_matches_store),
		cmocka_unit_test(test_site_real),
		cmocka_unit_test(test_site_incremental),
		cmocka_unit_test(test_site_since_and_edges),
		cmocka_unit_test(test_site_escapes_end_to_end),
	};
	int rc;
	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
