/*
 * buf.c - buf(p, n) and buf(array): n bytes of memory as a buffer value
 * (a u32 length, then the bytes: lang/types.h TY_BUFFER), printed with
 * %r / %rx / %rh or as a map value. The source is an address (integer or
 * pointer: read with the helper of its address space), or a value hawk
 * already holds (a string or an array: copied, never read past its
 * capacity, the rest zero). A constant n sizes the buffer; a computed n is
 * checked at run time against the largest buffer, max_strlen - 4 bytes (the
 * length field's room), as in bpftrace.
 */
#include "../stdlib.h"

static bool held_value(const struct hk_type *t)
{
	return t->kind == TY_STRING || t->kind == TY_ARRAY;
}

static int buf_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *p = n->body, *len = p->next;
	struct hk_type *t = sema_expr(s, p);
	uint32_t cap = s->res->config.max_strlen > 4 ? s->res->config.max_strlen - 4 : 1;
	uint32_t size = cap;
	int64_t v;

	n->type = &ty_none;
	n->sema_data = NULL;
	if (t->kind == TY_NONE)
		return -1;
	if (!ty_is_int(t) && t->kind != TY_PTR && !held_value(t)) {
		sema_error(s, p->loc,
			   "buf() needs an address, a pointer, a string or an array, not %s",
			   ty_name(s->arena, t));
		return -1;
	}
	if (!len) {
		if (t->kind != TY_ARRAY) {
			sema_error(s, n->loc, "buf() needs a length for a value of type %s",
				   ty_name(s->arena, t));
			sema_hint(s, "buf(p, n) reads n bytes");
			return -1;
		}
		size = t->size;
	} else {
		if (std_want_int(s, n, 1) < 0)
			return -1;
		if (std_is_const(len)) {
			if (sema_const_int(s, len, &v) < 0)
				return -1;
			if (v < 0) {
				sema_error(s, len->loc, "buf() length must not be negative");
				return -1;
			}
			size = v > (int64_t)cap ? cap + 1 : (uint32_t)v;
			n->sema_data = (void *)(uintptr_t)1; /* a constant length */
		} else if (held_value(t) && t->size < cap) {
			size = t->size;
		}
	}
	if (size > cap) {
		sema_warn(s, n->loc,
			  "buf() length is too long and will be shortened to %u bytes (see "
			  "max_strlen)",
			  cap);
		size = cap;
	}
	n->type = ty_buffer(s->arena, size);
	return 0;
}

static LLVMValueRef buf_lower(struct cg *cg, struct ast_node *n)
{
	struct ast_node *p = n->body, *len = p->next;
	const struct hk_type *t = p->type;
	uint32_t size = n->type->size - 4;
	bool const_len = !len || n->sema_data;
	LLVMValueRef src = cg_expr(cg, p), buf = cg_alloc(cg, n->type->size), data, l;

	cg_zero(cg, buf, n->type->size);
	data = cg_gep(cg, buf, 4);
	if (const_len) {
		LLVMBuildStore(cg->b, LLVMConstInt(cg->i32, size, 0), buf);
		if (held_value(t))
			cg_copy(cg, data, src, size < t->size ? size : t->size);
		else
			cg_probe_read(cg, data, cg_const(cg, size), src,
				      t->kind == TY_PTR ? t->as : AS_NONE, false);
		return buf;
	}
	/* a computed length: at most the buffer's size */
	l = cg_expr(cg, len);
	l = LLVMBuildSelect(cg->b, LLVMBuildICmp(cg->b, LLVMIntUGT, l, cg_const(cg, size), ""),
			    cg_const(cg, size), l, "");
	LLVMBuildStore(cg->b, LLVMBuildTrunc(cg->b, l, cg->i32, ""), buf);
	/* a held value is BPF memory: read it as kernel memory */
	cg_probe_read(cg, data, l, src,
		      held_value(t)	  ? AS_KERNEL
		      : t->kind == TY_PTR ? t->as
					  : AS_NONE,
		      false);
	return buf;
}

const struct builtin_ops std_buf = {
	.name = "buf",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 2,
	.check = buf_check,
	.lower = buf_lower,
};
