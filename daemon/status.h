/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The read-only status page of the metrics listener (GET /): one
 * self-contained HTML document (inline CSS and script, nothing loaded
 * from elsewhere) showing VRRP instances, virtual servers and real
 * servers with their state and last failure. The server renders the first
 * view, so the page reads without JavaScript (and reloads itself every
 * STATUS_NOSCRIPT_REFRESH seconds); with it, the page polls GET
 * /state.json (docs/json.md) every STATUS_POLL_MS and redraws.
 */
#ifndef VIGIL_STATUS_H
#define VIGIL_STATUS_H

#include <stdio.h>

#include <jansson.h>

struct supervisor;

#define STATUS_POLL_MS 2000
#define STATUS_NOSCRIPT_REFRESH 10
/* The page's Content-Security-Policy: its own inline parts, JSON from
 * the same origin, nothing else. */
#define STATUS_CSP "default-src 'none'; style-src 'unsafe-inline'; " \
	"script-src 'unsafe-inline'; connect-src 'self'; img-src data:; " \
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/* The page for doc (state_json()'s document), to fp. 0, or -1. */
int status_page_render(FILE *fp, const json_t *doc, const char *host);
/* The running parent's page and JSON. 0, or -1. */
int status_page(FILE *fp, const struct supervisor *sv);
int status_json(FILE *fp, const struct supervisor *sv);

#endif
