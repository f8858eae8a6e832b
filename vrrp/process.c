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
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <signal.h>

#include "global_conf.h"
#include "log.h"
#include "loop.h"
#include "proc.h"
#include "vrrp/config.h"
#include "vrrp/engine_priv.h"
#include "vrrp/gap.h"

/*
 * vrrp_rt_priority with vrrp_rlimit_rttime: the limit is RLIMIT_RTTIME's
 * soft one. A start or a takeover of a thousand instances keeps the
 * child busy longer than 10 ms without sleeping; at the soft limit
 * (SIGXCPU) the child goes back to normal scheduling instead of being
 * killed at the hard one, says so, and takes its realtime priority again
 * a second later. The hard limit (the soft one + RTTIME_GRACE) stays as
 * the guard against a runaway loop that would not even take the signal.
 */
#define RTTIME_GRACE 2000000ULL

static volatile sig_atomic_t rt_dropped;

static struct {
	struct loop_timer *tick;	/* every second while realtime */
	int prio;
	int on;				/* realtime, as far as it knows */
	rlim_t soft;
	int waiting;			/* dropped, logged: back next tick */
	/* the child's own count of its blocking (voluntary context
	 * switches) and CPU time (usec) when last looked at, the CPU time
	 * by which it had last blocked, and whether the loop was asked to
	 * sleep (at that count of switches) */
	long nvcsw;
	uint64_t cpu, blocked;
	int asked;
	long asked_nvcsw;
	uint64_t asked_at;		/* when (monotonic usec) */
	/* the pieces the loop slept before, or the child here */
	uint64_t loop_sleeps, here_sleeps;
} rt;

static void
rt_on_xcpu(int sig)
{
	struct sched_param sp = { .sched_priority = 0 };

	(void)sig;
	/* async-signal-safe: a system call and a flag */
	sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &sp);
	rt_dropped = 1;
}

static int
rt_enter(void)
{
	struct sched_param sp = { .sched_priority = rt.prio };
	struct rlimit rl = { rt.soft, rt.soft + RTTIME_GRACE };

	/* the kernel moved the soft limit on by a second at the signal */
	if (setrlimit(RLIMIT_RTTIME, &rl) < 0)
		log_warn("vrrp_rlimit_rttime: %s", strerror(errno));
	if (sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp) < 0) {
		log_warn("vrrp_rt_priority %d: %s", rt.prio, strerror(errno));
		rt.on = 0;
		return -1;
	}
	rt.on = 1;
	return 0;
}

static void
rt_on_tick(struct loop_timer *t, void *arg)
{
	(void)t;
	(void)arg;
	if (rt.waiting) {
		rt.waiting = 0;
		rt_dropped = 0;
		if (rt_enter() == 0)
			log_info("vrrp_rt_priority %d: realtime again", rt.prio);
		return;
	}
	if (!rt_dropped)
		return;
	rt.waiting = 1;
	log_warn("vrrp_rt_priority %d: the VRRP child ran %llu us without "
	    "sleeping (vrrp_rlimit_rttime): normal scheduling for a second",
	    rt.prio, (unsigned long long)rt.soft);
}

/* The child's CPU time (usec) and count of voluntary context switches:
 * the kernel resets its RLIMIT_RTTIME count when the child wakes from a
 * block, and a block is such a switch. */
static uint64_t
rt_sample(long *nvcsw)
{
	struct rusage ru;

	*nvcsw = getrusage(RUSAGE_THREAD, &ru) == 0 ? ru.ru_nvcsw : 0;
	return loop_thread_cpu_usec();
}

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
/* Whether the child is at its realtime priority now (the limit counts). */
static int
rt_counting(void)
{
	return rt.on && !rt_dropped && !rt.waiting;
}

/* A look at the clocks: the CPU time (usec) the child has run since it
 * last blocked, at most (a block seen since the last look counts from
 * that look); nvcsw the count of blocks now. */
static uint64_t
rt_look(long *nvcsw)
{
	uint64_t cpu = rt_sample(nvcsw);

	if (*nvcsw != rt.nvcsw)
		rt.blocked = rt.cpu;
	rt.nvcsw = *nvcsw;
	rt.cpu = cpu;
	return cpu - rt.blocked;
}

int
vrrp_process_rt_used(uint64_t *used, uint64_t *limit)
{
	long nvcsw;

	if (!rt_counting())
		return -1;
	*used = rt_look(&nvcsw);
	*limit = rt.soft;
	return 0;
}

int
vrrp_process_rt_need(uint64_t cost)
{
	long nvcsw;

	if (!rt_counting())
		return VRRP_RT_RUN;
	if (!vrrp_gap_rt_block(rt_look(&nvcsw), cost, rt.soft)) {
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
	rt.blocked = rt.cpu = rt_sample(&rt.nvcsw);
	rt.here_sleeps++;
}

void
vrrp_process_rt_dump(FILE *fp)
{
	if (rt.prio == 0)
		return;
	fprintf(fp, " Realtime (vrrp_rt_priority %d, vrrp_rlimit_rttime %llu "
	    "us) = %s, sleeps before a piece: %llu in the loop, %llu "
	    "outside it\n", rt.prio, (unsigned long long)rt.soft,
	    !rt.on ? "not taken" : rt_dropped || rt.waiting ?
	    "normal scheduling for a second" : "yes",
	    (unsigned long long)rt.loop_sleeps,
	    (unsigned long long)rt.here_sleeps);
}

static void
rt_apply(struct event_base *base, int prio, unsigned rttime)
{
	struct sigaction sa;

	rt.prio = prio;
	rt.soft = rttime > 0 ? rttime : 10000;
	rt.blocked = rt.cpu = rt_sample(&rt.nvcsw);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = rt_on_xcpu;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGXCPU, &sa, NULL) < 0) {
		log_warn("vrrp_rt_priority %d: SIGXCPU: %s", prio,
		    strerror(errno));
		return;
	}
	if (base != NULL && rt.tick == NULL &&
	    (rt.tick = loop_timer_new(base, rt_on_tick, NULL)) != NULL)
		loop_timer_start(rt.tick, 1000000, 1);
	if (rt.tick == NULL)
		log_warn("vrrp_rt_priority %d: no timer to take the priority "
		    "back after vrrp_rlimit_rttime", prio);
	(void)rt_enter();
}

/*
 * max_auto_priority with min_auto_priority_delay, as keepalived raises
 * its processes': an advert that ran at least the delay late takes the
 * child to realtime priority 1 (with vrrp_rlimit_rttime's limit, as
 * vrrp_rt_priority does), and each further one up by one, to the
 * maximum. A realtime priority dropped for a second (RLIMIT_RTTIME) is
 * not raised meanwhile.
 */
static struct {
	struct event_base *base;
	int max;			/* 0 (or -1): off */
	uint64_t min_delay;		/* usec */
	unsigned rttime;
} autop;

void
vrrp_process_auto_set(struct event_base *base, const struct vrrp_conf *c,
    const struct global_conf *g)
{
	autop.base = base;
	autop.max = g != NULL ? g->max_auto_priority : 0;
	autop.min_delay = g != NULL ? g->min_auto_priority_delay : 1000000;
	autop.rttime = c->g.rlimit_rttime;
}

void
vrrp_process_late(uint64_t late)
{
	int next;

	if (autop.max <= 0 || late < autop.min_delay)
		return;
	if (rt.prio > 0 && !rt_counting())
		return;
	next = rt.on ? rt.prio + 1 : 1;
	if (next > autop.max)
		return;
	log_warn("max_auto_priority %d: an advert ran %.1f ms late "
	    "(min_auto_priority_delay %.1f ms): realtime priority %d",
	    autop.max, (double)late / 1e3, (double)autop.min_delay / 1e3,
	    next);
	if (rt.tick == NULL)
		rt_apply(autop.base, next, autop.rttime);
	else {
		rt.prio = next;
		(void)rt_enter();
	}
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
	if (rt.tick != NULL)
		loop_timer_free(rt.tick);
	rt.tick = NULL;
}

void
vrrp_process_apply(struct event_base *base, const struct vrrp_conf *c)
{
	const struct vrrp_conf_globals *g = &c->g;

	proc_sched_apply("vrrp", g->process_priority, g->no_swap, 0, NULL);
	vrrp_process_local_igmp(c);
	if (g->rt_priority > 0)
		rt_apply(base, g->rt_priority, g->rlimit_rttime);
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
