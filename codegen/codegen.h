/*
 * codegen.h - lowering a checked program to a BPF ELF object (in memory).
 *
 * The only entry point of codegen/: one BPF program per res_probe, maps as
 * BTF-defined globals in ".maps", O2, ELF emitted into a malloc'ed buffer.
 */
#ifndef HAWK_CODEGEN_H
#define HAWK_CODEGEN_H

#include <stddef.h>
#include "../lang/arena.h"
#include "../lang/ast.h"
#include "../lang/diag.h"
#include "../lang/resources.h"

struct cg_options {
	/* The program's file: LLVM reads its lines into the BTF line info (so the
	 * verifier's log quotes the source). "stdin" (-e) has no file to read. */
	const char *source_name;
	const char *emit_llvm; /* --emit-llvm FILE: write the IR there, or NULL */
	bool dump_ir;	       /* -d codegen: print IR before optimisation */
	bool dump_ir_opt;      /* -d codegen-opt: print IR after optimisation */
	bool verify_ir;	       /* --verify-llvm-ir: verify the IR after every pass too */
};

/* Returns 0 with *elf and *len (malloc'ed) set, or -1 with errors in d. */
int cg_program(struct arena *a, struct ast_node *prog, struct resources *res,
	       const struct cg_options *opt, struct diag_set *d, void **elf, size_t *len);

/* The per-CPU scratch map codegen adds to the resources (its size is known
 * only after lowering). A cached object gets the same entry this way. */
struct res_map *cg_scratch_resource(struct arena *a, struct resources *res, uint32_t size);

/* "19.1.7": the LLVM hawk was built with (--info). */
const char *cg_llvm_version(void);
/* Loads libhawk-llvm.so (LLVM, BPF target) unless LLVM is linked in: every
 * LLVM call of hawk binds to it (weak references, lazy binding). Exits with
 * an error when it cannot be found. Codegen calls it before any LLVM call. */
void cg_llvm_load(void);

#endif
