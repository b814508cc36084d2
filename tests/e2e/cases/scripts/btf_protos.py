#!/usr/bin/env python3
"""An independent oracle for `hawk -lv` of fentry/fexit/kprobe/kretprobe probes.

Usage: btf_protos.py RAW_DUMP LISTING

RAW_DUMP is `bpftool btf dump file /sys/kernel/btf/vmlinux format raw`, LISTING
hawk's -lv output. For every probe line of the listing (PROVIDER:vmlinux:FUNC,
or kprobe:FUNC), the lines that must follow it are rebuilt from the raw dump
(the first FUNC of that name; none for a kprobe of a function the BTF does
not have) in C's spelling of the types, and compared:

  fentry/fexit   "    TYPE NAME" per parameter, "    TYPE retval" unless void
  kprobe         "    TYPE argN" per parameter (floating-point ones left out)
  kretprobe      "    TYPE retval", or "    void"

Prints "checked N probes, M lines" and exits 0 when everything matched;
otherwise prints each difference (at most 20) and exits 1.
"""
import re
import sys

HEAD = re.compile(r"^\[(\d+)\] (\w+) '([^']*)'(.*)$")
MEMBER = re.compile(r"^\t'([^']*)' (.*)$")


def load(path):
    types = {}
    funcs = {}
    cur = None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            m = HEAD.match(line)
            if m:
                tid, kind, name, rest = int(m.group(1)), m.group(2), m.group(3), m.group(4)
                attrs = dict(re.findall(r"(\w+)=(\S+)", rest))
                cur = {"kind": kind, "name": "" if name == "(anon)" else name,
                       "attrs": attrs, "members": []}
                types[tid] = cur
                if kind == "FUNC" and name not in funcs:
                    funcs[name] = tid
                continue
            m = MEMBER.match(line)
            if m and cur is not None:
                name = "" if m.group(1) == "(anon)" else m.group(1)
                cur["members"].append((name, dict(re.findall(r"(\w+)=(\S+)", m.group(2)))))
    return types, funcs


class Unsupported(Exception):
    pass


def decl(types, tid):
    """The type `tid` as a nameless C declaration: "const char *", "int (*)(long int)"."""
    # the chain of pointers and qualifiers down to the base type
    chain = []
    while True:
        if tid == 0:
            base = "void"
            break
        t = types[tid]
        k = t["kind"]
        if k in ("PTR", "CONST", "VOLATILE", "RESTRICT"):
            chain.append(k)
            tid = int(t["attrs"]["type_id"])
            continue
        if k in ("INT", "FLOAT", "TYPEDEF"):
            base = t["name"]
        elif k in ("STRUCT", "UNION", "ENUM", "ENUM64", "FWD"):
            if not t["name"]:
                raise Unsupported("anonymous " + k.lower())
            word = {"STRUCT": "struct", "UNION": "union", "ENUM": "enum",
                    "ENUM64": "enum"}.get(k) or t["attrs"].get("fwd_kind", "struct")
            base = word + " " + t["name"]
        elif k == "FUNC_PROTO":
            if not chain or chain[-1] != "PTR":
                raise Unsupported("function type")
            chain.pop()
            ret = decl(types, int(t["attrs"]["ret_type_id"]))
            params = []
            for name, a in t["members"]:
                pid = int(a["type_id"])
                if pid == 0:
                    params.append("...")
                    continue
                d = decl(types, pid)
                params.append(d + (("" if d.endswith("*") else " ") + name if name else ""))
            inner = "(*" + suffix(chain) + ")"
            if " (" in ret or "(*" in ret:
                raise Unsupported("function returning a function pointer")
            # no parameters: "()", as libbpf writes it (BTF has no "(void)")
            return ret + " " + inner + "(" + ", ".join(params) + ")"
        else:
            raise Unsupported(k)
        break
    # qualifiers right above the base go before it ("const char"), the
    # innermost first ("volatile const void *", as libbpf writes it)
    pre = []
    while chain and chain[-1] in ("CONST", "VOLATILE", "RESTRICT"):
        pre.append(chain.pop().lower())
    return " ".join(pre + [base]) + suffix(chain)


def suffix(chain):
    """Pointers and qualifiers, innermost first: " *", "*", " const"."""
    out = ""
    last_ptr = False
    for k in reversed(chain):
        if k == "PTR":
            out += "*" if last_ptr else " *"
            last_ptr = True
        else:
            out += " " + k.lower()
            last_ptr = False
    return out


def expected(types, funcs, provider, fn):
    t = types[funcs[fn]]
    proto = types[int(t["attrs"]["type_id"])]
    ret = int(proto["attrs"]["ret_type_id"])
    lines = []
    if provider != "kretprobe":
        argn = 0
        for i, (name, a) in enumerate(proto["members"]):
            pid = int(a["type_id"])
            if pid == 0:
                continue
            if provider == "kprobe":
                if types[pid]["kind"] == "FLOAT":
                    continue
                name = "arg%d" % argn
                argn += 1
            lines.append("    %s %s" % (decl(types, pid), name or "arg%d" % i))
    if provider in ("fentry", "fexit", "kretprobe"):
        if ret:
            lines.append("    %s retval" % decl(types, ret))
        elif provider == "kretprobe":
            lines.append("    void")
    return lines


def main():
    types, funcs = load(sys.argv[1])
    with open(sys.argv[2]) as f:
        listing = f.read().splitlines()
    probes = nlines = unsupported = 0
    errors = []
    i = 0
    while i < len(listing):
        head = listing[i]
        i += 1
        got = []
        while i < len(listing) and listing[i].startswith("    "):
            got.append(listing[i])
            i += 1
        parts = head.split(":")
        provider, fn = parts[0], parts[-1]
        if len(parts) == 3 and parts[1] != "vmlinux":
            errors.append("%s: only vmlinux functions are checked" % head)
            continue
        if fn not in funcs:
            # kprobes of functions BTF does not know ("f.cold", kallsyms
            # names) are listed without a prototype; fentry has none such
            if provider in ("kprobe", "kretprobe"):
                probes += 1
                if got:
                    errors.append("%s: no FUNC in the BTF, yet %s" % (head, got))
            else:
                errors.append("%s: no FUNC '%s' in the BTF" % (head, fn))
            continue
        try:
            want = expected(types, funcs, provider, fn)
        except Unsupported:
            # compare the names (the last word of each line) only
            unsupported += 1
            want = None
        probes += 1
        if want is None:
            continue
        nlines += len(want)
        if got != want:
            errors.append("%s:\n  got:  %s\n  want: %s" % (head, got, want))
    for e in errors[:20]:
        print("MISMATCH " + e)
    print("checked %d probes, %d lines (%d with types this script does not spell)"
          % (probes, nlines, unsupported))
    return 1 if errors or not probes else 0


if __name__ == "__main__":
    sys.exit(main())
