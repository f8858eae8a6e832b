/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BFD control packet codec (RFC 5880 section 4.1) and the checks of
 * section 6.8.6 a packet passes before any session is looked up.
 */
#include <string.h>

#include "bfd/packet.h"

static uint32_t
get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
}

static void
put32(uint8_t *b, uint32_t v)
{
	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

enum bfd_pkt_err
bfd_pkt_decode(const void *buf, size_t len, struct bfd_pkt *p)
{
	const uint8_t *b = buf;

	memset(p, 0, sizeof(*p));
	if (len < BFD_PKT_LEN)
		return BFD_PKT_SHORT;
	p->version = b[0] >> 5;
	p->diag = b[0] & 0x1f;
	p->state = b[1] >> 6;
	p->poll = (b[1] >> 5) & 1;
	p->final = (b[1] >> 4) & 1;
	p->cpi = (b[1] >> 3) & 1;
	p->auth = (b[1] >> 2) & 1;
	p->demand = (b[1] >> 1) & 1;
	p->multipoint = b[1] & 1;
	p->detect_mult = b[2];
	p->length = b[3];
	p->my_discr = get32(b + 4);
	p->your_discr = get32(b + 8);
	p->min_tx = get32(b + 12);
	p->min_rx = get32(b + 16);
	p->min_echo_rx = get32(b + 20);

	if (p->version != BFD_VERSION)
		return BFD_PKT_VERSION;
	/* with authentication the minimum is 26 (RFC 5880 6.8.6) */
	if (p->length < (p->auth ? BFD_PKT_LEN + 2 : BFD_PKT_LEN))
		return BFD_PKT_LENGTH;
	if (p->length > len)
		return BFD_PKT_SHORT;
	if (p->detect_mult == 0)
		return BFD_PKT_MULT;
	if (p->multipoint)
		return BFD_PKT_MULTIPOINT;
	if (p->my_discr == 0)
		return BFD_PKT_DISCR;
	if (p->your_discr == 0 && p->state != BFD_DOWN &&
	    p->state != BFD_ADMIN_DOWN)
		return BFD_PKT_YOUR_DISCR;
	/* no authentication is configured: an authenticated packet is
	 * discarded (RFC 5880 6.8.6) */
	if (p->auth)
		return BFD_PKT_AUTH;
	return BFD_PKT_OK;
}

size_t
bfd_pkt_encode(const struct bfd_pkt *p, uint8_t buf[BFD_PKT_LEN])
{
	buf[0] = (uint8_t)(BFD_VERSION << 5 | (p->diag & 0x1f));
	buf[1] = (uint8_t)((p->state & 3) << 6 | p->poll << 5 |
	    p->final << 4 | p->cpi << 3 | p->demand << 1);
	buf[2] = p->detect_mult;
	buf[3] = BFD_PKT_LEN;
	put32(buf + 4, p->my_discr);
	put32(buf + 8, p->your_discr);
	put32(buf + 12, p->min_tx);
	put32(buf + 16, p->min_rx);
	put32(buf + 20, p->min_echo_rx);
	return BFD_PKT_LEN;
}

const char *
bfd_pkt_err_name(enum bfd_pkt_err e)
{
	static const char *const n[BFD_PKT_ERR_MAX] = {
		[BFD_PKT_OK] = "ok",
		[BFD_PKT_SHORT] = "too short",
		[BFD_PKT_VERSION] = "not version 1",
		[BFD_PKT_LENGTH] = "bad length field",
		[BFD_PKT_MULT] = "detect multiplier 0",
		[BFD_PKT_MULTIPOINT] = "multipoint bit set",
		[BFD_PKT_DISCR] = "my discriminator 0",
		[BFD_PKT_YOUR_DISCR] = "your discriminator 0 while not down",
		[BFD_PKT_AUTH] = "authentication not configured",
	};

	return (unsigned)e < BFD_PKT_ERR_MAX ? n[e] : "unknown";
}

const char *
bfd_state_name(unsigned s)
{
	static const char *const n[] = { "AdminDown", "Down", "Init", "Up" };

	return s < 4 ? n[s] : "Unknown";
}

const char *
bfd_diag_name(unsigned d)
{
	static const char *const n[] = {
		"No Diagnostic", "Control Detection Time Expired",
		"Echo Function Failed", "Neighbor Signaled Session Down",
		"Forwarding Plane Reset", "Path Down",
		"Concatenated Path Down", "Administratively Down",
		"Reverse Concatenated Path Down",
	};

	return d < sizeof(n) / sizeof(n[0]) ? n[d] : "Unknown";
}
