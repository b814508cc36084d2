/*
 * printf.c - printf(fmt, args...): checked against the format at compile
 * time, sent to user space as an event, formatted there (runtime/output.c).
 */
#include "../stdlib.h"
#include "../../lang/format.h"
#include "../../runtime/output.h"

#include <string.h>

STD_BUILTIN(printf);

#define MAX_PRINTF_ARGS 64

static bool arg_fits(enum fmt_conv c, const struct hk_type *t)
{
	switch (c) {
	case FMT_INT:
	case FMT_UINT:
	case FMT_CHAR:
		return ty_is_int(t) || t->kind == TY_PTR || t->kind == TY_KSYM;
	case FMT_PTR:
		return ty_is_int(t) || t->kind == TY_PTR || t->kind == TY_KSYM;
	case FMT_STR:
		return true; /* every value has a text form */
	case FMT_BUF:
		return t->kind == TY_BUFFER || t->kind == TY_STRING;
	}
	return false;
}

static int printf_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *f = n->body, *a;
	struct fmt_spec specs[MAX_PRINTF_ARGS];
	const char *err = NULL;
	size_t err_off = 0;
	int want, i, rc = 0;
	struct res_event *ev;

	n->type = &ty_none;
	if (f->kind != AST_STR) {
		sema_error(s, f->loc, "%s() needs a string literal as its format", n->name);
		return -1;
	}
	for (a = f->next; a; a = a->next)
		if (sema_expr(s, a)->kind == TY_NONE)
			rc = -1;
	if (rc)
		return -1;
	want = fmt_parse(f->str, specs, MAX_PRINTF_ARGS, &err, &err_off);
	if (want < 0) {
		sema_error(s, f->loc, "invalid format string: %s (at offset %zu)", err, err_off);
		return -1;
	}
	if (want != ast_list_len(f->next)) {
		sema_error(s, n->loc, "the format string takes %d argument%s, but %d %s given",
			   want, want == 1 ? "" : "s", ast_list_len(f->next),
			   ast_list_len(f->next) == 1 ? "is" : "are");
		return -1;
	}
	for (a = f->next, i = 0; a; a = a->next, i++) {
		if (!arg_fits(specs[i].conv, a->type)) {
			sema_error(s, a->loc, "%%%c expects %s, but this argument is %s",
				   specs[i].conv_char,
				   specs[i].conv == FMT_BUF ? "a buffer" : "an integer",
				   ty_name(s->arena, a->type));
			rc = -1;
		}
	}
	if (rc)
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
