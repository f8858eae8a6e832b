/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The names the health-check child gives its objects (docs/state.md) and
 * the shorter forms an operator types: REAL as addr:port or [v6]:port; VS
 * as the object's name, addr:port[/proto], "fwmark N" or "group NAME".
 * The control socket, the JSON filters and the command routing read them
 * the same way.
 */
#ifndef VIGIL_OBJNAME_H
#define VIGIL_OBJNAME_H

#include <stddef.h>

/* Room for a canonical "[addr]:port" (an IPv6 address and a port). */
#define OBJNAME_REAL_MAX 64

/* REAL as typed -> "[addr]:port" with the address in canonical form, as
 * real server names end. 0, or -1 if it is no addr:port. */
int objname_real(const char *arg, char *out, size_t len);

/* A real server's name "VS / [addr]:port": the VS part into vs and the
 * real part into real. 0, or -1 if the name has no " / ". */
int objname_rs_split(const char *name, char *vs, size_t vslen, char *real,
    size_t reallen);

/* Whether the virtual server named vsname is the one arg designates
 * (the name itself, addr:port[/proto], "fwmark N", "group NAME[:PROTO]"). */
int objname_vs_match(const char *vsname, const char *arg);

#endif
