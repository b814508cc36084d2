/*
 * tracefs.c - finding (and when needed mounting) tracefs.
 *
 * Tracepoint probes read their event's `format` and `id` files under
 * tracefs. It lives at /sys/kernel/tracing, or under debugfs at
 * /sys/kernel/debug/tracing (an automount on recent kernels). When neither
 * is mounted and we are root, /sys/kernel/tracing is mounted; otherwise the
 * caller explains how (`hint: mount -t tracefs nodev /sys/kernel/tracing`).
 *
 * Invariant: the answer is computed once per process and cached; nothing
 * under tracefs is read here.
 */
#include <stdbool.h>
#include <stddef.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "rt.h"

#ifndef TRACEFS_MAGIC
#define TRACEFS_MAGIC 0x74726163
#endif

static bool is_tracefs(const char *path)
{
	struct statfs st;

	return statfs(path, &st) == 0 && (unsigned long)st.f_type == TRACEFS_MAGIC;
}

const char *rt_tracefs(void)
{
	static const char *const paths[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};
	static const char *found;

	if (found)
		return found;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (is_tracefs(paths[i]))
			return found = paths[i];
	if (geteuid() == 0 && mount("nodev", paths[0], "tracefs", 0, NULL) == 0 &&
	    is_tracefs(paths[0]))
		return found = paths[0];
	return NULL;
}
