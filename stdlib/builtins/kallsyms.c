/*
 * kallsyms.c - ksym(addr) and kaddr("name"), kernel symbols by address and
 * by name. ksym() is a TY_KSYM value: the address travels as is and user
 * space names it when printing (runtime/syms.c reads /proc/kallsyms the
 * first time one is printed). kaddr() is looked up while compiling and
 * becomes a constant.
 */
#include "../stdlib.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "../../runtime/syms.h"

static int ksym_check(struct sema *s, struct ast_node *n)
{
	struct hk_type *t = sema_expr(s, n->body);

	n->type = &ty_none;
	if (t->kind == TY_NONE)
		return -1;
	if (!ty_is_int(t) && t->kind != TY_PTR && t->kind != TY_KSYM) {
		sema_error(s, n->body->loc, "ksym() needs an address, not %s",
			   ty_name(s->arena, t));
		return -1;
	}
	n->type = &ty_ksym;
	return 0;
}

static LLVMValueRef ksym_lower(struct cg *cg, struct ast_node *n)
{
	return cg_to_i64(cg, cg_expr(cg, n->body), n->body->type);
}

const struct builtin_ops std_ksym = {
	.name = "ksym",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = ksym_check,
	.lower = ksym_lower,
};

/* The address is kept in n->sema_data (never 0 once found), so the second
 * sema pass does not read kallsyms again. */
static int kaddr_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *a = n->body;
	uint64_t addr = 0;
	int err;

	/* the value is looked up now and can change (cgroups come and go, KASLR) */
	s->res->no_cache = true;
	n->type = &ty_none;
	if (a->kind != AST_STR) {
		sema_error(s, a->loc, "kaddr() needs a string literal: the symbol's name");
		return -1;
	}
	if (!n->sema_data) {
		err = syms_kaddr(a->str, &addr);
		if (err == -EPERM) {
			sema_error(s, a->loc,
				   "cannot resolve kernel symbol '%s': %s hides addresses", a->str,
				   "/proc/kallsyms");
			sema_hint(s, "run hawk as root, or lower kernel.kptr_restrict");
			return -1;
		}
		if (err) {
			sema_error(s, a->loc, "cannot resolve kernel symbol '%s': %s", a->str,
				   err == -ENOENT ? "no such symbol in /proc/kallsyms"
						  : strerror(-err));
			return -1;
		}
		n->sema_data = (void *)(uintptr_t)addr;
	}
	n->type = &ty_u64;
	return 0;
}

static LLVMValueRef kaddr_lower(struct cg *cg, struct ast_node *n)
{
	return cg_const(cg, (uint64_t)(uintptr_t)n->sema_data);
}

const struct builtin_ops std_kaddr = {
	.name = "kaddr",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = kaddr_check,
	.lower = kaddr_lower,
};
