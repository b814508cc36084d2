/*
 * process.c - builtins about the current task and CPU: pid, tid, uid, gid,
 * comm, cpu. Each is one helper call; pid/tid/uid/gid are uint32 as in
 * bpftrace 0.22+ (init-namespace ids).
 */
#include "../stdlib.h"

static int u32_check(struct sema *s, struct ast_node *n)
{
	n->type = &ty_u32;
	return 0;
}

static LLVMValueRef lower_pid_tgid(struct cg *cg, bool high)
{
	LLVMValueRef v = cg_helper(cg, H_GET_CURRENT_PID_TGID, cg->i64, NULL, 0);

	return high ? LLVMBuildLShr(cg->b, v, cg_const(cg, 32), "")
		    : LLVMBuildAnd(cg->b, v, cg_const(cg, 0xffffffffu), "");
}

static LLVMValueRef lower_uid_gid(struct cg *cg, bool high)
{
	LLVMValueRef v = cg_helper(cg, H_GET_CURRENT_UID_GID, cg->i64, NULL, 0);

	return high ? LLVMBuildLShr(cg->b, v, cg_const(cg, 32), "")
		    : LLVMBuildAnd(cg->b, v, cg_const(cg, 0xffffffffu), "");
}

static LLVMValueRef pid_lower(struct cg *cg, struct ast_node *n)
{
	return lower_pid_tgid(cg, true);
}

static LLVMValueRef tid_lower(struct cg *cg, struct ast_node *n)
{
	return lower_pid_tgid(cg, false);
}

static LLVMValueRef uid_lower(struct cg *cg, struct ast_node *n)
{
	return lower_uid_gid(cg, false);
}

static LLVMValueRef gid_lower(struct cg *cg, struct ast_node *n)
{
	return lower_uid_gid(cg, true);
}

static LLVMValueRef cpu_lower(struct cg *cg, struct ast_node *n)
{
	return cg_helper(cg, H_GET_SMP_PROCESSOR_ID, cg->i64, NULL, 0);
}

const struct builtin_ops std_pid = {
	.name = "pid", .kind = BI_VARIABLE, .check = u32_check, .lower = pid_lower};
const struct builtin_ops std_tid = {
	.name = "tid", .kind = BI_VARIABLE, .check = u32_check, .lower = tid_lower};
const struct builtin_ops std_uid = {
	.name = "uid", .kind = BI_VARIABLE, .check = u32_check, .lower = uid_lower};
const struct builtin_ops std_gid = {
	.name = "gid", .kind = BI_VARIABLE, .check = u32_check, .lower = gid_lower};
const struct builtin_ops std_cpu = {
	.name = "cpu", .kind = BI_VARIABLE, .check = u32_check, .lower = cpu_lower};

static int comm_check(struct sema *s, struct ast_node *n)
{
	n->type = ty_string(s->arena, 16);
	return 0;
}

static LLVMValueRef comm_lower(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef buf = cg_alloc(cg, 16), args[2];

	args[0] = buf;
	args[1] = cg_const(cg, 16);
	cg_helper(cg, H_GET_CURRENT_COMM, cg->i64, args, 2);
	return buf;
}

const struct builtin_ops std_comm = {
	.name = "comm", .kind = BI_VARIABLE, .check = comm_check, .lower = comm_lower};
