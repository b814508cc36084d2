/*
 * sum.c - sum(x): a per-CPU 64-bit total added to in place, signed when x
 * is signed. Maps of sums sort by value.
 */
#include "../stdlib.h"
#include "../../runtime/output.h"

#include <inttypes.h>

static uint32_t sum_size(const struct hk_type *t)
{
	return 8;
}

static void sum_reduce(const struct hk_type *t, void *acc, const void *cpu, uint32_t bucket)
{
	*(uint64_t *)acc += *(const uint64_t *)cpu;
}

static int64_t sum_sort(const struct hk_type *t, const void *v)
{
	return *(const int64_t *)v;
}

static void sum_print(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	if (!div)
		div = 1;
	if (t->is_signed)
		fprintf(o->f, "%" PRId64, *(const int64_t *)v / (int64_t)div);
	else
		fprintf(o->f, "%" PRIu64, *(const uint64_t *)v / div);
}

static void sum_update(struct cg *cg, struct ast_node *call, LLVMValueRef p, LLVMValueRef *args)
{
	LLVMValueRef old = LLVMBuildLoad2(cg->b, cg->i64, p, "");

	LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, old, args[0], ""), p);
}

const struct agg_ops std_agg_sum = {
	.name = "sum",
	.type_name = "sum_t",
	.value_size = sum_size,
	.reduced_size = sum_size,
	.reduce = sum_reduce,
	.sort_key = sum_sort,
	.print = sum_print,
	.json_type = "map",
	.print_json = sum_print,
	.lower_update = sum_update,
	.lower_combine = std_agg_add_combine,
	.lower_result = std_agg_load_result,
};

static int sum_check(struct sema *s, struct ast_node *n)
{
	struct hk_type *t;

	if (std_want_int(s, n, 0) < 0)
		return -1;
	t = ty_agg(s->arena, &std_agg_sum, 8);
	t->is_signed = n->body->type->kind == TY_INT && n->body->type->is_signed;
	n->type = t;
	return 0;
}

const struct builtin_ops std_sum = {
	.name = "sum",
	.kind = BI_AGG,
	.min_args = 1,
	.max_args = 1,
	.check = sum_check,
	.agg = &std_agg_sum,
};
