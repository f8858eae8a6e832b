/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * max_auto_priority in the checker child, as keepalived 2.2.7 applies it
 * to each of its children (not only the VRRP one): when the child's loop
 * runs a timer at least min_auto_priority_delay late, it takes realtime
 * scheduling (SCHED_RR 1, reset on fork so that checks and scripts do
 * not inherit it), and one more each further time, up to the maximum,
 * by lib/proc_rt.c as the VRRP child (under checker_rlimit_rttime).
 * keepalived looks at its earliest timer at each turn of its loop; here a
 * watch timer every 100 ms tells how late the loop is.
 */
#include "autoconfig.h"

#include <stddef.h>

#include "healthcheck/chk_autoprio.h"
#include "log.h"
#include "loop.h"
#include "proc_rt.h"

#define WATCH_USEC 100000ULL

static struct {
	struct event_base *base;
	struct loop_timer *watch;
	struct proc_rt_auto a;
} ap;

static void
on_watch(struct loop_timer *t, void *arg)
{
	uint64_t due = loop_timer_fired(t), now = loop_now_usec();

	(void)arg;
	if (due == 0 || now <= due)
		return;
	proc_rt_late(ap.base, &ap.a, "a checker timer", now - due);
}

void
chk_autoprio_set(struct event_base *base, int max, uint64_t min_delay,
    unsigned rttime)
{
	ap.base = base;
	ap.a.who = "checker";
	ap.a.child = "health-check";
	ap.a.max = max;
	ap.a.min_delay = min_delay > 0 ? min_delay : 1000000;
	ap.a.rttime = rttime;
	/* a reload that lowers or removes it: the child as if started so */
	proc_rt_auto_max(max);
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
