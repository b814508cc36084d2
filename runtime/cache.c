/*
 * cache.c - the compile cache: the BPF object of a program, kept so that
 * running the same program again never initialises LLVM.
 *
 * Key: a 64-bit FNV-1a hash of everything the object depends on: hawk's own
 * binary (size and mtime: a rebuilt hawk never reads an old entry), the
 * program text of every source file (imports included), the positional
 * parameters, the BPFTRACE_* environment, the options that change checking
 * (--unsafe, -c), the kernel release, the boot (boot_id) and the number of
 * possible CPUs. Programs with values looked up at compile time that can change
 * while the system runs (cgroupid()) are not cached at all.
 * Entry: $XDG_CACHE_HOME/hawk/<key>.o (else ~/.cache/hawk): a 24-byte header
 * ("HAWKOBJ2", u32 scratch size, u32 ELF size, u64 FNV-1a of the ELF) then the ELF. Written to a
 * temporary file and renamed, so a reader never sees half an entry. Any
 * problem with the cache only means compiling again.
 */
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define CACHE_MAGIC "HAWKOBJ2"
#define CACHE_MAX   (64u << 20)

extern char **environ;

struct cache_header {
	char magic[8];
	uint32_t scratch_size;
	uint32_t elf_size;
	uint64_t elf_hash; /* FNV-1a of the ELF: a damaged entry is compiled again */
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--) {
		h ^= *b++;
		h *= 1099511628211ull;
	}
	return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
	return fnv(h, s ? s : "", (s ? strlen(s) : 0) + 1);
}

static int cache_dir(char *out, size_t len)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (x && *x)
		snprintf(out, len, "%s/hawk", x);
	else if (home && *home)
		snprintf(out, len, "%s/.cache/hawk", home);
	else
		return -ENOENT;
	return 0;
}

uint64_t cache_key(const struct source_set *src, const char *const *params, int nparams,
		   const char *flags)
{
	uint64_t h = 1469598103934665603ull;
	struct utsname u;
	struct stat st;
	char buf[256];
	FILE *f;
	int i;

	h = fnv_str(h, HAWK_VERSION);
	if (stat("/proc/self/exe", &st) == 0) {
		h = fnv(h, &st.st_size, sizeof(st.st_size));
		h = fnv(h, &st.st_mtim, sizeof(st.st_mtim));
	}
	for (i = 0; i < src->nfiles; i++) {
		h = fnv_str(h, src->files[i].name);
		h = fnv(h, src->files[i].text, src->files[i].len);
	}
	for (i = 0; i < nparams; i++)
		h = fnv_str(h, params[i]);
	h = fnv_str(h, "--");
	for (i = 0; environ && environ[i]; i++)
		if (!strncmp(environ[i], "BPFTRACE_", 9) || !strncmp(environ[i], "HAWK_", 5))
			h = fnv_str(h, environ[i]);
	h = fnv_str(h, flags);
	if (uname(&u) == 0)
		h = fnv_str(h, u.release);
	/* pid(curr_ns) builds hawk's pid namespace into the object */
	if (stat("/proc/self/ns/pid", &st) == 0) {
		h = fnv(h, &st.st_dev, sizeof(st.st_dev));
		h = fnv(h, &st.st_ino, sizeof(st.st_ino));
	}
	/* a reboot moves kernel addresses (KASLR) and renumbers much else */
	f = fopen("/proc/sys/kernel/random/boot_id", "re");
	if (f) {
		if (fgets(buf, sizeof(buf), f))
			h = fnv_str(h, buf);
		fclose(f);
	}
	f = fopen("/sys/devices/system/cpu/possible", "re");
	if (f) {
		if (fgets(buf, sizeof(buf), f))
			h = fnv_str(h, buf);
		fclose(f);
	}
	return h;
}

static void entry_path(char *out, size_t len, const char *dir, uint64_t key)
{
	snprintf(out, len, "%s/%016llx.o", dir, (unsigned long long)key);
}

int cache_load(uint64_t key, void **elf, size_t *len, uint32_t *scratch_size)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	struct cache_header h;
	void *buf;
	FILE *f;

	if (cache_dir(dir, sizeof(dir)))
		return -ENOENT;
	entry_path(path, sizeof(path), dir, key);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (fread(&h, sizeof(h), 1, f) != 1 || memcmp(h.magic, CACHE_MAGIC, 8) || !h.elf_size ||
	    h.elf_size > CACHE_MAX) {
		fclose(f);
		return -EINVAL;
	}
	buf = malloc(h.elf_size);
	if (!buf || fread(buf, 1, h.elf_size, f) != h.elf_size ||
	    fnv(1469598103934665603ull, buf, h.elf_size) != h.elf_hash) {
		free(buf);
		fclose(f);
		return -EINVAL;
	}
	fclose(f);
	*elf = buf;
	*len = h.elf_size;
	*scratch_size = h.scratch_size;
	return 0;
}

/* mkdir -p for the cache folder (mode 0700: programs may be private). */
static int make_dirs(char *dir)
{
	char *p;

	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

int cache_store(uint64_t key, const void *elf, size_t len, uint32_t scratch_size)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], tmp[PATH_MAX + 48];
	struct cache_header h;
	int fd, err = 0;

	if (len > CACHE_MAX || cache_dir(dir, sizeof(dir)) || make_dirs(dir))
		return -EINVAL;
	entry_path(path, sizeof(path), dir, key);
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	memcpy(h.magic, CACHE_MAGIC, 8);
	h.scratch_size = scratch_size;
	h.elf_size = (uint32_t)len;
	h.elf_hash = fnv(1469598103934665603ull, elf, len);
	if (write(fd, &h, sizeof(h)) != (ssize_t)sizeof(h) || write(fd, elf, len) != (ssize_t)len)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}
