/*
 * time.c - nsecs (boot clock, as bpftrace 0.26) and elapsed (nanoseconds
 * since hawk started: the runtime stores its start time, on the same clock,
 * in slot 0 of the internal "globals" array map before anything runs).
 */
#include "../stdlib.h"

#include <string.h>

static int nsecs_check(struct sema *s, struct ast_node *n)
{
	n->type = &ty_u64;
	return 0;
}

static LLVMValueRef nsecs_lower(struct cg *cg, struct ast_node *n)
{
	return cg_helper(cg, H_KTIME_GET_BOOT_NS, cg->i64, NULL, 0);
}

const struct builtin_ops std_nsecs = {
	.name = "nsecs", .kind = BI_VARIABLE, .check = nsecs_check, .lower = nsecs_lower};

static int elapsed_check(struct sema *s, struct ast_node *n)
{
	n->type = &ty_u64;
	sema_internal_map(s, "globals", "hawk_globals", RM_ARRAY, 4, 24, 1);
	return 0;
}

static LLVMValueRef elapsed_lower(struct cg *cg, struct ast_node *n)
{
	const struct res_map *g = NULL;
	LLVMValueRef key, args[2], p, now, start, res;
	LLVMBasicBlockRef ok, done;

	g = cg_internal_map(cg, "globals");
	now = cg_helper(cg, H_KTIME_GET_BOOT_NS, cg->i64, NULL, 0);
	if (!g)
		return now;
	key = cg_alloc(cg, 4);
	LLVMBuildStore(cg->b, LLVMConstInt(cg->i32, 0, 0), key);
	args[0] = cg_map_ptr(cg, g);
	args[1] = key;
	p = cg_helper(cg, H_MAP_LOOKUP, cg->ptr, args, 2);
	res = cg_alloc(cg, 8);
	LLVMBuildStore(cg->b, now, res);
	ok = cg_block(cg, "elapsed_ok");
	done = cg_block(cg, "elapsed_done");
	LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, p, ""), done, ok);
	LLVMPositionBuilderAtEnd(cg->b, ok);
	start = LLVMBuildLoad2(cg->b, cg->i64, p, "");
	LLVMBuildStore(cg->b, LLVMBuildSub(cg->b, now, start, ""), res);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
	return LLVMBuildLoad2(cg->b, cg->i64, res, "");
}

const struct builtin_ops std_elapsed = {
	.name = "elapsed", .kind = BI_VARIABLE, .check = elapsed_check, .lower = elapsed_lower};
