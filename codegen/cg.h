/*
 * cg.h - codegen internals shared with stdlib modules' lower callbacks.
 *
 * Value convention: an expression of a scalar type (ty_is_scalar) lowers to
 * an i64 (pointers as integers); any other type lowers to a pointer to its
 * bytes (on the stack when small, else in this CPU's scratch area).
 * Temporaries are never freed within a program: the scratch area is sized
 * for the largest program, so nothing big ever lives on the 512-byte stack.
 */
#ifndef HAWK_CG_H
#define HAWK_CG_H

#include <llvm-c/Core.h>

#include "../lang/arena.h"
#include "../lang/diag.h"
#include "../lang/resources.h"
#include "../lang/types.h"
#include "../lang/ast.h"
#include "cg_object.h"

#define CG_MAX_LOOPS   64
#define CG_STACK_LIMIT 64 /* temporaries up to this size go on the stack */

struct cg {
	struct cg_object o;
	LLVMBuilderRef b;
	struct arena *arena;
	struct resources *res;
	struct diag_set *diag;
	LLVMTypeRef i1, i8, i16, i32, i64, ptr;
	LLVMValueRef *maps; /* per res_map id: its global */
	LLVMValueRef scratch_map;

	/* the program being built */
	struct res_probe *probe;
	LLVMValueRef fn, ctx;	 /* function, ctx argument (ptr) */
	LLVMBasicBlockRef entry; /* allocas and the scratch lookup; ends with a br */
	LLVMBasicBlockRef exit;	 /* returns 0 */
	LLVMValueRef scratch;	 /* this CPU's scratch base (ptr), created lazily */
	uint32_t scratch_off;	 /* bytes of scratch used by this program */
	uint32_t scratch_size;	 /* the most any program used */
	uint32_t stack_used;	 /* bytes of stack temporaries in this program */
	LLVMBasicBlockRef brk[CG_MAX_LOOPS], cont[CG_MAX_LOOPS];
	int nloops;
	LLVMValueRef *vars; /* per scope_var id: its storage (ptr) */
	uint32_t *var_off;  /* vars_in_scratch: per id, scratch offset + 1 (0: none yet) */
	int nvars;
	bool vars_in_scratch;	      /* the probe has a map loop: every variable lives in scratch,
				       * where the loop's callback finds it at the same offset */
	int nsubprogs;		      /* callbacks made so far (for unique names) */
	LLVMValueRef helper_error_fn; /* the shared "a helper failed" subprogram, made lazily */
	struct loc cur_loc;	      /* the statement being lowered (-k read warnings) */
	/* inside an inlined fn body: `return` stores into fn_ret (NULL: void)
	 * and branches to fn_exit */
	LLVMBasicBlockRef fn_exit;
	LLVMValueRef fn_ret;
	const struct hk_type *fn_ret_type;
};

LLVMValueRef cg_expr(struct cg *cg, struct ast_node *n);
LLVMValueRef cg_const(struct cg *cg, uint64_t v); /* i64 constant */
LLVMValueRef cg_helper(struct cg *cg, int id, LLVMTypeRef ret, LLVMValueRef *args, unsigned n);
/* Temporary memory of size bytes (stack if small, else scratch). */
LLVMValueRef cg_alloc(struct cg *cg, uint32_t size);
/* Memory on the stack (never scratch), e.g. a helper's callback context. */
LLVMValueRef cg_stack_alloc(struct cg *cg, uint32_t size);
/* Memory in the scratch area (never the stack). */
LLVMValueRef cg_scratch(struct cg *cg, uint32_t size);
void cg_zero(struct cg *cg, LLVMValueRef ptr, uint32_t size);
void cg_copy(struct cg *cg, LLVMValueRef dst, LLVMValueRef src, uint32_t size);
/* The same for 8-aligned memory (what cg_alloc, cg_scratch and map lookups
 * return): word-sized accesses, much smaller code. */
void cg_zero8(struct cg *cg, LLVMValueRef ptr, uint32_t size);
void cg_copy8(struct cg *cg, LLVMValueRef dst, LLVMValueRef src, uint32_t size);
LLVMValueRef cg_gep(struct cg *cg, LLVMValueRef ptr, uint32_t off);
/* Stores value v (of type from) into dst laid out as type to (widening,
 * narrowing, string truncation/padding, tuple element-wise). */
void cg_store(struct cg *cg, LLVMValueRef dst, const struct hk_type *to, LLVMValueRef v,
	      const struct hk_type *from);
/* Loads a value of type t from ptr: scalars as i64, others return ptr. */
LLVMValueRef cg_load(struct cg *cg, LLVMValueRef ptr, const struct hk_type *t);
/* Integer value as i64 with the source type's signedness applied. */
LLVMValueRef cg_to_i64(struct cg *cg, LLVMValueRef v, const struct hk_type *t);
LLVMValueRef cg_to_ptr(struct cg *cg, LLVMValueRef v); /* i64 -> ptr */
/* i64 arithmetic with hawk's semantics (x / 0 == 0, signed division without
 * cpu v4, shifts masked to 63): op is '+', '/', TOK_SHL... */
LLVMValueRef cg_arith(struct cg *cg, int op, LLVMValueRef l, LLVMValueRef r, bool sgn);
/* Writes an event: header, then each argument at its offset; ringbuf output. */
void cg_event(struct cg *cg, const struct res_event *ev, LLVMValueRef *args,
	      const struct hk_type **arg_types);
/* The kernel key of map m for the key expression `key` (NULL: keyless), and
 * its lookup (this CPU's value for per-CPU maps; NULL when absent). */
LLVMValueRef cg_map_key(struct cg *cg, const struct res_map *m, struct ast_node *key);
LLVMValueRef cg_map_lookup(struct cg *cg, const struct res_map *m, LLVMValueRef key);
/* Where a scratch variable lives (a pointer). */
struct scope_var;
LLVMValueRef cg_var_slot(struct cg *cg, struct scope_var *v);
/* The global of a map, to pass to map helpers. */
LLVMValueRef cg_map_ptr(struct cg *cg, const struct res_map *m);
/* An internal map by name ("globals", "lost"), or NULL if the program has none. */
const struct res_map *cg_internal_map(struct cg *cg, const char *name);
/* A new basic block in the current function. */
LLVMBasicBlockRef cg_block(struct cg *cg, const char *name);
/* bpf_probe_read{,_str} choosing the helper by address space. */
/* A loop comparing n bytes of a and b: returns an i64 slot holding the
 * difference of the first bytes that differ (unsigned), else 0. With
 * nul_ends, a NUL both share ends it (strings). *idx_out (if given): the slot
 * of the index it stopped at (n when it compared every byte). */
LLVMValueRef cg_bytes_cmp(struct cg *cg, LLVMValueRef a, LLVMValueRef b, uint32_t n, bool nul_ends,
			  LLVMValueRef *idx_out);
LLVMValueRef cg_probe_read(struct cg *cg, LLVMValueRef dst, LLVMValueRef size, LLVMValueRef src,
			   enum ty_addrspace as, bool str);
/* Error out of codegen with a located message (e.g. an unsupported case). */
void cg_error(struct cg *cg, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* BPF helper ids (enum bpf_func_id) used across modules. */
enum {
	H_MAP_LOOKUP = 1,
	H_MAP_UPDATE = 2,
	H_MAP_DELETE = 3,
	H_PROBE_READ = 4,
	H_KTIME_GET_NS = 5,
	H_GET_PRANDOM_U32 = 7,
	H_GET_SMP_PROCESSOR_ID = 8,
	H_GET_CURRENT_PID_TGID = 14,
	H_GET_CURRENT_UID_GID = 15,
	H_GET_CURRENT_COMM = 16,
	H_GET_CURRENT_TASK = 35,
	H_PROBE_READ_STR = 45,
	H_GET_CURRENT_CGROUP_ID = 80,
	H_PROBE_READ_USER = 112,
	H_PROBE_READ_KERNEL = 113,
	H_PROBE_READ_USER_STR = 114,
	H_PROBE_READ_KERNEL_STR = 115,
	H_KTIME_GET_BOOT_NS = 125,
	H_RINGBUF_OUTPUT = 130,
	H_FOR_EACH_MAP_ELEM = 164,
	H_MAP_LOOKUP_PERCPU = 195,
	H_KTIME_GET_TAI_NS = 208,
};

#endif
