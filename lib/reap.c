/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Child reaper: SIGCHLD arrives as a libevent signal event; every exited
 * child is collected with waitpid(-1, WNOHANG) and handed to the callback
 * watching its pid. Watches live in a chained hash table keyed by pid, so
 * thousands of concurrent scripts cost O(1) each.
 */
#include "reap.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <event2/event.h>

#include "log.h"

#define REAP_MIN_BUCKETS 64

struct reap_watch {
	struct reap_watch *next;
	pid_t pid;
	reap_fn *fn;
	void *arg;
};

struct reaper {
	struct event *sigev;
	struct reap_watch **bucket;
	size_t nbucket;		/* power of two */
	size_t count;
	int busy;		/* inside reaper_poll() */
	int doomed;		/* reaper_free() called while busy */
};

static size_t
reap_hash(const struct reaper *r, pid_t pid)
{
	return ((size_t)pid * 2654435761u) & (r->nbucket - 1);
}

static void
reap_sig_cb(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	reaper_poll(arg);
}

struct reaper *
reaper_new(struct event_base *base)
{
	struct reaper *r;

	if (base == NULL) {
		errno = EINVAL;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return NULL;
	r->nbucket = REAP_MIN_BUCKETS;
	r->bucket = calloc(r->nbucket, sizeof(*r->bucket));
	r->sigev = evsignal_new(base, SIGCHLD, reap_sig_cb, r);
	if (r->bucket == NULL || r->sigev == NULL ||
	    evsignal_add(r->sigev, NULL) != 0) {
		if (r->sigev != NULL)
			event_free(r->sigev);
		free(r->bucket);
		free(r);
		return NULL;
	}
	return r;
}

static void
reap_destroy(struct reaper *r)
{
	struct reap_watch *w, *n;
	size_t i;

	for (i = 0; i < r->nbucket; i++) {
		for (w = r->bucket[i]; w != NULL; w = n) {
			n = w->next;
			free(w);
		}
	}
	free(r->bucket);
	free(r);
}

void
reaper_free(struct reaper *r)
{
	if (r == NULL)
		return;
	if (r->sigev != NULL) {
		event_free(r->sigev);
		r->sigev = NULL;
	}
	if (r->busy) {
		r->doomed = 1;
		return;
	}
	reap_destroy(r);
}

static void
reap_grow(struct reaper *r)
{
	struct reap_watch **nb, **old = r->bucket, *w, *n;
	size_t i, oldn = r->nbucket;

	nb = calloc(oldn * 2, sizeof(*nb));
	if (nb == NULL)
		return;		/* longer chains, still correct */
	r->bucket = nb;
	r->nbucket = oldn * 2;
	for (i = 0; i < oldn; i++) {
		for (w = old[i]; w != NULL; w = n) {
			size_t h = reap_hash(r, w->pid);

			n = w->next;
			w->next = nb[h];
			nb[h] = w;
		}
	}
	free(old);
}

/* Unlink and return the watch for pid, or NULL. */
static struct reap_watch *
reap_take(struct reaper *r, pid_t pid)
{
	struct reap_watch **pp, *w;

	for (pp = &r->bucket[reap_hash(r, pid)]; (w = *pp) != NULL;
	    pp = &w->next) {
		if (w->pid == pid) {
			*pp = w->next;
			r->count--;
			return w;
		}
	}
	return NULL;
}

int
reaper_watch(struct reaper *r, pid_t pid, reap_fn *fn, void *arg)
{
	struct reap_watch *w;
	size_t h;

	if (r == NULL || pid <= 0 || fn == NULL) {
		errno = EINVAL;
		return -1;
	}
	w = reap_take(r, pid);
	if (w == NULL) {
		w = malloc(sizeof(*w));
		if (w == NULL)
			return -1;
	}
	w->pid = pid;
	w->fn = fn;
	w->arg = arg;
	if (r->count >= r->nbucket)
		reap_grow(r);
	h = reap_hash(r, pid);
	w->next = r->bucket[h];
	r->bucket[h] = w;
	r->count++;
	return 0;
}

void
reaper_forget(struct reaper *r, pid_t pid)
{
	if (r == NULL)
		return;
	free(reap_take(r, pid));
}

void
reaper_poll(struct reaper *r)
{
	struct reap_watch *w;
	int status;
	pid_t pid;

	if (r == NULL || r->doomed)
		return;
	r->busy++;
	while (!r->doomed) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid <= 0)
			break;
		w = reap_take(r, pid);
		if (w == NULL) {
			log_debug("reaped unwatched child %ld (status 0x%x)",
			    (long)pid, (unsigned)status);
			continue;
		}
		/* Unlinked first: the callback may watch a new pid or
		 * forget others. */
		w->fn(pid, status, w->arg);
		free(w);
	}
	if (--r->busy == 0 && r->doomed)
		reap_destroy(r);
}
