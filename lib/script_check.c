/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "script_check.h"
#include "script.h"

#include <sys/stat.h>

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "global_conf.h"

/* Where a bare program name is looked for (keepalived's default PATH). */
static const char script_path_dirs[] =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/* The first word of a script line, quotes removed. 0, or -1 if empty or
 * too long. */
static int
first_word(const char *cmd, char *buf, size_t len)
{
	size_t n = 0;
	char q = 0;

	while (*cmd == ' ' || *cmd == '\t')
		cmd++;
	for (; *cmd != '\0'; cmd++) {
		if (q != 0 && *cmd == q) {
			q = 0;
			continue;
		}
		if (q == 0 && (*cmd == '\'' || *cmd == '"')) {
			q = *cmd;
			continue;
		}
		if (q == 0 && (*cmd == ' ' || *cmd == '\t'))
			break;
		if (n + 1 >= len)
			return -1;
		buf[n++] = *cmd;
	}
	buf[n] = '\0';
	return n > 0 ? 0 : -1;
}

/* A bare name looked up in PATH; 0 with the path in out, or -1. */
static int
find_in_path(const char *name, char *out, size_t len)
{
	const char *p = script_path_dirs, *end;

	for (; *p != '\0'; p = *end != '\0' ? end + 1 : end) {
		int n;

		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		n = snprintf(out, len, "%.*s/%s", (int)(end - p), p, name);
		if (n > 0 && (size_t)n < len && access(out, F_OK) == 0)
			return 0;
	}
	return -1;
}

/* One path's owner and mode, as a file to run or a directory above one. */
static int
node_safe(const char *path, int dir, char *why, size_t len)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (st.st_uid != 0) {
		snprintf(why, len, "%s is owned by uid %u, not root", path,
		    (unsigned)st.st_uid);
		return -1;
	}
	/* a sticky directory owned by root: no one else can replace what
	 * root owns in it */
	if (dir && (st.st_mode & S_ISVTX))
		return 0;
	if (st.st_mode & S_IWOTH) {
		snprintf(why, len, "%s is writable by others", path);
		return -1;
	}
	if (st.st_mode & S_IWGRP) {
		snprintf(why, len, "%s is writable by its group", path);
		return -1;
	}
	return 0;
}

int
script_path_safe(const char *path, char *why, size_t len)
{
	char real[PATH_MAX], *slash;

	if (realpath(path, real) == NULL) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (node_safe(real, 0, why, len) < 0)
		return -1;
	while ((slash = strrchr(real, '/')) != NULL) {
		if (slash == real)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (node_safe(real, 1, why, len) < 0)
			return -1;
		if (slash == real)
			break;
	}
	return 0;
}

static int
user_uid(const char *user, uid_t *uid)
{
	gid_t gid;

	return script_lookup_user(user, NULL, uid, &gid);
}

unsigned
script_check_host(const struct global_conf *g, const char *what,
    const char *cmd, const char *user, const char *group,
    const struct conf_loc *loc, struct conf_diag *d)
{
	char prog[PATH_MAX], path[PATH_MAX], why[PATH_MAX + 64];
	unsigned nerr = 0, start = d->nerr;
	int security = g != NULL && g->enable_script_security;
	struct stat st;
	uid_t uid = 0;

	if (cmd == NULL)
		return 0;
	if (first_word(cmd, prog, sizeof(prog)) < 0) {
		conf_diag_report(d, CONF_ERR, loc, "%s: no program to run",
		    what);
		return 1;
	}
	if (strchr(prog, '/') != NULL)
		snprintf(path, sizeof(path), "%s", prog);
	else if (find_in_path(prog, path, sizeof(path)) < 0) {
		conf_diag_report(d, CONF_ERR, loc, "%s: %s: not found in %s",
		    what, prog, script_path_dirs);
		return 1;
	}
	if (stat(path, &st) < 0) {
		conf_diag_report(d, CONF_ERR, loc, "%s: %s: %s", what, path,
		    strerror(errno));
		return 1;
	}
	if (!S_ISREG(st.st_mode) || (st.st_mode & 0111) == 0)
		conf_diag_report(d, CONF_ERR, loc, "%s: %s is not an "
		    "executable file", what, path);

	/* who runs it */
	if (user != NULL) {
		gid_t gid;

		if (user_uid(user, &uid) < 0)
			conf_diag_report(d, CONF_ERR, loc, "%s: user '%s' does "
			    "not exist", what, user);
		if (group != NULL && script_lookup_group(group, &gid) < 0)
			conf_diag_report(d, CONF_ERR, loc, "%s: group '%s' "
			    "does not exist", what, group);
	} else if (g != NULL && g->script_user != NULL) {
		/* an unknown script_user is reported once, at global_defs */
		if (user_uid(g->script_user, &uid) < 0)
			uid = (uid_t)-1;
	} else if (user_uid(SCRIPT_DEFAULT_USER, &uid) < 0) {
		uid = 0;
		if (security)
			conf_diag_report(d, CONF_ERR, loc, "%s: no user to run "
			    "it as: the default user %s does not exist and "
			    "script_user is not set", what,
			    SCRIPT_DEFAULT_USER);
	}

	if (security) {
		if (script_path_safe(path, why, sizeof(why)) < 0)
			conf_diag_report(d, CONF_ERR, loc, "%s: unsafe to run "
			    "with enable_script_security: %s", what, why);
	} else if (uid == 0 && d->nerr == start)
		conf_diag_report(d, CONF_ERR, loc, "%s: security violation: "
		    "%s would run as root and enable_script_security is off",
		    what, path);
	nerr = d->nerr - start;
	return nerr;
}

/* ---- users and groups (thread-safe: the parent's parse worker checks them too) */

/* getpwnam_r/getgrnam_r with a buffer that grows on ERANGE (bounded). */
static int
script_getpw(const char *user, struct passwd *pw, char **buf)
{
	struct passwd *res = NULL;
	size_t size = 4096;
	int rc;

	for (;;) {
		*buf = malloc(size);
		if (*buf == NULL)
			return -1;
		rc = getpwnam_r(user, pw, *buf, size, &res);
		if (rc == ERANGE && size < 1024 * 1024) {
			free(*buf);
			size *= 4;
			continue;
		}
		return rc == 0 && res != NULL ? 0 : -1;
	}
}

static int
script_getgr(const char *group, gid_t *gid)
{
	struct group gr, *res = NULL;
	size_t size = 4096;
	char *buf;
	int rc;

	for (;;) {
		buf = malloc(size);
		if (buf == NULL)
			return -1;
		rc = getgrnam_r(group, &gr, buf, size, &res);
		if (rc == ERANGE && size < 1024 * 1024) {
			free(buf);
			size *= 4;
			continue;
		}
		if (rc == 0 && res != NULL)
			*gid = gr.gr_gid;
		free(buf);
		return rc == 0 && res != NULL ? 0 : -1;
	}
}

int
script_lookup_group(const char *group, gid_t *gid)
{
	if (group == NULL || *group == '\0' || gid == NULL)
		return -1;
	return script_getgr(group, gid);
}

int
script_lookup_user(const char *user, const char *group, uid_t *uid,
    gid_t *gid)
{
	struct passwd pw;
	char *buf = NULL;
	gid_t g;

	if (user == NULL || *user == '\0' || uid == NULL || gid == NULL)
		return -1;
	if (script_getpw(user, &pw, &buf) != 0) {
		free(buf);
		return -1;
	}
	g = pw.pw_gid;
	*uid = pw.pw_uid;
	free(buf);
	if (group != NULL && script_getgr(group, &g) != 0)
		return -1;
	*gid = g;
	return 0;
}
