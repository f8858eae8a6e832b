/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BFD session state machine (RFC 5880 6.8.6) and its timers
 * (6.8.2-6.8.4, 6.8.7).
 */
#include <string.h>

#include "bfd/session.h"

static uint32_t
max32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

/* What we advertise as Desired Min TX: the slower idle rate until Up
 * (RFC 5880 6.8.3: at least one second while not Up). */
static uint32_t
desired_tx(const struct bfd_sess *s)
{
	if (s->state == BFD_UP)
		return s->c.min_tx;
	return max32(s->c.min_tx, s->c.idle_tx);
}

static uint32_t
min32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* The TX interval in force: while new timers wait for the Final, not
 * slower than the one before (the peer's detection time still counts
 * on it, RFC 5880 6.8.3). */
static uint32_t
tx_in_force(const struct bfd_sess *s)
{
	if (s->pending)
		return min32(s->old_tx, desired_tx(s));
	return desired_tx(s);
}

/* The required RX interval the detection time counts on: while new
 * timers wait for the Final, not shorter than the one before (the peer
 * goes on sending at the old rate until it saw our Poll). */
static uint32_t
rx_in_force(const struct bfd_sess *s)
{
	if (s->pending)
		return max32(s->old_rx, s->c.min_rx);
	return s->c.min_rx;
}

static void
detect_update(struct bfd_sess *s)
{
	/* asynchronous mode: the peer's multiplier times the agreed
	 * interval the peer sends at (RFC 5880 6.8.4) */
	s->detect = (uint64_t)s->remote_mult *
	    max32(rx_in_force(s), s->remote_min_tx);
}

void
bfd_sess_init(struct bfd_sess *s, const struct bfd_sess_conf *c,
    uint32_t discr)
{
	memset(s, 0, sizeof(*s));
	s->c = *c;
	s->state = BFD_DOWN;
	s->remote_state = BFD_DOWN;
	s->local_discr = discr;
	/* until the peer says otherwise, one packet a second may go to it
	 * (RFC 5880 6.8.1: bfd.RemoteMinRxInterval starts at 1) */
	s->remote_min_rx = 1;
	s->why = "session started";
}

void
bfd_sess_set_conf(struct bfd_sess *s, const struct bfd_sess_conf *c)
{
	int changed = s->c.min_tx != c->min_tx || s->c.min_rx != c->min_rx ||
	    s->c.mult != c->mult || s->c.idle_tx != c->idle_tx;
	uint32_t tx = tx_in_force(s), rx = rx_in_force(s);

	s->c = *c;
	if (changed && s->state == BFD_UP) {
		s->poll = 1;
		s->pending = 1;
		s->old_tx = tx;
		s->old_rx = rx;
	}
	if (s->remote_discr != 0)
		detect_update(s);
}

static int
go(struct bfd_sess *s, uint8_t state, uint8_t diag, const char *why)
{
	if (state == BFD_UP && s->state != BFD_UP &&
	    s->c.min_tx != desired_tx(s))
		/* the advertised rate changes from the idle one: a Poll
		 * Sequence tells the peer (RFC 5880 6.8.3) */
		s->poll = 1;
	if (state != BFD_UP)
		s->poll = s->pending = 0;
	s->state = state;
	s->diag = diag;
	s->why = why;
	return 1;
}

int
bfd_sess_rx(struct bfd_sess *s, const struct bfd_pkt *p, uint64_t now)
{
	if (s->state == BFD_ADMIN_DOWN)
		return 0;
	s->remote_discr = p->my_discr;
	s->remote_state = p->state;
	s->remote_diag = p->diag;
	s->remote_min_rx = p->min_rx;
	s->remote_min_tx = p->min_tx;
	s->remote_mult = p->detect_mult;
	s->last_rx = now;
	if (p->final)
		/* our Poll Sequence ends: its timers take effect */
		s->poll = s->pending = 0;
	detect_update(s);
	if (p->poll)
		s->send_final = 1;

	if (p->state == BFD_ADMIN_DOWN) {
		if (s->state != BFD_DOWN)
			return go(s, BFD_DOWN, BFD_DIAG_NBR_DOWN,
			    "neighbor signaled session down (AdminDown)");
		return 0;
	}
	switch (s->state) {
	case BFD_DOWN:
		if (p->state == BFD_DOWN)
			return go(s, BFD_INIT, BFD_DIAG_NONE,
			    "neighbor is Down");
		if (p->state == BFD_INIT)
			return go(s, BFD_UP, BFD_DIAG_NONE,
			    "neighbor is Init");
		break;
	case BFD_INIT:
		if (p->state == BFD_INIT || p->state == BFD_UP)
			return go(s, BFD_UP, BFD_DIAG_NONE,
			    p->state == BFD_UP ? "neighbor is Up" :
			    "neighbor is Init");
		break;
	case BFD_UP:
		if (p->state == BFD_DOWN)
			return go(s, BFD_DOWN, BFD_DIAG_NBR_DOWN,
			    "neighbor signaled session down");
		break;
	}
	return 0;
}

uint64_t
bfd_sess_expiry(const struct bfd_sess *s)
{
	if (s->remote_discr == 0 || s->detect == 0)
		return 0;
	return s->last_rx + s->detect;
}

int
bfd_sess_expire(struct bfd_sess *s, uint64_t now)
{
	uint64_t at = bfd_sess_expiry(s);

	if (at == 0 || now < at)
		return 0;
	/* the peer is gone: forget it (RFC 5880 6.8.1, RemoteDiscr) */
	s->remote_discr = 0;
	s->remote_state = BFD_DOWN;
	s->remote_min_rx = 1;
	s->detect = 0;
	if (s->state == BFD_INIT || s->state == BFD_UP)
		return go(s, BFD_DOWN, BFD_DIAG_EXPIRED,
		    "control detection time expired");
	return 0;
}

int
bfd_sess_sends(const struct bfd_sess *s)
{
	if (s->state == BFD_ADMIN_DOWN)
		return 1;	/* tells the peer, until stopped */
	if (s->c.passive && s->remote_discr == 0)
		return 0;
	/* RFC 5880 6.8.7: none while the peer asks for none */
	return s->remote_min_rx != 0;
}

uint32_t
bfd_sess_tx_interval(const struct bfd_sess *s)
{
	uint32_t t = max32(tx_in_force(s), s->remote_min_rx);

	return t > 0 ? t : 1;
}

uint32_t
bfd_sess_tx_jittered(const struct bfd_sess *s, uint32_t r)
{
	uint32_t t = bfd_sess_tx_interval(s);
	/* the cut, as a share of t in 1/1000: 0-250, or 100-250 when the
	 * multiplier is 1 (RFC 5880 6.8.7) */
	uint32_t lo = s->c.mult == 1 ? 100 : 0;
	uint32_t cut = lo + r % (251 - lo);

	return t - (uint32_t)((uint64_t)t * cut / 1000);
}

void
bfd_sess_build(struct bfd_sess *s, struct bfd_pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->version = BFD_VERSION;
	p->diag = s->diag;
	p->state = s->state;
	p->detect_mult = s->c.mult;
	p->length = BFD_PKT_LEN;
	p->my_discr = s->local_discr;
	p->your_discr = s->remote_discr;
	p->min_tx = desired_tx(s);
	p->min_rx = s->c.min_rx;
	p->min_echo_rx = 0;	/* no echo function */
	if (s->send_final) {
		/* a packet never carries both P and F (RFC 5880 6.5) */
		p->final = 1;
		s->send_final = 0;
	} else if (s->poll)
		p->poll = 1;
}

void
bfd_sess_admin_down(struct bfd_sess *s)
{
	go(s, BFD_ADMIN_DOWN, BFD_DIAG_ADMIN_DOWN, "administratively down");
}
