/*
 * names.c - syscall_name(nr) and signal_name(sig): a number whose text is
 * looked up in user space when printed, like strerror() (convert.c). The
 * value is a TY_STRERROR type whose enum_name hook names it; a number with
 * no name prints as itself. syscall_name() uses the x86_64 table
 * (syscall_table.h); signal_name() the Linux signal numbers, real-time
 * signals as SIGRTMIN+k.
 */
#include "../stdlib.h"

#include <stdio.h>

#include "syscall_table.h"

static const char *syscall_name_of(const struct hk_type *t, int64_t v)
{
	(void)t;
	if (v < 0 || v >= (int64_t)(sizeof(syscall_names_x86_64) / sizeof(*syscall_names_x86_64)))
		return NULL;
	return syscall_names_x86_64[v];
}

static const char *const signal_names[] = {
	[1] = "SIGHUP",	   [2] = "SIGINT",     [3] = "SIGQUIT",	 [4] = "SIGILL",
	[5] = "SIGTRAP",   [6] = "SIGABRT",    [7] = "SIGBUS",	 [8] = "SIGFPE",
	[9] = "SIGKILL",   [10] = "SIGUSR1",   [11] = "SIGSEGV", [12] = "SIGUSR2",
	[13] = "SIGPIPE",  [14] = "SIGALRM",   [15] = "SIGTERM", [16] = "SIGSTKFLT",
	[17] = "SIGCHLD",  [18] = "SIGCONT",   [19] = "SIGSTOP", [20] = "SIGTSTP",
	[21] = "SIGTTIN",  [22] = "SIGTTOU",   [23] = "SIGURG",	 [24] = "SIGXCPU",
	[25] = "SIGXFSZ",  [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH",
	[29] = "SIGIO",	   [30] = "SIGPWR",    [31] = "SIGSYS",	 [32] = "SIGRTMIN",
	[64] = "SIGRTMAX",
};

static const char *signal_name_of(const struct hk_type *t, int64_t v)
{
	static char rt[16];

	(void)t;
	if (v > 32 && v < 64) {
		snprintf(rt, sizeof(rt), "SIGRTMIN+%d", (int)(v - 32));
		return rt;
	}
	if (v <= 0 || v >= (int64_t)(sizeof(signal_names) / sizeof(*signal_names)))
		return NULL;
	return signal_names[v];
}

static struct hk_type ty_syscall_name = {
	.kind = TY_STRERROR,
	.size = 8,
	.align = 8,
	.name = "syscall_name_t",
	.enum_name = syscall_name_of,
};

static struct hk_type ty_signal_name = {
	.kind = TY_STRERROR,
	.size = 8,
	.align = 8,
	.name = "signal_name_t",
	.enum_name = signal_name_of,
};

static int syscall_name_check(struct sema *s, struct ast_node *n)
{
	n->type = &ty_none;
	if (std_want_int(s, n, 0) < 0)
		return -1;
	n->type = &ty_syscall_name;
	return 0;
}

static int signal_name_check(struct sema *s, struct ast_node *n)
{
	n->type = &ty_none;
	if (std_want_int(s, n, 0) < 0)
		return -1;
	n->type = &ty_signal_name;
	return 0;
}

static LLVMValueRef int_arg(struct cg *cg, struct ast_node *n)
{
	return cg_to_i64(cg, cg_expr(cg, n->body), n->body->type);
}

const struct builtin_ops std_syscall_name = {
	.name = "syscall_name",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = syscall_name_check,
	.lower = int_arg,
};

const struct builtin_ops std_signal_name = {
	.name = "signal_name",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = signal_name_check,
	.lower = int_arg,
};
