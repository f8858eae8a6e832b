/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BFD subsystem's typed configuration: its bfd_instance blocks.
 * The VRRP and checker children borrow them (track_bfd and BFD_CHECK
 * name them; weight, vrrp and checker are read there).
 */
#ifndef VIGIL_BFD_CONFIG_H
#define VIGIL_BFD_CONFIG_H

#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "conf.h"

#define CONF_OWNER_BFD 4

/* keepalived's ranges (milliseconds) and defaults */
#define BFD_MINRX_MIN_MS 1u
#define BFD_MINTX_MIN_MS 1u
#define BFD_IDLETX_MIN_MS 1000u
#define BFD_INTV_MAX_MS (UINT32_MAX / 1000u)
#define BFD_INTV_SENSIBLE_MS 10000u
#define BFD_MINRX_DEFAULT_MS 10u
#define BFD_MINTX_DEFAULT_MS 10u
#define BFD_IDLETX_DEFAULT_MS 1000u
#define BFD_MULT_DEFAULT 5u
#define BFD_NAME_MAX 31		/* keepalived's BFD_INAME_MAX - 1 */

struct bfd_instance_conf {
	struct bfd_instance_conf *next;
	struct conf_loc loc;
	char *name;
	struct vg_addr nbr;
	struct vg_addr src;	/* family 0: any */
	uint32_t min_rx, min_tx, idle_tx;	/* usec */
	uint8_t mult;
	uint8_t ttl;		/* TTL / hop limit sent; 0: 255 */
	int max_hops;		/* hops the peer may be away; -1: any */
	int passive;
	int weight;		/* VRRP's default weight of track_bfd */
	int weight_reverse;
	/* which children follow it (neither keyword: both) */
	int vrrp, checker;
	int said_vrrp, said_checker;
};

/* global_defs' bfd_* keywords: the BFD child's scheduling */
struct bfd_conf_globals {
	int priority;		/* bfd_priority: nice, 0: left */
	int no_swap;		/* bfd_no_swap */
	char *cpu_affinity;	/* bfd_cpu_affinity's words */
	unsigned long long cpu_mask;
	int rt_priority;	/* bfd_rt_priority: SCHED_RR, 0: none */
	unsigned rlimit_rttime;	/* bfd_rlimit_rttime: usec, 0: default */
};

struct bfd_conf {
	struct bfd_instance_conf *first, *last;
	unsigned n;
	struct bfd_conf_globals g;
};

int bfd_conf_register(struct conf_registry *r);
void *bfd_conf_new(struct arena *a);
int bfd_conf_finalize(void *conf, struct conf_diag *d);
void bfd_conf_dump(const void *conf, FILE *fp);
const struct bfd_instance_conf *bfd_conf_find(const struct bfd_conf *c,
    const char *name);
/* The same settings (a reload keeps such a session's state). */
int bfd_instance_conf_same(const struct bfd_instance_conf *a,
    const struct bfd_instance_conf *b);
int bfd_conf_diff_text(const void *old, const void *new,
    void (*fn)(void *, unsigned, const char *), void *arg);

#endif
