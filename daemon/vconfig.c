/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "autoconfig.h"

#include "vconfig.h"

#include <stdlib.h>
#include <time.h>

#include "child.h"
#include "global_conf.h"
#include "healthcheck/config.h"
#include "log.h"
#include "vrrp/config.h"

/* Phase timings are logged at debug level (-D; bench/reload reads them). */
static double
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static const char *
owners_name(unsigned owners)
{
	if (owners & CONF_OWNER_BIT(CONF_OWNER_VRRP))
		return owners & CONF_OWNER_BIT(CONF_OWNER_CHECK) ? "all" :
		    "vrrp";
	return owners & CONF_OWNER_BIT(CONF_OWNER_CHECK) ? "checker" :
	    "global";
}

static struct conf_registry *registry;

struct conf_registry *
vconfig_registry(void)
{
	if (registry != NULL)
		return registry;
	registry = conf_registry_new();
	if (registry == NULL)
		return NULL;
	if (global_conf_register(registry) < 0 ||
	    vrrp_conf_register(registry) < 0 ||
	    chk_conf_register(registry) < 0) {
		conf_registry_free(registry);
		registry = NULL;
	}
	return registry;
}

void
vconfig_registry_release(void)
{
	conf_registry_free(registry);
	registry = NULL;
}

void
vconfig_free(struct vigil_config *c)
{
	if (c == NULL)
		return;
	conf_tree_free(c->tree);
	arena_free(c->arena);
	free(c);
}

int
vconfig_from_tree(struct conf_tree *tree, unsigned owners, const char *path,
    struct conf_diag *d, struct vigil_config **out)
{
	struct conf_registry *reg = vconfig_registry();
	struct vigil_config *c;
	void *roots[CONF_OWNER_MAX] = { NULL };
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	*out = NULL;
	if (reg == NULL) {
		conf_diag_report(d, CONF_ERR, NULL,
		    "keyword registry could not be built");
		conf_tree_free(tree);
		return -1;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL || (c->arena = arena_new()) == NULL) {
		free(c);
		conf_tree_free(tree);
		conf_diag_report(d, CONF_ERR, NULL, "out of memory");
		return -1;
	}
	c->tree = tree;
	c->owners = owners | CONF_OWNER_BIT(CONF_OWNER_GLOBAL);
	c->path = arena_strdup(c->arena, path != NULL ? path : "-");
	c->generation = 1;
	c->global = global_conf_new(c->arena);
	roots[CONF_OWNER_GLOBAL] = c->global;
	if (c->owners & CONF_OWNER_BIT(CONF_OWNER_VRRP))
		roots[CONF_OWNER_VRRP] = c->vrrp = vrrp_conf_new(c->arena);
	if (c->owners & CONF_OWNER_BIT(CONF_OWNER_CHECK))
		roots[CONF_OWNER_CHECK] = c->chk = chk_conf_new(c->arena);
	if (c->global == NULL ||
	    ((c->owners & CONF_OWNER_BIT(CONF_OWNER_VRRP)) && c->vrrp == NULL) ||
	    ((c->owners & CONF_OWNER_BIT(CONF_OWNER_CHECK)) && c->chk == NULL)) {
		conf_diag_report(d, CONF_ERR, NULL, "out of memory");
		vconfig_free(c);
		return -1;
	}
	if (conf_apply(reg, tree, c->owners, roots, c->arena, d) != 0 ||
	    (c->vrrp != NULL && vrrp_conf_check(c->vrrp, d) != 0) ||
	    (c->chk != NULL && chk_conf_finalize(c->chk, d) != 0)) {
		vconfig_free(c);
		return -1;
	}
	log_debug("built the %s configuration in %.1f ms",
	    owners_name(c->owners), ms_since(&t0));
	*out = c;
	return 0;
}

int
vconfig_load(const char *path, const struct conf_load_opts *lo,
    struct conf_diag *d, struct vigil_config **out)
{
	struct conf_tree *tree;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	*out = NULL;
	if (conf_load_file(path, lo, d, &tree) < 0)
		return -1;
	log_debug("read %s (%zu statements) in %.1f ms", path, tree->nnodes,
	    ms_since(&t0));
	return vconfig_from_tree(tree, CONF_OWNERS_ALL, path, d, out);
}

int
vconfig_encode(const struct vigil_config *c, unsigned owner_mask, void **buf,
    size_t *len)
{
	struct conf_registry *reg = vconfig_registry();
	struct conf_tree view = { 0 };
	struct conf_node **tail = &view.first;
	struct arena *a;
	struct timespec t0;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	owner_mask |= CONF_OWNER_BIT(CONF_OWNER_GLOBAL);
	if (reg == NULL || (a = arena_new()) == NULL)
		return -1;
	view.arena = a;
	/* A view sharing the nodes below the top level with c->tree. */
	for (const struct conf_node *n = c->tree->first; n != NULL; n = n->next) {
		enum conf_owner o;
		struct conf_node *copy;

		if (conf_registry_find(reg, "", n->argv[0], &o) == NULL ||
		    !(owner_mask & CONF_OWNER_BIT(o)))
			continue;
		if ((copy = arena_alloc(a, sizeof(*copy))) == NULL) {
			arena_free(a);
			return -1;
		}
		*copy = *n;
		copy->next = NULL;
		*tail = copy;
		tail = &copy->next;
		view.nnodes++;
	}
	rc = conf_tree_encode(&view, buf, len);
	arena_free(a);
	if (rc == 0)
		log_debug("encoded %zu bytes for the %s child in %.1f ms", *len,
		    owners_name(owner_mask), ms_since(&t0));
	return rc;
}

int
vconfig_wants_vrrp(const struct vigil_config *c)
{
	return c->vrrp != NULL && vrrp_conf_object_count(c->vrrp) > 0;
}

int
vconfig_wants_check(const struct vigil_config *c)
{
	return c->chk != NULL && chk_conf_object_count(c->chk) > 0;
}

void
vconfig_dump(const struct vigil_config *c, FILE *fp)
{
	fprintf(fp, "Configuration: %s (generation %u)\n", c->path,
	    c->generation);
	global_conf_dump(c->global, fp);
	if (c->vrrp != NULL)
		vrrp_conf_dump(c->vrrp, fp);
	if (c->chk != NULL)
		chk_conf_dump(c->chk, fp);
}
