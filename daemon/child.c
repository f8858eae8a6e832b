/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "autoconfig.h"

#include "child.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <event2/event.h>

#include "ipc.h"
#include "log.h"
#include "loop.h"
#include "reap.h"
#include "vconfig.h"

struct child {
	const struct child_ops *ops;
	struct child_env env;
	struct vigil_config *cfg;
	struct ipc *ipc;
	void *state;
	struct event *sig_term;
	struct event *sig_int;
	int status;
};

static void
child_stop(struct child *ch, const char *why)
{
	log_info("stopping: %s", why);
	event_base_loopexit(ch->env.base, NULL);
}

static void
child_on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct child *ch = arg;

	child_stop(ch, sig == SIGTERM ? "SIGTERM" : "SIGINT");
}

static void
child_diag(void *arg, enum conf_sev sev, const struct conf_loc *loc,
    const char *msg)
{
	FILE *fp = arg;

	if (loc != NULL && loc->file != NULL)
		fprintf(fp, "%s:%u: %s: %s\n", loc->file, loc->line,
		    sev == CONF_ERR ? "error" : "warning", msg);
	else
		fprintf(fp, "%s: %s\n", sev == CONF_ERR ? "error" : "warning",
		    msg);
}

static void
child_reply(struct child *ch, int32_t status, const char *text)
{
	size_t tlen = strlen(text);
	char *buf = malloc(sizeof(status) + tlen);

	if (buf == NULL) {
		log_err("reload reply: out of memory");
		return;
	}
	memcpy(buf, &status, sizeof(status));
	memcpy(buf + sizeof(status), text, tlen);
	ipc_send(ch->ipc, IPC_RELOAD_DONE, buf, sizeof(status) + tlen);
	free(buf);
}

static void
child_reload(struct child *ch, const void *data, size_t len)
{
	struct conf_tree *tree;
	struct vigil_config *next;
	struct conf_diag d = { 0 };
	char *errs = NULL;
	size_t errlen = 0;
	FILE *ef;
	char msg[512];

	if (conf_tree_decode(data, len, &tree) < 0) {
		log_err("reload: the configuration from the parent is "
		    "malformed (%zu bytes); keeping the running one", len);
		child_reply(ch, -1, "malformed configuration message");
		return;
	}
	ef = open_memstream(&errs, &errlen);
	d.emit = child_diag;
	d.arg = ef;
	if (vconfig_from_tree(tree, CONF_OWNER_BIT(ch->ops->owner),
	    ch->cfg->path, &d, &next) < 0) {
		if (ef != NULL)
			fclose(ef);
		log_err("reload: configuration rejected, keeping generation "
		    "%u: %s", ch->cfg->generation, errs != NULL ? errs : "");
		child_reply(ch, -1, errs != NULL ? errs : "rejected");
		free(errs);
		return;
	}
	if (ef != NULL)
		fclose(ef);
	free(errs);
	next->generation = ch->cfg->generation + 1;
	msg[0] = '\0';
	if (ch->ops->reload(ch->state, ch->cfg, next, msg, sizeof(msg)) < 0) {
		log_err("reload: %s; keeping generation %u", msg,
		    ch->cfg->generation);
		vconfig_free(next);
		child_reply(ch, -1, msg);
		return;
	}
	vconfig_free(ch->cfg);
	ch->cfg = next;
	log_info("reloaded configuration generation %u: %s", next->generation,
	    msg);
	child_reply(ch, 0, msg);
}

static void
child_dump(struct child *ch)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	if (fp == NULL) {
		log_err("state dump: %s", strerror(errno));
		return;
	}
	fprintf(fp, "------< %s child (pid %d) >------\n", ch->ops->name,
	    (int)getpid());
	ch->ops->dump(ch->state, ch->cfg, fp);
	fclose(fp);
	ipc_send(ch->ipc, IPC_DUMP, text, len);
	free(text);
}

static void
child_on_msg(struct ipc *c, uint32_t type, const void *data, size_t len,
    void *arg)
{
	struct child *ch = arg;

	switch (type) {
	case IPC_RELOAD:
		child_reload(ch, data, len);
		break;
	case IPC_DUMP_REQ:
		child_dump(ch);
		break;
	case IPC_PING:
		ipc_send(c, IPC_PONG, NULL, 0);
		break;
	default:
		log_warn("ipc: unexpected message type %u (%zu bytes) from the "
		    "parent; ignored", type, len);
		break;
	}
}

static void
child_on_close(struct ipc *c, const char *reason, void *arg)
{
	struct child *ch = arg;

	child_stop(ch, reason);
}

int
child_main(const struct child_ops *ops, struct vigil_config *cfg, int ipc_fd)
{
	struct child ch = { .ops = ops, .cfg = cfg, .status = 0 };
	struct ipc_hello hello = { IPC_VERSION, 0, 0 };
	char title[16];

	log_set_role(ops->name);
	/* Follow the parent: if it dies, so do we. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	snprintf(title, sizeof(title), "vigild-%s", ops->name);
	prctl(PR_SET_NAME, title);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);	/* reload comes from the parent */
	signal(SIGUSR1, SIG_IGN);	/* dumps are requested over ipc */
	signal(SIGUSR2, SIG_IGN);

	ch.env.base = loop_new();
	if (ch.env.base == NULL) {
		log_err("cannot create the event loop");
		vconfig_free(cfg);
		return 1;
	}
	ch.env.reaper = reaper_new(ch.env.base);
	ch.ipc = ipc_new(ch.env.base, ipc_fd, child_on_msg, child_on_close, &ch);
	ch.sig_term = evsignal_new(ch.env.base, SIGTERM, child_on_signal, &ch);
	ch.sig_int = evsignal_new(ch.env.base, SIGINT, child_on_signal, &ch);
	if (ch.env.reaper == NULL || ch.ipc == NULL || ch.sig_term == NULL ||
	    ch.sig_int == NULL || event_add(ch.sig_term, NULL) < 0 ||
	    event_add(ch.sig_int, NULL) < 0) {
		log_err("cannot set up the child runtime");
		ch.status = 1;
		goto out;
	}
	if (getppid() == 1) {
		log_err("parent exited before the child started");
		ch.status = 1;
		goto out;
	}

	ch.state = ops->start(&ch.env, cfg);
	if (ch.state == NULL) {
		log_err("subsystem failed to start");
		ch.status = 1;
		goto out;
	}
	hello.role = (uint32_t)ops->owner;
	hello.pid = (int32_t)getpid();
	ipc_send(ch.ipc, IPC_HELLO, &hello, sizeof(hello));

	event_base_dispatch(ch.env.base);

	ops->stop(ch.state);
	ipc_flush(ch.ipc, 200);
	log_info("stopped");
out:
	if (ch.sig_term != NULL)
		event_free(ch.sig_term);
	if (ch.sig_int != NULL)
		event_free(ch.sig_int);
	if (ch.ipc != NULL)
		ipc_free(ch.ipc);
	else
		close(ipc_fd);
	reaper_free(ch.env.reaper);
	event_base_free(ch.env.base);
	vconfig_free(ch.cfg);
	return ch.status;
}
