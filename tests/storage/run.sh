#!/bin/sh
# Storage full and hot backup, against the real server over TLS.
#  - with a 1 MiB LMDB map, filings are refused with STORAGE_FULL once it
#    is full, reads go on, and the database still verifies; restarted with
#    a larger map, the server carries on;
#  - `wage-server backup DIR` while the server is serving under write load
#    gives a copy that opens and whose audit chain verifies.
set -eu
SERVER=$1
WAGECTL=$2
LOAD=$3
T=$(mktemp -d /tmp/wage-storage.XXXXXX)
SPID=""
LPID=""
. tests/lib.sh
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "storage: ok   $1"; }
bad() { fail=$((fail + 1)); echo "storage: FAIL $1"; }
cleanup() {
	[ -n "$LPID" ] && kill "$LPID" 2>/dev/null
	stop_server
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
mkpki "$T/pki"
PORT=$(freeport 5)
mkconf "$T/small" "$PORT" "mapsize_mb: 1"
mkconf "$T/large" "$PORT" "mapsize_mb: 64"
export WAGE_SERVER=tls+tcp://127.0.0.1:$PORT WAGE_CA=$T/pki/ca.crt \
	WAGE_CERT=$T/pki/union.crt WAGE_KEY=$T/pki/union.key \
	WAGE_TOKEN_FILE=$T/session
FILING=tests/data/cases/single-worker.json

start_server "$T/small" "$T/log"
n=0
code=""
while [ $n -lt 2000 ]; do
	if "$WAGECTL" --json file "$FILING" >"$T/out" 2>"$T/err"; then
		n=$((n + 1))
		last=$(sed -n 's/.*"id": "\(WA[0-9-]*\)".*/\1/p' "$T/out")
		continue
	fi
	code=$(sed -n 's/^error: \([A-Z_]*\):.*/\1/p' "$T/err")
	break
done
if [ "$code" = STORAGE_FULL ] && [ $n -gt 0 ]; then
	ok "a 1 MiB map takes $n filings, then STORAGE_FULL: $(cat "$T/err")"
else
	bad "expected STORAGE_FULL after some filings, got '$code' after $n"
fi
if "$WAGECTL" --json file "$FILING" 2>"$T/err"; then
	bad "a filing succeeded on a full map"
elif grep -q STORAGE_FULL "$T/err"; then
	ok "the next filing is refused the same way"
else
	bad "the next filing failed otherwise: $(cat "$T/err")"
fi
if WAGE_CERT=$T/pki/clerk.crt WAGE_KEY=$T/pki/clerk.key \
    WAGE_TOKEN_FILE=$T/session-clerk "$WAGECTL" --json show "$last" \
    >/dev/null 2>"$T/err"; then
	ok "reads go on: case $last shows"
else
	bad "reading $last failed: $(cat "$T/err")"
fi
if WAGE_CERT=$T/pki/auditor.crt WAGE_KEY=$T/pki/auditor.key \
    WAGE_TOKEN_FILE=$T/session-aud "$WAGECTL" audit verify >"$T/v" \
    2>&1; then
	ok "the full database verifies: $(cat "$T/v")"
else
	bad "the full database does not verify: $(cat "$T/v")"
fi
stop_server
if "$SERVER" -c "$T/large" verify >"$T/v" 2>&1 && grep -q "\"cases\": $n," "$T/v"; then
	ok "after a restart all $n acknowledged cases are there and verify"
else
	bad "after the restart: $(cat "$T/v")"
fi
start_server "$T/large" "$T/log"
if "$WAGECTL" file "$FILING" >"$T/out" 2>"$T/err"; then
	ok "with a larger map the server carries on: $(cat "$T/out")"
else
	bad "still refused with a larger map: $(cat "$T/err")"
fi

# Hot backup under write load.
"$LOAD" load 4 "$FILING" >"$T/acks" 2>/dev/null &
LPID=$!
sleep 0.3
if "$SERVER" -c "$T/large" backup "$T/copy" >"$T/b" 2>&1 &&
    grep -q '"valid": true' "$T/b"; then
	ok "hot backup under load opens and verifies ($(grep -o '"events": [0-9]*' "$T/b"))"
else
	bad "hot backup: $(cat "$T/b")"
fi
if "$SERVER" -c "$T/large" backup "$T/copy" >"$T/b" 2>&1; then
	bad "a backup into an existing directory was not refused"
else
	ok "a backup into an existing directory is refused"
fi
kill "$LPID" 2>/dev/null || true
wait "$LPID" 2>/dev/null || true
LPID=""
stop_server
echo "storage: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
