/* io.c: reading whole inputs under a size cap (gunzipping them), and atomic file writes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "common/common.h"
#include "common/banned.h"

/* Prefaulting the mapping saves a page fault per 4 KiB of the document (Linux); elsewhere the
 * pages fault in as the parser reads them. */
#ifdef MAP_POPULATE
#define IO_MAP_POPULATE MAP_POPULATE
#else
#define IO_MAP_POPULATE 0
#endif

int iw_gunzip(const unsigned char *in, size_t n, size_t cap, unsigned char **out, size_t *len)
{
	z_stream z;
	iw_buf b = IW_BUF_INIT(cap);
	unsigned char chunk[65536];
	int zr, rc = IW_OK;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 32) != Z_OK)
		return iw_error_set(IW_ERROR, "cannot initialise zlib");
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)n;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END) {
			rc = iw_error_set(IW_EPARSE, "corrupt or truncated gzip data (%s)",
			                  z.msg ? z.msg : "unexpected end");
			goto out;
		}
		if ((rc = iw_buf_add(&b, chunk, sizeof(chunk) - z.avail_out))) {
			rc = iw_error_set(IW_ENOMEM, "decompressed size exceeds the cap of %zu bytes", cap);
			goto out;
		}
		/* Concatenated gzip members are legal: keep going after a stream end. */
		if (zr == Z_STREAM_END && z.avail_in > 0)
			inflateReset(&z);
	} while (zr != Z_STREAM_END || z.avail_in > 0);
	if (!b.data)
		iw_buf_add(&b, "", 0);
	*out = (unsigned char *)iw_buf_detach(&b, len);
out:
	inflateEnd(&z);
	iw_buf_free(&b);
	return rc;
}

int iw_read_file(const char *path, size_t cap, unsigned char **out, size_t *len)
{
	iw_buf b = IW_BUF_INIT(cap + 1);
	char chunk[65536];
	FILE *f;
	size_t n;
	int rc = IW_OK;
	const char *shown = strcmp(path, "-") ? path : "<stdin>";

	*out = NULL;
	*len = 0;
	f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return iw_error_set(IW_EIO, "%s: %s", shown, strerror(errno));
	{
		/* Size the buffer once for a regular file: no copies while it grows. */
		struct stat sb;
		if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
		    (size_t)sb.st_size <= cap) {
			b.data = iw_malloc((size_t)sb.st_size + 1);
			b.alloc = (size_t)sb.st_size + 1;
			n = fread(b.data, 1, (size_t)sb.st_size, f);
			b.len = n;
			b.data[n] = '\0';
		}
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		/* A compressed input may legitimately be larger than cap only if it is not gzip;
		 * both are refused beyond cap bytes on disk. */
		if ((rc = iw_buf_add(&b, chunk, n))) {
			rc = iw_error_set(IW_ENOMEM, "%s: larger than the cap of %zu bytes", shown, cap);
			goto out;
		}
	}
	if (ferror(f)) {
		rc = iw_error_set(IW_EIO, "%s: read error: %s", shown, strerror(errno));
		goto out;
	}
	if (b.len >= 2 && (unsigned char)b.data[0] == 0x1f && (unsigned char)b.data[1] == 0x8b) {
		rc = iw_gunzip((unsigned char *)b.data, b.len, cap, out, len);
		if (rc)
			iw_error_prefix(rc, "%s", shown);
		goto out;
	}
	if (!b.data)
		iw_buf_add(&b, "", 0);
	*out = (unsigned char *)iw_buf_detach(&b, len);
out:
	if (f && f != stdin)
		fclose(f);
	iw_buf_free(&b);
	return rc;
}

int iw_input_read(iw_input *in, const char *path, size_t cap)
{
	struct stat sb;
	unsigned char magic[2];
	void *map;
	int fd;

	memset(in, 0, sizeof(*in));
	if (strcmp(path, "-") && (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		/* Map only a plain regular file within the cap: gzip goes through iw_read_file(). */
		if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 2 &&
		    (size_t)sb.st_size <= cap && pread(fd, magic, 2, 0) == 2 &&
		    !(magic[0] == 0x1f && magic[1] == 0x8b)) {
			map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | IO_MAP_POPULATE, fd, 0);
			if (map != MAP_FAILED) {
				close(fd);
				in->data = map;
				in->len = (size_t)sb.st_size;
				in->mapped = 1;
				return IW_OK;
			}
		}
		close(fd);
	}
	return iw_read_file(path, cap, &in->data, &in->len);
}

void iw_input_free(iw_input *in)
{
	if (!in || !in->data)
		return;
	if (in->mapped)
		munmap(in->data, in->len);
	else
		free(in->data);
	memset(in, 0, sizeof(*in));
}

int iw_write_file_atomic(const char *path, const void *data, size_t len)
{
	char *tmp = iw_asprintf("%s.tmp.%ld", path, (long)getpid());
	const char *p = data;
	int fd, rc = IW_OK;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = iw_error_set(IW_EIO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			rc = iw_error_set(IW_EIO, "%s: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			goto out;
		}
		p += w;
		len -= (size_t)w;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		rc = iw_error_set(IW_EIO, "%s: %s", path, strerror(errno));
		unlink(tmp);
	}
out:
	free(tmp);
	return rc;
}

int iw_mkdir_p(const char *path, int mode)
{
	char *p = iw_strdup(path), *s;
	int rc = IW_OK;
	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
				rc = iw_error_set(IW_EIO, "cannot create %s: %s", p, strerror(errno));
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}
