/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP child's own process settings from global_defs (vrrp_priority,
 * vrrp_no_swap, vrrp_rt_priority, vrrp_rlimit_rttime, vrrp_cpu_affinity,
 * disable_local_igmp), as keepalived applies them to its VRRP process,
 * and the warnings for
 * what the configuration asks and the engine does not do yet.
 */
#include "autoconfig.h"

#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "global_conf.h"
#include "log.h"
#include "loop.h"
#include "proc.h"
#include "proc_rt.h"
#include "vrrp/config.h"
#include "vrrp/engine_priv.h"
#include "vrrp/gap.h"

/*
 * vrrp_rt_priority with vrrp_rlimit_rttime: lib/proc_rt.c takes the
 * priority and the limit (as the health-check child's checker_rt_priority
 * does); here, whether a piece of VRRP work has to wait for a sleep.
 */
static struct {
	/* whether the loop was asked to sleep (at that count of switches) */
	int asked;
	long asked_nvcsw;
	uint64_t asked_at;		/* when (monotonic usec) */
	/* the pieces the loop slept before, or the child here */
	uint64_t loop_sleeps, here_sleeps;
} rt;

/*
 * Before a piece of work of cost usec that cannot be cut (a reload's
 * piece, a snapshot's or a dump's part, a slice of the work queue):
 * whether the time run since the child last blocked and the piece would
 * come near vrrp_rlimit_rttime (vrrp_gap_rt_block). VRRP_RT_RUN: run it
 * now. VRRP_RT_LOOP: the loop is to sleep first (epoll_wait on a timer,
 * so that an advert due meanwhile goes on time); the piece asks again
 * when the sleep ends. VRRP_RT_HERE: the loop was asked to and did not
 * block (events kept it busy): the child is to sleep here
 * (vrrp_process_rt_sleep) before the piece. Asked again before the
 * loop could have slept (work in the same turn of the loop: a mass
 * takeover's thousand timers due at once), VRRP_RT_LOOP again, at the
 * cost of a system call: each waits for the sleep the first asked for.
 */
int
vrrp_process_rt_used(uint64_t *used, uint64_t *limit)
{
	long nvcsw;

	return proc_rt_look(used, limit, &nvcsw);
}

int
vrrp_process_rt_need(uint64_t cost)
{
	uint64_t used, limit;
	long nvcsw;

	if (proc_rt_look(&used, &limit, &nvcsw) < 0)
		return VRRP_RT_RUN;
	if (!vrrp_gap_rt_block(used, cost, limit)) {
		rt.asked = 0;
		return VRRP_RT_RUN;
	}
	if (rt.asked && rt.asked_nvcsw == nvcsw) {
		uint64_t now = loop_now_usec();

		if (now - rt.asked_at < VRRP_RT_PAUSE_USEC)
			return VRRP_RT_LOOP;
		rt.asked_at = now;
		return VRRP_RT_HERE;
	}
	rt.asked = 1;
	rt.asked_nvcsw = nvcsw;
	rt.asked_at = loop_now_usec();
	rt.loop_sleeps++;
	return VRRP_RT_LOOP;
}

void
vrrp_process_rt_sleep(void)
{
	struct timespec ts = { 0, VRRP_RT_PAUSE_USEC * 1000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	rt.asked = 0;
	proc_rt_slept();
	rt.here_sleeps++;
}

void
vrrp_process_rt_dump(FILE *fp)
{
	if (proc_rt_prio() == 0)
		return;
	fprintf(fp, " Realtime (vrrp_rt_priority %d, vrrp_rlimit_rttime %llu "
	    "us) = %s, sleeps before a piece: %llu in the loop, %llu "
	    "outside it\n", proc_rt_prio(), (unsigned long long)proc_rt_limit(),
	    proc_rt_state(), (unsigned long long)rt.loop_sleeps,
	    (unsigned long long)rt.here_sleeps);
}

/* max_auto_priority with min_auto_priority_delay: an advert run late
 * (lib/proc_rt.c's proc_rt_late) */
static struct {
	struct event_base *base;
	struct proc_rt_auto a;
} autop;

void
vrrp_process_auto_set(struct event_base *base, const struct vrrp_conf *c,
    const struct global_conf *g)
{
	autop.base = base;
	autop.a.who = "vrrp";
	autop.a.child = "VRRP";
	autop.a.max = g != NULL ? g->max_auto_priority : 0;
	autop.a.min_delay = g != NULL ? g->min_auto_priority_delay : 1000000;
	autop.a.rttime = c->g.rlimit_rttime;
	/* a reload that lowers or removes it: the child as if started so */
	proc_rt_auto_max(autop.a.max);
}

void
vrrp_process_late(uint64_t late)
{
	proc_rt_late(autop.base, &autop.a, "an advert", late);
}

/*
 * disable_local_igmp: net.ipv4.igmp_link_local_mcast_reports off while
 * the child runs (IGMP reports for 224.0.0.0/24, a VMAC's among them,
 * are not sent), back on at its stop when it was on, as keepalived does.
 * Followed at a reload too (keepalived asks for a restart).
 */
#define IGMP_LLM_REPORTS "/proc/sys/net/ipv4/igmp_link_local_mcast_reports"

static int igmp_turned_off;	/* we wrote 0 over a 1 */

static void
igmp_write(char v)
{
	int fd = open(IGMP_LLM_REPORTS, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, &v, 1) != 1)
		log_warn("disable_local_igmp: cannot write %s: %s",
		    IGMP_LLM_REPORTS, strerror(errno));
	else if (v == '0')
		igmp_turned_off = 1;
	if (fd >= 0)
		close(fd);
}

void
vrrp_process_local_igmp(const struct vrrp_conf *c)
{
	char v = 0;
	int fd;

	if (!c->g.disable_local_igmp) {
		if (igmp_turned_off) {
			igmp_write('1');
			igmp_turned_off = 0;
		}
		return;
	}
	if (igmp_turned_off)
		return;
	if ((fd = open(IGMP_LLM_REPORTS, O_RDONLY | O_CLOEXEC)) < 0 ||
	    read(fd, &v, 1) != 1) {
		log_warn("disable_local_igmp: cannot read %s: %s (the kernel "
		    "does not have it before Linux 4.3)", IGMP_LLM_REPORTS,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	if (v == '1')
		igmp_write('0');
}

void
vrrp_process_stop(void)
{
	if (igmp_turned_off) {
		igmp_write('1');
		igmp_turned_off = 0;
	}
	proc_rt_stop();
}

void
vrrp_process_apply(struct event_base *base, const struct vrrp_conf *c)
{
	const struct vrrp_conf_globals *g = &c->g;

	proc_sched_apply("vrrp", g->process_priority, g->no_swap, 0, NULL);
	vrrp_process_local_igmp(c);
	if (g->rt_priority > 0)
		proc_rt_apply(base, "vrrp", "VRRP", g->rt_priority,
		    g->rlimit_rttime);
	proc_sched_apply("vrrp", 0, 0, g->cpu_mask, g->cpu_affinity);
}

void
vrrp_process_warn_globals(const struct vrrp_conf *c)
{
	const struct vrrp_conf_globals *g = &c->g;
	const struct conf_loc *ipt = &g->iptables_loc, *set = &g->ipsets_loc;

	/* the backend is chosen in vrrp_action_fw_sync (vrrp/fw.h): as
	 * keepalived 2.2.7, nftables when both are given, and vrrp_ipsets
	 * only with vrrp_iptables */
	if (ipt->file != NULL && g->use_nftables)
		log_warn("%s:%u: vrrp_iptables ignored: nftables is configured "
		    "too and wins (table inet %s)", ipt->file, ipt->line,
		    g->nft_table != NULL ? g->nft_table : "keepalived");
	if (set->file != NULL && (ipt->file == NULL || g->use_nftables))
		log_warn("%s:%u: vrrp_ipsets ignored: %s", set->file,
		    set->line, ipt->file == NULL ? "no vrrp_iptables" :
		    "vrrp_iptables is not used");
}
