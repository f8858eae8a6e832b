/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checker's notify fifos: global_defs' notify_fifo (shared with the
 * VRRP child's lines) and lvs_notify_fifo, written through lib's
 * notify_fifo. keepalived's lines, written where notify_up / notify_down
 * and quorum_up / quorum_down run:
 *
 *   RS [10.9.0.12]:tcp:80 [10.9.1.100]:tcp:80 DOWN
 *   VS [10.9.1.100]:tcp:80 UP
 *
 * A fwmark virtual server is "FWM 5", a group "[G1]:0" (keepalived's
 * format_vs); the real server's protocol is its virtual server's.
 */
#include "autoconfig.h"

#include <netinet/in.h>
#include <stdio.h>

#include "global_conf.h"
#include "healthcheck/engine.h"
#include "log.h"
#include "subsys.h"

static const char *
proto_name(int proto)
{
	/* keepalived's line says "none" for a service without a protocol */
	return proto == 0 ? "none" : chk_conf_proto_name(proto);
}

void
chk_vs_text(const struct chk_vs_conf *vs, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	switch (vs->kind) {
	case CHK_VS_ADDR:
		snprintf(buf, len, "[%s]:%s:%u", addr_ntop(&vs->addr, a,
		    sizeof(a)), proto_name(vs->protocol), vs->port);
		break;
	case CHK_VS_FWMARK:
		snprintf(buf, len, "FWM %u", vs->fwmark);
		break;
	case CHK_VS_GROUP:
		/* keepalived prints the port of the virtual server's own
		 * (unset) address */
		snprintf(buf, len, "[%s]:0", vs->group_name);
		break;
	}
}

/* keepalived 2.2.7 drops the protocol of a service by fwmarks alone
 * (a fwmark, a group without addresses): its real servers' lines say
 * "none" there. */
static int
rs_proto(const struct chk_vs_conf *vs)
{
	if (vs->kind == CHK_VS_FWMARK)
		return 0;
	if (vs->kind == CHK_VS_GROUP && vs->group != NULL) {
		for (const struct chk_conf_vsg_entry *e = vs->group->entries;
		    e != NULL; e = e->next)
			if (!e->is_fwmark)
				return vs->protocol;
		return 0;
	}
	return vs->protocol;
}

/* With the port of its IPVS destination, as keepalived 2.2.7 names it
 * once it has reset the port (a DR / TUN real server of a virtual server
 * by address takes that one's port, of a fwmark none; a NAT one written
 * without a port the virtual server's): what ipvsadm -Ln shows. */
void
chk_rs_text(const struct chk_vs_conf *vs, const struct chk_rs_conf *rs,
    char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	snprintf(buf, len, "[%s]:%s:%u", addr_ntop(&rs->addr, a, sizeof(a)),
	    proto_name(rs_proto(vs)), chk_conf_ipvs_port(vs, &rs->fwd,
	    rs->port));
}

static int
fifo_any(const struct chk_engine *e)
{
	return notify_fifo_pair_open(e->fifo);
}

static void
fifo_put(struct chk_engine *e, const char *line, int len)
{
	notify_fifo_pair_write(e->fifo, line, len, CHK_FIFO_LINE);
}

void
chk_fifo_rs(struct chk_engine *e, const struct chk_vs_conf *vs,
    const struct chk_rs_conf *rs, int up)
{
	char line[CHK_FIFO_LINE], v[256], r[128];

	if (!fifo_any(e))
		return;
	chk_vs_text(vs, v, sizeof(v));
	chk_rs_text(vs, rs, r, sizeof(r));
	fifo_put(e, line, snprintf(line, sizeof(line), "RS %s %s %s\n", r, v,
	    up ? "UP" : "DOWN"));
}

void
chk_fifo_vs(struct chk_engine *e, const struct chk_vs_conf *vs, int up)
{
	char line[CHK_FIFO_LINE], v[256];

	if (!fifo_any(e))
		return;
	chk_vs_text(vs, v, sizeof(v));
	fifo_put(e, line, snprintf(line, sizeof(line), "VS %s %s\n", v,
	    up ? "UP" : "DOWN"));
}

int
chk_fifo_apply(struct chk_engine *e, const struct vigil_config *cfg)
{
	const struct global_conf *g = cfg->conf[CONF_OWNER_GLOBAL];
	const struct chk_conf *c = cfg->conf[CONF_OWNER_CHECK];
	struct notify_fifo_conf gf, lf = { 0 };

	notify_fifo_conf_global(&gf, g);
	if (c != NULL) {
		lf = (struct notify_fifo_conf){ c->g.lvs_notify_fifo.cmd,
		    c->g.lvs_notify_fifo.user, c->g.lvs_notify_fifo.group,
		    c->g.lvs_notify_fifo_script.cmd,
		    c->g.lvs_notify_fifo_script.user,
		    c->g.lvs_notify_fifo_script.group };
	}
	return notify_fifo_pair_apply(e->fifo, &gf, &lf,
	    chk_engine_fifo_script, e);
}

void
chk_fifo_close(struct chk_engine *e)
{
	notify_fifo_pair_close(e->fifo);
}
