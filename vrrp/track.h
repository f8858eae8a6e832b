/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tracked objects of the VRRP child: vrrp_script (run through lib's script
 * runner at its interval, with timeout, rise and fall, never blocking),
 * track_file (inotify on the file; its value times the weight),
 * track_process (the kernel's process events over the netlink proc
 * connector, with a /proc scan at start and after an overrun) and
 * track_interface (link state the child's interface view reports).
 *
 * Each tracked object has a state (up/down, a file's value, a process
 * count against its quorum). An instance or sync group evaluates its
 * tracking lines against them as keepalived does: a line with weight 0 (or
 * an object whose own weight is 0) puts it in FAULT while the object is
 * down; otherwise the weight moves its priority (reverse flips the sign).
 * When any object changes, changed() is called; the engine then
 * re-evaluates the instances that track it.
 */
#ifndef VIGIL_VRRP_TRACK_H
#define VIGIL_VRRP_TRACK_H

#include <stdio.h>

struct global_conf;
struct proc_env;
struct vrrp_conf;
struct vrrp_conf_list;
struct vrrp_track;

typedef void vrrp_track_changed_fn(void *arg);

struct vrrp_track *vrrp_track_new(const struct proc_env *env,
    vrrp_track_changed_fn *changed, void *arg);
/* Stop and free every tracker (running scripts are killed). */
void vrrp_track_free(struct vrrp_track *t);

/*
 * Follow configuration c (on start and on every reload): trackers whose
 * name and settings did not change keep their state and schedule; new
 * ones start (in their initial state: init_fail, init_file...); removed
 * ones stop. 0, or -1 (logged) if out of resources.
 */
int vrrp_track_apply(struct vrrp_track *t, const struct vrrp_conf *c);

/*
 * global_defs' script_user, script_group and enable_script_security, for
 * the scripts the next vrrp_track_apply() starts (g NULL: none set; scripts
 * then run as the default script user, else root). Scripts that follow
 * script_user restart when it changes. 0, or -1 if out of memory.
 */
int vrrp_track_set_global(struct vrrp_track *t, const struct global_conf *g);

/* Link state of ifname changed (from the interface view). */
void vrrp_track_link(struct vrrp_track *t, const char *ifname, int up);

/* The verdict of a set of tracking lines. */
struct vrrp_track_eval {
	int fault;		/* some line says FAULT */
	int delta;		/* sum of the weights in effect */
	int pending;		/* a weight-0 script has not reported yet:
				 * keepalived keeps the instance in INIT */
	char why[160];		/* the first FAULT cause, or "" */
};

/* Evaluate the tracking lists of an instance or sync group (any may be
 * NULL): track_interface, track_script, track_file, track_process. */
void vrrp_track_eval(const struct vrrp_track *t,
    const struct vrrp_conf_list *ifs, const struct vrrp_conf_list *scripts,
    const struct vrrp_conf_list *files, const struct vrrp_conf_list *procs,
    struct vrrp_track_eval *out);

/* vrrp_track_eval, save that a weighted track_interface line on a link
 * for which zero(name, arg) is nonzero counts as weight 0 (FAULT while
 * down, no weight). */
void vrrp_track_eval_zero(const struct vrrp_track *t,
    const struct vrrp_conf_list *ifs, int (*zero)(const char *, void *),
    void *arg, const struct vrrp_conf_list *scripts,
    const struct vrrp_conf_list *files, const struct vrrp_conf_list *procs,
    struct vrrp_track_eval *out);

/*
 * Report the tracked scripts, files and processes to the parent as state
 * records (kinds vrrp_script, vrrp_track_file, vrrp_track_process,
 * vrrp_track_bfd;
 * docs/state.md): all of them (a snapshot), or only those whose state
 * changed since they were last reported. The caller flushes.
 */
struct proc;
void vrrp_track_report(struct vrrp_track *t, struct proc *p, int all);
/* Send BFD session name's vrrp_track_bfd record now, changed or not:
 * each telling of a session (its first, those after a start or reload)
 * leaves its record in the parent's store, Up or not. */
void vrrp_track_report_bfd(struct vrrp_track *t, struct proc *p,
    const char *name);

/*
 * The BFD session name is in state (as the BFD child reports it: "Up",
 * "Down"...). Returns 1 if it went up or down (the engine is told, as for
 * any tracked object, and logs it), 0 if not, -1 if out of memory.
 */
int vrrp_track_bfd(struct vrrp_track *t, const char *name,
    const char *state);
/* Whether BFD session name is Up (as last told). */
int vrrp_track_bfd_up(const struct vrrp_track *t, const char *name);
/* Add the verdict of track_bfd lines l to out (after vrrp_track_eval):
 * weight 0 is FAULT while the session is not Up, else the weight moves
 * the priority, as keepalived's vrrp_track_bfd. */
void vrrp_track_eval_bfd(const struct vrrp_track *t,
    const struct vrrp_conf_list *l, struct vrrp_track_eval *out);

/* Each tracked object and its state (SIGUSR1 dump). */
void vrrp_track_dump(const struct vrrp_track *t, FILE *fp);

#endif
