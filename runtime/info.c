/*
 * info.c - `hawk --info`: what this kernel offers hawk, in bpftrace's
 * sections (System, Build, Kernel helpers, Kernel features, Map types,
 * Probe types), one "  name: value" line each.
 *
 * Every answer comes from asking the running kernel: libbpf's
 * libbpf_probe_bpf_prog_type/map_type/helper load tiny programs and maps,
 * the instruction limit and loop support are probed by loading a program of
 * that shape, kprobe/uprobe support is the presence of their perf PMU, BTF
 * and tracefs are looked up where hawk reads them. Nothing stays loaded.
 */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../codegen/codegen.h"
#include "rt.h"

static const char *yes(bool b)
{
	return b ? "yes" : "no";
}

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/* Loads n instructions as a socket filter; true when the kernel takes them. */
static bool loads(const struct bpf_insn *insns, size_t n)
{
	int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL", insns, n, NULL);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define MOV_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define EXIT()	      INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* 1000000 when a program longer than the old 4096-instruction limit loads. */
static const char *insn_limit(void)
{
	size_t n = 4200;
	struct bpf_insn *p = calloc(n, sizeof(*p));
	bool big;

	if (!p)
		return "unknown";
	for (size_t i = 0; i + 1 < n; i++)
		p[i] = MOV_IMM(0, 0);
	p[n - 1] = EXIT();
	big = loads(p, n);
	free(p);
	return big ? "1000000" : "4096";
}

/* A bounded loop: r0 = 0; do r0 += 1 while (r0 < 4); return r0. */
static bool loop_support(void)
{
	const struct bpf_insn p[] = {
		MOV_IMM(0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, 0, 0, 0, 1),
		INSN(BPF_JMP | BPF_JLT | BPF_K, 0, 0, -2, 4),
		EXIT(),
	};

	return loads(p, sizeof(p) / sizeof(p[0]));
}

/* A kprobe program whose expected attach type is kprobe.multi (5.18). */
static bool kprobe_multi(void)
{
	const struct bpf_insn p[] = {MOV_IMM(0, 0), EXIT()};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_KPROBE_MULTI);
	int fd = bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", p, 2, &o);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static bool readable(const char *path)
{
	return access(path, R_OK) == 0;
}

/* Opening and reading one byte: root may still get EPERM (lockdown). */
static bool can_read(const char *dir, const char *file)
{
	char path[512];
	FILE *f;
	bool r;

	if (!dir)
		return false;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (!(f = fopen(path, "re")))
		return false;
	r = fgetc(f) != EOF;
	fclose(f);
	return r;
}

static bool btf_has_func(const char *name)
{
	struct btf *b = btf__load_vmlinux_btf();
	bool r = b && btf__find_by_name_kind(b, name, BTF_KIND_FUNC) > 0;

	btf__free(b);
	return r;
}

static bool prog_type(enum bpf_prog_type t)
{
	return libbpf_probe_bpf_prog_type(t, NULL) == 1;
}

int rt_info(FILE *out)
{
	static const struct {
		const char *name;
		enum bpf_func_id id;
	} helpers[] = {
		{"probe_read", BPF_FUNC_probe_read},
		{"probe_read_str", BPF_FUNC_probe_read_str},
		{"probe_read_user", BPF_FUNC_probe_read_user},
		{"probe_read_user_str", BPF_FUNC_probe_read_user_str},
		{"probe_read_kernel", BPF_FUNC_probe_read_kernel},
		{"probe_read_kernel_str", BPF_FUNC_probe_read_kernel_str},
		{"get_current_cgroup_id", BPF_FUNC_get_current_cgroup_id},
		{"send_signal", BPF_FUNC_send_signal},
		{"override_return", BPF_FUNC_override_return},
		{"get_boot_ns", BPF_FUNC_ktime_get_boot_ns},
		{"get_current_task_btf", BPF_FUNC_get_current_task_btf},
		{"get_func_ip", BPF_FUNC_get_func_ip},
		{"jiffies64", BPF_FUNC_jiffies64},
		{"ringbuf_output", BPF_FUNC_ringbuf_output},
		{"map_lookup_percpu_elem", BPF_FUNC_map_lookup_percpu_elem},
		{"for_each_map_elem", BPF_FUNC_for_each_map_elem},
		{"get_stackid", BPF_FUNC_get_stackid},
	};
	static const struct {
		const char *name;
		enum bpf_map_type type;
	} maps[] = {
		{"hash", BPF_MAP_TYPE_HASH},
		{"percpu hash", BPF_MAP_TYPE_PERCPU_HASH},
		{"lru hash", BPF_MAP_TYPE_LRU_HASH},
		{"percpu lru hash", BPF_MAP_TYPE_LRU_PERCPU_HASH},
		{"array", BPF_MAP_TYPE_ARRAY},
		{"percpu array", BPF_MAP_TYPE_PERCPU_ARRAY},
		{"stack_trace", BPF_MAP_TYPE_STACK_TRACE},
		{"perf_event_array", BPF_MAP_TYPE_PERF_EVENT_ARRAY},
		{"ringbuf", BPF_MAP_TYPE_RINGBUF},
	};
	struct utsname u;
	libbpf_print_fn_t old = libbpf_set_print(quiet_print);
	const char *tracefs = rt_tracefs();
	bool btf = readable("/sys/kernel/btf/vmlinux");
	bool tracing = prog_type(BPF_PROG_TYPE_TRACING);
	size_t i;

	/* System */
	uname(&u);
	fprintf(out, "System\n  OS: %s %s %s\n  Arch: %s\n\n", u.sysname, u.release, u.version,
		u.machine);

	/* Build */
	fprintf(out, "Build\n  version: v%s\n  LLVM: %s\n  libbpf: %u.%u\n\n", HAWK_VERSION,
		cg_llvm_version(), libbpf_major_version(), libbpf_minor_version());

	/* Kernel helpers (as seen by a kprobe program) */
	fputs("Kernel helpers\n", out);
	for (i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++)
		fprintf(out, "  %s: %s\n", helpers[i].name,
			yes(libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, helpers[i].id, NULL) ==
			    1));

	/* Kernel features */
	fprintf(out, "\nKernel features\n  Instruction limit: %s\n  Loop support: %s\n",
		insn_limit(), yes(loop_support()));
	fprintf(out, "  btf: %s\n", yes(btf));
	fprintf(out, "  tracefs: %s\n", tracefs ? tracefs : "no (not mounted)");
	fprintf(out, "  available_filter_functions: %s\n",
		yes(can_read(tracefs, "available_filter_functions")));
	fprintf(out, "  perf events: %s\n", yes(readable("/proc/sys/kernel/perf_event_paranoid")));

	/* Map types */
	fputs("\nMap types\n", out);
	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		fprintf(out, "  %s: %s\n", maps[i].name,
			yes(libbpf_probe_bpf_map_type(maps[i].type, NULL) == 1));

	/* Probe types */
	fputs("\nProbe types\n", out);
	fprintf(out, "  kprobe: %s\n",
		yes(prog_type(BPF_PROG_TYPE_KPROBE) &&
		    readable("/sys/bus/event_source/devices/kprobe/type")));
	fprintf(out, "  uprobe: %s\n",
		yes(prog_type(BPF_PROG_TYPE_KPROBE) &&
		    readable("/sys/bus/event_source/devices/uprobe/type")));
	fprintf(out, "  tracepoint: %s\n", yes(prog_type(BPF_PROG_TYPE_TRACEPOINT) && tracefs));
	fprintf(out, "  rawtracepoint: %s\n", yes(prog_type(BPF_PROG_TYPE_RAW_TRACEPOINT)));
	fprintf(out, "  perf_event: %s\n", yes(prog_type(BPF_PROG_TYPE_PERF_EVENT)));
	fprintf(out, "  fentry: %s\n", yes(tracing && btf));
	fprintf(out, "  iter: %s\n", yes(tracing && btf && btf_has_func("bpf_iter_task")));
	fprintf(out, "  kprobe_multi: %s\n", yes(kprobe_multi()));
	libbpf_set_print(old);
	return 0;
}
