#!/bin/sh
# tests/data/db-v1/make.sh - how this fixture was made.
#
# This directory holds a wage-server database written by the record format
# of commit e410d94940a843d1a57babe34cf834fff3fb79f8 ("Review:
# splice_encode_member makes its own placeholder ..."), the last version
# before the on-disk record format changes, kept so that a migration can be
# tested against it (check-v1.sh opens it again; README.txt says what is in
# it). It was made by running this script in a clone of that commit:
#
#   git clone REPO /tmp/v1 && cd /tmp/v1 && git checkout e410d94 && make all
#   sh REPO/tests/data/db-v1/make.sh REPO/tests/data/db-v1
#
# The script runs from the root of the checkout whose bin/wage-server and
# bin/wagectl it uses (SERVER= and WAGECTL= override them), with that
# checkout's tests/lib.sh, tests/data/cases and policies/. It writes into
# OUT (default: the directory it is in), replacing what an earlier run
# wrote there (never make.sh or check-v1.sh). What it does:
#   1. a PKI in a temp dir: the identities of tests/lib.sh's mkpki plus an
#      arbitrator (张伟) and a chair (刘洋), every certificate valid for
#      3640 days (mkpki's defaults, 365 and 825 days, would make the
#      fixture expire: TLS and the offline check of export.jsonl check the
#      certificates' dates against today);
#   2. a server on a free loopback port (lib.sh's freeport, start_server)
#      with its database, data key and a copy of policies/ in the temp dir,
#      a 8 MB map, a signed checkpoint every 10 events;
#   3. through bin/wagectl, acting as each role: single-worker.json filed
#      three times and collective-12.json once by the union station, a
#      walk-in complaint of Qingdao (tests/data/integration/walk-in.json,
#      region 370203) filed by the Qingdao clerk, and the cases taken
#      through mediation, arbitration, an award, a withdrawal (see the
#      acts below; README.txt lists the resulting states);
#   4. the audit log exported as the auditor (export.jsonl), verified on
#      the server and offline, the server stopped with SIGTERM (it signs a
#      last checkpoint), `wage-server verify` run on the stopped database;
#   5. the whole LMDB environment dumped as text (`mdb_dump -a -p`: every
#      named database, printable format) into db.dump, the dump loaded
#      again into a fresh directory and dumped again to prove it round-
#      trips, the copy verified by `wage-server verify`;
#   6. into OUT: db.dump, data.key (the AES key sealing ID and phone
#      numbers), pki/ (CA certificate and key, the server's certificate and
#      key, which also sign the audit checkpoints, every role's certificate
#      and key: throwaway test keys), policies/ (the policy, calendars and
#      minimum-wage tables the server ran with), wage-server.conf.in (the
#      configuration used, @DIR@ and @PORT@ for the temp dir and port),
#      export.jsonl, verify.json (`wage-server verify` of the stopped
#      database), cases.txt (one line per case: id, state, events, the
#      role that sees it) and README.txt.
set -eu

ROOT=$(pwd)
if [ ! -f "$ROOT/tests/lib.sh" ] || [ ! -f "$ROOT/policies/wage-dispute.yaml" ]; then
	echo "make.sh: run it from the root of a wage-server checkout" >&2
	exit 2
fi
SERVER=${SERVER:-$ROOT/bin/wage-server}
WAGECTL=${WAGECTL:-$ROOT/bin/wagectl}
OUT=${1:-$(dirname "$0")}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
for b in "$SERVER" "$WAGECTL"; do
	[ -x "$b" ] || { echo "make.sh: $b: not built (make all)" >&2; exit 2; }
done
for t in mdb_dump mdb_load; do
	command -v "$t" >/dev/null || { echo "make.sh: no $t (lmdb-utils)" >&2; exit 2; }
done
COMMIT=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
	COMMIT="$COMMIT (with uncommitted changes)"
fi

T=$(mktemp -d /tmp/wage-db-v1.XXXXXX)
# shellcheck disable=SC2034 # SPID: lib.sh's start_server and stop_server
SPID=""
# shellcheck source=/dev/null # the checkout's tests/lib.sh
. "$ROOT/tests/lib.sh"
cleanup() { stop_server; [ -n "${KEEP:-}" ] || rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

die() {
	echo "make.sh: $*" >&2
	[ -f "$T/log" ] && sed 's/^/  server: /' "$T/log" | tail -20 >&2
	exit 1
}
# as ROLE ARGS...: wagectl with ROLE's certificate.
as() {
	r=$1
	shift
	WAGE_CERT=$T/pki/$r.crt WAGE_KEY=$T/pki/$r.key "$WAGECTL" "$@"
}
# act ROLE ID EVENT [ARGS...]: fire EVENT, or stop.
act() {
	r=$1
	id=$2
	shift 2
	as "$r" act "$id" "$@" >"$T/out" 2>&1 || {
		cat "$T/out" >&2
		die "$r: act $id $*: refused"
	}
	echo "  $r: $id $1: $(cat "$T/out")"
}
# file_case ROLE FILE: file it, print the case id.
file_case() {
	as "$1" file "$2" >"$T/out" 2>&1 || {
		cat "$T/out" >&2
		die "$1: file $2: refused"
	}
	sed -n 's/^filed \([^:]*\):.*/\1/p' "$T/out"
}

DAYS=3640
# mkpki_fixture DIR: lib.sh's mkpki with long validity, plus an arbitrator
# and a chair of the Jinan arbitration commission.
mkpki_fixture() {
	"$WAGECTL" pki init "$1" >/dev/null
	"$WAGECTL" pki issue "$1" --server --cn localhost --org test \
		--region 370100 --dns localhost --ip 127.0.0.1 \
		--days "$DAYS" --out "$1/server" >/dev/null
	while IFS='|' read -r base role cn org region; do
		"$WAGECTL" pki issue "$1" --role "$role" --cn "$cn" \
			--org "$org" --region "$region" --days "$DAYS" \
			--out "$1/$base" >/dev/null
	done <<-END
	union|union|陈静|济南市历下区总工会工会驿站|370102
	clerk|clerk|王芳|济南市劳动人事争议仲裁院|370100
	clerk_qd|clerk|林涛|青岛市劳动人事争议仲裁院|370200
	legal_aid|legal_aid|赵磊|济南市法律援助中心|370100
	auditor|auditor|孙丽|济南市人力资源和社会保障局|370100
	admin|admin|周强|济南市劳动人事争议仲裁院信息中心|370100
	mediator|mediator|李明|济南市劳动人事争议仲裁院|370100
	arbitrator|arbitrator|张伟|济南市劳动人事争议仲裁院|370100
	chair|chair|刘洋|济南市劳动人事争议仲裁院|370100
	END
}

echo "make.sh: commit $COMMIT; temp dir $T"
mkpki_fixture "$T/pki" || die "making the PKI failed"
cp -R "$ROOT/policies" "$T/policies"

# The configuration, as a template (kept in the fixture) and as used.
cat >"$T/wage-server.conf.in" <<'END'
# wage-server configuration of the db-v1 fixture: check-v1.sh replaces
# @DIR@ with the directory it lays the fixture out in (pki/, policies/,
# db/ restored from db.dump, data.key) and @PORT@ with a free port.
listen: tls+tcp://127.0.0.1:@PORT@
ca: @DIR@/pki/ca.crt
cert: @DIR@/pki/server.crt
key: @DIR@/pki/server.key
db: @DIR@/db
data_key: @DIR@/data.key
policy: @DIR@/policies/wage-dispute.yaml
mapsize_mb: 8
workers: 4
checkpoint_events: 10
checkpoint_seconds: 86400
END
PORT=$(freeport 11)
sed -e "s|@DIR@|$T|g" -e "s|@PORT@|$PORT|g" "$T/wage-server.conf.in" >"$T/conf"
mkdir -p "$T/run"
export WAGE_SERVER="tls+tcp://127.0.0.1:$PORT" WAGE_CA="$T/pki/ca.crt" \
	HOME="$T" XDG_RUNTIME_DIR="$T/run"
start_server "$T/conf" "$T/log" || die "the server did not start"

TODAY=$(date +%F)
echo "make.sh: filing"
C1=$(file_case union tests/data/cases/single-worker.json)
C2=$(file_case union tests/data/cases/single-worker.json)
C3=$(file_case union tests/data/cases/single-worker.json)
C4=$(file_case union tests/data/cases/collective-12.json)
sed -e 's/"region": "370102"/"region": "370203"/' \
	-e 's/济南某装饰工程有限公司/青岛某装饰工程有限公司/' \
	-e 's/本人到仲裁院窗口申请/本人到青岛市仲裁院窗口申请/' \
	tests/data/integration/walk-in.json >"$T/walk-in-qd.json"
C5=$(file_case clerk_qd "$T/walk-in-qd.json")
echo "  $C1 $C2 $C3 $C4 $C5"

echo "make.sh: acting"
# C1, the README's walk-through: mediation agreement not paid, arbitration
# (assigned, suspended and resumed, extended), award, in force.
act clerk "$C1" accept --note "材料齐全"
act mediator "$C1" claim
act mediator "$C1" mediation_agreement --set amount_fen=1860000 --set pay_by=2026-12-10
act union "$C1" payment_default --set reason="逾期未支付"
act chair "$C1" assign --set assignee=张伟 --set assignee_org=济南市劳动人事争议仲裁院
act arbitrator "$C1" hearing_scheduled --set hearing_date="$TODAY"
act arbitrator "$C1" suspend --set reason="等待司法鉴定"
act arbitrator "$C1" resume --set reason="鉴定意见已送达"
act chair "$C1" extend --set days=15 --set reason="案情复杂"
act arbitrator "$C1" award --set amount_fen=1860000 --set award_date="$TODAY"
act arbitrator "$C1" award_effective --note "双方未起诉"
# C2: straight to arbitration, a final award (一裁终局): left in awarded
# with the challenge windows running.
act clerk "$C2" accept_arbitration --set reason="申请人不同意调解"
act arbitrator "$C2" claim
act arbitrator "$C2" hearing_scheduled --set hearing_date="$TODAY"
act arbitrator "$C2" change_claim --set reason="申请人增加加班费请求"
act arbitrator "$C2" award --set amount_fen=1500000 --set award_date="$TODAY" --set final=true
# C3: materials supplemented, then withdrawn by the union station.
act union "$C3" supplement --set materials="工资条复印件、考勤记录"
act union "$C3" withdraw --set reason="双方已自行和解"
# C4, the collective case of 12: accepted, a mediation agreement with the
# represented workers' consent: left in mediated, waiting for payment.
act clerk "$C4" accept
act chair "$C4" assign --set assignee=李明 --set assignee_org=济南市劳动人事争议仲裁院
act mediator "$C4" mediation_agreement --set amount_fen=27960000 \
	--set pay_by=2026-12-31 --set consent="同意书 2026-历下-031"
# C5, Qingdao: materials supplemented, assigned, left in intake.
act clerk_qd "$C5" supplement --set materials="劳动合同复印件"
act clerk_qd "$C5" assign --set assignee=林涛 --set assignee_org=青岛市劳动人事争议仲裁院

echo "make.sh: audit"
as auditor audit export "$T/export.jsonl" >"$T/out" 2>&1 || {
	cat "$T/out" >&2
	die "audit export failed"
}
as auditor audit verify >"$T/verify-online.txt" 2>&1 || {
	cat "$T/verify-online.txt" >&2
	die "audit verify (online) failed"
}
"$WAGECTL" audit verify "$T/export.jsonl" --ca "$T/pki/ca.crt" \
	>"$T/verify-offline.txt" 2>&1 || {
	cat "$T/verify-offline.txt" >&2
	die "audit verify of the export (offline) failed"
}
cat "$T/verify-online.txt" "$T/verify-offline.txt"

# One line per case: id, state, events in the export, the role that sees it.
: >"$T/cases.txt"
for c in "$C1" "$C2" "$C3" "$C4" "$C5"; do
	role=clerk
	[ "$c" = "$C5" ] && role=clerk_qd
	st=$(as "$role" show "$c" | awk '$1 == "state" { print $2; exit }')
	[ -n "$st" ] || die "show $c as $role: no state"
	n=$(grep -F '"type":"event"' "$T/export.jsonl" | grep -cF "\"case\":\"$c\"")
	printf '%s %s %s %s\n' "$c" "$st" "$n" "$role" >>"$T/cases.txt"
done

echo "make.sh: stopping the server"
stop_server
grep -q 'stopped$' "$T/log" || die "the server did not stop cleanly"
"$SERVER" -c "$T/conf" verify >"$T/verify.json" 2>"$T/err" || {
	cat "$T/err" "$T/verify.json" >&2
	die "wage-server verify of the stopped database failed"
}

echo "make.sh: dumping"
mdb_dump -a -p "$T/db" >"$T/db.dump" || die "mdb_dump failed"
mkdir "$T/reload"
mdb_load -f "$T/db.dump" "$T/reload" 2>"$T/err" ||
	{ cat "$T/err" >&2; die "mdb_load of the dump failed"; }
mdb_dump -a -p "$T/reload" >"$T/db.dump2"
cmp -s "$T/db.dump" "$T/db.dump2" || die "the dump does not round-trip"
sed "s|^db: .*|db: $T/reload|" "$T/conf" >"$T/conf.reload"
"$SERVER" -c "$T/conf.reload" verify >"$T/verify.reload" 2>&1 || {
	cat "$T/verify.reload" >&2
	die "wage-server verify of the reloaded dump failed"
}

echo "make.sh: writing $OUT"
rm -rf "$OUT/pki" "$OUT/policies"
rm -f "$OUT/db.dump" "$OUT/data.key" "$OUT/wage-server.conf.in" \
	"$OUT/export.jsonl" "$OUT/verify.json" "$OUT/cases.txt" "$OUT/README.txt"
mkdir "$OUT/pki"
cp "$T/pki/"* "$OUT/pki/"
cp -R "$T/policies" "$OUT/policies"
cp "$T/db.dump" "$T/export.jsonl" "$T/verify.json" "$T/cases.txt" \
	"$T/wage-server.conf.in" "$OUT/"
cp "$T/data.key" "$OUT/data.key"

# The audit sequence starts at 1: the head's seq is the number of events.
HEAD=$(sed -n 's/^ *"events": *\([0-9]*\).*/\1/p' "$T/verify.json")
NCP=$(sed -n 's/^ *"checkpoints": *\([0-9]*\).*/\1/p' "$T/verify.json")
{
	cat <<END
db-v1: a wage-server database in the record format of version 1
================================================================

Made by make.sh (read its header) on $(date -u +%Y-%m-%dT%H:%M:%SZ) from commit
$COMMIT
with $("$SERVER" -c "$T/conf" -n 2>&1 | sed 's/configuration OK: [^;]*; //' | head -1)

Check it with a server and wagectl of any later version (exit 0: it opens,
every case shows, the audit chain verifies online and the export offline):

  sh tests/data/db-v1/check-v1.sh bin/wage-server bin/wagectl

Cases (cases.txt: id, state, events in the audit log, the role that sees
it; the clerk of Jinan 370100 sees 3701xx, the Qingdao clerk 3702xx):

END
	printf '  %-15s %-16s %-7s %s\n' CASE STATE EVENTS "SEEN BY"
	while read -r c st n role; do
		printf '  %-15s %-16s %-7s %s\n' "$c" "$st" "$n" "$role"
	done <"$T/cases.txt"
	cat <<END

  $C1  single-worker.json by the union: the README walk-through
      (accept, claim, mediation_agreement, payment_default, assign,
      hearing_scheduled, suspend, resume, extend, award, award_effective)
  $C2  single-worker.json: accept_arbitration, claim, hearing_scheduled,
      change_claim, award with final=true (challenge windows running)
  $C3  single-worker.json: supplement, withdraw
  $C4  collective-12.json (12 workers): accept, assign,
      mediation_agreement with consent (waiting for payment)
  $C5  walk-in complaint of Qingdao (370203) filed by the Qingdao clerk:
      supplement, assign

Audit: head seq $HEAD ($HEAD events; $NCP signed checkpoints in the database, the
last one signed at shutdown, at seq $HEAD). Event times are those of the run;
hearing_date and award_date are the day it ran ($TODAY).
On the running server, as the auditor (wagectl audit verify):
$(sed 's/^/  /' "$T/verify-online.txt")
export.jsonl (exported before shutdown), offline with pki/ca.crt:
$(sed 's/^/  /' "$T/verify-offline.txt")
verify.json: \`wage-server -c CONF verify\` of the stopped database.

Files:
  db.dump              mdb_dump -a -p of the environment (every named
                       database, printable text); restore with
                       mdb_load -f db.dump DIR
  data.key             the data key sealing ID and phone numbers (AES-256-GCM)
                       (the server makes a new one, silently, if it is
                       missing: then no sealed field opens)
  pki/                 ca.crt ca.key (CA), server.crt server.key (TLS and
                       the checkpoint signatures), ROLE.crt ROLE.key for
                       union clerk clerk_qd legal_aid auditor admin mediator
                       arbitrator chair; serial, revoked.txt, crl.pem of
                       wagectl pki. Throwaway test keys, valid $DAYS days.
                       Keys must be chmod 600 before use (git keeps no modes)
  policies/            the policy, calendars and minimum-wage tables used
  wage-server.conf.in  the configuration used; @DIR@ and @PORT@ to replace
  export.jsonl         wagectl audit export, as the auditor
  verify.json          wage-server verify of the stopped database
  cases.txt            the cases, as above
  make.sh, check-v1.sh how it was made; how to check it

Secrets outside the database: data.key, server.key (and the role and CA
keys). Inside it: the session-token HMAC key (meta "token_key").
END
} | sed "s|$T|@DIR@|g" >"$OUT/README.txt"
echo "make.sh: done: $(du -sh "$OUT" | cut -f1) in $OUT"
cat "$OUT/cases.txt"
