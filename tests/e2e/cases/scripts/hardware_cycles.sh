#!/bin/sh
# hardware_cycles.sh HAWK - hardware:cycles on whatever this machine has.
# Asks the kernel directly (perf_event_open of PERF_COUNT_HW_CPU_CYCLES on
# this process) whether there is a PMU, then checks the matching behaviour:
#   PMU:    the probe fires (a nonzero count)            -> "HW_OK counted"
#   no PMU: exit 1, one error naming hardware:cycles and
#           a hint about the PMU, nothing printed         -> "HW_OK clean failure"
# Anything else prints "HW_BAD ..." with the output.
HAWK=$1
if python3 - <<'PY'
import ctypes, platform, struct, sys
nr = {"x86_64": 298, "aarch64": 241, "riscv64": 241, "ppc64le": 319, "s390x": 331}.get(platform.machine())
if nr is None:
    sys.exit(2)
attr = struct.pack("IIQ", 0, 128, 0) + bytes(112)  # PERF_TYPE_HARDWARE, size, CPU_CYCLES
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.syscall(nr, ctypes.c_char_p(attr), 0, -1, -1, 0)
sys.exit(0 if fd >= 0 else 1)
PY
then
	echo "machine: PMU"
	out=$("$HAWK" -e 'hardware:cycles:100000 { @ = count(); } interval:ms:500 { exit(); }' 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && echo "$out" | grep -Eq '^@: [1-9][0-9]*$'; then
		echo "HW_OK counted"
	else
		echo "HW_BAD rc=$rc: $out"
	fi
else
	echo "machine: no PMU"
	err=$("$HAWK" -e 'hardware:cycles { @ = count(); } BEGIN { printf("began\n"); }' 2>&1 >/dev/null)
	rc=$?
	out=$("$HAWK" -e 'hardware:cycles { @ = count(); } BEGIN { printf("began\n"); }' 2>/dev/null)
	if [ $rc -eq 1 ] && [ -z "$out" ] &&
		[ "$(echo "$err" | grep -c 'error')" -eq 1 ] &&
		echo "$err" | grep -q "probe 'hardware:cycles:1000000': failed to attach" &&
		echo "$err" | grep -q '^hint: .*PMU' && ! echo "$err" | grep -q '^Attached'; then
		echo "HW_OK clean failure"
	else
		echo "HW_BAD rc=$rc out=[$out] err=[$err]"
	fi
fi
