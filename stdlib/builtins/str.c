/*
 * str.c - str(ptr[, len]): reads a NUL-terminated string from kernel or
 * user memory into a scratch buffer of max_strlen bytes (or len + 1, if a
 * smaller constant): at most len characters, then the NUL. A computed len
 * is applied at run time (a negative one reads it all, as in bpftrace).
 * Strings (e.g. __data_loc fields, $1) pass through, cut to len characters.
 */
#include "../stdlib.h"

static int str_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *p = n->body, *len = p->next;
	struct hk_type *t = sema_expr(s, p);
	uint32_t size = s->res->config.max_strlen;
	int64_t v;

	n->type = &ty_none;
	if (t->kind == TY_NONE)
		return -1;
	if (len) {
		if (std_want_int(s, n, 1) < 0)
			return -1;
		if (std_is_const(len)) {
			if (sema_const_int(s, len, &v) < 0)
				return -1;
			if (v < 0) {
				sema_error(s, len->loc, "str() length must not be negative");
				return -1;
			}
			if ((uint64_t)v + 1 < size)
				size = (uint32_t)v + 1;
		}
	}
	if (t->kind == TY_STRING) {
		n->type = size < t->size ? ty_string(s->arena, size) : t;
		return 0;
	}
	if (!ty_is_int(t) && t->kind != TY_PTR) {
		sema_error(s, p->loc, "str() needs a pointer or an address, not %s",
			   ty_name(s->arena, t));
		return -1;
	}
	n->type = ty_string(s->arena, size);
	return 0;
}

static LLVMValueRef str_lower(struct cg *cg, struct ast_node *n)
{
	struct ast_node *p = n->body;
	LLVMValueRef v = cg_expr(cg, p), buf, len;
	uint32_t size = n->type->size;

	if (p->type->kind == TY_STRING) {
		if (!p->next)
			return v;
		/* cut a string held in BPF memory: read it as kernel memory */
		buf = cg_alloc(cg, size);
		cg_zero(cg, buf, size);
		if (std_is_const(p->next)) {
			cg_copy(cg, buf, v, size - 1);
			return buf;
		}
		len = LLVMBuildAdd(cg->b, cg_expr(cg, p->next), cg_const(cg, 1), "");
		len = LLVMBuildSelect(cg->b,
				      LLVMBuildICmp(cg->b, LLVMIntUGT, len, cg_const(cg, size), ""),
				      cg_const(cg, size), len, "");
		cg_probe_read(cg, buf, len, v, AS_KERNEL, true);
		return buf;
	}
	buf = cg_scratch(cg, size);
	cg_zero(cg, buf, size);
	len = cg_const(cg, size);
	if (p->next && !std_is_const(p->next)) {
		/* A run-time length: read at most len + 1 bytes (with the NUL). */
		LLVMValueRef l = LLVMBuildAdd(cg->b, cg_expr(cg, p->next), cg_const(cg, 1), "");
		LLVMValueRef big = LLVMBuildICmp(cg->b, LLVMIntUGT, l, len, "");

		len = LLVMBuildSelect(cg->b, big, len, l, "");
	}
	cg_probe_read(cg, buf, len, v, p->type->kind == TY_PTR ? p->type->as : AS_NONE, true);
	return buf;
}

const struct builtin_ops std_str = {
	.name = "str",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 2,
	.check = str_check,
	.lower = str_lower,
};
