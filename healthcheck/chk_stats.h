/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's IPVS counters of the checker child's virtual and real
 * servers (healthcheck/chk_stats.c): read in rounds through the data-plane
 * backend while a reader wants them, the changes sent to the parent.
 *
 * Demand: the parent asks the child for a snapshot whenever a reader
 * (vigilctl, a metrics scrape, the SNMP agent, a dump) needs fresh state;
 * chk_stats_asked() is told. A request that finds the counters older than
 * the interval starts a round at once (a table of at most
 * CHK_STATS_BUDGET kernel services is read before the snapshot is taken;
 * a larger one holds the snapshot until the round is over, at most
 * CHK_STATS_HOLD_S, so that the first request after a quiet spell
 * answers fresh counters too; later ones do not wait);
 * then a round runs every interval for CHK_STATS_IDLE_S seconds after the
 * last request, and none while nobody asks.
 *
 * A round: one dump of the kernel's services (their counters), then the
 * destinations of CHK_STATS_BUDGET kernel services per turn of the loop,
 * so that checks keep their schedule at 10,000 services. Each virtual
 * server read is compared with what was last sent: a counter that changed
 * goes to the parent in a counters record (IPC_OBJ_COUNTERS, only the
 * keys that changed); a server the kernel starts or stops holding gets a
 * whole record.
 */
#ifndef VIGIL_CHK_STATS_H
#define VIGIL_CHK_STATS_H

#include <stdio.h>

struct event_base;
struct chk_engine;
struct chk_stats;

#define CHK_STATS_INTERVAL_S 5	/* ipvs_stats_interval's default */
#define CHK_STATS_IDLE_S 600	/* rounds go on this long after a request */
#define CHK_STATS_BUDGET 64	/* kernel services read per loop turn */
#define CHK_STATS_HOLD_S 10	/* a snapshot waits this long for a round */

/* A counters record: attrs holds the changed ipvs_* keys. */
typedef void chk_stats_send_fn(void *arg, const char *kind, const char *name,
    const char *attrs);

/* NULL when out of memory. The engine's hooks send whole records. */
struct chk_stats *chk_stats_new(struct event_base *base, struct chk_engine *e,
    chk_stats_send_fn *send, void *arg);
void chk_stats_free(struct chk_stats *s);
/* ipvs_stats_interval: seconds between rounds; 0: never read. */
void chk_stats_interval(struct chk_stats *s, unsigned seconds);
/* A held snapshot can be taken now (the round is over, or the hold's
 * bound passed). */
typedef void chk_stats_ready_fn(void *arg);
void chk_stats_on_ready(struct chk_stats *s, chk_stats_ready_fn *fn,
    void *arg);
/* A reader asked for fresh state (before the snapshot is taken). Returns
 * 1 when the counters were older than the interval and the round this
 * request started runs over several turns of the loop: the snapshot
 * waits for it, and the ready function (chk_stats_on_ready; without one,
 * 0) is called once it ends, or after CHK_STATS_HOLD_S; a request while
 * one waits joins it. 0: take it now (the rounds that go on every
 * interval while readers ask keep the counters fresh enough). */
int chk_stats_asked(struct chk_stats *s);
void chk_stats_dump(const struct chk_stats *s, FILE *fp);

#endif
