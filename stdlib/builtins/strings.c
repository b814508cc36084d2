/*
 * strings.c - string functions computed in BPF: strncmp(a, b, n) (0 when the
 * first n bytes are equal, else 1), strcontains(haystack, needle) (bool),
 * strstr(haystack, needle) (index of the first match, -1 if none) and
 * strlen(s) (uint64).
 *
 * Strings are buffers of a known capacity (their type's size) holding a
 * NUL-terminated text; every loop here is bounded by a capacity, so the
 * verifier can follow it. The verifier walks each iteration of such a loop,
 * so a search does not nest two of them: a short string literal as the
 * needle is compared unrolled at each start position (the common
 * `strcontains(comm, "bash")`); any other needle is compared by a static
 * callback that bpf_loop runs once per start position, which the verifier
 * checks once.
 */
#include "../stdlib.h"

#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>

/* ---- checks ------------------------------------------------------------------ */

static int want_string(struct sema *s, struct ast_node *call, int i)
{
	struct ast_node *a = sema_arg(call, i);
	struct hk_type *t = sema_expr(s, a);

	if (t->kind == TY_NONE)
		return -1;
	if (t->kind != TY_STRING) {
		sema_error(s, a->loc, "%s() argument %d must be a string, not %s", call->name,
			   i + 1, ty_name(s->arena, t));
		return -1;
	}
	return 0;
}

static int two_strings(struct sema *s, struct ast_node *n)
{
	int rc = want_string(s, n, 0);

	if (want_string(s, n, 1) < 0)
		rc = -1;
	return rc;
}

/* ---- lowering helpers --------------------------------------------------------------- */

/* The byte at base[idx] (idx an i64), zero-extended to i64. */
static LLVMValueRef byte_at(struct cg *cg, LLVMValueRef base, LLVMValueRef idx)
{
	LLVMValueRef g = LLVMBuildGEP2(cg->b, cg->i8, base, &idx, 1, "");

	return LLVMBuildZExt(cg->b, LLVMBuildLoad2(cg->b, cg->i8, g, ""), cg->i64, "");
}

static LLVMValueRef new_slot(struct cg *cg, uint64_t init)
{
	LLVMValueRef p = cg_alloc(cg, 8);

	LLVMBuildStore(cg->b, cg_const(cg, init), p);
	return p;
}

static LLVMValueRef load64(struct cg *cg, LLVMValueRef slot)
{
	return LLVMBuildLoad2(cg->b, cg->i64, slot, "");
}

static LLVMValueRef ult(struct cg *cg, LLVMValueRef a, uint64_t b)
{
	return LLVMBuildICmp(cg->b, LLVMIntULT, a, cg_const(cg, b), "");
}

static LLVMValueRef is_zero(struct cg *cg, LLVMValueRef a)
{
	return LLVMBuildICmp(cg->b, LLVMIntEQ, a, cg_const(cg, 0), "");
}

/* ---- strncmp ---------------------------------------------------------------------- */

static int strncmp_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *len = sema_arg(n, 2);
	int64_t v;
	int rc = two_strings(s, n);

	n->type = &ty_s64;
	if (std_want_int(s, n, 2) < 0 || sema_const_int(s, len, &v) < 0)
		return -1;
	if (v < 0) {
		sema_error(s, len->loc, "strncmp() length must not be negative");
		return -1;
	}
	n->sema_data = (void *)(uintptr_t)v;
	return rc;
}

static LLVMValueRef strncmp_lower(struct cg *cg, struct ast_node *n)
{
	struct ast_node *x = n->body, *y = x->next;
	uint64_t len = (uint64_t)(uintptr_t)n->sema_data;
	uint32_t asz = x->type->size, bsz = y->type->size;
	uint64_t lim = len < asz ? len : asz;
	LLVMValueRef a = cg_expr(cg, x), b = cg_expr(cg, y), res, idx, i, ca, cb;
	LLVMBasicBlockRef head, body, diff, same, next, tail, done;

	if (lim > bsz)
		lim = bsz;
	res = new_slot(cg, 0);
	idx = new_slot(cg, 0);
	head = cg_block(cg, "sncmp_head");
	body = cg_block(cg, "sncmp_body");
	diff = cg_block(cg, "sncmp_diff");
	same = cg_block(cg, "sncmp_same");
	next = cg_block(cg, "sncmp_next");
	tail = cg_block(cg, "sncmp_tail");
	done = cg_block(cg, "sncmp_done");
	LLVMBuildBr(cg->b, head);

	LLVMPositionBuilderAtEnd(cg->b, head);
	i = load64(cg, idx);
	LLVMBuildCondBr(cg->b, ult(cg, i, lim), body, tail);

	LLVMPositionBuilderAtEnd(cg->b, body);
	ca = byte_at(cg, a, i);
	cb = byte_at(cg, b, i);
	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntNE, ca, cb, ""), diff, same);

	LLVMPositionBuilderAtEnd(cg->b, diff);
	LLVMBuildStore(cg->b, cg_const(cg, 1), res);
	LLVMBuildBr(cg->b, done);

	LLVMPositionBuilderAtEnd(cg->b, same);
	LLVMBuildCondBr(cg->b, is_zero(cg, ca), done, next);

	LLVMPositionBuilderAtEnd(cg->b, next);
	LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, i, cg_const(cg, 1), ""), idx);
	LLVMBuildBr(cg->b, head);

	/* Equal up to lim: when one capacity ended before n bytes, the other
	 * string must end there too. */
	LLVMPositionBuilderAtEnd(cg->b, tail);
	if (lim < len && asz != bsz) {
		LLVMValueRef longer = asz > bsz ? a : b;
		LLVMValueRef c = byte_at(cg, longer, cg_const(cg, lim));

		LLVMBuildStore(
			cg->b,
			LLVMBuildZExt(cg->b,
				      LLVMBuildICmp(cg->b, LLVMIntNE, c, cg_const(cg, 0), ""),
				      cg->i64, ""),
			res);
	}
	LLVMBuildBr(cg->b, done);

	LLVMPositionBuilderAtEnd(cg->b, done);
	return load64(cg, res);
}

const struct builtin_ops std_strncmp = {
	.name = "strncmp",
	.kind = BI_FUNCTION,
	.min_args = 3,
	.max_args = 3,
	.check = strncmp_check,
	.lower = strncmp_lower,
};

/* ---- strstr, strcontains ----------------------------------------------------------- */

/* Index of a literal needle `lit` (len > 0 bytes, no NUL) in h (hsz bytes):
 * one loop over the start positions, the needle compared unrolled. */
static LLVMValueRef find_literal(struct cg *cg, LLVMValueRef h, uint32_t hsz, const char *lit,
				 uint32_t len, LLVMValueRef res)
{
	LLVMValueRef idx, i, c;
	LLVMBasicBlockRef head, body, next, found, done;
	uint32_t j;

	if (len > hsz)
		return load64(cg, res); /* cannot fit: -1 */
	idx = new_slot(cg, 0);
	head = cg_block(cg, "sstr_head");
	body = cg_block(cg, "sstr_body");
	next = cg_block(cg, "sstr_next");
	found = cg_block(cg, "sstr_found");
	done = cg_block(cg, "sstr_done");
	LLVMBuildBr(cg->b, head);

	LLVMPositionBuilderAtEnd(cg->b, head);
	i = load64(cg, idx);
	LLVMBuildCondBr(cg->b, ult(cg, i, (uint64_t)hsz - len + 1), body, done);

	LLVMPositionBuilderAtEnd(cg->b, body);
	for (j = 0; j < len; j++) {
		LLVMBasicBlockRef more = cg_block(cg, "sstr_more");
		LLVMValueRef at = LLVMBuildAdd(cg->b, i, cg_const(cg, j), "");

		c = byte_at(cg, h, at);
		if (j == 0) {
			/* the haystack ended: no match at all */
			LLVMBasicBlockRef cmp = cg_block(cg, "sstr_cmp");

			LLVMBuildCondBr(cg->b, is_zero(cg, c), done, cmp);
			LLVMPositionBuilderAtEnd(cg->b, cmp);
		}
		LLVMBuildCondBr(
			cg->b,
			LLVMBuildICmp(cg->b, LLVMIntEQ, c, cg_const(cg, (unsigned char)lit[j]), ""),
			more, next);
		LLVMPositionBuilderAtEnd(cg->b, more);
	}
	LLVMBuildBr(cg->b, found);

	LLVMPositionBuilderAtEnd(cg->b, found);
	LLVMBuildStore(cg->b, i, res);
	LLVMBuildBr(cg->b, done);

	LLVMPositionBuilderAtEnd(cg->b, next);
	LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, i, cg_const(cg, 1), ""), idx);
	LLVMBuildBr(cg->b, head);

	LLVMPositionBuilderAtEnd(cg->b, done);
	return load64(cg, res);
}

/* A stack slot in the current function's entry block (bpf_loop takes its
 * context only on the stack; cg_alloc may hand out scratch memory). */
static LLVMValueRef entry_stack(struct cg *cg, uint32_t size)
{
	LLVMBuilderRef eb = LLVMCreateBuilderInContext(cg->o.ctx);
	LLVMValueRef first = LLVMGetFirstInstruction(cg->entry), a;

	if (first)
		LLVMPositionBuilderBefore(eb, first);
	else
		LLVMPositionBuilderAtEnd(eb, cg->entry);
	a = LLVMBuildAlloca(eb, LLVMArrayType(cg->i64, (size + 7) / 8), "sstr_ctx");
	LLVMSetAlignment(a, 8);
	LLVMDisposeBuilder(eb);
	cg->stack_used += (size + 7) & ~7u;
	return a;
}

/* A static callback `i64 name(index, ctx)` for bpf_loop, its entry block
 * current, with its own debug scope. NULL after an error. */
static LLVMValueRef new_callback(struct cg *cg, struct ast_node *call, const char *what)
{
	char name[96];
	LLVMValueRef cb;

	snprintf(name, sizeof(name), "%.60s_%s%d", cg->probe->prog_name, what, cg->nsubprogs++);
	cb = cg_object_subprog(&cg->o, name, 2);
	if (!cb) {
		cg_error(cg, call->loc, "cannot create the search loop: %s", cg->o.errmsg);
		return NULL;
	}
	LLVMPositionBuilderAtEnd(cg->b, LLVMAppendBasicBlockInContext(cg->o.ctx, cb, "entry"));
	cg_object_set_loc(&cg->o, cg->b, cb, (unsigned)call->loc.first_line,
			  (unsigned)call->loc.first_column);
	return cb;
}

/* In callback cb: when cond holds, return `ret` (the builder moves on to the
 * other branch). */
static void return_if(struct cg *cg, LLVMValueRef cb, LLVMValueRef cond, uint64_t ret)
{
	LLVMBasicBlockRef yes = LLVMAppendBasicBlockInContext(cg->o.ctx, cb, "ret"),
			  no = LLVMAppendBasicBlockInContext(cg->o.ctx, cb, "go");

	LLVMBuildCondBr(cg->b, cond, yes, no);
	LLVMPositionBuilderAtEnd(cg->b, yes);
	LLVMBuildRet(cg->b, cg_const(cg, ret));
	LLVMPositionBuilderAtEnd(cg->b, no);
}

static LLVMValueRef call_loop(struct cg *cg, uint32_t n, LLVMValueRef cb, LLVMValueRef ctx)
{
	LLVMValueRef args[4] = {cg_const(cg, n), cb, ctx, cg_const(cg, 0)};

	return cg_helper(cg, BPF_FUNC_loop, cg->i64, args, 4);
}

/* What the inner loop found at one start position. */
enum { MATCHED, MISMATCH, HAYSTACK_ENDED };

/*
 * Index of needle n (nsz bytes) in h (hsz bytes), both computed. Nested
 * bpf_loops: the outer callback runs once per start position i, the inner
 * one once per needle byte j. In each callback its index is an unknown
 * value to the verifier, so it checks each body once, not hsz * nsz times.
 *   outer ctx (caller's stack): {h, n, result}
 *   inner ctx (outer's stack):  {h, n, i, outcome}
 */
static LLVMValueRef find_string(struct cg *cg, struct ast_node *call, LLVMValueRef h, uint32_t hsz,
				LLVMValueRef n, uint32_t nsz)
{
	LLVMBasicBlockRef caller_bb = LLVMGetInsertBlock(cg->b);
	LLVMValueRef ctx = entry_stack(cg, 24), inner, outer, c, ictx, i, j, hp, np, cn, at, o;

	LLVMBuildStore(cg->b, h, ctx);
	LLVMBuildStore(cg->b, n, cg_gep(cg, ctx, 8));
	LLVMBuildStore(cg->b, cg_const(cg, (uint64_t)-1), cg_gep(cg, ctx, 16));

	/* inner: compare needle byte j with haystack byte i + j */
	inner = new_callback(cg, call, "strstr_j");
	if (!inner)
		goto out;
	j = LLVMBuildPtrToInt(cg->b, LLVMGetParam(inner, 0), cg->i64, "");
	c = LLVMGetParam(inner, 1);
	return_if(cg, inner, LLVMBuildNot(cg->b, ult(cg, j, nsz), ""), 1);
	hp = LLVMBuildLoad2(cg->b, cg->ptr, c, "");
	np = LLVMBuildLoad2(cg->b, cg->ptr, cg_gep(cg, c, 8), "");
	i = LLVMBuildLoad2(cg->b, cg->i64, cg_gep(cg, c, 16), "");
	cn = byte_at(cg, np, j);
	return_if(cg, inner, is_zero(cg, cn), 1); /* the needle ended: a match */
	at = LLVMBuildAdd(cg->b, i, j, "");
	o = cg_gep(cg, c, 24);
	{
		LLVMBasicBlockRef end = LLVMAppendBasicBlockInContext(cg->o.ctx, inner, "end"),
				  in = LLVMAppendBasicBlockInContext(cg->o.ctx, inner, "in");

		LLVMBuildCondBr(cg->b, ult(cg, at, hsz), in, end);
		LLVMPositionBuilderAtEnd(cg->b, end);
		LLVMBuildStore(cg->b, cg_const(cg, HAYSTACK_ENDED), o);
		LLVMBuildRet(cg->b, cg_const(cg, 1));
		LLVMPositionBuilderAtEnd(cg->b, in);
	}
	{
		LLVMBasicBlockRef diff = LLVMAppendBasicBlockInContext(cg->o.ctx, inner, "diff"),
				  same = LLVMAppendBasicBlockInContext(cg->o.ctx, inner, "same");

		LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, byte_at(cg, hp, at), cn, ""),
				same, diff);
		LLVMPositionBuilderAtEnd(cg->b, diff);
		LLVMBuildStore(cg->b, cg_const(cg, MISMATCH), o);
		LLVMBuildRet(cg->b, cg_const(cg, 1));
		LLVMPositionBuilderAtEnd(cg->b, same);
		LLVMBuildRet(cg->b, cg_const(cg, 0));
	}

	/* outer: try the needle at start position i */
	outer = new_callback(cg, call, "strstr_i");
	if (!outer)
		goto out;
	ictx = LLVMBuildAlloca(cg->b, LLVMArrayType(cg->i64, 4), "ictx");
	i = LLVMBuildPtrToInt(cg->b, LLVMGetParam(outer, 0), cg->i64, "");
	c = LLVMGetParam(outer, 1);
	return_if(cg, outer, LLVMBuildNot(cg->b, ult(cg, i, hsz), ""), 1);
	hp = LLVMBuildLoad2(cg->b, cg->ptr, c, "");
	LLVMBuildStore(cg->b, hp, ictx);
	LLVMBuildStore(cg->b, LLVMBuildLoad2(cg->b, cg->ptr, cg_gep(cg, c, 8), ""),
		       cg_gep(cg, ictx, 8));
	LLVMBuildStore(cg->b, i, cg_gep(cg, ictx, 16));
	LLVMBuildStore(cg->b, cg_const(cg, MATCHED), cg_gep(cg, ictx, 24));
	call_loop(cg, nsz, inner, ictx);
	o = LLVMBuildLoad2(cg->b, cg->i64, cg_gep(cg, ictx, 24), "");
	{
		LLVMBasicBlockRef hit = LLVMAppendBasicBlockInContext(cg->o.ctx, outer, "hit"),
				  miss = LLVMAppendBasicBlockInContext(cg->o.ctx, outer, "miss");

		LLVMBuildCondBr(cg->b, is_zero(cg, o), hit, miss);
		LLVMPositionBuilderAtEnd(cg->b, hit);
		LLVMBuildStore(cg->b, i, cg_gep(cg, c, 16));
		LLVMBuildRet(cg->b, cg_const(cg, 1));
		LLVMPositionBuilderAtEnd(cg->b, miss);
	}
	return_if(cg, outer, LLVMBuildICmp(cg->b, LLVMIntEQ, o, cg_const(cg, HAYSTACK_ENDED), ""),
		  1);
	/* no match at i: go on unless the haystack ends here */
	return_if(cg, outer, is_zero(cg, byte_at(cg, hp, i)), 1);
	LLVMBuildRet(cg->b, cg_const(cg, 0));

	/* back in the caller */
	LLVMPositionBuilderAtEnd(cg->b, caller_bb);
	cg_object_set_loc(&cg->o, cg->b, cg->fn, (unsigned)call->loc.first_line,
			  (unsigned)call->loc.first_column);
	call_loop(cg, hsz, outer, ctx);
	return load64(cg, cg_gep(cg, ctx, 16));
out:
	LLVMPositionBuilderAtEnd(cg->b, caller_bb);
	cg_object_set_loc(&cg->o, cg->b, cg->fn, (unsigned)call->loc.first_line,
			  (unsigned)call->loc.first_column);
	return cg_const(cg, (uint64_t)-1);
}

/* Beyond this many (haystack, literal needle byte) pairs, the literal is
 * searched for with bpf_loop too: the verifier walks every unrolled compare. */
#define MAX_UNROLLED 8192

/* strstr(h, n) as an i64: the index, or -1. */
static LLVMValueRef lower_strstr(struct cg *cg, struct ast_node *call)
{
	struct ast_node *hn = call->body, *nn = hn->next;
	LLVMValueRef h = cg_expr(cg, hn), res;

	if (nn->kind == AST_STR) {
		uint32_t len = (uint32_t)strlen(nn->str);

		if (!len)
			return cg_const(cg, 0);
		if ((uint64_t)hn->type->size * len <= MAX_UNROLLED) {
			res = new_slot(cg, (uint64_t)-1);
			return find_literal(cg, h, hn->type->size, nn->str, len, res);
		}
	}
	return find_string(cg, call, h, hn->type->size, cg_expr(cg, nn), nn->type->size);
}

static int strstr_check(struct sema *s, struct ast_node *n)
{
	n->type = &ty_s64;
	return two_strings(s, n);
}

static LLVMValueRef strstr_lower(struct cg *cg, struct ast_node *n)
{
	return lower_strstr(cg, n);
}

const struct builtin_ops std_strstr = {
	.name = "strstr",
	.kind = BI_FUNCTION,
	.min_args = 2,
	.max_args = 2,
	.check = strstr_check,
	.lower = strstr_lower,
};

static int strcontains_check(struct sema *s, struct ast_node *n)
{
	n->type = &ty_bool;
	return two_strings(s, n);
}

static LLVMValueRef strcontains_lower(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef at = lower_strstr(cg, n);

	return LLVMBuildZExt(cg->b, LLVMBuildICmp(cg->b, LLVMIntSGE, at, cg_const(cg, 0), ""),
			     cg->i64, "");
}

const struct builtin_ops std_strcontains = {
	.name = "strcontains",
	.kind = BI_FUNCTION,
	.min_args = 2,
	.max_args = 2,
	.check = strcontains_check,
	.lower = strcontains_lower,
};

/* ---- strlen ------------------------------------------------------------------------- */

static int strlen_check(struct sema *s, struct ast_node *n)
{
	n->type = &ty_u64;
	return want_string(s, n, 0);
}

static LLVMValueRef strlen_lower(struct cg *cg, struct ast_node *n)
{
	struct ast_node *a = n->body;
	uint32_t size = a->type->size;
	LLVMValueRef p, res, idx, i;
	LLVMBasicBlockRef head, body, next, found, done;

	if (a->kind == AST_STR)
		return cg_const(cg, strlen(a->str));
	p = cg_expr(cg, a);
	res = new_slot(cg, size); /* no NUL: the whole capacity */
	idx = new_slot(cg, 0);
	head = cg_block(cg, "slen_head");
	body = cg_block(cg, "slen_body");
	next = cg_block(cg, "slen_next");
	found = cg_block(cg, "slen_found");
	done = cg_block(cg, "slen_done");
	LLVMBuildBr(cg->b, head);

	LLVMPositionBuilderAtEnd(cg->b, head);
	i = load64(cg, idx);
	LLVMBuildCondBr(cg->b, ult(cg, i, size), body, done);

	LLVMPositionBuilderAtEnd(cg->b, body);
	LLVMBuildCondBr(cg->b, is_zero(cg, byte_at(cg, p, i)), found, next);

	LLVMPositionBuilderAtEnd(cg->b, found);
	LLVMBuildStore(cg->b, i, res);
	LLVMBuildBr(cg->b, done);

	LLVMPositionBuilderAtEnd(cg->b, next);
	LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, i, cg_const(cg, 1), ""), idx);
	LLVMBuildBr(cg->b, head);

	LLVMPositionBuilderAtEnd(cg->b, done);
	return load64(cg, res);
}

const struct builtin_ops std_strlen = {
	.name = "strlen",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = strlen_check,
	.lower = strlen_lower,
};
