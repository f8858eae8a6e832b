/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bound on the checker child's per-object log lines
 * (healthcheck/lograte.h): a budget of lines per second of the monotonic
 * clock, a count of what went past it, one summary line when the second
 * is over. One per process: the checker child has one loop and one log.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "healthcheck/lograte.h"
#include "log.h"
#include "loop.h"

static struct {
	struct event *tick;
	uint64_t second;		/* the window: monotonic seconds */
	unsigned used;			/* lines logged in it */
	unsigned long long left[CHK_LOG_NWHAT];	/* counted, not logged */
} lr;

/* 99800 -> "99,800" */
static const char *
lr_num(unsigned long long n, char *buf, size_t len)
{
	char d[32];
	size_t nd, o = 0;

	nd = (size_t)snprintf(d, sizeof(d), "%llu", n);
	for (size_t i = 0; i < nd && o + 2 < len; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = d[i];
	}
	buf[o] = '\0';
	return buf;
}

void
chk_log_rate_flush(void)
{
	static const char *what[CHK_LOG_NWHAT] = {
		[CHK_LOG_RS_DOWN] = "real server(s) went down",
		[CHK_LOG_RS_UP] = "real server(s) came up",
		[CHK_LOG_CHECK] = "check result(s)",
		[CHK_LOG_DESIRED] = "desired table change(s)",
		[CHK_LOG_RELOAD] = "real server(s) changed by the reload",
		[CHK_LOG_VS] =
		    "virtual server quorum or sorry server change(s)",
	};
	char line[512], num[32];
	size_t o = 0;

	line[0] = '\0';
	for (unsigned i = 0; i < CHK_LOG_NWHAT; i++) {
		if (lr.left[i] == 0)
			continue;
		o += (size_t)snprintf(line + o, sizeof(line) - o, "%s%s more %s",
		    o > 0 ? ", " : "", lr_num(lr.left[i], num, sizeof(num)),
		    what[i]);
		if (o >= sizeof(line))
			break;
		lr.left[i] = 0;
	}
	if (line[0] != '\0')
		log_notice("... and %s (at most %u such lines a second are "
		    "logged; the state dump shows every object)", line,
		    CHK_LOG_BURST);
}

static void
lr_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	chk_log_rate_flush();
}

void
chk_log_rate_init(struct event_base *base)
{
	if (lr.tick != NULL)
		return;
	lr.tick = event_new(base, -1, 0, lr_tick, NULL);
}

void
chk_log_rate_free(void)
{
	chk_log_rate_flush();
	if (lr.tick != NULL)
		event_free(lr.tick);
	memset(&lr, 0, sizeof(lr));
}

int
chk_log_allow(enum chk_log_what what)
{
	uint64_t now = loop_now_usec(), sec = now / 1000000;
	struct timeval tv;

	if (sec != lr.second) {
		lr.second = sec;
		lr.used = 0;
	}
	if (lr.used < CHK_LOG_BURST) {
		lr.used++;
		return 1;
	}
	lr.left[what]++;
	if (lr.tick != NULL && !event_pending(lr.tick, EV_TIMEOUT, NULL)) {
		/* the summary when this second is over */
		tv = loop_tv((sec + 1) * 1000000 - now);
		event_add(lr.tick, &tv);
	}
	return 0;
}
