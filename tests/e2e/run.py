#!/usr/bin/env python3
"""hawk end-to-end test runner.

Runs the real hawk binary (or bpftrace, as an oracle) on the cases in
tests/e2e/cases/*.test, the way a user would: real BPF is loaded, real probes
fire on real workloads (tests/e2e/progs/), and what the user sees (stdout,
stderr, exit status) is checked. Must run as root.

Usage:
    run.py [--hawk PATH] [--progs DIR] [--filter REGEX] [-j N] [--verbose]
           [--list] [--flavour hawk|bpftrace] [--skip-code N] [CASEFILE|DIR ...]

Case files
==========
A case file holds cases separated by blank lines. A line starting with '#'
(outside a heredoc) is a comment. Each case is a list of directives, one per
line, `KEY VALUE`:

  NAME name         required; [A-Za-z0-9_-]+, unique in the file. The full
                    name is FILE.NAME (FILE = case file name without .test).
  PROG text         the program, run as `HAWK -e TEXT` (no shell involved).
                    Lines that start with whitespace continue the PROG
                    (joined with newlines).
  ARGS words        with PROG: more arguments after `-e TEXT` (split like a
                    shell would, no expansion), e.g. positional parameters.
  RUN command       instead of PROG: a /bin/sh command line using {{HAWK}},
                    for script files, stdin, options, pipes.
  EXPECT regex      must match (re.search) at least one stdout line.
  EXPECT_NONE regex must match no stdout line.
  EXPECT_ORDERED regex
                    all EXPECT_ORDERED of a case must match stdout lines in
                    the order given (each on a later line than the previous).
  EXPECT_STDERR regex       must match at least one stderr line.
  EXPECT_STDERR_NONE regex  must match no stderr line.
  EXPECT_EXACT <<END        the whole stdout, exactly (use a heredoc, below).
                    Compared after removing trailing whitespace from every line
                    and blank lines at the very start and end.
  EXIT_CODE n       expected exit status (default 0).
  TIMEOUT seconds   hard limit for the whole case from launch (default 5);
                    on expiry the process group is killed and the case FAILS.
  AFTER command     a /bin/sh command started once the probes are attached
                    (the runner waits for "Attached N probe(s)" on stderr),
                    e.g. a workload from {{PROGS}}. It runs in its own process
                    group and is killed when the case ends.
  SIGINT_AFTER s    send SIGINT (like Ctrl-C) to the process group s seconds
                    after the probes are attached, e.g. to print maps, and
                    never before the AFTER command has exited.
  SIGTERM_AFTER s   the same with SIGTERM (at most one of the two).
  REQUIRES command  a /bin/sh command that must exit 0, else the case is
                    SKIPped with the command as the reason. Several allowed.
  REQUIRES_HAWK [why]
                    skip unless the binary is hawk: for output where
                    bpftrace 0.17 (the oracle) differs from 0.26 (the target).
  ENV K=V [K=V...]  extra environment for the command. Several allowed.

Heredocs: any directive can take a multi-line value as `KEY <<TAG`, followed
by the raw lines (kept exactly, blank lines included) up to a line `TAG`.

Placeholders, replaced in PROG, RUN, AFTER, REQUIRES and ENV values:
  {{HAWK}}    the binary under test      {{PROGS}}   the workload programs
  {{TMPDIR}}  a fresh per-case directory (also the command's cwd), removed after
  {{CASEDIR}} the directory of the case file (for scripts next to it)
In EXPECT* regexes the same placeholders are replaced by their re.escape()d
values, and {{PID}} by the pid of the process the runner started (for PROG:
hawk itself).

Oracle mode: when `--hawk` names bpftrace (`--version` prints "bpftrace vX"),
REQUIRES_HAWK cases are skipped; with bpftrace < 0.24 the runner also sets
__BPFTRACE_NOTIFY_PROBES_ATTACHED=1 to learn when probes are attached, drops
that line and "Attaching N probes..." from the output before checking, and
sends SIGINT/SIGTERM again if bpftrace 0.17 missed the first one (a race in
its event loop). hawk gets no such allowance.

Workloads: {{PROGS}} holds the programs of tests/e2e/progs/ (see README.md
there); each renames itself (its comm) from HAWK_COMM, so that parallel cases
can filter on their own workload: AFTER HAWK_COMM=mycase {{PROGS}}/getppid_loop 3

Output: one line per case, `PASS name (1.2s)`, `FAIL name` (followed by the
command, which expectations failed, stdout and stderr) or `SKIP name: reason`,
then exactly `N passed, N failed, N skipped`. Exit status 1 if any case
failed, else 0 (or --skip-code when nothing ran but something was skipped).
Every case runs in its own process group; the group is killed (SIGKILL) when
the case ends, so no process outlives its case.
"""

import argparse
import os
import re
import selectors
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_TIMEOUT = 5.0
NAME_RE = re.compile(r"^[A-Za-z0-9_-]+$")
ATTACHED_STDERR_RE = re.compile(r"^Attached \d+ probes?$")
ATTACHED_JSON_RE = re.compile(r'"type":\s*"attached_probes"')
LEGACY_NOTIFY = "__BPFTRACE_NOTIFY_PROBES_ATTACHED"
LEGACY_ATTACHING_RE = re.compile(r"^Attaching \d+ probes?\.\.\.$")
LEGACY_SIGINT_RETRY = 1.5  # seconds; see the SIGINT loop in _run_case
OUTPUT_LIMIT = 6000  # characters of stdout/stderr shown for a failure

SINGLE_KEYS = {"NAME", "PROG", "RUN", "EXPECT_EXACT", "EXIT_CODE", "TIMEOUT",
               "AFTER", "SIGINT_AFTER", "SIGTERM_AFTER", "REQUIRES_HAWK", "ARGS"}
MULTI_KEYS = {"EXPECT", "EXPECT_NONE", "EXPECT_ORDERED", "EXPECT_STDERR",
              "EXPECT_STDERR_NONE", "REQUIRES", "ENV"}


class CaseError(Exception):
    """A malformed case file."""


class Case:
    def __init__(self, path, line):
        self.path = path
        self.line = line
        self.suite = os.path.basename(path)[: -len(".test")] if path.endswith(".test") \
            else os.path.basename(path)
        self.fields = {}  # single keys -> str
        self.lists = {k: [] for k in MULTI_KEYS}

    @property
    def name(self):
        return self.fields.get("NAME", "")

    @property
    def full_name(self):
        return "%s.%s" % (self.suite, self.name)

    @property
    def timeout(self):
        return float(self.fields.get("TIMEOUT", DEFAULT_TIMEOUT))

    def where(self):
        return "%s:%d" % (self.path, self.line)


# ---- parsing -----------------------------------------------------------------

def parse_file(path):
    """Returns the list of Cases in one case file; raises CaseError."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    cases = []
    cur = None
    last_key = None
    i = 0
    while i < len(lines):
        raw = lines[i]
        lineno = i + 1
        i += 1
        if raw.strip() == "":
            if cur is not None:
                cases.append(finish_case(cur))
                cur = None
            last_key = None
            continue
        if raw.startswith("#"):
            continue
        if raw[0] in " \t":
            if cur is None or last_key != "PROG":
                raise CaseError("%s:%d: continuation line only allowed after PROG" % (path, lineno))
            cur.fields["PROG"] += "\n" + raw
            continue
        key, _, value = raw.partition(" ")
        value = value.strip()
        if cur is None:
            cur = Case(path, lineno)
        m = re.match(r"^<<([A-Za-z_][A-Za-z0-9_]*)$", value)
        if m:
            tag = m.group(1)
            body = []
            while True:
                if i >= len(lines):
                    raise CaseError("%s:%d: heredoc <<%s not closed" % (path, lineno, tag))
                l = lines[i]
                i += 1
                if l == tag:
                    break
                body.append(l)
            value = "\n".join(body)
        if key in SINGLE_KEYS:
            if key in cur.fields:
                raise CaseError("%s:%d: %s given twice" % (path, lineno, key))
            cur.fields[key] = value
        elif key in MULTI_KEYS:
            cur.lists[key].append(value)
        else:
            raise CaseError("%s:%d: unknown directive %r" % (path, lineno, key))
        last_key = key
    if cur is not None:
        cases.append(finish_case(cur))
    seen = set()
    for c in cases:
        if c.name in seen:
            raise CaseError("%s: duplicate NAME %s" % (c.where(), c.name))
        seen.add(c.name)
    return cases


def finish_case(c):
    w = c.where()
    if not c.name:
        raise CaseError("%s: case without NAME" % w)
    if not NAME_RE.match(c.name):
        raise CaseError("%s: bad NAME %r (use [A-Za-z0-9_-])" % (w, c.name))
    if ("PROG" in c.fields) == ("RUN" in c.fields):
        raise CaseError("%s: %s needs exactly one of PROG and RUN" % (w, c.name))
    if "ARGS" in c.fields and "PROG" not in c.fields:
        raise CaseError("%s: ARGS goes with PROG (put arguments in the RUN line)" % w)
    for k in ("EXIT_CODE",):
        if k in c.fields and not re.match(r"^-?\d+$", c.fields[k]):
            raise CaseError("%s: %s must be an integer" % (w, k))
    if "SIGINT_AFTER" in c.fields and "SIGTERM_AFTER" in c.fields:
        raise CaseError("%s: give SIGINT_AFTER or SIGTERM_AFTER, not both" % w)
    for k in ("TIMEOUT", "SIGINT_AFTER", "SIGTERM_AFTER"):
        if k in c.fields:
            try:
                float(c.fields[k])
            except ValueError:
                raise CaseError("%s: %s must be a number of seconds" % (w, k))
    for k in ("EXPECT", "EXPECT_NONE", "EXPECT_ORDERED", "EXPECT_STDERR", "EXPECT_STDERR_NONE"):
        for rx in c.lists[k]:
            try:
                re.compile(subst_regex(rx, {}))
            except re.error as e:
                raise CaseError("%s: %s %r: bad regex: %s" % (w, k, rx, e))
    for e in c.lists["ENV"]:
        for kv in shlex.split(e):
            if "=" not in kv:
                raise CaseError("%s: ENV wants K=V, got %r" % (w, kv))
    checks = sum(len(c.lists[k]) for k in ("EXPECT", "EXPECT_NONE", "EXPECT_ORDERED",
                                             "EXPECT_STDERR", "EXPECT_STDERR_NONE"))
    if not checks and "EXPECT_EXACT" not in c.fields and "EXIT_CODE" not in c.fields:
        raise CaseError("%s: %s checks nothing (add an EXPECT* or EXIT_CODE)" % (w, c.name))
    return c


def subst(text, values):
    for k, v in values.items():
        text = text.replace("{{%s}}" % k, v)
    return text


def subst_regex(text, values):
    for k, v in values.items():
        text = text.replace("{{%s}}" % k, re.escape(v))
    return text


# ---- process handling ----------------------------------------------------------

_live_groups = set()
_live_lock = threading.Lock()


def _register(pgid):
    with _live_lock:
        _live_groups.add(pgid)


def _kill_group(pgid, sig=signal.SIGKILL):
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass
    if sig == signal.SIGKILL:
        with _live_lock:
            _live_groups.discard(pgid)


def kill_all_groups():
    with _live_lock:
        groups = list(_live_groups)
    for g in groups:
        _kill_group(g)


def spawn(cmd, env, cwd, stdout, stderr, shell=False):
    if shell:
        cmd = ["/bin/sh", "-c", cmd]
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                         env=env, cwd=cwd, start_new_session=True)
    _register(p.pid)  # start_new_session: pgid == pid
    return p


# ---- running a case ------------------------------------------------------------

class Result:
    def __init__(self, case, status, reason="", details=""):
        self.case = case
        self.status = status  # PASS FAIL SKIP
        self.reason = reason
        self.details = details
        self.duration = 0.0


class Ctx:
    def __init__(self, hawk, progs, flavour, legacy, verbose):
        self.hawk = hawk
        self.progs = progs
        self.flavour = flavour  # "hawk" or "bpftrace"
        self.legacy = legacy    # bpftrace < 0.24: "Attaching" on stdout
        self.verbose = verbose


def clip(s):
    if len(s) <= OUTPUT_LIMIT:
        return s
    return s[:OUTPUT_LIMIT // 2] + "\n[... %d characters cut ...]\n" % (len(s) - OUTPUT_LIMIT) + \
        s[-OUTPUT_LIMIT // 2:]


def indent(s, prefix="    | "):
    if s == "":
        return prefix.rstrip() + " (empty)"
    lines = s.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return "\n".join(prefix + l for l in lines)


def check_requires(case, ctx, values, env):
    if case.fields.get("REQUIRES_HAWK") is not None and ctx.flavour != "hawk":
        why = case.fields["REQUIRES_HAWK"] or "hawk-only output"
        return "REQUIRES_HAWK: %s" % why
    for req in case.lists["REQUIRES"]:
        cmd = subst(req, values)
        try:
            r = subprocess.run(["/bin/sh", "-c", cmd], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env, timeout=30, start_new_session=True)
            ok = r.returncode == 0
        except subprocess.TimeoutExpired:
            ok = False
        if not ok:
            return "REQUIRES %s" % req
    return None


def run_case(case, ctx):
    start = time.monotonic()
    tmpdir = tempfile.mkdtemp(prefix="hawk-e2e-")
    try:
        r = _run_case(case, ctx, tmpdir)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    r.duration = time.monotonic() - start
    return r


def _run_case(case, ctx, tmpdir):
    values = {"HAWK": ctx.hawk, "PROGS": ctx.progs, "TMPDIR": tmpdir,
              "CASEDIR": os.path.dirname(os.path.abspath(case.path))}
    env = dict(os.environ)
    env["HAWK"] = ctx.hawk
    env["PROGS"] = ctx.progs
    for e in case.lists["ENV"]:
        for kv in shlex.split(subst(e, values)):
            k, _, v = kv.partition("=")
            env[k] = v

    skip = check_requires(case, ctx, values, env)
    if skip:
        return Result(case, "SKIP", skip)

    if ctx.legacy:
        env[LEGACY_NOTIFY] = "1"
    if "PROG" in case.fields:
        prog = subst(case.fields["PROG"], values)
        cmd = [ctx.hawk, "-e", prog] + shlex.split(subst(case.fields.get("ARGS", ""), values))
        shown = " ".join(shlex.quote(a) for a in cmd)
        shell = False
    else:
        cmd = subst(case.fields["RUN"], values)
        shown = cmd
        shell = True
    after_cmd = subst(case.fields["AFTER"], values) if "AFTER" in case.fields else None
    sigint_after = None
    stop_sig = signal.SIGINT
    if "SIGINT_AFTER" in case.fields:
        sigint_after = float(case.fields["SIGINT_AFTER"])
    elif "SIGTERM_AFTER" in case.fields:
        sigint_after = float(case.fields["SIGTERM_AFTER"])
        stop_sig = signal.SIGTERM
    timeout = case.timeout

    out = bytearray()
    err = bytearray()
    notes = []
    after = None
    after_log = os.path.join(tmpdir, ".after.log")
    attached_at = None
    sigint_sent = sigint_resent = False
    sigint_time = 0.0
    timed_out = False
    t0 = time.monotonic()
    deadline = t0 + timeout
    p = spawn(cmd, env, tmpdir, subprocess.PIPE, subprocess.PIPE, shell=shell)
    try:
        sel = selectors.DefaultSelector()
        sel.register(p.stdout, selectors.EVENT_READ, "out")
        sel.register(p.stderr, selectors.EVENT_READ, "err")
        open_streams = 2
        partial = {"out": b"", "err": b""}
        while open_streams:
            now = time.monotonic()
            if now >= deadline:
                timed_out = True
                break
            if attached_at is not None and sigint_after is not None and not sigint_sent:
                # never before the AFTER workload is done: under load it can
                # take longer than the delay, and its events would be missed
                if now >= attached_at + sigint_after and (after is None or after.poll() is not None):
                    _kill_group(p.pid, stop_sig)
                    sigint_sent = True
                    sigint_time = now
                    notes.append("%s sent %.2fs after attach" % (stop_sig.name, now - attached_at))
            # bpftrace 0.17 sometimes misses a SIGINT (it stays in epoll_wait
            # with the signal handled): as a user would, press Ctrl-C again.
            # Only for the oracle: hawk must honour the first one.
            if sigint_sent and ctx.legacy and not sigint_resent and \
                    now >= sigint_time + LEGACY_SIGINT_RETRY:
                _kill_group(p.pid, stop_sig)
                sigint_resent = True
                notes.append("bpftrace ignored %s for %gs: sent it again" % (stop_sig.name,
                                                                           LEGACY_SIGINT_RETRY))
            wait = deadline - now
            if attached_at is not None and sigint_after is not None and not sigint_sent:
                wait = min(wait, max(attached_at + sigint_after - now, 0.02))
            if sigint_sent and ctx.legacy and not sigint_resent:
                wait = min(wait, sigint_time + LEGACY_SIGINT_RETRY - now)
            for key, _ in sel.select(timeout=max(wait, 0.001)):
                stream = key.fileobj
                data = os.read(stream.fileno(), 65536)
                if not data:
                    sel.unregister(stream)
                    open_streams -= 1
                    continue
                which = key.data
                (out if which == "out" else err).extend(data)
                if attached_at is None:
                    buf = partial[which] + data
                    lines = buf.split(b"\n")
                    partial[which] = lines.pop()
                    for l in lines:
                        s = l.decode("utf-8", "replace").rstrip("\r")
                        if s == LEGACY_NOTIFY or \
                           (which == "err" and ATTACHED_STDERR_RE.match(s)) or \
                           (which == "out" and ATTACHED_JSON_RE.search(s)):
                            attached_at = time.monotonic()
                            if after_cmd:
                                logf = open(after_log, "wb")
                                after = spawn(after_cmd, env, tmpdir, logf, subprocess.STDOUT,
                                              shell=True)
                                logf.close()
                            break
        sel.close()
        if not timed_out:
            try:
                p.wait(timeout=max(deadline - time.monotonic(), 0.001))
            except subprocess.TimeoutExpired:
                timed_out = True
        if timed_out:
            notes.append("process state at timeout: " + proc_state(p.pid))
    finally:
        _kill_group(p.pid)
        if p.poll() is None:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        # Whatever the killed group had written but was not read yet, for
        # the failure report.
        for stream, buf in ((p.stdout, out), (p.stderr, err)):
            drain(stream, buf)
            try:
                stream.close()
            except OSError:
                pass
        if after is not None:
            _kill_group(after.pid)
            try:
                after.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
    elapsed = time.monotonic() - t0

    stdout = out.decode("utf-8", "replace")
    stderr = err.decode("utf-8", "replace")
    after_out = ""
    if after is not None:
        try:
            with open(after_log, "rb") as f:
                after_out = f.read().decode("utf-8", "replace")
        except OSError:
            pass

    out_lines = stdout.split("\n")
    if out_lines and out_lines[-1] == "":
        out_lines.pop()
    if ctx.legacy:
        out_lines = [l for l in out_lines
                     if l != LEGACY_NOTIFY and not LEGACY_ATTACHING_RE.match(l)]
    err_lines = stderr.split("\n")
    if err_lines and err_lines[-1] == "":
        err_lines.pop()
    if ctx.legacy:
        err_lines = [l for l in err_lines if l != LEGACY_NOTIFY]

    rvalues = dict(values)
    rvalues["PID"] = str(p.pid)
    failures = []
    if timed_out:
        failures.append("timed out after %gs (TIMEOUT %g)%s" % (
            elapsed, timeout, "" if attached_at is not None or not (after_cmd or sigint_after)
            else "; never saw the 'Attached N probes' line"))
    else:
        want = int(case.fields.get("EXIT_CODE", "0"))
        rc = p.returncode
        if rc != want:
            if rc < 0:
                failures.append("killed by signal %d (expected exit code %d)" % (-rc, want))
            else:
                failures.append("exit code %d, expected %d" % (rc, want))
    if (after_cmd or sigint_after is not None) and attached_at is None and not timed_out:
        failures.append("never saw the 'Attached N probes' line, so AFTER/SIG*_AFTER did not run")

    def any_match(rx, lines):
        r = re.compile(subst_regex(rx, rvalues))
        return any(r.search(l) for l in lines)

    for rx in case.lists["EXPECT"]:
        if not any_match(rx, out_lines):
            failures.append("EXPECT %s: no stdout line matches" % rx)
    for rx in case.lists["EXPECT_NONE"]:
        r = re.compile(subst_regex(rx, rvalues))
        bad = [l for l in out_lines if r.search(l)]
        if bad:
            failures.append("EXPECT_NONE %s: matched stdout line %r" % (rx, bad[0]))
    pos = 0
    for rx in case.lists["EXPECT_ORDERED"]:
        r = re.compile(subst_regex(rx, rvalues))
        for j in range(pos, len(out_lines)):
            if r.search(out_lines[j]):
                pos = j + 1
                break
        else:
            failures.append("EXPECT_ORDERED %s: no match after stdout line %d" % (rx, pos))
            break
    for rx in case.lists["EXPECT_STDERR"]:
        if not any_match(rx, err_lines):
            failures.append("EXPECT_STDERR %s: no stderr line matches" % rx)
    for rx in case.lists["EXPECT_STDERR_NONE"]:
        r = re.compile(subst_regex(rx, rvalues))
        bad = [l for l in err_lines if r.search(l)]
        if bad:
            failures.append("EXPECT_STDERR_NONE %s: matched stderr line %r" % (rx, bad[0]))
    if "EXPECT_EXACT" in case.fields:
        want = normalize_exact(case.fields["EXPECT_EXACT"].split("\n"))
        got = normalize_exact(out_lines)
        if want != got:
            failures.append("EXPECT_EXACT: stdout differs:\n" + exact_diff(want, got))

    details = ["  file:    %s" % case.where(), "  command: %s" % shown]
    if after_cmd:
        details.append("  after:   %s" % after_cmd)
    details.append("  status:  %s in %.2fs%s" % (
        "timed out" if timed_out else "exit %s" % p.returncode, elapsed,
        "" if attached_at is None else ", attached after %.2fs" % (attached_at - t0)))
    for n in notes:
        details.append("  note:    %s" % n)
    for f in failures:
        details.append("  failed:  %s" % f.replace("\n", "\n           "))
    details.append("  stdout:\n" + indent(clip(stdout)))
    details.append("  stderr:\n" + indent(clip(stderr)))
    if after_cmd:
        details.append("  AFTER output:\n" + indent(clip(after_out)))
    text = "\n".join(details)
    if failures:
        return Result(case, "FAIL", failures[0].split("\n")[0], text)
    return Result(case, "PASS", "", text if ctx.verbose else "")


def drain(stream, buf, limit=1 << 20):
    """Appends what is left in a pipe (up to limit bytes) without blocking long."""
    import select
    got = 0
    try:
        while got < limit:
            ready, _, _ = select.select([stream], [], [], 0.2)
            if not ready:
                return
            data = os.read(stream.fileno(), 65536)
            if not data:
                return
            buf.extend(data)
            got += len(data)
    except (OSError, ValueError):
        pass


def proc_state(pid):
    """One line per thread of a (hung) process: state, wait channel, signals."""
    parts = []
    try:
        tids = sorted(os.listdir("/proc/%d/task" % pid), key=int)
    except OSError:
        return "gone"
    for tid in tids:
        base = "/proc/%d/task/%s/" % (pid, tid)
        try:
            with open(base + "status") as f:
                st = dict(l.rstrip("\n").split(":\t", 1) for l in f if ":\t" in l)
            with open(base + "wchan") as f:
                wchan = f.read().strip() or "-"
        except OSError:
            continue
        parts.append("tid %s %s wchan=%s SigPnd=%s ShdPnd=%s SigBlk=%s SigCgt=%s" % (
            tid, st.get("State", "?"), wchan, st.get("SigPnd", "?"), st.get("ShdPnd", "?"),
            st.get("SigBlk", "?"), st.get("SigCgt", "?")))
    return "\n           ".join(parts) or "gone"


def normalize_exact(lines):
    lines = [l.rstrip() for l in lines]
    while lines and lines[0] == "":
        lines.pop(0)
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def exact_diff(want, got):
    import difflib
    d = difflib.unified_diff(want, got, "expected", "stdout", lineterm="", n=2)
    return "\n".join(d)


# ---- driver ----------------------------------------------------------------------

def detect_flavour(hawk):
    """('hawk'|'bpftrace', legacy): legacy = bpftrace older than 0.24."""
    try:
        r = subprocess.run([hawk, "--version"], stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=10)
        text = (r.stdout + r.stderr).decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired):
        return "hawk", False
    m = re.search(r"bpftrace v?(\d+)\.(\d+)", text)
    if not m:
        return "hawk", False
    return "bpftrace", (int(m.group(1)), int(m.group(2))) < (0, 24)


def build_progs(dest):
    """Builds tests/e2e/progs/*.c and *.cc as CMake does, for runs outside ctest."""
    cc = os.environ.get("CC", "cc")
    src_dir = os.path.join(HERE, "progs")
    for f in sorted(os.listdir(src_dir)):
        if f.endswith(".cc"):
            name, comp = f[:-3], os.environ.get("CXX", "c++")
        elif f.endswith(".c"):
            name, comp = f[:-2], cc
        else:
            continue
        cmd = [comp, "-O2", "-g", "-o", os.path.join(dest, name), os.path.join(src_dir, f)]
        if name.startswith("stack_target"):  # frame pointers, dynamic PIE (see CMakeLists.txt)
            cmd[1] = "-O0"
            cmd.insert(2, "-fno-omit-frame-pointer")
        elif name not in ("uprobe_target", "usdt_target", "uprobe_dwarf"):  # static unless
            # a uprobe target
            cmd.insert(1, "-static")
        if name == "tid_check":
            cmd.append("-pthread")
        if name == "uprobe_args":  # see CMakeLists.txt: PIE and not, with libhawkup.so
            cmds = [[cc, "-O2", "-g", "-shared", "-fPIC", "-o", os.path.join(dest, "libhawkup.so"),
                     os.path.join(src_dir, "lib", "hawkup.c")]]
            for out, flags in (("uprobe_args", ["-fPIE", "-pie"]),
                               ("uprobe_args_nopie", ["-fno-pie", "-no-pie"])):
                cmds.append([cc, "-O2", "-g"] + flags + ["-o", os.path.join(dest, out),
                            os.path.join(src_dir, f), "-L" + dest, "-lhawkup",
                            "-Wl,-rpath,$ORIGIN"])
        elif name == "uprobe_dwarf":  # and a build without debug info (CMakeLists.txt)
            cmds = [cmd, [cc, "-O2", "-g0", "-o", os.path.join(dest, name + "_nodebug"),
                          os.path.join(src_dir, f)]]
        else:
            cmds = [cmd]
        for c in cmds:
            r = subprocess.run(c, capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit("run.py: building %s failed:\n%s%s" % (name, r.stdout, r.stderr))


def collect_files(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(".test"))
        else:
            files.append(p)
    return files


def main():
    ap = argparse.ArgumentParser(description="hawk end-to-end tests (see the docstring of run.py "
                                 "or tests/e2e/README.md for the case format)")
    ap.add_argument("paths", nargs="*", help="case files or directories (default: cases/)")
    ap.add_argument("--hawk", default=os.environ.get("HAWK") or os.path.join(REPO, "build", "hawk"),
                    help="binary under test (default: $HAWK or build/hawk)")
    ap.add_argument("--progs", help="directory of built workload programs (default: build "
                    "tests/e2e/progs/*.c into a temporary directory)")
    ap.add_argument("--filter", help="run only cases whose FILE.NAME matches this regex")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="cases run in parallel (default 1)")
    ap.add_argument("-v", "--verbose", action="store_true", help="show details of passing cases too")
    ap.add_argument("--list", action="store_true", help="list FILE.NAME<TAB>TIMEOUT and exit")
    ap.add_argument("--flavour", choices=["hawk", "bpftrace"],
                    help="override detection of hawk vs bpftrace (from --version)")
    ap.add_argument("--skip-code", type=int, default=0,
                    help="exit status when no case ran but some were skipped (ctest: 77)")
    args = ap.parse_args()

    files = collect_files(args.paths or [os.path.join(HERE, "cases")])
    cases = []
    try:
        for f in files:
            cases += parse_file(f)
    except (CaseError, OSError) as e:
        print("run.py: %s" % e, file=sys.stderr)
        return 2
    if args.filter:
        rx = re.compile(args.filter)
        cases = [c for c in cases if rx.search(c.full_name)]
    if args.list:
        for c in cases:
            print("%s\t%g" % (c.full_name, c.timeout))
        return 0

    results = []
    if os.geteuid() != 0:
        for c in cases:
            results.append(Result(c, "SKIP", "not root (e2e tests load BPF programs; run as root)"))
            print("SKIP %s: %s" % (c.full_name, results[-1].reason))
        return summary(results, args.skip_code)

    hawk = args.hawk
    if os.sep not in hawk:
        hawk = shutil.which(hawk) or hawk
    hawk = os.path.abspath(hawk)
    if not (os.path.isfile(hawk) and os.access(hawk, os.X_OK)):
        print("run.py: binary under test not found: %s (build it, or pass --hawk PATH or "
              "set HAWK=PATH)" % hawk, file=sys.stderr)
        return 2
    flavour, legacy = detect_flavour(hawk)
    if args.flavour:
        flavour = args.flavour
        legacy = legacy and flavour == "bpftrace"
    if args.verbose:
        print("# binary %s (%s%s)" % (hawk, flavour, ", legacy output" if legacy else ""))

    tmp_progs = None
    progs = args.progs
    if progs is None:
        tmp_progs = tempfile.mkdtemp(prefix="hawk-e2e-progs-")
        build_progs(tmp_progs)
        progs = tmp_progs
    progs = os.path.abspath(progs)
    ctx = Ctx(hawk, progs, flavour, legacy, args.verbose)

    print_lock = threading.Lock()

    def report(r):
        with print_lock:
            if r.status == "SKIP":
                print("SKIP %s: %s" % (r.case.full_name, r.reason))
            elif r.status == "PASS":
                print("PASS %s (%.1fs)" % (r.case.full_name, r.duration))
            else:
                print("FAIL %s (%.1fs): %s" % (r.case.full_name, r.duration, r.reason))
            if r.details and (r.status == "FAIL" or args.verbose):
                print(r.details)
            sys.stdout.flush()

    def on_signal(signum, frame):
        kill_all_groups()
        print("run.py: interrupted (signal %d); killed all test processes" % signum,
              file=sys.stderr)
        sys.stdout.flush()
        os._exit(130 if signum == signal.SIGINT else 143)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        if args.jobs <= 1:
            for c in cases:
                r = run_case(c, ctx)
                results.append(r)
                report(r)
        else:
            with ThreadPoolExecutor(max_workers=args.jobs) as ex:
                futs = [ex.submit(run_case, c, ctx) for c in cases]
                for f in as_completed(futs):
                    r = f.result()
                    results.append(r)
                    report(r)
    finally:
        kill_all_groups()
        if tmp_progs:
            shutil.rmtree(tmp_progs, ignore_errors=True)
    return summary(results, args.skip_code)


def summary(results, skip_code):
    npass = sum(1 for r in results if r.status == "PASS")
    nfail = sum(1 for r in results if r.status == "FAIL")
    nskip = sum(1 for r in results if r.status == "SKIP")
    print("%d passed, %d failed, %d skipped" % (npass, nfail, nskip))
    sys.stdout.flush()
    if nfail:
        return 1
    if npass == 0 and nskip > 0 and skip_code:
        return skip_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
