#!/bin/sh
# HTTP_GET against 10,000 hostile replies (tests/http_stress: garbage,
# headers past their bounds, a body far over the reply buffer, a bad chunk,
# a body cut short, good pages and 503s from a server in the same
# process): each reply ends the check the way its kind says, and the
# process's RSS at the end is within 5% of what it was after the first
# thousand.
. "$(dirname "$0")/lib.sh"

STRESS="${top_builddir:-.}/tests/http_stress"
[ -x "$STRESS" ] || fail "$STRESS not built"

in_ns "$STRESS" 10000 50 >"$T/out" 2>&1
rc=$?
cat "$T/out"
grep -q "^unexpected endings: 0$" "$T/out" ||
    fail "some replies ended a check otherwise than their kind says"
for kind in "garbage" "too many headers" "header line too long" \
    "body over the buffer" "bad chunk size" "body cut short" "good page" \
    "503"; do
	grep "^$kind  *served" "$T/out" |
	    awk '{ if ($(NF-3) + 0 == 0 || $(NF-3) + 0 != $NF + 0) exit 1 }' ||
	    fail "$kind: served and ended counts differ"
done
pass "10,000 hostile replies: each check ends as its reply's kind says"
[ "$rc" = 0 ] || fail "http_stress failed (RSS grew?)"
pass "10,000 hostile replies: RSS stays within 5%"
done_testing
