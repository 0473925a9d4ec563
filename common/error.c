/* error.c: the message of the last failure, carried up from library code to the CLI. */
#include <stdio.h>
#include <string.h>

#include "common/common.h"
#include "common/banned.h"

/* Per thread, so that a helper thread (the raw archive job) cannot clobber the caller's. */
static _Thread_local char iw_err_msg[1024];

int iw_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(iw_err_msg, sizeof(iw_err_msg), fmt, ap);
	va_end(ap);
	return code;
}

int iw_error_prefix(int code, const char *fmt, ...)
{
	char prefix[512], old[sizeof(iw_err_msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, iw_err_msg, sizeof(old));
	if (old[0])
		snprintf(iw_err_msg, sizeof(iw_err_msg), "%s: %s", prefix, old);
	else
		snprintf(iw_err_msg, sizeof(iw_err_msg), "%s", prefix);
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
