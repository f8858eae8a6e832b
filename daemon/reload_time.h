/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * global_defs' reload_time_file (keepalived's reload monitor): a reload
 * at the time the file's first line gives. reload_time.c reads that
 * line; reload_watch.c watches the file (inotify on its directory) from
 * the parent's loop and runs the reload when the time comes.
 */
#ifndef VIGIL_RELOAD_TIME_H
#define VIGIL_RELOAD_TIME_H

#include <stddef.h>
#include <time.h>

struct supervisor;

/* The longest entry: "YYYY-MM-DD HH:MM:SSZ". */
#define RELOAD_TIME_MAX 20

struct reload_time {
	time_t when;	/* the reload's time */
	int dated;	/* a date was given; else a time of day */
};

/*
 * Read text (the first line, without its newline) against now. The
 * formats are exactly HH:MM:SS, YY-MM-DD HH:MM:SS and YYYY-MM-DD
 * HH:MM:SS, each with an optional Z at the end for UTC (else local
 * time); YY is 2000-2068 for 00-68, 1969-1999 for 69-99. A time of day
 * not after now is tomorrow's (so a reload_repeat entry reloads daily),
 * and the day after's on a day a daylight saving change skips it; a
 * dated one not after now, or skipped, is refused. In an hour the change
 * repeats the time is the first of the two. 0, or -1 with why saying
 * what is wrong.
 */
int reload_time_parse(const char *text, time_t now, struct reload_time *rt,
    char *why, size_t len);
/* t as "YYYY-MM-DD HH:MM:SS" in local time. */
const char *reload_time_str(time_t t, char *buf, size_t len);

/*
 * Follow the running configuration's reload_time_file (at the start and
 * after each reload): a new path is watched and read now, the old one no
 * longer (its scheduled reload cancelled); the same path, still watched,
 * stays as it is; nothing once vigild is stopping. A failure is logged
 * and vigild runs on.
 */
void reload_watch_configure(struct supervisor *sv);
void reload_watch_free(struct supervisor *sv);

#endif
