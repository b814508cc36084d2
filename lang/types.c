/*
 * types.c - construction, comparison and naming of hawk types.
 * Scalar types are static singletons so pointer equality works for them;
 * composite types are built in the arena and compared structurally.
 */
#include "types.h"

#include <string.h>

#include "arena.h"
#include "modules.h"

#define INT_TYPE(n, sz, sgn) \
	struct hk_type n = {.kind = TY_INT, .size = (sz), .align = (sz), .is_signed = (sgn)}

struct hk_type ty_none = {.kind = TY_NONE};
struct hk_type ty_bool = {.kind = TY_BOOL, .size = 1, .align = 1};
INT_TYPE(ty_u8, 1, false);
INT_TYPE(ty_u16, 2, false);
INT_TYPE(ty_u32, 4, false);
INT_TYPE(ty_u64, 8, false);
INT_TYPE(ty_s8, 1, true);
INT_TYPE(ty_s16, 2, true);
INT_TYPE(ty_s32, 4, true);
INT_TYPE(ty_s64, 8, true);
struct hk_type ty_ksym = {.kind = TY_KSYM, .size = 8, .align = 8};
struct hk_type ty_voidptr_target = {.kind = TY_VOIDPTR_TARGET, .size = 1, .align = 1};

struct hk_type *ty_int(int bytes, bool is_signed)
{
	switch (bytes) {
	case 1:
		return is_signed ? &ty_s8 : &ty_u8;
	case 2:
		return is_signed ? &ty_s16 : &ty_u16;
	case 4:
		return is_signed ? &ty_s32 : &ty_u32;
	default:
		return is_signed ? &ty_s64 : &ty_u64;
	}
}

struct hk_type *ty_string(struct arena *a, uint32_t size)
{
	struct hk_type *t = ARENA_NEW(a, struct hk_type);

	t->kind = TY_STRING;
	t->size = size ? size : 1;
	t->align = 1;
	return t;
}

struct hk_type *ty_buffer(struct arena *a, uint32_t data_len)
{
	struct hk_type *t = ARENA_NEW(a, struct hk_type);

	t->kind = TY_BUFFER;
	t->size = 4 + data_len;
	t->align = 4;
	return t;
}

struct hk_type *ty_ptr(struct arena *a, struct hk_type *to, enum ty_addrspace as)
{
	struct hk_type *t = ARENA_NEW(a, struct hk_type);

	t->kind = TY_PTR;
	t->size = 8;
	t->align = 8;
	t->elem = to;
	t->as = as;
	return t;
}

struct hk_type *ty_array(struct arena *a, struct hk_type *elem, uint32_t count)
{
	struct hk_type *t = ARENA_NEW(a, struct hk_type);

	t->kind = TY_ARRAY;
	t->elem = elem;
	t->count = count;
	t->size = elem->size * count;
	t->align = elem->align ? elem->align : 1;
	return t;
}

struct hk_type *ty_tuple(struct arena *a, struct hk_type **elems, const char **names, int n)
{
	struct hk_type *t = ARENA_NEW(a, struct hk_type);
	uint32_t off = 0, align = 1;
	int i;

	t->kind = names ? TY_RECORD : TY_TUPLE;
	t->fields = ARENA_NEWN(a, struct ty_field, n);
	t->nfields = n;
	for (i = 0; i < n; i++) {
		uint32_t al = elems[i]->align ? elems[i]->align : 1;

		off = (off + al - 1) / al * al;
		t->fields[i].name = names ? names[i] : NULL;
		t->fields[i].type = elems[i];
		t->fields[i].offset = off;
		off += elems[i]->size;
		if (al > align)
			align = al;
	}
	t->align = align;
	t->size = (off + align - 1) / align * align;
	return t;
}

struct hk_type *ty_agg(struct arena *a, const struct agg_ops *ops, uint32_t size)
{
	struct hk_type *t = ARENA_NEW(a, struct hk_type);

	t->kind = TY_AGG;
	t->agg = ops;
	t->size = size;
	t->align = 8;
	return t;
}

bool ty_is_int(const struct hk_type *t)
{
	return t && (t->kind == TY_INT || t->kind == TY_BOOL);
}

bool ty_is_scalar(const struct hk_type *t)
{
	if (!t)
		return false;
	switch (t->kind) {
	case TY_INT:
	case TY_BOOL:
	case TY_PTR:
	case TY_KSYM:
	case TY_TIMESTAMP:
	case TY_STRERROR:
		return true;
	default:
		return false;
	}
}

bool ty_equal(const struct hk_type *a, const struct hk_type *b)
{
	int i;

	if (a == b)
		return true;
	if (!a || !b || a->kind != b->kind || a->size != b->size)
		return false;
	switch (a->kind) {
	case TY_INT:
		return a->is_signed == b->is_signed;
	case TY_PTR:
	case TY_ARRAY:
		return a->count == b->count && ty_equal(a->elem, b->elem);
	case TY_TUPLE:
	case TY_RECORD:
		if (a->nfields != b->nfields)
			return false;
		for (i = 0; i < a->nfields; i++) {
			const char *na = a->fields[i].name, *nb = b->fields[i].name;

			if ((na || nb) && (!na || !nb || strcmp(na, nb)))
				return false;
			if (!ty_equal(a->fields[i].type, b->fields[i].type))
				return false;
		}
		return true;
	case TY_STRUCT:
		return a->name && b->name && !strcmp(a->name, b->name);
	case TY_STACK: /* kstack/ustack: same limit (size), mode and kind */
		return a->as == b->as &&
		       (a->name == b->name || (a->name && b->name && !strcmp(a->name, b->name)));
	case TY_STRERROR: /* strerror, syscall_name, signal_name */
		return a->enum_name == b->enum_name;
	case TY_AGG:
		return a->agg == b->agg && a->agg_arg == b->agg_arg &&
		       !memcmp(a->agg_params, b->agg_params, sizeof(a->agg_params));
	default:
		return true;
	}
}

bool ty_compatible(const struct hk_type *to, const struct hk_type *from)
{
	int i;

	if (ty_equal(to, from))
		return true;
	if (ty_is_int(to) && ty_is_int(from))
		return true;
	if (to->kind != from->kind)
		return false;
	switch (to->kind) {
	case TY_STRING:
	case TY_BUFFER:
		return true; /* truncated or padded on store */
	case TY_PTR:
		return true;
	case TY_TUPLE:
	case TY_RECORD:
		if (to->nfields != from->nfields)
			return false;
		for (i = 0; i < to->nfields; i++)
			if (!ty_compatible(to->fields[i].type, from->fields[i].type))
				return false;
		return true;
	default:
		return false;
	}
}

struct hk_type *ty_unify(struct arena *a, struct hk_type *x, struct hk_type *y)
{
	int i;

	if (ty_equal(x, y))
		return x;
	if (ty_is_int(x) && ty_is_int(y)) {
		uint32_t sz = x->size > y->size ? x->size : y->size;

		if (x->kind == TY_BOOL && y->kind == TY_BOOL)
			return x;
		return ty_int((int)sz, (x->kind == TY_INT && x->is_signed) ||
					       (y->kind == TY_INT && y->is_signed));
	}
	if (x->kind != y->kind)
		return NULL;
	switch (x->kind) {
	case TY_STRING:
		return x->size >= y->size ? x : y;
	case TY_BUFFER:
		return x->size >= y->size ? x : y;
	case TY_PTR:
		return x;
	case TY_TUPLE:
	case TY_RECORD: {
		struct hk_type **el;
		const char **names = NULL;

		if (x->nfields != y->nfields)
			return NULL;
		el = ARENA_NEWN(a, struct hk_type *, x->nfields);
		if (x->kind == TY_RECORD)
			names = ARENA_NEWN(a, const char *, x->nfields);
		for (i = 0; i < x->nfields; i++) {
			if (names) {
				if (strcmp(x->fields[i].name, y->fields[i].name))
					return NULL;
				names[i] = x->fields[i].name;
			}
			el[i] = ty_unify(a, x->fields[i].type, y->fields[i].type);
			if (!el[i])
				return NULL;
		}
		return ty_tuple(a, el, names, x->nfields);
	}
	default:
		return NULL;
	}
}

const char *ty_name(struct arena *a, const struct hk_type *t)
{
	const char *s;
	int i;

	if (!t)
		return "none";
	switch (t->kind) {
	case TY_NONE:
		return "none";
	case TY_BOOL:
		return "bool";
	case TY_INT:
		if (t->is_enum && t->name)
			return arena_printf(a, "enum %s", t->name);
		return arena_printf(a, "%sint%u", t->is_signed ? "" : "u", t->size * 8);
	case TY_STRING:
		return arena_printf(a, "string[%u]", t->size);
	case TY_BUFFER:
		return arena_printf(a, "buffer[%u]", t->size - 4);
	case TY_TUPLE:
	case TY_RECORD:
		s = "(";
		for (i = 0; i < t->nfields; i++) {
			if (t->kind == TY_RECORD)
				s = arena_printf(a, "%s%s%s=%s", s, i ? ", " : "",
						 t->fields[i].name, ty_name(a, t->fields[i].type));
			else
				s = arena_printf(a, "%s%s%s", s, i ? ", " : "",
						 ty_name(a, t->fields[i].type));
		}
		return arena_printf(a, "%s)", s);
	case TY_PTR:
		if (!t->elem || t->elem->kind == TY_VOIDPTR_TARGET)
			return "void *";
		s = ty_name(a, t->elem);
		return arena_printf(a, "%s%s*", s, t->elem->kind == TY_PTR ? "" : " ");
	case TY_ARRAY:
		return arena_printf(a, "%s[%u]", ty_name(a, t->elem), t->count);
	case TY_STRUCT:
		return arena_printf(a, "%s %s", t->is_union ? "union" : "struct",
				    t->name ? t->name : "(anonymous)");
	case TY_AGG:
		return t->agg ? t->agg->type_name : "aggregation";
	case TY_KSYM:
		return "ksym_t";
	case TY_USYM:
		return "usym_t";
	case TY_STACK:
		/* the mode and limit when not the defaults, to tell stacks apart */
		if ((!t->name || !strcmp(t->name, "bpftrace")) && t->count == 127)
			return t->as == AS_USER ? "ustack_t" : "kstack_t";
		return arena_printf(a, "%s(%s, %u)", t->as == AS_USER ? "ustack_t" : "kstack_t",
				    t->name ? t->name : "bpftrace", t->count);
	case TY_INET:
		return "inet";
	case TY_TIMESTAMP:
		return "timestamp";
	case TY_MACADDR:
		return "macaddr_t";
	case TY_CGROUP_PATH:
		return "cgroup_path_t";
	case TY_STRERROR:
		return t->name ? t->name : "strerror_t";
	case TY_VOIDPTR_TARGET:
		return "void";
	case TY_USERNAME:
		return "username";
	}
	return "?";
}

const struct ty_field *ty_field_find(const struct hk_type *t, const char *name)
{
	int i;

	if (!t || !t->fields)
		return NULL;
	for (i = 0; i < t->nfields; i++)
		if (t->fields[i].name && !strcmp(t->fields[i].name, name))
			return &t->fields[i];
	return NULL;
}
