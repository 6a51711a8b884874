#!/bin/sh
# Run every unit test binary; print one summary line; exit non-zero on failure.
dir=$1
shift
pass=0
fail=0
for t in "$@"; do
	name=$(basename "$t")
	if "$t" >"$dir/$name.log" 2>&1; then
		pass=$((pass + 1))
		echo "unit: ok   $name"
	else
		fail=$((fail + 1))
		echo "unit: FAIL $name"
		cat "$dir/$name.log"
	fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
