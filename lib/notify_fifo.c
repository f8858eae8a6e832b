/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Notify FIFOs (notify_fifo.h): the one writer the VRRP child
 * (notify_fifo, vrrp_notify_fifo) and the checker child (notify_fifo,
 * lvs_notify_fifo) share.
 */
#include "autoconfig.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "global_conf.h"
#include "log.h"
#include "notify_fifo.h"
#include "script.h"
#include "str.h"

void
notify_fifo_init(struct notify_fifo *f, const char *what)
{
	memset(f, 0, sizeof(*f));
	f->what = what;
	f->fd = -1;
}

int
notify_fifo_open(const struct notify_fifo *f)
{
	return f->fd >= 0;
}

void
notify_fifo_close(struct notify_fifo *f)
{
	/* unlinked first, so that a reader looping on it cannot reopen it */
	if (f->created && f->path != NULL)
		unlink(f->path);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	f->created = 0;
	free(f->path);
	free(f->user);
	free(f->group);
	free(f->script);
	free(f->suser);
	free(f->sgroup);
	f->path = f->user = f->group = NULL;
	f->script = f->suser = f->sgroup = NULL;
}

static void
fifo_open(struct notify_fifo *f, notify_fifo_run_fn *run, void *arg)
{
	struct stat st;
	uid_t uid;
	gid_t gid;

	if (mkfifo(f->path, S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH) == 0) {
		f->created = 1;
		if (f->user != NULL) {
			if (script_lookup_user(f->user, f->group, &uid,
			    &gid) < 0)
				log_warn("%s %s: user %s unknown; fifo left "
				    "to us", f->what, f->path, f->user);
			else if (chown(f->path, uid, gid) < 0)
				log_warn("%s %s: chown: %s", f->what, f->path,
				    strerror(errno));
		}
	} else if (errno != EEXIST) {
		log_warn("%s %s: cannot make the fifo: %s", f->what, f->path,
		    strerror(errno));
		return;
	}
	f->fd = open(f->path, O_RDWR | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
	if (f->fd < 0) {
		log_warn("%s %s: cannot open it: %s", f->what, f->path,
		    strerror(errno));
	} else if (fstat(f->fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
		log_warn("%s %s: not a fifo; not used", f->what, f->path);
		close(f->fd);
		f->fd = -1;
	}
	if (f->fd < 0) {
		if (f->created)
			unlink(f->path);
		f->created = 0;
		return;
	}
	if (f->script == NULL || run == NULL)
		return;
	/* one reader for every process writing to it: the lock is held as
	 * long as the fifo stays open here */
	if (flock(f->fd, LOCK_EX | LOCK_NB) < 0) {
		log_info("%s %s: its script is run by another process "
		    "writing to it", f->what, f->path);
		return;
	}
	(void)run(arg, f->what, f->script, f->suser, f->sgroup, f->path);
}

int
notify_fifo_same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

int
notify_fifo_apply(struct notify_fifo *f, const char *path, const char *user,
    const char *group, const char *script, const char *suser,
    const char *sgroup, notify_fifo_run_fn *run, void *arg)
{
	int fail = 0;

	if (str_eq(f->path, path) && str_eq(f->user, user) &&
	    str_eq(f->group, group) && str_eq(f->script, script) &&
	    str_eq(f->suser, suser) && str_eq(f->sgroup, sgroup) &&
	    (path == NULL || f->fd >= 0))
		return 0;
	if (f->path != NULL)
		log_info("%s %s: closed", f->what, f->path);
	notify_fifo_close(f);
	if (path == NULL)
		return 0;
	f->path = str_dup_opt(path, &fail);
	f->user = str_dup_opt(user, &fail);
	f->group = str_dup_opt(group, &fail);
	f->script = str_dup_opt(script, &fail);
	f->suser = str_dup_opt(suser, &fail);
	f->sgroup = str_dup_opt(sgroup, &fail);
	if (fail) {
		notify_fifo_close(f);
		return -1;
	}
	fifo_open(f, run, arg);
	return 0;
}

void
notify_fifo_write(struct notify_fifo *f, const char *line, size_t len)
{
	if (f->fd < 0)
		return;
	if (write(f->fd, line, len) < 0 && errno != EAGAIN)
		log_info("%s %s: write: %s", f->what, f->path,
		    strerror(errno));
}

void
notify_fifo_conf_global(struct notify_fifo_conf *c,
    const struct global_conf *g)
{
	memset(c, 0, sizeof(*c));
	if (g == NULL)
		return;
	c->path = g->notify_fifo.path;
	c->user = g->notify_fifo.user;
	c->group = g->notify_fifo.group;
	c->script = g->notify_fifo_script.path;
	c->suser = g->notify_fifo_script.user;
	c->sgroup = g->notify_fifo_script.group;
}

static int
fifo_conf_apply(struct notify_fifo *f, const struct notify_fifo_conf *c,
    notify_fifo_run_fn *run, void *arg)
{
	static const struct notify_fifo_conf none;

	if (c == NULL)
		c = &none;
	return notify_fifo_apply(f, c->path, c->user, c->group, c->script,
	    c->suser, c->sgroup, run, arg);
}

int
notify_fifo_pair_apply(struct notify_fifo f[2],
    const struct notify_fifo_conf *global, const struct notify_fifo_conf *own,
    notify_fifo_run_fn *run, void *arg)
{
	struct notify_fifo_conf o;
	const char *gpath = global != NULL ? global->path : NULL;
	int rc = 0;

	if (own != NULL && notify_fifo_same(gpath, own->path)) {
		if (!notify_fifo_same(f[0].path, gpath))
			log_info("notify fifo %s is both %s and %s: %s ignored",
			    own->path, f[0].what, f[1].what, f[1].what);
		o = *own;
		o.path = NULL;
		own = &o;
	}
	if (fifo_conf_apply(&f[0], global, run, arg) < 0)
		rc = -1;
	if (fifo_conf_apply(&f[1], own, run, arg) < 0)
		rc = -1;
	if (rc < 0)
		log_err("%s, %s: out of memory applying the configuration",
		    f[0].what, f[1].what);
	return rc;
}

int
notify_fifo_pair_open(const struct notify_fifo f[2])
{
	return notify_fifo_open(&f[0]) || notify_fifo_open(&f[1]);
}

void
notify_fifo_pair_write(struct notify_fifo f[2], const char *line, int len,
    size_t max)
{
	if (len <= 0 || (size_t)len >= max)
		return;
	notify_fifo_write(&f[0], line, (size_t)len);
	notify_fifo_write(&f[1], line, (size_t)len);
}

void
notify_fifo_pair_close(struct notify_fifo f[2])
{
	notify_fifo_close(&f[0]);
	notify_fifo_close(&f[1]);
}
