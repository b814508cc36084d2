/*
 * assert.c - assert(cond, "msg") and static_assert(cond, "msg").
 *
 * assert() checks cond when the probe runs: when it is false, the program
 * reports "assertion failed: msg" as errorf() does (with the call's
 * location) and stops with exit(1). The two are made of the errorf and
 * exit modules: check() builds their calls and checks them, lower() emits
 * them in the failing branch. static_assert() needs a cond known when
 * compiling and fails the compilation with "static assertion failed: msg"
 * when it is false; it emits nothing.
 */
#include "../stdlib.h"

#include <string.h>

STD_BUILTIN(errorf);
STD_BUILTIN(exit);

struct assert_parts {
	struct ast_node *report, *stop; /* errorf("assertion failed: msg"), exit(1) */
};

static int want_message(struct sema *s, struct ast_node *n)
{
	struct ast_node *m = n->body->next;

	if (m->kind != AST_STR) {
		sema_error(s, m->loc, "%s() needs a string literal message", n->name);
		return -1;
	}
	return 0;
}

static int want_condition(struct sema *s, struct ast_node *n)
{
	struct hk_type *t = sema_expr(s, n->body);

	if (t->kind == TY_NONE)
		return -1;
	if (!ty_is_int(t) && t->kind != TY_PTR) {
		sema_error(s, n->body->loc, "%s() condition must be an integer or a bool, not %s",
			   n->name, ty_name(s->arena, t));
		return -1;
	}
	return 0;
}

static int assert_check(struct sema *s, struct ast_node *n)
{
	struct assert_parts *p;
	struct ast_node *fmt, *code;
	const char *msg;
	char *text;
	size_t i, at = 0;

	n->type = &ty_none;
	if (want_condition(s, n) < 0 || want_message(s, n) < 0)
		return -1;
	msg = n->body->next->str;
	/* the message is text, not a format: double its '%' */
	text = arena_alloc(s->arena, 2 * strlen(msg) + sizeof("assertion failed: "));
	at = (size_t)sprintf(text, "assertion failed: ");
	for (i = 0; msg[i]; i++) {
		text[at++] = msg[i];
		if (msg[i] == '%')
			text[at++] = '%';
	}
	text[at] = 0;
	p = arena_alloc(s->arena, sizeof(*p));
	fmt = ast_new(s->arena, AST_STR, n->loc);
	fmt->str = text;
	fmt->slen = at;
	p->report = ast_new(s->arena, AST_CALL, n->loc);
	p->report->name = "errorf";
	p->report->body = fmt;
	p->report->sema_builtin = &std_errorf;
	code = ast_new(s->arena, AST_INT, n->loc);
	code->ival = 1;
	p->stop = ast_new(s->arena, AST_CALL, n->loc);
	p->stop->name = "exit";
	p->stop->body = code;
	p->stop->sema_builtin = &std_exit;
	if (std_errorf.check(s, p->report) < 0 || std_exit.check(s, p->stop) < 0)
		return -1;
	n->sema_data = p;
	return 0;
}

static LLVMValueRef assert_lower(struct cg *cg, struct ast_node *n)
{
	struct assert_parts *p = n->sema_data;
	LLVMValueRef c = cg_to_i64(cg, cg_expr(cg, n->body), n->body->type);
	LLVMBasicBlockRef fail = cg_block(cg, "assert_fail"), ok = cg_block(cg, "assert_ok");

	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, c, cg_const(cg, 0), ""), fail, ok);
	LLVMPositionBuilderAtEnd(cg->b, fail);
	std_errorf.lower(cg, p->report);
	std_exit.lower(cg, p->stop);
	LLVMBuildBr(cg->b, ok);
	LLVMPositionBuilderAtEnd(cg->b, ok);
	return NULL;
}

const struct builtin_ops std_assert = {
	.name = "assert",
	.kind = BI_FUNCTION,
	.min_args = 2,
	.max_args = 2,
	.check = assert_check,
	.lower = assert_lower,
};

/* The value of a condition known when compiling: constant integers,
 * comparisons and logic on them, compile-time builtins (is_str...). */
static bool const_cond(struct sema *s, struct ast_node *e, int64_t *v)
{
	int64_t l, r;

	if (e->kind == AST_CALL && e->sema_builtin && e->sema_builtin->constant) {
		*v = (int64_t)(uintptr_t)e->sema_data;
		return true;
	}
	if (e->kind == AST_UNOP && e->op == '!' && const_cond(s, e->lhs, &l)) {
		*v = !l;
		return true;
	}
	if (e->kind == AST_BINOP &&
	    ((e->op >= TOK_EQ && e->op <= TOK_LOR) || e->op == '<' || e->op == '>')) {
		if (!const_cond(s, e->lhs, &l) || !const_cond(s, e->rhs, &r))
			return false;
		switch (e->op) {
		case TOK_EQ:
			*v = l == r;
			break;
		case TOK_NE:
			*v = l != r;
			break;
		case TOK_LE:
			*v = l <= r;
			break;
		case TOK_GE:
			*v = l >= r;
			break;
		case TOK_LAND:
			*v = l && r;
			break;
		case TOK_LOR:
			*v = l || r;
			break;
		case '<':
			*v = l < r;
			break;
		default:
			*v = l > r;
			break;
		}
		return true;
	}
	return std_is_const(e) && sema_const_int(s, e, v) == 0;
}

static int static_assert_check(struct sema *s, struct ast_node *n)
{
	int64_t v;

	n->type = &ty_none;
	if (want_condition(s, n) < 0 || want_message(s, n) < 0)
		return -1;
	if (!const_cond(s, n->body, &v)) {
		sema_error(s, n->body->loc,
			   "static_assert() needs a condition known when compiling");
		return -1;
	}
	if (!v) {
		sema_error(s, n->loc, "static assertion failed: %s", n->body->next->str);
		return -1;
	}
	return 0;
}

static LLVMValueRef static_assert_lower(struct cg *cg, struct ast_node *n)
{
	(void)cg;
	(void)n;
	return NULL;
}

const struct builtin_ops std_static_assert = {
	.name = "static_assert",
	.kind = BI_FUNCTION,
	.min_args = 2,
	.max_args = 2,
	.check = static_assert_check,
	.lower = static_assert_lower,
};
