#!/usr/bin/env python3
"""detach_check.py HAWK SCENARIO - does hawk leave anything in the kernel?

Runs hawk on a program whose every probe updates one map with a name unique
to this run (@dcXXXXXXXX, kernel map "AT_dcXXXXXXXX"), so this run's objects
can be told apart from those of tests running at the same time. Once the
probes are attached it records, with bpftool, this map, the programs using
it and the links of those programs; then it ends hawk the SCENARIO's way and
checks that none of them exists any more (the kernel frees programs after an
RCU grace period, so it polls for up to 5 s). As every program of the run
uses the map and a loaded program keeps its maps, "no map named AT_dc..."
also means no program of this run is left, even where nothing could be
recorded (attach_error: hawk fails before printing "Attached").

Prints one line: "CLEAN rc=N progs=P links=L" or "LEFT ..." / "BAD ...".
"""
import json
import os
import secrets
import signal
import subprocess
import sys
import time

hawk, scenario = sys.argv[1], sys.argv[2]
tag = "dc" + secrets.token_hex(4)
mapname = "AT_" + tag
upd = "@%s = count();" % tag
tp = "tracepoint:syscalls:sys_enter_getppid { %s }" % upd
tick = "interval:ms:50 { %s }" % upd

programs = {
    "exit": (tp + " interval:ms:400 { %s exit(); }" % upd, [], 0),
    "exit_code": (tp + " interval:ms:400 { %s exit(3); }" % upd, [], 3),
    "sigint": (tp + tick, [], 0),
    "sigterm": (tp + tick, [], 0),
    "sighup": (tp + tick, [], 0),
    "child": (tp + tick, ["-c", "sleep 0.6"], 0),
    "pid": (tp + tick, None, 0),  # -p PID of a sleep started here
    # the tracepoint attaches, then hardware:cycles fails (no PMU): exit 1
    "attach_error": (tp + " hardware:cycles { %s }" % upd, [], 1),
}
if scenario not in programs:
    sys.exit("unknown scenario " + scenario)
prog, extra, want_rc = programs[scenario]


def bpftool(kind):
    out = subprocess.run(["bpftool", "-j", kind, "show"], capture_output=True, text=True)
    return json.loads(out.stdout or "[]")


def snapshot():
    maps = {m["id"] for m in bpftool("map") if m.get("name") == mapname}
    progs = {p["id"] for p in bpftool("prog") if maps & set(p.get("map_ids", []))}
    links = {l["id"] for l in bpftool("link") if l.get("prog_id") in progs}
    return maps, progs, links


sleeper = None
if extra is None:
    sleeper = subprocess.Popen(["sleep", "0.8"])
    extra = ["-p", str(sleeper.pid)]
h = subprocess.Popen([hawk, "--no-cache", "-e", prog] + extra, stdout=subprocess.DEVNULL,
                     stderr=subprocess.PIPE, text=True)
recorded = (set(), set(), set())
stderr = ""
if scenario != "attach_error":
    line = h.stderr.readline()
    stderr += line
    if not line.startswith("Attached"):
        print("BAD no 'Attached' line: " + line + h.stderr.read())
        sys.exit(0)
    recorded = snapshot()
    maps, progs, links = recorded
    # every probe's program is loaded and attached: 2 programs, 2 or more links
    if len(maps) != 1 or len(progs) != 2 or len(links) < 2:
        print("BAD recorded maps=%s progs=%s links=%s" % recorded)
        h.kill()
        sys.exit(0)
    sig = {"sigint": signal.SIGINT, "sigterm": signal.SIGTERM, "sighup": signal.SIGHUP}
    if scenario in sig:
        time.sleep(0.2)
        h.send_signal(sig[scenario])
try:
    stderr += h.communicate(timeout=10)[1]
except subprocess.TimeoutExpired:
    h.kill()
    print("BAD hawk did not stop")
    sys.exit(0)
if sleeper:
    sleeper.wait()
if h.returncode != want_rc:
    print("BAD rc=%d (want %d): %s" % (h.returncode, want_rc, stderr.strip()))
    sys.exit(0)

deadline = time.time() + 5
while True:
    maps, progs, links = snapshot()
    left_maps = maps | (recorded[0] & {m["id"] for m in bpftool("map")})
    left_progs = progs | (recorded[1] & {p["id"] for p in bpftool("prog")})
    left_links = links | (recorded[2] & {l["id"] for l in bpftool("link")})
    if not (left_maps or left_progs or left_links):
        print("CLEAN rc=%d progs=%d links=%d" % (h.returncode, len(recorded[1]),
                                                 len(recorded[2])))
        break
    if time.time() > deadline:
        print("LEFT maps=%s progs=%s links=%s" % (left_maps, left_progs, left_links))
        break
    time.sleep(0.1)
