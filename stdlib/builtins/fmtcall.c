/*
 * fmtcall.c - checking, sending and formatting the printf-style calls that
 * user space acts on (see fmtcall.h). The checks match printf()'s: a string
 * literal format, as many arguments as it takes, integers for the integer
 * conversions and buffers or strings for %r.
 */
#include "fmtcall.h"

#include <stdlib.h>
#include <string.h>

#include "../../lang/source.h"
#include "../../runtime/output.h"
#include "../../runtime/rt.h"

int fmtcall_check(struct sema *s, struct ast_node *n, const struct builtin_ops *ops)
{
	struct ast_node *f = n->body;
	struct res_event *ev;

	if (std_check_format(s, n) < 0)
		return -1;
	ev = sema_add_event(s, EV_OTHER, ops, n);
	if (ev) {
		const struct source_file *sf =
			s->diag && s->diag->src ? source_get(s->diag->src, n->loc.file) : NULL;

		ev->fmt = f->str;
		ev->file = sf ? sf->name : "stdin";
		std_event_layout(s, ev, f->next);
	}
	return 0;
}

LLVMValueRef fmtcall_lower(struct cg *cg, struct ast_node *n)
{
	std_event_emit(cg, cg->res->events[n->sema_id], n->body->next);
	return NULL;
}

char *fmtcall_text(struct rt *rt, const struct res_event *ev, const void *data, uint32_t len,
		   size_t *n)
{
	if (len < ev->size)
		return NULL;
	return out_format_alloc(rt_out(rt), ev, data, n);
}
