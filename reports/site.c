/* site.c: report_site_write(): the static site of change sets, its index, feed and JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"
#include "site_int.h"
#include "common/banned.h"

#define SITE_STATE ".ianawatch-site.tsv"
/* Bump when what the state file holds, or how pages read, changes: an older state file is
 * then ignored and the next run rebuilds everything. */
#define SITE_STATE_MAGIC "ianawatch-site 3"
/* Changes shown per change set on the index. */
#define SITE_HEADLINES 3
/* A page (or changes.json) of every record of the registry changing is tens of MB. */
#define SITE_CAP (512u * 1024 * 1024)

const store_snapshot *report_site_snap(const site_run *r, size_t j)
{
	return &r->snaps[r->first + j];
}

/* "2025-02-13_ae7697a32197": the registry date and the start of the SHA-256 of the newer
 * snapshot, readable and unique. */
void report_site_name(const store_snapshot *to, char out[SITE_NAME_MAX])
{
	snprintf(out, SITE_NAME_MAX, "%.10s_%.12s", to->registry_updated, to->sha256);
}

static char *site_path(const site_run *r, const char *rel)
{
	return iw_asprintf("%s/%s", r->outdir, rel);
}

/* Whether the file at path holds exactly data[0..len). */
static int site_same(const char *path, const char *data, size_t len)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd, same = 0;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != len)
		return 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	buf = iw_malloc(len ? len : 1);
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	same = got == len && !memcmp(buf, data, len);
	free(buf);
	return same;
}

/* Writes a file of the site, unless it already holds these bytes: rewriting a whole site
 * then costs reads, not new files (and static hosts, rsync and caches see what changed).
 * *written (may be NULL) says which it was. */
int report_site_file(site_run *r, const char *rel, const iw_buf *b, int *written)
{
	char *path = site_path(r, rel);
	const char *data = b->data ? b->data : "";
	int rc = IW_OK, w = 0;
	if (!site_same(path, data, b->len)) {
		rc = iw_write_file_atomic(path, data, b->len);
		w = rc == IW_OK;
	}
	free(path);
	if (w)
		r->stats->files_written++;
	if (written)
		*written = w;
	return rc;
}

static int site_exists(const site_run *r, const char *rel)
{
	struct stat st;
	char *path = site_path(r, rel);
	int ok = stat(path, &st) == 0 && S_ISREG(st.st_mode);
	free(path);
	return ok;
}

static int site_read(const site_run *r, const char *rel, unsigned char **data, size_t *len)
{
	char *path = site_path(r, rel);
	int rc = iw_read_file(path, SITE_CAP, data, len);
	free(path);
	return rc;
}

static int site_pair_nonempty(const site_pair *p)
{
	int k;
	for (k = 0; k < DIFF_NSHOWN; k++)
		if (p->counts[k] || (k < DIFF_NKINDS && p->people[k]))
			return 1;
	return 0;
}

/* ---- the state file --------------------------------------------------------------------------
 *
 * "ianawatch-site 2", "since\t<date or ->", then one line per snapshot of the range, oldest
 * first: "<sha256>\t<assigned>\t<11 counts: the shown kinds (diff_kind order, moved and
 * renamed included), then people added, removed, modified,
 * of the pair ending here, or ->\t<headlines>\t<feed HTML>\t<JSON>". Headlines are one
 * line of HTML without tabs; the feed's HTML (the change set's body, kept for the newest
 * REPORT_FEED_MAX change sets only) has its newlines as form feeds; the change set's JSON
 * has its newlines as tabs (JSON text holds no raw tab). The state file is the memory of
 * incremental runs: changes.json and the feed are rebuilt from it, never from pages.
 */

/* "2-3,49-49" -> p->touch; "" is none. 0 when malformed. */
static int site_touch_parse(site_pair *p, const char *s)
{
	size_t alloc = 0;
	while (*s) {
		char *end;
		long lo = strtol(s, &end, 10), hi;
		if (end == s || *end != '-' || lo < 0 || lo > REGISTRY_PORT_MAX)
			return 0;
		s = end + 1;
		hi = strtol(s, &end, 10);
		if (end == s || hi < lo || hi > REGISTRY_PORT_MAX || (*end && *end != ','))
			return 0;
		s = *end ? end + 1 : end;
		if (p->ntouch == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			p->touch = iw_realloc(p->touch, 2 * alloc * sizeof(*p->touch));
		}
		p->touch[2 * p->ntouch] = (int32_t)lo;
		p->touch[2 * p->ntouch + 1] = (int32_t)hi;
		p->ntouch++;
	}
	return 1;
}

static int site_int32_qcmp(const void *a, const void *b)
{
	const int32_t *x = a, *y = b;
	return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) : (x[1] < y[1] ? -1 : x[1] > y[1]);
}

/* The port ranges a diff's changes name, sorted and merged: what the port pages link. */
static void site_touch_compute(site_pair *p, const diff_result *d)
{
	size_t i, n = 0;
	free(p->touch);
	p->touch = iw_malloc((2 * d->nchanges + 2) * sizeof(*p->touch));
	for (i = 0; i < d->nchanges; i++) {
		const diff_change *c = &d->changes[i];
		if (c->port == REGISTRY_NO_PORT)
			continue;
		p->touch[2 * n] = c->port;
		p->touch[2 * n + 1] = c->port_end >= c->port ? c->port_end : c->port;
		n++;
	}
	qsort(p->touch, n, 2 * sizeof(*p->touch), site_int32_qcmp);
	p->ntouch = 0;
	for (i = 0; i < n; i++) {
		int32_t *last = p->ntouch ? &p->touch[2 * (p->ntouch - 1)] : NULL;
		if (last && p->touch[2 * i] <= last[1] + 1) {
			if (p->touch[2 * i + 1] > last[1])
				last[1] = p->touch[2 * i + 1];
			continue;
		}
		p->touch[2 * p->ntouch] = p->touch[2 * i];
		p->touch[2 * p->ntouch + 1] = p->touch[2 * i + 1];
		p->ntouch++;
	}
}

static int site_state_pair(site_pair *p, char *counts, char *heads, char *feed, char *touch,
                           char *json)
{
	static const diff_kind person_kinds[] = {DIFF_ADDED, DIFF_REMOVED, DIFF_MODIFIED};
	unsigned long v[DIFF_NSHOWN + 3];
	char *s = counts, *end;
	size_t i;
	for (i = 0; i < sizeof(v) / sizeof(*v); i++) {
		errno = 0;
		v[i] = strtoul(s, &end, 10);
		if (end == s || errno || (*end != ' ' && *end != '\0'))
			return 0;
		s = *end ? end + 1 : end;
	}
	for (i = 0; i < DIFF_NSHOWN; i++)
		p->counts[i] = v[i];
	for (i = 0; i < 3; i++)
		p->people[person_kinds[i]] = v[DIFF_NSHOWN + i];
	p->known = 1;
	p->nonempty = site_pair_nonempty(p);
	if ((p->nonempty && !*json) || !site_touch_parse(p, touch))
		return 0;
	p->headlines = iw_strdup(heads);
	for (s = feed; *s; s++)
		if (*s == '\f')
			*s = '\n';
	p->feed = p->nonempty && *feed ? iw_strdup(feed) : NULL;
	for (s = json; *s; s++)
		if (*s == '\t')
			*s = '\n';
	p->json = p->nonempty ? iw_strdup(json) : NULL;
	return 1;
}

/* Fills what the state file knows of the range; returns how many leading snapshots it
 * described (0 when it is missing, stale or for another since_date). */
static size_t site_state_read(site_run *r)
{
	unsigned char *data = NULL;
	size_t len = 0, j = 0, i;
	char *line, *next, want[64];
	int ok = 1;

	if (!site_exists(r, SITE_STATE) || site_read(r, SITE_STATE, &data, &len)) {
		iw_error_clear();
		return 0;
	}
	snprintf(want, sizeof(want), "since\t%s", r->since ? r->since : "-");
	line = (char *)data;
	for (i = 0; ok && line && *line; i++, line = next) {
		char *f[7];
		int k;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (i == 0) {
			ok = !strcmp(line, SITE_STATE_MAGIC);
			continue;
		}
		if (i == 1) {
			ok = !strcmp(line, want);
			continue;
		}
		f[0] = line;
		for (k = 1; k < 7; k++) {
			f[k] = f[k - 1] ? strchr(f[k - 1], '\t') : NULL;
			if (f[k])
				*f[k]++ = '\0';
		}
		if (!f[6] || j >= r->n || strcmp(f[0], report_site_snap(r, j)->sha256)) {
			ok = 0;
			break;
		}
		r->assigned[j] = strtol(f[1], NULL, 10);
		if (j > 0 && !site_state_pair(&r->pairs[j], f[2], f[3], f[4], f[5], f[6])) {
			ok = 0;
			break;
		}
		j++;
	}
	free(data);
	if (!ok || j == 0) {
		for (i = 0; i < r->n; i++) {
			free(r->pairs[i].headlines);
			free(r->pairs[i].json);
			free(r->pairs[i].feed);
			free(r->pairs[i].touch);
			memset(&r->pairs[i], 0, sizeof(r->pairs[i]));
			r->assigned[i] = -1;
		}
		return 0;
	}
	return j;
}

/* Appends s with each character of `from` replaced by `to`, copying the runs between whole. */
static void site_state_field(iw_buf *b, const char *s, const char *from, char to)
{
	while (*s) {
		size_t n = strcspn(s, from);
		iw_buf_add(b, s, n);
		s += n;
		if (*s) {
			iw_buf_addc(b, to);
			s++;
		}
	}
}

/* The first pair whose change set is among the newest REPORT_FEED_MAX: the feed's window. */
static size_t site_feed_from(const site_run *r)
{
	size_t j = r->n, n = 0;
	while (j-- > 1)
		if (r->pairs[j].nonempty && ++n == REPORT_FEED_MAX)
			return j;
	return 1;
}

static int site_state_write(site_run *r)
{
	iw_buf b = IW_BUF_INIT(SITE_CAP);
	size_t j, k, feed_from = site_feed_from(r);
	int rc;
	iw_buf_printf(&b, "%s\nsince\t%s\n", SITE_STATE_MAGIC, r->since ? r->since : "-");
	for (j = 0; j < r->n; j++) {
		const site_pair *p = &r->pairs[j];
		iw_buf_printf(&b, "%s\t%ld\t", report_site_snap(r, j)->sha256, r->assigned[j]);
		if (j == 0) {
			iw_buf_adds(&b, "-\t\t\t\t\n");
			continue;
		}
		iw_buf_printf(&b, "%zu %zu %zu %zu %zu %zu %zu %zu %zu %zu %zu\t",
		              p->counts[0], p->counts[1], p->counts[2], p->counts[3],
		              p->counts[4], p->counts[5], p->counts[6], p->counts[7],
		              p->people[DIFF_ADDED], p->people[DIFF_REMOVED],
		              p->people[DIFF_MODIFIED]);
		/* Headlines never hold a tab or newline (registry text is normalised); the state
		 * file's lines must stay whole regardless. */
		site_state_field(&b, p->headlines ? p->headlines : "", "\t\n", ' ');
		iw_buf_addc(&b, '\t');
		/* The feed's HTML with its newlines as form feeds, which escaped HTML never holds
		 * (report_html_escape() replaces control characters). */
		if (j >= feed_from && p->feed)
			site_state_field(&b, p->feed, "\t\n", '\f');
		iw_buf_addc(&b, '\t');
		for (k = 0; k < p->ntouch; k++)
			iw_buf_printf(&b, "%s%d-%d", k ? "," : "", (int)p->touch[2 * k],
			              (int)p->touch[2 * k + 1]);
		iw_buf_addc(&b, '\t');
		if (p->json)
			site_state_field(&b, p->json, "\n", '\t');
		iw_buf_addc(&b, '\n');
	}
	if (!(rc = iw_buf_error(&b)))
		rc = report_site_file(r, SITE_STATE, &b, NULL);
	iw_buf_free(&b);
	return rc;
}

/* ---- one change set ---------------------------------------------------------------------- */

static void site_counts_table(iw_buf *out, const site_pair *p)
{
	int k;
	iw_buf_adds(out, "<table class=\"counts\"><caption>Changes by kind</caption>\n"
	            "<thead><tr><th scope=\"col\">Kind</th><th scope=\"col\">Changes"
	            "</th></tr></thead>\n<tbody>\n");
	for (k = 0; k < DIFF_NSHOWN; k++) {
		diff_kind kind = diff_shown_order[k];
		iw_buf_printf(out, "<tr><th scope=\"row\"><span class=\"sw k%d\"></span>%s</th>"
		              "<td>%zu</td></tr>\n", (int)kind, diff_kind_words[kind].title,
		              p->counts[kind]);
	}
	iw_buf_printf(out, "<tr><th scope=\"row\"><span class=\"sw\"></span>People</th>"
	              "<td>%zu</td></tr>\n</tbody></table>\n",
	              p->people[DIFF_ADDED] + p->people[DIFF_REMOVED] + p->people[DIFF_MODIFIED]);
}

static int site_snap_text(iw_buf *out, const store_snapshot *s)
{
	return iw_buf_printf(out, "snapshot %lld (registry date %s, observed %s)", (long long)s->id,
	                     s->registry_updated, s->observed_at);
}

/* The newest change set before pair j, or 0. */
static size_t site_older(const site_run *r, size_t j)
{
	while (--j > 0)
		if (r->pairs[j].nonempty)
			return j;
	return 0;
}

/* The oldest change set after pair j, or 0. */
static size_t site_newer(const site_run *r, size_t j)
{
	while (++j < r->n)
		if (r->pairs[j].nonempty)
			return j;
	return 0;
}

/* The ports a change set names, each linked to its page (ranges to their first port's). */
static void site_page_ports(iw_buf *out, const site_pair *p)
{
	size_t k;
	if (!p->ntouch)
		return;
	iw_buf_adds(out, "<section id=\"ports\">\n<h2>Ports in this change set</h2>\n"
	            "<ul class=\"ports\">");
	for (k = 0; k < p->ntouch; k++) {
		int lo = (int)p->touch[2 * k], hi = (int)p->touch[2 * k + 1], x;
		/* A long run (a range record) links its ends; each port has a page. */
		for (x = lo; x <= hi; x++) {
			if (hi - lo > 16 && x > lo && x < hi) {
				x = hi - 1;
				iw_buf_adds(out, "<li>\xE2\x80\xA6</li>");
				continue;
			}
			iw_buf_printf(out, "<li><a href=\"../ports/%d.html\">%d</a></li>", x, x);
		}
	}
	iw_buf_adds(out, "</ul>\n</section>\n");
}

static int site_page(site_run *r, size_t j, const char *name, const char *body, iw_buf *out)
{
	const store_snapshot *from = report_site_snap(r, j - 1), *to = report_site_snap(r, j);
	iw_buf title = IW_BUF_INIT(4096);
	size_t older = site_older(r, j), newer = site_newer(r, j);
	int rc;

	iw_buf_printf(&title, "Registry changes %s \xE2\x86\x92 %s", from->registry_updated,
	              to->registry_updated);
	if ((rc = iw_buf_error(&title)))
		goto out;
	report_html_head(out, title.data);
	iw_buf_adds(out, "<nav><a href=\"../index.html\">All change sets</a>");
	if (older) {
		char oname[SITE_NAME_MAX];
		report_site_name(report_site_snap(r, older), oname);
		iw_buf_printf(out, " \xC2\xB7 <a href=\"%s.html\" rel=\"prev\">Older change set (%s)"
		              "</a>", oname, report_site_snap(r, older)->registry_updated);
	}
	if (newer) {
		char nname[SITE_NAME_MAX];
		report_site_name(report_site_snap(r, newer), nname);
		iw_buf_printf(out, " \xC2\xB7 <a href=\"%s.html\" rel=\"next\">Newer change set (%s)"
		              "</a>", nname, report_site_snap(r, newer)->registry_updated);
	}
	iw_buf_adds(out, " \xC2\xB7 <a href=\"../search.html\">Search ports and people</a>"
	            "</nav>\n<main>\n<h1>");
	report_html_escape(out, title.data, title.len);
	iw_buf_adds(out, "</h1>\n<p class=\"meta\">From ");
	site_snap_text(out, from);
	iw_buf_adds(out, " to ");
	site_snap_text(out, to);
	iw_buf_printf(out, ", SHA-256 <code>%s</code>. Also as <a href=\"%s.md\">Markdown"
	              "</a>; in JSON among all change sets in <a href=\"../changes.json\">"
	              "changes.json</a>.</p>\n", to->sha256, name);
	site_counts_table(out, &r->pairs[j]);
	iw_buf_adds(out, body);
	site_page_ports(out, &r->pairs[j]);
	iw_buf_adds(out, "</main>\n");
	report_html_foot(out);
	rc = iw_buf_error(out);
out:
	iw_buf_free(&title);
	return rc;
}

/* Diffs pair j and, when it is a change set, writes its page, Markdown and JSON. */
static int site_pair_compute(site_run *r, size_t j, const registry_doc *a,
                             const registry_doc *b)
{
	const store_snapshot *from = report_site_snap(r, j - 1), *to = report_site_snap(r, j);
	site_pair *p = &r->pairs[j];
	diff_result *d = NULL;
	watch_severity *sev = NULL;
	const watch_severity *shown = NULL;
	report_model m = {0};
	iw_buf out = IW_BUF_INIT(SITE_CAP), body = IW_BUF_INIT(SITE_CAP);
	iw_buf heads = IW_BUF_INIT(SITE_CAP);
	char name[SITE_NAME_MAX], rel[SITE_NAME_MAX + 16];
	int rc, wrote_md = 0;

	if ((rc = diff_compute(a, b, &d)))
		goto out;
	if (r->watch && (rc = watch_filter(d, r->watch->list, r->watch->min, &sev)))
		goto out;
	shown = r->watch && r->watch->show ? sev : NULL;
	free(p->headlines);
	free(p->json);
	free(p->feed);
	p->headlines = p->json = p->feed = NULL;
	diff_count_shown(d, p->counts, p->people);
	site_touch_compute(p, d);
	p->known = p->computed = 1;
	p->nonempty = !diff_result_empty(d);
	r->stats->computed++;
	if (!p->nonempty)
		goto out;

	report_site_name(to, name);
	if ((rc = report_html_model(&m, from, to, d, SITE_CAP)) ||
	    (rc = report_html_headlines(&heads, &m, SITE_HEADLINES)) ||
	    (rc = report_html_body(&body, &m)))
		goto out;
	p->headlines = iw_strdup(heads.data ? heads.data : "");
	/* The page waits for the walk's end: its link to the newer change set. */
	p->feed = iw_buf_detach(&body, NULL);
	if (!p->feed)
		p->feed = iw_strdup("");
	p->page_due = 1;
	snprintf(rel, sizeof(rel), "changes/%s.md", name);
	if ((rc = report_changes_format(&out, REPORT_MARKDOWN, from, to, d, shown)) ||
	    (rc = report_site_file(r, rel, &out, &wrote_md)))
		goto out;
	iw_buf_reset(&out);
	if ((rc = report_changes_format(&out, REPORT_JSON, from, to, d, shown)))
		goto out;
	p->json = iw_buf_detach(&out, NULL);
	p->page_due += wrote_md;
out:
	diff_result_free(d);
	free(sev);
	report_model_free(&m);
	iw_buf_free(&body);
	iw_buf_free(&out);
	iw_buf_free(&heads);
	return rc;
}

static int site_pages_present(const site_run *r, size_t j)
{
	static const char *const ext[] = {"html", "md"};
	char name[SITE_NAME_MAX], rel[SITE_NAME_MAX + 16];
	size_t i;
	report_site_name(report_site_snap(r, j), name);
	for (i = 0; i < sizeof(ext) / sizeof(*ext); i++) {
		snprintf(rel, sizeof(rel), "changes/%s.%s", name, ext[i]);
		if (!site_exists(r, rel))
			return 0;
	}
	return 1;
}

/* Writes the HTML pages of the change sets due: those diffed in this run, and the newest
 * one before them, whose page gains a link to the next. */
static int site_pages(site_run *r)
{
	iw_buf out = IW_BUF_INIT(SITE_CAP);
	char name[SITE_NAME_MAX], rel[SITE_NAME_MAX + 16];
	size_t j, first = 0, older;
	int rc = IW_OK, wrote;

	for (j = 1; j < r->n && !first; j++)
		if (r->pairs[j].computed && r->pairs[j].nonempty)
			first = j;
	if (first && (older = site_older(r, first)) && r->pairs[older].feed)
		r->pairs[older].page_due = 1;
	for (j = 1; j < r->n && !rc; j++) {
		site_pair *p = &r->pairs[j];
		if (!p->page_due || !p->feed)
			continue;
		report_site_name(report_site_snap(r, j), name);
		iw_buf_reset(&out);
		if ((rc = site_page(r, j, name, p->feed, &out)))
			break;
		snprintf(rel, sizeof(rel), "changes/%s.html", name);
		/* page_due is 2 when the change set's Markdown was (re)written. */
		if (!(rc = report_site_file(r, rel, &out, &wrote)) && (wrote || p->page_due == 2))
			r->stats->pages_written++;
	}
	iw_buf_free(&out);
	return rc;
}

/* Walks the documents that some pair or tally still needs, diffing the pairs that need it. */
static int site_compute(site_run *r, const unsigned char *need)
{
	report_walk *w = NULL;
	const registry_doc *a, *b;
	size_t lo = r->n, hi = 0, j;
	int64_t pos;
	int rc = IW_OK;

	for (j = 0; j < r->n; j++) {
		if (j > 0 && need[j]) {
			if (j - 1 < lo)
				lo = j - 1;
			hi = j;
		}
		if (r->assigned[j] < 0) {
			if (j < lo)
				lo = j;
			if (j > hi)
				hi = j;
		}
	}
	if (lo > hi)
		return IW_OK;
	if ((rc = report_walk_open(r->st, r->snaps, r->nsnaps, report_site_snap(r, lo)->pos,
	                           report_site_snap(r, hi)->pos, &w)))
		return rc;
	for (j = lo; j <= hi; j++) {
		size_t assigned;
		if ((rc = report_walk_next(w, &pos, &assigned)))
			break;
		r->assigned[j] = (long)assigned;
		if (j > lo && need[j] && ((rc = report_walk_pair(w, &a, &b)) ||
		                          (rc = site_pair_compute(r, j, a, b))))
			break;
	}
	report_walk_free(w);
	return rc;
}

/* ---- index, feed, changes.json -------------------------------------------------------------- */

static int site_month_of(const char *date, int *y, int *m)
{
	return sscanf(date, "%4d-%2d", y, m) == 2 && *m >= 1 && *m <= 12;
}

/* Whether change set j spans a stretch with no snapshot (report_chart_month's gap). */
static int site_pair_gap(const site_run *r, size_t j, time_t *a, time_t *b)
{
	if (iw_time_parse(report_site_snap(r, j - 1)->registry_updated, a) ||
	    iw_time_parse(report_site_snap(r, j)->registry_updated, b)) {
		iw_error_clear();
		return 0;
	}
	return *b - *a > (time_t)REPORT_CHART_GAP_DAYS * 86400;
}

/* The href of pair j's change set page, or the index anchor of the month's. */
static char *site_pair_href(const site_run *r, size_t j)
{
	char name[SITE_NAME_MAX];
	report_site_name(report_site_snap(r, j), name);
	return iw_asprintf("changes/%s.html", name);
}

static int site_charts(const site_run *r, iw_buf *out)
{
	report_chart_point *pts = iw_calloc(r->n, sizeof(*pts));
	report_chart_month *bars = iw_calloc(r->n + 1, sizeof(*bars));
	char **hrefs = iw_calloc(2 * r->n + 1, sizeof(*hrefs));
	size_t *sets = iw_calloc(r->n + 1, sizeof(*sets));
	size_t j, nbars = 0, nhrefs = 0, i;
	int y, m, k, rc = 0;

	for (j = 0; j < r->n; j++) {
		const store_snapshot *s = report_site_snap(r, j);
		pts[j].value = r->assigned[j];
		if (iw_time_parse(s->registry_updated, &pts[j].t))
			iw_error_clear();
		if (j > 0 && r->pairs[j].nonempty)
			pts[j].href = hrefs[nhrefs++] = site_pair_href(r, j);
	}
	/* A change set counts in the month of the newer snapshot's registry date, unless it
	 * spans a gap: then it is a band of its own over the gap. */
	for (j = 1; j < r->n; j++) {
		const site_pair *p = &r->pairs[j];
		report_chart_month *b = nbars ? &bars[nbars - 1] : NULL;
		time_t t0, t1;
		if (!p->nonempty || !site_month_of(report_site_snap(r, j)->registry_updated, &y, &m))
			continue;
		if (site_pair_gap(r, j, &t0, &t1)) {
			b = &bars[nbars++];
			b->gap = 1;
			b->t0 = t0;
			b->t1 = t1;
			b->href = pts[j].href;
			sets[nbars - 1] = 1;
		} else if (!b || b->gap || b->year != y || b->month != m) {
			b = &bars[nbars++];
			b->year = y;
			b->month = m;
			b->href = pts[j].href;
			sets[nbars - 1] = 1;
		} else if (++sets[nbars - 1] == 2) {
			/* Several change sets in a month: the index lists them under its anchor. */
			b->href = hrefs[nhrefs++] = iw_asprintf("#m%04d-%02d", y, m);
		}
		for (k = 0; k < DIFF_NSHOWN; k++)
			b->counts[k] += (long)p->counts[k];
	}

	iw_buf_adds(out, "<section id=\"charts\">\n<h2>The registry over time</h2>\n"
	            "<p>Port numbers assigned on at least one protocol: ");
	report_format_number(out, r->assigned[r->n - 1]);
	iw_buf_printf(out, " on %s", report_site_snap(r, r->n - 1)->registry_updated);
	if (r->n > 1) {
		iw_buf_adds(out, " (");
		report_format_number(out, r->assigned[0]);
		iw_buf_printf(out, " on %s)", report_site_snap(r, 0)->registry_updated);
	}
	iw_buf_printf(out, ". Dates are the registry&#39;s; a stretch of more than %d days "
	              "without a snapshot is hatched, and what changed across it is not "
	              "attributed to any month. Each dot and bar links to its change sets.</p>\n",
	              REPORT_CHART_GAP_DAYS);
	report_chart_ports_svg(out, pts, r->n);
	iw_buf_adds(out, "<details><summary>Assigned port numbers as a table</summary>\n"
	            "<div class=\"wrap\"><table>\n<thead><tr><th scope=\"col\">Registry date"
	            "</th><th scope=\"col\">Port numbers assigned</th></tr></thead>\n<tbody>\n");
	for (j = r->n; j-- > 0;) {
		if (j + 1 < r->n && j > 0 && r->assigned[j] == r->assigned[j + 1] &&
		    r->assigned[j] == r->assigned[j - 1])
			continue;
		iw_buf_printf(out, "<tr><th scope=\"row\">%s</th><td>",
		              report_site_snap(r, j)->registry_updated);
		report_format_number(out, r->assigned[j]);
		iw_buf_adds(out, "</td></tr>\n");
	}
	iw_buf_adds(out, "</tbody></table></div></details>\n<h3>Changes per month</h3>\n");
	report_chart_months_svg(out, bars, nbars);
	iw_buf_adds(out, "<ul class=\"legend\">");
	for (k = 0; k < DIFF_NSHOWN; k++)
		iw_buf_printf(out, "<li><span class=\"sw k%d\"></span>%s</li>",
		              (int)diff_shown_order[k], diff_kind_words[diff_shown_order[k]].title);
	iw_buf_adds(out, "</ul>\n<details><summary>Changes per month as a table</summary>\n"
	            "<div class=\"wrap\"><table>\n<thead><tr><th scope=\"col\">Month</th>");
	for (k = 0; k < DIFF_NSHOWN; k++)
		iw_buf_printf(out, "<th scope=\"col\">%s</th>", diff_kind_words[diff_shown_order[k]].title);
	iw_buf_adds(out, "</tr></thead>\n<tbody>\n");
	for (i = nbars; i-- > 0;) {
		const report_chart_month *b = &bars[i];
		iw_buf_adds(out, "<tr><th scope=\"row\">");
		if (b->href)
			iw_buf_printf(out, "<a href=\"%s\">", b->href);
		if (b->gap) {
			char a[21], c[21];
			iw_time_format(b->t0, a);
			iw_time_format(b->t1, c);
			iw_buf_printf(out, "%.10s to %.10s (no snapshot between)", a, c);
		} else {
			iw_buf_printf(out, "%04d-%02d", b->year, b->month);
		}
		iw_buf_adds(out, b->href ? "</a></th>" : "</th>");
		for (k = 0; k < DIFF_NSHOWN; k++)
			iw_buf_printf(out, "<td>%ld</td>", b->counts[diff_shown_order[k]]);
		iw_buf_adds(out, "</tr>\n");
	}
	iw_buf_adds(out, "</tbody></table></div></details>\n</section>\n");
	rc = iw_buf_error(out);
	for (i = 0; i < nhrefs; i++)
		free(hrefs[i]);
	free(hrefs);
	free(sets);
	free(pts);
	free(bars);
	return rc;
}

static int site_index(site_run *r)
{
	iw_buf out = IW_BUF_INIT(SITE_CAP), counts = IW_BUF_INIT(4096);
	const store_snapshot *a = report_site_snap(r, 0), *b = report_site_snap(r, r->n - 1);
	char last_month[8] = "";
	size_t j;
	int rc;

	report_html_head(&out, "IANA port registry changes");
	iw_buf_printf(&out, "<main>\n<h1>IANA port registry changes</h1>\n<p>%zu change "
	              "set%s in %zu snapshot%s of IANA&#39;s Service Name and Transport "
	              "Protocol Port Number Registry, registry dates %s to %s. <a href=\"search.html\">Search</a> "
	              "a port, service name or person. Subscribe "
	              "to the <a href=\"feed.atom\">Atom feed</a>; scripts can read "
	              "<a href=\"changes.json\">changes.json</a>.</p>\n",
	              r->stats->change_sets, r->stats->change_sets == 1 ? "" : "s", r->n,
	              r->n == 1 ? "" : "s", a->registry_updated, b->registry_updated);
	if ((rc = site_charts(r, &out)))
		goto out;
	iw_buf_adds(&out, "<section id=\"sets\">\n<h2>Change sets, newest first</h2>\n");
	if (!r->stats->change_sets)
		iw_buf_adds(&out, "<p>No change set yet: the stored snapshots hold the same "
		            "entries.</p>\n");
	else
		iw_buf_adds(&out, "<table class=\"sets\">\n<thead><tr><th scope=\"col\">Registry "
		            "date</th><th scope=\"col\">Changes</th><th scope=\"col\">First "
		            "changes</th></tr></thead>\n<tbody>\n");
	for (j = r->n; j-- > 1;) {
		const site_pair *p = &r->pairs[j];
		char name[SITE_NAME_MAX], month[8];
		if (!p->nonempty)
			continue;
		report_site_name(report_site_snap(r, j), name);
		iw_buf_reset(&counts);
		if ((rc = report_counts_text(&counts, p->counts, p->people)))
			goto out;
		/* The first row of each month is the charts' anchor for it (#mYYYY-MM). */
		snprintf(month, sizeof(month), "%.7s", report_site_snap(r, j)->registry_updated);
		if (strcmp(month, last_month))
			iw_buf_printf(&out, "<tr id=\"m%s\">", month);
		else
			iw_buf_adds(&out, "<tr>");
		memcpy(last_month, month, sizeof(month));
		iw_buf_printf(&out, "<th scope=\"row\"><a href=\"changes/%s.html\">%s</a>"
		              "</th><td>%s</td><td><ul class=\"heads\">%s</ul></td></tr>\n",
		              name, report_site_snap(r, j)->registry_updated, counts.data,
		              p->headlines ? p->headlines : "");
	}
	if (r->stats->change_sets)
		iw_buf_adds(&out, "</tbody></table>\n");
	iw_buf_adds(&out, "</section>\n</main>\n");
	report_html_foot(&out);
	if (!(rc = iw_buf_error(&out)))
		rc = report_site_file(r, "index.html", &out, NULL);
out:
	iw_buf_free(&out);
	iw_buf_free(&counts);
	return rc;
}

static int site_feed(site_run *r)
{
	report_feed_entry e[REPORT_FEED_MAX] = {{0}};
	char names[REPORT_FEED_MAX][SITE_NAME_MAX], hrefs[REPORT_FEED_MAX][SITE_NAME_MAX + 16];
	iw_buf counts[REPORT_FEED_MAX], out = IW_BUF_INIT(SITE_CAP);
	const char *updated = report_site_snap(r, r->n - 1)->observed_at;
	size_t n = 0, i, j;
	int rc = IW_OK;

	for (j = r->n; !rc && n < REPORT_FEED_MAX && j-- > 1;) {
		const site_pair *p = &r->pairs[j];
		if (!p->nonempty)
			continue;
		iw_buf_init(&counts[n], 4096);
		report_site_name(report_site_snap(r, j), names[n]);
		snprintf(hrefs[n], sizeof(hrefs[n]), "changes/%s.html", names[n]);
		e[n].to = report_site_snap(r, j);
		e[n].href = hrefs[n];
		rc = report_counts_text(&counts[n], p->counts, p->people);
		e[n].counts = counts[n].data;
		/* The body kept as data (diffed now or read from the state file), never cut out of
		 * the written page. */
		e[n].content = p->feed ? p->feed : "";
		e[n].content_len = strlen(e[n].content);
		n++;
	}
	/* The feed changed when its newest entry did. */
	if (n)
		updated = e[0].to->observed_at;
	if (!rc)
		rc = report_atom_feed(&out, e, n, updated);
	if (!rc)
		rc = report_site_file(r, "feed.atom", &out, NULL);
	for (i = 0; i < n; i++)
		iw_buf_free(&counts[i]);
	iw_buf_free(&out);
	return rc;
}

/* [each change set's JSON, oldest first]. */
static int site_changes_json(site_run *r)
{
	iw_buf out = IW_BUF_INIT(SITE_CAP);
	size_t j, k = 0;
	int rc;
	iw_buf_adds(&out, "[");
	for (j = 1; j < r->n; j++) {
		const char *json = r->pairs[j].json;
		size_t len;
		if (!r->pairs[j].nonempty || !json)
			continue;
		len = strlen(json);
		while (len && json[len - 1] == '\n')
			len--;
		iw_buf_adds(&out, k++ ? ",\n" : "\n");
		iw_buf_add(&out, json, len);
	}
	iw_buf_adds(&out, k ? "\n]\n" : "]\n");
	if (!(rc = iw_buf_error(&out)))
		rc = report_site_file(r, "changes.json", &out, NULL);
	iw_buf_free(&out);
	return rc;
}

/* ---- the whole site ------------------------------------------------------------------------- */

int report_site_write(store *s, const char *outdir, const char *since_date, int incremental,
                      report_site_stats *stats)
{
	return report_site_write_watch(s, outdir, since_date, incremental, NULL, stats);
}

int report_site_write_watch(store *s, const char *outdir, const char *since_date,
                            int incremental, const report_watch *w, report_site_stats *stats)
{
	report_site_stats local;
	site_run r;
	unsigned char *need = NULL;
	char *changes_dir = NULL;
	size_t j, known = 0, feed_from;
	int rc = IW_OK, in_txn = 0;

	memset(&r, 0, sizeof(r));
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	r.st = s;
	r.outdir = outdir;
	r.since = since_date;
	/* A narrowed site is written whole: the state file knows nothing of watch lists. */
	r.incremental = w ? 0 : incremental;
	r.watch = w;
	r.stats = stats;
	if (since_date && !iw_date_valid(since_date))
		return iw_error_set(IW_EINVAL, "since: not a date YYYY-MM-DD: '%s'", since_date);
	/* One read transaction for the list and the walk: a snapshot imported meanwhile (which
	 * may shift positions) is seen by neither. */
	if ((rc = store_read_begin(s)))
		return rc;
	in_txn = 1;
	if ((rc = store_list_snapshots(s, &r.snaps, &r.nsnaps)))
		goto out;
	if (!r.nsnaps) {
		rc = iw_error_set(IW_ENOTFOUND, "no snapshot is stored yet: import or fetch one first");
		goto out;
	}
	for (j = 0; j < r.nsnaps; j++) {
		if (r.snaps[j].pos != (int64_t)j + 1) {
			rc = iw_error_set(IW_EDB, "snapshot %lld is at position %lld, expected %zu",
			                  (long long)r.snaps[j].id, (long long)r.snaps[j].pos, j + 1);
			goto out;
		}
	}
	/* The range starts with the snapshot before the first one on or after since_date: the
	 * "from" side of the first change set listed. */
	if (since_date) {
		while (r.first < r.nsnaps && strcmp(r.snaps[r.first].registry_updated, since_date) < 0)
			r.first++;
		r.first = r.first ? r.first - 1 : 0;
	}
	r.n = r.nsnaps - r.first;
	r.pairs = iw_calloc(r.n, sizeof(*r.pairs));
	r.assigned = iw_malloc(r.n * sizeof(*r.assigned));
	for (j = 0; j < r.n; j++)
		r.assigned[j] = -1;
	need = iw_calloc(r.n, 1);

	changes_dir = iw_asprintf("%s/changes", outdir);
	if ((rc = iw_mkdir_p(changes_dir, 0755)))
		goto out;
	if (incremental)
		known = site_state_read(&r);
	feed_from = site_feed_from(&r);
	for (j = 1; j < r.n; j++)
		need[j] = !r.pairs[j].known || (r.pairs[j].nonempty && !site_pages_present(&r, j)) ||
		          (j >= feed_from && r.pairs[j].nonempty && !r.pairs[j].feed);
	if ((rc = site_compute(&r, need)))
		goto out;
	for (j = 1; j < r.n; j++)
		if (r.pairs[j].nonempty)
			stats->change_sets++;
	stats->snapshots = r.n;
	/* Nothing new since the state file, and every file there: the site is up to date. */
	if (known == r.n && !stats->computed && site_exists(&r, "index.html") &&
	    site_exists(&r, "feed.atom") && site_exists(&r, "changes.json") &&
	    site_exists(&r, "search.html") && site_exists(&r, "search-index.js"))
		goto out;
	if ((rc = site_pages(&r)) || (rc = report_site_ports(&r)) ||
	    (rc = site_changes_json(&r)) || (rc = site_feed(&r)) || (rc = site_index(&r)) ||
	    (rc = site_state_write(&r)))
		goto out;
out:
	if (r.pairs) {
		for (j = 0; j < r.n; j++) {
			free(r.pairs[j].headlines);
			free(r.pairs[j].json);
			free(r.pairs[j].feed);
			free(r.pairs[j].touch);
		}
	}
	free(r.pairs);
	free(r.assigned);
	free(need);
	free(changes_dir);
	store_snapshots_free(r.snaps, r.nsnaps);
	if (in_txn)
		store_read_end(s);
	return rc;
}
