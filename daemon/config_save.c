/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config_save_dir: a copy of every configuration the parent loads (at the
 * start and at each reload), as keepalived 2.2.7 keeps one: DIR/
 * keepalived.conf.PID.N, PID vigild's, N counting the loads from 0. The
 * copy holds each file read, in the order read (an included file after
 * the line including it), between a line "# FILE" and a line "!". The
 * text is taken while the files are read (conf_load_opts.copy, into
 * memory), so the copy is what was loaded even when a file changes
 * afterwards. The directory is made (mode 0700) when missing.
 */
#include "autoconfig.h"

#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "global_conf.h"
#include "log.h"
#include "vconfig.h"

FILE *
config_save_begin(void)
{
	int fd = memfd_create("vigil-config-copy", MFD_CLOEXEC);
	FILE *fp;

	if (fd < 0)
		return NULL;
	if ((fp = fdopen(fd, "w+")) == NULL)
		close(fd);
	return fp;
}

static int
save_dir_ready(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		log_err("config_save_dir %s exists and is not a directory",
		    dir);
		return -1;
	}
	if (errno != ENOENT || mkdir(dir, S_IRWXU) < 0) {
		log_err("config_save_dir %s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

void
config_save_end(FILE *copy, const struct vigil_config *c)
{
	static unsigned num;
	const struct global_conf *g = c != NULL ?
	    c->conf[CONF_OWNER_GLOBAL] : NULL;
	char path[4096], buf[65536];
	ssize_t n = 0;
	int fd;

	if (copy == NULL)
		return;
	if (g == NULL || g->config_save_dir == NULL ||
	    save_dir_ready(g->config_save_dir) < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/keepalived.conf.%ld.%u",
	    g->config_save_dir, (long)getpid(), num++);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    S_IRUSR | S_IWUSR);
	if (fd < 0) {
		log_err("config_save_dir: cannot create %s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (fflush(copy) != 0 || lseek(fileno(copy), 0, SEEK_SET) < 0)
		n = -1;
	while (n == 0 && (n = read(fileno(copy), buf, sizeof(buf))) > 0)
		n = write(fd, buf, (size_t)n) == n ? 0 : -1;
	if (close(fd) < 0 || n < 0)
		log_err("config_save_dir: cannot write %s: %s", path,
		    strerror(errno));
	else
		log_info("config_save_dir: the configuration loaded is saved "
		    "as %s", path);
out:
	fclose(copy);
}
