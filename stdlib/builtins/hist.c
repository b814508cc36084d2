/*
 * hist.c - hist(x[, bits]) and lhist(x, min, max, step): bucketed per-CPU
 * counts. The BPF side computes the bucket index exactly as lang/hist.c
 * does (the printer's model) and counts into key (user key, bucket). Maps of
 * histograms sort by their total count.
 */
#include "../stdlib.h"
#include "../../lang/hist.h"
#include "../../runtime/output.h"

static uint32_t cnt_size(const struct hk_type *t)
{
	return 8;
}

static uint32_t hist_nb(const struct hk_type *t)
{
	return hist_nbuckets((int)t->agg_arg);
}

static uint32_t lhist_nb(const struct hk_type *t)
{
	return lhist_nbuckets(t->agg_params[0], t->agg_params[1], t->agg_params[2]);
}

static uint32_t hist_reduced(const struct hk_type *t)
{
	return 8 * t->agg->nbuckets(t);
}

static void bucket_reduce(const struct hk_type *t, void *acc, const void *cpu, uint32_t bucket)
{
	if (bucket < t->agg->nbuckets(t))
		((uint64_t *)acc)[bucket] += *(const uint64_t *)cpu;
}

static int64_t bucket_total(const struct hk_type *t, const void *v)
{
	const uint64_t *b = v;
	uint64_t sum = 0;
	uint32_t i, n = t->agg->nbuckets(t);

	for (i = 0; i < n; i++)
		sum += b[i];
	return (int64_t)sum;
}

static void hist_print(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	out_hist(o, v, hist_nb(t), (int)t->agg_arg, 1);
}

static void hist_print_json(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	out_hist_json(o, v, hist_nb(t), (int)t->agg_arg, 1);
}

static void lhist_print(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	out_lhist(o, v, lhist_nb(t), t->agg_params[0], t->agg_params[1], t->agg_params[2], 1);
}

static void lhist_print_json(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	out_lhist_json(o, v, lhist_nb(t), t->agg_params[0], t->agg_params[1], t->agg_params[2], 1);
}

static void count_update(struct cg *cg, struct ast_node *call, LLVMValueRef p, LLVMValueRef *args)
{
	LLVMValueRef old = LLVMBuildLoad2(cg->b, cg->i64, p, "");

	LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, old, cg_const(cg, 1), ""), p);
}

static LLVMValueRef sel(struct cg *cg, LLVMValueRef c, LLVMValueRef a, LLVMValueRef b)
{
	return LLVMBuildSelect(cg->b, c, a, b, "");
}

/* floor(log2(x)) for x >= 1, branch-free. */
static LLVMValueRef ilog2(struct cg *cg, LLVMValueRef x)
{
	LLVMValueRef p = cg_const(cg, 0);
	int s;

	for (s = 32; s >= 1; s /= 2) {
		LLVMValueRef big = LLVMBuildICmp(cg->b, LLVMIntUGE, x, cg_const(cg, 1ull << s), "");

		p = sel(cg, big, LLVMBuildAdd(cg->b, p, cg_const(cg, (uint64_t)s), ""), p);
		x = sel(cg, big, LLVMBuildLShr(cg->b, x, cg_const(cg, (uint64_t)s), ""), x);
	}
	return p;
}

/* lang/hist.c's hist_index(), in BPF. */
static LLVMValueRef hist_bucket(struct cg *cg, struct ast_node *call, LLVMValueRef *args)
{
	int k = (int)call->type->agg_arg;
	uint64_t n = 1ull << k;
	LLVMValueRef x = args[0], p, idx, small;

	/* ilog2 of max(x, 1): the result is only used when x >= 2n. */
	p = ilog2(cg, sel(cg, LLVMBuildICmp(cg->b, LLVMIntSLT, x, cg_const(cg, 1), ""),
			  cg_const(cg, 1), x));
	idx = LLVMBuildMul(cg->b,
			   LLVMBuildAdd(cg->b,
					LLVMBuildSub(cg->b, p, cg_const(cg, (uint64_t)k), ""),
					cg_const(cg, 1), ""),
			   cg_const(cg, n), "");
	idx = LLVMBuildAdd(
		cg->b, idx,
		LLVMBuildSub(cg->b,
			     LLVMBuildLShr(cg->b, x,
					   LLVMBuildAnd(cg->b,
							LLVMBuildSub(cg->b, p,
								     cg_const(cg, (uint64_t)k), ""),
							cg_const(cg, 63), ""),
					   ""),
			     cg_const(cg, n), ""),
		"");
	idx = LLVMBuildAdd(cg->b, idx, cg_const(cg, 1), "");
	small = LLVMBuildICmp(cg->b, LLVMIntULT, x, cg_const(cg, 2 * n), "");
	idx = sel(cg, small, LLVMBuildAdd(cg->b, x, cg_const(cg, 1), ""), idx);
	return sel(cg, LLVMBuildICmp(cg->b, LLVMIntSLT, x, cg_const(cg, 0), ""), cg_const(cg, 0),
		   idx);
}

/* lang/hist.c's lhist_index(), in BPF. */
static LLVMValueRef lhist_bucket(struct cg *cg, struct ast_node *call, LLVMValueRef *args)
{
	const struct hk_type *t = call->type;
	int64_t min = t->agg_params[0], max = t->agg_params[1], step = t->agg_params[2];
	uint64_t last = lhist_nbuckets(min, max, step) - 1;
	LLVMValueRef x = args[0], i;

	i = LLVMBuildUDiv(cg->b, LLVMBuildSub(cg->b, x, cg_const(cg, (uint64_t)min), ""),
			  cg_const(cg, (uint64_t)step), "");
	i = LLVMBuildAdd(cg->b, i, cg_const(cg, 1), "");
	i = sel(cg, LLVMBuildICmp(cg->b, LLVMIntUGT, i, cg_const(cg, last), ""), cg_const(cg, last),
		i);
	i = sel(cg, LLVMBuildICmp(cg->b, LLVMIntSGT, x, cg_const(cg, (uint64_t)max), ""),
		cg_const(cg, last), i);
	return sel(cg, LLVMBuildICmp(cg->b, LLVMIntSLT, x, cg_const(cg, (uint64_t)min), ""),
		   cg_const(cg, 0), i);
}

const struct agg_ops std_agg_hist = {
	.name = "hist",
	.type_name = "hist_t",
	.bucketed = true,
	.value_size = cnt_size,
	.nbuckets = hist_nb,
	.reduced_size = hist_reduced,
	.reduce = bucket_reduce,
	.sort_key = bucket_total,
	.multiline = true,
	.print = hist_print,
	.json_type = "hist",
	.print_json = hist_print_json,
	.lower_update = count_update,
	.lower_bucket = hist_bucket,
};

const struct agg_ops std_agg_lhist = {
	.name = "lhist",
	.type_name = "lhist_t",
	.bucketed = true,
	.value_size = cnt_size,
	.nbuckets = lhist_nb,
	.reduced_size = hist_reduced,
	.reduce = bucket_reduce,
	.sort_key = bucket_total,
	.multiline = true,
	.print = lhist_print,
	.json_type = "hist",
	.print_json = lhist_print_json,
	.lower_update = count_update,
	.lower_bucket = lhist_bucket,
};

static int hist_check(struct sema *s, struct ast_node *n)
{
	int64_t bits = 0;
	struct hk_type *t;

	if (std_want_int(s, n, 0) < 0)
		return -1;
	if (n->body->next) {
		if (sema_const_int(s, n->body->next, &bits) < 0)
			return -1;
		if (bits < 0 || bits > HIST_MAX_BITS) {
			sema_error(s, n->body->next->loc, "hist() bits must be from 0 to %d",
				   HIST_MAX_BITS);
			return -1;
		}
	}
	t = ty_agg(s->arena, &std_agg_hist, 8);
	t->agg_arg = (uint32_t)bits;
	n->type = t;
	return 0;
}

static int lhist_check(struct sema *s, struct ast_node *n)
{
	int64_t min, max, step;
	struct hk_type *t;

	if (std_want_int(s, n, 0) < 0)
		return -1;
	if (sema_const_int(s, sema_arg(n, 1), &min) < 0 ||
	    sema_const_int(s, sema_arg(n, 2), &max) < 0 ||
	    sema_const_int(s, sema_arg(n, 3), &step) < 0)
		return -1;
	if (step <= 0) {
		sema_error(s, sema_arg(n, 3)->loc, "lhist() step must be positive");
		return -1;
	}
	if (max <= min) {
		sema_error(s, sema_arg(n, 2)->loc, "lhist() max must be greater than min");
		return -1;
	}
	if ((max - min) / step > 1000) {
		sema_error(s, n->loc, "lhist() would have %lld buckets: at most 1000 are allowed",
			   (long long)((max - min) / step));
		return -1;
	}
	t = ty_agg(s->arena, &std_agg_lhist, 8);
	t->agg_params[0] = min;
	t->agg_params[1] = max;
	t->agg_params[2] = step;
	n->type = t;
	return 0;
}

const struct builtin_ops std_hist = {
	.name = "hist",
	.kind = BI_AGG,
	.min_args = 1,
	.max_args = 2,
	.check = hist_check,
	.agg = &std_agg_hist,
};

const struct builtin_ops std_lhist = {
	.name = "lhist",
	.kind = BI_AGG,
	.min_args = 4,
	.max_args = 4,
	.check = lhist_check,
	.agg = &std_agg_lhist,
};
