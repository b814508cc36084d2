/*
 * probe.c - the `probe` builtin: the full name of the attach point that
 * fired ("tracepoint:syscalls:sys_enter_openat"), a string constant in each
 * program, sized for the longest attach point of the probe.
 */
#include "../stdlib.h"

#include <string.h>

static int probe_check(struct sema *s, struct ast_node *n)
{
	uint32_t max = 1;
	int i;

	for (i = 0; i < s->npoints; i++)
		if (strlen(s->points[i]->spec) + 1 > max)
			max = (uint32_t)strlen(s->points[i]->spec) + 1;
	n->type = ty_string(s->arena, max);
	return 0;
}

static LLVMValueRef probe_lower(struct cg *cg, struct ast_node *n)
{
	const char *spec = cg->probe->spec;
	uint32_t size = n->type->size, len = (uint32_t)strlen(spec), i;
	LLVMValueRef buf = cg_alloc(cg, size);

	cg_zero(cg, buf, size);
	for (i = 0; i < len && i + 1 < size; i++)
		LLVMBuildStore(cg->b, LLVMConstInt(cg->i8, (unsigned char)spec[i], 0),
			       cg_gep(cg, buf, i));
	return buf;
}

const struct builtin_ops std_probe = {.name = "probe",
				      .kind = BI_VARIABLE,
				      .check = probe_check,
				      .lower = probe_lower,
				      .probe_ctx = true};
