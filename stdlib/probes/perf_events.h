/*
 * perf_events.h - shared by software.c and hardware.c: a perf event probe
 * `PROVIDER:EVENT[:PERIOD]`, one BPF_PROG_TYPE_PERF_EVENT program attached
 * to the event on every online CPU (like profile). Static helpers: each
 * including module gets its own copy.
 */
#ifndef HAWK_STD_PERF_EVENTS_H
#define HAWK_STD_PERF_EVENTS_H

#include "../stdlib.h"
#include "../../lang/diag.h"
#include "../../runtime/rt.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct perf_event_def {
	const char *name, *alias; /* alias NULL: none */
	uint64_t period;	  /* bpftrace's default sampling period */
	uint64_t config;	  /* PERF_COUNT_SW_... / PERF_COUNT_HW_... */
};

/* The event named `name` (or its alias) in defs[n], or NULL. */
static const struct perf_event_def *perf_event_find(const struct perf_event_def *defs, int n,
						    const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(defs[i].name, name) || (defs[i].alias && !strcmp(defs[i].alias, name)))
			return &defs[i];
	return NULL;
}

/* A period: a positive integer, optionally in exponent form (1e6). */
static int perf_parse_period(const char *str, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(str, &end, 10);

	if (end == str || *str == '-' || *str == '+')
		return -1;
	if (*end == 'e' || *end == 'E') {
		char *e2;
		unsigned long ex = strtoul(end + 1, &e2, 10);

		if (e2 == end + 1 || *e2 || ex > 19)
			return -1;
		while (ex--) {
			if (v > UINT64_MAX / 10)
				return -1;
			v *= 10;
		}
		end = e2;
	}
	if (*end || !v)
		return -1;
	*out = v;
	return 0;
}

/* Expands `PROVIDER:EVENT[:PERIOD]` for one event table. */
static int perf_expand(struct sema *s, struct ast_node *ap, const char *spec,
		       const struct probe_ops *ops, const struct perf_event_def *defs, int n)
{
	const char *rest = strchr(spec, ':'), *colon;
	const struct perf_event_def *d;
	char name[64];
	uint64_t period;
	struct res_probe *p;
	size_t len;

	if (!rest || !rest[1]) {
		sema_error(s, ap->loc, "'%s' needs an event, as in %s:%s:%llu", spec, ops->name,
			   defs[0].name, (unsigned long long)defs[0].period);
		return -1;
	}
	rest++;
	colon = strchr(rest, ':');
	len = colon ? (size_t)(colon - rest) : strlen(rest);
	if (len >= sizeof(name))
		len = sizeof(name) - 1;
	memcpy(name, rest, len);
	name[len] = '\0';
	d = perf_event_find(defs, n, name);
	if (!d) {
		const char *names[64];
		const char *sug;
		int i, k = 0;

		for (i = 0; i < n && k < 62; i++) {
			names[k++] = defs[i].name;
			if (defs[i].alias)
				names[k++] = defs[i].alias;
		}
		names[k] = NULL;
		sema_error(s, ap->loc, "unknown %s event '%s'", ops->name, name);
		sug = diag_suggest(name, names);
		if (sug)
			sema_hint(s, "did you mean '%s'?", sug);
		else
			sema_hint(s, "list them with: hawk -l '%s:*'", ops->name);
		return -1;
	}
	period = d->period;
	if (colon && (strchr(colon + 1, ':') || perf_parse_period(colon + 1, &period) < 0)) {
		sema_error(s, ap->loc,
			   "invalid period in '%s': expected a positive count, as in %s:%s:%llu",
			   spec, ops->name, d->name, (unsigned long long)d->period);
		return -1;
	}
	p = sema_add_probe(
		s, ops,
		arena_printf(s->arena, "%s:%s:%llu", ops->name, name, (unsigned long long)period),
		ap->loc);
	p->func = d->name;
	p->period = period;
	p->freq = false;
	p->data = (void *)d;
	p->section = "perf_event";
	p->prog_type = BPF_PROG_TYPE_PERF_EVENT;
	return 0;
}

/* -l: "software:cpu-clock:" for each event of the table (bpftrace's form). */
static void perf_list(struct probe_list *l, const struct probe_ops *ops,
		      const struct perf_event_def *defs, int n)
{
	char name[128];

	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s:%s:", ops->name, defs[i].name);
		if (probe_list_match(l, name))
			probe_list_add(l, name, NULL);
	}
}

/* Attaches on every online CPU; on an error other than an offline CPU,
 * nothing is left attached by this probe (links are owned by the runtime
 * only once every CPU succeeded). */
static int perf_attach_all(struct rt *rt, struct res_probe *p, struct bpf_program *prog,
			   uint32_t type)
{
	const struct perf_event_def *d = p->data;
	int cpu, n = rt_ncpus(rt), err = 0, ok = 0, i;
	struct bpf_link **links = calloc((size_t)(n ? n : 1), sizeof(*links));

	if (!links)
		return -ENOMEM;
	for (cpu = 0; cpu < n; cpu++) {
		struct perf_event_attr a = {0};
		struct bpf_link *l;
		int fd;

		a.type = type;
		a.config = d->config;
		a.size = sizeof(a);
		a.sample_period = p->period;
		fd = (int)syscall(__NR_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
		if (fd < 0) {
			err = -errno;
			if (err == -ENODEV && cpu > 0)
				continue; /* possible but offline CPU */
			break;
		}
		l = bpf_program__attach_perf_event(prog, fd);
		if (!l) {
			err = -errno;
			close(fd);
			break;
		}
		links[ok++] = l;
		err = 0;
	}
	if (!err && !ok)
		err = -ENODEV;
	for (i = 0; i < ok; i++) {
		if (err)
			bpf_link__destroy(links[i]);
		else
			rt_own_link(rt, links[i]); /* the link closes the perf event fd */
	}
	free(links);
	return err;
}

#endif
