/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checker blocks inside real_server { }: the keywords common to all
 * checkers, the TCP/SMTP/DNS/UDP/PING/MISC/FILE specific ones, and the
 * per-kind defaults with inheritance from the real and virtual server.
 */
#include "config_priv.h"

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
chk_checker_kind_name(enum chk_checker_kind k)
{
	return (unsigned)k < CHK_KIND_MAX ? kind_names[k] : "?";
}

static void
conn_init(struct chk_conn *c)
{
	c->connect_timeout = CHK_TIMER_UNSET;
}

void
chk_checker_init(struct chk_checker_conf *ck, enum chk_checker_kind k)
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
	struct chk_checker_conf *ck;

	(void)parent;
	if ((ck = chk_obj_new(cx, n, sizeof(*ck),
	    offsetof(struct chk_checker_conf, loc))) == NULL)
		return NULL;
	chk_checker_init(ck, (enum chk_checker_kind)kw->lo);
	return ck;
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
		return 0;
	}
	if (ck->kind == CHK_MISC && ck->u.misc.script.cmd == NULL) {
		conf_warn(cx, n, "no misc_path configured - ignoring the "
		    "checker");
		return 0;
	}
	if (ck->kind == CHK_FILE && ck->u.file.track_file == NULL) {
		conf_warn(cx, n, "no track_file configured - ignoring the "
		    "checker");
		return 0;
	}
	if (ck->kind == CHK_UDP &&
	    ck->u.udp.min_reply_length > ck->u.udp.max_reply_length) {
		conf_error(cx, n, "min_reply_length %u exceeds "
		    "max_reply_length %u", ck->u.udp.min_reply_length,
		    ck->u.udp.max_reply_length);
		return -1;
	}
	for (pp = &rs->checkers; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = ck;
	rs->ncheckers++;
	return 0;
}

/* ---- connection and timing keywords -------------------------------------- */

#define CK(obj) ((struct chk_checker_conf *)(obj))

/* A port of 0 is a port given, unlike an address: remember it. */
static int
set_connect_port(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	if (chk_set_port(cx, n, kw, obj) == -1)
		return -1;
	((struct chk_conn *)obj)->has_port = 1;	/* conn is first */
	return 0;
}

#define C(f) offsetof(struct chk_conn, f)
#define K(f) offsetof(struct chk_checker_conf, f)

static const struct conf_kw conn_kw[] = {
	CHK_LEAF("connect_ip", 1, 1, chk_set_addr, C(connect_ip), 0, 0),
	CHK_LEAF("connect_port", 1, 1, set_connect_port, C(connect_port), 0, 0),
	CHK_LEAF("bindto", 1, 1, chk_set_addr, C(bindto), 0, 0),
	CHK_LEAF("bind_port", 1, 1, chk_set_port, C(bind_port), 0, 0),
	CHK_LEAF("bind_if", 1, 1, conf_set_str, C(bind_if), 0, 0),
	CHK_LEAF("fwmark", 1, 1, conf_set_uint, C(fwmark), 0, 4294967295LL),
	CHK_END
};

static const struct conf_kw timeout_kw[] = {
	CHK_CONNECT_TIMEOUT_KW(struct chk_conn),
	CHK_END
};

static const struct conf_kw timing_kw[] = {
	CHK_LEAF("alpha", 0, 1, conf_set_flag, K(alpha), 0, 0),
	CHK_TIMING_KW(struct chk_checker_conf),
	{ "nb_get_retry", CONF_F_DEPRECATED, 1, 1, conf_set_int, K(retry), 0,
	    2147483647LL, NULL, NULL, NULL, NULL },
	CHK_LEAF("log_all_failures", 0, 1, conf_set_flag, K(log_all_failures),
	    0, 0),
	CHK_END
};

/* ---- SMTP_CHECK ---------------------------------------------------------- */

static void *
host_open(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent)
{
	struct chk_smtp_host *h;

	(void)kw;
	if ((h = chk_obj_new(cx, n, sizeof(*h),
	    offsetof(struct chk_smtp_host, loc))) == NULL)
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
	struct chk_smtp_host *h = obj;
	const struct conf_kw *t;

	for (t = timing_kw; t->name != NULL; t++)
		if (strcmp(t->name, kw->name) == 0)
			return t->set(cx, n, t, h->checker);
	conf_error(cx, n, "internal error: no checker keyword %s", kw->name);
	return -1;
}

#define HOST_TIMING(name, mn, mx) \
	CHK_LEAF(name, mn, mx, set_host_timing, 0, 0, 0)

static const struct conf_kw host_timing_kw[] = {
	HOST_TIMING("alpha", 0, 1),
	HOST_TIMING("retry", 1, 1),
	HOST_TIMING("delay_before_retry", 1, 1),
	HOST_TIMING("warmup", 1, 1),
	HOST_TIMING("delay_loop", 1, 1),
	HOST_TIMING("log_all_failures", 0, 1),
	CHK_END
};

static int
host_close(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj)
{
	struct chk_checker_conf *ck = parent;
	struct chk_smtp_host *h = obj, **pp;

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
	CHK_LEAF("helo_name", 1, 1, conf_set_str, K(u.smtp.helo_name), 0, 0),
	{ "host", CONF_F_BLOCK, 0, 0, NULL, 0, 0, 0, CHK_CTX_SMTP_HOST,
	    host_open, host_close, NULL },
	CHK_END
};

/* ---- DNS_CHECK ------------------------------------------------------------ */

static int
set_dns_type(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	static const struct { const char *name; unsigned type; } types[] = {
		{ "A", 1 }, { "NS", 2 }, { "CNAME", 5 }, { "SOA", 6 },
		{ "MX", 15 }, { "TXT", 16 }, { "AAAA", 28 },
	};
	size_t i;

	(void)kw;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(n->argv[1], types[i].name) == 0) {
			CK(obj)->u.dns.type = types[i].type;
			return 0;
		}
	conf_error(cx, n, "expected A|NS|CNAME|SOA|MX|TXT|AAAA, got %s",
	    n->argv[1]);
	return -1;
}

static const struct conf_kw dns_kw[] = {
	CHK_LEAF("type", 1, 1, set_dns_type, 0, 0, 0),
	CHK_LEAF("name", 1, 1, conf_set_str, K(u.dns.name), 0, 0),
	CHK_END
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
	struct arena *a = chk_root(cx)->arena;
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
	(void)kw;
	return parse_hex(cx, n, 0, &CK(obj)->u.udp.payload, NULL,
	    &CK(obj)->u.udp.payload_len);
}

static int
set_require_reply(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	(void)kw;
	CK(obj)->u.udp.require_reply = 1;
	if (n->argc == 1)
		return 0;
	return parse_hex(cx, n, 1, &CK(obj)->u.udp.reply,
	    &CK(obj)->u.udp.reply_mask, &CK(obj)->u.udp.reply_len);
}

static const struct conf_kw udp_kw[] = {
	CHK_LEAF("payload", 1, CONF_ARGS_ANY, set_payload, 0, 0, 0),
	CHK_LEAF("require_reply", 0, CONF_ARGS_ANY, set_require_reply, 0, 0, 0),
	CHK_LEAF("min_reply_length", 1, 1, conf_set_uint,
	    K(u.udp.min_reply_length), 0, 65535),
	CHK_LEAF("max_reply_length", 1, 1, conf_set_uint,
	    K(u.udp.max_reply_length), 0, 65535),
	CHK_END
};

/* ---- MISC_CHECK ----------------------------------------------------------- */

static int
set_misc_user(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_script *s = &CK(obj)->u.misc.script;
	struct arena *a = chk_root(cx)->arena;

	(void)kw;
	s->user = arena_strdup(a, n->argv[1]);
	s->group = n->argc > 2 ? arena_strdup(a, n->argv[2]) : NULL;
	return s->user == NULL ? -1 : 0;
}

static const struct conf_kw misc_kw[] = {
	CHK_LEAF("misc_path", 1, 1, conf_set_str, K(u.misc.script.cmd), 0, 0),
	CHK_LEAF("misc_timeout", 1, 1, conf_set_timer, K(u.misc.timeout), 1,
	    CHK_TMAX),
	CHK_LEAF("misc_dynamic", 0, 1, conf_set_flag, K(u.misc.dynamic), 0, 0),
	CHK_LEAF("user", 1, 2, set_misc_user, 0, 0, 0),
	CHK_END
};

/* ---- FILE_CHECK ----------------------------------------------------------- */

static int
set_file_weight(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
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
	CK(obj)->u.file.weight = (int)v;
	CK(obj)->u.file.reverse = n->argc == 3;
	return 0;
}

static const struct conf_kw file_kw[] = {
	CHK_LEAF("track_file", 1, 1, conf_set_str, K(u.file.track_file), 0, 0),
	CHK_LEAF("file", 1, 1, conf_set_str, K(u.file.track_file), 0, 0),
	CHK_LEAF("dynamic", 0, 1, conf_set_flag, K(u.file.dynamic), 0, 0),
	CHK_LEAF("weight", 1, 2, set_file_weight, 0, 0, 0),
	CHK_END
};

/* ---- the checker blocks inside real_server -------------------------------- */

#define CHECKER(name, kind) { name, CONF_F_BLOCK | CONF_F_BLOCK_OPT, 0, 0, \
	NULL, 0, kind, 0, NULL, ck_open, ck_close, NULL }

static const struct conf_kw rs_checker_kw[] = {
	CHECKER("TCP_CHECK", CHK_TCP),
	CHECKER("HTTP_GET", CHK_HTTP),
	CHECKER("SSL_GET", CHK_SSL),
	CHECKER("SMTP_CHECK", CHK_SMTP),
	CHECKER("DNS_CHECK", CHK_DNS),
	CHECKER("UDP_CHECK", CHK_UDP),
	CHECKER("PING_CHECK", CHK_PING),
	CHECKER("MISC_CHECK", CHK_MISC),
	CHECKER("FILE_CHECK", CHK_FILE),
	{ "BFD_CHECK", CONF_F_BLOCK | CONF_F_BLOCK_OPT | CONF_F_UNSUPPORTED,
	    0, CONF_ARGS_ANY, NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
	CHK_END
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
chk_checker_finalize(const struct chk_vs_conf *vs,
    const struct chk_rs_conf *rs, struct chk_checker_conf *ck)
{
	struct chk_conn *cn = &ck->conn;
	struct chk_smtp_host *h;
	unsigned long long dbr;
	int retry;

	if (addr_is_unset(&cn->connect_ip))
		cn->connect_ip = rs->addr;
	if (!cn->has_port) {
		cn->connect_port = rs->port;
		if (ck->kind == CHK_SMTP && rs->port == 0)
			cn->connect_port = 25;
		if (ck->kind == CHK_DNS && rs->port == 0)
			cn->connect_port = 53;
	}
	cn->connect_timeout = PICK3(cn->connect_timeout, rs->connect_timeout,
	    vs->connect_timeout, CHK_TIMER_UNSET);
	if (cn->connect_timeout == CHK_TIMER_UNSET)
		cn->connect_timeout = CHK_DEF_CONNECT_TIMEOUT;
	ck->delay_loop = PICK3(ck->delay_loop, rs->delay_loop, vs->delay_loop,
	    CHK_TIMER_UNSET);
	if (ck->delay_loop == CHK_TIMER_UNSET)
		ck->delay_loop = CHK_DEF_DELAY_LOOP;
	retry = ck->kind == CHK_DNS ? 3 : ck->kind == CHK_MISC ? 0 : 1;
	ck->retry = PICK3(ck->retry, rs->retry, vs->retry, CHK_INT_UNSET);
	if (ck->retry == CHK_INT_UNSET)
		ck->retry = retry;
	dbr = ck->kind == CHK_HTTP || ck->kind == CHK_SSL ? 3000000ULL :
	    ck->kind == CHK_DNS ? ck->delay_loop : 1000000ULL;
	ck->delay_before_retry = PICK3(ck->delay_before_retry,
	    rs->delay_before_retry, vs->delay_before_retry, CHK_TIMER_UNSET);
	if (ck->delay_before_retry == CHK_TIMER_UNSET)
		ck->delay_before_retry = dbr;
	ck->warmup = PICK3(ck->warmup, rs->warmup, vs->warmup, CHK_TIMER_UNSET);
	if (ck->warmup == CHK_TIMER_UNSET)
		ck->warmup = ck->delay_loop;
	if (ck->alpha == CHK_INT_UNSET)
		ck->alpha = rs->alpha;

	switch (ck->kind) {
	case CHK_HTTP:
	case CHK_SSL:
		chk_http_finalize(vs, rs, ck);
		break;
	case CHK_SMTP:
		for (h = ck->u.smtp.hosts; h != NULL; h = h->next) {
			if (addr_is_unset(&h->conn.connect_ip))
				h->conn.connect_ip = cn->connect_ip;
			if (!h->conn.has_port)
				h->conn.connect_port = cn->connect_port;
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
