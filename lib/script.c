/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Script runner. Each run forks; the child makes its own session (so the
 * whole process group can be signalled), resets signals, closes inherited
 * descriptors, drops to the requested user and execs. A close-on-exec pipe
 * tells the parent whether exec happened: EOF means it did, a struct
 * script_fail means it did not. The run is over when both the pipe has
 * spoken and the reaper has collected the pid; done is then called once.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "script.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "arena.h"
#include "log.h"
#include "loop.h"
#include "reap.h"

#define SCRIPT_GRACE_DEFAULT 1000000u

extern char **environ;

enum script_stage {
	STAGE_SETGROUPS = 1,
	STAGE_SETGID,
	STAGE_SETUID,
	STAGE_EXEC,
};

struct script_fail {
	int stage;
	int err;
};

struct script_runner {
	struct event_base *base;
	struct reaper *reaper;
	struct script_run *head;
	unsigned count;
};

struct script_run {
	struct script_runner *sr;
	struct script_run *prev, *next;
	pid_t pid;
	script_done_fn *done;
	void *arg;
	struct event *pipe_ev;
	int pipe_fd;
	struct event *timer;	/* timeout, then grace */
	uint64_t grace_usec;
	struct script_fail fail;
	size_t fail_got;
	int status;
	unsigned reaped:1, pipe_done:1, timed_out:1, term_sent:1;
	char prog[64];		/* for log lines */
};

struct script_runner *
script_runner_new(struct event_base *base, struct reaper *reaper)
{
	struct script_runner *sr;

	if (base == NULL || reaper == NULL) {
		errno = EINVAL;
		return NULL;
	}
	sr = calloc(1, sizeof(*sr));
	if (sr == NULL)
		return NULL;
	sr->base = base;
	sr->reaper = reaper;
	return sr;
}

static void
script_signal(struct script_run *run, int sig)
{
	if (run->reaped || run->pid <= 0)
		return;
	/* The group, and the pid itself in case it has not called setsid()
	 * yet; until reaped the pid cannot have been reused. */
	kill(-run->pid, sig);
	kill(run->pid, sig);
}

static void
script_unlink(struct script_run *run)
{
	struct script_runner *sr = run->sr;

	if (run->prev != NULL)
		run->prev->next = run->next;
	else
		sr->head = run->next;
	if (run->next != NULL)
		run->next->prev = run->prev;
	run->prev = run->next = NULL;
	sr->count--;
}

static void
script_release(struct script_run *run)
{
	if (run->pipe_ev != NULL)
		event_free(run->pipe_ev);
	if (run->timer != NULL)
		event_free(run->timer);
	if (run->pipe_fd >= 0)
		close(run->pipe_fd);
	free(run);
}

static const char *
script_stage_name(int stage)
{
	switch (stage) {
	case STAGE_SETGROUPS:
		return "setgroups";
	case STAGE_SETGID:
		return "setgid";
	case STAGE_SETUID:
		return "setuid";
	default:
		return "exec";
	}
}

static void
script_maybe_done(struct script_run *run)
{
	enum script_result res;
	script_done_fn *done = run->done;
	void *arg = run->arg;
	int st = run->status;
	int code;

	if (!run->reaped || !run->pipe_done)
		return;
	if (run->fail_got == sizeof(run->fail)) {
		res = SCRIPT_EXEC_FAILED;
		code = run->fail.err;
		log_warn("script %s: %s failed: %s", run->prog,
		    script_stage_name(run->fail.stage), strerror(code));
	} else if (run->timed_out) {
		res = SCRIPT_TIMEOUT;
		code = WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st);
	} else if (WIFSIGNALED(st)) {
		res = SCRIPT_SIGNALED;
		code = WTERMSIG(st);
	} else {
		res = SCRIPT_EXITED;
		code = WEXITSTATUS(st);
	}
	script_unlink(run);
	if (run->timer != NULL)
		event_del(run->timer);
	done(run, res, code, arg);
	script_release(run);
}

static void
script_reaped(pid_t pid, int status, void *arg)
{
	struct script_run *run = arg;

	(void)pid;
	run->reaped = 1;
	run->status = status;
	if (run->timer != NULL)
		event_del(run->timer);
	script_maybe_done(run);
}

static void
script_pipe_cb(evutil_socket_t fd, short what, void *arg)
{
	struct script_run *run = arg;
	char *p = (char *)&run->fail;
	ssize_t n;

	(void)what;
	if (run->fail_got < sizeof(run->fail)) {
		n = read(fd, p + run->fail_got,
		    sizeof(run->fail) - run->fail_got);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n > 0) {
			run->fail_got += (size_t)n;
			return;		/* EOF comes next */
		}
	}
	/* EOF (exec succeeded, or the failure report is complete), error,
	 * or a report longer than expected: the pipe has said all it can. */
	if (run->fail_got != sizeof(run->fail))
		run->fail_got = 0;
	event_del(run->pipe_ev);
	close(run->pipe_fd);
	run->pipe_fd = -1;
	run->pipe_done = 1;
	script_maybe_done(run);
}

static void
script_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct script_run *run = arg;
	struct timeval tv;

	(void)fd;
	(void)what;
	if (run->reaped)
		return;
	if (!run->term_sent) {
		log_warn("script %s (pid %ld): timed out, sending SIGTERM",
		    run->prog, (long)run->pid);
		run->timed_out = 1;
		run->term_sent = 1;
		script_signal(run, SIGTERM);
		tv = loop_tv(run->grace_usec);
		evtimer_add(run->timer, &tv);
		return;
	}
	log_warn("script %s (pid %ld): still running after SIGTERM, "
	    "sending SIGKILL", run->prog, (long)run->pid);
	script_signal(run, SIGKILL);
}

/* Mark every descriptor >= 3 close-on-exec (the report pipe already is). */
static void
script_child_fds(void)
{
	long max;
	int fd;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3u, ~0u, 4u /* CLOSE_RANGE_CLOEXEC */) == 0)
		return;
#endif
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = 3; fd < max; fd++)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static void
script_child_fail(int wfd, int stage, int err)
{
	struct script_fail f = { .stage = stage, .err = err };
	ssize_t n;

	do
		n = write(wfd, &f, sizeof(f));
	while (n < 0 && errno == EINTR);
	_exit(127);
}

static void __attribute__((noreturn))
script_child(const struct script_opts *o, int wfd)
{
	sigset_t none;
	int sig;
	gid_t g;

	setsid();
	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	script_child_fds();

	if (o->gid != (gid_t)-1 || o->uid != (uid_t)-1) {
		g = o->gid != (gid_t)-1 ? o->gid : getegid();
		if (geteuid() == 0 && setgroups(1, &g) != 0)
			script_child_fail(wfd, STAGE_SETGROUPS, errno);
		if (o->gid != (gid_t)-1 && setgid(o->gid) != 0)
			script_child_fail(wfd, STAGE_SETGID, errno);
		if (o->uid != (uid_t)-1 && setuid(o->uid) != 0)
			script_child_fail(wfd, STAGE_SETUID, errno);
	}
	execvpe(o->argv[0], o->argv, o->envp != NULL ? o->envp : environ);
	script_child_fail(wfd, STAGE_EXEC, errno);
	_exit(127);
}

/* A user given without a group runs with its primary group, never with
 * ours (which may be root's). */
static gid_t
script_primary_gid(uid_t uid)
{
	struct passwd pw, *res = NULL;
	char buf[4096];

	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) != 0 || res == NULL)
		return (gid_t)-1;
	return pw.pw_gid;
}

struct script_run *
script_start(struct script_runner *sr, const struct script_opts *o,
    script_done_fn *done, void *arg)
{
	struct script_opts ob;
	struct script_run *run;
	sigset_t all, old;
	struct timeval tv;
	const char *base;
	int pfd[2];
	pid_t pid;

	if (sr == NULL || o == NULL || o->argv == NULL || o->argv[0] == NULL ||
	    o->argv[0][0] == '\0' || done == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if (o->uid != (uid_t)-1 && o->gid == (gid_t)-1) {
		ob = *o;
		ob.gid = script_primary_gid(o->uid);
		if (ob.gid == (gid_t)-1) {
			log_err("script %s: uid %ld has no passwd entry; "
			    "give a group", o->argv[0], (long)o->uid);
			errno = ENOENT;
			return NULL;
		}
		o = &ob;
	}
	run = calloc(1, sizeof(*run));
	if (run == NULL)
		return NULL;
	run->sr = sr;
	run->done = done;
	run->arg = arg;
	run->pipe_fd = -1;
	run->grace_usec = o->grace_usec ? o->grace_usec : SCRIPT_GRACE_DEFAULT;
	base = strrchr(o->argv[0], '/');
	base = base != NULL && base[1] != '\0' ? base + 1 : o->argv[0];
	strncpy(run->prog, base, sizeof(run->prog) - 1);

	if (pipe2(pfd, O_CLOEXEC | O_NONBLOCK) != 0) {
		log_err("script %s: pipe: %s", run->prog, strerror(errno));
		free(run);
		return NULL;
	}
	run->pipe_fd = pfd[0];
	run->pipe_ev = event_new(sr->base, pfd[0], EV_READ | EV_PERSIST,
	    script_pipe_cb, run);
	run->timer = evtimer_new(sr->base, script_timer_cb, run);
	if (run->pipe_ev == NULL || run->timer == NULL) {
		close(pfd[1]);
		script_release(run);
		errno = ENOMEM;
		return NULL;
	}

	/* No handler of ours may run in the child before it resets them. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		script_child(o, pfd[1]);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(pfd[1]);
	if (pid < 0) {
		log_err("script %s: fork: %s", run->prog, strerror(errno));
		script_release(run);
		return NULL;
	}
	run->pid = pid;
	if (reaper_watch(sr->reaper, pid, script_reaped, run) != 0 ||
	    event_add(run->pipe_ev, NULL) != 0) {
		log_err("script %s: cannot watch pid %ld", run->prog,
		    (long)pid);
		script_signal(run, SIGKILL);
		reaper_forget(sr->reaper, pid);
		script_release(run);
		errno = ENOMEM;
		return NULL;
	}
	if (o->timeout_usec > 0) {
		tv = loop_tv(o->timeout_usec);
		evtimer_add(run->timer, &tv);
	}
	run->next = sr->head;
	if (sr->head != NULL)
		sr->head->prev = run;
	sr->head = run;
	sr->count++;
	log_debug("script %s: started pid %ld", run->prog, (long)pid);
	return run;
}

pid_t
script_pid(const struct script_run *run)
{
	return run != NULL ? run->pid : -1;
}

void
script_kill(struct script_run *run)
{
	if (run == NULL || run->reaped)
		return;
	script_signal(run, SIGKILL);
}

unsigned
script_running(const struct script_runner *sr)
{
	return sr != NULL ? sr->count : 0;
}

static void
script_runner_drop(struct script_runner *sr, int sig)
{
	struct script_run *run, *next;

	if (sr == NULL)
		return;
	for (run = sr->head; run != NULL; run = next) {
		next = run->next;
		if (sig != 0)
			script_signal(run, sig);
		if (!run->reaped)
			reaper_forget(sr->reaper, run->pid);
		script_release(run);
	}
	free(sr);
}

void
script_runner_free(struct script_runner *sr)
{
	script_runner_drop(sr, SIGKILL);
}

void
script_runner_finish(struct script_runner *sr, uint64_t usec)
{
	uint64_t end = loop_now_usec() + usec;
	struct script_run *run;
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	pid_t r;
	int left, st;

	if (sr == NULL)
		return;
	for (unsigned i = 0; ; i++) {
		left = 0;
		for (run = sr->head; run != NULL; run = run->next) {
			if (run->reaped || run->pid <= 0)
				continue;
			r = waitpid(run->pid, &st, WNOHANG);
			if (r == run->pid || (r < 0 && errno == ECHILD)) {
				reaper_forget(sr->reaper, run->pid);
				run->reaped = 1;
			} else
				left++;
		}
		/* bounded in time and, should the clock stall, in rounds */
		if (left == 0 || loop_now_usec() >= end ||
		    i >= usec / 10000 + 1)
			break;
		nanosleep(&ts, NULL);
	}
	script_runner_drop(sr, SIGKILL);
}

void
script_runner_release(struct script_runner *sr)
{
	script_runner_drop(sr, 0);
}

/*
 * Split a script line into words, as keepalived does for script
 * parameters: whitespace separates words; '...' and "..." keep whitespace
 * (the quotes are removed and adjacent pieces join one word); a backslash
 * outside single quotes takes the next character literally.
 */
char **
script_split(struct arena *a, const char *line)
{
	size_t len, nwords = 0, i;
	char *buf, *out, **argv;
	const char *p;
	char quote;
	int inword;

	if (a == NULL || line == NULL)
		return NULL;
	len = strlen(line);
	if (len >= SIZE_MAX / 2)
		return NULL;
	buf = arena_alloc(a, len + 2);
	if (buf == NULL)
		return NULL;
	out = buf;
	quote = 0;
	inword = 0;
	for (p = line; *p != '\0'; p++) {
		if (quote == '\'') {
			if (*p == '\'')
				quote = 0;
			else
				*out++ = *p;
			continue;
		}
		if (*p == '\\') {
			if (p[1] == '\0')
				return NULL;	/* dangling escape */
			*out++ = *++p;
			inword = 1;
			continue;
		}
		if (quote == '"') {
			if (*p == '"')
				quote = 0;
			else
				*out++ = *p;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			quote = *p;
			inword = 1;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			if (inword) {
				*out++ = '\0';
				nwords++;
				inword = 0;
			}
			continue;
		}
		*out++ = *p;
		inword = 1;
	}
	if (quote != 0)
		return NULL;
	if (inword) {
		*out++ = '\0';
		nwords++;
	}
	if (nwords == 0)
		return NULL;
	argv = arena_calloc(a, nwords + 1, sizeof(*argv));
	if (argv == NULL)
		return NULL;
	for (i = 0, out = buf; i < nwords; i++) {
		argv[i] = out;
		out += strlen(out) + 1;
	}
	argv[nwords] = NULL;
	return argv;
}
