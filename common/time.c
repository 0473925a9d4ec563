/* time.c: strict ISO 8601 UTC parsing and formatting, without the C library's locale and TZ. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "common/banned.h"

static int iw_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int iw_mdays(long y, int m)
{
	static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && iw_leap(y) ? 29 : d[m - 1];
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm): timegm() is not C11. */
static long long iw_days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (long long)era * 146097 + doe - 719468;
}

static int iw_digits(const char *s, int n, int *out)
{
	int v = 0, i;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int iw_parse_date(const char *s, int *y, int *m, int *d)
{
	if (iw_digits(s, 4, y) || s[4] != '-' || iw_digits(s + 5, 2, m) || s[7] != '-' ||
	    iw_digits(s + 8, 2, d))
		return -1;
	if (*y < 1970 || *y > 9999 || *m < 1 || *m > 12 || *d < 1 || *d > iw_mdays(*y, *m))
		return -1;
	return 0;
}

int iw_date_valid(const char *s)
{
	int y, m, d;
	return s && strlen(s) == 10 && iw_parse_date(s, &y, &m, &d) == 0;
}

int iw_time_parse(const char *s, time_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	long long t;
	const char *p;
	if (!s || strlen(s) < 10 || iw_parse_date(s, &y, &mo, &d))
		goto bad;
	p = s + 10;
	if (*p == 'T' || *p == ' ') {
		if (iw_digits(p + 1, 2, &h) || p[3] != ':' || iw_digits(p + 4, 2, &mi))
			goto bad;
		p += 6;
		if (*p == ':') {
			if (iw_digits(p + 1, 2, &se))
				goto bad;
			p += 3;
		}
		if (h > 23 || mi > 59 || se > 60)
			goto bad;
		if (*p == 'Z')
			p++;
		else if (!strcmp(p, "+00:00") || !strcmp(p, "+0000"))
			p += strlen(p);
	}
	if (*p)
		goto bad;
	t = iw_days_from_civil(y, mo, d) * 86400LL + h * 3600 + mi * 60 + se;
	/* A leap second at the very end of 9999 would be a year iw_time_format() cannot write. */
	if (t > iw_days_from_civil(9999, 12, 31) * 86400LL + 86399)
		goto bad;
	*out = (time_t)t;
	return IW_OK;
bad:
	return iw_error_set(IW_EINVAL, "'%s' is not an ISO 8601 UTC date or time "
	                    "(YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)", s ? s : "");
}

void iw_time_format(time_t t, char out[21])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, 21, "%04d-%02d-%02dT%02d:%02d:%02dZ", (tm.tm_year + 1900) % 10000,
	         (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
	         tm.tm_sec % 100);
}

time_t iw_now(void)
{
	const char *e = getenv("IANAWATCH_NOW");
	time_t t;
	if (e && *e && iw_time_parse(e, &t) == IW_OK)
		return t;
	return time(NULL);
}
