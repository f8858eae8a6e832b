/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One child of the parent: fork it, talk to it, send it reloads (one in
 * flight at a time), watch that it answers, stop it (SIGTERM, then
 * SIGKILL), reap it and restart it with back-off when it dies.
 */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "global_conf.h"
#include "ipc.h"
#include "log.h"
#include "loop.h"
#include "options.h"
#include "pidfile.h"
#include "proc.h"
#include "reap.h"
#include "refresh.h"
#include "snmp.h"
#include "supervisor_int.h"
#include "vconfig.h"

static void slot_stop_timer_start(struct slot *s);

static void
describe_status(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(status),
		    strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "ended with wait status 0x%x", status);
}

static void
slot_drop_reloads(struct slot *s)
{
	s->next_gen = 0;
	s->gen_inflight = 0;
}

/* A child that broke the protocol is not trusted: stop and restart it. */
static void
slot_violation(struct slot *s, const char *what)
{
	log_err("%s child (pid %d): %s; restarting it", s->sub->name,
	    (int)s->pid, what);
	/* nothing more is taken from it (freeing inside the channel's own
	 * callback is deferred by ipc) */
	ipc_free(s->ipc);
	s->ipc = NULL;
	slot_drop_reloads(s);
	dump_slot_gone(s);
	state_child_gone(&s->st);
	refresh_update(s->sv);
	slot_restart(s, "protocol violation");
}

/* The parent's end of a child's socket may queue this much. */
#define SLOT_SNDBUF (64 * 1024 * 1024)

/* ---- reloads ------------------------------------------------------------ */

/* The running generation's part, to the child now. */
static void
slot_transmit(struct slot *s, const struct vigil_config *cfg)
{
	struct ipc_reload hdr = { cfg->generation };
	const void *part;
	void *owned;
	size_t len;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (vconfig_part(vconfig_registry(), cfg, s->sub, &part, &len,
	    &owned) < 0) {
		log_err("%s child: cannot encode configuration generation %u; "
		    "restarting it with that configuration", s->sub->name,
		    cfg->generation);
		slot_restart(s, "could not be sent the configuration");
		return;
	}
	if (owned != NULL)
		log_debug("encoded %zu bytes for the %s child in %.1f ms", len,
		    s->sub->name, subsys_ms_since(&t0));
	if (ipc_send2(s->ipc, IPC_RELOAD, &hdr, sizeof(hdr), part, len) < 0) {
		log_err("%s child (pid %d): cannot send configuration "
		    "generation %u: %s; restarting it with that configuration",
		    s->sub->name, (int)s->pid, cfg->generation, strerror(errno));
		free(owned);
		slot_restart(s, "could not be sent the configuration");
		return;
	}
	free(owned);
	s->gen_inflight = cfg->generation;
	/* into the socket now (its buffer holds a large configuration,
	 * slot_start), not after whatever the loop does next */
	(void)ipc_flush(s->ipc, 0);
}

void
slot_send_reload(struct slot *s, const struct vigil_config *cfg)
{
	if (s->pid == 0 || s->ipc == NULL || s->stopping)
		return;		/* a new child is sent cfg when it starts */
	if (s->gen_inflight != 0) {
		/* the child is busy with an older one: this replaces any
		 * other waiting generation */
		if (s->next_gen != 0)
			log_info("%s child: generation %u superseded by %u "
			    "before it was sent", s->sub->name, s->next_gen,
			    cfg->generation);
		s->next_gen = cfg->generation;
		return;
	}
	slot_transmit(s, cfg);
}

static void
slot_reload_done(struct slot *s, const void *data, size_t len)
{
	struct ipc_reload_done r;
	const char *text = (const char *)data + sizeof(r);
	int tlen = (int)(len - sizeof(r));

	if (len < sizeof(r)) {
		slot_violation(s, "short reload reply");
		return;
	}
	memcpy(&r, data, sizeof(r));
	if (s->gen_inflight == 0 || r.generation != s->gen_inflight) {
		slot_violation(s, "reload reply for a generation never sent");
		return;
	}
	s->gen_inflight = 0;
	if (r.status != 0) {
		log_err("%s child (pid %d): configuration generation %u "
		    "failed: %.*s; restarting it with that configuration",
		    s->sub->name, (int)s->pid, r.generation, tlen, text);
		slot_drop_reloads(s);
		slot_restart(s, "could not apply the configuration");
		return;
	}
	s->gen_acked = r.generation;
	log_info("%s child: running configuration generation %u: %.*s",
	    s->sub->name, r.generation, tlen, text);
	if (snmp_feed_is(s))
		snmp_feed_ready(s->sv, s);
	relay_all(s->sv, s);
	if (s->next_gen != 0) {
		/* the running generation: a newer one would have taken
		 * its place */
		s->next_gen = 0;
		slot_transmit(s, s->sv->cfg);
	}
}

/* ---- messages from the child --------------------------------------------- */

uint32_t
slot_snapshot_ask(struct slot *s)
{
	struct ipc_snap_req req;

	if (s->ipc == NULL)
		return 0;
	/* numbered on, across the child's restarts: an answer names
	 * only a request of this child's */
	if (++s->snap_seq == 0)
		s->snap_seq = 1;
	req.seq = s->snap_seq;
	if (ipc_send(s->ipc, IPC_SNAPSHOT_REQ, &req, sizeof(req)) < 0) {
		log_warn("%s child: cannot ask for a state snapshot",
		    s->sub->name);
		return 0;
	}
	return req.seq;
}

void
slot_snapshot_hold(struct slot *s, uint32_t msec, uint32_t seq)
{
	if (msec > IPC_HELD_MAX_MSEC)
		msec = IPC_HELD_MAX_MSEC;
	/* released by the snapshot that answers seq, not by one the child
	 * sends of its own accord meanwhile (after a reload) */
	s->held_seq = seq;
	s->held_until = loop_now_usec() + (uint64_t)msec * 1000;
	dump_held(s);
}

int
slot_snapshot_held(const struct slot *s)
{
	return s->held_until != 0 && s->ipc != NULL &&
	    !ipc_seq_ge(s->st.answered, s->held_seq) &&
	    loop_now_usec() < s->held_until;
}

/* A request number the child names is one the parent sent. */
static int
slot_seq_asked(const struct slot *s, uint32_t seq)
{
	return seq != 0 && ipc_seq_ge(s->snap_seq, seq);
}

/* An IPC_STATE message answers no request, or one sent (the store checks
 * the rest). */
static int
slot_state_answers_asked(const struct slot *s, const void *data, size_t len)
{
	struct ipc_state h;

	if (len < sizeof(h))
		return 1;
	memcpy(&h, data, sizeof(h));
	return h.answers == 0 || slot_seq_asked(s, h.answers);
}

static void
slot_on_msg(struct ipc *c, uint32_t type, const void *data, size_t len,
    void *arg)
{
	struct slot *s = arg;
	struct ipc_hello h;

	s->last_heard = loop_now_usec();
	if (type != IPC_DUMP && len > CHILD_MAX_REPLY) {
		slot_violation(s, "oversized message");
		return;
	}
	switch (type) {
	case IPC_HELLO:
		if (len != sizeof(h)) {
			slot_violation(s, "malformed hello");
			return;
		}
		memcpy(&h, data, sizeof(h));
		if (h.version != IPC_VERSION) {
			log_err("%s child speaks ipc version %u, expected %u",
			    s->sub->name, h.version, IPC_VERSION);
			slot_violation(s, "wrong ipc version");
			return;
		}
		log_info("%s child (pid %d) is up", s->sub->name, (int)h.pid);
		break;
	case IPC_RELOAD_DONE:
		slot_reload_done(s, data, len);
		break;
	case IPC_DUMP:
		if (s->dump_asked == 0) {
			slot_violation(s, "state dump nobody asked for");
			return;
		}
		s->dump_asked--;
		dump_reply(s, data, len);	/* a late one is dropped there */
		break;
	case IPC_STATE:
		/* a child on its way out may still answer an old request:
		 * what it says no longer counts */
		if (s->stopping || !s->wanted)
			break;
		if (!slot_state_answers_asked(s, data, len))
			slot_violation(s, "snapshot answering a request never "
			    "sent");
		else if (state_ipc(&s->st, data, len) < 0)
			slot_violation(s, "malformed state report");
		else {
			snmp_feed_state(s->sv, s, data, len);
			relay_state(s->sv, s, data, len);
		}
		refresh_update(s->sv);
		break;
	case IPC_CMD_REPLY:
		slot_command_reply(s, data, len);
		break;
	case IPC_SNAPSHOT_HELD: {
		struct ipc_held held;

		if (len != sizeof(held)) {
			slot_violation(s, "malformed snapshot hold");
			return;
		}
		memcpy(&held, data, sizeof(held));
		if (!slot_seq_asked(s, held.seq)) {
			slot_violation(s, "hold of a snapshot never asked");
			return;
		}
		slot_snapshot_hold(s, held.msec, held.seq);
		break;
	}
	case IPC_PING:
		ipc_send(c, IPC_PONG, NULL, 0);
		break;
	case IPC_PONG:
		break;
	default:
		if (type >= IPC_SUBSYS_BASE &&
		    snmp_feed_msg(s, type, data, len) == 0)
			break;
		if (type >= IPC_SUBSYS_BASE) {
			/* the parent has no handler for the subsystem's own
			 * messages yet: the operations code adds them */
			log_warn("%s child: message type %u (%zu bytes) has no "
			    "handler in the parent; dropped", s->sub->name,
			    type, len);
			break;
		}
		slot_violation(s, "unexpected message type");
		break;
	}
}

static void
slot_on_close(struct ipc *c, const char *reason, void *arg)
{
	struct slot *s = arg;
	/* a child that went away is reaped, not stopped: its death is then
	 * told as it was (-R stops vigild; a crash is logged as one) */
	int gone = ipc_peer_gone(c);

	ipc_free(s->ipc);
	s->ipc = NULL;
	slot_drop_reloads(s);
	dump_slot_gone(s);
	slot_command_gone(s);
	state_child_gone(&s->st);
	refresh_update(s->sv);
	if (gone || s->stopping || s->sv->stopping) {
		/* the child is exiting; its end is reported when reaped.
		 * Should it hang on its way out, it is killed. */
		log_debug("%s child: ipc closed: %s", s->sub->name, reason);
		if (s->pid != 0 && !loop_timer_pending(s->stop_timer))
			slot_stop_timer_start(s);
		return;
	}
	log_err("%s child (pid %d): ipc channel failed: %s; restarting it",
	    s->sub->name, (int)s->pid, reason);
	slot_restart(s, "ipc failure");
}

/* ---- life and death ------------------------------------------------------ */

/* SIGKILL for a stopping child that has not exited within child_wait_time
 * (keepalived's name; STOP_GRACE_USEC by default). */
static void
slot_stop_timer_start(struct slot *s)
{
	const struct global_conf *g = s->sv->cfg != NULL ?
	    s->sv->cfg->conf[CONF_OWNER_GLOBAL] : NULL;

	s->stop_grace = g != NULL ? g->child_wait_time * 1000000ULL :
	    STOP_GRACE_USEC;
	loop_timer_start(s->stop_timer, s->stop_grace, 0);
}

static void
slot_respawn_timer(struct loop_timer *t, void *arg)
{
	struct slot *s = arg;

	if (!s->sv->stopping && s->wanted && s->pid == 0)
		slot_start(s);
}

static void
slot_stop_timer(struct loop_timer *t, void *arg)
{
	struct slot *s = arg;

	if (s->pid == 0)
		return;
	log_err("%s child (pid %d) did not stop within %.0f s; killing it",
	    s->sub->name, (int)s->pid, s->stop_grace / 1e6);
	kill(s->pid, SIGKILL);
}

static void
slot_reaped(pid_t pid, int status, void *arg)
{
	struct slot *s = arg;
	struct supervisor *sv = s->sv;
	uint64_t lived = loop_now_usec() - s->started;
	uint64_t delay;
	int on_purpose = s->stopping;
	char why[96];

	describe_status(status, why, sizeof(why));
	s->pid = 0;
	s->stopping = 0;
	loop_timer_stop(s->stop_timer);
	if (s->pid_file != NULL)
		pidfiles_clear(sv->pf, s->pid_file);
	if (s->ipc != NULL) {
		ipc_free(s->ipc);
		s->ipc = NULL;
	}
	slot_drop_reloads(s);
	dump_slot_gone(s);
	slot_command_gone(s);
	state_child_gone(&s->st);
	refresh_update(sv);
	if (sv->stopping) {
		log_info("%s child (pid %d) %s", s->sub->name, (int)pid, why);
		supervisor_child_gone(sv);
		return;
	}
	if (!s->wanted) {
		log_info("%s child (pid %d) %s; no longer needed",
		    s->sub->name, (int)pid, why);
		return;
	}
	if (sv->opts->dont_respawn && !on_purpose) {
		log_err("%s child (pid %d) %s; not respawning (-R): stopping "
		    "vigild", s->sub->name, (int)pid, why);
		sv->status = 1;
		sv->stopping = 1;
		for (unsigned i = 0; i < sv->nslots; i++)
			slot_stop(&sv->slots[i], "vigild is stopping");
		supervisor_child_gone(sv);
		return;
	}
	if (lived >= RESPAWN_STABLE_USEC)
		s->quick_deaths = 0;
	if (s->quick_deaths == 0)
		delay = 0;
	else if (s->quick_deaths >= 20)
		delay = RESPAWN_MAX_USEC;
	else {
		delay = RESPAWN_FIRST_USEC << (s->quick_deaths - 1);
		if (delay > RESPAWN_MAX_USEC)
			delay = RESPAWN_MAX_USEC;
	}
	s->quick_deaths++;
	if (on_purpose)
		/* stopped to be restarted (reload or ipc failure): a child
		 * that keeps failing that way backs off like a crashing one */
		log_info("%s child (pid %d) %s; restarting it in %.1f s",
		    s->sub->name, (int)pid, why, delay / 1e6);
	else
		log_err("%s child (pid %d) %s after %.1f s; restarting in "
		    "%.1f s", s->sub->name, (int)pid, why, lived / 1e6,
		    delay / 1e6);
	if (delay == 0)
		slot_start(s);
	else
		loop_timer_start(s->respawn, delay, 0);
}

/* ---- start ------------------------------------------------------------- */

static int
slot_send_handover(void *arg, const void *buf, size_t len)
{
	struct slot *s = arg;

	return ipc_send(s->ipc, IPC_HANDOVER, buf, len);
}

/* What the parent knows of the child's objects goes first: the last
 * states reported and the runtime overrides, so that a respawned child
 * adopts what runs instead of starting over. */
static void
slot_hand_over(struct slot *s)
{
	if (state_handover(&s->st, s->sv->cfg->generation, slot_send_handover,
	    s) < 0)
		log_err("%s child: cannot hand over what the parent knows "
		    "(%s); it starts without it", s->sub->name,
		    strerror(errno));
}

/*
 * In the new process: become the child by executing vigild again with the
 * parent's command line and --child, the ipc socket at OPTIONS_CHILD_FD.
 * It starts with nothing of the parent's memory (a child holds only its own
 * part of the configuration) and every signal still blocked.
 */
static void
slot_become_child(struct slot *s, int fd)
{
	const struct options *o = s->sv->opts;
	char arg[sizeof(o->child) + 32];
	char **argv = calloc((size_t)o->argc + 2, sizeof(*argv));

	if (argv == NULL)
		_exit(127);
	if (fd == OPTIONS_CHILD_FD) {
		if (fcntl(fd, F_SETFD, 0) < 0)
			_exit(127);
	} else if (dup2(fd, OPTIONS_CHILD_FD) < 0)
		_exit(127);
	snprintf(arg, sizeof(arg), "--child=%s:%d", s->sub->name,
	    (int)s->sv->pid);
	/* first: after a "--" it would not be read as an option */
	argv[0] = o->argv[0];
	argv[1] = arg;
	for (int i = 1; i < o->argc; i++)
		argv[i + 1] = o->argv[i];
	argv[o->argc + 1] = NULL;
	execv("/proc/self/exe", argv);
	_exit(127);
}

void
slot_start(struct slot *s)
{
	struct supervisor *sv = s->sv;
	sigset_t all, old;
	int fds[2], sndbuf = SLOT_SNDBUF;
	pid_t pid;

	loop_timer_stop(s->respawn);
	if (ipc_pair(fds) < 0) {
		log_err("%s child: socketpair: %s; retrying in 1 s",
		    s->sub->name, strerror(errno));
		loop_timer_start(s->respawn, 1000000, 0);
		return;
	}
	/*
	 * No signal may reach the child before it has its own handlers:
	 * until event_reinit() it would land in the parent's signal pipe.
	 */
	/* a reload's configuration (megabytes at 100,000 real servers)
	 * goes into the socket at once, however busy the loop is after
	 * sending it, and so do a child's snapshots and state events: the
	 * reader drains them without waiting for the writer to be
	 * scheduled again every 200 KB (seconds on a loaded host). The
	 * kernel charges only what is queued. */
	for (int i = 0; i < 2; i++)
		if (setsockopt(fds[i], SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf,
		    sizeof(sndbuf)) < 0)
			(void)setsockopt(fds[i], SOL_SOCKET, SO_SNDBUF,
			    &sndbuf, sizeof(sndbuf));
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		slot_become_child(s, fds[1]);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fds[1]);
	if (pid < 0) {
		log_err("%s child: fork: %s; retrying in 1 s", s->sub->name,
		    strerror(errno));
		close(fds[0]);
		loop_timer_start(s->respawn, 1000000, 0);
		return;
	}
	s->pid = pid;
	s->started = s->last_heard = loop_now_usec();
	s->gen_acked = 0;
	s->dump_asked = 0;
	slot_drop_reloads(s);
	if (s->starts++ > 0)
		log_info("%s child restarted (pid %d)", s->sub->name, (int)pid);
	else
		log_info("%s child started (pid %d)", s->sub->name, (int)pid);
	if (reaper_watch(sv->reaper, pid, slot_reaped, s) < 0) {
		/* without a reaper entry its death would go unnoticed */
		log_err("%s child: cannot watch pid %d; killing it",
		    s->sub->name, (int)pid);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		s->pid = 0;
		close(fds[0]);
		loop_timer_start(s->respawn, 1000000, 0);
		return;
	}
	s->ipc = ipc_new(sv->base, fds[0], slot_on_msg, slot_on_close, s);
	if (s->ipc == NULL) {
		log_err("%s child: cannot set up ipc; restarting it",
		    s->sub->name);
		slot_restart(s, "no ipc");
	} else {
		ipc_set_max_frame(s->ipc, IPC_MAX_DUMP + 4096);
		slot_hand_over(s);
		slot_send_reload(s, sv->cfg);
	}
	if (s->pid_file != NULL &&
	    pidfiles_store(sv->pf, s->pid_file, pid) < 0) {
		if (errno == ENOENT)
			/* not taken at start: the configuration vigild
			 * started with did not run this child */
			log_info("%s child: no pid file (%s is taken only "
			    "when vigild starts with a configuration that "
			    "runs the child)", s->sub->name, s->pid_file);
		else
			log_warn("%s child: cannot write pid file %s: %s",
			    s->sub->name, s->pid_file, strerror(errno));
	}
}

static void
slot_signal_stop(struct slot *s, int sig, const char *how, const char *why)
{
	loop_timer_stop(s->respawn);
	/* a stop for good overtakes a restart's stop under way: the child
	 * is to release what it was going to leave for the next one */
	if (s->pid == 0 || (s->stopping && (sig != SIGTERM ||
	    s->stop_sig == SIGTERM)))
		return;
	log_debug("%s child (pid %d): %s (%s)", s->sub->name, (int)s->pid,
	    how, why);
	s->stop_sig = sig;
	kill(s->pid, sig);
	if (!s->stopping)
		slot_stop_timer_start(s);
	s->stopping = 1;
}

void
slot_stop(struct slot *s, const char *why)
{
	slot_signal_stop(s, SIGTERM, "SIGTERM", why);
}

void
slot_restart(struct slot *s, const char *why)
{
	slot_signal_stop(s, proc_restart_signal(), "stop for a restart", why);
}

void
slot_watchdog(struct slot *s, uint64_t now, uint64_t limit)
{
	if (s->pid == 0 || s->stopping)
		return;
	if (now - s->last_heard > limit) {
		log_err("%s child (pid %d) has not answered for %.1f s; "
		    "killing it", s->sub->name, (int)s->pid,
		    (now - s->last_heard) / 1e6);
		kill(s->pid, SIGKILL);
		s->last_heard = now;	/* one kill per silence */
		return;
	}
	if (s->ipc != NULL)
		ipc_send(s->ipc, IPC_PING, NULL, 0);
}

int
slot_init(struct slot *s, struct supervisor *sv, const struct subsys *sub)
{
	s->sv = sv;
	s->sub = sub;
	s->pid_file = options_child_pid_file(sv->opts, sub);
	state_init(&s->st);
	s->respawn = loop_timer_new(sv->base, slot_respawn_timer, s);
	s->stop_timer = loop_timer_new(sv->base, slot_stop_timer, s);
	return s->respawn != NULL && s->stop_timer != NULL ? 0 : -1;
}

void
slot_fini(struct slot *s)
{
	if (s->ipc != NULL)
		ipc_free(s->ipc);
	s->ipc = NULL;
	loop_timer_free(s->respawn);
	loop_timer_free(s->stop_timer);
	s->respawn = s->stop_timer = NULL;
	free(s->dump);
	s->dump = NULL;
	slot_drop_reloads(s);
	slot_command_gone(s);
	state_fini(&s->st);
}
