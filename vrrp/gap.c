/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A gap in the VRRP child's deadlines for work that cannot be cut. */
#include "vrrp/gap.h"

#include <stdlib.h>

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t
vrrp_gap_wait(const struct vrrp_gap_due *d, size_t n, uint64_t now,
    uint64_t need, uint64_t horizon)
{
	uint64_t end = now + horizon + need, *pt, start, best = 0;
	uint64_t best_gap = 0, after;
	size_t np = 0;

	if (n == 0)
		return 0;
	/* the firings are listed whole up to end: a repeating deadline's
	 * last one looked at ends it (else the room past it is made up) */
	for (size_t i = 0; i < n; i++)
		if (d[i].every > 0 && d[i].at + (VRRP_GAP_MAX_REPEAT - 1) *
		    d[i].every < end)
			end = d[i].at + (VRRP_GAP_MAX_REPEAT - 1) * d[i].every;
	if ((pt = malloc(n * VRRP_GAP_MAX_REPEAT * sizeof(*pt))) == NULL)
		return 0;
	for (size_t i = 0; i < n; i++)
		for (uint64_t at = d[i].at; at < end; at += d[i].every) {
			pt[np++] = at;
			if (d[i].every == 0)
				break;
		}
	qsort(pt, np, sizeof(*pt), u64_cmp);
	/* a candidate start is now or just after a firing; one at or before
	 * the start (overdue) runs first, so it opens no gap before itself */
	start = now;
	for (size_t i = 0; i < np && start + need <= end; i++) {
		if (pt[i] > start) {
			uint64_t gap = pt[i] - start;

			if (gap >= need)
				break;
			if (gap > best_gap) {
				best_gap = gap;
				best = start - now;
			}
		}
		/* an overdue one runs on the loop's next turn */
		after = (pt[i] > now ? pt[i] : now) + VRRP_GAP_AFTER_USEC;
		if (after > start)
			start = after;
	}
	free(pt);
	/* a gap long enough, or the room after the last firing */
	return start + need <= end ? start - now : best;
}

int
vrrp_gap_rt_block(uint64_t used, uint64_t cost, uint64_t limit)
{
	if (used <= VRRP_RT_FRESH_USEC)
		return 0;
	/* a quarter more than the piece took last time */
	return used + cost + cost / 4 >= limit / 2;
}
