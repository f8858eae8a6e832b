/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Service manager notifications (systemd Type=notify); no-ops without
 * libsystemd or when not started by systemd. */
#ifndef VIGIL_NOTIFY_H
#define VIGIL_NOTIFY_H

#include <stdint.h>

void notify_ready(unsigned generation);
/* RELOADING=1 (with MONOTONIC_USEC); notify_ready() ends the reload. */
void notify_reloading(void);
void notify_stopping(void);
/* The service manager's watchdog interval for this process (WatchdogSec=,
 * WATCHDOG_USEC and WATCHDOG_PID), or 0: none. */
uint64_t notify_watchdog_usec(void);
/* WATCHDOG=1: the parent's loop is turning. */
void notify_watchdog(void);

#endif
