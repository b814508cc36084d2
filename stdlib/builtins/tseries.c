/*
 * tseries.c - tseries(value, interval, num_intervals[, agg]) (bpftrace
 * 0.24+, unstable): a time series of num_intervals slots of `interval` ns.
 * The kernel value (per CPU) is num_intervals slots of
 *   { u64 epoch; int64 value; u64 aux }
 * where epoch is TAI ns / interval (as bpftrace: intervals line up with the
 * wall clock) and the slot is epoch % num_intervals. aux is 0 for an unused
 * slot, the TAI time of the update for the default "last value" mode (so
 * CPUs can be merged by recency) and the number of updates otherwise (avg
 * divides by it). agg_arg: the mode; agg_params: interval, num_intervals.
 * User space merges the CPUs slot by slot (newest epoch wins, equal epochs
 * combine) and prints the last num_intervals intervals as bpftrace's chart.
 */
#include "../stdlib.h"
#include "../../runtime/output.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum ts_mode { TS_LAST, TS_AVG, TS_MAX, TS_MIN, TS_SUM };

static const char *const mode_names[] = {"", "avg", "max", "min", "sum", NULL};

struct ts_slot {
	uint64_t epoch;
	int64_t value;
	uint64_t aux;
};

#define TS_MAX_INTERVALS 1000
#define GRAPH_WIDTH	 53
#define PADDING		 21

static uint32_t nslots(const struct hk_type *t)
{
	return (uint32_t)t->agg_params[1];
}

static uint32_t ts_size(const struct hk_type *t)
{
	return nslots(t) * (uint32_t)sizeof(struct ts_slot);
}

static int cmp_val(const struct hk_type *t, int64_t a, int64_t b)
{
	if (t->is_signed)
		return a < b ? -1 : a > b;
	return (uint64_t)a < (uint64_t)b ? -1 : (uint64_t)a > (uint64_t)b;
}

static void ts_reduce(const struct hk_type *t, void *acc, const void *cpu, uint32_t bucket)
{
	struct ts_slot *a = acc;
	const struct ts_slot *c = cpu;
	uint32_t i, n = nslots(t);

	for (i = 0; i < n; i++) {
		if (!c[i].aux)
			continue;
		if (!a[i].aux || c[i].epoch > a[i].epoch) {
			a[i] = c[i];
			continue;
		}
		if (c[i].epoch < a[i].epoch)
			continue;
		switch ((enum ts_mode)t->agg_arg) {
		case TS_LAST:
			if (c[i].aux > a[i].aux)
				a[i] = c[i];
			break;
		case TS_AVG:
		case TS_SUM:
			a[i].value += c[i].value;
			a[i].aux += c[i].aux;
			break;
		case TS_MAX:
			if (cmp_val(t, c[i].value, a[i].value) > 0)
				a[i].value = c[i].value;
			break;
		case TS_MIN:
			if (cmp_val(t, c[i].value, a[i].value) < 0)
				a[i].value = c[i].value;
			break;
		}
	}
}

static int64_t slot_value(const struct hk_type *t, const struct ts_slot *s)
{
	if ((enum ts_mode)t->agg_arg != TS_AVG || !s->aux)
		return s->value;
	if (t->is_signed)
		return s->value / (int64_t)s->aux;
	return (int64_t)((uint64_t)s->value / s->aux);
}

/* The intervals shown: bpftrace's last num_intervals epochs up to the newest
 * one, starting at the oldest epoch that has a value. present[i] says
 * whether interval first+i has one. Returns the count. */
static uint32_t ts_series(const struct hk_type *t, const struct ts_slot *s, uint64_t *first,
			  int64_t *vals, bool *present)
{
	uint32_t i, n = nslots(t), cnt;
	uint64_t last = 0, lo = UINT64_MAX, start;
	bool any = false;

	for (i = 0; i < n; i++)
		if (s[i].aux && (!any || s[i].epoch > last)) {
			last = s[i].epoch;
			any = true;
		}
	if (!any)
		return 0;
	start = last >= n - 1 ? last - (n - 1) : 0;
	for (i = 0; i < n; i++)
		if (s[i].aux && s[i].epoch >= start && s[i].epoch < lo)
			lo = s[i].epoch;
	cnt = (uint32_t)(last - lo + 1);
	for (i = 0; i < cnt; i++)
		present[i] = false;
	for (i = 0; i < n; i++)
		if (s[i].aux && s[i].epoch >= lo && s[i].epoch <= last) {
			present[s[i].epoch - lo] = true;
			vals[s[i].epoch - lo] = slot_value(t, &s[i]);
		}
	*first = lo;
	return cnt;
}

static int64_t ts_sort(const struct hk_type *t, const void *v)
{
	const struct ts_slot *s = v;
	uint64_t last = 0;
	uint32_t i;

	for (i = 0; i < nslots(t); i++)
		if (s[i].aux && s[i].epoch > last)
			last = s[i].epoch;
	return (int64_t)last;
}

/* CLOCK_TAI - CLOCK_REALTIME in ns (bpftrace resolves TAI timestamps so). */
static int64_t tai_offset(void)
{
	struct timespec tai, real;

	clock_gettime(CLOCK_TAI, &tai);
	clock_gettime(CLOCK_REALTIME, &real);
	int64_t d = ((int64_t)tai.tv_sec - (int64_t)real.tv_sec) * 1000000000 +
		    ((int64_t)tai.tv_nsec - (int64_t)real.tv_nsec);

	/* TAI - UTC is whole seconds: drop the time between the two reads */
	return (d + 500000000) / 1000000000 * 1000000000;
}

static void split_wall(uint64_t tai_ns, int64_t off, time_t *sec, int64_t *frac)
{
	int64_t wall = (int64_t)tai_ns - off;

	*sec = (time_t)(wall / 1000000000);
	*frac = wall % 1000000000;
	if (*frac < 0) {
		*frac += 1000000000;
		(*sec)--;
	}
}

static int fmt_int(char *buf, size_t len, const struct hk_type *t, int64_t v)
{
	if (t->is_signed)
		return snprintf(buf, len, "%" PRId64, v);
	return snprintf(buf, len, "%" PRIu64, (uint64_t)v);
}

/* distance(a, b) = b - a as bpftrace computes it, as a float. */
static float dist(const struct hk_type *t, int64_t a, int64_t b)
{
	if (t->is_signed)
		return (float)(b - a);
	if ((uint64_t)b >= (uint64_t)a)
		return (float)((uint64_t)b - (uint64_t)a);
	return -(float)((uint64_t)a - (uint64_t)b);
}

static void min_max_line(struct out *o, const struct hk_type *t, int indent, int64_t mn, int64_t mx)
{
	char a[32], b[32];

	fmt_int(a, sizeof(a), t, mn);
	fmt_int(b, sizeof(b), t, mx);
	fprintf(o->f, "%*s%-*s%*s\n", indent, "", PADDING, a, GRAPH_WIDTH - PADDING, b);
}

static void ts_print(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	uint32_t n = nslots(t), cnt, i;
	int64_t *vals = calloc(n, sizeof(*vals)), mn = 0, mx = 0, off = tai_offset();
	bool *present = calloc(n, sizeof(*present)), have = false;
	uint64_t first = 0, interval = (uint64_t)t->agg_params[0], step, scale = 1;
	int digits = 9, time_size, zero_offset = 0;
	char fmt[32];

	cnt = vals && present ? ts_series(t, v, &first, vals, present) : 0;
	if (!cnt) {
		fputs("<no data>", o->f);
		goto out;
	}
	/* bpftrace starts min and max at the first interval even when empty (0) */
	mn = mx = present[0] ? vals[0] : 0;
	for (i = 0; i < cnt; i++) {
		if (!present[i])
			continue;
		if (!have && !present[0])
			mn = mx = vals[i]; /* unreachable: the first interval has a value */
		have = true;
		if (cmp_val(t, vals[i], mn) < 0)
			mn = vals[i];
		if (cmp_val(t, vals[i], mx) > 0)
			mx = vals[i];
	}
	if (mn == mx) {
		if (t->is_signed ? mn > INT64_MIN : (uint64_t)mn > 0)
			mn--;
		if (t->is_signed ? mx < INT64_MAX : (uint64_t)mx < UINT64_MAX)
			mx++;
	}
	step = cnt > 1 ? interval : 0; /* bpftrace: (last - first) / (count - 1) */
	strcpy(fmt, "hh:mm:ss");
	time_size = 8;
	if (step >= 1000000000ull) {
		digits = 0;
	} else if (step >= 1000000ull) {
		digits = 3, scale = 1000000;
		strcat(fmt, ".ms");
	} else if (step >= 1000ull) {
		digits = 6, scale = 1000;
		strcat(fmt, ".\xce\xbcs"); /* μs: 3 bytes shown in 7 columns, as bpftrace */
	} else {
		strcat(fmt, ".ns");
	}
	if (digits)
		time_size += 1 + digits;

	min_max_line(o, t, time_size + 1, mn, mx);
	fprintf(o->f, "%-*s|", time_size + 1, fmt);
	for (i = 0; i < GRAPH_WIDTH - 2; i++)
		fputc('_', o->f);
	fputs("|\n", o->f);

	if (dist(t, mn, 0) > 0 && dist(t, 0, mx) > 0 && t->is_signed)
		zero_offset = (int)((float)GRAPH_WIDTH * dist(t, mn, 0) / dist(t, mn, mx));
	for (i = 0; i < cnt; i++) {
		char line[GRAPH_WIDTH + 1], tb[64];
		time_t sec;
		int64_t frac;
		struct tm tm;

		memset(line, ' ', GRAPH_WIDTH);
		line[GRAPH_WIDTH] = 0;
		line[0] = '|';
		line[GRAPH_WIDTH - 1] = '|';
		if (zero_offset > 0)
			line[zero_offset] = '.';
		split_wall((first + i) * interval, off, &sec, &frac);
		localtime_r(&sec, &tm);
		strftime(tb, sizeof(tb), "%H:%M:%S", &tm);
		if (digits)
			fprintf(o->f, "%s.%0*" PRId64 " ", tb, digits, frac / (int64_t)scale);
		else
			fprintf(o->f, "%s ", tb);
		if (present[i]) {
			int p = GRAPH_WIDTH / 2;
			char num[32];

			if (mn != mx)
				p = (int)((float)(GRAPH_WIDTH - 1) * dist(t, mn, vals[i]) /
					  dist(t, mn, mx));
			p = p < 0 ? 0 : p > GRAPH_WIDTH - 1 ? GRAPH_WIDTH - 1 : p;
			line[p] = '*';
			fmt_int(num, sizeof(num), t, vals[i]);
			fprintf(o->f, "%s %s\n", line, num);
		} else {
			fprintf(o->f, "%s -\n", line);
		}
	}
	fprintf(o->f, "%*s v", time_size, "");
	for (i = 0; i < GRAPH_WIDTH - 2; i++)
		fputc('_', o->f);
	fputs("v\n", o->f);
	min_max_line(o, t, time_size + 1, mn, mx);
out:
	free(vals);
	free(present);
}

static void ts_print_json(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	uint32_t n = nslots(t), cnt, i;
	int64_t *vals = calloc(n, sizeof(*vals)), off = tai_offset();
	bool *present = calloc(n, sizeof(*present));
	uint64_t first = 0, interval = (uint64_t)t->agg_params[0];

	cnt = vals && present ? ts_series(t, v, &first, vals, present) : 0;
	fputc('[', o->f);
	for (i = 0; i < cnt; i++) {
		char tb[64], num[32];
		time_t sec;
		int64_t frac;
		struct tm tm;

		split_wall((first + i) * interval, off, &sec, &frac);
		gmtime_r(&sec, &tm);
		strftime(tb, sizeof(tb), "%Y-%m-%d %H:%M:%S", &tm);
		if (present[i])
			fmt_int(num, sizeof(num), t, vals[i]);
		else
			strcpy(num, "null");
		fprintf(o->f, "%s{\"interval_start\": \"%s.%09" PRId64 "\", \"value\": %s}",
			i ? "," : "", tb, frac, num);
	}
	fputc(']', o->f);
	free(vals);
	free(present);
}

static LLVMValueRef sel(struct cg *cg, LLVMValueRef c, LLVMValueRef a, LLVMValueRef b)
{
	return LLVMBuildSelect(cg->b, c, a, b, "");
}

/* slot = epoch % n; fresh slot (unused or older epoch): store; else combine. */
static void ts_update(struct cg *cg, struct ast_node *call, LLVMValueRef p, LLVMValueRef *args)
{
	const struct hk_type *t = call->type;
	enum ts_mode mode = (enum ts_mode)t->agg_arg;
	uint64_t n = (uint64_t)t->agg_params[1];
	LLVMValueRef now, epoch, idx, tmp, slot, ep, vp, ap, old_e, old_v, old_a, fresh, v, nv;
	LLVMBasicBlockRef in = cg_block(cg, "ts_in"), done = cg_block(cg, "ts_done");

	now = cg_helper(cg, H_KTIME_GET_TAI_NS, cg->i64, NULL, 0);
	epoch = LLVMBuildUDiv(cg->b, now, cg_const(cg, (uint64_t)t->agg_params[0]), "");
	idx = LLVMBuildURem(cg->b, epoch, cg_const(cg, n), "");
	/* Through a volatile stack slot so LLVM keeps the bounds check the
	 * verifier needs (it cannot bound a modulo). */
	tmp = cg_stack_alloc(cg, 8);
	LLVMSetVolatile(LLVMBuildStore(cg->b, idx, tmp), 1);
	idx = LLVMBuildLoad2(cg->b, cg->i64, tmp, "");
	LLVMSetVolatile(idx, 1);
	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntULT, idx, cg_const(cg, n), ""), in,
			done);
	LLVMPositionBuilderAtEnd(cg->b, in);
	tmp = LLVMBuildMul(cg->b, idx, cg_const(cg, sizeof(struct ts_slot)), "");
	slot = LLVMBuildGEP2(cg->b, cg->i8, p, &tmp, 1, "");
	ep = slot;
	vp = cg_gep(cg, slot, 8);
	ap = cg_gep(cg, slot, 16);
	old_e = LLVMBuildLoad2(cg->b, cg->i64, ep, "");
	old_v = LLVMBuildLoad2(cg->b, cg->i64, vp, "");
	old_a = LLVMBuildLoad2(cg->b, cg->i64, ap, "");
	fresh = LLVMBuildOr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, old_a, cg_const(cg, 0), ""),
			    LLVMBuildICmp(cg->b, LLVMIntNE, old_e, epoch, ""), "");
	v = args[0];
	switch (mode) {
	case TS_AVG:
	case TS_SUM:
		nv = LLVMBuildAdd(cg->b, old_v, v, "");
		break;
	case TS_MAX:
		nv = sel(cg,
			 LLVMBuildICmp(cg->b, t->is_signed ? LLVMIntSGT : LLVMIntUGT, v, old_v, ""),
			 v, old_v);
		break;
	case TS_MIN:
		nv = sel(cg,
			 LLVMBuildICmp(cg->b, t->is_signed ? LLVMIntSLT : LLVMIntULT, v, old_v, ""),
			 v, old_v);
		break;
	default:
		nv = v;
		break;
	}
	LLVMBuildStore(cg->b, epoch, ep);
	LLVMBuildStore(cg->b, sel(cg, fresh, v, nv), vp);
	LLVMBuildStore(cg->b,
		       mode == TS_LAST ? now
				       : sel(cg, fresh, cg_const(cg, 1),
					     LLVMBuildAdd(cg->b, old_a, cg_const(cg, 1), "")),
		       ap);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
}

const struct agg_ops std_agg_tseries = {
	.name = "tseries",
	.type_name = "tseries_t",
	.value_size = ts_size,
	.reduced_size = ts_size,
	.reduce = ts_reduce,
	.sort_key = ts_sort,
	.multiline = true,
	.print = ts_print,
	.json_type = "tseries",
	.print_json = ts_print_json,
	.lower_update = ts_update,
};

/* bpftrace's unstable feature warning, once per program. */
static int warn_unstable(struct sema *s, struct ast_node *n)
{
	static const char msg[] = "Script is using an unstable feature. To prevent this warning "
				  "you must explicitly enable the unstable feature in the config "
				  "e.g. unstable_tseries=enable";
	int i;

	if (s->res->config.unstable_tseries == HK_UNSTABLE_ENABLE || s->quiet)
		return 0;
	if (s->res->config.unstable_tseries == HK_UNSTABLE_ERROR) {
		sema_error(s, n->loc,
			   "tseries() is an unstable feature and config unstable_tseries = error");
		diag_hint(s->diag, "set unstable_tseries = enable (or warn) in the config block");
		return -1;
	}
	for (i = 0; i < s->diag->n; i++)
		if (s->diag->items[i].level == DIAG_WARNING && !strcmp(s->diag->items[i].msg, msg))
			return 0;
	sema_warn(s, n->loc, "%s", msg);
	return 0;
}

static int ts_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *ia = sema_arg(n, 1), *na = sema_arg(n, 2), *ma = sema_arg(n, 3);
	int64_t interval, num;
	int mode = TS_LAST;
	struct hk_type *t;

	if (std_want_int(s, n, 0) < 0)
		return -1;
	if (sema_const_int(s, ia, &interval) < 0 || sema_const_int(s, na, &num) < 0)
		return -1;
	if (interval <= 0) {
		sema_error(s, ia->loc, "tseries() interval must be a positive duration (e.g. 1s)");
		return -1;
	}
	if (num < 1 || num > TS_MAX_INTERVALS) {
		sema_error(s, na->loc, "tseries() num_intervals must be from 1 to %d",
			   TS_MAX_INTERVALS);
		return -1;
	}
	if (ma) {
		ma->type = &ty_none;
		if (ma->kind != AST_STR) {
			sema_error(s, ma->loc,
				   "tseries() aggregation must be a string literal: "
				   "\"avg\", \"max\", \"min\" or \"sum\"");
			return -1;
		}
		for (mode = TS_AVG; mode_names[mode]; mode++)
			if (!strcmp(ma->str, mode_names[mode]))
				break;
		if (!mode_names[mode]) {
			sema_error(s, ma->loc,
				   "tseries() aggregation must be \"avg\", \"max\", \"min\" or "
				   "\"sum\", not \"%s\"",
				   ma->str);
			return -1;
		}
	}
	if (warn_unstable(s, n) < 0)
		return -1;
	t = ty_agg(s->arena, &std_agg_tseries, (uint32_t)num * sizeof(struct ts_slot));
	t->is_signed = n->body->type->kind == TY_INT && n->body->type->is_signed;
	t->agg_arg = (uint32_t)mode;
	t->agg_params[0] = interval;
	t->agg_params[1] = num;
	n->type = t;
	return 0;
}

const struct builtin_ops std_tseries = {
	.name = "tseries",
	.kind = BI_AGG,
	.min_args = 3,
	.max_args = 4,
	.check = ts_check,
	.agg = &std_agg_tseries,
};
