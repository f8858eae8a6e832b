/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One BFD session's state machine and timers (RFC 5880 asynchronous
 * mode, sections 6.8.1-6.8.7), pure: the caller gives it received
 * packets and the time, and asks it what to send and when. No sockets,
 * no clock, no randomness of its own (the caller passes a random value
 * for the jitter), so that tests drive it step by step.
 */
#ifndef VIGIL_BFD_SESSION_H
#define VIGIL_BFD_SESSION_H

#include <stdint.h>

#include "bfd/packet.h"

struct bfd_sess_conf {
	uint32_t min_tx;	/* usec: desired min TX once Up */
	uint32_t min_rx;	/* usec: required min RX */
	uint32_t idle_tx;	/* usec: TX while not Up (at least 1 s) */
	uint8_t mult;		/* detect multiplier */
	int passive;		/* send nothing until the peer speaks */
};

struct bfd_sess {
	struct bfd_sess_conf c;
	uint8_t state;		/* enum bfd_state */
	uint8_t diag;		/* local diagnostic */
	uint8_t remote_state;
	uint8_t remote_diag;
	uint8_t remote_mult;
	uint32_t local_discr;
	uint32_t remote_discr;	/* 0: not heard (or expired) */
	uint32_t remote_min_rx;	/* usec; 0: send nothing periodically */
	uint32_t remote_min_tx;	/* usec */
	int poll;		/* a Poll Sequence of ours is running */
	/* new timers wait for our Poll Sequence to end (RFC 5880 6.8.3):
	 * until the Final, the interval we send at and the RX interval
	 * the detection time counts on stay those in force before */
	int pending;
	uint32_t old_tx;	/* usec: the TX interval in force before */
	uint32_t old_rx;	/* usec: the min RX in force before */
	int send_final;		/* the peer polled: answer with F at once */
	uint64_t last_rx;	/* usec of the last valid packet */
	uint64_t detect;	/* usec: detection time; 0 until heard */
	/* what the last change was, for the log (static strings) */
	const char *why;
};

/* A new session in Down with discriminator discr (not 0). */
void bfd_sess_init(struct bfd_sess *s, const struct bfd_sess_conf *c,
    uint32_t discr);
/*
 * A new configuration for a running session (a reload that changed its
 * timers): an Up session starts a Poll Sequence (RFC 5880 6.8.3), and
 * until the peer's Final ends it a slower TX interval and a shorter
 * required RX interval do not take effect (a faster TX and a longer RX
 * do, being safe). The caller sends the Poll at once.
 */
void bfd_sess_set_conf(struct bfd_sess *s, const struct bfd_sess_conf *c);
/*
 * A valid packet (bfd_pkt_decode accepted it, and it is this session's)
 * at time now. Returns 1 if the state changed (s->why says why), else 0.
 */
int bfd_sess_rx(struct bfd_sess *s, const struct bfd_pkt *p, uint64_t now);
/*
 * The detection timer: when the peer was not heard for the detection
 * time an Init or Up session goes Down ("Control Detection Time
 * Expired"). Returns 1 on that change, else 0.
 */
int bfd_sess_expire(struct bfd_sess *s, uint64_t now);
/* When the detection time runs out (usec); 0: no detection timer runs. */
uint64_t bfd_sess_expiry(const struct bfd_sess *s);
/* Whether periodic packets go out now (passive, remote min RX 0). */
int bfd_sess_sends(const struct bfd_sess *s);
/* The periodic transmission interval before jitter (usec). */
uint32_t bfd_sess_tx_interval(const struct bfd_sess *s);
/*
 * The interval to the next periodic packet, jittered as RFC 5880 6.8.7
 * says: 0-25% less, 10-25% less with a detect multiplier of 1. r is a
 * random value (any 32 bits).
 */
uint32_t bfd_sess_tx_jittered(const struct bfd_sess *s, uint32_t r);
/* The packet to send now (clears send_final once it carries F). */
void bfd_sess_build(struct bfd_sess *s, struct bfd_pkt *p);
/* Stop: AdminDown (sent to the peer so it goes Down at once). */
void bfd_sess_admin_down(struct bfd_sess *s);

#endif
