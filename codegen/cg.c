/*
 * cg.c - lowering the typed AST to LLVM IR for the BPF target.
 *
 * cg_program() builds one module: the maps of the resource summary as
 * BTF-defined globals, then one function per res_probe (a probe with several
 * attach points is lowered once per point, so each program sees its own
 * probe-specific builtins), then optimises and emits the ELF object.
 * Each function is laid out as:
 *   entry:  allocas; (lazily) this CPU's scratch lookup; br body
 *   body:   predicate, statements ...; br exit
 *   exit:   ret 0
 * Values follow the convention in cg.h: scalars are i64, the rest pointers.
 */
#include "cg.h"

#include <errno.h>
#include <sys/stat.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "../lang/modules.h"
#include "../lang/sema.h"

static void cg_stmt(struct cg *cg, struct ast_node *n);
static void cg_block_stmts(struct cg *cg, struct ast_node *blk);
static LLVMValueRef cg_fn_call(struct cg *cg, struct ast_node *n);

void cg_error(struct cg *cg, struct loc loc, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	diag_error(cg->diag, loc, "%s", buf);
}

LLVMValueRef cg_const(struct cg *cg, uint64_t v)
{
	return LLVMConstInt(cg->i64, v, 0);
}

LLVMValueRef cg_helper(struct cg *cg, int id, LLVMTypeRef ret, LLVMValueRef *args, unsigned n)
{
	return cg_helper_call(&cg->o, cg->b, id, ret, args, n);
}

LLVMBasicBlockRef cg_block(struct cg *cg, const char *name)
{
	return LLVMAppendBasicBlockInContext(cg->o.ctx, cg->fn, name);
}

LLVMValueRef cg_to_ptr(struct cg *cg, LLVMValueRef v)
{
	if (LLVMGetTypeKind(LLVMTypeOf(v)) == LLVMPointerTypeKind)
		return v;
	return LLVMBuildIntToPtr(cg->b, v, cg->ptr, "");
}

LLVMValueRef cg_gep(struct cg *cg, LLVMValueRef ptr, uint32_t off)
{
	LLVMValueRef idx;

	if (!off)
		return ptr;
	idx = LLVMConstInt(cg->i64, off, 0);
	return LLVMBuildGEP2(cg->b, cg->i8, ptr, &idx, 1, "");
}

/* ---- memory --------------------------------------------------------------------- */

static LLVMValueRef entry_alloca(struct cg *cg, uint32_t size);
LLVMBasicBlockRef cg_block(struct cg *cg, const char *name);

LLVMValueRef cg_stack_alloc(struct cg *cg, uint32_t size)
{
	return entry_alloca(cg, size);
}

static LLVMValueRef entry_alloca(struct cg *cg, uint32_t size)
{
	LLVMBuilderRef eb = LLVMCreateBuilderInContext(cg->o.ctx);
	LLVMValueRef first = LLVMGetFirstInstruction(cg->entry);
	LLVMTypeRef t = LLVMArrayType(cg->i64, (size + 7) / 8);
	LLVMValueRef a;

	if (first)
		LLVMPositionBuilderBefore(eb, first);
	else
		LLVMPositionBuilderAtEnd(eb, cg->entry);
	a = LLVMBuildAlloca(eb, t, "tmp");
	LLVMSetAlignment(a, 8);
	LLVMDisposeBuilder(eb);
	return a;
}

/* The scratch base pointer, created in the entry block on first use. */
static LLVMValueRef scratch_base(struct cg *cg)
{
	LLVMBuilderRef eb;
	LLVMValueRef term, key, cpu, args[2], p, isnull;
	LLVMBasicBlockRef body;

	if (cg->scratch)
		return cg->scratch;
	term = LLVMGetBasicBlockTerminator(cg->entry);
	body = LLVMGetSuccessor(term, 0);
	key = entry_alloca(cg, 4);
	eb = LLVMCreateBuilderInContext(cg->o.ctx);
	LLVMPositionBuilderBefore(eb, term);
	cpu = cg_helper_call(&cg->o, eb, H_GET_SMP_PROCESSOR_ID, cg->i64, NULL, 0);
	LLVMBuildStore(eb, LLVMBuildTrunc(eb, cpu, cg->i32, ""), key);
	args[0] = cg->scratch_map;
	args[1] = key;
	p = cg_helper_call(&cg->o, eb, H_MAP_LOOKUP, cg->ptr, args, 2);
	isnull = LLVMBuildIsNull(eb, p, "");
	LLVMBuildCondBr(eb, isnull, cg->exit, body);
	LLVMInstructionEraseFromParent(term);
	LLVMDisposeBuilder(eb);
	cg->scratch = p;
	return p;
}

LLVMValueRef cg_scratch(struct cg *cg, uint32_t size)
{
	LLVMValueRef base = scratch_base(cg);
	uint32_t off = cg->scratch_off;

	cg->scratch_off += (size + 7) & ~7u;
	if (cg->scratch_off > cg->scratch_size)
		cg->scratch_size = cg->scratch_off;
	return cg_gep(cg, base, off);
}

LLVMValueRef cg_alloc(struct cg *cg, uint32_t size)
{
	if (size <= CG_STACK_LIMIT && cg->stack_used + size <= 256) {
		cg->stack_used += (size + 7) & ~7u;
		return entry_alloca(cg, size ? size : 1);
	}
	return cg_scratch(cg, size);
}

/*
 * Zeroing and copying. The BPF backend expands memset/memcpy inline up to 128
 * accesses and otherwise emits a call it cannot lower, so longer ones become
 * a loop over units of `align` bytes (8 when both sides are 8-aligned: every
 * allocation of cg_alloc/cg_scratch/var slots is), and the rest inline.
 */
#define CG_INLINE_UNITS 64

static void mem_op(struct cg *cg, LLVMValueRef dst, LLVMValueRef src, uint32_t size, unsigned align)
{
	LLVMTypeRef ut = align == 8 ? cg->i64 : cg->i8;
	uint32_t units = size / align, done = 0;

	if (units > CG_INLINE_UNITS) {
		LLVMValueRef idx = entry_alloca(cg, 8), i, d, v;
		LLVMBasicBlockRef head = cg_block(cg, "mem_head"), body = cg_block(cg, "mem_body"),
				  out = cg_block(cg, "mem_done");

		LLVMBuildStore(cg->b, cg_const(cg, 0), idx);
		LLVMBuildBr(cg->b, head);
		LLVMPositionBuilderAtEnd(cg->b, head);
		i = LLVMBuildLoad2(cg->b, cg->i64, idx, "");
		LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntULT, i, cg_const(cg, units), ""),
				body, out);
		LLVMPositionBuilderAtEnd(cg->b, body);
		d = LLVMBuildGEP2(cg->b, ut, dst, &i, 1, "");
		v = src ? LLVMBuildLoad2(cg->b, ut, LLVMBuildGEP2(cg->b, ut, src, &i, 1, ""), "")
			: LLVMConstInt(ut, 0, 0);
		/* volatile: else LLVM turns the loop back into memset/memcpy calls */
		if (src) {
			LLVMSetAlignment(v, align);
			LLVMSetVolatile(v, 1);
		}
		v = LLVMBuildStore(cg->b, v, d);
		LLVMSetAlignment(v, align);
		LLVMSetVolatile(v, 1);
		LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, i, cg_const(cg, 1), ""), idx);
		LLVMBuildBr(cg->b, head);
		LLVMPositionBuilderAtEnd(cg->b, out);
		done = units * align;
	}
	if (size - done == 0)
		return;
	if (src)
		LLVMBuildMemCpy(cg->b, cg_gep(cg, dst, done), align, cg_gep(cg, src, done), align,
				LLVMConstInt(cg->i64, size - done, 0));
	else
		LLVMBuildMemSet(cg->b, cg_gep(cg, dst, done), LLVMConstInt(cg->i8, 0, 0),
				LLVMConstInt(cg->i64, size - done, 0), align);
}

void cg_zero(struct cg *cg, LLVMValueRef ptr, uint32_t size)
{
	mem_op(cg, ptr, NULL, size, 1);
}

void cg_zero8(struct cg *cg, LLVMValueRef ptr, uint32_t size)
{
	mem_op(cg, ptr, NULL, size, 8);
}

void cg_copy(struct cg *cg, LLVMValueRef dst, LLVMValueRef src, uint32_t size)
{
	if (size)
		mem_op(cg, dst, src, size, 1);
}

void cg_copy8(struct cg *cg, LLVMValueRef dst, LLVMValueRef src, uint32_t size)
{
	if (size)
		mem_op(cg, dst, src, size, 8);
}

static LLVMTypeRef int_type(struct cg *cg, uint32_t size)
{
	switch (size) {
	case 1:
		return cg->i8;
	case 2:
		return cg->i16;
	case 4:
		return cg->i32;
	default:
		return cg->i64;
	}
}

LLVMValueRef cg_to_i64(struct cg *cg, LLVMValueRef v, const struct hk_type *t)
{
	LLVMTypeRef vt = LLVMTypeOf(v);

	if (LLVMGetTypeKind(vt) == LLVMPointerTypeKind)
		return LLVMBuildPtrToInt(cg->b, v, cg->i64, "");
	if (LLVMGetIntTypeWidth(vt) == 64)
		return v;
	if (t && t->kind == TY_INT && t->is_signed)
		return LLVMBuildSExt(cg->b, v, cg->i64, "");
	return LLVMBuildZExt(cg->b, v, cg->i64, "");
}

/* Scalars are always stored at their natural alignment: allocations are
 * 8-aligned and tuples, records and events use C layout. Telling LLVM so
 * keeps it from splitting every access into single bytes. */
static unsigned natural_align(const struct hk_type *t)
{
	return t->size >= 8 ? 8 : (t->size ? t->size : 1);
}

LLVMValueRef cg_load(struct cg *cg, LLVMValueRef ptr, const struct hk_type *t)
{
	LLVMValueRef v;

	if (!ty_is_scalar(t))
		return ptr;
	v = LLVMBuildLoad2(cg->b, int_type(cg, t->size), ptr, "");
	LLVMSetAlignment(v, natural_align(t));
	return cg_to_i64(cg, v, t);
}

void cg_store(struct cg *cg, LLVMValueRef dst, const struct hk_type *to, LLVMValueRef v,
	      const struct hk_type *from)
{
	LLVMValueRef st;
	int i;

	if (ty_is_scalar(to)) {
		LLVMValueRef x = cg_to_i64(cg, v, from);

		if (to->size < 8)
			x = LLVMBuildTrunc(cg->b, x, int_type(cg, to->size), "");
		st = LLVMBuildStore(cg->b, x, dst);
		LLVMSetAlignment(st, natural_align(to));
		return;
	}
	if ((to->kind == TY_TUPLE || to->kind == TY_RECORD) && from &&
	    (from->kind == TY_TUPLE || from->kind == TY_RECORD) && !ty_equal(to, from)) {
		for (i = 0; i < to->nfields && i < from->nfields; i++) {
			const struct ty_field *tf = &to->fields[i], *ff = &from->fields[i];
			LLVMValueRef fv = cg_load(cg, cg_gep(cg, v, ff->offset), ff->type);

			cg_store(cg, cg_gep(cg, dst, tf->offset), tf->type, fv, ff->type);
		}
		return;
	}
	if (from && from->size < to->size) {
		cg_copy(cg, dst, v, from->size);
		cg_zero(cg, cg_gep(cg, dst, from->size), to->size - from->size);
		return;
	}
	cg_copy(cg, dst, v, to->size);
}

LLVMValueRef cg_map_ptr(struct cg *cg, const struct res_map *m)
{
	return cg->maps[m->id];
}

const struct res_map *cg_internal_map(struct cg *cg, const char *name)
{
	int i;

	for (i = 0; i < cg->res->nmaps; i++)
		if (cg->res->maps[i]->internal && !strcmp(cg->res->maps[i]->name, name))
			return cg->res->maps[i];
	return NULL;
}

static LLVMValueRef helper_error_fn(struct cg *cg);

LLVMValueRef cg_probe_read(struct cg *cg, LLVMValueRef dst, LLVMValueRef size, LLVMValueRef src,
			   enum ty_addrspace as, bool str)
{
	LLVMValueRef args[3] = {dst, LLVMBuildTrunc(cg->b, size, cg->i32, ""), cg_to_ptr(cg, src)},
		     rc;
	int id;

	/* an unknown address space in a probe that fires in user context: user memory */
	if (as == AS_NONE && cg->probe && cg->probe->ops && cg->probe->ops->user_space)
		as = AS_USER;
	if (as == AS_USER)
		id = str ? H_PROBE_READ_USER_STR : H_PROBE_READ_USER;
	else if (as == AS_KERNEL)
		id = str ? H_PROBE_READ_KERNEL_STR : H_PROBE_READ_KERNEL;
	else
		id = str ? H_PROBE_READ_STR : H_PROBE_READ;
	rc = cg_helper(cg, id, cg->i64, args, 3);
	if (cg->res->read_error_event >= 0) {
		/* -k: report a failed read, with the statement it is in */
		LLVMBasicBlockRef here = LLVMGetInsertBlock(cg->b);
		LLVMValueRef fn = helper_error_fn(cg), ca[3];
		int kind = (as == AS_USER ? 4 : as == AS_KERNEL ? 2 : 0) + (str ? 1 : 0);

		LLVMPositionBuilderAtEnd(cg->b, here);
		cg_object_set_loc(&cg->o, cg->b, cg->fn, (unsigned)cg->cur_loc.first_line,
				  (unsigned)cg->cur_loc.first_column);
		if (fn) {
			ca[0] = cg_to_ptr(cg, cg_const(cg, (uint64_t)cg->res->read_error_event));
			ca[1] = cg_to_ptr(cg, rc);
			ca[2] = cg_to_ptr(
				cg, cg_const(cg, EV_SITE(cg->cur_loc.file, cg->cur_loc.first_line,
							 cg->cur_loc.first_column, kind)));
			LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(fn), fn, ca, 3, "");
		}
	}
	return rc;
}

/* When the ring buffer had no room (rc != 0), count the event in the
 * internal "lost" map, which the runtime reports. */
static void lost_event_count(struct cg *cg, LLVMValueRef rc)
{
	const struct res_map *lost = cg_internal_map(cg, "lost");
	LLVMBasicBlockRef fail = cg_block(cg, "ev_lost"), bump = cg_block(cg, "ev_lost_bump"),
			  done = cg_block(cg, "ev_done");
	LLVMValueRef key, args[2], p;

	if (!lost)
		return;
	key = cg_alloc(cg, 4);
	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntNE, rc, cg_const(cg, 0), ""), fail,
			done);
	LLVMPositionBuilderAtEnd(cg->b, fail);
	LLVMBuildStore(cg->b, LLVMConstInt(cg->i32, 0, 0), key);
	args[0] = cg->maps[lost->id];
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

void cg_event(struct cg *cg, const struct res_event *ev, LLVMValueRef *args,
	      const struct hk_type **arg_types)
{
	uint32_t total = (uint32_t)sizeof(struct event_hdr) + ev->size;
	LLVMValueRef buf = cg_scratch(cg, total), a[4], rc;
	int i;

	LLVMBuildStore(cg->b, LLVMConstInt(cg->i32, (unsigned)ev->id, 0), buf);
	LLVMBuildStore(cg->b, LLVMConstInt(cg->i32, 0, 0), cg_gep(cg, buf, 4));
	for (i = 0; i < ev->nargs; i++)
		cg_store(cg, cg_gep(cg, buf, (uint32_t)sizeof(struct event_hdr) + ev->offsets[i]),
			 ev->args[i], args[i], arg_types[i]);
	a[0] = cg->maps[cg->res->ringbuf->id];
	a[1] = buf;
	a[2] = cg_const(cg, total);
	a[3] = cg_const(cg, 0);
	rc = cg_helper(cg, H_RINGBUF_OUTPUT, cg->i64, a, 4);
	lost_event_count(cg, rc);
}

/* ---- maps ------------------------------------------------------------------------ */

/* The kernel key for m at key expression `key` (NULL: keyless); with
 * room for a trailing u64 bucket when the aggregation is bucketed. */
static LLVMValueRef map_lookup(struct cg *cg, const struct res_map *m, LLVMValueRef key);
static LLVMValueRef map_key(struct cg *cg, const struct res_map *m, struct ast_node *key,
			    LLVMValueRef bucket)
{
	LLVMValueRef k = cg_alloc(cg, m->key_size);

	if (m->kind == RM_PERCPU_ARRAY || m->kind == RM_ARRAY) {
		LLVMBuildStore(cg->b, LLVMConstInt(cg->i32, 0, 0), k);
		return k;
	}
	cg_zero8(cg, k, m->key_size);
	if (key && m->key)
		cg_store(cg, k, m->key, cg_expr(cg, key), key->type);
	if (bucket)
		cg_store(cg, cg_gep(cg, k, m->key_size - 8), &ty_u64, bucket, &ty_u64);
	return k;
}

LLVMValueRef cg_map_key(struct cg *cg, const struct res_map *m, struct ast_node *key)
{
	return map_key(cg, m, key, NULL);
}

LLVMValueRef cg_map_lookup(struct cg *cg, const struct res_map *m, LLVMValueRef key)
{
	return map_lookup(cg, m, key);
}

static LLVMValueRef map_lookup(struct cg *cg, const struct res_map *m, LLVMValueRef key)
{
	LLVMValueRef args[2] = {cg->maps[m->id], key};

	return cg_helper(cg, H_MAP_LOOKUP, cg->ptr, args, 2);
}

/*
 * The subprogram every failed map update (and, with -k, probe read) calls:
 * i64 f(event id, rc, site) sends the EV_HELPER_ERROR event `id` with rc and
 * site (EV_SITE, for events shared by many places) when rc is a failure. One shared body
 * keeps each update site at a call, with no branch, so a probe with
 * thousands of map writes stays within the 16-bit jumps of BPF branches.
 * Every helper-error event has the same layout (one int64 argument).
 */
static LLVMValueRef helper_error_fn(struct cg *cg)
{
	struct cg saved = *cg;
	LLVMValueRef fn, buf, a[4], rc, in, bad;
	LLVMBasicBlockRef body, send;
	const uint32_t total = (uint32_t)sizeof(struct event_hdr) + 16;

	if (cg->helper_error_fn)
		return cg->helper_error_fn;
	fn = cg_object_subprog(&cg->o, "hawk_helper_error", 3);
	if (!fn)
		return NULL;
	/* inlined, it would put the whole body back at every site */
	LLVMAddAttributeAtIndex(
		fn, LLVMAttributeFunctionIndex,
		LLVMCreateEnumAttribute(cg->o.ctx, LLVMGetEnumAttributeKindForName("noinline", 8),
					0));
	cg->fn = fn;
	cg->ctx = NULL;
	cg->scratch = NULL;
	cg->stack_used = 0;
	cg->entry = cg_block(cg, "entry");
	body = cg_block(cg, "body");
	cg->exit = cg_block(cg, "exit");
	LLVMPositionBuilderAtEnd(cg->b, cg->exit);
	cg_object_set_loc(&cg->o, cg->b, fn, 1, 1);
	LLVMBuildRet(cg->b, cg_const(cg, 0));
	LLVMPositionBuilderAtEnd(cg->b, cg->entry);
	LLVMBuildBr(cg->b, body);
	LLVMPositionBuilderAtEnd(cg->b, body);
	/* -EEXIST from a racing insert with BPF_NOEXIST is not a failure */
	in = LLVMBuildPtrToInt(cg->b, LLVMGetParam(fn, 1), cg->i64, "");
	bad = LLVMBuildAnd(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLT, in, cg_const(cg, 0), ""),
			   LLVMBuildICmp(cg->b, LLVMIntNE, in, cg_const(cg, (uint64_t)-EEXIST), ""),
			   "");
	send = cg_block(cg, "send");
	LLVMBuildCondBr(cg->b, bad, send, cg->exit);
	LLVMPositionBuilderAtEnd(cg->b, send);
	buf = entry_alloca(cg, total);
	LLVMBuildStore(cg->b,
		       LLVMBuildTrunc(cg->b,
				      LLVMBuildPtrToInt(cg->b, LLVMGetParam(fn, 0), cg->i64, ""),
				      cg->i32, ""),
		       buf);
	LLVMBuildStore(cg->b, LLVMConstInt(cg->i32, 0, 0), cg_gep(cg, buf, 4));
	LLVMBuildStore(cg->b, in, cg_gep(cg, buf, (uint32_t)sizeof(struct event_hdr)));
	LLVMBuildStore(cg->b, LLVMBuildPtrToInt(cg->b, LLVMGetParam(fn, 2), cg->i64, ""),
		       cg_gep(cg, buf, (uint32_t)sizeof(struct event_hdr) + 8));
	a[0] = cg->maps[cg->res->ringbuf->id];
	a[1] = buf;
	a[2] = cg_const(cg, total);
	a[3] = cg_const(cg, 0);
	rc = cg_helper(cg, H_RINGBUF_OUTPUT, cg->i64, a, 4);
	lost_event_count(cg, rc);
	LLVMBuildBr(cg->b, cg->exit);

	saved.helper_error_fn = fn;
	saved.nsubprogs = cg->nsubprogs;
	*cg = saved;
	return fn;
}

/* Updates m; when that fails (the map is full: -E2BIG), sends the warning
 * event sema registered on the map node `site` (-EEXIST from a racing insert
 * with BPF_NOEXIST is not a failure). */
static void map_update(struct cg *cg, const struct res_map *m, LLVMValueRef key, LLVMValueRef val,
		       uint64_t flags, const struct ast_node *site)
{
	LLVMValueRef args[4] = {cg->maps[m->id], key, val, cg_const(cg, flags)}, rc, fn, ca[3];
	LLVMBasicBlockRef here;

	rc = cg_helper(cg, H_MAP_UPDATE, cg->i64, args, 4);
	if (!site || !site->sema_id)
		return;
	here = LLVMGetInsertBlock(cg->b);
	fn = helper_error_fn(cg);
	LLVMPositionBuilderAtEnd(cg->b, here);
	cg_object_set_loc(&cg->o, cg->b, cg->fn, (unsigned)site->loc.first_line,
			  (unsigned)site->loc.first_column);
	if (!fn) {
		cg_error(cg, site->loc, "cannot create the map-full report: %s", cg->o.errmsg);
		return;
	}
	/* no branch here: the subprogram checks rc, so the site stays small */
	ca[0] = cg_to_ptr(cg, cg_const(cg, (uint64_t)cg->res->events[site->sema_id - 1]->id));
	ca[1] = cg_to_ptr(cg, rc);
	ca[2] = cg_to_ptr(cg, cg_const(cg, 0));
	LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(fn), fn, ca, 3, "");
}

/* The number of possible CPUs (/sys/devices/system/cpu/possible, "0-N"). */
static uint32_t possible_cpus(void)
{
	static uint32_t n;
	FILE *f;
	char buf[128];
	const char *p;

	if (n)
		return n;
	n = 1;
	f = fopen("/sys/devices/system/cpu/possible", "re");
	if (!f)
		return n;
	if (fgets(buf, sizeof(buf), f)) {
		/* "0-3" or "0-3,8-11": the last number is the highest CPU id */
		p = buf + strlen(buf);
		while (p > buf && (p[-1] < '0' || p[-1] > '9'))
			p--;
		while (p > buf && p[-1] >= '0' && p[-1] <= '9')
			p--;
		n = (uint32_t)atoi(p) + 1;
	}
	fclose(f);
	return n;
}

/* An aggregation's value summed over every CPU, as i64. */
static LLVMValueRef agg_read(struct cg *cg, const struct res_map *m, LLVMValueRef key)
{
	const struct hk_type *vt = m->value;
	LLVMValueRef acc = cg_alloc(cg, m->value_size), idx = entry_alloca(cg, 8), i, args[3], p;
	LLVMBasicBlockRef head = cg_block(cg, "cpus_head"), body = cg_block(cg, "cpus_body"),
			  have = cg_block(cg, "cpus_have"), next = cg_block(cg, "cpus_next"),
			  done = cg_block(cg, "cpus_done");

	cg_zero8(cg, acc, m->value_size);
	LLVMBuildStore(cg->b, cg_const(cg, 0), idx);
	LLVMBuildBr(cg->b, head);
	LLVMPositionBuilderAtEnd(cg->b, head);
	i = LLVMBuildLoad2(cg->b, cg->i64, idx, "");
	LLVMBuildCondBr(cg->b,
			LLVMBuildICmp(cg->b, LLVMIntULT, i, cg_const(cg, possible_cpus()), ""),
			body, done);
	LLVMPositionBuilderAtEnd(cg->b, body);
	args[0] = cg->maps[m->id];
	args[1] = key;
	args[2] = i;
	p = cg_helper(cg, H_MAP_LOOKUP_PERCPU, cg->ptr, args, 3);
	LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, p, ""), next, have);
	LLVMPositionBuilderAtEnd(cg->b, have);
	vt->agg->lower_combine(cg, vt, acc, p);
	LLVMBuildBr(cg->b, next);
	LLVMPositionBuilderAtEnd(cg->b, next);
	LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, i, cg_const(cg, 1), ""), idx);
	LLVMBuildBr(cg->b, head);
	LLVMPositionBuilderAtEnd(cg->b, done);
	return vt->agg->lower_result(cg, vt, acc);
}

/* Reads @m[key]: the value, or zero when the key is absent. */
static LLVMValueRef map_read(struct cg *cg, struct ast_node *n)
{
	const struct res_map *m = n->sema_map;
	LLVMValueRef key = map_key(cg, m, n->lhs, NULL);
	LLVMValueRef p, res;
	LLVMBasicBlockRef found, done;
	const struct hk_type *vt = m->value;

	if (vt->kind == TY_AGG)
		return agg_read(cg, m, key);
	p = map_lookup(cg, m, key);
	found = cg_block(cg, "found");
	done = cg_block(cg, "done");
	res = cg_alloc(cg, vt->size);
	cg_zero8(cg, res, vt->size);
	LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, p, ""), done, found);
	LLVMPositionBuilderAtEnd(cg->b, found);
	cg_copy8(cg, res, p, vt->size);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
	return cg_load(cg, res, vt);
}

/* @m[k] = aggregation(args): update this CPU's value in place, inserting a
 * zeroed value first when the key is new. */
static void map_aggregate(struct cg *cg, struct ast_node *lhs, struct ast_node *call)
{
	const struct res_map *m = lhs->sema_map;
	const struct agg_ops *agg = m->agg;
	LLVMValueRef args[8] = {0}, key, p, bucket = NULL, zero;
	LLVMBasicBlockRef miss, have, fail;
	struct ast_node *a;
	int i = 0;

	for (a = call->body; a && i < 8; a = a->next, i++)
		args[i] = ty_is_scalar(a->type) ? cg_expr(cg, a) : NULL;
	if (agg->bucketed)
		bucket = agg->lower_bucket(cg, call, args);
	key = map_key(cg, m, lhs->lhs, bucket);
	p = map_lookup(cg, m, key);
	miss = cg_block(cg, "agg_new");
	have = cg_block(cg, "agg_have");
	fail = cg_block(cg, "agg_fail");
	{
		LLVMBasicBlockRef cur = LLVMGetInsertBlock(cg->b);
		LLVMValueRef ptr_slot;

		(void)cur;
		ptr_slot = entry_alloca(cg, 8);
		LLVMBuildStore(cg->b, p, ptr_slot);
		LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, p, ""), miss, have);
		LLVMPositionBuilderAtEnd(cg->b, miss);
		zero = cg_alloc(cg, m->value_size);
		cg_zero8(cg, zero, m->value_size);
		map_update(cg, m, key, zero, BPF_NOEXIST, lhs);
		p = map_lookup(cg, m, key);
		LLVMBuildStore(cg->b, p, ptr_slot);
		LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, p, ""), fail, have);
		LLVMPositionBuilderAtEnd(cg->b, have);
		p = LLVMBuildLoad2(cg->b, cg->ptr, ptr_slot, "");
		agg->lower_update(cg, call, p, args);
		LLVMBuildBr(cg->b, fail);
		LLVMPositionBuilderAtEnd(cg->b, fail);
	}
}

static void map_store(struct cg *cg, struct ast_node *lhs, LLVMValueRef v,
		      const struct hk_type *from)
{
	const struct res_map *m = lhs->sema_map;
	LLVMValueRef key = map_key(cg, m, lhs->lhs, NULL);
	LLVMValueRef val = cg_alloc(cg, m->value_size);

	cg_store(cg, val, m->value, v, from);
	map_update(cg, m, key, val, BPF_ANY, lhs);
}

/* ---- variables ---------------------------------------------------------------------- */

static LLVMValueRef var_slot(struct cg *cg, struct scope_var *v);

LLVMValueRef cg_var_slot(struct cg *cg, struct scope_var *v)
{
	return var_slot(cg, v);
}

static LLVMValueRef var_slot(struct cg *cg, struct scope_var *v)
{
	if (v->id >= cg->nvars) {
		int n = v->id + 16;
		LLVMValueRef *nv = ARENA_NEWN(cg->arena, LLVMValueRef, n);
		uint32_t *no = ARENA_NEWN(cg->arena, uint32_t, n);

		if (cg->nvars) {
			memcpy(nv, cg->vars, sizeof(*nv) * (size_t)cg->nvars);
			memcpy(no, cg->var_off, sizeof(*no) * (size_t)cg->nvars);
		}
		cg->vars = nv;
		cg->var_off = no;
		cg->nvars = n;
	}
	if (cg->vars_in_scratch) {
		if (!cg->var_off[v->id]) {
			uint32_t sz = v->type ? v->type->size : 8;

			cg->var_off[v->id] = cg->scratch_off + 1;
			cg->scratch_off += (sz + 7) & ~7u;
			if (cg->scratch_off > cg->scratch_size)
				cg->scratch_size = cg->scratch_off;
		}
		return cg_gep(cg, scratch_base(cg), cg->var_off[v->id] - 1);
	}
	if (!cg->vars[v->id]) {
		uint32_t sz = v->type ? v->type->size : 8;

		cg->vars[v->id] = sz <= CG_STACK_LIMIT ? entry_alloca(cg, sz) : cg_scratch(cg, sz);
	}
	return cg->vars[v->id];
}

/* ---- expressions ------------------------------------------------------------------------- */

static bool is_signed(const struct hk_type *t)
{
	return t && t->kind == TY_INT && t->is_signed;
}

static LLVMValueRef cg_str_literal(struct cg *cg, const char *s, uint32_t len)
{
	LLVMValueRef p = cg_alloc(cg, len + 1), st;
	uint32_t i;

	for (i = 0; i + 8 <= len + 1; i += 8) {
		uint64_t w = 0;

		memcpy(&w, s + i, 8 <= len + 1 - i ? 8 : len + 1 - i);
		st = LLVMBuildStore(cg->b, cg_const(cg, w), cg_gep(cg, p, i));
		LLVMSetAlignment(st, 8);
		/* long literals of one repeated byte would become a memset call */
		if (len > 8 * CG_INLINE_UNITS)
			LLVMSetVolatile(st, 1);
	}
	for (; i < len + 1; i++)
		LLVMBuildStore(cg->b, LLVMConstInt(cg->i8, i < len ? (unsigned char)s[i] : 0, 0),
			       cg_gep(cg, p, i));
	return p;
}

LLVMValueRef cg_bytes_cmp(struct cg *cg, LLVMValueRef a, LLVMValueRef b, uint32_t n, bool nul_ends,
			  LLVMValueRef *idx_out)
{
	LLVMValueRef res = entry_alloca(cg, 8), idx = entry_alloca(cg, 8), i, ca, cb, g;
	LLVMBasicBlockRef head = cg_block(cg, "cmp_head"), body = cg_block(cg, "cmp_body"),
			  diff = cg_block(cg, "cmp_diff"), next = cg_block(cg, "cmp_next"),
			  done = cg_block(cg, "cmp_done");

	LLVMBuildStore(cg->b, cg_const(cg, 0), res);
	LLVMBuildStore(cg->b, cg_const(cg, 0), idx);
	LLVMBuildBr(cg->b, head);
	LLVMPositionBuilderAtEnd(cg->b, head);
	i = LLVMBuildLoad2(cg->b, cg->i64, idx, "");
	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntULT, i, cg_const(cg, n), ""), body,
			done);
	LLVMPositionBuilderAtEnd(cg->b, body);
	g = LLVMBuildGEP2(cg->b, cg->i8, a, &i, 1, "");
	ca = LLVMBuildZExt(cg->b, LLVMBuildLoad2(cg->b, cg->i8, g, ""), cg->i64, "");
	g = LLVMBuildGEP2(cg->b, cg->i8, b, &i, 1, "");
	cb = LLVMBuildZExt(cg->b, LLVMBuildLoad2(cg->b, cg->i8, g, ""), cg->i64, "");
	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntNE, ca, cb, ""), diff, next);
	LLVMPositionBuilderAtEnd(cg->b, diff);
	LLVMBuildStore(cg->b, LLVMBuildSub(cg->b, ca, cb, ""), res);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, next);
	LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, i, cg_const(cg, 1), ""), idx);
	if (nul_ends)
		LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, ca, cg_const(cg, 0), ""),
				done, head);
	else
		LLVMBuildBr(cg->b, head);
	LLVMPositionBuilderAtEnd(cg->b, done);
	if (idx_out)
		*idx_out = idx;
	return res;
}

/* Compares two strings (up to the shorter buffer or a NUL): i64 <0, 0, >0. */
static LLVMValueRef cg_strcmp(struct cg *cg, LLVMValueRef a, uint32_t asz, LLVMValueRef b,
			      uint32_t bsz)
{
	uint32_t n = asz < bsz ? asz : bsz;
	LLVMValueRef idx, res = cg_bytes_cmp(cg, a, b, n, true, &idx);

	if (asz != bsz) {
		/* Equal over the shorter buffer: the longer one must end there. */
		LLVMValueRef r = LLVMBuildLoad2(cg->b, cg->i64, res, ""), longer, c, fin;
		LLVMBasicBlockRef chk = cg_block(cg, "scmp_len"), out = cg_block(cg, "scmp_out");

		LLVMBuildCondBr(
			cg->b,
			LLVMBuildAnd(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, r, cg_const(cg, 0), ""),
				     LLVMBuildICmp(cg->b, LLVMIntEQ,
						   LLVMBuildLoad2(cg->b, cg->i64, idx, ""),
						   cg_const(cg, n), ""),
				     ""),
			chk, out);
		LLVMPositionBuilderAtEnd(cg->b, chk);
		longer = asz > bsz ? a : b;
		c = LLVMBuildZExt(cg->b, LLVMBuildLoad2(cg->b, cg->i8, cg_gep(cg, longer, n), ""),
				  cg->i64, "");
		fin = asz > bsz ? c : LLVMBuildSub(cg->b, cg_const(cg, 0), c, "");
		LLVMBuildStore(cg->b, fin, res);
		LLVMBuildBr(cg->b, out);
		LLVMPositionBuilderAtEnd(cg->b, out);
	}
	return LLVMBuildLoad2(cg->b, cg->i64, res, "");
}

static LLVMValueRef bool_i64(struct cg *cg, LLVMValueRef i1)
{
	return LLVMBuildZExt(cg->b, i1, cg->i64, "");
}

static LLVMValueRef truthy(struct cg *cg, LLVMValueRef v)
{
	return LLVMBuildICmp(cg->b, LLVMIntNE, v, cg_const(cg, 0), "");
}

/* Signed division and remainder (C semantics: truncation toward zero, the
 * remainder has the dividend's sign) through unsigned operations: BPF before
 * cpu v4 has no signed division. */
static LLVMValueRef sdiv(struct cg *cg, LLVMValueRef l, LLVMValueRef r, bool rem)
{
	LLVMValueRef zero = cg_const(cg, 0);
	LLVMValueRef ln = LLVMBuildICmp(cg->b, LLVMIntSLT, l, zero, "");
	LLVMValueRef rn = LLVMBuildICmp(cg->b, LLVMIntSLT, r, zero, "");
	LLVMValueRef la = LLVMBuildSelect(cg->b, ln, LLVMBuildNeg(cg->b, l, ""), l, "");
	LLVMValueRef ra = LLVMBuildSelect(cg->b, rn, LLVMBuildNeg(cg->b, r, ""), r, "");
	LLVMValueRef q;

	if (rem) {
		q = LLVMBuildURem(cg->b, la, ra, "");
		return LLVMBuildSelect(cg->b, ln, LLVMBuildNeg(cg->b, q, ""), q, "");
	}
	q = LLVMBuildUDiv(cg->b, la, ra, "");
	return LLVMBuildSelect(cg->b, LLVMBuildXor(cg->b, ln, rn, ""), LLVMBuildNeg(cg->b, q, ""),
			       q, "");
}

LLVMValueRef cg_arith(struct cg *cg, int op, LLVMValueRef l, LLVMValueRef r, bool sgn)
{
	switch (op) {
	case '+':
		return LLVMBuildAdd(cg->b, l, r, "");
	case '-':
		return LLVMBuildSub(cg->b, l, r, "");
	case '*':
		return LLVMBuildMul(cg->b, l, r, "");
	case '/': {
		/* x / 0 is 0 (as the BPF instruction does); avoid LLVM's UB. */
		LLVMValueRef z = LLVMBuildICmp(cg->b, LLVMIntEQ, r, cg_const(cg, 0), "");
		LLVMValueRef safe = LLVMBuildSelect(cg->b, z, cg_const(cg, 1), r, "");
		LLVMValueRef q = sgn ? sdiv(cg, l, safe, false) : LLVMBuildUDiv(cg->b, l, safe, "");

		return LLVMBuildSelect(cg->b, z, cg_const(cg, 0), q, "");
	}
	case '%': {
		LLVMValueRef z = LLVMBuildICmp(cg->b, LLVMIntEQ, r, cg_const(cg, 0), "");
		LLVMValueRef safe = LLVMBuildSelect(cg->b, z, cg_const(cg, 1), r, "");
		LLVMValueRef q = sgn ? sdiv(cg, l, safe, true) : LLVMBuildURem(cg->b, l, safe, "");

		return LLVMBuildSelect(cg->b, z, cg_const(cg, 0), q, ""); /* x % 0 is 0 */
	}
	case '&':
		return LLVMBuildAnd(cg->b, l, r, "");
	case '|':
		return LLVMBuildOr(cg->b, l, r, "");
	case '^':
		return LLVMBuildXor(cg->b, l, r, "");
	case TOK_SHL:
	case TOK_SHR: {
		/* shifting by 64 or more shifts everything out (as bpftrace 0.17 does):
		 * 0, or -1 for a negative signed value shifted right */
		LLVMValueRef big = LLVMBuildICmp(cg->b, LLVMIntUGT, r, cg_const(cg, 63), "");
		LLVMValueRef c = LLVMBuildAnd(cg->b, r, cg_const(cg, 63), ""), v, out;

		if (op == TOK_SHL) {
			v = LLVMBuildShl(cg->b, l, c, "");
			out = cg_const(cg, 0);
		} else if (sgn) {
			v = LLVMBuildAShr(cg->b, l, c, "");
			out = LLVMBuildAShr(cg->b, l, cg_const(cg, 63), "");
		} else {
			v = LLVMBuildLShr(cg->b, l, c, "");
			out = cg_const(cg, 0);
		}
		return LLVMBuildSelect(cg->b, big, out, v, "");
	}
	}
	return cg_const(cg, 0);
}

/* Whether two tuples (pointers l and r, types checked by sema) are equal,
 * field by field, as an i1. */
static LLVMValueRef tuple_eq(struct cg *cg, LLVMValueRef l, const struct hk_type *lt,
			     LLVMValueRef r, const struct hk_type *rt)
{
	LLVMValueRef all = LLVMConstInt(LLVMInt1TypeInContext(cg->o.ctx), 1, 0), eq;
	int i;

	for (i = 0; i < lt->nfields; i++) {
		const struct hk_type *a = lt->fields[i].type, *b = rt->fields[i].type;
		LLVMValueRef pa = cg_gep(cg, l, lt->fields[i].offset);
		LLVMValueRef pb = cg_gep(cg, r, rt->fields[i].offset);

		if (a->kind == TY_TUPLE) {
			eq = tuple_eq(cg, pa, a, pb, b);
		} else if (a->kind == TY_STRING) {
			eq = LLVMBuildICmp(cg->b, LLVMIntEQ,
					   cg_strcmp(cg, pa, a->size, pb, b->size), cg_const(cg, 0),
					   "");
		} else {
			eq = LLVMBuildICmp(cg->b, LLVMIntEQ, cg_to_i64(cg, cg_load(cg, pa, a), a),
					   cg_to_i64(cg, cg_load(cg, pb, b), b), "");
		}
		all = LLVMBuildAnd(cg->b, all, eq, "");
	}
	return all;
}

static LLVMValueRef cg_binop(struct cg *cg, struct ast_node *n)
{
	const struct hk_type *lt = n->lhs->type, *rt = n->rhs->type;
	/* as bpftrace: a comparison is signed only when both sides are */
	bool sgn = is_signed(lt) && is_signed(rt);
	LLVMValueRef l, r;
	LLVMIntPredicate pred;

	if (n->op == TOK_LAND || n->op == TOK_LOR) {
		LLVMBasicBlockRef rhs_bb = cg_block(cg, "logic_rhs"),
				  done = cg_block(cg, "logic_done");
		LLVMValueRef res = entry_alloca(cg, 8);

		l = truthy(cg, cg_expr(cg, n->lhs));
		LLVMBuildStore(cg->b, bool_i64(cg, l), res);
		if (n->op == TOK_LAND)
			LLVMBuildCondBr(cg->b, l, rhs_bb, done);
		else
			LLVMBuildCondBr(cg->b, l, done, rhs_bb);
		LLVMPositionBuilderAtEnd(cg->b, rhs_bb);
		r = truthy(cg, cg_expr(cg, n->rhs));
		LLVMBuildStore(cg->b, bool_i64(cg, r), res);
		LLVMBuildBr(cg->b, done);
		LLVMPositionBuilderAtEnd(cg->b, done);
		return LLVMBuildLoad2(cg->b, cg->i64, res, "");
	}
	l = cg_expr(cg, n->lhs);
	r = cg_expr(cg, n->rhs);
	if (lt->kind == TY_TUPLE && rt->kind == TY_TUPLE) {
		LLVMValueRef eq = tuple_eq(cg, l, lt, r, rt);

		return bool_i64(cg, n->op == TOK_NE ? LLVMBuildNot(cg->b, eq, "") : eq);
	}
	if (lt->kind == TY_STRING && rt->kind == TY_STRING) {
		LLVMValueRef c = cg_strcmp(cg, l, lt->size, r, rt->size);

		l = c;
		r = cg_const(cg, 0);
		sgn = true;
	} else if (lt->kind == TY_PTR && (n->op == '+' || n->op == '-') && ty_is_int(rt)) {
		uint32_t esz = lt->elem && lt->elem->size ? lt->elem->size : 1;

		r = LLVMBuildMul(cg->b, r, cg_const(cg, esz), "");
		return cg_arith(cg, n->op, l, r, false);
	}
	switch (n->op) {
	case TOK_EQ:
		pred = LLVMIntEQ;
		break;
	case TOK_NE:
		pred = LLVMIntNE;
		break;
	case '<':
		pred = sgn ? LLVMIntSLT : LLVMIntULT;
		break;
	case '>':
		pred = sgn ? LLVMIntSGT : LLVMIntUGT;
		break;
	case TOK_LE:
		pred = sgn ? LLVMIntSLE : LLVMIntULE;
		break;
	case TOK_GE:
		pred = sgn ? LLVMIntSGE : LLVMIntUGE;
		break;
	default:
		return cg_arith(cg, n->op, l, r,
				is_signed(lt) && (is_signed(rt) || n->op == TOK_SHR));
	}
	return bool_i64(cg, LLVMBuildICmp(cg->b, pred, l, r, ""));
}

/* Address of an lvalue-ish operand for ++/--/compound assignment. */
static LLVMValueRef cg_update(struct cg *cg, struct ast_node *lhs, int op, LLVMValueRef rhs,
			      bool return_old)
{
	LLVMValueRef old, nv;
	const struct hk_type *t = lhs->type;

	if (lhs->kind == AST_VAR) {
		LLVMValueRef slot = var_slot(cg, lhs->sema_var);

		old = cg_load(cg, slot, lhs->sema_var->type);
		nv = cg_arith(cg, op, old, rhs, is_signed(t));
		cg_store(cg, slot, lhs->sema_var->type, nv, &ty_s64);
	} else {
		old = map_read(cg, lhs);
		nv = cg_arith(cg, op, old, rhs, is_signed(t));
		map_store(cg, lhs, nv, &ty_s64);
	}
	return return_old ? old : nv;
}

/* A bitfield's value from the bytes of its storage unit at buf. */
static LLVMValueRef bitfield(struct cg *cg, LLVMValueRef buf, const struct ty_field *f)
{
	LLVMValueRef v = cg_load(cg, buf, ty_int((int)f->type->size, false));
	unsigned lo = 64u - f->bit_size - f->bit_offset;

	/* move the field to the top bits, then back down with its sign */
	v = LLVMBuildShl(cg->b, v, cg_const(cg, lo), "");
	v = f->type->is_signed ? LLVMBuildAShr(cg->b, v, cg_const(cg, 64u - f->bit_size), "")
			       : LLVMBuildLShr(cg->b, v, cg_const(cg, 64u - f->bit_size), "");
	return v;
}

static LLVMValueRef cg_field(struct cg *cg, struct ast_node *n)
{
	const struct hk_type *bt = n->lhs->type, *st;
	const struct ty_field *f;
	LLVMValueRef base = cg_expr(cg, n->lhs), addr;

	if (bt->kind == TY_TUPLE && n->is_count) {
		f = &bt->fields[n->ival];
		return cg_load(cg, cg_gep(cg, base, f->offset), f->type);
	}
	st = bt->kind == TY_PTR ? bt->elem : bt;
	f = ty_field_find(st, n->name);
	if (!f)
		return cg_const(cg, 0);
	if (bt->kind != TY_PTR && f->bit_size) {
		/* the storage unit need not be aligned in the struct: copy it out */
		LLVMValueRef tmp = cg_alloc(cg, 8);

		cg_zero(cg, tmp, 8);
		cg_copy(cg, tmp, cg_gep(cg, base, f->offset), f->type->size);
		return bitfield(cg, tmp, f);
	}
	if (bt->kind != TY_PTR)
		return cg_load(cg, cg_gep(cg, base, f->offset), f->type);
	addr = LLVMBuildAdd(cg->b, base, cg_const(cg, f->offset), "");
	if (st->is_ctx) {
		/* The probe context is read directly at a constant offset. */
		LLVMValueRef p = cg_gep(cg, cg->ctx, f->offset), v;

		if (f->type->data_loc) {
			LLVMValueRef dl, off, buf, src;

			dl = LLVMBuildLoad2(cg->b, cg->i32, p, "");
			off = LLVMBuildZExt(
				cg->b,
				LLVMBuildAnd(cg->b, dl, LLVMConstInt(cg->i32, 0xffff, 0), ""),
				cg->i64, "");
			src = LLVMBuildGEP2(cg->b, cg->i8, cg->ctx, &off, 1, "");
			buf = cg_scratch(cg, f->type->size);
			cg_zero8(cg, buf, f->type->size);
			cg_probe_read(cg, buf, cg_const(cg, f->type->size), src, AS_KERNEL, true);
			return buf;
		}
		if (!ty_is_scalar(f->type) || (f->type->kind == TY_PTR && cg->probe &&
					       cg->probe->prog_type == BPF_PROG_TYPE_TRACING)) {
			/* the verifier allows only scalar loads at fixed offsets from the
			 * context: arrays are read like any kernel memory. So are the
			 * pointers of tracing contexts (fentry args, iterator ctx):
			 * loaded directly they are BTF pointers that may be NULL, on
			 * which the verifier allows no arithmetic; read, plain values. */
			LLVMValueRef buf = cg_alloc(cg, f->type->size);

			cg_probe_read(cg, buf, cg_const(cg, f->type->size), p, AS_KERNEL, false);
			return ty_is_scalar(f->type) ? cg_load(cg, buf, f->type) : buf;
		}
		v = LLVMBuildLoad2(cg->b, int_type(cg, f->type->size), p, "");
		/* the record's own layout decides (kernel fields are naturally aligned) */
		LLVMSetAlignment(v,
				 f->offset % natural_align(f->type) ? 1 : natural_align(f->type));
		return cg_to_i64(cg, v, f->type);
	}
	{
		LLVMValueRef buf = cg_alloc(cg, f->type->size);

		cg_zero(cg, buf, f->type->size);
		cg_probe_read(cg, buf, cg_const(cg, f->type->size), addr, bt->as, false);
		if (f->bit_size)
			return bitfield(cg, buf, f);
		return cg_load(cg, buf, f->type);
	}
}

/* x[i] (typed by sema's check_index): a tuple field, an element read through
 * a pointer, or a character/element of a string/array held in BPF memory
 * (0 when a computed index is out of range). */
static LLVMValueRef cg_index(struct cg *cg, struct ast_node *n)
{
	const struct hk_type *t = n->lhs->type, *et = n->type;
	LLVMValueRef base = cg_expr(cg, n->lhs), idx, res, p;
	LLVMBasicBlockRef rd, done;
	uint32_t esz = et->size, count;

	if (t->kind == TY_TUPLE) {
		const struct ty_field *f = &t->fields[n->ival];

		return cg_load(cg, cg_gep(cg, base, f->offset), f->type);
	}
	idx = n->sema_id ? cg_const(cg, (uint64_t)n->ival) : cg_expr(cg, n->rhs);
	res = cg_alloc(cg, esz);
	cg_zero(cg, res, esz);
	if (t->kind == TY_PTR) {
		p = LLVMBuildAdd(cg->b, base, LLVMBuildMul(cg->b, idx, cg_const(cg, esz), ""), "");
		cg_probe_read(cg, res, cg_const(cg, esz), p, t->as, false);
		return cg_load(cg, res, et);
	}
	if (n->sema_id) {
		cg_copy(cg, res, cg_gep(cg, base, (uint32_t)n->ival * esz), esz);
		return cg_load(cg, res, et);
	}
	count = t->kind == TY_STRING ? t->size : t->count;
	rd = cg_block(cg, "index_in");
	done = cg_block(cg, "index_done");
	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntULT, idx, cg_const(cg, count), ""), rd,
			done);
	LLVMPositionBuilderAtEnd(cg->b, rd);
	idx = LLVMBuildMul(cg->b, idx, cg_const(cg, esz), "");
	p = LLVMBuildGEP2(cg->b, cg->i8, base, &idx, 1, "");
	cg_copy(cg, res, p, esz);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
	return cg_load(cg, res, et);
}

static LLVMValueRef cg_ternary(struct cg *cg, struct ast_node *n)
{
	LLVMBasicBlockRef tb = cg_block(cg, "tern_then"), eb = cg_block(cg, "tern_else"),
			  done = cg_block(cg, "tern_done");
	const struct hk_type *t = n->type;
	bool scalar = ty_is_scalar(t);
	LLVMValueRef res = scalar ? entry_alloca(cg, 8) : cg_alloc(cg, t->size), c, v;

	c = cg_expr(cg, n->cond);
	if (!n->then)
		LLVMBuildStore(cg->b, c, res);
	LLVMBuildCondBr(cg->b, truthy(cg, c), tb, eb);
	LLVMPositionBuilderAtEnd(cg->b, tb);
	if (n->then) {
		v = cg_expr(cg, n->then);
		if (scalar)
			LLVMBuildStore(cg->b, v, res);
		else
			cg_store(cg, res, t, v, n->then->type);
	}
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, eb);
	v = cg_expr(cg, n->els);
	if (scalar)
		LLVMBuildStore(cg->b, v, res);
	else
		cg_store(cg, res, t, v, n->els->type);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
	return scalar ? LLVMBuildLoad2(cg->b, cg->i64, res, "") : res;
}

/* `if (c) { a } else { b }` as a value: like ?: with blocks. */
static LLVMValueRef cg_if_expr(struct cg *cg, struct ast_node *n)
{
	LLVMBasicBlockRef tb, eb, done;
	const struct hk_type *t = n->type;
	bool scalar = ty_is_scalar(t);
	LLVMValueRef res, v;
	struct ast_node *arm[2] = {n->then, n->els};
	LLVMBasicBlockRef bb[2];
	int i;

	if (n->sema_id == 1 || n->sema_id == 2) /* known when compiling (sema) */
		return cg_expr(cg, arm[n->sema_id - 1]);
	tb = cg_block(cg, "ifx_then");
	eb = cg_block(cg, "ifx_else");
	done = cg_block(cg, "ifx_done");
	res = scalar ? entry_alloca(cg, 8) : cg_alloc(cg, t->size);
	bb[0] = tb;
	bb[1] = eb;
	LLVMBuildCondBr(cg->b, truthy(cg, cg_expr(cg, n->cond)), tb, eb);
	for (i = 0; i < 2; i++) {
		LLVMPositionBuilderAtEnd(cg->b, bb[i]);
		v = cg_expr(cg, arm[i]);
		if (scalar)
			LLVMBuildStore(cg->b, cg_to_i64(cg, v, arm[i]->type), res);
		else
			cg_store(cg, res, t, v, arm[i]->type);
		LLVMBuildBr(cg->b, done);
	}
	LLVMPositionBuilderAtEnd(cg->b, done);
	return scalar ? LLVMBuildLoad2(cg->b, cg->i64, res, "") : res;
}

LLVMValueRef cg_expr(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef v;

	switch (n->kind) {
	case AST_INT:
	case AST_BOOL:
		return cg_const(cg, n->is_unsigned ? n->uval : (uint64_t)n->ival);
	case AST_STR:
		return cg_str_literal(cg, n->str, n->slen);
	case AST_POSITIONAL:
		if (n->is_count || ty_is_int(n->type))
			return cg_const(cg, (uint64_t)(intptr_t)n->sema_data);
		return cg_str_literal(cg, n->sema_data, n->type->size - 1);
	case AST_VAR:
		return cg_load(cg, var_slot(cg, n->sema_var), n->sema_var->type);
	case AST_MAP:
		return map_read(cg, n);
	case AST_IDENT:
		if (n->sema_builtin)
			return n->sema_builtin->lower(cg, n);
		return cg->probe->ops->lower_ident(cg, cg->probe, n);
	case AST_CALL:
		if (!n->sema_builtin)
			return cg_fn_call(cg, n);
		v = n->sema_builtin->lower(cg, n);
		return v ? v : cg_const(cg, 0);
	case AST_BINOP:
		return cg_binop(cg, n);
	case AST_UNOP:
		if (n->op == '&')
			return LLVMBuildPtrToInt(cg->b, var_slot(cg, n->lhs->sema_var), cg->i64,
						 "");
		v = cg_expr(cg, n->lhs);
		switch (n->op) {
		case '-':
			return LLVMBuildNeg(cg->b, v, "");
		case '~':
			return LLVMBuildNot(cg->b, v, "");
		case '!':
			return bool_i64(cg,
					LLVMBuildICmp(cg->b, LLVMIntEQ, v, cg_const(cg, 0), ""));
		case '*': {
			LLVMValueRef buf = cg_alloc(cg, n->type->size);

			cg_zero(cg, buf, n->type->size);
			cg_probe_read(cg, buf, cg_const(cg, n->type->size), v, n->lhs->type->as,
				      false);
			return cg_load(cg, buf, n->type);
		}
		}
		return v;
	case AST_INCDEC: {
		/* a pointer steps over one element */
		const struct hk_type *e = n->type->kind == TY_PTR ? n->type->elem : NULL;

		return cg_update(cg, n->lhs, n->op == TOK_INC ? '+' : '-',
				 cg_const(cg, e && e->size ? e->size : 1), n->is_post);
	}
	case AST_TERNARY:
		return cg_ternary(cg, n);
	case AST_FIELD:
	case AST_ARROW:
		return cg_field(cg, n);
	case AST_CAST:
		if (n->type->kind == TY_ARRAY) {
			/* an integer's low bytes as an array */
			LLVMValueRef p = cg_alloc(cg, 8);

			cg_store(cg, p, &ty_u64, cg_to_i64(cg, cg_expr(cg, n->lhs), n->lhs->type),
				 &ty_u64);
			return p;
		}
		if (n->lhs->type->kind == TY_ARRAY) /* an array's bytes as an integer */
			return cg_to_i64(cg, cg_load(cg, cg_expr(cg, n->lhs), n->type), n->type);
		v = cg_to_i64(cg, cg_expr(cg, n->lhs), n->lhs->type);
		if (n->type->kind == TY_BOOL)
			return bool_i64(cg, truthy(cg, v));
		if (n->type->size < 8)
			v = cg_to_i64(cg, LLVMBuildTrunc(cg->b, v, int_type(cg, n->type->size), ""),
				      n->type);
		return v;
	case AST_TUPLE:
	case AST_RECORD: {
		LLVMValueRef p = cg_alloc(cg, n->type->size);
		struct ast_node *e;
		int i = 0;

		cg_zero8(cg, p, n->type->size);
		for (e = n->body; e; e = e->next, i++) {
			struct ast_node *val = n->kind == AST_RECORD ? e->rhs : e;
			const struct ty_field *f = &n->type->fields[i];

			cg_store(cg, cg_gep(cg, p, f->offset), f->type, cg_expr(cg, val),
				 val->type);
		}
		return p;
	}
	case AST_INDEX:
		return cg_index(cg, n);
	case AST_SIZEOF:
	case AST_OFFSETOF:
		return cg_const(cg, (uint64_t)(uintptr_t)n->sema_data);
	case AST_BLOCK: {
		struct ast_node *st;

		for (st = n->body; st && st->next; st = st->next)
			cg_stmt(cg, st);
		return st ? cg_expr(cg, st->lhs) : cg_const(cg, 0);
	}
	case AST_IF:
		return cg_if_expr(cg, n);
	default:
		cg_error(cg, n->loc, "cannot generate code for %s", ast_kind_name(n->kind));
		return cg_const(cg, 0);
	}
}

/* ---- statements ------------------------------------------------------------------------- */

static void cg_if(struct cg *cg, struct ast_node *n)
{
	LLVMBasicBlockRef tb, eb, done;

	if (n->sema_id == 1 || n->sema_id == 2) {
		/* the condition was known when compiling (sema): only the live branch */
		struct ast_node *live = n->sema_id == 1 ? n->then : n->els;

		if (live && live->kind == AST_IF)
			cg_if(cg, live);
		else if (live)
			cg_block_stmts(cg, live);
		return;
	}
	tb = cg_block(cg, "if_then");
	eb = n->els ? cg_block(cg, "if_else") : NULL;
	done = cg_block(cg, "if_done");
	LLVMBuildCondBr(cg->b, truthy(cg, cg_expr(cg, n->cond)), tb, eb ? eb : done);
	LLVMPositionBuilderAtEnd(cg->b, tb);
	cg_block_stmts(cg, n->then);
	LLVMBuildBr(cg->b, done);
	if (eb) {
		LLVMPositionBuilderAtEnd(cg->b, eb);
		if (n->els->kind == AST_IF)
			cg_if(cg, n->els);
		else
			cg_block_stmts(cg, n->els);
		LLVMBuildBr(cg->b, done);
	}
	LLVMPositionBuilderAtEnd(cg->b, done);
}

static void cg_loop(struct cg *cg, struct ast_node *n)
{
	LLVMBasicBlockRef head = cg_block(cg, "loop_head"), body = cg_block(cg, "loop_body"),
			  step = cg_block(cg, "loop_step"), done = cg_block(cg, "loop_done");
	LLVMValueRef slot = NULL, hi = NULL;

	if (cg->nloops >= CG_MAX_LOOPS) {
		cg_error(cg, n->loc, "loops are nested too deeply");
		return;
	}
	if (n->kind == AST_FOR_RANGE) {
		/* The counter lives on the stack, apart from $i (which may live
		 * in the scratch map, whose contents the verifier does not
		 * track: it would see no progress and call the loop infinite);
		 * $i gets a copy at the top of each iteration, so assigning to
		 * it in the body does not change the iteration. */
		slot = entry_alloca(cg, 8);
		LLVMBuildStore(cg->b, cg_expr(cg, n->cond), slot);
		hi = cg_expr(cg, n->rhs);
	}
	LLVMBuildBr(cg->b, head);
	LLVMPositionBuilderAtEnd(cg->b, head);
	if (n->kind == AST_WHILE)
		LLVMBuildCondBr(cg->b, truthy(cg, cg_expr(cg, n->cond)), body, done);
	else
		LLVMBuildCondBr(cg->b,
				LLVMBuildICmp(cg->b, LLVMIntSLT,
					      LLVMBuildLoad2(cg->b, cg->i64, slot, ""), hi, ""),
				body, done);
	LLVMPositionBuilderAtEnd(cg->b, body);
	if (slot)
		LLVMBuildStore(cg->b, LLVMBuildLoad2(cg->b, cg->i64, slot, ""),
			       var_slot(cg, n->lhs->sema_var));
	cg->brk[cg->nloops] = done;
	cg->cont[cg->nloops] = step;
	cg->nloops++;
	cg_block_stmts(cg, n->then);
	cg->nloops--;
	LLVMBuildBr(cg->b, step);
	LLVMPositionBuilderAtEnd(cg->b, step);
	if (slot)
		LLVMBuildStore(cg->b,
			       LLVMBuildAdd(cg->b, LLVMBuildLoad2(cg->b, cg->i64, slot, ""),
					    cg_const(cg, 1), ""),
			       slot);
	LLVMBuildBr(cg->b, head);
	LLVMPositionBuilderAtEnd(cg->b, done);
}

/* Does the subtree contain a node of this kind? */
static bool ast_has(const struct ast_node *n, enum ast_kind kind)
{
	for (; n; n = n->next) {
		if (n->kind == kind)
			return true;
		if (ast_has(n->lhs, kind) || ast_has(n->rhs, kind) || ast_has(n->cond, kind) ||
		    ast_has(n->then, kind) || ast_has(n->els, kind) || ast_has(n->body, kind) ||
		    ast_has(n->pred, kind))
			return true;
	}
	return false;
}

/* `for ($kv : @m) body`: the body becomes a static callback
 *   i64 cb(map, key, value, ctx)  (0: go on, 1: stop)
 * run by bpf_for_each_map_elem. Variables live in scratch in such probes, so
 * the callback reaches the same ones; the probe context does not cross. */
static void cg_for_map(struct cg *cg, struct ast_node *n)
{
	const struct res_map *m = n->rhs->sema_map;
	const struct hk_type *kv = n->lhs->sema_var->type;
	struct cg saved = *cg;
	LLVMBasicBlockRef body, stop, caller_bb = LLVMGetInsertBlock(cg->b);
	LLVMValueRef cb, slot, args[4];
	char name[96];

	snprintf(name, sizeof(name), "%.60s_loop%d", cg->probe->prog_name, cg->nsubprogs++);
	cb = cg_object_subprog(&cg->o, name, 4);
	if (!cb) {
		cg_error(cg, n->loc, "cannot create the loop body: %s", cg->o.errmsg);
		return;
	}
	cg->fn = cb;
	cg->ctx = NULL;
	cg->scratch = NULL;
	cg->stack_used = 0;
	cg->entry = cg_block(cg, "entry");
	body = cg_block(cg, "body");
	cg->exit = cg_block(cg, "exit");
	stop = cg_block(cg, "stop");
	LLVMPositionBuilderAtEnd(cg->b, cg->exit);
	cg_object_set_loc(&cg->o, cg->b, cb, (unsigned)n->loc.first_line,
			  (unsigned)n->loc.first_column);
	LLVMBuildRet(cg->b, cg_const(cg, 0));
	LLVMPositionBuilderAtEnd(cg->b, stop);
	LLVMBuildRet(cg->b, cg_const(cg, 1));
	LLVMPositionBuilderAtEnd(cg->b, cg->entry);
	LLVMBuildBr(cg->b, body);
	LLVMPositionBuilderAtEnd(cg->b, body);
	cg->brk[0] = stop;
	cg->cont[0] = cg->exit;
	cg->nloops = 1;
	/* $kv = (key, value) */
	slot = var_slot(cg, n->lhs->sema_var);
	cg_copy(cg, cg_gep(cg, slot, kv->fields[0].offset), LLVMGetParam(cb, 1), m->key_size);
	if (m->value->kind == TY_AGG) {
		/* the callback sees this CPU's value: sum every CPU's, by key */
		LLVMValueRef v = agg_read(cg, m, cg_gep(cg, slot, kv->fields[0].offset));
		LLVMValueRef st = LLVMBuildStore(cg->b, v, cg_gep(cg, slot, kv->fields[1].offset));

		LLVMSetAlignment(st, 8);
	} else {
		cg_copy(cg, cg_gep(cg, slot, kv->fields[1].offset), LLVMGetParam(cb, 2),
			m->value_size);
	}
	cg_block_stmts(cg, n->then);
	LLVMBuildBr(cg->b, cg->exit);

	/* back in the caller; what the callback allocated stays allocated */
	saved.scratch_off = cg->scratch_off;
	saved.scratch_size = cg->scratch_size;
	saved.nsubprogs = cg->nsubprogs;
	saved.vars = cg->vars;
	saved.var_off = cg->var_off;
	saved.nvars = cg->nvars;
	*cg = saved;
	LLVMPositionBuilderAtEnd(cg->b, caller_bb);
	cg_object_set_loc(&cg->o, cg->b, cg->fn, (unsigned)n->loc.first_line,
			  (unsigned)n->loc.first_column);
	args[0] = cg->maps[m->id];
	args[1] = cb;
	args[2] = LLVMConstNull(cg->ptr);
	args[3] = cg_const(cg, 0);
	cg_helper(cg, H_FOR_EACH_MAP_ELEM, cg->i64, args, 4);
}

/* After a terminator (break, return...), later code goes to an unreachable block. */
static void dead_block(struct cg *cg)
{
	LLVMPositionBuilderAtEnd(cg->b, cg_block(cg, "dead"));
}

static void cg_stmt(struct cg *cg, struct ast_node *n)
{
	cg->cur_loc = n->loc;
	cg_object_set_loc(&cg->o, cg->b, cg->fn, (unsigned)n->loc.first_line,
			  (unsigned)n->loc.first_column);
	switch (n->kind) {
	case AST_EXPR_STMT:
		cg_expr(cg, n->lhs);
		break;
	case AST_ASSIGN:
		if (n->lhs->kind == AST_MAP && n->rhs->kind == AST_CALL && n->rhs->sema_builtin &&
		    n->rhs->sema_builtin->kind == BI_AGG) {
			map_aggregate(cg, n->lhs, n->rhs);
		} else if (n->op != '=') {
			cg_update(cg, n->lhs, n->op, cg_expr(cg, n->rhs), false);
		} else if (n->lhs->kind == AST_VAR) {
			LLVMValueRef v = cg_expr(cg, n->rhs);

			cg_store(cg, var_slot(cg, n->lhs->sema_var), n->lhs->sema_var->type, v,
				 n->rhs->type);
		} else {
			map_store(cg, n->lhs, cg_expr(cg, n->rhs), n->rhs->type);
		}
		break;
	case AST_LET:
		if (n->rhs) {
			LLVMValueRef v = cg_expr(cg, n->rhs);

			cg_store(cg, var_slot(cg, n->lhs->sema_var), n->lhs->sema_var->type, v,
				 n->rhs->type);
		} else if (n->lhs->sema_var->type) {
			cg_zero(cg, var_slot(cg, n->lhs->sema_var), n->lhs->sema_var->type->size);
		}
		break;
	case AST_IF:
		cg_if(cg, n);
		break;
	case AST_WHILE:
	case AST_FOR_RANGE:
		cg_loop(cg, n);
		break;
	case AST_FOR_MAP:
		cg_for_map(cg, n);
		break;
	case AST_UNROLL: {
		int64_t i, cnt = n->lhs->ival;

		for (i = 0; i < cnt; i++)
			cg_block_stmts(cg, n->then);
		break;
	}
	case AST_BREAK:
	case AST_CONTINUE:
		LLVMBuildBr(cg->b, n->kind == AST_BREAK ? cg->brk[cg->nloops - 1]
							: cg->cont[cg->nloops - 1]);
		dead_block(cg);
		break;
	case AST_RETURN:
		if (cg->fn_exit) {
			/* in a fn body */
			if (n->lhs)
				cg_store(cg, cg->fn_ret, cg->fn_ret_type, cg_expr(cg, n->lhs),
					 n->lhs->type);
			LLVMBuildBr(cg->b, cg->fn_exit);
			dead_block(cg);
			break;
		}
		if (n->lhs && cg->ctx && cg->probe && cg->probe->ops && cg->probe->ops->is_test) {
			/* a test's result is the program's return value */
			LLVMBuildRet(cg->b, cg_to_i64(cg, cg_expr(cg, n->lhs), n->lhs->type));
			dead_block(cg);
			break;
		}
		if (n->lhs)
			cg_expr(cg, n->lhs);
		LLVMBuildBr(cg->b, cg->exit);
		dead_block(cg);
		break;
	case AST_BLOCK:
		cg_block_stmts(cg, n);
		break;
	default:
		cg_error(cg, n->loc, "cannot generate code for %s", ast_kind_name(n->kind));
		break;
	}
}

static void cg_block_stmts(struct cg *cg, struct ast_node *blk)
{
	struct ast_node *st;

	if (!blk)
		return;
	for (st = blk->kind == AST_BLOCK ? blk->body : blk; st; st = st->next)
		cg_stmt(cg, st);
}

/*
 * A call of a user-defined function (fn), inlined: the arguments are
 * evaluated (all of them, left to right) and then stored into the
 * parameters' variables (each fn variable has its own storage, as sema
 * gives it an id of its own); the body runs with `return` branching to the
 * end of this call. Recursion is refused by sema, so a fn's variables are
 * never live twice at once.
 */
static LLVMValueRef cg_fn_call(struct cg *cg, struct ast_node *n)
{
	struct ast_node *f = n->sema_data, *a, *p;
	LLVMBasicBlockRef saved_exit = cg->fn_exit;
	LLVMValueRef saved_ret = cg->fn_ret, vals[64], ret = NULL;
	const struct hk_type *saved_type = cg->fn_ret_type;
	const struct hk_type *rt = f->vtype ? f->vtype->type : NULL;
	struct loc saved_loc = cg->cur_loc;
	int i = 0;

	for (a = n->body; a && i < 64; a = a->next)
		vals[i++] = cg_expr(cg, a);
	if (a) {
		cg_error(cg, n->loc, "too many arguments");
		return cg_const(cg, 0);
	}
	for (a = n->body, p = f->params, i = 0; a && p; a = a->next, p = p->next, i++)
		cg_store(cg, var_slot(cg, p->lhs->sema_var), p->lhs->sema_var->type, vals[i],
			 a->type);
	if (rt) {
		ret = cg_alloc(cg, rt->size < 8 ? 8 : rt->size);
		cg_zero(cg, ret, rt->size);
	}
	cg->fn_exit = cg_block(cg, "fn_ret");
	cg->fn_ret = ret;
	cg->fn_ret_type = rt;
	cg_block_stmts(cg, f->then);
	LLVMBuildBr(cg->b, cg->fn_exit);
	LLVMPositionBuilderAtEnd(cg->b, cg->fn_exit);
	cg->fn_exit = saved_exit;
	cg->fn_ret = saved_ret;
	cg->fn_ret_type = saved_type;
	cg->cur_loc = saved_loc;
	cg_object_set_loc(&cg->o, cg->b, cg->fn, (unsigned)n->loc.first_line,
			  (unsigned)n->loc.first_column);
	if (!rt)
		return cg_const(cg, 0);
	return cg_load(cg, ret, rt);
}

/* ---- programs and the module ---------------------------------------------------------- */

/* -p: return unless the current task is of the traced process (its tgid,
 * the upper half of bpf_get_current_pid_tgid()). */
static void cg_pid_filter(struct cg *cg)
{
	LLVMBasicBlockRef go = cg_block(cg, "pid_ok");
	LLVMValueRef tgid =
		LLVMBuildLShr(cg->b, cg_helper(cg, BPF_FUNC_get_current_pid_tgid, cg->i64, NULL, 0),
			      cg_const(cg, 32), "tgid");
	LLVMValueRef want = cg_const(cg, (uint64_t)cg->res->filter_pid);

	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, tgid, want, ""), go, cg->exit);
	LLVMPositionBuilderAtEnd(cg->b, go);
}

static void cg_probe_program(struct cg *cg, struct ast_node *probe, struct res_probe *p)
{
	LLVMBasicBlockRef body;

	cg->probe = p;
	cg->fn = cg_object_prog(&cg->o, p->prog_name, p->section);
	if (!cg->fn) {
		cg_error(cg, p->loc, "cannot create the program for '%s': %s", p->spec,
			 cg->o.errmsg);
		return;
	}
	cg->ctx = LLVMGetParam(cg->fn, 0);
	cg->entry = cg_block(cg, "entry");
	body = cg_block(cg, "body");
	cg->exit = cg_block(cg, "exit");
	cg->scratch = NULL;
	cg->scratch_off = 0;
	cg->stack_used = 0;
	cg->vars = NULL;
	cg->var_off = NULL;
	cg->nvars = 0;
	cg->nloops = 0;
	cg->vars_in_scratch = ast_has(probe->then, AST_FOR_MAP);
	LLVMPositionBuilderAtEnd(cg->b, cg->exit);
	cg_object_set_loc(&cg->o, cg->b, cg->fn, (unsigned)probe->loc.first_line,
			  (unsigned)probe->loc.first_column);
	LLVMBuildRet(cg->b, cg_const(cg, 0));
	LLVMPositionBuilderAtEnd(cg->b, cg->entry);
	LLVMBuildBr(cg->b, body);
	LLVMPositionBuilderAtEnd(cg->b, body);
	if (p->ops->pid_filter && cg->res->filter_pid > 0)
		cg_pid_filter(cg);
	if (probe->pred) {
		LLVMBasicBlockRef go = cg_block(cg, "pred_ok");

		cg_object_set_loc(&cg->o, cg->b, cg->fn, (unsigned)probe->pred->loc.first_line,
				  (unsigned)probe->pred->loc.first_column);
		LLVMBuildCondBr(cg->b, truthy(cg, cg_expr(cg, probe->pred)), go, cg->exit);
		LLVMPositionBuilderAtEnd(cg->b, go);
	}
	cg_block_stmts(cg, probe->then);
	LLVMBuildBr(cg->b, cg->exit);
}

static int map_type_of(enum res_map_kind k)
{
	switch (k) {
	case RM_HASH:
		return BPF_MAP_TYPE_HASH;
	case RM_PERCPU_HASH:
		return BPF_MAP_TYPE_PERCPU_HASH;
	case RM_LRU_HASH:
		return BPF_MAP_TYPE_LRU_HASH;
	case RM_PERCPU_LRU_HASH:
		return BPF_MAP_TYPE_LRU_PERCPU_HASH;
	case RM_ARRAY:
		return BPF_MAP_TYPE_ARRAY;
	case RM_PERCPU_ARRAY:
		return BPF_MAP_TYPE_PERCPU_ARRAY;
	case RM_RINGBUF:
		return BPF_MAP_TYPE_RINGBUF;
	case RM_STACK_TRACE:
		return BPF_MAP_TYPE_STACK_TRACE;
	}
	return BPF_MAP_TYPE_HASH;
}

struct res_map *cg_scratch_resource(struct arena *a, struct resources *res, uint32_t size)
{
	struct res_map *scratch = ARENA_NEW(a, struct res_map), **nm;

	scratch->name = "scratch";
	scratch->elf_name = "hawk_scratch";
	scratch->internal = true;
	scratch->kind = RM_ARRAY;
	scratch->key_size = 4;
	scratch->value_size = size ? size : 8;
	scratch->max_entries = 1; /* the runtime sets it to the number of CPUs */
	scratch->id = res->nmaps;
	nm = ARENA_NEWN(a, struct res_map *, res->nmaps + 1);
	memcpy(nm, res->maps, sizeof(*nm) * (size_t)res->nmaps);
	nm[res->nmaps++] = scratch;
	res->maps = nm;
	return scratch;
}

/* LLVM opens the named file to copy source lines into the BTF line info;
 * only a regular file is safe to name (a FIFO would block, stdin is gone):
 * anything else gets a path that cannot be opened. */
static const char *debug_file_name(const struct cg_options *opt)
{
	struct stat st;

	if (opt && opt->source_name && strcmp(opt->source_name, "stdin") &&
	    stat(opt->source_name, &st) == 0 && S_ISREG(st.st_mode))
		return opt->source_name;
	return "/dev/null/stdin";
}

int cg_program(struct arena *a, struct ast_node *prog, struct resources *res,
	       const struct cg_options *opt, struct diag_set *d, void **elf, size_t *len)
{
	struct cg cg = {0};
	struct ast_node *it;
	struct res_map *scratch;
	LLVMValueRef placeholder, real;
	char *err = NULL;
	int i, rc = -1, nerr = d->nerrors;

	cg.arena = a;
	cg.res = res;
	cg.diag = d;
	if (cg_object_init(&cg.o, debug_file_name(opt)) < 0) {
		diag_error_noloc(d, "codegen: %s", cg.o.errmsg);
		goto out;
	}
	cg.o.license = res->config.license;
	cg.b = LLVMCreateBuilderInContext(cg.o.ctx);
	cg.i1 = LLVMInt1TypeInContext(cg.o.ctx);
	cg.i8 = LLVMInt8TypeInContext(cg.o.ctx);
	cg.i16 = LLVMInt16TypeInContext(cg.o.ctx);
	cg.i32 = LLVMInt32TypeInContext(cg.o.ctx);
	cg.i64 = LLVMInt64TypeInContext(cg.o.ctx);
	cg.ptr = LLVMPointerTypeInContext(cg.o.ctx, 0);

	cg.maps = ARENA_NEWN(a, LLVMValueRef, res->nmaps + 1);
	for (i = 0; i < res->nmaps; i++) {
		struct res_map *m = res->maps[i];
		uint32_t key = m->key_size, val = m->value_size;

		if (m->kind == RM_RINGBUF)
			key = val = 0;
		cg.maps[i] = cg_object_map(&cg.o, m->elf_name, map_type_of(m->kind), m->max_entries,
					   key, val, 0);
		if (!cg.maps[i]) {
			diag_error(d, m->loc, "codegen: map '%s': %s", m->name, cg.o.errmsg);
			goto out;
		}
	}
	/* The scratch map's size is known only after lowering: use a stand-in. */
	placeholder = LLVMAddGlobal(cg.o.mod, cg.i64, "hawk_scratch_placeholder");
	cg.scratch_map = placeholder;

	for (it = prog->body; it; it = it->next) {
		struct res_probe **pts;

		if (it->kind != AST_PROBE)
			continue;
		pts = it->sema_data;
		for (i = 0; i < it->sema_id; i++)
			cg_probe_program(&cg, it, pts[i]);
	}
	if (d->nerrors > nerr)
		goto out;

	scratch = cg_scratch_resource(a, res, cg.scratch_size);
	real = cg_object_map(&cg.o, "hawk_scratch", BPF_MAP_TYPE_ARRAY, 1, 4, scratch->value_size,
			     0);
	if (!real) {
		diag_error_noloc(d, "codegen: scratch map: %s", cg.o.errmsg);
		goto out;
	}
	LLVMReplaceAllUsesWith(placeholder, real);
	LLVMDeleteGlobal(placeholder);

	if (opt && opt->dump_ir) {
		char *ir = LLVMPrintModuleToString(cg.o.mod);

		fputs(ir, stderr);
		LLVMDisposeMessage(ir);
	}
	cg.o.verify_each = opt && opt->verify_ir;
	if (cg_object_optimize(&cg.o, &err) < 0) {
		diag_error_noloc(d, "codegen: %s", err);
		free(err);
		goto out;
	}
	if (opt && (opt->dump_ir_opt || opt->emit_llvm)) {
		char *ir = LLVMPrintModuleToString(cg.o.mod);

		if (opt->dump_ir_opt)
			fputs(ir, stderr);
		if (opt->emit_llvm) {
			FILE *f = fopen(opt->emit_llvm, "w");

			if (!f) {
				diag_error_noloc(d, "cannot write %s", opt->emit_llvm);
			} else {
				fputs(ir, f);
				fclose(f);
			}
		}
		LLVMDisposeMessage(ir);
	}
	if (cg_object_emit(&cg.o, elf, len, &err) < 0) {
		diag_error_noloc(d, "codegen: %s", err);
		free(err);
		goto out;
	}
	rc = 0;
out:
	if (cg.b)
		LLVMDisposeBuilder(cg.b);
	cg_object_dispose(&cg.o);
	return rc;
}
