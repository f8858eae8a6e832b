/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "arena.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* LeakSanitizer does not look into mappings of our own: what is reached
 * only from arena memory (the arena itself, from the tree in it) would
 * look leaked. Chunks are registered as places it searches. */
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_LSAN 1
#endif
#endif
#ifdef ARENA_LSAN
#include <sanitizer/lsan_interface.h>
#define lsan_add(p, n) __lsan_register_root_region((p), (n))
#define lsan_del(p, n) __lsan_unregister_root_region((p), (n))
#else
#define lsan_add(p, n) ((void)0)
#define lsan_del(p, n) ((void)0)
#endif

/*
 * Chunks are mapped from the kernel, not taken from malloc: freeing an
 * arena unmaps them, so a generation's memory goes back to the system at
 * once, whatever malloc's thresholds are, and a child freeing what it
 * inherited by fork unmaps shared pages instead of writing to (and so
 * copying) them. Fresh mappings are zero-filled and a chunk's bytes are
 * handed out once, so allocations need no memset.
 *
 * Chunk sizes double from ARENA_CHUNK_MIN to ARENA_CHUNK_MAX, so small
 * arenas stay small and big ones take few mappings. Chunks of
 * ARENA_CHUNK_MAX and more are aligned to it and asked to be backed by
 * huge pages: a large configuration then costs one page fault per 2 MiB
 * instead of one per 4 KiB, which is most of the time a reload takes on
 * a machine where faults are slow (virtual machines). Smaller chunks are
 * populated when they are mapped (one call instead of a fault a page).
 */
#define ARENA_CHUNK_MIN (16u * 1024)
#define ARENA_CHUNK_MAX (2048u * 1024)
#define ARENA_ALIGN _Alignof(max_align_t)

struct chunk {
	struct chunk *next;
	size_t map;		/* bytes mapped, this header included */
	size_t size;		/* bytes of data[] */
	size_t used;
	int trimmed;		/* arena_trim gave part of it back */
	_Alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct chunk *head;
	size_t next_map;	/* mapping size of the next regular chunk */
	size_t total;
	size_t mapped;
};

static size_t
page_size(void)
{
	static size_t ps;

	if (ps == 0) {
		long v = sysconf(_SC_PAGESIZE);

		ps = v > 0 ? (size_t)v : 4096;
	}
	return ps;
}

/* map bytes (a multiple of the page size), zeroed */
static void *
map_zero(size_t map)
{
	unsigned char *p;
	size_t lead;

	if (map < ARENA_CHUNK_MAX) {
		p = mmap(NULL, map, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
	} else {
		/* over-map, then trim to an ARENA_CHUNK_MAX boundary */
		if (map > SIZE_MAX - ARENA_CHUNK_MAX)
			return NULL;
		p = mmap(NULL, map + ARENA_CHUNK_MAX, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		lead = (ARENA_CHUNK_MAX - (uintptr_t)p % ARENA_CHUNK_MAX) %
		    ARENA_CHUNK_MAX;
		if (lead > 0)
			munmap(p, lead);
		munmap(p + lead + map, ARENA_CHUNK_MAX - lead);
		p += lead;
#ifdef MADV_HUGEPAGE
		/* a hint: without it (or without THP) pages are 4 KiB */
		madvise(p, map, MADV_HUGEPAGE);
#endif
	}
	lsan_add(p, map);
	return p;
}

/*
 * Mappings that arenas and arena_unmap() gave up, kept for the next ones
 * while arena_pool_keep() allows (the parent, over a reload): chunks,
 * and the tables that grow by doubling (the table of distinct words, the
 * encoder's), whose sizes repeat from one load to the next. A mapping
 * taken from here is zeroed where it was used, which costs a fraction
 * of what the kernel takes to find and zero fresh pages (on a virtual
 * machine, mostly the host backing them the first time). Only sizes that
 * are powers of two are kept, and a mapping is taken for its exact size.
 * Shared by every thread, under its lock.
 */
struct pooled {
	struct pooled *next;
	size_t map;
	size_t dirty;		/* bytes from its start to zero on reuse */
};

static struct {
	pthread_mutex_t mu;
	struct pooled *head;
	size_t bytes, max;
} pool = { .mu = PTHREAD_MUTEX_INITIALIZER };

/* p (map bytes, dirty of them written) kept in the pool, or 0 */
static int
pool_put(void *p, size_t map, size_t dirty)
{
	struct pooled *e = p;
	int kept = 0;

	if ((map & (map - 1)) != 0)
		return 0;
	pthread_mutex_lock(&pool.mu);
	if (pool.bytes + map <= pool.max) {
		e->next = pool.head;
		e->map = map;
		e->dirty = dirty > sizeof(*e) ? dirty : sizeof(*e);
		pool.head = e;
		pool.bytes += map;
		kept = 1;
	}
	pthread_mutex_unlock(&pool.mu);
	if (kept)
		lsan_del(p, map);
	return kept;
}

/* a zeroed mapping of map bytes from the pool, or NULL */
static void *
pool_take(size_t map)
{
	struct pooled *e, **pp;

	pthread_mutex_lock(&pool.mu);
	for (pp = &pool.head; (e = *pp) != NULL; pp = &e->next)
		if (e->map == map) {
			*pp = e->next;
			pool.bytes -= map;
			break;
		}
	pthread_mutex_unlock(&pool.mu);
	if (e == NULL)
		return NULL;
	/* handed out zeroed, as a fresh mapping is */
	memset(e, 0, e->dirty);
	lsan_add(e, map);
	return e;
}

/* A process forked while another thread holds the pool's lock (the
 * parent forks page renderers while a reload's parse runs) gets it
 * unlocked, and its pool off: what it frees goes back to the system. */
static void
pool_fork_prepare(void)
{
	pthread_mutex_lock(&pool.mu);
}

static void
pool_fork_parent(void)
{
	pthread_mutex_unlock(&pool.mu);
}

static void
pool_fork_child(void)
{
	pool.max = 0;
	pthread_mutex_unlock(&pool.mu);
}

static void
pool_init(void)
{
	(void)pthread_atfork(pool_fork_prepare, pool_fork_parent,
	    pool_fork_child);
}

/*
 * Before a fresh mapping of map bytes, a chunk's or more, that the pool
 * has none of its size for: the newest pooled ones, at least as many
 * bytes, go back to the system first, so that the kernel hands their
 * pages out again (pages the process touched lately cost less than ones
 * it never had) instead of them waiting for a size that may not come.
 * Smaller mappings take nothing: they come from pages the kernel has at
 * hand.
 */
static void
pool_evict(size_t map)
{
	struct pooled *e, *out = NULL;
	size_t freed = 0;

	if (map < ARENA_CHUNK_MAX)
		return;
	pthread_mutex_lock(&pool.mu);
	while (freed < map && (e = pool.head) != NULL) {
		pool.head = e->next;
		pool.bytes -= e->map;
		freed += e->map;
		e->next = out;
		out = e;
	}
	pthread_mutex_unlock(&pool.mu);
	for (; out != NULL; out = e) {
		e = out->next;
		munmap(out, out->map);
	}
}

void
arena_pool_keep(size_t max)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	(void)pthread_once(&once, pool_init);
	pthread_mutex_lock(&pool.mu);
	pool.max = max;
	pthread_mutex_unlock(&pool.mu);
}

void
arena_pool_release(void)
{
	struct pooled *e, *n;

	pthread_mutex_lock(&pool.mu);
	e = pool.head;
	pool.head = NULL;
	pool.bytes = 0;
	pool.max = 0;
	pthread_mutex_unlock(&pool.mu);
	for (; e != NULL; e = n) {
		n = e->next;
		munmap(e, e->map);
	}
}

size_t
arena_pool_bytes(void)
{
	size_t n;

	pthread_mutex_lock(&pool.mu);
	n = pool.bytes;
	pthread_mutex_unlock(&pool.mu);
	return n;
}

/* a chunk freed by an arena: to the pool, or back to the system */
static void
chunk_drop(struct chunk *c)
{
	/* a trimmed one has pages back from the system, out of huge
	 * pages */
	if (c->trimmed || !pool_put(c, c->map, sizeof(*c) + c->used)) {
		lsan_del(c, c->map);
		munmap(c, c->map);
	}
}

static struct chunk *
chunk_map(size_t map)
{
	struct chunk *c;

	if ((c = pool_take(map)) == NULL) {
		pool_evict(map);
		if ((c = map_zero(map)) == NULL)
			return NULL;
	}
	c->map = map;
	c->size = map - sizeof(*c);
	c->used = 0;
	c->trimmed = 0;
	return c;
}

void *
arena_map(size_t size, size_t *mapped)
{
	size_t ps = page_size(), map;
	void *p;

	if (size == 0 || size > SIZE_MAX - ARENA_CHUNK_MAX)
		return NULL;
	map = (size + ps - 1) / ps * ps;
	if ((p = pool_take(map)) == NULL) {
		pool_evict(map);
		p = map_zero(map);
	}
	if (p != NULL)
		*mapped = map;
	return p;
}

void
arena_unmap(void *p, size_t mapped)
{
	if (p == NULL || pool_put(p, mapped, mapped))
		return;
	lsan_del(p, mapped);
	munmap(p, mapped);
}

struct arena *
arena_new(void)
{
	struct arena *a = calloc(1, sizeof(struct arena));

	if (a != NULL)
		a->next_map = ARENA_CHUNK_MIN;
	return a;
}

void
arena_free(struct arena *a)
{
	struct chunk *c, *n;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = n) {
		n = c->next;
		chunk_drop(c);
	}
	free(a);
}

void
arena_reset(struct arena *a)
{
	struct chunk *c, *n;

	if (a == NULL || a->head == NULL)
		return;
	for (c = a->head->next; c != NULL; c = n) {
		n = c->next;
		chunk_drop(c);
	}
	c = a->head;
	c->next = NULL;
	/* handed out zeroed again */
	memset(c->data, 0, c->used);
	c->used = 0;
	a->total = 0;
	a->mapped = c->map;
}

/* A chunk with room for need bytes, in front of the list. */
static struct chunk *
arena_grow(struct arena *a, size_t need)
{
	size_t ps = page_size();
	size_t map = a->next_map;
	struct chunk *c;

	if (need > map - sizeof(*c)) {
		/* a big block gets a mapping of its own, behind the current
		 * chunk, which keeps taking the small ones */
		if (need > SIZE_MAX - sizeof(*c) - ps)
			return NULL;
		map = (need + sizeof(*c) + ps - 1) / ps * ps;
		if ((c = chunk_map(map)) == NULL)
			return NULL;
		a->mapped += map;
		if (a->head != NULL) {
			c->next = a->head->next;
			a->head->next = c;
			return c;
		}
		c->next = NULL;
		a->head = c;
		return c;
	}
	if ((c = chunk_map(map)) == NULL)
		return NULL;
	a->mapped += map;
	if (a->next_map < ARENA_CHUNK_MAX)
		a->next_map *= 2;
	c->next = a->head;
	a->head = c;
	return c;
}

/* size bytes aligned to align (a power of two, at most ARENA_ALIGN) */
static void *
arena_take(struct arena *a, size_t size, size_t align)
{
	struct chunk *c = a->head;
	size_t at;
	void *p;

	if (size > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	if (c != NULL) {
		at = (c->used + align - 1) & ~(align - 1);
		if (at > c->size || c->size - at < size)
			c = NULL;
	}
	if (c == NULL) {
		if ((c = arena_grow(a, size)) == NULL)
			return NULL;
		/* a big block's own chunk is not the head; both start
		 * aligned */
		at = (c->used + align - 1) & ~(align - 1);
	}
	p = c->data + at;
	c->used = at + size;
	a->total += size;
	return p;	/* zero: never handed out before */
}

void *
arena_alloc(struct arena *a, size_t size)
{
	return arena_take(a, size, ARENA_ALIGN);
}

void *
arena_calloc(struct arena *a, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	return arena_alloc(a, n * size);
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	/* strings need no alignment: packed end to end */
	char *p = n < SIZE_MAX ? arena_take(a, n + 1, 1) : NULL;

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = arena_take(a, (size_t)n + 1, 1);
	if (p == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
arena_trim(struct arena *a)
{
	size_t ps = page_size();

	if (a == NULL)
		return;
	for (struct chunk *c = a->head; c != NULL; c = c->next) {
		uintptr_t from = ((uintptr_t)(c->data + c->used) + ps - 1) /
		    ps * ps, to = (uintptr_t)c + c->map;

		if (to <= from)
			continue;
		c->trimmed = 1;
#ifdef MADV_NOHUGEPAGE
		/* else khugepaged makes the huge page whole again */
		(void)madvise((void *)from, to - from, MADV_NOHUGEPAGE);
#endif
		/* private anonymous memory: zero-filled when touched again,
		 * as a fresh chunk is */
		(void)madvise((void *)from, to - from, MADV_DONTNEED);
	}
}

size_t
arena_used(const struct arena *a)
{
	return a->total;
}

size_t
arena_mapped(const struct arena *a)
{
	return a->mapped;
}
