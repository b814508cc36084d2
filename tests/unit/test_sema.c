/*
 * test_sema.c - semantic analysis without root: map key/value types inferred
 * across probes, integer signedness rules, scoping, resources (maps, events,
 * probes), and the exact text of sema's diagnostics. Only BEGIN/END and
 * interval probes are used, so no tracefs or BPF is needed.
 */
#include <stdlib.h>
#include <string.h>

#include "sema_fixture.h"

static void run(struct run *r, const char *text, const char **params, int nparams)
{
	struct sema_options opt = {0};

	opt.params = params;
	opt.nparams = nparams;
	sema_fixture_run(r, text, &opt);
}

#define TYPES(text, map, want)                                \
	do {                                                  \
		struct run r_;                                \
		run(&r_, text, NULL, 0);                      \
		CHECK(r_.rc == 0);                            \
		if (r_.rc) {                                  \
			char *e_ = diag_render_string(&r_.d); \
			fprintf(stderr, "%s", e_);            \
			free(e_);                             \
		}                                             \
		CHECK_STR(map_types(&r_, map), want);         \
		done(&r_);                                    \
	} while (0)

#define ERRS(text, want)                        \
	do {                                    \
		struct run r_;                  \
		char *e_;                       \
		run(&r_, text, NULL, 0);        \
		CHECK(r_.rc != 0);              \
		e_ = diag_render_string(&r_.d); \
		CHECK_STR(e_, want);            \
		free(e_);                       \
		done(&r_);                      \
	} while (0)

static void test_types(void)
{
	TYPES("BEGIN { @x = 1; }", "@x", "- -> int64");
	TYPES("BEGIN { @x[pid] = comm; }", "@x", "uint64 -> string[16]");
	TYPES("BEGIN { @x[comm, pid] = count(); }", "@x", "(string[16], uint64) -> count_t");
	TYPES("BEGIN { @x[1, \"a\"] = (1, \"bc\"); }", "@x",
	      "(int64, string[2]) -> (int64, string[3])");
	/* read in one probe before it is assigned in a later one */
	TYPES("END { printf(\"%d\\n\", @late); } BEGIN { @late = 5; }", "@late", "- -> int64");
	/* value types unify: a longer string widens the map's value */
	TYPES("BEGIN { @s = \"ab\"; @s = \"abcdef\"; }", "@s", "- -> string[7]");
	/* integer keys unify to the signed 64-bit type */
	TYPES("BEGIN { @k[pid] = 1; @k[-1] = 2; }", "@k", "int64 -> int64");
	TYPES("BEGIN { @h = hist(5); @l = lhist(5, 0, 100, 10); }", "@h", "- -> hist_t");
	TYPES("BEGIN { @a = avg(-5); @st = stats(5); }", "@st", "- -> stats_t");
	TYPES("BEGIN { @c = 1 < 2; }", "@c", "- -> bool");
	TYPES("BEGIN { @u = (uint8)300; }", "@u", "- -> uint64");
	TYPES("BEGIN { @d = 5 - 3; }", "@d", "- -> int64");	 /* subtraction is signed (0.26) */
	TYPES("BEGIN { @m = pid * tid; }", "@m", "- -> uint64"); /* both unsigned */
	TYPES("BEGIN { @m = pid * 2; }", "@m", "- -> int64");	 /* literals are signed */
	TYPES("BEGIN { @r = (a = 1, b = \"x\"); }", "@r", "- -> (a=int64, b=string[2])");
	/* a declared variable type is kept: stored values are truncated to it */
	TYPES("BEGIN { let $x: uint16 = 7; $x = 70000; @v = $x; }", "@v", "- -> uint64");
	TYPES("BEGIN { let $s: string[8]; $s = \"ab\"; @s = $s; }", "@s", "- -> string[8]");
	TYPES("let @d = lruhash(10); BEGIN { @d[comm] = 1; }", "@d", "string[16] -> int64");
}

static void test_resources(void)
{
	struct run r;
	int i, user = 0;

	run(&r,
	    "BEGIN { printf(\"%d %s\\n\", 1, \"ab\"); @a = count(); exit(); }\n"
	    "interval:s:1, interval:ms:5 { @b[tid] = sum(3); print(@b); }\nEND { clear(@a); }",
	    NULL, 0);
	CHECK(r.rc == 0);
	CHECK(r.res.nprobes == 4);
	CHECK(r.res.nbegin == 1 && r.res.nend == 1);
	CHECK_STR(r.res.probes[1]->spec, "interval:s:1");
	CHECK(r.res.probes[1]->period == 1000000000ull && !r.res.probes[1]->freq);
	CHECK(r.res.probes[2]->period == 5000000ull);
	/* printf, exit, print, clear, and a map-full warning per map write */
	{
		int kinds[EV_OTHER + 1] = {0};

		for (i = 0; i < r.res.nevents; i++)
			kinds[r.res.events[i]->kind]++;
		CHECK(r.res.nevents == 6);
		CHECK(kinds[EV_PRINTF] == 1 && kinds[EV_EXIT] == 1 && kinds[EV_PRINT] == 1);
		CHECK(kinds[EV_CLEAR] == 1 && kinds[EV_HELPER_ERROR] == 2);
	}
	CHECK(r.res.events[0]->kind == EV_PRINTF);
	for (i = 0; i < r.res.nmaps; i++) {
		struct res_map *m = r.res.maps[i];

		if (m->internal)
			continue;
		user++;
		if (!strcmp(m->name, "@a")) /* keyless count: a per-CPU array slot */
			CHECK(m->kind == RM_PERCPU_ARRAY && m->key_size == 4 && m->value_size == 8);
		if (!strcmp(m->name, "@b"))
			CHECK(m->kind == RM_PERCPU_HASH && m->key_size == 8 &&
			      m->max_entries == 4096);
	}
	CHECK(user == 2);
	CHECK(r.res.ringbuf && r.res.ringbuf->kind == RM_RINGBUF);
	done(&r);

	/* hist keys get a trailing bucket; keyless hist keys are just the bucket */
	run(&r, "BEGIN { @h[comm] = hist(1); @k = hist(2); }", NULL, 0);
	CHECK(r.rc == 0);
	for (i = 0; i < r.res.nmaps; i++) {
		if (!strcmp(r.res.maps[i]->name, "@h"))
			CHECK(r.res.maps[i]->key_size == 24);
		if (!strcmp(r.res.maps[i]->name, "@k"))
			CHECK(r.res.maps[i]->key_size == 8);
	}
	done(&r);

	/* config block and positional parameters */
	{
		const char *params[] = {"42", "hello"};

		run(&r,
		    "config = { max_strlen = 64; print_maps_on_exit = false }\n"
		    "BEGIN { @n = $1 + $#; @s = $2; @z = $3; }",
		    params, 2);
		CHECK(r.rc == 0);
		CHECK(r.res.config.max_strlen == 64);
		CHECK(!r.res.config.print_maps_on_exit);
		CHECK_STR(map_types(&r, "@s"), "- -> string[6]");
		CHECK(r.d.nwarnings == 1); /* $3 is not set */
		done(&r);
	}
}

static void test_errors(void)
{
	ERRS("BEGIN { @ = cont(); }", "stdin:1:13-17: error: unknown function 'cont'\n"
				      "BEGIN { @ = cont(); }\n"
				      "            ^~~~\n"
				      "note: did you mean 'count'?\n");
	ERRS("BEGIN { printf(\"%d\\n\", pidd); }",
	     "stdin:1:24-28: error: unknown identifier 'pidd'\n"
	     "BEGIN { printf(\"%d\\n\", pidd); }\n"
	     "                       ^~~~\n"
	     "note: did you mean 'pid'?\n");
	ERRS("BEGIN { @a = 1; @a = \"str\"; }",
	     "stdin:1:17-27: error: type mismatch for @a: it holds int64; cannot assign string[4]\n"
	     "BEGIN { @a = 1; @a = \"str\"; }\n"
	     "                ^~~~~~~~~~\n");
	ERRS("BEGIN { @a[1] = 1; @a[\"x\"] = 2; }",
	     "stdin:1:20-27: error: type mismatch for @a: it has keys of type int64; this key is "
	     "string[2]\n"
	     "BEGIN { @a[1] = 1; @a[\"x\"] = 2; }\n"
	     "                   ^~~~~~~\n");
	ERRS("BEGIN { printf(\"%d %d\\n\", 1); }",
	     "stdin:1:9-29: error: the format string takes 2 arguments, but 1 is given\n"
	     "BEGIN { printf(\"%d %d\\n\", 1); }\n"
	     "        ^~~~~~~~~~~~~~~~~~~~\n");
	ERRS("BEGIN { printf(\"%d\\n\", comm); }",
	     "stdin:1:24-28: error: %d expects an integer, but this argument is string[16]\n"
	     "BEGIN { printf(\"%d\\n\", comm); }\n"
	     "                       ^~~~\n");
	ERRS("BEGIN { count(); }", "stdin:1:9-16: error: count() must be assigned directly to a "
				   "map, as in @x = count(...)\n"
				   "BEGIN { count(); }\n"
				   "        ^~~~~~~\n");
	ERRS("BEGIN { exit(1, 2); }",
	     "stdin:1:9-19: error: exit() takes 0 to 1 arguments, 2 given\n"
	     "BEGIN { exit(1, 2); }\n"
	     "        ^~~~~~~~~~\n");
	ERRS("BEGIN { if (1) { $x = 1; } printf(\"%d\\n\", $x); }",
	     "stdin:1:43-45: error: variable '$x' is used before it is assigned\n"
	     "BEGIN { if (1) { $x = 1; } printf(\"%d\\n\", $x); }\n"
	     "                                          ^~\n"
	     "note: a variable is read as zero before its first assignment only when that "
	     "assignment comes later in the same block or an enclosing one\n");
	/* read before a later assignment in an enclosing block: a warning, typed
	 * by that assignment */
	{
		struct run r;
		char *e;

		run(&r, "BEGIN { while (1) { if (1) { @p = $prev; } $prev = \"ab\"; break; } }",
		    NULL, 0);
		CHECK(r.rc == 0);
		e = diag_render_string(&r.d);
		CHECK_STR(e,
			  "stdin:1:35-40: warning: variable '$prev' is used before it is "
			  "assigned: it reads as zero\n"
			  "BEGIN { while (1) { if (1) { @p = $prev; } $prev = \"ab\"; break; } }\n"
			  "                                  ^~~~~\n");
		free(e);
		CHECK_STR(map_types(&r, "@p"), "- -> string[3]");
		done(&r);
	}
	ERRS("BEGIN { $p = &(1 + 2); }",
	     "stdin:1:14-22: error: the address-of operator takes a variable ($x)\n"
	     "BEGIN { $p = &(1 + 2); }\n"
	     "             ^~~~~~~~\n");
	TYPES("BEGIN { $a = (uint16)3; @p = &$a; $s = comm; @q = &$s; }", "@q",
	      "- -> string[16] *");
	ERRS("BEGIN { pid = 1; }", "stdin:1:9-12: error: cannot assign to this expression\n"
				   "BEGIN { pid = 1; }\n"
				   "        ^~~\n"
				   "note: the left side of an assignment must be a variable ($x), "
				   "a map (@m, @m[k]) or a field\n");
	ERRS("BEGIN { print(@nope); }",
	     "stdin:1:15-20: error: undefined map '@nope': it is never assigned\n"
	     "BEGIN { print(@nope); }\n"
	     "              ^~~~~\n");
	ERRS("BEGIN { break; }", "stdin:1:9-14: error: 'break' outside of a loop\n"
				 "BEGIN { break; }\n"
				 "        ^~~~~\n");
	ERRS("BEGIN { @h = hist(1, 9); }", "stdin:1:22: error: hist() bits must be from 0 to 5\n"
					   "BEGIN { @h = hist(1, 9); }\n"
					   "                     ^\n");
	ERRS("BEGIN { @l = lhist(1, 10, 0, 1); }",
	     "stdin:1:27: error: lhist() max must be greater than min\n"
	     "BEGIN { @l = lhist(1, 10, 0, 1); }\n"
	     "                          ^\n");
	ERRS("BEGIN { @x = comm + 1; }",
	     "stdin:1:14-22: error: operator '+' needs integer operands, not string[16] and int64\n"
	     "BEGIN { @x = comm + 1; }\n"
	     "             ^~~~~~~~\n");
	ERRS("nosuchprobe:f { }", "stdin:1:1-14: error: unknown probe type 'nosuchprobe'\n"
				  "nosuchprobe:f { }\n"
				  "^~~~~~~~~~~~~\n");
	ERRS("interval:x:1 { }",
	     "stdin:1:1-13: error: invalid attach point 'interval:x:1': expected a unit (ns, us, "
	     "ms, s, hz) and a positive number, as in interval:s:1\n"
	     "interval:x:1 { }\n"
	     "^~~~~~~~~~~~\n");
	ERRS("config = { max_strlenn = 5 } BEGIN { }",
	     "stdin:1:12-23: error: unknown config key 'max_strlenn'\n"
	     "config = { max_strlenn = 5 } BEGIN { }\n"
	     "           ^~~~~~~~~~~\n"
	     "note: did you mean 'max_strlen'?\n");
	ERRS("BEGIN { let $s: string[4] = \"abcdef\"; }",
	     "stdin:1:29-37: error: string too long: $s holds at most 3 bytes, this is string[7]\n"
	     "BEGIN { let $s: string[4] = \"abcdef\"; }\n"
	     "                            ^~~~~~~~\n");
	ERRS("BEGIN { let $x: uint16 = \"a\"; }", "stdin:1:13-29: error: type mismatch for $x: "
						  "declared uint16, cannot assign string[2]\n"
						  "BEGIN { let $x: uint16 = \"a\"; }\n"
						  "            ^~~~~~~~~~~~~~~~\n");
	ERRS("BEGIN { $x = (uint8)comm; }",
	     "stdin:1:14-25: error: cannot cast string[16] to uint8\n"
	     "BEGIN { $x = (uint8)comm; }\n"
	     "             ^~~~~~~~~~~\n");
	ERRS("let @m = percpuhash(2); BEGIN { @m[1] = 5; }",
	     "stdin:1:5-7: error: map '@m' is declared per-CPU, but holds int64: per-CPU maps hold "
	     "only aggregations such as count() or sum()\n"
	     "let @m = percpuhash(2); BEGIN { @m[1] = 5; }\n"
	     "    ^~\n");
	ERRS("let @m = hash(0); BEGIN { @m[1] = 5; }",
	     "stdin:1:10-17: error: hash() takes one argument: the largest number of keys, from 1 "
	     "to "
	     "16777216\n"
	     "let @m = hash(0); BEGIN { @m[1] = 5; }\n"
	     "         ^~~~~~~\n");
	/* several errors in one run */
	{
		struct run r;

		run(&r, "BEGIN { @a = foo(); @b = pidd; }", NULL, 0);
		CHECK(r.rc != 0 && r.d.nerrors == 2);
		done(&r);
	}
}

/* User-defined functions (fn): types through calls, and every check. */
static void test_fn(void)
{
	TYPES("fn f($a: uint8): uint16 { return $a; } BEGIN { @x = f(3); }", "@x", "- -> uint64");
	TYPES("fn f($s: string): string { return $s; } BEGIN { @x[f(\"ab\")] = 1; }", "@x",
	      "string[1024] -> int64");
	TYPES("fn v() { @w = 1; } BEGIN { v(); }", "@w", "- -> int64");
	ERRS("fn f($a: int64): int64 { if ($a) { return 1; } } BEGIN { @ = f(1); }",
	     "stdin:1:1-49: error: function 'f' does not return a value on every path\n"
	     "fn f($a: int64): int64 { if ($a) { return 1; } } BEGIN { @ = f(1); }\n"
	     "^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
	/* an if/else that returns on both sides is enough */
	TYPES("fn f($a: int64): int64 { if ($a) { return 1; } else { return 2; } } "
	      "BEGIN { @x = f(1); }",
	      "@x", "- -> int64");
	ERRS("fn f(): int64 { return f(); } BEGIN { @ = f(); }",
	     "stdin:1:1-30: error: function 'f' calls itself (recursion is not allowed)\n"
	     "fn f(): int64 { return f(); } BEGIN { @ = f(); }\n"
	     "^~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
	ERRS("fn f($a: int64) { } BEGIN { f(); }",
	     "stdin:1:29-32: error: function 'f' takes 1 argument, 0 given\n"
	     "fn f($a: int64) { } BEGIN { f(); }\n"
	     "                            ^~~\n"
	     "stdin:1:1-20: note: 'f' is defined here\n"
	     "fn f($a: int64) { } BEGIN { f(); }\n"
	     "^~~~~~~~~~~~~~~~~~~\n");
	ERRS("fn f($p: struct task_struct *) { } BEGIN { f(1 == 1); }",
	     "stdin:1:46-52: error: argument 1 of 'f' ($p): expected struct task_struct *, got "
	     "bool\n"
	     "fn f($p: struct task_struct *) { } BEGIN { f(1 == 1); }\n"
	     "                                             ^~~~~~\n"
	     "stdin:1:6-30: note: the parameter is declared here\n"
	     "fn f($p: struct task_struct *) { } BEGIN { f(1 == 1); }\n"
	     "     ^~~~~~~~~~~~~~~~~~~~~~~~\n");
	ERRS("fn f(): int64 { return; } BEGIN { @ = f(); }",
	     "stdin:1:17-23: error: function 'f' must return a value (int64)\n"
	     "fn f(): int64 { return; } BEGIN { @ = f(); }\n"
	     "                ^~~~~~\n");
	ERRS("fn f() { return 1; } BEGIN { f(); }",
	     "stdin:1:17: error: function 'f' returns no value (void)\n"
	     "fn f() { return 1; } BEGIN { f(); }\n"
	     "                ^\n");
	ERRS("fn f() { printf(\"%s\", probe); } BEGIN { f(); }",
	     "stdin:1:23-28: error: 'probe' cannot be used in a function (fn f): it has no probe "
	     "context\n"
	     "fn f() { printf(\"%s\", probe); } BEGIN { f(); }\n"
	     "                      ^~~~~\n"
	     "note: pass the value as an argument\n");
	ERRS("fn f() { } fn f() { } BEGIN { f(); }",
	     "stdin:1:12-22: error: function 'f' is already defined\n"
	     "fn f() { } fn f() { } BEGIN { f(); }\n"
	     "           ^~~~~~~~~~\n"
	     "stdin:1:1-11: note: the first definition is here\n"
	     "fn f() { } fn f() { } BEGIN { f(); }\n"
	     "^~~~~~~~~~\n");
	ERRS("fn pid() { } BEGIN { }",
	     "stdin:1:1-13: error: function 'pid' has the name of a builtin\n"
	     "fn pid() { } BEGIN { }\n"
	     "^~~~~~~~~~~~\n");
}

int main(void)
{
	test_types();
	test_resources();
	test_errors();
	test_fn();
	return check_done();
}
