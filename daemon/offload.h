/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rendering off the parent's loop. A page of the whole state store (the
 * control socket's status, the metrics listener's pages) costs seconds at
 * 100,000 real servers, and the parent must not stall that long: its
 * children's pings, respawns and signals wait on the same loop. So a large
 * page is rendered by a forked copy of the parent (copy-on-write: it sees
 * the store as it was at the fork) into an anonymous memory file, and the
 * parent gets the bytes back when the copy exits. Small pages are rendered
 * in place: a fork costs more than they do.
 */
#ifndef VIGIL_OFFLOAD_H
#define VIGIL_OFFLOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct event_base;
struct reaper;
struct offload;

/* In the forked copy: write the page to out; 0, or -1 when it failed. It
 * must not touch the event loop, log, or anything shared with the parent
 * beyond reading memory. */
typedef int offload_fn(FILE *out, void *arg);
/* In the parent: the page (len bytes, valid during the call only), or
 * buf NULL when the copy failed, was killed at its deadline, or could not
 * be started (why says which). Not called after offload_cancel(). */
typedef void offload_done_fn(void *arg, const char *buf, size_t len,
    const char *why);

struct supervisor;

/* A store of this many objects or more is rendered by a forked copy
 * (VIGIL_OFFLOAD_OBJECTS in the environment overrides it: the tests set
 * 0 to take that path with small stores). */
#define OFFLOAD_OBJECTS 5000
/* Whether a page of sv's store is worth a fork (OFFLOAD_OBJECTS). */
int offload_worth(const struct supervisor *sv);

/* At most this many forked renderers at once; more are refused (the
 * caller renders in place or says it is busy). */
#define OFFLOAD_MAX 4

/*
 * Render fn(arg) in a forked copy, bounded by timeout_usec (0: 60 s), and
 * hand the bytes to done(arg). NULL (errno set) when it cannot start:
 * fork or memfd failed, or OFFLOAD_MAX are running; done is not called.
 */
struct offload *offload_start(struct event_base *base, struct reaper *r,
    offload_fn *fn, offload_done_fn *done, void *arg,
    uint64_t timeout_usec);
/* Kill the copy and forget it; done is not called. */
void offload_cancel(struct offload *o);
/* Renderers running now. */
unsigned offload_running(void);

#endif
