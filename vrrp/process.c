/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP child's own process settings from global_defs (vrrp_priority,
 * vrrp_no_swap, vrrp_rt_priority, vrrp_rlimit_rttime, vrrp_cpu_affinity),
 * as keepalived applies them to its VRRP process, and the warnings for
 * what the configuration asks and the engine does not do yet.
 */
#include "autoconfig.h"

#define _GNU_SOURCE 1
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "log.h"
#include "vrrp/config.h"
#include "vrrp/engine_priv.h"

void
vrrp_process_apply(const struct vrrp_conf *c)
{
	const struct vrrp_conf_globals *g = &c->g;

	if (g->process_priority != 0 &&
	    setpriority(PRIO_PROCESS, 0, g->process_priority) < 0)
		log_warn("vrrp_priority %d: %s", g->process_priority,
		    strerror(errno));
	if (g->no_swap && mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
		log_warn("vrrp_no_swap: %s", strerror(errno));
	if (g->rt_priority > 0) {
		struct sched_param sp = { .sched_priority = g->rt_priority };
		/* a runaway realtime loop must not hang the machine */
		rlim_t cpu = g->rlimit_rttime > 0 ? g->rlimit_rttime : 10000;
		struct rlimit rl = { cpu, cpu };

		if (setrlimit(RLIMIT_RTTIME, &rl) < 0)
			log_warn("vrrp_rlimit_rttime: %s", strerror(errno));
		if (sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK,
		    &sp) < 0)
			log_warn("vrrp_rt_priority %d: %s", g->rt_priority,
			    strerror(errno));
	}
	if (g->cpu_mask != 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		for (unsigned i = 0; i < 64; i++)
			if (g->cpu_mask & (1ULL << i))
				CPU_SET(i, &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			log_warn("vrrp_cpu_affinity %s: %s", g->cpu_affinity,
			    strerror(errno));
	}
}

void
vrrp_process_warn(const struct vrrp_instance_conf *i)
{
	/* an instance whose interface is in a VRF follows it; "vrf" names
	 * the VRF of a unicast instance without an interface, which does
	 * not run yet (it waits in FAULT) */
	if (i->vrf != NULL)
		log_warn("%s:%u: vrrp_instance %s: vrf %s not supported yet "
		    "(a unicast instance without an interface stays in FAULT)",
		    i->vrf_loc.file, i->vrf_loc.line, i->name, i->vrf);
	else if (i->interface == NULL)
		log_warn("%s:%u: vrrp_instance %s: a unicast instance without "
		    "an interface is not supported yet (it stays in FAULT)",
		    i->loc.file, i->loc.line, i->name);
}

void
vrrp_process_warn_globals(const struct vrrp_conf *c)
{
	const struct vrrp_conf_globals *g = &c->g;

	/* the VIPs of instances without accept mode are firewalled with
	 * nftables (vrrp/nft.h) */
	if (g->use_iptables || g->use_ipsets)
		log_warn("vrrp_iptables / vrrp_ipsets not supported yet: "
		    "nftables is used instead (table inet %s)",
		    g->nft_table != NULL ? g->nft_table : "keepalived");
}
