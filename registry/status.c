/* status.c: the diff contract's rules: which records assign, reserve or unassign which ports. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "registry/registry.h"
#include "common/banned.h"

const char *const registry_status_names[3] = {"unassigned", "reserved", "assigned"};
const char *const registry_protocols[REGISTRY_NPROTOS] = {"tcp", "udp", "sctp", "dccp"};

static int registry_protocol_find(const char *proto, int (*cmp)(const char *, const char *))
{
	int i;
	if (proto)
		for (i = 0; i < REGISTRY_NPROTOS; i++)
			if (!cmp(proto, registry_protocols[i]))
				return i;
	return -1;
}

int registry_protocol_index(const char *proto)
{
	return registry_protocol_find(proto, strcmp);
}

int registry_protocol_index_ci(const char *proto)
{
	return registry_protocol_find(proto, strcasecmp);
}


/* Reads the number at the start of s[0..n) into *v. Returns how many digits it has: 0 when
 * there is none or more than REGISTRY_PORT_DIGITS of them (then *v is meaningless). */
static size_t registry_port_digits(const char *s, size_t n, int32_t *v)
{
	size_t i;
	int32_t x = 0;
	for (i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (i == REGISTRY_PORT_DIGITS)
			return 0;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return i;
}

registry_port_verdict registry_port_parse(const char *s, size_t n, int32_t *lo, int32_t *hi)
{
	int32_t a, b;
	size_t first, second;
	if (!s || !(first = registry_port_digits(s, n, &a)))
		return REGISTRY_PORT_SYNTAX;
	b = a;
	if (first < n) {
		if (s[first] != '-')
			return REGISTRY_PORT_SYNTAX;
		second = registry_port_digits(s + first + 1, n - first - 1, &b);
		if (!second || first + 1 + second != n)
			return REGISTRY_PORT_SYNTAX;
	}
	if (a > REGISTRY_PORT_MAX || b > REGISTRY_PORT_MAX)
		return REGISTRY_PORT_TOO_HIGH;
	if (b < a)
		return REGISTRY_PORT_REVERSED;
	*lo = a;
	*hi = b;
	return REGISTRY_PORT_OK;
}

int registry_record_covers_proto(const registry_record *r, int p)
{
	const char *proto = r->f[REG_PROTOCOL];
	return !proto || !strcmp(proto, registry_protocols[p]);
}

/* Case-insensitive substring search over ASCII; descriptions are short. */
static int registry_icontains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++) {
		size_t i;
		for (i = 0; i < n; i++)
			if (!hay[i] || tolower((unsigned char)hay[i]) != needle[i])
				break;
		if (i == n)
			return 1;
	}
	return 0;
}

static int registry_istarts(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (!*s || tolower((unsigned char)*s) != *prefix)
			return 0;
	return 1;
}

registry_kind registry_record_kind(const registry_record *r)
{
	static const char *const reserving[] = {
		"reserved", "de-registered", "deregistered", "removed", "deprecated",
		"decommissioned", "de-commissioned", "decomissioned",
	};
	const char *d = r->f[REG_DESCRIPTION];
	size_t i;
	if (r->f[REG_NAME])
		return REGISTRY_ASSIGNING;
	if (!d)
		return REGISTRY_ASSIGNING;
	if (registry_istarts(d, "unassigned") || registry_istarts(d, "(unassigned)"))
		return REGISTRY_UNASSIGNING;
	for (i = 0; i < sizeof(reserving) / sizeof(*reserving); i++)
		if (registry_icontains(d, reserving[i]))
			return REGISTRY_RESERVING;
	return REGISTRY_ASSIGNING;
}

static registry_status registry_kind_status(registry_kind k)
{
	return k == REGISTRY_ASSIGNING ? STATUS_ASSIGNED
	       : k == REGISTRY_RESERVING ? STATUS_RESERVED : STATUS_UNASSIGNED;
}

registry_status_map *registry_status_map_build(const registry_doc *doc)
{
	registry_status_map *m = iw_calloc(1, sizeof(*m));
	size_t i;
	int p;
	/* Statuses are ordered so that the strongest covering record wins: max() per port. */
	for (i = 0; i < doc->nrecords; i++) {
		const registry_record *r = &doc->records[i];
		uint8_t st;
		if (r->port == REGISTRY_NO_PORT)
			continue;
		st = (uint8_t)registry_kind_status(registry_record_kind(r));
		if (st == STATUS_UNASSIGNED)
			continue;
		for (p = 0; p < REGISTRY_NPROTOS; p++) {
			int x;
			if (!registry_record_covers_proto(r, p))
				continue;
			for (x = r->port; x <= r->port_end; x++)
				if (m->s[p][x] < st)
					m->s[p][x] = st;
		}
	}
	return m;
}

registry_status registry_status_of(const registry_record *recs, size_t n, int proto, int port)
{
	registry_status st = STATUS_UNASSIGNED;
	size_t i;
	for (i = 0; i < n; i++) {
		const registry_record *r = &recs[i];
		registry_status s;
		if (r->port == REGISTRY_NO_PORT || port < r->port || port > r->port_end ||
		    !registry_record_covers_proto(r, proto))
			continue;
		s = registry_kind_status(registry_record_kind(r));
		if (s > st)
			st = s;
	}
	return st;
}
