/*
 * btf.h - the running kernel's BTF (/sys/kernel/btf/vmlinux), for modules
 * that need the layout of kernel structs at compile time (ppid reads
 * task_struct.real_parent->tgid). Loaded once, on first use, and kept until
 * std_btf_free().
 */
#ifndef HAWK_STD_BTF_H
#define HAWK_STD_BTF_H

#include <stdint.h>

struct btf;

/* The kernel's BTF, or NULL (errno set) when it cannot be loaded. */
const struct btf *std_btf_vmlinux(void);

/* Calls fn(btf, module, arg) for the BTF of each kernel module in
 * /sys/kernel/btf whose name matches the fnmatch() pattern (NULL: every
 * module), split from vmlinux's and freed after the call; a module whose BTF
 * cannot be read is skipped. Returns the sum of what fn returned. */
int std_btf_each_module(const char *pattern,
			int (*fn)(const struct btf *btf, const char *module, void *arg), void *arg);

/* Byte offset and size of a member of `struct struct_name`. member_path may
 * name nested members with dots ("se.vruntime"); members of anonymous
 * structs and unions are found as if they were direct members. Returns 0, or
 * -ENOENT (no BTF, no such struct or member), -EINVAL (a bitfield, or a path
 * through something that is not a struct). */
int std_btf_member_offset(const char *struct_name, const char *member_path, uint32_t *off,
			  uint32_t *size);

struct sema;
struct hk_type;
struct btf_type;

/* A function parameter's BTF type (of btf, split from vmlinux or vmlinux
 * itself) as a hawk type for one u64 slot of a probe context: integers,
 * enums, typedefs by name, pointers into kernel memory; anything else u64. */
struct hk_type *std_btf_slot_type(struct sema *s, const struct btf *btf, uint32_t id, int depth);

/* The `args` of a probe whose context is its arguments as an array of u64
 * (raw tracepoints, fentry/fexit): a ctx struct `name` with one 8-byte slot
 * per parameter of FUNC_PROTO `types` from index `skip` on, named after the
 * parameters of FUNC_PROTO `names` (the same count; "argN" when unnamed). */
struct hk_type *std_btf_ctx_args(struct sema *s, const struct btf *btf,
				 const struct btf_type *types, const struct btf_type *names,
				 int skip, const char *name);

/* What std_btf_proto_lines() prints for a FUNC_PROTO. */
enum std_btf_lines {
	STD_BTF_LINES_PARAMS, /* "TYPE NAME" per parameter (raw tracepoints) */
	STD_BTF_LINES_FUNC,   /* the same, then "TYPE retval" unless it returns void (fentry) */
	STD_BTF_LINES_ARGN,   /* "TYPE argN" per parameter, floating-point ones left out: the
			       * registers arg0.. of a kprobe */
	STD_BTF_LINES_RETVAL, /* only "TYPE retval", or "void" (kretprobe) */
};

/* -lv: prototypes printed as bpftrace prints them. One printer serves one
 * BTF (split or not) for a whole listing: making one walks every type of the
 * BTF, too slow to repeat per function. The "NAME___2" libbpf's dump gives a
 * second, different type of a name it printed before is printed "NAME". */
struct std_btf_printer;
struct std_btf_printer *std_btf_printer_new(const struct btf *btf);
void std_btf_printer_free(struct std_btf_printer *p);

/* The prototype `proto` (a FUNC_PROTO of the printer's BTF), one line per
 * item, each indented four spaces: the type as C writes it without a name
 * ("struct file *", "void (*)(int)"), a space, the name. Parameters are taken
 * from index `skip` on and named after those of FUNC_PROTO `names` (the same
 * count; NULL or an unnamed one: "argN", N counted from `skip`). Returns a
 * malloc'd string ("" for no lines), or NULL when out of memory. */
char *std_btf_proto_lines(struct std_btf_printer *p, const struct btf_type *proto,
			  const struct btf_type *names, int skip, enum std_btf_lines how);

/* Releases the loaded BTF (tests, leak checkers). */
void std_btf_free(void);

#endif
