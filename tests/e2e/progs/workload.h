/*
 * workload.h - shared by the e2e workload programs.
 *
 * workload_init(): if HAWK_COMM is set, renames the calling thread (its
 * comm, as probes see it) to that value, at most 15 characters. Cases that
 * run in parallel give their workloads different names so that a probe
 * filtered on comm counts only its own case's events:
 *
 *     AFTER HAWK_COMM=ppid_count {{PROGS}}/getppid_loop 3
 *
 * All but uprobe_target are linked statically (see CMakeLists.txt), so no
 * dynamic loader makes syscalls (openat, mmap...) of its own at start-up.
 */
#ifndef HAWK_E2E_WORKLOAD_H
#define HAWK_E2E_WORKLOAD_H

#include <stdlib.h>
#include <sys/prctl.h>

static inline void workload_init(void)
{
	const char *comm = getenv("HAWK_COMM");

	if (comm && *comm)
		prctl(PR_SET_NAME, comm, 0, 0, 0);
}

#endif
