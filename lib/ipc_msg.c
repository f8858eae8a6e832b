/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Object records on the wire: a fixed header (generation, flags, weight,
 * since, five string lengths), then the five strings each with its NUL.
 * Also: attrs lines, and runtime command payloads.
 */
#include "ipc_msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSTR 5

struct wire_obj {
	uint32_t generation;
	uint32_t flags;
	int32_t weight;
	uint32_t pad;
	uint64_t since;
	uint16_t slen[NSTR];	/* kind, name, state, detail, attrs; NUL
				 * included */
	uint16_t pad2[3];
};

/* Strings longer than their maximum are cut; NULL is "". */
static size_t
cut_len(const char *s, size_t max)
{
	return s != NULL ? strnlen(s, max) : 0;
}

static size_t
str_max(int i)
{
	return i == NSTR - 1 ? IPC_OBJ_MAX_ATTRS : IPC_OBJ_MAX_STR;
}

int
ipc_obj_put(struct ipc_objbuf *b, const struct ipc_obj *o)
{
	const char *str[NSTR] = { o->kind, o->name, o->state, o->detail,
	    o->attrs };
	struct wire_obj w = { .generation = o->generation, .flags = o->flags,
	    .weight = o->weight, .since = o->since };
	size_t need = sizeof(w);
	char *p;

	for (int i = 0; i < NSTR; i++) {
		w.slen[i] = (uint16_t)(cut_len(str[i], str_max(i)) + 1);
		need += w.slen[i];
	}
	if (b->len + need > b->cap) {
		size_t cap = b->cap > 0 ? b->cap : 4096;
		char *n;

		while (cap < b->len + need)
			cap *= 2;
		if ((n = realloc(b->data, cap)) == NULL)
			return -1;
		b->data = n;
		b->cap = cap;
	}
	p = b->data + b->len;
	memcpy(p, &w, sizeof(w));
	p += sizeof(w);
	for (int i = 0; i < NSTR; i++) {
		if (w.slen[i] > 1)
			memcpy(p, str[i], w.slen[i] - 1u);
		p[w.slen[i] - 1] = '\0';
		p += w.slen[i];
	}
	b->len += need;
	b->count++;
	return 0;
}

void
ipc_objbuf_reset(struct ipc_objbuf *b)
{
	b->len = 0;
	b->count = 0;
}

void
ipc_objbuf_free(struct ipc_objbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

int
ipc_obj_next(const char **p, size_t *left, struct ipc_obj *o)
{
	const char **str[NSTR] = { &o->kind, &o->name, &o->state, &o->detail,
	    &o->attrs };
	struct wire_obj w;
	const char *q;
	size_t need = sizeof(w);

	if (*left == 0)
		return 0;
	if (*left < sizeof(w))
		return -1;
	memcpy(&w, *p, sizeof(w));
	for (int i = 0; i < NSTR; i++) {
		if (w.slen[i] == 0 || w.slen[i] > str_max(i) + 1)
			return -1;
		need += w.slen[i];
	}
	if (need > *left)
		return -1;
	q = *p + sizeof(w);
	for (int i = 0; i < NSTR; i++) {
		/* exactly one NUL, at the end */
		if (q[w.slen[i] - 1] != '\0' ||
		    memchr(q, '\0', w.slen[i] - 1u) != NULL)
			return -1;
		*str[i] = q;
		q += w.slen[i];
	}
	o->generation = w.generation;
	o->flags = w.flags;
	o->weight = w.weight;
	o->since = w.since;
	*p += need;
	*left -= need;
	return 1;
}

int
ipc_chunker_send(struct ipc_chunker *c, uint32_t flags)
{
	struct ipc_state h = { c->flags | flags, c->generation, c->answers };
	char *msg;
	int rc;

	if (c->send2 != NULL) {
		rc = c->send2(c->arg, &h, sizeof(h), c->buf.data, c->buf.len);
		ipc_objbuf_reset(&c->buf);
		c->flags = 0;
		return rc;
	}
	if ((msg = malloc(sizeof(h) + c->buf.len)) == NULL)
		return -1;
	memcpy(msg, &h, sizeof(h));
	if (c->buf.len > 0)
		memcpy(msg + sizeof(h), c->buf.data, c->buf.len);
	rc = c->send(c->arg, msg, sizeof(h) + c->buf.len);
	free(msg);
	ipc_objbuf_reset(&c->buf);
	c->flags = 0;
	return rc;
}

int
ipc_chunker_add(struct ipc_chunker *c, const struct ipc_obj *o)
{
	size_t before = c->buf.len;

	if (ipc_obj_put(&c->buf, o) < 0)
		return -1;
	if (sizeof(struct ipc_state) + c->buf.len <= IPC_MAX_MSG)
		return 0;
	/* o starts the next message (one record always fits: strings are
	 * bounded) */
	c->buf.len = before;
	c->buf.count--;
	if (ipc_chunker_send(c, 0) < 0)
		return -1;
	return ipc_obj_put(&c->buf, o);
}

/* ---- attrs ---------------------------------------------------------------- */

void
ipc_attrs_init(struct ipc_attrs *a)
{
	a->buf[0] = '\0';
	a->len = 0;
	a->dropped = 0;
}

void
ipc_attrs_add(struct ipc_attrs *a, const char *key, const char *fmt, ...)
{
	size_t klen = strlen(key), room;
	va_list ap;
	int n;
	char *v;

	/* "\n" (if not first) key "=" value, and the NUL */
	if (a->len + (a->len > 0) + klen + 2 > sizeof(a->buf)) {
		a->dropped++;
		return;
	}
	v = a->buf + a->len + (a->len > 0) + klen + 1;
	room = sizeof(a->buf) - (size_t)(v - a->buf);
	va_start(ap, fmt);
	n = vsnprintf(v, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		a->buf[a->len] = '\0';
		a->dropped++;
		return;
	}
	for (char *c = v; *c != '\0'; c++)
		if (*c == '\n')
			*c = ' ';
	if (a->len > 0)
		a->buf[a->len++] = '\n';
	memcpy(a->buf + a->len, key, klen);
	a->buf[a->len + klen] = '=';
	a->len += klen + 1 + (size_t)n;
}

int
ipc_attrs_next(const char **p, const char **key, size_t *klen,
    const char **val, size_t *vlen)
{
	const char *s = *p, *eol, *eq;

	while (s != NULL && *s != '\0') {
		eol = strchr(s, '\n');
		if (eol == NULL)
			eol = s + strlen(s);
		eq = memchr(s, '=', (size_t)(eol - s));
		*p = *eol != '\0' ? eol + 1 : eol;
		if (eq == NULL || eq == s) {	/* not a key=value: skipped */
			s = *p;
			continue;
		}
		*key = s;
		*klen = (size_t)(eq - s);
		*val = eq + 1;
		*vlen = (size_t)(eol - eq - 1);
		return 1;
	}
	return 0;
}

int
ipc_attrs_get(const char *attrs, const char *key, char *val, size_t vlen)
{
	const char *p = attrs, *k, *v;
	size_t kl, vl, want = strlen(key);

	while (ipc_attrs_next(&p, &k, &kl, &v, &vl)) {
		if (kl != want || memcmp(k, key, kl) != 0)
			continue;
		if (vlen > 0) {
			if (vl >= vlen)
				vl = vlen - 1;
			memcpy(val, v, vl);
			val[vl] = '\0';
		}
		return 1;
	}
	return 0;
}

/* ---- runtime commands ----------------------------------------------------- */

const char *
ipc_cmd_status_name(int status)
{
	switch (status) {
	case IPC_CMD_OK:
		return "ok";
	case IPC_CMD_EUSAGE:
		return "usage";
	case IPC_CMD_ENOENT:
		return "no such object";
	case IPC_CMD_EFAIL:
		return "failed";
	case IPC_CMD_EUNKNOWN:
		return "unknown command";
	case IPC_CMD_EGONE:
		return "child unavailable";
	}
	return "unknown status";
}

void *
ipc_cmd_encode(uint32_t id, int argc, char *const argv[], size_t *len)
{
	struct ipc_cmd h = { id, (uint32_t)argc };
	size_t need = sizeof(h);
	char *buf, *p;

	if (argc < 1 || argc > IPC_CMD_MAX_ARGS)
		return NULL;
	for (int i = 0; i < argc; i++)
		need += strlen(argv[i]) + 1;
	if (need > IPC_MAX_MSG || (buf = malloc(need)) == NULL)
		return NULL;
	memcpy(buf, &h, sizeof(h));
	p = buf + sizeof(h);
	for (int i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]) + 1;

		memcpy(p, argv[i], l);
		p += l;
	}
	*len = need;
	return buf;
}

int
ipc_cmd_decode(const void *data, size_t len, struct ipc_cmd *h,
    const char **argv, int max)
{
	const char *p, *end, *nul;

	if (len < sizeof(*h))
		return -1;
	memcpy(h, data, sizeof(*h));
	if (h->argc < 1 || h->argc > IPC_CMD_MAX_ARGS || (int)h->argc > max)
		return -1;
	p = (const char *)data + sizeof(*h);
	end = (const char *)data + len;
	for (uint32_t i = 0; i < h->argc; i++) {
		if (p >= end || (nul = memchr(p, '\0', (size_t)(end - p))) == NULL)
			return -1;
		argv[i] = p;
		p = nul + 1;
	}
	if (p != end)
		return -1;
	return (int)h->argc;
}
