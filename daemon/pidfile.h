/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pid files. The parent's is locked (flock) for as long as vigild runs, so
 * a second vigild is refused even in a race, and a stale file left by a
 * killed vigild (whose pid may since belong to another process) is taken
 * over. The children's are plain files written by the parent.
 */
#ifndef VIGIL_PIDFILE_H
#define VIGIL_PIDFILE_H

#include <sys/types.h>

#define VIGIL_PID_DIR "/run"
#define VIGIL_PID_PARENT VIGIL_PID_DIR "/vigild.pid"
#define VIGIL_PID_VRRP VIGIL_PID_DIR "/vigild-vrrp.pid"
#define VIGIL_PID_CHECK VIGIL_PID_DIR "/vigild-checkers.pid"

/*
 * Open (create, 0644) and lock path. Returns the descriptor to keep open
 * while running, or -1 with errno; EWOULDBLOCK means another vigild holds
 * it, and *holder is then the pid it wrote (0 if unreadable).
 */
int pidfile_lock(const char *path, pid_t *holder);
/* Replace the content of the locked file with pid. 0 or -1 with errno. */
int pidfile_store(int fd, pid_t pid);
/* Write pid to path atomically (temp file + rename). 0 or -1 with errno. */
int pidfile_write(const char *path, pid_t pid);
void pidfile_remove(const char *path);

#endif
