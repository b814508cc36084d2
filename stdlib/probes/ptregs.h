/*
 * ptregs.h - what kprobe and uprobe share: their context is the traced
 * task's struct pt_regs (x86-64), from which come arg0..argN (di si dx cx
 * r8 r9, then the stack), retval (ax), reg("name") and func.
 */
#ifndef HAWK_PTREGS_H
#define HAWK_PTREGS_H

#include "../stdlib.h"

/* What a kprobe/uprobe attach point knows (res_probe.data). */
struct ptregs_point {
	bool ret;	    /* kretprobe/uretprobe */
	bool user;	    /* uprobe: stack arguments are user memory */
	const char *fname;  /* the probed function's name (func), "" if unknown */
	const char *target; /* uprobe: the binary's path; kprobe: module or NULL */
	uint64_t offset;    /* uprobe: file offset; kprobe: offset in fname */
	uint64_t vaddr;	    /* uprobe: the probed address in the ELF file */
	bool dyn;	    /* uprobe: the ELF file is PIE or a shared library */
	bool entry;	    /* uprobe: vaddr is a function's first instruction */
	void *dwarf;	    /* uprobe: its DWARF (args, retval), once looked up */
};

/* The byte offset of register `name` in struct pt_regs, or -1. */
int ptregs_offset(const char *name);
/* A NULL-terminated list of register names (for suggestions). */
const char *const *ptregs_names(void);
/* check_ident/lower_ident for arg0..argN, retval and func. */
int ptregs_check_ident(struct sema *s, struct res_probe *p, struct ast_node *n);
LLVMValueRef ptregs_lower_ident(struct cg *cg, struct res_probe *p, struct ast_node *n);

#endif
