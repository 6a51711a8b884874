#!/bin/sh
# `make run`: start a development wage-server in the foreground with its
# LMDB under var/db and the development PKI under var/pki, after printing
# the lines that point wagectl at it as the clerk.
set -eu
SERVER=${1:-bin/wage-server}
TOP=$(pwd)
mkdir -p var
# A CRL past its nextUpdate makes mbedTLS refuse every client: renew it.
"$(dirname "$SERVER")/wagectl" pki crl var/pki >/dev/null
cat > var/wage-server.conf <<CONF
# Development configuration written by deploy/dev-run.sh.
listen: tls+tcp://127.0.0.1:7443
ca: $TOP/var/pki/ca.crt
crl: $TOP/var/pki/crl.pem
cert: $TOP/var/pki/server.crt
key: $TOP/var/pki/server.key
db: $TOP/var/db
policy: $TOP/policies/wage-dispute.yaml
CONF
echo "# To use wagectl as the clerk, paste these lines into a shell"
echo "# (other roles: var/pki/ROLE.crt and var/pki/ROLE.key):"
echo "export WAGE_SERVER=tls+tcp://127.0.0.1:7443"
echo "export WAGE_CA=$TOP/var/pki/ca.crt"
echo "export WAGE_CERT=$TOP/var/pki/clerk.crt"
echo "export WAGE_KEY=$TOP/var/pki/clerk.key"
echo "export PATH=$TOP/bin:\$PATH"
exec "$SERVER" -c var/wage-server.conf
