/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checker child's object records beyond their state (docs/state.md)
 * and its runtime commands (IPC_CMD: drain, undrain, set-weight, add-real,
 * remove-real) with the overrides a respawned child is handed back.
 */
#ifndef VIGIL_CHK_ATTRS_H
#define VIGIL_CHK_ATTRS_H

#include <stdio.h>

#include "ipc_msg.h"
#include "proc.h"

struct chk_engine;
struct chk_rsrun;
struct chk_vsrun;

/* chk_attrs.c: the attrs of a virtual_server / real_server record. */
void chk_vs_attrs(const struct chk_vsrun *vs, struct ipc_attrs *a);
void chk_rs_attrs(const struct chk_rsrun *rs, struct ipc_attrs *a);
struct dp_counters;
/* The ipvs_* attrs of the kernel's counters c (dest: a destination's,
 * with its connection counts; CHK_IPVS_SORRY: the sorry server's, keys
 * sorry_ipvs_*, on its virtual server); with old, only those whose value
 * differs. Returns how many were added. */
#define CHK_IPVS_SORRY 2
unsigned chk_ipvs_attrs(const struct dp_counters *c,
    const struct dp_counters *old, int dest, struct ipc_attrs *a);

/* chk_cmd.c */
/*
 * Run a runtime command (argv as docs/state.md lists them); what was done,
 * or why not, goes to out. Returns an enum ipc_cmd_status.
 */
int chk_cmd_run(struct chk_engine *e, int argc, const char *const argv[],
    FILE *out);
/* A real server's last known state by record name (1 up, 0 down, -1). */
typedef int chk_cmd_known_fn(void *arg, const char *name);
/*
 * Apply the overrides (IPC_OBJ_OVERRIDE "real_server" records, the form
 * docs/state.md gives) of a hand-over, right after chk_engine_start().
 * Returns how many were applied.
 */
unsigned chk_cmd_handover(struct chk_engine *e, const struct proc_handover *h,
    chk_cmd_known_fn *known, void *arg);

#endif
