/*
 * test_sema_fentry.c - fentry/fexit (and kstack) in sema: args typed and
 * named from the function's BTF prototype, retval from its return type, the
 * aliases, and the diagnostics: unknown functions with a suggestion, retval
 * in fentry or of a void function, unknown args fields, bad stack modes.
 * Skipped (passes) when /sys/kernel/btf/vmlinux cannot be read. No BPF, no
 * root.
 */
#include <stdlib.h>
#include <string.h>

#include "sema_fixture.h"
#include <unistd.h>

static void run(struct run *r, const char *text)
{
	struct sema_options opt = {0};

	sema_fixture_run(r, text, &opt);
}

#define TYPES(text, map, want)                                \
	do {                                                  \
		struct run r_;                                \
		run(&r_, text);                               \
		CHECK(r_.rc == 0);                            \
		if (r_.rc) {                                  \
			char *e_ = diag_render_string(&r_.d); \
			fprintf(stderr, "%s", e_);            \
			free(e_);                             \
		}                                             \
		CHECK(r_.res.uses_btf);                       \
		CHECK_STR(map_types(&r_, map), want);         \
		done(&r_);                                    \
	} while (0)

#define ERRS(text, want)                        \
	do {                                    \
		struct run r_;                  \
		char *e_;                       \
		run(&r_, text);                 \
		CHECK(r_.rc != 0);              \
		e_ = diag_render_string(&r_.d); \
		CHECK_STR(e_, want);            \
		free(e_);                       \
		done(&r_);                      \
	} while (0)

static void test_types(void)
{
	TYPES("fentry:vfs_read { @c = args.count; }", "@c", "- -> uint64");
	TYPES("f:vfs_read { @f = args->file; }", "@f", "- -> struct file *");
	TYPES("kfunc:vfs_read { @n[str(args.file->f_path.dentry->d_name.name)] = count(); }", "@n",
	      "string[1024] -> count_t");
	TYPES("fexit:vfs_read { @r = retval; }", "@r", "- -> int64");
	TYPES("kretfunc:vfs_read { @p[probe] = count(); }", "@p", "string[15] -> count_t");
	TYPES("fentry:vfs_read { @k[kstack] = count(); }", "@k", "kstack_t -> count_t");
	TYPES("fentry:vfs_read { @k[kstack(perf, 3)] = count(); }", "@k",
	      "kstack_t(perf, 3) -> count_t");
}

static void test_errors(void)
{
	ERRS("fentry:vfs_raed { }",
	     "stdin:1:1-16: error: kernel function 'vfs_raed' does not exist or cannot be traced\n"
	     "fentry:vfs_raed { }\n"
	     "^~~~~~~~~~~~~~~\n"
	     "note: did you mean 'vfs_read'?\n");
	ERRS("fentry:vfs_read { @ = retval; }",
	     "stdin:1:23-29: error: 'retval' is only available in fexit probes, not in "
	     "fentry:vfs_read\n"
	     "fentry:vfs_read { @ = retval; }\n"
	     "                      ^~~~~~\n"
	     "note: use fexit:vfs_read to read the return value\n");
	ERRS("fexit:vfs_read { @ = args.cnt; }", "stdin:1:22-30: error: args has no field 'cnt'\n"
						 "fexit:vfs_read { @ = args.cnt; }\n"
						 "                     ^~~~~~~~\n");
	ERRS("fexit:__fput { @ = retval; }",
	     "stdin:1:20-26: error: 'retval' is not available in fexit:__fput: the function "
	     "returns void\n"
	     "fexit:__fput { @ = retval; }\n"
	     "                   ^~~~~~\n");
	ERRS("fentry:no_such_function_* { }",
	     "stdin:1:1-26: error: no kernel function matches 'fentry:no_such_function_*'\n"
	     "fentry:no_such_function_* { }\n"
	     "^~~~~~~~~~~~~~~~~~~~~~~~~\n");
	ERRS("fentry { }", "stdin:1:1-7: error: invalid fentry probe 'fentry': expected "
			   "fentry:FUNCTION or fentry:MODULE:FUNCTION\n"
			   "fentry { }\n"
			   "^~~~~~\n");
	ERRS("BEGIN { @[kstack(fast)] = count(); }",
	     "stdin:1:18-22: error: unknown stack mode 'fast'\n"
	     "BEGIN { @[kstack(fast)] = count(); }\n"
	     "                 ^~~~\n"
	     "note: the modes are bpftrace, perf, raw and build_id\n");
	ERRS("BEGIN { @[kstack(perf, 5000)] = count(); }",
	     "stdin:1:24-28: error: kstack limit 5000 is out of range (0 to 1024)\n"
	     "BEGIN { @[kstack(perf, 5000)] = count(); }\n"
	     "                       ^~~~\n");
}

int main(void)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr, "no readable /sys/kernel/btf/vmlinux: skipped\n");
		return 0;
	}
	test_types();
	test_errors();
	return check_done();
}
