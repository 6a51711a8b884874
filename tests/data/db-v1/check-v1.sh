#!/bin/sh
# tests/data/db-v1/check-v1.sh - does a server open the db-v1 fixture?
#
# Usage: check-v1.sh SERVER WAGECTL   (KEEP=1 keeps the temp dir)
#
# Restores db.dump (mdb_load) into a fresh temp dir with copies of pki/,
# data.key and policies/ (keys chmod 600: git keeps no modes and the server
# refuses keys others can read), writes the configuration from
# wage-server.conf.in, starts SERVER on a free loopback port and, through
# WAGECTL:
#   - shows every case of cases.txt as the role that sees it (the clerk of
#     Jinan, or of Qingdao) and as the auditor where the auditor sees it;
#     the state shown must be the one recorded; the number of events in
#     its history is compared with the recorded one (a difference is
#     reported, not failed: a migration may audit itself);
#   - `wagectl audit verify` as the auditor (chain, replay, indexes and the
#     signed checkpoints on the server);
#   - `wagectl audit verify export.jsonl --ca pki/ca.crt`, offline;
#   - and, once the server is stopped, `SERVER -c CONF verify`.
# Exits 0 iff all of these succeed. POLICY=FILE runs the server with another
# policy file (default: the fixture's copy in policies/); the fixture itself
# is only read. Needs mdb_load (lmdb-utils).
set -u
if [ $# -ne 2 ]; then
	echo "usage: check-v1.sh SERVER WAGECTL" >&2
	exit 2
fi
abspath() { (cd "$(dirname "$1")" && echo "$(pwd)/$(basename "$1")"); }
SERVER=$(abspath "$1")
WAGECTL=$(abspath "$2")
FIX=$(cd "$(dirname "$0")" && pwd)
for b in "$SERVER" "$WAGECTL"; do
	if [ ! -x "$b" ]; then
		echo "check-v1: $b: not an executable" >&2
		exit 2
	fi
done
command -v mdb_load >/dev/null || { echo "check-v1: no mdb_load" >&2; exit 2; }

T=$(mktemp -d /tmp/wage-check-v1.XXXXXX)
# shellcheck disable=SC2034 # SPID: lib.sh's start_server and stop_server
SPID=""
# shellcheck source=../../lib.sh
. "$FIX/../../lib.sh"
cleanup() { stop_server; [ -n "${KEEP:-}" ] || rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

pass=0
fail=0
ok() {
	pass=$((pass + 1))
	echo "check-v1: ok   $*"
}
nok() {
	fail=$((fail + 1))
	echo "check-v1: FAIL $*"
}
# fatal WHAT: a step the rest depends on failed.
fatal() {
	nok "$*"
	[ -f "$T/log" ] && sed 's/^/    server: /' "$T/log" | tail -20
	echo "check-v1: $pass passed, $fail failed"
	exit 1
}
# run NAME CMD...: run it, output to $T/out; ok or FAIL with the output.
run() {
	name=$1
	shift
	rc=0
	"$@" >"$T/out" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$name"
	else
		nok "$name: exit $rc"
		sed 's/^/    /' "$T/out" | head -10
	fi
	return "$rc"
}
as() {
	r=$1
	shift
	WAGE_CERT=$T/pki/$r.crt WAGE_KEY=$T/pki/$r.key "$WAGECTL" "$@"
}

# ---- lay the fixture out ----
mkdir "$T/db" "$T/run"
chmod 700 "$T/db"
# mdb_load warns of the dump header's db_pagesize, which it ignores.
mdb_load -f "$FIX/db.dump" "$T/db" 2>"$T/err" ||
	{ cat "$T/err"; fatal "mdb_load of db.dump"; }
chmod 600 "$T/db/"*
mkdir "$T/pki"
cp "$FIX/pki/"* "$T/pki/"
cp "$FIX/data.key" "$T/data.key"
chmod 600 "$T/pki/"*.key "$T/data.key"
cp -R "$FIX/policies" "$T/policies"
# The table of statutory holidays came after this fixture was made, and a
# calendar directory without it is refused: an upgrade installs it with
# policies/, so the checkout's is laid beside the fixture's schedules.
[ -f "$T/policies/calendar/statutory-holidays.yaml" ] ||
	cp "$FIX/../../../policies/calendar/statutory-holidays.yaml" \
		"$T/policies/calendar/"
PORT=$(freeport 13)
sed -e "s|@DIR@|$T|g" -e "s|@PORT@|$PORT|g" "$FIX/wage-server.conf.in" \
	>"$T/conf"
if [ -n "${POLICY:-}" ]; then
	sed "s|^policy: .*|policy: $(abspath "$POLICY")|" "$T/conf" >"$T/conf.p"
	mv "$T/conf.p" "$T/conf"
fi
ok "db.dump restored into $T/db"

export WAGE_SERVER="tls+tcp://127.0.0.1:$PORT" WAGE_CA="$T/pki/ca.crt" \
	HOME="$T" XDG_RUNTIME_DIR="$T/run"
start_server "$T/conf" "$T/log" || fatal "the server did not start"
ok "server started on the restored database: $(sed -n 's/.*READY //p' "$T/log")"

run "login as the clerk" as clerk login
run "login as the auditor" as auditor login

# ---- every case ----
while read -r id want nev role; do
	[ -n "$id" ] || continue
	if run "$role: show $id" as "$role" show "$id"; then
		st=$(awk '$1 == "state" { print $2; exit }' "$T/out")
		if [ "$st" = "$want" ]; then
			ok "$id: state $st"
		else
			nok "$id: state \"$st\", recorded $want"
		fi
	fi
	# The auditor sees the Jinan cases (370100), masked.
	if [ "$role" = clerk ]; then
		run "auditor: show $id" as auditor show "$id"
	fi
	if run "$role: history $id" as "$role" history "$id"; then
		n=$(grep -c '^[0-9]' "$T/out")
		if [ "$n" -eq "$nev" ]; then
			ok "$id: $n events in its history"
		else
			echo "check-v1: note $id: $n events in its history," \
				"recorded $nev"
		fi
	fi
done <"$FIX/cases.txt"

# ---- the audit log ----
if run "auditor: audit verify (on the server)" as auditor audit verify; then
	sed 's/^/    /' "$T/out"
fi
if run "audit verify export.jsonl --ca pki/ca.crt (offline)" \
	"$WAGECTL" audit verify "$FIX/export.jsonl" --ca "$FIX/pki/ca.crt"; then
	sed 's/^/    /' "$T/out"
fi

stop_server
if grep -q 'stopped$' "$T/log"; then
	ok "server stopped cleanly"
else
	nok "server did not log that it stopped"
	sed 's/^/    server: /' "$T/log" | tail -10
fi
if run "wage-server verify (the stopped database)" \
	"$SERVER" -c "$T/conf" verify; then
	printf '    '
	grep -E '"(valid|events|cases|checkpoints)"' "$T/out" | tr -d ' \n'
	echo
fi

echo "check-v1: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
