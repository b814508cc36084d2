/*
 * common.c - event layout and argument checks shared by stdlib modules.
 */
#include "stdlib.h"
#include "../lang/format.h"

#include <string.h>
#include <sys/stat.h>

void std_event_layout(struct sema *s, struct res_event *ev, struct ast_node *args)
{
	struct ast_node *a;
	struct hk_type **el, *tup;
	int i, n = ast_list_len(args);

	if (!ev)
		return;
	el = ARENA_NEWN(s->arena, struct hk_type *, n ? n : 1);
	for (a = args, i = 0; a; a = a->next, i++) {
		struct hk_type *t = a->type ? a->type : &ty_none;

		if (t->kind == TY_INT && !t->is_enum)
			t = ty_int(8, t->is_signed);
		else if (t->kind == TY_BOOL)
			t = &ty_bool;
		else if (t->kind == TY_STRUCT || t->kind == TY_ARRAY)
			stdlib_btf_complete_deep(s, t); /* printed whole */
		el[i] = t;
	}
	tup = ty_tuple(s->arena, el, NULL, n);
	ev->nargs = n;
	ev->args = ARENA_NEWN(s->arena, struct hk_type *, n ? n : 1);
	ev->offsets = ARENA_NEWN(s->arena, uint32_t, n ? n : 1);
	for (i = 0; i < n; i++) {
		ev->args[i] = tup->fields[i].type;
		ev->offsets[i] = tup->fields[i].offset;
	}
	ev->size = (tup->size + 7) & ~7u;
}

void std_event_emit(struct cg *cg, const struct res_event *ev, struct ast_node *args)
{
	LLVMValueRef vals[64];
	const struct hk_type *types[64];
	struct ast_node *a;
	int i = 0;

	for (a = args; a && i < 64; a = a->next, i++) {
		vals[i] = cg_expr(cg, a);
		types[i] = a->type;
	}
	cg_event(cg, ev, vals, types);
}

bool std_is_const(const struct ast_node *n)
{
	switch (n->kind) {
	case AST_INT:
	case AST_BOOL:
		return true;
	case AST_POSITIONAL:
		return n->is_count || (n->type && ty_is_int(n->type));
	case AST_UNOP:
		return (n->op == '-' || n->op == '~' || n->op == '!') && std_is_const(n->lhs);
	case AST_BINOP:
		if (n->op != TOK_SHL && n->op != TOK_SHR &&
		    (n->op <= 0 || n->op >= 128 || !strchr("+-*/%&|^", n->op)))
			return false;
		return std_is_const(n->lhs) && std_is_const(n->rhs);
	default:
		return false;
	}
}

int std_want_int(struct sema *s, struct ast_node *call, int i)
{
	struct ast_node *a = sema_arg(call, i);
	struct hk_type *t;

	if (!a)
		return -1;
	t = sema_expr(s, a);
	if (t->kind == TY_NONE)
		return -1;
	if (!ty_is_int(t)) {
		sema_error(s, a->loc, "%s() argument %d must be an integer, not %s", call->name,
			   i + 1, ty_name(s->arena, t));
		return -1;
	}
	return 0;
}

struct res_map *std_map_arg(struct sema *s, struct ast_node *call)
{
	struct ast_node *a = sema_arg(call, 0);
	int i;

	if (!a || a->kind != AST_MAP) {
		sema_error(s, a ? a->loc : call->loc, "%s() expects a map such as @m", call->name);
		return NULL;
	}
	for (i = 0; i < s->res->nmaps; i++) {
		struct res_map *m = s->res->maps[i];

		if (!m->internal && !strcmp(m->name, a->name)) {
			a->sema_map = m;
			a->type = m->value;
			return m;
		}
	}
	if (!s->quiet)
		sema_error(s, a->loc, "undefined map '%s': it is never assigned", a->name);
	return NULL;
}

void std_agg_add_combine(struct cg *cg, const struct hk_type *t, LLVMValueRef acc, LLVMValueRef cpu)
{
	LLVMValueRef a = LLVMBuildLoad2(cg->b, cg->i64, acc, "");

	LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, a, LLVMBuildLoad2(cg->b, cg->i64, cpu, ""), ""),
		       acc);
}

LLVMValueRef std_agg_load_result(struct cg *cg, const struct hk_type *t, LLVMValueRef acc)
{
	return LLVMBuildLoad2(cg->b, cg->i64, acc, "");
}

#define STD_FORMAT_MAX_ARGS 64

/* Can a value of type t be printed by a conversion of kind c? */
static bool format_arg_fits(enum fmt_conv c, const struct hk_type *t)
{
	switch (c) {
	case FMT_INT:
	case FMT_UINT:
	case FMT_CHAR:
	case FMT_PTR:
		return ty_is_int(t) || t->kind == TY_PTR || t->kind == TY_KSYM;
	case FMT_STR:
		return true; /* every value has a text form */
	case FMT_BUF:
		return t->kind == TY_BUFFER || t->kind == TY_STRING;
	}
	return false;
}

int std_check_format(struct sema *s, struct ast_node *n)
{
	struct ast_node *f = n->body, *a;
	struct fmt_spec specs[STD_FORMAT_MAX_ARGS];
	const char *err = NULL;
	size_t err_off = 0;
	int want, have = ast_list_len(f ? f->next : NULL), i, rc = 0;

	n->type = &ty_none;
	if (!f || f->kind != AST_STR) {
		sema_error(s, f ? f->loc : n->loc, "%s() needs a string literal as its format",
			   n->name);
		return -1;
	}
	for (a = f->next; a; a = a->next)
		if (sema_expr(s, a)->kind == TY_NONE)
			rc = -1;
	if (rc)
		return -1;
	if (have > STD_FORMAT_MAX_ARGS) {
		sema_error(s, n->loc, "%s() takes at most %d arguments after its format", n->name,
			   STD_FORMAT_MAX_ARGS);
		return -1;
	}
	want = fmt_parse(f->str, specs, STD_FORMAT_MAX_ARGS, &err, &err_off);
	if (want < 0) {
		sema_error(s, f->loc, "invalid format string: %s (at offset %zu)", err, err_off);
		return -1;
	}
	if (want != have) {
		sema_error(s, n->loc, "the format string takes %d argument%s, but %d %s given",
			   want, want == 1 ? "" : "s", have, have == 1 ? "is" : "are");
		return -1;
	}
	for (a = f->next, i = 0; a; a = a->next, i++) {
		if (!format_arg_fits(specs[i].conv, a->type)) {
			sema_error(s, a->loc, "%%%c expects %s, but this argument is %s",
				   specs[i].conv_char,
				   specs[i].conv == FMT_BUF ? "a buffer" : "an integer",
				   ty_name(s->arena, a->type));
			rc = -1;
		}
	}
	return rc;
}

void std_salt_file(struct sema *s, const char *path)
{
	uint64_t h = s->res->cache_salt ? s->res->cache_salt : 1469598103934665603ull;
	uint64_t id[5] = {0};
	const unsigned char *b;
	struct stat st;
	size_t i;

	if (stat(path, &st) == 0) {
		id[0] = st.st_dev;
		id[1] = st.st_ino;
		id[2] = (uint64_t)st.st_size;
		id[3] = (uint64_t)st.st_mtim.tv_sec;
		id[4] = (uint64_t)st.st_mtim.tv_nsec;
	}
	for (b = (const unsigned char *)path; *b; b++)
		h = (h ^ *b) * 1099511628211ull;
	b = (const unsigned char *)id;
	for (i = 0; i < sizeof(id); i++)
		h = (h ^ b[i]) * 1099511628211ull;
	s->res->cache_salt = h;
}
