/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging to syslog and/or stderr. One fixed-size line buffer per call:
 * a long message is truncated, never allocated. Usable before log_init()
 * (defaults to stderr, ident "vigil").
 *
 * Syslog is spoken directly on a non-blocking datagram socket to /dev/log:
 * a syslog daemon that stalls must never stall an event loop (a VRRP
 * child missing adverts). Messages that cannot be sent are counted and
 * the count is logged once the socket takes messages again. The same
 * holds for stderr when it is a socket (journald) or a pipe: a reader
 * that stalls costs lines, counted, never a stalled loop (a checker child
 * logging a burst of failures). A file or a terminal is written as is.
 */
#include "log.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define LOG_LINE_MAX 2048

struct log_state {
	char ident[64];
	char role[32];
	unsigned flags;
	int facility;
	int detail;
	int syslog_fd;			/* -1: not connected */
	time_t syslog_retry;		/* next connect attempt */
	unsigned long dropped;		/* messages syslog did not take */
	int err_fd;			/* stderr as lines are written */
	int err_sock;			/* 1: send(MSG_DONTWAIT) */
	unsigned long err_dropped;	/* lines stderr did not take */
	char syslog_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static struct log_state lg = {
	.ident = "vigil",
	.flags = LOG_F_STDERR,
	.facility = LOG_DAEMON,
	.syslog_fd = -1,
	.err_fd = STDERR_FILENO,
	.syslog_path = "/dev/log",
};

/* log_capture(): this thread's lines, when set */
static _Thread_local log_sink_fn *sink;
static _Thread_local void *sink_arg;

void
log_capture(log_sink_fn *fn, void *arg)
{
	sink = fn;
	sink_arg = arg;
}

static void
log_copy(char *dst, size_t size, const char *src)
{
	size_t n;

	if (src == NULL)
		src = "";
	n = strlen(src);
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
syslog_close(void)
{
	if (lg.syslog_fd >= 0)
		close(lg.syslog_fd);
	lg.syslog_fd = -1;
}

/* Connect to the syslog socket; retried at most once a second. */
static void
syslog_connect(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	time_t now = time(NULL);
	int fd;

	if (lg.syslog_fd >= 0 || now < lg.syslog_retry)
		return;
	lg.syslog_retry = now + 1;
	memcpy(sun.sun_path, lg.syslog_path, sizeof(sun.sun_path));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		close(fd);
		return;
	}
	lg.syslog_fd = fd;
}

/* 0 if the datagram was taken. */
static int
syslog_send_line(int prio, const char *msg)
{
	char line[LOG_LINE_MAX + 256];
	char stamp[32];
	struct tm tm;
	time_t now = time(NULL);
	int n;

	if (localtime_r(&now, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm) == 0)
		stamp[0] = '\0';
	n = snprintf(line, sizeof(line), "<%d>%s %s[%ld]: %s%s%s",
	    lg.facility | LOG_PRI(prio), stamp, lg.ident, (long)getpid(),
	    lg.role, lg.role[0] ? ": " : "", msg);
	if (n < 0)
		return -1;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (send(lg.syslog_fd, line, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL) ==
	    n)
		return 0;
	if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOBUFS &&
	    errno != EINTR)
		syslog_close();	/* the daemon went away: reconnect later */
	return -1;
}

static void
log_syslog(int prio, const char *msg)
{
	char note[96];

	syslog_connect();
	if (lg.syslog_fd < 0) {
		lg.dropped++;
		return;
	}
	if (lg.dropped > 0) {
		snprintf(note, sizeof(note), "%lu log message(s) dropped: "
		    "syslog was not taking them", lg.dropped);
		if (syslog_send_line(LOG_WARNING, note) < 0) {
			lg.dropped++;
			return;
		}
		lg.dropped = 0;
	}
	if (syslog_send_line(prio, msg) < 0)
		lg.dropped++;
}

static void
log_open_syslog(void)
{
	syslog_close();
	lg.syslog_retry = 0;
	if (lg.flags & LOG_F_SYSLOG)
		syslog_connect();
}

void
log_set_syslog_path(const char *path)
{
	log_copy(lg.syslog_path, sizeof(lg.syslog_path), path);
	log_open_syslog();
}

/*
 * stderr without blocking: a socket takes send(MSG_DONTWAIT); a pipe is
 * opened again through /proc for an open file of our own marked
 * O_NONBLOCK (the one we inherited is shared: marking it would change it
 * for the parent too). Anything else is written as is.
 */
static void
log_open_stderr(void)
{
	struct stat st;
	int fd;

	if (lg.err_fd != STDERR_FILENO)
		close(lg.err_fd);
	lg.err_fd = STDERR_FILENO;
	lg.err_sock = 0;
	if (!(lg.flags & LOG_F_STDERR) || fstat(STDERR_FILENO, &st) < 0)
		return;
	if (S_ISSOCK(st.st_mode)) {
		lg.err_sock = 1;
	} else if (S_ISFIFO(st.st_mode)) {
		fd = open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK |
		    O_CLOEXEC);
		if (fd >= 0)
			lg.err_fd = fd;
	}
}

void
log_init(const char *ident, unsigned flags, int facility, int detail)
{
	log_copy(lg.ident, sizeof(lg.ident), ident ? ident : "vigil");
	lg.flags = flags & (LOG_F_SYSLOG | LOG_F_STDERR);
	lg.facility = facility;
	lg.detail = detail;
	log_open_syslog();
	log_open_stderr();
}

void
log_set_role(const char *role)
{
	log_copy(lg.role, sizeof(lg.role), role);
}

void
log_reopen(void)
{
	log_open_syslog();
}

int
log_detail(void)
{
	return lg.detail;
}

/* Control characters (a newline in a hostile reply) would forge lines. */
static void
log_sanitize(char *s)
{
	for (; *s != '\0'; s++) {
		if (iscntrl((unsigned char)*s))
			*s = *s == '\t' ? ' ' : '?';
	}
}

/* 0 if the line was taken whole. */
static int
log_stderr_write(const char *line, size_t n)
{
	ssize_t w;

	do {
		w = lg.err_sock ? send(lg.err_fd, line, n, MSG_DONTWAIT |
		    MSG_NOSIGNAL) : write(lg.err_fd, line, n);
	} while (w < 0 && errno == EINTR);
	return w == (ssize_t)n ? 0 : -1;
}

static void
log_stderr(const char *msg)
{
	char line[LOG_LINE_MAX + 256];
	struct timespec ts;
	struct tm tm;
	char stamp[32];
	int n;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (localtime_r(&ts.tv_sec, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm) == 0)
		stamp[0] = '\0';
	n = snprintf(line, sizeof(line), "%s.%03ld %s[%ld]: %s%s%s\n", stamp,
	    ts.tv_nsec / 1000000L, lg.ident, (long)getpid(), lg.role,
	    lg.role[0] ? ": " : "", msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	/* One write per line so lines of several processes do not mix. */
	if (lg.err_dropped > 0) {
		char note[128];
		int m = snprintf(note, sizeof(note), "%s[%ld]: %s%s%lu log "
		    "line(s) dropped: stderr was not taking them\n",
		    lg.ident, (long)getpid(), lg.role, lg.role[0] ? ": " : "",
		    lg.err_dropped);

		if (m <= 0 || (size_t)m >= sizeof(note) ||
		    log_stderr_write(note, (size_t)m) < 0) {
			lg.err_dropped++;
			return;
		}
		lg.err_dropped = 0;
	}
	if (log_stderr_write(line, (size_t)n) < 0)
		lg.err_dropped++;
}

void
log_vmsg(int prio, const char *fmt, va_list ap)
{
	char msg[LOG_LINE_MAX];
	int saved = errno;
	int n;

	if (LOG_PRI(prio) == LOG_DEBUG && lg.detail < 1)
		return;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		log_copy(msg, sizeof(msg), fmt);
	else if ((size_t)n >= sizeof(msg))
		memcpy(msg + sizeof(msg) - 4, "...", 4);
	log_sanitize(msg);

	if (sink != NULL) {
		sink(sink_arg, prio, msg);
		errno = saved;
		return;
	}
	if (lg.flags & LOG_F_SYSLOG)
		log_syslog(prio, msg);
	if (lg.flags & LOG_F_STDERR)
		log_stderr(msg);
	errno = saved;
}

void
log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(prio, fmt, ap);
	va_end(ap);
}

int
log_parse_facility(const char *s)
{
	static const struct {
		const char *name;
		int facility;
	} names[] = {
		{ "daemon", LOG_DAEMON }, { "user", LOG_USER },
		{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
		{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
		{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
		{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
		{ "syslog", LOG_SYSLOG }, { "auth", LOG_AUTH },
		{ "authpriv", LOG_AUTHPRIV }, { "cron", LOG_CRON },
		{ "kern", LOG_KERN },
	};
	static const int locals[] = {
		LOG_LOCAL0, LOG_LOCAL1, LOG_LOCAL2, LOG_LOCAL3,
		LOG_LOCAL4, LOG_LOCAL5, LOG_LOCAL6, LOG_LOCAL7,
	};
	size_t i;

	if (s == NULL)
		return -1;
	if (s[0] >= '0' && s[0] <= '7' && s[1] == '\0')
		return locals[s[0] - '0'];
	if (strncasecmp(s, "LOG_", 4) == 0)
		s += 4;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(s, names[i].name) == 0)
			return names[i].facility;
	}
	return -1;
}
