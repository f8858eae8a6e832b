/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MD5 (RFC 1321) and HMAC-MD5 (RFC 2104): VRRPv2 IPSEC-AH authentication
 * and the HTTP checkers' body digests. Our own, so both work in builds
 * without OpenSSL.
 */
#ifndef VIGIL_MD5_H
#define VIGIL_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_DIGEST_LEN 16

struct md5_ctx {
	uint32_t state[4];
	uint64_t count;			/* bytes */
	unsigned char buf[64];
};

void md5_init(struct md5_ctx *c);
void md5_update(struct md5_ctx *c, const void *data, size_t len);
void md5_final(struct md5_ctx *c, unsigned char out[MD5_DIGEST_LEN]);
void md5(const void *data, size_t len, unsigned char out[MD5_DIGEST_LEN]);
/* HMAC-MD5 of the concatenated parts (n of them). */
void hmac_md5(const void *key, size_t keylen, const void *const *parts,
    const size_t *lens, unsigned n, unsigned char out[MD5_DIGEST_LEN]);

#endif
