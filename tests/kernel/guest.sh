#!/bin/sh
# Inside the User-Mode Linux guest (tests/kernel/kernel.sh boots it once):
# every kernel test script named on the command line, in turn. Prints each
# one's output and a summary line per script; fails if any failed.
set -u
rc=0
for t in "$@"; do
	echo "# $t"
	sh "$top_srcdir/tests/kernel/$t"
	r=$?
	case $r in
	0) echo "PASS: $t" ;;
	77) echo "SKIP: $t" ;;
	*) echo "FAIL: $t (status $r)"; rc=1 ;;
	esac
done
exit $rc
