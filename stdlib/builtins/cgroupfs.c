/*
 * cgroupfs.c - cgroupid("path") and cgroup_path(id[, "filter"]).
 *
 * cgroupid() is evaluated while compiling: the cgroup v2 id of a cgroup
 * directory, the number bpf_get_current_cgroup_id() (the `cgroup` builtin)
 * reports. cgroup_path() is a TY_CGROUP_PATH value: the id travels as a u64
 * and user space finds its path in every mounted hierarchy when printing
 * (runtime/syms.c), "unified:/user.slice/..."; the optional filter, a
 * wildcard on hierarchy names, is the type's name.
 */
#include "../stdlib.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "../../runtime/syms.h"

/* The id is kept in n->sema_data + 1 (0: not looked up yet). */
static int cgroupid_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *a = n->body;
	uint64_t id = 0;
	int err;

	/* the value is looked up now and can change (cgroups come and go, KASLR) */
	s->res->no_cache = true;
	n->type = &ty_none;
	if (a->kind != AST_STR) {
		sema_error(s, a->loc, "cgroupid() needs a string literal: a cgroup directory");
		return -1;
	}
	if (!n->sema_data) {
		err = syms_cgroupid(a->str, &id);
		if (err == -EMEDIUMTYPE) {
			sema_error(s, a->loc, "cgroupid(): '%s' is not in a cgroup file system",
				   a->str);
			return -1;
		}
		if (err) {
			sema_error(s, a->loc, "cgroupid(): cannot get the cgroup id of '%s': %s",
				   a->str, strerror(-err));
			return -1;
		}
		n->sema_data = (void *)(uintptr_t)(id + 1);
	}
	n->type = &ty_u64;
	return 0;
}

static LLVMValueRef cgroupid_lower(struct cg *cg, struct ast_node *n)
{
	return cg_const(cg, (uint64_t)(uintptr_t)n->sema_data - 1);
}

const struct builtin_ops std_cgroupid = {
	.name = "cgroupid",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = cgroupid_check,
	.lower = cgroupid_lower,
};

static int cgroup_path_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *filter = n->body->next;
	struct hk_type *t;

	n->type = &ty_none;
	if (std_want_int(s, n, 0) < 0)
		return -1;
	if (filter && filter->kind != AST_STR) {
		sema_error(
			s, filter->loc,
			"cgroup_path() needs a string literal as its filter, such as \"unified\"");
		return -1;
	}
	t = ARENA_NEW(s->arena, struct hk_type);
	t->kind = TY_CGROUP_PATH;
	t->size = 8;
	t->align = 8;
	t->name = filter ? filter->str : NULL;
	n->type = t;
	return 0;
}

static LLVMValueRef cgroup_path_lower(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef buf = cg_alloc(cg, 8);

	LLVMBuildStore(cg->b, cg_to_i64(cg, cg_expr(cg, n->body), n->body->type), buf);
	return buf;
}

const struct builtin_ops std_cgroup_path = {
	.name = "cgroup_path",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 2,
	.check = cgroup_path_check,
	.lower = cgroup_path_lower,
};
