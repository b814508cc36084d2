/*
 * test_sema_functions.c - checking the functions printed in user space and
 * their kin (time, strftime, join, cat, system, errorf, warnf, strerror,
 * ksym, kaddr, ntop, pton, macaddr, cgroupid, cgroup_path, bswap, signal,
 * override, username): the types of their values, the events they register,
 * and the exact text of their diagnostics (--unsafe, probe types, literals).
 * BEGIN/END, interval and profile probes only: no tracefs or BPF needed.
 */
#include <stdlib.h>
#include <string.h>

#include "sema_fixture.h"

static void run_opt(struct run *r, const char *text, bool unsafe, bool quiet_warnings)
{
	struct sema_options opt = {0};

	opt.unsafe = unsafe;
	opt.quiet_warnings = quiet_warnings;
	sema_fixture_run(r, text, &opt);
}

/* The value type of a user map, or "(none)". */
static const char *map_value(struct run *r, const char *name)
{
	int i;

	for (i = 0; i < r->res.nmaps; i++) {
		struct res_map *m = r->res.maps[i];

		if (!m->internal && !strcmp(m->name, name))
			return ty_name(&r->a, m->value);
	}
	return "(none)";
}

#define TYPE(text, map, want)                                 \
	do {                                                  \
		struct run r_;                                \
		run_opt(&r_, text, true, false);              \
		CHECK(r_.rc == 0);                            \
		if (r_.rc) {                                  \
			char *e_ = diag_render_string(&r_.d); \
			fprintf(stderr, "%s", e_);            \
			free(e_);                             \
		}                                             \
		CHECK_STR(map_value(&r_, map), want);         \
		done(&r_);                                    \
	} while (0)

#define ERRS_OPT(text, unsafe, want)               \
	do {                                       \
		struct run r_;                     \
		char *e_;                          \
		run_opt(&r_, text, unsafe, false); \
		CHECK(r_.rc != 0);                 \
		e_ = diag_render_string(&r_.d);    \
		CHECK_STR(e_, want);               \
		free(e_);                          \
		done(&r_);                         \
	} while (0)
#define ERRS(text, want)	ERRS_OPT(text, false, want)
#define ERRS_UNSAFE(text, want) ERRS_OPT(text, true, want)

static void test_types(void)
{
	TYPE("BEGIN { @t = strftime(\"%H\", nsecs); }", "@t", "timestamp");
	TYPE("BEGIN { @e = strerror(2); }", "@e", "strerror_t");
	TYPE("BEGIN { @k = ksym(0xffffffff81000000); }", "@k", "ksym_t");
	TYPE("BEGIN { @n = ntop(0x0100007f); @n6 = ntop(pton(\"::1\")); }", "@n", "inet");
	TYPE("BEGIN { @p = pton(\"::1\"); @p4 = pton(\"10.0.0.1\"); }", "@p", "uint8[16]");
	TYPE("BEGIN { @p4 = pton(\"10.0.0.1\"); }", "@p4", "uint8[4]");
	TYPE("BEGIN { @m = macaddr(0); }", "@m", "macaddr_t");
	TYPE("BEGIN { @c = cgroup_path(1, \"unified\"); }", "@c", "cgroup_path_t");
	TYPE("BEGIN { @b = bswap((uint16)1); }", "@b", "uint64"); /* stored at 64 bits */
	TYPE("BEGIN { @a = kaddr(\"vfs_read\"); }", "@a", "uint64");
	TYPE("BEGIN { @u[username] = count(); }", "@u", "count_t");
}

/* Constants found while compiling, and values typed per call. */
static void test_values(void)
{
	struct run r;
	struct ast_node *call;

	run_opt(&r, "BEGIN { @b = bswap((uint32)1); @s = strftime(\"%S.%f\", 5); }", false, false);
	CHECK(r.rc == 0);
	CHECK_STR(map_value(&r, "@s"), "timestamp");
	{
		int i;

		for (i = 0; i < r.res.nmaps; i++)
			if (!strcmp(r.res.maps[i]->name, "@s"))
				CHECK_STR(r.res.maps[i]->value->name, "%S.%f");
	}
	done(&r);
	(void)call;
}

static void test_events(void)
{
	struct run r;
	const struct res_event *ev;

	run_opt(&r,
		"config = { max_strlen = 32 }\n"
		"BEGIN { time(); time(\"%Y\\n\"); join(0); join(0, \",\");\n"
		"  cat(\"/proc/%d/status\", pid); errorf(\"bad %s\", comm); }",
		false, false);
	CHECK(r.rc == 0);
	CHECK(r.res.nevents == 6);
	ev = r.res.events[0];
	CHECK(ev->kind == EV_OTHER && ev->ops == stdlib_builtin("time"));
	CHECK_STR(ev->fmt, "%H:%M:%S\n");
	CHECK(ev->nargs == 0 && ev->size == 0);
	CHECK_STR(r.res.events[1]->fmt, "%Y\n");
	/* join: a count, then 16 slots of max_strlen bytes */
	ev = r.res.events[2];
	CHECK(ev->ops == stdlib_builtin("join") && ev->size == 8 + 16 * 32);
	CHECK_STR(ev->fmt, " ");
	CHECK_STR(r.res.events[3]->fmt, ",");
	ev = r.res.events[4];
	CHECK(ev->ops == stdlib_builtin("cat") && ev->nargs == 1 && ev->size == 8);
	CHECK_STR(ev->fmt, "/proc/%d/status");
	/* errorf: the call's location and file, for the message */
	ev = r.res.events[5];
	CHECK(ev->ops == stdlib_builtin("errorf") && ev->nargs == 1);
	CHECK_STR(ev->file, "stdin");
	CHECK(ev->loc.first_line == 3 && ev->loc.first_column == 32 && ev->loc.last_column == 53);
	done(&r);

	/* warnf under --no-warnings: still sent, printed by a silent module */
	run_opt(&r, "BEGIN { warnf(\"w %d\", 1); }", false, true);
	CHECK(r.rc == 0 && r.res.nevents == 1);
	CHECK(r.res.events[0]->ops != stdlib_builtin("warnf"));
	CHECK(r.res.events[0]->ops && r.res.events[0]->ops->event);
	done(&r);
	run_opt(&r, "BEGIN { warnf(\"w %d\", 1); }", false, false);
	CHECK(r.rc == 0 && r.res.events[0]->ops == stdlib_builtin("warnf"));
	done(&r);

	/* system() and signal() with --unsafe */
	run_opt(&r, "BEGIN { system(\"echo %d\", 1); } profile:hz:99 { signal(\"KILL\"); }", true,
		false);
	CHECK(r.rc == 0 && r.res.nevents == 1);
	CHECK(r.res.events[0]->ops == stdlib_builtin("system"));
	done(&r);
}

static void test_unsafe(void)
{
	ERRS("BEGIN { system(\"ls\"); }",
	     "stdin:1:9-21: error: system() is an unsafe function being used in safe mode\n"
	     "BEGIN { system(\"ls\"); }\n"
	     "        ^~~~~~~~~~~~\n"
	     "note: run hawk with --unsafe to allow it\n");
	ERRS("profile:hz:99 { signal(9); }",
	     "stdin:1:17-26: error: signal() is an unsafe function being used in safe mode\n"
	     "profile:hz:99 { signal(9); }\n"
	     "                ^~~~~~~~~\n"
	     "note: run hawk with --unsafe to allow it\n");
	ERRS_UNSAFE("BEGIN { signal(\"SIGKILL\"); }",
		    "stdin:1:9-26: error: signal() cannot be used in BEGIN probes\n"
		    "BEGIN { signal(\"SIGKILL\"); }\n"
		    "        ^~~~~~~~~~~~~~~~~\n"
		    "note: BEGIN runs in hawk's own process\n");
	ERRS_UNSAFE("interval:s:1 { signal(\"SIGKILL\"); }",
		    "stdin:1:16-33: error: signal() cannot be used in interval probes\n"
		    "interval:s:1 { signal(\"SIGKILL\"); }\n"
		    "               ^~~~~~~~~~~~~~~~~\n");
	ERRS_UNSAFE("profile:hz:99 { signal(\"SIGFOO\"); }",
		    "stdin:1:24-32: error: SIGFOO is not a valid signal\n"
		    "profile:hz:99 { signal(\"SIGFOO\"); }\n"
		    "                       ^~~~~~~~\n");
	ERRS_UNSAFE("profile:hz:99 { signal(99); }",
		    "stdin:1:24-26: error: 99 is not a valid signal, allowed range: [1,64]\n"
		    "profile:hz:99 { signal(99); }\n"
		    "                       ^~\n");
	ERRS_UNSAFE("profile:hz:99 { signal(comm); }",
		    "stdin:1:24-28: error: signal() argument 1 must be an integer, not string[16]\n"
		    "profile:hz:99 { signal(comm); }\n"
		    "                       ^~~~\n");
	ERRS("profile:hz:99 { override(1); }",
	     "stdin:1:17-28: error: override() is an unsafe function being used in safe mode\n"
	     "profile:hz:99 { override(1); }\n"
	     "                ^~~~~~~~~~~\n"
	     "note: run hawk with --unsafe to allow it\n");
	ERRS_UNSAFE("profile:hz:99 { override(1); }",
		    "stdin:1:17-28: error: override() needs a kprobe\n"
		    "profile:hz:99 { override(1); }\n"
		    "                ^~~~~~~~~~~\n"
		    "note: it makes the probed kernel function return its argument\n");
}

static void test_arguments(void)
{
	ERRS("BEGIN { time(1); }",
	     "stdin:1:14: error: time() needs a string literal as its format\n"
	     "BEGIN { time(1); }\n"
	     "             ^\n");
	ERRS("BEGIN { @ = strftime(\"%H\", comm); }",
	     "stdin:1:28-32: error: strftime() argument 2 must be an integer, not string[16]\n"
	     "BEGIN { @ = strftime(\"%H\", comm); }\n"
	     "                           ^~~~\n");
	ERRS("BEGIN { join(comm); }",
	     "stdin:1:14-18: error: join() needs an array of string pointers, not string[16]\n"
	     "BEGIN { join(comm); }\n"
	     "             ^~~~\n");
	ERRS("BEGIN { join(0, comm); }",
	     "stdin:1:17-21: error: join() needs a string literal as its delimiter\n"
	     "BEGIN { join(0, comm); }\n"
	     "                ^~~~\n");
	ERRS("BEGIN { cat(\"%d\"); }",
	     "stdin:1:9-18: error: the format string takes 1 argument, but 0 are given\n"
	     "BEGIN { cat(\"%d\"); }\n"
	     "        ^~~~~~~~~\n");
	ERRS("BEGIN { cat(comm); }",
	     "stdin:1:13-17: error: cat() needs a string literal as its format\n"
	     "BEGIN { cat(comm); }\n"
	     "            ^~~~\n");
	ERRS("BEGIN { errorf(\"%d\", comm); }",
	     "stdin:1:22-26: error: %d expects an integer, but this argument is string[16]\n"
	     "BEGIN { errorf(\"%d\", comm); }\n"
	     "                     ^~~~\n");
	ERRS("BEGIN { warnf(); }",
	     "stdin:1:9-16: error: warnf() takes at least 1 argument, 0 given\n"
	     "BEGIN { warnf(); }\n"
	     "        ^~~~~~~\n");
	ERRS("BEGIN { @ = strerror(\"x\"); }",
	     "stdin:1:22-25: error: strerror() argument 1 must be an integer, not string[2]\n"
	     "BEGIN { @ = strerror(\"x\"); }\n"
	     "                     ^~~\n");
	ERRS("BEGIN { @ = ksym(\"x\"); }",
	     "stdin:1:18-21: error: ksym() needs an address, not string[2]\n"
	     "BEGIN { @ = ksym(\"x\"); }\n"
	     "                 ^~~\n");
	ERRS("BEGIN { @ = bswap(\"x\"); }",
	     "stdin:1:19-22: error: bswap() argument 1 must be an integer, not string[2]\n"
	     "BEGIN { @ = bswap(\"x\"); }\n"
	     "                  ^~~\n");
}

static void test_compile_time(void)
{
	ERRS("BEGIN { @ = kaddr(\"hawk_no_such_symbol\"); }",
	     "stdin:1:19-40: error: cannot resolve kernel symbol 'hawk_no_such_symbol': no such "
	     "symbol in /proc/kallsyms\n"
	     "BEGIN { @ = kaddr(\"hawk_no_such_symbol\"); }\n"
	     "                  ^~~~~~~~~~~~~~~~~~~~~\n");
	ERRS("BEGIN { @ = kaddr(comm); }",
	     "stdin:1:19-23: error: kaddr() needs a string literal: the symbol's name\n"
	     "BEGIN { @ = kaddr(comm); }\n"
	     "                  ^~~~\n");
	ERRS("BEGIN { @ = pton(\"1.2.3\"); }",
	     "stdin:1:18-25: error: pton(): '1.2.3' is not a valid IPv4 address\n"
	     "BEGIN { @ = pton(\"1.2.3\"); }\n"
	     "                 ^~~~~~~\n");
	ERRS("BEGIN { @ = pton(\"::g\"); }",
	     "stdin:1:18-23: error: pton(): '::g' is not a valid IPv6 address\n"
	     "BEGIN { @ = pton(\"::g\"); }\n"
	     "                 ^~~~~\n");
	ERRS("BEGIN { @ = ntop(\"x\"); }",
	     "stdin:1:18-21: error: ntop() needs an integer or an array of 4 or 16 bytes, not "
	     "string[2]\n"
	     "BEGIN { @ = ntop(\"x\"); }\n"
	     "                 ^~~\n");
	ERRS("BEGIN { @ = macaddr(pton(\"1.2.3.4\")); }",
	     "stdin:1:21-36: error: macaddr() argument must be 6 bytes in size\n"
	     "BEGIN { @ = macaddr(pton(\"1.2.3.4\")); }\n"
	     "                    ^~~~~~~~~~~~~~~\n");
	ERRS("BEGIN { @ = cgroupid(\"/proc\"); }",
	     "stdin:1:22-29: error: cgroupid(): '/proc' is not in a cgroup file system\n"
	     "BEGIN { @ = cgroupid(\"/proc\"); }\n"
	     "                     ^~~~~~~\n");
	ERRS("BEGIN { @ = cgroupid(\"/hawk/none\"); }",
	     "stdin:1:22-34: error: cgroupid(): cannot get the cgroup id of '/hawk/none': No such "
	     "file or directory\n"
	     "BEGIN { @ = cgroupid(\"/hawk/none\"); }\n"
	     "                     ^~~~~~~~~~~~\n");
	ERRS("BEGIN { @ = cgroup_path(1, 2); }",
	     "stdin:1:28: error: cgroup_path() needs a string literal as its filter, such as "
	     "\"unified\"\n"
	     "BEGIN { @ = cgroup_path(1, 2); }\n"
	     "                           ^\n");
}

int main(void)
{
	test_types();
	test_values();
	test_events();
	test_unsafe();
	test_arguments();
	test_compile_time();
	return check_done();
}
