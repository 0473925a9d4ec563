/* services.c: reading local services files, /etc/services and nmap-services alike. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "watch_int.h"
#include "common/banned.h"

watch_arena *watch_arena_new(const char *data, size_t len)
{
	watch_arena *a = iw_calloc(1, sizeof(*a));
	a->text = iw_malloc(len + 1);
	memcpy(a->text, data, len);
	a->text[len] = '\0';
	a->len = len;
	return a;
}

int watch_arena_read(const char *path, watch_arena **out)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rc;
	*out = NULL;
	if ((rc = iw_read_file(path, WATCH_MAX_FILE, &data, &len)))
		return rc;
	*out = iw_calloc(1, sizeof(**out));
	(*out)->text = (char *)data;
	(*out)->len = len;
	return IW_OK;
}

void *watch_arena_items(watch_arena *a, size_t n, size_t size)
{
	return a->items = iw_grow(a->items, n, &a->items_alloc, 64, size);
}

void watch_arena_free(watch_arena *a)
{
	size_t i;
	if (!a)
		return;
	free(a->text);
	free(a->items);
	free(a->aliases);
	for (i = 0; i < a->nsubs; i++)
		watch_services_free(a->subs[i]);
	free(a->subs);
	free(a);
}

static int services_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Splits the line [p, end) in place into at most max fields; returns how many. */
static size_t services_fields(char *p, char *end, char **f, size_t max)
{
	size_t n = 0;
	while (p < end) {
		while (p < end && services_is_space(*p))
			p++;
		if (p >= end || *p == '#')
			break;
		if (n < max)
			f[n] = p;
		n++;
		while (p < end && !services_is_space(*p) && *p != '#')
			p++;
		if (p < end && *p == '#') {
			*p = '\0';
			break;
		}
		if (p < end)
			*p++ = '\0';
	}
	return n;
}

static int services_is_frequency(const char *s)
{
	int digits = 0, point = 0;
	for (; *s; s++) {
		if (*s == '.' && !point)
			point = 1;
		else if (isdigit((unsigned char)*s))
			digits++;
		else
			return 0;
	}
	return digits && point;
}

/* Parses "port/proto" (one port, read by the registry's own parser); returns 0 and sets *port
 * and *proto (pointing into s), or -1. */
static int services_port_proto(char *s, int32_t *port, char **proto)
{
	char *slash = strchr(s, '/');
	int32_t lo, hi;
	if (!slash || !slash[1] ||
	    registry_port_parse(s, (size_t)(slash - s), &lo, &hi) != REGISTRY_PORT_OK || lo != hi)
		return -1;
	*port = lo;
	*proto = slash + 1;
	return 0;
}

static int services_name_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x21 || *s == 0x7f)
			return 0;
	return 1;
}

static void services_warn(watch_warn_fn warn, void *arg, const char *file, unsigned line,
                          const char *fmt, ...) IW_PRINTF(5, 6);
static void services_warn(watch_warn_fn warn, void *arg, const char *file, unsigned line,
                          const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	if (!warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warn(arg, file, line, msg);
}

/* Decides the format from the third fields of the data lines. */
static watch_services_format services_detect(const char *data, size_t len)
{
	size_t freq = 0, other = 0, lines = 0;
	const char *p = data, *end = data + len;
	while (p < end && lines < 200) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		char buf[512], *f[3];
		size_t n = (size_t)(le - p) < sizeof(buf) - 1 ? (size_t)(le - p) : sizeof(buf) - 1;
		memcpy(buf, p, n);
		buf[n] = '\0';
		if (services_fields(buf, buf + n, f, 3) >= 3) {
			lines++;
			if (services_is_frequency(f[2]))
				freq++;
			else
				other++;
		}
		p = le + 1;
	}
	return freq > other ? WATCH_FORMAT_NMAP : WATCH_FORMAT_SERVICES;
}

/* Parses the text of a, which the result then owns. */
static int services_parse(watch_arena *a, const char *name, watch_warn_fn warn, void *arg,
                          watch_services **out)
{
	watch_services *f = iw_calloc(1, sizeof(*f));
	size_t i, k;
	char *p, *end;
	unsigned line = 0;

	*out = NULL;
	f->arena = a;
	f->format = services_detect(a->text, a->len);
	p = a->text;
	end = p + a->len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		char *fld[64], *proto;
		int32_t port;
		size_t nf;
		int pi;
		watch_service *sv;

		line++;
		*le = '\0';
		/* A NUL would end a name early ("ht\0tp" read as "ht") or leave an empty one. */
		if (memchr(p, '\0', (size_t)(le - p))) {
			p = le + 1;
			services_warn(warn, arg, name, line, "a NUL byte");
			f->skipped++;
			continue;
		}
		nf = services_fields(p, le, fld, 64);
		p = le + 1;
		if (nf == 0)
			continue;
		if (nf < 2) {
			services_warn(warn, arg, name, line, "expected 'name port/protocol', got '%s'", fld[0]);
			f->skipped++;
			continue;
		}
		if (services_port_proto(fld[1], &port, &proto)) {
			services_warn(warn, arg, name, line,
			              "'%s' is not port/protocol (a port 0 to %d)", fld[1],
			              REGISTRY_PORT_MAX);
			f->skipped++;
			continue;
		}
		if (!services_name_ok(fld[0])) {
			services_warn(warn, arg, name, line, "a name with control characters");
			f->skipped++;
			continue;
		}
		if ((pi = registry_protocol_index_ci(proto)) < 0) {
			f->other_protocols++;
			continue;
		}
		if (f->format == WATCH_FORMAT_NMAP) {
			if (nf >= 3 && !services_is_frequency(fld[2])) {
				services_warn(warn, arg, name, line,
				              "'%s' is not a frequency (nmap-services)", fld[2]);
				f->skipped++;
				continue;
			}
			if (!strcmp(fld[0], "unknown"))
				continue;
		}
		f->v = watch_arena_items(a, f->n, sizeof(*f->v));
		sv = &f->v[f->n];
		memset(sv, 0, sizeof(*sv));
		sv->name = fld[0];
		sv->protocol = registry_protocols[pi];
		sv->proto = pi;
		sv->port = port;
		sv->line = line;
		if (f->format == WATCH_FORMAT_SERVICES) {
			for (k = 2; k < nf && k < 64; k++) {
				if (!services_name_ok(fld[k]))
					continue;
				IW_GROW(a->aliases, a->naliases, a->aliases_alloc, 256);
				a->aliases[a->naliases++] = fld[k];
				sv->naliases++;
			}
		}
		f->n++;
	}
	/* Aliases point into one array that grew meanwhile, each entry's after the one before:
	 * attach them now. */
	for (i = 0, k = 0; i < f->n; k += f->v[i++].naliases)
		f->v[i].aliases = f->v[i].naliases ? a->aliases + k : NULL;
	*out = f;
	return IW_OK;
}

int watch_services_parse(const char *data, size_t len, const char *name, watch_warn_fn warn,
                         void *arg, watch_services **out)
{
	return services_parse(watch_arena_new(data, len), name, warn, arg, out);
}

int watch_services_read(const char *path, watch_warn_fn warn, void *arg, watch_services **out)
{
	watch_arena *a;
	int rc;
	*out = NULL;
	if ((rc = watch_arena_read(path, &a)))
		return rc;
	return services_parse(a, strcmp(path, "-") ? path : "(standard input)", warn, arg, out);
}

void watch_services_free(watch_services *f)
{
	if (!f)
		return;
	watch_arena_free(f->arena);
	free(f);
}
