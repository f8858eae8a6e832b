/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP child's work queue, drained in slices by a timer at the lowest
 * event priority: each turn of the loop runs the due adverts, down timers
 * and received adverts first, then at most one slice of queued work.
 */
#include "vrrp/work.h"

#include <errno.h>
#include <stdlib.h>

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
	uint64_t longest;		/* usec, of a slice */
	unsigned max_items;
	uint64_t max_usec;
	/* usec to sleep before a slice */
	uint64_t (*pause)(void *arg, uint64_t cost);
};

static void
work_arm(struct vrrp_work *w)
{
	if (w->head != NULL && !loop_timer_pending(w->drain) &&
	    loop_timer_start(w->drain, 0, 0) != 0)
		log_err("VRRP work queue: cannot arm its timer");
}

/* Unlink and run the first item; fn may push more. */
static void
work_run_first(struct vrrp_work *w)
{
	struct work_item *it = w->head;

	w->head = it->next;
	if (w->head == NULL)
		w->tail = &w->head;
	w->n--;
	w->done++;
	w->fn(w->arg, it->owner, it->kind, it->a, it->b);
	free(it);
}

unsigned
vrrp_work_slice(struct vrrp_work *w)
{
	uint64_t start = loop_now_usec();
	unsigned ran = 0;

	uint64_t took = 0;

	while (w->head != NULL && ran < w->max_items) {
		work_run_first(w);
		ran++;
		took = loop_now_usec() - start;
		if (w->max_usec > 0 && took >= w->max_usec)
			break;
	}
	if (took > w->longest)
		w->longest = took;
	return ran;
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
	while ((it = w->solo_head) != NULL) {
		w->solo_head = it->next;
		w->done++;
		w->fn(w->arg, it->owner, it->kind, it->a, it->b);
		free(it);
	}
	w->solo = solo;
}

void
vrrp_work_flush(struct vrrp_work *w)
{
	/* bounded: items pushed while flushing run too, but no item kind
	 * pushes another */
	if (w == NULL)
		return;
	while (w->head != NULL)
		work_run_first(w);
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
	return w != NULL ? w->longest : 0;
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
	free(w);
}
