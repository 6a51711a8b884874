#!/bin/sh
# Install the Debian 12 packages wage-server needs to build, run and test.
# A no-op when everything is already there; needs root (or sudo) otherwise.
# python3-lunardate and python3-ephem are for `make holidays-check` only
# (deploy/gen-statutory-holidays.py); the server reads the table as data.
set -eu
PKGS="build-essential pkg-config libnng-dev nng-utils liblmdb-dev lmdb-utils
libmbedtls-dev libcmocka-dev libjansson-dev libyaml-dev python3-lunardate
python3-ephem"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
