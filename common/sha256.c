/* sha256.c: SHA-256 through OpenSSL's libcrypto, which uses the CPU's SHA extensions. */
#include <openssl/evp.h>

#include "common/common.h"

void iw_sha256(const void *data, size_t len, unsigned char out[IW_SHA256_LEN])
{
	unsigned int n = IW_SHA256_LEN;
	EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
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
