/* SPDX-License-Identifier: GPL-2.0-or-later */
/* IPv4/IPv6 address parsing and printing. */
#include "addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "htab.h"

int
addr_parse(const char *s, struct vg_addr *out)
{
	struct vg_addr a;

	if (s == NULL || *s == '\0' || strchr(s, '%') != NULL)
		return -1;
	memset(&a, 0, sizeof(a));
	if (strchr(s, ':') != NULL) {
		if (inet_pton(AF_INET6, s, &a.u.v6) != 1)
			return -1;
		a.family = AF_INET6;
	} else {
		if (inet_pton(AF_INET, s, &a.u.v4) != 1)
			return -1;
		a.family = AF_INET;
	}
	*out = a;
	return 0;
}

static int
parse_dec(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -1;
	}
	*out = v;
	return 0;
}

int
addr_parse_len(const char *s, size_t len, struct vg_addr *out)
{
	char buf[ADDR_STRLEN];

	if (s == NULL || len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return addr_parse(buf, out);
}

int
addr_parse_prefix(const char *s, struct vg_addr *out, unsigned *prefix)
{
	const char *slash;
	struct vg_addr a;
	unsigned long p;

	if (s == NULL)
		return -1;
	slash = strchr(s, '/');
	if (slash == NULL) {
		if (addr_parse(s, &a) == -1)
			return -1;
		*out = a;
		*prefix = a.family == AF_INET ? 32 : 128;
		return 0;
	}
	if (addr_parse_len(s, (size_t)(slash - s), &a) == -1)
		return -1;
	if (parse_dec(slash + 1, a.family == AF_INET ? 32 : 128, &p) == -1)
		return -1;
	*out = a;
	*prefix = (unsigned)p;
	return 0;
}

int
addr_parse_port(const char *s, unsigned *port)
{
	unsigned long p;

	if (s == NULL || parse_dec(s, 65535, &p) == -1)
		return -1;
	*port = (unsigned)p;
	return 0;
}

/* "a.b.c.d" as inet_ntop writes it, without its sprintf (names of
 * 110,000 objects are made per reload); -1 if it does not fit. */
static int
ntop4(const struct in_addr *in, char *buf, size_t len)
{
	const unsigned char *b = (const unsigned char *)&in->s_addr;
	char t[16], *p = t;

	for (int i = 0; i < 4; i++) {
		unsigned v = b[i];

		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		*p++ = i < 3 ? '.' : '\0';
	}
	if ((size_t)(p - t) > len)
		return -1;
	memcpy(buf, t, (size_t)(p - t));
	return 0;
}

const char *
addr_ntop(const struct vg_addr *a, char *buf, size_t len)
{
	if (buf == NULL || len == 0)
		return NULL;
	if (a == NULL || (a->family != AF_INET && a->family != AF_INET6)) {
		snprintf(buf, len, "(unset)");
		return buf;
	}
	if (a->family == AF_INET && ntop4(&a->u.v4, buf, len) == 0)
		return buf;
	if (inet_ntop(a->family, &a->u, buf, (socklen_t)len) == NULL) {
		snprintf(buf, len, "(invalid)");
		return buf;
	}
	return buf;
}

int
addr_cmp(const struct vg_addr *a, const struct vg_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->family == AF_INET)
		return memcmp(&a->u.v4, &b->u.v4, sizeof(a->u.v4));
	if (a->family == AF_INET6)
		return memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6));
	return 0;
}

int
addr_is_unset(const struct vg_addr *a)
{
	return a == NULL || a->family == 0;
}

size_t
addr_hash(size_t h, const struct vg_addr *a)
{
	h = htab_hash_bytes(h, &a->family, sizeof(a->family));
	if (a->family == AF_INET)
		return htab_hash_bytes(h, &a->u.v4, sizeof(a->u.v4));
	if (a->family == AF_INET6)
		return htab_hash_bytes(h, &a->u.v6, sizeof(a->u.v6));
	return h;
}
