/*
 * printf.c - printf(fmt, args...): checked against the format at compile
 * time, sent to user space as an event, formatted there (runtime/output.c).
 */
#include "../stdlib.h"
#include "../../runtime/output.h"

#include <string.h>

STD_BUILTIN(printf);

#define MAX_PRINTF_ARGS 64

static int printf_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *f = n->body;
	struct res_event *ev;

	if (std_check_format(s, n) < 0)
		return -1;
	ev = sema_add_event(s, EV_PRINTF, &std_printf, n);
	if (ev) {
		ev->fmt = f->str;
		std_event_layout(s, ev, f->next);
	}
	return 0;
}

static LLVMValueRef printf_lower(struct cg *cg, struct ast_node *n)
{
	std_event_emit(cg, cg->res->events[n->sema_id], n->body->next);
	return NULL;
}

const struct builtin_ops std_printf = {
	.name = "printf",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = MAX_PRINTF_ARGS + 1,
	.check = printf_check,
	.lower = printf_lower,
};
