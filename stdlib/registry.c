/*
 * registry.c - the static tables of stdlib modules. Adding a builtin or a
 * probe type is one module file plus one line here.
 */
#include "stdlib.h"

#include <strings.h>
#include <string.h>

/* clang-format off */
STD_BUILTIN(printf);
STD_BUILTIN(exit);
STD_BUILTIN(print);
STD_BUILTIN(clear);
STD_BUILTIN(zero);
STD_BUILTIN(delete);
STD_BUILTIN(str);
STD_BUILTIN(pid);
STD_BUILTIN(tid);
STD_BUILTIN(uid);
STD_BUILTIN(gid);
STD_BUILTIN(cpu);
STD_BUILTIN(comm);
STD_BUILTIN(nsecs);
STD_BUILTIN(elapsed);
STD_BUILTIN(probe);
STD_BUILTIN(count);
STD_BUILTIN(sum);
STD_BUILTIN(min);
STD_BUILTIN(max);
STD_BUILTIN(avg);
STD_BUILTIN(stats);
STD_BUILTIN(hist);
STD_BUILTIN(lhist);
/* -- aliases and compile-time type tests (exprs.c): declarations -- */
STD_BUILTIN(pcomm);
STD_BUILTIN(leader_tid);
STD_BUILTIN(leader_comm);
STD_BUILTIN(kptr);
STD_BUILTIN(uptr);
STD_BUILTIN(is_str);
STD_BUILTIN(is_integer);
STD_BUILTIN(is_unsigned_integer);
STD_BUILTIN(is_ptr);
STD_BUILTIN(is_array);
STD_BUILTIN(is_literal);
STD_BUILTIN(is_err);
STD_BUILTIN(fail);
/* -- task and time builtins: declarations -- */
STD_BUILTIN(ppid);
STD_BUILTIN(curtask);
STD_BUILTIN(cgroup);
STD_BUILTIN(cpid);
STD_BUILTIN(has_cpid);
STD_BUILTIN(ncpus);
STD_BUILTIN(numaid);
STD_BUILTIN(jiffies);
STD_BUILTIN(rand);
STD_BUILTIN(probetype);
/* -- strings: declarations -- */
STD_BUILTIN(strncmp);
STD_BUILTIN(strcontains);
STD_BUILTIN(strstr);
STD_BUILTIN(strlen);
STD_BUILTIN(buf);
/* -- functions printed in user space: declarations -- */
STD_BUILTIN(time);
STD_BUILTIN(strftime);
STD_BUILTIN(join);
STD_BUILTIN(cat);
STD_BUILTIN(system);
STD_BUILTIN(errorf);
STD_BUILTIN(warnf);
STD_BUILTIN(strerror);
STD_BUILTIN(syscall_name);
STD_BUILTIN(signal_name);
STD_BUILTIN(memcmp);
STD_BUILTIN(usermode);
STD_BUILTIN(signal_thread);
STD_BUILTIN(kfunc_exist);
STD_BUILTIN(debugf);
STD_BUILTIN(assert);
STD_BUILTIN(static_assert);
STD_BUILTIN(ksym);
STD_BUILTIN(kaddr);
STD_BUILTIN(ntop);
STD_BUILTIN(pton);
STD_BUILTIN(macaddr);
STD_BUILTIN(cgroupid);
STD_BUILTIN(cgroup_path);
STD_BUILTIN(bswap);
STD_BUILTIN(signal);
STD_BUILTIN(override);
STD_BUILTIN(username);
STD_BUILTIN(getopt);
STD_BUILTIN(has_key);
STD_BUILTIN(len);
STD_BUILTIN(find);
STD_BUILTIN(tseries);
STD_BUILTIN(reg);
STD_BUILTIN(usym);
STD_BUILTIN(uaddr);
STD_BUILTIN(kstack);
STD_BUILTIN(ustack);
/* -- maps: declarations -- */

STD_PROBE(begin);
STD_PROBE(end);
STD_PROBE(tracepoint);
STD_PROBE(interval);
STD_PROBE(profile);
STD_PROBE(software);
STD_PROBE(hardware);
STD_PROBE(rawtracepoint);
STD_PROBE(usdt);
STD_PROBE(fentry);
STD_PROBE(fexit);
STD_PROBE(self);
STD_PROBE(watchpoint);
STD_PROBE(iter);
STD_PROBE(test);
/* -- more probe types: declarations -- */
STD_PROBE(uprobe);
STD_PROBE(uretprobe);
STD_PROBE(kprobe);
STD_PROBE(kretprobe);

/* One line per module; sections keep parallel additions apart. */
static const struct builtin_ops *const builtins[] = {
	&std_printf,
	&std_exit,
	&std_print,
	&std_clear,
	&std_zero,
	&std_delete,
	&std_str,
	&std_pid,
	&std_tid,
	&std_uid,
	&std_gid,
	&std_cpu,
	&std_comm,
	&std_nsecs,
	&std_elapsed,
	&std_probe,
	&std_count,
	&std_sum,
	&std_min,
	&std_max,
	&std_avg,
	&std_stats,
	&std_hist,
	&std_lhist,
	/* -- aliases and compile-time type tests (exprs.c) -- */
	&std_pcomm,
	&std_leader_tid,
	&std_leader_comm,
	&std_kptr,
	&std_uptr,
	&std_is_str,
	&std_is_integer,
	&std_is_unsigned_integer,
	&std_is_ptr,
	&std_is_array,
	&std_is_literal,
	&std_is_err,
	&std_fail,
	/* -- task and time builtins -- */
	&std_ppid,
	&std_curtask,
	&std_cgroup,
	&std_cpid,
	&std_has_cpid,
	&std_ncpus,
	&std_numaid,
	&std_jiffies,
	&std_rand,
	&std_probetype,
	/* -- strings -- */
	&std_strncmp,
	&std_strcontains,
	&std_strstr,
	&std_strlen,
	&std_buf,
	/* -- functions printed in user space -- */
	&std_time,
	&std_strftime,
	&std_join,
	&std_cat,
	&std_system,
	&std_errorf,
	&std_warnf,
	&std_strerror,
	&std_syscall_name,
	&std_signal_name,
	&std_memcmp,
	&std_usermode,
	&std_signal_thread,
	&std_kfunc_exist,
	&std_debugf,
	&std_assert,
	&std_static_assert,
	&std_ksym,
	&std_kaddr,
	&std_ntop,
	&std_pton,
	&std_macaddr,
	&std_cgroupid,
	&std_cgroup_path,
	&std_bswap,
	&std_signal,
	&std_override,
	&std_username,
	&std_getopt,
	&std_has_key,
	&std_len,
	&std_find,
	&std_tseries,
	&std_reg,
	&std_usym,
	&std_uaddr,
	&std_kstack,
	&std_ustack,
	/* -- maps -- */
};

static const struct probe_ops *const probes[] = {
	&std_probe_begin,
	&std_probe_end,
	&std_probe_tracepoint,
	&std_probe_interval,
	&std_probe_profile,
	&std_probe_software,
	&std_probe_hardware,
	&std_probe_rawtracepoint,
	&std_probe_usdt,
	&std_probe_fentry,
	&std_probe_fexit,
	&std_probe_self,
	&std_probe_watchpoint,
	&std_probe_iter,
	&std_probe_test,
	/* -- more probe types -- */
	&std_probe_uprobe,
	&std_probe_uretprobe,
	&std_probe_kprobe,
	&std_probe_kretprobe,
};
/* clang-format on */

#define N(a) (sizeof(a) / sizeof((a)[0]))

const struct builtin_ops *stdlib_builtin(const char *name)
{
	size_t i;

	for (i = 0; i < N(builtins); i++)
		if (!strcmp(builtins[i]->name, name))
			return builtins[i];
	return NULL;
}

/* Provider names are case-insensitive (bpftrace 0.24+), aliases too. */
const struct probe_ops *stdlib_probe(const char *name)
{
	size_t i;
	int j;

	for (i = 0; i < N(probes); i++) {
		if (!strcasecmp(probes[i]->name, name))
			return probes[i];
		for (j = 0; probes[i]->aliases && probes[i]->aliases[j]; j++)
			if (!strcmp(probes[i]->aliases[j], name))
				return probes[i];
	}
	return NULL;
}

const char *const *stdlib_builtin_names(void)
{
	static const char *names[N(builtins) + 1];
	size_t i;

	for (i = 0; i < N(builtins); i++)
		names[i] = builtins[i]->name;
	return names;
}

const char *const *stdlib_probe_names(void)
{
	static const char *names[N(probes) + 1];
	size_t i;

	for (i = 0; i < N(probes); i++)
		names[i] = probes[i]->name;
	return names;
}
