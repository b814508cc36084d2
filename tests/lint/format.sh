#!/usr/bin/env bash
# Fails when a tracked C file is not formatted as .clang-format says
# (kernel style). Run from anywhere; CTest runs it as lint/clang-format.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v clang-format >/dev/null; then
	echo "clang-format is not installed (apt-get install -y clang-format)" >&2
	exit 1
fi
bad=0
for f in $(git ls-files '*.c' '*.h'); do
	if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
		echo "not formatted: $f (run: clang-format -i $f)"
		bad=$((bad + 1))
	fi
done
echo "$bad file(s) not formatted"
[ "$bad" -eq 0 ]
