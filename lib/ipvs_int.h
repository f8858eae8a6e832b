/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/ipvs internals: message building and reply parsing (ipvs_msg.c). */
#ifndef VIGIL_IPVS_INT_H
#define VIGIL_IPVS_INT_H

#include <linux/ip_vs.h>
#include <netlink/msg.h>

#include "ipvs.h"

int ipvs_put_svc(struct nl_msg *m, const struct ipvs_svc *s, int full);
int ipvs_put_dest(struct nl_msg *m, const struct ipvs_svc *s,
    const struct ipvs_dest *d, int full);
int ipvs_put_timeouts(struct nl_msg *m, const struct ipvs_timeouts *t);
int ipvs_put_daemon(struct nl_msg *m, const struct ipvs_daemon *d, int full);

/* tb: IPVS_CMD_ATTR_MAX + 1 entries */
int ipvs_parse_cmd(struct nlmsghdr *h, struct nlattr **tb);
int ipvs_get_svc(struct nlattr *na, struct ipvs_svc *s);
int ipvs_get_dest(struct nlattr *na, int svc_af, struct ipvs_dest *d,
    struct ipvs_dest_stats *st);
int ipvs_get_daemon(struct nlattr *na, struct ipvs_daemon *d);

#endif
