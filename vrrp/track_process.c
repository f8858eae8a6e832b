/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * track_process: how many processes match a name, against a quorum
 * (quorum <= count <= quorum_max is up): the table of the processes
 * counted and for which trackers. track_proc_cn.c feeds it the kernel's
 * process events (fork, exec, comm change, exit); /proc is scanned at
 * start, when the trackers change, after an overrun, and every second
 * where the kernel sends no events.
 *
 * Matching is keepalived's: the command name (comm) by default; with
 * full_command, parameters or param_match, the first word of the command
 * line and then the parameters (exact: all of them; partial: the first
 * ones; initial: the first ones, the last given one a prefix). A fork of
 * a counted process counts after fork_delay; an exit stops counting after
 * terminate_delay.
 */
#include "autoconfig.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "proc.h"
#include "vrrp/config.h"
#include "vrrp/track_priv.h"
#include "vrrp/track_proc.h"

#define TPROC_CMDLINE_MAX 4096

struct pinfo {
	char comm[64];
	int have_comm;
	char cmd[TPROC_CMDLINE_MAX + 1];
	size_t cmdlen;
	int have_cmd;
};

size_t
tpid_hash(const struct htab_node *n)
{
	pid_t pid = HTAB_ENTRY(n, struct tpid, node)->pid;

	return htab_hash_bytes(HTAB_HASH_INIT, &pid, sizeof(pid));
}

static int
tpid_is(const struct htab_node *n, const void *key)
{
	return HTAB_ENTRY(n, struct tpid, node)->pid == *(const pid_t *)key;
}

static struct tpid *
tpid_find(struct tproc_ctx *x, pid_t pid)
{
	struct htab_node *n;

	n = htab_find(&x->pids, htab_hash_bytes(HTAB_HASH_INIT, &pid,
	    sizeof(pid)), tpid_is, &pid);
	return n != NULL ? HTAB_ENTRY(n, struct tpid, node) : NULL;
}

static void
tpid_del(struct tproc_ctx *x, struct tpid *tp)
{
	htab_del(&x->pids, &tp->node);
	free(tp->procs);
	free(tp);
}

void
tpid_clear(struct tproc_ctx *x)
{
	struct htab_iter it;
	struct htab_node *n;

	for (n = htab_first(&x->pids, &it); n != NULL;
	    n = htab_next(&x->pids, &it))
		tpid_del(x, HTAB_ENTRY(n, struct tpid, node));
}

/* ---- settings --------------------------------------------------------------- */

struct tproc *
tproc_new(struct vrrp_track *t, const struct vrrp_track_process_conf *c)
{
	struct tproc *p;
	size_t len = 0, i;
	char *q;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->t = t;
	p->o.name = strdup(c->name);
	p->process = c->process != NULL ? strdup(c->process) : NULL;
	for (i = 0; i < c->nparams; i++)
		len += strlen(c->params[i]) + 1;
	p->params = malloc(len + 1);
	if (p->o.name == NULL || p->process == NULL || p->params == NULL) {
		tproc_free(p);
		return NULL;
	}
	for (i = 0, q = p->params; i < c->nparams; i++) {
		memcpy(q, c->params[i], strlen(c->params[i]) + 1);
		q += strlen(c->params[i]) + 1;
	}
	p->params_len = len;
	p->param_match = c->param_match;
	p->full = c->full_command || c->nparams > 0 ||
	    c->param_match != VRRP_PMATCH_NONE;
	p->o.weight = c->weight;
	p->o.reverse = c->weight_reverse;
	p->quorum = c->quorum;
	p->quorum_max = c->quorum_max;
	p->fork_delay = c->fork_delay;
	p->terminate_delay = c->terminate_delay;
	return p;
}

int
tproc_same(const struct tproc *p, const struct vrrp_track_process_conf *c)
{
	size_t len = 0, i;
	const char *q = p->params;

	for (i = 0; i < c->nparams; i++) {
		len += strlen(c->params[i]) + 1;
		if (len > p->params_len || strcmp(q, c->params[i]) != 0)
			return 0;
		q += strlen(c->params[i]) + 1;
	}
	return len == p->params_len &&
	    str_eq(p->process, c->process) &&
	    p->param_match == (int)c->param_match &&
	    p->full == (c->full_command || c->nparams > 0 ||
	    c->param_match != VRRP_PMATCH_NONE) &&
	    p->quorum == c->quorum && p->quorum_max == c->quorum_max &&
	    p->fork_delay == c->fork_delay &&
	    p->terminate_delay == c->terminate_delay;
}

void
tproc_free(struct tproc *p)
{
	if (p == NULL)
		return;
	if (p->timer != NULL)
		loop_timer_free(p->timer);
	free(p->o.name);
	free(p->process);
	free(p->params);
	free(p);
}

/* ---- matching ----------------------------------------------------------- */

static int
tproc_params_ok(const struct tproc *p, const char *params, size_t len)
{
	if (p->param_match == VRRP_PMATCH_EXACT)
		return len == p->params_len &&
		    memcmp(params, p->params, len) == 0;
	if (p->params_len == 0)
		return 1;
	if (len < p->params_len - (p->param_match == VRRP_PMATCH_INITIAL))
		return 0;
	if (p->param_match == VRRP_PMATCH_PARTIAL)
		return memcmp(params, p->params, p->params_len) == 0;
	/* initial: the last parameter given may be a prefix */
	return memcmp(params, p->params, p->params_len - 1) == 0;
}

static int
tproc_match(const struct tproc *p, const struct pinfo *pi)
{
	size_t namelen;

	if (!p->full)
		return pi->have_comm && strcmp(pi->comm, p->process) == 0;
	if (!pi->have_cmd)
		return 0;
	namelen = strnlen(pi->cmd, pi->cmdlen);
	if (namelen == pi->cmdlen || strcmp(pi->cmd, p->process) != 0)
		return 0;
	if (p->param_match == VRRP_PMATCH_NONE)
		return 1;
	return tproc_params_ok(p, pi->cmd + namelen + 1,
	    pi->cmdlen - namelen - 1);
}

static ssize_t
read_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	do
		n = read(fd, buf, size);
	while (n < 0 && errno == EINTR);
	close(fd);
	return n;
}

/* What a process is called; -1 if it is gone or a zombie. */
static int
pinfo_read(const struct tproc_ctx *x, pid_t pid, struct pinfo *pi)
{
	char path[64], stat[512], *l, *r;
	ssize_t n;

	pi->have_comm = pi->have_cmd = 0;
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((n = read_file(path, stat, sizeof(stat) - 1)) <= 0)
		return -1;
	stat[n] = '\0';
	if ((l = strchr(stat, '(')) == NULL || (r = strrchr(l, ')')) == NULL)
		return -1;
	if (r[1] == ' ' && r[2] == 'Z')
		return -1;
	if (x->need_comm) {
		*r = '\0';
		snprintf(pi->comm, sizeof(pi->comm), "%s", l + 1);
		pi->have_comm = 1;
	}
	if (x->need_cmd) {
		snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long)pid);
		n = read_file(path, pi->cmd, TPROC_CMDLINE_MAX);
		if (n > 0) {
			pi->cmd[n] = '\0';
			pi->cmdlen = (size_t)n;
			pi->have_cmd = 1;
		}
	}
	return 0;
}

/* ---- quorum ------------------------------------------------------------- */

/* "2", or "2-5" with a quorum_max (static buffer: for one log line) */
static const char *
tproc_quorum_str(const struct tproc *p)
{
	static char buf[32];

	if (p->quorum_max == UINT_MAX)
		snprintf(buf, sizeof(buf), "%u", p->quorum);
	else
		snprintf(buf, sizeof(buf), "%u-%u", p->quorum, p->quorum_max);
	return buf;
}

static int
tproc_quorate(const struct tproc *p)
{
	return p->count >= p->quorum && p->count <= p->quorum_max;
}

static void
tproc_set(struct tproc *p, int up, const char *why)
{
	if (p->timer != NULL)
		loop_timer_stop(p->timer);
	if (p->up == up)
		return;
	p->up = up;
	log_info("track_process %s: quorum %s: %u matching process%s "
	    "(quorum %s)%s%s", p->o.name, up ? "gained" : "lost", p->count,
	    p->count == 1 ? "" : "es", tproc_quorum_str(p), why != NULL ?
	    ", " : "", why != NULL ? why : "");
	vrrp_track_notify(p->t);
}

static void
tproc_delay_done(struct loop_timer *lt, void *arg)
{
	struct tproc *p = arg;

	(void)lt;
	tproc_set(p, tproc_quorate(p), p->up ? "after terminate_delay" :
	    "after fork_delay");
}

/*
 * The count moved (cause says why): gaining the quorum through a fork
 * waits fork_delay, losing it through an exit or in a rescan waits
 * terminate_delay; anything else counts at once, a rescan's gain too, as
 * keepalived's resync after an overrun (a count of /proc cannot tell a
 * fork from an exec). A delay running when the count comes back is
 * cancelled.
 */
static void
tproc_settle(struct tproc *p, enum tproc_cause cause)
{
	int want = tproc_quorate(p);
	uint64_t delay = 0;

	if (!p->started) {
		p->started = 1;
		p->up = want;
		log_info("track_process %s: %u matching process%s (quorum "
		    "%s): %s", p->o.name, p->count, p->count == 1 ? "" : "es",
		    tproc_quorum_str(p), want ? "up" : "down");
		vrrp_track_notify(p->t);
		return;
	}
	if (want == p->up) {
		if (p->timer != NULL)
			loop_timer_stop(p->timer);
		return;
	}
	if (want && cause == TP_FORK)
		delay = p->fork_delay;
	else if (!want && (cause == TP_EXIT || cause == TP_SCAN))
		delay = p->terminate_delay;
	if (delay == 0) {
		tproc_set(p, want, NULL);
		return;
	}
	if (p->timer == NULL &&
	    (p->timer = loop_timer_new(p->t->env->base, tproc_delay_done,
	    p)) == NULL) {
		tproc_set(p, want, NULL);
		return;
	}
	if (!loop_timer_pending(p->timer))
		loop_timer_start(p->timer, delay, 0);
}

/* ---- the pid table ---------------------------------------------------------- */

static int
set_has(struct tproc *const *set, unsigned n, const struct tproc *p)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (set[i] == p)
			return 1;
	return 0;
}

/* pid now counts for the n trackers of set (a malloc()ed array the table
 * takes, or NULL when n is 0): move the counts. */
static void
tpid_assign(struct tproc_ctx *x, pid_t pid, struct tproc **set, unsigned n,
    enum tproc_cause cause)
{
	struct tpid *tp = tpid_find(x, pid);
	struct tproc **old = tp != NULL ? tp->procs : NULL;
	unsigned nold = tp != NULL ? tp->n : 0, i;

	for (i = 0; i < nold; i++)
		if (!set_has(set, n, old[i])) {
			old[i]->count--;
			if (!x->scanning)
				tproc_settle(old[i], cause);
		}
	for (i = 0; i < n; i++)
		if (!set_has(old, nold, set[i])) {
			set[i]->count++;
			if (!x->scanning)
				tproc_settle(set[i], cause);
		}
	if (n == 0) {
		free(set);
		if (tp != NULL)
			tpid_del(x, tp);
		return;
	}
	if (tp == NULL) {
		if ((tp = calloc(1, sizeof(*tp))) == NULL) {
			/* not followed: its exit will not be counted */
			log_err("track_process: out of memory");
			free(set);
			return;
		}
		tp->pid = pid;
		htab_add(&x->pids, &tp->node);
	}
	free(tp->procs);
	tp->procs = set;
	tp->n = n;
}

/* The trackers pid matches now; keep, from old, those whose kind of name
 * did not change (a comm change leaves command-line matches alone). */
void
tpid_check(struct tproc_ctx *x, pid_t pid, const char *comm,
    enum tproc_cause cause)
{
	struct vrrp_track *t = x->t;
	struct tpid *tp = tpid_find(x, pid);
	struct tproc **set, *p;
	struct pinfo *pi;
	unsigned n = 0, np = 0;

	for (p = t->proc_list; p != NULL; p = p->next)
		np++;
	if (np == 0)
		return;
	if ((pi = malloc(sizeof(*pi))) == NULL)
		return;
	if (comm != NULL) {
		snprintf(pi->comm, sizeof(pi->comm), "%s", comm);
		pi->have_comm = 1;
		pi->have_cmd = 0;
	} else if (pinfo_read(x, pid, pi) < 0) {
		free(pi);
		if (tp != NULL)
			tpid_assign(x, pid, NULL, 0, cause);
		return;
	}
	if ((set = calloc(np, sizeof(*set))) == NULL) {
		free(pi);
		return;
	}
	for (p = t->proc_list; p != NULL; p = p->next) {
		if (comm != NULL && p->full) {
			if (tp != NULL && set_has(tp->procs, tp->n, p))
				set[n++] = p;
			continue;
		}
		if (tproc_match(p, pi))
			set[n++] = p;
	}
	free(pi);
	if (n == 0 && tp == NULL) {
		free(set);
		return;
	}
	tpid_assign(x, pid, set, n, cause);
}

void
tpid_fork(struct tproc_ctx *x, pid_t parent, pid_t child)
{
	struct tpid *tp = tpid_find(x, parent);
	struct tproc **set;

	if (tp == NULL || tpid_find(x, child) != NULL)
		return;
	if ((set = malloc(tp->n * sizeof(*set))) == NULL)
		return;
	memcpy(set, tp->procs, tp->n * sizeof(*set));
	tpid_assign(x, child, set, tp->n, TP_FORK);
}

void
tpid_exit(struct tproc_ctx *x, pid_t pid)
{
	if (tpid_find(x, pid) != NULL)
		tpid_assign(x, pid, NULL, 0, TP_EXIT);
}

/* Count every process again from /proc. */
void
tproc_scan(struct tproc_ctx *x)
{
	struct vrrp_track *t = x->t;
	struct dirent *de;
	struct tproc *p;
	char *end;
	DIR *d;
	long pid;

	tpid_clear(x);
	x->need_comm = x->need_cmd = 0;
	for (p = t->proc_list; p != NULL; p = p->next) {
		p->count = 0;
		if (p->full)
			x->need_cmd = 1;
		else
			x->need_comm = 1;
	}
	if ((d = opendir("/proc")) == NULL) {
		log_err("track_process: /proc: %s", strerror(errno));
		return;
	}
	x->scanning = 1;
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		errno = 0;
		pid = strtol(de->d_name, &end, 10);
		if (*end != '\0' || errno != 0 || pid <= 0)
			continue;
		tpid_check(x, (pid_t)pid, NULL, TP_SCAN);
	}
	closedir(d);
	x->scanning = 0;
	/* the counts were rebuilt from 0: settle each on its total */
	for (p = t->proc_list; p != NULL; p = p->next)
		tproc_settle(p, TP_SCAN);
}

void
tproc_dump(const struct tproc *p, FILE *fp)
{
	fprintf(fp, " Track process = %s\n", p->o.name);
	fprintf(fp, "   Process = %s%s\n", p->process,
	    p->full ? " (command line)" : "");
	fprintf(fp, "   Quorum = %s, current = %u, %s%s\n",
	    tproc_quorum_str(p), p->count, p->up ? "up" : "down",
	    p->timer != NULL && loop_timer_pending(p->timer) ?
	    " (delay running)" : "");
	fprintf(fp, "   Weight = %d%s\n", p->o.weight,
	    p->o.reverse ? " reverse" : "");
}
