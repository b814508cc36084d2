/*
 * memcmp.c - memcmp(a, b, n): compares the first n bytes of a and b (n a
 * constant) and returns 0 when they are equal, else the difference of the
 * first differing bytes (as unsigned chars), as C's memcmp. a and b are
 * values hawk holds (strings, buffers, arrays: n must fit in them) or
 * addresses (pointers or integers: n bytes are read from the pointer's
 * address space into the stack first).
 */
#include "../stdlib.h"

#include <stdint.h>

/* Largest n for memory read through a pointer (copied to the BPF stack). */
#define MEMCMP_MAX_READ 256

static bool held(const struct hk_type *t)
{
	return t->kind == TY_STRING || t->kind == TY_BUFFER || t->kind == TY_ARRAY;
}

/* Bytes of data a held value has (a buffer's data follows its length). */
static uint32_t held_size(const struct hk_type *t)
{
	return t->kind == TY_BUFFER ? t->size - 4 : t->size;
}

static int want_operand(struct sema *s, struct ast_node *call, int i, int64_t n)
{
	struct ast_node *a = sema_arg(call, i);
	struct hk_type *t = sema_expr(s, a);

	if (t->kind == TY_NONE)
		return -1;
	if (held(t)) {
		if (n > (int64_t)held_size(t)) {
			sema_error(s, a->loc,
				   "memcmp() length %lld is larger than argument %d (%s)",
				   (long long)n, i + 1, ty_name(s->arena, t));
			return -1;
		}
		return 0;
	}
	if (ty_is_int(t) || t->kind == TY_PTR) {
		if (n > MEMCMP_MAX_READ) {
			sema_error(s, a->loc,
				   "memcmp() reads at most %d bytes through a pointer, not %lld",
				   MEMCMP_MAX_READ, (long long)n);
			return -1;
		}
		return 0;
	}
	sema_error(s, a->loc,
		   "memcmp() argument %d must be a string, a buffer, an array or a pointer, "
		   "not %s",
		   i + 1, ty_name(s->arena, t));
	return -1;
}

static int memcmp_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *len = sema_arg(n, 2);
	int64_t v;
	int rc = 0;

	n->type = &ty_s64;
	if (std_want_int(s, n, 2) < 0)
		return -1;
	if (!std_is_const(len)) {
		sema_error(s, len->loc, "memcmp() length must be a constant");
		return -1;
	}
	if (sema_const_int(s, len, &v) < 0)
		return -1;
	if (v < 0) {
		sema_error(s, len->loc, "memcmp() length must not be negative");
		return -1;
	}
	if (want_operand(s, n, 0, v) < 0)
		rc = -1;
	if (want_operand(s, n, 1, v) < 0)
		rc = -1;
	n->sema_data = (void *)(uintptr_t)v;
	return rc;
}

/* A pointer to the first byte of operand a, which has len bytes. */
static LLVMValueRef operand(struct cg *cg, struct ast_node *a, uint64_t len)
{
	const struct hk_type *t = a->type;
	LLVMValueRef v = cg_expr(cg, a), dst;

	if (held(t))
		return t->kind == TY_BUFFER ? cg_gep(cg, v, 4) : v;
	dst = cg_alloc(cg, len ? (uint32_t)len : 1);
	cg_probe_read(cg, dst, cg_const(cg, len), v, t->kind == TY_PTR ? t->as : AS_NONE, false);
	return dst;
}

static LLVMValueRef memcmp_lower(struct cg *cg, struct ast_node *n)
{
	uint64_t len = (uint64_t)(uintptr_t)n->sema_data;
	LLVMValueRef a, b;

	if (!len)
		return cg_const(cg, 0);
	a = operand(cg, n->body, len);
	b = operand(cg, n->body->next, len);
	return LLVMBuildLoad2(cg->b, cg->i64, cg_bytes_cmp(cg, a, b, (uint32_t)len, false, NULL),
			      "");
}

const struct builtin_ops std_memcmp = {
	.name = "memcmp",
	.kind = BI_FUNCTION,
	.min_args = 3,
	.max_args = 3,
	.check = memcmp_check,
	.lower = memcmp_lower,
};
