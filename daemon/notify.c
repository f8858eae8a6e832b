/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "autoconfig.h"

#include "notify.h"

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
	sd_notify(0, "RELOADING=1");
#endif
}

void
notify_stopping(void)
{
#ifdef HAVE_SYSTEMD
	sd_notify(0, "STOPPING=1");
#endif
}
