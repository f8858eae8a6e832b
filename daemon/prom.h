/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The state store in Prometheus' text exposition format (version 0.0.4)
 * or in OpenMetrics 1.0: every metric under vigil_, units in the names,
 * counters ending in _total, HELP and TYPE lines, label values escaped.
 * The values come from the objects' records and their attrs
 * (docs/state.md); a key a child does not send yet is left out.
 */
#ifndef VIGIL_PROM_H
#define VIGIL_PROM_H

#include <stdio.h>
#include <time.h>

struct state_store;

#define PROM_CTYPE_TEXT "text/plain; version=0.0.4; charset=utf-8"
#define PROM_CTYPE_OPENMETRICS \
	"application/openmetrics-text; version=1.0.0; charset=utf-8"

/* One child as the parent sees it. */
struct prom_child {
	const char *name;		/* "vrrp", "checker" */
	const struct state_store *st;	/* what it reported */
	int running;
	unsigned restarts;
	unsigned generation;		/* configuration generation it runs */
};

/* What is rendered: the parent's counters and its children's stores. */
struct prom_view {
	const struct prom_child *children;
	unsigned nchildren;
	unsigned generation;		/* configuration generation loaded */
	unsigned reloads, reloads_rejected;
	time_t started;
	/* the HTTP listener's own counters */
	unsigned long http_requests, http_refused, http_expired;
	const char *version;		/* vigild's; NULL: "unknown" */
};

/* 1 when an Accept header asks for OpenMetrics. */
int prom_wants_openmetrics(const char *accept);

/* Write the whole exposition to fp. 0, or -1 on a write error. */
int prom_render(FILE *fp, const struct prom_view *v, int openmetrics);

/* A label value as the format escapes it (\\, \", \n), to fp. */
void prom_label_value(FILE *fp, const char *s);

#endif
