/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small string helpers shared across the tree: equality that treats two
 * unset (NULL) strings as equal, and a copy that leaves NULL as NULL and
 * records a failed allocation in a flag, so a caller copying several
 * optional strings checks once at the end.
 */
#ifndef VIGIL_STR_H
#define VIGIL_STR_H

#include <stdlib.h>
#include <string.h>

static inline int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static inline char *
str_dup_opt(const char *s, int *fail)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*fail = 1;
	return d;
}

#endif
