/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Script runner: fork/exec a script as a given user with a timeout, never
 * blocking the loop. The script runs in its own process group; on timeout
 * the group gets SIGTERM, then SIGKILL after a grace period. Exit is
 * collected through the reaper.
 */
#ifndef VIGIL_SCRIPT_H
#define VIGIL_SCRIPT_H

#include <stdint.h>
#include <sys/types.h>

struct event_base;
struct reaper;
struct arena;

struct script_opts {
	char *const *argv;	/* argv[0] is the program path */
	uid_t uid;		/* run as; (uid_t)-1: unchanged */
	gid_t gid;		/* (gid_t)-1: unchanged */
	uint64_t timeout_usec;	/* 0: no timeout */
	uint64_t grace_usec;	/* SIGTERM -> SIGKILL; 0: 1 s */
	char *const *envp;	/* NULL: inherit */
};

enum script_result {
	SCRIPT_EXITED,		/* status holds the exit code */
	SCRIPT_SIGNALED,	/* status holds the signal */
	SCRIPT_TIMEOUT,		/* killed after timeout */
	SCRIPT_EXEC_FAILED,	/* could not exec (status = errno) */
};

struct script_run;
typedef void script_done_fn(struct script_run *run, enum script_result res,
    int status, void *arg);

struct script_runner;
struct script_runner *script_runner_new(struct event_base *base,
    struct reaper *reaper);
/* Kills (SIGKILL) and forgets every script still running. */
void script_runner_free(struct script_runner *sr);
/* Waits at most usec for the scripts still running to end (reaping them
 * itself: the loop does not run, nothing is reported), then kills
 * (SIGKILL) the rest and frees the runner. For a stop that has just
 * started scripts (omega's notify_down): keepalived gives them a second. */
void script_runner_finish(struct script_runner *sr, uint64_t usec);
/* Forgets every script still running without killing it (each finishes
 * on its own; its end is not reported) and frees the runner. */
void script_runner_release(struct script_runner *sr);

struct script_run *script_start(struct script_runner *sr,
    const struct script_opts *o, script_done_fn *done, void *arg);
pid_t script_pid(const struct script_run *run);
/* Kill now; done is still called (SCRIPT_SIGNALED). */
void script_kill(struct script_run *run);
unsigned script_running(const struct script_runner *sr);

/*
 * Split a keepalived script line into argv: whitespace separates words,
 * single quotes keep spaces. Allocated in a. NULL if empty or unbalanced.
 */
char **script_split(struct arena *a, const char *line);
/* User/group lookup for "script_user USER [GROUP]"; -1 if unknown. */
int script_lookup_user(const char *user, const char *group, uid_t *uid,
    gid_t *gid);
/* A group's id; -1 if unknown. Both are reentrant (getpwnam_r): a reload's
 * host checks run in the parent's worker thread. */
int script_lookup_group(const char *group, gid_t *gid);

#endif
