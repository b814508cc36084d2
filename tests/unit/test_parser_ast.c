/*
 * test_parser_ast.c - the parser builds the right tree: precedence,
 * statements, expressions, types and top-level items, compared through
 * the exact ast_dump text (format documented in lang/ast.c), plus the
 * source locations of nodes.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lang/arena.h"
#include "lang/ast.h"
#include "lang/diag.h"
#include "parser/parse.h"

static struct arena A;
static struct source_set S;
static struct diag_set D;

/* Parses text; on errors returns NULL and leaves them in D. */
static struct ast_node *parse(const char *text)
{
	int id;

	arena_free(&A);
	arena_init(&A);
	diag_free(&D);
	source_init(&S, &A);
	diag_init(&D, &S);
	id = source_add(&S, "stdin", text, strlen(text));
	return parse_program(&A, &S, id, &D);
}

/* The dump of a node, or the rendered diagnostics if there is none. */
static char *dump_node(const struct ast_node *n)
{
	char *buf;
	size_t len;

	if (!n)
		return diag_render_string(&D);
	ast_dump(n, &buf, &len);
	return buf;
}

static char *dump_prog(const char *text)
{
	return dump_node(parse(text));
}

/* The dump of the block of `BEGIN { STMTS }`. */
static char *dump_block(const char *stmts)
{
	char text[4096];
	struct ast_node *p;

	snprintf(text, sizeof(text), "BEGIN { %s }", stmts);
	p = parse(text);
	return dump_node(p ? p->body->then : NULL);
}

/* The dump of the expression in `BEGIN { _ = EXPR; }`. */
static char *dump_expr(const char *expr)
{
	char text[4096];
	struct ast_node *p;

	snprintf(text, sizeof(text), "BEGIN { _ = %s; }", expr);
	p = parse(text);
	return dump_node(p ? p->body->then->body->rhs : NULL);
}

#define EXPR(src, want)                      \
	do {                                 \
		char *got_ = dump_expr(src); \
		CHECK_STR(got_, want);       \
		free(got_);                  \
	} while (0)

#define BLOCK(src, want)                      \
	do {                                  \
		char *got_ = dump_block(src); \
		CHECK_STR(got_, want);        \
		free(got_);                   \
	} while (0)

#define PROG(src, want)                      \
	do {                                 \
		char *got_ = dump_prog(src); \
		CHECK_STR(got_, want);       \
		free(got_);                  \
	} while (0)

static void test_precedence(void)
{
	EXPR("1 + 2 * 3", "(+ (int 1) (* (int 2) (int 3)))");
	EXPR("(1 + 2) * 3", "(* (+ (int 1) (int 2)) (int 3))");
	EXPR("a || b && c", "(|| (ident a) (&& (ident b) (ident c)))");
	EXPR("a && b || c && d", "(|| (&& (ident a) (ident b)) (&& (ident c) (ident d)))");
	EXPR("!a == b", "(== (! (ident a)) (ident b))");
	EXPR("-x * y", "(* (- (ident x)) (ident y))");
	EXPR("a ? b : c ? d : e", "(? (ident a) (ident b) (? (ident c) (ident d) (ident e)))");
	EXPR("a || b ? c : d", "(? (|| (ident a) (ident b)) (ident c) (ident d))");
	EXPR("a ? b ? c : d : e", "(? (ident a) (? (ident b) (ident c) (ident d)) (ident e))");
	EXPR("a << 1 + 2", "(<< (ident a) (+ (int 1) (int 2)))");
	EXPR("a >> 2 << 3", "(<< (>> (ident a) (int 2)) (int 3))");
	EXPR("a - b - c", "(- (- (ident a) (ident b)) (ident c))");
	EXPR("a / b % c * d", "(* (% (/ (ident a) (ident b)) (ident c)) (ident d))");
	EXPR("a | b ^ c & d", "(| (ident a) (^ (ident b) (& (ident c) (ident d))))");
	EXPR("a & b == c", "(& (ident a) (== (ident b) (ident c)))");
	EXPR("a == b < c", "(== (ident a) (< (ident b) (ident c)))");
	EXPR("a < b != c >= d", "(!= (< (ident a) (ident b)) (>= (ident c) (ident d)))");
	EXPR("a <= b << c", "(<= (ident a) (<< (ident b) (ident c)))");
	EXPR("a > b", "(> (ident a) (ident b))");
	EXPR("~a + -b", "(+ (~ (ident a)) (- (ident b)))");
	EXPR("!!a", "(! (! (ident a)))");
	EXPR("- -a", "(- (- (ident a)))");
	EXPR("*p->f", "(* (-> (ident p) f))");
	EXPR("&$a.b", "(& (. (var $a) b))");
	EXPR("-$y++", "(- (post++ (var $y)))");
	EXPR("++$y * 2", "(* (pre++ (var $y)) (int 2))");
	EXPR("--$y", "(pre-- (var $y))");
	EXPR("$y--", "(post-- (var $y))");
	EXPR("(uint32)a + b", "(+ (cast (type uint32) (ident a)) (ident b))");
	EXPR("(uint32)-a", "(cast (type uint32) (- (ident a)))");
	EXPR("(uint8)$p->x", "(cast (type uint8) (-> (var $p) x))");
	EXPR("a ?: b", "(?: (ident a) (ident b))");
	EXPR("a ?: b ?: c", "(?: (ident a) (?: (ident b) (ident c)))");
	EXPR("a ? b : c ?: d", "(? (ident a) (ident b) (?: (ident c) (ident d)))");
	EXPR("@m[1] + @n", "(+ (map @m (int 1)) (map @n))");
	EXPR("$a.b.c", "(. (. (var $a) b) c)");
	EXPR("$a->b->c", "(-> (-> (var $a) b) c)");
	EXPR("$a[1][2]", "([] ([] (var $a) (int 1)) (int 2))");
	EXPR("@m[1][2]", "([] (map @m (int 1)) (int 2))");
	EXPR("$p->a.b[1]->c", "(-> ([] (. (-> (var $p) a) b) (int 1)) c)");
	EXPR("f(a)->x", "(-> (call f (ident a)) x)");
	EXPR("a / b / c", "(/ (/ (ident a) (ident b)) (ident c))");
}

static void test_literals(void)
{
	EXPR("0", "(int 0)");
	EXPR("123", "(int 123)");
	EXPR("0x1F", "(int 31)");
	EXPR("0XfF", "(int 255)");
	EXPR("0777", "(int 511)");
	EXPR("1_000_000", "(int 1000000)");
	EXPR("0x_ff_ff", "(int 65535)");
	EXPR("1e6", "(int 1000000)");
	EXPR("2e3", "(int 2000)");
	EXPR("1e0", "(int 1)");
	EXPR("10UL", "(int 10 :unsigned)");
	EXPR("5u", "(int 5 :unsigned)");
	EXPR("5U", "(int 5 :unsigned)");
	EXPR("3LL", "(int 3)");
	EXPR("3l", "(int 3)");
	EXPR("7ull", "(int 7 :unsigned)");
	EXPR("7LLU", "(int 7 :unsigned)");
	EXPR("0x10ul", "(int 16 :unsigned)");
	EXPR("9223372036854775807", "(int 9223372036854775807)");
	EXPR("9223372036854775808", "(int 9223372036854775808 :unsigned)");
	EXPR("18446744073709551615", "(int 18446744073709551615 :unsigned)");
	EXPR("0xffffffffffffffff", "(int 18446744073709551615 :unsigned)");
	EXPR("-1", "(- (int 1))");
	EXPR("1ns", "(int 1)");
	EXPR("5us", "(int 5000)");
	EXPR("100ms", "(int 100000000)");
	EXPR("1s", "(int 1000000000)");
	EXPR("2m", "(int 120000000000)");
	EXPR("2h", "(int 7200000000000)");
	EXPR("1d", "(int 86400000000000)");
	EXPR("1_500ms", "(int 1500000000)");
	EXPR("true", "(bool true)");
	EXPR("false", "(bool false)");
	EXPR("\"hello\"", "(str \"hello\")");
	EXPR("\"\"", "(str \"\")");
	EXPR("\"a\\tb\\n\"", "(str \"a\\tb\\n\")");
	EXPR("\"\\\\ \\\" \\r\"", "(str \"\\\\ \\\" \\r\")");
	EXPR("\"\\x41\\101\\0\"", "(str \"AA\\x00\")");
	EXPR("\"\\033[31m\"", "(str \"\\x1b[31m\")");
	EXPR("\"\\x4a\\x4B\"", "(str \"JK\")");
	EXPR("\"%s %d\\n\"", "(str \"%s %d\\n\")");
	EXPR("\"a // not a comment\"", "(str \"a // not a comment\")");
	EXPR("\"é\"", "(str \"\\xc3\\xa9\")");
}

/* String lengths include embedded NULs. */
static void test_string_len(void)
{
	struct ast_node *p = parse("BEGIN { _ = \"a\\0b\"; }");
	struct ast_node *s = p ? p->body->then->body->rhs : NULL;

	CHECK(s && s->kind == AST_STR);
	CHECK(s && s->slen == 3);
	CHECK(s && memcmp(s->str, "a\0b", 4) == 0);
}

static void test_int_fields(void)
{
	struct ast_node *p = parse("BEGIN { _ = 18446744073709551615; }");
	struct ast_node *n = p ? p->body->then->body->rhs : NULL;

	CHECK(n && n->kind == AST_INT && n->is_unsigned && n->uval == UINT64_MAX);
	p = parse("BEGIN { _ = 42; }");
	n = p ? p->body->then->body->rhs : NULL;
	CHECK(n && n->ival == 42 && n->uval == 42 && !n->is_unsigned);
}

static void test_variables(void)
{
	EXPR("$x", "(var $x)");
	EXPR("$_y1", "(var $_y1)");
	EXPR("$1", "(positional $1)");
	EXPR("$12", "(positional $12)");
	EXPR("$#", "(positional $#)");
	EXPR("$1 + $#", "(+ (positional $1) (positional $#))");
	EXPR("@", "(map @)");
	EXPR("@m", "(map @m)");
	EXPR("@m[k]", "(map @m (ident k))");
	EXPR("@m[a, b]", "(map @m (tuple (ident a) (ident b)))");
	EXPR("@m[a, b, 3]", "(map @m (tuple (ident a) (ident b) (int 3)))");
	EXPR("@m[(a, b)]", "(map @m (tuple (ident a) (ident b)))");
	EXPR("@[comm]", "(map @ (ident comm))");
	EXPR("pid", "(ident pid)");
	EXPR("comm", "(ident comm)");
	EXPR("arg0", "(ident arg0)");
	EXPR("args", "(ident args)");
	EXPR("retval", "(ident retval)");
	EXPR("args.filename", "(. (ident args) filename)");
	EXPR("args->filename", "(-> (ident args) filename)");
	EXPR("BEGIN", "(ident BEGIN)");
	EXPR("config.max_strlen", "(. (ident config) max_strlen)");
	/* keywords are field names after '.' and '->' */
	EXPR("$s.if.string", "(. (. (var $s) if) string)");
	EXPR("$s->struct", "(-> (var $s) struct)");
	EXPR("args.fn", "(. (ident args) fn)");
}

static void test_calls(void)
{
	EXPR("f()", "(call f)");
	EXPR("count()", "(call count)");
	EXPR("f(1)", "(call f (int 1))");
	EXPR("f(1, \"a\", $x)", "(call f (int 1) (str \"a\") (var $x))");
	EXPR("str(args.filename)", "(call str (. (ident args) filename))");
	EXPR("hist(nsecs - @start[tid])", "(call hist (- (ident nsecs) (map @start (ident tid))))");
	EXPR("lhist(retval, 0, 2000, 200)",
	     "(call lhist (ident retval) (int 0) (int 2000) (int 200))");
	EXPR("f(g(h(1)))", "(call f (call g (call h (int 1))))");
	EXPR("delete(@m, (1, \"a\"))", "(call delete (map @m) (tuple (int 1) (str \"a\")))");
	EXPR("f({ printf(\"hi\") })", "(call f (block :expr (call printf (str \"hi\"))))");
	EXPR("pid(init)", "(call pid (ident init))");
}

static void test_tuples_records(void)
{
	EXPR("(1, \"a\")", "(tuple (int 1) (str \"a\"))");
	EXPR("(1,)", "(tuple (int 1))");
	EXPR("(1, 2,)", "(tuple (int 1) (int 2))");
	EXPR("()", "(tuple)");
	EXPR("((1, 2), 3)", "(tuple (tuple (int 1) (int 2)) (int 3))");
	EXPR("(1)", "(int 1)");
	EXPR("((1))", "(int 1)");
	EXPR("$t.0", "(. (var $t) 0)");
	EXPR("$kv.0.1", "(. (. (var $kv) 0) 1)");
	EXPR("$t.12", "(. (var $t) 12)");
	EXPR("$t[1]", "([] (var $t) (int 1))");
	EXPR("(a=1, b=\"x\")", "(record (= (ident a) (int 1)) (= (ident b) (str \"x\")))");
	EXPR("(color = \"green\", size = 2,)",
	     "(record (= (ident color) (str \"green\")) (= (ident size) (int 2)))");
	EXPR("(x = 1)", "(record (= (ident x) (int 1)))");
	EXPR("$r.size", "(. (var $r) size)");
}

static void test_casts_types(void)
{
	EXPR("(uint32)$x", "(cast (type uint32) (var $x))");
	EXPR("(int8)1", "(cast (type int8) (int 1))");
	EXPR("(bool)1", "(cast (type bool) (int 1))");
	EXPR("(struct task_struct *)arg0", "(cast (type struct task_struct *) (ident arg0))");
	EXPR("(struct path *)arg0", "(cast (type struct path *) (ident arg0))");
	EXPR("(union u *)arg0", "(cast (type union u *) (ident arg0))");
	EXPR("(enum e)1", "(cast (type enum e) (int 1))");
	EXPR("(struct foo)x", "(cast (type struct foo) (ident x))");
	EXPR("(int8[4])x", "(cast (type int8[4]) (ident x))");
	EXPR("(uint8[8])n", "(cast (type uint8[8]) (ident n))");
	EXPR("(string[64])p", "(cast (type string[64]) (ident p))");
	EXPR("(int32*[4])x", "(cast (type int32 *[4]) (ident x))");
	EXPR("(uint8[])12345", "(cast (type uint8[]) (int 12345))");
	EXPR("(int16 *) $pz", "(cast (type int16 *) (var $pz))");
	EXPR("**(int64**)reg(\"sp\") + 16",
	     "(+ (* (* (cast (type int64 **) (call reg (str \"sp\"))))) (int 16))");
	EXPR("(1, \"hello\")[1 - 1]", "([] (tuple (int 1) (str \"hello\")) (- (int 1) (int 1)))");
	EXPR("(uint64 **)x", "(cast (type uint64 **) (ident x))");
	EXPR("(void *)x", "(cast (type void *) (ident x))");
	EXPR("(uint64_t)1", "(cast (type uint64_t) (int 1))");
	EXPR("(pid_t)x", "(cast (type pid_t) (ident x))");
	EXPR("(u32)x", "(cast (type u32) (ident x))");
	EXPR("(__u64)x", "(cast (type __u64) (ident x))");
	EXPR("(pid_t *)arg1", "(cast (type pid_t *) (ident arg1))");
	EXPR("(foo *)arg1", "(cast (type foo *) (ident arg1))");
	EXPR("(foo **)arg1", "(cast (type foo **) (ident arg1))");
	EXPR("(char *)arg1", "(cast (type char *) (ident arg1))");
	/* a name that is not typedef-like in parentheses is an expression */
	EXPR("(foo)", "(ident foo)");
	EXPR("(x) - 1", "(- (ident x) (int 1))");
	EXPR("(foo * 2)", "(* (ident foo) (int 2))");
	EXPR("((struct path *)arg0)->dentry->d_name.name",
	     "(. (-> (-> (cast (type struct path *) (ident arg0)) dentry) d_name) name)");
	EXPR("sizeof(struct task_struct)", "(sizeof (type struct task_struct))");
	EXPR("sizeof(uint32)", "(sizeof (type uint32))");
	EXPR("sizeof(u32)", "(sizeof (type u32))");
	EXPR("sizeof($x)", "(sizeof (var $x))");
	EXPR("sizeof(x)", "(sizeof (ident x))");
	EXPR("sizeof(1 + 2)", "(sizeof (+ (int 1) (int 2)))");
	EXPR("offsetof(struct X, a)", "(offsetof (type struct X) a)");
	EXPR("offsetof(struct Foo, a.b.c)", "(offsetof (type struct Foo) a.b.c)");
	EXPR("offsetof(*$p, a)", "(offsetof (* (var $p)) a)");
	BLOCK("let $x: uint16 = 7;", "(block (let (var $x) (type uint16) (int 7)))");
	BLOCK("let $x: pid_t;", "(block (let (var $x) (type pid_t)))");
	BLOCK("let $x: mytype;", "(block (let (var $x) (type mytype)))");
	BLOCK("let $x: struct foo * = 0;", "(block (let (var $x) (type struct foo *) (int 0)))");
	BLOCK("let $s: string[16];", "(block (let (var $s) (type string[16])))");
	BLOCK("let $b: buffer[8];", "(block (let (var $b) (type buffer[8])))");
	BLOCK("let $i: inet;", "(block (let (var $i) (type inet)))");
}

/* Fake kernel typedefs for the scanner's oracle. */
static int oracle_calls;
static bool fake_types(const char *name)
{
	oracle_calls++;
	return !strcmp(name, "__wsum") || !strcmp(name, "code");
}

/* Typedef names that do not look like types: `(name)` then an operand is
 * a cast; `(name) - x` asks the script's typedefs, then the oracle. */
static void test_typedef_casts(void)
{
	char *got;

	EXPR("(__wsum)1", "(cast (type __wsum) (int 1))");
	EXPR("(myint)$x", "(cast (type myint) (var $x))");
	EXPR("(gfp)arg0", "(cast (type gfp) (ident arg0))");
	EXPR("(T)(1 + 2)", "(cast (type T) (+ (int 1) (int 2)))");
	EXPR("(T) \"s\"", "(cast (type T) (str \"s\"))");
	EXPR("(T)@m", "(cast (type T) (map @m))");
	EXPR("(T)!$x", "(cast (type T) (! (var $x)))");
	EXPR("(T)~$x", "(cast (type T) (~ (var $x)))");
	EXPR("(T) /* c */ 1", "(cast (type T) (int 1))");
	EXPR("(x) != 1", "(!= (ident x) (int 1))");
	EXPR("(x) ? 1 : 2", "(? (ident x) (int 1) (int 2))");
	EXPR("(x)->f", "(-> (ident x) f)");
	EXPR("f(x) + 1", "(+ (call f (ident x)) (int 1))");
	EXPR("sizeof(x)", "(sizeof (ident x))");
	BLOCK("if (x) { }", "(block (if (ident x) (block)))");
	BLOCK("while (x) { }", "(block (while (ident x) (block)))");
	BLOCK("return (T)1;", "(block (return (cast (type T) (int 1))))");
	/* without an oracle only the script's typedefs make `(name) - x` a cast */
	EXPR("(__wsum) - 1", "(- (ident __wsum) (int 1))");
	PROG("typedef unsigned int myint, *myptr; typedef int arr4[4];\n"
	     "BEGIN { $a = (myint)-1; $b = (myptr)*$p; $c = (arr4) & $x; }",
	     "(program (cdef \"typedef unsigned int myint, *myptr;\") "
	     "(cdef \"typedef int arr4[4];\") (probe (attach \"BEGIN\") (block "
	     "(= (var $a) (cast (type myint) (- (int 1)))) "
	     "(= (var $b) (cast (type myptr) (* (var $p)))) "
	     "(= (var $c) (cast (type arr4) (& (var $x)))))))");
	PROG("typedef struct { int a; } anon_t2, other;\nBEGIN { $a = (other)-1; }",
	     "(program (cdef \"typedef struct { int a; } anon_t2, other;\") "
	     "(probe (attach \"BEGIN\") (block (= (var $a) (cast (type other) (- (int 1)))))))");
	parse_set_type_oracle(fake_types);
	EXPR("(__wsum) - 1", "(cast (type __wsum) (- (int 1)))");
	EXPR("(__wsum) * $p", "(cast (type __wsum) (* (var $p)))");
	EXPR("(__wsum) & $x", "(cast (type __wsum) (& (var $x)))");
	EXPR("(__wsum) && $x", "(&& (ident __wsum) (var $x))");
	got = dump_block("(__wsum) -= 1;"); /* not a cast: an assignment to a parenthesised name */
	CHECK(strstr(got, "error: cannot assign to this expression") != NULL);
	free(got);
	EXPR("(other) - 1", "(- (ident other) (int 1))");
	/* a macro's parameter is a value even when the kernel has such a type */
	got = dump_prog("macro f(code) { (code) - 1 }");
	CHECK_STR(
		got,
		"(program (macro f (params (ident code)) (block :expr (- (ident code) (int 1)))))");
	free(got);
	EXPR("(code) - 1", "(cast (type code) (- (int 1)))");
	/* names before '(' and bare values never ask */
	oracle_calls = 0;
	EXPR("(x)", "(ident x)");
	EXPR("f(x) - 1", "(- (call f (ident x)) (int 1))");
	EXPR("(x) + 1", "(+ (ident x) (int 1))");
	CHECK(oracle_calls == 0);
	parse_set_type_oracle(NULL);
}

static void test_statements(void)
{
	BLOCK("", "(block)");
	BLOCK(";", "(block)");
	BLOCK(";;", "(block)");
	BLOCK("$x = 1", "(block (= (var $x) (int 1)))");
	BLOCK("$x = 1;", "(block (= (var $x) (int 1)))");
	BLOCK("$x = 1; $y = 2", "(block (= (var $x) (int 1)) (= (var $y) (int 2)))");
	BLOCK("@x = count()", "(block (= (map @x) (call count)))");
	BLOCK("@m[k]++", "(block (post++ (map @m (ident k))))");
	BLOCK("@m[k1, k2]++;", "(block (post++ (map @m (tuple (ident k1) (ident k2)))))");
	BLOCK("++@m;", "(block (pre++ (map @m)))");
	BLOCK("$x += 1; $x -= 2; $x *= 3; $x /= 4; $x %= 5;",
	      "(block (+= (var $x) (int 1)) (-= (var $x) (int 2)) (*= (var $x) (int 3)) "
	      "(/= (var $x) (int 4)) (%= (var $x) (int 5)))");
	BLOCK("$x &= 1; $x |= 2; $x ^= 3; $x <<= 4; $x >>= 5",
	      "(block (&= (var $x) (int 1)) (|= (var $x) (int 2)) (^= (var $x) (int 3)) "
	      "(<<= (var $x) (int 4)) (>>= (var $x) (int 5)))");
	BLOCK("@ -= 5;", "(block (-= (map @) (int 5)))");
	BLOCK("@m[1] = 2;", "(block (= (map @m (int 1)) (int 2)))");
	BLOCK("$s.x = 1; $p->y = 2; $a[0] = 3; *$p = 4;",
	      "(block (= (. (var $s) x) (int 1)) (= (-> (var $p) y) (int 2)) "
	      "(= ([] (var $a) (int 0)) (int 3)) (= (* (var $p)) (int 4)))");
	BLOCK("_ = has_key(@a, 1);", "(block (= (ident _) (call has_key (map @a) (int 1))))");
	BLOCK("let $x;", "(block (let (var $x)))");
	BLOCK("let $x = 1", "(block (let (var $x) (int 1)))");
	BLOCK("let $x: uint16 = 7;", "(block (let (var $x) (type uint16) (int 7)))");
	BLOCK("return;", "(block (return))");
	BLOCK("return", "(block (return))");
	BLOCK("return 1;", "(block (return (int 1)))");
	BLOCK("return $x + 1", "(block (return (+ (var $x) (int 1))))");
	BLOCK("break; continue", "(block (break) (continue))");
	BLOCK("import \"lib.bt\";", "(block (import \"lib.bt\"))");
	BLOCK("print(1); print(2)", "(block (call print (int 1)) (call print (int 2)))");
	BLOCK("$a == 1 ? print(\"true\") : print(\"false\");",
	      "(block (? (== (var $a) (int 1)) (call print (str \"true\")) "
	      "(call print (str \"false\"))))");
	BLOCK("(1, 2);", "(block (tuple (int 1) (int 2)))");
	BLOCK("-1;", "(block (- (int 1)))");
	BLOCK("(uint8)1;", "(block (cast (type uint8) (int 1)))");
}

static void test_control_flow(void)
{
	BLOCK("if (c) { a() }", "(block (if (ident c) (block (call a))))");
	BLOCK("if (c) { a() } else { b() }",
	      "(block (if (ident c) (block (call a)) (block (call b))))");
	BLOCK("if (c) { a() } else if (d) { b() } else { e() }",
	      "(block (if (ident c) (block (call a)) (if (ident d) (block (call b)) "
	      "(block (call e)))))");
	BLOCK("if (c) { } else if (d) { }",
	      "(block (if (ident c) (block) (if (ident d) (block))))");
	BLOCK("if ($a > 1) { $b = 2; }",
	      "(block (if (> (var $a) (int 1)) (block (= (var $b) (int 2)))))");
	/* unparenthesised unary conditions (bpftrace 0.24) */
	BLOCK("if $x { a() }", "(block (if (var $x) (block (call a))))");
	BLOCK("if !$x { a() }", "(block (if (! (var $x)) (block (call a))))");
	BLOCK("if @m[1] { }", "(block (if (map @m (int 1)) (block)))");
	/* no ';' needed after compound statements, allowed anyway */
	BLOCK("if (c) { a() } $x = 1; if (d) { b() }; $y = 2",
	      "(block (if (ident c) (block (call a))) (= (var $x) (int 1)) "
	      "(if (ident d) (block (call b))) (= (var $y) (int 2)))");
	BLOCK("while ($i < 10) { $i++ }",
	      "(block (while (< (var $i) (int 10)) (block (post++ (var $i)))))");
	BLOCK("for ($i : 0..10) { print($i) }",
	      "(block (for (var $i) (range (int 0) (int 10)) (block (call print (var $i)))))");
	BLOCK("for ($cpu : 0..ncpus) { }",
	      "(block (for (var $cpu) (range (int 0) (ident ncpus)) (block)))");
	BLOCK("for ($i : $a..$b + 1) { }",
	      "(block (for (var $i) (range (var $a) (+ (var $b) (int 1))) (block)))");
	BLOCK("for ($kv : @map) { print($kv.0); print($kv.1); }",
	      "(block (for (var $kv) (map @map) (block (call print (. (var $kv) 0)) "
	      "(call print (. (var $kv) 1)))))");
	BLOCK("unroll(5) { print(1) }", "(block (unroll (int 5) (block (call print (int 1)))))");
	BLOCK("unroll (3) { }", "(block (unroll (int 3) (block)))");
	BLOCK("{ $x = 1; } { }", "(block (block (= (var $x) (int 1))) (block))");
	BLOCK("{ { $x = 1 } }", "(block (block (block (= (var $x) (int 1)))))");
	/* statement blocks never get is_expr, even ending in an expression */
	BLOCK("{ 1 }", "(block (block (int 1)))");
	BLOCK("if (c) { 1 } else { 2 }", "(block (if (ident c) (block (int 1)) (block (int 2))))");
	BLOCK("while (1) { if ($i > 5) { break; } $i++ }",
	      "(block (while (int 1) (block (if (> (var $i) (int 5)) (block (break))) "
	      "(post++ (var $i)))))");
}

static void test_block_if_expressions(void)
{
	BLOCK("$x = { let $y = 1; $y + 1 };",
	      "(block (= (var $x) (block :expr (let (var $y) (int 1)) (+ (var $y) (int 1)))))");
	BLOCK("let $a = { let $b = 1; $b };",
	      "(block (let (var $a) (block :expr (let (var $b) (int 1)) (var $b))))");
	/* a trailing ';' makes it a statement: no value */
	BLOCK("$x = { 1; };", "(block (= (var $x) (block (int 1))))");
	BLOCK("$x = {};", "(block (= (var $x) (block)))");
	BLOCK("$z = if ($a) { 1 } else { 2 };", "(block (= (var $z) (if :expr (var $a) (block "
						":expr (int 1)) (block :expr (int 2)))))");
	BLOCK("$z = if $a { 1 } else if $b { 2 } else { 3 }",
	      "(block (= (var $z) (if :expr (var $a) (block :expr (int 1)) (if :expr (var $b) "
	      "(block :expr (int 2)) (block :expr (int 3))))))");
	BLOCK("$z = 1 + if (c) { 2 } else { 3 };",
	      "(block (= (var $z) (+ (int 1) (if :expr (ident c) (block :expr (int 2)) "
	      "(block :expr (int 3))))))");
	BLOCK("$z = if (c) { 2 };",
	      "(block (= (var $z) (if :expr (ident c) (block :expr (int 2)))))");
	BLOCK("$x = { if (c) { 1 } else { 2 } };",
	      "(block (= (var $x) (block :expr (if :expr (ident c) (block :expr (int 1)) "
	      "(block :expr (int 2))))))");
	BLOCK("$x = { { 1 } };", "(block (= (var $x) (block :expr (block :expr (int 1)))))");
	BLOCK("print({ 1 })", "(block (call print (block :expr (int 1))))");
}

static void test_probes(void)
{
	PROG("", "(program)");
	PROG("// nothing\n", "(program)");
	PROG("BEGIN { printf(\"hi\"); }",
	     "(program (probe (attach \"BEGIN\") (block (call printf (str \"hi\")))))");
	PROG("BEGIN{}END{}", "(program (probe (attach \"BEGIN\") (block)) "
			     "(probe (attach \"END\") (block)))");
	PROG("begin { } end { }", "(program (probe (attach \"begin\") (block)) "
				  "(probe (attach \"end\") (block)))");
	PROG("BEGIN { };", "(program (probe (attach \"BEGIN\") (block)))");
	PROG("kprobe:a,kprobe:b { }",
	     "(program (probe (attach \"kprobe:a\") (attach \"kprobe:b\") (block)))");
	PROG("kprobe:a,\n  kprobe:b ,kprobe:c\n,\nkprobe:d\n{ }",
	     "(program (probe (attach \"kprobe:a\") (attach \"kprobe:b\") (attach \"kprobe:c\") "
	     "(attach \"kprobe:d\") (block)))");
	PROG("tracepoint:syscalls:sys_enter_open,\ntracepoint:syscalls:sys_enter_openat {\n}",
	     "(program (probe (attach \"tracepoint:syscalls:sys_enter_open\") "
	     "(attach \"tracepoint:syscalls:sys_enter_openat\") (block)))");
	PROG("myname=kprobe:f { }", "(program (probe (attach \"kprobe:f\" :name myname) (block)))");
	PROG("kprobe:f /pid == 1/ { }",
	     "(program (probe (attach \"kprobe:f\") (pred (== (ident pid) (int 1))) (block)))");
	PROG("kprobe:f\n/pid == 1/\n{ }",
	     "(program (probe (attach \"kprobe:f\") (pred (== (ident pid) (int 1))) (block)))");
	PROG("kprobe:f /a / b/ { }",
	     "(program (probe (attach \"kprobe:f\") (pred (/ (ident a) (ident b))) (block)))");
	PROG("kprobe:f /@start[tid]/{ }",
	     "(program (probe (attach \"kprobe:f\") (pred (map @start (ident tid))) (block)))");
	PROG("kprobe:f /comm == \"bash\"/ { }", "(program (probe (attach \"kprobe:f\") (pred (== "
						"(ident comm) (str \"bash\"))) (block)))");
	PROG("kprobe:f // comment\n /* c */ /1/ /* c */ { }",
	     "(program (probe (attach \"kprobe:f\") (pred (int 1)) (block)))");
	PROG("BEGIN\n{\n}\n", "(program (probe (attach \"BEGIN\") (block)))");
}

static void test_attach_points(void)
{
	static const char *const aps[] = {
		"BEGIN",
		"END",
		"begin",
		"end",
		"self:signal:SIGUSR1",
		"interval:s:1",
		"interval:hz:2",
		"i:1s",
		"profile:hz:99",
		"profile:1s",
		"p:ms:10",
		"tracepoint:syscalls:sys_enter_*",
		"tracepoint:sched:sched*",
		"t:block:block_rq_issue",
		"kprobe:vfs_read",
		"kretprobe:vfs_read",
		"k:do_nanosleep",
		"kprobe:tcp_*",
		"kprobe:*socket*",
		"kprobe:f?o",
		"kprobe:mod:fn",
		"k:f+0x10",
		"kprobe:0xffffffff81000000",
		"uprobe:/bin/bash:readline",
		"uretprobe:/bin/bash:readline",
		"u:libc:malloc",
		"u:bin:func+8",
		"u:bin:0x1234",
		"u:bin@file.c:362",
		"u:bin@file.c:362:7",
		"uprobe:bin:cpp:\"NS::f\"",
		"uprobe:bin:cpp:\"ns::f(int, char)\"",
		"uprobe:\"a.apk!/lib/x.so\":f",
		"uprobe:$1:func",
		"uprobe:./testprogs/uprobe_test:uprobeFunction1",
		"usdt:/bin/x:[ns]:probe",
		"usdt:*:loop",
		"U:/bin/x:p",
		"rawtracepoint:mod:event",
		"fentry:vmlinux:fget",
		"fexit:fget",
		"kfunc:f",
		"fentry:bpf:123:prog",
		"software:faults:100",
		"hardware:cache-misses:1e6",
		"watchpoint:0x10000000:8:rw",
		"iter:task",
		"iter:task_vma:/sys/fs/bpf/pin",
		"test:okay",
		"bench:lhist",
		"KPROBE:f",
		NULL,
	};
	int i;

	for (i = 0; aps[i]; i++) {
		char text[512], want[1024], *got;
		size_t k = 0;
		const char *c;

		snprintf(text, sizeof(text), "%s { }", aps[i]);
		k += (size_t)snprintf(want, sizeof(want), "(program (probe (attach \"");
		for (c = aps[i]; *c; c++) {
			if (*c == '"' || *c == '\\')
				want[k++] = '\\';
			want[k++] = *c;
		}
		snprintf(want + k, sizeof(want) - k, "\") (block)))");
		got = dump_prog(text);
		CHECK_STR(got, want);
		free(got);
	}
	/* no space before the body */
	PROG("i:1s{exit()}", "(program (probe (attach \"i:1s\") (block (call exit))))");
	/* durations are not lexed inside attach points, but are in the body */
	PROG("interval:s:1 { @ = 1s; }",
	     "(program (probe (attach \"interval:s:1\") (block (= (map @) (int 1000000000)))))");
}

static void test_top_level(void)
{
	PROG("#!/usr/bin/env bpftrace\nBEGIN { }", "(program (probe (attach \"BEGIN\") (block)))");
	PROG("#!/usr/bpftrace -q\n\n#include <linux/sched.h>\nBEGIN { }",
	     "(program (cdef \"#include <linux/sched.h>\") (probe (attach \"BEGIN\") (block)))");
	PROG("#include \"x.h\"\n#define X 1\nBEGIN { }",
	     "(program (cdef \"#include \\\"x.h\\\"\") (cdef \"#define X 1\") "
	     "(probe (attach \"BEGIN\") (block)))");
	PROG("#define M(a) \\\n  ((a) + 1)\nBEGIN { }",
	     "(program (cdef \"#define M(a) \\\\\\n  ((a) + 1)\") (probe (attach \"BEGIN\") "
	     "(block)))");
	PROG("#ifndef BPFTRACE_HAVE_BTF\n#include <linux/path.h>\n#endif\n",
	     "(program (cdef \"#ifndef BPFTRACE_HAVE_BTF\") (cdef \"#include <linux/path.h>\") "
	     "(cdef \"#endif\"))");
	PROG("struct S { int x; }\nBEGIN { }",
	     "(program (cdef \"struct S { int x; }\") (probe (attach \"BEGIN\") (block)))");
	PROG("struct S { int x; struct { int y; } z; };\nBEGIN { }",
	     "(program (cdef \"struct S { int x; struct { int y; } z; };\") "
	     "(probe (attach \"BEGIN\") (block)))");
	PROG("struct S {\n  int y[4]; // }\n  char *s; /* } */\n};",
	     "(program (cdef \"struct S {\\n  int y[4]; // }\\n  char *s; /* } */\\n};\"))");
	PROG("union U { int a; long b; };", "(program (cdef \"union U { int a; long b; };\"))");
	PROG("enum E { A = 1, B };", "(program (cdef \"enum E { A = 1, B };\"))");
	PROG("struct S { int a; } __attribute__((packed));",
	     "(program (cdef \"struct S { int a; } __attribute__((packed));\"))");
	PROG("struct S { int a; } __attribute__((aligned(8)))\nBEGIN{}",
	     "(program (cdef \"struct S { int a; } __attribute__((aligned(8)))\") "
	     "(probe (attach \"BEGIN\") (block)))");
	PROG("struct S;", "(program (cdef \"struct S;\"))");
	PROG("typedef unsigned int u_t;\ntypedef struct { int a; } s_t;\nBEGIN { }",
	     "(program (cdef \"typedef unsigned int u_t;\") (cdef \"typedef struct { int a; } "
	     "s_t;\") (probe (attach \"BEGIN\") (block)))");
	PROG("config = { max_strlen = 128; stack_mode = perf }",
	     "(program (config (= (ident max_strlen) (int 128)) (= (ident stack_mode) (ident "
	     "perf))))");
	PROG("config={ stack_mode=perf; max_map_keys=2; };",
	     "(program (config (= (ident stack_mode) (ident perf)) (= (ident max_map_keys) (int "
	     "2))))");
	PROG("config = { }", "(program (config))");
	PROG("config = { license = \"GPL\"; print_maps_on_exit = false }",
	     "(program (config (= (ident license) (str \"GPL\")) "
	     "(= (ident print_maps_on_exit) (bool false))))");
	PROG("import \"lib.bt\";", "(program (import \"lib.bt\"))");
	PROG("import \"a.bt\"; import \"b.bpf.c\";",
	     "(program (import \"a.bt\") (import \"b.bpf.c\"))");
	PROG("let @a = lruhash(100);", "(program (mapdecl (map @a) (call lruhash (int 100))))");
	PROG("let @m = hash(100); BEGIN { @m[1] = 1 }",
	     "(program (mapdecl (map @m) (call hash (int 100))) "
	     "(probe (attach \"BEGIN\") (block (= (map @m (int 1)) (int 1)))))");
	PROG("macro one() { 1 }", "(program (macro one (params) (block :expr (int 1))))");
	PROG("macro add_one(x) { x + 1 }",
	     "(program (macro add_one (params (ident x)) (block :expr (+ (ident x) (int 1)))))");
	PROG("macro f($a, @b, c) { $a += 1; @b += 1; }",
	     "(program (macro f (params (var $a) (map @b) (ident c)) "
	     "(block (+= (var $a) (int 1)) (+= (map @b) (int 1)))))");
	PROG("macro m(x) { let $x = x; $x + 1 }",
	     "(program (macro m (params (ident x)) (block :expr (let (var $x) (ident x)) "
	     "(+ (var $x) (int 1)))))");
	PROG("macro max(a, b) { if (a > b) { a } else { b } }",
	     "(program (macro max (params (ident a) (ident b)) (block :expr (if :expr (> (ident a) "
	     "(ident b)) (block :expr (ident a)) (block :expr (ident b))))))");
	PROG("fn f($a: int64, $b: pid_t): int64 { return $a + 1; }",
	     "(program (fn f (params (let (var $a) (type int64)) (let (var $b) (type pid_t))) "
	     "(type int64) (block (return (+ (var $a) (int 1))))))");
	PROG("fn g() { }", "(program (fn g (params) (block)))");
	PROG("fn h($p: struct foo *): uint8 { return 0 }",
	     "(program (fn h (params (let (var $p) (type struct foo *))) (type uint8) "
	     "(block (return (int 0)))))");
	/* items in any order, the order rules are sema's */
	PROG("BEGIN { } config = { a = 1 } BEGIN { }",
	     "(program (probe (attach \"BEGIN\") (block)) (config (= (ident a) (int 1))) "
	     "(probe (attach \"BEGIN\") (block)))");
	/* words that are keywords only at the top level */
	PROG("BEGIN { $x = config; $y = fn; $z = macro; }",
	     "(program (probe (attach \"BEGIN\") (block (= (var $x) (ident config)) "
	     "(= (var $y) (ident fn)) (= (var $z) (ident macro)))))");
}

static void test_tutorial(void)
{
	/* the one-liners of bpftrace's tutorial, lesson by lesson */
	PROG("BEGIN { printf(\"hello world\\n\"); }",
	     "(program (probe (attach \"BEGIN\") (block (call printf (str \"hello world\\n\")))))");
	PROG("tracepoint:syscalls:sys_enter_openat { printf(\"%s %s\\n\", comm, "
	     "str(args->filename)); }",
	     "(program (probe (attach \"tracepoint:syscalls:sys_enter_openat\") (block (call "
	     "printf "
	     "(str \"%s %s\\n\") (ident comm) (call str (-> (ident args) filename))))))");
	PROG("tracepoint:syscalls:sys_enter_openat { printf(\"%s %s\\n\", comm, "
	     "str(args.filename)); }",
	     "(program (probe (attach \"tracepoint:syscalls:sys_enter_openat\") (block (call "
	     "printf "
	     "(str \"%s %s\\n\") (ident comm) (call str (. (ident args) filename))))))");
	PROG("tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }",
	     "(program (probe (attach \"tracepoint:raw_syscalls:sys_enter\") (block (= (map @ "
	     "(ident comm)) (call count)))))");
	PROG("tracepoint:syscalls:sys_exit_read /pid == 18644/ { @bytes = hist(args.ret); }",
	     "(program (probe (attach \"tracepoint:syscalls:sys_exit_read\") (pred (== (ident pid) "
	     "(int 18644))) (block (= (map @bytes) (call hist (. (ident args) ret))))))");
	PROG("kretprobe:vfs_read { @bytes = hist(retval); }",
	     "(program (probe (attach \"kretprobe:vfs_read\") (block (= (map @bytes) (call hist "
	     "(ident retval))))))");
	PROG("kretprobe:vfs_read { @bytes = lhist(retval, 0, 2000, 200); }",
	     "(program (probe (attach \"kretprobe:vfs_read\") (block (= (map @bytes) (call lhist "
	     "(ident retval) (int 0) (int 2000) (int 200))))))");
	PROG("kprobe:vfs_read { @start[tid] = nsecs; } kretprobe:vfs_read /@start[tid]/ { "
	     "@ns[comm] = hist(nsecs - @start[tid]); delete(@start[tid]); }",
	     "(program (probe (attach \"kprobe:vfs_read\") (block (= (map @start (ident tid)) "
	     "(ident nsecs)))) (probe (attach \"kretprobe:vfs_read\") (pred (map @start (ident "
	     "tid))) (block (= (map @ns (ident comm)) (call hist (- (ident nsecs) (map @start "
	     "(ident tid))))) (call delete (map @start (ident tid))))))");
	PROG("tracepoint:sched:sched* { @[probe] = count(); } interval:s:5 { exit(); }",
	     "(program (probe (attach \"tracepoint:sched:sched*\") (block (= (map @ (ident probe)) "
	     "(call count)))) (probe (attach \"interval:s:5\") (block (call exit))))");
	PROG("profile:hz:99 { @[kstack] = count(); }",
	     "(program (probe (attach \"profile:hz:99\") (block (= (map @ (ident kstack)) "
	     "(call count)))))");
	PROG("profile:hz:99 /pid == 189/ { @[ustack] = count(); }",
	     "(program (probe (attach \"profile:hz:99\") (pred (== (ident pid) (int 189))) (block "
	     "(= (map @ (ident ustack)) (call count)))))");
	PROG("tracepoint:sched:sched_switch { @[kstack] = count(); }",
	     "(program (probe (attach \"tracepoint:sched:sched_switch\") (block (= (map @ (ident "
	     "kstack)) (call count)))))");
	PROG("tracepoint:block:block_rq_issue { @ = hist(args.bytes); }",
	     "(program (probe (attach \"tracepoint:block:block_rq_issue\") (block (= (map @) (call "
	     "hist (. (ident args) bytes))))))");
	PROG("#ifndef BPFTRACE_HAVE_BTF\n#include <linux/path.h>\n#include <linux/dcache.h>\n"
	     "#endif\n\nkprobe:vfs_open\n{\n\tprintf(\"open path: %s\\n\", str(((struct path "
	     "*)arg0)->dentry->d_name.name));\n}\n",
	     "(program (cdef \"#ifndef BPFTRACE_HAVE_BTF\") (cdef \"#include <linux/path.h>\") "
	     "(cdef \"#include <linux/dcache.h>\") (cdef \"#endif\") (probe (attach "
	     "\"kprobe:vfs_open\") (block (call printf (str \"open path: %s\\n\") (call str (. (-> "
	     "(-> (cast (type struct path *) (ident arg0)) dentry) d_name) name))))))");
	PROG("uprobe:/bin/bash:readline { printf(\"%s\\n\", str(retval)); }",
	     "(program (probe (attach \"uprobe:/bin/bash:readline\") (block (call printf (str "
	     "\"%s\\n\") (call str (ident retval))))))");
	PROG("interval:s:1 { print(@); clear(@); }",
	     "(program (probe (attach \"interval:s:1\") (block (call print (map @)) (call clear "
	     "(map @)))))");
}

static void test_locations(void)
{
	struct ast_node *p, *probe, *st, *e;
	const char *text = "BEGIN { $x = 1 + 2; }\n"
			   "kprobe:a,\n"
			   "  kprobe:b /pid == 1/ {\n"
			   "\t@m[k] = \"str\";\n"
			   "}\n";

	p = parse(text);
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(p->loc.first_line == 1 && p->loc.first_column == 1);
	CHECK(p->loc.file == 0);
	probe = p->body;
	CHECK(probe->loc.first_line == 1 && probe->loc.first_column == 1);
	CHECK(probe->loc.last_line == 1 && probe->loc.last_column == 21);
	CHECK(probe->body->loc.first_column == 1 && probe->body->loc.last_column == 5);
	st = probe->then->body; /* $x = 1 + 2 */
	CHECK(st->kind == AST_ASSIGN);
	CHECK(st->loc.first_column == 9 && st->loc.last_column == 18);
	CHECK(st->lhs->loc.first_column == 9 && st->lhs->loc.last_column == 10);
	e = st->rhs;
	CHECK(e->kind == AST_BINOP && e->loc.first_column == 14 && e->loc.last_column == 18);
	CHECK(e->lhs->loc.first_column == 14 && e->lhs->loc.last_column == 14);
	CHECK(e->rhs->loc.first_column == 18 && e->rhs->loc.last_column == 18);
	CHECK(probe->then->loc.first_column == 7 && probe->then->loc.last_column == 21);

	probe = probe->next;
	CHECK(probe->loc.first_line == 2 && probe->loc.first_column == 1);
	CHECK(probe->loc.last_line == 5 && probe->loc.last_column == 1);
	CHECK(probe->body->loc.first_line == 2 && probe->body->loc.last_column == 8);
	CHECK(probe->body->next->loc.first_line == 3 && probe->body->next->loc.first_column == 3 &&
	      probe->body->next->loc.last_column == 10);
	CHECK(probe->pred->loc.first_line == 3 && probe->pred->loc.first_column == 13 &&
	      probe->pred->loc.last_column == 20);
	st = probe->then->body; /* @m[k] = "str" */
	CHECK(st->loc.first_line == 4 && st->loc.first_column == 2 && st->loc.last_column == 14);
	CHECK(st->lhs->loc.first_column == 2 && st->lhs->loc.last_column == 6);
	CHECK(st->lhs->lhs->loc.first_column == 5 && st->lhs->lhs->loc.last_column == 5);
	CHECK(st->rhs->loc.first_column == 10 && st->rhs->loc.last_column == 14);
	CHECK(probe->then->loc.first_line == 3 && probe->then->loc.first_column == 23 &&
	      probe->then->loc.last_line == 5 && probe->then->loc.last_column == 1);

	/* a multi-line C definition, the file id of a second file */
	{
		int id;

		arena_free(&A);
		arena_init(&A);
		diag_free(&D);
		source_init(&S, &A);
		diag_init(&D, &S);
		source_add(&S, "first.bt", "", 0);
		id = source_add(&S, "second.bt", "struct S {\n  int a;\n}\nBEGIN { }", 31);
		p = parse_program(&A, &S, id, &D);
		CHECK(p && p->body->kind == AST_CDEF);
		if (p) {
			struct loc l = p->body->loc;

			CHECK(l.file == 1 && l.first_line == 1 && l.first_column == 1);
			CHECK(l.last_line == 3 && l.last_column == 1);
			CHECK(p->body->next->loc.file == 1 && p->body->next->loc.first_line == 4);
			CHECK(p->body->next->then->loc.file == 1);
		}
	}
	/* tuple keys of maps span their elements */
	p = parse("BEGIN { @m[a, bb] = 1 }");
	if (p) {
		e = p->body->then->body->lhs->lhs;
		CHECK(e->kind == AST_TUPLE && e->loc.first_column == 12 &&
		      e->loc.last_column == 16);
	}
	/* attach point with a name: the whole text */
	p = parse("nm=kprobe:f {}");
	if (p)
		CHECK(p->body->body->loc.first_column == 1 && p->body->body->loc.last_column == 11);
}

static void test_lists(void)
{
	struct ast_node *p = parse("BEGIN { f(1, 2, 3); } END { }");
	struct ast_node a, b, c;

	CHECK(p && ast_list_len(p->body) == 2);
	CHECK(p && ast_list_len(p->body->then->body->lhs->body) == 3);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	CHECK(ast_append(NULL, &a) == &a);
	CHECK(ast_append(&a, &b) == &a && a.next == &b);
	CHECK(ast_append(&a, &c) == &a && b.next == &c);
	CHECK(ast_list_len(&a) == 3 && ast_list_len(NULL) == 0);
	CHECK(strcmp(ast_kind_name(AST_FOR_RANGE), "for_range") == 0);
	CHECK(strcmp(ast_kind_name(AST_TYPE), "type") == 0);
	CHECK(strcmp(ast_op_name(TOK_SHL), "<<") == 0);
	CHECK(strcmp(ast_op_name(TOK_LOR), "||") == 0);
	CHECK(strcmp(ast_op_name('+'), "+") == 0);
	CHECK(strcmp(ast_op_name(TOK_DEC), "--") == 0);
}

int main(void)
{
	arena_init(&A);
	test_precedence();
	test_literals();
	test_string_len();
	test_int_fields();
	test_variables();
	test_calls();
	test_tuples_records();
	test_casts_types();
	test_typedef_casts();
	test_statements();
	test_control_flow();
	test_block_if_expressions();
	test_probes();
	test_attach_points();
	test_top_level();
	test_tutorial();
	test_locations();
	test_lists();
	diag_free(&D);
	arena_free(&A);
	return check_done();
}
