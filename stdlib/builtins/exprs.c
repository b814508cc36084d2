/*
 * exprs.c - builtins that are other expressions under a name, and
 * compile-time questions about types:
 *
 *   pcomm, pcomm(task)           task->real_parent->comm (curtask by default)
 *   leader_tid, leader_tid(task) task->group_leader->pid
 *   leader_comm, leader_comm(t)  task->group_leader->comm
 *   kptr(p), uptr(p)             p, marked as pointing into kernel/user memory
 *   is_str, is_integer, is_unsigned_integer, is_ptr, is_array, is_literal
 *                                 true/false from the argument's type, known
 *                                 when compiling (the argument is not run)
 *   is_err(p)                     whether p is an error pointer (-4095..-1)
 *   fail(fmt, ...)                a compile-time error with that message
 *
 * An alias builds its expression (AST nodes over curtask) when it is checked,
 * keeps it in n->sema_data and lowers to it, so the field reads are the same
 * code as the written-out form.
 */
#include "../stdlib.h"

#include <stdio.h>
#include <string.h>

/* ---- task aliases ----------------------------------------------------------------- */

static struct ast_node *node(struct sema *s, enum ast_kind kind, struct loc loc,
			     struct ast_node *lhs, const char *name)
{
	struct ast_node *n = ARENA_NEW(s->arena, struct ast_node);

	n->kind = kind;
	n->loc = loc;
	n->lhs = lhs;
	n->name = name;
	return n;
}

/* task->link->field, task being the call's argument or curtask. */
static int task_alias(struct sema *s, struct ast_node *n, const char *link, const char *field)
{
	struct ast_node *task = n->kind == AST_CALL ? n->body : NULL, *e;
	struct hk_type *t;

	if (!task)
		task = node(s, AST_IDENT, n->loc, NULL, "curtask");
	e = node(s, AST_ARROW, n->loc, node(s, AST_ARROW, n->loc, task, link), field);
	t = sema_expr(s, e);
	if (!t || t->kind == TY_NONE)
		return -1;
	n->sema_data = e;
	n->type = t;
	return 0;
}

static int pcomm_check(struct sema *s, struct ast_node *n)
{
	return task_alias(s, n, "real_parent", "comm");
}

static int leader_tid_check(struct sema *s, struct ast_node *n)
{
	return task_alias(s, n, "group_leader", "pid");
}

static int leader_comm_check(struct sema *s, struct ast_node *n)
{
	return task_alias(s, n, "group_leader", "comm");
}

static LLVMValueRef alias_lower(struct cg *cg, struct ast_node *n)
{
	return cg_expr(cg, n->sema_data);
}

const struct builtin_ops std_pcomm = {
	.name = "pcomm",
	.kind = BI_VARIABLE,
	.max_args = 1,
	.check = pcomm_check,
	.lower = alias_lower,
};

const struct builtin_ops std_leader_tid = {
	.name = "leader_tid",
	.kind = BI_VARIABLE,
	.max_args = 1,
	.check = leader_tid_check,
	.lower = alias_lower,
};

const struct builtin_ops std_leader_comm = {
	.name = "leader_comm",
	.kind = BI_VARIABLE,
	.max_args = 1,
	.check = leader_comm_check,
	.lower = alias_lower,
};

/* ---- kptr, uptr ------------------------------------------------------------------ */

static int addrspace_check(struct sema *s, struct ast_node *n, enum ty_addrspace as)
{
	struct hk_type *t = sema_expr(s, n->body);

	if (t->kind == TY_NONE)
		return -1;
	if (t->kind == TY_PTR) {
		n->type = ty_ptr(s->arena, t->elem, as);
		return 0;
	}
	if (t->kind != TY_INT) {
		sema_error(s, n->body->loc, "%s() takes a pointer or an integer, not %s", n->name,
			   ty_name(s->arena, t));
		return -1;
	}
	n->type = t; /* an address held in an integer: nothing to mark */
	return 0;
}

static int kptr_check(struct sema *s, struct ast_node *n)
{
	return addrspace_check(s, n, AS_KERNEL);
}

static int uptr_check(struct sema *s, struct ast_node *n)
{
	return addrspace_check(s, n, AS_USER);
}

static LLVMValueRef first_arg_lower(struct cg *cg, struct ast_node *n)
{
	return cg_expr(cg, n->body);
}

const struct builtin_ops std_kptr = {
	.name = "kptr",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = kptr_check,
	.lower = first_arg_lower,
};

const struct builtin_ops std_uptr = {
	.name = "uptr",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = uptr_check,
	.lower = first_arg_lower,
};

/* ---- compile-time type tests ------------------------------------------------------ */

enum type_test { IS_STR, IS_INTEGER, IS_UNSIGNED, IS_PTR, IS_ARRAY, IS_LITERAL };

static int type_test(struct sema *s, struct ast_node *n, enum type_test what)
{
	const struct ast_node *a = n->body;
	struct hk_type *t = sema_expr(s, n->body);
	bool v = false;

	if (t->kind == TY_NONE && what != IS_LITERAL)
		return -1;
	switch (what) {
	case IS_STR:
		v = t->kind == TY_STRING;
		break;
	case IS_INTEGER:
		v = t->kind == TY_INT;
		break;
	case IS_UNSIGNED:
		v = t->kind == TY_INT && !t->is_signed;
		break;
	case IS_PTR:
		v = t->kind == TY_PTR;
		break;
	case IS_ARRAY:
		v = t->kind == TY_ARRAY;
		break;
	case IS_LITERAL:
		v = a->kind == AST_INT || a->kind == AST_STR || a->kind == AST_BOOL ||
		    (a->kind == AST_UNOP && a->op == '-' && a->lhs->kind == AST_INT);
		break;
	}
	n->type = &ty_bool;
	n->sema_data = (void *)(uintptr_t)v;
	return 0;
}

static int is_str_check(struct sema *s, struct ast_node *n)
{
	return type_test(s, n, IS_STR);
}

static int is_integer_check(struct sema *s, struct ast_node *n)
{
	return type_test(s, n, IS_INTEGER);
}

static int is_unsigned_check(struct sema *s, struct ast_node *n)
{
	return type_test(s, n, IS_UNSIGNED);
}

static int is_ptr_check(struct sema *s, struct ast_node *n)
{
	return type_test(s, n, IS_PTR);
}

static int is_array_check(struct sema *s, struct ast_node *n)
{
	return type_test(s, n, IS_ARRAY);
}

static int is_literal_check(struct sema *s, struct ast_node *n)
{
	return type_test(s, n, IS_LITERAL);
}

/* The answer only: the argument is not evaluated. */
static LLVMValueRef type_test_lower(struct cg *cg, struct ast_node *n)
{
	return cg_const(cg, (uint64_t)(uintptr_t)n->sema_data);
}

#define TYPE_TEST(fn, check_fn)               \
	const struct builtin_ops std_##fn = { \
		.name = #fn,                  \
		.kind = BI_FUNCTION,          \
		.min_args = 1,                \
		.max_args = 1,                \
		.check = check_fn,            \
		.lower = type_test_lower,     \
		.constant = true,             \
	}

TYPE_TEST(is_str, is_str_check);
TYPE_TEST(is_integer, is_integer_check);
TYPE_TEST(is_unsigned_integer, is_unsigned_check);
TYPE_TEST(is_ptr, is_ptr_check);
TYPE_TEST(is_array, is_array_check);
TYPE_TEST(is_literal, is_literal_check);

/* is_err(p): the kernel's IS_ERR(), p in the last 4095 values of the address space. */
static int is_err_check(struct sema *s, struct ast_node *n)
{
	struct hk_type *t = sema_expr(s, n->body);

	if (t->kind == TY_NONE)
		return -1;
	if (t->kind != TY_PTR && t->kind != TY_INT) {
		sema_error(s, n->body->loc, "is_err() takes a pointer or an integer, not %s",
			   ty_name(s->arena, t));
		return -1;
	}
	n->type = &ty_bool;
	return 0;
}

static LLVMValueRef is_err_lower(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef v = cg_to_i64(cg, cg_expr(cg, n->body), n->body->type);
	LLVMValueRef r = LLVMBuildICmp(cg->b, LLVMIntUGE, v, cg_const(cg, (uint64_t)-4095), "");

	return LLVMBuildZExt(cg->b, r, cg->i64, "");
}

const struct builtin_ops std_is_err = {
	.name = "is_err",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = is_err_check,
	.lower = is_err_lower,
};

/* ---- fail ------------------------------------------------------------------------- */

/*
 * fail("fmt", args...): stops the compilation with the formatted message.
 * Only reached code fails: an `if` whose condition is known when compiling
 * (`if (is_str($x)) { ... } else { fail("...") }`) checks only its taken
 * branch. Arguments must be literals: %d/%i/%u/%x/%s conversions and %%.
 */
static int fail_check(struct sema *s, struct ast_node *n)
{
	const struct ast_node *fmt = n->body, *a = fmt ? fmt->next : NULL;
	char msg[1024];
	size_t len = 0;
	const char *p;

	if (!fmt || fmt->kind != AST_STR) {
		sema_error(s, n->loc, "fail() needs a string literal format");
		return -1;
	}
	for (p = fmt->str; *p && len + 1 < sizeof(msg); p++) {
		char conv, piece[64];
		int64_t v;

		if (*p != '%') {
			msg[len++] = *p;
			continue;
		}
		conv = *++p;
		if (conv == '%') {
			msg[len++] = '%';
			continue;
		}
		if (!conv || !strchr("diuxs", conv) || !a) {
			sema_error(s, n->loc,
				   "fail(): bad format: use %%d, %%u, %%x, %%s or %%%% "
				   "with one literal argument each");
			return -1;
		}
		if (conv == 's' && a->kind == AST_STR)
			snprintf(piece, sizeof(piece), "%s", a->str);
		else if (conv != 's' && std_is_const(a) &&
			 sema_const_int(s, (struct ast_node *)a, &v) == 0)
			snprintf(piece, sizeof(piece),
				 conv == 'x' ? "%llx" : (conv == 'u' ? "%llu" : "%lld"),
				 (long long)v);
		else {
			sema_error(s, a->loc, "fail() arguments must be literals");
			return -1;
		}
		len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s", piece);
		if (len >= sizeof(msg))
			len = sizeof(msg) - 1;
		a = a->next;
	}
	msg[len] = '\0';
	sema_error(s, n->loc, "%s", msg);
	return -1;
}

static LLVMValueRef fail_lower(struct cg *cg, struct ast_node *n)
{
	return NULL; /* never reached: fail() always stops the compilation */
}

const struct builtin_ops std_fail = {
	.name = "fail",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = -1,
	.check = fail_check,
	.lower = fail_lower,
};
