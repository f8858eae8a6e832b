/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ctl_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include "ipc_msg.h"

static const char *const names[CTL_NSTATUS] = {
	[CTL_OK] = "ok", [CTL_EUSAGE] = "usage", [CTL_ENOENT] = "not_found",
	[CTL_EFAIL] = "failed", [CTL_EUNKNOWN] = "unknown",
	[CTL_EGONE] = "gone", [CTL_EDENIED] = "denied",
	[CTL_EPROTO] = "bad_request", [CTL_EBUSY] = "busy",
};

/* vigilctl(8): 0 ok, 1 failed, 2 usage or a request vigild could not
 * read, 3 not found, 4 denied, 5 unknown command, 6 no answer from the
 * child or vigild busy (7, no vigild at all, is vigilctl's own) */
static const int exits[CTL_NSTATUS] = {
	[CTL_OK] = 0, [CTL_EFAIL] = 1, [CTL_EUSAGE] = 2, [CTL_EPROTO] = 2,
	[CTL_ENOENT] = 3, [CTL_EDENIED] = 4, [CTL_EUNKNOWN] = 5,
	[CTL_EGONE] = 6, [CTL_EBUSY] = 6,
};

const char *
ctl_status_name(int status)
{
	return status >= 0 && status < CTL_NSTATUS ? names[status] : NULL;
}

int
ctl_status_from_name(const char *name)
{
	for (int i = 0; i < CTL_NSTATUS; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

int
ctl_status_from_ipc(int s)
{
	switch (s) {
	case IPC_CMD_OK:
		return CTL_OK;
	case IPC_CMD_EUSAGE:
		return CTL_EUSAGE;
	case IPC_CMD_ENOENT:
		return CTL_ENOENT;
	case IPC_CMD_EUNKNOWN:
		return CTL_EUNKNOWN;
	case IPC_CMD_EGONE:
		return CTL_EGONE;
	default:
		return CTL_EFAIL;
	}
}

int
ctl_status_exit(int status)
{
	return status >= 0 && status < CTL_NSTATUS ? exits[status] : 1;
}

void *
ctl_frame(uint32_t type, const void *payload, size_t len, size_t *outlen)
{
	struct ipc_hdr h = { type, (uint32_t)len };
	char *f;

	if (len > IPC_MAX_FRAME || (f = malloc(sizeof(h) + len)) == NULL)
		return NULL;
	memcpy(f, &h, sizeof(h));
	if (len > 0)
		memcpy(f + sizeof(h), payload, len);
	*outlen = sizeof(h) + len;
	return f;
}

static char *
dump_json(json_t *j, size_t *len)
{
	char *s;

	if (j == NULL)
		return NULL;
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (s != NULL)
		*len = strlen(s);
	return s;
}

char *
ctl_request_encode(int argc, char *const argv[], int refresh, size_t *len)
{
	return ctl_request_encode_text(argc, argv, refresh, 0, len);
}

char *
ctl_request_encode_text(int argc, char *const argv[], int refresh, int text,
    size_t *len)
{
	json_t *cmd, *req;

	if (argc < 1 || argc > CTL_MAX_ARGS || (cmd = json_array()) == NULL)
		return NULL;
	for (int i = 0; i < argc; i++)
		if (json_array_append_new(cmd, json_string(argv[i])) < 0) {
			json_decref(cmd);
			return NULL;	/* not UTF-8, or OOM */
		}
	req = json_pack("{s:i,s:o,s:b}", "version", CTL_PROTO_VERSION,
	    "command", cmd, "refresh", refresh);
	if (req != NULL && text)
		json_object_set_new(req, "text", json_true());
	return dump_json(req, len);
}

int
ctl_request_decode(const void *data, size_t len, struct ctl_request *rq,
    char *err, size_t errlen)
{
	json_error_t je;
	json_t *v, *cmd, *r;
	size_t i, n;

	memset(rq, 0, sizeof(*rq));
	rq->refresh = 1;
	if (len > CTL_MAX_REQUEST) {
		snprintf(err, errlen, "request of %zu bytes, above %u", len,
		    CTL_MAX_REQUEST);
		return -1;
	}
	rq->root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (rq->root == NULL) {
		snprintf(err, errlen, "not JSON: %s", je.text);
		return -1;
	}
	if (!json_is_object(rq->root)) {
		snprintf(err, errlen, "the request is not a JSON object");
		goto bad;
	}
	v = json_object_get(rq->root, "version");
	if (!json_is_integer(v) || json_integer_value(v) != CTL_PROTO_VERSION) {
		snprintf(err, errlen, "protocol version %s; this vigild speaks "
		    "%d", json_is_integer(v) ? "unsupported" : "missing",
		    CTL_PROTO_VERSION);
		goto bad;
	}
	cmd = json_object_get(rq->root, "command");
	n = json_array_size(cmd);
	if (!json_is_array(cmd) || n < 1 || n > CTL_MAX_ARGS) {
		snprintf(err, errlen, "\"command\" must be an array of 1 to %d "
		    "words", CTL_MAX_ARGS);
		goto bad;
	}
	for (i = 0; i < n; i++) {
		json_t *w = json_array_get(cmd, i);

		if (!json_is_string(w) || json_string_length(w) > CTL_MAX_ARG ||
		    strlen(json_string_value(w)) != json_string_length(w)) {
			snprintf(err, errlen, "word %zu of the command is not "
			    "a string of at most %d bytes without NUL", i + 1,
			    CTL_MAX_ARG);
			goto bad;
		}
		rq->argv[i] = json_string_value(w);
	}
	rq->argc = (int)n;
	rq->argv[n] = NULL;
	if ((r = json_object_get(rq->root, "refresh")) != NULL) {
		if (!json_is_boolean(r)) {
			snprintf(err, errlen, "\"refresh\" must be a boolean");
			goto bad;
		}
		rq->refresh = json_is_true(r);
	}
	if ((r = json_object_get(rq->root, "text")) != NULL) {
		if (!json_is_boolean(r)) {
			snprintf(err, errlen, "\"text\" must be a boolean");
			goto bad;
		}
		rq->text = json_is_true(r);
	}
	return 0;
bad:
	ctl_request_free(rq);
	return -1;
}

void
ctl_request_free(struct ctl_request *rq)
{
	json_decref(rq->root);
	memset(rq, 0, sizeof(*rq));
}

/* text as a JSON string; bytes that do not make UTF-8 become '?' */
static json_t *
text_json(const char *text, size_t len)
{
	json_t *s = json_stringn(text, len);
	char *copy;

	if (s != NULL || (copy = malloc(len + 1)) == NULL)
		return s;
	for (size_t i = 0; i < len; i++)
		copy[i] = (unsigned char)text[i] >= 0x80 || text[i] == '\0' ?
		    '?' : text[i];
	s = json_stringn(copy, len);
	free(copy);
	return s;
}

char *
ctl_reply_encode(int status, const char *text, size_t tlen, json_t *state,
    size_t *len)
{
	const char *name = ctl_status_name(status);
	json_t *rep;

	rep = json_pack("{s:i,s:s,s:o}", "version", CTL_PROTO_VERSION,
	    "status", name != NULL ? name : "failed", "text",
	    text_json(text != NULL ? text : "", text != NULL ? tlen : 0));
	if (rep != NULL && state != NULL)
		json_object_set(rep, "state", state);
	return dump_json(rep, len);
}

json_t *
ctl_reply_decode(const void *data, size_t len, int *status,
    const char **text, json_t **state, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(data, len, 0, &je), *v;

	if (root == NULL) {
		snprintf(err, errlen, "reply is not JSON: %s", je.text);
		return NULL;
	}
	v = json_object_get(root, "version");
	if (!json_is_integer(v) || json_integer_value(v) != CTL_PROTO_VERSION) {
		snprintf(err, errlen, "reply in an unknown protocol version");
		goto bad;
	}
	v = json_object_get(root, "status");
	if (!json_is_string(v) ||
	    (*status = ctl_status_from_name(json_string_value(v))) < 0) {
		snprintf(err, errlen, "reply without a known status");
		goto bad;
	}
	v = json_object_get(root, "text");
	*text = json_is_string(v) ? json_string_value(v) : "";
	*state = json_object_get(root, "state");
	return root;
bad:
	json_decref(root);
	return NULL;
}
