/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * E-mail alerts as keepalived sends them (global_defs smtp_server,
 * notification_email, notification_email_from, smtp_helo_name,
 * smtp_connect_timeout): a non-blocking SMTP client on the process's
 * event loop, shared by the VRRP and checker children.
 *
 * One alert is one connection: the 220 greeting, HELO, MAIL FROM, one
 * RCPT TO per address, DATA, the message (Date, From, Subject,
 * X-Mailer, To, a blank line, the body, dot-stuffed, CRLF line ends),
 * ".", QUIT. Every step is bounded by smtp_connect_timeout. A failure
 * is logged once per alert, naming the server, the step and the reply
 * ("smtp_alert: 10.0.0.5:25: RCPT TO:<ops@example.com>: 550 no such
 * user"). At most SMTP_ALERT_INFLIGHT connections are open at once and
 * SMTP_ALERT_QUEUE_MAX alerts wait behind them; past that an alert is
 * dropped and counted, so a dead server piles up neither sockets nor
 * memory. A server given by name is resolved with evdns, never
 * blocking.
 */
#ifndef VIGIL_SMTP_ALERT_H
#define VIGIL_SMTP_ALERT_H

#include <stddef.h>
#include <stdint.h>

#define SMTP_ALERT_INFLIGHT	4	/* connections at once */
#define SMTP_ALERT_QUEUE_MAX	64	/* alerts waiting behind them */
#define SMTP_ALERT_SUBJECT_MAX	256	/* keepalived's MAX_HEADERS_LENGTH */
#define SMTP_ALERT_BODY_MAX	512	/* keepalived's MAX_BODY_LENGTH */

struct event_base;
struct global_conf;
struct smtp_alert;

struct smtp_alert *smtp_alert_new(struct event_base *base);
/* Closes what is in flight and drops what waits. */
void smtp_alert_free(struct smtp_alert *sa);
/*
 * At stop, once the child's loop has ended: what is in flight and what
 * waits is sent for at most usec on a loop of its own (keepalived's
 * processes keep theirs for a second after the stop notifications), the
 * rest is dropped (logged), then sa is freed.
 */
void smtp_alert_finish(struct smtp_alert *sa, uint64_t usec);
/* Follow global_defs (alerts already queued keep the settings they were
 * queued with). 0, or -1: out of memory (logged). */
int smtp_alert_apply(struct smtp_alert *sa, const struct global_conf *g);
/* 1 when an smtp_server and at least one notification_email are set:
 * keepalived sends nothing otherwise. */
int smtp_alert_ready(const struct smtp_alert *sa);
/* Queue an alert: the subject goes out as "[router_id] subject". 0, or
 * -1 when nothing is configured, the queue is full (logged, counted) or
 * memory ran out. Never blocks. */
int smtp_alert_send(struct smtp_alert *sa, const char *subject,
    const char *body);

/* For tests and counters: alerts sent, failed, dropped so far; and a
 * function told when each alert ends (sent 1 or 0, why it failed). */
struct smtp_alert_stats {
	unsigned long long sent, failed, dropped;
	unsigned inflight, queued;
};
void smtp_alert_stats(const struct smtp_alert *sa,
    struct smtp_alert_stats *st);
typedef void smtp_alert_done_fn(void *arg, int sent, const char *why);
void smtp_alert_on_done(struct smtp_alert *sa, smtp_alert_done_fn *fn,
    void *arg);

/* The message as it follows DATA: headers, the body dot-stuffed with
 * CRLF line ends, and the closing ".". malloc'd (*len its length), or
 * NULL. */
char *smtp_alert_message(const char *date, const char *from,
    const char *to, const char *subject, const char *body, size_t *len);

#endif
