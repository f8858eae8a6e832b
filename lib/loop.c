/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Event loop glue: the base with precise monotonic timers, libevent's own
 * messages routed to our log, and drift-free repeating timers.
 */
#include "loop.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include <event2/event.h>

#include "log.h"

struct loop_timer {
	struct event_base *base;
	struct event *ev;
	loop_timer_fn *fn;
	void *arg;
	uint64_t interval;	/* usec; repeat period */
	uint64_t due;		/* monotonic usec of the scheduled firing */
	uint64_t fired;		/* the due time of the firing running */
	int repeat;
};

static void
loop_event_log(int severity, const char *msg)
{
	int prio;

	switch (severity) {
	case EVENT_LOG_DEBUG:
		prio = LOG_DEBUG;
		break;
	case EVENT_LOG_MSG:
		prio = LOG_INFO;
		break;
	case EVENT_LOG_WARN:
		prio = LOG_WARNING;
		break;
	default:
		prio = LOG_ERR;
		break;
	}
	log_msg(prio, "libevent: %s", msg);
}

struct event_base *
loop_new(void)
{
	struct event_config *cfg;
	struct event_base *base;
	struct timeval turn;

	event_set_log_callback(loop_event_log);
	cfg = event_config_new();
	if (cfg == NULL)
		return NULL;
	turn = loop_tv(LOOP_TURN_USEC);
	/*
	 * PRECISE_TIMER: the fine monotonic clock (and timerfd with epoll).
	 * NO_CACHE_TIME: libevent otherwise computes the next wait from the
	 * time cached before the callbacks ran, so one slow callback makes
	 * every timer late by its duration.
	 * The dispatch interval: libevent otherwise runs every callback that
	 * was due when the turn began before it looks at the clock again, so
	 * an URGENT timer falling due during a long burst of HIGH ones waits
	 * for all of them.
	 */
	if (event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER) != 0 ||
	    event_config_set_flag(cfg, EVENT_BASE_FLAG_NO_CACHE_TIME) != 0 ||
	    event_config_set_max_dispatch_interval(cfg, &turn, -1,
	    LOOP_PRIO_HIGH) != 0) {
		event_config_free(cfg);
		return NULL;
	}
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	if (base == NULL) {
		log_err("event loop: cannot create event base");
		return NULL;
	}
	if (event_base_priority_init(base, LOOP_NPRIO) != 0) {
		log_err("event loop: cannot set event priorities");
		event_base_free(base);
		return NULL;
	}
	return base;
}

uint64_t
loop_now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t
loop_thread_cpu_usec(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

struct timeval
loop_tv(uint64_t usec)
{
	struct timeval tv;

	tv.tv_sec = (time_t)(usec / 1000000u);
	tv.tv_usec = (suseconds_t)(usec % 1000000u);
	return tv;
}

/*
 * Arm the event for t->due. libevent adds a relative timeout to its idea
 * of "now"; refresh it (a no-op unless the base caches time) so the
 * absolute deadline is the one we computed.
 */
static int
loop_timer_arm(struct loop_timer *t)
{
	struct timeval tv;
	uint64_t now;

	event_base_update_cache_time(t->base);
	now = loop_now_usec();
	tv = loop_tv(t->due > now ? t->due - now : 0);
	return evtimer_add(t->ev, &tv);
}

static void
loop_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct loop_timer *t = arg;
	uint64_t now;

	(void)fd;
	(void)what;
	t->fired = t->due;
	if (t->repeat) {
		/* Next firing counts from the schedule, not from now; if we
		 * fell behind by whole periods, skip them rather than burst. */
		now = loop_now_usec();
		t->due += t->interval;
		if (t->due <= now)
			t->due += ((now - t->due) / t->interval + 1) *
			    t->interval;
		if (loop_timer_arm(t) != 0)
			log_err("timer: cannot re-arm repeating timer");
	}
	/* Last use of t: fn may stop, restart or free it. */
	t->fn(t, t->arg);
}

struct loop_timer *
loop_timer_new(struct event_base *base, loop_timer_fn *fn, void *arg)
{
	struct loop_timer *t;

	if (base == NULL || fn == NULL) {
		errno = EINVAL;
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->base = base;
	t->fn = fn;
	t->arg = arg;
	t->ev = evtimer_new(base, loop_timer_cb, t);
	if (t->ev == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

int
loop_timer_start(struct loop_timer *t, uint64_t usec, int repeat)
{
	if (t == NULL || (repeat && usec == 0)) {
		errno = EINVAL;
		return -1;
	}
	evtimer_del(t->ev);
	t->interval = usec;
	t->repeat = repeat != 0;
	t->due = loop_now_usec() + usec;
	return loop_timer_arm(t);
}

void
loop_timer_stop(struct loop_timer *t)
{
	if (t == NULL)
		return;
	t->repeat = 0;
	evtimer_del(t->ev);
}

int
loop_timer_set_priority(struct loop_timer *t, int prio)
{
	if (t == NULL || prio < 0 || prio >= LOOP_NPRIO) {
		errno = EINVAL;
		return -1;
	}
	return event_priority_set(t->ev, prio);
}

int
loop_timer_pending(const struct loop_timer *t)
{
	if (t == NULL)
		return 0;
	return evtimer_pending(t->ev, NULL) != 0;
}

uint64_t
loop_timer_due(const struct loop_timer *t)
{
	if (!loop_timer_pending(t))
		return 0;
	return t->due;
}

uint64_t
loop_timer_fired(const struct loop_timer *t)
{
	return t != NULL ? t->fired : 0;
}

void
loop_timer_free(struct loop_timer *t)
{
	if (t == NULL)
		return;
	event_free(t->ev);
	free(t);
}
