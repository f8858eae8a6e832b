/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one table of vigild's subsystems. Adding a subsystem is one entry
 * here and its own directory; the parent loops over the table for the
 * keyword registry, building and dumping configurations, the children it
 * runs, their pid files and the -P/-C style options.
 */
#include "autoconfig.h"

#include "vconfig.h"

#include <time.h>

#include "log.h"

#include "bfd/bfd.h"
#include "healthcheck/check.h"
#include "vrrp/vrrp.h"
#include "snmp.h"

const struct subsys *const vigil_subsystems[] = {
	&global_subsys,
	&vrrp_subsys,
	&chk_subsys,
	&bfd_subsys,
	&snmp_subsys,
	NULL
};

static struct conf_registry *registry;

struct conf_registry *
vconfig_registry(void)
{
	if (registry == NULL)
		registry = subsys_registry_new(vigil_subsystems);
	return registry;
}

void
vconfig_registry_release(void)
{
	conf_registry_free(registry);
	registry = NULL;
}

int
vconfig_load(const char *path, const struct conf_load_opts *lo,
    struct conf_diag *d, struct vigil_config **out)
{
	/* built while read, nothing dropped */
	return vconfig_load_stream(vigil_subsystems, vconfig_registry(), path,
	    lo, 0, 0, d, out);
}

int
vconfig_load_run(const char *path, const struct conf_load_opts *lo,
    struct conf_diag *d, struct vigil_config **out)
{
	struct conf_load_opts o = lo != NULL ? *lo :
	    (struct conf_load_opts){ .config_id = NULL };
	int rc;

	/* the children's parts encoded while read; the checkers'
	 * statements, which only the checker child builds from, not kept;
	 * the text read copied for config_save_dir */
	o.copy = config_save_begin();
	rc = vconfig_load_stream(vigil_subsystems, vconfig_registry(), path,
	    &o, CONF_OWNER_BIT(chk_subsys.owner), 1, d, out);
	config_save_end(o.copy, rc == 0 ? *out : NULL);
	return rc;
}

int
vconfig_load_test(const char *path, const struct conf_load_opts *lo,
    struct conf_diag *d, struct vigil_config **out)
{
	return vconfig_load_stream(vigil_subsystems, vconfig_registry(), path,
	    lo, CONF_OWNER_BIT(chk_subsys.owner), 0, d, out);
}

unsigned
vconfig_check_host(const struct vigil_config *c, struct conf_diag *d)
{
	return vconfig_host_check(vigil_subsystems, c, d);
}

void
vconfig_host_log(const struct vigil_config *c, struct conf_diag *d)
{
	unsigned n = vconfig_check_host(c, d);

	if (n > 0)
		log_warn("%s: %u problem(s) on this host (see above; vigild "
		    "-t lists them); running the configuration anyway: an "
		    "instance whose interface is missing waits in FAULT",
		    c->path, n);
}

void
vconfig_verdict(FILE *out, const char *path, int valid,
    const struct conf_diag *d)
{
	fprintf(out, "%s: configuration %s (%u error(s), %u warning(s))\n",
	    path, valid ? "is valid" : "is NOT valid", d->nerr, d->nwarn);
}

void
vconfig_dump_owners(const struct vigil_config *c, unsigned owners, FILE *fp)
{
	const struct subsys *tab[sizeof(vigil_subsystems) /
	    sizeof(vigil_subsystems[0])];
	size_t n = 0;

	for (const struct subsys *const *s = vigil_subsystems; *s != NULL; s++)
		if (owners & CONF_OWNER_BIT((*s)->owner))
			tab[n++] = *s;
	tab[n] = NULL;
	fprintf(fp, "Configuration: %s (generation %u)\n", c->path,
	    c->generation);
	vconfig_dump_parts(tab, c, fp);
}

void
vconfig_dump(const struct vigil_config *c, FILE *fp)
{
	vconfig_dump_owners(c, ~0u, fp);
}
