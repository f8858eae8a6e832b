/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rendering in a forked copy of the parent (offload.h). The copy writes
 * into a memfd and exits; the reaper tells the parent, which maps the
 * file and hands the bytes on. A copy past its deadline is killed.
 */
#include "autoconfig.h"

#include "offload.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loop.h"
#include "reap.h"
#include "supervisor_int.h"

#define OFFLOAD_DEFAULT_USEC (60ULL * 1000000)

struct offload {
	pid_t pid;
	int memfd;
	struct reaper *r;
	struct loop_timer *deadline;
	offload_done_fn *done;
	void *arg;
	int timed_out;
};

static unsigned running;

int
offload_worth(const struct supervisor *sv)
{
	static long limit = -1;
	size_t n = 0;

	if (limit < 0) {
		/* the tests drive the forked path with small stores */
		const char *e = getenv("VIGIL_OFFLOAD_OBJECTS");
		char *end;

		limit = OFFLOAD_OBJECTS;
		if (e != NULL && *e != '\0') {
			long v = strtol(e, &end, 10);

			if (*end == '\0' && v >= 0)
				limit = v;
		}
	}
	for (unsigned i = 0; i < sv->nslots; i++)
		n += sv->slots[i].st.objs.n;
	return n >= (size_t)limit;
}

unsigned
offload_running(void)
{
	return running;
}

static void
offload_free(struct offload *o)
{
	if (o->deadline != NULL)
		loop_timer_free(o->deadline);
	if (o->memfd >= 0)
		close(o->memfd);
	free(o);
	running--;
}

/* The forked copy: the parent's signal handlers would write into the
 * parent's own signal pipe, so they go back to the defaults first. */
static void __attribute__((noreturn))
child_run(int memfd, offload_fn *fn, void *arg)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1,
	    SIGUSR2, SIGCHLD, SIGALRM };
	sigset_t none;
	FILE *fp;
	int rc;

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* gone with the parent */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if ((fp = fdopen(memfd, "w")) == NULL)
		_exit(2);
	rc = fn(fp, arg);
	if (fflush(fp) != 0 || ferror(fp))
		rc = -1;
	_exit(rc == 0 ? 0 : 1);
}

static void
discard(pid_t pid, int status, void *arg)
{
	(void)pid;
	(void)status;
	(void)arg;
}

static void
reaped(pid_t pid, int status, void *arg)
{
	struct offload *o = arg;
	struct stat st;
	void *map = NULL;
	size_t len = 0;
	const char *why = NULL;

	(void)pid;
	if (o->timed_out)
		why = "killed at its deadline";
	else if (WIFSIGNALED(status))
		why = "killed by a signal";
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		why = "failed (out of memory?)";
	else if (fstat(o->memfd, &st) < 0)
		why = "cannot read its output";
	else if ((len = (size_t)st.st_size) > 0 &&
	    (map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, o->memfd, 0)) ==
	    MAP_FAILED) {
		map = NULL;
		why = "cannot map its output";
	}
	if (why != NULL)
		o->done(o->arg, NULL, 0, why);
	else
		o->done(o->arg, map != NULL ? map : "", len, NULL);
	if (map != NULL)
		munmap(map, len);
	offload_free(o);
}

static void
expired(struct loop_timer *t, void *arg)
{
	struct offload *o = arg;

	(void)t;
	o->timed_out = 1;
	kill(o->pid, SIGKILL);
}

struct offload *
offload_start(struct event_base *base, struct reaper *r, offload_fn *fn,
    offload_done_fn *done, void *arg, uint64_t timeout_usec)
{
	struct offload *o;

	if (running >= OFFLOAD_MAX) {
		errno = EBUSY;
		return NULL;
	}
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	running++;
	o->r = r;
	o->done = done;
	o->arg = arg;
	o->memfd = memfd_create("vigil-render", MFD_CLOEXEC);
	o->deadline = loop_timer_new(base, expired, o);
	if (o->memfd < 0 || o->deadline == NULL) {
		offload_free(o);
		return NULL;
	}
	if ((o->pid = fork()) < 0) {
		offload_free(o);
		return NULL;
	}
	if (o->pid == 0)
		child_run(o->memfd, fn, arg);
	if (reaper_watch(r, o->pid, reaped, o) < 0) {
		kill(o->pid, SIGKILL);
		waitpid(o->pid, NULL, 0);
		offload_free(o);
		return NULL;
	}
	loop_timer_start(o->deadline, timeout_usec > 0 ? timeout_usec :
	    OFFLOAD_DEFAULT_USEC, 0);
	return o;
}

void
offload_cancel(struct offload *o)
{
	if (o == NULL)
		return;
	kill(o->pid, SIGKILL);
	/* collected quietly when it goes */
	if (reaper_watch(o->r, o->pid, discard, NULL) < 0)
		reaper_forget(o->r, o->pid);
	offload_free(o);
}
