/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "autoconfig.h"

#include "pidfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* tries to lock a file whose previous owner keeps removing it */
#define LOCK_TRIES 5

static pid_t
pidfile_read(int fd)
{
	char buf[32];
	ssize_t n;
	long v;
	char *end;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno != 0 || end == buf || v <= 0 || v > INT_MAX)
		return 0;
	return (pid_t)v;
}

static int
same_file(int fd, const struct stat *st)
{
	struct stat fs;

	return fstat(fd, &fs) == 0 && fs.st_dev == st->st_dev &&
	    fs.st_ino == st->st_ino;
}

int
pidfile_lock(const char *path, pid_t *holder)
{
	struct stat st;
	int fd, saved, tries;

	*holder = 0;
	for (tries = 0; tries < LOCK_TRIES; tries++) {
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd < 0)
			return -1;
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			saved = errno;
			if (saved == EWOULDBLOCK)
				*holder = pidfile_read(fd);
			close(fd);
			errno = saved;
			return -1;
		}
		/* its owner may have removed it between our open and flock
		 * (and another vigild made a new one): lock what path names */
		if (stat(path, &st) == 0 && same_file(fd, &st))
			return fd;
		close(fd);
	}
	errno = EAGAIN;
	return -1;
}

int
pidfile_store(int fd, pid_t pid)
{
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%d\n", (int)pid);

	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)len, 0) != len)
		return -1;
	return 0;
}

void
pidfiles_init(struct pidfiles *pf)
{
	for (int i = 0; i < PIDFILE_MAX; i++) {
		pf->who[i][0] = '\0';
		pf->path[i] = NULL;
		pf->fd[i] = -1;
	}
	pf->n = 0;
}

int
pidfiles_add(struct pidfiles *pf, const char *who, const char *path)
{
	if (pf->n == PIDFILE_MAX)
		return -1;
	snprintf(pf->who[pf->n], sizeof(pf->who[0]), "%s", who);
	pf->path[pf->n++] = path;
	return 0;
}

/* Which of pf's locked files is the one at path (another name of it)? */
static int
locked_alias(const struct pidfiles *pf, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -1;
	for (int i = 0; i < PIDFILE_MAX; i++)
		if (pf->fd[i] >= 0 && same_file(pf->fd[i], &st))
			return i;
	return -1;
}

int
pidfiles_lock(struct pidfiles *pf, char *err, size_t errlen)
{
	pid_t holder;
	int i, alias;

	for (i = 0; i < PIDFILE_MAX; i++) {
		if (pf->path[i] == NULL)
			continue;
		pf->fd[i] = pidfile_lock(pf->path[i], &holder);
		if (pf->fd[i] >= 0 && ftruncate(pf->fd[i], 0) == 0)
			continue;
		if (pf->fd[i] >= 0) {
			snprintf(err, errlen, "cannot empty the %s pid file "
			    "%s: %s", pf->who[i], pf->path[i], strerror(errno));
		} else if (errno == EWOULDBLOCK &&
		    (alias = locked_alias(pf, pf->path[i])) >= 0) {
			snprintf(err, errlen, "the %s pid file %s is the %s "
			    "pid file %s: give each its own file", pf->who[i],
			    pf->path[i], pf->who[alias], pf->path[alias]);
		} else if (errno == EWOULDBLOCK && i == PIDFILE_PARENT) {
			snprintf(err, errlen, "vigild is already running "
			    "(pid %d, %s)", (int)holder, pf->path[i]);
		} else if (errno == EWOULDBLOCK && holder > 0) {
			snprintf(err, errlen, "the %s pid file %s is in use "
			    "by another vigild (it holds pid %d)", pf->who[i],
			    pf->path[i], (int)holder);
		} else if (errno == EWOULDBLOCK) {
			snprintf(err, errlen, "the %s pid file %s is in use "
			    "by another vigild", pf->who[i], pf->path[i]);
		} else {
			snprintf(err, errlen, "cannot lock the %s pid file "
			    "%s: %s", pf->who[i], pf->path[i], strerror(errno));
		}
		pidfiles_release(pf);
		return -1;
	}
	return 0;
}

static int
find(const struct pidfiles *pf, const char *path)
{
	for (int i = 0; path != NULL && i < PIDFILE_MAX; i++)
		if (pf->fd[i] >= 0 && pf->path[i] != NULL &&
		    strcmp(pf->path[i], path) == 0)
			return i;
	errno = ENOENT;
	return -1;
}

int
pidfiles_store(struct pidfiles *pf, const char *path, pid_t pid)
{
	int i = find(pf, path);

	return i < 0 ? -1 : pidfile_store(pf->fd[i], pid);
}

int
pidfiles_clear(struct pidfiles *pf, const char *path)
{
	int i = find(pf, path);

	return i < 0 ? -1 : ftruncate(pf->fd[i], 0);
}

void
pidfiles_release(struct pidfiles *pf)
{
	struct stat st;

	for (int i = 0; i < PIDFILE_MAX; i++) {
		if (pf->fd[i] < 0)
			continue;
		/* still ours while locked; and only if the path still names
		 * it (not a file someone put in its place) */
		if (stat(pf->path[i], &st) == 0 && same_file(pf->fd[i], &st))
			unlink(pf->path[i]);
		close(pf->fd[i]);
		pf->fd[i] = -1;
	}
}


char *
pidfile_sibling(const char *pid_file, const char *ext)
{
	size_t n = strlen(pid_file);
	char *p;

	if (n > 4 && strcmp(pid_file + n - 4, ".pid") == 0)
		n -= 4;
	if (asprintf(&p, "%.*s%s", (int)n, pid_file, ext) < 0)
		return NULL;
	return p;
}

int
pidfile_dir_name(char *buf, size_t len, const char *base,
    const char *instance, const char *netns)
{
	size_t dir;
	int n;

	n = snprintf(buf, len, "%s%s%s/", VIGIL_PID_SUBDIR,
	    netns != NULL ? "/" : "", netns != NULL ? netns : "");
	if (n < 0 || (size_t)n >= len)
		return -1;
	dir = (size_t)n;
	if (instance == NULL)
		n = snprintf(buf + dir, len - dir, "%s.pid", base);
	else
		n = snprintf(buf + dir, len - dir, "%s_%s.pid", base, instance);
	if (n < 0 || (size_t)n >= len - dir)
		return -1;
	if (instance != NULL)
		for (char *p = buf + dir; *p != '\0'; p++)
			if (*p == '/')
				*p = '_';
	return 0;
}

static int
dir_make(const char *path)
{
	if (mkdir(path, 0755) == 0) {
		/* the umask took its share */
		(void)chmod(path, 0755);
		return 1;
	}
	return errno == EEXIST ? 0 : -1;
}

int
pidfile_dir_make(const char *netns)
{
	char path[PATH_MAX];
	int r = dir_make(VIGIL_PID_SUBDIR), n;

	if (r < 0 || netns == NULL)
		return r;
	if (snprintf(path, sizeof(path), "%s/%s", VIGIL_PID_SUBDIR, netns) >=
	    (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	n = dir_make(path);
	return n < 0 ? -1 : n == 1 && r == 1 ? 3 : n;
}

static int
dir_remove(const char *path)
{
	if (rmdir(path) < 0 && errno != ENOTEMPTY &&
	    errno != EEXIST && errno != EBUSY && errno != ENOENT)
		return -1;
	return 0;
}

int
pidfile_dir_remove(const char *netns, int made)
{
	char path[PATH_MAX];

	if (netns == NULL)
		return made >= 1 ? dir_remove(VIGIL_PID_SUBDIR) : 0;
	snprintf(path, sizeof(path), "%s/%s", VIGIL_PID_SUBDIR, netns);
	if (made >= 1 && dir_remove(path) < 0)
		return -1;
	return made == 3 ? dir_remove(VIGIL_PID_SUBDIR) : 0;
}
