/*
 * cg_object.h - the object machinery under codegen: one LLVM module for the
 * BPF target with the debug info the BPF backend turns into .BTF/.BTF.ext,
 * BTF-defined maps in ".maps", program functions in their own ELF sections,
 * helper calls by number, and emission of a libbpf-loadable ELF into memory.
 *
 * Invariants:
 * - Every program and map name is a C identifier (the kernel rejects BTF
 *   whose FUNC/VAR names are not); cg_object_prog/cg_object_map refuse
 *   anything else and a name used twice (LLVM would silently rename it).
 * - Every program function has a DISubprogram with a named ctx parameter
 *   (the kernel rejects FUNC_PROTOs with unnamed parameters), so libbpf gets
 *   func_info and line_info for each program.
 * - Maps and programs have external linkage, so O2 keeps them.
 * - Only the BPF target is ever initialised, once per process.
 */
#ifndef HAWK_CG_OBJECT_H
#define HAWK_CG_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <llvm-c/Core.h>
#include <llvm-c/DebugInfo.h>
#include <llvm-c/TargetMachine.h>

struct cg_object { /* one module being built */
	LLVMContextRef ctx;
	LLVMModuleRef mod;
	LLVMDIBuilderRef di;
	LLVMMetadataRef di_file, di_cu;
	LLVMTargetMachineRef tm;
	const char *license; /* the object's license section; NULL: "GPL" */
	/* private to cg_object.c */
	LLVMMetadataRef di_int32, di_prog_type; /* "int" for map defs; i64(void *) */
	LLVMTypeRef prog_type;			/* i64 (ptr) */
	bool optimized;				/* cg_object_optimize() has run */
	bool verify_each;			/* --verify-llvm-ir: verify after every pass */
	char errmsg[256];			/* last failure of init/map/prog */
};

/*
 * Creates the context, a module for bpfel with the target's data layout, a
 * DIBuilder with a compile unit for file `module_name` (BTF line_info quotes
 * source lines from that file if it exists; a name like "-e" just gives empty
 * lines) and the "Debug Info Version" module flag. Returns 0, or -1 with a
 * message in o->errmsg; o is always safe to pass to cg_object_dispose().
 */
int cg_object_init(struct cg_object *o, const char *module_name);
void cg_object_dispose(struct cg_object *o); /* accepts a zeroed struct */

/* Debug-info types (for BTF). */
LLVMMetadataRef cg_di_int(struct cg_object *o, const char *name, unsigned bytes, bool is_signed);
/* char[size]: strings, tuples, opaque values. */
LLVMMetadataRef cg_di_bytes(struct cg_object *o, unsigned size);

/* A map definition. key_type/value_type are optional DI types; when NULL a
 * type is made from the size (u8/u16/u32/u64 for 1/2/4/8 bytes, else
 * char[size]). Typed key/value members are emitted only for the hash and
 * array families (the kernel refuses BTF key/value types for the others, and
 * checks that an array's key is a 32-bit int); other types get key_size and
 * value_size; RINGBUF gets only type and max_entries. A zero size or flags
 * value leaves that member out. */
struct cg_map_def {
	int type; /* enum bpf_map_type */
	uint32_t max_entries;
	uint32_t key_size, value_size;
	uint32_t map_flags;
	LLVMMetadataRef key_type, value_type;
};

/*
 * A BTF-defined map global in ".maps", as clang emits for
 *   struct { __uint(type, T); __uint(max_entries, N); __type(key, K); ... } name SEC(".maps");
 * Returns the global (a pointer, to pass to helpers), or NULL with o->errmsg.
 */
LLVMValueRef cg_object_map_def(struct cg_object *o, const char *name, const struct cg_map_def *def);
LLVMValueRef cg_object_map(struct cg_object *o, const char *name, int map_type,
			   uint32_t max_entries, uint32_t key_size, uint32_t value_size,
			   uint32_t map_flags);

/*
 * A BPF program `i64 name(ptr ctx)` in ELF section `section`, with a
 * DISubprogram so BTF has a FUNC for it. The function has no body yet.
 * Returns NULL with o->errmsg on a bad or duplicate name.
 */
LLVMValueRef cg_object_prog(struct cg_object *o, const char *name, const char *section);

/* A static BPF subprogram `i64 name(ptr a0, ...)` (nparams <= 5) in .text,
 * with debug info, e.g. a bpf_for_each_map_elem callback. NULL with
 * o->errmsg on a bad or duplicate name. */
LLVMValueRef cg_object_subprog(struct cg_object *o, const char *name, unsigned nparams);

/* Sets the builder's debug location to (line, col) in fn's DISubprogram, so
 * .BTF.ext line_info maps the next instructions back to the source. */
void cg_object_set_loc(struct cg_object *o, LLVMBuilderRef b, LLVMValueRef fn, unsigned line,
		       unsigned col);

/*
 * Adds the "license" section ("GPL"), finalizes the debug info, verifies the
 * module and runs the O2 pipeline. Idempotent; cg_object_emit() calls it.
 * Separate so the IR can be printed after optimisation. Returns 0, or -1 with
 * *err a malloc'ed message.
 */
int cg_object_optimize(struct cg_object *o, char **err);

/* Optimizes (if not done) and emits the ELF object into *out, *out_len
 * (malloc'ed). Returns 0, or -1 with *err a malloc'ed message. */
int cg_object_emit(struct cg_object *o, void **out, size_t *out_len, char **err);

/* Calls BPF helper `helper_id` (enum bpf_func_id): `call inttoptr(i64 id to
 * ptr)` with function type ret(args' types). NULL (o->errmsg) if nargs > 5. */
LLVMValueRef cg_helper_call(struct cg_object *o, LLVMBuilderRef b, int helper_id, LLVMTypeRef ret,
			    LLVMValueRef *args, unsigned nargs);

#endif
