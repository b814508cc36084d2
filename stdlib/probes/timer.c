/*
 * timer.c - interval and profile probes: perf software cpu-clock events.
 * `interval` fires on one CPU, `profile` on every CPU. Attach points:
 *   interval:s:1  interval:ms:500  interval:us:N  interval:hz:2  interval:1s
 *   profile:hz:99  profile:ms:10  p:1s ...   (units ns, us, ms, s, hz)
 */
#include "../stdlib.h"
#include "../../runtime/rt.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

STD_PROBE(interval);
STD_PROBE(profile);

static int parse_period(struct sema *s, struct ast_node *ap, const char *rest, uint64_t *period,
			bool *freq)
{
	static const struct {
		const char *unit;
		uint64_t mult;
	} units[] = {{"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000ull}, {"hz", 0}};
	const char *colon = strchr(rest, ':');
	char unit[16] = "";
	const char *num;
	char *end;
	unsigned long long v;
	size_t i;

	if (colon) {
		size_t n = (size_t)(colon - rest);

		if (n >= sizeof(unit))
			n = sizeof(unit) - 1;
		memcpy(unit, rest, n);
		num = colon + 1;
		v = strtoull(num, &end, 10);
		if (end == num || *end)
			goto bad;
	} else {
		/* interval:1s form: a number then a unit */
		v = strtoull(rest, &end, 10);
		if (end == rest || strlen(end) >= sizeof(unit))
			goto bad;
		strcpy(unit, end);
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(unit, units[i].unit))
			continue;
		if (!v)
			goto bad;
		*freq = units[i].mult == 0;
		*period = *freq ? v : v * units[i].mult;
		return 0;
	}
bad:
	sema_error(s, ap->loc,
		   "invalid attach point '%s': expected a unit (ns, us, ms, s, hz) and a positive "
		   "number, as in %s:s:1",
		   ap->str, ap->str[0] == 'p' ? "profile" : "interval");
	return -1;
}

static int timer_expand(struct sema *s, struct ast_node *ap, const char *spec,
			const struct probe_ops *ops)
{
	const char *colon = strchr(spec, ':');
	struct res_probe *p;
	uint64_t period;
	bool freq;

	if (!colon || parse_period(s, ap, colon + 1, &period, &freq) < 0) {
		if (!colon)
			sema_error(s, ap->loc, "'%s' needs a period, as in %s:s:1", spec,
				   ops->name);
		return -1;
	}
	p = sema_add_probe(s, ops, spec, ap->loc);
	p->period = period;
	p->freq = freq;
	p->section = "perf_event";
	p->prog_type = BPF_PROG_TYPE_PERF_EVENT;
	return 0;
}

static int open_clock(const struct res_probe *p, int cpu)
{
	struct perf_event_attr a = {0};

	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	a.size = sizeof(a);
	if (p->freq) {
		a.freq = 1;
		a.sample_freq = p->period;
	} else {
		a.sample_period = p->period;
	}
	return (int)syscall(__NR_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

static int attach_cpu(struct rt *rt, struct res_probe *p, struct bpf_program *prog, int cpu)
{
	struct bpf_link *l;
	int fd = open_clock(p, cpu), err;

	if (fd < 0)
		return -errno;
	l = bpf_program__attach_perf_event(prog, fd);
	if (!l) {
		err = -errno;
		close(fd);
		return err;
	}
	rt_own_link(rt, l); /* the link closes the perf event fd */
	return 0;
}

static int interval_attach(struct rt *rt, struct res_probe *p, struct bpf_program *prog,
			   const char **hint)
{
	return attach_cpu(rt, p, prog, 0);
}

static int profile_attach(struct rt *rt, struct res_probe *p, struct bpf_program *prog,
			  const char **hint)
{
	int cpu, n = rt_ncpus(rt), err, ok = 0;

	for (cpu = 0; cpu < n; cpu++) {
		err = attach_cpu(rt, p, prog, cpu);
		if (err == -ENODEV || err == -EINVAL)
			continue; /* possible but offline CPU */
		if (err)
			return err;
		ok++;
	}
	return ok ? 0 : -ENODEV;
}

static int interval_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	return timer_expand(s, ap, spec, &std_probe_interval);
}

static int profile_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	return timer_expand(s, ap, spec, &std_probe_profile);
}

static const char *const interval_aliases[] = {"i", NULL};
static const char *const profile_aliases[] = {"p", NULL};

const struct probe_ops std_probe_interval = {
	.name = "interval",
	.aliases = interval_aliases,
	.expand = interval_expand,
	.attach = interval_attach,
};

const struct probe_ops std_probe_profile = {
	.name = "profile",
	.aliases = profile_aliases,
	.expand = profile_expand,
	.attach = profile_attach,
	.pid_filter = true,
};
