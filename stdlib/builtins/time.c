/*
 * time.c - nsecs (boot clock, as bpftrace 0.26; nsecs(monotonic), nsecs(tai)
 * and nsecs(sw_tai) pick another clock) and elapsed (nanoseconds since hawk
 * started: the runtime stores its start time, on the same clock, in slot 0
 * of the internal "globals" array map before anything runs).
 *
 * sw_tai is bpftrace's TAI for kernels without bpf_ktime_get_tai_ns (the
 * boot clock plus an offset measured at start-up). hawk needs kernel 6.1,
 * which has the helper, so sw_tai reads the TAI clock itself: the same
 * value, with nothing measured at compile time that a cached object would
 * carry over to another boot.
 */
#include "../stdlib.h"

#include <string.h>

enum nsecs_clock { CLK_BOOT, CLK_MONOTONIC, CLK_TAI, CLK_SW_TAI };

static const char *const clock_names[] = {"boot", "monotonic", "tai", "sw_tai", NULL};

static int nsecs_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *a = n->kind == AST_CALL ? n->body : NULL;
	int i;

	n->type = &ty_u64;
	n->sema_data = (void *)(uintptr_t)CLK_BOOT;
	if (!a)
		return 0;
	a->type = &ty_none;
	for (i = 0; a->kind == AST_IDENT && clock_names[i]; i++)
		if (!strcmp(a->name, clock_names[i])) {
			n->sema_data = (void *)(uintptr_t)i;
			return 0;
		}
	sema_error(s, a->loc, "nsecs() takes a clock: boot, monotonic, tai or sw_tai");
	return -1;
}

static LLVMValueRef nsecs_lower(struct cg *cg, struct ast_node *n)
{
	switch ((enum nsecs_clock)(uintptr_t)n->sema_data) {
	case CLK_MONOTONIC:
		return cg_helper(cg, H_KTIME_GET_NS, cg->i64, NULL, 0);
	case CLK_TAI:
	case CLK_SW_TAI:
		return cg_helper(cg, H_KTIME_GET_TAI_NS, cg->i64, NULL, 0);
	case CLK_BOOT:
		break;
	}
	return cg_helper(cg, H_KTIME_GET_BOOT_NS, cg->i64, NULL, 0);
}

const struct builtin_ops std_nsecs = {.name = "nsecs",
				      .kind = BI_VARIABLE,
				      .max_args = 1,
				      .check = nsecs_check,
				      .lower = nsecs_lower};

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
