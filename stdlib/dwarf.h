/*
 * dwarf.h - DWARF debug info of user-space binaries (libdw), for uprobes:
 * the parameters and return type of a function as hawk types (args,
 * retval), their C spelling (-lv), and the address of a source line
 * (uprobe:BIN@FILE:LINE[:COL]).
 *
 * Debug info is found the way debuggers find it: in the binary itself, or a
 * separate file through its build id or .gnu_debuglink (/usr/lib/debug).
 * A binary is read once per process, on the first question about it.
 */
#ifndef HAWK_STD_DWARF_H
#define HAWK_STD_DWARF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct hk_type;

/* Where a parameter is at the function's entry (x86-64 System V). */
enum dwarf_param_where {
	DWP_REG,   /* in an integer register: `off` is its pt_regs offset */
	DWP_STACK, /* on the stack: `off` bytes above the stack pointer */
	DWP_NONE,  /* not readable: a float (SSE register) or a struct by value */
};

struct dwarf_param {
	const char *name;     /* "" when unnamed */
	const char *ctype;    /* C spelling, as bpftrace -lv prints it ("const char*") */
	struct hk_type *type; /* NULL with DWP_NONE */
	enum dwarf_param_where where;
	uint32_t off;
	const char *why; /* DWP_NONE: why it cannot be read ("a floating-point value...") */
};

struct dwarf_func {
	const char *name;
	int nparams;
	struct dwarf_param *params;
	struct hk_type *ret; /* NULL: void, or a type a register cannot hold */
	const char *ret_ctype;
	bool is_void;
};

/* Does the binary at `path` have DWARF debug info? */
bool std_dwarf_available(const char *path);
/* --debuginfo (repeatable): folders searched for separate debug info
 * before libdwfl's default ones (the binary's folder, .debug,
 * /usr/lib/debug), in libdwfl's syntax: DIR[:DIR...], a relative DIR
 * relative to the binary's folder, a leading '+' for CRC checks. */
void std_dwarf_add_debuginfo(const char *path);

/* The function at ELF address `vaddr` (else the one called `name`) of the
 * binary, its types converted into arena `a` (user-space pointers). Returns
 * 0, -ENODATA (no debug info), -ENOENT (no such function in it). */
int std_dwarf_func(struct arena *a, const char *path, const char *name, uint64_t vaddr,
		   struct dwarf_func *out);

/* The address (ELF vaddr) of source line FILE:LINE[:COL] (col 0: any): the
 * first line-table row of the one compilation unit whose source FILE names
 * (a path suffix, on whole components). Returns 0 or -errno with a message
 * in err: -ENODATA no debug info, -ENOENT no such file or line, -EINVAL
 * FILE is ambiguous. */
int std_dwarf_line_addr(const char *path, const char *file, int line, int col, uint64_t *addr,
			char *err, size_t errlen);

/* Releases every binary read (tests, leak checkers). */
void std_dwarf_free(void);

#endif
