/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One SIGCHLD handler per process, on the event loop: reaps every exited
 * child with waitpid(WNOHANG) and calls the callback registered for its pid.
 * The supervisor (children) and the script runner (scripts) share it.
 */
#ifndef VIGIL_REAP_H
#define VIGIL_REAP_H

#include <sys/types.h>

struct event_base;
struct reaper;

typedef void reap_fn(pid_t pid, int status, void *arg);

struct reaper *reaper_new(struct event_base *base);
void reaper_free(struct reaper *r);
int reaper_watch(struct reaper *r, pid_t pid, reap_fn *fn, void *arg);
void reaper_forget(struct reaper *r, pid_t pid);
/* Reap now (also done from the SIGCHLD event). */
void reaper_poll(struct reaper *r);

#endif
