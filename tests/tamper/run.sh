#!/bin/sh
# Tamper test: a real server over mutual TLS, a few cases filed and acted
# on, then the audit log tampered with where an insider could:
#   1. an export edited (one byte of one event, an event removed, the end
#      line cut off): `wagectl audit verify FILE --ca` must exit 1 and name
#      the event's seq;
#   2. the LMDB audit database of the stopped server edited with mdb_dump /
#      mdb_load (one character of one event, in the dump's hex):
#      `wage-server verify` must exit 1 and name the seq;
#   3. the chain rewritten consistently (tamper-rewrite: every prev and hash
#      recomputed with the server's own audit_hash, head record too): only
#      the signed checkpoints can tell, and `wage-server verify`, the online
#      `wagectl audit verify` and the offline check of a fresh export must
#      all fail at the first checkpoint after the rewrite.
# Usage: run.sh SERVER WAGECTL TAMPER-REWRITE (KEEP=1 keeps the temp dir)
set -u
SERVER=$1
WAGECTL=$2
REWRITE=$3
T=$(mktemp -d /tmp/wage-tamper.XXXXXX)
SPID=""
. tests/lib.sh
cleanup() { stop_server; [ -n "${KEEP:-}" ] || rm -rf "$T"; }
trap cleanup EXIT INT TERM

pass=0
fail=0
ok() {
	pass=$((pass + 1))
	echo "tamper: ok   $*"
}
nok() {
	fail=$((fail + 1))
	echo "tamper: FAIL $*"
}
# fatal WHAT: a step the rest depends on failed; print the summary, stop.
fatal() {
	nok "$*"
	echo "tamper: $pass passed, $fail failed"
	exit 1
}
# check NAME WANT_RC GREP_FILE PATTERN RC: RC must be WANT_RC and the file
# must hold the fixed string PATTERN (empty: not checked).
check() {
	if [ "$5" -ne "$2" ]; then
		nok "$1: exit $5, want $2"
		sed 's/^/    /' "$3" | head -5
	elif [ -n "$4" ] && ! grep -qF -- "$4" "$3"; then
		nok "$1: no \"$4\" in:"
		sed 's/^/    /' "$3" | head -5
	else
		ok "$1"
	fi
}
# as ROLE ARGS...: wagectl with ROLE's certificate.
as() {
	r=$1
	shift
	WAGE_CERT=$T/pki/$r.crt WAGE_KEY=$T/pki/$r.key "$WAGECTL" "$@"
}
# hex TEXT: TEXT's bytes as mdb_dump writes them (lowercase hex).
hex() {
	printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'
}
# seqs_of TYPE FILE: the seq of every line of TYPE in an export.
seqs_of() {
	grep -F "\"type\":\"$1\"" "$2" |
		sed -n 's/.*"seq":\([0-9]*\),.*/\1/p'
}

mkpki "$T/pki"
PORT=$(freeport 5)
# A checkpoint every 3 events, none by time during the run.
mkconf "$T/conf" "$PORT" "checkpoint_events: 3" "checkpoint_seconds: 3600"
mkdir -p "$T/run"
# Session files of wagectl under $T, not the user's.
export WAGE_SERVER="tls+tcp://127.0.0.1:$PORT" WAGE_CA="$T/pki/ca.crt" \
	HOME="$T" XDG_RUNTIME_DIR="$T/run"
CA=$T/pki/ca.crt
start_server "$T/conf" "$T/log" || fatal "the server did not start"

# ---- cases: three filed by the union station, acted on by the clerk ----
ids=""
for n in 1 2 3; do
	id=$(as union file tests/data/cases/single-worker.json 2>"$T/err" |
		sed -n 's/^filed \([^:]*\):.*/\1/p')
	if [ -z "$id" ]; then
		cat "$T/err"
		fatal "union files case $n"
	fi
	ids="$ids $id"
done
# shellcheck disable=SC2086 # split into the three ids
set -- $ids
C1=$1
C2=$2
C3=$3
rc=0
as clerk act "$C1" accept >"$T/out" 2>&1 || rc=$?
as clerk act "$C2" refuse --set reason=不属于劳动争议受理范围 \
	>>"$T/out" 2>&1 || rc=$?
as clerk act "$C3" accept_arbitration --set reason=申请人不同意调解 \
	>>"$T/out" 2>&1 || rc=$?
as clerk act "$C1" refer_inspection --set reason=用人单位拒不支付 \
	>>"$T/out" 2>&1 || rc=$?
# A fourth case: event 8, after the checkpoint of seq 7 (unsigned tail).
as union file tests/data/cases/single-worker.json >>"$T/out" 2>&1 || rc=$?
check "4 cases filed, 4 events fired by the clerk" 0 "$T/out" "" "$rc"

# ---- 1. the export ----
rc=0
as auditor audit export "$T/export.jsonl" >"$T/out" 2>&1 || rc=$?
check "wagectl audit export" 0 "$T/out" "exported" "$rc"
NEV=$(grep -c '"type":"event"' "$T/export.jsonl")
CPS=$(seqs_of checkpoint "$T/export.jsonl" | tr '\n' ' ')
echo "tamper: export: $NEV events, checkpoints at seq $CPS"
rc=0
"$WAGECTL" audit verify "$T/export.jsonl" --ca "$CA" >"$T/out" 2>&1 ||
	rc=$?
check "untouched export verifies offline" 0 "$T/out" "export verifies" "$rc"

# One byte of event 4 (the clerk's "accept" of C1): "mediation" ->
# "mediatiom" in its "to".
sed '/"type":"event"/s/"seq":4,\(.*\)"to":"mediation"/"seq":4,\1"to":"mediatiom"/' \
	"$T/export.jsonl" >"$T/bad.jsonl"
if cmp -s "$T/export.jsonl" "$T/bad.jsonl"; then
	nok "export: the edit of event 4 did not apply"
fi
rc=0
"$WAGECTL" audit verify "$T/bad.jsonl" --ca "$CA" >/dev/null 2>"$T/err" ||
	rc=$?
check "export, one byte of event 4 changed: exit 1, names seq 4" 1 \
	"$T/err" "does NOT verify at seq 4: hash does not match" "$rc"

# Event 4 removed.
grep -v '"seq":4,"time"' "$T/export.jsonl" >"$T/bad.jsonl"
rc=0
"$WAGECTL" audit verify "$T/bad.jsonl" --ca "$CA" >/dev/null 2>"$T/err" ||
	rc=$?
check "export, event 4 removed: exit 1, names seq 4" 1 "$T/err" \
	"does NOT verify at seq 4: event" "$rc"

# The end line cut off: reported as a possible cut after the last
# checkpoint.
LASTCP=$(seqs_of checkpoint "$T/export.jsonl" | tail -1)
grep -v '"type":"end"' "$T/export.jsonl" >"$T/bad.jsonl"
rc=0
"$WAGECTL" audit verify "$T/bad.jsonl" --ca "$CA" >/dev/null 2>"$T/err" ||
	rc=$?
check "export, end line removed: a cut after checkpoint $LASTCP" 1 \
	"$T/err" "cut after the last checkpoint (seq $LASTCP)" "$rc"

# Verified against another CA.
"$WAGECTL" pki init "$T/other" >/dev/null 2>&1
rc=0
"$WAGECTL" audit verify "$T/export.jsonl" --ca "$T/other/ca.crt" \
	>/dev/null 2>"$T/err" || rc=$?
check "export checked against another CA: exit 1" 1 "$T/err" \
	"not issued by this CA" "$rc"

# ---- 2. the LMDB database behind the stopped server's back ----
stop_server
cp -a "$T/db" "$T/db.orig"
rc=0
"$SERVER" -c "$T/conf" verify >"$T/out" 2>&1 || rc=$?
check "wage-server verify on the untouched database" 0 "$T/out" \
	'"valid": true' "$rc"

mdb_dump -s audit "$T/db" >"$T/audit.dump"
KEY4=" 0000000000000004"
FROM=$(hex '"to":"mediation"')
TO=$(hex '"to":"mediatiom"')
# In the value line after key 4, replace the hex (at a byte boundary).
awk -v key="$KEY4" -v from="$FROM" -v to="$TO" '
	prev == key {
		i = index($0, from)
		if (i > 0 && (i - 2) % 2 == 0) {
			$0 = substr($0, 1, i - 1) to substr($0, i + length(from))
			done = 1
		}
	}
	{ prev = $0; print }
	END { if (!done) exit 1 }' "$T/audit.dump" >"$T/audit.bad" ||
	nok "mdb_dump: event 4 has no \"to\":\"mediation\""
rc=0
mdb_load -s audit -f "$T/audit.bad" "$T/db" >"$T/out" 2>&1 || rc=$?
check "mdb_load of the edited dump" 0 "$T/out" "" "$rc"
rc=0
"$SERVER" -c "$T/conf" verify >"$T/out" 2>&1 || rc=$?
check "LMDB: one character of event 4 changed: verify exit 1, seq 4" 1 \
	"$T/out" '"first_bad_seq": 4' "$rc"
grep -qF "hash does not match" "$T/out" ||
	nok "LMDB: the problem is not the hash of event 4"

# ---- 3. the chain rewritten consistently from event 2 ----
rm -rf "$T/db"
cp -a "$T/db.orig" "$T/db"
rc=0
"$REWRITE" "$T/db" 2 张三 >"$T/out" 2>&1 || rc=$?
check "tamper-rewrite from seq 2 (actor renamed, hashes recomputed)" 0 \
	"$T/out" "rewrote" "$rc"
# The first checkpoint at or after seq 2 is the one that must catch it.
CP=$(seqs_of checkpoint "$T/export.jsonl" | awk '$1 >= 2 { print; exit }')
if [ -z "$CP" ]; then
	nok "no exported checkpoint after seq 2 (checkpoints: $CPS)"
	CP=0
fi
rc=0
"$SERVER" -c "$T/conf" verify >"$T/out" 2>&1 || rc=$?
check "LMDB rewritten: verify exit 1 at checkpoint $CP" 1 "$T/out" \
	"checkpoint at seq $CP: the chain differs from what the server signed" \
	"$rc"
grep -qF "\"first_bad_seq\": $CP" "$T/out" ||
	nok "LMDB rewritten: first_bad_seq is not $CP"

start_server "$T/conf" "$T/log" || fatal "the server did not start"
rc=0
as auditor audit verify >/dev/null 2>"$T/err" || rc=$?
check "online wagectl audit verify on the rewritten chain: exit 1, seq $CP" \
	1 "$T/err" "does NOT hold at seq $CP: checkpoint at seq $CP" "$rc"
rc=0
as auditor audit export "$T/export2.jsonl" >/dev/null 2>"$T/err" || rc=$?
rc2=0
"$WAGECTL" audit verify "$T/export2.jsonl" --ca "$CA" >/dev/null \
	2>"$T/err" || rc2=$?
check "a fresh export of the rewritten chain fails offline at seq $CP" 1 \
	"$T/err" "does NOT verify at seq $CP: the chain differs" "$((rc + rc2))"
stop_server

# ---- 4. the last event rewritten; checked alone and --since an earlier
# export (which is what catches a rewrite of a tail left unsigned by a
# crash, see tests/unit/test_audit_tamper.c) ----
LASTSEQ=$NEV
if [ "$LASTSEQ" -gt "$LASTCP" ]; then
	rm -rf "$T/db"
	cp -a "$T/db.orig" "$T/db"
	rc=0
	"$REWRITE" "$T/db" "$LASTSEQ" 李四 >"$T/out" 2>&1 || rc=$?
	check "tamper-rewrite of event $LASTSEQ, after the last checkpoint" 0 \
		"$T/out" "rewrote" "$rc"
	start_server "$T/conf" "$T/log"
	rc=0
	as auditor audit export "$T/export3.jsonl" >/dev/null 2>"$T/err" ||
		rc=$?
	"$WAGECTL" audit verify "$T/export3.jsonl" --ca "$CA" >"$T/out" \
		2>&1 || rc=$?
	# The server signed the head at its shutdown, so even the last
	# event is covered: only a crash leaves an unsigned tail.
	check "alone, the export fails at the shutdown checkpoint of seq $LASTSEQ" \
		1 "$T/out" "does NOT verify at seq $LASTSEQ" "$rc"
	rc=0
	"$WAGECTL" audit verify "$T/export3.jsonl" --ca "$CA" \
		--since "$T/export.jsonl" >"$T/out" 2>&1 || rc=$?
	check "--since the export kept before: the rewrite is found at seq $LASTSEQ" \
		1 "$T/out" "does NOT verify at seq $LASTSEQ: the chain differs from the one an earlier export" "$rc"
	rc=0
	"$WAGECTL" audit verify "$T/export.jsonl" --ca "$CA" \
		--since "$T/export.jsonl" >"$T/out" 2>&1 || rc=$?
	check "an export --since itself verifies" 0 "$T/out" "export verifies" \
		"$rc"
	stop_server
else
	nok "the last event ($LASTSEQ) has a checkpoint: no unsigned tail to test"
fi

echo "tamper: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
