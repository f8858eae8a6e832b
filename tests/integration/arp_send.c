/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For tests/integration/arp.sh: announce addresses with vrrp/arp.c.
 *   arp_send IFNAME MAC ADDR...
 * sends one gratuitous ARP (IPv4) or unsolicited NA (IPv6) per ADDR out of
 * IFNAME from MAC, then prints "sent N dropped D". Exit 0 when every
 * packet went out.
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "vrrp/arp.h"

static int
parse_mac(const char *s, unsigned char mac[6])
{
	unsigned v[6];
	int i, n = 0;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%n", &v[0], &v[1], &v[2], &v[3],
	    &v[4], &v[5], &n) != 6 || s[n] != '\0')
		return -1;
	for (i = 0; i < 6; i++) {
		if (v[i] > 255)
			return -1;
		mac[i] = (unsigned char)v[i];
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct vrrp_arp *a;
	unsigned char mac[6];
	struct vg_addr ip;
	unsigned sent = 0, ifindex;
	int i;

	if (argc < 4) {
		fprintf(stderr, "usage: arp_send IFNAME MAC ADDR...\n");
		return 2;
	}
	ifindex = if_nametoindex(argv[1]);
	if (ifindex == 0 || parse_mac(argv[2], mac) < 0) {
		fprintf(stderr, "arp_send: bad interface or MAC\n");
		return 2;
	}
	a = vrrp_arp_new();
	if (a == NULL) {
		perror("arp_send: vrrp_arp_new");
		return 2;
	}
	for (i = 3; i < argc; i++) {
		if (addr_parse(argv[i], &ip) < 0) {
			fprintf(stderr, "arp_send: bad address %s\n", argv[i]);
			vrrp_arp_free(a);
			return 2;
		}
		if (vrrp_arp_send(a, (int)ifindex, mac, &ip) == 0)
			sent++;
		else
			perror("arp_send: vrrp_arp_send");
	}
	printf("sent %u dropped %u\n", sent, vrrp_arp_dropped(a));
	vrrp_arp_free(a);
	return sent == (unsigned)(argc - 3) ? 0 : 1;
}
