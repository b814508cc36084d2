/*
 * usym.c - usym(addr) and uaddr("name"), user-space symbols.
 *
 * usym() is a usym_t value, 24 bytes: the address (u64), the pid of the
 * task that made it (u32), the uprobe it was taken in (u32 index + 1, 0 in
 * other probes) and that uprobe's load bias (u64); user space names it when
 * printing
 * (runtime/usyms.c, through /proc/PID/maps and the ELF symbol tables). So
 * that a process which exits before its values are printed (map keys
 * printed at exit) can still be named, the first usym() of each pid also
 * sends a small event: the runtime then reads and keeps that process's
 * memory map while it is alive (an LRU hash of pids seen keeps this to one
 * event per process). If the map still could not be read, an address
 * taken in a uprobe is named from that uprobe's binary and load bias.
 *
 * uaddr() is resolved while compiling from the probe's binary (uprobe and
 * uretprobe only). In a PIE or a shared library the symbol moves with the
 * load address: the program adds the load bias, bpf_get_func_ip() (the
 * probed address as mapped) minus the probed address in the ELF file.
 */
#include "../stdlib.h"
#include "../probes/ptregs.h"
#include "../../runtime/rt.h"
#include "../../runtime/usyms.h"

#include <errno.h>
#include <string.h>

#define H_GET_FUNC_IP 173

/* u64 address, u32 pid, u32 uprobe index + 1 (0: none), u64 load bias */
static struct hk_type ty_usym = {.kind = TY_USYM, .size = 24, .align = 8};

STD_BUILTIN(usym);

static int usym_check(struct sema *s, struct ast_node *n)
{
	struct hk_type *t = sema_expr(s, n->body);

	n->type = &ty_none;
	if (t->kind == TY_NONE)
		return -1;
	if (!ty_is_int(t) && t->kind != TY_PTR && t->kind != TY_USYM) {
		sema_error(s, n->body->loc, "usym() needs an address, not %s",
			   ty_name(s->arena, t));
		return -1;
	}
	/* in a uprobe, the probed address in the ELF file is compiled in: an
	 * object cached for one build of the binary would be wrong for the next */
	for (int i = 0; i < s->npoints; i++)
		if (s->points[i]->ops->user_space)
			s->res->no_cache = true;
	n->sema_data = std_note_user_pid_event(s, &std_usym, n);
	n->type = &ty_usym;
	return 0;
}

struct res_event *std_note_user_pid_event(struct sema *s, const struct builtin_ops *ops,
					  struct ast_node *n)
{
	static struct hk_type *one[1] = {&ty_u64};
	static uint32_t off[1] = {0};
	struct res_event *ev;

	sema_internal_map(s, "usym_pids", "hawk_usym_pids", RM_LRU_HASH, 4, 1, 4096);
	ev = sema_add_event(s, EV_OTHER, ops, n);
	if (ev) {
		ev->nargs = 1;
		ev->args = one;
		ev->offsets = off;
		ev->size = 8;
	}
	return ev;
}

LLVMBasicBlockRef std_note_user_pid_first(struct cg *cg, LLVMValueRef pid)
{
	const struct res_map *m = cg_internal_map(cg, "usym_pids");
	LLVMBasicBlockRef tell, done;
	LLVMValueRef key, val, args[4], rc;

	if (!m)
		return NULL;
	tell = cg_block(cg, "usym_new_pid");
	done = cg_block(cg, "usym_known");
	key = cg_alloc(cg, 8);
	val = cg_alloc(cg, 8);
	LLVMBuildStore(cg->b, LLVMBuildTrunc(cg->b, pid, cg->i32, ""), key);
	LLVMBuildStore(cg->b, cg_const(cg, 1), val);
	args[0] = cg_map_ptr(cg, m);
	args[1] = key;
	args[2] = val;
	args[3] = cg_const(cg, 1); /* BPF_NOEXIST */
	rc = cg_helper(cg, H_MAP_UPDATE, cg->i64, args, 4);
	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, rc, cg_const(cg, 0), ""), tell,
			done);
	LLVMPositionBuilderAtEnd(cg->b, tell);
	return done;
}

/* The first time this pid is seen: tell user space to keep its memory map
 * (shared with ustack: see stdlib.h). */
void std_note_user_pid(struct cg *cg, const struct res_event *ev, LLVMValueRef pid)
{
	const struct hk_type *types[1] = {&ty_u64};
	LLVMBasicBlockRef done;

	if (!ev || !(done = std_note_user_pid_first(cg, pid)))
		return;
	cg_event(cg, ev, &pid, types);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
}

static LLVMValueRef usym_lower(struct cg *cg, struct ast_node *n)
{
	const struct res_probe *probe = cg->probe;
	const struct ptregs_point *d = probe->data;
	bool uprobe = probe->ops->user_space && probe->ops->pt_regs && d && d->target;
	LLVMValueRef v = cg_expr(cg, n->body), p, pid, bias = cg_const(cg, 0);

	if (n->body->type->kind == TY_USYM)
		return v;
	v = cg_to_i64(cg, v, n->body->type);
	pid = LLVMBuildLShr(cg->b, cg_helper(cg, H_GET_CURRENT_PID_TGID, cg->i64, NULL, 0),
			    cg_const(cg, 32), "");
	std_note_user_pid(cg, n->sema_data, pid);
	if (uprobe && d->dyn)
		bias = LLVMBuildSub(cg->b, cg_helper(cg, H_GET_FUNC_IP, cg->i64, &cg->ctx, 1),
				    cg_const(cg, d->vaddr), "");
	p = cg_alloc(cg, 24);
	LLVMSetAlignment(LLVMBuildStore(cg->b, v, p), 8);
	LLVMSetAlignment(
		LLVMBuildStore(
			cg->b,
			LLVMBuildOr(cg->b, pid,
				    cg_const(cg, uprobe ? (uint64_t)(probe->index + 1) << 32 : 0),
				    ""),
			cg_gep(cg, p, 8)),
		8);
	LLVMSetAlignment(LLVMBuildStore(cg->b, bias, cg_gep(cg, p, 16)), 8);
	return p;
}

void std_note_user_pid_seen(struct rt *rt, const struct res_event *ev, const void *data,
			    uint32_t len)
{
	uint64_t pid;

	if (len < 8)
		return;
	memcpy(&pid, data, 8);
	usyms_note_pid((int)pid);
}

const struct builtin_ops std_usym = {
	.name = "usym",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = usym_check,
	.lower = usym_lower,
	.probe_ctx = true,
	.event = std_note_user_pid_seen,
};

/* ---- uaddr ------------------------------------------------------------------------ */

static const struct usym *uaddr_sym(const struct res_probe *p, const char *name)
{
	const struct ptregs_point *d = p->data;
	struct usym_elf *e;
	int err;

	e = d && d->target ? usyms_elf(d->target, &err) : NULL;
	return e ? usyms_elf_find(e, name) : NULL;
}

static int uaddr_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *a = n->body;
	uint64_t size = 0;
	int i;

	n->type = &ty_none;
	if (a->kind != AST_STR) {
		sema_error(s, a->loc, "uaddr() needs a string literal: the symbol's name");
		return -1;
	}
	if (!s->npoints)
		return -1;
	s->res->no_cache = true; /* addresses of this build of the binary */
	for (i = 0; i < s->npoints; i++) {
		const struct res_probe *p = s->points[i];
		const struct usym *sym;

		if (!p->ops->user_space || !p->ops->pt_regs) {
			sema_error(s, n->loc,
				   "uaddr() is not available in %s: it needs a uprobe or "
				   "uretprobe",
				   p->spec);
			return -1;
		}
		sym = uaddr_sym(p, a->str);
		if (!sym) {
			sema_error(s, a->loc, "no symbol '%s' in '%s'", a->str,
				   ((const struct ptregs_point *)p->data)->target);
			return -1;
		}
		if (!i)
			size = sym->size;
		else if (size != sym->size)
			size = 0;
	}
	/* the pointee's type from the symbol's size, as bpftrace */
	n->type =
		ty_ptr(s->arena, ty_int(size == 1 || size == 2 || size == 4 ? (int)size : 8, false),
		       AS_USER);
	return 0;
}

static LLVMValueRef uaddr_lower(struct cg *cg, struct ast_node *n)
{
	const struct ptregs_point *d = cg->probe->data;
	const struct usym *sym = uaddr_sym(cg->probe, n->body->str);
	LLVMValueRef ip;

	if (!sym)
		return cg_const(cg, 0);
	if (!d->dyn)
		return cg_const(cg, sym->addr);
	/* PIE / shared library: sym + (where the probe is mapped - where it is in the file) */
	ip = cg_helper(cg, H_GET_FUNC_IP, cg->i64, &cg->ctx, 1);
	return LLVMBuildAdd(cg->b, LLVMBuildSub(cg->b, ip, cg_const(cg, d->vaddr), ""),
			    cg_const(cg, sym->addr), "");
}

const struct builtin_ops std_uaddr = {
	.name = "uaddr",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 1,
	.check = uaddr_check,
	.lower = uaddr_lower,
	.probe_ctx = true,
};
