/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Gratuitous ARP and unsolicited neighbour advertisements, written whole
 * (Ethernet header included) to one AF_PACKET socket that receives
 * nothing (protocol 0), so the source MAC can be a VMAC's.
 *
 * GARP, as keepalived sends it: an ARP request, broadcast, sender and
 * target protocol address the VIP, sender hardware address the MAC,
 * target hardware address broadcast.
 * NA (RFC 4861 4.4, 7.2.6): from the VIP to ff02::1 (33:33:00:00:00:01),
 * hop limit 255, override flag set, router and solicited unset, with a
 * target link-layer address option.
 */
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrp/arp.h"
#include "vrrp/packet.h"

#define ETH_HDR		14
#define ARP_LEN		28
#define IP6_HDR		40
#define NA_LEN		32	/* NA header 24 + target link-layer option 8 */
#define ICMP6_NA	136
#define NA_OVERRIDE	0x20

struct vrrp_arp {
	int fd;
	unsigned dropped;
};

static const unsigned char bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const unsigned char all_nodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
static const unsigned char all_nodes[16] = { 0xff, 0x02, [15] = 1 };

struct vrrp_arp *
vrrp_arp_new(void)
{
	struct vrrp_arp *a = calloc(1, sizeof(*a));
	int e;

	if (a == NULL)
		return NULL;
	a->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (a->fd < 0) {
		e = errno;
		free(a);
		errno = e;
		return NULL;
	}
	return a;
}

void
vrrp_arp_free(struct vrrp_arp *a)
{
	if (a == NULL)
		return;
	close(a->fd);
	free(a);
}

unsigned
vrrp_arp_dropped(const struct vrrp_arp *a)
{
	return a->dropped;
}

static size_t
build_garp(unsigned char *f, const unsigned char mac[6],
    const struct in_addr *ip)
{
	unsigned char *arp = f + ETH_HDR;

	memcpy(f, bcast, 6);
	memcpy(f + 6, mac, 6);
	f[12] = ETH_P_ARP >> 8;
	f[13] = ETH_P_ARP & 0xff;
	arp[0] = 0;			/* hardware: Ethernet */
	arp[1] = 1;
	arp[2] = ETH_P_IP >> 8;		/* protocol: IPv4 */
	arp[3] = ETH_P_IP & 0xff;
	arp[4] = 6;
	arp[5] = 4;
	arp[6] = 0;			/* request */
	arp[7] = 1;
	memcpy(arp + 8, mac, 6);
	memcpy(arp + 14, ip, 4);
	memcpy(arp + 18, bcast, 6);
	memcpy(arp + 24, ip, 4);
	return ETH_HDR + ARP_LEN;
}

static size_t
build_na(unsigned char *f, const unsigned char mac[6],
    const struct in6_addr *ip)
{
	unsigned char *ip6 = f + ETH_HDR, *na = ip6 + IP6_HDR, ph[40];
	uint32_t sum = 0;
	uint16_t c;
	unsigned i;

	memcpy(f, all_nodes_mac, 6);
	memcpy(f + 6, mac, 6);
	f[12] = ETH_P_IPV6 >> 8;
	f[13] = ETH_P_IPV6 & 0xff;

	memset(ip6, 0, IP6_HDR + NA_LEN);
	ip6[0] = 0x60;
	ip6[5] = NA_LEN;		/* payload length */
	ip6[6] = IPPROTO_ICMPV6;
	ip6[7] = 255;			/* hop limit */
	memcpy(ip6 + 8, ip, 16);
	memcpy(ip6 + 24, all_nodes, 16);

	na[0] = ICMP6_NA;
	na[4] = NA_OVERRIDE;
	memcpy(na + 8, ip, 16);
	na[24] = 2;			/* target link-layer address */
	na[25] = 1;			/* 8 bytes */
	memcpy(na + 26, mac, 6);

	/* RFC 4443 2.3: the checksum covers the IPv6 pseudo-header */
	memcpy(ph, ip6 + 8, 32);
	memset(ph + 32, 0, 8);
	ph[35] = NA_LEN;
	ph[39] = IPPROTO_ICMPV6;
	for (i = 0; i < sizeof(ph); i += 2)
		sum += (uint32_t)ph[i] << 8 | ph[i + 1];
	c = vrrp_csum(na, NA_LEN, sum);
	na[2] = (unsigned char)(c >> 8);
	na[3] = (unsigned char)c;
	return ETH_HDR + IP6_HDR + NA_LEN;
}

int
vrrp_arp_send(struct vrrp_arp *a, int ifindex, const unsigned char mac[6],
    const struct vg_addr *ip)
{
	unsigned char frame[ETH_HDR + IP6_HDR + NA_LEN];
	struct sockaddr_ll sll;
	size_t len;

	if (a == NULL || mac == NULL || ip == NULL || ifindex <= 0) {
		errno = EINVAL;
		return -1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = ifindex;
	sll.sll_halen = 6;
	if (ip->family == AF_INET) {
		len = build_garp(frame, mac, &ip->u.v4);
		sll.sll_protocol = htons(ETH_P_ARP);
	} else if (ip->family == AF_INET6) {
		len = build_na(frame, mac, &ip->u.v6);
		sll.sll_protocol = htons(ETH_P_IPV6);
	} else {
		errno = EAFNOSUPPORT;
		return -1;
	}
	memcpy(sll.sll_addr, frame, 6);
	if (sendto(a->fd, frame, len, MSG_DONTWAIT, (struct sockaddr *)&sll,
	    sizeof(sll)) != (ssize_t)len) {
		a->dropped++;
		return -1;
	}
	return 0;
}
