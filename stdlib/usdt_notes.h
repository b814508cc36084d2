/*
 * usdt_notes.h - USDT probes of an ELF file: its `.note.stapsdt` notes and
 * their argument specifications, as the SystemTap SDT convention defines
 * them (https://sourceware.org/systemtap/wiki/UserSpaceProbeImplementation).
 *
 * Each note says where a probe is (pc), the link-time address of the
 * `.stapsdt.base` section when the note was made (base: a prelinked file
 * moved its sections, and the difference moves pc and the semaphore too),
 * the address of its semaphore (0: none), its provider and name, and its
 * arguments as assembler operands with a size prefix, separated by blanks:
 *
 *     -4@$5          the constant 5, a signed 4-byte value
 *     8@%rax         register rax, 8 bytes unsigned (%eax, %ax, %al, %ah...)
 *     -4@-20(%rbp)   the signed 4 bytes at rbp - 20
 *     4@(%rax,%rdx,4), -8@sym+8(%rip)   indexed and symbol-relative memory
 *
 * The reader needs neither root nor BPF (tests/unit/test_usdt_notes.c).
 * Everything it returns lives in the arena it is given. x86-64 only.
 */
#ifndef HAWK_USDT_NOTES_H
#define HAWK_USDT_NOTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lang/arena.h"

#define USDT_MAX_ARGS 12 /* sdt.h defines STAP_PROBE0 to STAP_PROBE12 */

enum usdt_arg_kind {
	USDT_ARG_CONST, /* $5: value */
	USDT_ARG_REG,	/* %rax: the register */
	USDT_ARG_MEM,	/* disp(base,index,scale): the memory at that address */
};

/* A register: where struct pt_regs keeps it, and which bytes of it. */
struct usdt_reg {
	int16_t off;   /* byte offset in struct pt_regs (x86-64), -1: none */
	uint8_t width; /* bytes the name covers: 8 (%rax), 4 (%eax), 2 (%ax), 1 (%al, %ah) */
	uint8_t shift; /* 8 for %ah, %bh, %ch, %dh: bits to shift the register right */
};

struct usdt_arg {
	enum usdt_arg_kind kind;
	uint8_t size;	       /* 1, 2, 4 or 8 bytes */
	bool is_signed;	       /* "-N@": sign-extend the value to 64 bits */
	int64_t value;	       /* CONST: the value, already cut to size and extended */
	struct usdt_reg reg;   /* REG: the register; MEM: the base register (off -1: none) */
	struct usdt_reg index; /* MEM: the index register (off -1: none) */
	uint8_t scale;	       /* MEM: 1, 2, 4 or 8 */
	int64_t disp;	       /* MEM: the displacement (with sym: the symbol's link-time address
				* plus the offset, once resolved) */
	const char *sym;       /* MEM: a symbol in the displacement (`sym+8(%rip)`), or NULL */
	bool rip;      /* MEM: relative to %rip (only with a symbol: the address is sym's) */
	bool relocate; /* MEM: disp is a link-time address: add the load bias (ip - pc) */
};

struct usdt_note {
	const char *provider, *name;
	uint64_t pc;	      /* link-time address of the probe (adjusted for .stapsdt.base) */
	uint64_t semaphore;   /* link-time address of the semaphore (adjusted), 0: none */
	uint64_t pc_offset;   /* the file offset of pc: where the uprobe goes */
	uint64_t sema_offset; /* the file offset of the semaphore (uprobe ref_ctr_offset), 0 */
	const char *argstr;   /* the argument specifications as written */
	int nargs;
	struct usdt_arg args[USDT_MAX_ARGS];
	const char *error; /* arguments that cannot be read (an unknown register...), or NULL */
};

struct usdt_file {
	const char *path;
	bool has_notes; /* it has a .note.stapsdt section */
	int nnotes;
	struct usdt_note *notes;
};

/* Reads the USDT notes of the ELF file at path. 0 on success (also for a
 * file without notes: has_notes false), or -errno with a message in err. */
int usdt_read_file(struct arena *a, const char *path, struct usdt_file *out, char *err,
		   size_t errlen);

/* Parses one argument specification ("-4@-20(%rbp)"). 0, or -1 with a
 * message in err. Symbols are left unresolved (arg->sym). */
int usdt_parse_arg(struct arena *a, const char *spec, struct usdt_arg *arg, char *err,
		   size_t errlen);

/* Parses a whole argument string into args (at most USDT_MAX_ARGS); returns
 * the count, or -1 with a message in err. */
int usdt_parse_args(struct arena *a, const char *str, struct usdt_arg *args, char *err,
		    size_t errlen);

/* The pt_regs offset and width of a register name without '%' ("eax",
 * "r8d", "sil", "ah"); false if it is not a general-purpose register. */
bool usdt_reg_lookup(const char *name, struct usdt_reg *reg);

#endif
