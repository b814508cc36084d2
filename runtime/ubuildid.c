/*
 * ubuildid.c - naming the user stacks of a process that exited before its
 * memory map could be read (see usyms_note_stack in usyms.h).
 *
 * A process that lives a few milliseconds is often gone by the time its
 * first stack reaches user space, and with it /proc/PID/maps. So the BPF
 * program sends that first stack twice (stdlib/builtins/stack.c): as
 * addresses and as the kernel's (build id, file offset) pairs. Each pair
 * whose build id names a known file gives back the mapping that held the
 * frame: the executable segment containing the offset, placed so that the
 * frame's address lands on it. Those mappings are kept as the process's
 * map, and every later stack of the process is named through them like
 * any other (frames in other files stay addresses).
 *
 * Files are found by build id: first the debug file
 * /usr/lib/debug/.build-id/NN/REST.debug (or under a --debuginfo folder), then the files of the
 * memory maps already kept and hawk's own, then, once, every ELF file in the folders of $PATH and
 * the standard library folders. Build ids are compared as the kernel stores them: 20 bytes,
 * zero-padded.
 */
#define _GNU_SOURCE
#include "usyms.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BID_HEX	 41    /* 20 bytes as hex, and the NUL */
#define MAX_SCAN 20000 /* files whose build id the folder scan reads */
#define MAX_VMAS 64

struct bid_file {
	char hex[BID_HEX];
	char *path;
};

static struct bid_file *files;
static int nfiles, capfiles;
static char **seen; /* paths whose build id was read (or that have none) */
static int nseen, capseen;
static bool scanned;

static bool was_seen(const char *path)
{
	for (int i = 0; i < nseen; i++)
		if (!strcmp(seen[i], path))
			return true;
	return false;
}

/* Reads path's build id into the index (once per path). */
static void index_file(const char *path, void *arg)
{
	char hex[BID_HEX] = {0};
	char *copy;

	(void)arg;
	if (was_seen(path) || !(copy = strdup(path)))
		return;
	if (nseen == capseen) {
		char **n = realloc(seen, sizeof(*n) * (size_t)(capseen ? capseen * 2 : 256));

		if (!n) {
			free(copy);
			return;
		}
		seen = n;
		capseen = capseen ? capseen * 2 : 256;
	}
	seen[nseen++] = copy;
	if (!usyms_file_build_id(path, hex, sizeof(hex)))
		return;
	if (nfiles == capfiles) {
		struct bid_file *n =
			realloc(files, sizeof(*n) * (size_t)(capfiles ? capfiles * 2 : 256));

		if (!n)
			return;
		files = n;
		capfiles = capfiles ? capfiles * 2 : 256;
	}
	/* the kernel pads shorter build ids with zero bytes */
	for (size_t i = strlen(hex); i < BID_HEX - 1; i++)
		hex[i] = '0';
	hex[BID_HEX - 1] = '\0';
	memcpy(files[nfiles].hex, hex, BID_HEX);
	files[nfiles++].path = copy;
}

static const char *find_indexed(const char *hex)
{
	for (int i = 0; i < nfiles; i++)
		if (!strcmp(files[i].hex, hex))
			return files[i].path;
	return NULL;
}

static void index_own_maps(void)
{
	char line[PATH_MAX + 128];
	FILE *f = fopen("/proc/self/maps", "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '/');

		if (!p)
			continue;
		p[strcspn(p, "\n")] = '\0';
		index_file(p, NULL);
	}
	fclose(f);
}

/* Every regular ELF file directly in dir (no recursion), up to MAX_SCAN. */
static void index_folder(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d)) && nseen < MAX_SCAN) {
		unsigned char magic[4];
		struct stat st;
		int fd;

		if (de->d_name[0] == '.' ||
		    snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path) ||
		    stat(path, &st) || !S_ISREG(st.st_mode) || st.st_size < 64)
			continue;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (read(fd, magic, 4) == 4 && !memcmp(magic, "\177ELF", 4))
			index_file(path, NULL);
		close(fd);
	}
	closedir(d);
}

static void index_folders(void)
{
	static const char *const libdirs[] = {"/lib/x86_64-linux-gnu",
					      "/usr/lib/x86_64-linux-gnu",
					      "/lib64",
					      "/usr/lib64",
					      "/usr/local/lib",
					      "/usr/lib",
					      "/usr/libexec"};
	const char *env = getenv("PATH");
	char *paths = strdup(env ? env : "/usr/local/bin:/usr/bin:/bin"), *save = NULL, *dir;

	for (dir = paths ? strtok_r(paths, ":", &save) : NULL; dir;
	     dir = strtok_r(NULL, ":", &save))
		if (dir[0] == '/')
			index_folder(dir);
	free(paths);
	for (size_t i = 0; i < sizeof(libdirs) / sizeof(libdirs[0]); i++)
		index_folder(libdirs[i]);
}

/* The file (or its debug file) with build id hex, or NULL. */
static const char *find_build_id(const char *hex)
{
	char debug[PATH_MAX], trimmed[BID_HEX];
	const char *path = find_indexed(hex);
	size_t n;

	if (path)
		return path;
	memcpy(trimmed, hex, BID_HEX);
	for (n = strlen(trimmed); n > 2 && trimmed[n - 1] == '0' && trimmed[n - 2] == '0'; n -= 2)
		;
	/* a 20-byte id that ends in zero bytes is tried both ways */
	for (int pass = 0; pass < 2; pass++) {
		const char *h = pass ? trimmed : hex;

		if (usyms_build_id_debug_file(h, debug, sizeof(debug))) {
			index_file(debug, NULL);
			if ((path = find_indexed(hex)))
				return path;
		}
		trimmed[n] = '\0';
	}
	usyms_each_mapped_file(index_file, NULL);
	index_own_maps();
	if ((path = find_indexed(hex)) || scanned)
		return path;
	scanned = true;
	index_folders();
	return find_indexed(hex);
}

void usyms_note_stack(int pid, const uint64_t *addrs, const void *frames, int n)
{
	struct usym_vma vmas[MAX_VMAS];
	int nv = 0;

	if (usyms_note_pid(pid))
		return; /* its memory map was read: nothing more needed */
	for (int i = 0; i < n && nv < MAX_VMAS; i++) {
		const unsigned char *f = (const unsigned char *)frames + (size_t)i * 32;
		uint64_t off, seg_off, seg_len, start;
		char hex[BID_HEX];
		struct usym_elf *e;
		const char *path;
		int32_t status;
		int err, j;

		memcpy(&status, f, 4);
		memcpy(&off, f + 24, 8);
		if (status != 1 || !addrs[i] || off > addrs[i])
			continue;
		for (j = 0; j < 20; j++)
			sprintf(hex + j * 2, "%02x", f[4 + j]);
		if (!(path = find_build_id(hex)) || !(e = usyms_elf(path, &err)) ||
		    !usyms_elf_segment(e, off, &seg_off, &seg_len))
			continue;
		start = addrs[i] - (off - seg_off);
		for (j = 0; j < nv; j++)
			if (vmas[j].start == start && !strcmp(vmas[j].path, path))
				break;
		if (j == nv)
			vmas[nv++] = (struct usym_vma){start, start + seg_len, seg_off, path};
	}
	usyms_keep_maps(pid, vmas, nv);
}
