/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/md5: the RFC 1321 test suite and the RFC 2202 HMAC-MD5 vectors. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_run.h"
#include "md5.h"

static void
hex(const unsigned char d[MD5_DIGEST_LEN], char out[2 * MD5_DIGEST_LEN + 1])
{
	unsigned i;

	for (i = 0; i < MD5_DIGEST_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static const struct {
	const char *in, *md;
} rfc1321[] = {
	{ "", "d41d8cd98f00b204e9800998ecf8427e" },
	{ "a", "0cc175b9c0f1b6a831c399e269772661" },
	{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
	{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
	{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
	{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	  "d174ab98d277d9f5a5611c2c9f419d9f" },
	{ "1234567890123456789012345678901234567890"
	  "1234567890123456789012345678901234567890",
	  "57edf4a22be3c955ac49da2e2107b67a" },
};

START_TEST(rfc1321_suite)
{
	unsigned char d[MD5_DIGEST_LEN];
	char h[33];
	const char *in = rfc1321[_i].in;

	md5(in, strlen(in), d);
	hex(d, h);
	ck_assert_str_eq(h, rfc1321[_i].md);
}
END_TEST

/* Fed a byte, then uneven pieces that straddle block boundaries, the
 * digest is the one-shot digest. */
START_TEST(rfc1321_piecewise)
{
	const char *in = rfc1321[_i].in;
	size_t len = strlen(in), off = 0, step = 1;
	struct md5_ctx c;
	unsigned char d[MD5_DIGEST_LEN];
	char h[33];

	md5_init(&c);
	while (off < len) {
		size_t n = step < len - off ? step : len - off;

		md5_update(&c, in + off, n);
		off += n;
		step = step * 3 + 1;
	}
	md5_final(&c, d);
	hex(d, h);
	ck_assert_str_eq(h, rfc1321[_i].md);
}
END_TEST

START_TEST(million_a)
{
	static char block[1000];
	struct md5_ctx c;
	unsigned char d[MD5_DIGEST_LEN];
	char h[33];
	unsigned i;

	memset(block, 'a', sizeof(block));
	md5_init(&c);
	for (i = 0; i < 1000; i++)
		md5_update(&c, block, sizeof(block));
	md5_final(&c, d);
	hex(d, h);
	ck_assert_str_eq(h, "7707d6ae4e027c70eea2a935c2296f21");
}
END_TEST

/* Padding edges: 55, 56, 63, 64, 65 bytes (one or two final blocks). */
START_TEST(padding_edges)
{
	static const struct {
		size_t len;
		const char *md;
	} v[] = {
		{ 55, "ef1772b6dff9a122358552954ad0df65" },
		{ 56, "3b0c8ac703f828b04c6c197006d17218" },
		{ 63, "b06521f39153d618550606be297466d5" },
		{ 64, "014842d480b571495a4a0363793f7367" },
		{ 65, "c743a45e0d2e6a95cb859adae0248435" },
	};
	char in[65], h[33];
	unsigned char d[MD5_DIGEST_LEN];
	unsigned i;

	memset(in, 'a', sizeof(in));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		md5(in, v[i].len, d);
		hex(d, h);
		ck_assert_msg(strcmp(h, v[i].md) == 0, "len %zu: %s", v[i].len, h);
	}
}
END_TEST

struct hmac_vec {
	unsigned char key[80];
	size_t keylen;
	unsigned char data[80];
	size_t datalen;
	const char *md;
};

static struct hmac_vec rfc2202[7];

static void
fill(unsigned char *p, unsigned char b, size_t n)
{
	memset(p, b, n);
}

static void
rfc2202_setup(void)
{
	struct hmac_vec *v = rfc2202;
	unsigned i;

	fill(v[0].key, 0x0b, v[0].keylen = 16);
	memcpy(v[0].data, "Hi There", v[0].datalen = 8);
	v[0].md = "9294727a3638bb1c13f48ef8158bfc9d";

	memcpy(v[1].key, "Jefe", v[1].keylen = 4);
	memcpy(v[1].data, "what do ya want for nothing?", v[1].datalen = 28);
	v[1].md = "750c783e6ab0b503eaa86e310a5db738";

	fill(v[2].key, 0xaa, v[2].keylen = 16);
	fill(v[2].data, 0xdd, v[2].datalen = 50);
	v[2].md = "56be34521d144c88dbb8c733f0e8b3f6";

	for (i = 0; i < 25; i++)
		v[3].key[i] = (unsigned char)(i + 1);
	v[3].keylen = 25;
	fill(v[3].data, 0xcd, v[3].datalen = 50);
	v[3].md = "697eaf0aca3a3aea3a75164746ffaa79";

	fill(v[4].key, 0x0c, v[4].keylen = 16);
	memcpy(v[4].data, "Test With Truncation", v[4].datalen = 20);
	v[4].md = "56461ef2342edc00f9bab995690efd4c";

	fill(v[5].key, 0xaa, v[5].keylen = 80);
	memcpy(v[5].data, "Test Using Larger Than Block-Size Key - Hash Key First",
	    v[5].datalen = 54);
	v[5].md = "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd";

	fill(v[6].key, 0xaa, v[6].keylen = 80);
	memcpy(v[6].data, "Test Using Larger Than Block-Size Key and Larger "
	    "Than One Block-Size Data", v[6].datalen = 73);
	v[6].md = "6f630fad67cda0ee1fb1f562db3aa53e";
}

START_TEST(rfc2202_hmac)
{
	const struct hmac_vec *v = &rfc2202[_i];
	const void *parts[1] = { v->data };
	size_t lens[1] = { v->datalen };
	unsigned char d[MD5_DIGEST_LEN];
	char h[33];

	hmac_md5(v->key, v->keylen, parts, lens, 1, d);
	hex(d, h);
	ck_assert_str_eq(h, v->md);
}
END_TEST

/* The data split into three parts (one empty) gives the same HMAC. */
START_TEST(rfc2202_hmac_parts)
{
	const struct hmac_vec *v = &rfc2202[_i];
	size_t cut = v->datalen / 3;
	const void *parts[3] = { v->data, v->data + cut, v->data + cut };
	size_t lens[3] = { cut, 0, v->datalen - cut };
	unsigned char d[MD5_DIGEST_LEN];
	char h[33];

	hmac_md5(v->key, v->keylen, parts, lens, 3, d);
	hex(d, h);
	ck_assert_str_eq(h, v->md);
}
END_TEST

static Suite *
md5_suite(void)
{
	Suite *s = suite_create("md5");
	TCase *tc = tcase_create("md5");
	int n1321 = sizeof(rfc1321) / sizeof(rfc1321[0]);
	int n2202 = sizeof(rfc2202) / sizeof(rfc2202[0]);

	tcase_add_checked_fixture(tc, rfc2202_setup, NULL);
	tcase_add_loop_test(tc, rfc1321_suite, 0, n1321);
	tcase_add_loop_test(tc, rfc1321_piecewise, 0, n1321);
	tcase_add_test(tc, million_a);
	tcase_add_test(tc, padding_edges);
	tcase_add_loop_test(tc, rfc2202_hmac, 0, n2202);
	tcase_add_loop_test(tc, rfc2202_hmac_parts, 0, n2202);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(md5_suite());
}
