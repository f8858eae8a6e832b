/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the parent's readers (JSON, Prometheus, dumps, routing):
 * put objects in a state store as one whole snapshot of generation gen,
 * the way a child's IPC_STATE message brings them.
 */
#ifndef VIGIL_TEST_STATE_FEED_H
#define VIGIL_TEST_STATE_FEED_H

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "daemon/state.h"
#include "ipc_msg.h"

static void
state_feed(struct state_store *st, uint32_t gen, const struct ipc_obj *objs,
    size_t n)
{
	struct ipc_objbuf b = { 0 };
	struct ipc_state h = { .flags = IPC_STATE_BEGIN | IPC_STATE_END,
	    .generation = gen };
	char *msg;

	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(ipc_obj_put(&b, &objs[i]), 0);
	msg = malloc(sizeof(h) + b.len);
	ck_assert_ptr_nonnull(msg);
	memcpy(msg, &h, sizeof(h));
	if (b.len > 0)
		memcpy(msg + sizeof(h), b.data, b.len);
	ck_assert_int_eq(state_ipc(st, msg, sizeof(h) + b.len), 0);
	free(msg);
	ipc_objbuf_free(&b);
}

#endif
