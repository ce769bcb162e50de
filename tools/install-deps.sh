#!/bin/sh
# Installs the Debian packages syscage needs, when missing:
#   tools/install-deps.sh build   what building needs (make demo)
#   tools/install-deps.sh test    what the tests need too (make check)
# As root on Debian it uses apt-get; elsewhere it says what to install.
set -e
packages="gcc make libc6-dev linux-libc-dev libjansson-dev musl-tools"
# The tests also drive the peers syscage writes for: bubblewrap and crun (with a
# busybox root filesystem), and check against libseccomp.
# Fuzzing (clang's libFuzzer runtime), coverage (gcovr) and valgrind too.
# The benchmarks: the peers they measure, strace for a workload, gnuplot.
[ "$1" = bench ] && packages="$packages libseccomp-dev bubblewrap firejail strace gnuplot-nox"
[ "$1" = test ] && packages="$packages clang g++ libcmocka-dev python3 libseccomp-dev bubblewrap crun \
	busybox-static libclang-rt-14-dev gcovr valgrind strace"
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
need=""
for p in $packages; do
	# A python3 on the PATH (say, pyenv's) will do as well as Debian's.
	[ "$p" = python3 ] && command -v python3 >/dev/null 2>&1 && continue
	have_pkg "$p" || need="$need $p"
done
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "syscage: please install:$need" >&2
	exit 1
fi
echo "installing:$need"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
