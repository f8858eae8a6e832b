/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keepalived's dump shapes, from the parent's state store, for scripts
 * written against keepalived: the data dump (SIGUSR1; /tmp/keepalived.data's
 * "------< VRRP Topology >------" sections and "   State = MASTER" lines,
 * /tmp/keepalived_check.data's "------< LVS Topology >------"),
 * the statistics (SIGUSR2; /tmp/keepalived.stats' per-instance blocks) and
 * the JSON dump (keepalived's SIGJSON; /tmp/keepalived.json: an array of
 * {"data": ..., "stats": ...} per VRRP instance, or {"vrrp": [...]} with
 * json_version 2). Values the children do not report are left out (text)
 * or 0 (JSON), never made up. vigilctl dump reaches the same functions.
 */
#ifndef VIGIL_DUMP_KA_H
#define VIGIL_DUMP_KA_H

#include <stdio.h>

struct supervisor;

#define VIGIL_JSON_FILE "/tmp/vigil.json"

/* The keepalived-shaped sections of the data dump: keepalived.data's
 * (global definitions, the VRRP instances and sync groups) and
 * keepalived_check.data's (global definitions, the virtual and real
 * servers). */
void dump_ka_data(FILE *fp, const struct supervisor *sv);
void dump_ka_check_data(FILE *fp, const struct supervisor *sv);
/* The keepalived-shaped statistics, one block per VRRP instance. */
void dump_ka_stats(FILE *fp, const struct supervisor *sv);
/* The JSON dump; version 1 or 2 as global_defs json_version (0: 1).
 * 0, or -1 when out of memory or on a write error. */
int dump_ka_json(FILE *fp, const struct supervisor *sv, unsigned version);

#endif
