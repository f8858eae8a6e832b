/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BFD child's engine: a session per bfd_instance, its sockets and
 * timers on the child's loop (RFC 5881 single hop over UDP port 3784,
 * TTL / hop limit checked against max_hops as keepalived does).
 */
#ifndef VIGIL_BFD_ENGINE_H
#define VIGIL_BFD_ENGINE_H

#include <stdio.h>

struct bfd_conf;
struct bfd_engine;
struct proc_env;

struct bfd_engine *bfd_engine_new(const struct proc_env *env,
    const struct bfd_conf *c);
/* Move to c: sessions whose neighbor, source and TTL did not change keep
 * their state (new timers apply at once, by a Poll Sequence when Up). */
void bfd_engine_reload(struct bfd_engine *e, const struct bfd_conf *c,
    char *msg, size_t msglen);
void bfd_engine_snapshot(struct bfd_engine *e);
void bfd_engine_dump(struct bfd_engine *e, FILE *fp);
/* Tell the peers AdminDown and free. */
void bfd_engine_free(struct bfd_engine *e);

#endif
