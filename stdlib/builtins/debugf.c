/*
 * debugf(fmt, args...): a printf to the kernel's trace buffer
 * (bpf_trace_vprintk), read from /sys/kernel/tracing/trace_pipe; hawk does
 * not read it back. The format is checked as printf's, then rewritten for
 * the kernel's bprintf: integer conversions get the `ll` length (every
 * argument travels as 64 bits), and a %s argument, which must be a string
 * value, is passed as a pointer to it. At most 12 arguments (the kernel's
 * limit); buffers (%r) and values printed by user space (%s of ksym,
 * strftime...) cannot be printed.
 */
#include "../stdlib.h"
#include "../../lang/format.h"

#include <linux/bpf.h>
#include <string.h>

#define DEBUGF_MAX_ARGS 12

static int debugf_check(struct sema *s, struct ast_node *n)
{
	struct fmt_spec specs[DEBUGF_MAX_ARGS];
	struct ast_node *f = n->body, *a;
	const char *err;
	size_t off, at = 0, cap;
	char *out;
	int nspec, i;

	n->type = &ty_none;
	if (std_check_format(s, n) < 0)
		return -1;
	nspec = fmt_parse(f->str, specs, DEBUGF_MAX_ARGS, &err, &off);
	if (nspec < 0 || nspec > DEBUGF_MAX_ARGS) {
		sema_error(s, n->loc, "debugf() takes at most %d arguments", DEBUGF_MAX_ARGS);
		return -1;
	}
	cap = strlen(f->str) + 8 * (size_t)nspec + 1;
	out = arena_alloc(s->arena, cap);
	for (i = 0, a = f->next; i < nspec && a; i++, a = a->next) {
		const struct fmt_spec *sp = &specs[i];
		int len;

		if (sp->conv == FMT_BUF || (sp->conv == FMT_STR && a->type->kind != TY_STRING)) {
			sema_error(s, a->loc, "debugf() cannot print %s with %%%c",
				   ty_name(s->arena, a->type), sp->conv_char);
			sema_hint(s, "the kernel formats debugf(): use printf() for this value");
			return -1;
		}
		memcpy(out + at, f->str + (i ? specs[i - 1].end : 0),
		       sp->start - (i ? specs[i - 1].end : 0));
		at += sp->start - (i ? specs[i - 1].end : 0);
		len = snprintf(out + at, cap - at, "%%%s", sp->flags);
		at += (size_t)len;
		if (sp->width >= 0)
			at += (size_t)snprintf(out + at, cap - at, "%d", sp->width);
		if (sp->precision >= 0)
			at += (size_t)snprintf(out + at, cap - at, ".%d", sp->precision);
		if (sp->conv == FMT_INT || sp->conv == FMT_UINT)
			at += (size_t)snprintf(out + at, cap - at, "ll");
		out[at++] = sp->conv_char;
	}
	off = nspec ? specs[nspec - 1].end : 0;
	memcpy(out + at, f->str + off, strlen(f->str) - off + 1);
	n->sema_data = out;
	return 0;
}

static LLVMValueRef debugf_lower(struct cg *cg, struct ast_node *n)
{
	const char *fmt = n->sema_data;
	uint32_t len = (uint32_t)strlen(fmt) + 1, alloc = (len + 7) & ~7u, i, nargs = 0;
	LLVMValueRef buf = cg_alloc(cg, alloc), data = NULL, args[4];
	struct ast_node *a;

	for (i = 0; i < alloc; i += 8) {
		uint64_t w = 0;

		if (i < len)
			memcpy(&w, fmt + i, len - i < 8 ? len - i : 8);
		LLVMSetAlignment(LLVMBuildStore(cg->b, cg_const(cg, w), cg_gep(cg, buf, i)), 8);
	}
	for (a = n->body->next; a; a = a->next)
		nargs++;
	if (nargs)
		data = cg_alloc(cg, 8 * nargs);
	for (i = 0, a = n->body->next; a; a = a->next, i++) {
		LLVMValueRef v = cg_expr(cg, a);

		if (a->type->kind == TY_STRING)
			v = LLVMBuildPtrToInt(cg->b, v, cg->i64, "");
		else
			v = cg_to_i64(cg, v, a->type);
		LLVMBuildStore(cg->b, v, cg_gep(cg, data, 8 * i));
	}
	args[0] = buf;
	args[1] = cg_const(cg, len);
	args[2] = data ? data : LLVMConstNull(cg->ptr);
	args[3] = cg_const(cg, 8 * (uint64_t)nargs);
	cg_helper(cg, BPF_FUNC_trace_vprintk, cg->i64, args, 4);
	return NULL;
}

const struct builtin_ops std_debugf = {
	.name = "debugf",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = DEBUGF_MAX_ARGS + 1,
	.check = debugf_check,
	.lower = debugf_lower,
};
