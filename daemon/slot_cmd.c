/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runtime commands to a child: the parent sends IPC_CMD with an id, keeps
 * the caller's callback until the child answers with IPC_CMD_REPLY, and
 * calls it exactly once: with the child's answer, or with IPC_CMD_EGONE
 * when the child goes away or does not answer within SLOT_CMD_WAIT_USEC.
 */
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include "ipc_msg.h"
#include "log.h"
#include "loop.h"
#include "subsys.h"
#include "supervisor_int.h"

struct slot_cmd {
	struct slot_cmd *next;
	struct slot *s;
	uint32_t id;
	slot_cmd_fn *fn;
	void *arg;
	struct loop_timer *timer;
};

static void
cmd_finish(struct slot_cmd *c, int status, const char *text, size_t len)
{
	struct slot_cmd **pp;

	for (pp = &c->s->cmds; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	loop_timer_free(c->timer);
	if (c->fn != NULL)
		c->fn(c->arg, status, text, len);
	free(c);
}

static void
cmd_timeout(struct loop_timer *t, void *arg)
{
	struct slot_cmd *c = arg;
	char text[128];
	int n;

	(void)t;
	n = snprintf(text, sizeof(text), "the %s child did not answer "
	    "within %.0f s", c->s->sub->name, SLOT_CMD_WAIT_USEC / 1e6);
	log_warn("%s", text);
	cmd_finish(c, IPC_CMD_EGONE, text, (size_t)n);
}

int
slot_command(struct slot *s, int argc, char *const argv[], slot_cmd_fn *fn,
    void *arg)
{
	struct slot_cmd *c;
	void *buf;
	size_t len;

	if (s->ipc == NULL || s->stopping || s->gen_acked == 0)
		return -1;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	c->s = s;
	c->fn = fn;
	c->arg = arg;
	c->id = ++s->cmd_seq;
	if ((c->timer = loop_timer_new(s->sv->base, cmd_timeout, c)) == NULL ||
	    (buf = ipc_cmd_encode(c->id, argc, argv, &len)) == NULL) {
		loop_timer_free(c->timer);
		free(c);
		return -1;
	}
	if (ipc_send(s->ipc, IPC_CMD, buf, len) < 0) {
		free(buf);
		loop_timer_free(c->timer);
		free(c);
		return -1;
	}
	free(buf);
	loop_timer_start(c->timer, SLOT_CMD_WAIT_USEC, 0);
	c->next = s->cmds;
	s->cmds = c;
	return 0;
}

void
slot_command_reply(struct slot *s, const void *data, size_t len)
{
	struct ipc_cmd_reply r;
	struct slot_cmd *c;

	if (len < sizeof(r)) {
		log_warn("%s child: malformed command reply (%zu bytes); "
		    "dropped", s->sub->name, len);
		return;
	}
	memcpy(&r, data, sizeof(r));
	for (c = s->cmds; c != NULL; c = c->next)
		if (c->id == r.id)
			break;
	if (c == NULL) {	/* timed out or cancelled before */
		log_debug("%s child: late reply to command %u dropped",
		    s->sub->name, r.id);
		return;
	}
	cmd_finish(c, r.status, (const char *)data + sizeof(r),
	    len - sizeof(r));
}

void
slot_command_cancel(struct slot *s, void *arg)
{
	for (struct slot_cmd *c = s->cmds; c != NULL; c = c->next)
		if (c->arg == arg)
			c->fn = NULL;
}

void
slot_command_gone(struct slot *s)
{
	char text[96];
	int n = snprintf(text, sizeof(text), "the %s child went away",
	    s->sub->name);

	while (s->cmds != NULL)
		cmd_finish(s->cmds, IPC_CMD_EGONE, text, (size_t)n);
}
