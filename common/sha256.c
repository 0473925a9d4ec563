/* sha256.c: SHA-256 through OpenSSL's libcrypto, which uses the CPU's SHA extensions. */
#include <stdlib.h>

#include <openssl/evp.h>

#include "common/common.h"
#include "common/banned.h"

void iw_sha256(const void *data, size_t len, unsigned char out[IW_SHA256_LEN])
{
	/* OpenSSL 3 looks the algorithm up on every one-shot call, which costs more than hashing
	 * a record: fetch it once and reuse one context per thread. */
	static _Thread_local EVP_MD *md;
	static _Thread_local EVP_MD_CTX *ctx;
	unsigned int n = IW_SHA256_LEN;
	if (!md && !(md = EVP_MD_fetch(NULL, "SHA256", NULL)))
		abort();
	if (!ctx && !(ctx = EVP_MD_CTX_new()))
		abort();
	if (!EVP_DigestInit_ex2(ctx, md, NULL) || !EVP_DigestUpdate(ctx, data, len) ||
	    !EVP_DigestFinal_ex(ctx, out, &n))
		abort();
}

void iw_hex(const unsigned char *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;
	for (i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}
