/*
 * errorf.c - errorf(fmt, args...) and warnf(fmt, args...) (bpftrace 0.24 and
 * 0.25): printf-style messages printed in user space with the location of
 * the call, as bpftrace logs them: "stdin:1:9-30: ERROR: msg" on stderr, or
 * {"type": "errorf", "msg": ..., "filename": ..., "line": ..., "col": ...}
 * with -f json. Neither stops the program. warnf() is silent under
 * --no-warnings (its event is still sent, so its arguments are evaluated).
 */
#include "fmtcall.h"

#include <stdlib.h>

#include "../../runtime/output.h"
#include "../../runtime/rt.h"

STD_BUILTIN(errorf);
STD_BUILTIN(warnf);

static void report(struct rt *rt, const struct res_event *ev, const void *data, uint32_t len,
		   bool is_error)
{
	size_t n;
	char *msg = fmtcall_text(rt, ev, data, len, &n);

	if (!msg)
		return;
	out_errorf(rt_out(rt), ev, is_error, msg);
	free(msg);
}

static int errorf_check(struct sema *s, struct ast_node *n)
{
	return fmtcall_check(s, n, &std_errorf);
}

static void errorf_event(struct rt *rt, const struct res_event *ev, const void *data, uint32_t len)
{
	report(rt, ev, data, len, true);
}

const struct builtin_ops std_errorf = {
	.name = "errorf",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = -1,
	.check = errorf_check,
	.lower = fmtcall_lower,
	.event = errorf_event,
};

static void warnf_event(struct rt *rt, const struct res_event *ev, const void *data, uint32_t len)
{
	report(rt, ev, data, len, false);
}

static void warnf_quiet_event(struct rt *rt, const struct res_event *ev, const void *data,
			      uint32_t len)
{
}

/* The printer of warnf() events under --no-warnings. */
static const struct builtin_ops warnf_quiet = {
	.name = "warnf",
	.kind = BI_FUNCTION,
	.event = warnf_quiet_event,
};

static int warnf_check(struct sema *s, struct ast_node *n)
{
	bool quiet = s->opt && s->opt->quiet_warnings;

	return fmtcall_check(s, n, quiet ? &warnf_quiet : &std_warnf);
}

const struct builtin_ops std_warnf = {
	.name = "warnf",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = -1,
	.check = warnf_check,
	.lower = fmtcall_lower,
	.event = warnf_event,
};
