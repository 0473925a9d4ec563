/* mem.c: allocation that aborts on exhaustion, and the capped growable buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "common/banned.h"

static void iw_oom(size_t n)
{
	fprintf(stderr, "ianawatch: out of memory (%zu bytes)\n", n);
	abort();
}

void *iw_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		iw_oom(n);
	return p;
}

void *iw_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		iw_oom(n * size);
	return p;
}

void *iw_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		iw_oom(n);
	return q;
}

void *iw_grow(void *p, size_t n, size_t *alloc, size_t first, size_t size)
{
	size_t want;
	if (n < *alloc)
		return p;
	want = *alloc ? *alloc : first;
	if (want == 0)
		want = 1;
	while (want <= n)
		want *= 2;
	if (want > SIZE_MAX / size)
		iw_oom(SIZE_MAX);
	*alloc = want;
	return iw_realloc(p, want * size);
}

char *iw_strdup(const char *s)
{
	return s ? iw_strndup(s, strlen(s)) : NULL;
}

char *iw_strndup(const char *s, size_t n)
{
	char *p = iw_malloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *iw_asprintf(const char *fmt, ...)
{
	iw_buf b = IW_BUF_INIT(SIZE_MAX / 2);
	va_list ap;
	va_start(ap, fmt);
	iw_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (!b.data)
		return iw_strdup("");
	return iw_buf_detach(&b, NULL);
}

void iw_buf_init(iw_buf *b, size_t cap)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap;
	b->err = IW_OK;
}

int iw_buf_error(const iw_buf *b)
{
	return b->err;
}

static int iw_buf_grow(iw_buf *b, size_t extra)
{
	size_t need, n;
	if (b->err)
		return b->err;
	if (extra > b->cap || b->len > b->cap - extra)
		return b->err = iw_error_set(IW_ENOMEM, "buffer would exceed its cap of %zu bytes",
		                             b->cap);
	need = b->len + extra + 1;
	if (need <= b->alloc)
		return IW_OK;
	n = b->alloc ? b->alloc : 64;
	while (n < need)
		n *= 2;
	b->data = iw_realloc(b->data, n);
	b->alloc = n;
	return IW_OK;
}

int iw_buf_add(iw_buf *b, const void *data, size_t len)
{
	int rc = iw_buf_grow(b, len);
	if (rc)
		return rc;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return IW_OK;
}

int iw_buf_adds(iw_buf *b, const char *s)
{
	return iw_buf_add(b, s, strlen(s));
}

int iw_buf_addc(iw_buf *b, char c)
{
	return iw_buf_add(b, &c, 1);
}

int iw_buf_vprintf(iw_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n, rc;
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (b->err)
		return b->err;
	if (n < 0)
		return b->err = iw_error_set(IW_ERROR, "bad format string");
	rc = iw_buf_grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return IW_OK;
}

int iw_buf_printf(iw_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;
	va_start(ap, fmt);
	rc = iw_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void iw_buf_reset(iw_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *iw_buf_detach(iw_buf *b, size_t *len)
{
	char *p = b->data;
	if (!p)
		p = iw_strdup("");
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->alloc = 0;
	return p;
}

void iw_buf_free(iw_buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
	b->err = IW_OK;
}

int iw_buf_add_json_int(iw_buf *b, long long v, long long none)
{
	if (v == none)
		return iw_buf_add(b, "null", 4);
	return iw_buf_printf(b, "%lld", v);
}

int iw_buf_add_json_str(iw_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;
	int rc;
	if (!s)
		return iw_buf_add(b, "null", 4);
	if ((rc = iw_buf_addc(b, '"')))
		return rc;
	for (p = (const unsigned char *)s; *p; p++) {
		const char *esc = NULL;
		char u[6];
		switch (*p) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default: break;
		}
		if (esc)
			rc = iw_buf_adds(b, esc);
		else if (*p < 0x20) {
			u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
			u[4] = hex[*p >> 4]; u[5] = hex[*p & 15];
			rc = iw_buf_add(b, u, 6);
		} else
			rc = iw_buf_addc(b, (char)*p);
		if (rc)
			return rc;
	}
	return iw_buf_addc(b, '"');
}
