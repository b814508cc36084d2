/*
 * join(argv[, delim]): prints up to 16 strings of a NULL-terminated array of
 * string pointers (execve's argv), joined by delim (default " "), then a
 * newline (JSON type "join", no newline).
 *
 * The BPF side reads the array's pointers one at a time with probe_read and
 * each string with probe_read_str into its slot of the event, stopping at
 * the first NULL pointer. Payload: u64 count, then JOIN_MAX slots of
 * max_strlen bytes. The event is written straight from the scratch area
 * (no copy of its 16 slots), so this module sends it itself and counts it in
 * the internal "lost" map when the ring buffer is full, as cg_event() does.
 * User space stops at the first empty string, as bpftrace does.
 */
#include "../stdlib.h"

#include <stdlib.h>
#include <string.h>

#include "../../runtime/output.h"
#include "../../runtime/rt.h"

STD_BUILTIN(join);

#define JOIN_MAX 16

static uint32_t slot_size(const struct res_event *ev)
{
	return (ev->size - 8) / JOIN_MAX;
}

static int join_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *arr = n->body, *delim = arr->next;
	struct hk_type *t = sema_expr(s, arr);
	struct res_event *ev;

	n->type = &ty_none;
	if (t->kind == TY_NONE)
		return -1;
	if (t->kind != TY_PTR && !ty_is_int(t)) {
		sema_error(s, arr->loc, "join() needs an array of string pointers, not %s",
			   ty_name(s->arena, t));
		return -1;
	}
	if (delim && delim->kind != AST_STR) {
		sema_error(s, delim->loc, "join() needs a string literal as its delimiter");
		return -1;
	}
	ev = sema_add_event(s, EV_OTHER, &std_join, n);
	if (ev) {
		ev->fmt = delim ? delim->str : " ";
		ev->size = 8 + JOIN_MAX * s->res->config.max_strlen;
	}
	return 0;
}

/* The "lost" map's slot 0 += 1 when rc (ringbuf_output's) is not 0. */
static void count_lost(struct cg *cg, LLVMValueRef rc)
{
	const struct res_map *lost = cg_internal_map(cg, "lost");
	LLVMBasicBlockRef fail, bump, done;
	LLVMValueRef key, args[2], p;

	if (!lost)
		return;
	fail = cg_block(cg, "join_lost");
	bump = cg_block(cg, "join_lost_bump");
	done = cg_block(cg, "join_sent");
	key = cg_alloc(cg, 4);
	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntNE, rc, cg_const(cg, 0), ""), fail,
			done);
	LLVMPositionBuilderAtEnd(cg->b, fail);
	LLVMBuildStore(cg->b, LLVMConstInt(cg->i32, 0, 0), key);
	args[0] = cg_map_ptr(cg, lost);
	args[1] = key;
	p = cg_helper(cg, H_MAP_LOOKUP, cg->ptr, args, 2);
	LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, p, ""), done, bump);
	LLVMPositionBuilderAtEnd(cg->b, bump);
	LLVMBuildStore(
		cg->b,
		LLVMBuildAdd(cg->b, LLVMBuildLoad2(cg->b, cg->i64, p, ""), cg_const(cg, 1), ""), p);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
}

static LLVMValueRef join_lower(struct cg *cg, struct ast_node *n)
{
	const struct res_event *ev = cg->res->events[n->sema_id];
	struct ast_node *arr = n->body;
	enum ty_addrspace as = arr->type->kind == TY_PTR ? arr->type->as : AS_NONE;
	uint32_t total = (uint32_t)sizeof(struct event_hdr) + ev->size, slot = slot_size(ev);
	LLVMValueRef buf = cg_scratch(cg, total), count = cg_gep(cg, buf, 8), base, ptr, p, a[4];
	LLVMBasicBlockRef done = cg_block(cg, "join_done");
	int i;

	base = cg_to_i64(cg, cg_expr(cg, arr), arr->type);
	LLVMBuildStore(cg->b, LLVMConstInt(cg->i32, (unsigned)ev->id, 0), buf);
	LLVMBuildStore(cg->b, LLVMConstInt(cg->i32, 0, 0), cg_gep(cg, buf, 4));
	LLVMBuildStore(cg->b, cg_const(cg, 0), count);
	ptr = cg_alloc(cg, 8);
	for (i = 0; i < JOIN_MAX; i++) {
		LLVMBasicBlockRef next = cg_block(cg, "join_arg");
		LLVMValueRef addr = LLVMBuildAdd(cg->b, base, cg_const(cg, 8 * (uint64_t)i), "");

		/* a failed read leaves 0: the end of the array */
		LLVMBuildStore(cg->b, cg_const(cg, 0), ptr);
		cg_probe_read(cg, ptr, cg_const(cg, 8), addr, as, false);
		p = LLVMBuildLoad2(cg->b, cg->i64, ptr, "");
		LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, p, cg_const(cg, 0), ""),
				done, next);
		LLVMPositionBuilderAtEnd(cg->b, next);
		cg_probe_read(cg, cg_gep(cg, buf, 16 + (uint32_t)i * slot), cg_const(cg, slot), p,
			      as, true);
		LLVMBuildStore(cg->b, cg_const(cg, (uint64_t)i + 1), count);
	}
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
	a[0] = cg_map_ptr(cg, cg->res->ringbuf);
	a[1] = buf;
	a[2] = cg_const(cg, total);
	a[3] = cg_const(cg, 0);
	count_lost(cg, cg_helper(cg, H_RINGBUF_OUTPUT, cg->i64, a, 4));
	return NULL;
}

static void join_event(struct rt *rt, const struct res_event *ev, const void *data, uint32_t len)
{
	const unsigned char *d = data;
	uint32_t slot = slot_size(ev);
	uint64_t count;
	char *text;
	size_t used = 0, dl = strlen(ev->fmt);
	unsigned i;

	if (len < ev->size)
		return;
	memcpy(&count, d, 8);
	if (count > JOIN_MAX)
		count = JOIN_MAX;
	text = malloc(count * ((size_t)slot + dl) + 1);
	if (!text)
		return;
	for (i = 0; i < count; i++) {
		const char *s = (const char *)d + 8 + (size_t)i * slot;
		size_t sl = strnlen(s, slot);

		if (!sl)
			break;
		if (i) {
			memcpy(text + used, ev->fmt, dl);
			used += dl;
		}
		memcpy(text + used, s, sl);
		used += sl;
	}
	text[used] = '\0';
	out_message(rt_out(rt), "join", text, used, true);
	free(text);
}

const struct builtin_ops std_join = {
	.name = "join",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 2,
	.check = join_check,
	.lower = join_lower,
	.event = join_event,
};
