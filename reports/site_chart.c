/* site_chart.c: the index's SVG charts: assigned ports over time, changes per month by kind. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/common.h"
#include "site_int.h"
#include "common/banned.h"

#define CHART_PLOT_W (REPORT_CHART_WIDTH - REPORT_CHART_LEFT - REPORT_CHART_RIGHT)
#define CHART_PLOT_H (REPORT_CHART_BOTTOM - REPORT_CHART_TOP)

static long chart_floor_div(long a, long b)
{
	long q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static long chart_ceil_div(long a, long b)
{
	return -chart_floor_div(-a, b);
}

void report_axis_nice(long lo, long hi, int max_ticks, report_axis *out)
{
	static const long mult[] = {1, 2, 5};
	long step = 1, scale = 1;
	int i = 0;
	if (hi < lo) {
		long t = lo;
		lo = hi;
		hi = t;
	}
	if (max_ticks < 1)
		max_ticks = 1;
	/* A flat series still needs a range to draw in: around the value, or 0..1 for zeros. */
	if (lo == hi) {
		if (lo == 0) {
			hi = 1;
		} else {
			lo--;
			hi++;
		}
	}
	/* Steps of 1, 2 and 5 times a power of ten, the smallest giving at most max_ticks. */
	for (;;) {
		step = mult[i] * scale;
		if (chart_ceil_div(hi, step) - chart_floor_div(lo, step) <= max_ticks)
			break;
		if (++i == 3) {
			i = 0;
			scale *= 10;
		}
	}
	out->step = step;
	out->lo = chart_floor_div(lo, step) * step;
	out->hi = chart_ceil_div(hi, step) * step;
}

static double chart_y(const report_axis *ax, long v)
{
	return REPORT_CHART_BOTTOM - (double)(v - ax->lo) * CHART_PLOT_H / (double)(ax->hi - ax->lo);
}

/* "6,357": thousands separated, for axis labels and text. */
static int chart_number(iw_buf *out, long v)
{
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%ld", v < 0 ? -v : v), i;
	if (v < 0)
		iw_buf_addc(out, '-');
	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			iw_buf_addc(out, ',');
		iw_buf_addc(out, digits[i]);
	}
	return iw_buf_error(out);
}

int report_format_number(iw_buf *out, long v)
{
	return chart_number(out, v);
}

static int chart_open(iw_buf *out, const char *id, const char *title, const char *desc)
{
	iw_buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	              "role=\"img\" aria-labelledby=\"%s-t %s-d\">\n<title id=\"%s-t\">",
	              REPORT_CHART_WIDTH, REPORT_CHART_HEIGHT, id, id, id);
	report_html_escape(out, title, strlen(title));
	iw_buf_printf(out, "</title>\n<desc id=\"%s-d\">", id);
	report_html_escape(out, desc, strlen(desc));
	iw_buf_adds(out, "</desc>\n");
	return iw_buf_error(out);
}

/* Horizontal grid lines and their labels, one per step of the axis. */
static int chart_y_axis(iw_buf *out, const report_axis *ax)
{
	long v;
	for (v = ax->lo; v <= ax->hi; v += ax->step) {
		double y = chart_y(ax, v);
		iw_buf_printf(out, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
		              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", REPORT_CHART_LEFT, y,
		              REPORT_CHART_WIDTH - REPORT_CHART_RIGHT, y, REPORT_CHART_LEFT - 6, y + 4);
		chart_number(out, v);
		iw_buf_adds(out, "</text>\n");
	}
	iw_buf_printf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
	              REPORT_CHART_LEFT, REPORT_CHART_BOTTOM,
	              REPORT_CHART_WIDTH - REPORT_CHART_RIGHT, REPORT_CHART_BOTTOM);
	return iw_buf_error(out);
}

static int chart_x_label(iw_buf *out, double x, const char *anchor, const char *label)
{
	/* A label at the very end of the axis ends there rather than past the picture. */
	if (!strcmp(anchor, "middle") && x > REPORT_CHART_WIDTH - REPORT_CHART_RIGHT - 24)
		anchor = "end";
	else if (!strcmp(anchor, "middle") && x < REPORT_CHART_LEFT + 24)
		anchor = "start";
	return iw_buf_printf(out, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
	                     "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>\n", x,
	                     REPORT_CHART_BOTTOM, x, REPORT_CHART_BOTTOM + 4, x,
	                     REPORT_CHART_BOTTOM + 18, anchor, label);
}

static int chart_year_of(time_t t)
{
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return 1970;
	return tm.tm_year + 1900;
}

static time_t chart_jan1(int year)
{
	char s[16];
	time_t t = 0;
	snprintf(s, sizeof(s), "%04d-01-01", year);
	if (iw_time_parse(s, &t))
		return 0;
	return t;
}

#define CHART_GAP_S ((time_t)REPORT_CHART_GAP_DAYS * 86400)

static double chart_x(time_t t, time_t t0, time_t t1)
{
	if (t1 == t0)
		return REPORT_CHART_LEFT + CHART_PLOT_W / 2.0;
	return REPORT_CHART_LEFT + (double)(t - t0) * CHART_PLOT_W / (double)(t1 - t0);
}

static void chart_date(time_t t, char out[21])
{
	iw_time_format(t, out);
	out[10] = '\0';
}

/* Years at their January on the time axis, thinned to at most ~10; a range within one year
 * is labelled by its ends. */
static void chart_time_axis(iw_buf *out, time_t t0, time_t t1)
{
	int y, y0 = chart_year_of(t0), y1 = chart_year_of(t1), every = (y1 - y0) / 10 + 1;
	for (y = y0; y <= y1; y++) {
		time_t t = chart_jan1(y);
		char label[8];
		if (t < t0 || t > t1 || t1 == t0 || (y - y0) % every)
			continue;
		snprintf(label, sizeof(label), "%d", y);
		chart_x_label(out, chart_x(t, t0, t1), "middle", label);
	}
	if (y0 == y1 || t0 == t1) {
		char a[21], b[21];
		chart_date(t0, a);
		chart_date(t1, b);
		if (t0 == t1) {
			chart_x_label(out, REPORT_CHART_LEFT + CHART_PLOT_W / 2.0, "middle", a);
		} else {
			chart_x_label(out, REPORT_CHART_LEFT, "start", a);
			chart_x_label(out, REPORT_CHART_WIDTH - REPORT_CHART_RIGHT, "end", b);
		}
	}
}

/* The hatching of gaps, one pattern per chart (ids are unique in a page). */
static void chart_hatch_defs(iw_buf *out, const char *id)
{
	iw_buf_printf(out, "<defs><pattern id=\"%s-hatch\" width=\"8\" height=\"8\" "
	              "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
	              "<line class=\"hatch\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\"/></pattern></defs>\n",
	              id);
}

/* A stretch with no snapshot from a to b: hatched over the plot's height, and said so. */
static void chart_gap(iw_buf *out, const char *id, time_t a, time_t b, time_t t0, time_t t1,
                      const char *label)
{
	double x0 = chart_x(a, t0, t1), x1 = chart_x(b, t0, t1);
	char da[21], db[21];
	chart_date(a, da);
	chart_date(b, db);
	iw_buf_printf(out, "<rect class=\"gap\" fill=\"url(#%s-hatch)\" x=\"%.2f\" y=\"%d\" "
	              "width=\"%.2f\" height=\"%d\"><title>No snapshot between %s and %s%s%s"
	              "</title></rect>\n", id, x0, REPORT_CHART_TOP, x1 - x0, CHART_PLOT_H, da, db,
	              label ? ": " : "", label ? label : "");
	if (x1 - x0 > 50)
		iw_buf_printf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
		              (x0 + x1) / 2, REPORT_CHART_TOP + 14, label ? label : "no snapshot");
}

int report_chart_ports_svg(iw_buf *out, const report_chart_point *p, size_t n)
{
	static const char id[] = "chart-ports";
	report_axis ax;
	time_t t0, t1;
	long lo, hi;
	size_t i, seg;

	chart_open(out, id, "Assigned port numbers over time",
	           "How many port numbers had an assignment on at least one protocol, "
	           "per stored snapshot, at its registry date; hatched stretches had no snapshot.");
	if (!n)
		return iw_buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">No snapshot "
		                     "to show</text>\n</svg>\n", REPORT_CHART_WIDTH / 2,
		                     REPORT_CHART_HEIGHT / 2);
	t0 = t1 = p[0].t;
	lo = hi = p[0].value;
	for (i = 1; i < n; i++) {
		if (p[i].t < t0)
			t0 = p[i].t;
		if (p[i].t > t1)
			t1 = p[i].t;
		if (p[i].value < lo)
			lo = p[i].value;
		if (p[i].value > hi)
			hi = p[i].value;
	}
	report_axis_nice(lo, hi, 5, &ax);
	chart_hatch_defs(out, id);
	chart_y_axis(out, &ax);
	chart_time_axis(out, t0, t1);
	if (n == 1)
		return iw_buf_printf(out, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>\n"
		                     "</svg>\n", REPORT_CHART_LEFT + CHART_PLOT_W / 2.0,
		                     chart_y(&ax, p[0].value));
	/* Runs of snapshots closer than a gap: a line each (a dot alone), gaps hatched. */
	for (seg = 0; seg < n;) {
		size_t end = seg + 1;
		while (end < n && p[end].t - p[end - 1].t <= CHART_GAP_S)
			end++;
		if (end - seg == 1) {
			iw_buf_printf(out, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>\n",
			              chart_x(p[seg].t, t0, t1), chart_y(&ax, p[seg].value));
		} else {
			iw_buf_adds(out, "<polyline class=\"line\" points=\"");
			for (i = seg; i < end; i++)
				iw_buf_printf(out, "%s%.1f,%.1f", i > seg ? " " : "", chart_x(p[i].t, t0, t1),
				              chart_y(&ax, p[i].value));
			iw_buf_adds(out, "\"/>\n");
		}
		if (end < n)
			chart_gap(out, id, p[end - 1].t, p[end].t, t0, t1, NULL);
		seg = end;
	}
	/* The snapshots a change set led to: a dot each, linked to it. */
	for (i = 0; i < n; i++) {
		char d[21];
		if (!p[i].href)
			continue;
		chart_date(p[i].t, d);
		iw_buf_adds(out, "<a href=\"");
		report_html_escape(out, p[i].href, strlen(p[i].href));
		iw_buf_printf(out, "\"><circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\">"
		              "<title>%s: ", chart_x(p[i].t, t0, t1), chart_y(&ax, p[i].value), d);
		chart_number(out, p[i].value);
		iw_buf_adds(out, " port numbers assigned</title></circle></a>\n");
	}
	iw_buf_adds(out, "</svg>\n");
	return iw_buf_error(out);
}

/* The first second of a month and of the next one. */
static void chart_month_span(const report_chart_month *m, time_t *a, time_t *b)
{
	char s[16];
	int y = m->year, mo = m->month;
	snprintf(s, sizeof(s), "%04d-%02d-01", y, mo);
	if (iw_time_parse(s, a))
		*a = 0;
	if (++mo > 12) {
		mo = 1;
		y++;
	}
	snprintf(s, sizeof(s), "%04d-%02d-01", y, mo);
	if (iw_time_parse(s, b))
		*b = *a + 86400 * 30;
	iw_error_clear();
}

int report_chart_months_svg(iw_buf *out, const report_chart_month *m, size_t n)
{
	static const char id[] = "chart-months";
	report_axis ax;
	long max = 0;
	time_t t0 = 0, t1 = 0;
	size_t i;
	int k, o, any = 0;

	chart_open(out, id, "Changes per month by kind",
	           "Entries moved, renamed, assigned, de-assigned, added, removed, modified "
	           "and status changes per month of the registry's date, stacked, at their "
	           "place in time; changes found across a stretch with no snapshot are a "
	           "hatched band over it.");
	for (i = 0; i < n; i++) {
		long total = 0;
		time_t a, b;
		for (k = 0; k < DIFF_NSHOWN; k++)
			total += m[i].counts[k];
		if (m[i].gap) {
			a = m[i].t0;
			b = m[i].t1;
		} else {
			chart_month_span(&m[i], &a, &b);
		}
		if (!i || a < t0)
			t0 = a;
		if (!i || b > t1)
			t1 = b;
		if (total)
			any = 1;
		if (!m[i].gap && total > max)
			max = total;
	}
	report_axis_nice(0, max, 5, &ax);
	chart_hatch_defs(out, id);
	chart_y_axis(out, &ax);
	if (!n || !any) {
		iw_buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">No change in "
		              "this period</text>\n</svg>\n", REPORT_CHART_LEFT + CHART_PLOT_W / 2,
		              REPORT_CHART_TOP + CHART_PLOT_H / 2);
		return iw_buf_error(out);
	}
	chart_time_axis(out, t0, t1);
	for (i = 0; i < n; i++) {
		time_t a, b;
		double x, w, base = 0;
		long total = 0;
		for (k = 0; k < DIFF_NSHOWN; k++)
			total += m[i].counts[k];
		if (!total)
			continue;
		if (m[i].href) {
			iw_buf_adds(out, "<a href=\"");
			report_html_escape(out, m[i].href, strlen(m[i].href));
			iw_buf_adds(out, "\">");
		}
		if (m[i].gap) {
			char label[64];
			snprintf(label, sizeof(label), "%ld change%s, no snapshot between", total,
			         total == 1 ? "" : "s");
			chart_gap(out, id, m[i].t0, m[i].t1, t0, t1, label);
			if (m[i].href)
				iw_buf_adds(out, "</a>\n");
			continue;
		}
		chart_month_span(&m[i], &a, &b);
		x = chart_x(a, t0, t1);
		w = chart_x(b, t0, t1) - x;
		/* A month narrower than a pixel or two still shows. */
		if (w > 3) {
			x += w * 0.1;
			w *= 0.8;
		} else if (w < 1.5) {
			w = 1.5;
		}
		for (o = 0; o < DIFF_NSHOWN; o++) {
			double h;
			k = (int)diff_shown_order[o];
			if (!m[i].counts[k])
				continue;
			h = (double)m[i].counts[k] * CHART_PLOT_H / (double)(ax.hi - ax.lo);
			base += h;
			iw_buf_printf(out, "<rect class=\"k%d\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
			              "height=\"%.2f\"><title>%04d-%02d: %ld %s</title></rect>\n", k, x,
			              REPORT_CHART_BOTTOM - base, w, h, m[i].year, m[i].month,
			              m[i].counts[k], diff_kind_words[k].count);
		}
		if (m[i].href)
			iw_buf_adds(out, "</a>\n");
	}
	iw_buf_adds(out, "</svg>\n");
	return iw_buf_error(out);
}
