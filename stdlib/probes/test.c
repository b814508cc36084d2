/*
 * test.c - test:NAME probes: programs the runtime runs once each, in
 * declaration order, with BPF_PROG_TEST_RUN, only under --test (the other
 * probes are then neither attached nor run). A test fails when it returns a
 * non-zero value (`return 1;`) or cannot run; the runtime prints one line
 * per test and a summary, and exits 1 when one failed.
 */
#include "../stdlib.h"

#include <linux/bpf.h>
#include <string.h>

STD_PROBE(test);

static int test_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	const char *name = strchr(spec, ':');
	struct res_probe *p;
	const char *c;

	if (!name || !name[1] || strchr(name + 1, ':')) {
		sema_error(s, ap->loc, "invalid test probe '%s': expected test:NAME", spec);
		return -1;
	}
	for (c = name + 1; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || *c == '-')) {
			sema_error(s, ap->loc,
				   "invalid test name '%s': use letters, digits, _ and -",
				   name + 1);
			return -1;
		}
	p = sema_add_probe(s, &std_probe_test, spec, ap->loc);
	p->func = arena_strdup(s->arena, name + 1);
	p->section = "raw_tp/hawk_test";
	p->prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT;
	return 0;
}

const struct probe_ops std_probe_test = {
	.name = "test",
	.expand = test_expand,
	.is_test = true,
};
