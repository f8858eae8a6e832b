/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bfd_instance blocks: keywords, ranges and cross checks as keepalived
 * 2.2.7's BFD parser has them (an error here is an error at file:line:
 * the configuration is refused, where keepalived drops the instance).
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bfd/config.h"
#include "subsys.h"

#define BI(f) offsetof(struct bfd_instance_conf, f)

void *
bfd_conf_new(struct arena *a)
{
	return arena_calloc(a, 1, sizeof(struct bfd_conf));
}

const struct bfd_instance_conf *
bfd_conf_find(const struct bfd_conf *c, const char *name)
{
	if (c == NULL)
		return NULL;
	for (const struct bfd_instance_conf *b = c->first; b != NULL;
	    b = b->next)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}

/* Milliseconds with up to 3 decimals ("10", "2.5") -> usec in
 * [lo_ms, hi_ms] ms. 0 or -1. */
static int
parse_ms(const char *s, uint32_t lo_ms, uint32_t hi_ms, uint32_t *usec)
{
	unsigned long long v = 0;
	int frac = -1;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || frac == 3)
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
		if (frac >= 0)
			frac++;
		if (v > (unsigned long long)UINT32_MAX * 1000)
			return -1;
	}
	for (frac = frac < 0 ? 0 : frac; frac < 3; frac++)
		v *= 10;
	if (v < (unsigned long long)lo_ms * 1000 ||
	    v > (unsigned long long)hi_ms * 1000)
		return -1;
	*usec = (uint32_t)v;
	return 0;
}

static int
set_ms(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	uint32_t *p = (uint32_t *)((char *)obj + kw->off);
	uint32_t v;

	if (parse_ms(n->argv[1], (uint32_t)kw->lo, (uint32_t)kw->hi, &v)
	    == -1) {
		conf_error(cx, n, "expected milliseconds %lld-%lld (up to 3 "
		    "decimals), got %s", kw->lo, kw->hi, n->argv[1]);
		return -1;
	}
	if (v > BFD_INTV_SENSIBLE_MS * 1000)
		conf_warn(cx, n, "%s ms is more than %u ms: sure?",
		    n->argv[1], BFD_INTV_SENSIBLE_MS);
	*p = v;
	return 0;
}

static int
set_addr(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vg_addr *a = (struct vg_addr *)((char *)obj + kw->off);

	if (addr_parse(n->argv[1], a) == -1) {
		conf_error(cx, n, "expected an IPv4 or IPv6 address, got %s",
		    n->argv[1]);
		return -1;
	}
	return 0;
}

static int
set_int(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj, int *out)
{
	long long v;

	(void)obj;
	if (conf_parse_ll(n->argv[1], kw->lo, kw->hi, &v) == -1) {
		conf_error(cx, n, "expected %lld-%lld, got %s", kw->lo, kw->hi,
		    n->argv[1]);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int
set_mult(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct bfd_instance_conf *b = obj;
	int v;

	if (set_int(cx, n, kw, obj, &v) == -1)
		return -1;
	b->mult = (uint8_t)v;
	return 0;
}

static int
set_ttl(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct bfd_instance_conf *b = obj;
	int v;

	if (set_int(cx, n, kw, obj, &v) == -1)
		return -1;
	b->ttl = (uint8_t)v;
	return 0;
}

static int
set_max_hops(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct bfd_instance_conf *b = obj;

	return set_int(cx, n, kw, obj, &b->max_hops);
}

static int
set_weight(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct bfd_instance_conf *b = obj;

	if (set_int(cx, n, kw, obj, &b->weight) == -1)
		return -1;
	if (n->argc == 3) {
		if (strcmp(n->argv[2], "reverse") != 0) {
			conf_error(cx, n, "unknown weight option %s (expected "
			    "reverse)", n->argv[2]);
			return -1;
		}
		b->weight_reverse = 1;
	}
	return 0;
}

static int
set_flag(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	(void)cx;
	(void)n;
	*(int *)((char *)obj + kw->off) = 1;
	return 0;
}

static void *
inst_open(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent)
{
	struct bfd_instance_conf *b;

	(void)kw;
	(void)parent;
	if (strlen(n->argv[1]) > BFD_NAME_MAX) {
		conf_error(cx, n, "name '%s' is longer than %u characters",
		    n->argv[1], BFD_NAME_MAX);
		return NULL;
	}
	if ((b = conf_alloc(cx, n, sizeof(*b))) == NULL ||
	    (b->name = conf_strdup(cx, n, n->argv[1])) == NULL)
		return NULL;
	b->loc = n->loc;
	b->min_rx = BFD_MINRX_DEFAULT_MS * 1000;
	b->min_tx = BFD_MINTX_DEFAULT_MS * 1000;
	b->idle_tx = BFD_IDLETX_DEFAULT_MS * 1000;
	b->mult = BFD_MULT_DEFAULT;
	return b;
}

static int
inst_close(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj)
{
	struct bfd_conf *c = parent;
	struct bfd_instance_conf *b = obj;
	char a1[ADDR_STRLEN];

	(void)kw;
	if (bfd_conf_find(c, b->name) != NULL) {
		const struct bfd_instance_conf *p = bfd_conf_find(c, b->name);

		conf_error(cx, n, "duplicate bfd_instance '%s' (first defined "
		    "at %s:%u)", b->name, p->loc.file, p->loc.line);
		return -1;
	}
	if (b->nbr.family == 0) {
		conf_error(cx, n, "%s: no neighbor_ip address set", b->name);
		return -1;
	}
	if (b->src.family != 0 && b->src.family != b->nbr.family) {
		conf_error(cx, n, "%s: source_ip and neighbor_ip are not of "
		    "the same family", b->name);
		return -1;
	}
	for (const struct bfd_instance_conf *o = c->first; o != NULL;
	    o = o->next)
		if (addr_cmp(&o->nbr, &b->nbr) == 0 &&
		    addr_cmp(&o->src, &b->src) == 0) {
			conf_error(cx, n, "%s: duplicate neighbor_ip %s "
			    "(bfd_instance %s at %s:%u)", b->name,
			    addr_ntop(&b->nbr, a1, sizeof(a1)), o->name,
			    o->loc.file, o->loc.line);
			return -1;
		}
	if (b->ttl == 0)
		b->ttl = 255;
	if (b->max_hops > b->ttl) {
		conf_warn(cx, n, "%s: max_hops exceeds ttl/hoplimit - setting "
		    "to ttl/hoplimit", b->name);
		b->max_hops = b->ttl;
	}
	if (!b->said_vrrp && !b->said_checker)
		b->vrrp = b->checker = 1;
	else {
		b->vrrp = b->said_vrrp;
		b->checker = b->said_checker;
	}
	if (c->last != NULL)
		c->last->next = b;
	else
		c->first = b;
	c->last = b;
	c->n++;
	return 0;
}

static const struct conf_kw top_kw[] = {
	CONF_KW_BLOCK("bfd_instance", 0, 1, 1, "bfd_instance", inst_open,
	    inst_close, 0),
	CONF_KW_END
};

static const struct conf_kw inst_kw[] = {
	CONF_KW("neighbor_ip", 1, 1, set_addr, BI(nbr)),
	CONF_KW("neighbour_ip", 1, 1, set_addr, BI(nbr)),
	CONF_KW("source_ip", 1, 1, set_addr, BI(src)),
	CONF_KW_RANGE("min_rx", 1, 1, set_ms, BI(min_rx), BFD_MINRX_MIN_MS,
	    BFD_INTV_MAX_MS),
	CONF_KW_RANGE("min_tx", 1, 1, set_ms, BI(min_tx), BFD_MINTX_MIN_MS,
	    BFD_INTV_MAX_MS),
	CONF_KW_RANGE("idle_tx", 1, 1, set_ms, BI(idle_tx),
	    BFD_IDLETX_MIN_MS, BFD_INTV_MAX_MS),
	CONF_KW_RANGE("multiplier", 1, 1, set_mult, 0, 1, 255),
	CONF_KW("passive", 0, 0, set_flag, BI(passive)),
	CONF_KW_RANGE("ttl", 1, 1, set_ttl, 0, 1, 255),
	CONF_KW_RANGE("hoplimit", 1, 1, set_ttl, 0, 1, 255),
	CONF_KW_RANGE("max_hops", 1, 1, set_max_hops, 0, -1, 255),
	CONF_KW_RANGE("weight", 1, 2, set_weight, 0, -253, 253),
	CONF_KW("vrrp", 0, 0, set_flag, BI(said_vrrp)),
	CONF_KW("checker", 0, 0, set_flag, BI(said_checker)),
	CONF_KW_END
};

#define G(f) offsetof(struct bfd_conf, g.f)
/* global_defs: the BFD child's scheduling, as vrrp_* and checker_* set
 * the other children's (bfd_child.c applies them) */
static const struct conf_kw global_kw[][2] = {
	CONF_KW_ONE(CONF_KW_INT("bfd_priority", G(priority), -20, 19)),
	CONF_KW_ONE(CONF_KW_FLAG("bfd_no_swap", G(no_swap))),
	CONF_KW_ONE(CONF_KW_CPUS("bfd_cpu_affinity", G(cpu_affinity),
	    G(cpu_mask))),
	CONF_KW_ONE(CONF_KW_INT("bfd_rt_priority", G(rt_priority), 1, 99)),
	CONF_KW_ONE(CONF_KW_UINT("bfd_rlimit_rttime", G(rlimit_rttime), 2,
	    4294967295LL)),
	CONF_KW_ONE(CONF_KW_DEPRECATED("bfd_rlimit_rtime", 1, 1,
	    conf_set_uint, G(rlimit_rttime), 2, 4294967295LL)),
};

int
bfd_conf_register(struct conf_registry *r)
{
	if (conf_registry_add(r, CONF_OWNER_BFD, "", top_kw) == -1 ||
	    conf_registry_add(r, CONF_OWNER_BFD, "bfd_instance", inst_kw) == -1)
		return -1;
	return conf_registry_add_each(r, CONF_OWNER_BFD, "global_defs",
	    global_kw, sizeof(global_kw) / sizeof(global_kw[0]));
}

int
bfd_conf_finalize(void *conf, struct conf_diag *d)
{
	(void)conf;
	(void)d;
	return 0;
}

void
bfd_conf_dump(const void *conf, FILE *fp)
{
	const struct bfd_conf *c = conf;
	char a[ADDR_STRLEN];

	if (c->g.priority != 0)
		fprintf(fp, "BFD child: bfd_priority %d\n", c->g.priority);
	if (c->g.no_swap)
		fprintf(fp, "BFD child: bfd_no_swap\n");
	if (c->g.rt_priority != 0)
		fprintf(fp, "BFD child: bfd_rt_priority %d\n",
		    c->g.rt_priority);
	if (c->g.rlimit_rttime != 0)
		fprintf(fp, "BFD child: bfd_rlimit_rttime %u\n",
		    c->g.rlimit_rttime);
	if (c->g.cpu_affinity != NULL)
		fprintf(fp, "BFD child: bfd_cpu_affinity %s\n",
		    c->g.cpu_affinity);

	for (const struct bfd_instance_conf *b = c->first; b != NULL;
	    b = b->next) {
		fprintf(fp, "bfd_instance %s {\n", b->name);
		fprintf(fp, "    neighbor_ip %s\n",
		    addr_ntop(&b->nbr, a, sizeof(a)));
		if (b->src.family != 0)
			fprintf(fp, "    source_ip %s\n",
			    addr_ntop(&b->src, a, sizeof(a)));
		fprintf(fp, "    min_rx %u.%03u\n", b->min_rx / 1000,
		    b->min_rx % 1000);
		fprintf(fp, "    min_tx %u.%03u\n", b->min_tx / 1000,
		    b->min_tx % 1000);
		fprintf(fp, "    idle_tx %u.%03u\n", b->idle_tx / 1000,
		    b->idle_tx % 1000);
		fprintf(fp, "    multiplier %u\n", b->mult);
		if (b->passive)
			fprintf(fp, "    passive\n");
		fprintf(fp, "    ttl %u\n", b->ttl);
		fprintf(fp, "    max_hops %d\n", b->max_hops);
		if (b->weight != 0 || b->weight_reverse)
			fprintf(fp, "    weight %d%s\n", b->weight,
			    b->weight_reverse ? " reverse" : "");
		if (b->said_vrrp)
			fprintf(fp, "    vrrp\n");
		if (b->said_checker)
			fprintf(fp, "    checker\n");
		fprintf(fp, "}\n");
	}
}

int
bfd_instance_conf_same(const struct bfd_instance_conf *a,
    const struct bfd_instance_conf *b)
{
	return addr_cmp(&a->nbr, &b->nbr) == 0 &&
	    addr_cmp(&a->src, &b->src) == 0 && a->min_rx == b->min_rx &&
	    a->min_tx == b->min_tx && a->idle_tx == b->idle_tx &&
	    a->mult == b->mult && a->ttl == b->ttl &&
	    a->max_hops == b->max_hops && a->passive == b->passive;
}

int
bfd_conf_diff_text(const void *old, const void *new,
    void (*fn)(void *, unsigned, const char *), void *arg)
{
	const struct bfd_conf *o = old, *n = new;
	char line[256], a[ADDR_STRLEN];

	if (n != NULL)
		for (const struct bfd_instance_conf *b = n->first; b != NULL;
		    b = b->next) {
			const struct bfd_instance_conf *p =
			    bfd_conf_find(o, b->name);

			if (p == NULL)
				snprintf(line, sizeof(line), "bfd_instance %s: "
				    "added (neighbor %s)", b->name,
				    addr_ntop(&b->nbr, a, sizeof(a)));
			else if (addr_cmp(&p->nbr, &b->nbr) != 0 ||
			    addr_cmp(&p->src, &b->src) != 0 ||
			    p->ttl != b->ttl)
				snprintf(line, sizeof(line), "bfd_instance %s: "
				    "neighbor, source or ttl changed (the "
				    "session starts again)", b->name);
			else if (!bfd_instance_conf_same(p, b))
				snprintf(line, sizeof(line), "bfd_instance %s: "
				    "timers changed (the session keeps its "
				    "state)", b->name);
			else
				continue;
			fn(arg, 0, line);
		}
	if (o != NULL)
		for (const struct bfd_instance_conf *b = o->first; b != NULL;
		    b = b->next)
			if (bfd_conf_find(n, b->name) == NULL) {
				snprintf(line, sizeof(line), "bfd_instance %s: "
				    "removed", b->name);
				fn(arg, 0, line);
			}
	return 0;
}
