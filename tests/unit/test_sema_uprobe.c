/*
 * test_sema_uprobe.c - checking uprobe/uretprobe attach points and the
 * pt_regs builtins (arg0..N, retval, func, reg, usym, uaddr) against this
 * test's own binary (/proc/self/exe, whose hawk_unit_* functions are the
 * targets): the expanded probes, the value types and the exact text of the
 * diagnostics. Reads ELF files only: no root, no BPF.
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
	CHECK(n == 3); /* two functions (the counter is an object), one uretprobe */
	CHECK_STR(map_types(&r, "@"), "string[17] -> count_t");
	CHECK_STR(map_types(&r, "@r"), "- -> uint64");
	CHECK_STR(r.res.probes[0]->section, "uprobe");
	CHECK_STR(r.res.probes[2]->section, "uretprobe");
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
	return check_done();
}
