#!/bin/sh
# make demo: the main job of syscage on a real example, step by step.
set -e
SYSCAGE=${1:-build/syscage}
policy=examples/cat.policy
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "A policy for cat(1) and tools like it"
cat "$policy"

step "Real programs under it: reading files works"
run "$SYSCAGE" run -p "$policy" -- head -n 3 /etc/passwd
run "$SYSCAGE" run -p "$policy" -- wc -l /etc/passwd

step "Writing is refused, and syscage says which call, why, and what to change"
run "$SYSCAGE" run -p "$policy" -- cp /etc/hostname build/demo-copy || echo "(exit status $?)"
run "$SYSCAGE" run -p "$policy" -- id || echo "(exit status $?: 128 + SIGSYS, killed as the policy's default says)"

step "What it decides, call by call (numbers or constant names as arguments)"
run "$SYSCAGE" check -p "$policy" openat AT_FDCWD 0 O_RDONLY
run "$SYSCAGE" check -p "$policy" openat AT_FDCWD 0 O_WRONLY
run "$SYSCAGE" check -p "$policy" ioctl 1 TCGETS
run "$SYSCAGE" check -p "$policy" socket AF_INET SOCK_STREAM 0
run "$SYSCAGE" check -p "$policy" --arch i386 read

step "Compiled to seccomp-BPF and verified against the policy (the listing, first lines)"
"$SYSCAGE" compile -p "$policy" --format asm -o build/demo.asm
sed -n '1,14p' build/demo.asm
echo "   ... ($(grep -c '^	' build/demo.asm) instructions; build/demo.asm has them all)"

step "What the filter costs: instructions per syscall, and the kernel cache"
run "$SYSCAGE" compile -p "$policy" -o build/demo.bpf --stats 2>&1 | sed -n '1,8p'

step "A mistake in a policy is reported like a compiler would"
printf 'default kill\nallow opneat if flags & O_ACCMODE == O_RDONLY\n' > build/demo-typo.policy
cat build/demo-typo.policy
"$SYSCAGE" compile -p build/demo-typo.policy -o /dev/null || echo "(exit status $?)"
printf 'default kill\nallow write if buf == 0\n' > build/demo-pointer.policy
"$SYSCAGE" compile -p build/demo-pointer.policy -o /dev/null || echo "(exit status $?)"

step "Strict mode: compute code with read, write and exit only"
cc -O2 -o build/demo-matmul examples/strict/matmul.c
run sh -c "printf '2\\n1 2\\n3 4\\n5 6\\n7 8\\n' | $SYSCAGE strict -- build/demo-matmul"

step "Done. build/demo.bpf is what bubblewrap's --seccomp FD loads; 'syscage --help' for more"
