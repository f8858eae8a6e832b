/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * track_file: the integer a file holds, read as keepalived reads it
 * (strtol, base 0, of its first 127 bytes; missing or empty is 0; a
 * number outside int32 is ignored). The file's directory is watched with
 * inotify, so the file may be written, renamed over or deleted (0).
 */
#include "autoconfig.h"

#include <sys/inotify.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "proc.h"
#include "vrrp/config.h"
#include "vrrp/track_priv.h"

#define TFILE_EVENTS (IN_CLOSE_WRITE | IN_DELETE | IN_MOVE)

struct tfile_ctx {
	int fd;
	struct event *ev;
};

static void tfile_events(evutil_socket_t fd, short what, void *arg);

int
tfile_ctx_new(struct vrrp_track *t)
{
	struct tfile_ctx *x;

	if (t->fctx != NULL)
		return 0;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return -1;
	x->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (x->fd < 0) {
		log_err("track_file: inotify: %s", strerror(errno));
		free(x);
		return -1;
	}
	x->ev = event_new(t->env->base, x->fd, EV_READ | EV_PERSIST,
	    tfile_events, t);
	if (x->ev == NULL || event_add(x->ev, NULL) < 0) {
		if (x->ev != NULL)
			event_free(x->ev);
		close(x->fd);
		free(x);
		return -1;
	}
	t->fctx = x;
	return 0;
}

void
tfile_ctx_free(struct vrrp_track *t)
{
	struct tfile_ctx *x = t->fctx;

	if (x == NULL)
		return;
	event_free(x->ev);
	close(x->fd);
	free(x);
	t->fctx = NULL;
}

struct tfile *
tfile_new(struct vrrp_track *t, const struct vrrp_track_file_conf *c)
{
	struct tfile *f;

	(void)t;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	f->wd = -1;
	f->o.name = strdup(c->name);
	f->file = c->file != NULL ? strdup(c->file) : NULL;
	if (f->o.name == NULL || f->file == NULL) {
		free(f->o.name);
		free(f->file);
		free(f);
		return NULL;
	}
	f->o.weight = c->weight;
	f->o.reverse = c->weight_reverse;
	f->init_file = c->init_file;
	f->init_overwrite = c->init_overwrite;
	f->init_value = c->init_value;
	return f;
}

int
tfile_same(const struct tfile *f, const struct vrrp_track_file_conf *c)
{
	return str_eq(f->file, c->file) &&
	    f->init_file == c->init_file &&
	    f->init_overwrite == c->init_overwrite &&
	    f->init_value == c->init_value;
}

/* The file's value; 0 if it is missing or empty; -1 (keep the last) if
 * what it holds is out of range. */
static int
tfile_read(const struct tfile *f, int64_t *out)
{
	char buf[128];
	long long v = 0;
	ssize_t len;
	int fd;

	if ((fd = open(f->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) >= 0) {
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len > 0) {
			buf[len] = '\0';
			errno = 0;
			v = strtoll(buf, NULL, 0);
			if (errno != 0 || v < INT32_MIN ||
			    v > (long long)INT32_MAX + 1) {
				log_warn("track_file %s: invalid number %lld "
				    "read from %s; ignored", f->o.name, v,
				    f->path);
				return -1;
			}
		}
	}
	*out = v;
	return 0;
}

static void
tfile_set(struct vrrp_track *t, struct tfile *f, int64_t v, const char *why)
{
	if (v == f->value)
		return;
	log_info("track_file %s: value %lld -> %lld (%s %s)", f->o.name,
	    (long long)f->value, (long long)v, f->path, why);
	f->value = v;
	vrrp_track_notify(t);
}

static void
tfile_reread(struct vrrp_track *t, struct tfile *f, const char *why)
{
	int64_t v;

	if (tfile_read(f, &v) == 0)
		tfile_set(t, f, v, why);
}

/* init_file [VALUE] [overwrite]: create the file if missing; overwrite
 * it at start (not on reload) with overwrite. */
static void
tfile_init(struct vrrp_track *t, struct tfile *f)
{
	struct stat st;
	char buf[32];
	int fd, n;

	if (stat(f->file, &st) == 0) {
		if (!f->init_overwrite || t->applies > 0)
			return;
		if (!S_ISREG(st.st_mode)) {
			log_warn("track_file %s: cannot initialise %s: not a "
			    "regular file", f->o.name, f->file);
			return;
		}
	}
	fd = open(f->file, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (fd < 0) {
		log_warn("track_file %s: cannot initialise %s: %s", f->o.name,
		    f->file, strerror(errno));
		return;
	}
	n = snprintf(buf, sizeof(buf), "%lld\n", f->init_value);
	if (write(fd, buf, (size_t)n) != n)
		log_warn("track_file %s: cannot write %s: %s", f->o.name,
		    f->file, strerror(errno));
	close(fd);
}

/* The file's path with its directory resolved (the file may be missing).
 * 0, or -1 (logged). */
static int
tfile_resolve(struct tfile *f)
{
	char real[PATH_MAX], dir[PATH_MAX];
	const char *slash, *base;
	struct stat st;
	size_t len;

	if (realpath(f->file, real) != NULL)
		f->path = strdup(real);
	else if (errno == ENOENT) {
		slash = strrchr(f->file, '/');
		if (slash == NULL) {
			snprintf(dir, sizeof(dir), ".");
			base = f->file;
		} else {
			len = (size_t)(slash - f->file);
			if (len == 0)
				len = 1;
			if (len >= sizeof(dir))
				return -1;
			memcpy(dir, f->file, len);
			dir[len] = '\0';
			base = slash + 1;
		}
		if (*base == '\0' || realpath(dir, real) == NULL ||
		    stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
			log_warn("track_file %s: the directory of %s does not "
			    "exist; not tracked", f->o.name, f->file);
			return -1;
		}
		len = strlen(real) + strlen(base) + 2;
		if ((f->path = malloc(len)) != NULL)
			snprintf(f->path, len, "%s%s%s", real,
			    strcmp(real, "/") == 0 ? "" : "/", base);
	} else {
		log_warn("track_file %s: %s: %s; not tracked", f->o.name,
		    f->file, strerror(errno));
		return -1;
	}
	if (f->path == NULL)
		return -1;
	f->base = strrchr(f->path, '/') + 1;
	return 0;
}

void
tfile_start(struct vrrp_track *t, struct tfile *f)
{
	char dir[PATH_MAX];
	size_t len;

	if (f->init_file)
		tfile_init(t, f);
	if (tfile_resolve(f) < 0) {
		f->o.disabled = 1;
		return;
	}
	len = (size_t)(f->base - f->path);
	if (len > 1)
		len--;		/* the slash, but not the root's */
	memcpy(dir, f->path, len);
	dir[len] = '\0';
	if (t->fctx != NULL) {
		f->wd = inotify_add_watch(t->fctx->fd, dir, TFILE_EVENTS);
		if (f->wd < 0)
			log_warn("track_file %s: cannot watch %s: %s; its "
			    "changes will not be seen", f->o.name, dir,
			    strerror(errno));
	}
	(void)tfile_read(f, &f->value);
	log_debug("track_file %s: %s holds %lld", f->o.name, f->path,
	    (long long)f->value);
}

static void
tfile_event(struct vrrp_track *t, const struct inotify_event *ev)
{
	struct tfile *f;

	if (ev->mask & IN_Q_OVERFLOW) {
		log_warn("track_file: inotify queue overflowed; reading every "
		    "file again");
		for (f = t->file_list; f != NULL; f = f->next)
			if (f->path != NULL)
				tfile_reread(t, f, "re-read");
		return;
	}
	if (ev->mask & IN_IGNORED) {
		for (f = t->file_list; f != NULL; f = f->next)
			if (f->wd == ev->wd) {
				log_warn("track_file %s: the directory of %s "
				    "went away; no longer watched", f->o.name,
				    f->path);
				f->wd = -1;
			}
		return;
	}
	if ((ev->mask & IN_ISDIR) || ev->len == 0)
		return;
	for (f = t->file_list; f != NULL; f = f->next) {
		if (f->wd != ev->wd || f->base == NULL ||
		    strcmp(f->base, ev->name) != 0)
			continue;
		if (ev->mask & IN_DELETE)
			tfile_set(t, f, 0, "deleted");
		else if (ev->mask & IN_MOVED_FROM)
			tfile_set(t, f, 0, "moved away");
		else if (ev->mask & IN_MOVED_TO)
			tfile_reread(t, f, "moved in");
		else if (ev->mask & IN_CLOSE_WRITE)
			tfile_reread(t, f, "written");
	}
}

static void
tfile_events(evutil_socket_t fd, short what, void *arg)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct vrrp_track *t = arg;
	const struct inotify_event *ev;
	unsigned rounds;
	ssize_t len;
	char *p;

	(void)what;
	for (rounds = 0; rounds < 64; rounds++) {
		len = read(fd, buf, sizeof(buf));
		if (len < 0 && errno == EINTR)
			continue;
		if (len < (ssize_t)sizeof(struct inotify_event)) {
			if (len < 0 && errno != EAGAIN)
				log_warn("track_file: inotify read: %s",
				    strerror(errno));
			return;
		}
		for (p = buf; p + sizeof(*ev) <= buf + len;
		    p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(void *)p;
			if (p + sizeof(*ev) + ev->len > buf + len)
				break;
			tfile_event(t, ev);
		}
	}
}

void
tfile_free(struct vrrp_track *t, struct tfile *f)
{
	const struct tfile *o;

	if (f == NULL)
		return;
	if (f->wd >= 0 && t->fctx != NULL) {
		for (o = t->file_list; o != NULL; o = o->next)
			if (o != f && o->wd == f->wd)
				break;
		if (o == NULL)
			inotify_rm_watch(t->fctx->fd, f->wd);
	}
	free(f->o.name);
	free(f->file);
	free(f->path);
	free(f);
}

void
tfile_dump(const struct tfile *f, FILE *fp)
{
	fprintf(fp, " Track file = %s\n", f->o.name);
	fprintf(fp, "   File = %s%s\n", f->path != NULL ? f->path : f->file,
	    f->o.disabled ? " (not tracked)" : f->wd < 0 ?
	    " (not watched)" : "");
	fprintf(fp, "   Status = %lld\n", (long long)f->value);
	fprintf(fp, "   Weight = %d%s\n", f->o.weight,
	    f->o.reverse ? " reverse" : "");
}
