/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "objname.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"

/* "addr:port" or "[addr]:port" -> address and port; proto, if not NULL,
 * gets what follows a '/' ("" if nothing). 0 or -1. */
static int
split_addr_port(const char *arg, struct vg_addr *a, unsigned *port,
    char *proto, size_t plen)
{
	char buf[128], *host, *p, *slash;

	if (strlen(arg) >= sizeof(buf))
		return -1;
	strcpy(buf, arg);
	slash = strchr(buf, '/');
	if (slash != NULL) {
		if (proto == NULL)
			return -1;
		*slash++ = '\0';
		snprintf(proto, plen, "%s", slash);
	} else if (proto != NULL)
		proto[0] = '\0';
	if (buf[0] == '[') {
		host = buf + 1;
		if ((p = strchr(host, ']')) == NULL || p[1] != ':')
			return -1;
		*p = '\0';
		p += 2;
	} else {
		host = buf;
		if ((p = strchr(buf, ':')) == NULL || strchr(p + 1, ':'))
			return -1;	/* none, or an unbracketed IPv6 */
		*p++ = '\0';
	}
	if (*p == '\0' || addr_parse(host, a) < 0 || addr_parse_port(p, port) < 0)
		return -1;
	return 0;
}

int
objname_real(const char *arg, char *out, size_t len)
{
	struct vg_addr a;
	unsigned port;
	char s[ADDR_STRLEN];
	int n;

	if (split_addr_port(arg, &a, &port, NULL, 0) < 0)
		return -1;
	n = snprintf(out, len, "[%s]:%u", addr_ntop(&a, s, sizeof(s)), port);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
objname_rs_split(const char *name, char *vs, size_t vslen, char *real,
    size_t reallen)
{
	const char *sep = NULL;

	/* the last " / ": group names are free text */
	for (const char *p = strstr(name, " / "); p != NULL;
	    p = strstr(p + 1, " / "))
		sep = p;
	if (sep == NULL || (size_t)(sep - name) >= vslen ||
	    strlen(sep + 3) >= reallen)
		return -1;
	memcpy(vs, name, (size_t)(sep - name));
	vs[sep - name] = '\0';
	strcpy(real, sep + 3);
	return 0;
}

/* "[addr]:PROTO:port" against an addr:port[/proto] typed. */
static int
vs_addr_match(const char *vsname, const char *arg)
{
	struct vg_addr a, b;
	unsigned port, vport;
	char proto[16], vproto[16], host[ADDR_STRLEN + 2];
	const char *close, *p2;

	if (vsname[0] != '[' || (close = strchr(vsname, ']')) == NULL ||
	    close[1] != ':' || (size_t)(close - vsname - 1) >= sizeof(host))
		return 0;
	memcpy(host, vsname + 1, (size_t)(close - vsname - 1));
	host[close - vsname - 1] = '\0';
	if ((p2 = strchr(close + 2, ':')) == NULL ||
	    (size_t)(p2 - close - 2) >= sizeof(vproto))
		return 0;
	memcpy(vproto, close + 2, (size_t)(p2 - close - 2));
	vproto[p2 - close - 2] = '\0';
	if (addr_parse(host, &b) < 0 || addr_parse_port(p2 + 1, &vport) < 0)
		return 0;
	if (split_addr_port(arg, &a, &port, proto, sizeof(proto)) < 0)
		return 0;
	return addr_cmp(&a, &b) == 0 && port == vport &&
	    (proto[0] == '\0' || strcasecmp(proto, vproto) == 0);
}

int
objname_vs_match(const char *vsname, const char *arg)
{
	size_t n;

	if (strcmp(vsname, arg) == 0)
		return 1;
	if (strncmp(arg, "fwmark ", 7) == 0) {
		/* "fwmark 3" is also the name of "fwmark 3 (inet6)" */
		n = strlen(arg);
		return strncmp(vsname, arg, n) == 0 &&
		    (vsname[n] == '\0' || vsname[n] == ' ');
	}
	if (strncmp(arg, "group ", 6) == 0) {
		/* "group NAME" names it under every protocol */
		n = strlen(arg);
		return strncmp(vsname, arg, n) == 0 && vsname[n] == ':' &&
		    strchr(vsname + n + 1, ':') == NULL;
	}
	return vs_addr_match(vsname, arg);
}
