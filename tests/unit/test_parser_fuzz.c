/*
 * test_parser_fuzz.c - the parser never crashes and always answers
 * consistently: on garbage, on every truncation and many one-byte
 * mutations of real programs, on random token soup and random bytes
 * (deterministic pseudo-random input). For every input: a NULL result iff
 * errors were reported, every diagnostic points inside the text, and the
 * diagnostics render. Run under ASan (HAWK_SANITIZE) this also checks
 * memory safety and that nothing leaks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lang/arena.h"
#include "lang/ast.h"
#include "lang/diag.h"
#include "parser/parse.h"

static int inputs, failures;
static int scale = 1; /* FUZZ_SCALE=N in the environment runs N times more */

/* Parses len bytes and checks the invariants; returns whether it parsed. */
static bool try_parse(const char *text, size_t len)
{
	struct arena a;
	struct source_set s;
	struct diag_set d;
	struct ast_node *p;
	bool good = true;
	int id, i, lines = 1;
	size_t k;
	char *out;

	for (k = 0; k < len; k++)
		lines += text[k] == '\n';
	arena_init(&a);
	source_init(&s, &a);
	diag_init(&d, &s);
	id = source_add(&s, "fuzz", text, len);
	p = parse_program(&a, &s, id, &d);
	if ((p == NULL) != (d.nerrors > 0))
		good = false;
	for (i = 0; i < d.n; i++) {
		struct loc l = d.items[i].loc;

		if (!d.items[i].has_loc)
			continue;
		if (l.file != id || l.first_line < 1 || l.first_line > lines ||
		    l.first_column < 1 || l.last_line < l.first_line ||
		    (l.last_line == l.first_line && l.last_column < l.first_column))
			good = false;
	}
	if (p) {
		char *buf;
		size_t blen;

		ast_dump(p, &buf, &blen);
		if (!buf || strncmp(buf, "(program", 8) != 0)
			good = false;
		free(buf);
	}
	out = diag_render_string(&d);
	if (!out)
		good = false;
	free(out);
	diag_free(&d);
	arena_free(&a);
	inputs++;
	if (!good) {
		failures++;
		if (failures < 10)
			fprintf(stderr, "inconsistent result for: %.*s\n", (int)len, text);
	}
	return p != NULL;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static const char *const programs[] = {
	"BEGIN { printf(\"hello world\\n\"); }",
	"tracepoint:syscalls:sys_enter_openat { printf(\"%s %s\\n\", comm, str(args.filename)); }",
	"kprobe:vfs_read { @start[tid] = nsecs; }\n"
	"kretprobe:vfs_read /@start[tid]/ { @ns[comm] = hist(nsecs - @start[tid]); "
	"delete(@start[tid]); }",
	"#!/usr/bin/env bpftrace\n#include <linux/path.h>\n#define X 1\n"
	"struct S { int a; char *b; };\n"
	"config = { max_strlen = 128; stack_mode = perf }\n"
	"import \"lib.bt\";\n"
	"let @m = lruhash(100);\n"
	"macro add(x, $a, @b) { $a += x; @b++; x + 1 }\n"
	"fn f($a: int64, $p: struct S *): uint32 { return (uint32)$a; }\n"
	"name=kprobe:a,\n  uprobe:/bin/bash:readline, u:bin:cpp:\"ns::f(int)\" /pid == $1 && comm "
	"!= "
	"\"x\"/ {\n"
	"\tlet $x: uint16 = 7; $y = $x << 2 | 1;\n"
	"\tif ($y > 3) { @[ustack] = count(); } else if !$x { $t = (1, \"a\"); print($t.0); }\n"
	"\telse { $r = (a = 1, b = 2); }\n"
	"\tfor ($i : 0..10) { if ($i == 5) { break; } continue; }\n"
	"\tfor ($kv : @m) { print($kv.1); }\n"
	"\twhile ($i < 10) { $i++; }\n"
	"\tunroll(3) { @c[cpu, comm] = sum(retval); }\n"
	"\t$z = { let $q = 1; $q + 1 };\n"
	"\t$w = if ($z) { 1 } else { 2 };\n"
	"\t$p = ((struct S *)arg0)->b; $s = sizeof(struct S) + offsetof(struct S, a);\n"
	"\t$v = $a ? $b : $c ?: 0x1F + 1_000 + 1e6 + 10UL + 5ms;\n"
	"\treturn;\n"
	"}\n"
	"interval:s:1 { print(@); clear(@); exit(); }\n"
	"END { /* done */ }\n",
	"profile:hz:99 /pid == 189/ { @[ustack] = count(); } // comment",
	"BEGIN { $x = \"a\\tb\\n\\x41\\101\\\"\"; @[$x] = lhist(retval, 0, 2000, 200); }",
};

static void test_garbage(void)
{
	static const char *const junk[] = {
		"",
		" \n\t\n",
		"{",
		"}",
		"}}}}",
		"{{{{",
		"(",
		")",
		"/",
		"//",
		"/*",
		"*/",
		"\"",
		"'",
		"#",
		"#!",
		"#!x",
		"@",
		"$",
		"$$",
		"@@",
		"BEGIN",
		"BEGIN {",
		"BEGIN }",
		"BEGIN { { { ",
		"BEGIN { ) ) ) }",
		"kprobe:",
		":",
		",",
		",,,",
		";",
		";;;",
		"=",
		"==",
		"config",
		"config =",
		"config = {",
		"config = { a = }",
		"macro",
		"macro m(",
		"macro m() {",
		"fn",
		"fn f(",
		"fn f($a:",
		"let",
		"let @",
		"let @m = ",
		"let @m = 1;",
		"import",
		"import ;",
		"import \"x",
		"struct",
		"struct X {",
		"struct X { int a; } __attribute__((",
		"enum",
		"union U",
		"if",
		"BEGIN { if }",
		"BEGIN { if ( }",
		"BEGIN { else }",
		"BEGIN { for }",
		"BEGIN { for ($i : ) {} }",
		"BEGIN { for ($i : 0..) {} }",
		"BEGIN { unroll }",
		"BEGIN { while }",
		"BEGIN { let }",
		"BEGIN { let $x: }",
		"BEGIN { let $x: struct }",
		"BEGIN { (uint8 }",
		"BEGIN { (struct x * }",
		"BEGIN { sizeof( }",
		"BEGIN { offsetof(struct X, }",
		"BEGIN { @m[ }",
		"BEGIN { $x = (a= }",
		"BEGIN { $x = (1, }",
		"BEGIN { $x. }",
		"BEGIN { $x-> }",
		"BEGIN { $x = 1 ? }",
		"BEGIN { $x = 1 ? 2 }",
		"BEGIN { $x = 1 ?: }",
		"BEGIN { \"\\",
		"BEGIN { \"\\x",
		"BEGIN { 0x",
		"BEGIN { 1e",
		"BEGIN { 1.",
		"BEGIN { 1..",
		"BEGIN { $1 $# $ @ }",
		"kprobe:f /",
		"kprobe:f /pid",
		"kprobe:f /pid/",
		"kprobe:f //",
		"kprobe:f,",
		"kprobe:f, /1/ {}",
		"a=",
		"=kprobe:f {}",
		"\"kprobe\":f {}",
		"BEGIN { } END",
		"BEGIN{}END{}}{",
		"\xff\xfe\x00\x01",
		"BEGIN { \xc3\xa9 }",
	};
	size_t i;

	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
		try_parse(junk[i], strlen(junk[i]));
	/* NUL bytes inside the text */
	try_parse("BEGIN {\0}", 9);
	try_parse("\0\0\0", 3);
	try_parse("BEGIN { \"a\0b\" }", 15);
	try_parse("kprobe:f\0 {}", 12);
}

static void test_valid_programs(void)
{
	size_t i;

	for (i = 0; i < sizeof(programs) / sizeof(programs[0]); i++)
		CHECK(try_parse(programs[i], strlen(programs[i])));
}

/* Every prefix of every program. */
static void test_truncations(void)
{
	size_t i, n;

	for (i = 0; i < sizeof(programs) / sizeof(programs[0]); i++)
		for (n = 0; n <= strlen(programs[i]); n++)
			try_parse(programs[i], n);
}

/* One byte replaced, deleted or duplicated at random places. */
static void test_mutations(void)
{
	static const char bytes[] = "{}()[];,/\"'\\*@$#:=.!-+<>?&|^~%\n 0aZ_\t\x01\x80\xff";
	char buf[4096];
	size_t i;
	int round;

	for (i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
		size_t len = strlen(programs[i]);

		for (round = 0; round < 500 * scale; round++) {
			size_t at = rnd((uint32_t)len), n = len;

			memcpy(buf, programs[i], len);
			switch (rnd(3)) {
			case 0:
				buf[at] = bytes[rnd(sizeof(bytes) - 1)];
				break;
			case 1:
				memmove(buf + at, buf + at + 1, len - at - 1);
				n--;
				break;
			default:
				memmove(buf + at + 1, buf + at, len - at);
				n++;
				break;
			}
			try_parse(buf, n);
		}
	}
}

static void test_token_soup(void)
{
	static const char *const toks[] = {
		"BEGIN",    "kprobe:f", "{",	    "}",      "(",
		")",	    "[",	"]",	    ";",      ",",
		"/",	    "$x",	"@m",	    "@",      "$1",
		"$#",	    "1",	"0x10",	    "5s",     "\"s\"",
		"pid",	    "count",	"=",	    "+=",     "++",
		"--",	    "+",	"-",	    "*",      "&",
		"!",	    "~",	"?",	    ":",      "..",
		".",	    "->",	"==",	    "<",      "<<",
		"&&",	    "||",	"if",	    "else",   "for",
		"while",    "unroll",	"let",	    "return", "break",
		"continue", "sizeof",	"offsetof", "struct", "uint8",
		"pid_t",    "true",	"config",   "macro",  "fn",
		"import",   "\n",	"//c\n",    "/*c*/",  "#include <x>\n",
	};
	char buf[2048];
	int round, k;

	for (round = 0; round < 3000 * scale; round++) {
		size_t n = 0;
		int count = 1 + (int)rnd(40);

		for (k = 0; k < count; k++) {
			const char *t = toks[rnd(sizeof(toks) / sizeof(toks[0]))];
			size_t l = strlen(t);

			if (n + l + 2 >= sizeof(buf))
				break;
			memcpy(buf + n, t, l);
			n += l;
			if (rnd(3))
				buf[n++] = ' ';
		}
		try_parse(buf, n);
	}
}

static void test_random_bytes(void)
{
	static const char alphabet[] = "BEGIN kprobe:{}()[];,/\"'\\*@$#:=.!-+<>?&|^~%\n\t 019aexZ_";
	char buf[512];
	int round;

	for (round = 0; round < 3000 * scale; round++) {
		size_t n = rnd(200), i;

		for (i = 0; i < n; i++)
			buf[i] = rnd(8) ? alphabet[rnd(sizeof(alphabet) - 1)] : (char)rnd(256);
		try_parse(buf, n);
	}
}

int main(void)
{
	const char *env = getenv("FUZZ_SCALE");

	if (env && atoi(env) > 0)
		scale = atoi(env);
	if (env && getenv("FUZZ_SEED"))
		rng ^= strtoull(getenv("FUZZ_SEED"), NULL, 0);
	test_garbage();
	test_valid_programs();
	test_truncations();
	test_mutations();
	test_token_soup();
	test_random_bytes();
	printf("%d inputs parsed\n", inputs);
	CHECK(inputs > 10000);
	CHECK(failures == 0);
	return check_done();
}
