/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipc between the parent and its children: framed messages on a
 * SOCK_STREAM socketpair, driven by the event loop, both ways.
 * Frame: struct ipc_hdr (type, length of payload) then the payload.
 * Writes never block: they queue and drain when the socket is writable.
 * A frame larger than IPC_MAX_FRAME, or a short/garbled stream, closes the
 * channel (close callback) instead of crashing or allocating without bound.
 * ipc_free() may be called from inside the channel's own callbacks (the
 * free is deferred until the callback returns; no further callbacks come).
 */
#ifndef VIGIL_IPC_H
#define VIGIL_IPC_H

#include <stddef.h>
#include <stdint.h>

struct event_base;

#define IPC_MAX_FRAME (256u * 1024 * 1024)
/* Largest message type: 0 and types above it are protocol violations. */
#define IPC_TYPE_LIMIT 0xffffu

/* What the messages mean lives apart from the framing: ipc_msg.h. */
struct ipc_hdr {
	uint32_t type;
	uint32_t len;		/* payload bytes after the header */
};

/* The on_close reason when the peer simply closed its end. */
#define IPC_EOF_REASON "peer closed the channel"

struct ipc;
typedef void ipc_msg_fn(struct ipc *c, uint32_t type, const void *data,
    size_t len, void *arg);
/* Peer closed, read/write error, or protocol violation; reason says which.
 * The channel is dead after this; the owner calls ipc_free(). */
typedef void ipc_close_fn(struct ipc *c, const char *reason, void *arg);

/* After on_close: whether the peer went away (end of stream, even in the
 * middle of a frame; connection reset; broken pipe), as opposed to a
 * protocol violation or a local error. */
int ipc_peer_gone(const struct ipc *c);
/* Make a connected pair, close-on-exec and non-blocking. */
int ipc_pair(int fds[2]);
/* Take ownership of fd (closed on failure too). */
struct ipc *ipc_new(struct event_base *base, int fd, ipc_msg_fn *on_msg,
    ipc_close_fn *on_close, void *arg);
/* Refuse (close the channel on) frames from the peer larger than max
 * bytes; the default and the ceiling are IPC_MAX_FRAME. */
void ipc_set_max_frame(struct ipc *c, uint32_t max);
int ipc_send(struct ipc *c, uint32_t type, const void *data, size_t len);
/* One frame of two pieces, a then b (a header in front of a body that
 * stays where it is). */
int ipc_send2(struct ipc *c, uint32_t type, const void *a, size_t alen,
    const void *b, size_t blen);
/* Bytes queued and not yet written. */
size_t ipc_pending(const struct ipc *c);
/* Flush what is queued, waiting at most timeout_ms (used at exit). */
int ipc_flush(struct ipc *c, int timeout_ms);
void ipc_free(struct ipc *c);

#endif
