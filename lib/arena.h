/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Region allocator. A configuration generation (tree + typed structs) lives
 * in one arena and is freed in one call, so a rejected reload or an old
 * generation can never leak. Its chunks are mapped from the kernel and
 * unmapped by arena_free(): the memory goes back to the system.
 */
#ifndef VIGIL_ARENA_H
#define VIGIL_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);
/* Forget everything handed out (all of it must be unused from now on),
 * keeping the newest chunk for what comes next: scratch space reused
 * over and over without mapping and unmapping. */
void arena_reset(struct arena *a);

/* Zeroed, aligned for any type. Returns NULL only if malloc fails. */
void *arena_alloc(struct arena *a, size_t size);
void *arena_calloc(struct arena *a, size_t n, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A zeroed block of its own, mapped as the arena maps its chunks (its
 * pages populated at once, or from 2 MiB up backed by huge pages): for a
 * table that grows by doubling and is thrown away, where a fault per 4 KiB
 * page would cost more than the work done in it. *mapped is the size to
 * give arena_unmap(). NULL when out of memory.
 */
void *arena_map(size_t size, size_t *mapped);
void arena_unmap(void *p, size_t mapped);

/* The pages of its chunks that nothing was handed out from go back to
 * the system (they come back zeroed when allocations reach them): a
 * built configuration that takes no more leaves no chunk's unused room
 * resident (a 2 MiB chunk is one huge page: the unused part is kept
 * out of huge pages from then on). */
void arena_trim(struct arena *a);

/*
 * The pool of freed mappings, shared by every arena of the process: while
 * max is above 0, the chunks arenas free and the blocks arena_unmap()
 * gets (those whose size is a power of two, chunks not trimmed) are kept,
 * up to max bytes, and the next chunks and arena_map() blocks of the same
 * size come from it, zeroed, instead of fresh pages from the kernel
 * (which a virtual machine's host has to back again). Off (0) unless a
 * process asks: the parent keeps what one reload frees for the next for
 * a while (daemon/reload.c), then arena_pool_release() unmaps it all and
 * turns it off. A forked process starts with it off.
 */
void arena_pool_keep(size_t max);
void arena_pool_release(void);
/* Bytes the pool holds. */
size_t arena_pool_bytes(void);

/* Bytes handed out so far (for bounds and statistics). */
size_t arena_used(const struct arena *a);
/* Bytes of memory the arena holds (its chunks, rounded to pages). */
size_t arena_mapped(const struct arena *a);

#endif
