/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A child at a realtime priority under RLIMIT_RTTIME (lib/proc_rt.h):
 * the VRRP child's vrrp_rt_priority and the health-check child's
 * checker_rt_priority.
 *
 * The limit is RLIMIT_RTTIME's soft one. A start or a takeover of a
 * thousand instances keeps a child busy longer than 10 ms without
 * sleeping; at the soft limit (SIGXCPU) the child goes back to normal
 * scheduling instead of being killed at the hard one, says so, and takes
 * its realtime priority again a second later. The hard limit (the soft
 * one + RTTIME_GRACE) stays as the guard against a runaway loop that
 * would not even take the signal.
 */
#include "autoconfig.h"

#define _GNU_SOURCE 1
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "log.h"
#include "loop.h"
#include "proc_rt.h"

#define RTTIME_GRACE 2000000ULL

static volatile sig_atomic_t rt_dropped;

static struct {
	struct loop_timer *tick;	/* every second while realtime */
	const char *who, *child;
	int prio;
	int base;			/* WHO_rt_priority's (0: none) */
	int on;				/* realtime, as far as it knows */
	rlim_t soft;
	struct rlimit orig;		/* RLIMIT_RTTIME before it took it */
	int orig_saved;
	int waiting;			/* dropped, logged: back next tick */
	/* the child's own count of its blocking (voluntary context
	 * switches) and CPU time (usec) when last looked at, and the CPU
	 * time by which it had last blocked */
	long nvcsw;
	uint64_t cpu, blocked;
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
		log_warn("%s_rlimit_rttime: %s", rt.who, strerror(errno));
	if (sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp) < 0) {
		log_warn("%s_rt_priority %d: %s", rt.who, rt.prio,
		    strerror(errno));
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
			log_info("%s_rt_priority %d: realtime again", rt.who,
			    rt.prio);
		return;
	}
	if (!rt_dropped)
		return;
	rt.waiting = 1;
	log_warn("%s_rt_priority %d: the %s child ran %llu us without "
	    "sleeping (%s_rlimit_rttime): normal scheduling for a second",
	    rt.who, rt.prio, rt.child, (unsigned long long)rt.soft, rt.who);
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

int
proc_rt_counting(void)
{
	return rt.on && !rt_dropped && !rt.waiting;
}

int
proc_rt_prio(void)
{
	return rt.prio;
}

uint64_t
proc_rt_limit(void)
{
	return rt.soft;
}

int
proc_rt_taken(void)
{
	return rt.on;
}

int
proc_rt_look(uint64_t *used, uint64_t *limit, long *nvcsw)
{
	uint64_t cpu;

	if (!proc_rt_counting())
		return -1;
	cpu = rt_sample(nvcsw);
	/* a block seen since the last look counts from that look */
	if (*nvcsw != rt.nvcsw)
		rt.blocked = rt.cpu;
	rt.nvcsw = *nvcsw;
	rt.cpu = cpu;
	*used = cpu - rt.blocked;
	*limit = rt.soft;
	return 0;
}

void
proc_rt_slept(void)
{
	rt.blocked = rt.cpu = rt_sample(&rt.nvcsw);
}

const char *
proc_rt_state(void)
{
	return !rt.on ? "not taken" : rt_dropped || rt.waiting ?
	    "normal scheduling for a second" : "yes";
}

static void
rt_setup(struct event_base *base, const char *who, const char *child,
    int prio, unsigned rttime)
{
	struct sigaction sa;

	if (!rt.orig_saved && getrlimit(RLIMIT_RTTIME, &rt.orig) == 0)
		rt.orig_saved = 1;
	rt.who = who;
	rt.child = child;
	rt.prio = prio;
	rt.soft = rttime > 0 ? rttime : 10000;
	rt.blocked = rt.cpu = rt_sample(&rt.nvcsw);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = rt_on_xcpu;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGXCPU, &sa, NULL) < 0) {
		log_warn("%s_rt_priority %d: SIGXCPU: %s", who, prio,
		    strerror(errno));
		return;
	}
	if (base != NULL && rt.tick == NULL &&
	    (rt.tick = loop_timer_new(base, rt_on_tick, NULL)) != NULL)
		loop_timer_start(rt.tick, 1000000, 1);
	if (rt.tick == NULL)
		log_warn("%s_rt_priority %d: no timer to take the priority "
		    "back after %s_rlimit_rttime", who, prio, who);
	(void)rt_enter();
}

void
proc_rt_apply(struct event_base *base, const char *who, const char *child,
    int prio, unsigned rttime)
{
	rt.base = prio;
	rt_setup(base, who, child, prio, rttime);
}

void
proc_rt_raise(struct event_base *base, const char *who, const char *child,
    int prio, unsigned rttime)
{
	if (rt.tick == NULL) {
		rt_setup(base, who, child, prio, rttime);
		return;
	}
	rt.prio = prio;
	(void)rt_enter();
}

/* Back to normal scheduling (its nice kept) and RLIMIT_RTTIME as it was
 * before the child took realtime; the tick stopped. */
static void
rt_leave(void)
{
	struct sched_param sp = { .sched_priority = 0 };
	struct rlimit cur;

	proc_rt_stop();
	rt.waiting = 0;
	rt_dropped = 0;
	rt.prio = 0;
	if (sched_setscheduler(0, SCHED_OTHER, &sp) < 0)
		log_warn("%s: back to normal scheduling: %s", rt.who,
		    strerror(errno));
	rt.on = 0;
	if (!rt.orig_saved || setrlimit(RLIMIT_RTTIME, &rt.orig) == 0)
		return;
	if (errno != EPERM || getrlimit(RLIMIT_RTTIME, &cur) < 0) {
		log_warn("%s: RLIMIT_RTTIME back: %s", rt.who,
		    strerror(errno));
		return;
	}
	/* raising the hard limit takes CAP_SYS_RESOURCE: the soft one as
	 * near as it goes (the limit bounds realtime scheduling only) */
	cur.rlim_cur = rt.orig.rlim_cur < cur.rlim_max ? rt.orig.rlim_cur :
	    cur.rlim_max;
	if (setrlimit(RLIMIT_RTTIME, &cur) < 0)
		log_warn("%s: RLIMIT_RTTIME back: %s", rt.who,
		    strerror(errno));
	else
		log_info("%s: RLIMIT_RTTIME left at its hard limit %llu us "
		    "(raising it back takes CAP_SYS_RESOURCE)", rt.who,
		    (unsigned long long)cur.rlim_max);
}

void
proc_rt_auto_max(int max)
{
	int to;

	if (max < 0)
		max = 0;
	/* not raised, or within the new bound */
	if (rt.prio <= rt.base || rt.prio <= max)
		return;
	to = max > rt.base ? max : rt.base;
	if (!rt.on && !rt.waiting) {
		/* the kernel refused it: nothing taken to give back */
		rt.prio = to;
		return;
	}
	if (to == 0) {
		log_info("max_auto_priority off: the %s child back to normal "
		    "scheduling from realtime priority %d", rt.child, rt.prio);
		rt_leave();
		return;
	}
	log_info("max_auto_priority %d: the %s child from realtime priority "
	    "%d to %d", max, rt.child, rt.prio, to);
	rt.prio = to;
	/* dropped for a second at RLIMIT_RTTIME: the tick takes it back
	 * at the new priority */
	if (proc_rt_counting())
		(void)rt_enter();
}

void
proc_rt_late(struct event_base *base, const struct proc_rt_auto *a,
    const char *what, uint64_t late)
{
	int next;

	if (a->max <= 0 || late < a->min_delay)
		return;
	/* dropped for a second at RLIMIT_RTTIME: not raised meanwhile */
	if (rt.prio > 0 && !proc_rt_counting())
		return;
	next = rt.on ? rt.prio + 1 : 1;
	if (next > a->max)
		return;
	log_warn("max_auto_priority %d: %s ran %.1f ms late "
	    "(min_auto_priority_delay %.1f ms): realtime priority %d",
	    a->max, what, (double)late / 1e3, (double)a->min_delay / 1e3,
	    next);
	proc_rt_raise(base, a->who, a->child, next, a->rttime);
}

void
proc_rt_stop(void)
{
	if (rt.tick != NULL)
		loop_timer_free(rt.tick);
	rt.tick = NULL;
}
