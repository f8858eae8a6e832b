/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for what a child tells the parent about its objects:
 * the input is cut into IPC_STATE messages (a 2-byte length before each)
 * fed to one state store, whose records are then handed over again and
 * read back. Nothing a child sends may crash, leak or corrupt the store;
 * counters records (IPC_OBJ_COUNTERS) merge into objects it holds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/state.h"
#include "ipc_msg.h"
#include "state_frames.h"

static int
check_chunk(void *arg, const void *buf, size_t len)
{
	const char *p = (const char *)buf + sizeof(struct ipc_state);
	size_t left = len - sizeof(struct ipc_state);
	struct ipc_obj o;
	unsigned *n = arg;
	int r;

	if (len > IPC_MAX_MSG || len < sizeof(struct ipc_state))
		abort();
	while ((r = ipc_obj_next(&p, &left, &o)) > 0)
		(*n)++;
	if (r < 0)
		abort();	/* the store wrote a record it cannot read */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state_store st;
	unsigned n = 0;

	state_init(&st);
	state_frames_feed(&st, data, size);
	if (state_handover(&st, 1, check_chunk, &n) < 0)
		abort();
	if (n != st.objs.n + st.overrides.n)
		abort();
	/* sorted and without duplicates: every object is found again; a
	 * counters record merged in keeps attrs within their bound */
	for (size_t i = 0; i < st.objs.n; i++) {
		if (state_find(&st, st.objs.v[i]->kind, st.objs.v[i]->name) !=
		    st.objs.v[i])
			abort();
		if (strlen(st.objs.v[i]->attrs) >= IPC_OBJ_MAX_ATTRS)
			abort();
	}
	state_fini(&st);
	return 0;
}
