/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The HTTP reply parser on arbitrary bytes: the first byte chooses how
 * the rest is cut into pieces; the reply fed whole and fed in pieces
 * must end the same way (result, status, body and its digest).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "healthcheck/http_reply.h"
#include "lib/md5.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
on_body(void *arg, const unsigned char *d, size_t len)
{
	md5_update(arg, d, len);
}

static int
run(const uint8_t *data, size_t size, size_t step, struct http_reply *r,
    unsigned char digest[MD5_DIGEST_LEN])
{
	struct md5_ctx c;
	enum http_reply_result res = HTTP_REPLY_MORE;
	size_t off = 0, n;

	md5_init(&c);
	http_reply_init(r, on_body, &c);
	r->body_max = 1u << 20;
	while (off < size && res == HTTP_REPLY_MORE) {
		n = size - off < step ? size - off : step;
		res = http_reply_feed(r, data + off, n);
		off += n;
	}
	if (res == HTTP_REPLY_MORE)
		res = http_reply_eof(r);
	md5_final(&c, digest);
	return res;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_reply a, b;
	unsigned char da[MD5_DIGEST_LEN], db[MD5_DIGEST_LEN];
	size_t step;
	int ra, rb;

	if (size < 1)
		return 0;
	step = (size_t)data[0] % 17 + 1;
	data++;
	size--;
	ra = run(data, size, size > 0 ? size : 1, &a, da);
	rb = run(data, size, step, &b, db);
	if (ra != rb || a.status != b.status || a.body_bytes != b.body_bytes ||
	    memcmp(da, db, sizeof(da)) != 0)
		abort();
	/* the quoted bytes in a reason depend on the cut; a reason is there */
	if (ra == HTTP_REPLY_ERROR && (a.error[0] == '\0' || b.error[0] == '\0'))
		abort();
	return 0;
}
