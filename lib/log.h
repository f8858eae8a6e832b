/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging: syslog by default, stderr with -l (log_console), both with
 * -l plus syslog. Detail levels (-D) add LOG_DEBUG lines.
 * Lines carry the process role ("vigild", "vigild[vrrp]", ...).
 * Logging to syslog never blocks: what syslog does not take at once is
 * dropped, and how many were dropped is logged when it takes them again.
 */
#ifndef VIGIL_LOG_H
#define VIGIL_LOG_H

#include <stdarg.h>
#include <syslog.h>

enum {
	LOG_F_SYSLOG = 1u << 0,
	LOG_F_STDERR = 1u << 1,
};

/* ident: syslog identity and stderr prefix; facility: LOG_DAEMON etc. */
void log_init(const char *ident, unsigned flags, int facility, int detail);
/* A forked child names itself ("vrrp", "checker") in every line. */
void log_set_role(const char *role);
/* Re-open syslog (after a facility change or on request). */
void log_reopen(void);
/* The syslog socket (default /dev/log); for tests. */
void log_set_syslog_path(const char *path);
int log_detail(void);

void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(int prio, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/*
 * The calling thread's lines go to fn instead of syslog and stderr (NULL:
 * back to them), already formatted and sanitized, debug lines only with
 * -D. The parent's reload worker thread (daemon/reload.c) hands its lines
 * to the loop this way, which logs them in order.
 */
typedef void log_sink_fn(void *arg, int prio, const char *msg);
void log_capture(log_sink_fn *fn, void *arg);

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
/* Only with -D (detail >= 1). */
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* Parse a facility name or number as keepalived's -S does: 0-7 -> LOG_LOCALn,
 * or a name (daemon, local0..local7, user). -1 if invalid. */
int log_parse_facility(const char *s);

#endif
