/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The input of the state store's fuzz targets (fuzz_state, fuzz_prom): a
 * run of IPC_STATE messages, a 2-byte big-endian length before each (a
 * length past the end takes what is left), fed to one store as a child's
 * messages reach it.
 */
#ifndef VIGIL_FUZZ_STATE_FRAMES_H
#define VIGIL_FUZZ_STATE_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "daemon/state.h"

static void
state_frames_feed(struct state_store *st, const uint8_t *data, size_t size)
{
	while (size >= 2) {
		size_t len = (size_t)data[0] << 8 | data[1];

		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		state_ipc(st, data, len);
		data += len;
		size -= len;
	}
}

#endif
