/*
 * test_lang_diag.c - diagnostics: the exact rendered text (location header,
 * source line, caret and '~' underline, notes, hints, warnings, colour),
 * the syntax and scanning errors the parser reports (several per parse),
 * and diag_suggest.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lang/arena.h"
#include "lang/diag.h"
#include "lang/source.h"
#include "parser/parse.h"

static struct loc L(int l1, int c1, int l2, int c2) {
	struct loc l = {l1, c1, l2, c2, 0};

	return l;
}

static int
add(struct source_set *s, const char *name, const char *text)
{
	return source_add(s, name, text, strlen(text));
}

/* Renders the diagnostics of parsing text. */
static char *parse_errors(const char *text, size_t len, int *nerrors, bool *ok)
{
	struct arena a;
	struct source_set s;
	struct diag_set d;
	struct ast_node *p;
	char *out;
	int id;

	arena_init(&a);
	source_init(&s, &a);
	diag_init(&d, &s);
	id = source_add(&s, "stdin", text, len);
	p = parse_program(&a, &s, id, &d);
	out = diag_render_string(&d);
	if (nerrors)
		*nerrors = d.nerrors;
	if (ok)
		*ok = p != NULL;
	diag_free(&d);
	arena_free(&a);
	return out;
}

#define ERRS(text, want)                                                   \
	do {                                                               \
		bool ok_;                                                  \
		char *got_ = parse_errors(text, strlen(text), NULL, &ok_); \
		CHECK(!ok_);                                               \
		CHECK_STR(got_, want);                                     \
		free(got_);                                                \
	} while (0)

static void test_render(void)
{
	struct arena a;
	struct source_set s;
	struct diag_set d;
	char *out;

	arena_init(&a);
	source_init(&s, &a);
	diag_init(&d, &s);
	add(&s, "stdin", "BEGIN { @ = cont(); }\n\tif (x) {\n  y\n}\n");

	diag_error(&d, L(1, 13, 1, 18), "unknown function '%s'", "cont");
	diag_hint(&d, "did you mean '%s'?", "count");
	diag_error(&d, L(1, 9, 1, 9), "one column");
	diag_warn(&d, L(2, 2, 2, 3), "a warning");
	diag_note(&d, L(3, 3, 3, 3), "a note with a location");
	diag_error(&d, L(2, 5, 4, 1), "spans lines");
	diag_error_noloc(&d, "no location at all");
	diag_error(&d, L(9, 1, 9, 4), "line past the end of the file");
	CHECK(d.nerrors == 5);
	CHECK(d.nwarnings == 1);
	CHECK(d.n == 8);
	out = diag_render_string(&d);
	CHECK_STR(out, "stdin:1:13-19: error: unknown function 'cont'\n"
		       "BEGIN { @ = cont(); }\n"
		       "            ^~~~~~\n"
		       "note: did you mean 'count'?\n"
		       "stdin:1:9: error: one column\n"
		       "BEGIN { @ = cont(); }\n"
		       "        ^\n"
		       "stdin:2:2-4: warning: a warning\n"
		       "\tif (x) {\n"
		       "\t^~\n"
		       "stdin:3:3: note: a note with a location\n"
		       "  y\n"
		       "  ^\n"
		       "stdin:2:5: error: spans lines\n"
		       "\tif (x) {\n"
		       "\t   ^~~~~\n"
		       "error: no location at all\n"
		       "stdin:9:1-5: error: line past the end of the file\n");
	free(out);
	diag_free(&d);
	CHECK(d.n == 0 && d.nerrors == 0);
	diag_free(&d); /* twice is fine */
	arena_free(&a);
}

static void test_render_edges(void)
{
	struct arena a;
	struct source_set s;
	struct diag_set d;
	char *out;
	int id;

	arena_init(&a);
	source_init(&s, &a);
	diag_init(&d, &s);
	/* CRLF line ends, UTF-8 before the range, a second file */
	add(&s, "a.bt", "x = 1;\r\nprint(\"é\", zz);\r\n");
	id = add(&s, "b.bt", "abc");
	CHECK(id == 1);
	diag_error(&d, L(1, 1, 1, 1), "crlf");
	diag_error(&d, L(2, 13, 2, 14), "after utf-8");
	{
		struct loc l = L(1, 2, 1, 3);

		l.file = 1;
		diag_error(&d, l, "second file");
		l.file = 7;
		diag_error(&d, l, "unknown file");
	}
	/* a range that runs past the end of the line */
	diag_error(&d, L(1, 5, 1, 40), "too long");
	out = diag_render_string(&d);
	CHECK_STR(out, "a.bt:1:1: error: crlf\n"
		       "x = 1;\n"
		       "^\n"
		       "a.bt:2:13-15: error: after utf-8\n"
		       "print(\"é\", zz);\n"
		       "           ^~\n"
		       "b.bt:1:2-4: error: second file\n"
		       "abc\n"
		       " ^~\n"
		       "<unknown>:1:2-4: error: unknown file\n"
		       "a.bt:1:5-41: error: too long\n"
		       "x = 1;\n"
		       "    ^~\n");
	free(out);
	diag_free(&d);
	arena_free(&a);
}

static void test_no_warnings(void)
{
	struct arena a;
	struct source_set s;
	struct diag_set d;
	char *out;

	arena_init(&a);
	source_init(&s, &a);
	diag_init(&d, &s);
	d.no_warnings = true;
	add(&s, "stdin", "abc def");
	diag_warn(&d, L(1, 1, 1, 3), "hidden warning");
	diag_note(&d, L(1, 5, 1, 7), "hidden note");
	diag_hint(&d, "hidden hint");
	diag_error(&d, L(1, 5, 1, 7), "shown error");
	diag_hint(&d, "shown hint");
	CHECK(d.nwarnings == 0);
	CHECK(d.nerrors == 1);
	out = diag_render_string(&d);
	CHECK_STR(out, "stdin:1:5-8: error: shown error\n"
		       "abc def\n"
		       "    ^~~\n"
		       "note: shown hint\n");
	free(out);
	diag_free(&d);
	arena_free(&a);
}

static void test_colour(void)
{
	struct arena a;
	struct source_set s;
	struct diag_set d;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	arena_init(&a);
	source_init(&s, &a);
	diag_init(&d, &s);
	add(&s, "stdin", "abc");
	diag_error(&d, L(1, 2, 1, 3), "bad");
	diag_hint(&d, "hint");
	diag_warn(&d, L(1, 1, 1, 1), "w");

	f = open_memstream(&buf, &len);
	diag_render(&d, f, 1);
	fclose(f);
	CHECK_STR(buf, "\033[1mstdin:1:2-4:\033[0m \033[1;31merror:\033[0m bad\n"
		       "abc\n"
		       " \033[1;32m^~\033[0m\n"
		       "\033[1;36mnote:\033[0m hint\n"
		       "\033[1mstdin:1:1:\033[0m \033[1;35mwarning:\033[0m w\n"
		       "abc\n"
		       "\033[1;32m^\033[0m\n");
	free(buf);

	/* auto: a memory stream is not a terminal */
	buf = NULL;
	f = open_memstream(&buf, &len);
	diag_render(&d, f, -1);
	fclose(f);
	CHECK(strchr(buf, '\033') == NULL);
	free(buf);
	diag_free(&d);
	arena_free(&a);
}

static void test_syntax_errors(void)
{
	ERRS("BEGIN { $x = ; }",
	     "stdin:1:14: error: syntax error, unexpected ';', expecting expression\n"
	     "BEGIN { $x = ; }\n"
	     "             ^\n");
	ERRS("BEGIN { print(1 }",
	     "stdin:1:17: error: syntax error, unexpected '}', expecting operator, ',' or ')'\n"
	     "BEGIN { print(1 }\n"
	     "                ^\n");
	ERRS("BEGIN { $x = 1 $y = 2 }", "stdin:1:16-18: error: syntax error, unexpected variable "
					"'$y', expecting operator, ';' "
					"or '}'\n"
					"BEGIN { $x = 1 $y = 2 }\n"
					"               ^~\n");
	ERRS("BEGIN { print(1)",
	     "stdin:1:17: error: syntax error, unexpected end of file, expecting operator, ';' or "
	     "'}'\n"
	     "BEGIN { print(1)\n"
	     "                ^\n");
	ERRS("BEGIN {\n  print(1);\n\n",
	     "stdin:2:12: error: syntax error, unexpected end of file, expecting statement or '}'\n"
	     "  print(1);\n"
	     "           ^\n");
	ERRS("BEGIN { if (x) print(1); }", "stdin:1:16-21: error: syntax error, unexpected "
					   "identifier 'print', expecting operator "
					   "or '{'\n"
					   "BEGIN { if (x) print(1); }\n"
					   "               ^~~~~\n");
	ERRS("kprobe:f /pid == 1 { }", "stdin:1:20: error: syntax error, unexpected '{', expecting "
				       "'/' ending the predicate or "
				       "operator\n"
				       "kprobe:f /pid == 1 { }\n"
				       "                   ^\n");
	ERRS("kprobe:f, { }", "stdin:1:11: error: syntax error, unexpected '{', expecting probe\n"
			      "kprobe:f, { }\n"
			      "          ^\n");
	ERRS("BEGIN { } }",
	     "stdin:1:11: error: syntax error, unexpected '}', expecting end of file or probe\n"
	     "BEGIN { } }\n"
	     "          ^\n");
	ERRS("{ }",
	     "stdin:1:1: error: syntax error, unexpected '{', expecting end of file or probe\n"
	     "{ }\n"
	     "^\n");
	ERRS("BEGIN { for ($i in 0..10) {} }",
	     "stdin:1:17-19: error: syntax error, unexpected identifier 'in', expecting ':'\n"
	     "BEGIN { for ($i in 0..10) {} }\n"
	     "                ^~\n");
	ERRS("BEGIN { let @m = hash(1); }",
	     "stdin:1:13-15: error: syntax error, unexpected map '@m', expecting variable\n"
	     "BEGIN { let @m = hash(1); }\n"
	     "            ^~\n");
	ERRS("config { a = 1 }", "stdin:1:8: error: syntax error, unexpected '{', expecting '='\n"
				 "config { a = 1 }\n"
				 "       ^\n");
	ERRS("fn f($a) {}", "stdin:1:8: error: syntax error, unexpected ')', expecting ':'\n"
			    "fn f($a) {}\n"
			    "       ^\n");
	ERRS("BEGIN { 1 = 2; }",
	     "stdin:1:9: error: cannot assign to this expression\n"
	     "BEGIN { 1 = 2; }\n"
	     "        ^\n"
	     "note: the left side of an assignment must be a variable ($x), a map "
	     "(@m, @m[k]) or a field\n");
	ERRS("BEGIN { for ($i : 5) { } }",
	     "stdin:1:19: error: a for loop iterates over a map (`@m`) or a range (`lo..hi`)\n"
	     "BEGIN { for ($i : 5) { } }\n"
	     "                  ^\n");
	ERRS("BEGIN { $x = (int8[0])1; }",
	     "stdin:1:20: error: array size must be between 1 and 4294967295\n"
	     "BEGIN { $x = (int8[0])1; }\n"
	     "                   ^\n");
	ERRS("kprobe:f/pid==1/{}",
	     "stdin:1:1-17: error: attach point 'kprobe:f/pid==1/' ends with '/'\n"
	     "kprobe:f/pid==1/{}\n"
	     "^~~~~~~~~~~~~~~~\n"
	     "note: separate a predicate from the attach point with a space: "
	     "`kprobe:f /pid == 1/ { ... }`\n");
	ERRS("nm= { }", "stdin:1:1-4: error: missing attach point after 'nm='\n"
			"nm= { }\n"
			"^~~\n");
}

static void test_several_errors(void)
{
	int n;
	bool ok;
	char *got;

	/* one per statement */
	ERRS("BEGIN { $x = ; $y = 1; $z = 1 +; print(1) }",
	     "stdin:1:14: error: syntax error, unexpected ';', expecting expression\n"
	     "BEGIN { $x = ; $y = 1; $z = 1 +; print(1) }\n"
	     "             ^\n"
	     "stdin:1:32: error: syntax error, unexpected ';', expecting expression\n"
	     "BEGIN { $x = ; $y = 1; $z = 1 +; print(1) }\n"
	     "                               ^\n");
	/* one per probe, over several lines */
	ERRS("kprobe:a { @x = (1 + ; }\n"
	     "kprobe:b /pid == / { }\n"
	     "kprobe:c { print(\"ok\"); }\n"
	     "kprobe:d { @ = count() + ; }\n",
	     "stdin:1:22: error: syntax error, unexpected ';', expecting expression\n"
	     "kprobe:a { @x = (1 + ; }\n"
	     "                     ^\n"
	     "stdin:2:18: error: syntax error, unexpected '/' ending the predicate, expecting "
	     "expression\n"
	     "kprobe:b /pid == / { }\n"
	     "                 ^\n"
	     "stdin:4:26: error: syntax error, unexpected ';', expecting expression\n"
	     "kprobe:d { @ = count() + ; }\n"
	     "                         ^\n");
	/* after an error at top level, parsing resumes at the next probe */
	ERRS("BEGIN { } ) kprobe:f { $x = ; }",
	     "stdin:1:11: error: syntax error, unexpected ')', expecting end of file or probe\n"
	     "BEGIN { } ) kprobe:f { $x = ; }\n"
	     "          ^\n"
	     "stdin:1:29: error: syntax error, unexpected ';', expecting expression\n"
	     "BEGIN { } ) kprobe:f { $x = ; }\n"
	     "                            ^\n");
	/* scanning errors and syntax errors together */
	got = parse_errors("BEGIN { $x = \"a\\qb\"; $y = 1.5; $z = ; }", 39, &n, &ok);
	CHECK(!ok && n == 3);
	CHECK_STR(got, "stdin:1:16-18: error: unknown escape sequence '\\q'\n"
		       "BEGIN { $x = \"a\\qb\"; $y = 1.5; $z = ; }\n"
		       "               ^~\n"
		       "stdin:1:27-30: error: floating-point literals are not supported\n"
		       "BEGIN { $x = \"a\\qb\"; $y = 1.5; $z = ; }\n"
		       "                          ^~~\n"
		       "stdin:1:37: error: syntax error, unexpected ';', expecting expression\n"
		       "BEGIN { $x = \"a\\qb\"; $y = 1.5; $z = ; }\n"
		       "                                    ^\n");
	free(got);
}

static void test_scan_errors(void)
{
	ERRS("BEGIN { $x = \"abc }\n",
	     "stdin:1:14: error: unterminated string\n"
	     "BEGIN { $x = \"abc }\n"
	     "             ^\n"
	     "stdin:1:20: error: syntax error, unexpected end of file, expecting operator, ';' or "
	     "'}'\n"
	     "BEGIN { $x = \"abc }\n"
	     "                   ^\n");
	ERRS("BEGIN { } /* never closed\n\n", "stdin:1:11-13: error: unterminated comment\n"
					      "BEGIN { } /* never closed\n"
					      "          ^~\n");
	ERRS("BEGIN { $x = 1 ` }", "stdin:1:16: error: unexpected character '`'\n"
				   "BEGIN { $x = 1 ` }\n"
				   "               ^\n");
	ERRS("BEGIN { $x = 'a'; }", "stdin:1:14-17: error: character literals are not supported: "
				    "use the character's code (65 for 'A')\n"
				    "BEGIN { $x = 'a'; }\n"
				    "             ^~~\n");
	ERRS("BEGIN { $x = ' }",
	     "stdin:1:14: error: unexpected character \"'\"\n"
	     "BEGIN { $x = ' }\n"
	     "             ^\n"
	     "stdin:1:16: error: syntax error, unexpected '}', expecting expression\n"
	     "BEGIN { $x = ' }\n"
	     "               ^\n");
	ERRS("BEGIN { $x = \"\\x\"; }",
	     "stdin:1:15-17: error: \\x used with no following hex digits\n"
	     "BEGIN { $x = \"\\x\"; }\n"
	     "              ^~\n");
	ERRS("BEGIN { $x = \"\\777\"; }",
	     "stdin:1:15-19: error: octal escape sequence out of range\n"
	     "BEGIN { $x = \"\\777\"; }\n"
	     "              ^~~~\n");
	ERRS("BEGIN { $x = 99999999999999999999; }",
	     "stdin:1:14-34: error: integer literal '99999999999999999999' is too large\n"
	     "BEGIN { $x = 99999999999999999999; }\n"
	     "             ^~~~~~~~~~~~~~~~~~~~\n");
	ERRS("BEGIN { $x = 0xfffffffffffffffff; }",
	     "stdin:1:14-33: error: integer literal '0xfffffffffffffffff' is too large\n"
	     "BEGIN { $x = 0xfffffffffffffffff; }\n"
	     "             ^~~~~~~~~~~~~~~~~~~\n");
	ERRS("BEGIN { $x = 1e20; }", "stdin:1:14-18: error: integer literal '1e20' is too large\n"
				     "BEGIN { $x = 1e20; }\n"
				     "             ^~~~\n");
	ERRS("BEGIN { $x = 100000000d; }",
	     "stdin:1:14-24: error: integer literal '100000000d' is too large\n"
	     "BEGIN { $x = 100000000d; }\n"
	     "             ^~~~~~~~~~\n");
	ERRS("BEGIN { $x = 1.5e0; }",
	     "stdin:1:14-19: error: floating-point literals are not supported\n"
	     "BEGIN { $x = 1.5e0; }\n"
	     "             ^~~~~\n");
	ERRS("BEGIN { $x = 1e-3; }", "stdin:1:14-18: error: scientific literals must be integers: "
				     "negative exponents are not supported\n"
				     "BEGIN { $x = 1e-3; }\n"
				     "             ^~~~\n");
	ERRS("BEGIN { $x = 08; }", "stdin:1:14-16: error: invalid digit '8' in octal literal '08'\n"
				   "BEGIN { $x = 08; }\n"
				   "             ^~\n");
	ERRS("BEGIN { $x = 0x; }", "stdin:1:14-16: error: hexadecimal literal '0x' has no digits\n"
				   "BEGIN { $x = 0x; }\n"
				   "             ^~\n");
	ERRS("BEGIN { $x = 12abc; }",
	     "stdin:1:14-19: error: invalid suffix 'abc' on integer literal\n"
	     "BEGIN { $x = 12abc; }\n"
	     "             ^~~~~\n");
	ERRS("BEGIN { $x = 1uu; }", "stdin:1:14-17: error: invalid suffix 'uu' on integer literal\n"
				    "BEGIN { $x = 1uu; }\n"
				    "             ^~~\n");
	ERRS("BEGIN { $x = $0; }", "stdin:1:14-16: error: positional parameters start at $1\n"
				   "BEGIN { $x = $0; }\n"
				   "             ^~\n");
	ERRS("BEGIN { $ = 1; }",
	     "stdin:1:9: error: '$' must be followed by a variable name or a number\n"
	     "BEGIN { $ = 1; }\n"
	     "        ^\n"
	     "stdin:1:11: error: syntax error, unexpected '=', expecting statement or '}'\n"
	     "BEGIN { $ = 1; }\n"
	     "          ^\n");
	ERRS("struct S { int a;", "stdin:1:1-18: error: unterminated C definition: missing '}'\n"
				  "struct S { int a;\n"
				  "^~~~~~~~~~~~~~~~~\n");
	{
		/* bytes that are not text */
		static const char nul[] = "BEGIN { \001 $x = 1; \0 }";
		char *got = parse_errors(nul, sizeof(nul) - 1, NULL, NULL);

		CHECK_STR(got, "stdin:1:9: error: unexpected byte 0x01\n"
			       "BEGIN {   $x = 1;   }\n"
			       "        ^\n"
			       "stdin:1:19: error: unexpected byte 0x00\n"
			       "BEGIN {   $x = 1;   }\n"
			       "                  ^\n");
		free(got);
	}
}

static void test_nesting_limits(void)
{
	size_t n = 20000, i, k = 0;
	char *text = malloc(4 * n + 64);
	char *got;
	int nerr;
	bool ok;

	/* bison's stack runs out: an error, not a crash */
	k += (size_t)sprintf(text, "BEGIN { $x = ");
	for (i = 0; i < n; i++)
		text[k++] = '(';
	text[k++] = '1';
	for (i = 0; i < n; i++)
		text[k++] = ')';
	strcpy(text + k, "; }");
	got = parse_errors(text, strlen(text), &nerr, &ok);
	CHECK(!ok && nerr == 1);
	CHECK(strstr(got, "error: program is nested too deeply\n") != NULL);
	free(got);

	/* a long left-associative chain is shallow for bison but not as a tree */
	k = (size_t)sprintf(text, "BEGIN { $x = 1");
	for (i = 0; i < 3000; i++)
		k += (size_t)sprintf(text + k, "+1");
	strcpy(text + k, "; }");
	got = parse_errors(text, strlen(text), &nerr, &ok);
	CHECK(!ok && nerr == 1);
	CHECK(strncmp(got,
		      "stdin:1:14: error: program is nested too deeply (more than 1000 levels)\n",
		      72) == 0);
	free(got);

	/* but a program under the limit parses */
	k = (size_t)sprintf(text, "BEGIN { $x = 1");
	for (i = 0; i < 900; i++)
		k += (size_t)sprintf(text + k, "+1");
	strcpy(text + k, "; }");
	got = parse_errors(text, strlen(text), &nerr, &ok);
	CHECK(ok && nerr == 0);
	CHECK_STR(got, "");
	free(got);
	free(text);
}

static void test_source(void)
{
	struct arena a;
	struct source_set s;
	const struct source_file *f;
	const char *line;
	size_t len = 99;
	struct loc x = {1, 2, 3, 4, 5}, y = {6, 7, 8, 9, 10}, z;
	int i;

	arena_init(&a);
	source_init(&s, &a);
	CHECK(add(&s, "a.bt", "one\ntwo\r\n\nlast") == 0);
	CHECK(add(&s, "b.bt", "") == 1);
	CHECK(add(&s, "c.bt", "x\n") == 2);
	for (i = 3; i < 40; i++) /* the table grows; earlier files stay */
		CHECK(add(&s, "more", "m") == i);
	f = source_get(&s, 0);
	CHECK(f && strcmp(f->name, "a.bt") == 0 && f->len == 14);
	line = source_line(f, 1, &len);
	CHECK(line && len == 3 && strncmp(line, "one", 3) == 0);
	line = source_line(f, 2, &len);
	CHECK(line && len == 3 && strncmp(line, "two", 3) == 0);
	line = source_line(f, 3, &len);
	CHECK(line && len == 0);
	line = source_line(f, 4, &len);
	CHECK(line && len == 4 && strncmp(line, "last", 4) == 0);
	CHECK(source_line(f, 5, &len) == NULL);
	CHECK(source_line(f, 0, &len) == NULL);
	f = source_get(&s, 1);
	CHECK(f && f->len == 0 && f->text[0] == '\0');
	line = source_line(f, 1, &len);
	CHECK(line && len == 0);
	f = source_get(&s, 2);
	CHECK(source_line(f, 1, &len) && len == 1);
	CHECK(source_line(f, 2, &len) == NULL);
	CHECK(source_get(&s, 39) && strcmp(source_get(&s, 39)->text, "m") == 0);
	CHECK(strcmp(source_get(&s, 0)->text, "one\ntwo\r\n\nlast") == 0);
	CHECK(source_get(&s, 40) == NULL && source_get(&s, -1) == NULL);
	CHECK(source_get(NULL, 0) == NULL);
	z = loc_span(x, y);
	CHECK(z.first_line == 1 && z.first_column == 2 && z.last_line == 8 && z.last_column == 9 &&
	      z.file == 5);
	arena_free(&a);
}

static void test_bom(void)
{
	bool ok;
	char *got = parse_errors("\xef\xbb\xbf"
				 "BEGIN { }",
				 12, NULL, &ok);

	CHECK(ok);
	CHECK_STR(got, "");
	free(got);
}

static void test_suggest(void)
{
	static const char *const funcs[] = {"count", "sum", "hist",   "lhist", "printf",
					    "print", "str", "kstack", NULL};
	static const char *const none[] = {NULL};

	CHECK_STR(diag_suggest("cont", funcs), "count");
	CHECK_STR(diag_suggest("coutn", funcs), "count");
	CHECK_STR(diag_suggest("pirntf", funcs), "printf");
	CHECK_STR(diag_suggest("printff", funcs), "printf");
	CHECK_STR(diag_suggest("hsit", funcs), "hist");
	CHECK_STR(diag_suggest("lhits", funcs), "lhist");
	CHECK_STR(diag_suggest("sun", funcs), "sum");
	CHECK_STR(diag_suggest("Count", funcs), "count");
	CHECK_STR(diag_suggest("count", funcs), "count");
	CHECK_STR(diag_suggest("kstak", funcs), "kstack");
	/* ties go to the earlier candidate: "prin" is one from both */
	CHECK_STR(diag_suggest("prin", funcs), "print");
	CHECK(diag_suggest("xyz", funcs) == NULL);
	CHECK(diag_suggest("histogram", funcs) == NULL);
	CHECK(diag_suggest("s", funcs) == NULL);
	CHECK(diag_suggest("", funcs) == NULL);
	CHECK(diag_suggest("count", none) == NULL);
	CHECK(diag_suggest(NULL, funcs) == NULL);
	CHECK(diag_suggest("count", NULL) == NULL);
}

int main(void)
{
	test_render();
	test_render_edges();
	test_no_warnings();
	test_colour();
	test_syntax_errors();
	test_several_errors();
	test_scan_errors();
	test_nesting_limits();
	test_source();
	test_bom();
	test_suggest();
	return check_done();
}
