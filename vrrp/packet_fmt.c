/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One line describing a decoded VRRP advert, for debug logs and dumps. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/socket.h>

#include "vrrp/packet.h"

struct out {
	char *buf;
	size_t len, used;	/* used: what was written, NUL aside */
	int cut;
};

static void __attribute__((format(printf, 2, 3)))
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->cut)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->used, o->len - o->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->len - o->used) {
		o->cut = 1;
		o->used = o->len - 1;
		return;
	}
	o->used += (size_t)n;
}

static const char *
ntop(int family, const void *a, char *s, size_t len)
{
	if (inet_ntop(family, a, s, (socklen_t)len) == NULL)
		return "?";
	return s;
}

/*
 * "VRRPv3 vrid 42 prio 150 int 100cs 10.0.0.1 > 224.0.0.18 ttl 255
 * addrs 3: 10.0.0.10 10.0.0.11 192.168.7.1" (v2: "int 1s auth pass",
 * "auth ah seq 7"; a password is never shown). Always NUL-terminated;
 * a line that does not fit ends in "...". Returns its length.
 */
size_t
vrrp_pkt_format(const struct vrrp_pkt *p, char *buf, size_t len)
{
	static const char *const auth[] = { "none", "pass", "ah" };
	struct out o = { buf, len, 0, 0 };
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int fam = p->ip.family == AF_INET6 ? AF_INET6 : AF_INET;
	size_t alen = fam == AF_INET ? 4 : 16;
	unsigned i;

	if (buf == NULL || len == 0)
		return 0;
	buf[0] = '\0';
	put(&o, "VRRPv%u vrid %u prio %u", p->version, p->vrid, p->priority);
	if (p->version == 2)
		put(&o, " int %us", p->adver_int / 100);
	else
		put(&o, " int %ucs", p->adver_int);
	put(&o, " %s > %s ttl %d",
	    ntop(fam, fam == AF_INET ? (const void *)&p->ip.src.u.v4 :
	    (const void *)&p->ip.src.u.v6, a, sizeof(a)),
	    ntop(fam, fam == AF_INET ? (const void *)&p->ip.dst.u.v4 :
	    (const void *)&p->ip.dst.u.v6, b, sizeof(b)), p->ip.ttl);
	if (p->version == 2) {
		if ((unsigned)p->auth_type < 3)
			put(&o, " auth %s", auth[p->auth_type]);
		else
			put(&o, " auth %u", (unsigned)p->auth_type);
		if (p->ah != NULL)
			put(&o, " seq %u", (unsigned)p->ah_seq);
	}
	put(&o, " addrs %u:", p->naddrs);
	for (i = 0; p->addrs != NULL && i < p->naddrs; i++)
		put(&o, " %s", ntop(fam, p->addrs + i * alen, a, sizeof(a)));
	if (o.cut && len > 3) {
		buf[len - 4] = buf[len - 3] = buf[len - 2] = '.';
		buf[len - 1] = '\0';
	}
	return o.used;
}
