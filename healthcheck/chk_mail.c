/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checker's e-mail alerts, as keepalived 2.2.7 sends them (through
 * lib/smtp_alert.c):
 *
 *   a check of a real server goes up or down (keepalived mails from each
 *   checker: with several checks, each one's change; with
 *   no_checker_emails only those that change the real server):
 *     [lvs1] Realserver [10.9.0.12]:tcp:80 of virtual server
 *         [10.9.1.100]:tcp:80 - DOWN
 *     => TCP CHECK failed on service <=
 *   a virtual server gains or loses quorum:
 *     [lvs1] Virtualserver [10.9.1.100]:tcp:80 - UP
 *     => Gained quorum 1+0=1 <= 2 <=
 *   (first decided: => Starting with quorum up 1+0=1 <= 2 <=, or
 *    => Starting with quorum down 1+0=1 <= 0 <= where a sorry server
 *    takes over)
 *   a live real server is removed, or shut down under omega:
 *     ... - DOWN / => Removing <= (=> Shutting down <=)
 *
 * Whether a real server mails: its smtp_alert, else global_defs'
 * smtp_alert_checker, else smtp_alert, else on (keepalived keeps that
 * default for compatibility). A virtual server: the same, else off. The
 * virtual server's smtp_alert is not its real servers' default.
 * FILE_CHECK changes send nothing, as in keepalived.
 */
#include "autoconfig.h"

#include <stdio.h>

#include "global_conf.h"
#include "healthcheck/engine.h"
#include "log.h"
#include "smtp_alert.h"
#include "subsys.h"

static int
alert_on(const struct chk_engine *e, int own, int dflt)
{
	return chk_conf_smtp_alert(own, e->mail_checker, e->mail_global,
	    dflt);
}

int
chk_mail_apply(struct chk_engine *e, const struct vigil_config *cfg)
{
	const struct global_conf *g = cfg->conf[CONF_OWNER_GLOBAL];
	const struct chk_conf *c = cfg->conf[CONF_OWNER_CHECK];

	e->mail_checker = c != NULL ? c->g.smtp_alert_checker :
	    CHK_INT_UNSET;
	e->mail_global = g != NULL ? g->smtp_alert : CHK_INT_UNSET;
	e->no_checker_emails = g != NULL && g->no_checker_emails > 0;
	if (e->smtp == NULL && (g == NULL || g->smtp_server == NULL ||
	    g->emails == NULL))
		return 0;
	if (e->smtp == NULL && (e->smtp = smtp_alert_new(e->env.base)) ==
	    NULL) {
		log_err("smtp_alert: out of memory: no e-mail alerts");
		return -1;
	}
	return smtp_alert_apply(e->smtp, g);
}

void
chk_mail_free(struct chk_engine *e)
{
	/* omega's "Shutting down" and the last changes get a second, as
	 * keepalived's checker keeps its loop after the stop */
	smtp_alert_finish(e->smtp, CHK_MAIL_STOP_USEC);
	e->smtp = NULL;
}

static void
mail_rs(struct chk_engine *e, const struct chk_vs_conf *vs,
    const struct chk_rs_conf *rs, const char *state, const char *body)
{
	char subject[512], v[256], r[128];	/* cut to 256 when sent */

	chk_vs_text(vs, v, sizeof(v));
	chk_rs_text(vs, rs, r, sizeof(r));
	snprintf(subject, sizeof(subject), "Realserver %s of virtual server "
	    "%s - %s", r, v, state);
	(void)smtp_alert_send(e->smtp, subject, body);
}

/* keepalived's body for a check's change; NULL: none is sent. */
static const char *
check_body(const struct chk_check *c, char *buf, size_t len)
{
	const struct chk_checker_conf *ck = c->conf;
	int up = c->up;

	switch (ck->kind) {
	case CHK_TCP:
		return up ? "=> TCP CHECK succeed on service <=" :
		    "=> TCP CHECK failed on service <=";
	case CHK_HTTP:
	case CHK_SSL:
		return up ? "=> CHECK succeed on service <=" :
		    "=> CHECK failed on service : HTTP request failed <=";
	case CHK_SMTP:
		if (up)
			return "=> CHECK succeed on service <=";
		snprintf(buf, len, "=> CHECK failed on service : %s <=",
		    chk_check_reason(c) != NULL ? chk_check_reason(c) :
		    "failed");
		return buf;
	case CHK_DNS:
		return up ? "=> DNS_CHECK: succeed on service <=" :
		    "=> DNS_CHECK: failed on service <=";
	case CHK_UDP:
		return up ? "=> UDP CHECK succeed on service <=" :
		    "=> UDP CHECK failed on service <=";
	case CHK_PING:
		return up ? "=> ICMP CHECK succeed on service <=" :
		    "=> ICMP CHECK failed on service <=";
	case CHK_MISC:
		snprintf(buf, len, "=> MISC CHECK %s on service <=", up ?
		    "succeeded" : chk_check_reason(c) != NULL &&
		    chk_fail_class(CHK_MISC, chk_check_reason(c)) ==
		    CHK_FAIL_TIMEOUT ?
		    "timed out" : "failed");
		return buf;
	case CHK_FILE:
	case CHK_BFD:
	case CHK_KIND_MAX:
		break;
	}
	return NULL;
}

void
chk_mail_check(struct chk_rsrun *rs, const struct chk_check *c, int rs_was)
{
	struct chk_engine *e = rs->vs->eng;
	char buf[SMTP_ALERT_BODY_MAX];
	const char *body;

	if (e->smtp == NULL || !smtp_alert_ready(e->smtp) ||
	    !alert_on(e, rs->conf->smtp_alert, 1))
		return;
	if (e->no_checker_emails && rs_was == rs->up)
		return;
	if ((body = check_body(c, buf, sizeof(buf))) == NULL)
		return;
	mail_rs(e, rs->vs->conf, rs->conf, rs->up == 1 ? "UP" : "DOWN",
	    body);
}

void
chk_mail_rs_gone(struct chk_rsrun *rs, int stopping)
{
	struct chk_engine *e = rs->vs->eng;

	if (e->smtp == NULL || !smtp_alert_ready(e->smtp) ||
	    !alert_on(e, rs->conf->smtp_alert, 1))
		return;
	mail_rs(e, rs->vs->conf, rs->conf, "DOWN", stopping ?
	    "=> Shutting down <=" : "=> Removing <=");
}

void
chk_mail_quorum(struct chk_vsrun *vs, long sum, enum chk_mail_when when)
{
	const struct chk_vs_conf *c = vs->conf;
	struct chk_engine *e = vs->eng;
	char subject[512], body[SMTP_ALERT_BODY_MAX],
	    v[256];
	int up = vs->quorum_up == 1 && when != CHK_MAIL_STOPPING;
	long threshold;

	if (e->smtp == NULL || !smtp_alert_ready(e->smtp) ||
	    !alert_on(e, c->smtp_alert, 0))
		return;
	chk_vs_text(c, v, sizeof(v));
	snprintf(subject, sizeof(subject), "Virtualserver %s - %s", v,
	    up ? "UP" : "DOWN");
	/* keepalived's text, "+" also where the hysteresis was taken off:
	 * the threshold it was measured against, the state before's (no
	 * state before a start: down's) */
	threshold = (long)c->quorum + (up || when == CHK_MAIL_STARTING ?
	    1 : -1) * (long)c->hysteresis;
	if (when == CHK_MAIL_STOPPING)
		snprintf(body, sizeof(body), "=> Shutting down <=");
	else
		snprintf(body, sizeof(body), "=> %s %u+%u=%ld <= %ld <=",
		    when == CHK_MAIL_STARTING ? (up ?
		    "Starting with quorum up" : "Starting with quorum down") :
		    up ? "Gained quorum" : "Lost quorum", c->quorum,
		    c->hysteresis, threshold, sum);
	(void)smtp_alert_send(e->smtp, subject, body);
}
