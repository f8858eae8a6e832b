/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parent's HTTP listener (global_defs metrics_listen ADDR:PORT; off
 * unless set): GET /metrics (Prometheus text, or OpenMetrics when the
 * Accept header asks for it), GET / (the status page) and GET /state.json.
 * Read-only; counters are refreshed from the children first (at most
 * once per METRICS_FRESH_USEC, shared by the requests waiting). A client never holds the parent up: requests are small and
 * bounded, connections are capped (the oldest one that has not asked
 * anything yet makes room for a new one) and live at most
 * METRICS_CONN_LIFE_USEC, and the listener's events run after the
 * children's at the loop's low priority.
 */
#ifndef VIGIL_METRICS_H
#define VIGIL_METRICS_H

#define METRICS_MAX_CONNS 64
#define METRICS_MAX_HEADERS 8192	/* bytes of request line and headers */
#define METRICS_IDLE_SECS 10		/* no byte from the client: closed */
#define METRICS_CONN_LIFE_USEC (30ULL * 1000000)
/* Counters are asked of the children before an answer unless the last
 * snapshot is younger than this; a child slower than the wait is
 * answered for with what it said before, unless it holds the snapshot
 * for its round of IPVS counters (the first scrape after a quiet spell)
 * or is still sending it: that is waited for up to the hard bound, below
 * Prometheus' default scrape timeout (10 s). */
#define METRICS_FRESH_USEC (1ULL * 1000000)
#define METRICS_REFRESH_WAIT_USEC (1ULL * 1000000)
#define METRICS_REFRESH_MAX_USEC (8ULL * 1000000)

struct supervisor;
struct metrics;

/*
 * Follow the configuration: start, move or stop the listener as
 * global_defs metrics_listen says (unchanged: nothing happens). A
 * listener that cannot be opened is logged; vigild runs on without it.
 */
void metrics_configure(struct supervisor *sv);
void metrics_free(struct supervisor *sv);

#endif
