/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IPVS backend's view of the kernel table (healthcheck/ipvs_mirror.c):
 * per kernel service and destination, what the kernel holds (have, read
 * at open and kept by every acknowledged request) and what vigil wants
 * there (want). An entry whose two differ is dirty and queued for the
 * next sync; one that failed stays dirty until the next change.
 */
#ifndef VIGIL_CHK_IPVS_MIRROR_H
#define VIGIL_CHK_IPVS_MIRROR_H

#include <sys/queue.h>

#include "htab.h"
#include "ipvs.h"
#include "healthcheck/dataplane.h"

/* A destination's counters, as the stats round st_round read them. */
struct km_dest_st {
	struct ipvs_stats st;
	unsigned active, inactive, persist;
	unsigned long st_round;
};

struct km_dest {
	struct htab_node hnode;
	TAILQ_ENTRY(km_dest) dlink;	/* its service's dirty list */
	struct ipvs_dest have, want;
	unsigned in_kernel:1, want_present:1, dirty:1;
	int last_err;			/* logged once per distinct error */
	/* its counters: NULL until a stats round reads them (a start's
	 * 100,000 destinations are 144 bytes each without them, not 248:
	 * 2,500 fewer pages touched, each 0.5 ms under User-Mode Linux) */
	struct km_dest_st *st;
};
TAILQ_HEAD(km_destq, km_dest);

struct km_svc {
	struct htab_node hnode;
	TAILQ_ENTRY(km_svc) link;	/* every service */
	TAILQ_ENTRY(km_svc) dlink;	/* the dirty list */
	struct ipvs_svc have, want;
	struct htab dests;
	struct km_destq dirty_dests;
	size_t ndests;
	char owner[128];		/* the desired table's name; "" none */
	unsigned in_kernel:1, want_present:1, dirty:1, ours:1, named:1,
	    logged_foreign:1, adopted:1;
	int last_err;
	struct ipvs_stats st;		/* as the stats round st_round read */
	unsigned long st_round;
};
TAILQ_HEAD(km_svcq, km_svc);

struct km {
	struct htab svcs;
	struct km_svcq all, dirty;
	size_t nsvcs, ndests;
};

void km_init(struct km *m);
void km_free(struct km *m);
struct km_svc *km_svc_find(struct km *m, const struct ipvs_svc *id);
/* Find or make (not in the kernel, not wanted). NULL: out of memory. */
struct km_svc *km_svc_get(struct km *m, const struct ipvs_svc *id);
void km_svc_free(struct km *m, struct km_svc *s);
void km_svc_dirty(struct km *m, struct km_svc *s);
struct km_dest *km_dest_find(struct km_svc *s, const struct vg_addr *a,
    unsigned port);
struct km_dest *km_dest_get(struct km *m, struct km_svc *s,
    const struct vg_addr *a, unsigned port);
void km_dest_free(struct km *m, struct km_svc *s, struct km_dest *d);
void km_dest_dirty(struct km *m, struct km_svc *s, struct km_dest *d);

/* Settings equal (identity aside). */
int km_svc_same(const struct ipvs_svc *a, const struct ipvs_svc *b);
int km_dest_same(const struct ipvs_dest *a, const struct ipvs_dest *b);

/* The kernel services a desired service stands for: fn per service
 * (groups: one per address of a range, one per fwmark). At most
 * KM_EXPAND_MAX per service. Returns how many, or -1 when fn failed. */
#define KM_EXPAND_MAX 65536
int km_expand(const struct dp_service *ds,
    int (*fn)(void *arg, const struct ipvs_svc *s), void *arg);
void km_dest_from(struct ipvs_dest *d, const struct dp_dest *dd);

#endif
