#!/bin/sh
# SPDX-License-Identifier: MIT
#
# tests/upgrade/run.sh SERVER WAGECTL TOOL_JSON
#
# An office moves to a corrected policy (README "Moving an office to policy
# 2026.2"): a case filed under the earlier version (tests/data/policies/
# wage-dispute-2026.1.yaml, kept as shipped) goes on under its own rules
# after the server restarts with policies/wage-dispute.yaml, over real TLS
# on the same LMDB store, while a case filed after the move follows the
# new one:
#   - the old case keeps its pinned policy hash and its events: under
#     2026.1 acceptance leads to fast mediation, mediation_failed starts the
#     45 days, and an award starts the windows on the award date;
#   - the new case is pinned to the new hash; its award opens no window
#     until it is served, and 2026.1's events that 2026.2 dropped are
#     refused on it with nothing changed;
#   - the audit chain verifies across the move.
# Output: failures as they happen, then `upgrade: N passed, M failed`.

set -u
if [ $# -ne 3 ]; then
	echo "usage: $0 SERVER WAGECTL TOOL_JSON" >&2
	exit 2
fi
SERVER=$1
WAGECTL=$2
JSON=$3
for f in "$SERVER" "$WAGECTL" "$JSON"; do
	if [ ! -f "$f" ]; then
		echo "upgrade: $f is missing: run make upgrade" >&2
		exit 2
	fi
done
T=$(mktemp -d "${TMPDIR:-/tmp}/wage-upgrade.XXXXXX") || exit 2
# shellcheck disable=SC2034 # SPID: lib.sh's start_server and stop_server
SPID=""
. tests/lib.sh
cleanup() { stop_server; rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

PASS=0
FAIL=0
ok() {
	PASS=$((PASS + 1))
	if [ -n "${VERBOSE:-}" ]; then echo "upgrade: ok   $1"; fi
}
bad() {
	FAIL=$((FAIL + 1))
	echo "upgrade: FAIL $1"
	[ -s "$T/err" ] && sed -n '1,3s/^/    | /p' "$T/err"
}
# check NAME GOT WANT
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi
}
day() { TZ=Asia/Shanghai date -d "${1:-0} days" +%F; }
as() {
	_r=$1
	shift
	WAGE_CERT=$T/pki/$_r.crt WAGE_KEY=$T/pki/$_r.key \
		"$WAGECTL" "$@" >"$T/out" 2>"$T/err"
}
jget() { "$JSON" get "$1" "$T/out" 2>/dev/null; }
# field ID PATH: a member of the case as the clerk sees it
field() {
	as clerk --json show "$1" && jget "$2"
}
# clock ID NAME MEMBER: a member of one clock of the case ("" if none)
clock() {
	as clerk --json show "$1" || return 1
	_i=0
	while _n=$(jget "clocks.$_i.clock"); do
		if [ "$_n" = "$2" ]; then
			jget "clocks.$_i.$3" || echo ""
			return 0
		fi
		_i=$((_i + 1))
	done
	echo ""
}
act() { # ROLE ID EVENT [ARGS...]: fire; 0 when it went through
	_r=$1
	_id=$2
	shift 2
	as "$_r" act "$_id" "$@"
}

export HOME="$T/home" WAGE_CA="$T/pki/ca.crt"
mkdir -p "$HOME" "$T/db"
mkpki "$T/pki" >/dev/null || { echo "upgrade: mkpki failed" >&2; exit 2; }
PORT=$(freeport 7)
export WAGE_SERVER="tls+tcp://127.0.0.1:$PORT"
OLD=$(pwd)/tests/data/policies/wage-dispute-2026.1.yaml
NEW=$(pwd)/policies/wage-dispute.yaml
mkconf "$T/old.conf" "$PORT" "policy: $OLD" \
	"calendar: $(pwd)/policies/calendar" \
	"minimum_wage: $(pwd)/policies/minimum-wage"
mkconf "$T/new.conf" "$PORT" "policy: $NEW"
FILE=$T/case.json
"$JSON" set received "\"$(day -3)\"" tests/data/cases/single-worker.json \
	>"$FILE"

# 1. Under 2026.1: file, accept into fast mediation.
start_server "$T/old.conf" "$T/slog" || exit 1
as union file "$FILE" || bad "file under 2026.1"
OLDID=$(grep -o 'WA[0-9]*-[0-9]*' "$T/out" | head -n 1)
as clerk --json policy && OLDHASH=$(jget hash)
check "the server runs 2026.1" "$(jget version)" 2026.1
act clerk "$OLDID" accept || bad "accept under 2026.1"
check "2026.1: the case is pinned" "$(field "$OLDID" policy)" "$OLDHASH"
as auditor --json audit verify && check "audit under 2026.1" \
	"$(jget valid)" true
stop_server

# 2. The move: the same store, the corrected policy.
start_server "$T/new.conf" "$T/slog" || exit 1
as clerk --json policy && NEWHASH=$(jget hash)
check "the server runs the shipped policy (2026.3)" "$(jget version)" 2026.3
[ "$NEWHASH" != "$OLDHASH" ] && ok "a new policy hash" ||
	bad "the policy hash did not change"
check "the old case keeps its policy" "$(field "$OLDID" policy)" "$OLDHASH"
check "the old case is still in mediation" "$(field "$OLDID" state)" \
	mediation
check "2026.1: no award clock during fast mediation" \
	"$(clock "$OLDID" award state)" ""
act mediator "$OLDID" mediation_failed --set reason="调解不成" ||
	bad "2026.1's mediation_failed on the old case"
check "2026.1: mediation_failed starts the 45 days" \
	"$(clock "$OLDID" award start)" "$(day)"
act arbitrator "$OLDID" award --set amount_fen=1860000 \
	--set award_date="$(day)" || bad "award on the old case"
check "2026.1: the award starts the worker's window on the award date" \
	"$(clock "$OLDID" challenge_worker start)" "$(day)"
check "2026.1: the old case is awarded" "$(field "$OLDID" state)" awarded
# 2026.1's award_effective (a clerk, any day) still works on the old case.
act clerk "$OLDID" award_effective || bad "2026.1's award_effective"
check "the old case closes under its own rules" \
	"$(field "$OLDID" state)" closed_awarded

# 3. A case filed after the move follows 2026.2.
as union file "$FILE" || bad "file under 2026.2"
NEWID=$(grep -o 'WA[0-9]*-[0-9]*' "$T/out" | head -n 1)
check "the new case is pinned to 2026.2" "$(field "$NEWID" policy)" \
	"$NEWHASH"
act clerk "$NEWID" accept || bad "accept under 2026.2"
check "2026.2: acceptance starts the 45 days" \
	"$(clock "$NEWID" award start)" "$(day)"
REV=$(field "$NEWID" revision)
if act clerk "$NEWID" award_effective; then
	bad "2026.2: award_effective in mediation went through"
else
	grep -q ILLEGAL_TRANSITION "$T/err" &&
		ok "2026.2: award_effective refused in mediation" ||
		bad "2026.2: award_effective refused, but not as ILLEGAL_TRANSITION"
fi
check "the refusal changed nothing" "$(field "$NEWID" revision)" "$REV"
act mediator "$NEWID" mediation_failed --set reason="调解不成" ||
	bad "2026.2 mediation_failed"
check "2026.2: mediation_failed leaves the 45 days' start alone" \
	"$(clock "$NEWID" award start)" "$(day)"
act arbitrator "$NEWID" award --set amount_fen=1860000 \
	--set award_date="$(day)" || bad "award under 2026.2"
check "2026.2: no window before the award is served" \
	"$(clock "$NEWID" challenge_worker state)" ""
act clerk "$NEWID" serve --set document=award --set party=worker \
	--set method=direct --set served_on="$(day)" || bad "serve the award"
check "2026.2: the worker's window opens on receipt" \
	"$(clock "$NEWID" challenge_worker start)" "$(day)"
as auditor --json audit verify && check "audit across the move" \
	"$(jget valid)" true
stop_server

echo "upgrade: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
