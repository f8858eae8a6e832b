/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * max_auto_priority and min_auto_priority_delay (global_defs) in the
 * checker child, as keepalived 2.2.7 applies them to every child: a timer
 * of its loop run at least min_delay usec late raises it to realtime
 * scheduling, one step each time, up to max (0 or -1: off).
 */
#ifndef VIGIL_CHK_AUTOPRIO_H
#define VIGIL_CHK_AUTOPRIO_H

#include <stdint.h>

struct event_base;

/* At start and at each reload; rttime: checker_rlimit_rttime (usec, 0:
 * 10 ms). */
void chk_autoprio_set(struct event_base *base, int max, uint64_t min_delay,
    unsigned rttime);
void chk_autoprio_free(void);

#endif
