/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VIP firewalling with nftables (vrrp/nft.h), through libnftnl and
 * libmnl: each change is one nfnetlink batch, applied whole or not at
 * all. The kernel answers a batch while it is sent (netlink to the
 * kernel is synchronous), so its errors are read back at once without
 * waiting.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "vrrp/nft.h"

#define NFT_DEFAULT_TABLE "keepalived"

#ifdef HAVE_LIBNFTNL

#include <errno.h>
#include <netinet/in.h>
#include <netinet/icmp6.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#define SET4 "vips"
#define SET6 "vips6"
#define SETV "vmacs"
#define SETLL "vips6_ll"
#define CHAIN "in"
#define CHAIN_OUT "out"
#define SET4_ID 1
#define SET6_ID 2
#define SETV_ID 3
#define SETLL_ID 4
#define TYPE_IP6ADDR 8
#define TYPE_IFINDEX 20
#define TYPE_BITS 6		/* nft's concatenated types */
#define IFNAME_LEN 16		/* nft's ifname keys */
#define TYPE_IFNAME 41		/* nft's ifname datatype */

struct vrrp_nft {
	struct mnl_socket *nl;
	uint32_t seq;
	char *table;
	int priority;
	int counters;
	int ifindex_keys;	/* nftables_ifindex */
	char buf[16384];		/* one batch */
};

/* ---- batches ---------------------------------------------------------- */

struct batch {
	struct vrrp_nft *n;
	struct mnl_nlmsg_batch *b;
	int failed;
};

static int
batch_start(struct batch *bt, struct vrrp_nft *n)
{
	bt->n = n;
	bt->failed = 0;
	bt->b = mnl_nlmsg_batch_start(n->buf, sizeof(n->buf));
	if (bt->b == NULL)
		return -1;
	nftnl_batch_begin(mnl_nlmsg_batch_current(bt->b), n->seq++);
	mnl_nlmsg_batch_next(bt->b);
	return 0;
}

static struct nlmsghdr *
batch_msg(struct batch *bt, uint16_t type, uint16_t flags)
{
	return nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(bt->b), type,
	    NFPROTO_INET, flags | NLM_F_ACK, bt->n->seq++);
}

static void
batch_next(struct batch *bt)
{
	if (!mnl_nlmsg_batch_next(bt->b))
		bt->failed = 1;		/* full: the batch is not sent */
}

/* Send; the first error the kernel gives, or 0. ignore: an errno that
 * is not one (ENOENT when removing what is gone). */
static int
batch_send(struct batch *bt, const char *what, int ignore)
{
	struct vrrp_nft *n = bt->n;
	char rbuf[8192];
	int err = 0, fd = mnl_socket_get_fd(n->nl);
	ssize_t r;

	nftnl_batch_end(mnl_nlmsg_batch_current(bt->b), n->seq++);
	mnl_nlmsg_batch_next(bt->b);
	if (bt->failed) {
		log_err("nftables: %s: too large a batch", what);
		mnl_nlmsg_batch_stop(bt->b);
		return -1;
	}
	if (mnl_socket_sendto(n->nl, mnl_nlmsg_batch_head(bt->b),
	    mnl_nlmsg_batch_size(bt->b)) < 0) {
		log_err("nftables: %s: %s", what, strerror(errno));
		mnl_nlmsg_batch_stop(bt->b);
		return -1;
	}
	mnl_nlmsg_batch_stop(bt->b);
	/* every answer is queued by now: read them without waiting */
	while ((r = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT)) > 0) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)rbuf;
		int len = (int)r;

		for (; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len)) {
			const struct nlmsgerr *e;

			if (h->nlmsg_type != NLMSG_ERROR ||
			    h->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
				continue;
			e = mnl_nlmsg_get_payload(h);
			if (e->error != 0 && -e->error != ignore && err == 0)
				err = -e->error;
		}
	}
	if (err != 0) {
		log_err("nftables: %s: %s", what, strerror(err));
		return -1;
	}
	return 0;
}

/* ---- objects ------------------------------------------------------------ */

static void
put_table(struct batch *bt, uint16_t type, uint16_t flags)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *h;

	if (t == NULL) {
		bt->failed = 1;
		return;
	}
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, bt->n->table);
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, NFPROTO_INET);
	h = batch_msg(bt, type, flags);
	nftnl_table_nlmsg_build_payload(h, t);
	nftnl_table_free(t);
	batch_next(bt);
}

static void
put_set(struct batch *bt, const char *name, uint32_t id, uint32_t type,
    uint32_t len)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct nlmsghdr *h;

	if (s == NULL) {
		bt->failed = 1;
		return;
	}
	nftnl_set_set_str(s, NFTNL_SET_TABLE, bt->n->table);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFPROTO_INET);
	nftnl_set_set_u32(s, NFTNL_SET_ID, id);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, type);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, len);
	if (type == TYPE_IFNAME) {
		/* nft(8) prints names kept in host order only when told */
		struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(64);

		if (u != NULL && nftnl_udata_put_u32(u,
		    NFTNL_UDATA_SET_KEYBYTEORDER, 1 /* host endian */))
			nftnl_set_set_data(s, NFTNL_SET_USERDATA,
			    nftnl_udata_buf_data(u), nftnl_udata_buf_len(u));
		nftnl_udata_buf_free(u);
	}
	h = batch_msg(bt, NFT_MSG_NEWSET, NLM_F_CREATE);
	nftnl_set_nlmsg_build_payload(h, s);
	nftnl_set_free(s);
	batch_next(bt);
}

static void
put_chain(struct batch *bt, const char *name, uint32_t hook)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *h;

	if (c == NULL) {
		bt->failed = 1;
		return;
	}
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, bt->n->table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, NFPROTO_INET);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, hook);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, bt->n->priority);
	h = batch_msg(bt, NFT_MSG_NEWCHAIN, NLM_F_CREATE);
	nftnl_chain_nlmsg_build_payload(h, c);
	nftnl_chain_free(c);
	batch_next(bt);
}

static int
add_expr(struct nftnl_rule *r, struct nftnl_expr *x)
{
	if (x == NULL)
		return -1;
	nftnl_rule_add_expr(r, x);
	return 0;
}

static struct nftnl_expr *
expr_meta_to(uint32_t key, uint32_t reg)
{
	struct nftnl_expr *x = nftnl_expr_alloc("meta");

	if (x != NULL) {
		nftnl_expr_set_u32(x, NFTNL_EXPR_META_KEY, key);
		nftnl_expr_set_u32(x, NFTNL_EXPR_META_DREG, reg);
	}
	return x;
}

static struct nftnl_expr *
expr_meta(uint32_t key)
{
	return expr_meta_to(key, NFT_REG_1);
}

static struct nftnl_expr *
expr_eq(const void *data, uint32_t len)
{
	struct nftnl_expr *x = nftnl_expr_alloc("cmp");

	if (x != NULL) {
		nftnl_expr_set_u32(x, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
		nftnl_expr_set_u32(x, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
		nftnl_expr_set(x, NFTNL_EXPR_CMP_DATA, data, len);
	}
	return x;
}

static struct nftnl_expr *
expr_payload(uint32_t base, uint32_t off, uint32_t len)
{
	struct nftnl_expr *x = nftnl_expr_alloc("payload");

	if (x != NULL) {
		nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_BASE, base);
		nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_OFFSET, off);
		nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_LEN, len);
		nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	}
	return x;
}

static struct nftnl_expr *
expr_lookup(const char *set, uint32_t id)
{
	struct nftnl_expr *x = nftnl_expr_alloc("lookup");

	if (x != NULL) {
		nftnl_expr_set_u32(x, NFTNL_EXPR_LOOKUP_SREG, NFT_REG_1);
		nftnl_expr_set_str(x, NFTNL_EXPR_LOOKUP_SET, set);
		nftnl_expr_set_u32(x, NFTNL_EXPR_LOOKUP_SET_ID, id);
	}
	return x;
}

static struct nftnl_expr *
expr_verdict(int verdict)
{
	struct nftnl_expr *x = nftnl_expr_alloc("immediate");

	if (x != NULL) {
		nftnl_expr_set_u32(x, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
		nftnl_expr_set_u32(x, NFTNL_EXPR_IMM_VERDICT,
		    (uint32_t)verdict);
	}
	return x;
}

/* A rule of chain in the table, family inet; NULL (the batch failed) if
 * it cannot be had. */
static struct nftnl_rule *
rule_start(struct batch *bt, const char *chain)
{
	struct nftnl_rule *r = nftnl_rule_alloc();

	if (r == NULL) {
		bt->failed = 1;
		return NULL;
	}
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, bt->n->table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_INET);
	return r;
}

/* The rest of r, its matches added with rc the OR of their results: the
 * counter (nftables_counters) and verdict, then into the batch. */
static void
rule_finish(struct batch *bt, struct nftnl_rule *r, int rc, int verdict)
{
	struct nlmsghdr *h;

	if (bt->n->counters)
		rc |= add_expr(r, nftnl_expr_alloc("counter"));
	rc |= add_expr(r, expr_verdict(verdict));
	if (rc != 0) {
		nftnl_rule_free(r);
		bt->failed = 1;
		return;
	}
	h = batch_msg(bt, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND);
	nftnl_rule_nlmsg_build_payload(h, r);
	nftnl_rule_free(r);
	batch_next(bt);
}

/*
 * One rule: the packet of family v6 addressed to a member of its set
 * (ll: an IPv6 link-local VIP with the interface it came in on), then
 * (icmp6_type > 0) an ICMPv6 message of that type: verdict.
 */
static void
put_rule_in(struct batch *bt, int v6, int ll, int icmp6_type, int verdict)
{
	struct nftnl_rule *r = rule_start(bt, CHAIN);
	uint8_t proto = v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	uint8_t l4 = IPPROTO_ICMPV6, type = (uint8_t)icmp6_type;
	int rc = 0;

	if (r == NULL)
		return;
	rc |= add_expr(r, expr_meta(NFT_META_NFPROTO));
	rc |= add_expr(r, expr_eq(&proto, 1));
	/* destination: IPv4 bytes 16-19, IPv6 bytes 24-39 */
	rc |= add_expr(r, expr_payload(NFT_PAYLOAD_NETWORK_HEADER,
	    v6 ? 24 : 16, v6 ? 16 : 4));
	/* the address . the interface, as the set's keys are made */
	if (ll)
		rc |= add_expr(r, expr_meta_to(bt->n->ifindex_keys ?
		    NFT_META_IIF : NFT_META_IIFNAME, NFT_REG_2));
	rc |= add_expr(r, ll ? expr_lookup(SETLL, SETLL_ID) :
	    expr_lookup(v6 ? SET6 : SET4, v6 ? SET6_ID : SET4_ID));
	if (icmp6_type > 0) {
		rc |= add_expr(r, expr_meta(NFT_META_L4PROTO));
		rc |= add_expr(r, expr_eq(&l4, 1));
		rc |= add_expr(r, expr_payload(NFT_PAYLOAD_TRANSPORT_HEADER,
		    0, 1));
		rc |= add_expr(r, expr_eq(&type, 1));
	}
	rule_finish(bt, r, rc, verdict);
}

/*
 * A rule of the out chain: IGMP (v6 0) or the ICMPv6 message icmp6_type
 * (MLD) leaving through a VMAC: drop. A VMAC of a BACKUP must not send
 * frames from the virtual MAC (switches would learn it on the wrong
 * port), and the groups it joins are link-local ones switches flood.
 */
static void
put_rule_vmac(struct batch *bt, int v6, int icmp6_type)
{
	struct nftnl_rule *r = rule_start(bt, CHAIN_OUT);
	uint8_t proto = v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	uint8_t l4 = v6 ? IPPROTO_ICMPV6 : IPPROTO_IGMP;
	uint8_t type = (uint8_t)icmp6_type;
	int rc = 0;

	if (r == NULL)
		return;
	rc |= add_expr(r, expr_meta(NFT_META_OIFNAME));
	rc |= add_expr(r, expr_lookup(SETV, SETV_ID));
	rc |= add_expr(r, expr_meta(NFT_META_NFPROTO));
	rc |= add_expr(r, expr_eq(&proto, 1));
	rc |= add_expr(r, expr_meta(NFT_META_L4PROTO));
	rc |= add_expr(r, expr_eq(&l4, 1));
	if (v6) {
		rc |= add_expr(r, expr_payload(NFT_PAYLOAD_TRANSPORT_HEADER,
		    0, 1));
		rc |= add_expr(r, expr_eq(&type, 1));
	}
	rule_finish(bt, r, rc, NF_DROP);
}

/* ---- the interface ---------------------------------------------------------- */

static const char *
table_of(const struct vrrp_nft_params *p)
{
	return p->table != NULL && p->table[0] != '\0' ? p->table :
	    NFT_DEFAULT_TABLE;
}

struct vrrp_nft *
vrrp_nft_new(const struct vrrp_nft_params *p)
{
	struct vrrp_nft *n = calloc(1, sizeof(*n));
	struct batch bt;

	if (n == NULL || (n->table = strdup(table_of(p))) == NULL) {
		free(n);
		log_err("nftables: out of memory");
		return NULL;
	}
	n->priority = p->priority;
	n->counters = p->counters;
	n->ifindex_keys = p->ifindex_keys;
	n->seq = (uint32_t)time(NULL);
	if ((n->nl = mnl_socket_open(NETLINK_NETFILTER)) == NULL ||
	    mnl_socket_bind(n->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		log_err("nftables: cannot reach the kernel: %s",
		    strerror(errno));
		vrrp_nft_free(n, 1);
		return NULL;
	}
	if (batch_start(&bt, n) < 0) {
		vrrp_nft_free(n, 1);
		return NULL;
	}
	/* made, removed (with whatever an earlier run left), made again */
	put_table(&bt, NFT_MSG_NEWTABLE, NLM_F_CREATE);
	put_table(&bt, NFT_MSG_DELTABLE, 0);
	put_table(&bt, NFT_MSG_NEWTABLE, NLM_F_CREATE);
	put_set(&bt, SET4, SET4_ID, 7 /* ipv4_addr */, 4);
	put_set(&bt, SET6, SET6_ID, 8 /* ipv6_addr */, 16);
	put_set(&bt, SETV, SETV_ID, TYPE_IFNAME, IFNAME_LEN);
	/* link-local VIPs are only unique with their interface */
	put_set(&bt, SETLL, SETLL_ID, TYPE_IP6ADDR << TYPE_BITS |
	    (n->ifindex_keys ? TYPE_IFINDEX : TYPE_IFNAME), 16 +
	    (n->ifindex_keys ? 4 : IFNAME_LEN));
	put_chain(&bt, CHAIN, NF_INET_LOCAL_IN);
	put_rule_in(&bt, 0, 0, 0, NF_DROP);
	/* the VIP's neighbour entry stays reachable */
	for (int ll = 0; ll < 2; ll++) {
		put_rule_in(&bt, 1, ll, ND_NEIGHBOR_SOLICIT, NF_ACCEPT);
		put_rule_in(&bt, 1, ll, ND_NEIGHBOR_ADVERT, NF_ACCEPT);
		put_rule_in(&bt, 1, ll, 0, NF_DROP);
	}
	/* no IGMP / MLD from the virtual MACs */
	put_chain(&bt, CHAIN_OUT, NF_INET_LOCAL_OUT);
	put_rule_vmac(&bt, 0, 0);
	put_rule_vmac(&bt, 1, MLD_LISTENER_REPORT);
	put_rule_vmac(&bt, 1, MLD_LISTENER_REDUCTION);
	put_rule_vmac(&bt, 1, 143 /* MLDv2 report */);
	if (batch_send(&bt, "making the table", 0) < 0) {
		vrrp_nft_free(n, 1);
		return NULL;
	}
	log_info("nftables: table inet %s: packets to the VIPs of instances "
	    "without accept mode are dropped while they are MASTER (chain "
	    "%s), IGMP / MLD out of VMACs always (chain %s); priority %d%s",
	    n->table, CHAIN, CHAIN_OUT, n->priority,
	    n->counters ? ", with counters" : "");
	return n;
}

int
vrrp_nft_same(const struct vrrp_nft *n, const struct vrrp_nft_params *p)
{
	return strcmp(n->table, table_of(p)) == 0 &&
	    n->priority == p->priority && (n->counters != 0) ==
	    (p->counters != 0) && (n->ifindex_keys != 0) ==
	    (p->ifindex_keys != 0);
}

void
vrrp_nft_free(struct vrrp_nft *n, int keep)
{
	struct batch bt;

	if (n == NULL)
		return;
	if (!keep && n->nl != NULL && batch_start(&bt, n) == 0) {
		put_table(&bt, NFT_MSG_DELTABLE, 0);
		if (batch_send(&bt, "removing the table", ENOENT) == 0)
			log_info("nftables: table inet %s removed", n->table);
	}
	if (n->nl != NULL)
		mnl_socket_close(n->nl);
	free(n->table);
	free(n);
}

/* Add (or remove) the element key of klen bytes to (from) the set name;
 * what names it in the log. 0, or -1. */
static int
set_elem_send(struct vrrp_nft *n, const char *name, const void *key,
    size_t klen, int add, const char *what)
{
	struct nftnl_set *s;
	struct nftnl_set_elem *el;
	struct nlmsghdr *h;
	struct batch bt;

	if ((s = nftnl_set_alloc()) == NULL)
		return -1;
	if ((el = nftnl_set_elem_alloc()) == NULL) {
		nftnl_set_free(s);
		return -1;
	}
	nftnl_set_set_str(s, NFTNL_SET_TABLE, n->table);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFPROTO_INET);
	nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY, key, (uint32_t)klen);
	nftnl_set_elem_add(s, el);
	if (batch_start(&bt, n) < 0) {
		nftnl_set_free(s);
		return -1;
	}
	h = batch_msg(&bt, add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM,
	    add ? NLM_F_CREATE : 0);
	nftnl_set_elems_nlmsg_build_payload(h, s);
	nftnl_set_free(s);
	batch_next(&bt);
	return batch_send(&bt, what, add ? 0 : ENOENT);
}

int
vrrp_nft_addr(struct vrrp_nft *n, const struct vg_addr *a, int ifindex,
    const char *ifname, int add)
{
	char what[ADDR_STRLEN + 64], as[ADDR_STRLEN];
	unsigned char key[16 + IFNAME_LEN];
	size_t klen;
	int v6 = a->family == AF_INET6, ll;
	uint32_t idx = (uint32_t)ifindex;

	if (n == NULL || (a->family != AF_INET && !v6))
		return -1;
	ll = v6 && IN6_IS_ADDR_LINKLOCAL(&a->u.v6);
	memset(key, 0, sizeof(key));
	memcpy(key, &a->u, v6 ? 16 : 4);
	klen = v6 ? 16 : 4;
	if (ll && n->ifindex_keys) {
		memcpy(key + 16, &idx, sizeof(idx));
		klen = 20;
	} else if (ll) {
		if (ifname == NULL || strlen(ifname) >= IFNAME_LEN)
			return -1;
		memcpy(key + 16, ifname, strlen(ifname));
		klen = 16 + IFNAME_LEN;
	}
	snprintf(what, sizeof(what), "%s %s%s%s", add ? "blocking" :
	    "unblocking", addr_ntop(a, as, sizeof(as)), ll ? " on " : "",
	    ll && ifname != NULL ? ifname : "");
	return set_elem_send(n, ll ? SETLL : v6 ? SET6 : SET4, key, klen, add,
	    what);
}

int
vrrp_nft_vmac(struct vrrp_nft *n, const char *ifname, int add)
{
	char key[IFNAME_LEN], what[64];

	if (n == NULL || ifname == NULL || strlen(ifname) >= IFNAME_LEN)
		return -1;
	memset(key, 0, sizeof(key));
	memcpy(key, ifname, strlen(ifname));
	snprintf(what, sizeof(what), "%s VMAC %s", add ? "adding" :
	    "removing", ifname);
	return set_elem_send(n, SETV, key, sizeof(key), add, what);
}

#else /* !HAVE_LIBNFTNL */

struct vrrp_nft {
	int unused;
};

struct vrrp_nft *
vrrp_nft_new(const struct vrrp_nft_params *p)
{
	(void)p;
	log_warn("nftables: this build has no libnftnl: packets to the VIPs "
	    "are accepted");
	return NULL;
}

int
vrrp_nft_same(const struct vrrp_nft *n, const struct vrrp_nft_params *p)
{
	(void)n;
	(void)p;
	return 1;
}

void
vrrp_nft_free(struct vrrp_nft *n, int keep)
{
	(void)keep;
	free(n);
}

int
vrrp_nft_addr(struct vrrp_nft *n, const struct vg_addr *a, int ifindex,
    const char *ifname, int add)
{
	(void)n;
	(void)a;
	(void)ifindex;
	(void)ifname;
	(void)add;
	return -1;
}

int
vrrp_nft_vmac(struct vrrp_nft *n, const char *ifname, int add)
{
	(void)n;
	(void)ifname;
	(void)add;
	return -1;
}

#endif
