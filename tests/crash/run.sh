#!/bin/sh
# Crash test: kill -9 the server at random moments under concurrent write
# load, CRASH_ROUNDS times (default 50). After each kill the database must
# verify (wage-server verify: the audit chain, the replay of every case, the
# indexes) — so nothing unacknowledged is half there — and at the end every
# acknowledged write must be there.
set -eu
SERVER=$1
WAGECTL=$2
LOAD=$3
ROUNDS=${CRASH_ROUNDS:-50}
T=$(mktemp -d /tmp/wage-crash.XXXXXX)
SPID=""
LPID=""
. tests/lib.sh
cleanup() {
	[ -n "$LPID" ] && kill -9 "$LPID" 2>/dev/null
	kill_server
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
mkpki "$T/pki"
PORT=$(freeport 1)
mkconf "$T/conf" "$PORT"
export WAGE_SERVER=tls+tcp://127.0.0.1:$PORT WAGE_CA=$T/pki/ca.crt \
	WAGE_CERT=$T/pki/union.crt WAGE_KEY=$T/pki/union.key
fail=0
r=1
while [ "$r" -le "$ROUNDS" ]; do
	start_server "$T/conf" "$T/log"
	"$LOAD" load 8 tests/data/cases/single-worker.json >>"$T/acks" 2>/dev/null &
	LPID=$!
	# A random moment within 50..549 ms of load.
	ms=$(( ( $(od -An -N2 -tu2 /dev/urandom) % 500 ) + 50 ))
	sleep "$(printf '0.%03d' "$ms")"
	kill_server
	kill "$LPID" 2>/dev/null || true
	wait "$LPID" 2>/dev/null || true
	LPID=""
	if ! "$SERVER" -c "$T/conf" verify >"$T/verify" 2>&1; then
		echo "crash: round $r: the database does not verify:"
		cat "$T/verify"
		fail=$((fail + 1))
	fi
	r=$((r + 1))
done
start_server "$T/conf" "$T/log"
# If the check runs long, the server logs where its contexts are (SIGUSR1),
# shown below on failure.
(sleep 120; kill -USR1 "$SPID") >/dev/null 2>&1 &
WPID=$!
if ! "$LOAD" check "$T/acks" >"$T/check"; then
	fail=$((fail + 1))
	grep "rpc:" "$T/log" || true
fi
kill "$WPID" 2>/dev/null || true
wait "$WPID" 2>/dev/null || true
tail -3 "$T/check"
stop_server
echo "crash: $((ROUNDS - fail)) passed, $fail failed ($ROUNDS kill -9 rounds)"
[ "$fail" -eq 0 ]
