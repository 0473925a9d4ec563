/* fuzz_watch.c: libFuzzer target: watch lists (watch_list_parse(), file: items included) and
 * severity names on arbitrary bytes, with the properties --watch and --min-severity rely on. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"
#include "fuzz.h"
#include "registry/registry.h"
#include "watch/watch.h"
#include "common/banned.h"

#define FUZZ_WATCH_MAX (64u * 1024)

void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: property violated: %s\n", file, line, what);
	abort();
}

/* The list's folder, where a file: item's relative path is looked for: it holds "services" (a
 * small /etc/services) and "nmap" (nmap-services), so that file: items parse. */
static char fuzz_dir[64], fuzz_list_name[96];

static void fuzz_write(const char *name, const char *text)
{
	char path[128];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", fuzz_dir, name);
	if (!(f = fopen(path, "w")) || fputs(text, f) < 0 || fclose(f))
		fuzz_fail("cannot write the fuzzer's services files", __FILE__, __LINE__);
}

static void fuzz_setup(void)
{
	snprintf(fuzz_dir, sizeof(fuzz_dir), "/tmp/iwfuzz-watch-%ld", (long)getpid());
	mkdir(fuzz_dir, 0700);
	snprintf(fuzz_list_name, sizeof(fuzz_list_name), "%s/list", fuzz_dir);
	fuzz_write("services", "http 80/tcp www # WorldWideWeb\nhttps 443/tcp\nntp 123/udp\n");
	fuzz_write("nmap", "http\t80/tcp\t0.484143\nunknown\t1/tcp\t0.000001\n");
	fuzz_write("bad", "http 80/tcp\nnoport\n");
}

/* file: items reach only the list's own folder: a path with '/' could name /dev/zero. */
static int fuzz_file_items_local(const uint8_t *data, size_t size)
{
	size_t i, j;
	for (i = 0; i + 5 <= size; i++) {
		if (memcmp(data + i, "file:", 5))
			continue;
		for (j = i + 5; j < size && data[j] != '\n'; j++)
			if (data[j] == '/')
				return 0;
	}
	return 1;
}

static void fuzz_severity(const uint8_t *data, size_t size)
{
	char s[32];
	watch_severity sev = WATCH_NSEVERITIES;
	if (size >= sizeof(s))
		return;
	memcpy(s, data, size);
	s[size] = '\0';
	if (watch_severity_parse(s, &sev) == IW_OK) {
		FUZZ_ASSERT(sev >= WATCH_LOW && sev < WATCH_NSEVERITIES);
		FUZZ_ASSERT(!strcasecmp(s, watch_severity_names[sev]));
	} else {
		FUZZ_ASSERT(*iw_error_last() && !strchr(iw_error_last(), '\n'));
	}
}

static void fuzz_check_word(const char *s)
{
	FUZZ_ASSERT(*s);
	for (; *s; s++)
		FUZZ_ASSERT((unsigned char)*s > 0x20 && *s != 0x7f && *s != '#');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	watch_list *w = NULL;
	unsigned lines = 1;
	size_t i;
	int rc;

	if (size > FUZZ_WATCH_MAX)
		return 0;
	if (!fuzz_dir[0])
		fuzz_setup();
	fuzz_severity(data, size);
	if (!fuzz_file_items_local(data, size))
		return 0;
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	rc = watch_list_parse((const char *)data, size, fuzz_list_name, &w);
	if (rc != IW_OK) {
		/* One line naming the list and the line: "/tmp/.../list:N: why". */
		const char *msg = iw_error_last();
		FUZZ_ASSERT(rc < 0);
		FUZZ_ASSERT(!w);
		FUZZ_ASSERT(!strncmp(msg, fuzz_list_name, strlen(fuzz_list_name)));
		FUZZ_ASSERT(msg[strlen(fuzz_list_name)] == ':');
		FUZZ_ASSERT(!strchr(msg, '\n'));
		iw_error_clear();
		return 0;
	}
	FUZZ_ASSERT(w);
	for (i = 0; i < w->n; i++) {
		const watch_item *it = &w->v[i];
		FUZZ_ASSERT(it->line >= 1 && it->line <= lines);
		FUZZ_ASSERT(!i || it->line >= w->v[i - 1].line);
		switch (it->kind) {
		case WATCH_ITEM_PORTS:
			FUZZ_ASSERT(it->port_lo >= 0 && it->port_lo <= it->port_hi &&
			            it->port_hi <= REGISTRY_PORT_MAX);
			FUZZ_ASSERT(it->proto >= -1 && it->proto < REGISTRY_NPROTOS);
			break;
		case WATCH_ITEM_NAME:
		case WATCH_ITEM_PERSON:
			fuzz_check_word(it->text);
			/* "443", "1-9/tcp" are port items, never names. */
			if (it->kind == WATCH_ITEM_NAME && isdigit((unsigned char)it->text[0]))
				FUZZ_ASSERT(strspn(it->text, "0123456789-") < strcspn(it->text, "/"));
			break;
		default:
			FUZZ_ASSERT(!"an item of no kind");
		}
	}
	watch_list_free(w);
	iw_error_clear();
	return 0;
}
