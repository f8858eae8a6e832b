#!/bin/sh
# Inside the User-Mode Linux guest (tests/kernel/kernel.sh boots it once):
# every kernel test script named on the command line, in turn. Prints each
# one's output and a summary line per script; fails if any failed, SKIP
# (77) if the guest has no IPVS or every script skipped.
set -u
if [ ! -e /proc/net/ip_vs ]; then
	echo "SKIP: no IPVS in the guest (modules under /usr/lib/uml/modules?)"
	exit 77
fi
rc=0 passed=0
for t in "$@"; do
	echo "# $(date +%T) $t"
	sh "$top_srcdir/tests/kernel/$t"
	r=$?
	case $r in
	0) echo "PASS: $t"; passed=$((passed + 1)) ;;
	77) echo "SKIP: $t" ;;
	*) echo "FAIL: $t (status $r)"; rc=1 ;;
	esac
done
[ $rc = 0 ] && [ $passed = 0 ] && rc=77
exit $rc
