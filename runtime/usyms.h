/*
 * usyms.h - user-space symbols: ELF symbol tables of binaries and shared
 * libraries, and addresses of running processes named through their
 * /proc/PID/maps.
 *
 * Used while compiling (uprobe attach points: which binary, which
 * functions, at which file offsets; uaddr()) and while printing (usym()
 * values; later ustack frames). Everything read is cached for the life of
 * hawk: one symbol table per binary (keyed by path), one memory map per
 * process (kept after the process exits, so addresses of a process that
 * has gone are still named, as long as its maps were read while it lived:
 * usyms_note_pid() does that when an event of that pid arrives).
 *
 * Symbols are the functions and objects of .symtab and .dynsym (merged,
 * duplicates dropped), sorted by address. A file without .symtab adds the
 * functions of its MiniDebugInfo (.gnu_debugdata: an xz-compressed ELF file
 * whose .symtab names the local functions, as Fedora ships binaries), to
 * name addresses and attach probes alike. It also gets the .symtab of its
 * separate debug file, /usr/lib/debug/.build-id/NN/REST.debug or the one
 * its .gnu_debuglink names, when one is installed: only to name addresses
 * (usyms_elf_name_at), never to attach probes. Names are printed demangled
 * (C++, config cpp_demangle).
 */
#ifndef HAWK_USYMS_H
#define HAWK_USYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct usym_elf;

struct usym {
	const char *name;
	uint64_t addr; /* virtual address in the ELF file (st_value) */
	uint64_t size;
	bool is_func;	   /* STT_FUNC (or STT_GNU_IFUNC), else an object */
	const char *shown; /* usyms.c: the printed (demangled) name, made on first use */
};

/* The path of the binary or library a uprobe names: an absolute or
 * relative path as is (made absolute), a bare name looked up in $PATH and
 * then as a library ("libc", "libc.so.6", "c"): /etc/ld.so.cache, then the
 * standard library directories. Returns 0 and writes out, or -ENOENT. */
int usyms_find_binary(const char *name, char *out, size_t len);

/* The symbol table of one ELF file (cached); NULL with *err set (-errno, or
 * -ENOEXEC when it is not an ELF file). */
struct usym_elf *usyms_elf(const char *path, int *err);
/* Its symbols (sorted by address) and their count. */
const struct usym *usyms_elf_syms(const struct usym_elf *e, int *n);
/* The symbol named `name` (functions first), or NULL. */
const struct usym *usyms_elf_find(const struct usym_elf *e, const char *name);
/* The symbol containing vaddr (at or below it, within its size, or the
 * nearest below when its size is 0), or NULL. */
const struct usym *usyms_elf_at(const struct usym_elf *e, uint64_t vaddr);
/* The same for naming an address: also looks in the debug file's symbols. */
const struct usym *usyms_elf_name_at(const struct usym_elf *e, uint64_t vaddr);
/* A symbol's name as printed: demangled when it is a C++ name (and config
 * cpp_demangle is on). */
const char *usyms_name(const struct usym *s);
/* The file offset of a virtual address (through the PT_LOAD headers), or
 * -1 when no loadable segment holds it. exec: only executable segments. */
int64_t usyms_elf_offset(const struct usym_elf *e, uint64_t vaddr, bool exec);
/* ET_DYN (PIE or shared library): addresses move with the load base. */
bool usyms_elf_is_dyn(const struct usym_elf *e);

/* The function symbols of MiniDebugInfo (the contents of a .gnu_debugdata
 * section, xz, len bytes, inflating to at most max bytes), sorted by address
 * without duplicates, in *syms (free with usyms_free_syms); their count.
 * Corrupt, truncated or too big data gives 0 symbols; -ENOMEM. usyms_elf()
 * does this for a file without .symtab; the entry point is for tests. */
int usyms_minidebug_syms(const void *xz, size_t len, size_t max, struct usym **syms);
void usyms_free_syms(struct usym *syms, int n);

/* Reads and keeps the memory map of pid (if not kept already), so its
 * addresses can be named after it exits. false when none is kept (the
 * process had exited). */
bool usyms_note_pid(int pid);
/* A mapping of a file into a process: [start, end) maps the file from
 * offset pgoff. */
struct usym_vma {
	uint64_t start, end, pgoff;
	const char *path;
};
/* Keeps these mappings as pid's memory map when none is kept (a process
 * that exited before its map was read; ubuildid.c rebuilds them). */
void usyms_keep_maps(int pid, const struct usym_vma *v, int n);
/* Calls fn once for each file of each kept memory map. */
void usyms_each_mapped_file(void (*fn)(const char *path, void *arg), void *arg);
/* --debuginfo DIR[:DIR...] (repeatable): more folders for separate debug
 * files, searched before /usr/lib/debug: DIR/.build-id/NN/REST.debug for
 * an absolute DIR, and a .gnu_debuglink's NAME in DIR and DIR/BINDIR (a
 * relative DIR is relative to the binary's folder). A leading '+' or '-'
 * (libdwfl's CRC switch) is skipped: debug links are always CRC-checked. */
void usyms_set_debuginfo(const char *path);
/* The first readable ROOT/.build-id/NN/REST.debug for build id hex, over
 * the absolute --debuginfo folders and /usr/lib/debug. */
bool usyms_build_id_debug_file(const char *hex, char *out, size_t len);
/* The build id (NT_GNU_BUILD_ID) of the ELF file at path as hex. */
bool usyms_file_build_id(const char *path, char *hex, size_t len);
/* The executable PT_LOAD segment holding file offset off: its file offset
 * and size. */
bool usyms_elf_segment(const struct usym_elf *e, uint64_t off, uint64_t *seg_off,
		       uint64_t *seg_len);

/* A user stack of a process that had exited when its first stack arrived:
 * the frames' addresses and the same frames as (build id, file offset), as
 * BPF_F_USER_BUILD_ID gives them (struct bpf_stack_build_id, 32 bytes
 * each). Finds each build id's file (the files of kept memory maps and
 * hawk's own, /usr/lib/debug/.build-id, the programs in $PATH and the
 * standard library folders) and keeps the mappings the frames show, so the
 * process's addresses are named (ubuildid.c). */
void usyms_note_stack(int pid, const uint64_t *addrs, const void *frames, int n);
/* Names the address addr of process pid: "func" (the containing symbol),
 * copied into buf; with `offset`, "func+0x10" when inside it. NULL when
 * nothing is known (no map for the address, or no symbol). */
const char *usyms_lookup(int pid, uint64_t addr, bool offset, char *buf, size_t len);
/* A hook for struct out: one frame of a user stack (flags OUT_FRAME_*). */
const char *usyms_frame_hook(void *ctx, uint32_t pid, uint64_t addr, unsigned flags, char *buf,
			     size_t len);
/* The same as a hook for struct out (runtime/output.h), for a usym_t value
 * (layout there). When the process's map is unknown (it exited before it
 * could be read), an address taken in a uprobe is looked up in that
 * probe's binary, moved by the load bias the probe saw. */
struct resources;
void usyms_set_resources(const struct resources *res);
const char *usyms_out_hook(void *ctx, const void *value, char *buf, size_t len);

#endif
