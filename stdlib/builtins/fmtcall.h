/*
 * fmtcall.h - the printf-style functions printed in user space: cat(),
 * system(), errorf() and warnf() take a format and arguments as printf()
 * does; the arguments travel in one EV_OTHER event (laid out as printf's)
 * and user space formats them before doing the function's work.
 */
#ifndef HAWK_FMTCALL_H
#define HAWK_FMTCALL_H

#include "../stdlib.h"

struct rt;

/* Checks fmt and arguments as printf() does and registers the event, printed
 * by `ops` (its .event). Returns 0 or -1 after a diagnostic. */
int fmtcall_check(struct sema *s, struct ast_node *n, const struct builtin_ops *ops);
/* Lowers the arguments and sends the event. */
LLVMValueRef fmtcall_lower(struct cg *cg, struct ast_node *n);
/* The formatted text of a received event (malloc'ed, NUL-terminated, length
 * in *n), or NULL if the payload is short or memory ran out. */
char *fmtcall_text(struct rt *rt, const struct res_event *ev, const void *data, uint32_t len,
		   size_t *n);

#endif
