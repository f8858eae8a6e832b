/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A set of strings by content, numbered in the order they were first
 * added. The configuration loader keeps one copy of each distinct word of
 * a tree (a real server's "weight", "1", "TCP_CHECK"... are stored once,
 * not once per real server); the tree encoding sends each distinct word
 * once and refers to it by number.
 */
#ifndef VIGIL_STRTAB_H
#define VIGIL_STRTAB_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct strtab;

/*
 * New empty table. With an arena, strtab_add() copies each new string
 * into it (the copies live as long as the arena, not the table); without
 * one, it keeps the caller's pointer, which must outlive the table and be
 * '\0' terminated at the length given.
 */
struct strtab *strtab_new(struct arena *copy_into);
void strtab_free(struct strtab *t);

/*
 * The number of the string s[0..len) (len bytes, no '\0' inside), adding
 * it if new; *stored (if not NULL) is set to the kept pointer, '\0'
 * terminated when the table copies. Returns -1 when out of memory.
 */
int64_t strtab_add(struct strtab *t, const char *s, size_t len,
    const char **stored);
/* The number of s, or -1 if it was never added. */
int64_t strtab_find(const struct strtab *t, const char *s, size_t len);

/* How many strings, and the i-th (0 <= i < count) with its length. */
uint32_t strtab_count(const struct strtab *t);
const char *strtab_get(const struct strtab *t, uint32_t i, size_t *len);

#endif
