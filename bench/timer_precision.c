/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Lateness of a 10 ms repeating loop timer (lib/loop.c over libevent)
 * beside a plain clock_nanosleep(TIMER_ABSTIME) loop on the same schedule,
 * run one after the other in this process. Prints figures; never passes or
 * fails. Usage: timer_precision [SECONDS] (default 5 each).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <event2/event.h>

#include "loop.h"

#define PERIOD 10000ULL		/* usec */

struct run {
	uint64_t *late;		/* usec after the scheduled time */
	size_t n, max;
	uint64_t due;		/* the firing being waited for */
	uint64_t end;
	struct event_base *base;
};

static void
record(struct run *r, uint64_t now)
{
	if (r->n < r->max)
		r->late[r->n++] = now >= r->due ? now - r->due : 0;
}

static void
on_timer(struct loop_timer *t, void *arg)
{
	struct run *r = arg;
	uint64_t now = loop_now_usec();

	record(r, now);
	r->due = loop_timer_due(t);
	if (now >= r->end)
		event_base_loopbreak(r->base);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
report(const char *name, struct run *r, uint64_t slots, double *mean,
    uint64_t *p99)
{
	uint64_t sum = 0;
	size_t i;

	if (r->n == 0) {
		printf("%-28s no samples\n", name);
		return;
	}
	qsort(r->late, r->n, sizeof(r->late[0]), cmp_u64);
	for (i = 0; i < r->n; i++)
		sum += r->late[i];
	*mean = (double)sum / (double)r->n;
	*p99 = r->late[r->n * 99 / 100];
	printf("%-28s %8zu %8llu %9.1f %8llu %8llu %8llu\n", name, r->n,
	    (unsigned long long)(slots > r->n ? slots - r->n : 0), *mean,
	    (unsigned long long)r->late[r->n / 2], (unsigned long long)*p99,
	    (unsigned long long)r->late[r->n - 1]);
}

int
main(int argc, char **argv)
{
	unsigned secs = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 5;
	struct run lr = { 0 }, nr = { 0 };
	struct loop_timer *t;
	struct timespec ts;
	uint64_t start, slots, now, p99_l = 0, p99_n = 0;
	double mean_l = 0, mean_n = 0;

	if (secs == 0 || secs > 3600) {
		fprintf(stderr, "usage: %s [SECONDS 1-3600]\n", argv[0]);
		return 2;
	}
	slots = (uint64_t)secs * 1000000 / PERIOD;
	lr.max = nr.max = (size_t)slots + 1;
	lr.late = calloc(lr.max, sizeof(uint64_t));
	nr.late = calloc(nr.max, sizeof(uint64_t));
	if (lr.late == NULL || nr.late == NULL ||
	    (lr.base = loop_new()) == NULL ||
	    (t = loop_timer_new(lr.base, on_timer, &lr)) == NULL) {
		fprintf(stderr, "timer_precision: out of memory\n");
		return 1;
	}

	/* the loop timer: lateness against the schedule it reports */
	start = loop_now_usec();
	lr.end = start + (uint64_t)secs * 1000000;
	if (loop_timer_start(t, PERIOD, 1) == -1)
		return 1;
	lr.due = loop_timer_due(t);
	event_base_dispatch(lr.base);
	loop_timer_free(t);
	event_base_free(lr.base);

	/* the peer: sleep to absolute deadlines on the same grid */
	start = loop_now_usec();
	nr.due = start + PERIOD;
	while (nr.due <= start + (uint64_t)secs * 1000000) {
		ts.tv_sec = (time_t)(nr.due / 1000000);
		ts.tv_nsec = (long)(nr.due % 1000000) * 1000;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
		    NULL) == EINTR)
			;
		now = loop_now_usec();
		record(&nr, now);
		nr.due += PERIOD;
		while (nr.due <= now)	/* skip missed slots, as the loop does */
			nr.due += PERIOD;
	}

	printf("10 ms repeating timer, %u s each, lateness in us\n", secs);
	printf("%-28s %8s %8s %9s %8s %8s %8s\n", "", "firings", "skipped",
	    "mean", "p50", "p99", "max");
	report("loop timer (libevent)", &lr, slots, &mean_l, &p99_l);
	report("clock_nanosleep (peer)", &nr, slots, &mean_n, &p99_n);
	if (mean_n > 0 && p99_n > 0)
		printf("ratio loop/peer: mean %.2f, p99 %.2f\n", mean_l / mean_n,
		    (double)p99_l / (double)p99_n);
	free(lr.late);
	free(nr.late);
	return 0;
}
