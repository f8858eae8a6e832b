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
#include "options.h"
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

/*
 * Diagnostics while applying a tree from the parent. The parent validated
 * the same text and logged its warnings, so only errors (which mean the
 * child cannot take the configuration) are logged; the first is kept for
 * the reply.
 */
struct child_diag {
	char first[256];
};

static void
child_diag(void *arg, enum conf_sev sev, const struct conf_loc *loc,
    const char *msg)
{
	struct child_diag *cd = arg;

	if (sev != CONF_ERR)
		return;
	if (loc != NULL && loc->file != NULL) {
		log_err("%s:%u: %s", loc->file, loc->line, msg);
		if (cd->first[0] == '\0')
			snprintf(cd->first, sizeof(cd->first), "%s:%u: %s",
			    loc->file, loc->line, msg);
	} else {
		log_err("%s", msg);
		if (cd->first[0] == '\0')
			snprintf(cd->first, sizeof(cd->first), "%s", msg);
	}
}

static void
child_reply(struct child *ch, uint32_t generation, int32_t status,
    const char *text)
{
	struct ipc_reload_done r = { generation, status };
	size_t tlen = strlen(text);
	char buf[sizeof(r) + 1024];

	if (tlen > sizeof(buf) - sizeof(r))
		tlen = sizeof(buf) - sizeof(r);

	memcpy(buf, &r, sizeof(r));
	memcpy(buf + sizeof(r), text, tlen);
	ipc_send(ch->ipc, IPC_RELOAD_DONE, buf, sizeof(r) + tlen);
}

static void
child_reload(struct child *ch, const void *data, size_t len)
{
	struct ipc_reload hdr;
	struct conf_tree *tree;
	struct vigil_config *next;
	struct child_diag cd = { "" };
	struct conf_diag d = { .emit = child_diag, .arg = &cd };
	char msg[512];

	if (len < sizeof(hdr)) {
		log_err("reload: short message from the parent (%zu bytes); "
		    "keeping generation %u", len, ch->cfg->generation);
		child_reply(ch, 0, -1, "short reload message");
		return;
	}
	memcpy(&hdr, data, sizeof(hdr));
	if (conf_tree_decode((const char *)data + sizeof(hdr),
	    len - sizeof(hdr), &tree) < 0) {
		log_err("reload: configuration generation %u from the parent "
		    "is malformed (%zu bytes); keeping generation %u",
		    hdr.generation, len, ch->cfg->generation);
		child_reply(ch, hdr.generation, -1,
		    "malformed configuration message");
		return;
	}
	if (vconfig_from_tree(tree, CONF_OWNER_BIT(ch->ops->owner),
	    ch->cfg->path, &d, &next) < 0) {
		log_err("reload: configuration generation %u rejected (%u "
		    "error(s)); keeping generation %u", hdr.generation, d.nerr,
		    ch->cfg->generation);
		child_reply(ch, hdr.generation, -1,
		    cd.first[0] != '\0' ? cd.first : "rejected");
		return;
	}
	next->generation = hdr.generation;
	msg[0] = '\0';
	if (ch->ops->reload(ch->state, ch->cfg, next, msg, sizeof(msg)) < 0) {
		log_err("reload: %s; keeping generation %u", msg,
		    ch->cfg->generation);
		vconfig_free(next);
		child_reply(ch, hdr.generation, -1, msg);
		return;
	}
	vconfig_free(ch->cfg);
	ch->cfg = next;
	log_info("reloaded configuration generation %u: %s", next->generation,
	    msg);
	child_reply(ch, hdr.generation, 0, msg);
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
	if (len > IPC_MAX_DUMP) {
		static const char cut[] = "\n... dump cut at the size limit\n";

		memcpy(text + IPC_MAX_DUMP - sizeof(cut) + 1, cut,
		    sizeof(cut) - 1);
		len = IPC_MAX_DUMP;
	}
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
child_main(const struct child_ops *ops, struct vigil_config *cfg, int ipc_fd,
    const sigset_t *mask, pid_t parent)
{
	/* signals the parent handles and a child must survive */
	const int ignored[] = { SIGPIPE, SIGHUP, SIGUSR1, SIGUSR2,
	    options_signum("JSON"), options_signum("STATS_CLEAR") };
	struct child ch = { .ops = ops, .cfg = cfg, .status = 0 };
	struct ipc_hello hello = { IPC_VERSION, 0, 0 };
	char title[16];

	log_set_role(ops->name);
	/* Follow the parent: if it dies, so do we. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	snprintf(title, sizeof(title), "vigild-%s", ops->name);
	prctl(PR_SET_NAME, title);
	/* reloads and dumps come from the parent over ipc */
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		signal(ignored[i], SIG_IGN);

	ch.env.base = loop_new();
	if (ch.env.base == NULL) {
		log_err("cannot create the event loop");
		close(ipc_fd);
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
	/* handlers are in place: let the signals held since fork through */
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (getppid() != parent) {
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
	reaper_free(ch.env.reaper);
	event_base_free(ch.env.base);
	vconfig_free(ch.cfg);
	return ch.status;
}
