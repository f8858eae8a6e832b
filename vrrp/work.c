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
 *
 * Under vrrp_rt_priority the child must block before RLIMIT_RTTIME's count
 * reaches vrrp_rlimit_rttime. Each kind's recent worst CPU per item is
 * kept (a decaying maximum); a slice asks the pause with what the items
 * it would run are expected to cost, and before each item after its
 * first, ends if the time run since the child last blocked and that
 * item's expected cost would pass what vrrp_gap_rt_block allows: one
 * dear item is foreseen, and the next slice sleeps first.
 *
 * The figures are kept over the queue's whole life and over its bursts
 * (from an empty queue to an empty queue again): the running one, the
 * first, and the last of each label (what queued the work: a start, a
 * reload, a takeover), so that the dump says what the last reload or
 * takeover cost, not only the worst since the child started.
 */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "vrrp/work.h"

#include "vrrp/gap.h"

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
	struct vrrp_work_stats life;	/* the whole life */
	struct vrrp_work_burst cur;	/* the running burst, or the last */
	struct vrrp_work_burst first;	/* once over */
	/* the last burst of each label (label[i]; NULL: free), once over */
	struct vrrp_work_burst by_label[VRRP_WORK_LABELS];
	const char *label[VRRP_WORK_LABELS];
	uint64_t bursts;		/* started so far */
	const char *cause;		/* until the queue's next turn */
	int in_item;			/* an item is running */
	const char *const *names;
	unsigned nnames;
	vrrp_work_clock_fn *clock;
	void *clock_arg;
	int schedstat;			/* /proc/thread-self/schedstat, or -1 */
	int in_slice;			/* a slice is running its items */
	/* a burst is not over while held (vrrp_work_hold) */
	int held;
	uint64_t slice_start;		/* its start, wall usec */
	/* realtime: what the child ran since it last blocked (usec) and
	 * the limit */
	vrrp_work_rt_fn *rt;
	int slice_rt;			/* the slice running is bounded */
	uint64_t slice_used, slice_limit, slice_cpu;
	int kind_running;		/* the kind of the item running */
	/* each kind's expected CPU per item (usec; 0: none run yet) */
	uint64_t expect[VRRP_WORK_KINDS];
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

	struct timespec ts;

	s->wall = loop_now_usec();
	s->cpu = loop_thread_cpu_usec();
	if (!full)
		return;
	s->real = clock_gettime(CLOCK_REALTIME, &ts) == 0 ?
	    (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000 : 0;
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

static int
kind_slot(int kind)
{
	return kind >= 0 && kind < VRRP_WORK_KINDS ? kind :
	    VRRP_WORK_KINDS - 1;
}

/* An item of kind that cost c, in st. */
static void
stats_item(struct vrrp_work_stats *st, int kind,
    const struct vrrp_work_cost *c)
{
	struct vrrp_work_kind_stat *k = &st->kinds[kind_slot(kind)];

	st->done++;
	k->n++;
	k->wall_sum += c->wall;
	k->cpu_sum += c->cpu;
	if (k->n == 1 || c->wall > k->longest.wall)
		k->longest = *c;
	if (c->cpu > k->cpu_max)
		k->cpu_max = c->cpu;
}

/* A slice that cost c and ran items, the longest of kind (worst), in st:
 * the longest slice kept. */
static void
stats_slice(struct vrrp_work_stats *st, const struct vrrp_work_cost *c,
    unsigned items, int kind, const struct vrrp_work_cost *worst)
{
	if (st->slice.kind >= 0 && c->wall <= st->slice.cost.wall)
		return;
	st->slice.cost = *c;
	st->slice.items = items;
	st->slice.kind = kind;
	st->slice.item = *worst;
}

static void
stats_init(struct vrrp_work_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->slice.kind = -1;
}

/* The label of work of kind queued with no cause: the kind's name. */
static const char *
kind_label(const struct vrrp_work *w, int kind)
{
	if (kind >= 0 && (unsigned)kind < w->nnames && w->names[kind] != NULL)
		return w->names[kind];
	return "unnamed kind";
}

static int
burst_has(const struct vrrp_work_burst *b, const char *label)
{
	for (unsigned i = 0; i < b->nlabels; i++)
		if (strcmp(b->labels[i], label) == 0)
			return 1;
	return 0;
}

/* Work queued into the running burst (opened first if none runs): its
 * label is the cause in force, else its kind's name; none for work an
 * item queues. */
static void
burst_join(struct vrrp_work *w, int kind)
{
	struct vrrp_work_burst *b = &w->cur;
	struct vrrp_work_sample now;
	const char *label;

	if (!b->running) {
		w->clock(w->clock_arg, &now, 0);
		memset(b, 0, sizeof(*b));
		stats_init(&b->st);
		b->seq = ++w->bursts;
		b->running = 1;
		b->start = now.wall;
	} else if (w->in_item)
		return;
	label = w->cause != NULL ? w->cause : kind_label(w, kind);
	if (burst_has(b, label))
		return;
	if (b->nlabels < VRRP_WORK_BURST_LABELS)
		b->labels[b->nlabels++] = label;
	else
		b->more++;
}

/* The slot keeping label's last burst: its own, a free one, or the one
 * whose burst is the oldest. */
static unsigned
label_slot(struct vrrp_work *w, const char *label)
{
	unsigned i, pick = 0;

	for (i = 0; i < VRRP_WORK_LABELS; i++)
		if (w->label[i] != NULL && strcmp(w->label[i], label) == 0)
			return i;
	for (i = 0; i < VRRP_WORK_LABELS; i++) {
		if (w->label[i] == NULL)
			return i;
		if (w->by_label[i].seq < w->by_label[pick].seq)
			pick = i;
	}
	return pick;
}

/* The running burst is over if the queue is empty (at: the clocks now);
 * kept as the first and as the last of each of its labels. */
static void
burst_end(struct vrrp_work *w, const struct vrrp_work_sample *at)
{
	struct vrrp_work_burst *b = &w->cur;

	if (!b->running || w->head != NULL || w->in_slice || w->in_item ||
	    w->held)
		return;
	b->running = 0;
	b->end = at->wall;
	if (b->seq == 1)
		w->first = *b;
	for (unsigned i = 0; i < b->nlabels; i++) {
		unsigned k = label_slot(w, b->labels[i]);

		w->label[k] = b->labels[i];
		w->by_label[k] = *b;
	}
}

/* The kind's expected cost (usec of CPU): its recent worst item, decaying
 * by an eighth of the difference with each cheaper one; a kind not run
 * yet is expected to take a whole slice. */
static uint64_t
kind_expect(const struct vrrp_work *w, int kind)
{
	uint64_t x = w->expect[kind_slot(kind)];

	return x > 0 ? x : w->max_usec;
}

static void
expect_item(struct vrrp_work *w, int kind, uint64_t cpu)
{
	uint64_t *x = &w->expect[kind_slot(kind)];

	if (cpu >= *x)
		*x = cpu > 0 ? cpu : 1;
	else
		*x -= (*x - cpu) / VRRP_WORK_EXPECT_DECAY;
}

/* What the next slice is expected to cost: its items' expected costs,
 * as many as it would run (max_items, or until max_usec is reached). */
static uint64_t
slice_expect(const struct vrrp_work *w)
{
	uint64_t sum = 0;
	unsigned n = 0;

	for (const struct work_item *it = w->head; it != NULL &&
	    n < w->max_items; it = it->next, n++) {
		sum += kind_expect(w, it->kind);
		if (w->max_usec > 0 && sum >= w->max_usec)
			break;
	}
	return sum;
}

/* Whether an item of kind, run now (at), would take the child past what
 * the realtime budget allows: the slice's time so far (its CPU, or its
 * wall if longer: preempted, the child is still running for the kernel's
 * count) added to what the child had run when it began. */
static int
slice_rt_over(const struct vrrp_work *w, const struct vrrp_work_sample *at,
    int kind)
{
	uint64_t wall, cpu;

	if (!w->slice_rt)
		return 0;
	wall = since(w->slice_start, at->wall);
	cpu = since(w->slice_cpu, at->cpu);
	return vrrp_gap_rt_block(w->slice_used + (wall > cpu ? wall : cpu),
	    kind_expect(w, kind), w->slice_limit);
}

/* Run it (unlinked by the caller) and free it; at is the clocks' reading
 * before it, read again after it; c what it cost. */
static void
item_run(struct vrrp_work *w, struct work_item *it,
    struct vrrp_work_sample *at, struct vrrp_work_cost *c)
{
	struct vrrp_work_sample before = *at;

	int outer = w->kind_running;

	w->in_item++;
	w->kind_running = it->kind;
	w->fn(w->arg, it->owner, it->kind, it->a, it->b);
	w->kind_running = outer;
	w->in_item--;
	w->clock(w->clock_arg, at, 0);
	cost_between(&before, at, 0, c);
	expect_item(w, it->kind, c->cpu);
	stats_item(&w->life, it->kind, c);
	if (w->cur.running) {
		stats_item(&w->cur.st, it->kind, c);
		/* a slice counts its own (with what runs between items) */
		if (!w->in_slice) {
			w->cur.busy += c->wall;
			w->cur.busy_cpu += c->cpu;
		}
	}
	free(it);
}

/* The timer runs a slice when work is queued, and ends a cause. */
static void
work_arm(struct vrrp_work *w)
{
	if ((w->head != NULL || w->cause != NULL) &&
	    !loop_timer_pending(w->drain) &&
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

	w->cause = NULL;
	if (w->head == NULL)
		return 0;
	w->clock(w->clock_arg, &start, 1);
	at = start;
	w->in_slice = 1;
	w->slice_start = start.wall;
	w->slice_cpu = start.cpu;
	w->slice_rt = w->rt != NULL && w->rt(w->arg, &w->slice_used,
	    &w->slice_limit) == 0;
	while (w->head != NULL && ran < w->max_items) {
		/* the first runs (the pause was asked for it) */
		if (ran > 0 && slice_rt_over(w, &at, w->head->kind)) {
			w->life.rt_cut++;
			if (w->cur.running)
				w->cur.st.rt_cut++;
			break;
		}
		kind = work_run_first(w, &at, &item);
		if (ran++ == 0 || item.wall > worst.wall) {
			worst = item;
			worst_kind = kind;
		}
		if (slice_spent(w, at.wall))
			break;
	}
	w->in_slice = 0;
	w->slice_rt = 0;
	w->clock(w->clock_arg, &end, 1);
	cost_between(&start, &end, 1, &cost);
	stats_slice(&w->life, &cost, ran, worst_kind, &worst);
	if (w->cur.running) {
		stats_slice(&w->cur.st, &cost, ran, worst_kind, &worst);
		w->cur.slices++;
		w->cur.busy += cost.wall;
		w->cur.busy_cpu += cost.cpu;
		burst_end(w, &end);
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
	/* realtime: the next part is taken to cost what an item of its
	 * kind does */
	return slice_spent(w, now.wall) ||
	    slice_rt_over(w, &now, w->kind_running);
}

static void
on_drain(struct loop_timer *t, void *arg)
{
	struct vrrp_work *w = arg;
	uint64_t pause;

	w->cause = NULL;
	if (w->head == NULL)
		return;
	if (w->pause != NULL && (pause = w->pause(w->arg,
	    slice_expect(w))) > 0 &&
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
	stats_init(&w->life);
	w->cur.st.slice.kind = w->first.st.slice.kind = -1;
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
	vrrp_work_cause(w, "start");
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
	burst_join(w, kind);
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
	burst_join(w, kind);
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
	if (mine != NULL)
		burst_end(w, &at);
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
	if (w->head == NULL)
		return;
	w->clock(w->clock_arg, &at, 0);
	while (w->head != NULL)
		work_run_first(w, &at, &c);
	loop_timer_stop(w->drain);
	burst_end(w, &at);
	/* a cause still ends with this turn */
	work_arm(w);
}

void
vrrp_work_hold(struct vrrp_work *w, int on)
{
	struct vrrp_work_sample at;

	if (w == NULL || w->held == !!on)
		return;
	w->held = !!on;
	if (on)
		return;
	w->clock(w->clock_arg, &at, 0);
	burst_end(w, &at);
}

void
vrrp_work_cause(struct vrrp_work *w, const char *what)
{
	if (w == NULL)
		return;
	w->cause = what;
	work_arm(w);
}

size_t
vrrp_work_pending(const struct vrrp_work *w)
{
	return w != NULL ? w->n : 0;
}

uint64_t
vrrp_work_done(const struct vrrp_work *w)
{
	return w != NULL ? w->life.done : 0;
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
	return w != NULL && w->life.slice.kind >= 0 ?
	    w->life.slice.cost.wall : 0;
}

void
vrrp_work_set_rt(struct vrrp_work *w, vrrp_work_rt_fn *fn)
{
	if (w != NULL)
		w->rt = fn;
}

uint64_t
vrrp_work_expect(const struct vrrp_work *w, int kind)
{
	return w != NULL ? kind_expect(w, kind) : 0;
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
	return &w->life.kinds[kind];
}

const struct vrrp_work_slice_stat *
vrrp_work_longest_slice(const struct vrrp_work *w)
{
	return w != NULL ? &w->life.slice : NULL;
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

/* what's lines: items done and the longest slice of st, then one line
 * per kind that ran. */
static void
stats_dump(const struct vrrp_work *w, const struct vrrp_work_stats *st,
    const char *what, FILE *fp)
{
	const struct vrrp_work_slice_stat *s = &st->slice;
	char buf[32];

	fprintf(fp, " %s items done = %llu, ", what,
	    (unsigned long long)st->done);
	if (st->rt_cut > 0)
		fprintf(fp, "%llu slice(s) ended early for the realtime "
		    "budget, ", (unsigned long long)st->rt_cut);
	fprintf(fp, "longest slice %.3f ms",
	    ms(s->kind >= 0 ? s->cost.wall : 0));
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
		const struct vrrp_work_kind_stat *ks = &st->kinds[k];

		if (ks->n == 0)
			continue;
		fprintf(fp, " %s items of kind %s = %llu, longest "
		    "%.3f ms (cpu %.3f ms), most cpu %.3f ms, mean %.3f ms "
		    "(cpu %.3f ms)\n", what, kind_name(w, k, buf, sizeof(buf)),
		    (unsigned long long)ks->n, ms(ks->longest.wall),
		    ms(ks->longest.cpu), ms(ks->cpu_max),
		    ms(ks->wall_sum / ks->n), ms(ks->cpu_sum / ks->n));
	}
}

/* real (usec since the epoch) as keepalived's dump writes a time:
 * "1764770983.054104 (Thu Dec  3 14:09:43.054104 2026)". */
static void
real_time(char *buf, size_t size, uint64_t real)
{
	char day[32], year[8];
	time_t t = (time_t)(real / 1000000);
	unsigned long usec = (unsigned long)(real % 1000000);
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(day, sizeof(day), "%a %b %e %H:%M:%S", &tm) == 0 ||
	    strftime(year, sizeof(year), "%Y", &tm) == 0)
		snprintf(buf, size, "%llu.%06lu",
		    (unsigned long long)(real / 1000000), usec);
	else
		snprintf(buf, size, "%llu.%06lu (%s.%06lu %s)",
		    (unsigned long long)(real / 1000000), usec, day, usec,
		    year);
}

/* A burst's lines; now is the dump's reading of the clocks. */
static void
burst_dump(const struct vrrp_work *w, const struct vrrp_work_burst *b,
    const struct vrrp_work_sample *now, FILE *fp)
{
	uint64_t ago = since(b->start, now->wall);
	char what[48], when[80];

	snprintf(what, sizeof(what), "VRRP work burst %llu",
	    (unsigned long long)b->seq);
	fprintf(fp, " %s (", what);
	for (unsigned i = 0; i < b->nlabels; i++)
		fprintf(fp, "%s%s", i > 0 ? ", " : "", b->labels[i]);
	if (b->more > 0)
		fprintf(fp, " and %u more", b->more);
	fputs("): started ", fp);
	if (now->real > ago) {
		real_time(when, sizeof(when), now->real - ago);
		fprintf(fp, "%s, ", when);
	}
	fprintf(fp, "%.3f s before this dump, %s %.3f ms, %llu slice(s), "
	    "busy %.3f ms (cpu %.3f ms)\n", (double)ago / 1e6,
	    b->running ? "running for" : "over in",
	    ms(b->running ? ago : since(b->start, b->end)),
	    (unsigned long long)b->slices, ms(b->busy), ms(b->busy_cpu));
	stats_dump(w, &b->st, what, fp);
}

void
vrrp_work_dump(const struct vrrp_work *w, FILE *fp)
{
	const struct vrrp_work_burst *keep[VRRP_WORK_LABELS + 2], *t;
	struct vrrp_work_sample now;
	unsigned n = 0, i, j;

	if (w == NULL)
		return;
	stats_dump(w, &w->life, "VRRP work", fp);
	/* each burst kept once, oldest first */
	keep[n++] = &w->cur;
	keep[n++] = &w->first;
	for (i = 0; i < VRRP_WORK_LABELS; i++)
		keep[n++] = &w->by_label[i];
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && keep[j]->seq < keep[j - 1]->seq; j--) {
			t = keep[j];
			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	w->clock(w->clock_arg, &now, 1);
	for (i = 0; i < n; i++)
		if (keep[i]->seq > 0 && (i == 0 || keep[i]->seq !=
		    keep[i - 1]->seq))
			burst_dump(w, keep[i], &now, fp);
}

const struct vrrp_work_burst *
vrrp_work_burst_first(const struct vrrp_work *w)
{
	if (w == NULL)
		return NULL;
	if (w->first.seq == 1)
		return &w->first;
	return w->cur.seq == 1 ? &w->cur : NULL;
}

const struct vrrp_work_burst *
vrrp_work_burst_last(const struct vrrp_work *w)
{
	return w != NULL && w->cur.seq > 0 ? &w->cur : NULL;
}

const struct vrrp_work_burst *
vrrp_work_burst_of(const struct vrrp_work *w, const char *label)
{
	if (w == NULL || label == NULL)
		return NULL;
	if (burst_has(&w->cur, label))
		return &w->cur;
	for (unsigned i = 0; i < VRRP_WORK_LABELS; i++)
		if (w->label[i] != NULL && strcmp(w->label[i], label) == 0)
			return &w->by_label[i];
	return burst_has(&w->first, label) ? &w->first : NULL;
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
