/*
 * watchpoint.c - watchpoint:ADDR:LEN:MODE (alias w): a hardware breakpoint
 * on LEN bytes (1, 2, 4 or 8) at ADDR in the target process (-p PID or
 * -c CMD: required, as in bpftrace), firing on reads (r), writes (w),
 * both (rw) or execution (x); modes combine letters in any order. The
 * program is a perf_event program on a PERF_TYPE_BREAKPOINT event, opened
 * on each thread of the target (inherited by the threads it starts later).
 * Virtual machines often refuse hardware breakpoints: the attach error then
 * says so.
 */
#include "../stdlib.h"
#include "../../runtime/rt.h"

#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

STD_PROBE(watchpoint);

struct wp_data {
	uint64_t addr;
	uint32_t len;
	uint32_t bp_type; /* HW_BREAKPOINT_R | _W | _X */
};

static int wp_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	const char *rest = strchr(spec, ':');
	struct wp_data *d = arena_alloc(s->arena, sizeof(*d));
	unsigned long long addr, len;
	char *end;
	const char *m;
	struct res_probe *p;

	if (!rest)
		goto bad;
	addr = strtoull(rest + 1, &end, 0);
	if (end == rest + 1 || *end != ':')
		goto bad;
	len = strtoull(end + 1, &end, 0);
	if (*end != ':' || !end[1])
		goto bad;
	for (m = end + 1; *m; m++) {
		uint32_t bit = *m == 'r'   ? HW_BREAKPOINT_R
			       : *m == 'w' ? HW_BREAKPOINT_W
			       : *m == 'x' ? HW_BREAKPOINT_X
					   : 0;

		if (!bit || (d->bp_type & bit)) {
			sema_error(s, ap->loc,
				   "invalid watchpoint mode '%s': use r, w, x or a mix "
				   "(rw)",
				   end + 1);
			return -1;
		}
		d->bp_type |= bit;
	}
	if ((d->bp_type & HW_BREAKPOINT_X) && d->bp_type != HW_BREAKPOINT_X) {
		sema_error(s, ap->loc,
			   "invalid watchpoint mode '%s': x cannot be mixed with r or w", end + 1);
		return -1;
	}
	if (len != 1 && len != 2 && len != 4 && len != 8) {
		sema_error(s, ap->loc, "invalid watchpoint length %llu: use 1, 2, 4 or 8", len);
		return -1;
	}
	if (!s->opt->target_pid && !s->opt->has_child) {
		sema_error(s, ap->loc, "watchpoint probes need a process: use -p PID or -c CMD");
		return -1;
	}
	d->addr = addr;
	d->len = (uint32_t)len;
	p = sema_add_probe(s, &std_probe_watchpoint,
			   arena_printf(s->arena, "watchpoint:0x%llx:%llu:%s", addr, len, end + 1),
			   ap->loc);
	p->section = "perf_event";
	p->prog_type = BPF_PROG_TYPE_PERF_EVENT;
	p->data = d;
	return 0;
bad:
	sema_error(s, ap->loc, "invalid watchpoint '%s': expected watchpoint:ADDRESS:LENGTH:MODE",
		   spec);
	return -1;
}

/* One breakpoint event on thread tid, with the program attached. */
static int wp_open(struct rt *rt, const struct wp_data *d, struct bpf_program *prog, int tid)
{
	struct perf_event_attr a = {0};
	struct bpf_link *l;
	int fd;

	a.type = PERF_TYPE_BREAKPOINT;
	a.size = sizeof(a);
	a.bp_type = d->bp_type;
	a.bp_addr = d->addr;
	a.bp_len = d->bp_type == HW_BREAKPOINT_X ? sizeof(long) : d->len;
	a.sample_period = 1;
	a.inherit = 1;
	fd = (int)syscall(__NR_perf_event_open, &a, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	l = bpf_program__attach_perf_event(prog, fd);
	if (!l) {
		int err = -errno;

		close(fd);
		return err;
	}
	rt_own_link(rt, l); /* the link closes the perf event fd */
	return 0;
}

static int wp_attach(struct rt *rt, struct res_probe *p, struct bpf_program *prog,
		     const char **hint)
{
	const struct wp_data *d = p->data;
	int pid = rt_target_pid(rt), err = 0, ok = 0;
	char path[64];
	DIR *dir;
	struct dirent *e;

	if (pid <= 0)
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir) {
		err = wp_open(rt, d, prog, pid);
	} else {
		while ((e = readdir(dir))) {
			int tid = atoi(e->d_name);

			if (tid <= 0)
				continue;
			err = wp_open(rt, d, prog, tid);
			if (err)
				break;
			ok++;
		}
		closedir(dir);
		if (!err && !ok)
			err = -ESRCH;
	}
	if (err == -EINVAL || err == -ENODEV || err == -EOPNOTSUPP || err == -ENOSPC)
		*hint = "the kernel or the machine refused a hardware breakpoint there (a virtual "
			"machine without debug registers, all of them in use, or an unaligned "
			"address)";
	return err;
}

static const char *const wp_aliases[] = {"w", NULL};

const struct probe_ops std_probe_watchpoint = {
	.name = "watchpoint",
	.aliases = wp_aliases,
	.expand = wp_expand,
	.attach = wp_attach,
};
