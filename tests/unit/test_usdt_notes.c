/*
 * test_usdt_notes.c - the USDT note reader (stdlib/usdt_notes.c) without
 * root: argument specifications parsed one by one (every kind, size, sign,
 * register name, and the errors), then the notes of the e2e program
 * usdt_target (built by CMake, path in USDT_TARGET) checked against the file
 * itself: every probe address is a nop at its file offset, the semaphore is
 * the .probes section, symbol-relative arguments point at the variable's
 * initial value. A copy whose .stapsdt.base section was moved (as prelink
 * does) moves every probe and semaphore address by as much.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stdlib/usdt_notes.h"
#include "check.h"

#ifndef USDT_TARGET
#error "USDT_TARGET (the path of tests/e2e/progs/usdt_target) must be defined"
#endif

static struct arena arena;

static struct usdt_arg parse_ok(const char *spec)
{
	struct usdt_arg a;
	char err[256] = "";
	int rc = usdt_parse_arg(&arena, spec, &a, err, sizeof(err));

	if (rc)
		fprintf(stderr, "parse '%s': %s\n", spec, err);
	CHECK(rc == 0);
	return a;
}

static void parse_fails(const char *spec, const char *want)
{
	struct usdt_arg a;
	char err[256] = "";

	CHECK(usdt_parse_arg(&arena, spec, &a, err, sizeof(err)) == -1);
	CHECK_STR(err, want);
}

static void test_parse(void)
{
	struct usdt_arg a;
	struct usdt_arg args[USDT_MAX_ARGS];
	char err[256];

	/* constants: cut to the size, then sign- or zero-extended */
	a = parse_ok("-4@$5");
	CHECK(a.kind == USDT_ARG_CONST && a.size == 4 && a.is_signed && a.value == 5);
	a = parse_ok("2@$-1");
	CHECK(a.kind == USDT_ARG_CONST && a.size == 2 && !a.is_signed && a.value == 65535);
	a = parse_ok("-1@$-5");
	CHECK(a.value == -5);
	a = parse_ok("-1@$255");
	CHECK(a.value == -1);
	a = parse_ok("4@$0x10");
	CHECK(a.value == 16);
	a = parse_ok("8@$1311768467463790320");
	CHECK(a.value == 0x123456789abcdef0ll && a.size == 8);
	a = parse_ok("8@$-1");
	CHECK(a.value == -1);

	/* registers: pt_regs offsets (x86-64), widths, %ah's shift */
	a = parse_ok("8@%rax");
	CHECK(a.kind == USDT_ARG_REG && a.reg.off == 80 && a.reg.width == 8 && !a.is_signed);
	a = parse_ok("-4@%edi");
	CHECK(a.reg.off == 112 && a.reg.width == 4 && a.is_signed && a.size == 4);
	a = parse_ok("-1@%sil");
	CHECK(a.reg.off == 104 && a.reg.width == 1 && a.reg.shift == 0);
	a = parse_ok("1@%ah");
	CHECK(a.reg.off == 80 && a.reg.width == 1 && a.reg.shift == 8);
	a = parse_ok("2@%r8w");
	CHECK(a.reg.off == 72 && a.reg.width == 2);
	a = parse_ok("-4@%r15d");
	CHECK(a.reg.off == 0 && a.reg.width == 4);
	a = parse_ok("1@%r12b");
	CHECK(a.reg.off == 24 && a.reg.width == 1);
	a = parse_ok("8@%rbp");
	CHECK(a.reg.off == 32);
	a = parse_ok("8@%rsp");
	CHECK(a.reg.off == 152);
	a = parse_ok("%rdx"); /* no size prefix: 8 bytes */
	CHECK(a.kind == USDT_ARG_REG && a.size == 8 && a.reg.off == 96);

	/* memory */
	a = parse_ok("-4@-20(%rbp)");
	CHECK(a.kind == USDT_ARG_MEM && a.size == 4 && a.is_signed && a.disp == -20 &&
	      a.reg.off == 32 && a.index.off == -1 && !a.sym && !a.relocate);
	a = parse_ok("8@(%rax)");
	CHECK(a.kind == USDT_ARG_MEM && a.disp == 0 && a.reg.off == 80);
	a = parse_ok("4@4(%rsi,%rdx,4)");
	CHECK(a.disp == 4 && a.reg.off == 104 && a.index.off == 96 && a.scale == 4);
	a = parse_ok("4@(,%rax,8)");
	CHECK(a.reg.off == -1 && a.index.off == 80 && a.scale == 8);
	a = parse_ok("2@0x10(%rbx,%rcx)");
	CHECK(a.disp == 16 && a.reg.off == 40 && a.index.off == 88 && a.scale == 1);
	a = parse_ok("-8@hawk_global(%rip)");
	CHECK(a.kind == USDT_ARG_MEM && a.rip && a.reg.off == -1 && a.disp == 0);
	CHECK_STR(a.sym, "hawk_global");
	a = parse_ok("4@table+8(%rip)");
	CHECK(a.rip && a.disp == 8);
	CHECK_STR(a.sym, "table");
	a = parse_ok("4@counter-4");
	CHECK(a.kind == USDT_ARG_MEM && !a.rip && a.disp == -4 && a.reg.off == -1);
	CHECK_STR(a.sym, "counter");
	a = parse_ok("8@1234");
	CHECK(a.kind == USDT_ARG_MEM && a.disp == 1234 && !a.sym);

	/* errors */
	parse_fails("3@%rax", "bad size 3 in '3@%rax' (1, 2, 4 or 8)");
	parse_fails("8@%xmm0", "unsupported register in '8@%xmm0'");
	parse_fails("8@%rip", "unsupported register in '8@%rip'");
	parse_fails("8@%rax+", "unexpected '+' in '8@%rax+'");
	parse_fails("4@$x", "bad constant in '4@$x'");
	parse_fails("4@8(%rax", "missing ')' in '4@8(%rax'");
	parse_fails("4@(%rax,%rbx,3)", "bad scale in '4@(%rax,%rbx,3)'");
	parse_fails("4@(%eax)", "unsupported base register in '4@(%eax)'");
	parse_fails("4@8(%rip)", "unsupported %rip-relative argument '4@8(%rip)'");

	/* whole strings */
	CHECK(usdt_parse_args(&arena, "-4@-4(%rbp) 8@%rax -4@$5", args, err, sizeof(err)) == 3);
	CHECK(args[0].kind == USDT_ARG_MEM && args[1].kind == USDT_ARG_REG &&
	      args[2].kind == USDT_ARG_CONST && args[2].value == 5);
	CHECK(usdt_parse_args(&arena, "", args, err, sizeof(err)) == 0);
	CHECK(usdt_parse_args(&arena, "8@%rax 8@%foo", args, err, sizeof(err)) == -1);
	CHECK_STR(err, "unsupported register in '8@%foo'");
}

/* ---- the file ----------------------------------------------------------------------- */

static unsigned char *file_buf;
static size_t file_len;

static void load_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	CHECK(f != NULL);
	if (!f)
		exit(check_done());
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	file_buf = malloc((size_t)n);
	file_len = fread(file_buf, 1, (size_t)n, f);
	fclose(f);
}

/* A section header of the loaded file by name (raw ELF64), or NULL. */
static Elf64_Shdr *section(const char *name)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)file_buf;
	Elf64_Shdr *sh = (Elf64_Shdr *)(file_buf + eh->e_shoff);
	const char *names = (const char *)file_buf + sh[eh->e_shstrndx].sh_offset;
	int i;

	for (i = 0; i < eh->e_shnum; i++)
		if (!strcmp(names + sh[i].sh_name, name))
			return &sh[i];
	return NULL;
}

/* The file offset of a link-time address, through the section holding it. */
static uint64_t file_offset(uint64_t addr)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)file_buf;
	Elf64_Shdr *sh = (Elf64_Shdr *)(file_buf + eh->e_shoff);
	int i;

	for (i = 0; i < eh->e_shnum; i++)
		if (sh[i].sh_addr && addr >= sh[i].sh_addr &&
		    addr < sh[i].sh_addr + sh[i].sh_size && sh[i].sh_type != SHT_NOBITS)
			return addr - sh[i].sh_addr + sh[i].sh_offset;
	return 0;
}

static const struct usdt_note *find(const struct usdt_file *f, const char *prov, const char *name,
				    int nth)
{
	int i;

	for (i = 0; i < f->nnotes; i++)
		if (!strcmp(f->notes[i].provider, prov) && !strcmp(f->notes[i].name, name) &&
		    nth-- == 0)
			return &f->notes[i];
	return NULL;
}

static void test_target(void)
{
	struct usdt_file f;
	const struct usdt_note *n, *n2;
	Elf64_Shdr *probes;
	char err[256] = "";
	int i, rc;

	rc = usdt_read_file(&arena, USDT_TARGET, &f, err, sizeof(err));
	if (rc)
		fprintf(stderr, "%s: %s\n", USDT_TARGET, err);
	CHECK(rc == 0 && f.has_notes);
	if (rc)
		return;
	load_file(USDT_TARGET);
	CHECK(f.nnotes == 11); /* ten probes, twice has two locations */

	/* every probe is a nop at its file offset */
	for (i = 0; i < f.nnotes; i++) {
		CHECK(f.notes[i].error == NULL);
		CHECK(f.notes[i].pc_offset && f.notes[i].pc_offset < file_len &&
		      file_buf[f.notes[i].pc_offset] == 0x90);
		CHECK(f.notes[i].pc_offset == file_offset(f.notes[i].pc));
	}

	n = find(&f, "hawk", "consts", 0);
	CHECK(n && n->nargs == 4);
	if (n) {
		CHECK_STR(n->argstr, "-1@$-5 2@$-1 -4@$-100000 8@$1311768467463790320");
		CHECK(n->args[0].kind == USDT_ARG_CONST && n->args[0].value == -5);
		CHECK(n->args[1].value == 65535 && n->args[2].value == -100000);
		CHECK((uint64_t)n->args[3].value == 0x123456789abcdef0ull);
		CHECK(n->semaphore == 0 && n->sema_offset == 0);
	}
	n = find(&f, "hawk", "regs", 0);
	CHECK(n && n->nargs == 5);
	for (i = 0; n && i < 5; i++) {
		static const int size[] = {1, 2, 4, 8, 8};
		static const bool sgn[] = {true, false, true, false, true};

		CHECK(n->args[i].kind == USDT_ARG_REG && n->args[i].size == size[i] &&
		      n->args[i].is_signed == sgn[i] && n->args[i].reg.width == size[i]);
	}
	n = find(&f, "hawk", "mem", 0);
	CHECK(n && n->nargs == 3);
	if (n) {
		const struct usdt_arg *g = &n->args[2];
		int64_t initial;

		CHECK(n->args[0].kind == USDT_ARG_MEM && n->args[0].size == 2 &&
		      n->args[0].is_signed && n->args[0].reg.off == 152);
		CHECK(n->args[1].kind == USDT_ARG_MEM && n->args[1].size == 4 &&
		      !n->args[1].is_signed);
		/* hawk_global(%rip): resolved to the variable, whose initial value is -42 */
		CHECK(g->kind == USDT_ARG_MEM && g->rip && g->relocate && g->size == 8);
		CHECK_STR(g->sym, "hawk_global");
		CHECK(file_offset((uint64_t)g->disp) != 0);
		memcpy(&initial, file_buf + file_offset((uint64_t)g->disp), 8);
		CHECK(initial == -42);
	}
	n = find(&f, "hawk", "index", 0);
	CHECK(n && n->nargs == 2 && n->args[0].kind == USDT_ARG_MEM && n->args[0].size == 4);
	n = find(&f, "hawk", "str", 0);
	CHECK(n && n->nargs == 2 && n->args[0].size == 8);

	/* two locations of one probe */
	n = find(&f, "hawk", "twice", 0);
	n2 = find(&f, "hawk", "twice", 1);
	CHECK(n && n2 && n->pc != n2->pc && !find(&f, "hawk", "twice", 2));

	/* the same name in two providers */
	n = find(&f, "hawk", "dup", 0);
	n2 = find(&f, "hawk2", "dup", 0);
	CHECK(n && n2 && n->args[0].value == 1 && n2->args[0].value == 2);

	/* the semaphore: the .probes section, two zero bytes in the file */
	n = find(&f, "hawk", "gated", 0);
	probes = section(".probes");
	CHECK(n && probes);
	if (n && probes) {
		CHECK(n->semaphore == probes->sh_addr);
		CHECK(n->sema_offset == probes->sh_offset);
		CHECK(file_buf[n->sema_offset] == 0 && file_buf[n->sema_offset + 1] == 0);
		CHECK(n->nargs == 1 && n->args[0].size == 2 && !n->args[0].is_signed);
	}
}

/* prelink: .stapsdt.base moved by 0x1000 moves every pc and semaphore */
static void test_prelink(void)
{
	char path[] = "/tmp/hawk_usdt_XXXXXX", err[256] = "";
	struct usdt_file f, g;
	Elf64_Shdr *base = section(".stapsdt.base");
	int fd, i;

	CHECK(base != NULL);
	if (!base)
		return;
	CHECK(usdt_read_file(&arena, USDT_TARGET, &f, err, sizeof(err)) == 0);
	base->sh_addr += 0x1000;
	fd = mkstemp(path);
	CHECK(fd >= 0 && write(fd, file_buf, file_len) == (ssize_t)file_len);
	close(fd);
	base->sh_addr -= 0x1000;
	CHECK(usdt_read_file(&arena, path, &g, err, sizeof(err)) == 0);
	unlink(path);
	CHECK(g.nnotes == f.nnotes);
	for (i = 0; i < f.nnotes && i < g.nnotes; i++) {
		CHECK(g.notes[i].pc == f.notes[i].pc + 0x1000);
		CHECK(!f.notes[i].semaphore ||
		      g.notes[i].semaphore == f.notes[i].semaphore + 0x1000);
	}
}

static void test_other_files(void)
{
	char path[] = "/tmp/hawk_usdt_XXXXXX", err[256] = "";
	struct usdt_file f;
	int fd;

	/* this test program has no notes */
	CHECK(usdt_read_file(&arena, "/proc/self/exe", &f, err, sizeof(err)) == 0);
	CHECK(!f.has_notes && f.nnotes == 0);
	CHECK(usdt_read_file(&arena, "/nonexistent/x", &f, err, sizeof(err)) == -ENOENT);
	CHECK_STR(err, "No such file or directory");
	fd = mkstemp(path);
	CHECK(fd >= 0 && write(fd, "hello\n", 6) == 6);
	close(fd);
	CHECK(usdt_read_file(&arena, path, &f, err, sizeof(err)) == -ENOEXEC);
	CHECK_STR(err, "not an ELF file");
	unlink(path);
}

int main(void)
{
	arena_init(&arena);
	test_parse();
	test_target();
	test_prelink();
	test_other_files();
	free(file_buf);
	arena_free(&arena);
	return check_done();
}
