/*
 * maps.c - has_key(@m, k), len(@m) and find(@m, k, $v): questions about a
 * map asked in BPF. has_key and find are one lookup; len walks the map with
 * bpf_for_each_map_elem and a shared counting callback. len() of a stack
 * (kstack, ustack) is its number of frames, the u32 at its start.
 */
#include "../stdlib.h"

#include <string.h>

STD_BUILTIN(has_key);
STD_BUILTIN(len);
STD_BUILTIN(find);

/* The map argument, which must have keys that a lookup can name. */
static struct res_map *keyed_map(struct sema *s, struct ast_node *n)
{
	struct res_map *m = std_map_arg(s, n);

	if (!m)
		return NULL;
	if (n->body->lhs) {
		sema_error(s, n->body->loc, "%s() takes the map without a key: %s(@m, key)",
			   n->name, n->name);
		return NULL;
	}
	if (!m->key) {
		sema_error(s, n->body->loc, "map '%s' has no key", m->name);
		return NULL;
	}
	if (m->value && m->value->kind == TY_AGG && m->value->agg->bucketed) {
		sema_error(s, n->body->loc, "%s() of a %s map is not supported", n->name,
			   m->value->agg->type_name);
		return NULL;
	}
	return m;
}

static int key_arg(struct sema *s, struct ast_node *n, struct res_map *m)
{
	struct ast_node *k = sema_arg(n, 1);
	struct hk_type *t = sema_expr(s, k);

	if (t->kind == TY_NONE)
		return -1;
	if (!ty_compatible(m->key, t)) {
		sema_error(s, k->loc, "map '%s' has keys of type %s, not %s", m->name,
			   ty_name(s->arena, m->key), ty_name(s->arena, t));
		return -1;
	}
	return 0;
}

static int has_key_check(struct sema *s, struct ast_node *n)
{
	struct res_map *m = keyed_map(s, n);

	n->type = &ty_bool;
	return m && key_arg(s, n, m) == 0 ? 0 : -1;
}

static LLVMValueRef has_key_lower(struct cg *cg, struct ast_node *n)
{
	const struct res_map *m = n->body->sema_map;
	LLVMValueRef p = cg_map_lookup(cg, m, cg_map_key(cg, m, n->body->next));

	return LLVMBuildZExt(cg->b, LLVMBuildIsNotNull(cg->b, p, ""), cg->i64, "");
}

const struct builtin_ops std_has_key = {
	.name = "has_key",
	.kind = BI_FUNCTION,
	.min_args = 2,
	.max_args = 2,
	.check = has_key_check,
	.lower = has_key_lower,
};

/* find(@m, k, $v): true and $v = @m[k] when the key is there. */
static int find_check(struct sema *s, struct ast_node *n)
{
	struct res_map *m = keyed_map(s, n);
	struct ast_node *v = sema_arg(n, 2);

	n->type = &ty_bool;
	if (!m || key_arg(s, n, m) < 0)
		return -1;
	if (v->kind != AST_VAR) {
		sema_error(s, v->loc, "find() stores the value in a variable ($name)");
		return -1;
	}
	if (!m->value)
		return -1;
	if (m->value->kind == TY_AGG) {
		sema_error(s, n->body->loc, "find() of a %s map is not supported yet",
			   m->value->agg->type_name);
		return -1;
	}
	return sema_assign(s, v, m->value, n)->kind == TY_NONE ? -1 : 0;
}

static LLVMValueRef find_lower(struct cg *cg, struct ast_node *n)
{
	const struct res_map *m = n->body->sema_map;
	struct ast_node *v = sema_arg(n, 2);
	LLVMValueRef p = cg_map_lookup(cg, m, cg_map_key(cg, m, n->body->next));
	LLVMBasicBlockRef yes = cg_block(cg, "find_yes"), done = cg_block(cg, "find_done");

	LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, p, ""), done, yes);
	LLVMPositionBuilderAtEnd(cg->b, yes);
	cg_store(cg, cg_var_slot(cg, v->sema_var), v->sema_var->type, cg_load(cg, p, m->value),
		 m->value);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
	return LLVMBuildZExt(cg->b, LLVMBuildIsNotNull(cg->b, p, ""), cg->i64, "");
}

const struct builtin_ops std_find = {
	.name = "find",
	.kind = BI_FUNCTION,
	.min_args = 3,
	.max_args = 3,
	.check = find_check,
	.lower = find_lower,
};

static int len_check(struct sema *s, struct ast_node *n)
{
	struct res_map *m;

	if (n->body && n->body->kind != AST_MAP) {
		struct hk_type *t = sema_expr(s, n->body);

		n->type = &ty_s64;
		if (t->kind == TY_STACK)
			return 0;
		if (t->kind != TY_NONE)
			sema_error(s, n->body->loc, "len() expects a map such as @m or a stack");
		return -1;
	}
	m = keyed_map(s, n);
	n->type = &ty_s64;
	return m ? 0 : -1;
}

/* i64 hawk_len_cb(map, key, value, ctx): ++*(u64 *)ctx; go on. One per object. */
static LLVMValueRef len_callback(struct cg *cg)
{
	LLVMValueRef fn = LLVMGetNamedFunction(cg->o.mod, "hawk_len_cb"), ctx, v;
	LLVMBuilderRef b;

	if (fn)
		return fn;
	fn = cg_object_subprog(&cg->o, "hawk_len_cb", 4);
	if (!fn)
		return NULL;
	b = LLVMCreateBuilderInContext(cg->o.ctx);
	LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(cg->o.ctx, fn, "entry"));
	cg_object_set_loc(&cg->o, b, fn, 1, 1);
	ctx = LLVMGetParam(fn, 3);
	v = LLVMBuildLoad2(b, cg->i64, ctx, "");
	LLVMBuildStore(b, LLVMBuildAdd(b, v, LLVMConstInt(cg->i64, 1, 0), ""), ctx);
	LLVMBuildRet(b, LLVMConstInt(cg->i64, 0, 0));
	LLVMDisposeBuilder(b);
	return fn;
}

static LLVMValueRef len_lower(struct cg *cg, struct ast_node *n)
{
	const struct res_map *m = n->body->sema_map;
	LLVMValueRef cb, counter, args[4];

	if (n->body->type && n->body->type->kind == TY_STACK)
		return cg_load(cg, cg_expr(cg, n->body), &ty_u32);
	cb = len_callback(cg);
	counter = cg_stack_alloc(cg, 8);

	if (!cb) {
		cg_error(cg, n->loc, "len(): %s", cg->o.errmsg);
		return cg_const(cg, 0);
	}
	LLVMBuildStore(cg->b, cg_const(cg, 0), counter);
	args[0] = cg_map_ptr(cg, m);
	args[1] = cb;
	args[2] = counter;
	args[3] = cg_const(cg, 0);
	cg_helper(cg, H_FOR_EACH_MAP_ELEM, cg->i64, args, 4);
	return LLVMBuildLoad2(cg->b, cg->i64, counter, "");
}

const struct builtin_ops std_len = {
	.name = "len",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = len_check,
	.lower = len_lower,
};
