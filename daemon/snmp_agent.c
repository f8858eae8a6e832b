/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * net-snmp as an AgentX subagent on the child's event loop. net-snmp's
 * sockets and timers are mirrored into libevent: after every turn the
 * descriptors snmp_select_info() names get read events and its timeout a
 * timer. Its calls that wait for the master agent (opening the session,
 * registering, pinging) block this child only, for at most
 * SNMP_AGENT_TIMEOUT_MS each; a master agent that is down or stalled is
 * pinged every SNMP_AGENT_PING_S seconds and reconnected when it answers
 * again. The connection's changes are logged once each; net-snmp's own
 * messages go to the debug log.
 *
 * Three subtrees are registered (KEEPALIVED-MIB, VRRP-MIB, VRRPv3-MIB);
 * one handler answers GET, GETNEXT (GETBULK is made of those by net-snmp)
 * and SET from the view the child keeps.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>

#include "log.h"
#include "loop.h"
#include "snmp_int.h"

#define SNMP_AGENT_NAME "vigild"
#define SNMP_AGENT_PING_S 5
#define SNMP_AGENT_TIMEOUT_MS 1000
#define SNMP_AGENT_MAX_FDS 64

struct snmp_agent {
	struct event_base *base;
	struct event *ev[SNMP_AGENT_MAX_FDS];
	int fd[SNMP_AGENT_MAX_FDS];
	unsigned nfd;
	struct loop_timer *timer;	/* net-snmp's next timeout */
	struct loop_timer *tick;	/* its alarms, once a second */
	snmp_view_fn *view;
	snmp_write_fn *write;
	void *arg;
	char socket[256];
	int connected;
	int told_down;		/* "not reachable" logged since last up */
	netsnmp_handler_registration *reg[3];
};

/* net-snmp's callbacks carry no argument of ours: one agent per process */
static struct snmp_agent *agent;

static void agent_sync(struct snmp_agent *a);

/* ---- logging and connection state -------------------------------------- */

static int
agent_log(int major, int minor, void *server, void *client)
{
	const struct snmp_log_message *m = server;
	size_t len;

	(void)major;
	(void)minor;
	(void)client;
	if (m == NULL || m->msg == NULL)
		return 0;
	len = strlen(m->msg);
	while (len > 0 && m->msg[len - 1] == '\n')
		len--;
	log_debug("net-snmp: %.*s", (int)len, m->msg);
	return 0;
}

static int
agent_index_start(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	if (agent != NULL && !agent->connected) {
		agent->connected = 1;
		agent->told_down = 0;
		log_info("connected to the SNMP master agent at %s",
		    agent->socket);
	}
	return 0;
}

static int
agent_index_stop(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	if (agent != NULL && agent->connected) {
		agent->connected = 0;
		agent->told_down = 1;
		log_warn("lost the SNMP master agent at %s; reconnecting "
		    "every %d s", agent->socket, SNMP_AGENT_PING_S);
	}
	return 0;
}

/* Waiting for the master agent blocks: keep each wait short. */
static int
agent_session_init(int major, int minor, void *server, void *client)
{
	netsnmp_session *s = server;

	(void)major;
	(void)minor;
	(void)client;
	if (s != NULL) {
		s->timeout = SNMP_AGENT_TIMEOUT_MS * 1000L;
		s->retries = 0;
	}
	return 0;
}

int
snmp_agent_connected(const struct snmp_agent *a)
{
	return a != NULL && a->connected;
}

/* ---- requests ---------------------------------------------------------- */

static void
vb_set(netsnmp_variable_list *v, const struct snmp_vb *b)
{
	struct counter64 c;

	switch (b->type) {
	case ASN_OCTET_STR:
	case ASN_IPADDRESS:
		snmp_set_var_typed_value(v, b->type, b->s, b->slen);
		break;
	case ASN_COUNTER64:
		c.high = (u_long)(((uint64_t)b->i >> 32) & 0xffffffff);
		c.low = (u_long)((uint64_t)b->i & 0xffffffff);
		snmp_set_var_typed_value(v, ASN_COUNTER64, &c, sizeof(c));
		break;
	default:
		snmp_set_var_typed_integer(v, b->type, (long)b->i);
		break;
	}
}

static int
agent_set(struct snmp_agent *a, const struct snmp_view *w, int mode,
    netsnmp_agent_request_info *ri, netsnmp_request_info *r)
{
	netsnmp_variable_list *v = r->requestvb;
	const struct snmp_vb *b = snmp_view_get(w, v->name, v->name_length);
	int err;

	if (b == NULL || b->write == SNMP_VB_RO) {
		netsnmp_set_request_error(ri, r, SNMP_ERR_NOTWRITABLE);
		return 0;
	}
	if (b->write == SNMP_VB_NOACCESS) {
		netsnmp_set_request_error(ri, r, SNMP_ERR_NOACCESS);
		return 0;
	}
	if (v->type != ASN_INTEGER || v->val.integer == NULL) {
		netsnmp_set_request_error(ri, r, SNMP_ERR_WRONGTYPE);
		return 0;
	}
	if (mode == MODE_SET_RESERVE1 || mode == MODE_SET_ACTION) {
		err = a->write(a->arg, b, *v->val.integer,
		    mode == MODE_SET_ACTION);
		if (err != SNMP_ERR_NOERROR)
			netsnmp_set_request_error(ri, r, err);
	}
	return 0;
}

static int
agent_handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
    netsnmp_agent_request_info *ri, netsnmp_request_info *requests)
{
	struct snmp_agent *a = agent;
	const struct snmp_view *w;

	(void)h;
	if (a == NULL || (w = a->view(a->arg)) == NULL)
		return SNMP_ERR_GENERR;
	for (netsnmp_request_info *r = requests; r != NULL; r = r->next) {
		netsnmp_variable_list *v = r->requestvb;
		const struct snmp_vb *b;

		if (r->processed)
			continue;
		switch (ri->mode) {
		case MODE_GET:
			b = snmp_view_get(w, v->name, v->name_length);
			if (b == NULL)
				netsnmp_set_request_error(ri, r,
				    SNMP_NOSUCHINSTANCE);
			else
				vb_set(v, b);
			break;
		case MODE_GETNEXT:
			b = snmp_view_next(w, v->name, v->name_length,
			    reg->rootoid, reg->rootoid_len);
			/* none: the agent goes on to the next subtree */
			if (b != NULL) {
				snmp_set_var_objid(v, b->name, b->len);
				vb_set(v, b);
			}
			break;
		case MODE_SET_RESERVE1:
		case MODE_SET_ACTION:
			agent_set(a, w, ri->mode, ri, r);
			break;
		default:	/* RESERVE2, COMMIT, FREE, UNDO: nothing kept */
			break;
		}
	}
	return SNMP_ERR_NOERROR;
}

static int
agent_register(struct snmp_agent *a, int i, const char *name, const oid *o,
    size_t len)
{
	a->reg[i] = netsnmp_create_handler_registration(name, agent_handler,
	    o, len, HANDLER_CAN_RWRITE);
	if (a->reg[i] == NULL ||
	    netsnmp_register_handler(a->reg[i]) != MIB_REGISTERED_OK) {
		log_err("cannot register the %s subtree", name);
		a->reg[i] = NULL;	/* freed by net-snmp on failure */
		return -1;
	}
	return 0;
}

/* ---- net-snmp on the event loop ---------------------------------------- */

static void
agent_process(struct snmp_agent *a)
{
	netsnmp_check_outstanding_agent_requests();
	agent_sync(a);
}

static void
agent_on_read(evutil_socket_t fd, short what, void *arg)
{
	fd_set set;

	(void)what;
	FD_ZERO(&set);
	FD_SET((int)fd, &set);
	snmp_read(&set);
	agent_process(arg);
}

static void
agent_on_timer(struct loop_timer *t, void *arg)
{
	(void)t;
	snmp_timeout();
	run_alarms();
	agent_process(arg);
}

/* Watch exactly the descriptors net-snmp uses now; arm its timeout. */
static void
agent_sync(struct snmp_agent *a)
{
	fd_set set;
	struct timeval tv = { 0, 0 };
	int numfds = 0, block = 1;
	unsigned n = 0;

	FD_ZERO(&set);
	snmp_select_info(&numfds, &set, &tv, &block);
	if (numfds > FD_SETSIZE)
		numfds = FD_SETSIZE;
	/* drop what is no longer watched */
	for (unsigned i = 0; i < a->nfd; i++) {
		if (a->fd[i] < numfds && FD_ISSET(a->fd[i], &set)) {
			FD_CLR(a->fd[i], &set);	/* kept: not added again */
			a->fd[n] = a->fd[i];
			a->ev[n++] = a->ev[i];
			continue;
		}
		event_free(a->ev[i]);
	}
	a->nfd = n;
	for (int fd = 0; fd < numfds && a->nfd < SNMP_AGENT_MAX_FDS; fd++) {
		struct event *ev;

		if (!FD_ISSET(fd, &set))
			continue;
		ev = event_new(a->base, fd, EV_READ | EV_PERSIST,
		    agent_on_read, a);
		if (ev == NULL || event_add(ev, NULL) < 0) {
			if (ev != NULL)
				event_free(ev);
			continue;
		}
		a->fd[a->nfd] = fd;
		a->ev[a->nfd++] = ev;
	}
	if (!block)
		loop_timer_start(a->timer, (uint64_t)tv.tv_sec * 1000000 +
		    (uint64_t)tv.tv_usec + 1, 0);
	else
		loop_timer_stop(a->timer);
}

static void
agent_on_tick(struct loop_timer *t, void *arg)
{
	struct snmp_agent *a = arg;

	(void)t;
	run_alarms();
	if (!a->connected && !a->told_down) {
		a->told_down = 1;
		log_warn("the SNMP master agent at %s is not reachable; "
		    "retrying every %d s", a->socket, SNMP_AGENT_PING_S);
	}
	agent_process(a);
}

struct snmp_agent *
snmp_agent_start(struct event_base *base, const struct snmp_settings *set,
    snmp_view_fn *view, snmp_write_fn *write, void *arg)
{
	struct snmp_agent *a;

	if (agent != NULL || (a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->base = base;
	a->view = view;
	a->write = write;
	a->arg = arg;
	snprintf(a->socket, sizeof(a->socket), "%s", set->socket[0] != '\0' ?
	    set->socket : "unix:/var/agentx/master");
	a->timer = loop_timer_new(base, agent_on_timer, a);
	a->tick = loop_timer_new(base, agent_on_tick, a);
	if (a->timer == NULL || a->tick == NULL) {
		loop_timer_free(a->timer);
		loop_timer_free(a->tick);
		free(a);
		return NULL;
	}
	agent = a;

	/* no configuration files, no MIB files, no persistent state */
	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	snmp_disable_log();
	snmp_enable_calllog();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
	    agent_log, NULL);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY,
	    SNMP_CALLBACK_SESSION_INIT, agent_session_init, NULL);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION,
	    SNMPD_CALLBACK_INDEX_START, agent_index_start, NULL);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION,
	    SNMPD_CALLBACK_INDEX_STOP, agent_index_stop, NULL);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE,
	    1);
	if (set->socket[0] != '\0')
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_X_SOCKET, set->socket);
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
	    NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, SNMP_AGENT_PING_S);

	log_info("starting the SNMP subagent (master agent at %s)",
	    a->socket);
	init_agent(SNMP_AGENT_NAME);
	agent_register(a, 0, "KEEPALIVED-MIB", snmp_oid_keepalived,
	    snmp_oid_keepalived_len);
	agent_register(a, 1, "VRRP-MIB", snmp_oid_vrrp_mib,
	    snmp_oid_vrrp_mib_len);
	agent_register(a, 2, "VRRPv3-MIB", snmp_oid_vrrpv3_mib,
	    snmp_oid_vrrpv3_mib_len);
	init_snmp(SNMP_AGENT_NAME);
	loop_timer_start(a->tick, 1000000, 1);
	agent_sync(a);
	return a;
}

void
snmp_agent_stop(struct snmp_agent *a)
{
	if (a == NULL)
		return;
	for (unsigned i = 0; i < a->nfd; i++)
		event_free(a->ev[i]);
	a->nfd = 0;
	loop_timer_free(a->timer);
	loop_timer_free(a->tick);
	snmp_shutdown(SNMP_AGENT_NAME);
	shutdown_agent();
	agent = NULL;
	free(a);
}

void
snmp_agent_notify(struct snmp_agent *a, netsnmp_variable_list *vars)
{
	if (a != NULL && a->connected)
		send_v2trap(vars);
	snmp_free_varbind(vars);
	if (a != NULL)
		agent_sync(a);
}
