/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BFD_CHECK: a real server is up while its BFD session (a bfd_instance
 * that reports to the checker) is Up, as keepalived 2.2.7's. The BFD
 * child reports the session's state to the parent, which passes it to
 * this child (chk_bfd_set); each run of the check, every
 * CHK_BFD_POLL_USEC with no retry, reads it from that table: no I/O, and
 * the result is handed back from the loop through the kind's own event,
 * never from start().
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "healthcheck/check_proto.h"
#include "healthcheck/probe.h"

struct bfd_sess_seen {
	struct bfd_sess_seen *next;
	char name[32];
	char state[16];
};

/* env->kinds[CHK_BFD] */
struct bfd_shared {
	struct bfd_sess_seen *first;
};

/* kstate */
static struct bfd_sess_seen *
seen_find(const struct bfd_shared *sh, const char *name)
{
	for (struct bfd_sess_seen *s = sh != NULL ? sh->first : NULL;
	    s != NULL; s = s->next)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

int
chk_bfd_set(struct chk_env *env, const char *name, const char *state)
{
	struct bfd_shared *sh = env->kinds[CHK_BFD];
	struct bfd_sess_seen *s;

	if (strlen(name) >= sizeof(s->name))
		return 0;
	if (sh == NULL) {
		if ((sh = calloc(1, sizeof(*sh))) == NULL)
			return -1;
		env->kinds[CHK_BFD] = sh;
	}
	if ((s = seen_find(sh, name)) == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			return -1;
		snprintf(s->name, sizeof(s->name), "%s", name);
		s->next = sh->first;
		sh->first = s;
	}
	snprintf(s->state, sizeof(s->state), "%s", state);
	return 0;
}

static void
bfd_result(evutil_socket_t fd, short what, void *arg)
{
	struct chk_probe *p = arg;
	const char *name = p->conf->u.bfd.name;
	const struct bfd_sess_seen *s = seen_find(p->env->kinds[CHK_BFD],
	    name);

	(void)fd;
	(void)what;
	if (s != NULL && strcmp(s->state, "Up") == 0)
		chk_probe_done(p, 1, NULL);
	else
		chk_probe_done(p, 0, "BFD %s is %s", name,
		    s != NULL ? s->state : "not known yet");
}

static int
bfd_start(struct chk_probe *p)
{
	if (p->conf->u.bfd.name == NULL) {
		chk_probe_fail(p, "no BFD name");
		return -1;
	}
	return chk_later_start(p, sizeof(struct chk_later), bfd_result,
	    "the check");
}

static void
bfd_kind_free(struct chk_env *env)
{
	struct bfd_shared *sh = env->kinds[CHK_BFD];

	if (sh == NULL)
		return;
	while (sh->first != NULL) {
		struct bfd_sess_seen *n = sh->first->next;

		free(sh->first);
		sh->first = n;
	}
	free(sh);
	env->kinds[CHK_BFD] = NULL;
}

const struct chk_kind chk_kind_bfd = {
	.kind = CHK_BFD,
	.name = "BFD_CHECK",
	.start = bfd_start,
	.cancel = chk_later_cancel,
	.release = chk_later_release,
	.kind_free = bfd_kind_free,
	.fds = 0,
};
