/*
 * ptregs.c - probe builtins read from struct pt_regs (kprobe, uprobe), and
 * reg("name"). Offsets are x86-64's struct pt_regs as BPF programs see it;
 * register names are bpftrace's.
 *
 *   arg0..arg5  di si dx cx r8 r9 (System V calling convention)
 *   arg6..      the stack: *(sp + 8 * (N - 5)) at the function's entry,
 *               above the return address (read from user memory in
 *               uprobes, kernel memory in kprobes)
 *   retval      ax, in kretprobe/uretprobe only
 *   func        the probed function's name (known when compiling: one
 *               program per attach point), a string
 */
#include "ptregs.h"
#include "../../lang/diag.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	int off;
} regs[] = {
	{"r15", 0},	{"r14", 8},  {"r13", 16}, {"r12", 24},	    {"bp", 32},	 {"bx", 40},
	{"r11", 48},	{"r10", 56}, {"r9", 64},  {"r8", 72},	    {"ax", 80},	 {"cx", 88},
	{"dx", 96},	{"si", 104}, {"di", 112}, {"orig_ax", 120}, {"ip", 128}, {"cs", 136},
	{"flags", 144}, {"sp", 152}, {"ss", 160}, {"pc", 128},
};

#define NREGS (sizeof(regs) / sizeof(regs[0]))

int ptregs_offset(const char *name)
{
	for (size_t i = 0; i < NREGS; i++)
		if (!strcmp(regs[i].name, name))
			return regs[i].off;
	return -1;
}

const char *const *ptregs_names(void)
{
	static const char *names[NREGS + 1];

	for (size_t i = 0; i < NREGS; i++)
		names[i] = regs[i].name;
	return names;
}

static const int arg_regs[] = {112, 104, 96, 88, 72, 64}; /* di si dx cx r8 r9 */

/* argN: N, or -1 when the name is not of that form. */
static int arg_index(const char *name)
{
	char *end;
	long v;

	if (strncmp(name, "arg", 3) || name[3] < '0' || name[3] > '9')
		return -1;
	v = strtol(name + 3, &end, 10);
	return *end || v > 255 ? -1 : (int)v;
}

static const char *kind_name(const struct res_probe *p, bool ret)
{
	bool user = ((const struct ptregs_point *)p->data)->user;

	return user ? (ret ? "uretprobe" : "uprobe") : (ret ? "kretprobe" : "kprobe");
}

int ptregs_check_ident(struct sema *s, struct res_probe *p, struct ast_node *n)
{
	const struct ptregs_point *d = p->data;
	int i;

	if (!strcmp(n->name, "retval")) {
		if (!d->ret) {
			sema_error(s, n->loc, "'retval' is not available in %s probes",
				   kind_name(p, false));
			sema_hint(s, "use %s to read the return value", kind_name(p, true));
			return -1;
		}
		n->type = &ty_u64;
		return 0;
	}
	if (!strcmp(n->name, "func")) {
		uint32_t size = 1;

		/* one type for every attach point of the probe: the longest name */
		for (i = 0; i < s->npoints; i++) {
			const struct ptregs_point *o = s->points[i]->data;

			if (s->points[i]->ops == p->ops && o && strlen(o->fname) + 1 > size)
				size = (uint32_t)strlen(o->fname) + 1;
		}
		n->type = ty_string(s->arena, size);
		return 0;
	}
	i = arg_index(n->name);
	if (i < 0)
		return 1;
	if (d->ret) {
		sema_error(s, n->loc, "'%s' is not available in %s probes", n->name,
			   kind_name(p, true));
		sema_hint(s,
			  "arguments can be read in %s probes; keep them in a map keyed by tid "
			  "to use them on return",
			  kind_name(p, false));
		return -1;
	}
	n->type = &ty_u64;
	return 0;
}

static LLVMValueRef load_reg(struct cg *cg, int off)
{
	return LLVMBuildLoad2(cg->b, cg->i64, cg_gep(cg, cg->ctx, (uint32_t)off), "");
}

/* A string constant in a buffer of `size` bytes (NUL-padded). */
static LLVMValueRef const_string(struct cg *cg, const char *str, uint32_t size)
{
	uint32_t alloc = (size + 7) & ~7u, len = (uint32_t)strlen(str), i;
	LLVMValueRef p = cg_alloc(cg, alloc);

	for (i = 0; i < alloc; i += 8) {
		uint64_t w = 0;

		if (i < len)
			memcpy(&w, str + i, len - i < 8 ? len - i : 8);
		LLVMSetAlignment(LLVMBuildStore(cg->b, cg_const(cg, w), cg_gep(cg, p, i)), 8);
	}
	return p;
}

LLVMValueRef ptregs_lower_ident(struct cg *cg, struct res_probe *p, struct ast_node *n)
{
	const struct ptregs_point *d = p->data;
	LLVMValueRef slot, addr;
	int i;

	if (!strcmp(n->name, "retval"))
		return load_reg(cg, 80);
	if (!strcmp(n->name, "func"))
		return const_string(cg, d->fname, n->type->size);
	i = arg_index(n->name);
	if (i < 6)
		return load_reg(cg, arg_regs[i]);
	/* on the stack, above the return address */
	slot = cg_alloc(cg, 8);
	LLVMBuildStore(cg->b, cg_const(cg, 0), slot);
	addr = LLVMBuildAdd(cg->b, load_reg(cg, 152), cg_const(cg, 8 * (uint64_t)(i - 5)), "");
	cg_probe_read(cg, slot, cg_const(cg, 8), addr, d->user ? AS_USER : AS_KERNEL, false);
	return LLVMBuildLoad2(cg->b, cg->i64, slot, "");
}

/* ---- reg("name") ---------------------------------------------------------------- */

static int reg_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *a = n->body;
	const char *sug;
	int i, off;

	n->type = &ty_none;
	if (a->kind != AST_STR) {
		sema_error(s, a->loc, "reg() needs a string literal: the register's name");
		return -1;
	}
	for (i = 0; i < s->npoints; i++) {
		if (!s->points[i]->ops->pt_regs) {
			sema_error(s, n->loc,
				   "reg() is not available in %s: it needs a kprobe or "
				   "uprobe",
				   s->points[i]->spec);
			return -1;
		}
	}
	if (!s->npoints)
		return -1;
	off = ptregs_offset(a->str);
	if (off < 0) {
		sema_error(s, a->loc, "unknown register '%s'", a->str);
		sug = diag_suggest(a->str, ptregs_names());
		if (sug)
			sema_hint(s, "did you mean '%s'?", sug);
		return -1;
	}
	n->sema_id = off;
	n->type = &ty_u64;
	return 0;
}

static LLVMValueRef reg_lower(struct cg *cg, struct ast_node *n)
{
	return load_reg(cg, n->sema_id);
}

const struct builtin_ops std_reg = {
	.name = "reg",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = reg_check,
	.lower = reg_lower,
};
