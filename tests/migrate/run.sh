#!/bin/sh
# tests/migrate/run.sh - a database written by the previous version (case
# format 1: tests/data/db-v1, made by its make.sh at commit e410d94) opens
# with this one.
#
# Usage: run.sh SERVER WAGECTL
#
# 1. `wage-server verify` on the format-1 database refuses and says to
#    migrate; `wage-server migrate` converts it (counts on stderr), prints a
#    valid verify report; a second migrate converts nothing.
# 2. What is stored is format 2: no case head is JSON any more, one step
#    record per recorded act, meta case_format 2 (mdb_dump).
# 3. The server on the migrated database: every case shows its state, its
#    steps (one per act, seqs rising, each seq an event of its history);
#    an act still records; `audit verify` holds; a new export verifies,
#    also --since the export made by the previous version, and the old
#    export still verifies alone.
# 3b. Upgraded to the shipped policy (policies/wage-dispute.yaml): the
#    migrated cases keep the policy they were filed under, new cases take
#    the shipped one.
# 4. The start-time conversion: check-v1.sh on the untouched dump.
set -u
SERVER=$1
WAGECTL=$2
FIX=$(cd "$(dirname "$0")/../data/db-v1" && pwd)
T=$(mktemp -d /tmp/wage-migrate.XXXXXX)
SPID=""
. "$(dirname "$0")/../lib.sh"
cleanup() { stop_server; [ -n "${KEEP:-}" ] || rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "migrate: ok   $*"; }
nok() { fail=$((fail + 1)); echo "migrate: FAIL $*"; }
as() {
	r=$1
	shift
	WAGE_CERT=$T/pki/$r.crt WAGE_KEY=$T/pki/$r.key "$WAGECTL" "$@"
}

# ---- the format-1 database, laid out as check-v1.sh does ----
mkdir "$T/db" "$T/run" "$T/pki"
chmod 700 "$T/db"
mdb_load -f "$FIX/db.dump" "$T/db" 2>/dev/null || { nok "mdb_load"; exit 1; }
cp "$FIX/pki/"* "$T/pki/"
cp "$FIX/data.key" "$T/data.key"
chmod 600 "$T/pki/"*.key "$T/data.key" "$T/db/"*
cp -R "$FIX/policies" "$T/policies"
# The table of statutory holidays came after this fixture was made, and a
# calendar directory without it is refused: an upgrade installs it with
# policies/, so the checkout's is laid beside the fixture's schedules.
[ -f "$T/policies/calendar/statutory-holidays.yaml" ] ||
	cp policies/calendar/statutory-holidays.yaml \
		"$T/policies/calendar/"
PORT=$(freeport 17)
sed -e "s|@DIR@|$T|g" -e "s|@PORT@|$PORT|g" "$FIX/wage-server.conf.in" \
	>"$T/conf"
# Acts recorded in the fixture: its events less one case.file per case.
acts=$(awk '{ n += $3 - 1 } END { print n }' "$FIX/cases.txt")

# ---- 1. verify refuses, migrate converts ----
rc=0
"$SERVER" -c "$T/conf" verify >"$T/out" 2>"$T/err" || rc=$?
if [ "$rc" -ne 0 ] && grep -q "wage-server migrate" "$T/err"; then
	ok "verify of a format-1 database refuses and names 'migrate'"
else
	nok "verify of a format-1 database: exit $rc: $(cat "$T/err")"
fi
rc=0
"$SERVER" -c "$T/conf" migrate >"$T/out" 2>"$T/err" || rc=$?
ncases=$(wc -l <"$FIX/cases.txt")
if [ "$rc" -eq 0 ] &&
	grep -q "$ncases case(s) with $acts step(s) converted" "$T/err" &&
	grep -q '"valid": true' "$T/out"; then
	ok "migrate: $(cat "$T/err")"
else
	nok "migrate: exit $rc: $(cat "$T/err") $(head -c 300 "$T/out")"
fi
rc=0
"$SERVER" -c "$T/conf" migrate >"$T/out" 2>"$T/err" || rc=$?
if [ "$rc" -eq 0 ] && grep -q "0 case(s) with 0 step(s)" "$T/err"; then
	ok "a second migrate converts nothing and verifies"
else
	nok "second migrate: exit $rc: $(cat "$T/err")"
fi

# ---- 2. what is stored ----
mdb_dump -p -s cases "$T/db" >"$T/cases.dump"
heads=$(sed -n '/^HEADER=END/,/^DATA=END/p' "$T/cases.dump" |
	grep -c '^ WCH\\02')
json=$(sed -n '/^HEADER=END/,/^DATA=END/p' "$T/cases.dump" |
	grep -c '^ {')
if [ "$heads" -eq "$ncases" ] && [ "$json" -eq 0 ]; then
	ok "every case is a format-2 head ($heads), none is a JSON document"
else
	nok "cases: $heads heads, $json JSON documents (want $ncases, 0)"
fi
nsteps=$(mdb_stat -s steps "$T/db" | awk '/Entries:/ { print $2 }')
if [ "$nsteps" = "$acts" ]; then
	ok "$nsteps step records, one per act recorded"
else
	nok "$nsteps step records, want $acts"
fi
if mdb_dump -p -s meta "$T/db" | grep -A1 '^ case_format$' |
	grep -q '^ 2$'; then
	ok "meta case_format is 2"
else
	nok "meta case_format is not 2"
fi

# ---- 3. the server on it ----
# The previous version kept the session token key in meta, in clear.
if mdb_dump -p -s meta "$T/db" | grep -q '^ token_key$'; then
	had_key=1
else
	had_key=0
fi
export WAGE_SERVER="tls+tcp://127.0.0.1:$PORT" WAGE_CA="$T/pki/ca.crt" \
	HOME="$T" XDG_RUNTIME_DIR="$T/run"
if ! start_server "$T/conf" "$T/log"; then
	nok "the server did not start on the migrated database"
	echo "migrate: $pass passed, $fail failed"
	exit 1
fi
if [ "$had_key" -eq 1 ] &&
	! mdb_dump -p -s meta "$T/db" | grep -q '^ token_key$' &&
	grep -q "token key kept in the database by an older version was deleted" "$T/log" &&
	[ "$(stat -c %a "$T/db.token.key")" = 600 ]; then
	ok "the token key the fixture kept in meta is deleted at start (logged); the key is now $T/db.token.key, 0600"
else
	nok "token key in meta: had $had_key; now: $(mdb_dump -p -s meta "$T/db" | grep token); log: $(grep -i token "$T/log")"
fi
while read -r id want nev role; do
	[ -n "$id" ] || continue
	as "$role" --json show "$id" >"$T/show" 2>&1 || true
	as "$role" history "$id" >"$T/hist" 2>&1 || true
	got=$(python3 - "$T/show" "$T/hist" "$want" "$nev" <<'PY'
import json, re, sys
c = json.load(open(sys.argv[1]))
seqs = [s["seq"] for s in c.get("steps", [])]
hist = set(int(l.split()[0]) for l in open(sys.argv[2]) if re.match(r"^\d", l))
want, nev = sys.argv[3], int(sys.argv[4])
bad = []
if c.get("state") != want: bad.append("state %s" % c.get("state"))
if len(seqs) != nev - 1: bad.append("%d steps" % len(seqs))
if seqs != sorted(seqs) or len(set(seqs)) != len(seqs): bad.append("seq order")
if not set(seqs) <= hist: bad.append("a step seq is not in the history")
if any("seq" not in s or "event" not in s or "to" not in s for s in c.get("steps", [])):
    bad.append("a step lacks seq, event or to")
print("ok" if not bad else ", ".join(bad))
PY
)
	if [ "$got" = ok ]; then
		ok "$id: state $want, $((nev - 1)) steps with their seqs"
	else
		nok "$id: $got"
	fi
done <"$FIX/cases.txt"
rev=$(as clerk_qd --json show WA2026-000005 |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["revision"])')
if as clerk_qd act WA2026-000005 accept --revision "$rev" >"$T/out" 2>&1; then
	ok "an act on a migrated case records (revision $rev -> $((rev + 1)))"
else
	nok "act on a migrated case: $(cat "$T/out")"
fi
if as auditor audit verify >"$T/out" 2>&1; then
	ok "audit verify on the server: $(head -1 "$T/out")"
else
	nok "audit verify: $(cat "$T/out")"
fi
if as auditor audit export "$T/new.jsonl" >"$T/out" 2>&1 &&
	"$WAGECTL" audit verify "$T/new.jsonl" --ca "$T/pki/ca.crt" \
		--since "$FIX/export.jsonl" >"$T/out" 2>&1; then
	ok "an export made now verifies --since the previous version's"
else
	nok "export --since: $(cat "$T/out")"
fi
if "$WAGECTL" audit verify "$FIX/export.jsonl" --ca "$T/pki/ca.crt" \
	>"$T/out" 2>&1; then
	ok "the previous version's export verifies alone"
else
	nok "old export: $(cat "$T/out")"
fi
stop_server

# ---- 3b. the shipped policy ----
# WA2026-000004 is a 调解书 waiting for payment under the fixture's policy
# (2024.2), where payment_default takes it to arbitration at once; the
# shipped policy (2026.2) has no such step (it returns an agreement made
# before acceptance to intake, once its pay-by date has passed). A case
# pins its policy: the event still goes, and a case filed now is under
# the shipped policy.
sed "s|^policy: .*|policy: $(pwd)/policies/wage-dispute.yaml|" "$T/conf" \
	>"$T/conf-shipped"
pinned() { # ID: the policy hash the case is under
	as clerk --json show "$1" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["policy"])'
}
if ! start_server "$T/conf-shipped" "$T/log"; then
	nok "the server did not start on the shipped policy"
else
	shipped=$(as clerk --json whoami |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["policy"])')
	old=$(pinned WA2026-000004)
	if [ -n "$old" ] && [ "$old" != "$shipped" ] &&
		as union act WA2026-000004 payment_default \
			--set reason=用人单位未按调解协议履行 >"$T/out" 2>&1 &&
		grep -q 'mediated -> arbitration' "$T/out" &&
		[ "$(pinned WA2026-000004)" = "$old" ]; then
		ok "on the shipped policy a migrated case keeps its own: $(cat "$T/out")"
	else
		nok "a migrated case on the shipped policy: $(cat "$T/out")"
	fi
	if id=$(as union --json file "$(pwd)/tests/data/cases/single-worker.json" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])') &&
		[ "$(pinned "$id")" = "$shipped" ]; then
		ok "a case filed now ($id) is under the shipped policy"
	else
		nok "a case filed on the shipped policy is not under it"
	fi
	if as auditor audit verify >"$T/out" 2>&1; then
		ok "audit verify on the shipped policy: $(head -1 "$T/out")"
	else
		nok "audit verify on the shipped policy: $(cat "$T/out")"
	fi
	stop_server
fi

# ---- 4. conversion at start ----
if sh "$FIX/check-v1.sh" "$SERVER" "$WAGECTL" >"$T/out" 2>&1; then
	ok "check-v1.sh: the server converts at start ($(tail -1 "$T/out"))"
else
	nok "check-v1.sh:"
	grep -v 'ok  ' "$T/out" | head -20
fi

echo "migrate: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
