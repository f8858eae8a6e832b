/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A reload's parse, off the parent's loop (reload.h). One worker thread at
 * a time reads and builds the new file, runs its host checks, lists what
 * it changes against the running generation (read only: nothing else
 * replaces it meanwhile) and encodes each running child's part; its log
 * lines are held (log_capture) and written by the loop, in order, when it
 * is done. The loop meanwhile answers control clients, scrapes and its
 * children. A request while a parse runs is served by one more parse once
 * it ends: the file may have changed after the running one read it.
 */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "arena.h"
#include "conf_preview.h"
#include "global_conf.h"
#include "log.h"
#include "netns.h"
#include "notify.h"
#include "options.h"
#include "pidfile.h"
#include "reload.h"
#include "state.h"
#include "supervisor.h"
#include "supervisor_int.h"
#include "vconfig.h"

/* Log lines one parse may hold (a file of many warnings); the rest are
 * counted. */
#define RELOAD_MAX_LINES 20000

struct reload_line {
	struct reload_line *next;
	int prio;
	char msg[];
};

struct reload_waiter {
	struct reload_waiter *next;
	reload_done_fn *fn;
	void *arg;
};

/* What the worker is given and what it hands back. */
struct reload_job {
	/* in */
	char *path;
	char *hold;		/* VIGIL_RELOAD_HOLD: tests hold the parse */
	char *hold_sent;	/* VIGIL_RELOAD_HOLD_SENT: and its end, once
				 * the children have their part */
	const struct conf_load_opts *lo;
	const struct vigil_config *old;
	const char *pid_file;	/* the parent's (reload_file's default) */
	/* the running generation's reload_check_config: the file is held
	 * to what vigild -t accepts, its messages also go to check_log */
	int check;
	char *check_log;
	FILE *check_fp;
	/* the running generation's reload_file: there while the file is
	 * read */
	char *reload_file;
	/* out */
	struct vigil_config *next;
	unsigned nerr, nwarn;
	char refused[512];	/* why a file that loaded is refused */
	char first_err[256];	/* the first error line it logged */
	struct reload_parts parts;	/* messages, objects' names */
	/* the worker appends, the loop takes them at each hand-back */
	pthread_mutex_t mu;
	struct reload_line *lines, **tail;
	unsigned nlines, dropped;
};

struct reload {
	struct supervisor *sv;
	int fds[2];		/* the worker writes a byte when done */
	struct event *ev;
	pthread_t th;
	int running;
	struct reload_job *job;
	struct reload_waiter *cur;	/* told by the running parse */
	struct reload_waiter *next;	/* told by the one after it */
	int again;		/* a request came during the running one */
	char cause[64];
	/* the parse's first hand-back ran: the children have the new
	 * generation; the old one is freed when the parse is done */
	int sent;
	struct vigil_config *old;
	char msg[512];		/* "configuration generation N loaded" */
	struct event *pool_ev;	/* gives the arena pool back */
};

/*
 * A reload's arenas take their chunks from what the ones before them
 * freed (arena_pool_keep): what the parse drops as it goes, and the
 * generation the last reload replaced, kept RELOAD_POOL_HOLD s after it
 * (reloads often come in bursts), then given back to the system. At
 * 10,000 virtual servers x 10 a generation is about 60 MB: fresh, its
 * pages took the parse thread 100-200 ms of the kernel zeroing them.
 */
#define RELOAD_POOL_MAX ((size_t)160 << 20)
#define RELOAD_POOL_HOLD 3
/* added to the parse thread's nice value once the children have their
 * parts */
#define RELOAD_LIST_NICE 10

static void
hold_line(void *arg, int prio, const char *msg)
{
	struct reload_job *j = arg;
	size_t len = strlen(msg);
	struct reload_line *l;

	pthread_mutex_lock(&j->mu);
	if (j->nlines >= RELOAD_MAX_LINES ||
	    (l = malloc(sizeof(*l) + len + 1)) == NULL) {
		j->dropped++;
		pthread_mutex_unlock(&j->mu);
		return;
	}
	if (prio <= LOG_ERR && j->first_err[0] == '\0')
		snprintf(j->first_err, sizeof(j->first_err), "%s", msg);
	l->next = NULL;
	l->prio = prio;
	memcpy(l->msg, msg, len + 1);
	*j->tail = l;
	j->tail = &l->next;
	j->nlines++;
	pthread_mutex_unlock(&j->mu);
}

/* The loop writes what the worker said so far, in order. */
static void
flush_lines(struct reload_job *j)
{
	struct reload_line *l, *n;
	unsigned dropped;

	pthread_mutex_lock(&j->mu);
	l = j->lines;
	j->lines = NULL;
	j->tail = &j->lines;
	dropped = j->dropped;
	j->dropped = 0;
	pthread_mutex_unlock(&j->mu);
	for (; l != NULL; l = n) {
		n = l->next;
		log_msg(l->prio, "%s", l->msg);
		free(l);
	}
	if (dropped > 0)
		log_warn("reload: %u more log line(s) of the parse not "
		    "logged", dropped);
}

/* To the loop: 'S' the parts are ready to send, 'D' the parse is done. */
static void
signal_loop(struct reload *rl, char c)
{
	while (write(rl->fds[1], &c, 1) < 0 && errno == EINTR)
		;
}

/* The calling thread's nice value RELOAD_LIST_NICE higher (at most 19):
 * Linux keeps one per thread. */
static void
lower_priority(void)
{
	id_t tid = (id_t)syscall(SYS_gettid);
	int cur;

	errno = 0;
	cur = getpriority(PRIO_PROCESS, tid);
	if (cur == -1 && errno != 0)
		return;
	(void)setpriority(PRIO_PROCESS, tid, cur + RELOAD_LIST_NICE > 19 ? 19 :
	    cur + RELOAD_LIST_NICE);
}

char *
reload_file_path(const struct vigil_config *c, const char *pid_file)
{
	const struct global_conf *g = c->conf[CONF_OWNER_GLOBAL];

	if (g == NULL || !g->reload_file_set)
		return NULL;
	return g->reload_file != NULL ? strdup(g->reload_file) :
	    pidfile_sibling(pid_file, ".reload");
}

void
reload_file_remove(const char *path)
{
	if (path != NULL && unlink(path) < 0 && errno != ENOENT)
		log_warn("reload_file %s: cannot remove it: %s", path,
		    strerror(errno));
}

int
reload_check_wanted(const struct vigil_config *c)
{
	const struct global_conf *g = c->conf[CONF_OWNER_GLOBAL];

	return g != NULL && g->reload_check_config;
}

/* Created, or emptied, before the configuration files are read: a
 * process updating them waits until it is gone. */
static void
reload_file_create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOCTTY, 0644);

	if (fd < 0)
		log_warn("reload_file %s: cannot create it: %s", path,
		    strerror(errno));
	else
		close(fd);
}

/* A diagnostic of a checked reload: logged, and in the check's file. */
static void
check_emit(void *arg, enum conf_sev sev, const struct conf_loc *loc,
    const char *msg)
{
	struct reload_job *j = arg;

	supervisor_log_diag(NULL, sev, loc, msg);
	if (j->check_fp != NULL)
		conf_diag_print(j->check_fp, sev, loc, msg);
}

/* reload_check_config LOG_FILE: emptied for each check (keepalived
 * truncates it too). */
static void
check_open(struct reload_job *j)
{
	int fd;

	if (j->check_log == NULL)
		return;
	fd = open(j->check_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW | O_NOCTTY, 0644);
	if (fd < 0 || (j->check_fp = fdopen(fd, "w")) == NULL) {
		log_warn("reload_check_config %s: cannot write it: %s; the "
		    "check's messages are only logged", j->check_log,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
	}
}

/* The check's end: the verdict as vigild -t writes it. */
static void
check_close(struct reload_job *j, int valid, const struct conf_diag *d)
{
	if (j->check_fp == NULL)
		return;
	if (j->refused[0] != '\0')
		conf_diag_print(j->check_fp, CONF_ERR, NULL, j->refused);
	vconfig_verdict(j->check_fp, j->path, valid, d);
	if (fclose(j->check_fp) != 0)
		log_warn("reload_check_config %s: writing it: %s",
		    j->check_log, strerror(errno));
	j->check_fp = NULL;
}

/* The files are read: the reload file goes, and the one the new
 * generation names if another (a process that has just written the new
 * file may wait for that one). */
static void
reload_file_done(struct reload_job *j)
{
	char *other;

	reload_file_remove(j->reload_file);
	if (j->next == NULL ||
	    (other = reload_file_path(j->next, j->pid_file)) == NULL)
		return;
	if (j->reload_file == NULL || strcmp(other, j->reload_file) != 0)
		reload_file_remove(other);
	free(other);
}

/* A test holds the worker while path exists (bounded: 60 s) to see the
 * loop answer meanwhile. */
static void
test_hold(const char *path)
{
	for (unsigned i = 0; path != NULL && i < 6000 &&
	    access(path, F_OK) == 0; i++)
		nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
}

static void *
worker(void *arg)
{
	struct reload *rl = arg;
	struct reload_job *j = rl->job;
	struct conf_diag d = { .emit = supervisor_log_diag };
	struct vigil_config *next;	/* j->next is the loop's after 'S' */
	const char *why;
	struct timespec t0;
	unsigned host;
	int rc;

	log_capture(hold_line, j);
	if (j->check) {
		d.emit = check_emit;
		d.arg = j;
		check_open(j);
	}
	if (j->reload_file != NULL)
		reload_file_create(j->reload_file);
	test_hold(j->hold);
	/* each child's part is encoded as the file is read */
	rc = vconfig_load_run(j->path, j->lo, &d, &j->next);
	reload_file_done(j);	/* the files are read */
	if (rc == 0 && (why = conf_reload_refusal(j->next, j->refused,
	    sizeof(j->refused))) != NULL) {
		if (why != j->refused)
			snprintf(j->refused, sizeof(j->refused), "%s", why);
		vconfig_free(j->next);
		j->next = NULL;
	}
	if (j->next != NULL && j->check &&
	    (host = vconfig_check_host(j->next, &d)) > 0) {
		/* as vigild -t: what the host lacks is an error */
		log_err("%s: %u problem(s) on this host; reload_check_config "
		    "holds the file to what vigild -t accepts", j->path, host);
		vconfig_free(j->next);
		j->next = NULL;
	} else if (j->next != NULL && !j->check)
		vconfig_host_log(j->next, &d);
	if (j->next != NULL)
		vigild_netns_reload(j->next);
	if (j->check)
		check_close(j, j->next != NULL, &d);
	if ((next = j->next) != NULL) {
		j->nwarn = d.nwarn;
		j->nerr = d.nerr;
		/* the children get their part now; from here on the
		 * worker only reads both generations, which the loop keeps
		 * until it is told the parse is done */
		signal_loop(rl, 'S');
		test_hold(j->hold_sent);
		/* what is left (the store's names, the change list) is
		 * off the way to the backend: on a busy machine it yields
		 * the CPU to the children decoding and diffing their parts
		 * (this thread's own nice value; the next parse's thread
		 * starts at the loop's) */
		lower_priority();
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (const struct subsys *const *s = vigil_subsystems;
		    *s != NULL; s++)
			/* NULL when out of memory: the loop names them */
			if ((*s)->proc != NULL)
				j->parts.names[(*s)->owner] =
				    state_names_new(*s, next);
		log_debug("named the state store's objects in %.1f ms",
		    subsys_ms_since(&t0));
		/* what changes, in the words vigilctl diff showed */
		conf_preview_log(j->old, next);
	}
	if (next == NULL) {	/* the loop reads these once told 'D' */
		j->nerr = d.nerr;
		j->nwarn = d.nwarn;
	}
	log_capture(NULL, NULL);
	signal_loop(rl, 'D');
	return NULL;
}

static void
job_free(struct reload_job *j)
{
	struct reload_line *l, *n;

	if (j == NULL)
		return;
	for (l = j->lines; l != NULL; l = n) {
		n = l->next;
		free(l);
	}
	for (unsigned i = 0; i < CONF_OWNER_MAX; i++) {
		state_names_free(j->parts.names[i]);
	}
	vconfig_free(j->next);
	free(j->path);
	free(j->hold);
	free(j->hold_sent);
	free(j->check_log);
	free(j->reload_file);
	pthread_mutex_destroy(&j->mu);
	free(j);
}

static void
tell(struct reload_waiter *w, int rc, const char *msg)
{
	struct reload_waiter *n;

	for (; w != NULL; w = n) {
		n = w->next;
		if (w->fn != NULL)
			w->fn(w->arg, rc, msg);
		free(w);
	}
}

static int reload_start(struct reload *rl);

/* The parts are ready: the new generation runs and the children get it. */
static void
reload_send(struct reload *rl)
{
	struct reload_job *j = rl->job;

	flush_lines(j);
	if (rl->sv->stopping || j->next == NULL)
		return;		/* dropped when the parse is done */
	rl->old = supervisor_reload_send(rl->sv, j->next, j->nwarn,
	    rl->msg, sizeof(rl->msg));
	j->next = NULL;		/* the running generation now */
	rl->sent = 1;
}

/* The worker is done: log what it said, then finish its result. */
static void
reload_done(struct reload *rl)
{
	struct supervisor *sv = rl->sv;
	struct reload_job *j = rl->job;
	struct reload_waiter *w;
	char msg[512];
	int rc = 0;

	pthread_join(rl->th, NULL);
	rl->running = 0;
	flush_lines(j);
	w = rl->cur;
	rl->cur = NULL;
	if (rl->sent) {
		supervisor_reload_finish(sv, rl->old, &j->parts);
		rl->old = NULL;
		rl->sent = 0;
		snprintf(msg, sizeof(msg), "%s", rl->msg);
	} else if (sv->stopping) {
		rc = -1;
		snprintf(msg, sizeof(msg), "vigild is stopping");
	} else {
		rc = -1;
		supervisor_reload_reject(sv, j->nerr, j->refused,
		    j->first_err, msg, sizeof(msg));
		if (j->check_log != NULL)
			log_err("reload_check_config: the new configuration "
			    "failed validation, see %s for details",
			    j->check_log);
	}
	rl->job = NULL;
	job_free(j);
	/* what they freed waits for the next reload, for a while */
	event_add(rl->pool_ev, &(struct timeval){ RELOAD_POOL_HOLD, 0 });
	tell(w, rc, msg);
	if (sv->stopping) {
		tell(rl->next, -1, "vigild is stopping");
		rl->next = NULL;
		rl->again = 0;
		return;
	}
	if (rl->again) {
		rl->again = 0;
		rl->cur = rl->next;
		rl->next = NULL;
		if (reload_start(rl) < 0) {
			tell(rl->cur, -1, "cannot start the reload's parse");
			rl->cur = NULL;
		}
	}
}

static void
pool_release(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	arena_pool_release();
}

static void
reload_ready(evutil_socket_t fd, short what, void *arg)
{
	struct reload *rl = arg;
	char buf[16];
	ssize_t n;

	(void)what;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n && rl->running; i++) {
			if (buf[i] == 'S')
				reload_send(rl);
			else if (buf[i] == 'D')
				reload_done(rl);
		}
}

/* The job of a parse of the running generation's file; what that
 * generation says of its reload goes with it: reload_check_config and
 * reload_file (keepalived too goes by the running configuration's). */
static struct reload_job *
job_new(const struct supervisor *sv)
{
	const struct vigil_config *cur = sv->cfg;
	const struct global_conf *g = cur->conf[CONF_OWNER_GLOBAL];
	const char *hold = getenv("VIGIL_RELOAD_HOLD");
	const char *hold_sent = getenv("VIGIL_RELOAD_HOLD_SENT");
	struct reload_job *j = calloc(1, sizeof(*j));

	if (j == NULL)
		return NULL;
	j->tail = &j->lines;
	pthread_mutex_init(&j->mu, NULL);
	j->lo = sv->lo;
	j->old = cur;
	j->pid_file = sv->opts->pid_file;
	j->check = reload_check_wanted(cur);
	if ((j->path = strdup(cur->path)) == NULL ||
	    (hold != NULL && (j->hold = strdup(hold)) == NULL) ||
	    (hold_sent != NULL && (j->hold_sent = strdup(hold_sent)) ==
	    NULL) ||
	    (j->check && g->reload_check_log != NULL &&
	    (j->check_log = strdup(g->reload_check_log)) == NULL) ||
	    (g != NULL && g->reload_file_set &&
	    (j->reload_file = reload_file_path(cur, j->pid_file)) == NULL)) {
		job_free(j);
		return NULL;
	}
	return j;
}

static int
reload_start(struct reload *rl)
{
	struct supervisor *sv = rl->sv;
	struct reload_job *j;
	sigset_t all, old;
	int err;

	log_info("reloading %s (%s)", sv->cfg->path, rl->cause);
	notify_reloading();
	if ((j = job_new(sv)) == NULL) {
		log_err("reload: out of memory; still running configuration "
		    "generation %u", sv->cfg->generation);
		notify_ready(sv->cfg->generation);
		return -1;
	}
	/* built once, in this thread: the worker only reads it */
	(void)vconfig_registry();
	event_del(rl->pool_ev);
	arena_pool_keep(RELOAD_POOL_MAX);
	rl->job = j;
	/* signals stay with the loop's thread */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = pthread_create(&rl->th, NULL, worker, rl);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err == 0)	/* top, perf --comm: the parse apart from the loop */
		(void)pthread_setname_np(rl->th, "vigild-reload");
	if (err != 0) {
		rl->job = NULL;
		job_free(j);
		arena_pool_release();
		log_err("reload: cannot start its parse: %s; still running "
		    "configuration generation %u", strerror(err),
		    sv->cfg->generation);
		notify_ready(sv->cfg->generation);
		return -1;
	}
	rl->running = 1;
	return 0;
}

int
reload_request(struct supervisor *sv, const char *cause, reload_done_fn *fn,
    void *arg)
{
	struct reload *rl = sv->reload;
	struct reload_waiter *w = NULL;

	if (rl == NULL)
		return -1;
	if (fn != NULL) {
		if ((w = calloc(1, sizeof(*w))) == NULL)
			return -1;
		w->fn = fn;
		w->arg = arg;
	}
	if (rl->running) {
		/* the file may have changed since the running parse read
		 * it: one more parse after it serves every such request */
		if (!rl->again)
			log_info("reload (%s) asked while one is being "
			    "parsed: it follows that one", cause);
		rl->again = 1;
		snprintf(rl->cause, sizeof(rl->cause), "%s", cause);
		if (w != NULL) {
			w->next = rl->next;
			rl->next = w;
		}
		return 0;
	}
	snprintf(rl->cause, sizeof(rl->cause), "%s", cause);
	if (reload_start(rl) < 0) {
		free(w);
		return -1;
	}
	if (w != NULL) {
		w->next = rl->cur;
		rl->cur = w;
	}
	return 0;
}

int
reload_busy(const struct supervisor *sv)
{
	return sv->reload != NULL && sv->reload->running;
}

static void
cancel_in(struct reload_waiter *w, void *arg)
{
	for (; w != NULL; w = w->next)
		if (w->arg == arg)
			w->fn = NULL;
}

void
reload_cancel(struct supervisor *sv, void *arg)
{
	if (sv->reload == NULL)
		return;
	cancel_in(sv->reload->cur, arg);
	cancel_in(sv->reload->next, arg);
}

int
reload_init(struct supervisor *sv)
{
	struct reload *rl = calloc(1, sizeof(*rl));

	if (rl == NULL)
		return -1;
#ifdef M_ARENA_MAX
	/*
	 * One malloc arena for the process: the worker's allocations come
	 * from the heap the start's load grew in the main thread, not from
	 * a thread arena of its own that the first reload has to grow and
	 * fault in page by page (bench/reload, three runs: the parent's
	 * first reload took 110-330 ms of CPU more than the later ones with
	 * a thread arena, 20-50 ms more with one arena). The loop and the
	 * worker rarely allocate at the same time.
	 */
	mallopt(M_ARENA_MAX, 1);
#endif
	rl->sv = sv;
	if (pipe2(rl->fds, O_CLOEXEC | O_NONBLOCK) < 0) {
		free(rl);
		return -1;
	}
	rl->ev = event_new(sv->base, rl->fds[0], EV_READ | EV_PERSIST,
	    reload_ready, rl);
	rl->pool_ev = evtimer_new(sv->base, pool_release, rl);
	if (rl->ev == NULL || rl->pool_ev == NULL ||
	    event_add(rl->ev, NULL) < 0) {
		if (rl->ev != NULL)
			event_free(rl->ev);
		if (rl->pool_ev != NULL)
			event_free(rl->pool_ev);
		close(rl->fds[0]);
		close(rl->fds[1]);
		free(rl);
		return -1;
	}
	sv->reload = rl;
	return 0;
}

void
reload_fini(struct supervisor *sv)
{
	struct reload *rl = sv->reload;

	if (rl == NULL)
		return;
	if (rl->running) {
		/* a parse cannot be interrupted: it ends within its bounds */
		pthread_join(rl->th, NULL);
		job_free(rl->job);
		vconfig_free(rl->old);	/* the new one runs: sv->cfg */
	}
	tell(rl->cur, -1, "vigild is stopping");
	tell(rl->next, -1, "vigild is stopping");
	event_free(rl->ev);
	event_free(rl->pool_ev);
	arena_pool_release();
	close(rl->fds[0]);
	close(rl->fds[1]);
	free(rl);
	sv->reload = NULL;
}
