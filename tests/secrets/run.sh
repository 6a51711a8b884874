#!/bin/sh
# Secrets at rest (issue 13), against the real server over TLS:
#  - the database directory is 0700 (one made 0755 by hand is narrowed);
#  - the data key and the session token key are files beside the
#    database, 0600, and a copy of the database directory holds neither
#    (its bytes searched for both keys; meta has no token_key);
#  - a token sent raw on another connection than its own is refused;
#  - `wage-server rotate-token-key` replaces the token key: a token issued
#    before is refused (UNAUTHENTICATED, sent raw with rawreq) and wagectl
#    logs in again by itself;
#  - with the data key missing while the database holds cases, the server
#    refuses to start and names the file; a new database makes its key;
#  - wagectl with no HOME, XDG_RUNTIME_DIR or WAGE_TOKEN_FILE works and
#    leaves no session file behind.
set -eu
SERVER=$1
WAGECTL=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
RAWREQ=$3
T=$(mktemp -d /tmp/wage-secrets.XXXXXX)
SPID=""
. tests/lib.sh
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "secrets: ok   $1"; }
bad() { fail=$((fail + 1)); echo "secrets: FAIL $1"; }
cleanup() {
	stop_server
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
mkpki "$T/pki"
PORT=$(freeport 23)
mkconf "$T/conf" "$PORT"
export WAGE_SERVER=tls+tcp://127.0.0.1:$PORT WAGE_CA=$T/pki/ca.crt \
	WAGE_CERT=$T/pki/union.crt WAGE_KEY=$T/pki/union.key \
	WAGE_TOKEN_FILE=$T/session
FILING=tests/data/cases/single-worker.json

# hexof FILE: the file's bytes as one line of lower-case hex.
hexof() { od -An -tx1 -v "$1" | tr -d ' \n'; }
# holds FILE HEX: FILE's bytes contain the bytes HEX spells.
holds() { hexof "$1" | grep -q "$2"; }
# raw_whoami TOKEN: whoami sent as is (no login, no retry) by rawreq.
raw_whoami() {
	"$RAWREQ" "{\"op\": \"whoami\", \"token\": \"$1\"}" 2>&1
}

# ---- the database directory ----
mkdir -m 755 "$T/db"
start_server "$T/conf" "$T/log"
mode=$(stat -c %a "$T/db")
if [ "$mode" = 700 ] && grep -q "was mode 755.*now 0700" "$T/log"; then
	ok "a database directory of mode 755 is narrowed to 0700 (logged)"
else
	bad "database directory mode $mode; log: $(grep -i mode "$T/log")"
fi

# ---- the key files ----
for k in data token; do
	f=$T/db.$k.key
	if [ -f "$f" ] && [ "$(stat -c %a "$f")" = 600 ] &&
		[ "$(tr -d '\n' <"$f" | wc -c)" -eq 64 ]; then
		ok "$k key: $f, beside the database, 0600, 64 hex"
	else
		bad "$k key $f: $(ls -l "$f" 2>&1)"
	fi
done
if "$WAGECTL" --json file "$FILING" >"$T/out" 2>"$T/err"; then
	ok "a case is filed (with sealed ID numbers)"
else
	bad "filing: $(cat "$T/err")"
fi
TOK1=$(cat "$T/session")

# ---- a copy of the database directory ----
cp -R "$T/db" "$T/copy"
TKEY=$(tr -d '\n' <"$T/db.token.key")
DKEY=$(tr -d '\n' <"$T/db.data.key")
# The search finds what is there (so that its silence means something):
# the bytes of the meta key "case_format", in hex like the keys.
printf case_format >"$T/probe"
if holds "$T/copy/data.mdb" "$(hexof "$T/probe")"; then
	found=""
	for f in "$T/copy"/*; do
		holds "$f" "$TKEY" && found="$found $f (token key)"
		holds "$f" "$DKEY" && found="$found $f (data key)"
	done
	if [ -z "$found" ]; then
		ok "no file of the copied database holds the token key or the data key"
	else
		bad "a key is in the copy:$found"
	fi
else
	bad "the byte search does not find 'case_format' in the copy"
fi
if mdb_dump -p -s meta "$T/copy" >"$T/meta" 2>&1 &&
	! grep -q token_key "$T/meta"; then
	ok "the copy's meta has no token_key ($(grep -c '^ ' "$T/meta") lines)"
else
	bad "meta of the copy: $(grep token "$T/meta")"
fi

# ---- rotate-token-key ----
# A token is bound to the connection that logged in (issue 13 part 1):
# sent raw on another connection it does nothing, even before rotation.
if raw_whoami "$TOK1" | grep -q "belongs to another connection"; then
	ok "the session token, sent raw on another connection: refused"
else
	bad "the raw whoami on another connection: $(raw_whoami "$TOK1")"
fi
stop_server
if "$SERVER" -c "$T/conf" rotate-token-key 2>"$T/err" &&
	[ "$(tr -d '\n' <"$T/db.token.key")" != "$TKEY" ] &&
	[ "$(stat -c %a "$T/db.token.key")" = 600 ] &&
	! ls "$T"/db.token.key.new* >/dev/null 2>&1; then
	ok "rotate-token-key: a new key, 0600, nothing left beside: $(cat "$T/err")"
else
	bad "rotate-token-key: $(cat "$T/err"); $(ls -l "$T"/db.token.key*)"
fi
start_server "$T/conf" "$T/log"
if raw_whoami "$TOK1" | grep -q UNAUTHENTICATED; then
	ok "a token issued before the rotation is refused: UNAUTHENTICATED"
else
	bad "the old token after rotation: $(raw_whoami "$TOK1")"
fi
if "$WAGECTL" whoami >"$T/out" 2>"$T/err" &&
	[ "$(cat "$T/session")" != "$TOK1" ]; then
	ok "wagectl logs in again by itself: $(head -1 "$T/out")"
else
	bad "wagectl after rotation: $(cat "$T/err")"
fi

# ---- wagectl with nowhere private to keep the session ----
mkdir "$T/cwd"
if (cd "$T/cwd" && env -u HOME -u XDG_RUNTIME_DIR -u WAGE_TOKEN_FILE \
	"$WAGECTL" whoami >"$T/out" 2>"$T/err") &&
	[ -z "$(ls -A "$T/cwd")" ] && [ ! -e /.cache/wagectl ]; then
	ok "wagectl with no HOME works and keeps no session file"
else
	bad "wagectl with no HOME: $(cat "$T/err"); $(ls -A "$T/cwd")"
fi
stop_server

# ---- the data key ----
mv "$T/db.data.key" "$T/saved.data.key"
rc=0
"$SERVER" -c "$T/conf" >"$T/out" 2>"$T/err" || rc=$?
if [ "$rc" -ne 0 ] &&
	grep -q "$T/db.data.key: the data key file is missing, but the database" "$T/err" &&
	[ ! -e "$T/db.data.key" ]; then
	ok "a missing data key with cases in the database: not starting: $(tail -1 "$T/err")"
else
	bad "missing data key: exit $rc: $(cat "$T/err"); $(ls "$T")"
fi
mv "$T/saved.data.key" "$T/db.data.key"
start_server "$T/conf" "$T/log"
if WAGE_CERT=$T/pki/clerk.crt WAGE_KEY=$T/pki/clerk.key \
	WAGE_TOKEN_FILE=$T/session-clerk "$WAGECTL" --json list \
	>"$T/out" 2>"$T/err"; then
	ok "with the key restored the server starts and serves"
else
	bad "after restoring the data key: $(cat "$T/err")"
fi
stop_server
mkconf "$T/conf2" "$PORT" "db: $T/new/db"
mkdir "$T/new"
start_server "$T/conf2" "$T/log2"
if [ -f "$T/new/db.data.key" ] && [ -f "$T/new/db.token.key" ] &&
	[ "$(stat -c %a "$T/new/db")" = 700 ]; then
	ok "a new database makes both keys and a 0700 directory"
else
	bad "new database: $(ls -l "$T/new")"
fi
stop_server
echo "secrets: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
