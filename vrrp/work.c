/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP child's work queue, drained in slices by a timer at the lowest
 * event priority: each turn of the loop runs the due adverts, down timers
 * and received adverts first, then at most one slice of queued work.
 *
 * Every slice and every item is timed on the wall clock and on the
 * thread's CPU clock, so that a long slice can be told apart: the
 * child's own work (CPU), the kernel making it wait (asleep inside a
 * request: a sleep counted, wall past CPU) or the host (runnable but
 * not running: the run-queue wait, preemptions counted).
 */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "vrrp/work.h"

#include "log.h"
#include "loop.h"

struct work_item {
	struct work_item *next;
	void *owner;
	int kind, a, b;
};

struct vrrp_work {
	struct loop_timer *drain;
	vrrp_work_fn *fn;
	void *arg;
	struct work_item *head, **tail;
	size_t n;
	void *solo;			/* the owner run_owner runs */
	struct work_item *solo_head;	/* what it still has to run */
	uint64_t done;
	unsigned max_items;
	uint64_t max_usec;
	/* usec to sleep before a slice */
	uint64_t (*pause)(void *arg, uint64_t cost);
	struct vrrp_work_slice_stat slice;	/* the longest, from the loop */
	struct vrrp_work_kind_stat kinds[VRRP_WORK_KINDS];
	const char *const *names;
	unsigned nnames;
	vrrp_work_clock_fn *clock;
	void *clock_arg;
	int schedstat;			/* /proc/thread-self/schedstat, or -1 */
	int in_slice;			/* a slice is running its items */
	uint64_t slice_start;		/* its start, wall usec */
};

/* The run-queue wait (usec) from the kernel's schedstat: "RUN WAIT
 * SLICES", nanoseconds; 0 without it. */
static uint64_t
schedstat_wait(int fd)
{
	char buf[96];
	unsigned long long run, wait;
	ssize_t n;

	if (fd < 0 || (n = pread(fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return 0;
	buf[n] = '\0';
	if (sscanf(buf, "%llu %llu", &run, &wait) != 2)
		return 0;
	return wait / 1000;
}

static void
clock_system(void *arg, struct vrrp_work_sample *s, int full)
{
	const struct vrrp_work *w = arg;
	struct rusage ru;

	s->wall = loop_now_usec();
	s->cpu = loop_thread_cpu_usec();
	if (!full)
		return;
	s->wait = schedstat_wait(w->schedstat);
	if (getrusage(RUSAGE_THREAD, &ru) == 0) {
		s->sleeps = (uint64_t)ru.ru_nvcsw;
		s->preempts = (uint64_t)ru.ru_nivcsw;
	} else
		s->sleeps = s->preempts = 0;
}

static uint64_t
since(uint64_t from, uint64_t to)
{
	return to > from ? to - from : 0;
}

/* c = what passed from a to b (wall and CPU; the rest when full). */
static void
cost_between(const struct vrrp_work_sample *a,
    const struct vrrp_work_sample *b, int full, struct vrrp_work_cost *c)
{
	c->wall = since(a->wall, b->wall);
	c->cpu = since(a->cpu, b->cpu);
	c->wait = full ? since(a->wait, b->wait) : 0;
	c->sleeps = full ? since(a->sleeps, b->sleeps) : 0;
	c->preempts = full ? since(a->preempts, b->preempts) : 0;
}

static struct vrrp_work_kind_stat *
kind_stat(struct vrrp_work *w, int kind)
{
	return &w->kinds[kind >= 0 && kind < VRRP_WORK_KINDS ? kind :
	    VRRP_WORK_KINDS - 1];
}

static void
kind_account(struct vrrp_work *w, int kind, const struct vrrp_work_cost *c)
{
	struct vrrp_work_kind_stat *k = kind_stat(w, kind);

	k->n++;
	k->wall_sum += c->wall;
	k->cpu_sum += c->cpu;
	if (k->n == 1 || c->wall > k->longest.wall)
		k->longest = *c;
	if (c->cpu > k->cpu_max)
		k->cpu_max = c->cpu;
}

/* Run it (unlinked by the caller) and free it; at is the clocks' reading
 * before it, read again after it; c what it cost. */
static void
item_run(struct vrrp_work *w, struct work_item *it,
    struct vrrp_work_sample *at, struct vrrp_work_cost *c)
{
	struct vrrp_work_sample before = *at;

	w->done++;
	w->fn(w->arg, it->owner, it->kind, it->a, it->b);
	w->clock(w->clock_arg, at, 0);
	cost_between(&before, at, 0, c);
	kind_account(w, it->kind, c);
	free(it);
}

static void
work_arm(struct vrrp_work *w)
{
	if (w->head != NULL && !loop_timer_pending(w->drain) &&
	    loop_timer_start(w->drain, 0, 0) != 0)
		log_err("VRRP work queue: cannot arm its timer");
}

/* Whether the slice running now has had its time at now. */
static int
slice_spent(const struct vrrp_work *w, uint64_t now)
{
	return w->max_usec > 0 && since(w->slice_start, now) >= w->max_usec;
}

/* Unlink and run the first item (fn may push more); its kind. */
static int
work_run_first(struct vrrp_work *w, struct vrrp_work_sample *at,
    struct vrrp_work_cost *c)
{
	struct work_item *it = w->head;
	int kind = it->kind;

	w->head = it->next;
	if (w->head == NULL)
		w->tail = &w->head;
	w->n--;
	item_run(w, it, at, c);
	return kind;
}

unsigned
vrrp_work_slice(struct vrrp_work *w)
{
	struct vrrp_work_sample start, at, end;
	struct vrrp_work_cost item, worst = { 0 }, cost;
	int kind, worst_kind = -1;
	unsigned ran = 0;

	if (w->head == NULL)
		return 0;
	w->clock(w->clock_arg, &start, 1);
	at = start;
	w->in_slice = 1;
	w->slice_start = start.wall;
	while (w->head != NULL && ran < w->max_items) {
		kind = work_run_first(w, &at, &item);
		if (ran++ == 0 || item.wall > worst.wall) {
			worst = item;
			worst_kind = kind;
		}
		if (slice_spent(w, at.wall))
			break;
	}
	w->in_slice = 0;
	w->clock(w->clock_arg, &end, 1);
	cost_between(&start, &end, 1, &cost);
	if (w->slice.kind < 0 || cost.wall > w->slice.cost.wall) {
		w->slice.cost = cost;
		w->slice.items = ran;
		w->slice.kind = worst_kind;
		w->slice.item = worst;
	}
	return ran;
}

int
vrrp_work_slice_over(struct vrrp_work *w)
{
	struct vrrp_work_sample now;

	if (w == NULL || !w->in_slice)
		return 0;
	w->clock(w->clock_arg, &now, 0);
	return slice_spent(w, now.wall);
}

static void
on_drain(struct loop_timer *t, void *arg)
{
	struct vrrp_work *w = arg;
	uint64_t pause;

	if (w->pause != NULL && (pause = w->pause(w->arg, w->max_usec)) > 0 &&
	    loop_timer_start(t, pause, 0) == 0)
		return;
	vrrp_work_slice(w);
	work_arm(w);
}

struct vrrp_work *
vrrp_work_new(struct event_base *base, vrrp_work_fn *fn, void *arg,
    unsigned max_items, uint64_t max_usec)
{
	struct vrrp_work *w;

	if (fn == NULL || max_items == 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->fn = fn;
	w->arg = arg;
	w->tail = &w->head;
	w->max_items = max_items;
	w->max_usec = max_usec;
	w->slice.kind = -1;
	w->clock = clock_system;
	w->clock_arg = w;
	/* without it, a slice's wait for a CPU reads 0 */
	w->schedstat = open("/proc/thread-self/schedstat",
	    O_RDONLY | O_CLOEXEC);
	if ((w->drain = loop_timer_new(base, on_drain, w)) == NULL ||
	    loop_timer_set_priority(w->drain, LOOP_PRIO_LOW) != 0) {
		vrrp_work_free(w);
		return NULL;
	}
	return w;
}

static struct work_item *
item_new(struct vrrp_work *w, void *owner, int kind, int a, int b)
{
	struct work_item *it;

	if (w == NULL || (it = calloc(1, sizeof(*it))) == NULL)
		return NULL;
	it->owner = owner;
	it->kind = kind;
	it->a = a;
	it->b = b;
	return it;
}

int
vrrp_work_push(struct vrrp_work *w, void *owner, int kind, int a, int b)
{
	struct work_item *it = item_new(w, owner, kind, a, b);

	if (it == NULL)
		return -1;
	*w->tail = it;
	w->tail = &it->next;
	w->n++;
	work_arm(w);
	return 0;
}

int
vrrp_work_push_front(struct vrrp_work *w, void *owner, int kind, int a,
    int b)
{
	struct work_item *it = item_new(w, owner, kind, a, b);

	if (it == NULL)
		return -1;
	if (w->solo != NULL && owner == w->solo) {
		/* run_owner is running owner's items: it runs this next */
		it->next = w->solo_head;
		w->solo_head = it;
		return 0;
	}
	it->next = w->head;
	w->head = it;
	if (w->tail == &w->head)
		w->tail = &it->next;
	w->n++;
	work_arm(w);
	return 0;
}

void
vrrp_work_run_owner(struct vrrp_work *w, void *owner)
{
	struct work_item *mine = NULL, **mt = &mine, **pp, *it;
	struct vrrp_work_sample at;
	struct vrrp_work_cost c;
	void *solo;

	if (w == NULL)
		return;
	/* take owner's items out first: fn may push more */
	for (pp = &w->head; (it = *pp) != NULL;) {
		if (it->owner != owner) {
			pp = &it->next;
			continue;
		}
		*pp = it->next;
		it->next = NULL;
		*mt = it;
		mt = &it->next;
		w->n--;
	}
	w->tail = &w->head;
	while (*w->tail != NULL)
		w->tail = &(*w->tail)->next;
	/* an item continued with push_front runs here, before owner goes */
	solo = w->solo;
	w->solo = owner;
	w->solo_head = mine;
	if (mine != NULL)
		w->clock(w->clock_arg, &at, 0);
	while ((it = w->solo_head) != NULL) {
		w->solo_head = it->next;
		item_run(w, it, &at, &c);
	}
	w->solo = solo;
}

void
vrrp_work_flush(struct vrrp_work *w)
{
	struct vrrp_work_sample at;
	struct vrrp_work_cost c;

	/* bounded: items pushed while flushing run too, but no item kind
	 * pushes another */
	if (w == NULL)
		return;
	if (w->head != NULL)
		w->clock(w->clock_arg, &at, 0);
	while (w->head != NULL)
		work_run_first(w, &at, &c);
	loop_timer_stop(w->drain);
}

size_t
vrrp_work_pending(const struct vrrp_work *w)
{
	return w != NULL ? w->n : 0;
}

uint64_t
vrrp_work_done(const struct vrrp_work *w)
{
	return w != NULL ? w->done : 0;
}

void
vrrp_work_set_pause(struct vrrp_work *w,
    uint64_t (*pause)(void *arg, uint64_t cost))
{
	if (w != NULL)
		w->pause = pause;
}

uint64_t
vrrp_work_longest(const struct vrrp_work *w)
{
	return w != NULL && w->slice.kind >= 0 ? w->slice.cost.wall : 0;
}

void
vrrp_work_set_kinds(struct vrrp_work *w, const char *const *names,
    unsigned n)
{
	if (w == NULL)
		return;
	w->names = names;
	w->nnames = names != NULL ? n : 0;
}

void
vrrp_work_set_clock(struct vrrp_work *w, vrrp_work_clock_fn *fn, void *arg)
{
	if (w == NULL)
		return;
	w->clock = fn != NULL ? fn : clock_system;
	w->clock_arg = fn != NULL ? arg : w;
}

const struct vrrp_work_kind_stat *
vrrp_work_kind(const struct vrrp_work *w, int kind)
{
	if (w == NULL || kind < 0 || kind >= VRRP_WORK_KINDS)
		return NULL;
	return &w->kinds[kind];
}

const struct vrrp_work_slice_stat *
vrrp_work_longest_slice(const struct vrrp_work *w)
{
	return w != NULL ? &w->slice : NULL;
}

/* The dump's name of kind k ("kind K" for one without a name). */
static const char *
kind_name(const struct vrrp_work *w, int k, char *buf, size_t size)
{
	if (k >= 0 && (unsigned)k < w->nnames && w->names[k] != NULL)
		return w->names[k];
	if (k == VRRP_WORK_KINDS - 1)
		snprintf(buf, size, "kind %d or over", k);
	else
		snprintf(buf, size, "kind %d", k);
	return buf;
}

static double
ms(uint64_t usec)
{
	return (double)usec / 1e3;
}

void
vrrp_work_dump(const struct vrrp_work *w, FILE *fp)
{
	const struct vrrp_work_slice_stat *s = &w->slice;
	char buf[32];

	fprintf(fp, " VRRP work items done = %llu, longest slice %.3f ms",
	    (unsigned long long)w->done, ms(vrrp_work_longest(w)));
	if (s->kind >= 0)
		fprintf(fp, " (cpu %.3f ms, waiting for a CPU %.3f ms, "
		    "%llu sleep(s), %llu preemption(s), %u item(s)), "
		    "item kind %s (%.3f ms, cpu %.3f ms)", ms(s->cost.cpu),
		    ms(s->cost.wait), (unsigned long long)s->cost.sleeps,
		    (unsigned long long)s->cost.preempts, s->items,
		    kind_name(w, s->kind, buf, sizeof(buf)), ms(s->item.wall),
		    ms(s->item.cpu));
	fputc('\n', fp);
	for (int k = 0; k < VRRP_WORK_KINDS; k++) {
		const struct vrrp_work_kind_stat *ks = &w->kinds[k];

		if (ks->n == 0)
			continue;
		fprintf(fp, " VRRP work items of kind %s = %llu, longest "
		    "%.3f ms (cpu %.3f ms), most cpu %.3f ms, mean %.3f ms "
		    "(cpu %.3f ms)\n", kind_name(w, k, buf, sizeof(buf)),
		    (unsigned long long)ks->n, ms(ks->longest.wall),
		    ms(ks->longest.cpu), ms(ks->cpu_max),
		    ms(ks->wall_sum / ks->n), ms(ks->cpu_sum / ks->n));
	}
}

void
vrrp_work_free(struct vrrp_work *w)
{
	struct work_item *it;

	if (w == NULL)
		return;
	while ((it = w->head) != NULL) {
		w->head = it->next;
		free(it);
	}
	if (w->drain != NULL)
		loop_timer_free(w->drain);
	if (w->schedstat >= 0)
		close(w->schedstat);
	free(w);
}
