#!/bin/sh
# make bench: the server on a fresh database and PKI in a temp dir, driven
# over mutual TLS at 1, 8 and 64 clients; beside it, in the same run, the
# machine's own ceilings: an nng TLS echo server with the same socket
# settings, and an LMDB loop committing the same records durably in batches
# of 64. Our figures are printed as ratios of them. Results: stdout and
# build/bench-results.txt. BENCH_SECONDS (default 5) per run; BENCH_SOAK=N
# adds an N-second mixed run reporting the server's RSS at start and end.
set -eu
SERVER=$1
WAGECTL=$2
BENCH=$3
SECS=${BENCH_SECONDS:-5}
SOAK=${BENCH_SOAK:-0}
FILING=tests/data/cases/single-worker.json
T=$(mktemp -d /tmp/wage-bench.XXXXXX)
SPID=""
EPID=""
. tests/lib.sh
cleanup() {
	stop_server
	[ -n "$EPID" ] && kill "$EPID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
mkpki "$T/pki"
PORT=$(freeport 2)
EPORT=$(freeport 4)
mkconf "$T/conf" "$PORT" "workers: 128" "mapsize_mb: 32768"
export WAGE_CA=$T/pki/ca.crt WAGE_CERT=$T/pki/union.crt \
	WAGE_KEY=$T/pki/union.key
OUT=build/bench-results.txt
mkdir -p build
rss() { awk '/VmRSS/ {print $2}' /proc/"$1"/status; }
# heap: anonymous memory only (RSS also counts the mapped database pages,
# which grow with the data written).
heap() { awk '/RssAnon/ {print $2}' /proc/"$1"/status; }
hwm() { awk '/VmHWM/ {print $2}' /proc/"$1"/status; }
# cputicks PID: user + system CPU of the process so far, in clock ticks.
cputicks() { awk '{ print $14 + $15 }' /proc/"$1"/stat; }
# measured PID OP N CMD...: run the load CMD, print its lines, then the CPU
# the server PID spent per request (all of its threads, kernel included).
measured() {
	_pid=$1 _op=$2 _n=$3
	shift 3
	_t0=$(cputicks "$_pid")
	"$@" >"$T/one"
	_t1=$(cputicks "$_pid")
	cat "$T/one"
	awk -v op="$_op" -v n="$_n" -v secs="$SECS" -v dt=$((_t1 - _t0)) \
	    -v hz="$(getconf CLK_TCK)" '
		$3 == "clients" { reqs += $5 * secs }
		END { if (reqs > 0)
			printf "%-4s cpu   clients %3d  %8.0f us of server CPU per request\n",
			    op, n, dt * 1e6 / hz / reqs }' "$T/one"
}
{
	echo "# wage-server bench $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${SECS}s per run"
	echo "# (load generator on the same machine: it takes CPU from the server)"
	"$BENCH" echo-server "tls+tcp://127.0.0.1:$EPORT" "$T/pki/ca.crt" \
		"$T/pki/server.crt" "$T/pki/server.key" 2>"$T/elog" &
	EPID=$!
	wait_ready "$T/elog" "$EPID" || { cat "$T/elog"; exit 1; }
	for n in 1 8 64; do
		measured "$EPID" echo "$n" env \
		    WAGE_SERVER=tls+tcp://127.0.0.1:$EPORT "$BENCH" echo $n \
		    "$SECS" "$FILING"
	done | tee -a "$T/res"
	kill "$EPID"; wait "$EPID" 2>/dev/null || true; EPID=""
	"$BENCH" lmdb "$T/lmdb" "$SECS" | tee -a "$T/res"
	rm -rf "$T/lmdb"
	start_server "$T/conf" "$T/log"
	export WAGE_SERVER=tls+tcp://127.0.0.1:$PORT
	echo "server RSS at start: $(rss "$SPID") kB"
	for op in get list file act mix; do
		for n in 1 8 64; do
			measured "$SPID" "$op" "$n" "$BENCH" $op $n "$SECS" \
			    "$FILING"
		done
	done | tee -a "$T/res"
	echo "server peak RSS: $(hwm "$SPID") kB; database: $(du -sh "$T/db" | cut -f1)"
	echo2=$(awk '$1=="echo" && $4==64 {print $5}' "$T/res" | head -1)
	lmdb=$(awk '$1=="lmdb" {print $6}' "$T/res" | head -1)
	g64=$(awk '$1=="get" && $4==64 {print $5}' "$T/res" | head -1)
	f64=$(awk '$1=="file" && $4==64 {print $5}' "$T/res" | head -1)
	a64=$(awk '$1=="act" && $4==64 {print $5}' "$T/res" | head -1)
	m64=$(awk '$1=="mix" && $3=="clients" && $4==64 {s += $5} END {print s}' "$T/res")
	awk -v e="$echo2" -v l="$lmdb" -v g="$g64" -v f="$f64" -v a="$a64" \
	    -v m="$m64" 'BEGIN {
		printf "ratios at 64 clients (targets: reads 70%% of echo, writes 50%% of echo and 10000/s, p99 under 10 ms):\n"
		printf "  case.get %.0f%% of the TLS echo rate (%d/s);\n", 100*g/e, e
		printf "  case.file %.0f%% of echo, %.0f%% of the LMDB batch ceiling (%d records/s);\n", 100*f/e, 100*f/l, l
		printf "  case.act %.0f%% of echo, %.0f%% of the LMDB batch ceiling;\n", 100*a/e, 100*a/l
		printf "  mix %d req/s in all (before the case record of issue 12: about 4,400)\n", m
	}'
	# Reads without the case cache (case_cache: 0): every case.get
	# decodes the stored case and renders the view again (marked get*).
	stop_server
	mkconf "$T/conf0" "$PORT" "workers: 128" "mapsize_mb: 32768" "case_cache: 0"
	start_server "$T/conf0" "$T/log0"
	"$BENCH" get 64 "$SECS" "$FILING" | sed 's/^get  get  /get* get  /' |
		tee -a "$T/res"
	stop_server
	start_server "$T/conf" "$T/log"
	if [ "$SOAK" -gt 0 ]; then
		r0=$(rss "$SPID")
		a0=$(heap "$SPID")
		"$BENCH" mix 16 "$SOAK" "$FILING" &
		BPID=$!
		# The heap every tenth of the soak: it grows while the case
		# cache fills (bounded by case_cache), then stays flat.
		step=$((SOAK / 10))
		[ "$step" -gt 0 ] || step=1
		samples=""
		t=0
		while kill -0 "$BPID" 2>/dev/null && [ "$t" -lt "$SOAK" ]; do
			sleep "$step"
			t=$((t + step))
			samples="$samples ${t}s:$(heap "$SPID")"
		done
		wait "$BPID"
		echo "soak ${SOAK}s mix at 16 clients: RSS start ${r0} kB, end $(rss "$SPID") kB, peak $(hwm "$SPID") kB; heap (RssAnon) start ${a0} kB, end $(heap "$SPID") kB; database $(du -sh "$T/db" | cut -f1)"
		echo "soak heap (RssAnon, kB) over time:$samples"
	fi
	# This block runs in a subshell (the pipe to tee): stop it here.
	stop_server
} | tee "$OUT"
