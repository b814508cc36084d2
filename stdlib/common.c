/*
 * common.c - event layout and argument checks shared by stdlib modules.
 */
#include "stdlib.h"

#include <string.h>

void std_event_layout(struct sema *s, struct res_event *ev, struct ast_node *args)
{
	struct ast_node *a;
	struct hk_type **el, *tup;
	int i, n = ast_list_len(args);

	if (!ev)
		return;
	el = ARENA_NEWN(s->arena, struct hk_type *, n ? n : 1);
	for (a = args, i = 0; a; a = a->next, i++) {
		struct hk_type *t = a->type ? a->type : &ty_none;

		if (t->kind == TY_INT && !t->is_enum)
			t = ty_int(8, t->is_signed);
		else if (t->kind == TY_BOOL)
			t = &ty_bool;
		el[i] = t;
	}
	tup = ty_tuple(s->arena, el, NULL, n);
	ev->nargs = n;
	ev->args = ARENA_NEWN(s->arena, struct hk_type *, n ? n : 1);
	ev->offsets = ARENA_NEWN(s->arena, uint32_t, n ? n : 1);
	for (i = 0; i < n; i++) {
		ev->args[i] = tup->fields[i].type;
		ev->offsets[i] = tup->fields[i].offset;
	}
	ev->size = (tup->size + 7) & ~7u;
}

void std_event_emit(struct cg *cg, const struct res_event *ev, struct ast_node *args)
{
	LLVMValueRef vals[64];
	const struct hk_type *types[64];
	struct ast_node *a;
	int i = 0;

	for (a = args; a && i < 64; a = a->next, i++) {
		vals[i] = cg_expr(cg, a);
		types[i] = a->type;
	}
	cg_event(cg, ev, vals, types);
}

bool std_is_const(const struct ast_node *n)
{
	switch (n->kind) {
	case AST_INT:
	case AST_BOOL:
		return true;
	case AST_POSITIONAL:
		return n->is_count || (n->type && ty_is_int(n->type));
	case AST_UNOP:
		return (n->op == '-' || n->op == '~' || n->op == '!') && std_is_const(n->lhs);
	case AST_BINOP:
		if (n->op != TOK_SHL && n->op != TOK_SHR &&
		    (n->op <= 0 || n->op >= 128 || !strchr("+-*/%&|^", n->op)))
			return false;
		return std_is_const(n->lhs) && std_is_const(n->rhs);
	default:
		return false;
	}
}

int std_want_int(struct sema *s, struct ast_node *call, int i)
{
	struct ast_node *a = sema_arg(call, i);
	struct hk_type *t;

	if (!a)
		return -1;
	t = sema_expr(s, a);
	if (t->kind == TY_NONE)
		return -1;
	if (!ty_is_int(t)) {
		sema_error(s, a->loc, "%s() argument %d must be an integer, not %s", call->name,
			   i + 1, ty_name(s->arena, t));
		return -1;
	}
	return 0;
}

struct res_map *std_map_arg(struct sema *s, struct ast_node *call)
{
	struct ast_node *a = sema_arg(call, 0);
	int i;

	if (!a || a->kind != AST_MAP) {
		sema_error(s, a ? a->loc : call->loc, "%s() expects a map such as @m", call->name);
		return NULL;
	}
	for (i = 0; i < s->res->nmaps; i++) {
		struct res_map *m = s->res->maps[i];

		if (!m->internal && !strcmp(m->name, a->name)) {
			a->sema_map = m;
			a->type = m->value;
			return m;
		}
	}
	if (!s->quiet)
		sema_error(s, a->loc, "undefined map '%s': it is never assigned", a->name);
	return NULL;
}

void std_agg_add_combine(struct cg *cg, const struct hk_type *t, LLVMValueRef acc, LLVMValueRef cpu)
{
	LLVMValueRef a = LLVMBuildLoad2(cg->b, cg->i64, acc, "");

	LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, a, LLVMBuildLoad2(cg->b, cg->i64, cpu, ""), ""),
		       acc);
}

LLVMValueRef std_agg_load_result(struct cg *cg, const struct hk_type *t, LLVMValueRef acc)
{
	return LLVMBuildLoad2(cg->b, cg->i64, acc, "");
}
