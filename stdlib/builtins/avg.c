/*
 * avg.c - avg(x) and stats(x): per CPU { int64 total; u64 count }, added to
 * in place. avg prints the integer average; stats prints count, average and
 * total as a record (bpftrace 0.24+). Both sort by the average.
 */
#include "../stdlib.h"
#include "../../runtime/output.h"

#include <inttypes.h>

struct avg {
	int64_t total;
	uint64_t count;
};

static uint32_t avg_size(const struct hk_type *t)
{
	return sizeof(struct avg);
}

static void avg_reduce(const struct hk_type *t, void *acc, const void *cpu, uint32_t b)
{
	struct avg *a = acc;
	const struct avg *c = cpu;

	a->total += c->total;
	a->count += c->count;
}

static int64_t avg_value(const struct hk_type *t, const struct avg *a)
{
	if (!a->count)
		return 0;
	if (t->is_signed)
		return a->total / (int64_t)a->count;
	return (int64_t)((uint64_t)a->total / a->count);
}

static int64_t avg_sort(const struct hk_type *t, const void *v)
{
	return avg_value(t, v);
}

static void print_int(struct out *o, const struct hk_type *t, int64_t v)
{
	if (t->is_signed)
		fprintf(o->f, "%" PRId64, v);
	else
		fprintf(o->f, "%" PRIu64, (uint64_t)v);
}

static void avg_print(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	int64_t x = avg_value(t, v);

	if (div > 1)
		x = t->is_signed ? x / (int64_t)div : (int64_t)((uint64_t)x / div);
	print_int(o, t, x);
}

static void stats_print(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	const struct avg *a = v;
	int64_t avg = avg_value(t, a), total = a->total;

	if (div > 1) {
		avg = t->is_signed ? avg / (int64_t)div : (int64_t)((uint64_t)avg / div);
		total = t->is_signed ? total / (int64_t)div : (int64_t)((uint64_t)total / div);
	}
	fprintf(o->f, "{ .count = %" PRIu64 ", .average = ", a->count);
	print_int(o, t, avg);
	fputs(", .total = ", o->f);
	print_int(o, t, total);
	fputs(" }", o->f);
}

static void stats_print_json(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	const struct avg *a = v;

	fprintf(o->f, "{\"count\": %" PRIu64 ", \"average\": ", a->count);
	print_int(o, t, avg_value(t, a) / (int64_t)(div ? div : 1));
	fputs(", \"total\": ", o->f);
	print_int(o, t, a->total / (int64_t)(div ? div : 1));
	fputs("}", o->f);
}

static void avg_update(struct cg *cg, struct ast_node *call, LLVMValueRef p, LLVMValueRef *args)
{
	LLVMValueRef cp = cg_gep(cg, p, 8);

	LLVMBuildStore(cg->b,
		       LLVMBuildAdd(cg->b, LLVMBuildLoad2(cg->b, cg->i64, p, ""), args[0], ""), p);
	LLVMBuildStore(
		cg->b,
		LLVMBuildAdd(cg->b, LLVMBuildLoad2(cg->b, cg->i64, cp, ""), cg_const(cg, 1), ""),
		cp);
}

/* Reading avg() in BPF: totals and counts of every CPU, then the average. */
static void avg_combine(struct cg *cg, const struct hk_type *t, LLVMValueRef acc, LLVMValueRef cpu)
{
	int i;

	for (i = 0; i < 2; i++) {
		LLVMValueRef a = cg_gep(cg, acc, (uint32_t)(8 * i)),
			     c = cg_gep(cg, cpu, (uint32_t)(8 * i));

		LLVMBuildStore(cg->b,
			       LLVMBuildAdd(cg->b, LLVMBuildLoad2(cg->b, cg->i64, a, ""),
					    LLVMBuildLoad2(cg->b, cg->i64, c, ""), ""),
			       a);
	}
}

static LLVMValueRef avg_result(struct cg *cg, const struct hk_type *t, LLVMValueRef acc)
{
	LLVMValueRef total = LLVMBuildLoad2(cg->b, cg->i64, acc, "");
	LLVMValueRef count = LLVMBuildLoad2(cg->b, cg->i64, cg_gep(cg, acc, 8), "");

	return cg_arith(cg, '/', total, count, t->is_signed); /* x / 0 is 0 */
}

const struct agg_ops std_agg_avg = {
	.name = "avg",
	.type_name = "avg_t",
	.value_size = avg_size,
	.reduced_size = avg_size,
	.reduce = avg_reduce,
	.sort_key = avg_sort,
	.print = avg_print,
	.json_type = "stats",
	.print_json = avg_print,
	.lower_update = avg_update,
	.lower_combine = avg_combine,
	.lower_result = avg_result,
};

const struct agg_ops std_agg_stats = {
	.name = "stats",
	.type_name = "stats_t",
	.value_size = avg_size,
	.reduced_size = avg_size,
	.reduce = avg_reduce,
	.sort_key = avg_sort,
	.print = stats_print,
	.json_type = "stats",
	.print_json = stats_print_json,
	.lower_update = avg_update,
};

static int avg_check(struct sema *s, struct ast_node *n)
{
	struct hk_type *t;

	if (std_want_int(s, n, 0) < 0)
		return -1;
	t = ty_agg(s->arena, n->sema_builtin->agg, sizeof(struct avg));
	t->is_signed = n->body->type->kind == TY_INT && n->body->type->is_signed;
	n->type = t;
	return 0;
}

const struct builtin_ops std_avg = {
	.name = "avg",
	.kind = BI_AGG,
	.min_args = 1,
	.max_args = 1,
	.check = avg_check,
	.agg = &std_agg_avg,
};

const struct builtin_ops std_stats = {
	.name = "stats",
	.kind = BI_AGG,
	.min_args = 1,
	.max_args = 1,
	.check = avg_check,
	.agg = &std_agg_stats,
};
