/*
 * stack.c - kstack and ustack, each bare or as (N), (mode), (mode, N): the
 * kernel or user stack of the current task as a value (TY_STACK).
 *
 * The value is the stack itself, not an id into a stack-trace map: a u32
 * frame count, a u32 pid (0 for kernel stacks; a user stack records the
 * process its addresses belong to), then `limit` u64 return addresses,
 * innermost first, unused slots zero (so equal stacks are equal map keys);
 * in build_id mode (ustack only) 32-byte frames of build id and file offset
 * (BPF_F_USER_BUILD_ID), printed as they are, not named.
 * bpf_get_stack() fills it in this CPU's scratch area. Printing is in user
 * space (runtime/output.c, fmt_stack), which names each address through the
 * output's symbol hooks; the mode (bpftrace, perf, raw, build_id) travels in the type
 * (t->name), the limit in t->count, kernel or user in t->as.
 *
 * ustack walks the frame pointers of the user stack (BPF_F_USER_STACK): a
 * binary built without them gives one or two frames, as in bpftrace. Its
 * addresses are named from the process's memory map, which the runtime
 * reads when the first ustack of each pid arrives (an event, shared with
 * usym: std_note_user_pid), so a process that exits before its stacks are
 * printed (a map printed at exit) is still named.
 */
#include "../stdlib.h"
#include "../../runtime/usyms.h"

#include <linux/bpf.h>
#include <string.h>

#define STACK_DEFAULT_LIMIT 127 /* the kernel's perf_event_max_stack default */
#define STACK_MAX_LIMIT	    1024

static const char *const stack_modes[] = {"bpftrace", "perf", "raw", "build_id", NULL};

/* build_id mode: each frame is the kernel's struct bpf_stack_build_id (s32
 * status, 20-byte build id, u64 file offset or address), 32 bytes. */
#define BUILD_ID_FRAME 32

static const char *stack_mode(const char *name)
{
	int i;

	for (i = 0; stack_modes[i]; i++)
		if (!strcmp(stack_modes[i], name))
			return stack_modes[i];
	return NULL;
}

struct hk_type *std_stack_type(struct sema *s, const char *mode, uint32_t limit, bool user)
{
	struct hk_type *t = ARENA_NEW(s->arena, struct hk_type);

	t->kind = TY_STACK;
	t->name = mode;
	t->count = limit;
	t->as = user ? AS_USER : AS_KERNEL;
	t->size = 8 + (strcmp(mode, "build_id") ? 8 : BUILD_ID_FRAME) * limit;
	t->align = 8;
	return t;
}

/* Checks the optional (mode), (N) or (mode, N) arguments of kstack/ustack
 * and types n. */
int std_stack_check(struct sema *s, struct ast_node *n, bool user)
{
	struct ast_node *a = n->kind == AST_CALL ? n->body : NULL;
	const char *mode =
		stack_mode(s->res->config.stack_mode ? s->res->config.stack_mode : "bpftrace");
	int64_t limit = STACK_DEFAULT_LIMIT;

	n->type = &ty_none;
	if (!mode)
		mode = "bpftrace";
	if (a && a->kind == AST_IDENT) {
		mode = stack_mode(a->name);
		a->type = &ty_none;
		if (!mode) {
			sema_error(s, a->loc, "unknown stack mode '%s'", a->name);
			sema_hint(s, "the modes are bpftrace, perf, raw and build_id");
			goto recover;
		}
		a = a->next;
	}
	if (a) {
		if (a->next) {
			sema_error(s, a->next->loc, "%s() takes at most a mode and a limit",
				   n->name);
			goto recover;
		}
		sema_expr(s, a);
		if (!std_is_const(a)) {
			sema_error(s, a->loc, "the %s limit must be an integer literal", n->name);
			goto recover;
		}
		if (sema_const_int(s, a, &limit) < 0)
			goto recover;
		if (limit < 0 || limit > STACK_MAX_LIMIT) {
			sema_error(s, a->loc, "%s limit %lld is out of range (0 to %d)", n->name,
				   (long long)limit, STACK_MAX_LIMIT);
			goto recover;
		}
	}
	if (!user && !strcmp(mode, "build_id")) {
		/* the kernel records build ids of user frames only */
		sema_warn(s, n->loc, "stack mode 'build_id' applies to ustack only: %s uses 'raw'",
			  n->name);
		mode = "raw";
	}
	n->type = std_stack_type(s, mode, (uint32_t)limit, user);
	return 0;
recover:
	/* reported: still a stack, so that its uses (a map key) add no errors */
	n->type = std_stack_type(s, "bpftrace", STACK_DEFAULT_LIMIT, user);
	return 0;
}

/* Fills a stack value of type t (in this CPU's scratch area) with
 * bpf_get_stack(flags); the frame count in its first word. */
static LLVMValueRef stack_fill(struct cg *cg, const struct hk_type *t, uint64_t flags)
{
	LLVMValueRef buf = cg_scratch(cg, t->size), args[4], ret, cnt, neg;
	uint32_t frame = (uint32_t)((t->size - 8) / (t->count ? t->count : 1));

	cg_zero8(cg, buf, t->size);
	if (!t->count)
		return buf;
	args[0] = cg->ctx;
	args[1] = cg_gep(cg, buf, 8);
	args[2] = cg_const(cg, (uint64_t)t->size - 8);
	if (frame == BUILD_ID_FRAME)
		flags |= BPF_F_USER_BUILD_ID;
	args[3] = cg_const(cg, flags);
	ret = cg_helper(cg, BPF_FUNC_get_stack, cg->i64, args, 4);
	/* bytes written, or a negative error: no frames */
	neg = LLVMBuildICmp(cg->b, LLVMIntSLT, ret, cg_const(cg, 0), "");
	cnt = LLVMBuildSelect(cg->b, neg, cg_const(cg, 0),
			      LLVMBuildLShr(cg->b, ret, cg_const(cg, frame == 8 ? 3 : 5), ""), "");
	cg_store(cg, buf, &ty_u32, cnt, &ty_u64);
	return buf;
}

LLVMValueRef std_stack_lower(struct cg *cg, struct ast_node *n, uint64_t flags)
{
	const struct res_event *ev = n->sema_data;
	LLVMValueRef buf = stack_fill(cg, n->type, flags), tgid, vals[3];
	LLVMBasicBlockRef done;

	if (!(flags & BPF_F_USER_STACK))
		return buf;
	/* user addresses mean something only with their process */
	tgid = LLVMBuildLShr(cg->b, cg_helper(cg, H_GET_CURRENT_PID_TGID, cg->i64, NULL, 0),
			     cg_const(cg, 32), "");
	cg_store(cg, cg_gep(cg, buf, 4), &ty_u32, tgid, &ty_u64);
	if (!ev || !(done = std_note_user_pid_first(cg, tgid)))
		return buf;
	/* the process's first stack: sent with its frames as (build id, file
	 * offset), which name them even when the process is gone before user
	 * space reads its map (runtime/ubuildid.c) */
	vals[0] = tgid;
	vals[1] = buf;
	vals[2] = ev->nargs == 3 ? stack_fill(cg, ev->args[2], BPF_F_USER_STACK) : NULL;
	cg_event(cg, ev, vals, (const struct hk_type **)ev->args);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
	return buf;
}

static int kstack_check(struct sema *s, struct ast_node *n)
{
	return std_stack_check(s, n, false);
}

static LLVMValueRef kstack_lower(struct cg *cg, struct ast_node *n)
{
	return std_stack_lower(cg, n, 0);
}

const struct builtin_ops std_kstack = {
	.name = "kstack",
	.kind = BI_VARIABLE,
	.min_args = 0,
	.max_args = 2,
	.check = kstack_check,
	.lower = kstack_lower,
	.probe_ctx = true,
};

STD_BUILTIN(ustack);

#define NOTE_FRAMES 127 /* frames of the first stack sent with build ids */

static int ustack_check(struct sema *s, struct ast_node *n)
{
	struct res_event *ev = std_note_user_pid_event(s, &std_ustack, n);
	struct hk_type **args;
	uint32_t *offs;

	std_stack_check(s, n, true);
	n->sema_data = ev;
	if (!ev || !n->type->count || !strcmp(n->type->name, "build_id"))
		return 0;
	/* pid, the stack, the same frames with build ids (ubuildid.c) */
	args = arena_alloc(s->arena, 3 * sizeof(*args));
	offs = arena_alloc(s->arena, 3 * sizeof(*offs));
	args[0] = &ty_u64;
	args[1] = n->type;
	args[2] = std_stack_type(s, "build_id",
				 n->type->count < NOTE_FRAMES ? n->type->count : NOTE_FRAMES, true);
	offs[0] = 0;
	offs[1] = 8;
	offs[2] = 8 + n->type->size;
	ev->nargs = 3;
	ev->args = args;
	ev->offsets = offs;
	ev->size = offs[2] + args[2]->size;
	return 0;
}

/* The first stack of a process: keep its memory map, or when it has gone
 * already, rebuild the mappings its frames show from their build ids. */
static void ustack_seen(struct rt *rt, const struct res_event *ev, const void *data, uint32_t len)
{
	const uint8_t *d = data;
	const struct hk_type *st, *bt;
	uint64_t pid, addrs[NOTE_FRAMES];
	uint32_t n, nb;

	if (ev->nargs != 3 || len < ev->size) {
		std_note_user_pid_seen(rt, ev, data, len);
		return;
	}
	st = ev->args[1];
	bt = ev->args[2];
	memcpy(&pid, d, 8);
	memcpy(&n, d + ev->offsets[1], 4);
	memcpy(&nb, d + ev->offsets[2], 4);
	n = n < st->count ? n : st->count;
	n = n < nb ? n : nb;
	n = n < bt->count ? n : bt->count;
	memcpy(addrs, d + ev->offsets[1] + 8, (size_t)n * 8);
	usyms_note_stack((int)pid, addrs, d + ev->offsets[2] + 8, (int)n);
}

static LLVMValueRef ustack_lower(struct cg *cg, struct ast_node *n)
{
	return std_stack_lower(cg, n, BPF_F_USER_STACK);
}

const struct builtin_ops std_ustack = {
	.name = "ustack",
	.kind = BI_VARIABLE,
	.min_args = 0,
	.max_args = 2,
	.check = ustack_check,
	.lower = ustack_lower,
	.probe_ctx = true,
	.event = ustack_seen,
};
