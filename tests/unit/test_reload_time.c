/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reload_time_file's entry (daemon/reload_time.c): the three formats, in
 * local time and with Z in UTC; a time of day not after now is
 * tomorrow's (what a reload_repeat entry is read as once its reload ran),
 * across a daylight saving change too (a day that skips it is passed
 * over; in a repeated hour it is the first); every bad entry is refused
 * with what is wrong. Local time is a POSIX TZ rule (no zoneinfo needed):
 * CET-1CEST moves to summer time on 2026-03-29 at 02:00 and back on
 * 2026-10-25 at 03:00.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/reload_time.h"

#include "check_run.h"

#define CET "CET-1CEST,M3.5.0,M10.5.0/3"

static void
zone(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static time_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
	    .tm_hour = h, .tm_min = mi, .tm_sec = s };

	return timegm(&tm);
}

/* text read at now: its time (dated as said), or fail */
static void
ok(const char *text, time_t now, time_t want, int dated)
{
	struct reload_time rt = { 0, -1 };
	char why[160] = "";

	ck_assert_msg(reload_time_parse(text, now, &rt, why, sizeof(why)) ==
	    0, "'%s' refused: %s", text, why);
	ck_assert_msg(rt.when == want, "'%s': %lld, expected %lld (%+lld s)",
	    text, (long long)rt.when, (long long)want,
	    (long long)(rt.when - want));
	ck_assert_int_eq(rt.dated, dated);
}

/* text refused at now, saying why */
static void
bad(const char *text, time_t now, const char *want)
{
	struct reload_time rt = { 0, 0 };
	char why[160] = "";

	ck_assert_msg(reload_time_parse(text, now, &rt, why, sizeof(why)) ==
	    -1, "'%s' accepted", text);
	ck_assert_msg(strcmp(why, want) == 0, "'%s': '%s', expected '%s'",
	    text, why, want);
}

START_TEST(formats)
{
	time_t now = utc(2026, 12, 4, 13, 0, 0);

	zone("UTC0");
	ok("13:00:05", now, now + 5, 0);
	ok("26-12-04 13:00:05", now, now + 5, 1);
	ok("2026-12-04 13:00:05", now, now + 5, 1);
	ok("13:00:05Z", now, now + 5, 0);
	ok("26-12-04 13:00:05Z", now, now + 5, 1);
	ok("2026-12-04 13:00:05Z", now, now + 5, 1);
	ok("2027-01-01 00:00:00", now, utc(2027, 1, 1, 0, 0, 0), 1);
	ok("2028-02-29 23:59:59", now, utc(2028, 2, 29, 23, 59, 59), 1);
	/* YY as strptime's %y: 00-68 this century */
	ok("68-06-30 12:00:00", now, utc(2068, 6, 30, 12, 0, 0), 1);
}
END_TEST

START_TEST(time_of_day_is_today_or_tomorrow)
{
	time_t now = utc(2026, 12, 4, 13, 0, 0);

	zone("UTC0");
	ok("13:00:01", now, now + 1, 0);
	ok("23:59:59", now, utc(2026, 12, 4, 23, 59, 59), 0);
	/* not after now: tomorrow's. A reload_repeat entry is read again
	 * when its reload is due (now at its time): the next day's */
	ok("13:00:00", now, now + 86400, 0);
	ok("12:59:59", now, now + 86399, 0);
	ok("00:00:00", now, utc(2026, 12, 5, 0, 0, 0), 0);
	/* the month and the year roll over */
	ok("10:00:00", utc(2026, 12, 31, 11, 0, 0), utc(2027, 1, 1, 10, 0, 0),
	    0);
	ok("10:00:00", utc(2028, 2, 28, 11, 0, 0), utc(2028, 2, 29, 10, 0, 0),
	    0);
}
END_TEST

START_TEST(local_time_and_utc)
{
	/* 14:00 in CET */
	time_t now = utc(2026, 12, 4, 13, 0, 0);

	zone(CET);
	ok("14:00:05", now, now + 5, 0);
	ok("2026-12-04 14:00:05", now, now + 5, 1);
	ok("13:30:00Z", now, now + 1800, 0);
	ok("2026-12-04 13:30:00Z", now, now + 1800, 1);
	/* 13:30 CET has passed today: tomorrow's */
	ok("13:30:00", now, utc(2026, 12, 5, 12, 30, 0), 0);
	/* today is the UTC day for Z, the local one without (00:30 CET on
	 * the 5th is 23:30 UTC on the 4th) */
	now = utc(2026, 12, 4, 23, 30, 0);
	ok("23:45:00Z", now, utc(2026, 12, 4, 23, 45, 0), 0);
	ok("23:45:00", now, utc(2026, 12, 5, 22, 45, 0), 0);
	ok("00:15:00", now, utc(2026, 12, 5, 23, 15, 0), 0);
}
END_TEST

START_TEST(daily_across_daylight_saving)
{
	/* noon CET, the day before summer time */
	time_t now = utc(2026, 3, 28, 11, 0, 0);

	zone(CET);
	/* the same time of day tomorrow is 23 hours on */
	ok("12:00:00", now, utc(2026, 3, 29, 10, 0, 0), 0);
	ok("12:00:00", utc(2026, 10, 24, 10, 0, 0),
	    utc(2026, 10, 25, 11, 0, 0), 0);
	/* 02:30 does not exist on the 29th */
	bad("2026-03-29 02:30:00", now, "2026-03-29 02:30:00 does not exist "
	    "in local time (a daylight saving change skips it)");
	/* a time of day goes on to the next day that has it: a
	 * reload_repeat entry read again when it is due (at 02:30 CET on the
	 * 28th) is the 30th's, not an error that stops it for good */
	ok("02:30:00", now, utc(2026, 3, 30, 0, 30, 0), 0);
	ok("02:30:00", utc(2026, 3, 28, 1, 30, 0), utc(2026, 3, 30, 0, 30, 0),
	    0);
	ok("02:00:00", utc(2026, 3, 28, 1, 0, 0), utc(2026, 3, 30, 0, 0, 0),
	    0);
	/* the hours either side are there on the 29th */
	ok("01:59:59", utc(2026, 3, 28, 1, 0, 0), utc(2026, 3, 29, 0, 59, 59),
	    0);
	ok("03:00:00", utc(2026, 3, 28, 2, 0, 0), utc(2026, 3, 29, 1, 0, 0),
	    0);
	/* on the 29th, after the change, the next 02:30 is the 30th's */
	ok("02:30:00", utc(2026, 3, 29, 0, 10, 0), utc(2026, 3, 30, 0, 30, 0),
	    0);
	/* in UTC there is no gap */
	ok("02:30:00Z", utc(2026, 3, 28, 2, 30, 0), utc(2026, 3, 29, 2, 30, 0),
	    0);
	ok("2026-03-29 01:30:00Z", now, utc(2026, 3, 29, 1, 30, 0), 1);
}
END_TEST

START_TEST(repeated_hour_is_its_first)
{
	/* summer time ends on 2026-10-25: 02:00-03:00 comes twice, at
	 * 00:00-01:00 UTC (CEST) and at 01:00-02:00 UTC (CET) */
	zone(CET);
	/* 02:30 is the first one, from before the hour... */
	ok("02:30:00", utc(2026, 10, 24, 23, 0, 0), utc(2026, 10, 25, 0, 30, 0),
	    0);
	ok("2026-10-25 02:30:00", utc(2026, 10, 24, 23, 0, 0),
	    utc(2026, 10, 25, 0, 30, 0), 1);
	ok("02:00:00", utc(2026, 10, 24, 23, 0, 0), utc(2026, 10, 25, 0, 0, 0),
	    0);
	/* ...so a reload_repeat entry read again when it is due (at the
	 * first 02:30) is the next day's, not the second 02:30 an hour on */
	ok("02:30:00", utc(2026, 10, 25, 0, 30, 0), utc(2026, 10, 26, 1, 30, 0),
	    0);
	/* and in the second hour today's has passed */
	ok("02:30:00", utc(2026, 10, 25, 1, 0, 0), utc(2026, 10, 26, 1, 30, 0),
	    0);
	bad("2026-10-25 02:30:00", utc(2026, 10, 25, 1, 0, 0), "2026-10-25 "
	    "02:30:00 is in the past");
	/* the hours either side are there once */
	ok("01:59:59", utc(2026, 10, 24, 23, 0, 0),
	    utc(2026, 10, 24, 23, 59, 59), 0);
	ok("03:00:00", utc(2026, 10, 24, 23, 0, 0), utc(2026, 10, 25, 2, 0, 0),
	    0);
	/* in summer and in winter one time of day, one time */
	ok("14:00:00", utc(2026, 7, 1, 11, 0, 0), utc(2026, 7, 1, 12, 0, 0), 0);
	ok("2026-07-01 14:00:00", utc(2026, 7, 1, 11, 0, 0),
	    utc(2026, 7, 1, 12, 0, 0), 1);
}
END_TEST

#define FORMATS "expected HH:MM:SS, YY-MM-DD HH:MM:SS or YYYY-MM-DD " \
	"HH:MM:SS, each with an optional Z at the end for UTC"

START_TEST(bad_entries)
{
	time_t now = utc(2026, 12, 4, 13, 0, 0);

	zone("UTC0");
	bad("", now, FORMATS);
	bad("Z", now, FORMATS);
	bad("1:00:00", now, FORMATS);
	bad(" 13:00:05", now, FORMATS);
	bad("13:00:05 ", now, FORMATS);
	bad("13:00:05ZZ", now, FORMATS);
	bad("13:00:05z", now, FORMATS);
	bad("13:00", now, FORMATS);
	bad("2026-12-04  13:00:05", now, FORMATS);
	bad("tomorrow", now, "character 1: expected a digit (the format "
	    "HH:MM:SS)");
	bad("13-00-05", now, "character 3: expected ':' (the format "
	    "HH:MM:SS)");
	bad("13:00:0a", now, "character 8: expected a digit (the format "
	    "HH:MM:SS)");
	bad("+1:00:05Z", now, "character 1: expected a digit (the format "
	    "HH:MM:SSZ)");
	bad("2026-12-04T13:00:05", now, "character 11: expected one space "
	    "(the format YYYY-MM-DD HH:MM:SS)");
	bad("2026/12/04 13:00:05", now, "character 5: expected '-' (the "
	    "format YYYY-MM-DD HH:MM:SS)");
	bad("26-12-04\t13:00:05", now, "character 9: expected one space (the "
	    "format YY-MM-DD HH:MM:SS)");
	bad("24:00:00", now, "hour 24 is not 00-23");
	bad("12:60:00", now, "minute 60 is not 00-59");
	bad("12:00:60", now, "second 60 is not 00-59");
	bad("2026-13-01 00:00:00", now, "month 13 is not 01-12");
	bad("2026-00-10 00:00:00", now, "month 00 is not 01-12");
	bad("2027-02-29 00:00:00", now, "day 29: 2027-02 has 28 days");
	bad("2027-04-31 00:00:00", now, "day 31: 2027-04 has 30 days");
	bad("27-01-00 00:00:00", now, "day 00: 2027-01 has 31 days");
	bad("2026-12-04 13:00:00", now, "2026-12-04 13:00:00 is in the past");
	bad("2026-12-04 12:00:00Z", now, "2026-12-04 12:00:00 UTC is in the "
	    "past");
	bad("2025-06-01 00:00:00", now, "2025-06-01 00:00:00 is in the past");
	/* 69-99 are the last century's */
	bad("99-12-31 23:59:59", now, "1999-12-31 23:59:59 is in the past");
}
END_TEST

START_TEST(printed_in_local_time)
{
	char buf[32];

	zone("UTC0");
	ck_assert_str_eq(reload_time_str(utc(2026, 12, 4, 13, 0, 5), buf,
	    sizeof(buf)), "2026-12-04 13:00:05");
	zone(CET);
	ck_assert_str_eq(reload_time_str(utc(2026, 12, 4, 13, 0, 5), buf,
	    sizeof(buf)), "2026-12-04 14:00:05");
}
END_TEST

static Suite *
reload_time_suite(void)
{
	Suite *s = suite_create("reload_time");
	TCase *tc = tcase_create("reload_time");

	tcase_add_test(tc, formats);
	tcase_add_test(tc, time_of_day_is_today_or_tomorrow);
	tcase_add_test(tc, local_time_and_utc);
	tcase_add_test(tc, daily_across_daylight_saving);
	tcase_add_test(tc, repeated_hour_is_its_first);
	tcase_add_test(tc, bad_entries);
	tcase_add_test(tc, printed_in_local_time);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(reload_time_suite());
}
