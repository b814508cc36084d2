/*
 * software.c - software:EVENT[:PERIOD] (alias s): perf software events
 * (page faults, context switches, cpu-clock...) sampled every PERIOD
 * occurrences on every CPU. Names, aliases and default periods are
 * bpftrace's: software:faults:100, s:cs, software:cpu-clock:1000000.
 */
#include "perf_events.h"

STD_PROBE(software);

static const struct perf_event_def sw_events[] = {
	{"alignment-faults", NULL, 1, PERF_COUNT_SW_ALIGNMENT_FAULTS},
	{"bpf-output", NULL, 1, PERF_COUNT_SW_BPF_OUTPUT},
	{"context-switches", "cs", 1000, PERF_COUNT_SW_CONTEXT_SWITCHES},
	{"cpu-clock", "cpu", 1000000, PERF_COUNT_SW_CPU_CLOCK},
	{"cpu-migrations", NULL, 1, PERF_COUNT_SW_CPU_MIGRATIONS},
	{"dummy", NULL, 1, PERF_COUNT_SW_DUMMY},
	{"emulation-faults", NULL, 1, PERF_COUNT_SW_EMULATION_FAULTS},
	{"major-faults", NULL, 1, PERF_COUNT_SW_PAGE_FAULTS_MAJ},
	{"minor-faults", NULL, 100, PERF_COUNT_SW_PAGE_FAULTS_MIN},
	{"page-faults", "faults", 100, PERF_COUNT_SW_PAGE_FAULTS},
	{"task-clock", NULL, 1000000, PERF_COUNT_SW_TASK_CLOCK},
};

static int sw_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	return perf_expand(s, ap, spec, &std_probe_software, sw_events,
			   (int)(sizeof(sw_events) / sizeof(sw_events[0])));
}

static int sw_attach(struct rt *rt, struct res_probe *p, struct bpf_program *prog,
		     const char **hint)
{
	return perf_attach_all(rt, p, prog, PERF_TYPE_SOFTWARE);
}

static void sw_list(struct probe_list *l)
{
	perf_list(l, &std_probe_software, sw_events,
		  (int)(sizeof(sw_events) / sizeof(sw_events[0])));
}

static const char *const sw_aliases[] = {"s", NULL};

const struct probe_ops std_probe_software = {
	.name = "software",
	.aliases = sw_aliases,
	.expand = sw_expand,
	.attach = sw_attach,
	.list = sw_list,
	.pid_filter = true,
};
