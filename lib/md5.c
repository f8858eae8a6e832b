/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MD5 as RFC 1321 specifies it, HMAC-MD5 as RFC 2104 does. Written from
 * the RFCs; byte order handled explicitly so it runs on any host.
 */
#include <string.h>

#include "md5.h"

#define ROTL(x, n)	(((x) << (n)) | ((x) >> (32 - (n))))

#define F(x, y, z)	(((x) & (y)) | (~(x) & (z)))
#define G(x, y, z)	(((x) & (z)) | ((y) & ~(z)))
#define H(x, y, z)	((x) ^ (y) ^ (z))
#define I(x, y, z)	((y) ^ ((x) | ~(z)))

/* RFC 1321 3.4: T[i] = floor(2^32 * abs(sin(i))), i = 1..64. */
static const uint32_t md5_t[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
	0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
	0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
	0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
	0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

static const unsigned char md5_s[4][4] = {
	{ 7, 12, 17, 22 }, { 5, 9, 14, 20 }, { 4, 11, 16, 23 }, { 6, 10, 15, 21 },
};

static void
md5_block(uint32_t st[4], const unsigned char *p)
{
	uint32_t x[16], a = st[0], b = st[1], c = st[2], d = st[3], t;
	unsigned i, k;

	for (i = 0; i < 16; i++)
		x[i] = (uint32_t)p[i * 4] | (uint32_t)p[i * 4 + 1] << 8 |
		    (uint32_t)p[i * 4 + 2] << 16 | (uint32_t)p[i * 4 + 3] << 24;
	for (i = 0; i < 64; i++) {
		uint32_t f;

		switch (i / 16) {
		case 0:
			f = F(b, c, d);
			k = i;
			break;
		case 1:
			f = G(b, c, d);
			k = (5 * i + 1) % 16;
			break;
		case 2:
			f = H(b, c, d);
			k = (3 * i + 5) % 16;
			break;
		default:
			f = I(b, c, d);
			k = (7 * i) % 16;
			break;
		}
		t = a + f + x[k] + md5_t[i];
		a = d;
		d = c;
		c = b;
		b = b + ROTL(t, md5_s[i / 16][i % 4]);
	}
	st[0] += a;
	st[1] += b;
	st[2] += c;
	st[3] += d;
}

void
md5_init(struct md5_ctx *c)
{
	c->state[0] = 0x67452301;
	c->state[1] = 0xefcdab89;
	c->state[2] = 0x98badcfe;
	c->state[3] = 0x10325476;
	c->count = 0;
}

void
md5_update(struct md5_ctx *c, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t have = (size_t)(c->count % 64), take;

	c->count += len;
	if (have > 0) {
		take = 64 - have;
		if (take > len)
			take = len;
		memcpy(c->buf + have, p, take);
		p += take;
		len -= take;
		if (have + take < 64)
			return;
		md5_block(c->state, c->buf);
	}
	for (; len >= 64; p += 64, len -= 64)
		md5_block(c->state, p);
	if (len > 0)
		memcpy(c->buf, p, len);
}

void
md5_final(struct md5_ctx *c, unsigned char out[MD5_DIGEST_LEN])
{
	static const unsigned char pad[64] = { 0x80 };
	unsigned char lenb[8];
	uint64_t bits = c->count * 8;
	size_t have = (size_t)(c->count % 64);
	unsigned i;

	for (i = 0; i < 8; i++)
		lenb[i] = (unsigned char)(bits >> (8 * i));
	md5_update(c, pad, have < 56 ? 56 - have : 120 - have);
	md5_update(c, lenb, 8);
	for (i = 0; i < 4; i++) {
		out[i * 4] = (unsigned char)c->state[i];
		out[i * 4 + 1] = (unsigned char)(c->state[i] >> 8);
		out[i * 4 + 2] = (unsigned char)(c->state[i] >> 16);
		out[i * 4 + 3] = (unsigned char)(c->state[i] >> 24);
	}
	memset(c, 0, sizeof(*c));
}

void
md5(const void *data, size_t len, unsigned char out[MD5_DIGEST_LEN])
{
	struct md5_ctx c;

	md5_init(&c);
	md5_update(&c, data, len);
	md5_final(&c, out);
}

/* RFC 2104: H(K ^ opad, H(K ^ ipad, text)); keys longer than the block
 * are hashed first, shorter ones padded with zeros. */
void
hmac_md5(const void *key, size_t keylen, const void *const *parts,
    const size_t *lens, unsigned n, unsigned char out[MD5_DIGEST_LEN])
{
	unsigned char k[64], pad[64], inner[MD5_DIGEST_LEN];
	struct md5_ctx c;
	unsigned i;

	memset(k, 0, sizeof(k));
	if (keylen > sizeof(k))
		md5(key, keylen, k);
	else if (keylen > 0)
		memcpy(k, key, keylen);

	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	md5_init(&c);
	md5_update(&c, pad, sizeof(pad));
	for (i = 0; i < n; i++)
		md5_update(&c, parts[i], lens[i]);
	md5_final(&c, inner);

	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	md5_init(&c);
	md5_update(&c, pad, sizeof(pad));
	md5_update(&c, inner, sizeof(inner));
	md5_final(&c, out);
	memset(k, 0, sizeof(k));
	memset(pad, 0, sizeof(pad));
}
