/*
 * sysinfo.c - builtins about the machine and the probe rather than the
 * task: ncpus (possible CPUs), numaid (this CPU's NUMA node), jiffies,
 * rand (a pseudo-random uint32 per use) and probetype (the type of the attach
 * point that fired, "tracepoint", "interval"...; "special" for BEGIN/END as
 * in bpftrace).
 *
 * ncpus is a constant taken when the program is compiled; the compile cache
 * keys objects by the possible-CPU list, so a cached object is reused only
 * where the count is the same.
 */
#include "../stdlib.h"

#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <string.h>

static int u32_check(struct sema *s, struct ast_node *n)
{
	n->type = &ty_u32;
	return 0;
}

static int u64_check(struct sema *s, struct ast_node *n)
{
	n->type = &ty_u64;
	return 0;
}

static int ncpus_check(struct sema *s, struct ast_node *n)
{
	int cpus = libbpf_num_possible_cpus();

	n->type = &ty_u64;
	n->sema_data = (void *)(uintptr_t)(cpus > 0 ? cpus : 1);
	return 0;
}

static LLVMValueRef ncpus_lower(struct cg *cg, struct ast_node *n)
{
	return cg_const(cg, (uint64_t)(uintptr_t)n->sema_data);
}

const struct builtin_ops std_ncpus = {
	.name = "ncpus", .kind = BI_VARIABLE, .check = ncpus_check, .lower = ncpus_lower};

static LLVMValueRef numaid_lower(struct cg *cg, struct ast_node *n)
{
	return cg_helper(cg, BPF_FUNC_get_numa_node_id, cg->i64, NULL, 0);
}

const struct builtin_ops std_numaid = {
	.name = "numaid", .kind = BI_VARIABLE, .check = u32_check, .lower = numaid_lower};

static LLVMValueRef jiffies_lower(struct cg *cg, struct ast_node *n)
{
	return cg_helper(cg, BPF_FUNC_jiffies64, cg->i64, NULL, 0);
}

const struct builtin_ops std_jiffies = {
	.name = "jiffies", .kind = BI_VARIABLE, .check = u64_check, .lower = jiffies_lower};

static LLVMValueRef rand_lower(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef v = cg_helper(cg, BPF_FUNC_get_prandom_u32, cg->i64, NULL, 0);

	return LLVMBuildAnd(cg->b, v, cg_const(cg, 0xffffffffu), "");
}

const struct builtin_ops std_rand = {
	.name = "rand", .kind = BI_VARIABLE, .check = u32_check, .lower = rand_lower};

/* ---- probetype ------------------------------------------------------------------ */

static const char *probe_type_name(const struct res_probe *p)
{
	if (p->ops->is_begin || p->ops->is_end)
		return "special";
	return p->ops->name;
}

static int probetype_check(struct sema *s, struct ast_node *n)
{
	uint32_t max = 1;
	int i;

	for (i = 0; i < s->npoints; i++)
		if (strlen(probe_type_name(s->points[i])) + 1 > max)
			max = (uint32_t)strlen(probe_type_name(s->points[i])) + 1;
	n->type = ty_string(s->arena, max);
	return 0;
}

static LLVMValueRef probetype_lower(struct cg *cg, struct ast_node *n)
{
	const char *name = probe_type_name(cg->probe);
	uint32_t size = n->type->size, len = (uint32_t)strlen(name), i;
	LLVMValueRef buf = cg_alloc(cg, size);

	cg_zero(cg, buf, size);
	for (i = 0; i < len && i + 1 < size; i++)
		LLVMBuildStore(cg->b, LLVMConstInt(cg->i8, (unsigned char)name[i], 0),
			       cg_gep(cg, buf, i));
	return buf;
}

const struct builtin_ops std_probetype = {.name = "probetype",
					  .kind = BI_VARIABLE,
					  .check = probetype_check,
					  .lower = probetype_lower,
					  .probe_ctx = true};
