#!/usr/bin/env bash
# Regenerates tools/link-order.txt: the functions hawk runs at start-up and
# while compiling typical programs, in the order lld should lay them out.
#
# Why: LLVM (linked statically into libhawk-llvm.so, loaded to compile) is
# touched in small scattered pieces (static constructors, the BPF backend);
# every page fault on it maps a 64 KB fault-around window, so an unordered
# library has most of its text resident. Laying the functions that actually
# run next to each other halved hawk's peak RSS when compiling (measured with
# LLVM still in the binary: 33 MB -> 17 MB for a BEGIN one-liner). The same
# file orders both the hawk binary and libhawk-llvm.so. The programs below
# are compiled only when the cache is cold: clear ~/.cache/hawk first.
# Stale or missing names are harmless (lld ignores them), so the file only
# needs regenerating after big changes: run this as root with a built hawk.
set -euo pipefail
hawk=${1:-build/hawk}
out=$(dirname "$0")/link-order.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

progs=(
	'BEGIN { printf("hi %d %s\n", 1, "x"); @[comm] = count(); @h = hist(5); @l = lhist(3, 0, 10, 1); @s = stats(1); @a = avg(2); @m = min(1); @x = max(2); @u = sum(3); exit(); }'
	'tracepoint:syscalls:sys_enter_openat { @[comm, pid] = count(); printf("%-6d %-16s %s\n", pid, comm, str(args->filename)); } interval:ms:100 { exit(); }'
	'tracepoint:syscalls:sys_enter_write /pid != 1/ { @bytes = hist(args->count); if (args->count > 10) { $x = args->count / 3; } } profile:hz:99 { @c[cpu] = count(); } interval:ms:100 { exit(); } END { clear(@c); }'
)
i=0
for p in "${progs[@]}"; do
	valgrind --tool=callgrind --demangle=no --callgrind-out-file="$tmp/cg.$i" \
		"$hawk" -e "$p" >/dev/null 2>&1 || true
	i=$((i + 1))
done
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$tmp/cg.v" "$hawk" --version \
	>/dev/null 2>&1 || true
# Function names in first-seen order, real symbols only.
cat "$tmp"/cg.* | grep -oE '^c?fn=\([0-9]+\) [A-Za-z_][A-Za-z0-9_.$]*$' |
	sed -E 's/^c?fn=\([0-9]+\) //' | awk '!seen[$0]++' >"$out"
echo "$(wc -l <"$out") functions written to $out"
