/*
 * usyms.c - user-space symbols (see usyms.h): ELF symbol tables through
 * libelf (MiniDebugInfo inflated by liblzma), library names through
 * /etc/ld.so.cache, process memory maps through /proc/PID/maps. Caches live
 * until hawk exits (a few binaries and processes per run); nothing here is
 * freed before that.
 */
#define _GNU_SOURCE
#include "usyms.h"
#include "../lang/resources.h"
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <glob.h>
#include <libelf.h>
#include <limits.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct seg {
	uint64_t vaddr, memsz, offset, filesz;
	bool exec;
};

struct usym_elf {
	char *path;
	struct usym *syms;
	int nsyms;
	struct usym *dsyms; /* the debug file's .symtab, when the file has none */
	int ndsyms;
	struct seg *segs;
	int nsegs;
	bool dyn;
	struct usym_elf *next;
};

static struct usym_elf *elf_cache;

static int sym_cmp(const void *a, const void *b)
{
	const struct usym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->is_func != y->is_func)
		return x->is_func ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Adds the function and (unless funcs) object symbols of one symbol table
 * section. */
static int read_symtab(Elf *elf, Elf_Scn *scn, GElf_Shdr *sh, struct usym **syms, int *nsyms,
		       int *cap, bool funcs)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t i, n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;

	for (i = 0; data && i < n; i++) {
		GElf_Sym s;
		const char *name;
		int type;

		if (!gelf_getsym(data, (int)i, &s))
			continue;
		type = GELF_ST_TYPE(s.st_info);
		if ((type != STT_FUNC && type != STT_GNU_IFUNC && (type != STT_OBJECT || funcs)) ||
		    s.st_shndx == SHN_UNDEF || !s.st_value)
			continue;
		name = elf_strptr(elf, sh->sh_link, s.st_name);
		if (!name || !*name)
			continue;
		if (*nsyms == *cap) {
			struct usym *ns;

			if (*cap > INT_MAX / 2)
				return -ENOMEM;
			*cap = *cap ? *cap * 2 : 256;
			ns = realloc(*syms, sizeof(*ns) * (size_t)*cap);
			if (!ns)
				return -ENOMEM;
			*syms = ns;
		}
		(*syms)[*nsyms] = (struct usym){
			.name = strdup(name),
			.addr = s.st_value,
			.size = s.st_size,
			.is_func = type != STT_OBJECT,
		};
		if (!(*syms)[*nsyms].name)
			return -ENOMEM;
		(*nsyms)++;
	}
	return 0;
}

/* Sorts syms by address and drops the duplicates .symtab and .dynsym make. */
static int sort_syms(struct usym *syms, int n)
{
	int i, j;

	if (n <= 0)
		return 0; /* syms may be NULL: not for qsort */
	qsort(syms, (size_t)n, sizeof(*syms), sym_cmp);
	for (i = j = 0; i < n; i++) {
		if (j && syms[j - 1].addr == syms[i].addr &&
		    !strcmp(syms[j - 1].name, syms[i].name)) {
			free((char *)syms[i].name);
			continue;
		}
		syms[j++] = syms[i];
	}
	return j;
}

/* The build id of an ELF file (its NT_GNU_BUILD_ID note) as hex; false if none. */
static bool build_id(Elf *elf, char *hex, size_t len)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *data;
		GElf_Shdr sh;
		GElf_Nhdr nh;
		size_t off = 0, noff, doff;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE ||
		    !(data = elf_getdata(scn, NULL)))
			continue;
		while ((off = gelf_getnote(data, off, &nh, &noff, &doff)) > 0) {
			const unsigned char *d = (const unsigned char *)data->d_buf + doff;

			if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
			    memcmp((const char *)data->d_buf + noff, "GNU", 4) || nh.n_descsz < 2 ||
			    nh.n_descsz * 2 + 1 > len)
				continue;
			for (size_t i = 0; i < nh.n_descsz; i++)
				sprintf(hex + i * 2, "%02x", d[i]);
			return true;
		}
	}
	return false;
}

/* The CRC-32 (IEEE, as zlib's crc32) that .gnu_debuglink records of the
 * debug file; -1 when the file cannot be read. */
static int64_t file_crc32(int fd)
{
	static uint32_t table[256];
	unsigned char buf[65536];
	uint32_t crc = 0xffffffffu;
	ssize_t n;

	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			crc = table[(crc ^ buf[i]) & 0xff] ^ (crc >> 8);
	if (n < 0)
		return -1;
	return (int64_t)(crc ^ 0xffffffffu);
}

/* The contents of the section named `name` (the first one), or NULL when
 * there is none or it is empty. */
static Elf_Data *section_data(Elf *elf, const char *name)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *sname;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || !(sname = elf_strptr(elf, shstrndx, sh.sh_name)) ||
		    strcmp(sname, name))
			continue;
		if (sh.sh_type == SHT_NOBITS || !(data = elf_getdata(scn, NULL)) || !data->d_buf ||
		    !data->d_size)
			return NULL;
		return data;
	}
	return NULL;
}

/* ---- MiniDebugInfo ----------------------------------------------------------- */

/* What a .gnu_debugdata section may weigh, what it may inflate to, and the
 * memory the xz decoder may take (xz -9 needs 65 MiB). MiniDebugInfo is a
 * few MiB even for the largest libraries. */
#define MDI_MAX_IN   ((size_t)64 << 20)
#define MDI_MAX_OUT  ((size_t)256 << 20)
#define MDI_MEMLIMIT ((uint64_t)128 << 20)

/* Decompresses one xz stream (all of in, to at most max bytes): a malloc'd
 * buffer and its size in *outlen, or NULL when the data is corrupt,
 * truncated, too big, or memory runs out. */
static unsigned char *unxz(const unsigned char *in, size_t len, size_t max, size_t *outlen)
{
	lzma_stream s = LZMA_STREAM_INIT;
	unsigned char *out = NULL;
	size_t cap = 0;
	lzma_ret r;

	if (lzma_stream_decoder(&s, MDI_MEMLIMIT, 0) != LZMA_OK)
		return NULL;
	s.next_in = in;
	s.avail_in = len;
	do {
		if (!s.avail_out) {
			size_t ncap = cap ? cap * 2 : len * 4 + 4096;
			unsigned char *n;

			if (ncap > max)
				ncap = max;
			if (ncap <= cap || !(n = realloc(out, ncap))) {
				r = LZMA_MEM_ERROR;
				break;
			}
			out = n;
			s.next_out = out + cap;
			s.avail_out = ncap - cap;
			cap = ncap;
		}
		/* LZMA_BUF_ERROR once the input ends before the stream does */
		r = lzma_code(&s, LZMA_FINISH);
	} while (r == LZMA_OK);
	*outlen = (size_t)s.total_out;
	lzma_end(&s);
	if (r != LZMA_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}

/* Appends the function symbols of MiniDebugInfo (xz, len bytes): an
 * xz-compressed ELF file whose .symtab names the functions a stripped
 * binary's .dynsym does not (Fedora's find-debuginfo --mini-debuginfo).
 * Nothing when it is corrupt; -ENOMEM. */
static int read_minidebug(const void *xz, size_t len, size_t max, struct usym **syms, int *nsyms,
			  int *cap)
{
	unsigned char *img;
	Elf_Scn *scn = NULL;
	size_t n = 0;
	int err = 0;
	Elf *m;

	if (len > MDI_MAX_IN || !(img = unxz(xz, len, max, &n)))
		return 0;
	elf_version(EV_CURRENT);
	m = elf_memory((char *)img, n);
	while (m && elf_kind(m) == ELF_K_ELF && !err && (scn = elf_nextscn(m, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB && sh.sh_size)
			err = read_symtab(m, scn, &sh, syms, nsyms, cap, true);
	}
	if (m)
		elf_end(m);
	free(img);
	return err;
}

int usyms_minidebug_syms(const void *xz, size_t len, size_t max, struct usym **syms)
{
	int n = 0, cap = 0;

	*syms = NULL;
	if (read_minidebug(xz, len, max, syms, &n, &cap)) {
		usyms_free_syms(*syms, n);
		*syms = NULL;
		return -ENOMEM;
	}
	return sort_syms(*syms, n);
}

void usyms_free_syms(struct usym *syms, int n)
{
	for (int i = 0; i < n; i++)
		free((char *)syms[i].name);
	free(syms);
}

/* Where separate debug files are looked for: the --debuginfo folders (in
 * order; a relative one is relative to the binary's folder), then the
 * system's /usr/lib/debug. */
static char **debug_dirs;
static int ndebug_dirs;

void usyms_set_debuginfo(const char *path)
{
	char *copy = strdup(path ? path : ""), *save = NULL, *d;
	char *s = copy;

	if (s && (*s == '+' || *s == '-'))
		s++; /* libdwfl's CRC switch: debug links are always CRC-checked here */
	for (d = s ? strtok_r(s, ":", &save) : NULL; d; d = strtok_r(NULL, ":", &save)) {
		char **n = realloc(debug_dirs, sizeof(*n) * (size_t)(ndebug_dirs + 1));

		if (!n)
			break;
		debug_dirs = n;
		debug_dirs[ndebug_dirs] = strdup(d);
		if (debug_dirs[ndebug_dirs])
			ndebug_dirs++;
	}
	free(copy);
}

/* The i-th root for build-id debug files (absolute folders only), or NULL
 * after the last. */
static const char *build_id_root(int i)
{
	for (int j = 0; j < ndebug_dirs; j++)
		if (debug_dirs[j][0] == '/' && i-- == 0)
			return debug_dirs[j];
	return i == 0 ? "/usr/lib/debug" : NULL;
}

bool usyms_build_id_debug_file(const char *hex, char *out, size_t len)
{
	const char *root;

	for (int i = 0; (root = build_id_root(i)); i++) {
		snprintf(out, len, "%s/.build-id/%.2s/%s.debug", root, hex, hex + 2);
		if (!access(out, R_OK))
			return true;
	}
	return false;
}

/* The debug file a .gnu_debuglink section names (NAME and the CRC of the
 * file), searched where gdb looks: beside the binary, in its .debug folder,
 * under each --debuginfo folder (an absolute one with the binary's folder
 * too) and under /usr/lib/debug with the binary's folder. An open fd, or
 * -1. */
static int open_debuglink(Elf *elf, const char *bin)
{
	char dir[PATH_MAX], path[2 * PATH_MAX + 32];
	Elf_Data *data = section_data(elf, ".gnu_debuglink");
	const char *name = NULL;
	uint32_t crc = 0;
	char *slash;

	if (data) {
		size_t nlen = strnlen(data->d_buf, data->d_size);

		/* NAME, NUL, padding to 4 bytes, then the CRC */
		if (nlen == 0 || ((nlen + 4) & ~(size_t)3) + 4 > data->d_size)
			return -1;
		name = data->d_buf;
		memcpy(&crc, (const char *)data->d_buf + ((nlen + 4) & ~(size_t)3), 4);
	}
	if (!name || strchr(name, '/'))
		return -1;
	snprintf(dir, sizeof(dir), "%s", bin);
	slash = strrchr(dir, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	/* beside it, its .debug folder, each --debuginfo folder (an absolute
	 * one also with the binary's folder below it), /usr/lib/debug/DIR */
	for (int i = 0; i < 3 + 2 * ndebug_dirs; i++) {
		const char *u = i >= 2 && i - 2 < 2 * ndebug_dirs ? debug_dirs[(i - 2) / 2] : NULL;
		bool below = i % 2 == 1; /* u, then u with the binary's folder */
		int fd;

		if (i == 0)
			snprintf(path, sizeof(path), "%s/%s", dir, name);
		else if (i == 1)
			snprintf(path, sizeof(path), "%s/.debug/%s", dir, name);
		else if (!u)
			snprintf(path, sizeof(path), "/usr/lib/debug%s/%s", dir, name);
		else if (u[0] != '/' && !below)
			snprintf(path, sizeof(path), "%s/%s/%s", dir, u, name);
		else if (u[0] != '/')
			continue;
		else if (!below)
			snprintf(path, sizeof(path), "%s/%s", u, name);
		else
			snprintf(path, sizeof(path), "%s%s/%s", u, dir, name);
		if (!strcmp(path, bin))
			continue;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (file_crc32(fd) == (int64_t)crc && lseek(fd, 0, SEEK_SET) == 0)
			return fd;
		close(fd);
	}
	return -1;
}

/* The .symtab of a stripped file's separate debug file (found by build id,
 * else by .gnu_debuglink), for naming addresses only. Nothing when there is
 * none. */
static void load_debug_syms(Elf *elf, struct usym_elf *e)
{
	char id[128], path[PATH_MAX];
	Elf_Scn *scn = NULL;
	int fd = -1, cap = 0;
	Elf *d;

	if (build_id(elf, id, sizeof(id)) && usyms_build_id_debug_file(id, path, sizeof(path)))
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fd = open_debuglink(elf, e->path);
	if (fd < 0)
		return;
	d = elf_begin(fd, ELF_C_READ, NULL);
	while (d && (scn = elf_nextscn(d, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB && sh.sh_size &&
		    read_symtab(d, scn, &sh, &e->dsyms, &e->ndsyms, &cap, false))
			break;
	}
	e->ndsyms = sort_syms(e->dsyms, e->ndsyms);
	if (d)
		elf_end(d);
	close(fd);
}

static int load_elf(struct usym_elf *e)
{
	int fd = open(e->path, O_RDONLY | O_CLOEXEC), err = 0, cap = 0, i;
	bool symtab = false;
	size_t nph = 0;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	Elf *elf;

	if (fd < 0)
		return -errno;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		err = -ENOEXEC;
		goto out;
	}
	e->dyn = eh.e_type == ET_DYN;
	if (elf_getphdrnum(elf, &nph) == 0 && nph) {
		e->segs = calloc(nph, sizeof(*e->segs));
		for (i = 0; e->segs && (size_t)i < nph; i++) {
			GElf_Phdr ph;

			if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
				continue;
			e->segs[e->nsegs++] = (struct seg){ph.p_vaddr, ph.p_memsz, ph.p_offset,
							   ph.p_filesz, (ph.p_flags & PF_X) != 0};
		}
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) ||
		    (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM))
			continue;
		symtab |= sh.sh_type == SHT_SYMTAB && sh.sh_size > sh.sh_entsize;
		err = read_symtab(elf, scn, &sh, &e->syms, &e->nsyms, &cap, false);
		if (err)
			goto out;
	}
	/* no .symtab: the local functions from MiniDebugInfo, if it has some
	 * (they name the file's own code, so uprobes attach to them too) */
	if (!symtab) {
		Elf_Data *mdi = section_data(elf, ".gnu_debugdata");

		if (mdi)
			err = read_minidebug(mdi->d_buf, mdi->d_size, MDI_MAX_OUT, &e->syms,
					     &e->nsyms, &cap);
		if (err)
			goto out;
	}
	/* .symtab and .dynsym name the same functions: keep one of each */
	e->nsyms = sort_syms(e->syms, e->nsyms);
	if (!symtab)
		load_debug_syms(elf, e);
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return err;
}

struct usym_elf *usyms_elf(const char *path, int *err)
{
	struct usym_elf *e;
	int rc;

	for (e = elf_cache; e; e = e->next)
		if (!strcmp(e->path, path))
			return e;
	e = calloc(1, sizeof(*e));
	if (!e || !(e->path = strdup(path))) {
		free(e);
		*err = -ENOMEM;
		return NULL;
	}
	rc = load_elf(e);
	if (rc) {
		usyms_free_syms(e->syms, e->nsyms);
		usyms_free_syms(e->dsyms, e->ndsyms);
		free(e->segs);
		free(e->path);
		free(e);
		*err = rc;
		return NULL;
	}
	e->next = elf_cache;
	elf_cache = e;
	return e;
}

const struct usym *usyms_elf_syms(const struct usym_elf *e, int *n)
{
	*n = e->nsyms;
	return e->syms;
}

const struct usym *usyms_elf_find(const struct usym_elf *e, const char *name)
{
	const struct usym *obj = NULL;
	int i;

	for (i = 0; i < e->nsyms; i++) {
		if (strcmp(e->syms[i].name, name))
			continue;
		if (e->syms[i].is_func)
			return &e->syms[i];
		if (!obj)
			obj = &e->syms[i];
	}
	return obj;
}

static const struct usym *syms_at(const struct usym *syms, int nsyms, uint64_t vaddr)
{
	int lo = 0, hi = nsyms - 1, best = -1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (syms[mid].addr <= vaddr) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	/* the nearest symbol below that contains the address; a function
	 * wins over an object at the same address */
	for (; best >= 0; best--) {
		const struct usym *s = &syms[best];

		if (vaddr < s->addr + s->size || (!s->size && s->is_func))
			return s;
		if (s->size && vaddr >= s->addr + s->size && best && syms[best - 1].addr != s->addr)
			return NULL;
	}
	return NULL;
}

const struct usym *usyms_elf_at(const struct usym_elf *e, uint64_t vaddr)
{
	return syms_at(e->syms, e->nsyms, vaddr);
}

/* The file's own (exported) names first: the debug file also names them,
 * often by an internal alias (__GI_...); it adds the local functions. */
const struct usym *usyms_elf_name_at(const struct usym_elf *e, uint64_t vaddr)
{
	const struct usym *s = syms_at(e->syms, e->nsyms, vaddr);

	return s || !e->ndsyms ? s : syms_at(e->dsyms, e->ndsyms, vaddr);
}

int64_t usyms_elf_offset(const struct usym_elf *e, uint64_t vaddr, bool exec)
{
	for (int i = 0; i < e->nsegs; i++) {
		const struct seg *s = &e->segs[i];

		if (vaddr >= s->vaddr && vaddr < s->vaddr + s->filesz && (!exec || s->exec))
			return (int64_t)(vaddr - s->vaddr + s->offset);
	}
	return -1;
}

/* The virtual address of a file offset, or UINT64_MAX. */
static uint64_t elf_vaddr(const struct usym_elf *e, uint64_t off)
{
	for (int i = 0; i < e->nsegs; i++) {
		const struct seg *s = &e->segs[i];

		if (off >= s->offset && off < s->offset + s->filesz)
			return off - s->offset + s->vaddr;
	}
	return UINT64_MAX;
}

bool usyms_elf_segment(const struct usym_elf *e, uint64_t off, uint64_t *seg_off, uint64_t *seg_len)
{
	for (int i = 0; i < e->nsegs; i++) {
		const struct seg *s = &e->segs[i];

		if (s->exec && off >= s->offset && off < s->offset + s->filesz) {
			*seg_off = s->offset;
			*seg_len = s->filesz;
			return true;
		}
	}
	return false;
}

bool usyms_elf_is_dyn(const struct usym_elf *e)
{
	return e->dyn;
}

/* ---- finding binaries -------------------------------------------------------- */

static bool is_file(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISREG(st.st_mode);
}

/* Does a library file name match the short name: "c" or "libc" match
 * "libc.so.6", "libc.so.6" itself matches. */
static bool lib_matches(const char *file, const char *name)
{
	size_t n = strlen(name);
	const char *base = strrchr(file, '/');

	base = base ? base + 1 : file;
	if (!strcmp(base, name))
		return true;
	if (!strncmp(base, name, n) && !strncmp(base + n, ".so", 3) &&
	    (base[n + 3] == '\0' || base[n + 3] == '.'))
		return true;
	if (strncmp(name, "lib", 3) && !strncmp(base, "lib", 3) && !strncmp(base + 3, name, n) &&
	    !strncmp(base + 3 + n, ".so", 3) && (base[n + 6] == '\0' || base[n + 6] == '.'))
		return true;
	return false;
}

/* glibc's new-format cache ("glibc-ld.so.cache1.1"): a header, then
 * entries {flags, key, value, osversion, hwcap}; key and value are offsets
 * of strings from the start of that header (the file's start unless an old
 * format cache comes first). x86-64 entries have flags 0x303. */
static int ldcache_find(const char *name, char *out, size_t len)
{
	static const char magic[] = "glibc-ld.so.cache1.1";
	FILE *f = fopen("/etc/ld.so.cache", "re");
	char *buf = NULL;
	long size;
	int rc = -ENOENT;

	if (!f)
		return -ENOENT;
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 48 || fseek(f, 0, SEEK_SET))
		goto out;
	buf = malloc((size_t)size + 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size)
		goto out;
	buf[size] = '\0';
	{
		const char *p = memmem(buf, (size_t)size, magic, sizeof(magic) - 1);
		uint32_t nlibs, i;
		const unsigned char *ent;

		if (!p)
			goto out;
		memcpy(&nlibs, p + 20, 4);
		ent = (const unsigned char *)p + 48;
		for (i = 0; i < nlibs && ent + 24 <= (const unsigned char *)buf + size;
		     i++, ent += 24) {
			int32_t flags;
			uint32_t key, value;

			memcpy(&flags, ent, 4);
			memcpy(&key, ent + 4, 4);
			memcpy(&value, ent + 8, 4);
			if ((flags & 0xff00) != 0x0300 || key >= (uint64_t)(buf + size - p) ||
			    value >= (uint64_t)(buf + size - p))
				continue; /* only x86-64 libraries */
			if (lib_matches(p + key, name) && is_file(p + value)) {
				snprintf(out, len, "%s", p + value);
				rc = 0;
				break;
			}
		}
	}
out:
	free(buf);
	fclose(f);
	return rc;
}

static int libdir_find(const char *name, char *out, size_t len)
{
	static const char *const dirs[] = {
		"/lib/x86_64-linux-gnu",
		"/usr/lib/x86_64-linux-gnu",
		"/lib64",
		"/usr/lib64",
		"/lib",
		"/usr/lib",
		"/usr/local/lib",
	};
	static const char *const forms[] = {"%s/%s.so", "%s/lib%s.so", "%s/%s.so.*",
					    "%s/lib%s.so.*"};

	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
			char pat[PATH_MAX];
			if (!strncmp(name, "lib", 3) && strstr(forms[f], "lib%s"))
				continue;
			snprintf(pat, sizeof(pat), forms[f], dirs[d], name);
			if (!strchr(pat, '*')) {
				if (is_file(pat)) {
					snprintf(out, len, "%s", pat);
					return 0;
				}
				continue;
			}
			/* a versioned name: the first match of the glob */
			{
				glob_t g;
				int found = glob(pat, 0, NULL, &g) == 0 && g.gl_pathc;

				if (found)
					snprintf(out, len, "%s", g.gl_pathv[0]);
				globfree(&g);
				if (found)
					return 0;
			}
		}
	}
	return -ENOENT;
}

int usyms_find_binary(const char *name, char *out, size_t len)
{
	char buf[PATH_MAX];

	if (strchr(name, '/')) {
		if (!is_file(name))
			return -ENOENT;
		/* an absolute path is kept as written (probe names show it, as
		 * bpftrace's do); a relative one is made absolute */
		if (name[0] != '/' && !realpath(name, buf))
			return -errno;
		snprintf(out, len, "%s", name[0] == '/' ? name : buf);
		return 0;
	}
	{
		const char *path = getenv("PATH"), *p, *end;

		for (p = path ? path : "/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
			end = strchrnul(p, ':');
			snprintf(buf, sizeof(buf), "%.*s/%s", (int)(end - p), end == p ? "." : p,
				 name);
			if (is_file(buf) && !access(buf, X_OK)) {
				char real[PATH_MAX];

				/* as found in $PATH, absolute */
				snprintf(out, len, "%s",
					 buf[0] == '/' || !realpath(buf, real) ? buf : real);
				return 0;
			}
		}
	}
	if (!ldcache_find(name, buf, sizeof(buf)) || !libdir_find(name, buf, sizeof(buf))) {
		/* the path ld.so.cache gives, /lib/x86_64-linux-gnu/libc.so.6 */
		snprintf(out, len, "%s", buf);
		return 0;
	}
	return -ENOENT;
}

/* ---- processes ------------------------------------------------------------------- */

struct vma {
	uint64_t start, end, pgoff;
	char *path;
};

struct pid_maps {
	int pid;
	struct vma *vmas;
	int nvmas;
	uint64_t read_ns; /* CLOCK_MONOTONIC when read */
	struct pid_maps *next;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static struct pid_maps *pid_cache;

static struct pid_maps *read_maps(int pid)
{
	char path[64], line[PATH_MAX + 128];
	struct pid_maps *m;
	int cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m) {
		fclose(f);
		return NULL;
	}
	m->pid = pid;
	m->read_ns = now_ns();
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end, off;
		char perms[8];
		int pos = 0;
		char *file;

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s%n", &start, &end, perms, &off, &pos) <
			    4 ||
		    !pos)
			continue;
		file = line + pos;
		while (*file == ' ')
			file++;
		file[strcspn(file, "\n")] = '\0';
		if (file[0] != '/')
			continue;
		if (m->nvmas == cap) {
			struct vma *nv;

			cap = cap ? cap * 2 : 32;
			nv = realloc(m->vmas, sizeof(*nv) * (size_t)cap);
			if (!nv)
				break;
			m->vmas = nv;
		}
		m->vmas[m->nvmas++] = (struct vma){start, end, off, strdup(file)};
	}
	fclose(f);
	if (!m->nvmas) {
		/* a zombie or a process without mappings: nothing to keep */
		free(m->vmas);
		free(m);
		return NULL;
	}
	m->next = pid_cache;
	pid_cache = m;
	return m;
}

static struct pid_maps *find_maps(int pid)
{
	for (struct pid_maps *m = pid_cache; m; m = m->next)
		if (m->pid == pid)
			return m;
	return NULL;
}

bool usyms_note_pid(int pid)
{
	return pid > 0 && (find_maps(pid) || read_maps(pid));
}

void usyms_keep_maps(int pid, const struct usym_vma *v, int n)
{
	struct pid_maps *m;

	if (pid <= 0 || n <= 0 || find_maps(pid) || !(m = calloc(1, sizeof(*m))))
		return;
	m->vmas = calloc((size_t)n, sizeof(*m->vmas));
	for (int i = 0; m->vmas && i < n; i++) {
		m->vmas[m->nvmas] =
			(struct vma){v[i].start, v[i].end, v[i].pgoff, strdup(v[i].path)};
		if (m->vmas[m->nvmas].path)
			m->nvmas++;
	}
	if (!m->nvmas) {
		free(m->vmas);
		free(m);
		return;
	}
	m->pid = pid;
	m->read_ns = now_ns();
	m->next = pid_cache;
	pid_cache = m;
}

void usyms_each_mapped_file(void (*fn)(const char *path, void *arg), void *arg)
{
	for (struct pid_maps *m = pid_cache; m; m = m->next)
		for (int i = 0; i < m->nvmas; i++)
			if (!i || strcmp(m->vmas[i].path, m->vmas[i - 1].path))
				fn(m->vmas[i].path, arg);
}

bool usyms_file_build_id(const char *path, char *hex, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok = false;
	Elf *elf;

	if (fd < 0)
		return false;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf && elf_kind(elf) == ELF_K_ELF)
		ok = build_id(elf, hex, len);
	if (elf)
		elf_end(elf);
	close(fd);
	return ok;
}

/* Where a user address of process pid is: its mapping's file, that file's
 * symbols and the address in the file (vaddr). false when no mapping of
 * pid holds it (as far as hawk could read). */
struct uplace {
	const char *path;
	struct usym_elf *elf;
	uint64_t vaddr;
};

static bool locate(int pid, uint64_t addr, struct uplace *r)
{
	struct pid_maps *m = find_maps(pid);
	int err, i;

	for (int pass = 0; pass < 2; pass++) {
		if (m)
			for (i = 0; i < m->nvmas; i++)
				if (addr >= m->vmas[i].start && addr < m->vmas[i].end)
					goto found;
		if (pass || pid <= 0)
			return false;
		/* not read yet, or the process mapped more code since: read again,
		 * but not for every frame of a stack through anonymous (JIT) code */
		if (m && now_ns() - m->read_ns < 1000000000u)
			return false;
		if (m) {
			struct pid_maps **pp;

			for (pp = &pid_cache; *pp != m; pp = &(*pp)->next)
				;
			*pp = m->next;
		}
		if (!read_maps(pid)) {
			if (m) {
				m->next = pid_cache;
				pid_cache = m; /* the process has gone: keep what was read */
			}
			return false;
		}
		m = find_maps(pid);
	}
	return false;
found:
	r->path = m->vmas[i].path;
	r->elf = usyms_elf(r->path, &err);
	r->vaddr =
		r->elf ? elf_vaddr(r->elf, addr - m->vmas[i].start + m->vmas[i].pgoff) : UINT64_MAX;
	return true;
}

static const struct resources *usym_res;

/* A symbol's name as printed: C++ names demangled (config cpp_demangle,
 * on by default), once per symbol. */
extern char *__cxa_demangle(const char *mangled, char *out, size_t *len, int *status);

static const char *shown_name(const struct usym *cs)
{
	struct usym *s = (struct usym *)cs; /* this file's own table */
	int status = -1;

	if (usym_res && !usym_res->config.cpp_demangle)
		return s->name;
	if (!s->shown) {
		char *d = strncmp(s->name, "_Z", 2) ? NULL
						    : __cxa_demangle(s->name, NULL, NULL, &status);

		s->shown = d && !status ? d : s->name;
		if (s->shown != d)
			free(d);
	}
	return s->shown;
}

const char *usyms_name(const struct usym *s)
{
	return shown_name(s);
}

/* "func", "func+off" (offset) and " (path)" after it (module). */
static const char *name_place(const struct uplace *p, const struct usym *s, bool offset,
			      bool module, char *buf, size_t len)
{
	int n;

	if (offset && p->vaddr != s->addr)
		n = snprintf(buf, len, "%s+%llu", shown_name(s),
			     (unsigned long long)(p->vaddr - s->addr));
	else if (offset)
		n = snprintf(buf, len, "%s+0", shown_name(s));
	else
		n = snprintf(buf, len, "%s", shown_name(s));
	if (module && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " (%s)", p->path);
	return buf;
}

const char *usyms_lookup(int pid, uint64_t addr, bool offset, char *buf, size_t len)
{
	struct uplace p;
	const struct usym *s;

	if (!locate(pid, addr, &p) || p.vaddr == UINT64_MAX)
		return NULL;
	s = usyms_elf_name_at(p.elf, p.vaddr);
	if (!s)
		return NULL;
	if (offset && p.vaddr != s->addr)
		return name_place(&p, s, true, false, buf, len);
	return name_place(&p, s, false, false, buf, len);
}

const char *usyms_frame_hook(void *ctx, uint32_t pid, uint64_t addr, unsigned flags, char *buf,
			     size_t len)
{
	struct uplace p;
	const struct usym *s;

	(void)ctx;
	if (!locate((int)pid, addr, &p) || p.vaddr == UINT64_MAX)
		return NULL;
	s = usyms_elf_name_at(p.elf, p.vaddr);
	if (!s)
		return NULL;
	return name_place(&p, s, flags & OUT_FRAME_OFFSET, flags & OUT_FRAME_MODULE, buf, len);
}

void usyms_set_resources(const struct resources *res)
{
	usym_res = res;
}

const char *usyms_out_hook(void *ctx, const void *value, char *buf, size_t len)
{
	const unsigned char *d = value;
	uint64_t addr, bias;
	uint32_t pid, probe;
	const char *r;

	(void)ctx;
	memcpy(&addr, d, 8);
	memcpy(&pid, d + 8, 4);
	memcpy(&probe, d + 12, 4);
	memcpy(&bias, d + 16, 8);
	r = usyms_lookup((int)pid, addr, false, buf, len);
	if (!r && probe && usym_res && probe <= (uint32_t)usym_res->nprobes &&
	    usym_res->probes[probe - 1]->target) {
		const struct usym *s;
		struct usym_elf *e;
		int err;

		e = usyms_elf(usym_res->probes[probe - 1]->target, &err);
		s = e ? usyms_elf_name_at(e, addr - bias) : NULL;
		if (s) {
			snprintf(buf, len, "%s", shown_name(s));
			r = buf;
		}
	}
	return r;
}
