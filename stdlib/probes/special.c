/*
 * special.c - BEGIN/END (also begin/end): programs the runtime runs once,
 * with BPF_PROG_TEST_RUN, before attaching (begin) and after detaching (end).
 * They are raw-tracepoint programs, so they run in hawk's own task context.
 */
#include "../stdlib.h"

#include <linux/bpf.h>
#include <string.h>

STD_PROBE(begin);
STD_PROBE(end);

static int special_expand(struct sema *s, struct ast_node *ap, const char *spec, bool is_begin)
{
	struct res_probe *p;

	if (strchr(spec, ':')) {
		sema_error(s, ap->loc, "'%s' takes no arguments", is_begin ? "BEGIN" : "END");
		return -1;
	}
	p = sema_add_probe(s, is_begin ? &std_probe_begin : &std_probe_end, spec, ap->loc);
	p->section = is_begin ? "raw_tp/hawk_begin" : "raw_tp/hawk_end";
	p->prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT;
	return 0;
}

static int begin_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	return special_expand(s, ap, spec, true);
}

static int end_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	return special_expand(s, ap, spec, false);
}

/* -l names them as bpftrace 0.26 spells them. */
static void begin_list(struct probe_list *l)
{
	if (probe_list_match(l, "begin"))
		probe_list_add(l, "begin", NULL);
}

static void end_list(struct probe_list *l)
{
	if (probe_list_match(l, "end"))
		probe_list_add(l, "end", NULL);
}

static const char *const begin_aliases[] = {"begin", NULL};
static const char *const end_aliases[] = {"end", NULL};

const struct probe_ops std_probe_begin = {
	.name = "BEGIN",
	.aliases = begin_aliases,
	.expand = begin_expand,
	.is_begin = true,
	.list = begin_list,
};

const struct probe_ops std_probe_end = {
	.name = "END",
	.aliases = end_aliases,
	.expand = end_expand,
	.is_end = true,
	.list = end_list,
};
