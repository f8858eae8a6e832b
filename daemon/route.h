/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runtime commands to the child that owns their object (docs/state.md):
 * checks the object exists, forwards argv with slot_command() and, once
 * the child has done it, records the runtime override in the owner's
 * state store (shown in status, handed to a respawned child, kept across
 * reloads while the object stays). The control socket and the SNMP agent
 * (a weight set is a set-weight) steer through it.
 *
 *   checker: drain REAL [VS], undrain REAL [VS], set-weight VS REAL W,
 *            add-real VS REAL [weight W] [words...], remove-real VS REAL
 *   vrrp:    force-backup INSTANCE, release INSTANCE
 */
#ifndef VIGIL_ROUTE_H
#define VIGIL_ROUTE_H

#include <stddef.h>

struct supervisor;

/* status: enum ipc_cmd_status; text: a few lines for the operator (not
 * NUL-terminated; len bytes). */
typedef void route_fn(void *arg, int status, const char *text, size_t len);

/* Whether argv[0] is a command route_command() takes. */
int route_known(const char *cmd);

/*
 * Run argv; fn(arg, ...) is called exactly once later (never from inside
 * this call), unless cancelled. -1 when out of memory: fn is then never
 * called.
 */
int route_command(struct supervisor *sv, int argc, char *const argv[],
    route_fn *fn, void *arg);
/* The caller went away: its commands still finish (and are recorded) but
 * do not call it. */
void route_cancel(struct supervisor *sv, void *arg);
/* At exit. */
void route_fini(struct supervisor *sv);

#endif
