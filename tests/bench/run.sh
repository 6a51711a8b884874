#!/bin/sh
# make bench: start a server on a fresh database and PKI in a temp dir, and
# drive it with tests/bench/bench.c at 1, 8 and 64 clients. Results go to
# stdout and to build/bench-results.txt.
set -eu
SERVER=$1
WAGECTL=$2
BENCH=$3
SECS=${BENCH_SECONDS:-5}
TOP=$(pwd)
T=$(mktemp -d /tmp/wage-bench.XXXXXX)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT INT TERM
"$WAGECTL" pki init "$T/pki" >/dev/null
"$WAGECTL" pki issue "$T/pki" --server --cn localhost --org bench --region 370100 \
	--dns localhost --ip 127.0.0.1 --out "$T/pki/server" >/dev/null
"$WAGECTL" pki issue "$T/pki" --role union --cn 陈静 --org 济南市历下区总工会工会驿站 \
	--region 370102 --out "$T/pki/union" >/dev/null
PORT=$(( 20000 + $$ % 20000 ))
cat > "$T/conf" <<CONF
listen: tls+tcp://127.0.0.1:$PORT
ca: $T/pki/ca.crt
cert: $T/pki/server.crt
key: $T/pki/server.key
db: $T/db
policy: $TOP/policies/wage-dispute.yaml
workers: 128
CONF
"$SERVER" -c "$T/conf" 2>"$T/log" &
PID=$!
i=0
until grep -q READY "$T/log"; do
	i=$((i + 1)); [ $i -gt 200 ] && { cat "$T/log"; exit 1; }
	sleep 0.05
done
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
