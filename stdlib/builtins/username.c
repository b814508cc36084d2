/*
 * username.c - the `username` builtin: the current task's uid, printed in
 * user space as the user's name (TY_USERNAME, u64 uid; "" for a uid with
 * no name, as bpftrace).
 */
#include "../stdlib.h"

static struct hk_type ty_username = {.kind = TY_USERNAME, .size = 8, .align = 8};

static int username_check(struct sema *s, struct ast_node *n)
{
	n->type = &ty_username;
	return 0;
}

/* Not a scalar type: the value is a pointer to the 8 bytes. */
static LLVMValueRef username_lower(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef ids = cg_helper(cg, H_GET_CURRENT_UID_GID, cg->i64, NULL, 0),
		     buf = cg_alloc(cg, 8);

	LLVMBuildStore(cg->b, LLVMBuildAnd(cg->b, ids, cg_const(cg, 0xffffffffu), ""), buf);
	return buf;
}

const struct builtin_ops std_username = {
	.name = "username",
	.kind = BI_VARIABLE,
	.check = username_check,
	.lower = username_lower,
};
