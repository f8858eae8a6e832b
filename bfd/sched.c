/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bfd_rt_priority and bfd_rlimit_rttime: the BFD child at a realtime
 * priority (SCHED_RR, not inherited by what it forks), its realtime CPU
 * time without a block bounded by RLIMIT_RTTIME as keepalived bounds it.
 * Should the child run that long without sleeping, SIGXCPU takes it back
 * to normal scheduling (the kernel would kill it at the hard limit); a
 * second later it says so and goes realtime again.
 */
#include "autoconfig.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "bfd/sched.h"
#include "log.h"
#include "loop.h"

#define RTTIME_DEFAULT 10000u		/* usec, keepalived's default */
#define RTTIME_GRACE 1000000u		/* hard limit past the soft one */

static volatile sig_atomic_t rt_dropped;
static struct {
	int prio;
	unsigned soft;
	struct loop_timer *tick;
} rt;

static void
on_xcpu(int sig)
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
	struct rlimit rl = { rt.soft, (rlim_t)rt.soft + RTTIME_GRACE };

	if (setrlimit(RLIMIT_RTTIME, &rl) < 0)
		log_warn("bfd_rlimit_rttime %u: %s", rt.soft, strerror(errno));
	if (sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp) < 0) {
		log_warn("bfd_rt_priority %d: %s", rt.prio, strerror(errno));
		return -1;
	}
	return 0;
}

static void
on_tick(struct loop_timer *t, void *arg)
{
	(void)t;
	(void)arg;
	if (!rt_dropped)
		return;
	rt_dropped = 0;
	log_warn("bfd_rt_priority %d: the BFD child ran %u us without "
	    "sleeping (bfd_rlimit_rttime): realtime again after a second of "
	    "normal scheduling", rt.prio, rt.soft);
	(void)rt_enter();
}

void
bfd_sched_rt(struct event_base *base, int prio, unsigned rttime)
{
	struct sigaction sa;

	if (prio <= 0)
		return;
	rt.prio = prio;
	rt.soft = rttime > 0 ? rttime : RTTIME_DEFAULT;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_xcpu;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGXCPU, &sa, NULL) < 0) {
		log_warn("bfd_rt_priority %d: SIGXCPU: %s", prio,
		    strerror(errno));
		return;
	}
	if (rt.tick == NULL &&
	    (rt.tick = loop_timer_new(base, on_tick, NULL)) != NULL)
		loop_timer_start(rt.tick, 1000000, 1);
	if (rt_enter() == 0)
		log_info("bfd_rt_priority %d: realtime (SCHED_RR), at most %u "
		    "us without sleeping", prio, rt.soft);
}

void
bfd_sched_stop(void)
{
	loop_timer_free(rt.tick);
	rt.tick = NULL;
}
