/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for DNS_CHECK's reply check: the first byte picks a
 * query (name and type), the rest is the reply, given our query's ID and
 * the response bit half of the time so that the parser goes past the
 * header. Also builds a query from the input as a name. Nothing may crash,
 * read out of bounds (ASan: the reply is an exact-size copy) or hang.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "healthcheck/dns_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	const char *name;
	unsigned type;
} queries[] = {
	{ ".", 6 }, { "www.example.org", 1 }, { "a.b", 28 }, { "x", 15 },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t q[DNS_QUERY_MAX], *r;
	struct dns_reply_info in;
	enum dns_verdict v;
	char name[300];
	size_t n;
	int qlen;

	if (size < 1)
		return 0;
	n = size - 1 < sizeof(name) - 1 ? size - 1 : sizeof(name) - 1;
	memcpy(name, data + 1, n);
	name[n] = '\0';
	qlen = dns_msg_query(q, sizeof(q), 7, name, data[0]);
	if (qlen > (int)DNS_QUERY_MAX)
		abort();
	qlen = dns_msg_query(q, sizeof(q), 0x4242,
	    queries[data[0] % 4].name, queries[data[0] % 4].type);
	if (qlen <= 0)
		abort();
	if ((r = malloc(size - 1 + 1)) == NULL)
		return 0;
	memcpy(r, data + 1, size - 1);
	if ((data[0] & 0x80) && size - 1 >= 3) {
		r[0] = 0x42;
		r[1] = 0x42;
		r[2] |= 0x80;
	}
	v = dns_msg_check(q, (size_t)qlen, r, size - 1, &in);
	free(r);
	if (v > DNS_V_NOTOURS || in.why == NULL)
		abort();
	if (v == DNS_V_OK && in.answers == 0)
		abort();
	return 0;
}
