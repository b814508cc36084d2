/*
 * usermode.c - the `usermode` builtin: 1 when the probe fired while the CPU
 * ran user code, else 0 (uint8). Read from the saved registers the probe's
 * context holds: the privilege level in the low two bits of the x86-64 code
 * segment (pt_regs->cs, 3 in user mode). Probes whose context starts with a
 * struct pt_regs have it: kprobes, uprobes, usdt and the perf-event probes
 * (profile, software, hardware), whose bpf_perf_event_data begins with the
 * interrupted registers.
 */
#include "../stdlib.h"

/* offsetof(struct pt_regs, cs) on x86-64 */
#define PT_REGS_CS 136

STD_PROBE(profile);
STD_PROBE(software);
STD_PROBE(hardware);

static bool has_regs(const struct probe_ops *ops)
{
	return ops->pt_regs || ops == &std_probe_profile || ops == &std_probe_software ||
	       ops == &std_probe_hardware;
}

static int usermode_check(struct sema *s, struct ast_node *n)
{
	int i;

	n->type = &ty_none;
	for (i = 0; i < s->npoints; i++) {
		if (!has_regs(s->points[i]->ops)) {
			sema_error(s, n->loc,
				   "usermode is not available in %s: it needs a kprobe, uprobe, "
				   "usdt, profile, software or hardware probe",
				   s->points[i]->spec);
			return -1;
		}
	}
	if (!s->npoints)
		return -1;
	n->type = &ty_u8;
	return 0;
}

static LLVMValueRef usermode_lower(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef cs = LLVMBuildLoad2(cg->b, cg->i64, cg_gep(cg, cg->ctx, PT_REGS_CS), "");
	LLVMValueRef user;

	(void)n;
	user = LLVMBuildICmp(cg->b, LLVMIntEQ, LLVMBuildAnd(cg->b, cs, cg_const(cg, 3), ""),
			     cg_const(cg, 3), "");
	return LLVMBuildZExt(cg->b, user, cg->i64, "");
}

const struct builtin_ops std_usermode = {
	.name = "usermode",
	.kind = BI_VARIABLE,
	.min_args = 0,
	.max_args = 0,
	.check = usermode_check,
	.lower = usermode_lower,
};
