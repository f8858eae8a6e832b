/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Object records on the wire: a fixed header (generation, flags, weight,
 * since, four string lengths), then the four strings each with its NUL.
 */
#include "ipc_msg.h"

#include <stdlib.h>
#include <string.h>

struct wire_obj {
	uint32_t generation;
	uint32_t flags;
	int32_t weight;
	uint32_t pad;
	uint64_t since;
	uint16_t slen[4];	/* kind, name, state, detail; NUL included */
};

/* Strings longer than IPC_OBJ_MAX_STR are cut; NULL is "". */
static size_t
cut_len(const char *s)
{
	return s != NULL ? strnlen(s, IPC_OBJ_MAX_STR) : 0;
}

int
ipc_obj_put(struct ipc_objbuf *b, const struct ipc_obj *o)
{
	const char *str[4] = { o->kind, o->name, o->state, o->detail };
	struct wire_obj w = { .generation = o->generation, .flags = o->flags,
	    .weight = o->weight, .since = o->since };
	size_t need = sizeof(w);
	char *p;

	for (int i = 0; i < 4; i++) {
		w.slen[i] = (uint16_t)(cut_len(str[i]) + 1);
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
	for (int i = 0; i < 4; i++) {
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
	const char **str[4] = { &o->kind, &o->name, &o->state, &o->detail };
	struct wire_obj w;
	const char *q;
	size_t need = sizeof(w);

	if (*left == 0)
		return 0;
	if (*left < sizeof(w))
		return -1;
	memcpy(&w, *p, sizeof(w));
	for (int i = 0; i < 4; i++) {
		if (w.slen[i] == 0 || w.slen[i] > IPC_OBJ_MAX_STR + 1)
			return -1;
		need += w.slen[i];
	}
	if (need > *left)
		return -1;
	q = *p + sizeof(w);
	for (int i = 0; i < 4; i++) {
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
	struct ipc_state h = { c->flags | flags, c->generation };
	char *msg = malloc(sizeof(h) + c->buf.len);
	int rc;

	if (msg == NULL)
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
