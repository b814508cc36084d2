/*
 * syms.c - kernel symbols and cgroup paths (see syms.h).
 *
 * kallsyms: the whole file is read once, on the first ksym() printed, into
 * one array sorted by address (names in one pool); a lookup is a binary
 * search for the last symbol at or below the address, as bcc's symbol cache
 * (bpftrace's) answers. Addresses below the first symbol do not resolve.
 *
 * cgroups: the hierarchies are read from /proc/mounts at each lookup (mounts
 * change); a path is found by walking the hierarchy for a directory whose
 * inode number is the id, and remembered (checked again with stat before it
 * is reused, since ids are recycled).
 */
#define _GNU_SOURCE
#include "syms.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <limits.h>
#include <mntent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define KALLSYMS "/proc/kallsyms"

#ifndef CGROUP_SUPER_MAGIC
#define CGROUP_SUPER_MAGIC 0x27e0eb
#endif
#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

/* ---- kallsyms ------------------------------------------------------------ */

struct ksym {
	uint64_t addr;
	size_t name; /* offset in the pool */
};

static struct {
	bool loaded;
	struct ksym *syms;
	size_t n;
	char *pool;
} kt;

/* One kallsyms line: "ffffffff81000000 T _stext [module]". */
static bool parse_kallsyms_line(char *line, uint64_t *addr, char **name)
{
	char *end, *p;

	*addr = strtoull(line, &end, 16);
	if (end == line || *end != ' ' || !end[1] || end[2] != ' ')
		return false;
	p = end + 3;
	p[strcspn(p, " \t\n")] = '\0';
	*name = p;
	return *p != '\0';
}

static int cmp_ksym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void kallsyms_load(const char *path)
{
	size_t cap = 0, pool_len = 0, pool_cap = 0, lcap = 0;
	char *line = NULL, *name;
	uint64_t addr;
	FILE *f;

	kt.loaded = true;
	f = fopen(path, "re");
	if (!f)
		return;
	while (getline(&line, &lcap, f) > 0) {
		size_t len;

		if (!parse_kallsyms_line(line, &addr, &name) || !addr)
			continue;
		len = strlen(name) + 1;
		if (kt.n == cap) {
			struct ksym *s;

			cap = cap ? cap * 2 : 65536;
			s = realloc(kt.syms, cap * sizeof(*s));
			if (!s)
				break;
			kt.syms = s;
		}
		if (pool_len + len > pool_cap) {
			char *p;

			pool_cap = pool_cap ? pool_cap * 2 : 1 << 20;
			while (pool_len + len > pool_cap)
				pool_cap *= 2;
			p = realloc(kt.pool, pool_cap);
			if (!p)
				break;
			kt.pool = p;
		}
		memcpy(kt.pool + pool_len, name, len);
		kt.syms[kt.n].addr = addr;
		kt.syms[kt.n].name = pool_len;
		kt.n++;
		pool_len += len;
	}
	free(line);
	fclose(f);
	qsort(kt.syms, kt.n, sizeof(*kt.syms), cmp_ksym);
}

/* The index of the last symbol at or below addr, or -1. */
static long ksym_index(void *ctx, uint64_t addr)
{
	size_t lo = 0, hi;

	if (!kt.loaded)
		kallsyms_load(ctx ? (const char *)ctx : KALLSYMS);
	hi = kt.n;
	if (!hi || addr < kt.syms[0].addr)
		return -1;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (kt.syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return (long)lo;
}

const char *syms_ksym(void *ctx, uint64_t addr, char *buf, size_t len)
{
	long i = ksym_index(ctx, addr);

	if (i < 0 || !len)
		return NULL;
	snprintf(buf, len, "%s", kt.pool + kt.syms[i].name);
	return buf;
}

const char *syms_ksym_off(void *ctx, uint64_t addr, char *buf, size_t len)
{
	long i = ksym_index(ctx, addr);

	if (i < 0 || !len)
		return NULL;
	snprintf(buf, len, "%s+%" PRIu64, kt.pool + kt.syms[i].name, addr - kt.syms[i].addr);
	return buf;
}

int syms_kaddr(const char *name, uint64_t *addr)
{
	size_t lcap = 0;
	char *line = NULL, *sym;
	bool hidden = false;
	uint64_t a;
	int rc = -ENOENT;
	FILE *f = fopen(KALLSYMS, "re");

	if (!f)
		return -errno;
	while (getline(&line, &lcap, f) > 0) {
		if (!parse_kallsyms_line(line, &a, &sym) || strcmp(sym, name))
			continue;
		if (!a) {
			hidden = true;
			continue;
		}
		*addr = a;
		rc = 0;
		break;
	}
	free(line);
	fclose(f);
	return rc == 0 ? 0 : hidden ? -EPERM : rc;
}

/* ---- cgroups --------------------------------------------------------------- */

int syms_cgroupid(const char *path, uint64_t *id)
{
	union {
		struct file_handle fh;
		char buf[sizeof(struct file_handle) + 8];
	} h;
	struct statfs sfs;
	struct stat st;
	int mount_id;

	if (statfs(path, &sfs))
		return -errno;
	if (sfs.f_type != CGROUP2_SUPER_MAGIC && sfs.f_type != CGROUP_SUPER_MAGIC)
		return -EMEDIUMTYPE;
	h.fh.handle_bytes = 8;
	if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mount_id, 0) == 0 && h.fh.handle_bytes == 8) {
		memcpy(id, h.fh.f_handle, 8);
		return 0;
	}
	/* no file handles here: kernfs ids are the inode numbers */
	if (stat(path, &st))
		return -errno;
	*id = (uint64_t)st.st_ino;
	return 0;
}

struct cg_root {
	char name[64];
	char *path;
	bool v2;
};

static int cmp_root(const void *a, const void *b)
{
	const struct cg_root *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* The mounted hierarchies: v2 first (in mount order), then v1 by name. */
static int cg_roots(struct cg_root **out)
{
	struct cg_root *r = NULL;
	struct mntent me, *m;
	char buf[4096];
	int n = 0, cap = 0, v2n = 0, i, j;
	FILE *f = setmntent("/proc/mounts", "re");

	if (!f)
		return 0;
	while ((m = getmntent_r(f, &me, buf, sizeof(buf)))) {
		bool v2 = !strcmp(m->mnt_type, "cgroup2");
		struct stat st;
		const char *base;

		if (!v2 && strcmp(m->mnt_type, "cgroup"))
			continue;
		if (stat(m->mnt_dir, &st) || !S_ISDIR(st.st_mode))
			continue;
		if (n == cap) {
			struct cg_root *nr;

			cap = cap ? cap * 2 : 16;
			nr = realloc(r, (size_t)cap * sizeof(*r));
			if (!nr)
				break;
			r = nr;
		}
		base = strrchr(m->mnt_dir, '/');
		base = base && base[1] ? base + 1 : m->mnt_dir;
		snprintf(r[n].name, sizeof(r[n].name), "%s", v2 ? "unified" : base);
		r[n].path = strdup(m->mnt_dir);
		r[n].v2 = v2;
		if (r[n].path)
			n++;
	}
	endmntent(f);
	/* v2 entries to the front, keeping their order; then v1 by name */
	for (i = 0; i < n; i++) {
		struct cg_root t = r[i];

		if (!t.v2)
			continue;
		for (j = i; j > v2n; j--)
			r[j] = r[j - 1];
		r[v2n++] = t;
	}
	if (n > v2n)
		qsort(r + v2n, (size_t)(n - v2n), sizeof(*r), cmp_root);
	*out = r;
	return n;
}

/* Depth-first search under dir (full path in `path`, of length len) for a
 * directory with inode id; leaves its path in `path`. */
static bool cg_find(char *path, size_t len, uint64_t id, int depth)
{
	DIR *d;
	struct dirent *e;
	bool found = false;

	if (depth > 64 || !(d = opendir(path)))
		return false;
	while (!found && (e = readdir(d))) {
		size_t nl = strlen(e->d_name);
		struct stat st;
		bool is_dir;

		if (e->d_name[0] == '.' &&
		    (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		if (len + 1 + nl >= PATH_MAX)
			continue;
		path[len] = '/';
		memcpy(path + len + 1, e->d_name, nl + 1);
		if (e->d_type == DT_UNKNOWN) {
			if (lstat(path, &st))
				continue;
			is_dir = S_ISDIR(st.st_mode);
			e->d_ino = st.st_ino;
		} else {
			is_dir = e->d_type == DT_DIR;
		}
		if (!is_dir)
			continue;
		if ((uint64_t)e->d_ino == id)
			found = true;
		else
			found = cg_find(path, len + 1 + nl, id, depth + 1);
	}
	closedir(d);
	if (!found)
		path[len] = '\0';
	return found;
}

/* Found paths, reused after a stat shows the same inode still there. */
#define CG_CACHE 64
static struct {
	uint64_t id;
	char *full; /* the directory's full path */
} cg_cache[CG_CACHE];
static int cg_cache_next;

/* The path of cgroup id under root, relative to it ("/" for the root), into
 * rel; false if there is none. */
static bool cg_path_in(const char *root, uint64_t id, char *rel, size_t len)
{
	char path[PATH_MAX];
	size_t rl = strlen(root);
	struct stat st;
	int i;

	if (stat(root, &st) == 0 && (uint64_t)st.st_ino == id) {
		snprintf(rel, len, "/");
		return true;
	}
	for (i = 0; i < CG_CACHE; i++) {
		const char *f = cg_cache[i].full;

		if (f && cg_cache[i].id == id && !strncmp(f, root, rl) && f[rl] == '/' &&
		    stat(f, &st) == 0 && (uint64_t)st.st_ino == id) {
			snprintf(rel, len, "%s", f + rl);
			return true;
		}
	}
	if (rl >= sizeof(path))
		return false;
	memcpy(path, root, rl + 1);
	if (!cg_find(path, rl, id, 0))
		return false;
	free(cg_cache[cg_cache_next].full);
	cg_cache[cg_cache_next].id = id;
	cg_cache[cg_cache_next].full = strdup(path);
	cg_cache_next = (cg_cache_next + 1) % CG_CACHE;
	snprintf(rel, len, "%s", path + rl);
	return true;
}

const char *syms_cgroup_path(void *ctx, uint64_t id, const char *filter, char *buf, size_t len)
{
	struct cg_root *roots = NULL;
	int n = cg_roots(&roots), i;
	size_t used = 0;
	char rel[PATH_MAX];

	(void)ctx;
	if (!len)
		return NULL;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		int w;

		if (filter && fnmatch(filter, roots[i].name, 0) != 0)
			continue;
		if (!cg_path_in(roots[i].path, id, rel, sizeof(rel)))
			continue;
		w = snprintf(buf + used, len - used, "%s%s:%s", used ? "," : "", roots[i].name,
			     rel);
		if (w < 0 || (size_t)w >= len - used) {
			buf[used] = '\0';
			break;
		}
		used += (size_t)w;
	}
	for (i = 0; i < n; i++)
		free(roots[i].path);
	free(roots);
	return buf;
}
