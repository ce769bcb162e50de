#!/bin/sh
# Installs the Debian packages the build and the tests need, if missing.
# Runs as root on Debian 12; elsewhere it says what to install.
set -e
need=""
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for p in gcc make libc6-dev linux-libc-dev libcmocka-dev python3; do
	have_pkg "$p" || need="$need $p"
done
command -v python3 >/dev/null 2>&1 && need=$(echo "$need" | sed 's/ python3//')
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "syscage: please install:$need" >&2
	exit 1
fi
echo "installing:$need"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
