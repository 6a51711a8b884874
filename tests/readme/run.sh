#!/bin/sh
# SPDX-License-Identifier: MIT
#
# tests/readme/run.sh SERVER WAGECTL TOOL_JSON
#
# The README's walkthrough, run as written, so that it cannot drift from
# the server. The command lines are read from README.md at run time (never
# a copy): every ```sh (or ```bash) block of every walkthrough section,
# that is of every section (a `## ` heading to the next `#`/`## ` heading)
# whose prose names tests/readme/run.sh. No such section, or one without a
# command line, is a failure, not a skip: a heading renamed or a paragraph
# reworded cannot switch the test off unnoticed.
#
# The lines run in order, unchanged, in one bash (so a function such as
# the README's `as` helper, or a variable, carries over to the next line),
# from the repository root, against a fresh server set up as `make run`
# sets up its own: the development PKI of deploy/dev-pki.sh and a CRL, a
# real LMDB, mutual TLS, here on a free loopback port in a temp dir. The
# shell has what `make run` tells the user to paste (WAGE_SERVER, WAGE_CA,
# WAGE_CERT and WAGE_KEY as the clerk, wagectl's directory first on PATH),
# HOME in the temp dir (wagectl keeps its sessions in ~/.cache/wagectl;
# XDG_RUNTIME_DIR and WAGE_TOKEN_FILE are unset so that it does) and
# TZ=Asia/Shanghai (the offices' zone, the one the server counts days in,
# so that $(date +%F) is the server's today).
#
# What a line must do is read from its trailing comment:
#   # CODE...        the comment begins with an error code of the table in
#                    common/protocol.c (FORBIDDEN, ILLEGAL_TRANSITION, ...):
#                    wagectl must print `error: CODE: ...` on stderr and
#                    exit with the table's status for CODE (1 for the
#                    server's refusals, 3 for TLS);
#   # exit N...      the comment begins with `exit N`: exit status N;
#   anything else    exit status 0.
# And, on any line:
#   `-> STATE`       the case the line names (below) is in STATE after it;
#                    `FROM -> STATE`: and was in FROM before it;
#   `state STATE`    (when there is no `->`): in STATE after it.
# A line expected to fail (a code, or `exit N` with N > 0) that names a
# case must leave it as it was (its state and revision). The case a line
# names is the first case ID (WAyyyy-nnnnnn) of the command; if the
# command has none, the first of the comment, and then a line expected to
# succeed must print that ID (`as union file ... # filed WA2026-000001:
# state intake`). The state is read before and after the line with
# `wagectl --json show ID` in the walkthrough's shell, as whoever that is
# (the clerk, unless the README changes it). A state word that is not a
# state (a typo) fails: the server never reports it.
# Comment-only lines, blank lines and lines outside the sh blocks are not
# run; a line ending in a backslash goes on with the next. A quote left
# open at the end of a line, or a here-document, is reported as a failure
# (not supported). README=FILE reads another file (to try a change).
#
# Output: one line per command line (ok or FAIL, with README.md:LINE), for
# a failure what was wanted and wagectl's stdout and stderr; one for the
# server stopping cleanly after it (under SANITIZE=1, no sanitizer
# report); then `readme: N passed, M failed`; the exit status is non-zero
# on any failure. KEEP=1 keeps the temp dir. Needs POSIX sh, bash, awk,
# grep, coreutils (timeout) and TOOL_JSON (tests/integration/tool_json.c)
# to read wagectl's JSON.

set -u
if [ $# -ne 3 ]; then
	echo "usage: $0 SERVER WAGECTL TOOL_JSON" >&2
	exit 2
fi
SERVER=$1
WAGECTL=$2
TOOL=$3
README=${README:-README.md}
for f in "$SERVER" "$WAGECTL" "$TOOL"; do
	if [ ! -x "$f" ]; then
		echo "readme: $f is missing: run make readme" >&2
		exit 2
	fi
done
if ! command -v bash >/dev/null 2>&1; then
	echo "readme: the walkthrough needs bash" >&2
	exit 2
fi
BINDIR=$(cd "$(dirname "$WAGECTL")" && pwd) || exit 2
T=$(mktemp -d "${TMPDIR:-/tmp}/wage-readme.XXXXXX") || exit 2
# shellcheck disable=SC2034 # SPID: lib.sh's start_server and stop_server
SPID=""
. tests/lib.sh
cleanup() { stop_server; [ -n "${KEEP:-}" ] || rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

PASS=0
FAIL=0
ok() {
	PASS=$((PASS + 1))
	echo "readme: ok   $1"
}
bad() {
	FAIL=$((FAIL + 1))
	echo "readme: FAIL $1"
}
# fatal WHAT: nothing can be checked; print the summary and stop.
fatal() {
	bad "$1"
	echo "readme: $PASS passed, $FAIL failed"
	exit 1
}

# ---- the error codes: "NAME STATUS" a line ------------------------------

# The rows of err_table in common/protocol.c ({ WAGE_E_X, "NAME", message,
# WAGE_EXIT_Y }, over one or more lines) and the WAGE_EXIT_* values of
# include/wage/protocol.h. "OK" is not a refusal.
LC_ALL=C awk '
FNR == 1 { f++ }
f == 1 && $1 == "#define" && $2 ~ /^WAGE_EXIT_[A-Z]+$/ { ex[$2] = $3 }
f == 2 && /err_table\[\] = \{/ { on = 1; next }
f == 2 && on && /^};/ { on = 0 }
f == 2 && on {
	row = row " " $0
	if (row !~ /\},[ \t]*$/)
		next
	name = ""
	st = ""
	if (match(row, /"[A-Z_]+"/))
		name = substr(row, RSTART + 1, RLENGTH - 2)
	if (match(row, /WAGE_EXIT_[A-Z]+/))
		st = ex[substr(row, RSTART, RLENGTH)]
	if (name != "" && name != "OK" && st != "")
		print name, st
	row = ""
}' include/wage/protocol.h common/protocol.c >"$T/codes"
# Enough rows to be the table, and FORBIDDEN among them.
if [ "$(wc -l <"$T/codes")" -lt 10 ] || ! grep -q '^FORBIDDEN 1$' "$T/codes"
then
	fatal "cannot read the error table of common/protocol.c"
fi

# ---- the walkthrough: plan and script -----------------------------------

# From the codes and the README: $T/plan, one line per command line, tab
# separated, "-" for nothing: index, README line, case ID, where the ID
# came from (cmd, comment), error code, exit status wanted, state before,
# state after, the command as shown; $T/walk.bash, the script that runs
# them; $T/sections, the walkthrough sections' headings. A line that
# cannot be run as written gives "index line - - ! - - - reason".
LC_ALL=C awk -v dir="$T" -v plan="$T/plan" -v script="$T/walk.bash" \
    -v sections="$T/sections" '
function q(s) {
	gsub(/\047/, "\047\\\047\047", s)
	return "\047" s "\047"
}
function trim(s) {
	sub(/^[ \t]+/, "", s)
	sub(/[ \t]+$/, "", s)
	return s
}
function caseid(s) {
	if (match(s, /WA[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]/))
		return substr(s, RSTART, RLENGTH)
	return ""
}
# split_comment S: CMD (the command) and COM (the comment, without "#"),
# at the first "#" that begins a word outside quotes; OPENQ is the quote
# left open at the end ("" if none).
function split_comment(s,   i, n, c) {
	OPENQ = ""
	n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1)
		if (OPENQ == "\047") {
			if (c == "\047")
				OPENQ = ""
			continue
		}
		if (c == "\\") {
			i++
			continue
		}
		if (OPENQ == "\"") {
			if (c == "\"")
				OPENQ = ""
			continue
		}
		if (c == "\047" || c == "\"") {
			OPENQ = c
			continue
		}
		if (c == "#" && (i == 1 || substr(s, i - 1, 1) ~ /[ \t]/)) {
			CMD = trim(substr(s, 1, i - 1))
			COM = trim(substr(s, i + 1))
			return
		}
	}
	CMD = trim(s)
	COM = ""
}
# command L RAW TEXT [BAD]: one command line (README line L, its physical
# lines RAW, joined TEXT) into the plan and the script; BAD: why it cannot
# be run.
function command(l, raw, text, bad,   id, src, code, st, from, to, c, w,
    shown) {
	n++
	split_comment(text)
	shown = CMD
	gsub(/\t/, " ", shown)
	if (bad != "") {
		print n, l, "-", "-", "!", "-", "-", "-", bad ": " shown > plan
		return
	}
	if (OPENQ != "") {
		print n, l, "-", "-", "!", "-", "-", "-",
		    "a quote is left open at the end of the line: " shown > plan
		return
	}
	if (CMD ~ /<<-?[ \t]*[\047"]?[A-Za-z_]/ && CMD !~ /<<</) {
		print n, l, "-", "-", "!", "-", "-", "-",
		    "a here-document: not supported: " shown > plan
		return
	}
	id = caseid(CMD)
	src = "cmd"
	if (id == "") {
		id = caseid(COM)
		src = "comment"
	}
	if (id == "") {
		id = "-"
		src = "-"
	}
	code = "-"
	st = "-"
	w = COM
	sub(/[: \t].*/, "", w)
	if (match(COM, /^exit[ \t]+[0-9]+/)) {
		st = substr(COM, RSTART, RLENGTH)
		sub(/^exit[ \t]+/, "", st)
	} else if (w in codes) {
		code = w
		st = codes[w]
	}
	from = "-"
	to = "-"
	if (match(COM, /->[ \t]*[a-z_]+/)) {
		c = COM
		while (match(c, /->[ \t]*[a-z_]+/)) {
			to = substr(c, RSTART, RLENGTH)
			c = substr(c, RSTART + RLENGTH)
		}
		sub(/^->[ \t]*/, "", to)
		if (match(COM, /(^|[^a-z_])[a-z_]+[ \t]*->/)) {
			from = substr(COM, RSTART, RLENGTH)
			sub(/^[^a-z_]/, "", from)
			sub(/[ \t]*->$/, "", from)
		}
	} else if (match(COM, /(^|[^a-z_])state[ \t]+[a-z_]+/)) {
		to = substr(COM, RSTART, RLENGTH)
		sub(/^.*state[ \t]+/, "", to)
	}
	print n, l, id, src, code, st, from, to, shown > plan
	refused = (st != "-" && st != "0")
	if (id != "-" && (from != "-" || refused))
		printf "_rd_show %d.pre %s\n", n, q(id) > script
	printf "# %s:%d\n{\n%s\n} </dev/null >%s 2>%s\necho $? >%s\n",
	    FILENAME, l, raw, q(dir "/" n ".out"), q(dir "/" n ".err"),
	    q(dir "/" n ".rc") > script
	if (id != "-" && (to != "-" || refused))
		printf "_rd_show %d.post %s\n", n, q(id) > script
}
# The section ends: its blocks are the walkthrough if its prose named
# the runner.
function section_end(   i) {
	if (marked && nheading != "") {
		print nheading > sections
		nsec++
		for (i = 1; i <= nbuf; i++)
			command(bufl[i], bufraw[i], buftext[i], bufbad[i])
	}
	for (i = 1; i <= nbuf; i++)
		delete bufbad[i]
	nbuf = 0
	marked = 0
}
BEGIN {
	OFS = "\t"
	printf "_rd_show() { command wagectl --json show \"$2\" >%s/\"$1\" " \
	    "2>&1; }\n", q(dir) > script
}
FNR == NR {
	codes[$1] = $2
	next
}
fence == "" && /^##? / {
	section_end()
	nheading = $0
	next
}
fence == "" && /^```/ {
	fence = $0
	sub(/^```[ \t]*/, "", fence)
	fence = (fence == "sh" || fence == "bash") ? "sh" : "other"
	next
}
fence != "" && /^```[ \t]*$/ {
	if (pending != "") {
		nbuf++
		bufl[nbuf] = pl
		bufraw[nbuf] = raw
		buftext[nbuf] = text
		bufbad[nbuf] = "the block ends in a backslash"
	}
	fence = ""
	pending = ""
	next
}
fence == "" {
	if (index($0, "tests/readme/run.sh"))
		marked = 1
	next
}
fence == "sh" {
	if (pending == "") {
		if ($0 ~ /^[ \t]*(#.*)?$/)
			next
		pl = FNR
		raw = $0
		text = $0
	} else {
		raw = raw "\n" $0
		text = text " " $0
	}
	if (text ~ /\\$/) {
		sub(/\\$/, "", text)
		pending = 1
		next
	}
	pending = ""
	nbuf++
	bufl[nbuf] = pl
	bufraw[nbuf] = raw
	buftext[nbuf] = text
}
END {
	section_end()
	close(plan)
	close(script)
	close(sections)
}' "$T/codes" "$README" || fatal "cannot read $README"
touch "$T/plan" "$T/sections"
NSEC=$(wc -l <"$T/sections")
NCMD=$(wc -l <"$T/plan")
if [ "$NSEC" -eq 0 ]; then
	fatal "no walkthrough in $README: no section names tests/readme/run.sh"
fi
if [ "$NCMD" -eq 0 ]; then
	fatal "no command line in the sh blocks of the walkthrough in $README"
fi
echo "readme: $NCMD command lines from $README:" \
	"$(sed 's/^#* *//' "$T/sections" | tr '\n' ';' | sed 's/;$//')"

# ---- the server, as `make run` starts it ----------------------------------

if ! sh deploy/dev-pki.sh "$WAGECTL" "$T/pki" >"$T/pki.log" 2>&1 ||
    ! "$WAGECTL" pki crl "$T/pki" >>"$T/pki.log" 2>&1; then
	sed 's/^/    | /' "$T/pki.log"
	fatal "deploy/dev-pki.sh and wagectl pki crl did not make the PKI"
fi
PORT=$(freeport 11)
mkconf "$T/conf" "$PORT" "crl: $T/pki/crl.pem"
start_server "$T/conf" "$T/log" || fatal "the server did not start"
mkdir -p "$T/home"

# ---- the walkthrough, in one bash ----------------------------------------

# The lines `make run` prints for the clerk, with this server's address.
(
	unset XDG_RUNTIME_DIR WAGE_TOKEN_FILE BASH_ENV ENV
	WAGE_SERVER=tls+tcp://127.0.0.1:$PORT \
	WAGE_CA=$T/pki/ca.crt \
	WAGE_CERT=$T/pki/clerk.crt \
	WAGE_KEY=$T/pki/clerk.key \
	PATH=$BINDIR:$PATH \
	HOME=$T/home \
	TZ=Asia/Shanghai \
		timeout 600 bash "$T/walk.bash" </dev/null >"$T/walk.log" 2>&1
)

# ---- the checks ------------------------------------------------------------

# snap FILE: "state revision" of a `wagectl --json show` output, or its
# first line if it is not a case.
snap() {
	if s=$("$TOOL" get state "$1" 2>/dev/null) &&
	    r=$("$TOOL" get revision "$1" 2>/dev/null); then
		echo "$s $r"
	else
		echo "not shown: $(head -1 "$1" 2>/dev/null)"
	fi
}
# shows FILE PREFIX: the output of the walkthrough's wagectl, indented.
shows() {
	if [ -s "$1" ]; then
		head -20 "$1" | sed "s/^/    $2| /"
	fi
}

TAB=$(printf '\t')
while IFS=$TAB read -r i lno id src code want from to cmd; do
	where="$README:$lno: $cmd"
	if [ "$code" = "!" ]; then
		bad "$README:$lno: $cmd"
		continue
	fi
	d=$T/$i
	if [ ! -f "$d.rc" ]; then
		bad "$where: did not run (the walkthrough's bash ended or" \
			"timed out before it)"
		continue
	fi
	rc=$(cat "$d.rc")
	why=""
	got=""
	# The exit status and the error code.
	if [ "$code" != - ]; then
		got="$code, exit $want"
		if [ "$rc" -ne "$want" ]; then
			why="$why; exit $rc, want $want ($code)"
		fi
		if ! grep -q "^error: $code: " "$d.err"; then
			why="$why; no \"error: $code: \" on stderr"
		fi
	elif [ "$want" != - ]; then
		got="exit $want"
		if [ "$rc" -ne "$want" ]; then
			why="$why; exit $rc, want $want"
		fi
	else
		got="exit 0"
		want=0
		if [ "$rc" -ne 0 ]; then
			why="$why; exit $rc, want 0"
		fi
	fi
	# The case the comment names, printed by the command.
	if [ "$src" = comment ] && [ "$want" -eq 0 ] &&
	    ! grep -qF "$id" "$d.out" "$d.err"; then
		why="$why; $id is not in the output"
	fi
	# Its states.
	if [ "$from" != - ]; then
		s=$(snap "$d.pre")
		if [ "${s% *}" != "$from" ]; then
			why="$why; $id before: $s, want state $from"
		fi
	fi
	if [ "$to" != - ]; then
		s=$(snap "$d.post")
		if [ "${s% *}" != "$to" ]; then
			why="$why; $id after: $s, want state $to"
		fi
		if [ "$from" != - ]; then
			got="$got, $id $from -> $to"
		else
			got="$got, $id $to"
		fi
	fi
	# A refusal changes nothing.
	if [ "$want" -ne 0 ] && [ "$id" != - ]; then
		s=$(snap "$d.pre")
		s2=$(snap "$d.post")
		if [ "$s" != "$s2" ]; then
			why="$why; $id changed: $s before, $s2 after"
		fi
		got="$got, $id unchanged"
	fi
	if [ -z "$why" ]; then
		ok "$where ($got)"
	else
		bad "$where:${why#;}"
		shows "$d.out" ""
		shows "$d.err" "err "
	fi
done <"$T/plan"

# The server lived through it and stops cleanly (under SANITIZE=1, a
# sanitizer report makes the status non-zero).
if ! server_running "$T/log"; then
	bad "the server died during the walkthrough (status" \
		"'$(cat "$T/log.rc" 2>/dev/null)'):"
	tail -20 "$T/log" | sed 's/^/    | /'
else
	stop_server
	if [ "$SERVER_RC" = 0 ]; then
		ok "the server stops cleanly"
	else
		bad "the server did not stop cleanly (status '$SERVER_RC'):"
		tail -20 "$T/log" | sed 's/^/    | /'
	fi
fi
if [ "$FAIL" -gt 0 ] && [ -s "$T/walk.log" ]; then
	echo "readme: the walkthrough's bash said:"
	head -20 "$T/walk.log" | sed 's/^/    | /'
fi
echo "readme: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
