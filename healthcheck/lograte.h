/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A bound on the checker child's per-object log lines. Transitions of
 * checks, real servers and virtual servers (quorum, sorry server) and
 * changes to the desired table are logged
 * one by one up to CHK_LOG_BURST lines a second; past that they are
 * counted, and once the second is over one summary line says how many
 * were left out ("... and 99,800 more real server(s) went down"). A
 * burst of 100,000 real servers failing at once stays a few hundred
 * lines: the loop and whatever reads the log keep up. The state dump
 * always shows every object.
 */
#ifndef VIGIL_CHK_LOGRATE_H
#define VIGIL_CHK_LOGRATE_H

struct event_base;

#define CHK_LOG_BURST 300

enum chk_log_what {
	CHK_LOG_RS_DOWN,	/* a real server went down */
	CHK_LOG_RS_UP,		/* a real server came up */
	CHK_LOG_CHECK,		/* a check's own line (failure, success) */
	CHK_LOG_DESIRED,	/* a change to the desired table */
	CHK_LOG_RELOAD,		/* a real server changed by a reload */
	CHK_LOG_VS,		/* a virtual server's quorum or sorry
				 * server changed */
	CHK_LOG_NWHAT
};

/* Summary lines need a timer on base; call once the loop exists. */
void chk_log_rate_init(struct event_base *base);
void chk_log_rate_free(void);
/* 1: log this line now; 0: it is counted for the summary. */
int chk_log_allow(enum chk_log_what what);
/* Log the summary of what was left out now (stop, dump). */
void chk_log_rate_flush(void);

#endif
