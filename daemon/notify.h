/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Service manager notifications (systemd Type=notify); no-ops without
 * libsystemd or when not started by systemd. */
#ifndef VIGIL_NOTIFY_H
#define VIGIL_NOTIFY_H

void notify_ready(unsigned generation);
void notify_reloading(void);
void notify_stopping(void);

#endif
