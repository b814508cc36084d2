/*
 * syms.h - names for numbers, looked up in the running system: kernel
 * symbols from /proc/kallsyms (ksym() when printed, kaddr() when compiling)
 * and cgroup paths under the mounted cgroup hierarchies (cgroupid() when
 * compiling, cgroup_path() when printed).
 *
 * The printing lookups match the hooks of struct out (runtime/output.h); the
 * runtime installs them. Tables are read lazily, the first time a value is
 * printed, so programs that print none never read /proc/kallsyms.
 */
#ifndef HAWK_SYMS_H
#define HAWK_SYMS_H

#include <stddef.h>
#include <stdint.h>

/* The kernel symbol containing addr (the nearest one at or below it), copied
 * into buf; NULL when there is none (addr below every symbol, or kallsyms
 * unreadable or hiding its addresses). ctx: a kallsyms-format file to read
 * instead of /proc/kallsyms, or NULL. */
const char *syms_ksym(void *ctx, uint64_t addr, char *buf, size_t len);

/* The same as "name+offset" (kernel stack frames: "do_syscall_64+527"). */
const char *syms_ksym_off(void *ctx, uint64_t addr, char *buf, size_t len);

/* The address of kernel symbol `name` (first match in /proc/kallsyms).
 * Returns 0, -ENOENT (no such symbol), -EPERM (addresses hidden: all zero)
 * or another -errno (unreadable). */
int syms_kaddr(const char *name, uint64_t *addr);

/* The cgroup v2 id of the cgroup directory `path`: its file handle (as the
 * kernel's bpf_get_current_cgroup_id() reports it), else its inode number.
 * Returns 0 or -errno. */
int syms_cgroupid(const char *path, uint64_t *id);

/* Every mounted cgroup hierarchy where a cgroup with this id exists, as
 * "NAME:PATH" joined with ',' ("unified:/user.slice,cpu:/"): cgroup v2
 * hierarchies first, named "unified", then v1 ones by the name of their
 * mount directory, sorted. `filter`, when not NULL, is a wildcard on the
 * hierarchy names. An empty string when the id is found nowhere. */
const char *syms_cgroup_path(void *ctx, uint64_t id, const char *filter, char *buf, size_t len);

#endif
