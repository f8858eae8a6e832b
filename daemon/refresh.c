/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A refresh waits, per child, for the snapshot that answers its request:
 * the child names in each snapshot the last request it answers, so a
 * snapshot it sends of its own accord (after a start or a reload) is not
 * taken for it. Refreshes asked while a request is on its way share it.
 */
#include "autoconfig.h"

#include "refresh.h"

#include <stdlib.h>

#include "ipc.h"
#include "ipc_msg.h"
#include "log.h"
#include "loop.h"
#include "subsys.h"
#include "supervisor_int.h"

struct refresh {
	struct refresh *next;
	struct supervisor *sv;
	refresh_fn *fn;
	void *arg;
	struct loop_timer *timer;
	uint64_t until;			/* the hard bound (loop_now_usec) */
	int timed_out;
	/* per slot: the request that answers it, to the child started at
	 * started[i]; 0: not waiting */
	uint32_t want[SLOT_MAX];
	uint64_t started[SLOT_MAX];
};

/* Slot i has not answered r yet (and still can: the child asked runs). */
static int
refresh_waits(const struct refresh *r, unsigned i)
{
	const struct slot *s = &r->sv->slots[i];

	return r->want[i] != 0 && s->ipc != NULL && !s->stopping &&
	    s->started == r->started[i] &&
	    !ipc_seq_ge(s->st.answered, r->want[i]);
}

static void
refresh_unlink(struct refresh *r)
{
	for (struct refresh **pp = &r->sv->refreshes; *pp != NULL;
	    pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			return;
		}
}

static void
refresh_finish(struct refresh *r)
{
	refresh_fn *fn = r->fn;
	void *arg = r->arg;
	int timed_out = r->timed_out;

	refresh_unlink(r);
	loop_timer_free(r->timer);
	free(r);
	if (fn != NULL)
		fn(arg, timed_out);
}

static int
refresh_done(const struct refresh *r)
{
	for (unsigned i = 0; i < r->sv->nslots; i++)
		if (refresh_waits(r, i))
			return 0;
	return 1;
}

/* A snapshot it waits for is arriving (a large one takes seconds), or
 * held by its child within the hold's bound. */
static int
refresh_coming(const struct refresh *r)
{
	const struct supervisor *sv = r->sv;

	for (unsigned i = 0; i < sv->nslots; i++) {
		const struct slot *s = &sv->slots[i];

		if (refresh_waits(r, i) &&
		    (s->st.receiving || slot_snapshot_held(s)))
			return 1;
	}
	return 0;
}

static void
refresh_timeout(struct loop_timer *t, void *arg)
{
	struct refresh *r = arg;

	(void)t;
	if (!refresh_done(r) && refresh_coming(r) &&
	    loop_now_usec() < r->until) {
		loop_timer_start(r->timer, REFRESH_POLL_USEC, 0);
		return;		/* on its way: wait, up to the hard bound */
	}
	if (!refresh_done(r)) {
		r->timed_out = 1;
		log_info("state refresh: not every child answered within the "
		    "bound; answering from what they said before");
	}
	refresh_finish(r);
}

int
refresh_request(struct supervisor *sv, uint64_t wait_usec,
    uint64_t max_usec, refresh_fn *fn, void *arg)
{
	struct refresh *r = calloc(1, sizeof(*r));
	int asked = 0;

	if (r == NULL)
		return -1;
	r->sv = sv;
	r->fn = fn;
	r->arg = arg;
	if ((r->timer = loop_timer_new(sv->base, refresh_timeout, r)) == NULL) {
		free(r);
		return -1;
	}
	for (unsigned i = 0; i < sv->nslots; i++) {
		struct slot *s = &sv->slots[i];

		if (s->ipc == NULL || s->stopping || s->gen_acked == 0)
			continue;
		r->started[i] = s->started;
		if (s->snap_started == s->started && s->snap_want != 0 &&
		    !ipc_seq_ge(s->st.answered, s->snap_want)) {
			/* asked already, not answered yet: that answer is
			 * fresh enough, and 100 clients ask only once */
			r->want[i] = s->snap_want;
			asked++;
			continue;
		}
		if ((r->want[i] = slot_snapshot_ask(s)) == 0)
			continue;
		s->snap_want = r->want[i];
		s->snap_started = s->started;
		asked++;
	}
	r->next = sv->refreshes;
	sv->refreshes = r;
	if (wait_usec == 0)
		wait_usec = REFRESH_WAIT_USEC;
	if (max_usec == 0)
		max_usec = REFRESH_MAX_USEC;
	r->until = loop_now_usec() + max_usec;
	/* nothing to wait for: still called back from the loop */
	loop_timer_start(r->timer, asked > 0 ? (wait_usec < max_usec ?
	    wait_usec : max_usec) : 0, 0);
	return 0;
}

void
refresh_cancel(struct supervisor *sv, void *arg)
{
	for (struct refresh *r = sv->refreshes; r != NULL; r = r->next)
		if (r->arg == arg)
			r->fn = NULL;
}

void
refresh_update(struct supervisor *sv)
{
	struct refresh *r;

again:
	for (r = sv->refreshes; r != NULL; r = r->next)
		if (refresh_done(r)) {
			/* the callback may ask or cancel: start over */
			refresh_finish(r);
			goto again;
		}
}

void
refresh_fini(struct supervisor *sv)
{
	while (sv->refreshes != NULL) {
		struct refresh *r = sv->refreshes;

		sv->refreshes = r->next;
		loop_timer_free(r->timer);
		free(r);
	}
}
