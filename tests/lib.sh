# Shared by the shell drivers in tests/: a PKI and running servers in a
# temp dir. Source it after setting SERVER, WAGECTL and T (the temp dir).
#
# Its helpers keep their own variables in _lib_* names, so that they do not
# clobber the caller's. The servers they start are tracked by files beside
# each server's log (LOG.pid: the server's pid; LOG.rc: its exit status,
# written once it has exited), so that a server started in a subshell can
# still be stopped, and its exit status read, from the parent.

# pki_issue DIR BASE ROLE CN ORG REGION [wagectl pki issue options...]: a
# client certificate and key, DIR/BASE.crt and DIR/BASE.key.
pki_issue() {
	_lib_dir=$1 _lib_base=$2 _lib_role=$3 _lib_cn=$4 _lib_org=$5
	_lib_region=$6
	shift 6
	"$WAGECTL" pki issue "$_lib_dir" --role "$_lib_role" --cn "$_lib_cn" \
		--org "$_lib_org" --region "$_lib_region" "$@" \
		--out "$_lib_dir/$_lib_base" >/dev/null
}

# mkpki DIR [CA_NAME]: CA (and its empty CRL, DIR/crl.pem), server
# certificate for localhost/127.0.0.1, a union station certificate of
# 370102, a clerk of 370100 and a clerk of Qingdao (clerk_qd), a legal-aid
# lawyer, an auditor, an admin, a mediator, an arbitrator, a chair and
# a labour inspector:
# DIR/ROLE.crt and DIR/ROLE.key. Stops at the first that fails (status 1).
mkpki() {
	_lib_pki=$1
	_lib_ay=济南市劳动人事争议仲裁院
	if [ $# -ge 2 ]; then
		"$WAGECTL" pki init "$_lib_pki" --name "$2" >/dev/null
	else
		"$WAGECTL" pki init "$_lib_pki" >/dev/null
	fi &&
	"$WAGECTL" pki issue "$_lib_pki" --server --cn localhost --org test \
		--region 370100 --dns localhost --ip 127.0.0.1 \
		--out "$_lib_pki/server" >/dev/null &&
	pki_issue "$_lib_pki" union union 陈静 济南市历下区总工会工会驿站 \
		370102 &&
	pki_issue "$_lib_pki" clerk clerk 王芳 "$_lib_ay" 370100 &&
	pki_issue "$_lib_pki" clerk_qd clerk 林涛 青岛市劳动人事争议仲裁院 \
		370200 &&
	pki_issue "$_lib_pki" legal_aid legal_aid 赵磊 济南市法律援助中心 \
		370100 &&
	pki_issue "$_lib_pki" auditor auditor 孙丽 \
		济南市人力资源和社会保障局 370100 &&
	pki_issue "$_lib_pki" admin admin 周强 \
		济南市劳动人事争议仲裁院信息中心 370100 &&
	pki_issue "$_lib_pki" mediator mediator 李明 "$_lib_ay" 370100 &&
	pki_issue "$_lib_pki" arbitrator arbitrator 张伟 "$_lib_ay" 370100 &&
	pki_issue "$_lib_pki" chair chair 刘洋 "$_lib_ay" 370100 &&
	pki_issue "$_lib_pki" inspector inspector 吴军 \
		济南市劳动保障监察支队 370100
}

# mkconf FILE PORT [KEY: VALUE...]: a configuration on 127.0.0.1:PORT
# with the PKI in $T/pki, the database in $T/db and the policy of the work
# tree. An extra line replaces the default line of the same key (e.g.
# "db: $T/db2"); the others are added at the end.
mkconf() {
	_lib_f=$1
	_lib_port=$2
	shift 2
	{
		for _lib_d in "listen: tls+tcp://127.0.0.1:$_lib_port" \
		    "ca: $T/pki/ca.crt" "cert: $T/pki/server.crt" \
		    "key: $T/pki/server.key" "db: $T/db" \
		    "policy: $(pwd)/policies/wage-dispute.yaml"; do
			_lib_keep=1
			for _lib_l in "$@"; do
				case $_lib_l in
				"${_lib_d%%:*}:"*) _lib_keep=0 ;;
				esac
			done
			[ $_lib_keep -eq 0 ] || echo "$_lib_d"
		done
		for _lib_l in "$@"; do echo "$_lib_l"; done
	} >"$_lib_f"
}

# freeport [N]: a port on 127.0.0.1 that nothing uses, below the kernel's
# ephemeral range (so that no client connection can hold it), from the
# process id and N; checked against ss (every state) when it is there.
freeport() {
	_lib_lo=20000
	_lib_span=$(awk '{ print ($1 > 21000 ? $1 - 20000 : 1000) }' \
		/proc/sys/net/ipv4/ip_local_port_range 2>/dev/null ||
		echo 10000)
	_lib_p=$(( _lib_lo + ($$ * 7 + ${1:-0} * 131) % _lib_span ))
	if command -v ss >/dev/null 2>&1; then
		while ss -tan 2>/dev/null | grep -q ":$_lib_p "; do
			_lib_p=$(( _lib_lo + (_lib_p - _lib_lo + 1) % _lib_span ))
		done
	fi
	echo "$_lib_p"
}

# wait_ready LOG PID: wait (bounded: 15 s) for a READY line in LOG while
# process PID lives. Status 1 if it did not come.
wait_ready() {
	_lib_i=0
	until grep -q '^READY ' "$1" 2>/dev/null; do
		_lib_i=$((_lib_i + 1))
		if [ $_lib_i -gt 600 ] || ! kill -0 "$2" 2>/dev/null; then
			return 1
		fi
		sleep 0.025
	done
}

# start_server CONF LOG [NAME=VALUE...]: start $SERVER -c CONF, with the
# NAME=VALUE pairs in its environment (e.g. LD_PRELOAD=...), its stderr in
# LOG (emptied first), and wait for its READY line. Sets SPID (the
# server's own pid, also in LOG.pid) and SLOG=LOG; LOG.rc gets its exit
# status when it ends. If it exits or is not ready within 15 s, the log
# goes to stderr, the server is stopped, and the status is 1.
start_server() {
	_lib_conf=$1
	SLOG=$2
	shift 2
	: >"$SLOG"
	rm -f "$SLOG.pid" "$SLOG.rc"
	# The subshell outlives the server only to write down its status;
	# none of its descriptors may hold a caller's pipe open.
	(
		_lib_rc=0
		sh -c 'echo $$ >"$1.pid"; exec 2>"$1"; shift
			exec env "$@"' sh "$SLOG" "$@" \
			"$SERVER" -c "$_lib_conf" || _lib_rc=$?
		echo "$_lib_rc" >"$SLOG.rc.new" && mv "$SLOG.rc.new" "$SLOG.rc"
	) </dev/null >/dev/null 2>&1 &
	_lib_i=0
	until [ -s "$SLOG.pid" ]; do
		_lib_i=$((_lib_i + 1))
		if [ $_lib_i -gt 2000 ]; then
			echo "server did not start: no pid in $SLOG.pid" >&2
			return 1
		fi
		sleep 0.005
	done
	SPID=$(cat "$SLOG.pid")
	if ! wait_ready "$SLOG" "$SPID"; then
		echo "server did not start:" >&2
		cat "$SLOG" >&2
		stop_server "$SLOG"
		return 1
	fi
}

# server_running [LOG]: the server of LOG (default: the last started) runs.
server_running() {
	_lib_log=${1:-${SLOG:-}}
	[ -n "$_lib_log" ] && [ -s "$_lib_log.pid" ] &&
		[ ! -f "$_lib_log.rc" ] &&
		kill -0 "$(cat "$_lib_log.pid")" 2>/dev/null
}

# stop_server [LOG]: SIGTERM to the server of LOG (default: the last one
# started, if any) and wait until it has exited (bounded: 15 s, then
# SIGKILL). Sets SERVER_RC to its exit status ("" if unknown; 0: a clean
# stop). The status of stop_server itself is always 0.
stop_server() {
	_lib_stop TERM "${1:-}"
}

# kill_server [LOG]: as stop_server, with SIGKILL (a crash).
kill_server() {
	_lib_stop KILL "${1:-}"
}

# shellcheck disable=SC2034 # SERVER_RC: for the caller
_lib_stop() {
	SERVER_RC=
	_lib_log=$2
	if [ -z "$_lib_log" ]; then
		[ -n "${SPID:-}" ] && [ -n "${SLOG:-}" ] || return 0
		_lib_log=$SLOG
	fi
	_lib_pid=$(cat "$_lib_log.pid" 2>/dev/null) || _lib_pid=
	if [ -n "$_lib_pid" ]; then
		# Not once it has gone: its pid may be another's by now.
		[ -f "$_lib_log.rc" ] || kill "-$1" "$_lib_pid" 2>/dev/null ||
			true
		# LOG.rc is written once the server is gone.
		_lib_i=0
		while [ ! -f "$_lib_log.rc" ] && [ $_lib_i -lt 640 ]; do
			if [ $_lib_i -eq 600 ]; then
				kill -KILL "$_lib_pid" 2>/dev/null || true
			fi
			sleep 0.025
			_lib_i=$((_lib_i + 1))
		done
		SERVER_RC=$(cat "$_lib_log.rc" 2>/dev/null) || SERVER_RC=
		rm -f "$_lib_log.pid"
	fi
	if [ "$_lib_log" = "${SLOG:-}" ]; then
		SPID=""
	fi
	return 0
}

# ---- checks: what a suite's run.sh prints and counts ----------------------
# checks NAME: ok, bad and check print "NAME: ok    ..." or "NAME: FAIL
# ..." and count in PASS and FAIL; checks_end prints the tally and returns
# non-zero on any failure. A suite may define its own after sourcing this.
checks() {
	_lib_suite=$1
	PASS=0
	FAIL=0
}
ok() {
	PASS=$((PASS + 1))
	echo "$_lib_suite: ok    $1"
}
bad() {
	FAIL=$((FAIL + 1))
	echo "$_lib_suite: FAIL  $1"
}
# check NAME GOT WANT
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi
}
checks_end() {
	echo "$_lib_suite: $PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}
# ctl ROLE ARGS...: $WAGECTL with ROLE's certificate and key of $T/pki
# (mkpki); stdout in $T/out, stderr in $T/err, exit status in RC.
ctl() {
	_lib_r=$1
	shift
	WAGE_CERT=$T/pki/$_lib_r.crt WAGE_KEY=$T/pki/$_lib_r.key \
		"$WAGECTL" "$@" >"$T/out" 2>"$T/err"
	RC=$?
}

# suite_begin NAME: a suite's temp dir $T (removed at exit, the server
# stopped first) and its checks (checks NAME).
suite_begin() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/wage-$1.XXXXXX") || exit 2
	SPID=""
	trap 'stop_server; rm -rf "$T"' EXIT
	trap 'exit 1' INT TERM
	checks "$1"
}

# suite_server N: the development-like PKI in $T/pki (mkpki), a server on
# a free port (freeport N) with its LMDB in $T, WAGE_SERVER and WAGE_CA
# exported, wagectl's sessions under $T/sess; exits 1 if it fails.
suite_server() {
	mkpki "$T/pki" || exit 1
	PORT=$(freeport "$1")
	mkconf "$T/conf" "$PORT"
	WAGE_SERVER=tls+tcp://127.0.0.1:$PORT
	WAGE_CA=$T/pki/ca.crt
	XDG_RUNTIME_DIR=$T/sess
	export WAGE_SERVER WAGE_CA XDG_RUNTIME_DIR
	mkdir -m 700 "$XDG_RUNTIME_DIR"
	start_server "$T/conf" "$T/log" || exit 1
}
