/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The states of one child's objects passed on to the children that follow
 * them (struct subsys follows): the BFD child's sessions to the VRRP
 * child (track_bfd) and the checker child (BFD_CHECK). Children talk only
 * to the parent; the parent, which keeps every child's state anyway,
 * relays each event as it stores it, and every object a child follows
 * after each of its starts and reloads (a child started after the BFD
 * child learns the sessions' states at once).
 */
#include "autoconfig.h"

#include <string.h>

#include "ipc.h"
#include "ipc_msg.h"
#include "log.h"
#include "state.h"
#include "subsys.h"
#include "supervisor_int.h"

static int
follows(const struct subsys *s, const char *kind)
{
	for (const char *const *k = s->follows; k != NULL && *k != NULL; k++)
		if (strcmp(*k, kind) == 0)
			return 1;
	return 0;
}

static int
relay_send(void *arg, const void *buf, size_t len)
{
	struct slot *to = arg;

	return ipc_send(to->ipc, IPC_PEER_STATE, buf, len);
}

/* A child that can be told: running, and started on a configuration. */
static int
relay_ready(const struct slot *s)
{
	return s->ipc != NULL && s->gen_acked != 0 && !s->stopping &&
	    s->sub->follows != NULL;
}

void
relay_state(struct supervisor *sv, struct slot *from, const void *data,
    size_t len)
{
	for (unsigned i = 0; i < sv->nslots; i++) {
		struct slot *to = &sv->slots[i];
		struct ipc_chunker ck = { .send = relay_send, .arg = to };
		const char *at;
		size_t left;
		struct ipc_obj o;

		if (to == from || !relay_ready(to) ||
		    len < sizeof(struct ipc_state))
			continue;
		at = (const char *)data + sizeof(struct ipc_state);
		left = len - sizeof(struct ipc_state);
		while (ipc_obj_next(&at, &left, &o) == 1)
			if (!(o.flags & (IPC_OBJ_OVERRIDE |
			    IPC_OBJ_COUNTERS)) && follows(to->sub, o.kind))
				ipc_chunker_add(&ck, &o);
		if (ck.buf.count > 0 && ipc_chunker_send(&ck, 0) < 0)
			log_warn("%s child: cannot pass on the states it "
			    "follows", to->sub->name);
		ipc_objbuf_free(&ck.buf);
	}
}

void
relay_all(struct supervisor *sv, struct slot *to)
{
	struct ipc_chunker ck = { .send = relay_send, .arg = to };

	if (!relay_ready(to))
		return;
	for (unsigned i = 0; i < sv->nslots; i++) {
		const struct slot *from = &sv->slots[i];

		if (from == to)
			continue;
		for (size_t k = 0; k < from->st.objs.n; k++) {
			const struct state_obj *so = from->st.objs.v[k];
			struct ipc_obj o = {
				.kind = so->kind, .name = so->name,
				.state = so->state, .detail = so->detail,
				.attrs = so->attrs,
				.generation = so->generation,
				.weight = IPC_OBJ_NO_WEIGHT,
				.since = so->since,
			};

			if (follows(to->sub, so->kind))
				ipc_chunker_add(&ck, &o);
		}
	}
	if (ck.buf.count > 0 && ipc_chunker_send(&ck, 0) < 0)
		log_warn("%s child: cannot pass on the states it follows",
		    to->sub->name);
	ipc_objbuf_free(&ck.buf);
}
