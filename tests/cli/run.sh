#!/bin/sh
# syscage run: start a program under a policy and explain every refusal.
# Each test starts tests/run/probe (one call, a result line on stdout) under
# a policy and checks the exit status, stdout and the exact report lines on
# stderr. The attacks are first run without syscage, to show that the call
# would have worked.
SYSCAGE=${SYSCAGE:-build/syscage}
PROBES=${PROBES:-build/tests/run}
probe=$PROBES/probe
tmp=$(mktemp -d)
bg_pids=""
cleanup() {
	for p in $bg_pids; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
# SIGSYS dumps core; none of that here.
# shellcheck disable=SC3045 # (dash and bash have it; elsewhere it fails quietly)
ulimit -c 0 2>/dev/null
umask 022
passed=0
failed=0

if [ ! -x "$probe" ]; then
	echo "run: $probe is missing: build it with 'make $probe'"
	echo "run: 0 passed, 1 failed"
	exit 1
fi

# x86_64 syscall numbers (i386 ones where said).
NR_sched_yield=24
NR_getpid=39
NR_ptrace=101
NR_getppid=110
NR_unshare=272
I386_getpid=20
I386_ptrace=26
CLONE_NEWUSER=0x10000000

ok() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	printf 'FAIL %s\n' "$*"
}

# expect NAME STATUS STDOUT STDERR -- COMMAND...
# STDOUT and STDERR are shell patterns (case) for the whole output, newlines
# included; "*" accepts anything. Unless it starts with "*", STDOUT must also
# have as many lines as its pattern (a "*" in it stays within its line). The
# command's stdin is /dev/null.
expect() {
	name=$1 want_status=$2 want_out=$3 want_err=$4
	shift 5
	out=$("$@" 2>"$tmp/stderr" </dev/null)
	status=$?
	# A coverage build's counters are written before the command's exec,
	# under its filter: those lines are the build's, not the test's.
	err=$(grep -v '\.gcda' "$tmp/stderr")
	# shellcheck disable=SC2254
	case $out in $want_out) out_ok=1 ;; *) out_ok=0 ;; esac
	case $want_out in
	\**) ;;
	*) [ "$(printf '%s' "$out" | wc -l)" = "$(printf '%s' "$want_out" | wc -l)" ] || out_ok=0 ;;
	esac
	# shellcheck disable=SC2254
	case $err in $want_err) err_ok=1 ;; *) err_ok=0 ;; esac
	if [ "$status" = "$want_status" ] && [ "$out_ok" = 1 ] && [ "$err_ok" = 1 ]; then
		ok
	else
		fail "$name: $*"
		printf '  status %s (want %s)\n  stdout:\n%s\n  wanted:\n%s\n  stderr:\n%s\n  wanted:\n%s\n' \
			"$status" "$want_status" "$out" "$want_out" "$err" "$want_err" | sed 's/^/    /'
	fi
}

# The closing hint when the kernel itself killed the command with SIGSYS.
HINT="syscage: the command was killed by SIGSYS: its filter refused a call with kill-thread or trap, which the kernel applies itself; run 'syscage check' on the policy, or make those rules 'kill' to have them reported"

# ---- every action as a rule ---------------------------------------------------
# The rule is line 2; sched_yield returns 0 and takes no arguments.
for action in allow kill kill-thread trap "errno EACCES" "errno 13" log notify "trace 7"; do
	pol="$tmp/action-$(echo "$action" | tr ' ' -).policy"
	printf 'default kill\n%s sched_yield\nallow @basic, clone, clone3, wait4\n' "$action" > "$pol"
	refused="syscage: sched_yield() refused ($action) by $pol:2; add 'allow sched_yield' before line 2 to permit it"
	case $action in
	allow | log)
		expect "$action" 0 "result=0 errno=0" "" -- "$SYSCAGE" run -p "$pol" -- "$probe" syscall $NR_sched_yield
		expect "$action-thread" 0 "result=0 errno=0
joined" "" -- "$SYSCAGE" run -p "$pol" -- "$probe" thread-call $NR_sched_yield
		;;
	kill)
		expect kill 159 "" "$refused" -- "$SYSCAGE" run -p "$pol" -- "$probe" syscall $NR_sched_yield
		expect kill-quiet 159 "" "" -- "$SYSCAGE" run --quiet -p "$pol" -- "$probe" syscall $NR_sched_yield
		# The whole process, from any thread; reported once.
		expect kill-thread-call 159 "" "$refused" -- "$SYSCAGE" run -p "$pol" -- "$probe" thread-call $NR_sched_yield
		# A forked child: the child alone; the command goes on.
		expect kill-fork-call 0 "child=signaled:9" "$refused" -- "$SYSCAGE" run -p "$pol" -- "$probe" fork-call $NR_sched_yield
		# A SIGSYS handler does not help: the supervisor kills.
		expect kill-trap-handler 159 "" "$refused" -- "$SYSCAGE" run -p "$pol" -- "$probe" trap-handler $NR_sched_yield
		;;
	kill-thread)
		# In the kernel: no report; the last thread's death is SIGSYS: the hint.
		expect kill-thread 159 "" "$HINT" -- "$SYSCAGE" run -p "$pol" -- "$probe" syscall $NR_sched_yield
		# A second thread dies alone; the main thread goes on.
		expect kill-thread-thread 0 "joined" "" -- "$SYSCAGE" run -p "$pol" -- "$probe" thread-call $NR_sched_yield
		;;
	trap)
		expect trap 159 "" "$HINT" -- "$SYSCAGE" run -p "$pol" -- "$probe" syscall $NR_sched_yield
		expect trap-quiet 159 "" "" -- "$SYSCAGE" run -q -p "$pol" -- "$probe" syscall $NR_sched_yield
		expect trap-handler 0 "trapped=1 nr=$NR_sched_yield result=4242" "" -- \
			"$SYSCAGE" run -p "$pol" -- "$probe" trap-handler $NR_sched_yield
		;;
	errno*)
		refused="syscage: sched_yield() refused (errno EACCES) by $pol:2; add 'allow sched_yield' before line 2 to permit it"
		expect "$action" 0 "result=-1 errno=EACCES" "$refused" -- "$SYSCAGE" run -p "$pol" -- "$probe" syscall $NR_sched_yield
		expect "$action-quiet" 0 "result=-1 errno=EACCES" "" -- "$SYSCAGE" run -q -p "$pol" -- "$probe" syscall $NR_sched_yield
		expect "$action-thread" 0 "result=-1 errno=EACCES
joined" "$refused" -- "$SYSCAGE" run -p "$pol" -- "$probe" thread-call $NR_sched_yield
		expect "$action-fork" 0 "result=-1 errno=EACCES
child=exited:0" "$refused" -- "$SYSCAGE" run -p "$pol" -- "$probe" fork-call $NR_sched_yield
		;;
	notify)
		notified="syscage: sched_yield() notified, allowed (notify) by $pol:2"
		expect notify 0 "result=0 errno=0" "$notified" -- "$SYSCAGE" run -p "$pol" -- "$probe" syscall $NR_sched_yield
		expect notify-quiet 0 "result=0 errno=0" "" -- "$SYSCAGE" run -q -p "$pol" -- "$probe" syscall $NR_sched_yield
		expect notify-thread 0 "result=0 errno=0
joined" "$notified" -- "$SYSCAGE" run -p "$pol" -- "$probe" thread-call $NR_sched_yield
		;;
	trace*)
		# No tracer: the kernel answers ENOSYS, unreported.
		expect trace 0 "result=-1 errno=ENOSYS" "" -- "$SYSCAGE" run -p "$pol" -- "$probe" syscall $NR_sched_yield
		;;
	esac
done

# The default decides: the hint says to allow, not where.
pol="$tmp/default-errno.policy"
printf 'default errno EPERM\nallow @basic\n' > "$pol"
expect default-errno 0 "result=-1 errno=EPERM" \
	"syscage: sched_yield() refused (errno EPERM) by $pol:1 (default); add 'allow sched_yield' to permit it" \
	-- "$SYSCAGE" run -p "$pol" -- "$probe" syscall $NR_sched_yield

# A condition on flags; the refused file is not created; reading is allowed.
pol="$tmp/open.policy"
printf 'default kill\nerrno EACCES openat if flags & O_ACCMODE != O_RDONLY\nallow @basic\n' > "$pol"
expect open-refused 0 "result=-1 errno=EACCES" \
	"syscage: openat(AT_FDCWD, \"$tmp/created\", O_WRONLY|O_CREAT, 0666) refused (errno EACCES) by $pol:2; add 'allow openat' before line 2 to permit it" \
	-- "$SYSCAGE" run -p "$pol" -- "$probe" open "$tmp/created" "O_WRONLY|O_CREAT"
if [ ! -e "$tmp/created" ]; then ok; else fail "open-refused: $tmp/created was created"; fi
expect open-read 0 "result=[0-9]* errno=0" "" -- "$SYSCAGE" run -p "$pol" -- "$probe" open "$pol" O_RDONLY
# Without /proc (a container may lack it): the same refusal, reported with
# the path's address (strings are read through /proc/PID/mem). Not for a
# sanitized build: its runtime reads its options and leak-checks through /proc.
if ldd "$SYSCAGE" 2>/dev/null | grep -q 'lib[a-z]*san'; then
	echo "note: run: a sanitized build needs /proc: the run without it is not tried"
elif command -v unshare >/dev/null 2>&1 && unshare -m true 2>/dev/null; then
	expect open-refused-no-proc 0 "result=-1 errno=EACCES" \
		"syscage: openat(AT_FDCWD, 0x*, O_WRONLY|O_CREAT, 0666) refused (errno EACCES) by $pol:2; add 'allow openat' before line 2 to permit it" \
		-- unshare -m sh -c 'umount -l /proc && exec "$@"' sh \
		"$SYSCAGE" run -p "$pol" -- "$probe" open "$tmp/created" "O_WRONLY|O_CREAT"
else
	echo "note: run: no mount namespace here: the run without /proc is not tried"
fi

# ---- the command cannot reach its supervisor ------------------------------------
# Even a policy that allows everything: run holds the refusals, and a
# command that could write its memory, take its listener or stop it would
# undo them. (Natively, as the same user, each of these works.)
pol="$tmp/allow-all.policy"
printf 'default allow\nerrno EPERM io_uring_setup\n' > "$pol"
reach_denied="mem=EACCES
exe=EACCES
vm-readv=EPERM
getfd=EPERM
signal=EPERM
ptrace=EPERM"
if [ "$("$SYSCAGE" run --no-supervisor -p "$pol" -- "$probe" reach-parent 2>/dev/null | head -1)" = mem=ok ]; then
	expect reach-parent 0 "$reach_denied" "" -- "$SYSCAGE" run -p "$pol" -- "$probe" reach-parent
else
	echo "note: run: this host keeps a child off its parent anyway (Yama?): reach-parent not tried"
fi
# Without Landlock (an outer filter makes landlock_create_ruleset ENOSYS, as
# on a kernel without it), run must not supervise a command that keeps
# CAP_SYS_PTRACE, which would reach it whatever run does; one without it is
# kept off by run being undumpable alone (signals still reach run: stopping
# or killing it stalls or ends the command, it lets no call through).
no_landlock="$tmp/no-landlock.policy"
printf 'default allow\nerrno EPERM io_uring_setup\nerrno ENOSYS landlock_create_ruleset\n' > "$no_landlock"
if [ "$(id -u)" = 0 ]; then
	expect no-landlock-ptrace 125 "" \
		"syscage: run: this kernel has no Landlock to keep the command away from its supervisor, and with CAP_SYS_PTRACE it could rewrite it; run it with --no-supervisor (the kernel alone applies the policy) or without that capability" \
		-- "$SYSCAGE" run --no-supervisor -p "$no_landlock" -- "$SYSCAGE" run -p "$pol" -- "$probe" reach-parent
	# As nobody (the files must be readable: $tmp is run's own).
	chmod 755 "$tmp"
	chmod 644 "$pol" "$no_landlock"
	as_nobody="setpriv --reuid=65534 --regid=65534 --clear-groups --"
	if ! command -v setpriv >/dev/null 2>&1 || ! $as_nobody test -x "$probe" -a -r "$pol"; then
		echo "note: run: setpriv missing or the build unreadable by nobody: no-landlock-nobody not tried"
	elif [ "$($as_nobody "$SYSCAGE" run --no-supervisor -p "$no_landlock" -- "$SYSCAGE" run --no-supervisor -p "$pol" -- "$probe" reach-parent 2>/dev/null | head -1)" = mem=ok ]; then
		expect no-landlock-nobody 0 "mem=EACCES
exe=EACCES
vm-readv=EPERM
getfd=EPERM
signal=ok
ptrace=EPERM" "" -- $as_nobody "$SYSCAGE" run --no-supervisor -p "$no_landlock" -- "$SYSCAGE" run -p "$pol" -- "$probe" reach-parent
	else
		echo "note: run: this host keeps a child off its parent anyway: no-landlock-nobody not tried"
	fi
fi
# Nor lower its limits (prlimit64 is in @basic): no descriptors would leave
# it unable to kill, no file size unable to report.
expect prlimit-supervisor 0 "result=-1 errno=EPERM" \
	"syscage: prlimit64(*, 7, 0x70000000, NULL) refused (errno EPERM) by <syscage run>:6: a sandboxed program may not change its supervisor's limits" \
	-- "$SYSCAGE" run -p "$pol" -- "$probe" prlimit-parent
# Nor watch it with perf (a sigtrap event would kill it; as root Landlock's
# ptrace rule does not stop perf).
expect perf-supervisor 0 "result=-1 errno=EPERM" \
	"syscage: perf_event_open(0x70000000, *, -1, -1, 0) refused (errno EPERM) by <syscage run>:9: a sandboxed program may not watch its supervisor" \
	-- "$SYSCAGE" run -p "$pol" -- "$probe" perf-parent

# Nor end it through its stderr: shut down when stderr is a socket (as under a
# journal), run's next report would raise SIGPIPE.
pol="$tmp/yield-refused.policy"
printf 'default allow\nerrno EPERM io_uring_setup\nerrno EPERM sched_yield\n' > "$pol"
if command -v python3 >/dev/null 2>&1; then
	status=$(python3 - "$SYSCAGE" "$pol" "$probe" $NR_sched_yield <<'PY'
import socket, subprocess, sys
syscage, pol, probe, nr = sys.argv[1:]
a, b = socket.socketpair()
p = subprocess.run([syscage, "run", "-p", pol, "--", probe, "shut-stderr", nr],
                   stderr=a, stdout=subprocess.PIPE)
print(p.returncode, p.stdout.decode().replace("\n", " ").strip())
PY
)
	case $status in
	"0 shutdown=0 result=-1 errno=EPERM") ok ;;
	*) fail "shut-stderr: run ended with '$status' (want 0 and the refused call)" ;;
	esac
fi

# ---- exec: the first is the command, later ones follow the policy -------------
for rule in "allow execve" "log execve" "notify execve" "errno EACCES execve" "kill execve" \
	"kill-thread execve" "trap execve" "trace 3 execve"; do
	pol="$tmp/exec-$(echo "$rule" | tr ' ' -).policy"
	printf 'default kill\n%s\nallow @basic\n' "$rule" > "$pol"
	call="execve(\"$probe\", 0x70000000, 0x70000100)"
	action=${rule% execve}
	hint="by $pol:2; add 'allow execve' before line 2 to permit it"
	case $rule in
	allow* | log*) expect "exec-$rule" 0 "hello
result=6 errno=0" "" -- "$SYSCAGE" run -p "$pol" -- "$probe" exec "$probe" write-stdout ;;
	notify*) expect "exec-$rule" 0 "hello
result=6 errno=0" "syscage: $call notified, allowed (notify) by $pol:2" \
		-- "$SYSCAGE" run -p "$pol" -- "$probe" exec "$probe" write-stdout ;;
	errno*) expect "exec-$rule" 0 "result=-1 errno=EACCES" "syscage: $call refused ($action) $hint" \
		-- "$SYSCAGE" run -p "$pol" -- "$probe" exec "$probe" write-stdout ;;
	trace*) expect "exec-$rule" 0 "result=-1 errno=ENOSYS" "syscage: $call refused ($action) $hint" \
		-- "$SYSCAGE" run -p "$pol" -- "$probe" exec "$probe" write-stdout ;;
	# kill-thread and trap cannot be done from outside: the process is killed.
	*) expect "exec-$rule" 159 "" "syscage: $call refused ($action) $hint" \
		-- "$SYSCAGE" run -p "$pol" -- "$probe" exec "$probe" write-stdout ;;
	esac
done

# What an allowed exec starts is supervised as the command was.
pol="$tmp/exec-then.policy"
printf 'default kill\nerrno EACCES sched_yield\nallow @basic, execve\n' > "$pol"
expect exec-then-refused 0 "result=-1 errno=EACCES" \
	"syscage: sched_yield() refused (errno EACCES) by $pol:2; add 'allow sched_yield' before line 2 to permit it" \
	-- "$SYSCAGE" run -p "$pol" -- "$probe" exec "$probe" syscall $NR_sched_yield

# ---- attacks under an allowlist ----------------------------------------------
# native NAME STDOUT -- ACTION...: the probe alone does it.
native() {
	name=$1 want=$2
	shift 3
	expect "native-$name" 0 "$want" "" -- "$probe" "$@"
}
# native_host NAME STDOUT -- ACTION...: as native, for calls the host may
# refuse by its own configuration (no IA32 emulation, no user namespaces,
# io_uring disabled): then a note, not a failure. Returns 1 when the probe
# did not even return from the call.
native_host() {
	name=$1 want=$2
	shift 3
	out=$("$probe" "$@" 2>&1 </dev/null)
	status=$?
	# shellcheck disable=SC2254
	case $out in
	$want) ok ;;
	*) echo "note: run: $name does not work on this host without syscage (status $status: $out); its test under syscage shows less" ;;
	esac
	[ "$status" = 0 ]
}

att="$tmp/allowlist.policy"
cat > "$att" <<'P'
default kill
errno EPERM ioctl if cmd == TIOCSTI
allow ioctl
allow @basic
allow clone, clone3, wait4
P
# The same, letting the program load filters of its own: kills then stay with
# the kernel (a filter of the program's could outrank a notification).
own="$tmp/own-filters.policy"
{ cat "$att"; echo "allow prctl, seccomp"; } > "$own"
own_kill_note="syscage: the command was killed by SIGSYS: its filter refused a call. The policy lets the command load seccomp filters of its own, which could outrank the supervisor's notifications, so its kills are left to the kernel and not reported one by one"
killed() { # the report of a call the default killed
	echo "syscage: $1 refused (kill) by $att:1 (default); add 'allow $2' to permit it"
}

# i386 entry: the policy covers x86_64 only.
if native_host int80 "result=[0-9]* errno=0" -- int80 $I386_getpid; then
	expect int80 159 "" "syscage: i386 getpid() refused (kill): the policy does not cover i386; add it to the policy's 'arch' line to permit such calls" \
		-- "$SYSCAGE" run -p "$att" -- "$probe" int80 $I386_getpid
	# Covered, i386 calls are decided by the rules.
	pol="$tmp/i386.policy"
	printf 'arch x86_64, i386\ndefault kill\nallow @basic\n' > "$pol"
	expect int80-covered 0 "result=[0-9]* errno=0" "" -- "$SYSCAGE" run -p "$pol" -- "$probe" int80 $I386_getpid
	expect int80-covered-refused 159 "" \
		"syscage: i386 ptrace(PTRACE_TRACEME, 0, 0, 0) refused (kill) by $pol:2 (default); add 'allow ptrace' to permit it" \
		-- "$SYSCAGE" run -p "$pol" -- "$probe" int80 $I386_ptrace 0
fi

# x32 numbers (this kernel may not have the x32 ABI: then ENOSYS natively).
native x32 "result=* errno=*" -- x32 $NR_getpid
expect x32 159 "" "syscage: x32 getpid() refused (kill): the policy does not cover x32; add it to the policy's 'arch' line to permit such calls" \
	-- "$SYSCAGE" run -p "$att" -- "$probe" x32 $NR_getpid

# Another program, when the policy does not allow execve.
native exec "hello
result=6 errno=0" -- exec "$probe" write-stdout
expect exec 159 "" "$(killed "execve(\"$probe\", 0x70000000, 0x70000100)" execve)" \
	-- "$SYSCAGE" run -p "$att" -- "$probe" exec "$probe" write-stdout

# A forked child and a second thread: reported once, handled.
native fork-call "result=0 errno=0
child=exited:0" -- fork-call $NR_ptrace 0
expect fork-call 0 "child=signaled:9" "$(killed "ptrace(PTRACE_TRACEME, 0, 0, 0)" ptrace)" \
	-- "$SYSCAGE" run -p "$att" -- "$probe" fork-call $NR_ptrace 0
native thread-call "result=0 errno=0
joined" -- thread-call $NR_ptrace 0
expect thread-call 159 "" "$(killed "ptrace(PTRACE_TRACEME, 0, 0, 0)" ptrace)" \
	-- "$SYSCAGE" run -p "$att" -- "$probe" thread-call $NR_ptrace 0

# A permissive filter of its own: filters stack, the call is still refused.
native stack-filter "filter=0 errno=0
result=0 errno=0" -- stack-filter $NR_unshare $CLONE_NEWUSER
expect stack-filter 159 "filter=0 errno=0" "$own_kill_note" \
	-- "$SYSCAGE" run -p "$own" -- "$probe" stack-filter $NR_unshare $CLONE_NEWUSER

native_host io_uring "result=[0-9]* errno=0" -- io_uring
expect io_uring 159 "" "$(killed "io_uring_setup(1, 0x70000200)" io_uring_setup)" \
	-- "$SYSCAGE" run -p "$att" -- "$probe" io_uring

native ptrace "result=0 errno=0" -- ptrace
expect ptrace 159 "" "$(killed "ptrace(PTRACE_TRACEME, 0, 0, 0)" ptrace)" \
	-- "$SYSCAGE" run -p "$att" -- "$probe" ptrace

# (The pid, first argument, differs from run to run.)
native vm-writev "result=8 errno=0
memory=written" -- vm-writev
expect vm-writev 159 "" "$(killed "process_vm_writev(*, 0x70000300, 1, 0x70000320, 1, 0)" process_vm_writev)" \
	-- "$SYSCAGE" run -p "$att" -- "$probe" vm-writev

native_host unshare-user "result=0 errno=0" -- unshare-user
expect unshare-user 159 "" "$(killed "unshare(CLONE_NEWUSER)" unshare)" \
	-- "$SYSCAGE" run -p "$att" -- "$probe" unshare-user

# TIOCSTI | 1 << 32 on stdin (/dev/null): natively it reaches the tty layer
# (ENOTTY); the rule on cmd, a 32-bit argument, catches it.
native tiocsti "result=-1 errno=ENOTTY" -- tiocsti 0
expect tiocsti 0 "result=-1 errno=EPERM" \
	"syscage: ioctl(0, TIOCSTI, 0x70000600) refused (errno EPERM) by $att:2; add 'allow ioctl' before line 2 to permit it" \
	-- "$SYSCAGE" run -p "$att" -- "$probe" tiocsti 0

# A listener of its own would receive the calls the policy refuses: run's
# own rule refuses it, although the policy allows seccomp.
native_host listener "result=[0-9]* errno=0" -- listener
expect listener 0 "result=-1 errno=EPERM" \
	"syscage: seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, 0x70001000) refused (errno EPERM) by <syscage run>:3*" \
	-- "$SYSCAGE" run -p "$own" -- "$probe" listener

# A filter of its own that fails the call with an errno: the kernel ranks
# ERRNO (and TRAP) above USER_NOTIF, so the supervisor never sees the call.
# The policy says kill, and the plain filter does kill.
native stack-errno "filter=0 errno=0
result=-1 errno=EPERM" -- stack-errno 1 $NR_ptrace 0
pol="$tmp/allowlist-exec.policy"
{ cat "$own"; echo "allow execve"; } > "$pol"
expect stack-errno-no-supervisor 159 "filter=0 errno=0" "*" \
	-- "$SYSCAGE" run --no-supervisor -p "$pol" -- "$probe" stack-errno 1 $NR_ptrace 0
expect stack-errno 159 "filter=0 errno=0" "$own_kill_note" \
	-- "$SYSCAGE" run -p "$own" -- "$probe" stack-errno 1 $NR_ptrace 0
# Loads allowed only with flags no one would guess (TSYNC|LOG): still loads.
pol="$tmp/own-filters-some.policy"
{ cat "$att"; echo "allow prctl if option == PR_SET_NO_NEW_PRIVS"; echo "allow seccomp if flags == SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG"; } > "$pol"
expect stack-errno-some-flags 159 "filter=0 errno=0" "$own_kill_note" \
	-- "$SYSCAGE" run -p "$pol" -- "$probe" stack-errno flags=3 1 $NR_ptrace 0
# prctl let through for its name alone loads no filter: kills stay reported.
pol="$tmp/prctl-name.policy"
{ echo "default kill"; echo "allow @basic"; echo "allow prctl if option == PR_SET_NAME"; } > "$pol"
expect prctl-name-only 159 "" \
	"syscage: sched_yield() refused (kill) by $pol:1 (default); add 'allow sched_yield' to permit it" \
	-- "$SYSCAGE" run -p "$pol" -- "$probe" syscall $NR_sched_yield
# A traced seccomp may be let through by a tracer the command runs.
pol="$tmp/trace-seccomp.policy"
{ cat "$att"; echo "trace 1 seccomp"; } > "$pol"
expect stack-errno-traced 159 "" "$own_kill_note" \
	-- "$SYSCAGE" run -p "$pol" -- "$probe" stack-errno 1 $NR_ptrace 0

# A process that outlives the command (its parent exited) would have no
# supervisor once run exits: every call its filter notifies would fail with
# ENOSYS, whatever the policy says. So it ends with the command: it never
# gets to its call. (The orphan waits half a second.)
native orphan "orphan=*
result=0 errno=0" -- orphan-call 100 $NR_ptrace 0
expect orphan-kill 0 "orphan=[0-9]*[0-9]" "syscage: the command left 1 process behind; ended with it" \
	-- "$SYSCAGE" run -p "$att" -- "$probe" orphan-call 500 $NR_ptrace 0
pol="$tmp/orphan-errno.policy"
{ echo "errno EACCES ptrace"; cat "$att"; } > "$pol"
expect orphan-errno 0 "orphan=[0-9]*[0-9]" "syscage: the command left 1 process behind; ended with it" \
	-- "$SYSCAGE" run -p "$pol" -- "$probe" orphan-call 500 $NR_ptrace 0

# A grandchild ends with the command too, not when its parent's slow death
# hands it over to run: about 10 lines (1 s) and not 30.
pol="$tmp/fork.policy"
printf 'default kill\nallow @basic, clone, clone3, wait4, nanosleep, clock_nanosleep, pause\n' > "$pol"
lines=$("$SYSCAGE" run -q -p "$pol" -- "$PROBES/grandchild" 2>/dev/null | grep -c 'B alive')
if [ "$lines" -le 14 ]; then ok; else fail "grandchild outlived the command: $lines lines"; fi

# ---- bad policies, missing commands, exit statuses ------------------------------
bad() { # NAME POLICY-TEXT DIAGNOSTIC
	pol="$tmp/$1.policy"
	printf '%b' "$2" > "$pol"
	rm -f "$tmp/marker"
	expect "bad-$1" 125 "" "*$3*
syscage: $pol: the command was not started" -- "$SYSCAGE" run -p "$pol" -- "$probe" marker "$tmp/marker"
	if [ ! -e "$tmp/marker" ]; then ok; else fail "bad-$1: the command ran"; fi
}
bad syntax 'default kill\nallow @basic,\n' "syntax.policy:2:14: error: expected a syscall name or @group, found end of file"
bad unknown-syscall 'default kill\nallow @basic, opneat\n' "unknown-syscall.policy:2:15: error: unknown syscall 'opneat'
*hint: did you mean 'openat'?"
bad no-default 'allow @basic\n' "no-default.policy:1: error: the policy has no 'default' statement"
rm -f "$tmp/marker"
expect missing-policy 125 "" "*cannot read policy*
syscage: $tmp/none.policy: the command was not started" -- "$SYSCAGE" run -p "$tmp/none.policy" -- "$probe" marker "$tmp/marker"
if [ ! -e "$tmp/marker" ]; then ok; else fail "missing-policy: the command ran"; fi

pol="$tmp/plain.policy"
printf 'default kill\nallow @basic, kill\n' > "$pol"
# The marker is made under the same policy when nothing is wrong.
expect marker 0 "result=[0-9]* errno=0" "" -- "$SYSCAGE" run -p "$pol" -- "$probe" marker "$tmp/marker"
if [ -e "$tmp/marker" ]; then ok; else fail "marker: not created"; fi

expect not-found 127 "" "syscage: run: no-such-command-x7: command not found" \
	-- "$SYSCAGE" run -p "$pol" -- no-such-command-x7
expect not-found-path 127 "" "syscage: run: $tmp/none: No such file or directory" \
	-- "$SYSCAGE" run -p "$pol" -- "$tmp/none"
expect not-executable 126 "" "syscage: run: $pol: not an executable file" -- "$SYSCAGE" run -p "$pol" -- "$pol"
expect directory 126 "" "syscage: run: $tmp: not an executable file" -- "$SYSCAGE" run -p "$pol" -- "$tmp"
printf 'garbage\n' > "$tmp/garbage"
chmod +x "$tmp/garbage"
expect exec-format 126 "" "*" -- "$SYSCAGE" run -p "$pol" -- "$tmp/garbage"
printf '#!%s/no-interpreter\n' "$tmp" > "$tmp/script"
chmod +x "$tmp/script"
expect bad-interpreter 127 "" "*" -- "$SYSCAGE" run -p "$pol" -- "$tmp/script"

expect exit-0 0 "" "" -- "$SYSCAGE" run -p "$pol" -- "$probe" exit 0
expect exit-3 3 "" "" -- "$SYSCAGE" run -p "$pol" -- "$probe" exit 3
expect exit-255 255 "" "" -- "$SYSCAGE" run -p "$pol" -- "$probe" exit 255
expect signal-term 143 "" "" -- "$SYSCAGE" run -p "$pol" -- "$probe" raise 15
expect signal-kill 137 "" "" -- "$SYSCAGE" run -p "$pol" -- "$probe" raise 9
expect signal-segv 139 "" "" -- "$SYSCAGE" run -p "$pol" -- "$probe" raise 11
expect write-stdout 0 "hello
result=6 errno=0" "" -- "$SYSCAGE" run -p "$pol" -- "$probe" write-stdout

# Usage errors.
expect help 0 "*usage: syscage run -p POLICY*" "" -- "$SYSCAGE" run --help
expect no-policy 125 "" "syscage: run: which policy? give it with -p POLICY" -- "$SYSCAGE" run -- "$probe" exit 0
expect no-command 125 "" "syscage: run: which command?*" -- "$SYSCAGE" run -p "$pol"
expect keep-fd-closed 125 "" "syscage: run: --keep-fd 9: no such open file descriptor" \
	-- "$SYSCAGE" run --keep-fd 9 -p "$pol" -- "$probe" exit 0
expect keep-fd-bad 125 "" "syscage: run: --keep-fd takes a file descriptor number, not 'x'" \
	-- "$SYSCAGE" run --keep-fd x -p "$pol" -- "$probe" exit 0
expect setenv-bad 125 "" "syscage: run: --setenv takes NAME=VALUE, not 'FOO'" \
	-- "$SYSCAGE" run --setenv FOO -p "$pol" -- "$probe" exit 0

# ---- descriptors and environment ----------------------------------------------
pol="$tmp/fds.policy"
printf 'default kill\nallow @basic, getdents64\n' > "$pol"
# Neither the listener, nor run's pipe, nor fds 7 and 8 of the caller.
expect fds 0 "fds=0,1,2" "" -- sh -c 'exec "$@" 7</dev/null 8</dev/null' sh \
	"$SYSCAGE" run -p "$pol" -- "$probe" fds
expect keep-fd 0 "fds=0,1,2,7" "" -- sh -c 'exec "$@" 7</dev/null 8</dev/null' sh \
	"$SYSCAGE" run --keep-fd 7 -p "$pol" -- "$probe" fds
expect keep-fds 0 "fds=0,1,2,7,8" "" -- sh -c 'exec "$@" 7</dev/null 8</dev/null 9</dev/null' sh \
	"$SYSCAGE" run --keep-fd 8 --keep-fd 7 -p "$pol" -- "$probe" fds
expect clear-env 0 "env=A=b
env=C=d=e
env-end" "" -- env SYSCAGE_TEST_VAR=1 "$SYSCAGE" run --clear-env --setenv A=b --setenv C=d=e -p "$pol" -- "$probe" env
expect clear-env-empty 0 "env-end" "" -- "$SYSCAGE" run --clear-env -p "$pol" -- "$probe" env
expect setenv-keeps 0 "*env=SYSCAGE_TEST_VAR=2*env=SYSCAGE_OTHER=x*" "" \
	-- env SYSCAGE_TEST_VAR=1 SYSCAGE_OTHER=x "$SYSCAGE" run --setenv SYSCAGE_TEST_VAR=2 -p "$pol" -- "$probe" env
out=$(env SYSCAGE_TEST_VAR=1 "$SYSCAGE" run --setenv SYSCAGE_TEST_VAR=2 -p "$pol" -- "$probe" env </dev/null 2>&1)
if [ "$(printf '%s\n' "$out" | grep -c '^env=SYSCAGE_TEST_VAR=')" = 1 ]; then ok; else
	fail "setenv-replaces: $out"; fi

# ---- --no-supervisor ----------------------------------------------------------
pol="$tmp/plain-exec.policy"
printf 'default kill\nerrno EACCES sched_yield\nallow @basic, execve, seccomp, prctl\n' > "$pol"
expect no-supervisor-errno 0 "result=-1 errno=EACCES" "" \
	-- "$SYSCAGE" run --no-supervisor -p "$pol" -- "$probe" syscall $NR_sched_yield
expect no-supervisor-allow 0 "result=[0-9]* errno=0" "" \
	-- "$SYSCAGE" run --no-supervisor -p "$pol" -- "$probe" syscall $NR_getppid
expect no-supervisor-kill 159 "" "syscage: the command was killed by SIGSYS: its filter refused a call; without --no-supervisor, syscage run reports which" \
	-- "$SYSCAGE" run --no-supervisor -p "$pol" -- "$probe" ptrace
expect no-supervisor-kill-quiet 159 "" "" -- "$SYSCAGE" run -q --no-supervisor -p "$pol" -- "$probe" ptrace
# Without run's own rule, a listener of its own is possible.
expect no-supervisor-listener 0 "result=[0-9]* errno=0" "" \
	-- "$SYSCAGE" run --no-supervisor -p "$pol" -- "$probe" listener
rm -f "$tmp/marker"
expect no-supervisor-no-exec 125 "" "syscage: run: with --no-supervisor the filter is loaded before the command is executed, so the policy must allow execve ($att:1 decides it)" \
	-- "$SYSCAGE" run --no-supervisor -p "$att" -- "$probe" marker "$tmp/marker"
if [ ! -e "$tmp/marker" ]; then ok; else fail "no-supervisor-no-exec: the command ran"; fi

# ---- the supervisor ----------------------------------------------------------------
# gone PID: the process has ended (gone, or a zombie nobody reaped yet).
gone() {
	[ ! -e "/proc/$1" ] && return 0
	state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -z "$state" ] || [ "$state" = Z ] || [ "$state" = X ]
}
# start_sleeper SIGNAL: starts run with probe sleep 30 in the background,
# sends SIGNAL to run once the probe is up, sets run_pid, probe_pid.
pol="$tmp/sleep.policy"
printf 'default kill\nallow @basic\n' > "$pol"
start_sleeper() {
	rm -f "$tmp/sleep.out"
	"$SYSCAGE" run -p "$pol" -- "$probe" sleep 30 > "$tmp/sleep.out" 2>&1 </dev/null &
	run_pid=$!
	bg_pids="$bg_pids $run_pid"
	probe_pid=""
	for _ in $(seq 100); do
		probe_pid=$(sed -n 's/^pid=//p' "$tmp/sleep.out" 2>/dev/null)
		[ -n "$probe_pid" ] && break
		sleep 0.05
	done
	bg_pids="$bg_pids $probe_pid"
	[ -n "$probe_pid" ] && kill "-$1" "$run_pid"
}
# When run is killed, so is the command.
if start_sleeper KILL; then
	for _ in $(seq 20); do gone "$probe_pid" && break; sleep 0.05; done
	if gone "$probe_pid"; then ok; else fail "run killed: the command ($probe_pid) still runs"; fi
	wait "$run_pid" 2>/dev/null
else
	fail "run killed: the probe did not start: $(cat "$tmp/sleep.out")"
fi
# A SIGTERM to run goes to the command: run ends with it.
if start_sleeper TERM; then
	wait "$run_pid"
	status=$?
	if [ "$status" = 143 ] && gone "$probe_pid"; then ok; else
		fail "run terminated: status $status (want 143): $(cat "$tmp/sleep.out")"; fi
else
	fail "run terminated: the probe did not start: $(cat "$tmp/sleep.out")"
fi

# 100000 refused calls: all refused, each reported, in reasonable time.
pol="$tmp/loop.policy"
printf 'default kill\nerrno EPERM sched_yield\nallow @basic\n' > "$pol"
start=$(date +%s)
expect loop-quiet 0 "calls=100000 ok=0 failed=100000 errno=EPERM" "" \
	-- "$SYSCAGE" run --quiet -p "$pol" -- "$probe" loop 100000 $NR_sched_yield
out=$("$SYSCAGE" run -p "$pol" -- "$probe" loop 100000 $NR_sched_yield 2>"$tmp/loop.err" </dev/null)
status=$?
lines=$(wc -l < "$tmp/loop.err")
distinct=$(sort -u "$tmp/loop.err")
elapsed=$(($(date +%s) - start))
if [ "$status" = 0 ] && [ "$out" = "calls=100000 ok=0 failed=100000 errno=EPERM" ] &&
	[ "$lines" -eq 100000 ] &&
	[ "$distinct" = "syscage: sched_yield() refused (errno EPERM) by $pol:2; add 'allow sched_yield' before line 2 to permit it" ]; then
	ok
else
	fail "loop: status $status, stdout '$out', $lines report lines: $(sort "$tmp/loop.err" | uniq -c | head -3)"
fi
if [ "$elapsed" -lt 60 ]; then ok; else fail "loop: 2 x 100000 refusals took ${elapsed}s"; fi

echo "run: $passed passed, $failed failed"
[ "$failed" = 0 ]
