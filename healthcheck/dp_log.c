/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The logging data-plane backend: every change to the desired table is a
 * log line ("desired: [10.0.0.1]:tcp:80: add [10.0.0.2]:80 weight 1");
 * nothing is installed. It stands in until the IPVS backend lands. A set
 * of more than DP_LOG_MAX changes (a start or reload of thousands of real
 * servers) logs its first ones and a count of the rest: the state dump
 * shows the whole table.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>

#include "healthcheck/dataplane.h"
#include "healthcheck/lograte.h"
#include "log.h"

#define DP_LOG_MAX 200

struct dp_log {
	unsigned long long changes;
	unsigned long long sets;
};

static void *
dp_log_open(struct event_base *base)
{
	(void)base;
	return calloc(1, sizeof(struct dp_log));
}

static const char *
dp_log_fwd(const struct dp_fwd *f)
{
	switch (f->method) {
	case CHK_FWD_DR:
		return "DR";
	case CHK_FWD_TUN:
		return "TUN";
	case CHK_FWD_NAT:
		return "NAT";
	default:
		return "NAT";
	}
}

static void
dp_log_one(const struct dp_change *c)
{
	const struct dp_dest *d = c->dest;
	char a[ADDR_STRLEN];
	const char *sorry = d->sorry ? " (sorry server)" : "";

	if (c->op != DP_SVC_ADD && c->op != DP_SVC_EDIT &&
	    c->op != DP_SVC_DEL && !chk_log_allow(CHK_LOG_DESIRED))
		return;
	addr_ntop(&d->addr, a, sizeof(a));
	switch (c->op) {
	case DP_SVC_ADD:
		log_info("desired: %s: add service (%s)", c->svc->name,
		    c->svc->sched);
		break;
	case DP_SVC_EDIT:
		log_info("desired: %s: service settings changed (%s)",
		    c->svc->name, c->svc->sched);
		break;
	case DP_SVC_DEL:
		log_info("desired: %s: remove service", c->svc->name);
		break;
	case DP_DEST_ADD:
		log_info("desired: %s: add [%s]:%u weight %d %s%s",
		    c->svc->name, a, d->port, d->weight, dp_log_fwd(&d->fwd),
		    sorry);
		break;
	case DP_DEST_EDIT:
		log_info("desired: %s: [%s]:%u weight %d -> %d%s",
		    c->svc->name, a, d->port, c->old_weight, d->weight, sorry);
		break;
	case DP_DEST_DEL:
		log_info("desired: %s: remove [%s]:%u%s", c->svc->name, a,
		    d->port, sorry);
		break;
	}
}

static int
dp_log_apply(void *b, const struct dp_change *c, size_t n)
{
	struct dp_log *l = b;

	for (size_t i = 0; i < n && i < DP_LOG_MAX; i++)
		dp_log_one(&c[i]);
	if (n > DP_LOG_MAX)
		log_info("desired: %zu more change(s) in this set (the state "
		    "dump shows the table)", n - DP_LOG_MAX);
	l->changes += n;
	l->sets++;
	return 0;
}

static void
dp_log_dump(void *b, FILE *fp)
{
	struct dp_log *l = b;

	fprintf(fp, " Backend log: %llu change(s) in %llu set(s); nothing "
	    "installed in the kernel\n", l->changes, l->sets);
}

static void
dp_log_close(void *b, int flush)
{
	(void)flush;
	free(b);
}

const struct dp_backend_ops dp_log_backend = {
	.name = "log",
	.open = dp_log_open,
	.apply = dp_log_apply,
	.dump = dp_log_dump,
	.close = dp_log_close,
};
