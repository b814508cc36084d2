/*
 * hardware.c - hardware:EVENT[:PERIOD] (alias h): PMU counters (cycles,
 * instructions, cache misses...) sampled every PERIOD events on every CPU.
 * Names, aliases and default periods are bpftrace's. Without a PMU (most
 * virtual machines) attaching fails cleanly: nothing stays attached.
 */
#include "perf_events.h"

STD_PROBE(hardware);

static const struct perf_event_def hw_events[] = {
	{"backend-stalls", NULL, 1000000, PERF_COUNT_HW_STALLED_CYCLES_BACKEND},
	{"branch-instructions", "branches", 100000, PERF_COUNT_HW_BRANCH_INSTRUCTIONS},
	{"branch-misses", NULL, 100000, PERF_COUNT_HW_BRANCH_MISSES},
	{"bus-cycles", NULL, 100000, PERF_COUNT_HW_BUS_CYCLES},
	{"cache-misses", NULL, 1000000, PERF_COUNT_HW_CACHE_MISSES},
	{"cache-references", NULL, 1000000, PERF_COUNT_HW_CACHE_REFERENCES},
	{"cpu-cycles", "cycles", 1000000, PERF_COUNT_HW_CPU_CYCLES},
	{"frontend-stalls", NULL, 1000000, PERF_COUNT_HW_STALLED_CYCLES_FRONTEND},
	{"instructions", NULL, 1000000, PERF_COUNT_HW_INSTRUCTIONS},
	{"ref-cycles", NULL, 1000000, PERF_COUNT_HW_REF_CPU_CYCLES},
};

static int hw_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	return perf_expand(s, ap, spec, &std_probe_hardware, hw_events,
			   (int)(sizeof(hw_events) / sizeof(hw_events[0])));
}

static int hw_attach(struct rt *rt, struct res_probe *p, struct bpf_program *prog,
		     const char **hint)
{
	int err = perf_attach_all(rt, p, prog, PERF_TYPE_HARDWARE);

	if (err == -ENOENT)
		err = -EOPNOTSUPP; /* the kernel's "no such PMU event" */
	if (err == -EOPNOTSUPP || err == -ENODEV || err == -EINVAL)
		*hint = "this machine has no hardware performance counter for this event (no PMU, "
			"as in most virtual machines); check with: perf stat -e cycles true";
	return err;
}

static void hw_list(struct probe_list *l)
{
	perf_list(l, &std_probe_hardware, hw_events,
		  (int)(sizeof(hw_events) / sizeof(hw_events[0])));
}

static const char *const hw_aliases[] = {"h", NULL};

const struct probe_ops std_probe_hardware = {
	.name = "hardware",
	.aliases = hw_aliases,
	.expand = hw_expand,
	.attach = hw_attach,
	.list = hw_list,
	.pid_filter = true,
};
