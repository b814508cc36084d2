/*
 * print.c - print(@m[, top[, div]]), print(value), clear(@m), zero(@m),
 * delete(@m[k]) / delete(@m, k). Printing, clearing and zeroing happen in
 * user space (events); delete is a BPF map operation.
 */
#include "../stdlib.h"

STD_BUILTIN(print);

static struct hk_type *u64x2[2] = {&ty_u64, &ty_u64};
static uint32_t off2[2] = {0, 8};

static int print_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *a = n->body;
	struct res_event *ev;
	struct res_map *m;

	n->type = &ty_none;
	if (a->kind == AST_MAP && !a->lhs) {
		m = std_map_arg(s, n);
		if (!m)
			return -1;
		if ((a->next && std_want_int(s, n, 1) < 0) ||
		    (a->next && a->next->next && std_want_int(s, n, 2) < 0))
			return -1;
		ev = sema_add_event(s, EV_PRINT, &std_print, n);
		if (ev) {
			ev->map_id = m->id;
			ev->nargs = 2;
			ev->args = u64x2;
			ev->offsets = off2;
			ev->size = 16;
		}
		return 0;
	}
	if (a->next) {
		sema_error(s, a->next->loc, "print() of a value takes one argument");
		return -1;
	}
	if (sema_expr(s, a)->kind == TY_NONE)
		return -1;
	if (a->type->kind == TY_PTR && a->type->elem && a->type->elem->is_ctx &&
	    a->type->elem->kind == TY_STRUCT) {
		/* print(args) prints the arguments (bpftrace 0.19+: args is a value) */
		struct ast_node *d = ast_new(s->arena, AST_UNOP, a->loc);

		d->op = '*';
		d->lhs = a;
		n->body = a = d;
		if (sema_expr(s, a)->kind == TY_NONE)
			return -1;
	}
	ev = sema_add_event(s, EV_PRINT_VALUE, &std_print, n);
	if (ev)
		std_event_layout(s, ev, a);
	return 0;
}

static LLVMValueRef print_lower(struct cg *cg, struct ast_node *n)
{
	const struct res_event *ev = cg->res->events[n->sema_id];
	struct ast_node *a = n->body;

	if (ev->kind == EV_PRINT) {
		LLVMValueRef v[2];
		const struct hk_type *t[2] = {&ty_u64, &ty_u64};

		v[0] = a->next ? cg_expr(cg, a->next) : cg_const(cg, 0);
		v[1] = a->next && a->next->next ? cg_expr(cg, a->next->next) : cg_const(cg, 1);
		cg_event(cg, ev, v, t);
		return NULL;
	}
	std_event_emit(cg, ev, a);
	return NULL;
}

const struct builtin_ops std_print = {
	.name = "print",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 3,
	.check = print_check,
	.lower = print_lower,
};

static int clear_check(struct sema *s, struct ast_node *n)
{
	struct res_map *m = std_map_arg(s, n);
	struct res_event *ev;

	n->type = &ty_none;
	if (!m)
		return -1;
	if (n->body->lhs) {
		sema_error(s, n->body->loc, "%s() takes a whole map, without a key", n->name);
		return -1;
	}
	ev = sema_add_event(s, n->name[0] == 'c' ? EV_CLEAR : EV_ZERO, n->sema_builtin, n);
	if (ev)
		ev->map_id = m->id;
	return 0;
}

static LLVMValueRef clear_lower(struct cg *cg, struct ast_node *n)
{
	cg_event(cg, cg->res->events[n->sema_id], NULL, NULL);
	return NULL;
}

const struct builtin_ops std_clear = {
	.name = "clear",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = clear_check,
	.lower = clear_lower,
};

const struct builtin_ops std_zero = {
	.name = "zero",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = clear_check,
	.lower = clear_lower,
};

/* delete(@m[k]) or delete(@m, k): the key node is kept in n->sema_data. */
static int delete_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *a = n->body, *key;
	struct res_map *m = std_map_arg(s, n);
	struct hk_type *kt;

	n->type = &ty_bool;
	if (!m)
		return -1;
	key = a->next ? a->next : a->lhs;
	if (a->next && a->lhs) {
		sema_error(s, a->loc, "delete(@m, key) takes the map without a key");
		return -1;
	}
	if (m->value && m->value->kind == TY_AGG && m->value->agg->bucketed) {
		sema_error(s, n->loc, "delete() of one key of a %s map is not supported yet",
			   m->value->agg->type_name);
		return -1;
	}
	if (!key != !m->key) {
		sema_error(s, a->loc, key ? "map '%s' has no key" : "map '%s' needs a key",
			   m->name);
		return -1;
	}
	if (key) {
		kt = sema_expr(s, key);
		if (kt->kind == TY_NONE)
			return -1;
		if (m->key && !ty_compatible(m->key, kt)) {
			sema_error(s, key->loc, "map '%s' has keys of type %s, not %s", m->name,
				   ty_name(s->arena, m->key), ty_name(s->arena, kt));
			return -1;
		}
	}
	n->sema_data = key;
	return 0;
}

static LLVMValueRef delete_lower(struct cg *cg, struct ast_node *n)
{
	const struct res_map *m = n->body->sema_map;
	struct ast_node *key = n->sema_data;
	LLVMValueRef k = cg_alloc(cg, m->key_size), args[2], rc;

	if (m->kind == RM_PERCPU_ARRAY || m->kind == RM_ARRAY) {
		/* An array slot cannot be deleted: zero it for every CPU. */
		LLVMValueRef z = cg_alloc(cg, m->value_size), a4[4];

		LLVMBuildStore(cg->b, LLVMConstInt(cg->i32, 0, 0), k);
		cg_zero(cg, z, m->value_size);
		a4[0] = cg_map_ptr(cg, m);
		a4[1] = k;
		a4[2] = z;
		a4[3] = cg_const(cg, 0);
		cg_helper(cg, H_MAP_UPDATE, cg->i64, a4, 4);
		return cg_const(cg, 1);
	}
	cg_zero(cg, k, m->key_size);
	if (key)
		cg_store(cg, k, m->key, cg_expr(cg, key), key->type);
	args[0] = cg_map_ptr(cg, m);
	args[1] = k;
	rc = cg_helper(cg, H_MAP_DELETE, cg->i64, args, 2);
	return LLVMBuildZExt(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, rc, cg_const(cg, 0), ""),
			     cg->i64, "");
}

const struct builtin_ops std_delete = {
	.name = "delete",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 2,
	.check = delete_check,
	.lower = delete_lower,
};
