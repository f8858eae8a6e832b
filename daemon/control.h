/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control socket, owned by the parent (docs/control.md): a unix socket
 * vigilctl talks to. Read commands (status, show) are open to whoever may
 * connect (the socket's mode and group); steering commands (drain,
 * set-weight, reload, ...) only to root (SO_PEERCRED). Bounded: at most
 * CTL_MAX_CLIENTS at once, requests of at most CTL_MAX_REQUEST bytes, a
 * client silent for CTL_IDLE_USEC is dropped; a malformed frame drops
 * its client and nothing else.
 */
#ifndef VIGIL_CONTROL_H
#define VIGIL_CONTROL_H

struct supervisor;

#define CTL_MAX_CLIENTS 128
#define CTL_IDLE_USEC (5ULL * 1000000)
/* A client with this much of its replies unread is dropped. */
#define CTL_MAX_BACKLOG (64u * 1024 * 1024)
/* Replies unread by all clients together: a reply that would take the
 * total past it is answered "busy" instead (a hundred clients asking for
 * the status of 100,000 real servers and never reading would otherwise
 * hold gigabytes in the parent). VIGIL_CTL_BACKLOG_TOTAL=BYTES in
 * vigild's environment moves it (tests). A reply of at most
 * CTL_SMALL_REPLY bytes, or one while nothing else waits, always goes. */
#define CTL_MAX_BACKLOG_TOTAL (256u * 1024 * 1024)
#define CTL_SMALL_REPLY 4096u

/* Open the socket global_defs names (control_socket, _mode, _group), or
 * the pid file's name with .ctl for .pid (/run/vigild.ctl). Failure is
 * logged; vigild runs on without it. After a reload: moves it if the path changed, else applies
 * mode and group again. */
void control_configure(struct supervisor *sv);
/* Close it (and remove its path), dropping every client. */
void control_stop(struct supervisor *sv);

#endif
