#!/bin/sh
# fentry_run.sh HAWK - a real fentry/fexit run on whatever this kernel allows.
#   trampolines allowed: the probes fire on the workload's reads -> "FENTRY_OK counted"
#   refused (this CI's kernel refuses BPF_PROG_TYPE_TRACING loads): exit 1,
#     exactly one stderr line naming the probe and the reason, no output,
#     nothing attached, begin never ran                          -> "FENTRY_OK clean refusal"
# Anything else prints "FENTRY_BAD ..." with the output.
HAWK=$1
PROG='BEGIN { printf("began\n"); } fentry:vfs_read /comm == "fentry_run"/ { @n = count(); } fexit:vfs_read /comm == "fentry_run"/ { @r = sum(retval > 0 ? 1 : 0); } interval:ms:800 { exit(); }'
"$HAWK" -e "$PROG" >"$PWD/out" 2>"$PWD/err" &
pid=$!
sleep 0.3
python3 -c 'import ctypes; ctypes.CDLL(None).prctl(15, b"fentry_run", 0, 0, 0); [open("/proc/self/stat").read() for _ in range(20)]'
wait $pid
rc=$?
out=$(cat "$PWD/out")
err=$(cat "$PWD/err")
if [ $rc -eq 0 ] && echo "$out" | grep -Eq '^@n: [1-9][0-9]*$'; then
	echo "FENTRY_OK counted"
elif [ $rc -eq 1 ] && [ -z "$out" ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
	echo "$err" | grep -Eq "^stdin:1:[0-9]+: error: probe 'fentry:vfs_read': the kernel refused to load it: .+$" &&
	! bpftool prog show 2>/dev/null | grep -q 'fentry_vfs_read'; then
	echo "FENTRY_OK clean refusal"
else
	echo "FENTRY_BAD rc=$rc out=[$out] err=[$err]"
fi
