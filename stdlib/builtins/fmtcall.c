/*
 * fmtcall.c - checking, sending and formatting the printf-style calls that
 * user space acts on (see fmtcall.h). The checks match printf()'s: a string
 * literal format, as many arguments as it takes, integers for the integer
 * conversions and buffers or strings for %r.
 */
#include "fmtcall.h"

#include <stdlib.h>
#include <string.h>

#include "../../lang/format.h"
#include "../../lang/source.h"
#include "../../runtime/output.h"
#include "../../runtime/rt.h"

#define MAX_ARGS 64

static bool arg_fits(enum fmt_conv c, const struct hk_type *t)
{
	switch (c) {
	case FMT_INT:
	case FMT_UINT:
	case FMT_CHAR:
	case FMT_PTR:
		return ty_is_int(t) || t->kind == TY_PTR || t->kind == TY_KSYM;
	case FMT_STR:
		return true; /* every value has a text form */
	case FMT_BUF:
		return t->kind == TY_BUFFER || t->kind == TY_STRING;
	}
	return false;
}

int fmtcall_check(struct sema *s, struct ast_node *n, const struct builtin_ops *ops)
{
	struct ast_node *f = n->body, *a;
	struct fmt_spec specs[MAX_ARGS];
	const char *err = NULL;
	size_t err_off = 0;
	int want, have = ast_list_len(f ? f->next : NULL), i, rc = 0;
	struct res_event *ev;

	n->type = &ty_none;
	if (!f || f->kind != AST_STR) {
		sema_error(s, f ? f->loc : n->loc, "%s() needs a string literal as its format",
			   n->name);
		return -1;
	}
	for (a = f->next; a; a = a->next)
		if (sema_expr(s, a)->kind == TY_NONE)
			rc = -1;
	if (rc)
		return -1;
	if (have > MAX_ARGS) {
		sema_error(s, n->loc, "%s() takes at most %d arguments after its format", n->name,
			   MAX_ARGS);
		return -1;
	}
	want = fmt_parse(f->str, specs, MAX_ARGS, &err, &err_off);
	if (want < 0) {
		sema_error(s, f->loc, "invalid format string: %s (at offset %zu)", err, err_off);
		return -1;
	}
	if (want > MAX_ARGS || want != have) {
		sema_error(s, n->loc, "the format string takes %d argument%s, but %d %s given",
			   want, want == 1 ? "" : "s", have, have == 1 ? "is" : "are");
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
	ev = sema_add_event(s, EV_OTHER, ops, n);
	if (ev) {
		const struct source_file *sf =
			s->diag && s->diag->src ? source_get(s->diag->src, n->loc.file) : NULL;

		ev->fmt = f->str;
		ev->file = sf ? sf->name : "stdin";
		std_event_layout(s, ev, f->next);
	}
	return 0;
}

LLVMValueRef fmtcall_lower(struct cg *cg, struct ast_node *n)
{
	std_event_emit(cg, cg->res->events[n->sema_id], n->body->next);
	return NULL;
}

char *fmtcall_text(struct rt *rt, const struct res_event *ev, const void *data, uint32_t len,
		   size_t *n)
{
	if (len < ev->size)
		return NULL;
	return out_format_alloc(rt_out(rt), ev, data, n);
}
