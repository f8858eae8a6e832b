/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reloads parsed off the parent's loop. SIGHUP and vigilctl reload ask
 * for one; a worker thread reads, builds, checks and encodes the new file
 * while the loop keeps answering control clients, scrapes and children
 * (at 100,000 real servers the parse takes seconds on a loaded host).
 * When it is done the loop logs what the parse said and runs the result
 * (supervisor_reload_apply): a rejected file leaves the running
 * generation as it was. Requests during a parse are served by one more
 * parse after it (the file may have changed since it was read).
 */
#ifndef VIGIL_RELOAD_H
#define VIGIL_RELOAD_H

struct supervisor;
struct vigil_config;

/* The outcome: rc 0 (loaded) or -1 (rejected or not started), and the
 * line saying so. */
typedef void reload_done_fn(void *arg, int rc, const char *msg);

int reload_init(struct supervisor *sv);
/* Waits for a parse in progress, then tells every waiter "stopping". */
void reload_fini(struct supervisor *sv);
/*
 * Ask for a reload (cause says who, for the log). fn (may be NULL) is
 * called once, from the loop, with the outcome of a parse that read the
 * file after this call. -1 (fn never called) when none could be started.
 */
int reload_request(struct supervisor *sv, const char *cause,
    reload_done_fn *fn, void *arg);
/* Waiters with this arg are no longer told (a client went away). */
void reload_cancel(struct supervisor *sv, void *arg);
/* 1 while a parse runs. */
int reload_busy(const struct supervisor *sv);

/*
 * global_defs' reload_file of c: created (or emptied) by each reload
 * before the file is read and removed once it is read, at the start only
 * removed. Its path, or without one the parent's pid file's with .reload
 * for .pid (/run/vigild.reload); NULL when c has no reload_file (or out
 * of memory). malloc'd.
 */
char *reload_file_path(const struct vigil_config *c, const char *pid_file);
/* Remove it (path may be NULL); a failure but ENOENT is logged. */
void reload_file_remove(const char *path);
/*
 * c has reload_check_config: the files its reloads read are held to what
 * vigild -t accepts (what the host lacks is an error; the messages also
 * go to its LOG_FILE), and so is c itself at the start.
 */
int reload_check_wanted(const struct vigil_config *c);

#endif
