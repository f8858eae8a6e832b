/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * max_auto_priority in the checker child, as keepalived 2.2.7 applies it
 * to each of its children (not only the VRRP one): when the child's loop
 * runs a timer at least min_auto_priority_delay late, it takes realtime
 * scheduling (SCHED_RR 1, reset on fork so that checks and scripts do
 * not inherit it), and one more each further time, up to the maximum.
 * keepalived looks at its earliest timer at each turn of its loop; here a
 * watch timer every 100 ms tells how late the loop is. Realtime time is
 * bounded as keepalived bounds it (RLIMIT_RTTIME, 10 ms without blocking
 * by default): at the soft limit (half) SIGXCPU drops the child back to
 * normal scheduling, and the next late timer raises it again.
 */
#include "autoconfig.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "healthcheck/chk_autoprio.h"
#include "log.h"
#include "loop.h"

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

#define WATCH_USEC 100000ULL
#define RTTIME_USEC 10000UL	/* keepalived's RT_RLIMIT_DEFAULT */

static struct {
	struct loop_timer *watch;
	int max;			/* 0 (or -1): off */
	uint64_t min_delay;		/* usec */
	int prio;			/* the realtime priority taken; 0 */
	int limited;			/* RLIMIT_RTTIME and SIGXCPU set */
} ap;

static volatile sig_atomic_t dropped;

static void
on_xcpu(int sig)
{
	struct sched_param sp = { .sched_priority = 0 };

	(void)sig;
	(void)sched_setscheduler(0, SCHED_OTHER, &sp);
	dropped = 1;
}

static int
limit_rttime(void)
{
	struct rlimit rl = { RTTIME_USEC / 2, RTTIME_USEC };
	struct sigaction sa;

	if (ap.limited)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_xcpu;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGXCPU, &sa, NULL) < 0 ||
	    setrlimit(RLIMIT_RTTIME, &rl) < 0)
		return -1;
	ap.limited = 1;
	return 0;
}

static void
raise_prio(uint64_t late)
{
	struct sched_param sp;
	int next;

	if (dropped) {
		dropped = 0;
		log_warn("max_auto_priority: the checker child ran %lu ms "
		    "without blocking: normal scheduling again",
		    RTTIME_USEC / 2000);
		ap.prio = 0;
	}
	next = ap.prio > 0 ? ap.prio + 1 : sched_get_priority_min(SCHED_RR);
	if (next < 1)
		next = 1;
	if (next > ap.max)
		return;
	log_warn("max_auto_priority %d: a checker timer ran %.1f ms late "
	    "(min_auto_priority_delay %.1f ms): realtime priority %d",
	    ap.max, (double)late / 1e3, (double)ap.min_delay / 1e3, next);
	if (limit_rttime() < 0) {
		log_warn("max_auto_priority: cannot bound the realtime time "
		    "(RLIMIT_RTTIME): %s; scheduling left as it is",
		    strerror(errno));
		return;
	}
	memset(&sp, 0, sizeof(sp));
	sp.sched_priority = next;
	if (sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp) < 0) {
		log_warn("max_auto_priority: realtime priority %d: %s", next,
		    strerror(errno));
		return;
	}
	ap.prio = next;
}

static void
on_watch(struct loop_timer *t, void *arg)
{
	uint64_t due = loop_timer_fired(t), now = loop_now_usec();

	(void)arg;
	if (due == 0 || now <= due || now - due < ap.min_delay)
		return;
	if (ap.prio >= ap.max && !dropped)
		return;
	raise_prio(now - due);
}

void
chk_autoprio_set(struct event_base *base, int max, uint64_t min_delay)
{
	ap.max = max;
	ap.min_delay = min_delay > 0 ? min_delay : 1000000;
	if (max <= 0) {
		if (ap.watch != NULL)
			loop_timer_stop(ap.watch);
		return;
	}
	if (ap.watch == NULL &&
	    (ap.watch = loop_timer_new(base, on_watch, NULL)) == NULL) {
		log_warn("max_auto_priority: no timer to watch the checker "
		    "child's lateness: not applied");
		return;
	}
	if (!loop_timer_pending(ap.watch))
		loop_timer_start(ap.watch, WATCH_USEC, 1);
}

void
chk_autoprio_free(void)
{
	if (ap.watch != NULL)
		loop_timer_free(ap.watch);
	ap.watch = NULL;
}
