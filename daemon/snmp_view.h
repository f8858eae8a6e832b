/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the SNMP agent answers: every object instance of the MIBs it
 * serves, with its value, sorted by OID. The MIB code (snmp_mib_*.c)
 * fills a view from the configuration and the mirror of the state store;
 * the agent answers GET (exact match) and GETNEXT (the first OID after
 * the one asked for) from it. A view is rebuilt when what it shows
 * changed, never while a request is answered.
 */
#ifndef VIGIL_SNMP_VIEW_H
#define VIGIL_SNMP_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

struct arena;

#define SNMP_VIEW_OID_MAX 40

/* What a write to a value does (those keepalived offers). */
enum snmp_vb_write {
	SNMP_VB_RO = 0,
	SNMP_VB_RS_WEIGHT,	/* set-weight VS REAL W */
	SNMP_VB_INST_PRIORITY,	/* set-priority INSTANCE P */
	SNMP_VB_INST_PREEMPT,	/* set-preempt INSTANCE on|off */
	/* offered but refused whatever the value (noAccess): keepalived
	 * 2.2.7's vrrpInstanceAccept of a VRRPv3 instance, whose write
	 * method is a stub (ALLOW_SNMP_SET_ACCEPT is never defined) */
	SNMP_VB_NOACCESS,
};

struct snmp_vb {
	const oid *name;	/* exactly len sub-identifiers (arena) */
	size_t len;
	u_char type;		/* ASN_INTEGER, ASN_OCTET_STR, ... */
	uint8_t write;		/* enum snmp_vb_write */
	int64_t i;		/* numbers */
	const char *s;		/* strings and addresses (arena) */
	size_t slen;
	const char *w1, *w2;	/* what a write names (VS, REAL; INSTANCE) */
};

struct snmp_view {
	struct snmp_vb *v;
	size_t n, cap;
	struct arena *arena;
	int sorted;
};

int snmp_view_init(struct snmp_view *w);
void snmp_view_reset(struct snmp_view *w);
void snmp_view_fini(struct snmp_view *w);

/*
 * A row's cell: the entry's OID (table OID + .1), the column, the index
 * suffix. NULL when out of memory or the OID is too long (then nothing is
 * added).
 */
struct snmp_vb *snmp_view_cell(struct snmp_view *w, const oid *entry,
    size_t elen, unsigned column, const oid *idx, size_t ilen);
/* A scalar: OID base.sub.0 */
struct snmp_vb *snmp_view_scalar(struct snmp_view *w, const oid *base,
    size_t blen, const oid *sub, size_t slen);

/* Values of a cell just added (b may be NULL: nothing is done). */
void snmp_vb_int(struct snmp_vb *b, u_char type, int64_t v);
void snmp_vb_str(struct snmp_view *w, struct snmp_vb *b, const char *s);
void snmp_vb_bytes(struct snmp_view *w, struct snmp_vb *b, u_char type,
    const void *p, size_t len);

/* Sort (once, after filling). */
void snmp_view_sort(struct snmp_view *w);
/* The value at exactly name, or NULL. */
const struct snmp_vb *snmp_view_get(const struct snmp_view *w,
    const oid *name, size_t len);
/* The first value after name and below root (the registered subtree),
 * or NULL. */
const struct snmp_vb *snmp_view_next(const struct snmp_view *w,
    const oid *name, size_t len, const oid *root, size_t rlen);

/* An InetAddress's OID index form: length, then each byte. Returns the
 * number of sub-identifiers written to idx. */
size_t snmp_oid_inet(oid *idx, const void *bytes, size_t blen);

#endif
