/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checker blocks inside real_server { }: the keywords common to all
 * checkers, the TCP/SMTP/DNS/UDP/PING/MISC/FILE specific ones, and the
 * per-kind defaults with inheritance from the real and virtual server.
 */
#include "config_priv.h"

#include "bfd/config.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[CHK_KIND_MAX] = {
	[CHK_TCP] = "TCP_CHECK", [CHK_HTTP] = "HTTP_GET",
	[CHK_SSL] = "SSL_GET", [CHK_SMTP] = "SMTP_CHECK",
	[CHK_DNS] = "DNS_CHECK", [CHK_UDP] = "UDP_CHECK",
	[CHK_PING] = "PING_CHECK", [CHK_MISC] = "MISC_CHECK",
	[CHK_FILE] = "FILE_CHECK", [CHK_BFD] = "BFD_CHECK",
};

const char *
chk_conf_checker_kind_name(enum chk_checker_kind k)
{
	return (unsigned)k < CHK_KIND_MAX ? kind_names[k] : "?";
}

static void
conn_init(struct chk_conf_conn *c)
{
	c->connect_timeout = CHK_TIMER_UNSET;
}

static void
checker_init(struct chk_checker_conf *ck, enum chk_checker_kind k)
{
	ck->kind = k;
	conn_init(&ck->conn);
	ck->retry = CHK_INT_UNSET;
	ck->delay_before_retry = ck->warmup = ck->delay_loop = CHK_TIMER_UNSET;
	ck->alpha = CHK_INT_UNSET;
	ck->log_all_failures = CHK_INT_UNSET;
	switch (k) {
	case CHK_UDP:
		ck->u.udp.max_reply_length = 255;
		break;
	case CHK_MISC:
		ck->u.misc.timeout = CHK_TIMER_UNSET;
		break;
	case CHK_FILE:
		ck->u.file.weight = 1;
		break;
	default:
		break;
	}
}

static void *
ck_open(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent)
{
	struct chk_conf *c = chk_conf_root(cx);
	struct chk_checker_conf *ck;

	(void)parent;
	if ((ck = c->ck_spare) != NULL) {
		/* one a real server gave back (config_rs.c) */
		c->ck_spare = ck->next;
		memset(ck, 0, sizeof(*ck));
		chk_conf_loc(c, n, &ck->loc);
	} else if ((ck = chk_conf_obj_new(cx, n, sizeof(*ck),
	    offsetof(struct chk_checker_conf, loc))) == NULL)
		return NULL;
	checker_init(ck, (enum chk_checker_kind)kw->lo);
	return ck;
}

void
chk_conf_checker_spare(struct chk_conf *c, struct chk_checker_conf *ck)
{
	struct chk_checker_conf *next;

	for (; ck != NULL; ck = next) {
		next = ck->next;
		ck->next = c->ck_spare;
		c->ck_spare = ck;
	}
}

static int
ck_close(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj)
{
	struct chk_rs_conf *rs = parent;
	struct chk_checker_conf *ck = obj, **pp;

	(void)kw;
	if ((ck->kind == CHK_HTTP || ck->kind == CHK_SSL) &&
	    ck->u.http.nurls == 0) {
		conf_warn(cx, n, "no url configured - ignoring the checker");
		ck->next = NULL;
		chk_conf_checker_spare(chk_conf_root(cx), ck);
		return 0;
	}
	if (ck->kind == CHK_MISC && ck->u.misc.script.cmd == NULL) {
		conf_warn(cx, n, "no misc_path configured - ignoring the "
		    "checker");
		ck->next = NULL;
		chk_conf_checker_spare(chk_conf_root(cx), ck);
		return 0;
	}
	if (ck->kind == CHK_FILE && ck->u.file.track_file == NULL) {
		conf_warn(cx, n, "no track_file configured - ignoring the "
		    "checker");
		ck->next = NULL;
		chk_conf_checker_spare(chk_conf_root(cx), ck);
		return 0;
	}
	if (ck->kind == CHK_BFD && ck->u.bfd.name == NULL) {
		conf_warn(cx, n, "no name has been specified - ignoring the "
		    "checker");
		ck->next = NULL;
		chk_conf_checker_spare(chk_conf_root(cx), ck);
		return 0;
	}
	if (ck->kind == CHK_BFD)
		for (const struct chk_checker_conf *o = rs->checks->list;
		    o != NULL; o = o->next)
			if (o->kind == CHK_BFD &&
			    strcmp(o->u.bfd.name, ck->u.bfd.name) == 0) {
				conf_error(cx, n, "the real server already "
				    "monitors BFD %s", ck->u.bfd.name);
				return -1;
			}
	if (ck->kind == CHK_UDP &&
	    ck->u.udp.min_reply_length > ck->u.udp.max_reply_length) {
		conf_error(cx, n, "min_reply_length %u exceeds "
		    "max_reply_length %u", ck->u.udp.min_reply_length,
		    ck->u.udp.max_reply_length);
		return -1;
	}
	for (pp = &rs->checks->list; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = ck;
	rs->checks->n++;
	return 0;
}

/* ---- connection and timing keywords -------------------------------------- */

/* A port of 0 is a port given, unlike an address: remember it. */
static int
set_connect_port(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	if (chk_conf_set_port(cx, n, kw, obj) == -1)
		return -1;
	((struct chk_conf_conn *)obj)->has_port = 1;	/* conn is first */
	return 0;
}

#define CONN(f) offsetof(struct chk_conf_conn, f)
#define CHECKER(f) offsetof(struct chk_checker_conf, f)

static const struct conf_kw conn_kw[] = {
	CONF_KW("connect_ip", 1, 1, chk_conf_set_addr, CONN(connect_ip)),
	CONF_KW("connect_port", 1, 1, set_connect_port, CONN(connect_port)),
	CONF_KW("bindto", 1, 1, chk_conf_set_addr, CONN(bindto)),
	CONF_KW("bind_port", 1, 1, chk_conf_set_port, CONN(bind_port)),
	CONF_KW_STR("bind_if", CONN(bind_if)),
	CONF_KW_UINT("fwmark", CONN(fwmark), 0, 4294967295LL),
	CONF_KW_END
};

static const struct conf_kw timeout_kw[] = {
	CHK_CONNECT_TIMEOUT_KW(struct chk_conf_conn),
	CONF_KW_END
};

static const struct conf_kw timing_kw[] = {
	CONF_KW_FLAG("alpha", CHECKER(alpha)),
	CHK_TIMING_KW(struct chk_checker_conf),
	CONF_KW_DEPRECATED("nb_get_retry", 1, 1, conf_set_int, CHECKER(retry),
	    0, 2147483647LL),
	CONF_KW_FLAG("log_all_failures", CHECKER(log_all_failures)),
	CONF_KW_END
};

/* ---- SMTP_CHECK ---------------------------------------------------------- */

static void *
host_open(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent)
{
	struct chk_conf_smtp_host *h;

	(void)kw;
	if ((h = chk_conf_obj_new(cx, n, sizeof(*h),
	    offsetof(struct chk_conf_smtp_host, loc))) == NULL)
		return NULL;
	conn_init(&h->conn);
	h->checker = parent;
	return h;
}

/* retry, delay_loop, ... inside host { }: they set the enclosing
 * SMTP_CHECK's value (a host has only its own connection), as keepalived
 * does. */
static int
set_host_timing(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_conf_smtp_host *h = obj;
	const struct conf_kw *t;

	for (t = timing_kw; t->name != NULL; t++)
		if (strcmp(t->name, kw->name) == 0)
			return t->set(cx, n, t, h->checker);
	conf_error(cx, n, "internal error: no checker keyword %s", kw->name);
	return -1;
}

static const struct conf_kw host_timing_kw[] = {
	CONF_KW("alpha", 0, 1, set_host_timing, 0),
	CONF_KW("retry", 1, 1, set_host_timing, 0),
	CONF_KW("delay_before_retry", 1, 1, set_host_timing, 0),
	CONF_KW("warmup", 1, 1, set_host_timing, 0),
	CONF_KW("delay_loop", 1, 1, set_host_timing, 0),
	CONF_KW("log_all_failures", 0, 1, set_host_timing, 0),
	CONF_KW_END
};

static int
host_close(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj)
{
	struct chk_checker_conf *ck = parent;
	struct chk_conf_smtp_host *h = obj, **pp;

	(void)cx;
	(void)n;
	(void)kw;
	for (pp = &ck->u.smtp.hosts; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = h;
	ck->u.smtp.nhosts++;
	return 0;
}

static const struct conf_kw smtp_kw[] = {
	CONF_KW_STR("helo_name", CHECKER(u.smtp.helo_name)),
	CONF_KW_BLOCK("host", 0, 0, 0, CHK_CTX_SMTP_HOST, host_open, host_close,
	    0),
	CONF_KW_END
};

/* ---- DNS_CHECK ------------------------------------------------------------ */

static int
set_dns_type(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_checker_conf *ck = obj;
	static const struct { const char *name; unsigned type; } types[] = {
		{ "A", 1 }, { "NS", 2 }, { "CNAME", 5 }, { "SOA", 6 },
		{ "MX", 15 }, { "TXT", 16 }, { "AAAA", 28 },
	};
	size_t i;

	(void)kw;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(n->argv[1], types[i].name) == 0) {
			ck->u.dns.type = types[i].type;
			return 0;
		}
	conf_error(cx, n, "expected A|NS|CNAME|SOA|MX|TXT|AAAA, got %s",
	    n->argv[1]);
	return -1;
}

static const struct conf_kw dns_kw[] = {
	CONF_KW("type", 1, 1, set_dns_type, 0),
	CONF_KW_STR("name", CHECKER(u.dns.name)),
	CONF_KW_END
};

/* ---- UDP_CHECK ------------------------------------------------------------ */

/* One hex digit (or X/x when wild: any value, mask 0). 0 or -1. */
static int
nibble(int ch, int wild, unsigned *v, unsigned *m)
{
	*m = 0xf;
	if (wild && (ch == 'x' || ch == 'X')) {
		*v = 0;
		*m = 0;
	} else if (ch >= '0' && ch <= '9')
		*v = (unsigned)(ch - '0');
	else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f')
		*v = (unsigned)((ch | 0x20) - 'a' + 10);
	else
		return -1;
	return 0;
}

/*
 * Free-format hex: each word is read as pairs of hex digits from its
 * start; a last single digit is a byte of its own ("Ab12f 3 456" ->
 * AB 12 0F 03 45 06). With wild set, X/x matches any nibble (mask 0).
 */
static int
parse_hex(struct conf_ctx *cx, const struct conf_node *n, int wild,
    unsigned char **data, unsigned char **mask, size_t *len)
{
	struct arena *a = chk_conf_root(cx)->arena;
	size_t max = 0, k = 0;
	unsigned i;
	unsigned char *d, *m;

	for (i = 1; i < n->argc; i++)
		max += strlen(n->argv[i]) / 2 + 1;
	if ((d = arena_alloc(a, max + 1)) == NULL ||
	    (m = arena_alloc(a, max + 1)) == NULL) {
		conf_error(cx, n, "out of memory");
		return -1;
	}
	for (i = 1; i < n->argc; i++) {
		const char *s = n->argv[i];
		size_t l = strlen(s), j = 0;

		while (j < l) {
			unsigned hv = 0, hm = 0xf, lv, lm;

			if (j + 1 < l && nibble((unsigned char)s[j++], wild,
			    &hv, &hm) == -1)
				goto bad;
			if (nibble((unsigned char)s[j++], wild, &lv, &lm) == -1)
				goto bad;
			d[k] = (unsigned char)(hv << 4 | lv);
			m[k++] = (unsigned char)(hm << 4 | lm);
		}
		continue;
bad:
		conf_error(cx, n, "expected hex digits%s, got %s",
		    wild ? " or X" : "", s);
		return -1;
	}
	*data = d;
	if (mask != NULL)
		*mask = m;
	*len = k;
	return 0;
}

static int
set_payload(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_checker_conf *ck = obj;

	(void)kw;
	return parse_hex(cx, n, 0, &ck->u.udp.payload, NULL,
	    &ck->u.udp.payload_len);
}

static int
set_require_reply(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_checker_conf *ck = obj;

	(void)kw;
	ck->u.udp.require_reply = 1;
	if (n->argc == 1)
		return 0;
	return parse_hex(cx, n, 1, &ck->u.udp.reply,
	    &ck->u.udp.reply_mask, &ck->u.udp.reply_len);
}

static const struct conf_kw udp_kw[] = {
	CONF_KW("payload", 1, CONF_ARGS_ANY, set_payload, 0),
	CONF_KW("require_reply", 0, CONF_ARGS_ANY, set_require_reply, 0),
	CONF_KW_UINT("min_reply_length", CHECKER(u.udp.min_reply_length), 0,
	    65535),
	CONF_KW_UINT("max_reply_length", CHECKER(u.udp.max_reply_length), 0,
	    65535),
	CONF_KW_END
};

/* ---- MISC_CHECK ----------------------------------------------------------- */

static int
set_misc_user(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_checker_conf *ck = obj;
	struct chk_conf_script *s = &ck->u.misc.script;
	struct arena *a = chk_conf_root(cx)->arena;

	(void)kw;
	s->user = arena_strdup(a, n->argv[1]);
	s->group = n->argc > 2 ? arena_strdup(a, n->argv[2]) : NULL;
	return s->user == NULL ? -1 : 0;
}

static const struct conf_kw misc_kw[] = {
	CONF_KW_STR("misc_path", CHECKER(u.misc.script.cmd)),
	CONF_KW_TIMER("misc_timeout", CHECKER(u.misc.timeout), 1, CHK_TMAX),
	CONF_KW_FLAG("misc_dynamic", CHECKER(u.misc.dynamic)),
	CONF_KW("user", 1, 2, set_misc_user, 0),
	CONF_KW_END
};

/* ---- FILE_CHECK ----------------------------------------------------------- */

static int
set_file_weight(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_checker_conf *ck = obj;
	long long v;

	(void)kw;
	if (conf_parse_ll(n->argv[1], -2147483647LL, 2147483647LL, &v) == -1) {
		conf_error(cx, n, "expected -2147483647..2147483647 "
		    "[reverse], got %s", n->argv[1]);
		return -1;
	}
	if (n->argc == 3 && strcmp(n->argv[2], "reverse") != 0) {
		conf_error(cx, n, "expected 'reverse', got %s", n->argv[2]);
		return -1;
	}
	ck->u.file.weight = (int)v;
	ck->u.file.reverse = n->argc == 3;
	return 0;
}

static const struct conf_kw file_kw[] = {
	CONF_KW_STR("track_file", CHECKER(u.file.track_file)),
	CONF_KW_STR("file", CHECKER(u.file.track_file)),
	CONF_KW_FLAG("dynamic", CHECKER(u.file.dynamic)),
	CONF_KW("weight", 1, 2, set_file_weight, 0),
	CONF_KW_END
};

/* ---- BFD_CHECK ------------------------------------------------------------- */

static int
set_bfd_name(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_checker_conf *ck = obj;
	const struct bfd_conf *bc = conf_root(cx, CONF_OWNER_BFD);
	const struct bfd_instance_conf *b;

	(void)kw;
	if (ck->u.bfd.name != NULL) {
		conf_error(cx, n, "BFD %s already specified as %s",
		    n->argv[1], ck->u.bfd.name);
		return -1;
	}
	if (strlen(n->argv[1]) > BFD_NAME_MAX) {
		conf_error(cx, n, "BFD name %s too long", n->argv[1]);
		return -1;
	}
	/* the parent builds the BFD configuration beside this one */
	if (bc != NULL && (b = bfd_conf_find(bc, n->argv[1])) == NULL) {
		conf_error(cx, n, "unknown bfd_instance '%s' (it must be "
		    "defined before the BFD_CHECK naming it)", n->argv[1]);
		return -1;
	}
	if (bc != NULL && !b->checker) {
		conf_error(cx, n, "bfd_instance '%s' reports to VRRP only "
		    "(its block says vrrp, not checker)", n->argv[1]);
		return -1;
	}
	if ((ck->u.bfd.name = arena_strdup(chk_conf_root(cx)->arena,
	    n->argv[1])) == NULL) {
		conf_error(cx, n, "out of memory");
		return -1;
	}
	return 0;
}

static const struct conf_kw bfd_kw[] = {
	CONF_KW("name", 1, 1, set_bfd_name, 0),
	CONF_KW_FLAG("alpha", CHECKER(alpha)),
	CONF_KW_END
};

/* ---- the checker blocks inside real_server -------------------------------- */

/* TCP_CHECK { ... }: kw->lo is the kind of checker ck_open makes. */
#define CHECKER_BLOCK(nm, kind) CONF_KW_BLOCK(nm, CONF_F_BLOCK_OPT, 0, 0, \
	NULL, ck_open, ck_close, kind)

static const struct conf_kw rs_checker_kw[] = {
	CHECKER_BLOCK("TCP_CHECK", CHK_TCP),
	CHECKER_BLOCK("HTTP_GET", CHK_HTTP),
	CHECKER_BLOCK("SSL_GET", CHK_SSL),
	CHECKER_BLOCK("SMTP_CHECK", CHK_SMTP),
	CHECKER_BLOCK("DNS_CHECK", CHK_DNS),
	CHECKER_BLOCK("UDP_CHECK", CHK_UDP),
	CHECKER_BLOCK("PING_CHECK", CHK_PING),
	CHECKER_BLOCK("MISC_CHECK", CHK_MISC),
	CHECKER_BLOCK("FILE_CHECK", CHK_FILE),
	CHECKER_BLOCK("BFD_CHECK", CHK_BFD),
	CONF_KW_END
};

static int
add(struct conf_registry *r, const char *ctx, const struct conf_kw *t)
{
	return conf_registry_add(r, CONF_OWNER_CHECK, ctx, t);
}

int
chk_conf_register_checkers(struct conf_registry *r)
{
	static const char *const full[] = { "TCP_CHECK", "HTTP_GET",
	    "SSL_GET", "SMTP_CHECK", "DNS_CHECK", "UDP_CHECK", "PING_CHECK" };
	size_t i;

	if (add(r, CHK_CTX_RS, rs_checker_kw) == -1)
		return -1;
	for (i = 0; i < sizeof(full) / sizeof(full[0]); i++)
		if (add(r, full[i], conn_kw) == -1 ||
		    add(r, full[i], timeout_kw) == -1 ||
		    add(r, full[i], timing_kw) == -1)
			return -1;
	if (add(r, "MISC_CHECK", timeout_kw) == -1 ||
	    add(r, "MISC_CHECK", timing_kw) == -1 ||
	    add(r, "MISC_CHECK", misc_kw) == -1 ||
	    add(r, "FILE_CHECK", file_kw) == -1 ||
	    add(r, "BFD_CHECK", bfd_kw) == -1 ||
	    add(r, "SMTP_CHECK", smtp_kw) == -1 ||
	    add(r, CHK_CTX_SMTP_HOST, conn_kw) == -1 ||
	    add(r, CHK_CTX_SMTP_HOST, timeout_kw) == -1 ||
	    add(r, CHK_CTX_SMTP_HOST, host_timing_kw) == -1 ||
	    add(r, "DNS_CHECK", dns_kw) == -1 ||
	    add(r, "UDP_CHECK", udp_kw) == -1 ||
	    chk_conf_register_http(r, "HTTP_GET") == -1 ||
	    chk_conf_register_http(r, "SSL_GET") == -1)
		return -1;
	return 0;
}

/* ---- defaults and inheritance --------------------------------------------- */

#define PICK3(a, b, c, unset) ((a) != (unset) ? (a) : (b) != (unset) ? (b) : (c))

void
chk_conf_checker_finalize(const struct chk_vs_conf *vs,
    const struct chk_rs_conf *rs, struct chk_checker_conf *ck)
{
	struct chk_conf_conn *cn = &ck->conn;
	struct chk_conf_smtp_host *h;
	unsigned long long dbr;
	int retry;

	/* connect_ip and connect_port stay unset when not given: the
	 * real server's (chk_conf_conn_addr, chk_conf_conn_port), so that
	 * real servers differing only there share the checker */
	const struct chk_rs_checks *rk = rs->checks;

	cn->connect_timeout = PICK3(cn->connect_timeout, rk->connect_timeout,
	    vs->connect_timeout, CHK_TIMER_UNSET);
	if (cn->connect_timeout == CHK_TIMER_UNSET)
		cn->connect_timeout = CHK_DEF_CONNECT_TIMEOUT;
	ck->delay_loop = PICK3(ck->delay_loop, rk->delay_loop, vs->delay_loop,
	    CHK_TIMER_UNSET);
	if (ck->delay_loop == CHK_TIMER_UNSET)
		ck->delay_loop = CHK_DEF_DELAY_LOOP;
	retry = ck->kind == CHK_DNS ? 3 : ck->kind == CHK_MISC ? 0 : 1;
	ck->retry = PICK3(ck->retry, rk->retry, vs->retry, CHK_INT_UNSET);
	if (ck->retry == CHK_INT_UNSET)
		ck->retry = retry;
	dbr = ck->kind == CHK_HTTP || ck->kind == CHK_SSL ? 3000000ULL :
	    ck->kind == CHK_DNS ? ck->delay_loop : 1000000ULL;
	ck->delay_before_retry = PICK3(ck->delay_before_retry,
	    rk->delay_before_retry, vs->delay_before_retry, CHK_TIMER_UNSET);
	if (ck->delay_before_retry == CHK_TIMER_UNSET)
		ck->delay_before_retry = dbr;
	ck->warmup = PICK3(ck->warmup, rk->warmup, vs->warmup, CHK_TIMER_UNSET);
	if (ck->warmup == CHK_TIMER_UNSET)
		ck->warmup = ck->delay_loop;
	if (ck->alpha == CHK_INT_UNSET)
		ck->alpha = rk->alpha;
	if (ck->kind == CHK_BFD) {
		/* keepalived acts on each BFD event: the session's state,
		 * which the BFD child reports, is read every
		 * CHK_BFD_POLL_USEC and taken at once */
		ck->delay_loop = CHK_BFD_POLL_USEC;
		ck->retry = 0;
		ck->warmup = 0;
		ck->delay_before_retry = CHK_BFD_POLL_USEC;
	}

	switch (ck->kind) {
	case CHK_HTTP:
	case CHK_SSL:
		chk_conf_http_finalize(vs, rs, ck);
		break;
	case CHK_SMTP:
		for (h = ck->u.smtp.hosts; h != NULL; h = h->next) {
			if (addr_is_unset(&h->conn.connect_ip))
				h->conn.connect_ip = cn->connect_ip;
			if (!h->conn.has_port) {
				h->conn.has_port = cn->has_port;
				h->conn.connect_port = cn->connect_port;
			}
			if (addr_is_unset(&h->conn.bindto))
				h->conn.bindto = cn->bindto;
			if (h->conn.bind_port == 0)
				h->conn.bind_port = cn->bind_port;
			if (h->conn.bind_if == NULL)
				h->conn.bind_if = cn->bind_if;
			if (h->conn.fwmark == 0)
				h->conn.fwmark = cn->fwmark;
			if (h->conn.connect_timeout == CHK_TIMER_UNSET)
				h->conn.connect_timeout = cn->connect_timeout;
		}
		break;
	case CHK_DNS:
		if (ck->u.dns.type == 0)
			ck->u.dns.type = 6;	/* SOA */
		if (ck->u.dns.name == NULL)
			ck->u.dns.name = (char *)".";
		break;
	case CHK_MISC:
		if (ck->u.misc.timeout == CHK_TIMER_UNSET)
			ck->u.misc.timeout = ck->delay_loop;
		break;
	default:
		break;
	}
}

const struct vg_addr *
chk_conf_conn_addr(const struct chk_conf_conn *c, const struct chk_rs_conf *rs)
{
	return addr_is_unset(&c->connect_ip) ? &rs->addr : &c->connect_ip;
}

unsigned
chk_conf_conn_port(const struct chk_conf_conn *c, enum chk_checker_kind kind,
    const struct chk_rs_conf *rs)
{
	if (c->has_port)
		return c->connect_port;
	if (rs->port == 0 && kind == CHK_SMTP)
		return 25;
	if (rs->port == 0 && kind == CHK_DNS)
		return 53;
	return rs->port;
}
