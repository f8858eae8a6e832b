/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the BFD control packet codec and session state
 * machine: the input is cut into packets (each prefixed by its length
 * byte); each is decoded, and what decodes is encoded and decoded again
 * (the same packet) and fed to one session, whose state and timers must
 * stay in range whatever a peer sends.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bfd/packet.h"
#include "bfd/session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct bfd_sess_conf c = {
		.min_tx = 100000, .min_rx = 100000, .idle_tx = 1000000,
		.mult = 3,
	};
	struct bfd_sess s;
	uint64_t now = 1;

	bfd_sess_init(&s, &c, 0x1234);
	while (size > 0) {
		size_t n = data[0];
		struct bfd_pkt p, q, out;
		uint8_t buf[BFD_PKT_LEN];

		data++;
		size--;
		if (n > size)
			n = size;
		/* a copy of exactly n bytes: any read past them is caught */
		uint8_t *pk = malloc(n ? n : 1);

		if (pk == NULL)
			return 0;
		memcpy(pk, data, n);
		if (bfd_pkt_decode(pk, n, &p) == BFD_PKT_OK) {
			bfd_pkt_encode(&p, buf);
			if (bfd_pkt_decode(buf, sizeof(buf), &q) != BFD_PKT_OK ||
			    q.my_discr != p.my_discr || q.state != p.state ||
			    q.min_tx != p.min_tx || q.min_rx != p.min_rx ||
			    q.diag != p.diag || q.poll != p.poll ||
			    q.final != p.final)
				abort();
			if (p.your_discr == 0 || p.your_discr == 0x1234) {
				bfd_sess_rx(&s, &p, now);
				now += 1000 * (uint64_t)(p.my_discr & 0xfff);
				bfd_sess_expire(&s, now);
			}
			if (s.state > BFD_UP || bfd_sess_tx_interval(&s) == 0)
				abort();
			(void)bfd_sess_tx_jittered(&s, p.my_discr);
			bfd_sess_build(&s, &out);
			if (out.final && out.poll)
				abort();
		}
		free(pk);
		data += n;
		size -= n;
	}
	return 0;
}
