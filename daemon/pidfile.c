/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "autoconfig.h"

#include "pidfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

pid_t
pidfile_running(const char *path)
{
	char buf[32];
	ssize_t n;
	long v;
	char *end;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno != 0 || end == buf || v <= 1 || v > INT_MAX)
		return 0;
	if ((pid_t)v == getpid())
		return 0;
	if (kill((pid_t)v, 0) < 0 && errno == ESRCH)
		return 0;
	return (pid_t)v;
}

int
pidfile_write(const char *path, pid_t pid)
{
	char tmp[PATH_MAX];
	char buf[32];
	int fd, len, saved, ok;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	len = snprintf(buf, sizeof(buf), "%d\n", (int)pid);
	ok = fchmod(fd, 0644) == 0 && write(fd, buf, (size_t)len) == len;
	if (close(fd) < 0)
		ok = 0;
	if (!ok || rename(tmp, path) < 0) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		return -1;
	}
	return 0;
}

void
pidfile_remove(const char *path)
{
	if (path != NULL)
		unlink(path);
}
