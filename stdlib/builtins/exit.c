/*
 * exit.c - exit([code]): asks user space to stop; the code becomes hawk's
 * exit status. Maps are printed as after Ctrl-C. Besides the event, the
 * request is stored in the internal "globals" map (offset 16: code + 1), so
 * hawk still stops when the ring buffer was full and the event was lost.
 */
#include "../stdlib.h"

#include <string.h>

STD_BUILTIN(exit);

static int exit_check(struct sema *s, struct ast_node *n)
{
	struct res_event *ev;

	n->type = &ty_none;
	if (s->loop_depth) {
		sema_error(s, n->loc, "exit() is not allowed inside a loop");
		sema_hint(s, "set a variable, break out of the loop, then call exit()");
		return -1;
	}
	if (n->body && std_want_int(s, n, 0) < 0)
		return -1;
	sema_internal_map(s, "globals", "hawk_globals", RM_ARRAY, 4, 24, 1);
	ev = sema_add_event(s, EV_EXIT, &std_exit, n);
	if (ev) {
		static struct hk_type *one[1] = {&ty_s64};
		static uint32_t off[1] = {0};

		ev->nargs = 1;
		ev->args = one;
		ev->offsets = off;
		ev->size = 8;
	}
	return 0;
}

static LLVMValueRef exit_lower(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef code = n->body ? cg_expr(cg, n->body) : cg_const(cg, 0);
	const struct hk_type *t = n->body ? n->body->type : &ty_s64;

	const struct res_map *g = NULL;
	LLVMValueRef key, args[2], p, v;
	LLVMBasicBlockRef set, done;

	g = cg_internal_map(cg, "globals");
	v = cg_to_i64(cg, code, t);
	if (g) {
		key = cg_alloc(cg, 4);
		LLVMBuildStore(cg->b, LLVMConstInt(cg->i32, 0, 0), key);
		args[0] = cg_map_ptr(cg, g);
		args[1] = key;
		p = cg_helper(cg, H_MAP_LOOKUP, cg->ptr, args, 2);
		set = cg_block(cg, "exit_flag");
		done = cg_block(cg, "exit_event");
		LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, p, ""), done, set);
		LLVMPositionBuilderAtEnd(cg->b, set);
		LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, v, cg_const(cg, 1), ""),
			       cg_gep(cg, p, 16));
		LLVMBuildBr(cg->b, done);
		LLVMPositionBuilderAtEnd(cg->b, done);
	}
	cg_event(cg, cg->res->events[n->sema_id], &v, &t);
	/* the rest of the probe does not run */
	LLVMBuildBr(cg->b, cg->exit);
	LLVMPositionBuilderAtEnd(cg->b, cg_block(cg, "after_exit"));
	return NULL;
}

const struct builtin_ops std_exit = {
	.name = "exit",
	.kind = BI_FUNCTION,
	.min_args = 0,
	.max_args = 1,
	.check = exit_check,
	.lower = exit_lower,
};
