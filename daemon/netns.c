/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net_namespace (netns.h) */
#include "autoconfig.h"

#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "global_conf.h"
#include "log.h"
#include "netns.h"
#include "vconfig.h"

#define NETNS_DIR "/run/netns"

static char *entered;	/* the name entered, NULL: vigild's own */

static const char *
netns_of(const struct vigil_config *c)
{
	const struct global_conf *g = c != NULL ? c->conf[CONF_OWNER_GLOBAL] :
	    NULL;

	return g != NULL ? g->net_namespace : NULL;
}

int
vigild_netns_enter(const struct vigil_config *c)
{
	const char *name = netns_of(c);
	char path[4096];
	int fd;

	if (name == NULL)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", NETNS_DIR, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		log_err("net_namespace %s: cannot open %s: %s (made with: ip "
		    "netns add %s)", name, path, strerror(errno), name);
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		log_err("net_namespace %s: cannot enter it: %s", name,
		    strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	free(entered);
	entered = strdup(name);
	log_info("net_namespace %s: vigild and its children run in network "
	    "namespace %s", name, path);
	return 0;
}

void
vigild_netns_reload(const struct vigil_config *next)
{
	const char *name = netns_of(next);

	if ((name == NULL) == (entered == NULL) &&
	    (name == NULL || strcmp(name, entered) == 0))
		return;
	log_warn("net_namespace cannot change at a reload (%s -> %s): vigild "
	    "and its children stay in %s; restart vigild to move",
	    entered != NULL ? entered : "none", name != NULL ? name : "none",
	    entered != NULL ? entered : "vigild's own network namespace");
}
