/*
 * inet.c - network addresses: ntop([af,] addr) and macaddr(p) are values
 * printed as text in user space; pton("addr") is evaluated while compiling.
 *
 * ntop() value (TY_INET, 24 bytes): int64 address family, then the address
 * bytes. An integer or a 4-byte array is IPv4 (the integer's bytes in
 * memory order, as the kernel keeps addresses), a 16-byte array IPv6; an
 * explicit family (AF_INET = 2, AF_INET6 = 10) is stored as given.
 * macaddr() value (TY_MACADDR): the 6 bytes, read through a pointer or
 * copied from a 6-byte array. pton() is a uint8[4] or uint8[16] array.
 */
#include "../stdlib.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

static struct hk_type ty_inet = {.kind = TY_INET, .size = 24, .align = 8};
static struct hk_type ty_macaddr = {.kind = TY_MACADDR, .size = 6, .align = 1};

/* An array of one-byte elements: its length, else 0. */
static uint32_t byte_array_len(const struct hk_type *t)
{
	return t->kind == TY_ARRAY && t->elem && t->elem->size == 1 ? t->count : 0;
}

static int ntop_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *af = n->body->next ? n->body : NULL;
	struct ast_node *addr = af ? af->next : n->body;
	struct hk_type *t;
	uint32_t len;

	n->type = &ty_none;
	if (af && std_want_int(s, n, 0) < 0)
		return -1;
	t = sema_expr(s, addr);
	if (t->kind == TY_NONE)
		return -1;
	len = byte_array_len(t);
	if (!ty_is_int(t) && len != 4 && len != 16) {
		sema_error(s, addr->loc,
			   "ntop() needs an integer or an array of 4 or 16 bytes, not %s",
			   ty_name(s->arena, t));
		return -1;
	}
	n->type = &ty_inet;
	return 0;
}

static LLVMValueRef ntop_lower(struct cg *cg, struct ast_node *n)
{
	struct ast_node *af = n->body->next ? n->body : NULL;
	struct ast_node *addr = af ? af->next : n->body;
	uint32_t len = byte_array_len(addr->type);
	LLVMValueRef buf = cg_alloc(cg, 24), family, v;

	cg_zero(cg, buf, 24);
	family = af ? cg_to_i64(cg, cg_expr(cg, af), af->type)
		    : cg_const(cg, len == 16 ? AF_INET6 : AF_INET);
	LLVMBuildStore(cg->b, family, buf);
	v = cg_expr(cg, addr);
	if (len)
		cg_copy(cg, cg_gep(cg, buf, 8), v, len);
	else
		LLVMBuildStore(cg->b,
			       LLVMBuildTrunc(cg->b, cg_to_i64(cg, v, addr->type), cg->i32, ""),
			       cg_gep(cg, buf, 8));
	return buf;
}

const struct builtin_ops std_ntop = {
	.name = "ntop",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 2,
	.check = ntop_check,
	.lower = ntop_lower,
};

/* The parsed bytes live in n->sema_data (16 bytes, the first 4 for IPv4). */
static int pton_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *a = n->body;
	unsigned char *bytes;
	bool v6;

	n->type = &ty_none;
	if (a->kind != AST_STR) {
		sema_error(s, a->loc, "pton() needs a string literal: an IPv4 or IPv6 address");
		return -1;
	}
	v6 = strchr(a->str, ':') != NULL;
	bytes = arena_alloc(s->arena, 16);
	memset(bytes, 0, 16);
	if (inet_pton(v6 ? AF_INET6 : AF_INET, a->str, bytes) != 1) {
		sema_error(s, a->loc, "pton(): '%s' is not a valid IPv%d address", a->str,
			   v6 ? 6 : 4);
		return -1;
	}
	n->sema_data = bytes;
	n->type = ty_array(s->arena, &ty_u8, v6 ? 16 : 4);
	return 0;
}

static LLVMValueRef pton_lower(struct cg *cg, struct ast_node *n)
{
	const unsigned char *b = n->sema_data;
	uint32_t len = n->type->count, i;
	LLVMValueRef buf = cg_alloc(cg, 16);

	for (i = 0; i < len; i++)
		LLVMBuildStore(cg->b, LLVMConstInt(cg->i8, b[i], 0), cg_gep(cg, buf, i));
	return buf;
}

const struct builtin_ops std_pton = {
	.name = "pton",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = pton_check,
	.lower = pton_lower,
};

static int macaddr_check(struct sema *s, struct ast_node *n)
{
	struct hk_type *t = sema_expr(s, n->body);

	n->type = &ty_none;
	if (t->kind == TY_NONE)
		return -1;
	if (t->kind == TY_ARRAY && t->size != 6) {
		sema_error(s, n->body->loc, "macaddr() argument must be 6 bytes in size");
		return -1;
	}
	if (t->kind != TY_ARRAY && t->kind != TY_PTR && !ty_is_int(t)) {
		sema_error(s, n->body->loc,
			   "macaddr() needs a pointer or an array of 6 bytes, not %s",
			   ty_name(s->arena, t));
		return -1;
	}
	n->type = &ty_macaddr;
	return 0;
}

static LLVMValueRef macaddr_lower(struct cg *cg, struct ast_node *n)
{
	const struct hk_type *t = n->body->type;
	LLVMValueRef v = cg_expr(cg, n->body), buf = cg_alloc(cg, 8);

	cg_zero(cg, buf, 8);
	if (t->kind == TY_ARRAY)
		cg_copy(cg, buf, v, 6);
	else
		cg_probe_read(cg, buf, cg_const(cg, 6), cg_to_i64(cg, v, t),
			      t->kind == TY_PTR ? t->as : AS_NONE, false);
	return buf;
}

const struct builtin_ops std_macaddr = {
	.name = "macaddr",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = macaddr_check,
	.lower = macaddr_lower,
};
