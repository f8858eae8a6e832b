/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control protocol between vigilctl and vigild (docs/control.md):
 * frames as lib/ipc.h makes them (struct ipc_hdr, then the payload), one
 * request and one reply per exchange, payloads JSON. Shared by the
 * daemon's control socket (daemon/control.c) and vigilctl.
 */
#ifndef VIGIL_CTL_PROTO_H
#define VIGIL_CTL_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define CTL_PROTO_VERSION 1
/* frame types */
#define CTL_MSG_REQUEST 1
#define CTL_MSG_REPLY 2

#define CTL_MAX_REQUEST (64u * 1024)	/* a larger request frame: dropped */
#define CTL_MAX_ARGS 32
#define CTL_MAX_ARG 1024		/* bytes of one word */

enum ctl_status {
	CTL_OK = 0,
	CTL_EUSAGE,		/* malformed arguments */
	CTL_ENOENT,		/* no such object */
	CTL_EFAIL,		/* could not be done (text says why) */
	CTL_EUNKNOWN,		/* no such command (or the child lacks it) */
	CTL_EGONE,		/* the child went away or did not answer */
	CTL_EDENIED,		/* steering needs root */
	CTL_EPROTO,		/* a malformed request */
	CTL_EBUSY,		/* too many clients, or one at a time */
	CTL_NSTATUS
};

/* "ok", "usage", "not_found", "failed", "unknown", "gone", "denied",
 * "bad_request", "busy"; NULL for a status out of range. */
const char *ctl_status_name(int status);
/* The status of a name, or -1. */
int ctl_status_from_name(const char *name);
/* An enum ipc_cmd_status as a ctl status. */
int ctl_status_from_ipc(int ipc_status);
/* vigilctl's exit code for a status (vigilctl(8) lists them). */
int ctl_status_exit(int status);

/* A frame: struct ipc_hdr of type, then len bytes of payload. malloc'd;
 * NULL when out of memory. */
void *ctl_frame(uint32_t type, const void *payload, size_t len,
    size_t *outlen);

struct ctl_request {
	int argc;
	const char *argv[CTL_MAX_ARGS + 1];	/* into root; NULL-ended */
	int refresh;		/* ask the children for fresh counters */
	int text;		/* the reply as vigilctl's text where the
				 * command has one (show ipvs), not JSON */
	json_t *root;
};

/* {"version":1,"command":[words...],"refresh":bool} as JSON text
 * (malloc'd, *len bytes, no NUL counted). NULL on bad argc or OOM. */
char *ctl_request_encode(int argc, char *const argv[], int refresh,
    size_t *len);
/* The same with "text":true when text: a command that can answers with
 * its table as the reply's text and no state (show ipvs; the others, and
 * a vigild that does not know the field, answer as without it). */
char *ctl_request_encode_text(int argc, char *const argv[], int refresh,
    int text, size_t *len);
/* Read a request payload (never trusted). 0, or -1 with why in err. */
int ctl_request_decode(const void *data, size_t len, struct ctl_request *rq,
    char *err, size_t errlen);
void ctl_request_free(struct ctl_request *rq);

/* {"version":1,"status":NAME,"text":...,"state":state} (state borrowed,
 * may be NULL). Text that is not UTF-8 has its odd bytes replaced. */
char *ctl_reply_encode(int status, const char *text, size_t tlen,
    json_t *state, size_t *len);
/* Read a reply: the root (the caller frees it), *status, *text and *state
 * pointing into it (*state may be NULL). NULL with why in err. */
json_t *ctl_reply_decode(const void *data, size_t len, int *status,
    const char **text, json_t **state, char *err, size_t errlen);

#endif
