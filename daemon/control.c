/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control socket: accept, read one framed JSON request at a time,
 * answer it from the state store (after a refresh) or route it, drop what
 * misbehaves. Nothing a client does blocks the parent's loop.
 */
#include "autoconfig.h"

#include "control.h"

#include <errno.h>
#include <grp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/event.h>

#include "conf_preview.h"
#include "ctl_proto.h"
#include "dump_ka.h"
#include "global_conf.h"
#include "ipc.h"
#include "ipc_msg.h"
#include "log.h"
#include "loop.h"
#include "offload.h"
#include "options.h"
#include "pidfile.h"
#include "refresh.h"
#include "reload.h"
#include "route.h"
#include "state_json.h"
#include "supervisor.h"
#include "supervisor_int.h"
#include "vconfig.h"

#define CTL_ACCEPT_BURST 64
#define CTL_RESUME_USEC (200ULL * 1000)	/* after running out of fds */
#define CTL_DUMP_POLL_USEC (50ULL * 1000)
/* a data dump's client waits this much past the dump's own bound */
#define CTL_DUMP_SLACK_USEC (1ULL * 1000000)
/* A dump larger than this is left in its file: the reply names it. */
#define CTL_DUMP_MAX_TEXT (32u * 1024 * 1024)

struct ctl_client;

struct control {
	struct supervisor *sv;
	size_t backlog_max;		/* CTL_MAX_BACKLOG_TOTAL, or the
					 * environment's */
	char *path;
	int fd;
	dev_t dev;
	ino_t ino;
	struct event *ev;
	struct loop_timer *resume;
	struct loop_timer *move;	/* to another path, after a reload */
	struct ctl_client *clients;
	unsigned nclients;
};

struct ctl_client {
	struct ctl_client *next;
	struct control *ctl;
	struct ipc *ipc;
	struct loop_timer *idle;
	struct loop_timer *wait;	/* a dump being written */
	uid_t uid;
	pid_t pid;
	int busy;			/* a request in flight */
	unsigned sections;		/* of the read command in flight */
	int dump_json;			/* dump json (else stats) in flight */
	int text;			/* show ipvs: the table as text */
	int vrrp;			/* typed after "vrrp": its usage too */
	char *name;
	struct offload *render;		/* a large reply being rendered */
	size_t last_pending;		/* reply bytes unread at the last
					 * idle check */
};

/* ---- clients --------------------------------------------------------------- */

static void
client_free(struct ctl_client *c)
{
	struct control *ctl = c->ctl;

	for (struct ctl_client **pp = &ctl->clients; *pp != NULL;
	    pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	ctl->nclients--;
	refresh_cancel(ctl->sv, c);
	route_cancel(ctl->sv, c);
	reload_cancel(ctl->sv, c);
	offload_cancel(c->render);
	ipc_free(c->ipc);
	loop_timer_free(c->idle);
	loop_timer_free(c->wait);
	free(c->name);
	free(c);
}

static void
client_drop(struct ctl_client *c, const char *why)
{
	log_debug("control: client pid %d uid %d dropped: %s", (int)c->pid,
	    (int)c->uid, why);
	client_free(c);
}

/* Reply bytes queued in the parent and not yet taken by the clients. */
static size_t
backlog(const struct control *ctl)
{
	size_t n = 0;

	for (const struct ctl_client *c = ctl->clients; c != NULL; c = c->next)
		n += ipc_pending(c->ipc);
	return n;
}

static void client_reply(struct ctl_client *c, int status, const char *text,
    size_t tlen, json_t *state);

/* The reply's frame payload (buf, len) queued; buf stays the caller's. A
 * large reply that would take the replies other clients leave unread past
 * the bound is answered busy instead (control.h). */
static void
client_send(struct ctl_client *c, const char *buf, size_t len)
{
	size_t queued;
	char why[160];

	if (len > CTL_SMALL_REPLY && (queued = backlog(c->ctl)) > 0 &&
	    queued + len > c->ctl->backlog_max) {
		log_warn("control: client pid %d: reply of %zu bytes refused: "
		    "%zu bytes of replies wait to be read by other clients",
		    (int)c->pid, len, queued);
		snprintf(why, sizeof(why), "%zu KiB of replies wait to be read "
		    "by other control clients; try again", queued / 1024);
		client_reply(c, CTL_EBUSY, why, strlen(why), NULL);
		return;
	}
	c->busy = 0;
	c->vrrp = 0;
	free(c->name);
	c->name = NULL;
	if (ipc_send(c->ipc, CTL_MSG_REPLY, buf, len) < 0) {
		client_drop(c, "cannot queue the reply");
		return;
	}
	c->last_pending = ipc_pending(c->ipc);
	loop_timer_start(c->idle, CTL_IDLE_USEC, 0);
}

static void
client_reply(struct ctl_client *c, int status, const char *text,
    size_t tlen, json_t *state)
{
	size_t len;
	char *buf = ctl_reply_encode(status, text, tlen, state, &len);

	if (buf == NULL) {
		client_drop(c, "out of memory for the reply");
		return;
	}
	client_send(c, buf, len);
	free(buf);
}

static void
__attribute__((format(printf, 3, 4)))
client_replyf(struct ctl_client *c, int status, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	client_reply(c, status, text, (size_t)n < sizeof(text) ? (size_t)n :
	    sizeof(text) - 1, NULL);
}

static void
client_idle(struct loop_timer *t, void *arg)
{
	struct ctl_client *c = arg;

	(void)t;
	if (c->busy) {		/* waiting for a child: its own bound */
		loop_timer_start(c->idle, CTL_IDLE_USEC, 0);
		return;
	}
	/* a large reply still going out: silent means no progress */
	if (ipc_pending(c->ipc) > 0 && ipc_pending(c->ipc) < c->last_pending) {
		c->last_pending = ipc_pending(c->ipc);
		loop_timer_start(c->idle, CTL_IDLE_USEC, 0);
		return;
	}
	client_drop(c, ipc_pending(c->ipc) > 0 ? "did not read its reply" :
	    "silent");
}

/* ---- read commands --------------------------------------------------------- */

static int
doc_empty(json_t *d, unsigned sections)
{
	if ((sections & STATE_JSON_VRRP) &&
	    (json_array_size(json_object_get(d, "vrrp_instances")) > 0 ||
	    json_array_size(json_object_get(d, "vrrp_sync_groups")) > 0))
		return 0;
	if ((sections & STATE_JSON_CHECKS) &&
	    json_array_size(json_object_get(d, "virtual_servers")) > 0)
		return 0;
	return 1;
}

/* show ipvs: the reply written as text (state_json_ipvs.c), not built */
static char *
ipvs_reply(struct ctl_client *c, size_t *len)
{
	char text[IPC_OBJ_MAX_STR + 64], *buf = NULL;
	size_t blen = 0;
	unsigned nvs = 0;
	FILE *fp = open_memstream(&buf, &blen);
	int rc;

	if (fp == NULL)
		return NULL;
	if (c->text) {
		/* the table vigilctl prints, as the reply's text */
		rc = state_ipvs_table_write(fp, c->ctl->sv, c->name, &nvs);
	} else {
		fprintf(fp, "{\"version\":%d,\"status\":\"%s\",\"text\":"
		    "\"\",\"state\":", CTL_PROTO_VERSION,
		    ctl_status_name(CTL_OK));
		rc = state_json_ipvs_write(fp, c->ctl->sv, c->name, &nvs);
		fputc('}', fp);
	}
	if (fclose(fp) != 0 || rc < 0) {
		free(buf);
		return NULL;
	}
	if (c->name != NULL && nvs == 0) {
		free(buf);
		snprintf(text, sizeof(text), "no object named '%s'", c->name);
		return ctl_reply_encode(CTL_ENOENT, text, strlen(text), NULL,
		    len);
	}
	if (c->text) {
		char *r = ctl_reply_encode(CTL_OK, buf, blen, NULL, len);

		free(buf);
		return r;
	}
	*len = blen;
	return buf;
}

/* The reply to a read command, encoded (NULL: out of memory). */
static char *
state_reply(struct ctl_client *c, size_t *len)
{
	json_t *d;
	char text[IPC_OBJ_MAX_STR + 64];
	char *buf;

	if (c->sections & STATE_JSON_IPVS)
		return ipvs_reply(c, len);
	if ((d = state_json(c->ctl->sv, c->sections, c->name)) == NULL)
		return NULL;
	if (c->name != NULL && doc_empty(d, c->sections)) {
		json_decref(d);
		snprintf(text, sizeof(text), "no object named '%s'", c->name);
		return ctl_reply_encode(CTL_ENOENT, text, strlen(text), NULL,
		    len);
	}
	buf = ctl_reply_encode(CTL_OK, "", 0, d, len);
	json_decref(d);
	return buf;
}

/* In the forked copy (offload.h). */
static int
render_reply(FILE *out, void *arg)
{
	size_t len;
	char *buf = state_reply(arg, &len);
	int rc;

	if (buf == NULL)
		return -1;
	rc = fwrite(buf, 1, len, out) == len ? 0 : -1;
	free(buf);
	return rc;
}

static void
rendered(void *arg, const char *buf, size_t len, const char *why)
{
	struct ctl_client *c = arg;

	c->render = NULL;
	if (buf == NULL) {
		log_warn("control: rendering the state for client pid %d: %s",
		    (int)c->pid, why);
		client_replyf(c, CTL_EFAIL, "rendering the state failed: %s",
		    why);
		return;
	}
	client_send(c, buf, len);
}

/*
 * Answer a read command from the store. A large store renders in a forked
 * copy so that the loop goes on meanwhile (offload.h); a small one, or
 * when no copy can start, here.
 */
static void
answer_state(struct ctl_client *c)
{
	size_t len, queued;
	char *buf;

	/* no rendering for a reply that could not be queued anyway */
	if ((queued = backlog(c->ctl)) >= c->ctl->backlog_max) {
		client_replyf(c, CTL_EBUSY, "%zu KiB of replies wait to be "
		    "read by other control clients; try again", queued / 1024);
		return;
	}
	if (offload_worth(c->ctl->sv) && (c->render = offload_start(
	    c->ctl->sv->base, c->ctl->sv->reaper, render_reply, rendered, c,
	    0)) != NULL)
		return;
	if ((buf = state_reply(c, &len)) == NULL) {
		client_replyf(c, CTL_EFAIL, "out of memory");
		return;
	}
	client_send(c, buf, len);
	free(buf);
}

static void
refreshed(void *arg, int timed_out)
{
	(void)timed_out;
	answer_state(arg);
}

static void
read_command(struct ctl_client *c, const struct ctl_request *rq)
{
	const char *what;

	if (strcmp(rq->argv[0], "status") == 0) {
		if (rq->argc != 1) {
			client_replyf(c, CTL_EUSAGE, "usage: status");
			return;
		}
		c->sections = STATE_JSON_ALL;
		c->text = 0;
	} else {
		what = rq->argc > 1 ? rq->argv[1] : "";
		if (rq->argc > 3 || (strcmp(what, "vrrp") != 0 &&
		    strcmp(what, "checks") != 0 && strcmp(what, "ipvs") != 0)) {
			client_replyf(c, CTL_EUSAGE, "usage: show vrrp|checks|"
			    "ipvs [NAME]");
			return;
		}
		c->sections = strcmp(what, "vrrp") == 0 ? STATE_JSON_VRRP :
		    strcmp(what, "ipvs") == 0 ? STATE_JSON_CHECKS |
		    STATE_JSON_IPVS : STATE_JSON_CHECKS;
		c->text = rq->text && (c->sections & STATE_JSON_IPVS) != 0;
		if (rq->argc == 3 && (c->name = strdup(rq->argv[2])) == NULL) {
			client_replyf(c, CTL_EFAIL, "out of memory");
			return;
		}
	}
	if (!rq->refresh ||
	    refresh_request(c->ctl->sv, 0, 0, refreshed, c) < 0)
		answer_state(c);
}

/* ---- steering -------------------------------------------------------------- */

static void
routed(void *arg, int status, const char *text, size_t len)
{
	struct ctl_client *c = arg;
	char *t = NULL;
	int n;

	/* the child's "usage: set-priority ..." is typed "vrrp set-priority" */
	if (c->vrrp && len > 7 && strncmp(text, "usage: ", 7) == 0 &&
	    (n = asprintf(&t, "usage: vrrp %.*s", (int)(len - 7),
	    text + 7)) >= 0) {
		client_reply(c, ctl_status_from_ipc(status), t, (size_t)n,
		    NULL);
		free(t);
		return;
	}
	client_reply(c, ctl_status_from_ipc(status), text, len, NULL);
}

/* The dump just written to path, as the reply's text; its path only when
 * it is too large to send. */
/* The files' texts one after the other (npaths of them, "" skipped). */
static void
reply_files(struct ctl_client *c, const char *const *paths, int npaths)
{
	char *text = NULL, names[2 * DUMP_PATH_MAX + 8] = "";
	size_t len = 0, cap = 0, n = 1;
	int err = 0;

	for (int i = 0; i < npaths && n && !err; i++) {
		FILE *fp;

		if (paths[i][0] == '\0')
			continue;
		if ((fp = fopen(paths[i], "r")) == NULL) {
			client_replyf(c, CTL_EFAIL, "cannot read %s: %s",
			    paths[i], strerror(errno));
			free(text);
			return;
		}
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
		    "%s%s", names[0] != '\0' ? " and " : "", paths[i]);
		do {
			if (cap - len < 65536) {
				char *t = cap < CTL_DUMP_MAX_TEXT ?
				    realloc(text, cap + 262144) : NULL;

				if (t == NULL)
					break;
				text = t;
				cap += 262144;
			}
			n = fread(text + len, 1, cap - len, fp);
			len += n;
		} while (n > 0);
		err = ferror(fp);
		n = feof(fp);
		fclose(fp);
	}
	if (err)
		client_replyf(c, CTL_EFAIL, "cannot read %s", names);
	else if (!n)
		client_replyf(c, CTL_OK, "written to %s (larger than %u MB: "
		    "read the files)", names, CTL_DUMP_MAX_TEXT >> 20);
	else
		client_reply(c, CTL_OK, text != NULL ? text : "", len, NULL);
	free(text);
}

static void
reply_file(struct ctl_client *c, const char *path)
{
	reply_files(c, &path, 1);
}

static void
dump_poll(struct loop_timer *t, void *arg)
{
	struct ctl_client *c = arg;

	(void)t;
	/* waiting for the children's parts (bounded by the dump's bound,
	 * which a child holding its snapshot moves), then
	 * for the forked copy writing the file (offload.c kills it after
	 * 60 s): a large store renders for seconds */
	if ((dump_busy(c->ctl->sv) &&
	    loop_now_usec() < c->ctl->sv->dump_until + CTL_DUMP_SLACK_USEC) ||
	    dump_rendering(c->ctl->sv)) {
		loop_timer_start(c->wait, CTL_DUMP_POLL_USEC, 0);
		return;
	}
	{
		const struct dump_file *f = c->ctl->sv->dump_files;
		const char *paths[DUMP_FILES];

		for (int w = 0; w < DUMP_FILES; w++)
			paths[w] = f[w].path;
		reply_files(c, paths, DUMP_FILES);
	}
}

/* dump stats / dump json: the children's fresh counters are in */
static void
dump_refreshed(void *arg, int timed_out)
{
	struct ctl_client *c = arg;
	int json = c->dump_json;

	(void)timed_out;
	if (json)
		dump_json_write(c->ctl->sv);
	else
		dump_stats_write(c->ctl->sv);
	reply_file(c, json ? VIGIL_JSON_FILE : VIGIL_STATS_FILE);
}

static void
dump_command(struct ctl_client *c, const struct ctl_request *rq)
{
	struct supervisor *sv = c->ctl->sv;
	const char *what = rq->argc > 1 ? rq->argv[1] : "data";

	if (rq->argc > 2 || (strcmp(what, "data") != 0 &&
	    strcmp(what, "stats") != 0 && strcmp(what, "json") != 0)) {
		client_replyf(c, CTL_EUSAGE, "usage: dump [data|stats|json]");
		return;
	}
	if (strcmp(what, "data") == 0) {
		/* one being written (SIGUSR1, another client): its file */
		if (!dump_busy(sv))
			dump_request(sv);
		loop_timer_start(c->wait, 0, 0);
		return;
	}
	c->dump_json = strcmp(what, "json") == 0;
	if (refresh_request(sv, 0, 0, dump_refreshed, c) < 0)
		dump_refreshed(c, 1);
}

static void
reopen_done(void *arg, int status, const char *text, size_t len)
{
	(void)arg;
	(void)status;
	(void)text;
	(void)len;
}

static void
reopen_logs(struct ctl_client *c)
{
	struct supervisor *sv = c->ctl->sv;
	char *const argv[] = { "reopen-logs", NULL };
	unsigned n = 0;

	log_reopen();
	log_info("control: logs reopened (vigilctl reopen-logs)");
	for (unsigned i = 0; i < sv->nslots; i++)
		if (slot_command(&sv->slots[i], 1, argv, reopen_done,
		    NULL) == 0)
			n++;
	client_replyf(c, CTL_OK, "logs reopened in the parent and %u "
	    "child(ren)", n);
}

/*
 * diff [FILE]: what a reload to FILE (default: the running file) would
 * change, in the words the reload logs (conf_preview.c). Root only: the
 * parent reads the file, and its errors quote it.
 */
static void
diff_command(struct ctl_client *c, const struct ctl_request *rq)
{
	struct supervisor *sv = c->ctl->sv;
	const char *path = rq->argc > 1 ? rq->argv[1] : sv->cfg->path;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	int rc;

	if (rq->argc > 2 || path[0] != '/') {
		client_replyf(c, CTL_EUSAGE, "usage: diff [FILE] (an absolute "
		    "path; vigilctl makes it one)");
		return;
	}
	if ((fp = open_memstream(&buf, &len)) == NULL) {
		client_replyf(c, CTL_EFAIL, "out of memory");
		return;
	}
	rc = conf_preview_file(sv->cfg, path, sv->lo, fp);
	if (fclose(fp) != 0 || buf == NULL) {
		free(buf);
		client_replyf(c, CTL_EFAIL, "out of memory");
		return;
	}
	/* the text ends with a newline; the reply's lines do not */
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	client_reply(c, rc == 0 ? CTL_OK : CTL_EFAIL, buf, len, NULL);
	free(buf);
}

static void
reload_done(void *arg, int rc, const char *msg)
{
	client_replyf(arg, rc == 0 ? CTL_OK : CTL_EFAIL, "%s", msg);
}

static void
steer_command(struct ctl_client *c, const struct ctl_request *rq)
{
	struct supervisor *sv = c->ctl->sv;
	char *const *argv = (char *const *)rq->argv;
	int argc = rq->argc;

	log_info("control: uid %d pid %d: %s%s%s%s%s", (int)c->uid,
	    (int)c->pid, argv[0], argc > 1 ? " " : "", argc > 1 ? argv[1] : "",
	    argc > 2 ? " " : "", argc > 2 ? argv[2] : "");
	if (sv->stopping) {
		client_replyf(c, CTL_EFAIL, "%s: vigild is stopping", argv[0]);
		return;
	}
	if ((strcmp(argv[0], "reload") == 0 ||
	    strcmp(argv[0], "reopen-logs") == 0) && argc != 1) {
		client_replyf(c, CTL_EUSAGE, "usage: %s%s", argv[0],
		    strcmp(argv[0], "reload") == 0 ? " (no arguments: "
		    "vigild reloads the file it runs; vigilctl diff FILE "
		    "previews another)" : "");
		return;
	}
	if (strcmp(argv[0], "reload") == 0) {
		/* answered once the parse, off the loop, is done */
		if (reload_request(sv, "vigilctl reload", reload_done, c) < 0)
			client_replyf(c, CTL_EFAIL, "reload: cannot start it; "
			    "still running configuration generation %u",
			    sv->cfg->generation);
		return;
	}
	if (strcmp(argv[0], "reopen-logs") == 0) {
		reopen_logs(c);
		return;
	}
	if (strcmp(argv[0], "diff") == 0) {
		diff_command(c, rq);
		return;
	}
	if (strcmp(argv[0], "dump") == 0) {
		dump_command(c, rq);
		return;
	}
	if (strcmp(argv[0], "vrrp") == 0) {
		argv++;
		argc--;
		c->vrrp = 1;
	}
	if (route_command(sv, argc, argv, routed, c) < 0)
		client_replyf(c, CTL_EFAIL, "out of memory");
}

/* The VRRP child's commands, typed after "vrrp". */
static int
is_vrrp_cmd(const char *cmd)
{
	static const char *const vrrp[] = { "force-backup", "release",
	    "set-priority", "set-preempt" };

	for (size_t i = 0; i < sizeof(vrrp) / sizeof(vrrp[0]); i++)
		if (strcmp(cmd, vrrp[i]) == 0)
			return 1;
	return 0;
}

static int
is_steering(const struct ctl_request *rq)
{
	static const char *const own[] = { "reload", "reopen-logs", "dump",
	    "diff" };

	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (strcmp(rq->argv[0], own[i]) == 0)
			return 1;
	if (strcmp(rq->argv[0], "vrrp") == 0)
		return rq->argc > 1 && is_vrrp_cmd(rq->argv[1]);
	return route_known(rq->argv[0]) && !is_vrrp_cmd(rq->argv[0]);
}

static void
client_request(struct ctl_client *c, const void *data, size_t len)
{
	struct ctl_request rq;
	char err[256];

	if (c->busy) {
		client_drop(c, "a second request before the first's reply");
		return;
	}
	if (ipc_pending(c->ipc) > CTL_MAX_BACKLOG) {
		client_drop(c, "does not read its replies");
		return;
	}
	c->busy = 1;
	loop_timer_stop(c->idle);
	if (ctl_request_decode(data, len, &rq, err, sizeof(err)) < 0) {
		client_replyf(c, CTL_EPROTO, "bad request: %s", err);
		return;
	}
	if (strcmp(rq.argv[0], "status") == 0 ||
	    strcmp(rq.argv[0], "show") == 0)
		read_command(c, &rq);
	else if (strcmp(rq.argv[0], "ping") == 0 && rq.argc != 1)
		client_replyf(c, CTL_EUSAGE, "usage: ping");
	else if (strcmp(rq.argv[0], "ping") == 0)
		client_replyf(c, CTL_OK, "vigild %s (pid %d), control protocol "
		    "%d", PACKAGE_VERSION, (int)c->ctl->sv->pid,
		    CTL_PROTO_VERSION);
	else if (strcmp(rq.argv[0], "vrrp") == 0 && !is_steering(&rq))
		client_replyf(c, CTL_EUSAGE, "usage: vrrp force-backup|release "
		    "INSTANCE, vrrp set-priority INSTANCE PRIORITY, vrrp "
		    "set-preempt INSTANCE on|off");
	else if (!is_steering(&rq))
		client_replyf(c, CTL_EUNKNOWN, "unknown command '%s'",
		    rq.argv[0]);
	else if (c->uid != 0)
		client_replyf(c, CTL_EDENIED, "%s: permission denied (steering "
		    "commands are for root)", rq.argv[0]);
	else
		steer_command(c, &rq);
	ctl_request_free(&rq);
}

static void
client_msg(struct ipc *ipc, uint32_t type, const void *data, size_t len,
    void *arg)
{
	struct ctl_client *c = arg;

	(void)ipc;
	if (type != CTL_MSG_REQUEST) {
		client_drop(c, "not a request frame");
		return;
	}
	client_request(c, data, len);
}

static void
client_close(struct ipc *ipc, const char *reason, void *arg)
{
	(void)ipc;
	client_drop(arg, reason);
}

/* ---- the listening socket -------------------------------------------------- */

/* A client over the limit is told why, then closed: a small frame always
 * fits a fresh socket's buffer. */
static void
refuse(int fd, const char *why)
{
	size_t len, flen;
	char *rep = ctl_reply_encode(CTL_EBUSY, why, strlen(why), NULL, &len);
	void *f = rep != NULL ? ctl_frame(CTL_MSG_REPLY, rep, len, &flen) :
	    NULL;

	if (f != NULL && write(fd, f, flen) < 0)
		log_debug("control: refusing a client: %s", strerror(errno));
	free(f);
	free(rep);
	close(fd);
}

static void
accept_one(struct control *ctl, int fd)
{
	struct ucred cred;
	socklen_t cl = sizeof(cred);
	struct ctl_client *c;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0) {
		close(fd);
		return;
	}
	if (ctl->nclients >= CTL_MAX_CLIENTS) {
		refuse(fd, "too many control clients at once; try again");
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return;
	}
	c->ctl = ctl;
	c->uid = cred.uid;
	c->pid = cred.pid;
	c->idle = loop_timer_new(ctl->sv->base, client_idle, c);
	c->wait = loop_timer_new(ctl->sv->base, dump_poll, c);
	if (c->idle == NULL || c->wait == NULL)
		close(fd);
	else	/* takes fd, closed on failure too */
		c->ipc = ipc_new(ctl->sv->base, fd, client_msg, client_close,
		    c);
	if (c->ipc == NULL) {
		loop_timer_free(c->idle);
		loop_timer_free(c->wait);
		free(c);
		return;
	}
	ipc_set_max_frame(c->ipc, CTL_MAX_REQUEST);
	c->next = ctl->clients;
	ctl->clients = c;
	ctl->nclients++;
	loop_timer_start(c->idle, CTL_IDLE_USEC, 0);
}

static void
on_accept(evutil_socket_t lfd, short what, void *arg)
{
	struct control *ctl = arg;

	(void)what;
	for (int i = 0; i < CTL_ACCEPT_BURST; i++) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd >= 0) {
			accept_one(ctl, fd);
			continue;
		}
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			/* the backlog waits; the loop does not spin */
			log_warn("control: cannot accept a client: %s; "
			    "pausing the socket", strerror(errno));
			event_del(ctl->ev);
			loop_timer_start(ctl->resume, CTL_RESUME_USEC, 0);
		}
		return;
	}
}

static void
on_resume(struct loop_timer *t, void *arg)
{
	struct control *ctl = arg;

	(void)t;
	event_add(ctl->ev, NULL);
}

/* Mode and group of the socket file. */
static void
apply_perms(const struct control *ctl, const struct global_conf *g)
{
	gid_t gid = 0;

	if (g->control_socket_group != NULL) {
		struct group *gr = getgrnam(g->control_socket_group);

		if (gr == NULL)
			log_err("control socket %s: no group '%s'; it stays "
			    "root's", ctl->path, g->control_socket_group);
		else
			gid = gr->gr_gid;
	}
	if (chown(ctl->path, (uid_t)-1, gid) < 0)
		log_err("control socket %s: chown: %s", ctl->path,
		    strerror(errno));
	if (chmod(ctl->path, (mode_t)g->control_socket_mode) < 0)
		log_err("control socket %s: chmod: %s", ctl->path,
		    strerror(errno));
}

/* A socket left at path by a vigild that is gone goes; a live one, or
 * anything that is no socket, stays. 0 when the path is free. */
static int
clear_stale(const char *path, const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		log_err("control socket %s: the path exists and is no socket; "
		    "leaving it", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	if (rc == 0) {
		log_err("control socket %s: another vigild answers there; "
		    "running without a control socket", path);
		return -1;
	}
	return unlink(path);
}

static int
ctl_open(struct control *ctl, const struct global_conf *g)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int fd;

	if (strlen(ctl->path) >= sizeof(sa.sun_path)) {
		log_err("control socket %s: path too long", ctl->path);
		return -1;
	}
	strcpy(sa.sun_path, ctl->path);
	if (clear_stale(ctl->path, &sa) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_err("control socket: %s", strerror(errno));
		return -1;
	}
	/* nobody gets in before mode and group are set */
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, CTL_MAX_CLIENTS) < 0 || stat(ctl->path, &st) < 0) {
		umask(old);
		log_err("control socket %s: %s", ctl->path, strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	ctl->fd = fd;
	ctl->dev = st.st_dev;
	ctl->ino = st.st_ino;
	apply_perms(ctl, g);
	ctl->ev = event_new(ctl->sv->base, fd, EV_READ | EV_PERSIST, on_accept,
	    ctl);
	if (ctl->ev == NULL || event_add(ctl->ev, NULL) < 0) {
		log_err("control socket %s: cannot watch it", ctl->path);
		return -1;
	}
	log_info("control socket at %s (mode 0%03o%s%s)", ctl->path,
	    g->control_socket_mode, g->control_socket_group != NULL ?
	    ", group " : "", g->control_socket_group != NULL ?
	    g->control_socket_group : "");
	return 0;
}

static void
ctl_close(struct control *ctl)
{
	struct stat st;

	while (ctl->clients != NULL)
		client_free(ctl->clients);
	if (ctl->ev != NULL)
		event_free(ctl->ev);
	loop_timer_free(ctl->resume);
	loop_timer_free(ctl->move);
	if (ctl->fd >= 0) {
		/* only ours: another vigild may have taken the path */
		if (stat(ctl->path, &st) == 0 && st.st_dev == ctl->dev &&
		    st.st_ino == ctl->ino)
			unlink(ctl->path);
		close(ctl->fd);
	}
	free(ctl->path);
	free(ctl);
}

/* The path global_defs gives, or the pid file's path with .ctl for .pid
 * (/run/vigild.pid -> /run/vigild.ctl: two vigilds with their own pid
 * files get their own sockets); NULL for none. malloc'd. */
static char *
ctl_path(const struct supervisor *sv, const struct global_conf *g)
{
	if (g->control_socket != NULL)
		return strcmp(g->control_socket, "none") == 0 ? NULL :
		    strdup(g->control_socket);
	return pidfile_sibling(sv->opts->pid_file, ".ctl");
}

static void ctl_start(struct supervisor *sv, char *path);

/* CTL_MAX_BACKLOG_TOTAL, or VIGIL_CTL_BACKLOG_TOTAL's bytes (tests). */
static size_t
backlog_bound(void)
{
	const char *e = getenv("VIGIL_CTL_BACKLOG_TOTAL");
	char *end;
	unsigned long long v;

	if (e == NULL || *e < '0' || *e > '9')
		return CTL_MAX_BACKLOG_TOTAL;
	errno = 0;
	v = strtoull(e, &end, 10);
	return *end != '\0' || errno != 0 || v == 0 || v > SIZE_MAX ?
	    CTL_MAX_BACKLOG_TOTAL : (size_t)v;
}

/* The socket moves (or goes) after a reload: from the loop, not from
 * inside the reload a client may have asked for; its reply, and every
 * other client's, is flushed first. */
static void
on_move(struct loop_timer *t, void *arg)
{
	struct supervisor *sv = arg;
	const struct global_conf *g = sv->cfg->conf[CONF_OWNER_GLOBAL];
	char *path = g != NULL ? ctl_path(sv, g) : NULL;

	(void)t;
	if (sv->ctl == NULL || (path != NULL &&
	    strcmp(path, sv->ctl->path) == 0)) {
		free(path);
		return;
	}
	for (struct ctl_client *c = sv->ctl->clients; c != NULL; c = c->next)
		if (ipc_pending(c->ipc) > 0)
			ipc_flush(c->ipc, 200);
	log_info("control socket %s closed (%s)", sv->ctl->path,
	    path != NULL ? "moving" : "control_socket none");
	ctl_close(sv->ctl);
	sv->ctl = NULL;
	if (path != NULL)
		ctl_start(sv, path);
}

void
control_configure(struct supervisor *sv)
{
	const struct global_conf *g = sv->cfg->conf[CONF_OWNER_GLOBAL];
	char *path;

	if (g == NULL)
		return;
	path = ctl_path(sv, g);
	if (sv->ctl != NULL) {
		if (path != NULL && strcmp(path, sv->ctl->path) == 0)
			apply_perms(sv->ctl, g);
		else
			loop_timer_start(sv->ctl->move, 0, 0);
		free(path);
		return;
	}
	if (path != NULL)
		ctl_start(sv, path);
}

/* Open the socket at path (taken). */
static void
ctl_start(struct supervisor *sv, char *path)
{
	const struct global_conf *g = sv->cfg->conf[CONF_OWNER_GLOBAL];
	struct control *ctl;

	if ((ctl = calloc(1, sizeof(*ctl))) == NULL) {
		free(path);
		return;
	}
	ctl->sv = sv;
	ctl->path = path;
	ctl->fd = -1;
	ctl->backlog_max = backlog_bound();
	ctl->resume = loop_timer_new(sv->base, on_resume, ctl);
	ctl->move = loop_timer_new(sv->base, on_move, sv);
	if (ctl->resume == NULL || ctl->move == NULL || ctl_open(ctl, g) < 0) {
		log_err("running without a control socket (vigilctl cannot "
		    "reach this vigild)");
		ctl_close(ctl);
		return;
	}
	sv->ctl = ctl;
}

void
control_stop(struct supervisor *sv)
{
	if (sv->ctl != NULL)
		ctl_close(sv->ctl);
	sv->ctl = NULL;
}
