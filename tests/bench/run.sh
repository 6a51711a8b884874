#!/bin/sh
# make bench: start a server on a fresh database and PKI in a temp dir, and
# drive it with tests/bench/bench.c at 1, 8 and 64 clients. Results go to
# stdout and to build/bench-results.txt.
set -eu
SERVER=$1
WAGECTL=$2
BENCH=$3
SECS=${BENCH_SECONDS:-5}
T=$(mktemp -d /tmp/wage-bench.XXXXXX)
SPID=""
. tests/lib.sh
cleanup() { stop_server; rm -rf "$T"; }
trap cleanup EXIT INT TERM
mkpki "$T/pki"
PORT=$(freeport 2)
mkconf "$T/conf" "$PORT" "workers: 128"
start_server "$T/conf" "$T/log"
PID=$SPID
export WAGE_SERVER=tls+tcp://127.0.0.1:$PORT WAGE_CA=$T/pki/ca.crt \
	WAGE_CERT=$T/pki/union.crt WAGE_KEY=$T/pki/union.key
OUT=build/bench-results.txt
mkdir -p build
{
	echo "# wage-server bench $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${SECS}s per run"
	echo "# get: case.get (read); file: case.file (durable write + audit);"
	echo "# act: case.act supplement (durable write + audit)"
	for op in get file act; do
		for n in 1 8 64; do
			"$BENCH" $op $n "$SECS" tests/data/cases/single-worker.json
		done
	done
	echo "server peak RSS: $(grep VmHWM /proc/$PID/status | awk '{print $2, $3}')"
	echo "database size: $(du -sh "$T/db" | cut -f1)"
} | tee "$OUT"
