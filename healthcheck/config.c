/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Health-check configuration: the root object, registration of all the
 * tables, the SSL block, and the value helpers the other config files share.
 */
#include "config_priv.h"

#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct chk_conf *
chk_conf_new(struct arena *a)
{
	struct chk_conf *c;

	if (a == NULL || (c = arena_alloc(a, sizeof(*c))) == NULL)
		return NULL;
	c->arena = a;
	c->g.smtp_alert_checker = CHK_INT_UNSET;
	c->g.ipvs_stats_interval = CHK_INT_UNSET;
	c->g.checker_log_all_failures = 0;
	return c;
}

struct chk_conf *
chk_conf_root(struct conf_ctx *cx)
{
	return conf_root(cx, CONF_OWNER_CHECK);
}

void
chk_conf_loc(struct chk_conf *c, const struct conf_node *n,
    struct conf_loc *loc)
{
	loc->line = n->loc.line;
	loc->file = NULL;
	if (n->loc.file == NULL)
		return;
	if (c->loc_src != n->loc.file || c->loc_copy == NULL) {
		char *copy = arena_strdup(c->arena, n->loc.file);

		if (copy == NULL)
			return;
		c->loc_src = n->loc.file;
		c->loc_copy = copy;
	}
	loc->file = c->loc_copy;
}

void *
chk_conf_obj_new(struct conf_ctx *cx, const struct conf_node *n, size_t size,
    size_t loc_off)
{
	void *p = conf_alloc(cx, n, size);

	if (p != NULL)
		chk_conf_loc(chk_conf_root(cx), n,
		    (struct conf_loc *)((char *)p + loc_off));
	return p;
}

int
chk_conf_parse_script(struct conf_ctx *cx, const struct conf_node *n,
    unsigned first, struct chk_conf_script *s)
{
	struct arena *a = conf_arena(cx);

	if (n->argc <= first || n->argv[first][0] == '\0') {
		conf_error(cx, n, "expected a script path");
		return -1;
	}
	if (n->argc > first + 3) {
		conf_error(cx, n, "expected SCRIPT [USER [GROUP]], got %u "
		    "arguments", n->argc - first);
		return -1;
	}
	memset(s, 0, sizeof(*s));
	s->cmd = arena_strdup(a, n->argv[first]);
	if (n->argc > first + 1)
		s->user = arena_strdup(a, n->argv[first + 1]);
	if (n->argc > first + 2)
		s->group = arena_strdup(a, n->argv[first + 2]);
	if (s->cmd == NULL || (n->argc > first + 1 && s->user == NULL) ||
	    (n->argc > first + 2 && s->group == NULL)) {
		conf_error(cx, n, "out of memory");
		return -1;
	}
	return 0;
}

/* "NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]". */
static int
parse_fwd(struct conf_ctx *cx, const struct conf_node *n, unsigned first,
    struct chk_conf_fwd_method *f)
{
	struct chk_conf_fwd_method m;
	unsigned i = first + 1;
	const char *s = n->argv[first];

	memset(&m, 0, sizeof(m));
	if (strcmp(s, "NAT") == 0)
		m.method = CHK_FWD_NAT;
	else if (strcmp(s, "DR") == 0)
		m.method = CHK_FWD_DR;
	else if (strcmp(s, "TUN") == 0)
		m.method = CHK_FWD_TUN;
	else {
		conf_error(cx, n, "expected NAT|DR|TUN, got %s", s);
		return -1;
	}
	if (m.method != CHK_FWD_TUN) {
		if (n->argc > i) {
			conf_error(cx, n, "unexpected '%s' after %s",
			    n->argv[i], s);
			return -1;
		}
		*f = m;
		return 0;
	}
	if (i < n->argc && strcmp(n->argv[i], "type") == 0) {
		if (++i >= n->argc) {
			conf_error(cx, n, "type: expected ipip|gue|gre");
			return -1;
		}
		if (strcmp(n->argv[i], "ipip") == 0)
			m.tun_type = CHK_TUN_IPIP;
		else if (strcmp(n->argv[i], "gre") == 0)
			m.tun_type = CHK_TUN_GRE;
		else if (strcmp(n->argv[i], "gue") == 0) {
			m.tun_type = CHK_TUN_GUE;
			if (i + 2 >= n->argc || strcmp(n->argv[i + 1], "port")) {
				conf_error(cx, n, "tunnel type gue needs "
				    "'port NUM'");
				return -1;
			}
			if (addr_parse_port(n->argv[i + 2], &m.tun_port) == -1 ||
			    m.tun_port == 0) {
				conf_error(cx, n, "gue port: expected 1-65535, "
				    "got %s", n->argv[i + 2]);
				return -1;
			}
			i += 2;
		} else {
			conf_error(cx, n, "type: expected ipip|gue|gre, got %s",
			    n->argv[i]);
			return -1;
		}
		i++;
	}
	if (i < n->argc) {
		if (strcmp(n->argv[i], "nocsum") == 0)
			m.tun_csum = CHK_CSUM_NONE;
		else if (strcmp(n->argv[i], "csum") == 0)
			m.tun_csum = CHK_CSUM;
		else if (strcmp(n->argv[i], "remcsum") == 0)
			m.tun_csum = CHK_CSUM_REMOTE;
		else {
			conf_error(cx, n, "expected nocsum|csum|remcsum, got %s",
			    n->argv[i]);
			return -1;
		}
		if (m.tun_type == CHK_TUN_IPIP) {
			conf_error(cx, n, "checksum options need tunnel type "
			    "gue or gre");
			return -1;
		}
		if (m.tun_type == CHK_TUN_GRE && m.tun_csum == CHK_CSUM_REMOTE) {
			conf_error(cx, n, "remcsum is not available with gre");
			return -1;
		}
		i++;
	}
	if (i < n->argc) {
		conf_error(cx, n, "unexpected '%s'", n->argv[i]);
		return -1;
	}
	*f = m;
	return 0;
}

int
chk_conf_parse_addr(struct conf_ctx *cx, const struct conf_node *n,
    const char *s, struct vg_addr *addr)
{
	if (addr_parse(s, addr) == 0)
		return 0;
	conf_error(cx, n, "expected an IPv4 or IPv6 address, got %s", s);
	return -1;
}

int
chk_conf_parse_port(struct conf_ctx *cx, const struct conf_node *n,
    const char *s, unsigned *port)
{
	if (addr_parse_port(s, port) == 0)
		return 0;
	conf_error(cx, n, "expected a port 0-65535, got %s", s);
	return -1;
}

int
chk_conf_parse_addr_port(struct conf_ctx *cx, const struct conf_node *n,
    unsigned i, struct vg_addr *addr, unsigned *port)
{
	*port = 0;
	if (i >= n->argc) {
		conf_error(cx, n, "expected an address");
		return -1;
	}
	if (chk_conf_parse_addr(cx, n, n->argv[i], addr) == -1)
		return -1;
	if (i + 1 < n->argc &&
	    chk_conf_parse_port(cx, n, n->argv[i + 1], port) == -1)
		return -1;
	if (i + 2 < n->argc) {
		conf_error(cx, n, "unexpected '%s' after the port",
		    n->argv[i + 2]);
		return -1;
	}
	return 0;
}

#define AT(type, obj, kw) ((type *)((char *)(obj) + (kw)->off))

int
chk_conf_set_script(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_conf_script *s = AT(struct chk_conf_script, obj, kw);

	if (s->cmd != NULL) {
		conf_warn(cx, n, "script already specified - ignoring %s",
		    n->argv[1]);
		return 0;
	}
	return chk_conf_parse_script(cx, n, 1, s);
}

int
chk_conf_set_script_ptr(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	const struct chk_conf_script **p = AT(const struct chk_conf_script *,
	    obj, kw);
	struct chk_conf_script *s;

	if (*p != NULL) {
		conf_warn(cx, n, "script already specified - ignoring %s",
		    n->argv[1]);
		return 0;
	}
	if ((s = conf_alloc(cx, n, sizeof(*s))) == NULL ||
	    chk_conf_parse_script(cx, n, 1, s) < 0)
		return -1;
	*p = s;
	return 0;
}

int
chk_conf_set_fwd(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	return parse_fwd(cx, n, 1, AT(struct chk_conf_fwd_method, obj, kw));
}

int
chk_conf_set_addr(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	return chk_conf_parse_addr(cx, n, n->argv[1], AT(struct vg_addr, obj,
	    kw));
}

int
chk_conf_set_port(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	return chk_conf_parse_port(cx, n, n->argv[1], AT(unsigned, obj, kw));
}

int
chk_conf_smtp_alert(int own, int checker, int global, int dflt)
{
	if (own != CHK_INT_UNSET)
		return own > 0;
	if (checker != CHK_INT_UNSET)
		return checker > 0;
	if (global != CHK_INT_UNSET)
		return global > 0;
	return dflt;
}

const char *
chk_conf_proto_name(int proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_SCTP:
		return "sctp";
	}
	return "?";
}

unsigned
chk_conf_ipvs_port(const struct chk_vs_conf *vs,
    const struct chk_conf_fwd_method *fwd, unsigned port)
{
	switch (vs->kind) {
	case CHK_VS_ADDR:
		return fwd->method != CHK_FWD_NAT || port == 0 ? vs->port : port;
	case CHK_VS_FWMARK:
		return fwd->method != CHK_FWD_NAT ? 0 : port;
	case CHK_VS_GROUP:
		break;
	}
	return port;
}

unsigned
chk_conf_dest_port(const struct chk_vs_conf *vs,
    const struct chk_conf_fwd_method *fwd, unsigned port)
{
	if (vs->kind == CHK_VS_GROUP && fwd->method != CHK_FWD_NAT)
		return 0;
	return chk_conf_ipvs_port(vs, fwd, port);
}

const char *
chk_conf_fwd_name(enum chk_fwd f)
{
	switch (f) {
	case CHK_FWD_NAT:
		return "NAT";
	case CHK_FWD_DR:
		return "DR";
	case CHK_FWD_TUN:
		return "TUN";
	case CHK_FWD_UNSET:
		break;
	}
	return "unset";
}

/* ---- SSL { } ------------------------------------------------------------ */

static void *
ssl_open(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent)
{
	struct chk_conf *c = parent;

	(void)kw;
	if (c->ssl.set) {
		conf_warn(cx, n, "SSL context already specified - replacing");
		memset(&c->ssl, 0, sizeof(c->ssl));
	}
	c->ssl.set = 1;
	return &c->ssl;
}

static const struct conf_kw ssl_kw[] = {
	CONF_KW_STR("password", offsetof(struct chk_ssl_conf, password)),
	CONF_KW_STR("ca", offsetof(struct chk_ssl_conf, ca)),
	CONF_KW_STR("certificate", offsetof(struct chk_ssl_conf, certificate)),
	CONF_KW_STR("key", offsetof(struct chk_ssl_conf, key)),
	CONF_KW_END
};

static const struct conf_kw top_ssl_kw[] = {
	CONF_KW_BLOCK("SSL", CONF_F_BLOCK_OPT, 0, 0, CHK_CTX_SSL, ssl_open,
	    NULL, 0),
	CONF_KW_BLOCK("ssl", CONF_F_BLOCK_OPT, 0, 0, CHK_CTX_SSL, ssl_open,
	    NULL, 0),
	CONF_KW_END
};

int
chk_conf_register(struct conf_registry *r)
{
	if (r == NULL)
		return -1;
	if (conf_registry_add(r, CONF_OWNER_CHECK, "", top_ssl_kw) == -1 ||
	    conf_registry_add(r, CONF_OWNER_CHECK, CHK_CTX_SSL, ssl_kw) == -1)
		return -1;
	if (chk_conf_register_vs(r) == -1 || chk_conf_register_rs(r) == -1 ||
	    chk_conf_register_checkers(r) == -1 ||
	    chk_conf_register_global(r) == -1)
		return -1;
	return 0;
}
