/*
 * process.c - builtins about the current task and CPU: pid, tid, uid, gid,
 * comm, cpu. Each is one helper call; pid/tid/uid/gid are uint32 as in
 * bpftrace 0.22+ (init-namespace ids). pid(curr_ns) and tid(curr_ns) are the
 * ids in hawk's own pid namespace (bpf_get_ns_current_pid_tgid, with the
 * namespace's device and inode taken when the program is compiled; 0 for a
 * task outside it); pid(init) is plain pid. (The compile cache must tell
 * pid namespaces apart for a cached curr_ns object to stay right.)
 */
#include "../stdlib.h"

#include <linux/bpf.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static int u32_check(struct sema *s, struct ast_node *n)
{
	n->type = &ty_u32;
	return 0;
}

enum pid_ns { NS_INIT, NS_CURR };

/* pid/tid: no argument, `init` or `curr_ns`. */
static int pid_ns_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *a = n->kind == AST_CALL ? n->body : NULL;

	n->type = &ty_u32;
	n->sema_data = (void *)(uintptr_t)NS_INIT;
	if (!a)
		return 0;
	a->type = &ty_none;
	if (a->kind == AST_IDENT && !strcmp(a->name, "init"))
		return 0;
	if (a->kind == AST_IDENT && !strcmp(a->name, "curr_ns")) {
		n->sema_data = (void *)(uintptr_t)NS_CURR;
		return 0;
	}
	sema_error(s, a->loc, "%s() takes a pid namespace: curr_ns or init", n->name);
	return -1;
}

/* The ids in hawk's pid namespace: tgid (high) or pid (low), 0 if the task
 * is not in it. */
static LLVMValueRef lower_ns_pid_tgid(struct cg *cg, bool high)
{
	struct bpf_pidns_info info;
	struct stat st = {0};
	uint64_t dev;
	LLVMValueRef buf = cg_alloc(cg, sizeof(info)), args[4];

	if (stat("/proc/self/ns/pid", &st) < 0)
		memset(&st, 0, sizeof(st));
	/* the kernel's dev_t: 12 bits of major, 20 of minor */
	dev = ((uint64_t)major(st.st_dev) << 20) | minor(st.st_dev);
	cg_zero(cg, buf, sizeof(info));
	args[0] = cg_const(cg, dev);
	args[1] = cg_const(cg, st.st_ino);
	args[2] = buf;
	args[3] = cg_const(cg, sizeof(info));
	cg_helper(cg, BPF_FUNC_get_ns_current_pid_tgid, cg->i64, args, 4);
	return cg_load(cg, cg_gep(cg, buf, high ? offsetof(struct bpf_pidns_info, tgid) : 0),
		       &ty_u32);
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
	if ((uintptr_t)n->sema_data == NS_CURR)
		return lower_ns_pid_tgid(cg, true);
	return lower_pid_tgid(cg, true);
}

static LLVMValueRef tid_lower(struct cg *cg, struct ast_node *n)
{
	if ((uintptr_t)n->sema_data == NS_CURR)
		return lower_ns_pid_tgid(cg, false);
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

const struct builtin_ops std_pid = {.name = "pid",
				    .kind = BI_VARIABLE,
				    .max_args = 1,
				    .check = pid_ns_check,
				    .lower = pid_lower};
const struct builtin_ops std_tid = {.name = "tid",
				    .kind = BI_VARIABLE,
				    .max_args = 1,
				    .check = pid_ns_check,
				    .lower = tid_lower};
const struct builtin_ops std_uid = {
	.name = "uid", .kind = BI_VARIABLE, .check = u32_check, .lower = uid_lower};
const struct builtin_ops std_gid = {
	.name = "gid", .kind = BI_VARIABLE, .check = u32_check, .lower = gid_lower};
const struct builtin_ops std_cpu = {
	.name = "cpu", .kind = BI_VARIABLE, .check = u32_check, .lower = cpu_lower};

static int comm_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *a = n->kind == AST_CALL ? n->body : NULL;

	n->type = ty_string(s->arena, 16);
	if (a) {
		sema_expr(s, a);
		sema_error(s, n->loc,
			   "comm(pid) is not supported: BPF can read only the current task's name");
		sema_hint(s, "use comm, and filter on the pid: /pid == N/ { ... comm ... }");
		return -1;
	}
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

const struct builtin_ops std_comm = {.name = "comm",
				     .kind = BI_VARIABLE,
				     .max_args = 1,
				     .check = comm_check,
				     .lower = comm_lower};
