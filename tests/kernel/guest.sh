#!/bin/sh
# Inside the User-Mode Linux guest (tests/kernel/kernel.sh boots it once):
# every kernel test script named on the command line, in turn. Prints each
# one's output and a summary line per script; fails if any failed, SKIP
# (77) if the guest has no IPVS or every script skipped. A script still
# running GUEST_BUDGET seconds after the guest started (kernel.sh sets it
# short of its own bound) is stopped (SIGTERM: klib.sh's scripts print
# their daemons' output and clean up) and fails.
set -u
if [ ! -e /proc/net/ip_vs ]; then
	echo "SKIP: no IPVS in the guest (modules under /usr/lib/uml/modules?)"
	exit 77
fi
rc=0 passed=0
end=$(($(date +%s) + ${GUEST_BUDGET:-1460}))
for t in "$@"; do
	left=$((end - $(date +%s)))
	if [ $left -le 0 ]; then
		echo "FAIL: $t (not run: the guest's time is over)"
		rc=1
		continue
	fi
	echo "# $(date +%T) $t"
	timeout -k 20 "$left" sh "$top_srcdir/tests/kernel/$t"
	r=$?
	case $r in
	0) echo "PASS: $t"; passed=$((passed + 1)) ;;
	77) echo "SKIP: $t" ;;
	124|137) echo "FAIL: $t (still running when the guest's time was over: stopped after $left s)"; rc=1 ;;
	*) echo "FAIL: $t (status $r)"; rc=1 ;;
	esac
done
[ $rc = 0 ] && [ $passed = 0 ] && rc=77
exit $rc
