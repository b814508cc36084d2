#!/usr/bin/env bash
# bench.sh - hawk and bpftrace side by side, in one run, on the same programs.
#
# Prints one table: for each measurement the median over REPEAT runs for hawk,
# for bpftrace, and the ratio hawk/bpftrace (below 1: hawk is faster/smaller).
#
#   launch to first output   from exec to the program's first output line
#   launch to exit           from exec until the process has exited
#   peak RSS                 /usr/bin/time -f %M (maximum resident set, KB)
#   BPF ns/event             run_time_ns / run_cnt of the tracer's BPF program,
#                            from `bpftool prog show`, with kernel.bpf_stats_enabled=1
#
# Usage: bench/bench.sh            (as root; see bench/README.md)
# Environment: HAWK (default build/hawk), BPFTRACE (default: bpftrace in PATH),
#              REPEAT (default 5), EVENTS (getppid calls for ns/event, default 2000000).
# Use HAWK=/usr/bin/bpftrace to check the bench itself: every ratio should be ~1.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
HAWK=${HAWK:-$top/build/hawk}
BPFTRACE=${BPFTRACE:-$(command -v bpftrace || echo /usr/bin/bpftrace)}
REPEAT=${REPEAT:-5}
EVENTS=${EVENTS:-2000000}

die() { echo "bench.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (it loads BPF programs and sets kernel.bpf_stats_enabled)"
[ -x "$HAWK" ] || die "hawk not found at $HAWK (build it, or set HAWK=path)"
[ -x "$BPFTRACE" ] || die "bpftrace not found (apt-get install bpftrace, or set BPFTRACE=path)"
[ "${BASH_VERSINFO[0]}" -ge 5 ] || die "needs bash 5 (EPOCHREALTIME)"

# Tools: GNU time for peak RSS, bpftool for BPF run time, a C compiler for the workload.
missing=()
[ -x /usr/bin/time ] || missing+=(time)
command -v bpftool >/dev/null || missing+=(bpftool)
command -v cc >/dev/null || missing+=(gcc)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
	command -v apt-get >/dev/null || die "missing: ${missing[*]}"
	echo "bench.sh: installing ${missing[*]}" >&2
	apt-get install -y "${missing[@]}" >/dev/null
fi

tmp=$(mktemp -d /tmp/hawk-bench.XXXXXX)
loop_pid=
tracer_pid=
old_stats=$(sysctl -n kernel.bpf_stats_enabled)
cleanup() {
	# Restores bpf_stats_enabled and stops everything this script started.
	sysctl -q -w kernel.bpf_stats_enabled="$old_stats" || true
	if [ -n "$loop_pid" ]; then kill "$loop_pid" 2>/dev/null || true; fi
	if [ -n "$tracer_pid" ]; then kill -KILL "$tracer_pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cc -O2 -static -o "$tmp/getppid_loop" "$top/tests/e2e/progs/getppid_loop.c" 2>/dev/null ||
	cc -O2 -o "$tmp/getppid_loop" "$top/tests/e2e/progs/getppid_loop.c"

now_us() { echo "${EPOCHREALTIME/./}"; }

# med FILE: the median of the numbers in FILE, ignoring failed runs ("nan").
med() { { grep -v nan "$1" || true; } | sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# run_once BIN PROG WANT: runs BIN -e PROG, prints "first_us exit_us": the time
# from launch to the first stdout line equal to WANT (nan when WANT is empty),
# and to the exit.
run_once() {
	local bin=$1 prog=$2 want=$3 t0 t1=0 t2 line fd pid
	t0=$(now_us)
	# A process substitution rather than a coprocess: bash forgets a
	# coprocess's fds as soon as it exits, and hawk can exit first.
	exec {fd}< <(exec "$bin" -e "$prog" 2>/dev/null)
	pid=$!
	if [ -n "$want" ]; then
		while IFS= read -r line <&"$fd"; do
			if [ "$line" = "$want" ]; then
				t1=$(now_us)
				break
			fi
		done
	fi
	# Drain the rest so the tracer never blocks on a full pipe.
	cat <&"$fd" >/dev/null || true
	exec {fd}<&-
	wait "$pid" 2>/dev/null || true
	t2=$(now_us)
	if [ -z "$want" ]; then
		echo "nan $((t2 - t0))"
	elif [ "$t1" -gt 0 ]; then
		echo "$((t1 - t0)) $((t2 - t0))"
	else
		echo "bench.sh: $bin never printed '$want' for: $prog" >&2
		echo "nan nan"
	fi
}

# peak_rss BIN PROG: KB.
peak_rss() {
	/usr/bin/time -f %M -o "$tmp/rss" "$1" -e "$2" >/dev/null 2>&1 || true
	tail -n 1 "$tmp/rss"
}

# ns_per_event BIN: BPF run time per event of BIN's getppid program.
ns_per_event() {
	local bin=$1 ids="" before after
	local prog='tracepoint:syscalls:sys_enter_getppid { @[comm] = count(); }'
	local known
	known=$(bpftool prog show -j | python3 -c 'import json,sys; print(" ".join(str(p["id"]) for p in json.load(sys.stdin)))')
	"$bin" -e "$prog" >/dev/null 2>&1 &
	tracer_pid=$!
	# Wait for the program to be loaded, then attached (getppid calls count).
	local attached=
	for _ in $(seq 200); do
		sleep 0.05
		[ -n "$ids" ] || ids=$(prog_ids "$tracer_pid" "$known")
		[ -n "$ids" ] || continue
		before=$(prog_stats "$ids")
		"$tmp/getppid_loop" 100
		after=$(prog_stats "$ids")
		if [ "${after#* }" -gt "${before#* }" ]; then
			attached=1
			break
		fi
	done
	if [ -z "$attached" ]; then
		echo "bench.sh: no running BPF program found for $bin" >&2
		echo nan
		kill -KILL "$tracer_pid"; wait "$tracer_pid" 2>/dev/null || true; tracer_pid=
		return
	fi
	before=$(prog_stats "$ids")
	"$tmp/getppid_loop" "$EVENTS"
	after=$(prog_stats "$ids")
	kill -INT "$tracer_pid" 2>/dev/null || true
	wait "$tracer_pid" 2>/dev/null || true
	tracer_pid=
	awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " ");
		n = y[2] - x[2]; if (n <= 0) { print "nan"; exit } printf "%.1f\n", (y[1] - x[1]) / n }'
}

# prog_ids PID KNOWN: ids of the BPF programs PID holds (from its fds'
# fdinfo), else of the programs that appeared since KNOWN was taken. Programs
# that do not run during the workload (BEGIN, END...) add nothing to the sums.
prog_ids() {
	local pid=$1 known=$2 fd ids=""
	for fd in /proc/"$pid"/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = "anon_inode:bpf-prog" ] || continue
		ids="$ids $(awk '$1 == "prog_id:" { print $2 }' /proc/"$pid"/fdinfo/"${fd##*/}" 2>/dev/null)"
	done
	if [ -z "${ids// /}" ]; then
		ids=$(bpftool prog show -j | KNOWN="$known" python3 -c '
import json, os, sys
known = set(os.environ["KNOWN"].split())
print(" ".join(str(p["id"]) for p in json.load(sys.stdin) if str(p["id"]) not in known))')
	fi
	echo $ids # one line, ids separated by single spaces
}

# prog_stats "IDS": "run_time_ns run_cnt" summed over the programs, from bpftool.
prog_stats() {
	local id t=0 c=0 line
	for id in $1; do
		line=$(bpftool prog show id "$id" -j | python3 -c 'import json,sys; p = json.load(sys.stdin); print(p.get("run_time_ns", 0), p.get("run_cnt", 0))')
		t=$((t + ${line% *}))
		c=$((c + ${line#* }))
	done
	echo "$t $c"
}

fmt_ms() { awk -v v="$1" 'BEGIN { if (v == "nan") print "-"; else printf "%.1f ms", v / 1000 }'; }
fmt_mb() { awk -v v="$1" 'BEGIN { if (v == "nan") print "-"; else printf "%.1f MB", v / 1024 }'; }
fmt_ns() { awk -v v="$1" 'BEGIN { if (v == "nan") print "-"; else printf "%.0f ns", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || b == 0) print "-"; else printf "%.2f", a / b }'; }

rows=()
row() { rows+=("$(printf '%-48s %12s %12s %9s' "$1" "$2" "$3" "$4")"); }

begin_prog='BEGIN { printf("hi\n"); exit(); }'
tp_prog='tracepoint:syscalls:sys_enter_getppid { printf("x\n"); exit(); }'
many_prog=$(
	n=0
	for tp in /sys/kernel/tracing/events/syscalls/sys_enter_*; do
		[ -d "$tp" ] || continue
		[ $n -lt 20 ] || break
		[ $n -gt 0 ] && printf ','
		printf 'tracepoint:syscalls:%s' "${tp##*/}"
		n=$((n + 1))
	done
	printf ' { @[probe] = count(); } interval:ms:100 { exit(); }'
)

echo "hawk:     $HAWK"
echo "bpftrace: $BPFTRACE ($("$BPFTRACE" --version 2>/dev/null | head -n 1))"
echo "kernel $(uname -r), $(nproc) CPUs, median of $REPEAT runs each"
echo

# Runs alternate between the tools, and which goes first alternates too, so
# that drifts in machine load and warm caches favour neither.
order() { if [ $(($1 % 2)) = 1 ]; then echo h b; else echo b h; fi; }

# Launch-to-output and launch-to-exit.
measure_times() { # NAME PROG WANT
	local name=$1 prog=$2 want=$3 r
	: >"$tmp/h_first"; : >"$tmp/h_exit"; : >"$tmp/b_first"; : >"$tmp/b_exit"
	local i tool
	for i in $(seq "$REPEAT"); do
		for tool in $(order "$i"); do
			if [ "$tool" = h ]; then
				r=$(run_once "$HAWK" "$prog" "$want")
			else
				r=$(run_once "$BPFTRACE" "$prog" "$want")
			fi
			echo "${r% *}" >>"$tmp/${tool}_first"
			echo "${r#* }" >>"$tmp/${tool}_exit"
		done
	done
	local hf hx bf bx
	hf=$(med "$tmp/h_first"); hx=$(med "$tmp/h_exit")
	bf=$(med "$tmp/b_first"); bx=$(med "$tmp/b_exit")
	if [ -n "$want" ]; then
		row "$name: launch to first output" "$(fmt_ms "$hf")" "$(fmt_ms "$bf")" "$(ratio "$hf" "$bf")"
	fi
	row "$name: launch to exit" "$(fmt_ms "$hx")" "$(fmt_ms "$bx")" "$(ratio "$hx" "$bx")"
}

measure_rss() { # NAME PROG
	: >"$tmp/h_rss"; : >"$tmp/b_rss"
	local i tool
	for i in $(seq "$REPEAT"); do
		for tool in $(order "$i"); do
			if [ "$tool" = h ]; then
				peak_rss "$HAWK" "$2" >>"$tmp/h_rss"
			else
				peak_rss "$BPFTRACE" "$2" >>"$tmp/b_rss"
			fi
		done
	done
	local h b
	h=$(med "$tmp/h_rss"); b=$(med "$tmp/b_rss")
	row "$1: peak RSS" "$(fmt_mb "$h")" "$(fmt_mb "$b")" "$(ratio "$h" "$b")"
}

echo "measuring BEGIN printf..." >&2
measure_times "BEGIN printf" "$begin_prog" "hi"
measure_rss "BEGIN printf" "$begin_prog"

echo "measuring a getppid tracepoint (with a getppid loop running)..." >&2
"$tmp/getppid_loop" 0 200 &
loop_pid=$!
measure_times "tracepoint printf" "$tp_prog" "x"
measure_rss "tracepoint printf" "$tp_prog"
kill "$loop_pid"; wait "$loop_pid" 2>/dev/null || true
loop_pid=

echo "measuring 20 tracepoints, start and stop..." >&2
# The exit is from interval:ms:100; a line the program never prints makes
# run_once report only the time to exit.
measure_times "20 tracepoints + interval 100ms" "$many_prog" ""

echo "measuring BPF ns/event (kernel.bpf_stats_enabled=1, $EVENTS getppid calls)..." >&2
sysctl -q -w kernel.bpf_stats_enabled=1
: >"$tmp/h_ns"; : >"$tmp/b_ns"
for i in $(seq "$REPEAT"); do
	for tool in $(order "$i"); do
		if [ "$tool" = h ]; then
			ns_per_event "$HAWK" >>"$tmp/h_ns"
		else
			ns_per_event "$BPFTRACE" >>"$tmp/b_ns"
		fi
	done
done
sysctl -q -w kernel.bpf_stats_enabled="$old_stats"
h=$(med "$tmp/h_ns"); b=$(med "$tmp/b_ns")
row "@[comm] = count() on getppid: BPF ns/event" "$(fmt_ns "$h")" "$(fmt_ns "$b")" "$(ratio "$h" "$b")"

echo
printf '%-48s %12s %12s %9s\n' "measurement (median of $REPEAT)" "hawk" "bpftrace" "ratio"
printf '%s\n' "${rows[@]}"
