/* SPDX-License-Identifier: GPL-2.0-or-later */
/* VRRP configuration at scale: build, check and diff stay linear. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vrrp_conf_test.h"
#include "check_run.h"

/* ---- scale ------------------------------------------------------------------ */

static double
now(void)
{
	struct timespec ts;

	/* the thread's CPU time: a busy machine that takes the CPU away
	 * does not count */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* n instances on 255-VRID interfaces, n/10 scripts tracked by them, and one
 * sync group naming every instance. */
static char *
gen_instances(unsigned n)
{
	unsigned ns = n / 10 > 0 ? n / 10 : 1, i;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	for (i = 0; i < ns; i++)
		fprintf(f, "vrrp_script chk_%u {\n  script \"/bin/true %u\"\n"
		    "}\n", i, i);
	for (i = 0; i < n; i++)
		fprintf(f, "vrrp_instance VI_%u {\n  interface eth%u\n"
		    "  virtual_router_id %u\n  priority %u\n"
		    "  virtual_ipaddress {\n    10.%u.%u.1/24\n  }\n"
		    "  track_script {\n    chk_%u\n  }\n}\n", i, i / 255,
		    i % 255 + 1, 100 + i % 100, i / 256 % 256, i % 256, i % ns);
	fprintf(f, "vrrp_sync_group G {\n  group {\n");
	for (i = 0; i < n; i++)
		fprintf(f, "    VI_%u\n", i);
	fprintf(f, "  }\n}\n");
	fclose(f);
	return buf;
}

/* Write over a buffer larger than the caches, so that every timed run
 * starts from cold caches: a small configuration that stays in cache from
 * one run to the next would otherwise look several times faster per
 * instance than a large one, for reasons that have nothing to do with
 * how the work grows. */
static void
cool_caches(void)
{
	static volatile unsigned char *buf;
	size_t i, len = (size_t)64 << 20;

	if (buf == NULL)
		buf = malloc(len);
	ck_assert_ptr_nonnull((void *)buf);
	for (i = 0; i < len; i += 64)
		buf[i] = (unsigned char)i;
}

/* Seconds to build, check and self-diff the VRRP configuration of text
 * (the tree is parsed outside the clock): the best of runs tries. */
static double
time_vrrp(const char *text, unsigned n, unsigned runs)
{
	struct vrrp_conf_diff d;
	struct loaded l;
	double best = 1e9, t;

	while (runs-- > 0) {
		setup(&l);
		ck_assert_int_eq(conf_load_buffer("scale.conf", text,
		    strlen(text), &(struct conf_load_opts){ .config_id = "t" },
		    &l.d, &l.tree), 0);
		cool_caches();
		t = now();
		apply(&l);
		ck_assert_int_eq(vrrp_conf_diff(l.vc, l.vc, &d, NULL, NULL), 0);
		t = now() - t;
		if (t < best)
			best = t;
		ck_assert_uint_eq(l.nerr, 0);
		ck_assert_uint_eq(l.vc->instances.n, n);
		ck_assert_uint_eq(d.instances.unchanged, n);
		ck_assert_str_eq(vrrp_conf_find_instance(l.vc, "VI_0")
		    ->sync_group, "G");
		ck_assert_uint_eq(((const struct vrrp_sync_group_conf *)
		    l.vc->sync_groups.first)->members.n, n);
		unload(&l);
	}
	return best;
}

/*
 * Ten times the instances must take well under a hundred times as long
 * (CPU time, below 40x). Linear work measures ~10-14x (the larger set no longer fits in cache); a
 * measurement disturbed by a busy machine is taken again, while quadratic
 * growth fails every attempt.
 */
START_TEST(test_scale_linear)
{
	char *small = gen_instances(2000), *large = gen_instances(20000);
	double ts, tl;
	unsigned attempt;

	for (attempt = 1; attempt <= 3; attempt++) {
		ts = time_vrrp(small, 2000, 5);
		tl = time_vrrp(large, 20000, 3);
		fprintf(stderr, "vrrp scale: 2000 instances %.4f s, 20000 "
		    "instances %.4f s (x%.1f; linear ~10, quadratic ~100)\n",
		    ts, tl, tl / ts);
		if (tl < 40 * ts)
			break;
	}
	ck_assert_msg(tl < 40 * ts, "20000 instances took %.1fx the time of "
	    "2000", tl / ts);
	free(small);
	free(large);
}
END_TEST

/* The man page's ~SEQ example: 8 x 32 x 254 = 65,024 instances, each with
 * a track_file of its own. */
static const char seq_65024[] =
	"$VI4= \\\n"
	"track_file offset_instance_4.${IF}.${NUM}.${ID} { \\\n"
	"    file \"/run/679/track_files/4.${IF}.${NUM}.${ID}\" \\\n"
	"    weight -100 \\\n"
	"} \\\n"
	"vrrp_instance vrrp4.${IF}.${NUM}.${ID} { \\\n"
	"    interface bond${IF}.${NUM} \\\n"
	"    use_vmac vrrp4.${IF}.${NUM}.${ID} \\\n"
	"    virtual_router_id ${ID} \\\n"
	"    priority 130 \\\n"
	"    virtual_ipaddress { \\\n"
	"        10.${IF}.${NUM}.${ID}/24 \\\n"
	"    } \\\n"
	"    track_file { \\\n"
	"        offset_instance_4.${IF}.${NUM}.${ID} \\\n"
	"    } \\\n"
	"}\n"
	"~SEQ(IF,0,7) ~SEQ(NUM,0,31) ~SEQ(ID,1,254) $VI4\n";

START_TEST(test_scale_man_page)
{
	const struct vrrp_instance_conf *vi;
	struct vrrp_conf_diff d;
	struct loaded l;
	double t0, t1, t2;

	t0 = now();
	load_str(&l, seq_65024);
	t1 = now();
	ck_assert_int_eq(vrrp_conf_diff(l.vc, l.vc, &d, NULL, NULL), 0);
	t2 = now();
	if (l.nerr != 0)
		fprintf(stderr, "%.2000s", l.msgs);
	ck_assert_uint_eq(l.nerr, 0);
	ck_assert_uint_eq(l.vc->instances.n, 65024);
	ck_assert_uint_eq(l.vc->track_files.n, 65024);
	ck_assert_uint_eq(d.instances.unchanged, 65024);
	vi = vrrp_conf_find_instance(l.vc, "vrrp4.7.31.254");
	ck_assert_ptr_nonnull(vi);
	ck_assert_str_eq(vi->interface, "bond7.31");
	ck_assert_uint_eq(vi->p.vrid, 254);
	ck_assert_uint_eq(vi->track_file.n, 1);
	ck_assert_str_eq(((const struct vrrp_conf_track *)vi->track_file.first)
	    ->name, "offset_instance_4.7.31.254");
	fprintf(stderr, "vrrp scale: 65024 instances (~SEQ) loaded and checked "
	    "in %.3f s, self-diff %.3f s\n", t1 - t0, t2 - t1);
	unload(&l);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("vrrp_scale");
	TCase *tc = tcase_create("scale");

	/* bounded by linear work; the timeout only covers slow builds
	 * (valgrind, sanitizers) */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_scale_linear);
	tcase_add_test(tc, test_scale_man_page);
	suite_add_tcase(s, tc);
	return check_run(s);
}
