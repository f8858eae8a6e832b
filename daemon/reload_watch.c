/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reload_time_file in the parent (reload_time.h): one inotify descriptor
 * watching the file's directory, so that the file's creation, writes,
 * renames and removal are all seen (a watch on the file itself dies with
 * it), and one timer for the reload the file asks for. The file is read
 * at the start (and when a reload names another file) and each time a
 * writer closes it or it is moved into place; removed, its reload is
 * cancelled. When the time comes the file is removed (kept under
 * reload_repeat when it holds a time of day, which then reloads daily)
 * and a reload is asked for as SIGHUP asks. keepalived's
 * reload_monitor.c does the same with one watch on the directory and one
 * on the file.
 */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "global_conf.h"
#include "log.h"
#include "loop.h"
#include "reload.h"
#include "reload_time.h"
#include "supervisor_int.h"
#include "vconfig.h"

/* Bytes of the file read: its first line is at most RELOAD_TIME_MAX
 * (more is read to tell a longer line apart). */
#define WATCH_READ 64

struct reload_watch {
	struct supervisor *sv;
	char *path;		/* reload_time_file */
	const char *name;	/* its last component, inside path */
	int fd;			/* inotify; -1: not watching */
	int wd;			/* the directory's watch */
	struct event *ev;
	struct loop_timer *timer;
	time_t when;		/* the reload scheduled; 0: none */
	int dated;
};

/* The wall clock, as the timer is armed and checked: time() may read a
 * coarser clock that is still in the second before. */
static time_t
wall_now(void)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	return now.tv_sec;
}

static void
cancel(struct reload_watch *rw, const char *why)
{
	char at[32];

	if (rw->when == 0)
		return;
	log_info("reload_time_file %s: the reload scheduled for %s is "
	    "cancelled: %s", rw->path, reload_time_str(rw->when, at,
	    sizeof(at)), why);
	rw->when = 0;
	loop_timer_stop(rw->timer);
}

/* The timer for rw->when, on the wall clock. */
static void
arm(struct reload_watch *rw)
{
	struct timespec now;
	int64_t usec;

	clock_gettime(CLOCK_REALTIME, &now);
	usec = ((int64_t)rw->when - now.tv_sec) * 1000000 -
	    now.tv_nsec / 1000;
	loop_timer_start(rw->timer, usec > 0 ? (uint64_t)usec : 1, 0);
}

static void
schedule(struct reload_watch *rw, const struct reload_time *rt)
{
	char at[32], was[32];

	if (rw->when == rt->when && rw->dated == rt->dated)
		return;
	if (rw->when != 0)
		log_info("reload_time_file %s: the reload moves from %s to "
		    "%s", rw->path, reload_time_str(rw->when, was, sizeof(was)),
		    reload_time_str(rt->when, at, sizeof(at)));
	else
		log_info("reload_time_file %s: reload scheduled for %s%s",
		    rw->path, reload_time_str(rt->when, at, sizeof(at)),
		    rt->dated ? "" : " (a time of day)");
	rw->when = rt->when;
	rw->dated = rt->dated;
	arm(rw);
}

/* The first line, printable (what the log shows of a bad entry). */
static void
printable(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			*s = '?';
}

/* Read the file and schedule what it says (or cancel). */
static void
watch_read(struct reload_watch *rw)
{
	char buf[WATCH_READ + 1], why[160];
	struct reload_time rt;
	ssize_t n;
	char *nl;
	int fd;

	fd = open(rw->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			cancel(rw, "the file is gone");
		else {
			log_warn("reload_time_file %s: cannot open it: %s; no "
			    "reload scheduled", rw->path, strerror(errno));
			cancel(rw, "the file cannot be read");
		}
		return;
	}
	while ((n = read(fd, buf, WATCH_READ)) < 0 && errno == EINTR)
		;
	close(fd);
	if (n < 0) {
		log_warn("reload_time_file %s: cannot read it: %s; no reload "
		    "scheduled", rw->path, strerror(errno));
		cancel(rw, "the file cannot be read");
		return;
	}
	buf[n] = '\0';
	if ((nl = memchr(buf, '\n', (size_t)n)) != NULL)
		*nl = '\0';
	if (strlen(buf) != (nl != NULL ? (size_t)(nl - buf) : (size_t)n))
		snprintf(why, sizeof(why), "a NUL byte in the first line");
	else if (n == 0)
		snprintf(why, sizeof(why), "the file is empty");
	else if (reload_time_parse(buf, wall_now(), &rt, why,
	    sizeof(why)) == 0) {
		schedule(rw, &rt);
		return;
	}
	printable(buf);
	log_warn("reload_time_file %s: '%s%s': %s; no reload scheduled",
	    rw->path, buf, nl == NULL && n == WATCH_READ ? "..." : "", why);
	cancel(rw, "the file has no valid time");
}

static void
watch_close(struct reload_watch *rw)
{
	if (rw->ev != NULL)
		event_free(rw->ev);
	rw->ev = NULL;
	if (rw->fd >= 0)
		close(rw->fd);
	rw->fd = -1;
	rw->wd = -1;
}

/* The reload is due: remove the file (unless reload_repeat keeps a time
 * of day) and ask for it. */
static void
due(struct loop_timer *t, void *arg)
{
	struct reload_watch *rw = arg;
	struct supervisor *sv = rw->sv;
	const struct global_conf *g = sv->cfg->conf[CONF_OWNER_GLOBAL];
	char at[32];
	int keep;

	(void)t;
	if (wall_now() < rw->when) {	/* early: the wall clock went back */
		arm(rw);
		return;
	}
	/* as keepalived: a dated entry goes even under reload_repeat (it
	 * would only be in the past now) */
	keep = g != NULL && g->reload_repeat && !rw->dated;
	log_info("reload_time_file %s: the reload scheduled for %s is due; "
	    "%s", rw->path, reload_time_str(rw->when, at, sizeof(at)), keep ?
	    "the file is kept (reload_repeat)" : "removing the file");
	rw->when = 0;
	/* its removal, seen by the watch, cancels nothing now */
	if (!keep && unlink(rw->path) < 0 && errno != ENOENT)
		log_warn("reload_time_file %s: cannot remove it: %s", rw->path,
		    strerror(errno));
	if (!sv->stopping && reload_request(sv, "reload_time_file", NULL,
	    NULL) < 0)
		log_err("reload (reload_time_file): cannot start it; still "
		    "running configuration generation %u",
		    sv->cfg->generation);
	if (keep)	/* the same time tomorrow */
		watch_read(rw);
}

static void
watch_event(struct reload_watch *rw, const struct inotify_event *e)
{
	if (e->mask & IN_Q_OVERFLOW) {	/* events lost: read it again */
		watch_read(rw);
		return;
	}
	if (e->wd != rw->wd)
		return;
	if (e->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT |
	    IN_IGNORED)) {
		cancel(rw, "its directory is gone");
		log_warn("reload_time_file %s: its directory was removed or "
		    "moved; no reload will be scheduled from it until vigild "
		    "reloads or restarts", rw->path);
		if (e->mask & IN_MOVE_SELF)
			inotify_rm_watch(rw->fd, rw->wd);
		watch_close(rw);
		return;
	}
	if (e->len == 0 || strcmp(e->name, rw->name) != 0)
		return;
	if (e->mask & (IN_DELETE | IN_MOVED_FROM))
		cancel(rw, "the file was removed");
	else if (e->mask & (IN_CLOSE_WRITE | IN_MOVED_TO))
		watch_read(rw);
}

static void
watch_ready(evutil_socket_t fd, short what, void *arg)
{
	struct reload_watch *rw = arg;
	char buf[4096] __attribute__((aligned(__alignof__(
	    struct inotify_event))));
	const struct inotify_event *e;
	ssize_t n;

	(void)what;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n; p += sizeof(*e) + e->len) {
			e = (const struct inotify_event *)(void *)p;
			watch_event(rw, e);
			if (rw->fd < 0)	/* closed by it */
				return;
		}
	}
	if (n < 0 && errno != EAGAIN && errno != EINTR)
		log_warn("reload_time_file %s: reading its watch: %s",
		    rw->path, strerror(errno));
}

/* Watch path's directory, then read path. */
static void
watch_open(struct reload_watch *rw)
{
	char dir[PATH_MAX];
	size_t dlen = (size_t)(rw->name - rw->path) - 1;

	snprintf(dir, sizeof(dir), "%.*s", (int)(dlen > 0 ? dlen : 1),
	    rw->path);
	if ((rw->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0 ||
	    (rw->wd = inotify_add_watch(rw->fd, dir, IN_CLOSE_WRITE |
	    IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_DELETE_SELF |
	    IN_MOVE_SELF | IN_ONLYDIR)) < 0 ||
	    (rw->ev = event_new(rw->sv->base, rw->fd, EV_READ | EV_PERSIST,
	    watch_ready, rw)) == NULL || event_add(rw->ev, NULL) < 0) {
		log_warn("reload_time_file %s: cannot watch %s: %s; no reload "
		    "will be scheduled from it until vigild reloads or "
		    "restarts", rw->path, dir, strerror(errno));
		watch_close(rw);
		return;
	}
	watch_read(rw);
}

static void
watch_free(struct reload_watch *rw)
{
	if (rw == NULL)
		return;
	watch_close(rw);
	loop_timer_free(rw->timer);
	free(rw->path);
	free(rw);
}

void
reload_watch_configure(struct supervisor *sv)
{
	const struct global_conf *g = sv->cfg->conf[CONF_OWNER_GLOBAL];
	const char *want = g != NULL ? g->reload_time_file : NULL;
	struct reload_watch *rw = sv->rwatch;
	char why[PATH_MAX + 64];

	if (sv->stopping) {
		/* a reload whose parts were sent ends after the stop freed
		 * the watch: no reload comes now, the file keeps its entry */
		if (want != NULL)
			log_info("reload_time_file %s: not watched again: "
			    "vigild is stopping", want);
		return;
	}
	if (rw != NULL && want != NULL && strcmp(rw->path, want) == 0 &&
	    rw->fd >= 0)
		return;		/* watched as it was */
	if (rw != NULL) {
		if (want == NULL)
			snprintf(why, sizeof(why), "reload_time_file removed");
		else if (strcmp(rw->path, want) != 0)
			snprintf(why, sizeof(why), "reload_time_file is now %s",
			    want);
		else
			snprintf(why, sizeof(why), "watched again");
		cancel(rw, why);
		if (rw->fd >= 0)
			log_info("reload_time_file %s: no longer watched (%s)",
			    rw->path, why);
		watch_free(rw);
		sv->rwatch = NULL;
	}
	if (want == NULL)
		return;
	if ((rw = calloc(1, sizeof(*rw))) == NULL ||
	    (rw->path = strdup(want)) == NULL ||
	    (rw->timer = loop_timer_new(sv->base, due, rw)) == NULL) {
		log_err("reload_time_file %s: out of memory; not watched",
		    want);
		if (rw != NULL) {
			free(rw->path);
			free(rw);
		}
		return;
	}
	rw->sv = sv;
	rw->fd = -1;
	rw->wd = -1;
	rw->name = strrchr(rw->path, '/') + 1;	/* an absolute path */
	sv->rwatch = rw;
	if (rw->name[0] == '\0') {
		log_warn("reload_time_file %s: names a directory, not a file; "
		    "not watched", rw->path);
		return;
	}
	watch_open(rw);
}

void
reload_watch_free(struct supervisor *sv)
{
	watch_free(sv->rwatch);
	sv->rwatch = NULL;
}
