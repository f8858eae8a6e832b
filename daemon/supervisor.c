/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "autoconfig.h"

#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "child.h"
#include "ipc.h"
#include "log.h"
#include "notify.h"
#include "loop.h"
#include "options.h"
#include "pidfile.h"
#include "reap.h"
#include "vconfig.h"

#define RESPAWN_STABLE_USEC (10ULL * 1000000)	/* up this long: reset back-off */
#define RESPAWN_FIRST_USEC (100ULL * 1000)	/* second quick death: 0.1 s */
#define RESPAWN_MAX_USEC (30ULL * 1000000)
#define STOP_GRACE_USEC (5ULL * 1000000)	/* SIGTERM -> SIGKILL */
#define DUMP_WAIT_USEC (2ULL * 1000000)

struct supervisor;

struct slot {
	struct supervisor *sv;
	enum child_role role;
	const struct child_ops *ops;
	const char *pid_file;
	pid_t pid;		/* 0: not running */
	struct ipc *ipc;
	int wanted;
	uint64_t started;	/* loop_now_usec() at fork */
	unsigned quick_deaths;	/* consecutive deaths before RESPAWN_STABLE */
	unsigned starts;	/* since vigild started */
	struct loop_timer *respawn;
	char *dump;		/* reply to the pending dump request */
	size_t dump_len;
	int dump_pending;
};

struct supervisor {
	struct event_base *base;
	const struct options *opts;
	const struct conf_load_opts *lo;
	struct vigil_config *cfg;
	struct reaper *reaper;
	struct slot slots[CHILD_ROLE_MAX];
	struct event *sigs[5];
	struct loop_timer *kill_timer;
	struct loop_timer *dump_timer;
	int stopping;
	int status;
	unsigned reloads;
	time_t started;
};

static void slot_start(struct slot *s);

void
supervisor_log_diag(void *arg, enum conf_sev sev, const struct conf_loc *loc,
    const char *msg)
{
	int prio = sev == CONF_ERR ? LOG_ERR : LOG_WARNING;

	if (loc != NULL && loc->file != NULL)
		log_msg(prio, "%s:%u: %s", loc->file, loc->line, msg);
	else
		log_msg(prio, "%s", msg);
}

static int
slot_wanted(const struct supervisor *sv, enum child_role role)
{
	const struct options *o = sv->opts;
	unsigned bit = role == CHILD_VRRP ? OPT_RUN_VRRP : OPT_RUN_CHECK;

	if (o->only != 0 && !(o->only & bit))
		return 0;
	if (o->all_children)
		return 1;
	return role == CHILD_VRRP ? vconfig_wants_vrrp(sv->cfg) :
	    vconfig_wants_check(sv->cfg);
}

static int
all_stopped(const struct supervisor *sv)
{
	for (int i = 0; i < CHILD_ROLE_MAX; i++)
		if (sv->slots[i].pid != 0)
			return 0;
	return 1;
}

static void
finish_if_stopped(struct supervisor *sv)
{
	if (sv->stopping && all_stopped(sv))
		event_base_loopexit(sv->base, NULL);
}

/* ---- dumps ------------------------------------------------------------ */

static void
dump_write(struct supervisor *sv)
{
	char tmp[] = VIGIL_DATA_FILE ".XXXXXX";
	FILE *fp;
	int fd;

	loop_timer_stop(sv->dump_timer);
	fd = mkstemp(tmp);
	if (fd < 0 || (fp = fdopen(fd, "w")) == NULL) {
		log_err("state dump: cannot create %s: %s", tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return;
	}
	fprintf(fp, "------< vigild parent (pid %d) >------\n", (int)getpid());
	fprintf(fp, " Configuration file = %s\n", sv->cfg->path);
	fprintf(fp, " Configuration generation = %u\n", sv->cfg->generation);
	fprintf(fp, " Reloads = %u\n", sv->reloads);
	fprintf(fp, " Uptime = %lld s\n", (long long)(time(NULL) - sv->started));
	for (int i = 0; i < CHILD_ROLE_MAX; i++) {
		struct slot *s = &sv->slots[i];

		fprintf(fp, " Child %s: %s", s->ops->name,
		    s->pid != 0 ? "running" : s->wanted ? "restarting" :
		    "not needed");
		if (s->pid != 0)
			fprintf(fp, ", pid %d", (int)s->pid);
		fprintf(fp, ", restarts %u\n",
		    s->starts > 0 ? s->starts - 1 : 0);
	}
	vconfig_dump(sv->cfg, fp);
	for (int i = 0; i < CHILD_ROLE_MAX; i++) {
		struct slot *s = &sv->slots[i];

		if (s->dump != NULL)
			fwrite(s->dump, 1, s->dump_len, fp);
		else if (s->dump_pending)
			fprintf(fp, "------< %s child >------\n no reply\n",
			    s->ops->name);
		free(s->dump);
		s->dump = NULL;
		s->dump_len = 0;
		s->dump_pending = 0;
	}
	if (fclose(fp) != 0 || rename(tmp, VIGIL_DATA_FILE) < 0) {
		log_err("state dump: cannot write %s: %s", VIGIL_DATA_FILE,
		    strerror(errno));
		unlink(tmp);
		return;
	}
	log_info("state dumped to %s", VIGIL_DATA_FILE);
}

static void
dump_timeout(struct loop_timer *t, void *arg)
{
	dump_write(arg);
}

static void
dump_maybe_done(struct supervisor *sv)
{
	for (int i = 0; i < CHILD_ROLE_MAX; i++)
		if (sv->slots[i].dump_pending && sv->slots[i].dump == NULL)
			return;
	dump_write(sv);
}

static void
dump_request(struct supervisor *sv)
{
	int asked = 0;

	if (loop_timer_pending(sv->dump_timer))
		return;		/* one already in flight */
	for (int i = 0; i < CHILD_ROLE_MAX; i++) {
		struct slot *s = &sv->slots[i];

		if (s->ipc != NULL &&
		    ipc_send(s->ipc, IPC_DUMP_REQ, NULL, 0) == 0) {
			s->dump_pending = 1;
			asked++;
		}
	}
	if (asked == 0) {
		dump_write(sv);
		return;
	}
	loop_timer_start(sv->dump_timer, DUMP_WAIT_USEC, 0);
}

/* ---- children --------------------------------------------------------- */

static void
slot_on_msg(struct ipc *c, uint32_t type, const void *data, size_t len,
    void *arg)
{
	struct slot *s = arg;
	int32_t status;

	switch (type) {
	case IPC_HELLO:
		if (len == sizeof(struct ipc_hello)) {
			struct ipc_hello h;

			memcpy(&h, data, sizeof(h));
			if (h.version != IPC_VERSION)
				log_err("%s child speaks ipc version %u, "
				    "expected %u", s->ops->name, h.version,
				    IPC_VERSION);
			else
				log_info("%s child (pid %d) is up",
				    s->ops->name, (int)h.pid);
		}
		break;
	case IPC_RELOAD_DONE:
		if (len < sizeof(status))
			break;
		memcpy(&status, data, sizeof(status));
		log_msg(status == 0 ? LOG_INFO : LOG_ERR,
		    "%s child: reload %s: %.*s", s->ops->name,
		    status == 0 ? "done" : "failed",
		    (int)(len - sizeof(status)),
		    (const char *)data + sizeof(status));
		break;
	case IPC_DUMP:
		if (!s->dump_pending || s->dump != NULL)
			break;
		s->dump = malloc(len + 1);
		if (s->dump != NULL) {
			memcpy(s->dump, data, len);
			s->dump_len = len;
		}
		dump_maybe_done(s->sv);
		break;
	case IPC_PING:
		ipc_send(c, IPC_PONG, NULL, 0);
		break;
	default:
		log_warn("%s child sent unexpected ipc message type %u; ignored",
		    s->ops->name, type);
		break;
	}
}

static void
slot_on_close(struct ipc *c, const char *reason, void *arg)
{
	struct slot *s = arg;

	/* The child's exit is handled when it is reaped. */
	log_debug("%s child: ipc closed: %s", s->ops->name, reason);
	ipc_free(s->ipc);
	s->ipc = NULL;
	if (s->dump_pending && s->dump == NULL) {
		s->dump_pending = 0;
		dump_maybe_done(s->sv);
	}
}

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
slot_respawn_timer(struct loop_timer *t, void *arg)
{
	struct slot *s = arg;

	if (!s->sv->stopping && s->wanted && s->pid == 0)
		slot_start(s);
}

static void
slot_reaped(pid_t pid, int status, void *arg)
{
	struct slot *s = arg;
	struct supervisor *sv = s->sv;
	uint64_t lived = loop_now_usec() - s->started;
	uint64_t delay;
	char why[96];

	describe_status(status, why, sizeof(why));
	s->pid = 0;
	pidfile_remove(s->pid_file);
	if (s->ipc != NULL) {
		ipc_free(s->ipc);
		s->ipc = NULL;
	}
	if (sv->stopping) {
		log_info("%s child (pid %d) %s", s->ops->name, (int)pid, why);
		finish_if_stopped(sv);
		return;
	}
	if (!s->wanted) {
		log_info("%s child (pid %d) %s; no longer needed",
		    s->ops->name, (int)pid, why);
		return;
	}
	if (sv->opts->dont_respawn) {
		log_err("%s child (pid %d) %s; not respawning (-R): stopping "
		    "vigild", s->ops->name, (int)pid, why);
		sv->status = 1;
		sv->stopping = 1;
		for (int i = 0; i < CHILD_ROLE_MAX; i++)
			if (sv->slots[i].pid != 0)
				kill(sv->slots[i].pid, SIGTERM);
		loop_timer_start(sv->kill_timer, STOP_GRACE_USEC, 0);
		finish_if_stopped(sv);
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
	log_err("%s child (pid %d) %s after %.1f s; restarting in %.1f s",
	    s->ops->name, (int)pid, why, lived / 1e6, delay / 1e6);
	if (delay == 0)
		slot_start(s);
	else
		loop_timer_start(s->respawn, delay, 0);
}

/* In the new child: drop every parent resource, then run the subsystem. */
static void
slot_become_child(struct slot *s, int fd)
{
	struct supervisor *sv = s->sv;
	struct vigil_config *cfg = sv->cfg;
	int status;

	/*
	 * The epoll instance is shared with the parent across fork: detach
	 * from it before freeing anything, or every event_del() here would
	 * remove the parent's registrations too.
	 */
	if (event_reinit(sv->base) < 0)
		_exit(1);
	for (int i = 0; i < CHILD_ROLE_MAX; i++) {
		struct slot *o = &sv->slots[i];

		if (o->ipc != NULL)
			ipc_free(o->ipc);
		loop_timer_free(o->respawn);
		free(o->dump);
	}
	for (size_t i = 0; i < sizeof(sv->sigs) / sizeof(sv->sigs[0]); i++)
		if (sv->sigs[i] != NULL)
			event_free(sv->sigs[i]);
	loop_timer_free(sv->kill_timer);
	loop_timer_free(sv->dump_timer);
	reaper_free(sv->reaper);
	event_base_free(sv->base);
	vconfig_registry_release();

	status = child_main(s->ops, cfg, fd);
	exit(status);
}

static void
slot_start(struct slot *s)
{
	struct supervisor *sv = s->sv;
	int fds[2];
	pid_t pid;

	loop_timer_stop(s->respawn);
	if (ipc_pair(fds) < 0) {
		log_err("%s child: socketpair: %s; retrying in 1 s",
		    s->ops->name, strerror(errno));
		loop_timer_start(s->respawn, 1000000, 0);
		return;
	}
	pid = fork();
	if (pid < 0) {
		log_err("%s child: fork: %s; retrying in 1 s", s->ops->name,
		    strerror(errno));
		close(fds[0]);
		close(fds[1]);
		loop_timer_start(s->respawn, 1000000, 0);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		slot_become_child(s, fds[1]);
	}
	close(fds[1]);
	s->pid = pid;
	s->started = loop_now_usec();
	if (s->starts++ > 0)
		log_info("%s child restarted (pid %d)", s->ops->name, (int)pid);
	else
		log_info("%s child started (pid %d)", s->ops->name, (int)pid);
	s->ipc = ipc_new(sv->base, fds[0], slot_on_msg, slot_on_close, s);
	if (s->ipc == NULL)
		log_err("%s child: cannot set up ipc", s->ops->name);
	if (reaper_watch(sv->reaper, pid, slot_reaped, s) < 0)
		log_err("%s child: cannot watch pid %d", s->ops->name, (int)pid);
	if (s->pid_file != NULL && pidfile_write(s->pid_file, pid) < 0)
		log_warn("%s child: cannot write pid file %s: %s", s->ops->name,
		    s->pid_file, strerror(errno));
}

static void
slot_stop(struct slot *s)
{
	loop_timer_stop(s->respawn);
	if (s->pid != 0)
		kill(s->pid, SIGTERM);
}

/* Start what the config needs, stop what it no longer needs. */
static void
sync_children(struct supervisor *sv)
{
	for (int i = 0; i < CHILD_ROLE_MAX; i++) {
		struct slot *s = &sv->slots[i];

		s->wanted = slot_wanted(sv, s->role);
		if (s->wanted && s->pid == 0 && !loop_timer_pending(s->respawn))
			slot_start(s);
		else if (!s->wanted && s->pid != 0) {
			log_info("%s child: no longer needed by the "
			    "configuration; stopping it", s->ops->name);
			slot_stop(s);
		} else if (!s->wanted)
			loop_timer_stop(s->respawn);
	}
	if (!sv->slots[CHILD_VRRP].wanted && !sv->slots[CHILD_CHECK].wanted)
		log_warn("the configuration needs no child (no VRRP instance, "
		    "no virtual server); vigild idles until a reload");
}

/* ---- signals ---------------------------------------------------------- */

static void
supervisor_reload(struct supervisor *sv)
{
	struct conf_diag d = { .emit = supervisor_log_diag };
	struct vigil_config *next;
	void *buf = NULL;
	size_t len = 0;

	log_info("reloading %s (SIGHUP)", sv->cfg->path);
	notify_reloading();
	if (vconfig_load(sv->cfg->path, sv->lo, &d, &next) < 0) {
		log_err("reload rejected: %u error(s) in %s; still running "
		    "configuration generation %u", d.nerr, sv->cfg->path,
		    sv->cfg->generation);
		notify_ready(sv->cfg->generation);
		return;
	}
	if (conf_tree_encode(next->tree, &buf, &len) < 0) {
		log_err("reload: cannot encode the configuration; still "
		    "running generation %u", sv->cfg->generation);
		vconfig_free(next);
		notify_ready(sv->cfg->generation);
		return;
	}
	next->generation = sv->cfg->generation + 1;
	vconfig_free(sv->cfg);
	sv->cfg = next;
	sv->reloads++;
	if (sv->opts->dump_conf)
		vconfig_dump(sv->cfg, stderr);
	for (int i = 0; i < CHILD_ROLE_MAX; i++) {
		struct slot *s = &sv->slots[i];

		if (s->ipc != NULL &&
		    ipc_send(s->ipc, IPC_RELOAD, buf, len) < 0)
			log_err("%s child: cannot send the new configuration",
			    s->ops->name);
	}
	free(buf);
	log_info("configuration generation %u loaded (%u warning(s))",
	    next->generation, d.nwarn);
	sync_children(sv);
	notify_ready(sv->cfg->generation);
}

static void
kill_timeout(struct loop_timer *t, void *arg)
{
	struct supervisor *sv = arg;

	for (int i = 0; i < CHILD_ROLE_MAX; i++) {
		struct slot *s = &sv->slots[i];

		if (s->pid != 0) {
			log_err("%s child (pid %d) did not stop within %.0f s; "
			    "killing it", s->ops->name, (int)s->pid,
			    STOP_GRACE_USEC / 1e6);
			kill(s->pid, SIGKILL);
		}
	}
}

static void
supervisor_stop(struct supervisor *sv, const char *why)
{
	if (sv->stopping)
		return;
	log_info("stopping (%s)", why);
	notify_stopping();
	sv->stopping = 1;
	for (int i = 0; i < CHILD_ROLE_MAX; i++)
		slot_stop(&sv->slots[i]);
	loop_timer_start(sv->kill_timer, STOP_GRACE_USEC, 0);
	finish_if_stopped(sv);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct supervisor *sv = arg;

	switch (sig) {
	case SIGHUP:
		if (!sv->stopping)
			supervisor_reload(sv);
		break;
	case SIGTERM:
		supervisor_stop(sv, "SIGTERM");
		break;
	case SIGINT:
		supervisor_stop(sv, "SIGINT");
		break;
	case SIGUSR1:
		dump_request(sv);
		break;
	default:
		break;
	}
}

int
supervisor_run(const struct options *o, const struct conf_load_opts *lo,
    struct vigil_config *cfg)
{
	static const int signals[] = { SIGHUP, SIGTERM, SIGINT, SIGUSR1 };
	struct supervisor sv = { .opts = o, .lo = lo, .cfg = cfg };
	int ok = 1;

	sv.started = time(NULL);
	signal(SIGPIPE, SIG_IGN);
	sv.base = loop_new();
	if (sv.base == NULL) {
		log_err("cannot create the event loop");
		vconfig_free(cfg);
		return 1;
	}
	sv.reaper = reaper_new(sv.base);
	sv.kill_timer = loop_timer_new(sv.base, kill_timeout, &sv);
	sv.dump_timer = loop_timer_new(sv.base, dump_timeout, &sv);
	ok = sv.reaper != NULL && sv.kill_timer != NULL && sv.dump_timer != NULL;
	for (size_t i = 0; ok && i < sizeof(signals) / sizeof(signals[0]); i++) {
		sv.sigs[i] = evsignal_new(sv.base, signals[i], on_signal, &sv);
		ok = sv.sigs[i] != NULL && event_add(sv.sigs[i], NULL) == 0;
	}
	for (int i = 0; ok && i < CHILD_ROLE_MAX; i++) {
		struct slot *s = &sv.slots[i];

		s->sv = &sv;
		s->role = (enum child_role)i;
		s->ops = i == CHILD_VRRP ? &vrrp_child_ops : &chk_child_ops;
		s->pid_file = i == CHILD_VRRP ?
		    (o->vrrp_pid_file != NULL ? o->vrrp_pid_file : VIGIL_PID_VRRP) :
		    (o->checkers_pid_file != NULL ? o->checkers_pid_file :
		    VIGIL_PID_CHECK);
		s->respawn = loop_timer_new(sv.base, slot_respawn_timer, s);
		ok = s->respawn != NULL;
	}
	if (!ok) {
		log_err("cannot set up the supervisor");
		sv.status = 1;
		goto out;
	}

	sync_children(&sv);
	notify_ready(sv.cfg->generation);
	event_base_dispatch(sv.base);
	log_info("stopped");
out:
	for (int i = 0; i < CHILD_ROLE_MAX; i++) {
		struct slot *s = &sv.slots[i];

		if (s->ipc != NULL)
			ipc_free(s->ipc);
		loop_timer_free(s->respawn);
		free(s->dump);
	}
	for (size_t i = 0; i < sizeof(sv.sigs) / sizeof(sv.sigs[0]); i++)
		if (sv.sigs[i] != NULL)
			event_free(sv.sigs[i]);
	loop_timer_free(sv.kill_timer);
	loop_timer_free(sv.dump_timer);
	reaper_free(sv.reaper);
	event_base_free(sv.base);
	vconfig_free(sv.cfg);
	return sv.status;
}
