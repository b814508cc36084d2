/*
 * test_lang_pretty.c - the formatter (lang/pretty.c, `hawk --fmt`).
 *
 * Three properties on every program here and on every bpftrace tool script
 * installed on this machine: the formatted text parses to the same tree as
 * the source (ast_dump equal), formatting it again changes nothing, and it
 * holds every comment of the source, each once and in order. Plus the exact
 * layout of a few programs: indentation, spacing, where comments go.
 */
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lang/arena.h"
#include "lang/ast.h"
#include "lang/diag.h"
#include "lang/pretty.h"
#include "parser/parse.h"

/* Parses text; returns its AST dump (malloc'ed) and, if asked, the
 * formatted text and the comments' texts joined by '\n'. NULL on a parse
 * error (shown on stderr). */
static char *parse(const char *text, char **formatted, char **comments)
{
	struct arena a;
	struct source_set s;
	struct diag_set d;
	struct ast_node *p;
	struct ast_comment *c = NULL;
	char *dump = NULL;
	size_t len;
	int id;

	arena_init(&a);
	source_init(&s, &a);
	diag_init(&d, &s);
	id = source_add(&s, "stdin", text, strlen(text));
	p = parse_program_comments(&a, &s, id, &d, &c);
	if (!p || d.nerrors) {
		char *out = diag_render_string(&d);

		fprintf(stderr, "parse error:\n%s--- in:\n%s\n---\n", out ? out : "", text);
		free(out);
		p = NULL;
	} else {
		ast_dump(p, &dump, &len);
		if (formatted)
			*formatted = pretty_program(p, source_get(&s, id), c, &len);
		if (comments) {
			FILE *f = open_memstream(comments, &len);

			for (; c; c = c->next) {
				/* trailing blanks of each line may go */
				for (uint32_t i = 0; i < c->len; i++) {
					uint32_t j = i;

					while (j < c->len &&
					       (c->text[j] == ' ' || c->text[j] == '\t'))
						j++;
					if (j > i && (j == c->len || c->text[j] == '\n'))
						i = j - 1;
					else
						fputc(c->text[i], f);
				}
				fputc('\n', f);
			}
			fclose(f);
		}
	}
	diag_free(&d);
	arena_free(&a);
	return dump;
}

static char *fmt(const char *text)
{
	char *out = NULL, *dump = parse(text, &out, NULL);

	free(dump);
	return out;
}

/* Block comments re-indented by the formatter differ in their continuation
 * lines' leading blanks: compare comments with all leading blanks of their
 * lines dropped. */
static void squeeze(char *s)
{
	char *w = s;
	bool bol = true;

	for (; *s; s++) {
		if (bol && (*s == ' ' || *s == '\t'))
			continue;
		bol = *s == '\n';
		*w++ = *s;
	}
	*w = '\0';
}

static void roundtrip(const char *name, const char *text)
{
	char *f1 = NULL, *f2 = NULL, *c0 = NULL, *c1 = NULL;
	char *d0 = parse(text, &f1, &c0);
	char *d1 = f1 ? parse(f1, &f2, &c1) : NULL;

	if (!d0) {
		fprintf(stderr, "%s: the source does not parse\n", name);
		CHECK(d0);
		return;
	}
	CHECK(f1 != NULL);
	CHECK(d1 != NULL);
	if (d1 && strcmp(d0, d1) != 0)
		fprintf(stderr, "%s: tree changed\n--- formatted:\n%s", name, f1);
	CHECK_STR(d1, d0);
	if (f2 && f1 && strcmp(f1, f2) != 0)
		fprintf(stderr, "%s: not idempotent\n", name);
	CHECK_STR(f2, f1);
	if (c0 && c1) {
		squeeze(c0);
		squeeze(c1);
		if (strcmp(c0, c1) != 0)
			fprintf(stderr, "%s: comments changed\n", name);
		CHECK_STR(c1, c0);
	}
	free(d0);
	free(d1);
	free(f1);
	free(f2);
	free(c0);
	free(c1);
}

/* Every construct of the language, comments everywhere. */
static const char *const programs[] = {
	/* probes, attach lists, predicates */
	"BEGIN { printf(\"hi\\n\"); exit(); }",
	"kprobe:vfs_read,kprobe:vfs_write,kretprobe:vfs_read /pid == 1/ { @[probe] = count(); }",
	"tracepoint:syscalls:sys_enter_openat, tracepoint:syscalls:sys_enter_open, "
	"tracepoint:syscalls:sys_enter_openat2 /comm != \"x\"/ { @ = count(); }",
	"uprobe:/bin/bash:readline { @ = 1 } uretprobe:/bin/bash:readline { @r = retval }",
	"myname=kprobe:f { } interval:s:1 { exit() } i:ms:100 { @x++ }",
	"kprobe:f / *(uint8 *)arg0 == 1 / { }",
	"kprobe:f /a / b/ { }",
	"uprobe:bin:cpp:\"NS::f(int)\" { }",
	/* statements */
	"BEGIN { $x = 1; $x += 2; $x <<= 1; $x >>= 1; $x -= 1; $x *= 3; $x /= 2; $x %= 5;"
	" $x &= 7; $x |= 8; $x ^= 1; $x++; ++$x; $x--; --$x; @m[1, 2] = 3; @n[\"a\"]++; "
	"delete(@m, (1, 2)); _ = 5; }",
	"BEGIN { let $a; let $b: uint32; let $c: string = \"s\"; let $d = 5; "
	"let $e: struct task_struct *; let $f: uint8[4]; }",
	"BEGIN { if (1) { print(1) } if ($x) { } else { print(2); } "
	"if ($a > 1) { print(1); } else if ($a < 0) { print(2) } else if ($a) { } else { "
	"print(3); } }",
	"BEGIN { $i = 0; while ($i < 10) { $i++; if ($i == 5) { break; } if ($i == 2) { "
	"continue } } }",
	"BEGIN { for ($kv : @m) { print($kv.0); print($kv.1.0); } for ($i : 0..10) { } "
	"for ($j : $a + 1..$b * 2) { } }",
	"BEGIN { unroll(5) { @c++; } unroll ($n) { } }",
	"BEGIN { { let $x = 1; } { } ; ; print(1);; }",
	"fn f($a: int64, $b: string): uint64 { if ($a) { return 1; } return; } fn g() { }",
	/* expressions */
	"BEGIN { $a = 1 + 2 * 3 - (4 - 5) / (6 % 7); $b = (1 + 2) * 3; $c = 1 - (2 + 3); "
	"$d = 1 << 2 >> 3 & 4 | 5 ^ 6; $e = (1 | 2) & 3; $f = !$a && $b || $c; "
	"$g = ($a || $b) && $c; $h = $a == $b != $c < $d; $i = $a <= $b; $j = $a >= $b; }",
	"BEGIN { $a = -1; $b = - -1; $c = -(-$x); $d = !!$x; $e = ~~$x; $f = - --$x; "
	"$g = -$x--; $h = &$x; $i = *$p; $j = **$pp; $k = -(1 + 2); $l = (-1) * 2; }",
	"BEGIN { $a = $x ? 1 : 2; $b = $x ? $y ? 1 : 2 : 3; $c = $x ?: 4; "
	"$d = ($x ? 1 : 2) + 3; $e = $x ? 1 : $y ? 2 : 3; $f = ($x ? $y : $z) ? 1 : 2; }",
	"BEGIN { $a = (uint64)arg0; $b = (struct task_struct *)curtask; $c = (int8)-1; "
	"$d = (uint32 *)($x + 1); $e = ((struct foo *)$p)->bar; $f = (pid_t)$y; "
	"$g = (uint8[4])$z; $h = (struct x **)0; }",
	"BEGIN { $t = (1, \"two\", (3, 4)); $u = (1,); $v = (); $r = (a = 1, b = \"x\"); "
	"$s = (a = 1,); print($t.0); print($t.2.1); print($r.a); }",
	"BEGIN { $a = args.filename; $b = curtask->mm->owner; $c = $arr[1][2]; "
	"$d = @m[pid].x; $e = @[comm, pid]; $f = ($p + 1)->x; $g = (*$p).y; }",
	"BEGIN { $a = sizeof(struct task_struct); $b = sizeof($x); $c = sizeof(uint64); "
	"$d = offsetof(struct task_struct, pid); $e = offsetof(struct a, b.c.d); "
	"$f = offsetof($x, y); }",
	"BEGIN { $a = 0x10 + 010 + 1_000 + 1e3 + 10UL + 5ms + 2s + 1us + 3ns + 1m + 2h + 1d;"
	" $b = 18446744073709551615; $c = true; $d = false; $e = $1 + $#; }",
	"BEGIN { $s = \"tab\\tnl\\n quote\\\" backslash\\\\ hex\\x41 octal\\033 cr\\r\"; "
	"printf(\"%s %d\\n\", $s, 1); }",
	"BEGIN { $v = { let $q = 1; $q + 1 }; $w = { 5 }; $e = if ($x) { 1 } else { 2 }; "
	"$f = if ($a) { 1 } else if ($b) { 2 } else { 3 }; $g = { if ($a) { 1 } else { 2 } };"
	" $h = { { 7 } }; }",
	"BEGIN { $a = (if ($x) { 1 } else { 2 }) + 1; ({ 1 }); }",
	"BEGIN { $x = str(arg0, 16); $y = buf(arg1, 8); printf(\"%r\\n\", $y); "
	"@h = hist(arg2); @l = lhist(arg2, 0, 100, 10); print(@h, 10, 2); clear(@h); "
	"zero(@l); time(\"%H\\n\"); system(\"ls\"); }",
	/* top level */
	"#include <linux/sched.h>\n#include <linux/fs.h>\n#define FOO 1\n\n"
	"struct S { int a; /* c */ char b[4]; };\n"
	"union U { int a; long b; }\nenum E { A, B = 2 };\n"
	"typedef unsigned int myint;\nBEGIN { }",
	"config = { max_strlen = 64; print_maps_on_exit = false; stack_mode = perf }\n"
	"BEGIN { }",
	"config = { }\nconfig = { a = 1 }",
	"let @a = hash(10);\nlet @b = lruhash(100);\nlet @c = percpuarray(1);\n"
	"BEGIN { @a[1] = 1; }",
	"import \"lib/x.bt\";\nimport \"y.bt\";\nBEGIN { import \"z\"; }",
	"macro add(a, $b, @c) { a + $b + @c[0] }\nmacro one() { 1 }\n"
	"macro none($x) { print($x); }\nmacro m2($x) { if ($x) { 1 } else { 2 } }\n"
	"BEGIN { add(1, 2, @m); }",
	"test:first { if (1 != 1) { return 1; } } test:second { }",
	"self:signal:SIGUSR1 { print(@) } watchpoint:0x1000:8:w { }",
	/* comments in every position */
	"#!/usr/bin/env bpftrace\n// file header\n/*\n * block header\n */\n\n"
	"#include <linux/sched.h> // on an include\n\n"
	"// before a probe\nBEGIN // after the attach point\n{ // after the brace\n"
	"  // own line\n  print(1); // trailing\n  /* before */ print(2); /* after */\n"
	"  print(/* inside */ 3);\n  $x = 1 + // mid expression\n    2;\n\n"
	"  // after a blank line\n  if (/* in cond */ $x) { // on if\n    print(4);\n"
	"  } // after if\n  else { /* on else */ }\n  // before the end\n} // after the probe\n"
	"// between probes\n\nEND { /* only a comment */ }\n// at the very end\n",
	"kprobe:a, // first ap\n kprobe:b /* second */ , kprobe:c\n/ pid /* in pred */ == 1 /\n"
	"{\n}\n",
	"config = { // on config\n  // before an entry\n  max_strlen = 64; // on an entry\n"
	"  /* last */ }\n",
	"macro m($x) { // on macro\n  $x // the value\n}\n"
	"fn f(): int64 { /* nothing */ return 1; }\n",
	"BEGIN { $v = { // in a block expression\n  1 }; $e = if ($a) { /* then */ 1 } "
	"else { 2 /* else */ }; }",
	"BEGIN { print(1); /* multi\n     line\n     comment */ print(2);\n"
	"  /* starts\n  a line */\n}",
	"BEGIN { a(); b(); // on the second\n}",
	"/* only comments */\n// nothing else\n",
	"",
	"BEGIN {} /* between */ END {}",
	"BEGIN {\n\n\n  print(1);\n\n\n  print(2);\n\n}\n\n\n\nEND {}\n",
};

/* Exact layouts. */
static const struct {
	const char *in, *out;
} layouts[] = {
	{"BEGIN{printf(\"hi\\n\");exit()}", "BEGIN {\n  printf(\"hi\\n\");\n  exit();\n}\n"},
	{"kprobe:f /pid==1/{@[comm]=count()}", "kprobe:f /pid == 1/ {\n  @[comm] = count();\n}\n"},
	{"tracepoint:syscalls:sys_enter_openat,tracepoint:syscalls:sys_enter_open,"
	 "tracepoint:syscalls:sys_enter_openat2 /pid/{}",
	 "tracepoint:syscalls:sys_enter_openat,\ntracepoint:syscalls:sys_enter_open,\n"
	 "tracepoint:syscalls:sys_enter_openat2\n/pid/ {}\n"},
	{"kprobe:a,kprobe:b{}", "kprobe:a, kprobe:b {}\n"},
	/* the attach points fit, the predicate does not */
	{"tracepoint:syscalls:sys_enter_openat, tracepoint:syscalls:sys_enter_openat2 "
	 "/comm == \"x\"/ {}",
	 "tracepoint:syscalls:sys_enter_openat,\ntracepoint:syscalls:sys_enter_openat2\n"
	 "/comm == \"x\"/ {}\n"},
	{"BEGIN{$x=(1+2)*3;$y=1+(2*3);$z=-(-1);$w=$a?$b:$c}",
	 "BEGIN {\n  $x = (1 + 2) * 3;\n  $y = 1 + 2 * 3;\n  $z = -(-1);\n  $w = $a ? $b : "
	 "$c;\n}\n"},
	{"BEGIN{if($x){print(1)}else if($y){}else{print(2)}}",
	 "BEGIN {\n  if ($x) {\n    print(1);\n  } else if ($y) {} else {\n"
	 "    print(2);\n  }\n}\n"},
	{"#include <a.h>\n#include <b.h>\nBEGIN{}\nEND{}",
	 "#include <a.h>\n#include <b.h>\n\nBEGIN {}\n\nEND {}\n"},
	{"config={a=1;b=2}BEGIN{}", "config = {\n  a = 1;\n  b = 2;\n}\n\nBEGIN {}\n"},
	{"BEGIN { // c1\n  print(1); // c2\n\n\n  // c3\n  print(2);\n}",
	 "BEGIN { // c1\n  print(1); // c2\n\n  // c3\n  print(2);\n}\n"},
	{"BEGIN { print(/* c */ 1); }", "BEGIN {\n  /* c */\n  print(1);\n}\n"},
	{"BEGIN {\n\t/*\n\t * x\n\t */\n\tprint(1);\n}",
	 "BEGIN {\n  /*\n   * x\n   */\n  print(1);\n}\n"},
	{"macro m(a){a+1}", "macro m(a) {\n  a + 1\n}\n"},
	{"BEGIN{$x={1};$y=if(1){2}else{3}}",
	 "BEGIN {\n  $x = {\n    1\n  };\n  $y = if (1) {\n    2\n  } else {\n    3\n  };\n}\n"},
	{"kprobe:f / *(uint8*)arg0/{}", "kprobe:f / *(uint8 *)arg0/ {}\n"},
};

/* Deterministic token soup inside a probe: every one that parses must
 * round-trip (precedence, unary operators that would glue, statements that
 * would start with `if` or `{`, comments between any tokens). */
static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static int soup(int tries)
{
	static const char *const toks[] = {
		"$a",	   "$b",    "@m",      "@m[1]",	     "1",  "0x2",     "\"s\"",
		"pid",	   "f($a)", "+",       "-",	     "*",  "/",	      "%",
		"<<",	   ">>",    "&",       "|",	     "^",  "&&",      "||",
		"==",	   "!=",    "<",       ">",	     "<=", ">=",      "!",
		"~",	   "-",	    "-",       "&",	     "*",  "++",      "--",
		"(",	   ")",	    "(",       ")",	     "?",  ":",	      ".x",
		"->y",	   "[0]",   "(uint8)", "(uint64 *)", ",",  "{",	      "}",
		"if ($a)", "else",  ";",       "=",	     "+=", "/* c */", "// c\n",
		"\n\n",	   "(1,)",  "(x = 1)", "sizeof($a)",
	};
	int parsed = 0;

	for (int t = 0; t < tries; t++) {
		char text[512];
		size_t len = (size_t)snprintf(text, sizeof(text), "BEGIN { ");
		int n = 1 + (int)rnd(9);

		for (int i = 0; i < n && len + 32 < sizeof(text); i++)
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%s ",
						toks[rnd(sizeof(toks) / sizeof(toks[0]))]);
		snprintf(text + len, sizeof(text) - len, "}");
		/* only the ones that parse: the others are the fuzz test's business */
		struct arena a;
		struct source_set s;
		struct diag_set d;
		int id;
		bool ok;

		arena_init(&a);
		source_init(&s, &a);
		diag_init(&d, &s);
		id = source_add(&s, "soup", text, strlen(text));
		ok = parse_program(&a, &s, id, &d) && !d.nerrors;
		diag_free(&d);
		arena_free(&a);
		if (!ok)
			continue;
		parsed++;
		roundtrip(text, text);
	}
	return parsed;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	FILE *m = open_memstream(&buf, &len);
	int c;

	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

int main(void)
{
	size_t i;
	int tools = 0;
	glob_t g;

	for (i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
		char name[32];

		snprintf(name, sizeof(name), "program %zu", i);
		roundtrip(name, programs[i]);
	}
	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		char *out = fmt(layouts[i].in);

		CHECK_STR(out, layouts[i].out);
		roundtrip("layout", layouts[i].in);
		free(out);
	}
	if (glob("/usr/sbin/*.bt", 0, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc; i++) {
			char *text = slurp(g.gl_pathv[i]);

			if (!text)
				continue;
			tools++;
			roundtrip(g.gl_pathv[i], text);
			free(text);
		}
		globfree(&g);
	}
	printf("%d installed tool scripts formatted\n", tools);
	printf("%d token soups parsed and formatted\n", soup(200000));
	return check_done();
}
