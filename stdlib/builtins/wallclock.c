/*
 * wallclock.c - time([fmt]) and strftime(fmt, nsecs).
 *
 * time() sends an event without arguments; user space prints the wall clock
 * when it handles it, formatted by strftime(3) (default "%H:%M:%S\n"), as is
 * (JSON type "time"). strftime() is a value: the nanoseconds on the boot
 * clock (nsecs), typed TY_TIMESTAMP with its format as the type's name;
 * output.c turns it into wall time when it is printed.
 */
#include "../stdlib.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../runtime/output.h"
#include "../../runtime/rt.h"

STD_BUILTIN(time);

static int time_check(struct sema *s, struct ast_node *n)
{
	struct res_event *ev;

	n->type = &ty_none;
	if (n->body && n->body->kind != AST_STR) {
		sema_error(s, n->body->loc, "time() needs a string literal as its format");
		return -1;
	}
	ev = sema_add_event(s, EV_OTHER, &std_time, n);
	if (ev)
		ev->fmt = n->body ? n->body->str : "%H:%M:%S\n";
	return 0;
}

static LLVMValueRef time_lower(struct cg *cg, struct ast_node *n)
{
	cg_event(cg, cg->res->events[n->sema_id], NULL, NULL);
	return NULL;
}

static void time_event(struct rt *rt, const struct res_event *ev, const void *data, uint32_t len)
{
	char buf[1024];
	time_t now = time(NULL);
	struct tm tm;
	size_t n;

	if (!localtime_r(&now, &tm))
		return;
	n = strftime(buf, sizeof(buf), ev->fmt, &tm);
	if (n) /* bpftrace prints nothing (but a warning) for an empty result */
		out_message(rt_out(rt), "time", buf, n, false);
}

const struct builtin_ops std_time = {
	.name = "time",
	.kind = BI_FUNCTION,
	.min_args = 0,
	.max_args = 1,
	.check = time_check,
	.lower = time_lower,
	.event = time_event,
};

static int strftime_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *f = n->body;
	struct hk_type *t;

	n->type = &ty_none;
	if (f->kind != AST_STR) {
		sema_error(s, f->loc, "strftime() needs a string literal as its format");
		return -1;
	}
	if (std_want_int(s, n, 1) < 0)
		return -1;
	t = ARENA_NEW(s->arena, struct hk_type);
	t->kind = TY_TIMESTAMP;
	t->size = 8;
	t->align = 8;
	t->name = f->str;
	n->type = t;
	return 0;
}

static LLVMValueRef strftime_lower(struct cg *cg, struct ast_node *n)
{
	struct ast_node *ns = n->body->next;

	return cg_to_i64(cg, cg_expr(cg, ns), ns->type);
}

const struct builtin_ops std_strftime = {
	.name = "strftime",
	.kind = BI_FUNCTION,
	.min_args = 2,
	.max_args = 2,
	.check = strftime_check,
	.lower = strftime_lower,
};
