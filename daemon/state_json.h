/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parent's state store as JSON (jansson), one versioned schema
 * (docs/json.md): vigilctl --json, the metrics endpoint's /state.json and
 * the JSON dump render it. Attrs become typed fields (counters numbers,
 * flags booleans, lists arrays) as docs/state.md defines them; runtime
 * overrides show as an "override" object on the object they act on.
 */
#ifndef VIGIL_STATE_JSON_H
#define VIGIL_STATE_JSON_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

struct state_store;
struct supervisor;

#define STATE_JSON_VERSION 1

/* Sections of the document. */
enum {
	STATE_JSON_DAEMON = 1u << 0,	/* generation, uptime, children */
	STATE_JSON_VRRP = 1u << 1,	/* vrrp_instances, vrrp_sync_groups */
	STATE_JSON_CHECKS = 1u << 2,	/* virtual_servers with their
					 * real_servers */
	STATE_JSON_ALL = 0x7u,
	/* with CHECKS: only what show ipvs shows (identity, weight, the
	 * ipvs_* and sorry_* fields): a 100,000-server reply stays small */
	STATE_JSON_IPVS = 1u << 3,
};

/* {"version":1,"generation":generation} with an empty array for each
 * section in sections. NULL when out of memory. */
json_t *state_json_doc(uint32_t generation, unsigned sections);

/*
 * Add the objects of one child's store to doc (made by state_json_doc):
 * those of the sections in sections, and if name is not NULL only those
 * it names (an instance or sync group; a virtual server as
 * objname_vs_match() reads it, with all its real servers; a real server
 * as addr:port, in each virtual server holding it). 0, or -1 when out of
 * memory.
 */
int state_json_add_store(json_t *doc, const struct state_store *st,
    unsigned sections, const char *name);

/* attrs (key=value lines) as a JSON object with typed values. */
json_t *state_json_attrs(const char *attrs);

/* The whole document of the running parent. NULL when out of memory. */
json_t *state_json(const struct supervisor *sv, unsigned sections,
    const char *name);

/* show ipvs (STATE_JSON_CHECKS | STATE_JSON_IPVS, virtual servers named
 * name or all) as JSON text written to fp, the document state_json()
 * makes (state_json_ipvs.c), without building it; *nvs: the virtual
 * servers written. 0, or -1 when out of memory or fp failed. */
int state_json_ipvs_write(FILE *fp, const struct supervisor *sv,
    const char *name, unsigned *nvs);
/* The same as vigilctl show ipvs's table (vigilctl_show_ipvs() draws it
 * from the document), for a client that asks for the text. */
int state_ipvs_table_write(FILE *fp, const struct supervisor *sv,
    const char *name, unsigned *nvs);

#endif
