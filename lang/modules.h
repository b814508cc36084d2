/*
 * modules.h - the interfaces stdlib modules implement.
 *
 * A probe type (stdlib/probes/X.c), a builtin or function
 * (stdlib/builtins/X.c) and an aggregation are each one struct of callbacks
 * that keeps their checking, lowering and printing side by side. Passes call
 * through these structs; they never compare a builtin's name themselves.
 * lang/ only forward-declares the codegen and runtime types the callbacks
 * take, so it stays free of LLVM and libbpf.
 */
#ifndef HAWK_MODULES_H
#define HAWK_MODULES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "ast.h"
#include "resources.h"

struct sema;
struct cg;		/* codegen/cg.h */
struct rt;		/* runtime/rt.h */
struct out;		/* runtime/output.h */
struct bpf_program;	/* libbpf */
struct bpf_link;	/* libbpf */
struct LLVMOpaqueValue; /* llvm-c: LLVMValueRef */
struct probe_list;	/* stdlib/list.c */

enum builtin_kind {
	BI_VARIABLE, /* pid, comm, nsecs: used bare or as name() */
	BI_FUNCTION, /* printf(), str(), exit() */
	BI_AGG,	     /* count(), hist(): only as `@m[k] = f(...)` */
};

struct builtin_ops {
	const char *name;
	enum builtin_kind kind;
	int min_args, max_args; /* -1: variadic */
	/* Type the AST_IDENT/AST_CALL node (set n->type), register resources
	 * (events, maps). Report errors through the sema's diagnostics;
	 * return 0 or -1. */
	int (*check)(struct sema *s, struct ast_node *n);
	/* Emit code for the node; return the value (scalars as i64) or a pointer
	 * to it (strings, tuples...). NULL for TY_NONE. */
	struct LLVMOpaqueValue *(*lower)(struct cg *cg, struct ast_node *n);
	/* BI_AGG: the aggregation this function updates. */
	const struct agg_ops *agg;
	/* check() leaves the value, known when compiling, in n->sema_data
	 * (is_str(x)...): an `if` on it keeps only its taken branch. */
	bool constant;
	/* Needs the probe's context or identity (kstack, probe, func...): not
	 * usable inside a user-defined function (fn). */
	bool probe_ctx;
	/* Runtime: print an EV_OTHER event this module emitted. */
	void (*event)(struct rt *rt, const struct res_event *ev, const void *data, uint32_t len);
};

/* How an aggregation is stored, combined across CPUs, sorted and printed. */
struct agg_ops {
	const char *name;      /* "count" */
	const char *type_name; /* "count_t" */
	bool bucketed;	       /* hist/lhist: the kernel key has a trailing u64 bucket */
	bool zero_is_unset;    /* an all-zero value means never updated (count): a keyless
				* map of it can be one per-CPU array slot */
	/* Size of one CPU's value in the kernel map. */
	uint32_t (*value_size)(const struct hk_type *t);
	/* Number of buckets (bucketed aggregations). */
	uint32_t (*nbuckets)(const struct hk_type *t);
	/* Size of the combined (user-space) value; for bucketed: one u64 per bucket. */
	uint32_t (*reduced_size)(const struct hk_type *t);
	/* Fold one CPU's kernel value (bucketed: that bucket's count, at index
	 * `bucket`) into acc, which starts zeroed. */
	void (*reduce)(const struct hk_type *t, void *acc, const void *cpu_value, uint32_t bucket);
	/* The value maps of this aggregation are sorted by (ascending), for
	 * maps that sort by value; NULL: sort by key. */
	int64_t (*sort_key)(const struct hk_type *t, const void *reduced);
	/* Text form: a scalar printed after "@m[k]: ", or (multiline) the
	 * lines after "@m[k]:\n". `div` divides values (print(@m, top, div)). */
	bool multiline;
	void (*print)(struct out *o, const struct hk_type *t, const void *reduced, uint64_t div);
	/* JSON form of the value; json_type is the NDJSON "type" ("map", "hist", "stats"). */
	const char *json_type;
	void (*print_json)(struct out *o, const struct hk_type *t, const void *reduced,
			   uint64_t div);
	/* BPF: update the map value in place (ptr points at this CPU's value;
	 * args are the lowered call arguments as i64). */
	void (*lower_update)(struct cg *cg, struct ast_node *call, struct LLVMOpaqueValue *ptr,
			     struct LLVMOpaqueValue **args);
	/* BPF: the bucket index for a bucketed aggregation. */
	struct LLVMOpaqueValue *(*lower_bucket)(struct cg *cg, struct ast_node *call,
						struct LLVMOpaqueValue **args);
	/* BPF: reading the value as an integer (`if (@c > 10)`) sums the CPUs:
	 * fold one CPU's value (cpu) into acc (value_size bytes, zeroed first),
	 * then turn acc into the i64 result. NULL: the value cannot be read. */
	void (*lower_combine)(struct cg *cg, const struct hk_type *t, struct LLVMOpaqueValue *acc,
			      struct LLVMOpaqueValue *cpu);
	struct LLVMOpaqueValue *(*lower_result)(struct cg *cg, const struct hk_type *t,
						struct LLVMOpaqueValue *acc);
};

struct probe_ops {
	const char *name;	    /* "tracepoint" */
	const char *const *aliases; /* NULL-terminated: {"t", NULL} */
	/* Parse one attach point (n->str), expanding wildcards; add each
	 * result with sema_add_probe(). Return 0 or -1 (after a diagnostic). */
	int (*expand)(struct sema *s, struct ast_node *attach, const char *spec);
	/* A probe-specific builtin (args, arg0, retval...) used in a probe of
	 * this type: type it (n->type) and return 0, or return 1 when the name
	 * is not one of this probe's, -1 on error. */
	int (*check_ident)(struct sema *s, struct res_probe *p, struct ast_node *n);
	/* Optional, for probes whose body's types depend on the attach point
	 * (uprobe `args` from each function's DWARF): does probe's body read
	 * such a builtin? Then same_body(a, b) says whether the body checked for
	 * point a fits point b too; sema gives each group of points that fit
	 * one another its own copy of the body (lang/sema.c, split_probe). */
	bool (*body_depends)(struct sema *s, struct ast_node *probe);
	bool (*same_body)(struct sema *s, struct res_probe *a, struct res_probe *b);
	/* Lower a probe-specific builtin or `args.field`. */
	struct LLVMOpaqueValue *(*lower_ident)(struct cg *cg, struct res_probe *p,
					       struct ast_node *n);
	/* Attach the loaded program; hand every link/fd made to the runtime
	 * (rt_own_link/rt_own_fd, runtime/rt.h) so it can release them. Return 0
	 * or -errno; on failure, print nothing: the runtime reports the error
	 * with the probe's name, using `hint` when the module sets it.
	 * -ENOSYS with a hint: the kernel cannot run this probe type at all; the
	 * runtime prints just "probe 'SPEC': HINT". */
	int (*attach)(struct rt *rt, struct res_probe *p, struct bpf_program *prog,
		      const char **hint);
	bool is_begin, is_end; /* run once by the runtime, not attached */
	/* -l/-lv (stdlib/list.c): name this type's probes. For each probe it
	 * can list, call probe_list_add() with its full name ("tracepoint:
	 * syscalls:sys_enter_openat"); with -lv, give its arguments as `detail`
	 * lines. probe_list_match() says whether a name is wanted (compute the
	 * detail only for those). NULL: nothing to list. */
	void (*list)(struct probe_list *l);
	/* The context is the traced task's struct pt_regs (kprobe, uprobe):
	 * reg() reads it. */
	bool pt_regs;
	/* The probe fires in user context: pointers of unknown address space
	 * are read with the _user helpers (uprobe). */
	bool user_space;
	/* self:signal:SIG: run by the runtime (like begin) each time hawk
	 * receives signal res_probe.period; never attached. */
	bool is_self;
	/* test:NAME: run once each by the runtime under --test (never otherwise);
	 * a non-zero `return` value fails the test. */
	bool is_test;
	/* With -p PID, the program returns at once unless the current task
	 * belongs to that process (tgid): for probes that fire in any process
	 * (tracepoints, kprobes, perf events); not for uprobes (attached to the
	 * process) nor begin/end/interval. -c does not filter (as bpftrace). */
	bool pid_filter;
};

/* The listing a module adds to (stdlib/list.c). */
struct probe_list;
bool probe_list_match(const struct probe_list *l, const char *name);
bool probe_list_verbose(const struct probe_list *l);
/* The pattern (its provider spelled as the module's name when it named one,
 * "u:..." as "uprobe:..."), or NULL for everything; -p's pid (0: none). */
const char *probe_list_pattern(const struct probe_list *l);
int probe_list_pid(const struct probe_list *l);
/* The pattern has a provider part and it matches ops's name: probes listed
 * only when asked for by name (kretprobe, uprobe:BINARY) use this. */
bool probe_list_names(const struct probe_list *l, const struct probe_ops *ops);
/* Prints "error: ..." to stderr; hawk -l then exits with status 1. */
void probe_list_error(struct probe_list *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Adds name with its -lv detail (NULL: none); both are copied. The caller
 * checked probe_list_match() (a probe may match under another spelling). */
void probe_list_add(struct probe_list *l, const char *name, const char *detail);

/* The static registries (stdlib/registry.c). */
const struct builtin_ops *stdlib_builtin(const char *name);
const struct probe_ops *stdlib_probe(const char *name_or_alias);
/* NULL-terminated lists for "did you mean" suggestions. */
const char *const *stdlib_builtin_names(void);
const char *const *stdlib_probe_names(void);
/* -l/-lv: print the probes matching pattern (NULL: all), or with
 * "struct X"/"union X"/"enum X" that kernel type; pid (-p, 0: none) adds the
 * uprobes and usdt probes of that process's files. Returns the exit status. */
int stdlib_list_probes(FILE *out, const char *pattern, bool verbose, int pid);

/* Kernel types from the running kernel's BTF (stdlib/btf_types.c). `name` is
 * "struct X", "union X", "enum X" or a typedef or base type name ("pid_t",
 * "u64"). NULL when there is no such type; *hint (if not NULL) is then a
 * note to print or NULL. Sets res->uses_btf. Struct types come without their
 * fields (fields NULL): stdlib_btf_complete() fills them in (no-op for other
 * types and for complete structs). */
struct hk_type *stdlib_btf_type(struct sema *s, const char *name, const char **hint);
void stdlib_btf_complete(struct sema *s, struct hk_type *t);
/* Whether a bare name is a kernel typedef ("gfp_t", "__wsum") and not a
 * builtin's name: how the parser and sema tell `(name)`/`sizeof(name)`
 * of a type from one of a value. */
bool stdlib_type_name(const char *name);

/* --traceable-functions FILE: the list of kernel functions kprobes and
 * fentry may attach to, in place of tracefs available_filter_functions
 * (NULL: the kernel's). */
extern const char *stdlib_traceable_functions;
/* The same for t and every struct it holds by value (not through pointers):
 * for values printed or stored whole. */
void stdlib_btf_complete_deep(struct sema *s, struct hk_type *t);

#endif
