/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * track_process: how many processes match a name, against a quorum
 * (quorum <= count <= quorum_max is up). The kernel's process events come
 * over the netlink proc connector (fork, exec, comm change, exit); /proc
 * is scanned at start, when the trackers change and after the socket
 * overran (ENOBUFS). The connector speaks only in the initial network
 * namespace: without it (no acknowledgement), /proc is scanned every
 * second instead.
 *
 * Matching is keepalived's: the command name (comm) by default; with
 * full_command, parameters or param_match, the first word of the command
 * line and then the parameters (exact: all of them; partial: the first
 * ones; initial: the first ones, the last given one a prefix). A fork of
 * a counted process counts after fork_delay; an exit stops counting after
 * terminate_delay.
 */
#include "autoconfig.h"

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "loop.h"
#include "proc.h"
#include "vrrp/config.h"
#include "vrrp/track_priv.h"

#define TPROC_CMDLINE_MAX 4096
#define TPROC_ACK_USEC 1000000u		/* wait for the kernel's ack */
#define TPROC_RESYNC_USEC 1000000u	/* rescan after an overrun */
#define TPROC_POLL_USEC 1000000u	/* rescan without the connector */
#define TPROC_RCVBUF_MAX (64u << 20)

enum tproc_cause { TP_FORK, TP_EXEC, TP_COMM, TP_EXIT, TP_SCAN };

struct tpid {
	struct htab_node node;
	pid_t pid;
	unsigned n;
	struct tproc **procs;
};

struct tproc_ctx {
	struct vrrp_track *t;
	int fd;			/* -1: no connector */
	struct event *ev;
	struct htab pids;
	struct loop_timer *timer;	/* ack wait, resync, poll */
	int acked;
	int polling;		/* no events: scan every second */
	int need_comm, need_cmd;
	int scanning;		/* counts are being rebuilt: no settling */
};

struct pinfo {
	char comm[64];
	int have_comm;
	char cmd[TPROC_CMDLINE_MAX + 1];
	size_t cmdlen;
	int have_cmd;
};

static size_t
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

static void
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
	    vrrp_track_str_eq(p->process, c->process) &&
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
 * waits fork_delay, losing it through an exit waits terminate_delay (a
 * rescan waits either); anything else counts at once. A delay running
 * when the count comes back is cancelled.
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
	if (want && (cause == TP_FORK || cause == TP_SCAN))
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
static void
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

static void
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

static void
tpid_exit(struct tproc_ctx *x, pid_t pid)
{
	if (tpid_find(x, pid) != NULL)
		tpid_assign(x, pid, NULL, 0, TP_EXIT);
}

/* Count every process again from /proc. */
static void
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

/* ---- the proc connector ---------------------------------------------------- */

static int
tproc_listen(int fd, int on)
{
	union {
		struct nlmsghdr nh;
		char buf[NLMSG_SPACE(sizeof(struct cn_msg) +
		    sizeof(enum proc_cn_mcast_op))];
	} u;
	enum proc_cn_mcast_op op = on ? PROC_CN_MCAST_LISTEN :
	    PROC_CN_MCAST_IGNORE;
	struct cn_msg cn;
	size_t len = NLMSG_LENGTH(sizeof(cn) + sizeof(op));

	memset(&u, 0, sizeof(u));
	memset(&cn, 0, sizeof(cn));
	u.nh.nlmsg_len = (__u32)len;
	u.nh.nlmsg_type = NLMSG_DONE;
	cn.id.idx = CN_IDX_PROC;
	cn.id.val = CN_VAL_PROC;
	cn.len = sizeof(op);
	memcpy(NLMSG_DATA(&u.nh), &cn, sizeof(cn));
	memcpy((char *)NLMSG_DATA(&u.nh) + sizeof(cn), &op, sizeof(op));
	return send(fd, u.buf, len, 0) == (ssize_t)len ? 0 : -1;
}

static void tproc_timer(struct loop_timer *lt, void *arg);

static void
tproc_overrun(struct tproc_ctx *x)
{
	int size = 0;
	socklen_t len = sizeof(size);

	if (getsockopt(x->fd, SOL_SOCKET, SO_RCVBUF, &size, &len) == 0 &&
	    size > 0 && (unsigned)size < TPROC_RCVBUF_MAX) {
		size *= 2;	/* the kernel doubles what it is given */
		if (setsockopt(x->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
		    sizeof(size)) < 0)
			(void)setsockopt(x->fd, SOL_SOCKET, SO_RCVBUF, &size,
			    sizeof(size));
	}
	log_warn("track_process: process events were lost (receive buffer "
	    "overrun); counting the processes again in %.0f s",
	    TPROC_RESYNC_USEC / 1e6);
	loop_timer_start(x->timer, TPROC_RESYNC_USEC, 0);
}

static void
tproc_event(struct tproc_ctx *x, const struct proc_event *ev)
{
	char comm[sizeof(ev->event_data.comm.comm) + 1];

	switch (ev->what) {
	case PROC_EVENT_NONE:
		if (!x->acked)
			log_debug("track_process: the kernel's process events "
			    "are on");
		x->acked = 1;
		break;
	case PROC_EVENT_FORK:
		/* a new process, not a thread */
		if (ev->event_data.fork.child_pid ==
		    ev->event_data.fork.child_tgid)
			tpid_fork(x, ev->event_data.fork.parent_tgid,
			    ev->event_data.fork.child_tgid);
		break;
	case PROC_EVENT_EXEC:
		if (ev->event_data.exec.process_pid ==
		    ev->event_data.exec.process_tgid)
			tpid_check(x, ev->event_data.exec.process_tgid, NULL,
			    TP_EXEC);
		break;
	case PROC_EVENT_COMM:
		if (ev->event_data.comm.process_pid ==
		    ev->event_data.comm.process_tgid) {
			memcpy(comm, ev->event_data.comm.comm,
			    sizeof(ev->event_data.comm.comm));
			comm[sizeof(comm) - 1] = '\0';
			tpid_check(x, ev->event_data.comm.process_tgid, comm,
			    TP_COMM);
		}
		break;
	case PROC_EVENT_EXIT:
		if (ev->event_data.exit.process_pid ==
		    ev->event_data.exit.process_tgid)
			tpid_exit(x, ev->event_data.exit.process_tgid);
		break;
	default:
		break;
	}
}

static void
tproc_read(evutil_socket_t fd, short what, void *arg)
{
	union {
		struct nlmsghdr nh;
		char buf[8192];
	} u;
	struct tproc_ctx *x = arg;
	struct sockaddr_nl sa;
	struct proc_event ev;
	struct cn_msg cn;
	struct nlmsghdr *nh;
	socklen_t salen;
	unsigned rounds;
	size_t avail, off;
	ssize_t n;

	(void)what;
	for (rounds = 0; rounds < 256; rounds++) {
		salen = sizeof(sa);
		n = recvfrom(fd, u.buf, sizeof(u.buf), 0,
		    (struct sockaddr *)&sa, &salen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS)
				tproc_overrun(x);
			else if (errno != EAGAIN)
				log_warn("track_process: recv: %s",
				    strerror(errno));
			return;
		}
		if (salen != sizeof(sa) || sa.nl_pid != 0)
			continue;	/* only the kernel speaks here */
		for (off = 0; off + NLMSG_HDRLEN <= (size_t)n;
		    off += NLMSG_ALIGN(nh->nlmsg_len)) {
			nh = (struct nlmsghdr *)(void *)(u.buf + off);
			if (nh->nlmsg_len < NLMSG_HDRLEN ||
			    nh->nlmsg_len > (size_t)n - off)
				break;
			if (nh->nlmsg_type == NLMSG_ERROR ||
			    nh->nlmsg_type == NLMSG_NOOP ||
			    nh->nlmsg_len < NLMSG_LENGTH(sizeof(cn)))
				continue;
			memcpy(&cn, NLMSG_DATA(nh), sizeof(cn));
			if (cn.id.idx != CN_IDX_PROC ||
			    cn.id.val != CN_VAL_PROC)
				continue;
			avail = nh->nlmsg_len - NLMSG_LENGTH(sizeof(cn));
			if (avail > cn.len)
				avail = cn.len;
			if (avail < offsetof(struct proc_event, event_data))
				continue;
			memset(&ev, 0, sizeof(ev));
			memcpy(&ev, (char *)NLMSG_DATA(nh) + sizeof(cn),
			    avail < sizeof(ev) ? avail : sizeof(ev));
			tproc_event(x, &ev);
		}
	}
}

static void
tproc_timer(struct loop_timer *lt, void *arg)
{
	struct tproc_ctx *x = arg;

	(void)lt;
	if (!x->acked && !x->polling) {
		log_warn("track_process: no process events from the kernel "
		    "(not the initial network namespace, or no "
		    "CONFIG_PROC_EVENTS); counting processes in /proc every "
		    "%.0f s instead", TPROC_POLL_USEC / 1e6);
		x->polling = 1;
	}
	tproc_scan(x);
	if (x->polling)
		loop_timer_start(x->timer, TPROC_POLL_USEC, 0);
}

static int
tproc_connect(struct tproc_ctx *x)
{
	struct sockaddr_nl sa;
	int fd;

	fd = socket(PF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    NETLINK_CONNECTOR);
	if (fd < 0) {
		log_warn("track_process: netlink connector: %s",
		    strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = CN_IDX_PROC;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    tproc_listen(fd, 1) < 0) {
		log_warn("track_process: process events: %s",
		    strerror(errno));
		close(fd);
		return -1;
	}
	x->ev = event_new(x->t->env->base, fd, EV_READ | EV_PERSIST,
	    tproc_read, x);
	if (x->ev == NULL || event_add(x->ev, NULL) < 0) {
		if (x->ev != NULL)
			event_free(x->ev);
		x->ev = NULL;
		close(fd);
		return -1;
	}
	x->fd = fd;
	return 0;
}

int
tproc_ctx_new(struct vrrp_track *t)
{
	struct tproc_ctx *x;

	if (t->pctx != NULL)
		return 0;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return -1;
	x->t = t;
	x->fd = -1;
	htab_init(&x->pids, tpid_hash, NULL);
	if ((x->timer = loop_timer_new(t->env->base, tproc_timer, x)) ==
	    NULL) {
		free(x);
		return -1;
	}
	t->pctx = x;
	/* without events, the timer scans /proc every second */
	if (tproc_connect(x) < 0) {
		x->polling = 1;
		log_warn("track_process: counting processes in /proc every "
		    "%.0f s instead", TPROC_POLL_USEC / 1e6);
	}
	loop_timer_start(x->timer, x->polling ? TPROC_POLL_USEC :
	    TPROC_ACK_USEC, 0);
	return 0;
}

void
tproc_ctx_free(struct vrrp_track *t)
{
	struct tproc_ctx *x = t->pctx;

	if (x == NULL)
		return;
	if (x->ev != NULL) {
		event_free(x->ev);
		(void)tproc_listen(x->fd, 0);
		close(x->fd);
	}
	loop_timer_free(x->timer);
	tpid_clear(x);
	htab_free(&x->pids);
	free(x);
	t->pctx = NULL;
}

void
tproc_sync(struct vrrp_track *t)
{
	if (t->proc_list == NULL) {
		tproc_ctx_free(t);
		return;
	}
	if (t->pctx != NULL)
		tproc_scan(t->pctx);
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
