/*
 * test_sema_btf.c - kernel types from the running kernel's BTF in sema:
 * struct/union/enum/typedef names in casts, let, sizeof and offsetof, the
 * typed curtask, and the diagnostics for unknown structs and fields, casts
 * of integers to structs and offsetof of bitfields. Skipped (passes) when
 * /sys/kernel/btf/vmlinux cannot be read. Only BEGIN probes: no BPF, no root.
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
	TYPES("BEGIN { @t = curtask; }", "@t", "- -> struct task_struct *");
	TYPES("BEGIN { @p = curtask->real_parent; }", "@p", "- -> struct task_struct *");
	TYPES("BEGIN { @c = curtask->comm; }", "@c", "- -> string[16]");
	TYPES("BEGIN { @c[curtask.comm] = curtask.pid; }", "@c", "string[16] -> int64");
	TYPES("BEGIN { @m = (struct mm_struct *)0; }", "@m", "- -> struct mm_struct *");
	TYPES("BEGIN { @m = (union bpf_attr *)0; }", "@m", "- -> union bpf_attr *");
	TYPES("BEGIN { @m = (uint64_t)curtask; }", "@m", "- -> uint64");
	TYPES("BEGIN { let $t: struct task_struct * = curtask; @m = $t->mm; }", "@m",
	      "- -> struct mm_struct *");
	TYPES("BEGIN { @e = (enum pid_type)1; }", "@e", "- -> enum pid_type");
	TYPES("BEGIN { @s = sizeof(struct task_struct) > 1000; }", "@s", "- -> bool");
	TYPES("BEGIN { @o = offsetof(struct task_struct, se.vruntime); }", "@o", "- -> uint64");
	/* a bitfield reads as an integer of its unit */
	TYPES("BEGIN { @b = curtask->signal->is_child_subreaper; }", "@b", "- -> uint64");
	/* an array of structs indexed with a variable */
	TYPES("BEGIN { $i = 7; @r = curtask->signal->rlim[$i].rlim_cur; }", "@r", "- -> uint64");
}

static void test_errors(void)
{
	ERRS("BEGIN { $x = (struct task_structt *)0; }",
	     "stdin:1:15-36: error: unknown type 'struct task_structt'\n"
	     "BEGIN { $x = (struct task_structt *)0; }\n"
	     "              ^~~~~~~~~~~~~~~~~~~~~\n"
	     "note: did you mean 'struct task_struct'?\n");
	ERRS("BEGIN { $x = sizeof(no_such_type_t); }",
	     "stdin:1:21-35: error: unknown type 'no_such_type_t'\n"
	     "BEGIN { $x = sizeof(no_such_type_t); }\n"
	     "                    ^~~~~~~~~~~~~~\n");
	ERRS("BEGIN { print(curtask->pidd); }",
	     "stdin:1:15-28: error: struct task_struct has no field 'pidd'\n"
	     "BEGIN { print(curtask->pidd); }\n"
	     "              ^~~~~~~~~~~~~\n"
	     "note: did you mean 'pid'?\n");
	ERRS("BEGIN { $x = (struct task_struct)0; }",
	     "stdin:1:14-35: error: cannot cast int64 to struct task_struct\n"
	     "BEGIN { $x = (struct task_struct)0; }\n"
	     "             ^~~~~~~~~~~~~~~~~~~~~\n"
	     "note: did you mean a pointer: (struct task_struct *)?\n");
	ERRS("BEGIN { print(offsetof(struct task_struct, sched_reset_on_fork)); }",
	     "stdin:1:15-64: error: offsetof cannot name a bitfield ('sched_reset_on_fork')\n"
	     "BEGIN { print(offsetof(struct task_struct, sched_reset_on_fork)); }\n"
	     "              ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
	ERRS("BEGIN { print(offsetof(struct task_struct, se.vruntim)); }",
	     "stdin:1:15-55: error: struct sched_entity has no field 'vruntim'\n"
	     "BEGIN { print(offsetof(struct task_struct, se.vruntim)); }\n"
	     "              ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
	     "note: did you mean 'vruntime'?\n");
	ERRS("BEGIN { print(offsetof(struct task_struct, pid.x)); }",
	     "stdin:1:15-50: error: offsetof needs a struct, not int32\n"
	     "BEGIN { print(offsetof(struct task_struct, pid.x)); }\n"
	     "              ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
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
