/*
 * kfunc.c - kfunc_exist("name"): whether the running kernel has a BPF
 * kfunc of that name, answered when compiling (a bool constant, so an `if`
 * on it keeps only its taken branch). A kfunc is a function of the kernel's
 * BTF tagged `bpf_kfunc` (a BTF decl tag, emitted for every kfunc since
 * pahole 1.26); on a BTF without such tags any function of that name
 * counts. Without kernel BTF the answer is false.
 */
#include "../stdlib.h"
#include "../btf.h"

#include <bpf/btf.h>
#include <string.h>

static bool is_kfunc(const struct btf *btf, int32_t fn)
{
	uint32_t i, n = btf__type_cnt(btf);
	bool tags = false;

	for (i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i);

		if (!btf_is_decl_tag(t) ||
		    strcmp(btf__name_by_offset(btf, t->name_off), "bpf_kfunc"))
			continue;
		if (t->type == (uint32_t)fn)
			return true;
		tags = true;
	}
	return !tags;
}

static int kfunc_exist_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *a = n->body;
	const struct btf *btf;
	int32_t id;
	bool v = false;

	n->type = &ty_none;
	if (a->kind != AST_STR) {
		sema_error(s, a->loc, "kfunc_exist() needs a string literal: the kfunc's name");
		return -1;
	}
	btf = std_btf_vmlinux();
	if (btf) {
		id = btf__find_by_name_kind(btf, a->str, BTF_KIND_FUNC);
		v = id > 0 && is_kfunc(btf, id);
	}
	n->type = &ty_bool;
	n->sema_data = (void *)(uintptr_t)v;
	return 0;
}

static LLVMValueRef kfunc_exist_lower(struct cg *cg, struct ast_node *n)
{
	return cg_const(cg, (uint64_t)(uintptr_t)n->sema_data);
}

const struct builtin_ops std_kfunc_exist = {
	.name = "kfunc_exist",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = kfunc_exist_check,
	.lower = kfunc_exist_lower,
	.constant = true,
};
