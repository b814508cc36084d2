/*
 * count.c - count(): a per-CPU u64 incremented in place; the CPUs' counts
 * are summed in user space. Maps of counts sort by value.
 */
#include "../stdlib.h"
#include "../../runtime/output.h"

#include <inttypes.h>

static uint32_t u64_size(const struct hk_type *t)
{
	return 8;
}

static void u64_reduce(const struct hk_type *t, void *acc, const void *cpu, uint32_t bucket)
{
	*(uint64_t *)acc += *(const uint64_t *)cpu;
}

static int64_t u64_sort(const struct hk_type *t, const void *v)
{
	return (int64_t) * (const uint64_t *)v;
}

static void u64_print(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	fprintf(o->f, "%" PRIu64, *(const uint64_t *)v / (div ? div : 1));
}

static void count_update(struct cg *cg, struct ast_node *call, LLVMValueRef p, LLVMValueRef *args)
{
	LLVMValueRef old = LLVMBuildLoad2(cg->b, cg->i64, p, "");

	LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, old, cg_const(cg, 1), ""), p);
}

const struct agg_ops std_agg_count = {
	.name = "count",
	.type_name = "count_t",
	.zero_is_unset = true,
	.value_size = u64_size,
	.reduced_size = u64_size,
	.reduce = u64_reduce,
	.sort_key = u64_sort,
	.print = u64_print,
	.json_type = "map",
	.print_json = u64_print,
	.lower_update = count_update,
	.lower_combine = std_agg_add_combine,
	.lower_result = std_agg_load_result,
};

static int count_check(struct sema *s, struct ast_node *n)
{
	n->type = ty_agg(s->arena, &std_agg_count, 8);
	return 0;
}

const struct builtin_ops std_count = {
	.name = "count",
	.kind = BI_AGG,
	.min_args = 0,
	.max_args = 0,
	.check = count_check,
	.agg = &std_agg_count,
};
