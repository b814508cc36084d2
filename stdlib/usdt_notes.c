/*
 * usdt_notes.c - reads the `.note.stapsdt` notes of an ELF file and parses
 * their argument specifications (see usdt_notes.h for the format).
 *
 * Addresses: a note records the probe's pc, the semaphore's address and the
 * address `.stapsdt.base` had when the note was written. If the section is
 * now elsewhere (prelink moved the file), both addresses move by the same
 * difference. A uprobe is placed by file offset: pc and the semaphore are
 * turned into offsets through the PT_LOAD segment that holds them.
 */
#include "usdt_notes.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NT_STAPSDT 3

/* ---- registers ------------------------------------------------------------------- */

/* x86-64 struct pt_regs, in the order the kernel lays it out. */
enum {
	R15 = 0,
	R14 = 8,
	R13 = 16,
	R12 = 24,
	RBP = 32,
	RBX = 40,
	R11 = 48,
	R10 = 56,
	R9 = 64,
	R8 = 72,
	RAX = 80,
	RCX = 88,
	RDX = 96,
	RSI = 104,
	RDI = 112,
	RIP = 128,
	RSP = 152,
};

struct reg_name {
	const char *name;
	int16_t off;
	uint8_t width, shift;
};

static const struct reg_name regs[] = {
	{"rax", RAX, 8, 0}, {"eax", RAX, 4, 0}, {"ax", RAX, 2, 0},  {"al", RAX, 1, 0},
	{"ah", RAX, 1, 8},  {"rbx", RBX, 8, 0}, {"ebx", RBX, 4, 0}, {"bx", RBX, 2, 0},
	{"bl", RBX, 1, 0},  {"bh", RBX, 1, 8},	{"rcx", RCX, 8, 0}, {"ecx", RCX, 4, 0},
	{"cx", RCX, 2, 0},  {"cl", RCX, 1, 0},	{"ch", RCX, 1, 8},  {"rdx", RDX, 8, 0},
	{"edx", RDX, 4, 0}, {"dx", RDX, 2, 0},	{"dl", RDX, 1, 0},  {"dh", RDX, 1, 8},
	{"rsi", RSI, 8, 0}, {"esi", RSI, 4, 0}, {"si", RSI, 2, 0},  {"sil", RSI, 1, 0},
	{"rdi", RDI, 8, 0}, {"edi", RDI, 4, 0}, {"di", RDI, 2, 0},  {"dil", RDI, 1, 0},
	{"rbp", RBP, 8, 0}, {"ebp", RBP, 4, 0}, {"bp", RBP, 2, 0},  {"bpl", RBP, 1, 0},
	{"rsp", RSP, 8, 0}, {"esp", RSP, 4, 0}, {"sp", RSP, 2, 0},  {"spl", RSP, 1, 0},
	{"rip", RIP, 8, 0},
};

bool usdt_reg_lookup(const char *name, struct usdt_reg *reg)
{
	static const int16_t rn[] = {R8, R9, R10, R11, R12, R13, R14, R15};
	size_t i;

	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		if (!strcmp(regs[i].name, name)) {
			reg->off = regs[i].off;
			reg->width = regs[i].width;
			reg->shift = regs[i].shift;
			return true;
		}
	}
	/* r8..r15 with an optional d (32 bits), w (16) or b/l (8) suffix */
	if (name[0] == 'r' && name[1] >= '0' && name[1] <= '9') {
		char *end;
		long n = strtol(name + 1, &end, 10);

		if (n < 8 || n > 15)
			return false;
		reg->off = rn[n - 8];
		reg->shift = 0;
		if (!*end)
			reg->width = 8;
		else if (!strcmp(end, "d"))
			reg->width = 4;
		else if (!strcmp(end, "w"))
			reg->width = 2;
		else if (!strcmp(end, "b") || !strcmp(end, "l"))
			reg->width = 1;
		else
			return false;
		return true;
	}
	return false;
}

/* ---- argument specifications ---------------------------------------------------- */

static int fail(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (err && len) {
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* An integer (decimal, 0x hex or 0 octal, optional sign) at *p; advances. */
static bool parse_int(const char **p, int64_t *v)
{
	const char *s = *p;
	bool neg = false;
	unsigned long long u;
	char *end;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	u = strtoull(s, &end, 0);
	if (errno)
		return false;
	*v = neg ? (int64_t)(0 - (uint64_t)u) : (int64_t)u;
	*p = end;
	return true;
}

/* A register "%name" at *p (name: letters and digits); advances. */
static bool parse_reg(const char **p, struct usdt_reg *r, char *name, size_t len)
{
	const char *s = *p;
	size_t n = 0;

	if (*s != '%')
		return false;
	s++;
	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9'))
		n++;
	if (!n || n >= len)
		return false;
	memcpy(name, s, n);
	name[n] = '\0';
	*p = s + n;
	return usdt_reg_lookup(name, r);
}

static bool is_sym_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
}

static bool is_sym_char(char c)
{
	return is_sym_start(c) || (c >= '0' && c <= '9') || c == '$' || c == '@';
}

/* Cuts v to size bytes and extends it back to 64 bits, signed or not. */
static int64_t fit(int64_t v, int size, bool sgn)
{
	int bits = size * 8;
	uint64_t u = (uint64_t)v;

	if (bits >= 64)
		return v;
	u &= (1ull << bits) - 1;
	if (sgn && (u >> (bits - 1)) & 1)
		u |= ~((1ull << bits) - 1);
	return (int64_t)u;
}

int usdt_parse_arg(struct arena *a, const char *spec, struct usdt_arg *arg, char *err,
		   size_t errlen)
{
	const char *p = spec, *at = strchr(spec, '@');
	char rn[16];

	memset(arg, 0, sizeof(*arg));
	arg->reg.off = arg->index.off = -1;
	arg->size = 8;
	/* the size prefix: "N@" or "-N@" (without one, 8 bytes) */
	if (at && at > spec && at[1]) {
		const char *q = spec;
		int64_t n;

		if (*q == '-')
			q++;
		if (q < at && *q >= '0' && *q <= '9') {
			if (!parse_int(&p, &n) || p != at)
				return fail(err, errlen, "bad size prefix in '%s'", spec);
			if (n < 0) {
				arg->is_signed = true;
				n = -n;
			}
			if (n != 1 && n != 2 && n != 4 && n != 8)
				return fail(err, errlen, "bad size %lld in '%s' (1, 2, 4 or 8)",
					    (long long)n, spec);
			arg->size = (uint8_t)n;
			p = at + 1;
		}
	}
	if (*p == '$') {
		/* a constant */
		p++;
		arg->kind = USDT_ARG_CONST;
		if (!parse_int(&p, &arg->value) || *p)
			return fail(err, errlen, "bad constant in '%s'", spec);
		arg->value = fit(arg->value, arg->size, arg->is_signed);
		return 0;
	}
	if (*p == '%') {
		/* a register */
		arg->kind = USDT_ARG_REG;
		if (!parse_reg(&p, &arg->reg, rn, sizeof(rn)) || arg->reg.off == RIP)
			return fail(err, errlen, "unsupported register in '%s'", spec);
		if (*p)
			return fail(err, errlen, "unexpected '%s' in '%s'", p, spec);
		return 0;
	}
	/* memory: [disp](base[,index[,scale]]) or a bare disp (an absolute address) */
	arg->kind = USDT_ARG_MEM;
	arg->scale = 1;
	if (is_sym_start(*p)) {
		const char *s = p;

		while (is_sym_char(*p))
			p++;
		arg->sym = arena_strndup(a, s, (size_t)(p - s));
		if (*p == '+' || *p == '-') {
			if (!parse_int(&p, &arg->disp))
				return fail(err, errlen, "bad displacement in '%s'", spec);
		}
	} else if (*p != '(') {
		if (!parse_int(&p, &arg->disp))
			return fail(err, errlen, "unsupported argument '%s'", spec);
	}
	if (*p == '(') {
		p++;
		if (*p == '%' && !parse_reg(&p, &arg->reg, rn, sizeof(rn)))
			return fail(err, errlen, "unsupported register in '%s'", spec);
		if (arg->reg.off >= 0 && arg->reg.width != 8)
			return fail(err, errlen, "unsupported base register in '%s'", spec);
		if (*p == ',') {
			p++;
			if (*p == '%') {
				if (!parse_reg(&p, &arg->index, rn, sizeof(rn)) ||
				    arg->index.off == RIP || arg->index.width != 8)
					return fail(err, errlen,
						    "unsupported index register in '%s'", spec);
			}
			if (*p == ',') {
				int64_t sc;

				p++;
				if (!parse_int(&p, &sc) ||
				    (sc != 1 && sc != 2 && sc != 4 && sc != 8))
					return fail(err, errlen, "bad scale in '%s'", spec);
				arg->scale = (uint8_t)sc;
			}
		}
		if (*p != ')')
			return fail(err, errlen, "missing ')' in '%s'", spec);
		p++;
	} else if (!arg->sym && p == spec) {
		return fail(err, errlen, "unsupported argument '%s'", spec);
	}
	if (*p)
		return fail(err, errlen, "unexpected '%s' in '%s'", p, spec);
	if (arg->reg.off == RIP) {
		/* sym(%rip) is sym's address; a plain number is relative to the next
		 * instruction, which the note does not say */
		if (!arg->sym || arg->index.off >= 0)
			return fail(err, errlen, "unsupported %%rip-relative argument '%s'", spec);
		arg->rip = true;
		arg->reg.off = -1;
	}
	return 0;
}

int usdt_parse_args(struct arena *a, const char *str, struct usdt_arg *args, char *err,
		    size_t errlen)
{
	const char *p = str;
	int n = 0;

	while (*p) {
		const char *s;
		char *one;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		s = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (n == USDT_MAX_ARGS)
			return fail(err, errlen, "more than %d arguments", USDT_MAX_ARGS);
		one = arena_strndup(a, s, (size_t)(p - s));
		if (usdt_parse_arg(a, one, &args[n], err, errlen))
			return -1;
		n++;
	}
	return n;
}

/* ---- the ELF file --------------------------------------------------------------- */

/* The file offset of vaddr through the PT_LOAD segment holding it (an
 * executable one when exec), or 0 when none does. */
static uint64_t vaddr_to_offset(Elf *e, uint64_t vaddr, bool exec)
{
	size_t i, n;
	GElf_Phdr ph;

	if (elf_getphdrnum(e, &n))
		return 0;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (exec && !(ph.p_flags & PF_X))
			continue;
		if (vaddr >= ph.p_vaddr && vaddr < ph.p_vaddr + ph.p_memsz)
			return vaddr - ph.p_vaddr + ph.p_offset;
	}
	return 0;
}

/* A symbol's value from .symtab, else .dynsym; false if neither has it. */
static bool find_symbol(Elf *e, const char *name, uint64_t *value)
{
	static const uint32_t kinds[] = {SHT_SYMTAB, SHT_DYNSYM};
	size_t k;

	for (k = 0; k < 2; k++) {
		Elf_Scn *scn = NULL;
		GElf_Shdr sh;

		while ((scn = elf_nextscn(e, scn))) {
			Elf_Data *d;
			size_t i, n;

			if (!gelf_getshdr(scn, &sh) || sh.sh_type != kinds[k] || !sh.sh_entsize)
				continue;
			d = elf_getdata(scn, NULL);
			n = sh.sh_size / sh.sh_entsize;
			for (i = 0; d && i < n; i++) {
				GElf_Sym sym;
				const char *nm;

				if (!gelf_getsym(d, (int)i, &sym) || sym.st_shndx == SHN_UNDEF)
					continue;
				nm = elf_strptr(e, sh.sh_link, sym.st_name);
				if (nm && !strcmp(nm, name)) {
					*value = sym.st_value;
					return true;
				}
			}
		}
	}
	return false;
}

/* Fills one note from its descriptor; false if it is malformed. */
static bool read_note(struct arena *a, Elf *e, const char *desc, size_t len, bool have_base,
		      uint64_t base_addr, struct usdt_note *note)
{
	uint64_t pc, base, sema;
	const char *prov, *name, *args, *end = desc + len;
	char err[256];
	int i;

	if (len < 3 * 8 + 3)
		return false;
	memcpy(&pc, desc, 8);
	memcpy(&base, desc + 8, 8);
	memcpy(&sema, desc + 16, 8);
	prov = desc + 24;
	name = memchr(prov, '\0', (size_t)(end - prov));
	if (!name || ++name >= end)
		return false;
	args = memchr(name, '\0', (size_t)(end - name));
	if (!args || ++args > end)
		return false;
	if (args == end || !memchr(args, '\0', (size_t)(end - args)))
		args = "";
	/* prelink moved the file: move pc and the semaphore with .stapsdt.base */
	if (have_base && base) {
		pc += base_addr - base;
		if (sema)
			sema += base_addr - base;
	}
	note->provider = arena_strdup(a, prov);
	note->name = arena_strdup(a, name);
	note->argstr = arena_strdup(a, args);
	note->pc = pc;
	note->semaphore = sema;
	note->pc_offset = vaddr_to_offset(e, pc, true);
	note->sema_offset = sema ? vaddr_to_offset(e, sema, false) : 0;
	if (!note->pc_offset)
		note->error = arena_printf(a, "its address 0x%llx is in no executable segment",
					   (unsigned long long)pc);
	else if (sema && !note->sema_offset)
		note->error = arena_printf(a, "its semaphore 0x%llx is in no loaded segment",
					   (unsigned long long)sema);
	note->nargs = usdt_parse_args(a, note->argstr, note->args, err, sizeof(err));
	if (note->nargs < 0) {
		note->nargs = 0;
		if (!note->error)
			note->error = arena_printf(a, "its arguments '%s' cannot be read: %s",
						   note->argstr, err);
		return true;
	}
	for (i = 0; i < note->nargs; i++) {
		struct usdt_arg *arg = &note->args[i];
		uint64_t v;

		if (!arg->sym)
			continue;
		if (!find_symbol(e, arg->sym, &v)) {
			if (!note->error)
				note->error =
					arena_printf(a,
						     "argument %d refers to symbol '%s', which "
						     "the file's symbol tables do not have",
						     i, arg->sym);
			continue;
		}
		arg->disp += (int64_t)v;
		arg->relocate = true;
	}
	return true;
}

int usdt_read_file(struct arena *a, const char *path, struct usdt_file *out, char *err,
		   size_t errlen)
{
	Elf_Scn *scn = NULL, *notes = NULL;
	struct usdt_note *list = NULL;
	uint64_t base_addr = 0;
	bool have_base = false;
	int fd, rc = 0, cap = 0;
	size_t shstrndx;
	GElf_Ehdr eh;
	Elf *e;

	memset(out, 0, sizeof(*out));
	out->path = arena_strdup(a, path);
	if (elf_version(EV_CURRENT) == EV_NONE)
		return fail(err, errlen, "libelf: %s", elf_errmsg(-1)), -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		fail(err, errlen, "%s", strerror(errno));
		return rc;
	}
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
		fail(err, errlen, "not an ELF file");
		rc = -ENOEXEC;
		goto out;
	}
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64) {
		fail(err, errlen, "not an x86-64 ELF file");
		rc = -ENOEXEC;
		goto out;
	}
	if (elf_getshdrstrndx(e, &shstrndx)) {
		fail(err, errlen, "no section names");
		rc = -ENOEXEC;
		goto out;
	}
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		const char *nm;

		if (!gelf_getshdr(scn, &sh))
			continue;
		nm = elf_strptr(e, shstrndx, sh.sh_name);
		if (!nm)
			continue;
		if (sh.sh_type == SHT_NOTE && !strcmp(nm, ".note.stapsdt"))
			notes = scn;
		else if (!strcmp(nm, ".stapsdt.base")) {
			have_base = true;
			base_addr = sh.sh_addr;
		}
	}
	if (!notes)
		goto out;
	out->has_notes = true;
	{
		Elf_Data *d = elf_getdata(notes, NULL);
		size_t off = 0, name_off, desc_off;
		GElf_Nhdr nh;

		while (d && (off = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
			const char *owner = (const char *)d->d_buf + name_off;

			if (nh.n_type != NT_STAPSDT || nh.n_namesz != sizeof("stapsdt") ||
			    memcmp(owner, "stapsdt", sizeof("stapsdt")))
				continue;
			if (out->nnotes == cap) {
				struct usdt_note *nl;

				cap = cap ? cap * 2 : 16;
				nl = arena_alloc(a, sizeof(*nl) * (size_t)cap);
				if (out->nnotes)
					memcpy(nl, list, sizeof(*nl) * (size_t)out->nnotes);
				list = nl;
			}
			memset(&list[out->nnotes], 0, sizeof(*list));
			if (read_note(a, e, (const char *)d->d_buf + desc_off, nh.n_descsz,
				      have_base, base_addr, &list[out->nnotes]))
				out->nnotes++;
		}
	}
	out->notes = list;
out:
	if (e)
		elf_end(e);
	close(fd);
	return rc;
}
