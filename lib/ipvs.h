/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's IPVS table through its "IPVS" generic netlink family.
 *
 * One netlink socket per handle. Changes are queued (ipvs_q_*) and sent
 * by ipvs_commit() many to a sendmsg; the kernel acknowledges only the
 * requests that fail plus the last one of each send, and every error is
 * handed back with the index of the request that caused it. Dumps read
 * the kernel's multipart replies page by page. Every function returns 0
 * (or a count / an index) or -errno; none logs: the caller names the
 * service in its own log line (ipvs_svc_name()).
 *
 *	v = ipvs_open(&err);			(-ENOENT: no IPVS family)
 *	i = ipvs_q_svc(v, IPVS_ADD, &svc);
 *	j = ipvs_q_dest(v, IPVS_ADD, &svc, &dest);
 *	nfail = ipvs_commit(v, on_error, arg);	on_error(arg, i, -EEXIST)
 *	ipvs_dump_svcs(v, svc_cb, arg); ipvs_dump_dests(v, &svc, dest_cb, arg);
 *	ipvs_close(v);
 */
#ifndef VIGIL_IPVS_H
#define VIGIL_IPVS_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#define IPVS_SCHED_LEN	16
#define IPVS_PE_LEN	32
#define IPVS_IFNAME_LEN	16
#define IPVS_SVC_NAME_LEN 80

/* Service flags (linux/ip_vs.h IP_VS_SVC_F_*). */
enum {
	IPVS_SVC_PERSISTENT = 0x0001,
	IPVS_SVC_HASHED = 0x0002,
	IPVS_SVC_ONEPACKET = 0x0004,
	IPVS_SVC_SCHED1 = 0x0008,	/* sh-fallback, mh-fallback */
	IPVS_SVC_SCHED2 = 0x0010,	/* sh-port, mh-port */
	IPVS_SVC_SCHED3 = 0x0020,
};

/* Forwarding methods (IP_VS_CONN_F_*). */
enum ipvs_fwd {
	IPVS_FWD_NAT = 0,	/* masquerading */
	IPVS_FWD_LOCAL = 1,
	IPVS_FWD_TUN = 2,
	IPVS_FWD_DR = 3,
};
enum ipvs_tun_type { IPVS_TUN_IPIP = 0, IPVS_TUN_GUE, IPVS_TUN_GRE };
/* tun_flags: 0 (no checksum), IPVS_TUN_CSUM or IPVS_TUN_REMCSUM */
enum { IPVS_TUN_CSUM = 1, IPVS_TUN_REMCSUM = 2 };

/* The kernel's counters of a service or destination (dumps only): totals
 * since it was added, and the estimator's rates (per second, over the
 * last few seconds). */
struct ipvs_stats {
	uint64_t conns, inpkts, outpkts, inbytes, outbytes;
	uint64_t cps, inpps, outpps, inbps, outbps;
};

/* A virtual service. Identity: fwmark (nonzero) and af, else af,
 * protocol, addr and port. */
struct ipvs_svc {
	int af;				/* AF_INET, AF_INET6 */
	int protocol;			/* IPPROTO_TCP/UDP/SCTP */
	struct vg_addr addr;
	unsigned port;			/* host order */
	unsigned fwmark;
	char sched[IPVS_SCHED_LEN];	/* "wlc" when empty */
	char pe[IPVS_PE_LEN];		/* persistence engine, "" none */
	unsigned flags;			/* IPVS_SVC_* */
	unsigned timeout;		/* persistence, seconds */
	/* IPv4: the persistence netmask in network order (0xffffffff when
	 * 0); IPv6: the prefix length (128 when 0) */
	uint32_t netmask;
	struct ipvs_stats stats;	/* dumps only */
};

struct ipvs_dest {
	struct vg_addr addr;		/* its family may differ (TUN) */
	unsigned port;			/* host order */
	enum ipvs_fwd fwd;
	int weight;
	unsigned u_thresh, l_thresh;
	enum ipvs_tun_type tun_type;
	unsigned tun_port;		/* GUE, host order */
	unsigned tun_flags;
};

/* A destination's connections and counters (dumps only: kept apart, a
 * table's copies of its destinations carry none). */
struct ipvs_dest_stats {
	unsigned active, inactive, persist;
	struct ipvs_stats stats;
};

struct ipvs_timeouts {
	unsigned tcp, tcp_fin, udp;	/* seconds; 0: leave as is */
};

enum ipvs_sync_state { IPVS_SYNC_MASTER = 1, IPVS_SYNC_BACKUP = 2 };

struct ipvs_daemon {
	enum ipvs_sync_state state;
	char ifname[IPVS_IFNAME_LEN];
	unsigned syncid;
	unsigned maxlen;		/* 0: kernel default */
	struct vg_addr group;		/* unset: kernel default */
	unsigned port;			/* 0: kernel default (8848) */
	unsigned ttl;			/* 0: kernel default (1) */
};

enum ipvs_op { IPVS_ADD, IPVS_EDIT, IPVS_DEL };

struct ipvs;

/* NULL with -errno in *err: -ENOENT when the kernel has no IPVS family. */
struct ipvs *ipvs_open(int *err);
void ipvs_close(struct ipvs *v);
/* The socket's receive buffer: size bytes (the kernel doubles it), by
 * SO_RCVBUFFORCE when force (root may pass net.core.rmem_max), else
 * SO_RCVBUF (capped at rmem_max); size 0: the 8 MiB ipvs_open gives it.
 * 0 or -errno. */
int ipvs_set_rcvbuf(struct ipvs *v, unsigned size, int force);
/* net_namespace_ipvs: the sockets ipvs_open makes from now on talk to the
 * IPVS of network namespace /run/netns/NAME ("": the initial one, pid
 * 1's); NULL: the process's own. 0, or -1 (out of memory). */
int ipvs_set_netns(const char *name);

/* Queue a request; returns its index in the batch (from 0 after each
 * commit) or -errno (-ENOMEM, -EINVAL). A batch goes to the kernel a
 * chunk (128 KB of requests) at a time as it is queued, in order; the
 * commit sends the rest and reports every request's failure. */
int ipvs_q_svc(struct ipvs *v, enum ipvs_op op, const struct ipvs_svc *s);
int ipvs_q_dest(struct ipvs *v, enum ipvs_op op, const struct ipvs_svc *s,
    const struct ipvs_dest *d);
int ipvs_q_flush(struct ipvs *v);
int ipvs_q_timeouts(struct ipvs *v, const struct ipvs_timeouts *t);
/* Requests queued and not yet committed. */
size_t ipvs_pending(const struct ipvs *v);

/* The kernel's answer to request idx of the batch: err < 0. */
typedef void ipvs_err_fn(void *arg, size_t idx, int err);
/* Send everything queued; fn (may be NULL) is called for each request
 * that failed, in order. Returns how many failed, or -errno when the
 * socket itself failed (requests not answered then count as failed
 * with that error). */
int ipvs_commit(struct ipvs *v, ipvs_err_fn *fn, void *arg);

/* Dumps: fn is called per entry; a nonzero return from fn stops the
 * dump and is returned. -errno on failure. Pending requests are
 * committed first (their errors are dropped: commit before dumping). */
typedef int ipvs_svc_fn(void *arg, const struct ipvs_svc *s);
typedef int ipvs_dest_fn(void *arg, const struct ipvs_svc *s,
    const struct ipvs_dest *d, const struct ipvs_dest_stats *st);
int ipvs_dump_svcs(struct ipvs *v, ipvs_svc_fn *fn, void *arg);
int ipvs_dump_dests(struct ipvs *v, const struct ipvs_svc *s,
    ipvs_dest_fn *fn, void *arg);

/* Immediate requests (pending ones are committed first). */
int ipvs_get_timeouts(struct ipvs *v, struct ipvs_timeouts *t);
int ipvs_daemon_start(struct ipvs *v, const struct ipvs_daemon *d);
int ipvs_daemon_stop(struct ipvs *v, enum ipvs_sync_state state);
/* fn per running daemon (master and/or backup). */
typedef int ipvs_daemon_fn(void *arg, const struct ipvs_daemon *d);
int ipvs_daemon_dump(struct ipvs *v, ipvs_daemon_fn *fn, void *arg);

/* Identity and settings helpers. */
int ipvs_svc_same_id(const struct ipvs_svc *a, const struct ipvs_svc *b);
/* "TCP [10.0.0.1]:80", "FWM 5 (IPv6)" */
const char *ipvs_svc_name(const struct ipvs_svc *s, char *buf, size_t len);
/* The netmask a service has in the kernel when s->netmask is 0. */
uint32_t ipvs_svc_netmask(const struct ipvs_svc *s);

#endif
