/*
 * unsafe.c - signal(sig) and override(rc), the functions that change what
 * the traced program does; both need --unsafe.
 *
 * signal() sends a signal (a name such as "SIGKILL", or a number) to the
 * current process with bpf_send_signal; signal_thread() to the current
 * thread only (bpf_send_signal_thread). Not in BEGIN/END (they run in
 * hawk's own task) nor interval probes (whatever task is on the CPU), as in
 * bpftrace. override() makes the probed kernel function return rc without
 * running (bpf_override_return); it only exists for kprobes, which hawk does
 * not have yet, so every use is an error for now, but its lowering is here
 * for when they come.
 */
#include "../stdlib.h"

#include <linux/bpf.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

STD_BUILTIN(signal);

static bool unsafe_ok(struct sema *s, struct ast_node *n)
{
	if (s->opt && s->opt->unsafe)
		return true;
	sema_error(s, n->loc, "%s() is an unsafe function being used in safe mode", n->name);
	sema_hint(s, "run hawk with --unsafe to allow it");
	return false;
}

static const struct {
	const char *name;
	int num;
} signals[] = {
	{"SIGHUP", SIGHUP},   {"SIGINT", SIGINT},	{"SIGQUIT", SIGQUIT},
	{"SIGILL", SIGILL},   {"SIGTRAP", SIGTRAP},	{"SIGABRT", SIGABRT},
	{"SIGIOT", SIGIOT},   {"SIGBUS", SIGBUS},	{"SIGFPE", SIGFPE},
	{"SIGKILL", SIGKILL}, {"SIGUSR1", SIGUSR1},	{"SIGSEGV", SIGSEGV},
	{"SIGUSR2", SIGUSR2}, {"SIGPIPE", SIGPIPE},	{"SIGALRM", SIGALRM},
	{"SIGTERM", SIGTERM}, {"SIGSTKFLT", SIGSTKFLT}, {"SIGCHLD", SIGCHLD},
	{"SIGCONT", SIGCONT}, {"SIGSTOP", SIGSTOP},	{"SIGTSTP", SIGTSTP},
	{"SIGTTIN", SIGTTIN}, {"SIGTTOU", SIGTTOU},	{"SIGURG", SIGURG},
	{"SIGXCPU", SIGXCPU}, {"SIGXFSZ", SIGXFSZ},	{"SIGVTALRM", SIGVTALRM},
	{"SIGPROF", SIGPROF}, {"SIGWINCH", SIGWINCH},	{"SIGIO", SIGIO},
	{"SIGPOLL", SIGPOLL}, {"SIGPWR", SIGPWR},	{"SIGSYS", SIGSYS},
};

/* "SIGKILL" or "KILL": its number, or 0. */
static int signal_number(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (!strcmp(signals[i].name, name) || !strcmp(signals[i].name + 3, name))
			return signals[i].num;
	return 0;
}

/* A constant signal number is kept in n->sema_data. */
static int signal_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *a = n->body;
	int i, num;

	n->type = &ty_none;
	if (!unsafe_ok(s, n))
		return -1;
	for (i = 0; i < s->npoints; i++) {
		const struct probe_ops *ops = s->points[i]->ops;

		if (ops->is_begin || ops->is_end || !strcmp(ops->name, "interval")) {
			sema_error(s, n->loc, "signal() cannot be used in %s probes", ops->name);
			if (ops->is_begin || ops->is_end)
				sema_hint(s, "%s runs in hawk's own process", ops->name);
			return -1;
		}
	}
	if (a->kind == AST_STR) {
		num = signal_number(a->str);
		if (!num) {
			sema_error(s, a->loc, "%s is not a valid signal", a->str);
			return -1;
		}
		n->sema_data = (void *)(intptr_t)num;
		return 0;
	}
	if (std_want_int(s, n, 0) < 0)
		return -1;
	if (a->kind == AST_INT && (a->is_unsigned || a->ival < 1 || a->ival > 64)) {
		sema_error(s, a->loc, "%lld is not a valid signal, allowed range: [1,64]",
			   (long long)a->ival);
		return -1;
	}
	return 0;
}

static LLVMValueRef send_signal(struct cg *cg, struct ast_node *n, int helper)
{
	struct ast_node *a = n->body;
	LLVMValueRef sig = a->kind == AST_STR ? cg_const(cg, (uint64_t)(intptr_t)n->sema_data)
					      : cg_to_i64(cg, cg_expr(cg, a), a->type);

	cg_helper(cg, helper, cg->i64, &sig, 1);
	return NULL;
}

static LLVMValueRef signal_lower(struct cg *cg, struct ast_node *n)
{
	return send_signal(cg, n, BPF_FUNC_send_signal);
}

/* signal_thread(sig): to the current thread only (bpf_send_signal_thread). */
static LLVMValueRef signal_thread_lower(struct cg *cg, struct ast_node *n)
{
	return send_signal(cg, n, BPF_FUNC_send_signal_thread);
}

const struct builtin_ops std_signal = {
	.name = "signal",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = signal_check,
	.lower = signal_lower,
};

const struct builtin_ops std_signal_thread = {
	.name = "signal_thread",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = signal_check,
	.lower = signal_thread_lower,
};

static int override_check(struct sema *s, struct ast_node *n)
{
	int i;

	n->type = &ty_none;
	if (!unsafe_ok(s, n))
		return -1;
	for (i = 0; i < s->npoints; i++) {
		if (strcmp(s->points[i]->ops->name, "kprobe")) {
			sema_error(s, n->loc, "override() needs a kprobe");
			sema_hint(s, "it makes the probed kernel function return its argument");
			return -1;
		}
	}
	return std_want_int(s, n, 0);
}

static LLVMValueRef override_lower(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef args[2] = {cg->ctx, cg_to_i64(cg, cg_expr(cg, n->body), n->body->type)};

	cg_helper(cg, BPF_FUNC_override_return, cg->i64, args, 2);
	return NULL;
}

const struct builtin_ops std_override = {
	.name = "override",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = override_check,
	.lower = override_lower,
	.probe_ctx = true,
};
