/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parent's side of the SNMP subsystem: it feeds the SNMP child the
 * state store (all of it when the child starts running a configuration,
 * then every state report of the other children as it comes) and routes
 * the child's writes (a real server's weight) to the child that owns the
 * object through route_command(), as vigilctl's commands are.
 *
 * A child that does not read (its loop blocked in a net-snmp call while
 * the master agent is stalled) must not make the parent queue without
 * bound: past SNMP_FEED_MAX_PENDING bytes queued, reports are dropped and
 * the whole store is sent again once the queue has drained.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "global_conf.h"
#include "healthcheck/config.h"
#include "ipc.h"
#include "log.h"
#include "options.h"
#include "route.h"
#include "snmp.h"
#include "supervisor_int.h"
#include "vconfig.h"

#define SNMP_FEED_MAX_PENDING (8u * 1024 * 1024)

struct feed_send {
	struct slot *snmp;
	uint32_t owner;
};

int
snmp_feed_is(const struct slot *s)
{
	return s->sub == &snmp_subsys;
}

int
snmp_feed_wanted(const struct options *o, const struct vigil_config *c)
{
	const struct global_conf *g = c->conf[CONF_OWNER_GLOBAL];
	const struct chk_conf *k = c->conf[CONF_OWNER_CHECK];

	if (o->snmp)
		return 1;
	if (g != NULL && (g->enable_snmp_vrrp || g->enable_snmp_rfcv2 ||
	    g->enable_snmp_rfcv3))
		return 1;
	return k != NULL && k->g.enable_snmp_checker;
}

static struct slot *
feed_slot(struct supervisor *sv)
{
	for (unsigned i = 0; i < sv->nslots; i++)
		if (snmp_feed_is(&sv->slots[i]))
			return &sv->slots[i];
	return NULL;
}

static int
feed_ready(const struct slot *snmp)
{
	return snmp != NULL && snmp->ipc != NULL && !snmp->stopping &&
	    snmp->gen_acked != 0;
}

static int
feed_send(void *arg, const void *buf, size_t len)
{
	struct feed_send *f = arg;
	struct snmp_feed h = { f->owner };
	char *msg = malloc(sizeof(h) + len);
	int rc;

	if (msg == NULL)
		return -1;
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), buf, len);
	rc = ipc_send(f->snmp->ipc, SNMP_MSG_FEED, msg, sizeof(h) + len);
	free(msg);
	return rc;
}

/* The whole store of child s, as one snapshot. */
static int
feed_store(struct slot *snmp, const struct slot *s)
{
	struct feed_send f = { snmp, (uint32_t)s->sub->owner };
	struct ipc_chunker c = { .flags = IPC_STATE_BEGIN,
	    .generation = s->st.generation, .send = feed_send, .arg = &f };
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < s->st.objs.n; i++) {
		const struct state_obj *o = s->st.objs.v[i];
		struct ipc_obj r = { o->kind, o->name, o->state, o->detail,
		    o->generation, o->flags, o->weight, o->since, o->attrs };

		rc = ipc_chunker_add(&c, &r);
	}
	if (rc == 0)
		rc = ipc_chunker_send(&c, IPC_STATE_END);
	ipc_objbuf_free(&c.buf);
	return rc;
}

static void
feed_all(struct supervisor *sv, struct slot *snmp)
{
	snmp->feed_lost = 0;
	for (unsigned i = 0; i < sv->nslots; i++) {
		const struct slot *s = &sv->slots[i];

		if (s == snmp)
			continue;
		if (feed_store(snmp, s) < 0) {
			log_warn("snmp child: cannot send it the %s child's "
			    "objects; it is sent them again later",
			    s->sub->name);
			snmp->feed_lost = 1;
			return;
		}
	}
}

void
snmp_feed_ready(struct supervisor *sv, struct slot *snmp)
{
	if (feed_ready(snmp))
		feed_all(sv, snmp);
}

void
snmp_feed_state(struct supervisor *sv, const struct slot *s,
    const void *data, size_t len)
{
	struct slot *snmp = feed_slot(sv);
	struct feed_send f;

	if (!feed_ready(snmp) || s == snmp)
		return;
	if (ipc_pending(snmp->ipc) > SNMP_FEED_MAX_PENDING) {
		if (!snmp->feed_lost)
			log_warn("snmp child: not reading (a stalled master "
			    "agent?); state reports to it are dropped until "
			    "it reads again, then it gets the whole store");
		snmp->feed_lost = 1;
		return;
	}
	if (snmp->feed_lost) {
		/* it reads again: the whole store replaces what it missed */
		log_info("snmp child: reading again; sending it the whole "
		    "store");
		feed_all(sv, snmp);
		return;
	}
	f.snmp = snmp;
	f.owner = (uint32_t)s->sub->owner;
	if (feed_send(&f, data, len) < 0)
		snmp->feed_lost = 1;
}

/* ---- writes from the agent ---------------------------------------------- */

struct feed_cmd {
	struct slot *snmp;
	uint32_t id;
};

static void
feed_cmd_done(void *arg, int status, const char *text, size_t len)
{
	struct feed_cmd *c = arg;
	struct ipc_cmd_reply r = { c->id, status };
	char *msg;

	log_info("SNMP command %u: %s: %.*s", c->id,
	    ipc_cmd_status_name(status), (int)len, text);
	if (c->snmp->ipc != NULL &&
	    (msg = malloc(sizeof(r) + len)) != NULL) {
		memcpy(msg, &r, sizeof(r));
		memcpy(msg + sizeof(r), text, len);
		ipc_send(c->snmp->ipc, SNMP_MSG_CMD_REPLY, msg,
		    sizeof(r) + len);
		free(msg);
	}
	free(c);
}

static void
feed_command(struct slot *snmp, const void *data, size_t len)
{
	const char *argv[IPC_CMD_MAX_ARGS];
	char *copy[IPC_CMD_MAX_ARGS];
	struct ipc_cmd h;
	struct feed_cmd *c;
	int argc = ipc_cmd_decode(data, len, &h, argv, IPC_CMD_MAX_ARGS);

	if (argc < 1) {
		log_warn("snmp child: malformed command; dropped");
		return;
	}
	if ((c = malloc(sizeof(*c))) == NULL)
		return;
	c->snmp = snmp;
	c->id = h.id;
	memcpy(copy, argv, sizeof(argv[0]) * (size_t)argc);
	log_info("SNMP command %u from the agent: %s%s%s%s", h.id, argv[0],
	    argc > 1 ? " " : "", argc > 1 ? argv[1] : "",
	    argc > 2 ? " ..." : "");
	/* as vigilctl's: to the owning child, the override recorded once
	 * done */
	if (!route_known(argv[0]) ||
	    route_command(snmp->sv, argc, copy, feed_cmd_done, c) < 0) {
		static const char no[] = "not a runtime command, or out of "
		    "memory";

		feed_cmd_done(c, IPC_CMD_EUNKNOWN, no, strlen(no));
	}
}

/* Snapshots of the children the agent names, as IPC_SNAPSHOT_REQ; their
 * answers reach it through snmp_feed_state(). */
static void
feed_refresh(struct slot *snmp, const void *data, size_t len)
{
	struct supervisor *sv = snmp->sv;
	struct snmp_refresh r;

	if (len != sizeof(r)) {
		log_warn("snmp child: malformed refresh request; dropped");
		return;
	}
	memcpy(&r, data, sizeof(r));
	for (unsigned i = 0; i < sv->nslots; i++) {
		struct slot *s = &sv->slots[i];

		if (s == snmp || !(r.owners & CONF_OWNER_BIT(s->sub->owner)) ||
		    s->ipc == NULL || s->stopping || s->gen_acked == 0)
			continue;
		(void)slot_snapshot_ask(s);
	}
}

int
snmp_feed_msg(struct slot *s, uint32_t type, const void *data, size_t len)
{
	if (!snmp_feed_is(s))
		return -1;
	switch (type) {
	case SNMP_MSG_CMD:
		feed_command(s, data, len);
		return 0;
	case SNMP_MSG_REFRESH:
		feed_refresh(s, data, len);
		return 0;
	default:
		return -1;
	}
}
