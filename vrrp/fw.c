/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VIP firewalling: the backend the configuration chooses (vrrp/fw.h).
 */
#include "autoconfig.h"

#include <stdlib.h>

#include "log.h"
#include "vrrp/fw.h"

struct vrrp_fw {
	int ipt_wanted;
	struct vrrp_ipt *ipt;	/* one of the two */
	struct vrrp_nft *nft;
};

struct vrrp_fw *
vrrp_fw_new(const struct vrrp_fw_params *p)
{
	struct vrrp_fw *fw = calloc(1, sizeof(*fw));

	if (fw == NULL)
		return NULL;
	fw->ipt_wanted = p->use_ipt;
	if (p->use_ipt && (fw->ipt = vrrp_ipt_new(&p->ipt)) != NULL)
		return fw;
	if (p->use_ipt)
		log_warn("%s:%u: vrrp_iptables: iptables cannot be used (see "
		    "above): nftables is used instead (table inet %s)",
		    p->ipt_loc.file != NULL ? p->ipt_loc.file : "?",
		    p->ipt_loc.line, p->nft.table != NULL ? p->nft.table :
		    "keepalived");
	if ((fw->nft = vrrp_nft_new(&p->nft)) == NULL) {
		free(fw);
		return NULL;
	}
	return fw;
}

int
vrrp_fw_same(const struct vrrp_fw *fw, const struct vrrp_fw_params *p)
{
	if (fw->ipt_wanted != p->use_ipt)
		return 0;
	return fw->ipt != NULL ? vrrp_ipt_same(fw->ipt, &p->ipt) :
	    vrrp_nft_same(fw->nft, &p->nft);
}

void
vrrp_fw_free(struct vrrp_fw *fw, int keep)
{
	if (fw == NULL)
		return;
	if (fw->ipt != NULL)
		vrrp_ipt_free(fw->ipt, keep);
	else
		vrrp_nft_free(fw->nft, keep);
	free(fw);
}

int
vrrp_fw_addr(struct vrrp_fw *fw, const struct vg_addr *a, int ifindex,
    const char *ifname, int add)
{
	if (fw->ipt != NULL)
		return vrrp_ipt_addr(fw->ipt, a, ifname, add);
	return vrrp_nft_addr(fw->nft, a, ifindex, ifname, add);
}

int
vrrp_fw_vmac(struct vrrp_fw *fw, const char *ifname, unsigned fams,
    int add)
{
	if (fw->ipt != NULL)
		return vrrp_ipt_vmac(fw->ipt, ifname, fams, add);
	return vrrp_nft_vmac(fw->nft, ifname, add);
}
