/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pid files. vigild locks (flock) its own pid file and those of the
 * children it may run for as long as it runs, so a second vigild given
 * any of the same files is refused, even in a race, and a stale file left
 * by a killed vigild (whose pid may since belong to another process) is
 * taken over. A child's pid file holds the child's pid while the child
 * runs and is empty while it does not. A file is only ever removed by the
 * vigild holding its lock, just before it lets go of it.
 */
#ifndef VIGIL_PIDFILE_H
#define VIGIL_PIDFILE_H

#include <stddef.h>
#include <sys/types.h>

#define VIGIL_PID_DIR "/run"
#define VIGIL_PID_PARENT VIGIL_PID_DIR "/vigild.pid"
/* use_pid_dir's (and an instance name's), as keepalived's /run/keepalived */
#define VIGIL_PID_SUBDIR VIGIL_PID_DIR "/vigil"

/* The parent's, then one per child (the subsystems' table says which). */
#define PIDFILE_PARENT 0
#define PIDFILE_MAX 9

/* The pid files of one vigild. */
struct pidfiles {
	char who[PIDFILE_MAX][32];	/* "parent", "vrrp child", ... */
	const char *path[PIDFILE_MAX];	/* NULL: not used by this vigild */
	int fd[PIDFILE_MAX];		/* locked, or -1 */
	unsigned n;
};

/*
 * Open (create, 0644) and lock path; make sure the lock is on the file
 * path names now (not on one its previous owner removed meanwhile).
 * Returns the descriptor to keep open while running, or -1 with errno;
 * EWOULDBLOCK means another process holds it, and *holder is then the
 * pid it holds (0 if empty or unreadable).
 */
int pidfile_lock(const char *path, pid_t *holder);
/* Replace the content of the locked file with pid. 0 or -1 with errno. */
int pidfile_store(int fd, pid_t pid);

/* No path, no descriptor. */
void pidfiles_init(struct pidfiles *pf);
/* One more file (the parent's first), named who in messages. 0 or -1. */
int pidfiles_add(struct pidfiles *pf, const char *who, const char *path);
/*
 * Lock every file with a path, emptied. 0, or -1 with a message in err
 * (a file locked by another vigild, or by this one under another name,
 * or a system error): then nothing stays locked and the files this call
 * locked are removed.
 */
int pidfiles_lock(struct pidfiles *pf, char *err, size_t errlen);
/* Write pid into the locked file named path (one of pf's paths).
 * 0, or -1 with errno (ENOENT: path is not one of them). */
int pidfiles_store(struct pidfiles *pf, const char *path, pid_t pid);
/* Empty the locked file named path: its process no longer runs. */
int pidfiles_clear(struct pidfiles *pf, const char *path);
/* Remove every locked file while still holding its lock, then unlock. */
void pidfiles_release(struct pidfiles *pf);

/* A file beside the parent's pid file: its path with ext for .pid
 * (/run/vigild.pid, ".ctl" -> /run/vigild.ctl), so that two vigilds
 * with their own pid files get their own. malloc'd; NULL when out of
 * memory. */
char *pidfile_sibling(const char *pid_file, const char *ext);

/* VIGIL_PID_SUBDIR/BASE.pid, or BASE_INSTANCE.pid (a '/' in the instance
 * name becomes '_'), into buf; under net_namespace NETNS in
 * VIGIL_PID_SUBDIR/NETNS/ (keepalived's /run/keepalived/NETNS). 0, or -1
 * when it does not fit. */
int pidfile_dir_name(char *buf, size_t len, const char *base,
    const char *instance, const char *netns);
/* Make VIGIL_PID_SUBDIR, and VIGIL_PID_SUBDIR/NETNS with netns
 * (rwxr-xr-x whatever the umask): 1 the last made (3: both), 0 there
 * already, -1 with errno. */
int pidfile_dir_make(const char *netns);
/* Remove what pidfile_dir_make made (made: its return) if empty (another
 * vigild's files may be there): 0, or -1 with errno. */
int pidfile_dir_remove(const char *netns, int made);

#endif
