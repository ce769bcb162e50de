#!/bin/sh
# Formats other tools use, proven with the real clients: bubblewrap loads
# `compile --format bpf`, crun enforces `export --to oci`; and import of
# hostile profiles fails with clear errors.
SYSCAGE=${SYSCAGE:-build/syscage}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }

# expect NAME STATUS SUBSTRING -- COMMAND...: status and a substring of stdout+stderr
expect() {
	name=$1 status=$2 want=$3
	shift 4
	out=$("$@" 2>&1)
	got=$?
	if [ "$got" = "$status" ] && { [ -z "$want" ] || printf '%s' "$out" | grep -qF -- "$want"; }; then
		ok
	else
		bad "$name: status $got (want $status), output:"
		printf '%s\n(wanted: %s)\n' "$out" "$want"
	fi
}

# ---- import -----------------------------------------------------------------
expect import-docker 0 "default errno EPERM" -- "$SYSCAGE" import data/profiles/docker-default.json
expect import-docker-caps 0 "allow bpf" -- "$SYSCAGE" import --caps CAP_SYS_ADMIN,CAP_BPF data/profiles/docker-default.json
expect import-docker-arm 0 "arch aarch64, arm" -- "$SYSCAGE" import --arch aarch64 data/profiles/docker-default.json
expect import-old-kernel 0 "left out: needs a newer kernel" -- "$SYSCAGE" import --kernel 4.4 data/profiles/docker-default.json
"$SYSCAGE" import data/profiles/docker-default.json -o "$tmp/docker.policy" 2>/dev/null
expect compile-imported 0 "" -- "$SYSCAGE" compile -p "$tmp/docker.policy" -o /dev/null
expect check-json 0 "errno EPERM" -- "$SYSCAGE" check -p data/profiles/docker-default.json mount
expect check-json-allow 0 "allow" -- "$SYSCAGE" check -p data/profiles/docker-default.json socket AF_INET 1 0
expect check-json-vsock 0 "errno EPERM" -- "$SYSCAGE" check -p data/profiles/docker-default.json socket 40 1 0

# A static (musl) syscage hands JSON over to syscage-json beside it, with
# the command exactly as typed (run's options and the command's own too);
# alone, it says what is missing and runs nothing.
if file -L "$SYSCAGE" | grep -q 'statically linked'; then
	expect handover-run 0 "vm-handover" -- "$SYSCAGE" run -p data/profiles/docker-default.json \
		-- /bin/sh -c 'echo vm-handover "$0"' -p
	mkdir "$tmp/alone"
	cp "$SYSCAGE" "$tmp/alone/syscage"
	expect handover-missing 125 "syscage-json, which has one, cannot be started" -- \
		"$tmp/alone/syscage" run -p data/profiles/docker-default.json -- /bin/echo ran
	expect handover-missing-import 125 "install syscage-json beside it" -- \
		"$tmp/alone/syscage" import data/profiles/docker-default.json
	expect handover-not-json 0 "allow" -- "$tmp/alone/syscage" check -p examples/cat.policy read
fi

hostile() { # NAME JSON WANTED-SUBSTRING
	printf '%s' "$2" > "$tmp/$1.json"
	expect "hostile-$1" 125 "$3" -- "$SYSCAGE" import "$tmp/$1.json"
}
hostile syntax '{"defaultAction": "SCMP_ACT_ALLOW",}' "invalid JSON"
hostile duplicate '{"defaultAction": "SCMP_ACT_ALLOW", "defaultAction": "SCMP_ACT_ERRNO"}' "duplicate object key"
hostile deep "$(python3 -c 'print("["*100000 + "]"*100000)')" "invalid JSON"
hostile huge '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":184467440737095516150,"op":"SCMP_CMP_EQ"}]}]}' "too big integer"
hostile wrong-type '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","args":[{"index":"0","value":1,"op":"SCMP_CMP_EQ"}]}]}' "syscalls[0].args[0].index: expected an integer"
hostile unknown-op '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["lseek"],"action":"SCMP_ACT_ERRNO","args":[{"index":1,"value":1,"op":"SCMP_CMP_XX"}]}]}' "syscalls[0].args[0]: unknown op 'SCMP_CMP_XX'"
hostile unknown-action '{"defaultAction":"SCMP_ACT_MAYBE"}' "defaultAction: unknown action 'SCMP_ACT_MAYBE'"
hostile names-type '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":"read","action":"SCMP_ACT_ALLOW"}]}' "syscalls[0].names: expected a list"
hostile pointer '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["openat"],"action":"SCMP_ACT_ERRNO","args":[{"index":1,"value":0,"op":"SCMP_CMP_EQ"}]}]}' "a pointer"
hostile conflict '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["lseek"],"action":"SCMP_ACT_ERRNO","args":[{"index":2,"value":1,"op":"SCMP_CMP_GT"}]},{"names":["lseek"],"action":"SCMP_ACT_KILL","args":[{"index":2,"value":5,"op":"SCMP_CMP_LT"}]}]}' "may match the same call"
hostile not-object '[1, 2]' "not a JSON object"
printf '{"defaultAction":"SCMP_ACT_ALLOW","bogus":1,"syscalls":[{"names":["read","no_such_call"],"action":"SCMP_ACT_ERRNO","extra":true}]}' > "$tmp/warn.json"
expect warn-unknown-field 0 "bogus: unknown field" -- "$SYSCAGE" import "$tmp/warn.json"
expect warn-unknown-entry-field 0 "syscalls[0].extra: unknown field" -- "$SYSCAGE" import "$tmp/warn.json"
expect warn-unknown-name 0 "unknown syscall 'no_such_call', skipped" -- "$SYSCAGE" import "$tmp/warn.json"
# Values above 2^63 are valid in profiles.
printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["lseek"],"action":"SCMP_ACT_ERRNO","args":[{"index":1,"value":18446744073709551615,"op":"SCMP_CMP_EQ"}]}]}' > "$tmp/big.json"
expect big-value 0 "offset == 0xffffffffffffffff" -- "$SYSCAGE" import "$tmp/big.json"

# ---- export ------------------------------------------------------------------
cat > "$tmp/p.policy" <<'P'
default allow
errno EACCES mkdir, mkdirat
errno EPERM ioctl if cmd == TIOCSTI
errno EPERM @sandbox-escape
P
expect export 0 '"defaultAction": "SCMP_ACT_ALLOW"' -- "$SYSCAGE" export --to oci -p "$tmp/p.policy"
expect export-masked 0 '"op": "SCMP_CMP_MASKED_EQ"' -- "$SYSCAGE" export --to oci -p "$tmp/p.policy"
expect export-no-format 125 "--to oci" -- "$SYSCAGE" export -p "$tmp/p.policy"
printf 'arch x86_64, i386\ndefault allow\nerrno EPERM lseek if offset == 5\n' > "$tmp/widths.policy"
expect export-arch-widths 125 "mean different things on x86_64 and i386" -- "$SYSCAGE" export --to oci -p "$tmp/widths.policy"
# On i386 libseccomp applies socket()'s rules to socketcall() without their
# conditions: a rule of another action than socketcall's is refused.
printf 'arch x86_64, i386\ndefault kill\nallow socket if family == AF_UNIX\n' > "$tmp/socketcall.policy"
expect export-socketcall 125 "applies this rule for socket to socketcall() too" -- "$SYSCAGE" export --to oci -p "$tmp/socketcall.policy"
expect export-socketcall-x86_64 0 "SCMP_ARCH_X86_64" -- "$SYSCAGE" export --to oci --arch x86_64 -p "$tmp/socketcall.policy"
expect export-arch-override 0 "SCMP_ARCH_X86_64" -- "$SYSCAGE" export --to oci --arch x86_64 -p "$tmp/widths.policy"
"$SYSCAGE" export --to oci -p "$tmp/p.policy" -o "$tmp/p.json"
expect run-json 0 "vm" -- "$SYSCAGE" run -p "$tmp/p.json" -- cat /etc/hostname

# ---- bubblewrap: compile --format bpf is its --seccomp FD -------------------------
if command -v bwrap >/dev/null 2>&1; then
	printf 'default errno EPERM\nallow @basic, @file-read, execve\nerrno EACCES mkdir, mkdirat\n' > "$tmp/bw.policy"
	"$SYSCAGE" compile -p "$tmp/bw.policy" -o "$tmp/bw.bpf"
	expect bwrap-allowed 0 "$(cat /etc/hostname)" -- sh -c "bwrap --ro-bind / / --dev /dev --seccomp 3 3<'$tmp/bw.bpf' -- cat /etc/hostname"
	expect bwrap-refused 1 "Permission denied" -- sh -c "bwrap --ro-bind / / --tmpfs /tmp --seccomp 3 3<'$tmp/bw.bpf' -- mkdir /tmp/x"
	expect bwrap-unfiltered 0 "" -- sh -c "bwrap --ro-bind / / --tmpfs /tmp -- mkdir /tmp/x"
else
	bad "bwrap is not installed (tools/install-deps.sh test installs it)"
fi

# ---- crun: an OCI bundle carrying the exported profile --------------------------
if command -v crun >/dev/null 2>&1 && [ -x /bin/busybox ]; then
	bundle="$tmp/bundle"
	mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/tmp"
	cp /bin/busybox "$bundle/rootfs/bin/"
	for c in sh mkdir echo cat; do ln -s busybox "$bundle/rootfs/bin/$c"; done
	(cd "$bundle" && crun spec)
	crun_with() { # PROFILE COMMAND: runs COMMAND in the container, prints its output
		python3 - "$bundle/config.json" "$1" "$2" <<'PY'
import json, sys
path, profile, command = sys.argv[1:4]
c = json.load(open(path))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/sh", "-c", command]
c["root"]["readonly"] = False
if profile:
    c["linux"]["seccomp"] = json.load(open(profile))
else:
    c["linux"].pop("seccomp", None)
json.dump(c, open(path, "w"))
PY
		# Debian's crun 1.8 refuses a hybrid cgroup layout: give it cgroup2
		# in a mount namespace of its own, and no cgroup management.
		unshare -m sh -c "mount -t cgroup2 none /sys/fs/cgroup && cd '$bundle' && crun --cgroup-manager=disabled run syscage-test-$$" 2>&1
	}
	out=$(crun_with "$tmp/p.json" 'echo allowed; mkdir /tmp/x && echo made || echo refused')
	case "$out" in *allowed*refused*"Permission denied"*|*allowed*"Permission denied"*refused*) ok ;;
		*) bad "crun with the exported profile: $out" ;; esac
	out=$(crun_with "" 'mkdir /tmp/y && echo made || echo refused')
	case "$out" in *made*) ok ;; *) bad "crun without a profile: $out" ;; esac
	# The container really runs under a filter.
	out=$(crun_with "$tmp/p.json" 'grep Seccomp: /proc/self/status')
	case "$out" in *"Seccomp:	2"*) ok ;; *) bad "crun: no filter in the container: $out" ;; esac
else
	bad "crun or busybox-static is not installed (tools/install-deps.sh test installs them)"
fi

echo "formats: $passed passed, $failed failed"
[ "$failed" = 0 ]
