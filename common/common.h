/*
 * common.h: the small shared toolkit of ianawatch: error reporting, capped growable buffers,
 * UTC time parsing and formatting, SHA-256, and reading (possibly gzip-compressed) input files.
 *
 * Conventions for every module (after libgit2's docs/conventions.md):
 *  - Functions return an int status: IW_OK (0) on success, a negative IW_E* code on failure.
 *    On failure they have called iw_error_set(), so iw_error_last() names what went wrong and
 *    where; callers add context with iw_error_prefix().
 *  - Library code never exits and never prints to stdout; only cli/ turns errors into exit codes.
 *  - Whoever receives a pointer through an `out` parameter owns it and releases it with the
 *    matching *_free(); every *_free() accepts NULL. `const` returns are borrowed.
 */
#ifndef IANAWATCH_COMMON_H
#define IANAWATCH_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifndef IANAWATCH_VERSION
#define IANAWATCH_VERSION "0.0.0"
#endif

/* Status codes. The CLI maps them to exit statuses (see cli/cli.h). */
enum {
	IW_OK = 0,
	IW_ERROR = -1,    /* generic failure */
	IW_EINVAL = -2,   /* bad argument from the caller or user */
	IW_ENOTFOUND = -3,/* no such snapshot, port, file... */
	IW_EPARSE = -4,   /* the document is not a valid registry */
	IW_EIO = -5,      /* file system or network I/O failed */
	IW_EDB = -6,      /* the database failed or is unusable */
	IW_EBUSY = -7,    /* another ianawatch holds the database */
	IW_ENOMEM = -8,   /* out of memory, or over a hard cap */
	IW_EREFUSED = -9, /* a valid document refused as implausible (see --force) */
	IW_ENET = -10,    /* HTTP fetch failed */
};

#if defined(__GNUC__)
#define IW_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define IW_PRINTF(a, b)
#endif

/* ---- errors ------------------------------------------------------------------------------ */

/* Records the message of the current failure and returns `code`, so that library code can say
 * `return iw_error_set(IW_EINVAL, "bad port '%s'", s);`. A message is one line (control
 * characters become spaces) of under IW_ERROR_MAX bytes: a longer one keeps its beginning and
 * its end (the reason) with " ... " between, so that a long file name or value inserted in it
 * never cuts off why it failed. */
#define IW_ERROR_MAX 1024
int iw_error_set(int code, const char *fmt, ...) IW_PRINTF(2, 3);
/* Puts "prefix: " before the current message (e.g. the file name). Returns `code`. */
int iw_error_prefix(int code, const char *fmt, ...) IW_PRINTF(2, 3);
/* The message of the last failure; never NULL (empty when none). Borrowed. */
const char *iw_error_last(void);
void iw_error_clear(void);

/* ---- memory ------------------------------------------------------------------------------ */

/* Allocation that never returns NULL: out of memory aborts, since nothing sensible can follow
 * and every caller checking would only hide bugs. */
void *iw_malloc(size_t n);
void *iw_calloc(size_t n, size_t size);
void *iw_realloc(void *p, size_t n);
char *iw_strdup(const char *s);
char *iw_strndup(const char *s, size_t n);
char *iw_asprintf(const char *fmt, ...) IW_PRINTF(1, 2);
/* Room for element n of array p (git's ALLOC_GROW): when n has reached alloc, the capacity
 * doubles (starting at `first`) and p moves. Appending is then
 * `IW_GROW(v, n, alloc, 64); v[n++] = x;`. */
#define IW_GROW(p, n, alloc, first) \
	((p) = iw_grow((p), (n), &(alloc), (first), sizeof(*(p))))
void *iw_grow(void *p, size_t n, size_t *alloc, size_t first, size_t size);

/* ---- capped growable buffer (after curl's dynbuf) ----------------------------------------- */

/*
 * The error is sticky, as in git's strbuf users and curl's dynbuf callers: once an append fails
 * (the cap), every later append is a no-op returning the same code, and the message stays the
 * first failure's. So a renderer appends freely and checks once, with iw_buf_error(), before
 * it uses the output. This is the one way failed appends are handled in ianawatch.
 */
typedef struct iw_buf {
	char *data;   /* NUL-terminated while len < alloc; owned by the buffer */
	size_t len;
	size_t alloc;
	size_t cap;   /* hard limit on len; appends beyond it fail with IW_ENOMEM */
	int err;      /* the first failure's code, IW_OK while none */
} iw_buf;

#define IW_BUF_INIT(capacity) { NULL, 0, 0, (capacity), 0 }
void iw_buf_init(iw_buf *b, size_t cap);
int iw_buf_add(iw_buf *b, const void *data, size_t len);
int iw_buf_adds(iw_buf *b, const char *s);
int iw_buf_addc(iw_buf *b, char c);
int iw_buf_printf(iw_buf *b, const char *fmt, ...) IW_PRINTF(2, 3);
int iw_buf_vprintf(iw_buf *b, const char *fmt, va_list ap) IW_PRINTF(2, 0);
/* IW_OK, or the code of the first append that failed since iw_buf_init() / iw_buf_free(). */
int iw_buf_error(const iw_buf *b);
/* Empties the buffer; a failure stays recorded (so output that lost a part is never used). */
void iw_buf_reset(iw_buf *b);
/* Hands the data to the caller (who frees it with free()) and resets the buffer. */
char *iw_buf_detach(iw_buf *b, size_t *len);
void iw_buf_free(iw_buf *b);
/* Appends s as a JSON string literal, with quotes; NULL becomes null. */
int iw_buf_add_json_str(iw_buf *b, const char *s);
/* Appends v as a JSON number, or null when v is none: the value that means "absent" where the
 * number lives (0 for an HTTP status or a line number). */
int iw_buf_add_json_int(iw_buf *b, long long v, long long none);

/* ---- time ---------------------------------------------------------------------------------- */

/* Parses an ISO 8601 UTC timestamp: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|+00:00]; a date alone
 * means midnight UTC. */
int iw_time_parse(const char *s, time_t *out);
/* Parses a calendar date YYYY-MM-DD strictly (real month and day). */
int iw_date_valid(const char *s);
/* Formats as YYYY-MM-DDTHH:MM:SSZ into out (at least 21 bytes). */
void iw_time_format(time_t t, char out[21]);
/* The current time; $IANAWATCH_NOW (ISO 8601) overrides it, for reproducible tests. */
time_t iw_now(void);

/* ---- hashing -------------------------------------------------------------------------------- */

#define IW_SHA256_LEN 32
void iw_sha256(const void *data, size_t len, unsigned char out[IW_SHA256_LEN]);
/* Lowercase hex of n bytes into out (2n+1 bytes). */
void iw_hex(const unsigned char *in, size_t n, char *out);

/* ---- environment ---------------------------------------------------------------------------- */

/* The whole decimal number in the environment variable name when it lies within [lo, hi];
 * `def` when it is unset, empty or anything else (tests shorten timeouts so). */
long iw_env_long(const char *name, long def, long lo, long hi);

/* ---- input files ---------------------------------------------------------------------------- */

/* Reads a whole file ("-" is stdin) into memory, transparently gunzipping it when it starts
 * with the gzip magic. Refuses inputs whose (decompressed) size exceeds cap, which also
 * defuses gzip bombs. *out is NUL-terminated and owned by the caller (free()). */
int iw_read_file(const char *path, size_t cap, unsigned char **out, size_t *len);
/* A whole input as iw_input_read() gives it: a plain regular file is mapped (no copy, no fresh
 * pages: a fifth of an import's system time otherwise), anything else is read as by
 * iw_read_file(). data is read-only and NUL-terminated only when read; release it with
 * iw_input_free(), which accepts an input that was never filled. */
typedef struct iw_input {
	unsigned char *data;
	size_t len;
	int mapped;
} iw_input;

int iw_input_read(iw_input *in, const char *path, size_t cap);
void iw_input_free(iw_input *in);

/* Gunzips in[0..n) with the same cap. */
int iw_gunzip(const unsigned char *in, size_t n, size_t cap, unsigned char **out, size_t *len);
/* Writes data to path atomically: a temporary file in the same folder, then rename(2). */
int iw_write_file_atomic(const char *path, const void *data, size_t len);
/* Creates a directory and its parents (mode 0755 / 0700 for the data folder). */
int iw_mkdir_p(const char *path, int mode);

#endif
