/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtual_rules / static_rules items into the kernel and out again:
 * RTM_NEWRULE / RTM_DELRULE, from the parsed params and, for what only
 * the item's words hold (protocol, ipproto, ports, uid range,
 * suppressors), from argv.
 */
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "log.h"
#include "vrrp/config.h"
#include "vrrp/nl.h"
#include "vrrp/vip.h"

/* Two numbers "A-B" or one "A" (then B = A), each at most max. */
static int
parse_range(const char *s, unsigned max, unsigned *a, unsigned *b)
{
	char buf[32], *dash;

	if (s == NULL || strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	if ((dash = strchr(buf, '-')) != NULL)
		*dash++ = '\0';
	if (vrrp_conf_u32(buf, max, a) == -1)
		return -1;
	if (dash == NULL) {
		*b = *a;
		return 0;
	}
	if (vrrp_conf_u32(dash, max, b) == -1 || *b < *a)
		return -1;
	return 0;
}

static int
parse_ipproto(const char *s, unsigned *p)
{
	struct protoent *pe;

	if (vrrp_conf_u32(s, 255, p) == 0)
		return 0;
	if ((pe = getprotobyname(s)) == NULL)
		return -1;
	*p = (unsigned)pe->p_proto;
	return 0;
}

static int
parse_rtproto(const char *s, unsigned *p)
{
	static const struct { const char *n; unsigned v; } protos[] = {
		{ "redirect", 1 }, { "kernel", 2 }, { "boot", 3 },
		{ "static", 4 }, { "dhcp", 16 }, { "keepalived", 18 },
	};
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strcmp(s, protos[i].n) == 0) {
			*p = protos[i].v;
			return 0;
		}
	return vrrp_conf_u32(s, 255, p);
}

/* What only the rule's words hold: protocol, ipproto, ports, uids,
 * suppressors. A value that does not parse fails the rule: left out, it
 * would make the rule match more than it says. 0 or -EINVAL (logged). */
static int
put_rule_words(struct nl_msg *m, const struct vrrp_conf_rule *r)
{
	struct fib_rule_port_range pr;
	struct fib_rule_uid_range ur;
	unsigned i, a, b;
	int rc;

	for (i = 0; i + 1 < r->argc; i++) {
		const char *o = r->argv[i], *arg = r->argv[i + 1];

		if (strcmp(o, "protocol") == 0) {
			if (parse_rtproto(arg, &a) == -1)
				goto bad;
			rc = nla_put_u8(m, FRA_PROTOCOL, (uint8_t)a);
		} else if (strcmp(o, "ipproto") == 0 ||
		    strcmp(o, "ip_proto") == 0) {
			if (parse_ipproto(arg, &a) == -1)
				goto bad;
			rc = nla_put_u8(m, FRA_IP_PROTO, (uint8_t)a);
		} else if (strcmp(o, "sport") == 0 || strcmp(o, "dport") == 0) {
			if (parse_range(arg, 65535, &a, &b) == -1)
				goto bad;
			pr.start = (uint16_t)a;
			pr.end = (uint16_t)b;
			rc = nla_put(m, o[0] == 's' ? FRA_SPORT_RANGE :
			    FRA_DPORT_RANGE, sizeof(pr), &pr);
		} else if (strcmp(o, "uidrange") == 0) {
			if (parse_range(arg, UINT_MAX, &a, &b) == -1)
				goto bad;
			ur.start = a;
			ur.end = b;
			rc = nla_put(m, FRA_UID_RANGE, sizeof(ur), &ur);
		} else if (strcmp(o, "realms") == 0) {
			if (vrrp_conf_realms(arg, &a) == -1)
				goto bad;
			rc = nla_put_u32(m, FRA_FLOW, a);
		} else if (strcmp(o, "suppress_prefixlength") == 0) {
			if (vrrp_conf_u32(arg, 128, &a) == -1)
				goto bad;
			rc = nla_put_u32(m, FRA_SUPPRESS_PREFIXLEN, a);
		} else if (strcmp(o, "suppress_ifgroup") == 0) {
			if (strcmp(arg, "default") == 0)
				a = 0;
			else if (vrrp_conf_u32(arg, UINT32_MAX, &a) == -1)
				goto bad;
			rc = nla_put_u32(m, FRA_SUPPRESS_IFGROUP, a);
		} else
			continue;
		if (rc < 0)
			return -ENOMEM;
		i++;
		continue;
bad:
		log_err("%s:%u: rule %s: invalid value %s", r->loc.file,
		    r->loc.line, o, arg);
		return -EINVAL;
	}
	return 0;
}

static int
rule_msg(const struct vrrp_conf_rule *r, int add, struct nl_msg **out)
{
	const struct vrrp_conf_rule_params *p = &r->p;
	struct fib_rule_hdr frh;
	struct nl_msg *m;
	unsigned table = 0;
	int rc;

	if (r->table_name != NULL && vrrp_nl_table(r->table_name,
	    &table) == -1) {
		log_err("%s:%u: rule table '%s' is not in rt_tables",
		    r->loc.file, r->loc.line, r->table_name);
		return -ENOENT;
	}
	if (r->table_name == NULL && (p->flags & VRRP_RU_TABLE))
		table = p->table;
	if (table == 0 && add && p->action == FR_ACT_TO_TBL &&
	    !(p->flags & VRRP_RU_L3MDEV))
		table = RT_TABLE_MAIN;
	m = nlmsg_alloc_simple(add ? RTM_NEWRULE : RTM_DELRULE, add ?
	    NLM_F_CREATE | NLM_F_EXCL : 0);
	if (m == NULL)
		return -ENOMEM;
	memset(&frh, 0, sizeof(frh));
	frh.family = (unsigned char)p->family;
	frh.src_len = (unsigned char)p->from_len;
	frh.dst_len = (unsigned char)p->to_len;
	frh.tos = (unsigned char)p->tos;
	frh.table = table < 256 ? (unsigned char)table : RT_TABLE_UNSPEC;
	frh.action = (unsigned char)p->action;
	if (p->flags & VRRP_RU_NOT)
		frh.flags |= FIB_RULE_INVERT;
	if (nlmsg_append(m, &frh, sizeof(frh), NLMSG_ALIGNTO) < 0)
		goto fail;
	if (p->from_len > 0 && vrrp_nl_put_addr(m, FRA_SRC, &p->from) == -1)
		goto fail;
	if (p->to_len > 0 && vrrp_nl_put_addr(m, FRA_DST, &p->to) == -1)
		goto fail;
	if ((p->flags & VRRP_RU_PRIORITY) &&
	    nla_put_u32(m, FRA_PRIORITY, p->priority) < 0)
		goto fail;
	if ((p->flags & VRRP_RU_FWMARK) &&
	    (nla_put_u32(m, FRA_FWMARK, p->fwmark) < 0 ||
	    nla_put_u32(m, FRA_FWMASK, p->fwmask) < 0))
		goto fail;
	if (r->iif != NULL && nla_put_string(m, FRA_IIFNAME, r->iif) < 0)
		goto fail;
	if (r->oif != NULL && nla_put_string(m, FRA_OIFNAME, r->oif) < 0)
		goto fail;
	if (table != 0 && nla_put_u32(m, FRA_TABLE, table) < 0)
		goto fail;
	if ((p->flags & VRRP_RU_GOTO) &&
	    nla_put_u32(m, FRA_GOTO, p->goto_target) < 0)
		goto fail;
	if ((p->flags & VRRP_RU_L3MDEV) && nla_put_u8(m, FRA_L3MDEV, 1) < 0)
		goto fail;
	if ((rc = put_rule_words(m, r)) != 0) {
		nlmsg_free(m);
		return rc;
	}
	*out = m;
	return 0;
fail:
	nlmsg_free(m);
	return -ENOMEM;
}

/* What the kernel answered for adding (removing) a rule: adding what is
 * there and removing what is not succeed; anything else logged. */
static int
rule_done(const struct vrrp_nl_op *op, int rc)
{
	const struct vrrp_conf_rule *r = op->item;

	if (op->add && rc == -EEXIST)
		rc = 0;
	if (!op->add && (rc == -ENOENT || rc == -ESRCH))
		rc = 0;
	if (rc < 0)
		log_err("%s:%u: %s rule: %s", r->loc.file, r->loc.line,
		    op->add ? "adding" : "removing", strerror(-rc));
	return rc;
}

/* The request adding (removing) r, and its op; NULL with *rc set if
 * there is none to send (logged). */
static struct nl_msg *
rule_req(const struct vrrp_conf_rule *r, int add, struct vrrp_nl_op *op,
    int *rc)
{
	struct nl_msg *m = NULL;

	*op = (struct vrrp_nl_op){ rule_done, r, 0, add };
	if ((*rc = rule_msg(r, add, &m)) != 0)
		*rc = rule_done(op, *rc);
	return *rc == 0 ? m : NULL;
}

/* r added (removed) alone (b NULL) or queued in b. */
static int
rule_cmd(struct vrrp_kernel *k, struct vrrp_nl_batch *b,
    const struct vrrp_conf_rule *r, int add)
{
	struct vrrp_nl_op op;
	struct nl_msg *m;
	int rc;

	m = rule_req(r, add, &op, &rc);
	return vrrp_nl_request(k, b, m, &op, rc);
}

int
vrrp_rule_add(struct vrrp_kernel *k, const struct vrrp_conf_rule *r)
{
	return rule_cmd(k, NULL, r, 1);
}

int
vrrp_rule_del(struct vrrp_kernel *k, const struct vrrp_conf_rule *r)
{
	return rule_cmd(k, NULL, r, 0);
}

int
vrrp_rule_batch_add(struct vrrp_kernel *k, struct vrrp_nl_batch *b,
    const struct vrrp_conf_rule *r, int add)
{
	return rule_cmd(k, b, r, add);
}
