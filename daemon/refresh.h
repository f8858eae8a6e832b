/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fresh counters before an answer: ask every running child for a snapshot
 * (IPC_SNAPSHOT_REQ) and call back once each has sent the snapshot that
 * answers that request whole (IPC_STATE_END; struct ipc_state.answers),
 * has gone away or been restarted, or the bound has passed (and no
 * snapshot it waits for is arriving). The control
 * socket's status, a metrics scrape and the SNMP agent call it before they
 * read the store.
 */
#ifndef VIGIL_REFRESH_H
#define VIGIL_REFRESH_H

#include <stdint.h>

struct supervisor;

/* A child answers at once; one that holds the snapshot for work of its
 * own (IPC_SNAPSHOT_HELD: the checker child's round of IPVS counters, at
 * most CHK_STATS_HOLD_S, healthcheck/chk_stats.h) says so and is waited
 * for up to the hold's bound, as is a snapshot still arriving (polled
 * every REFRESH_POLL_USEC): both up to the hard bound, REFRESH_MAX_USEC
 * after the request unless the caller gives one (within vigilctl's
 * default 30 s). */
#define REFRESH_WAIT_USEC (5ULL * 1000000)
#define REFRESH_POLL_USEC (250ULL * 1000)
#define REFRESH_MAX_USEC (25ULL * 1000000)

/* timed_out: 1 when the bound passed before every child answered (the
 * store then holds what they said before). */
typedef void refresh_fn(void *arg, int timed_out);

/*
 * Ask; fn(arg) is called exactly once later (never from inside this call):
 * once every child asked answered, or after wait_usec (0:
 * REFRESH_WAIT_USEC) when no child holds or is still sending the snapshot
 * asked, at the latest after max_usec (0: REFRESH_MAX_USEC). -1 when out
 * of memory: fn is then never called.
 */
int refresh_request(struct supervisor *sv, uint64_t wait_usec,
    uint64_t max_usec, refresh_fn *fn, void *arg);
/* The caller went away: its pending refreshes end without calling it. */
void refresh_cancel(struct supervisor *sv, void *arg);
/* A child sent state or went away (slot.c): finish what waited for it. */
void refresh_update(struct supervisor *sv);
/* At exit: drop every pending refresh without calling back. */
void refresh_fini(struct supervisor *sv);

#endif
