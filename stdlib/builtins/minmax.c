/*
 * minmax.c - min(x) and max(x): per CPU { int64 value; u64 set }, kept in
 * place; combined in user space over the CPUs that saw a value.
 */
#include "../stdlib.h"
#include "../../runtime/output.h"

#include <inttypes.h>

struct mm {
	int64_t value;
	uint64_t set;
};

static uint32_t mm_size(const struct hk_type *t)
{
	return sizeof(struct mm);
}

static void mm_reduce(const struct hk_type *t, void *acc, const void *cpu, uint32_t is_max)
{
	struct mm *a = acc;
	const struct mm *c = cpu;
	bool better;

	if (!c->set)
		return;
	if (t->is_signed)
		better = t->agg_arg ? c->value > a->value : c->value < a->value;
	else
		better = t->agg_arg ? (uint64_t)c->value > (uint64_t)a->value
				    : (uint64_t)c->value < (uint64_t)a->value;
	if (!a->set || better) {
		a->value = c->value;
		a->set = 1;
	}
}

static int64_t mm_sort(const struct hk_type *t, const void *v)
{
	return ((const struct mm *)v)->value;
}

static void mm_print(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	const struct mm *m = v;

	if (!div)
		div = 1;
	if (t->is_signed)
		fprintf(o->f, "%" PRId64, m->value / (int64_t)div);
	else
		fprintf(o->f, "%" PRIu64, (uint64_t)m->value / div);
}

static void mm_update(struct cg *cg, struct ast_node *call, LLVMValueRef p, LLVMValueRef *args)
{
	const struct hk_type *t = call->type;
	LLVMValueRef set_p = cg_gep(cg, p, 8);
	LLVMValueRef old = LLVMBuildLoad2(cg->b, cg->i64, p, "");
	LLVMValueRef set = LLVMBuildLoad2(cg->b, cg->i64, set_p, "");
	LLVMIntPredicate pr = t->agg_arg ? (t->is_signed ? LLVMIntSGT : LLVMIntUGT)
					 : (t->is_signed ? LLVMIntSLT : LLVMIntULT);
	LLVMValueRef take =
		LLVMBuildOr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, set, cg_const(cg, 0), ""),
			    LLVMBuildICmp(cg->b, pr, args[0], old, ""), "");
	LLVMBasicBlockRef yes = cg_block(cg, "mm_take"), done = cg_block(cg, "mm_done");

	LLVMBuildCondBr(cg->b, take, yes, done);
	LLVMPositionBuilderAtEnd(cg->b, yes);
	LLVMBuildStore(cg->b, args[0], p);
	LLVMBuildStore(cg->b, cg_const(cg, 1), set_p);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
}

/* Reading in BPF: the best value of the CPUs that saw one. */
static void mm_combine(struct cg *cg, const struct hk_type *t, LLVMValueRef acc, LLVMValueRef cpu)
{
	LLVMValueRef cv = LLVMBuildLoad2(cg->b, cg->i64, cpu, "");
	LLVMValueRef cset = LLVMBuildLoad2(cg->b, cg->i64, cg_gep(cg, cpu, 8), "");
	LLVMValueRef av = LLVMBuildLoad2(cg->b, cg->i64, acc, "");
	LLVMValueRef aset = LLVMBuildLoad2(cg->b, cg->i64, cg_gep(cg, acc, 8), "");
	LLVMIntPredicate pr = t->agg_arg ? (t->is_signed ? LLVMIntSGT : LLVMIntUGT)
					 : (t->is_signed ? LLVMIntSLT : LLVMIntULT);
	LLVMValueRef better =
		LLVMBuildOr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, aset, cg_const(cg, 0), ""),
			    LLVMBuildICmp(cg->b, pr, cv, av, ""), "");
	LLVMValueRef take = LLVMBuildAnd(
		cg->b, LLVMBuildICmp(cg->b, LLVMIntNE, cset, cg_const(cg, 0), ""), better, "");
	LLVMBasicBlockRef yes = cg_block(cg, "mm_best"), done = cg_block(cg, "mm_best_done");

	LLVMBuildCondBr(cg->b, take, yes, done);
	LLVMPositionBuilderAtEnd(cg->b, yes);
	LLVMBuildStore(cg->b, cv, acc);
	LLVMBuildStore(cg->b, cg_const(cg, 1), cg_gep(cg, acc, 8));
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
}

static LLVMValueRef mm_result(struct cg *cg, const struct hk_type *t, LLVMValueRef acc)
{
	return LLVMBuildLoad2(cg->b, cg->i64, acc, "");
}

static void mm_reduce_any(const struct hk_type *t, void *acc, const void *cpu, uint32_t b)
{
	mm_reduce(t, acc, cpu, t->agg_arg);
}

const struct agg_ops std_agg_min = {
	.name = "min",
	.type_name = "min_t",
	.value_size = mm_size,
	.reduced_size = mm_size,
	.reduce = mm_reduce_any,
	.sort_key = mm_sort,
	.print = mm_print,
	.json_type = "map",
	.print_json = mm_print,
	.lower_update = mm_update,
	.lower_combine = mm_combine,
	.lower_result = mm_result,
};

const struct agg_ops std_agg_max = {
	.name = "max",
	.type_name = "max_t",
	.value_size = mm_size,
	.reduced_size = mm_size,
	.reduce = mm_reduce_any,
	.sort_key = mm_sort,
	.print = mm_print,
	.json_type = "map",
	.print_json = mm_print,
	.lower_update = mm_update,
	.lower_combine = mm_combine,
	.lower_result = mm_result,
};

static int mm_check(struct sema *s, struct ast_node *n)
{
	bool is_max = n->sema_builtin->agg == &std_agg_max;
	struct hk_type *t;

	if (std_want_int(s, n, 0) < 0)
		return -1;
	t = ty_agg(s->arena, n->sema_builtin->agg, sizeof(struct mm));
	t->is_signed = n->body->type->kind == TY_INT && n->body->type->is_signed;
	t->agg_arg = is_max;
	n->type = t;
	return 0;
}

const struct builtin_ops std_min = {
	.name = "min",
	.kind = BI_AGG,
	.min_args = 1,
	.max_args = 1,
	.check = mm_check,
	.agg = &std_agg_min,
};

const struct builtin_ops std_max = {
	.name = "max",
	.kind = BI_AGG,
	.min_args = 1,
	.max_args = 1,
	.check = mm_check,
	.agg = &std_agg_max,
};
