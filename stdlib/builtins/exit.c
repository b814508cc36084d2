/*
 * exit.c - exit([code]): asks user space to stop; the code becomes hawk's
 * exit status. Maps are printed as after Ctrl-C.
 */
#include "../stdlib.h"

STD_BUILTIN(exit);

static int exit_check(struct sema *s, struct ast_node *n)
{
	struct res_event *ev;

	n->type = &ty_none;
	if (n->body && std_want_int(s, n, 0) < 0)
		return -1;
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

	cg_event(cg, cg->res->events[n->sema_id], &code, &t);
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
