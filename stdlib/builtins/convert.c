/*
 * convert.c - strerror(errno) and bswap(x).
 *
 * strerror() is a TY_STRERROR value: the number travels, user space prints
 * its text. bswap() reverses the bytes of an integer of its argument's size
 * (llvm.bswap, the BPF byte-swap instruction) and is unsigned, as in
 * bpftrace; a one-byte value is returned unchanged.
 */
#include "../stdlib.h"

#include <string.h>

static struct hk_type ty_strerror = {.kind = TY_STRERROR, .size = 8, .align = 8};

static int strerror_check(struct sema *s, struct ast_node *n)
{
	n->type = &ty_none;
	if (std_want_int(s, n, 0) < 0)
		return -1;
	n->type = &ty_strerror;
	return 0;
}

static LLVMValueRef int_arg(struct cg *cg, struct ast_node *n)
{
	return cg_to_i64(cg, cg_expr(cg, n->body), n->body->type);
}

const struct builtin_ops std_strerror = {
	.name = "strerror",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = strerror_check,
	.lower = int_arg,
};

static int bswap_check(struct sema *s, struct ast_node *n)
{
	n->type = &ty_none;
	if (std_want_int(s, n, 0) < 0)
		return -1;
	n->type = ty_int((int)n->body->type->size, false);
	return 0;
}

static LLVMValueRef bswap_lower(struct cg *cg, struct ast_node *n)
{
	uint32_t size = n->type->size;
	LLVMValueRef v = int_arg(cg, n), fn, x;
	LLVMTypeRef it, ft;
	unsigned id;

	if (size < 2)
		return LLVMBuildAnd(cg->b, v, cg_const(cg, 0xff), "");
	it = LLVMIntTypeInContext(cg->o.ctx, size * 8);
	id = LLVMLookupIntrinsicID("llvm.bswap", strlen("llvm.bswap"));
	fn = LLVMGetIntrinsicDeclaration(cg->o.mod, id, &it, 1);
	ft = LLVMIntrinsicGetType(cg->o.ctx, id, &it, 1);
	x = LLVMBuildTrunc(cg->b, v, it, "");
	x = LLVMBuildCall2(cg->b, ft, fn, &x, 1, "");
	return LLVMBuildZExt(cg->b, x, cg->i64, "");
}

const struct builtin_ops std_bswap = {
	.name = "bswap",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = bswap_check,
	.lower = bswap_lower,
};
