/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "autoconfig.h"

#include "notify.h"

#include <stdint.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

void
notify_ready(unsigned generation)
{
#ifdef HAVE_SYSTEMD
	sd_notifyf(0, "READY=1\nMAINPID=%d\nSTATUS=running configuration "
	    "generation %u", (int)getpid(), generation);
#else
	(void)generation;
#endif
}

void
notify_reloading(void)
{
#ifdef HAVE_SYSTEMD
	struct timespec ts;

	/* MONOTONIC_USEC: what Type=notify-reload (systemd 253) wants
	 * beside RELOADING=1; older managers ignore it */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000);
#endif
}

void
notify_stopping(void)
{
#ifdef HAVE_SYSTEMD
	sd_notify(0, "STOPPING=1\nSTATUS=stopping");
#endif
}

uint64_t
notify_watchdog_usec(void)
{
#ifdef HAVE_SYSTEMD
	uint64_t usec = 0;

	/* WatchdogSec= in the unit, meant for this process (WATCHDOG_PID) */
	if (sd_watchdog_enabled(0, &usec) > 0)
		return usec;
#endif
	return 0;
}

void
notify_watchdog(void)
{
#ifdef HAVE_SYSTEMD
	sd_notify(0, "WATCHDOG=1");
#endif
}
