/*
 * test_sema_uprobe.c - checking uprobe/uretprobe attach points and the
 * pt_regs builtins (arg0..N, retval, func, reg, usym, uaddr) against this
 * test's own binary (/proc/self/exe, whose hawk_unit_* functions are the
 * targets): the expanded probes, the value types and the exact text of the
 * diagnostics; with its DWARF (built with -g), the types of args and retval
 * and source-line attach points. Reads ELF files only: no root, no BPF.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sema_fixture.h"

__attribute__((noinline, used)) int hawk_unit_target(int x)
{
	__asm__ volatile("" ::: "memory");
	return x + 1;
}

__attribute__((noinline, used)) int hawk_unit_other(int x)
{
	__asm__ volatile("" ::: "memory");
	return x + 2;
}

long hawk_unit_counter = 3;

struct hawk_unit_node {
	unsigned char kind;
	struct hawk_unit_node *next;
	char name[12];
	union {
		short s;
		long l;
	};
	int bits : 5;
};

enum hawk_unit_e { HAWK_UNIT_A = 1 };

typedef unsigned long hawk_unit_size;

__attribute__((noinline, used)) long hawk_unit_args(struct hawk_unit_node *node, const char *str,
						    double d, hawk_unit_size sz, signed char c,
						    enum hawk_unit_e e, _Bool b, int a7, int a8)
{
	__asm__ volatile("" ::: "memory");
	return node->kind + str[0] + (long)d + (long)sz + c + e + b + a7 + a8;
}

static const int hawk_unit_mark = __LINE__ + 4;
__attribute__((noinline, used)) int hawk_unit_lines(int x)
{
	__asm__ volatile("" ::: "memory");
	hawk_unit_counter += x;
	__asm__ volatile("" ::: "memory");
	return (int)hawk_unit_counter;
}

static char self[PATH_MAX];

static void run(struct run *r, const char *text)
{
	struct sema_options opt = {0};

	sema_fixture_run(r, text, &opt);
}

/* The program with every "SELF" replaced by this binary's path. */
static const char *prog(const char *text)
{
	static char buf[8192];
	const char *p = text, *q;
	size_t n = 0;

	buf[0] = '\0';
	while ((q = strstr(p, "SELF"))) {
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%.*s%s", (int)(q - p), p, self);
		p = q + 4;
	}
	snprintf(buf + n, sizeof(buf) - n, "%s", p);
	return buf;
}

#define ERRS(text, want)                                          \
	do {                                                      \
		struct run r_;                                    \
		char *e_, want_[8192];                            \
		snprintf(want_, sizeof(want_), "%s", prog(want)); \
		run(&r_, prog(text));                             \
		CHECK(r_.rc != 0);                                \
		e_ = diag_render_string(&r_.d);                   \
		CHECK_STR(e_, want_);                             \
		free(e_);                                         \
		done(&r_);                                        \
	} while (0)

static void test_expand(void)
{
	struct run r;
	int i, n = 0;

	run(&r, prog("uprobe:SELF:hawk_unit_* { @[func] = count(); } "
		     "ur:SELF:hawk_unit_target { @r = retval; }"));
	CHECK(r.rc == 0);
	for (i = 0; i < r.res.nprobes; i++)
		if (strstr(r.res.probes[i]->spec, ":hawk_unit_"))
			n++;
	CHECK(n == 5); /* four functions (the counter is an object), one uretprobe */
	CHECK_STR(map_types(&r, "@"), "string[17] -> count_t");
	CHECK_STR(map_types(&r, "@r"), "- -> int64"); /* int from DWARF, widened in the map */
	CHECK_STR(r.res.probes[0]->section, "uprobe");
	CHECK_STR(r.res.probes[4]->section, "uretprobe");
	done(&r);

	run(&r, prog("u:SELF:hawk_unit_target+1 { @a = arg0; @s = usym(reg(\"ip\")); "
		     "@u = *uaddr(\"hawk_unit_counter\"); }"));
	CHECK(r.rc == 0);
	CHECK_STR(r.res.probes[0]->spec, prog("uprobe:SELF:hawk_unit_target+1"));
	CHECK_STR(map_types(&r, "@a"), "- -> uint64");
	CHECK_STR(map_types(&r, "@s"), "- -> usym_t");
	CHECK_STR(map_types(&r, "@u"), "- -> uint64");
	done(&r);
}

/* "name:type@offset[:bit/bits] ..." of the fields of struct t. */
static const char *struct_fields(struct run *r, const struct hk_type *t)
{
	char *buf = arena_alloc(&r->a, 4096);
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; t && i < t->nfields && n < 4000; i++) {
		const struct ty_field *f = &t->fields[i];

		n += (size_t)snprintf(buf + n, 4096 - n, "%s%s:%s@%u", i ? " " : "", f->name,
				      ty_name(&r->a, f->type), f->offset);
		if (f->bit_size && n < 4000)
			n += (size_t)snprintf(buf + n, 4096 - n, ":%u/%u", f->bit_offset,
					      f->bit_size);
	}
	return buf;
}

static const struct hk_type *map_value(struct run *r, const char *name)
{
	int i;

	for (i = 0; i < r->res.nmaps; i++)
		if (!strcmp(r->res.maps[i]->name, name))
			return r->res.maps[i]->value;
	return NULL;
}

static const char *fields(struct run *r, const char *map)
{
	return struct_fields(r, map_value(r, map));
}

/* The fields of the struct args.node points at. */
static const char *node_fields(struct run *r)
{
	const struct hk_type *t = map_value(r, "@all");

	if (!t || !t->nfields || t->fields[0].type->kind != TY_PTR)
		return "(none)";
	return struct_fields(r, t->fields[0].type->elem);
}

/* args and retval typed from this binary's DWARF; source lines. */
static void test_dwarf(void)
{
	struct run r;

	run(&r, prog("uprobe:SELF:hawk_unit_args { @all = args; @k = args.node->kind; "
		     "@nm = args->node->name; @nx = args.node->next->next->bits; "
		     "@s = args.str; } "
		     "ur:SELF:hawk_unit_args { @r = retval; } "
		     "ur:SELF:hawk_unit_lines { @i = retval; }"));
	CHECK(r.rc == 0);
	/* the double is in xmm0, which pt_regs does not hold: left out; a7 and a8
	 * are on the stack */
	CHECK_STR(map_types(&r, "@all"), "- -> struct uprobe_args_hawk_unit_args");
	CHECK_STR(fields(&r, "@all"), "node:struct hawk_unit_node *@0 str:int8 *@8 sz:uint64@16 "
				      "c:int8@24 e:uint32@28 b:uint8@32 a7:int32@36 a8:int32@40");
	CHECK_STR(node_fields(&r), "kind:uint8@0 next:struct hawk_unit_node *@8 "
				   "name:string[12]@16 s:int16@32 l:int64@32 bits:int32@40:0/5");
	CHECK_STR(map_types(&r, "@nm"), "- -> string[12]");
	CHECK_STR(map_types(&r, "@s"), "- -> int8 *");
	CHECK_STR(map_types(&r, "@r"), "- -> int64");
	CHECK_STR(map_types(&r, "@i"), "- -> int64"); /* int, widened in the map */
	done(&r);

	/* a source line of this file (as the compiler named it): in hawk_unit_lines */
	{
		char text[8192], want[8192];

		snprintf(text, sizeof(text),
			 "uprobe:%s@test_sema_uprobe.c:%d { @[func] = count(); }", self,
			 hawk_unit_mark);
		run(&r, text);
		CHECK(r.rc == 0);
		CHECK(r.res.nprobes == 1);
		if (r.res.nprobes == 1) {
			snprintf(want, sizeof(want), "uprobe:%s@test_sema_uprobe.c:%d", self,
				 hawk_unit_mark);
			CHECK_STR(r.res.probes[0]->spec, want);
			CHECK_STR(r.res.probes[0]->func, "hawk_unit_lines");
		}
		done(&r);
	}

	ERRS("uretprobe:SELF:hawk_unit_args {\n@ = args; }",
	     "stdin:2:5-9: error: 'args' is not available in uretprobe probes\n"
	     "@ = args; }\n"
	     "    ^~~~\n"
	     "note: read the arguments in a uprobe and keep them in a map keyed by tid to use "
	     "them on return\n");
	ERRS("uprobe:SELF:hawk_unit_args {\n@ = args.d; }",
	     "stdin:2:5-11: error: args has no field 'd'\n"
	     "@ = args.d; }\n"
	     "    ^~~~~~\n"
	     "note: parameter 'd' of hawk_unit_args (double) is floating-point: it is passed in "
	     "an SSE (xmm) register, which a uprobe cannot read\n");
	ERRS("uprobe:SELF:hawk_unit_args {\n@ = args.sx; }",
	     "stdin:2:5-12: error: args has no field 'sx'\n"
	     "@ = args.sx; }\n"
	     "    ^~~~~~~\n"
	     "note: did you mean 'sz'?\n");
	ERRS("uprobe:SELF:hawk_unit_args+1 {\n@ = args.c; }",
	     "stdin:2:5-9: error: 'args' is only available at a function's entry, not in "
	     "uprobe:SELF:hawk_unit_args+1: the parameters may have left their registers\n"
	     "@ = args.c; }\n"
	     "    ^~~~\n");
}

/* The probes of the checked program (AST_PROBE items: a split probe's copies count), and
 * the functions of each: "hawk_unit_args | hawk_unit_other hawk_unit_target". */
static const char *parts(struct run *r)
{
	const struct ast_node *it;
	char *out = "";
	int i;

	for (it = r->prog ? r->prog->body : NULL; it; it = it->next) {
		struct res_probe **pts = it->sema_data;

		if (it->kind != AST_PROBE)
			continue;
		out = arena_printf(&r->a, "%s%s", out, *out ? " |" : "");
		for (i = 0; i < it->sema_id; i++)
			out = arena_printf(&r->a, "%s%s%s", out, *out ? " " : "", pts[i]->func);
	}
	return out;
}

/* A wildcard whose functions take different parameters: one copy of the body each. */
static void test_split(void)
{
	struct run r;

	/* the same signature (int x): one program body */
	run(&r, prog("uprobe:SELF:hawk_unit_[ot]* { @[args.x] = count(); }"));
	CHECK(r.rc == 0);
	CHECK_STR(parts(&r), "hawk_unit_target hawk_unit_other"); /* by address */
	done(&r);

	/* args not used: never split, whatever the signatures */
	run(&r, prog("uprobe:SELF:hawk_unit_[aot]* { @[probe] = count(); }"));
	CHECK(r.rc == 0);
	CHECK_STR(parts(&r), "hawk_unit_target hawk_unit_other hawk_unit_args");
	done(&r);

	/* two signatures: the first group (by address) keeps the probe, the other gets a copy; the
	 * builtins, printf and maps work in both */
	run(&r, prog("uprobe:SELF:hawk_unit_[aot]* { print(args); @[probe] = count(); "
		     "@n[func] = count(); printf(\"%s\\n\", probe); } "
		     "uprobe:SELF:hawk_unit_args { @c = args.c; }"));
	CHECK(r.rc == 0);
	CHECK_STR(parts(&r), "hawk_unit_target hawk_unit_other | hawk_unit_args | hawk_unit_args");
	CHECK(r.res.nprobes == 4);
	CHECK_STR(map_types(&r, "@c"), "- -> int64");
	CHECK_STR(map_types(&r, "@n"), "string[17] -> count_t");
	done(&r);

	/* one map, the args of each function: the assignment of the copy is the error */
	ERRS("uprobe:SELF:hawk_unit_[at]* {\n@ = args; }",
	     "stdin:2:1-9: error: type mismatch for @: it holds struct "
	     "uprobe_args_hawk_unit_target; cannot assign struct uprobe_args_hawk_unit_args\n"
	     "@ = args; }\n"
	     "^~~~~~~~\n"
	     "note: the functions of this probe take different parameters: its body is checked "
	     "for each signature, here for uprobe:SELF:hawk_unit_args\n");
	/* a field one function lacks: the error names that function's copy */
	ERRS("uprobe:SELF:hawk_unit_[at]* {\n@ = args.c; }",
	     "stdin:2:5-11: error: args has no field 'c'\n"
	     "@ = args.c; }\n"
	     "    ^~~~~~\n"
	     "note: the functions of this probe take different parameters: its body is checked "
	     "for each signature, here for uprobe:SELF:hawk_unit_target\n");
	/* an error every copy has is reported once */
	ERRS("uprobe:SELF:hawk_unit_[at]* {\nprint(args); nosuch(); }",
	     "stdin:2:14-20: error: unknown function 'nosuch'\n"
	     "print(args); nosuch(); }\n"
	     "             ^~~~~~\n"
	     "note: the functions of this probe take different parameters: its body is checked "
	     "for each signature, here for uprobe:SELF:hawk_unit_target\n");
}

/* An attach point's underline: its length in '^~~~'. */
static const char *underline(const char *ap)
{
	static char buf[PATH_MAX + 64];
	size_t n = strlen(prog(ap)), i;

	for (i = 0; i < n && i + 1 < sizeof(buf); i++)
		buf[i] = i ? '~' : '^';
	buf[i] = '\0';
	return buf;
}

static void test_errors(void)
{
	char want[8192];
	size_t n;

	/* builtins: the body is on its own line, so the columns do not depend on the path */
	ERRS("uprobe:SELF:hawk_unit_target {\n@ = retval; }",
	     "stdin:2:5-11: error: 'retval' is not available in uprobe probes\n"
	     "@ = retval; }\n"
	     "    ^~~~~~\n"
	     "note: use uretprobe to read the return value\n");
	ERRS("uretprobe:SELF:hawk_unit_target {\n@ = arg1; }",
	     "stdin:2:5-9: error: 'arg1' is not available in uretprobe probes\n"
	     "@ = arg1; }\n"
	     "    ^~~~\n"
	     "note: arguments can be read in uprobe probes; keep them in a map keyed by tid to "
	     "use them on return\n");
	ERRS("uprobe:SELF:hawk_unit_target {\n@ = reg(\"ipp\"); }",
	     "stdin:2:9-14: error: unknown register 'ipp'\n"
	     "@ = reg(\"ipp\"); }\n"
	     "        ^~~~~\n"
	     "note: did you mean 'ip'?\n");
	ERRS("BEGIN { @ = reg(\"ip\"); }",
	     "stdin:1:13-22: error: reg() is not available in BEGIN: it needs a kprobe or uprobe\n"
	     "BEGIN { @ = reg(\"ip\"); }\n"
	     "            ^~~~~~~~~\n");
	ERRS("BEGIN { @ = uaddr(\"x\"); }",
	     "stdin:1:13-23: error: uaddr() is not available in BEGIN: it needs a uprobe or "
	     "uretprobe\n"
	     "BEGIN { @ = uaddr(\"x\"); }\n"
	     "            ^~~~~~~~~~\n");
	ERRS("uprobe:SELF:hawk_unit_target {\n@ = uaddr(\"nosuch\"); }",
	     "stdin:2:11-19: error: no symbol 'nosuch' in 'SELF'\n"
	     "@ = uaddr(\"nosuch\"); }\n"
	     "          ^~~~~~~~\n");

	/* attach points */
	ERRS("uprobe:/nonexistent/hawk:f { }",
	     "stdin:1:1-27: error: uprobe target '/nonexistent/hawk' not found: no such file, "
	     "program in $PATH or library\n"
	     "uprobe:/nonexistent/hawk:f { }\n"
	     "^~~~~~~~~~~~~~~~~~~~~~~~~~\n");
	ERRS("uprobe:hawk-no-such-program:f { }",
	     "stdin:1:1-30: error: uprobe target 'hawk-no-such-program' not found: no such "
	     "file, program in $PATH or library\n"
	     "uprobe:hawk-no-such-program:f { }\n"
	     "^~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
	n = (size_t)snprintf(want, sizeof(want),
			     "stdin:1:1-%zu: error: no function 'hawk_unit_targe' in '%s'\n",
			     strlen(prog("uprobe:SELF:hawk_unit_targe")) + 1, self);
	snprintf(want + n, sizeof(want) - n, "%s { }\n%s\nnote: did you mean 'hawk_unit_target'?\n",
		 prog("uprobe:SELF:hawk_unit_targe"), underline("uprobe:SELF:hawk_unit_targe"));
	ERRS("uprobe:SELF:hawk_unit_targe { }", want);
	n = (size_t)snprintf(want, sizeof(want),
			     "stdin:1:1-%zu: error: no function in '%s' matches 'hawk_none_*'\n",
			     strlen(prog("u:SELF:hawk_none_*")) + 1, self);
	snprintf(want + n, sizeof(want) - n, "%s { }\n%s\n", prog("u:SELF:hawk_none_*"),
		 underline("u:SELF:hawk_none_*"));
	ERRS("u:SELF:hawk_none_* { }", want);
	n = (size_t)snprintf(want, sizeof(want),
			     "stdin:1:1-%zu: error: uretprobe '%s': a return probe cannot have an "
			     "offset\n",
			     strlen(prog("ur:SELF:hawk_unit_target+1")) + 1,
			     prog("ur:SELF:hawk_unit_target+1"));
	snprintf(want + n, sizeof(want) - n, "%s { }\n%s\n", prog("ur:SELF:hawk_unit_target+1"),
		 underline("ur:SELF:hawk_unit_target+1"));
	ERRS("ur:SELF:hawk_unit_target+1 { }", want);
	ERRS("uprobe:hawk_unit_target { }",
	     "stdin:1:1-24: error: invalid uprobe 'uprobe:hawk_unit_target': expected "
	     "uprobe:BINARY:FUNCTION\n"
	     "uprobe:hawk_unit_target { }\n"
	     "^~~~~~~~~~~~~~~~~~~~~~~\n");
}

int main(void)
{
	if (!realpath("/proc/self/exe", self)) {
		printf("SKIP: /proc/self/exe\n");
		return 0;
	}
	test_expand();
	test_errors();
	test_dwarf();
	test_split();
	return check_done();
}
