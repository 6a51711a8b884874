#!/bin/sh
# Crash test: kill -9 the server at random moments under concurrent write
# load, ROUNDS times (default 50). After each restart every acknowledged
# write must be there, and the audit chain, the replay of cases and the
# indexes must verify (wage-server verify) — so nothing unacknowledged is
# half there.
set -eu
SERVER=$1
WAGECTL=$2
LOAD=$3
ROUNDS=${CRASH_ROUNDS:-50}
TOP=$(pwd)
T=$(mktemp -d /tmp/wage-crash.XXXXXX)
SPID=""
LPID=""
cleanup() {
	[ -n "$LPID" ] && kill -9 "$LPID" 2>/dev/null
	[ -n "$SPID" ] && kill -9 "$SPID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
"$WAGECTL" pki init "$T/pki" >/dev/null
"$WAGECTL" pki issue "$T/pki" --server --cn localhost --org crash \
	--region 370100 --dns localhost --ip 127.0.0.1 \
	--out "$T/pki/server" >/dev/null
"$WAGECTL" pki issue "$T/pki" --role union --cn 陈静 \
	--org 济南市历下区总工会工会驿站 --region 370102 \
	--out "$T/pki/union" >/dev/null
PORT=$(( 30000 + $$ % 20000 ))
cat > "$T/conf" <<CONF
listen: tls+tcp://127.0.0.1:$PORT
ca: $T/pki/ca.crt
cert: $T/pki/server.crt
key: $T/pki/server.key
db: $T/db
policy: $TOP/policies/wage-dispute.yaml
CONF
export WAGE_SERVER=tls+tcp://127.0.0.1:$PORT WAGE_CA=$T/pki/ca.crt \
	WAGE_CERT=$T/pki/union.crt WAGE_KEY=$T/pki/union.key
start() {
	: > "$T/log"
	"$SERVER" -c "$T/conf" 2>"$T/log" &
	SPID=$!
	i=0
	until grep -q READY "$T/log"; do
		i=$((i + 1))
		if [ $i -gt 400 ] || ! kill -0 "$SPID" 2>/dev/null; then
			echo "crash: server did not start:"; cat "$T/log"
			exit 1
		fi
		sleep 0.025
	done
}
fail=0
total=0
r=1
while [ "$r" -le "$ROUNDS" ]; do
	start
	"$LOAD" load 8 tests/data/cases/single-worker.json >>"$T/acks" 2>/dev/null &
	LPID=$!
	# A random moment within 50..549 ms of load.
	ms=$(( ( $(od -An -N2 -tu2 /dev/urandom) % 500 ) + 50 ))
	sleep "$(printf '0.%03d' "$ms")"
	kill -9 "$SPID"
	wait "$SPID" 2>/dev/null || true
	SPID=""
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
start
if ! "$LOAD" check "$T/acks" >"$T/check"; then
	fail=$((fail + 1))
fi
cat "$T/check" | tail -3
total=$ROUNDS
kill "$SPID"
wait "$SPID" 2>/dev/null || true
SPID=""
echo "crash: $((total - fail)) passed, $fail failed ($ROUNDS kill -9 rounds)"
[ "$fail" -eq 0 ]
