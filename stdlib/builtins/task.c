/*
 * task.c - builtins about the current task beyond pid/comm: ppid (the
 * real parent's tgid, read through task_struct at offsets taken from the
 * kernel's BTF at compile time), curtask (the task_struct address, a
 * struct task_struct * typed from BTF), cgroup (the cgroup v2
 * id), cpid and has_cpid (the child started with -c: the runtime writes its
 * pid at offset 8 of slot 0 of the internal "globals" array).
 */
#include "../stdlib.h"
#include "../btf.h"

#include <errno.h>
#include <linux/bpf.h>
#include <string.h>

/* ---- ppid ------------------------------------------------------------------ */

struct ppid_layout {
	uint32_t parent_off, parent_size; /* task_struct.real_parent */
	uint32_t tgid_off, tgid_size;	  /* task_struct.tgid */
};

/* The offsets, looked up once; 0 or -errno. */
static int ppid_layout(struct ppid_layout *l)
{
	static struct ppid_layout cached;
	static int rc = 1;

	if (rc > 0) {
		rc = std_btf_member_offset("task_struct", "real_parent", &cached.parent_off,
					   &cached.parent_size);
		if (rc == 0)
			rc = std_btf_member_offset("task_struct", "tgid", &cached.tgid_off,
						   &cached.tgid_size);
		if (rc == 0 && (cached.parent_size != 8 || cached.tgid_size > 8))
			rc = -EINVAL;
	}
	*l = cached;
	return rc;
}

static int ppid_check(struct sema *s, struct ast_node *n)
{
	struct ppid_layout l;

	n->type = &ty_u32;
	s->res->uses_btf = true;
	if (ppid_layout(&l) < 0) {
		sema_error(s, n->loc,
			   "ppid needs the kernel's BTF to find task_struct.real_parent and "
			   "task_struct.tgid");
		if (!std_btf_vmlinux())
			sema_hint(s, "/sys/kernel/btf/vmlinux cannot be read: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Reads `size` bytes of kernel memory at addr + off; returns them as an i64. */
static LLVMValueRef read_kernel(struct cg *cg, LLVMValueRef addr, uint32_t off, uint32_t size)
{
	LLVMValueRef buf = cg_alloc(cg, 8);

	cg_zero(cg, buf, 8);
	cg_probe_read(cg, buf, cg_const(cg, size), LLVMBuildAdd(cg->b, addr, cg_const(cg, off), ""),
		      AS_KERNEL, false);
	return cg_load(cg, buf, ty_int((int)size, false));
}

static LLVMValueRef ppid_lower(struct cg *cg, struct ast_node *n)
{
	struct ppid_layout l;
	LLVMValueRef task, parent;

	if (ppid_layout(&l) < 0)
		return cg_const(cg, 0);
	task = cg_helper(cg, BPF_FUNC_get_current_task, cg->i64, NULL, 0);
	parent = read_kernel(cg, task, l.parent_off, 8);
	return read_kernel(cg, parent, l.tgid_off, l.tgid_size);
}

const struct builtin_ops std_ppid = {
	.name = "ppid", .kind = BI_VARIABLE, .check = ppid_check, .lower = ppid_lower};

/* ---- curtask, cgroup --------------------------------------------------------- */

static int curtask_check(struct sema *s, struct ast_node *n)
{
	/* struct task_struct * from the kernel's BTF; void * without it */
	struct hk_type *task = stdlib_btf_type(s, "struct task_struct", NULL);

	n->type = ty_ptr(s->arena, task ? task : &ty_voidptr_target, AS_KERNEL);
	return 0;
}

static LLVMValueRef curtask_lower(struct cg *cg, struct ast_node *n)
{
	return cg_helper(cg, BPF_FUNC_get_current_task, cg->i64, NULL, 0);
}

const struct builtin_ops std_curtask = {
	.name = "curtask", .kind = BI_VARIABLE, .check = curtask_check, .lower = curtask_lower};

static int u64_check(struct sema *s, struct ast_node *n)
{
	n->type = &ty_u64;
	return 0;
}

static LLVMValueRef cgroup_lower(struct cg *cg, struct ast_node *n)
{
	return cg_helper(cg, BPF_FUNC_get_current_cgroup_id, cg->i64, NULL, 0);
}

const struct builtin_ops std_cgroup = {
	.name = "cgroup", .kind = BI_VARIABLE, .check = u64_check, .lower = cgroup_lower};

/* ---- cpid, has_cpid ------------------------------------------------------------- */

#define GLOBALS_CPID_OFFSET 8

static bool has_child(struct sema *s)
{
	return s->opt && s->opt->has_child;
}

static int cpid_check(struct sema *s, struct ast_node *n)
{
	n->type = &ty_u32;
	if (!has_child(s)) {
		sema_error(s, n->loc, "cpid needs -c: there is no child command");
		return -1;
	}
	sema_internal_map(s, "globals", "hawk_globals", RM_ARRAY, 4, 24, 1);
	return 0;
}

static LLVMValueRef cpid_lower(struct cg *cg, struct ast_node *n)
{
	const struct res_map *g = cg_internal_map(cg, "globals");
	LLVMValueRef key, args[2], p, res;
	LLVMBasicBlockRef ok, done;

	if (!g)
		return cg_const(cg, 0);
	key = cg_alloc(cg, 4);
	LLVMBuildStore(cg->b, LLVMConstInt(cg->i32, 0, 0), key);
	args[0] = cg_map_ptr(cg, g);
	args[1] = key;
	p = cg_helper(cg, BPF_FUNC_map_lookup_elem, cg->ptr, args, 2);
	res = cg_alloc(cg, 8);
	LLVMBuildStore(cg->b, cg_const(cg, 0), res);
	ok = cg_block(cg, "cpid_ok");
	done = cg_block(cg, "cpid_done");
	LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, p, ""), done, ok);
	LLVMPositionBuilderAtEnd(cg->b, ok);
	LLVMBuildStore(cg->b,
		       LLVMBuildLoad2(cg->b, cg->i64, cg_gep(cg, p, GLOBALS_CPID_OFFSET), ""), res);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
	return LLVMBuildLoad2(cg->b, cg->i64, res, "");
}

const struct builtin_ops std_cpid = {
	.name = "cpid", .kind = BI_VARIABLE, .check = cpid_check, .lower = cpid_lower};

static int has_cpid_check(struct sema *s, struct ast_node *n)
{
	n->type = &ty_bool;
	n->sema_data = (void *)(uintptr_t)has_child(s);
	return 0;
}

static LLVMValueRef has_cpid_lower(struct cg *cg, struct ast_node *n)
{
	return cg_const(cg, (uint64_t)(uintptr_t)n->sema_data);
}

const struct builtin_ops std_has_cpid = {
	.name = "has_cpid", .kind = BI_VARIABLE, .check = has_cpid_check, .lower = has_cpid_lower};
