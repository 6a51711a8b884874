#!/bin/sh
# The hostile-request suite against a real server over mutual TLS.
set -eu
SERVER=$1
WAGECTL=$2
HOSTILE=$3
T=$(mktemp -d /tmp/wage-hostile.XXXXXX)
SPID=""
. tests/lib.sh
cleanup() { stop_server; rm -rf "$T"; }
trap cleanup EXIT INT TERM
mkpki "$T/pki"
PORT=$(freeport 3)
mkconf "$T/conf" "$PORT"
start_server "$T/conf" "$T/log"
export WAGE_SERVER=tls+tcp://127.0.0.1:$PORT WAGE_CA=$T/pki/ca.crt
"$HOSTILE" "$T/pki" tests/hostile/requests.tsv
