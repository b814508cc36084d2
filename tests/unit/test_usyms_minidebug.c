/*
 * test_usyms_minidebug.c - MiniDebugInfo (runtime/usyms.c,
 * usyms_minidebug_syms): a small ELF file made here (a .symtab with
 * functions, an ifunc, an object, an undefined symbol and a duplicate),
 * compressed with liblzma as .gnu_debugdata holds it, gives exactly its
 * defined functions, sorted, once each. Then everything that must be
 * ignored without a crash or a leak (the ASan build runs this too): every
 * truncation of the xz data, every byte of it changed, xz of something that
 * is not ELF, every truncation of the ELF file inside, ELF headers pointing
 * outside the file, and output over the size bound.
 */
#include <elf.h>
#include <lzma.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/usyms.h"
#include "check.h"

#define IMG_MAX 4096

static const char shstr[] = "\0.text\0.symtab\0.strtab\0.shstrtab";
enum { SH_TEXT = 1, SH_SYMTAB = 7, SH_STRTAB = 15, SH_SHSTRTAB = 23 };
static const char str[] = "\0alpha\0beta\0gamma\0undef\0delta";
enum { S_ALPHA = 1, S_BETA = 7, S_GAMMA = 12, S_UNDEF = 18, S_DELTA = 24 };

struct img {
	unsigned char b[IMG_MAX];
	size_t len;
	size_t symtab_shdr; /* offset of .symtab's section header */
	size_t sym_off;	    /* offset of .symtab's contents */
};

static size_t put(struct img *m, const void *p, size_t n, size_t align)
{
	size_t off = (m->len + align - 1) & ~(align - 1);

	memset(m->b + m->len, 0, off - m->len);
	memcpy(m->b + off, p, n);
	m->len = off + n;
	return off;
}

/* An ELF64 file like the one inside .gnu_debugdata: .text (NOBITS, where
 * the symbols point), .symtab, .strtab, .shstrtab; headers at the end. */
static void make_elf(struct img *m)
{
	Elf64_Ehdr eh = {0};
	Elf64_Sym syms[] = {
		{0},
		{S_ALPHA, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), 0, SH_TEXT, 0x1000, 0x10},
		{S_BETA, ELF64_ST_INFO(STB_LOCAL, STT_FUNC), 0, SH_TEXT, 0x1010, 0x20},
		{S_GAMMA, ELF64_ST_INFO(STB_LOCAL, STT_OBJECT), 0, SH_TEXT, 0x1030, 8},
		{S_UNDEF, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), 0, SHN_UNDEF, 0, 0},
		{S_ALPHA, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), 0, SH_TEXT, 0x1000, 0x10},
		{S_DELTA, ELF64_ST_INFO(STB_GLOBAL, STT_GNU_IFUNC), 0, SH_TEXT, 0x1040, 4},
	};
	Elf64_Shdr sh[5] = {{0}};
	size_t shstr_off, str_off, sym_off, sh_off;

	m->len = sizeof(eh);
	shstr_off = put(m, shstr, sizeof(shstr), 1);
	str_off = put(m, str, sizeof(str), 1);
	sym_off = put(m, syms, sizeof(syms), 8);
	sh[1] = (Elf64_Shdr){
		SH_TEXT, SHT_NOBITS, SHF_ALLOC | SHF_EXECINSTR, 0x1000, 0x1000, 0x100, 0, 0, 16, 0};
	sh[2] = (Elf64_Shdr){SH_SYMTAB,	   SHT_SYMTAB, 0, 0, sym_off,
			     sizeof(syms), 3,	       3, 8, sizeof(Elf64_Sym)};
	sh[3] = (Elf64_Shdr){SH_STRTAB, SHT_STRTAB, 0, 0, str_off, sizeof(str), 0, 0, 1, 0};
	sh[4] = (Elf64_Shdr){SH_SHSTRTAB, SHT_STRTAB, 0, 0, shstr_off, sizeof(shstr), 0, 0, 1, 0};
	sh_off = put(m, sh, sizeof(sh), 8);
	m->symtab_shdr = sh_off + 2 * sizeof(Elf64_Shdr);
	m->sym_off = sym_off;

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_DYN;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_ehsize = sizeof(eh);
	eh.e_shoff = sh_off;
	eh.e_shentsize = sizeof(Elf64_Shdr);
	eh.e_shnum = 5;
	eh.e_shstrndx = 4;
	memcpy(m->b, &eh, sizeof(eh));
}

/* xz of n bytes (one stream, CRC64 check, as xz(1) makes): its length. */
static size_t xz(const void *in, size_t n, unsigned char *out, size_t cap)
{
	size_t pos = 0;

	if (lzma_easy_buffer_encode(0, LZMA_CHECK_CRC64, NULL, in, n, out, &pos, cap) != LZMA_OK)
		return 0;
	return pos;
}

/* The symbols of xz data, freed; -1 on -ENOMEM, else their count. */
static int count(const void *data, size_t n, size_t max)
{
	struct usym *syms;
	int got = usyms_minidebug_syms(data, n, max, &syms);

	if (got < 0)
		return -1;
	usyms_free_syms(syms, got);
	return got;
}

static void test_good(const unsigned char *x, size_t n, size_t img_len)
{
	struct usym *syms;
	int got = usyms_minidebug_syms(x, n, 1 << 20, &syms);

	CHECK(got == 3);
	if (got == 3) {
		CHECK_STR(syms[0].name, "alpha");
		CHECK(syms[0].addr == 0x1000 && syms[0].size == 0x10 && syms[0].is_func);
		CHECK_STR(syms[1].name, "beta");
		CHECK(syms[1].addr == 0x1010 && syms[1].size == 0x20 && syms[1].is_func);
		CHECK_STR(syms[2].name, "delta");
		CHECK(syms[2].addr == 0x1040 && syms[2].is_func);
	}
	usyms_free_syms(syms, got > 0 ? got : 0);

	/* the output bound: exactly the file's size is enough, a byte less not */
	CHECK(count(x, n, img_len) == 3);
	CHECK(count(x, n, img_len - 1) == 0);
	CHECK(count(x, 0, 1 << 20) == 0);
}

static void test_corrupt_xz(const unsigned char *x, size_t n)
{
	unsigned char *c = malloc(n);
	int bad = 0;

	/* every truncation: the stream never ends */
	for (size_t i = 0; i < n; i++)
		bad += count(x, i, 1 << 20) != 0;
	CHECK(bad == 0);
	/* every byte changed: headers, data and index are all checked */
	bad = 0;
	for (size_t i = 0; c && i < n; i++) {
		memcpy(c, x, n);
		c[i] ^= 0x55;
		bad += count(c, n, 1 << 20) != 0;
	}
	CHECK(c && bad == 0);
	free(c);
	/* not xz at all */
	CHECK(count("\xfd"
		    "7zXZ\0 not really xz data",
		    25, 1 << 20) == 0);
	CHECK(count("\x7f"
		    "ELF",
		    4, 1 << 20) == 0);
}

static void test_bad_elf(const struct img *m)
{
	unsigned char x[IMG_MAX + 1024];
	static const char junk[] = "this is not an ELF file at all, but valid xz";
	struct img b;
	size_t n;
	int over = 0;

	n = xz(junk, sizeof(junk), x, sizeof(x));
	CHECK(n > 0 && count(x, n, 1 << 20) == 0);

	/* the ELF file cut anywhere: never more than its symbols */
	for (size_t cut = 0; cut < m->len; cut += 3) {
		n = xz(m->b, cut, x, sizeof(x));
		over += !n || count(x, n, 1 << 20) > 3;
	}
	CHECK(over == 0);

	/* headers that point outside the file */
	struct {
		size_t off; /* within the image */
		uint64_t val;
		size_t width;
	} pokes[] = {
		{offsetof(Elf64_Ehdr, e_shoff), 0xfffffffffff0ull, 8},
		{offsetof(Elf64_Ehdr, e_shnum), 0xffff, 2},
		{offsetof(Elf64_Ehdr, e_shstrndx), 77, 2},
		{m->symtab_shdr + offsetof(Elf64_Shdr, sh_offset), 0x7fffffff, 8},
		{m->symtab_shdr + offsetof(Elf64_Shdr, sh_size), 0x7fffffff0ull, 8},
		{m->symtab_shdr + offsetof(Elf64_Shdr, sh_entsize), 0, 8},
		{m->symtab_shdr + offsetof(Elf64_Shdr, sh_entsize), 1, 8},
		{m->symtab_shdr + offsetof(Elf64_Shdr, sh_link), 99, 4},
		{m->symtab_shdr + offsetof(Elf64_Shdr, sh_link), 2, 4},
	};
	for (size_t i = 0; i < sizeof(pokes) / sizeof(pokes[0]); i++) {
		int got;

		b = *m;
		memcpy(b.b + pokes[i].off, &pokes[i].val, pokes[i].width);
		n = xz(b.b, b.len, x, sizeof(x));
		got = n ? count(x, n, 1 << 20) : -1;
		if (got < 0 || got > 3)
			fprintf(stderr, "poke %zu: %d symbols\n", i, got);
		CHECK(got >= 0 && got <= 3);
	}
	/* names outside .strtab are dropped, the others kept */
	b = *m;
	{
		uint32_t far = 5000; /* the name of symbol 1, alpha */

		memcpy(b.b + m->sym_off + sizeof(Elf64_Sym), &far, sizeof(far));
	}
	n = xz(b.b, b.len, x, sizeof(x));
	CHECK(n && count(x, n, 1 << 20) == 3); /* the duplicate alpha still names it */
}

int main(void)
{
	static struct img m;
	unsigned char x[IMG_MAX + 1024];
	size_t n;

	make_elf(&m);
	n = xz(m.b, m.len, x, sizeof(x));
	CHECK(n > 0);
	test_good(x, n, m.len);
	test_corrupt_xz(x, n);
	test_bad_elf(&m);
	return check_done();
}
