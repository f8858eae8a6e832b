/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checker kinds vigil has. A kind is a `const struct chk_kind` defined
 * in its own healthcheck/check_*.c; adding one is one line in CHK_KINDS
 * below (and its file in Makefile.am).
 */
#include "autoconfig.h"

#include <stddef.h>

#include "healthcheck/probe.h"

#define CHK_KINDS(X) \
	X(chk_kind_tcp) \
	X(chk_kind_http) \
	X(chk_kind_ssl) \
	X(chk_kind_smtp) \
	X(chk_kind_dns) \
	X(chk_kind_udp) \
	X(chk_kind_ping) \
	X(chk_kind_misc) \
	X(chk_kind_file) \
	X(chk_kind_bfd)

#define CHK_KIND_DECL(k) extern const struct chk_kind k;
CHK_KINDS(CHK_KIND_DECL)

#define CHK_KIND_REF(k) &k,
static const struct chk_kind *const chk_kinds[] = {
	CHK_KINDS(CHK_KIND_REF)
	NULL
};

const struct chk_kind *
chk_kind_find(enum chk_checker_kind k)
{
	for (size_t i = 0; chk_kinds[i] != NULL; i++)
		if (chk_kinds[i]->kind == k)
			return chk_kinds[i];
	return NULL;
}
