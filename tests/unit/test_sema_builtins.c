/*
 * test_sema_builtins.c - sema of the task/time builtins (ppid, cpid, ncpus,
 * pid(curr_ns), nsecs(tai)...), the string functions (strncmp, strcontains,
 * strstr, strlen, buf) and indexing (`$s[i]`, `$t[i]`): the types they give
 * and the exact text of every error they report. No BPF or root needed (ppid
 * reads /sys/kernel/btf/vmlinux, which is world-readable).
 */
#include <stdlib.h>
#include <string.h>

#include "sema_fixture.h"

static void run(struct run *r, const char *text, bool has_child)
{
	struct sema_options opt = {0};

	opt.has_child = has_child;
	sema_fixture_run(r, text, &opt);
}

/* The program checks, with -c CMD when child is set; @x gets type want. */
#define TYPES_C(text, child, want)                            \
	do {                                                  \
		struct run r_;                                \
		run(&r_, text, child);                        \
		CHECK(r_.rc == 0);                            \
		if (r_.rc) {                                  \
			char *e_ = diag_render_string(&r_.d); \
			fprintf(stderr, "%s", e_);            \
			free(e_);                             \
		}                                             \
		CHECK_STR(map_types(&r_, "@x"), want);        \
		done(&r_);                                    \
	} while (0)
#define TYPES(text, want) TYPES_C(text, false, want)

/* The program fails (child: with -c CMD) with exactly these diagnostics. */
#define ERRS_C(text, child, want)               \
	do {                                    \
		struct run r_;                  \
		char *e_;                       \
		run(&r_, text, child);          \
		CHECK(r_.rc != 0);              \
		e_ = diag_render_string(&r_.d); \
		CHECK_STR(e_, want);            \
		free(e_);                       \
		done(&r_);                      \
	} while (0)
#define ERRS(text, want) ERRS_C(text, false, want)

/* The program checks, with exactly these warnings. */
#define WARNS(text, want)                       \
	do {                                    \
		struct run r_;                  \
		char *e_;                       \
		run(&r_, text, false);          \
		CHECK(r_.rc == 0);              \
		e_ = diag_render_string(&r_.d); \
		CHECK_STR(e_, want);            \
		free(e_);                       \
		done(&r_);                      \
	} while (0)

static void test_task_types(void)
{
	TYPES("BEGIN { @x = ppid; }", "- -> uint64");
	TYPES("BEGIN { @x = ppid(); }", "- -> uint64");
	/* curtask: a kernel pointer (to struct task_struct when BTF types are known) */
	{
		struct run r;
		const char *t;

		run(&r, "BEGIN { @x = curtask; }", false);
		t = map_types(&r, "@x");
		CHECK(r.rc == 0 && strlen(t) > 2 && !strcmp(t + strlen(t) - 2, " *"));
		done(&r);
	}
	TYPES("BEGIN { @x = cgroup; }", "- -> uint64");
	TYPES("BEGIN { @x = ncpus; }", "- -> uint64");
	TYPES("BEGIN { @x = numaid; }", "- -> uint64");
	TYPES("BEGIN { @x = jiffies; }", "- -> uint64");
	TYPES("BEGIN { @x = rand; }", "- -> uint64");
	TYPES("BEGIN { @x = probetype; }", "- -> string[8]");
	TYPES("interval:s:1 { @x = probetype; }", "- -> string[9]");
	TYPES("BEGIN { @x = has_cpid; }", "- -> bool");
	TYPES_C("BEGIN { @x = cpid; }", true, "- -> uint64");
	TYPES("BEGIN { @x = pid(init) + tid(curr_ns); }", "- -> uint64");
	TYPES("BEGIN { @x = nsecs(boot) + nsecs(monotonic) + nsecs(tai) + nsecs(sw_tai); }",
	      "- -> uint64");
}

static void test_task_errors(void)
{
	ERRS("BEGIN { @x = cpid; }", "stdin:1:14-18: error: cpid needs -c: there is no child "
				     "command\n"
				     "BEGIN { @x = cpid; }\n"
				     "             ^~~~\n");
	ERRS("BEGIN { @x = pid(foo); }",
	     "stdin:1:18-21: error: pid() takes a pid namespace: curr_ns or init\n"
	     "BEGIN { @x = pid(foo); }\n"
	     "                 ^~~\n");
	ERRS("BEGIN { @x = tid(1); }",
	     "stdin:1:18: error: tid() takes a pid namespace: curr_ns or init\n"
	     "BEGIN { @x = tid(1); }\n"
	     "                 ^\n");
	ERRS("BEGIN { @x = pid(init, init); }",
	     "stdin:1:14-29: error: pid() takes 0 to 1 arguments, 2 given\n"
	     "BEGIN { @x = pid(init, init); }\n"
	     "             ^~~~~~~~~~~~~~~\n");
	ERRS("BEGIN { @x = nsecs(utc); }",
	     "stdin:1:20-23: error: nsecs() takes a clock: boot, monotonic, tai or sw_tai\n"
	     "BEGIN { @x = nsecs(utc); }\n"
	     "                   ^~~\n");
	ERRS("BEGIN { @x = comm(1); }",
	     "stdin:1:14-21: error: comm(pid) is not supported: BPF can read only the current "
	     "task's name\n"
	     "BEGIN { @x = comm(1); }\n"
	     "             ^~~~~~~\n"
	     "note: use comm, and filter on the pid: /pid == N/ { ... comm ... }\n");
	ERRS("BEGIN { @x = ncpus(1); }", "stdin:1:14-22: error: ncpus() takes 0 arguments, 1 "
					 "given\n"
					 "BEGIN { @x = ncpus(1); }\n"
					 "             ^~~~~~~~\n");
}

static void test_string_types(void)
{
	TYPES("BEGIN { @x = strncmp(comm, \"ab\", 2); }", "- -> int64");
	TYPES("BEGIN { @x = strcontains(comm, \"ab\"); }", "- -> bool");
	TYPES("BEGIN { @x = strstr(comm, comm); }", "- -> int64");
	TYPES("BEGIN { @x = strlen(comm); }", "- -> uint64");
	TYPES("BEGIN { @x = buf(\"abc\", 3); }", "- -> buffer[3]");
	TYPES("BEGIN { @x = buf(0, 1 + 1); }", "- -> buffer[2]");
	/* a computed length: the string's capacity, or the largest buffer */
	TYPES("BEGIN { $n = 2; @x = buf(comm, $n); }", "- -> buffer[16]");
	TYPES("BEGIN { $n = 2; @x = buf(0, $n); }", "- -> buffer[1020]");
	TYPES("config = { max_strlen = 64 } BEGIN { @x = buf(0, 100); }", "- -> buffer[60]");
	/* str(p, n): n characters and the NUL; a computed n is applied at run time */
	TYPES("BEGIN { @x = str(0, 4); }", "- -> string[5]");
	TYPES("BEGIN { $n = 4; @x = str(0, $n); }", "- -> string[1024]");
	TYPES("BEGIN { @x = str(\"hello\", 2); }", "- -> string[3]");
	TYPES("BEGIN { @x = str(\"hello\", 20); }", "- -> string[6]");
	TYPES("BEGIN { $s = \"abc\"; @x = $s[0]; }", "- -> int64");
	TYPES("BEGIN { $t = (1, \"ab\"); @x = $t[1]; }", "- -> string[3]");
}

static void test_string_errors(void)
{
	ERRS("BEGIN { @x = strncmp(\"a\", \"b\"); }",
	     "stdin:1:14-31: error: strncmp() takes 3 arguments, 2 given\n"
	     "BEGIN { @x = strncmp(\"a\", \"b\"); }\n"
	     "             ^~~~~~~~~~~~~~~~~\n");
	ERRS("BEGIN { @x = strncmp(\"a\", 1, 2); }",
	     "stdin:1:27: error: strncmp() argument 2 must be a string, not int64\n"
	     "BEGIN { @x = strncmp(\"a\", 1, 2); }\n"
	     "                          ^\n");
	ERRS("BEGIN { $n = 1; @x = strncmp(\"a\", \"b\", $n); }",
	     "stdin:1:40-42: error: expected a constant integer here\n"
	     "BEGIN { $n = 1; @x = strncmp(\"a\", \"b\", $n); }\n"
	     "                                       ^~\n");
	ERRS("BEGIN { @x = strncmp(\"a\", \"b\", -1); }",
	     "stdin:1:32-34: error: strncmp() length must not be negative\n"
	     "BEGIN { @x = strncmp(\"a\", \"b\", -1); }\n"
	     "                               ^~\n");
	ERRS("BEGIN { @x = strncmp(\"a\", \"b\", \"c\"); }",
	     "stdin:1:32-35: error: strncmp() argument 3 must be an integer, not string[2]\n"
	     "BEGIN { @x = strncmp(\"a\", \"b\", \"c\"); }\n"
	     "                               ^~~\n");
	ERRS("BEGIN { @x = strcontains(\"a\"); }",
	     "stdin:1:14-30: error: strcontains() takes 2 arguments, 1 given\n"
	     "BEGIN { @x = strcontains(\"a\"); }\n"
	     "             ^~~~~~~~~~~~~~~~\n");
	ERRS("BEGIN { @x = strcontains(1, \"a\"); }",
	     "stdin:1:26: error: strcontains() argument 1 must be a string, not int64\n"
	     "BEGIN { @x = strcontains(1, \"a\"); }\n"
	     "                         ^\n");
	ERRS("BEGIN { @x = strstr(comm, pid); }",
	     "stdin:1:27-30: error: strstr() argument 2 must be a string, not uint32\n"
	     "BEGIN { @x = strstr(comm, pid); }\n"
	     "                          ^~~\n");
	ERRS("BEGIN { @x = strlen(1); }",
	     "stdin:1:21: error: strlen() argument 1 must be a string, not int64\n"
	     "BEGIN { @x = strlen(1); }\n"
	     "                    ^\n");
	ERRS("BEGIN { @x = strlen(\"a\", \"b\"); }",
	     "stdin:1:14-30: error: strlen() takes 1 argument, 2 given\n"
	     "BEGIN { @x = strlen(\"a\", \"b\"); }\n"
	     "             ^~~~~~~~~~~~~~~~\n");
	ERRS("BEGIN { @x = str(0, -1); }",
	     "stdin:1:21-23: error: str() length must not be negative\n"
	     "BEGIN { @x = str(0, -1); }\n"
	     "                    ^~\n");
	ERRS("BEGIN { @x = buf(\"abc\"); }",
	     "stdin:1:14-24: error: buf() needs a length for a value of type string[4]\n"
	     "BEGIN { @x = buf(\"abc\"); }\n"
	     "             ^~~~~~~~~~\n"
	     "note: buf(p, n) reads n bytes\n");
	ERRS("BEGIN { @x = buf(\"abc\", -1); }",
	     "stdin:1:25-27: error: buf() length must not be negative\n"
	     "BEGIN { @x = buf(\"abc\", -1); }\n"
	     "                        ^~\n");
	ERRS("BEGIN { @x = buf(comm, \"x\"); }",
	     "stdin:1:24-27: error: buf() argument 2 must be an integer, not string[2]\n"
	     "BEGIN { @x = buf(comm, \"x\"); }\n"
	     "                       ^~~\n");
	ERRS("BEGIN { @x = buf((1, 2), 2); }",
	     "stdin:1:18-24: error: buf() needs an address, a pointer, a string or an array, not "
	     "(int64, int64)\n"
	     "BEGIN { @x = buf((1, 2), 2); }\n"
	     "                 ^~~~~~\n");
	WARNS("BEGIN { @x = buf(0, 2000); }",
	      "stdin:1:14-26: warning: buf() length is too long and will be shortened to 1020 "
	      "bytes (see max_strlen)\n"
	      "BEGIN { @x = buf(0, 2000); }\n"
	      "             ^~~~~~~~~~~~\n");
}

static void test_index_errors(void)
{
	ERRS("BEGIN { $s = \"hello\"; @x = $s[6]; }",
	     "stdin:1:31: error: index 6 is out of range for string[6]\n"
	     "BEGIN { $s = \"hello\"; @x = $s[6]; }\n"
	     "                              ^\n");
	ERRS("BEGIN { $s = \"hello\"; @x = $s[-1]; }",
	     "stdin:1:31-33: error: index -1 is out of range for string[6]\n"
	     "BEGIN { $s = \"hello\"; @x = $s[-1]; }\n"
	     "                              ^~\n");
	ERRS("BEGIN { $s = \"hello\"; @x = $s[\"a\"]; }",
	     "stdin:1:31-34: error: an index must be an integer, not string[2]\n"
	     "BEGIN { $s = \"hello\"; @x = $s[\"a\"]; }\n"
	     "                              ^~~\n");
	ERRS("BEGIN { $v = 1; @x = $v[0]; }",
	     "stdin:1:22-27: error: a value of type int64 cannot be indexed\n"
	     "BEGIN { $v = 1; @x = $v[0]; }\n"
	     "                     ^~~~~\n");
	ERRS("BEGIN { $t = (1, 2); $i = 0; @x = $t[$i]; }",
	     "stdin:1:38-40: error: a tuple index must be a constant\n"
	     "BEGIN { $t = (1, 2); $i = 0; @x = $t[$i]; }\n"
	     "                                     ^~\n");
	ERRS("BEGIN { $t = (1, 2); @x = $t[2]; }",
	     "stdin:1:30: error: index 2 is out of range for (int64, int64)\n"
	     "BEGIN { $t = (1, 2); @x = $t[2]; }\n"
	     "                             ^\n");
	ERRS("BEGIN { $r = (a = 1, b = 2); @x = $r[0]; }",
	     "stdin:1:35-40: error: a value of type (a=int64, b=int64) cannot be indexed\n"
	     "BEGIN { $r = (a = 1, b = 2); @x = $r[0]; }\n"
	     "                                  ^~~~~\n");
}

int main(void)
{
	test_task_types();
	test_task_errors();
	test_string_types();
	test_string_errors();
	test_index_errors();
	return check_done();
}
