/* error.c: the message of the last failure, carried up from library code to the CLI. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "common/banned.h"

/* Per thread, so that a helper thread (the raw archive job) cannot clobber the caller's. */
static _Thread_local char iw_err_msg[IW_ERROR_MAX];

/* A message longer than the buffer keeps its beginning (what failed) and its end (why), with
 * " ... " between: a 2,000-character file name must not push the reason out. */
#define IW_ERROR_HEAD 320
#define IW_ERROR_ELLIPSIS " ... "

static int iw_error_continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

/* Stores msg[0..len) as the message: shortened in the middle when too long (never inside a
 * UTF-8 sequence), and on one line (control characters become spaces). */
static void iw_error_store(const char *msg, size_t len)
{
	char *d = iw_err_msg;
	size_t i;
	if (len < sizeof(iw_err_msg)) {
		memcpy(d, msg, len);
		d[len] = '\0';
	} else {
		size_t head = IW_ERROR_HEAD, el = sizeof(IW_ERROR_ELLIPSIS) - 1;
		size_t tail = sizeof(iw_err_msg) - 1 - head - el, from = len - tail;
		while (head > 0 && iw_error_continuation(msg[head]))
			head--;
		while (from < len && iw_error_continuation(msg[from]))
			from++;
		memcpy(d, msg, head);
		memcpy(d + head, IW_ERROR_ELLIPSIS, el);
		memcpy(d + head + el, msg + from, len - from);
		d[head + el + len - from] = '\0';
	}
	for (i = 0; d[i]; i++)
		if ((unsigned char)d[i] < 0x20 || d[i] == 0x7f)
			d[i] = ' ';
}

/* Formats into a buffer of the message's size, then stores it. */
static void iw_error_vstore(const char *fmt, va_list ap) IW_PRINTF(1, 0);
static void iw_error_vstore(const char *fmt, va_list ap)
{
	char small[IW_ERROR_MAX], *big;
	va_list ap2;
	int n;
	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0)
		small[0] = '\0';
	if (n < 0 || (size_t)n < sizeof(small) || !(big = malloc((size_t)n + 1))) {
		/* Out of memory: the message cut at the buffer's size is better than none. */
		va_end(ap2);
		iw_error_store(small, strlen(small));
		return;
	}
	vsnprintf(big, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	iw_error_store(big, (size_t)n);
	free(big);
}

int iw_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	iw_error_vstore(fmt, ap);
	va_end(ap);
	return code;
}

int iw_error_prefix(int code, const char *fmt, ...)
{
	char old[sizeof(iw_err_msg)], both[2 * sizeof(iw_err_msg) + 2];
	va_list ap;
	int n;
	memcpy(old, iw_err_msg, sizeof(old));
	va_start(ap, fmt);
	iw_error_vstore(fmt, ap);
	va_end(ap);
	if (old[0]) {
		/* Both fit: the prefix and the message were each shortened to the buffer. */
		n = snprintf(both, sizeof(both), "%s: %s", iw_err_msg, old);
		iw_error_store(both, n > 0 ? (size_t)n : 0);
	}
	return code;
}

const char *iw_error_last(void)
{
	return iw_err_msg;
}

void iw_error_clear(void)
{
	iw_err_msg[0] = '\0';
}
