/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "runas.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "global_conf.h"
#include "script.h"
#include "script_check.h"
#include "str.h"

/* Where a bare program name is looked for without PATH. */
#define RUNAS_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

int
runas_defaults_set(struct runas_defaults *d,
    const struct global_conf *g)
{
	struct runas_defaults n = { 0 };
	int fail = 0;

	if (g != NULL) {
		n.user = str_dup_opt(g->script_user, &fail);
		n.group = str_dup_opt(g->script_group, &fail);
		n.security = g->enable_script_security;
	}
	if (fail) {
		runas_defaults_clear(&n);
		return -1;
	}
	runas_defaults_clear(d);
	*d = n;
	return 0;
}

void
runas_defaults_clear(struct runas_defaults *d)
{
	free(d->user);
	free(d->group);
	memset(d, 0, sizeof(*d));
}

int
runas_defaults_equal(const struct runas_defaults *a,
    const struct runas_defaults *b)
{
	return str_eq(a->user, b->user) && str_eq(a->group, b->group) &&
	    a->security == b->security;
}

char **
runas_argv_new(const char *line)
{
	struct arena *a;
	char **av, **out;
	size_t n, size, i;
	char *p;

	if (line == NULL || (a = arena_new()) == NULL)
		return NULL;
	if ((av = script_split(a, line)) == NULL) {
		arena_free(a);
		return NULL;
	}
	for (n = 0, size = 0; av[n] != NULL; n++)
		size += strlen(av[n]) + 1;
	out = malloc((n + 1) * sizeof(char *) + size);
	if (out != NULL) {
		p = (char *)(out + n + 1);
		for (i = 0; i < n; i++) {
			size = strlen(av[i]) + 1;
			memcpy(p, av[i], size);
			out[i] = p;
			p += size;
		}
		out[n] = NULL;
	}
	arena_free(a);
	return out;
}

char **
runas_argv_append(char *const *argv, const char *const *extra, size_t n)
{
	size_t m = 0, i;
	char **out;

	while (argv[m] != NULL)
		m++;
	if ((out = calloc(m + n + 1, sizeof(char *))) == NULL)
		return NULL;
	for (i = 0; i < m; i++)
		out[i] = argv[i];
	for (i = 0; i < n; i++)
		out[m + i] = (char *)(uintptr_t)extra[i];
	return out;
}

/* prog as exec would find it; 0 with the path in out, or -1. */
static int
runas_find(const char *prog, char *out, size_t len)
{
	const char *path, *p, *end;
	int n;

	if (strchr(prog, '/') != NULL) {
		n = snprintf(out, len, "%s", prog);
		return n > 0 && (size_t)n < len ? 0 : -1;
	}
	path = getenv("PATH");
	if (path == NULL || *path == '\0')
		path = RUNAS_PATH;
	for (p = path; *p != '\0'; p = *end != '\0' ? end + 1 : end) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		n = snprintf(out, len, "%.*s/%s", (int)(end - p), p, prog);
		if (n > 0 && (size_t)n < len && access(out, X_OK) == 0)
			return 0;
	}
	return -1;
}

int
runas_resolve(const struct runas_defaults *d, char *const *argv,
    const char *user, const char *group, uid_t *uid, gid_t *gid,
    char *why, size_t len)
{
	char path[PATH_MAX], reason[PATH_MAX + 64];
	uid_t u = 0;
	gid_t g = 0;

	if (user != NULL) {
		if (script_lookup_user(user, group, &u, &g) < 0) {
			snprintf(why, len, "user %s%s%s does not exist", user,
			    group != NULL ? " or group " : "",
			    group != NULL ? group : "");
			return -1;
		}
	} else if (d->user != NULL) {
		if (script_lookup_user(d->user, d->group, &u, &g) < 0) {
			snprintf(why, len, "script_user %s does not exist",
			    d->user);
			return -1;
		}
	} else if (script_lookup_user(SCRIPT_DEFAULT_USER, NULL, &u, &g) < 0) {
		u = 0;
		g = 0;
	}
	if (d->security && (u == 0 || g == 0) && geteuid() == 0) {
		if (runas_find(argv[0], path, sizeof(path)) < 0) {
			snprintf(why, len, "%s: not found", argv[0]);
			return -1;
		}
		if (script_path_safe(path, reason, sizeof(reason)) < 0) {
			snprintf(why, len, "unsafe to run as root with "
			    "enable_script_security: %s", reason);
			return -1;
		}
	}
	if (geteuid() != 0) {
		/* not root: it runs as we do */
		u = (uid_t)-1;
		g = (gid_t)-1;
	}
	*uid = u;
	*gid = g;
	return 0;
}
