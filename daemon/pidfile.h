/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VIGIL_PIDFILE_H
#define VIGIL_PIDFILE_H

#include <sys/types.h>

#define VIGIL_PID_DIR "/run"
#define VIGIL_PID_PARENT VIGIL_PID_DIR "/vigild.pid"
#define VIGIL_PID_VRRP VIGIL_PID_DIR "/vigild-vrrp.pid"
#define VIGIL_PID_CHECK VIGIL_PID_DIR "/vigild-checkers.pid"

/* pid of a live process named in path, else 0. */
pid_t pidfile_running(const char *path);
/* Write pid atomically (temp file + rename). 0 or -1 with errno. */
int pidfile_write(const char *path, pid_t pid);
void pidfile_remove(const char *path);

#endif
