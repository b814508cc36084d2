/*
 * btf_types.c - kernel types from the running kernel's BTF, as hawk types
 * (see stdlib_btf_type() in lang/modules.h).
 *
 * Integers keep their size and sign (char is int8, _Bool is bool); char
 * arrays become strings of that size; other arrays TY_ARRAY; pointers point
 * into kernel memory (AS_KERNEL); enums are integers printed by name;
 * typedefs and qualifiers are looked through. A struct or union is converted
 * without its fields first (name, size, alignment): its fields are filled in
 * by stdlib_btf_complete() when a field is first looked up, so converting
 * task_struct does not convert the whole kernel. Every converted type is
 * cached by BTF id for the compilation (struct sema's btf_cache), so the same
 * struct is always the same hk_type.
 */
#include "btf.h"
#include "stdlib.h"
#include "../lang/diag.h"

#include <bpf/btf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct btf_cache {
	uint32_t n;
	struct hk_type **by_id;
};

struct enum_tab {
	int n;
	int64_t *vals;
	const char **names;
};

static struct btf_cache *get_cache(struct sema *s, const struct btf *btf)
{
	struct btf_cache *c = s->btf_cache;

	if (!c) {
		c = arena_alloc(s->arena, sizeof(*c));
		c->n = btf__type_cnt(btf);
		c->by_id = arena_alloc(s->arena, sizeof(*c->by_id) * c->n);
		s->btf_cache = c;
	}
	return c;
}

static const char *enum_name(const struct hk_type *t, int64_t v)
{
	const struct enum_tab *e = t->enum_data;
	int i;

	for (i = 0; e && i < e->n; i++)
		if (e->vals[i] == v)
			return e->names[i];
	return NULL;
}

static struct hk_type *convert(struct sema *s, const struct btf *btf, uint32_t id);

static struct hk_type *int_type(struct sema *s, const struct btf *btf, const struct btf_type *t)
{
	uint8_t enc = btf_int_encoding(t);
	const char *name = btf__name_by_offset(btf, t->name_off);

	if (enc & BTF_INT_BOOL)
		return &ty_bool;
	if (name && !strcmp(name, "char"))
		return &ty_s8;
	if (t->size == 1 || t->size == 2 || t->size == 4 || t->size == 8)
		return ty_int((int)t->size, enc & BTF_INT_SIGNED);
	return ty_array(s->arena, &ty_u8, t->size); /* __int128 */
}

static struct hk_type *enum_type(struct sema *s, const struct btf *btf, const struct btf_type *t)
{
	struct hk_type *r = arena_alloc(s->arena, sizeof(*r));
	struct enum_tab *e = arena_alloc(s->arena, sizeof(*e));
	const char *name = btf__name_by_offset(btf, t->name_off);
	int i, n = btf_vlen(t);

	*r = *ty_int(t->size == 1 || t->size == 2 || t->size == 8 ? (int)t->size : 4, false);
	r->is_signed = btf_kflag(t);
	r->is_enum = true;
	r->name = name && *name ? arena_strdup(s->arena, name) : NULL;
	e->n = n;
	e->vals = arena_alloc(s->arena, sizeof(*e->vals) * (size_t)(n ? n : 1));
	e->names = arena_alloc(s->arena, sizeof(*e->names) * (size_t)(n ? n : 1));
	for (i = 0; i < n; i++) {
		uint32_t noff;

		if (btf_is_enum64(t)) {
			noff = btf_enum64(t)[i].name_off;
			e->vals[i] = (int64_t)btf_enum64_value(&btf_enum64(t)[i]);
		} else {
			noff = btf_enum(t)[i].name_off;
			e->vals[i] = r->is_signed ? (int64_t)btf_enum(t)[i].val
						  : (int64_t)(uint32_t)btf_enum(t)[i].val;
		}
		e->names[i] = arena_strdup(s->arena, btf__name_by_offset(btf, noff));
	}
	r->enum_data = e;
	r->enum_name = enum_name;
	return r;
}

static bool is_char(const struct btf *btf, uint32_t id)
{
	int r = btf__resolve_type(btf, id);
	const struct btf_type *t = r > 0 ? btf__type_by_id(btf, (uint32_t)r) : NULL;
	const char *name;

	if (!t || !btf_is_int(t) || t->size != 1)
		return false;
	name = btf__name_by_offset(btf, t->name_off);
	return name && !strcmp(name, "char");
}

static struct hk_type *convert(struct sema *s, const struct btf *btf, uint32_t id)
{
	struct btf_cache *c = get_cache(s, btf);
	const struct btf_type *t;
	struct hk_type *r = NULL;

	for (;;) {
		if (id == 0 || id >= c->n)
			return &ty_voidptr_target;
		t = btf__type_by_id(btf, id);
		if (!t)
			return &ty_voidptr_target;
		if (btf_is_typedef(t) || btf_is_mod(t) || btf_is_type_tag(t) || btf_is_decl_tag(t))
			id = t->type;
		else
			break;
	}
	if (c->by_id[id])
		return c->by_id[id];
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		r = int_type(s, btf, t);
		break;
	case BTF_KIND_FLOAT:
		r = ty_int((int)t->size, false);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		r = enum_type(s, btf, t);
		break;
	case BTF_KIND_PTR:
		/* cached before converting the pointee: a pointee never needs the
		 * pointer itself, but keeps the recursion short */
		r = ty_ptr(s->arena, &ty_voidptr_target, AS_KERNEL);
		c->by_id[id] = r;
		r->elem = convert(s, btf, t->type);
		return r;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_array(t);

		if (is_char(btf, a->type))
			r = ty_string(s->arena, a->nelems);
		else
			r = ty_array(s->arena, convert(s, btf, a->type), a->nelems);
		break;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_FWD: {
		const char *name = btf__name_by_offset(btf, t->name_off);
		int al = btf_is_fwd(t) ? 1 : btf__align_of(btf, id);

		r = arena_alloc(s->arena, sizeof(*r));
		r->kind = TY_STRUCT;
		r->size = btf_is_fwd(t) ? 0 : t->size;
		r->align = al > 0 ? (uint32_t)al : 1;
		r->is_union = btf_is_union(t) || (btf_is_fwd(t) && btf_kflag(t));
		r->as = AS_KERNEL;
		r->name = name && *name ? arena_strdup(s->arena, name) : NULL;
		r->btf_id = (int)id;
		break;
	}
	default: /* functions, void */
		r = &ty_voidptr_target;
		break;
	}
	c->by_id[id] = r;
	return r;
}

/* Appends the members of struct/union t (at bit offset `base`), looking
 * through anonymous members, to fields[*n] (cap entries). */
static void add_members(struct sema *s, const struct btf *btf, const struct btf_type *t,
			uint32_t base, struct ty_field *fields, int *n, int cap)
{
	const struct btf_member *m = btf_members(t);
	int i, vlen = btf_vlen(t);

	for (i = 0; i < vlen; i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);
		uint32_t off = base + btf_member_bit_offset(t, (uint32_t)i);
		uint32_t bits = btf_member_bitfield_size(t, (uint32_t)i);
		struct ty_field *f;

		if (!mn || !*mn) {
			int r = btf__resolve_type(btf, m->type);
			const struct btf_type *at =
				r > 0 ? btf__type_by_id(btf, (uint32_t)r) : NULL;

			if (at && (btf_is_struct(at) || btf_is_union(at)))
				add_members(s, btf, at, off, fields, n, cap);
			continue;
		}
		if (*n >= cap)
			return;
		f = &fields[(*n)++];
		f->name = arena_strdup(s->arena, mn);
		f->type = convert(s, btf, m->type);
		f->offset = off / 8;
		if (bits) {
			uint32_t need = (off % 8 + bits + 7) / 8;

			need = need <= 1 ? 1 : need <= 2 ? 2 : need <= 4 ? 4 : 8;
			f->bit_offset = (uint16_t)(off % 8);
			f->bit_size = (uint16_t)bits;
			if (f->type->kind != TY_INT || f->type->size < need)
				f->type = ty_int((int)need,
						 f->type->kind == TY_INT && f->type->is_signed);
		}
	}
}

/* Counts the named members of t, anonymous members' included. */
static int count_members(const struct btf *btf, const struct btf_type *t)
{
	const struct btf_member *m = btf_members(t);
	int i, vlen = btf_vlen(t), n = 0;

	for (i = 0; i < vlen; i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);

		if (!mn || !*mn) {
			int r = btf__resolve_type(btf, m->type);
			const struct btf_type *at =
				r > 0 ? btf__type_by_id(btf, (uint32_t)r) : NULL;

			if (at && (btf_is_struct(at) || btf_is_union(at)))
				n += count_members(btf, at);
			continue;
		}
		n++;
	}
	return n;
}

void stdlib_btf_complete(struct sema *s, struct hk_type *t)
{
	const struct btf *btf;
	const struct btf_type *bt;
	int cap;

	if (!t || t->kind != TY_STRUCT || !t->btf_id || t->fields)
		return;
	btf = std_btf_vmlinux();
	if (!btf)
		return;
	bt = btf__type_by_id(btf, (uint32_t)t->btf_id);
	if (!bt || !(btf_is_struct(bt) || btf_is_union(bt))) {
		t->fields = arena_alloc(s->arena, sizeof(*t->fields));
		return;
	}
	cap = count_members(btf, bt);
	t->fields = arena_alloc(s->arena, sizeof(*t->fields) * (size_t)(cap ? cap : 1));
	t->nfields = 0;
	add_members(s, btf, bt, 0, t->fields, &t->nfields, cap);
}

/* Completes t and every struct it holds by value (fields, array elements),
 * not through pointers: what printing a whole struct needs. A struct cannot
 * hold itself by value, so this ends; depth bounds it all the same. */
static void complete_deep(struct sema *s, struct hk_type *t, int depth)
{
	int i;

	if (!t || depth > 16)
		return;
	if (t->kind == TY_ARRAY) {
		complete_deep(s, t->elem, depth + 1);
		return;
	}
	if (t->kind != TY_STRUCT || t->deep_done)
		return;
	stdlib_btf_complete(s, t);
	t->deep_done = true;
	for (i = 0; i < t->nfields; i++)
		complete_deep(s, t->fields[i].type, depth + 1);
}

void stdlib_btf_complete_deep(struct sema *s, struct hk_type *t)
{
	complete_deep(s, t, 0);
}

/* Names of every struct (or union, enum) in the BTF, for "did you mean". */
static const char *suggest(struct sema *s, const struct btf *btf, const char *word, int kind)
{
	uint32_t i, n = btf__type_cnt(btf), k = 0;
	const char **names = malloc(sizeof(*names) * (n + 1));
	const char *sug, *res = NULL;

	if (!names)
		return NULL;
	for (i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i);
		const char *nm;

		if (!t || btf_kind(t) != kind)
			continue;
		nm = btf__name_by_offset(btf, t->name_off);
		if (nm && *nm)
			names[k++] = nm;
	}
	names[k] = NULL;
	sug = diag_suggest(word, names);
	if (sug)
		res = arena_strdup(s->arena, sug);
	free(names);
	return res;
}

struct hk_type *stdlib_btf_type(struct sema *s, const char *name, const char **hint)
{
	static const struct {
		const char *prefix;
		int kind, alt;
	} tagged[] = {
		{"struct ", BTF_KIND_STRUCT, BTF_KIND_FWD},
		{"union ", BTF_KIND_UNION, BTF_KIND_FWD},
		{"enum ", BTF_KIND_ENUM, BTF_KIND_ENUM64},
	};
	const struct btf *btf = std_btf_vmlinux();
	const char *word = name;
	int kind = -1, alt = -1;
	int32_t id = -1;
	size_t i;

	if (hint)
		*hint = NULL;
	for (i = 0; i < sizeof(tagged) / sizeof(tagged[0]); i++)
		if (!strncmp(name, tagged[i].prefix, strlen(tagged[i].prefix))) {
			word = name + strlen(tagged[i].prefix);
			kind = tagged[i].kind;
			alt = tagged[i].alt;
		}
	if (!btf) {
		if (hint)
			*hint = arena_printf(s->arena, "/sys/kernel/btf/vmlinux cannot be read: %s",
					     strerror(errno));
		return NULL;
	}
	if (kind >= 0) {
		id = btf__find_by_name_kind(btf, word, (uint32_t)kind);
		if (id < 0)
			id = btf__find_by_name_kind(btf, word, (uint32_t)alt);
	} else {
		id = btf__find_by_name_kind(btf, word, BTF_KIND_TYPEDEF);
		if (id < 0)
			id = btf__find_by_name_kind(btf, word, BTF_KIND_INT);
	}
	if (id <= 0) {
		if (hint && kind >= 0) {
			const char *sug = suggest(s, btf, word, kind);

			if (sug)
				*hint = arena_printf(s->arena, "did you mean '%.*s%s'?",
						     (int)(word - name), name, sug);
		}
		return NULL;
	}
	s->res->uses_btf = true;
	return convert(s, btf, (uint32_t)id);
}

const char *stdlib_traceable_functions;

bool stdlib_type_name(const char *name)
{
	const struct btf *btf;

	if (stdlib_builtin(name))
		return false; /* `(pid) - 1` stays a subtraction */
	btf = std_btf_vmlinux();
	return btf && btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) > 0;
}

/* A parameter's BTF type (vmlinux) as a hawk type, through stdlib_btf_type's
 * names: what one u64 slot of a probe context holds. */
struct hk_type *std_btf_slot_type(struct sema *s, const struct btf *btf, uint32_t id, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *name;
	struct hk_type *r;

	while (t && (btf_is_mod(t) || btf_is_type_tag(t)))
		t = btf__type_by_id(btf, t->type);
	if (!t || depth > 8)
		return &ty_u64;
	name = btf__name_by_offset(btf, t->name_off);
	switch (btf_kind(t)) {
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_INT:
		r = name && *name ? stdlib_btf_type(s, name, NULL) : NULL;
		return r ? r : &ty_u64;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		r = name && *name
			    ? stdlib_btf_type(s, arena_printf(s->arena, "enum %s", name), NULL)
			    : NULL;
		return r ? r : ty_int(t->size == 8 ? 8 : 4, false);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		r = name && *name
			    ? stdlib_btf_type(s,
					      arena_printf(s->arena, "%s %s",
							   btf_is_union(t) ? "union" : "struct",
							   name),
					      NULL)
			    : NULL;
		return r ? r : &ty_u64;
	case BTF_KIND_PTR: {
		const struct btf_type *pt = btf__type_by_id(btf, t->type);

		while (pt && (btf_is_mod(pt) || btf_is_type_tag(pt)))
			pt = btf__type_by_id(btf, pt->type);
		if (!pt || btf_is_func_proto(pt))
			return ty_ptr(s->arena, &ty_voidptr_target, AS_KERNEL);
		return ty_ptr(s->arena, std_btf_slot_type(s, btf, t->type, depth + 1), AS_KERNEL);
	}
	default:
		return &ty_u64;
	}
}

struct hk_type *std_btf_ctx_args(struct sema *s, const struct btf *btf,
				 const struct btf_type *types, const struct btf_type *names,
				 int skip, const char *name)
{
	const struct btf_param *tp = btf_params(types), *np = btf_params(names);
	int i, n = btf_vlen(types) - skip;
	struct hk_type *st;

	st = arena_alloc(s->arena, sizeof(*st));
	st->kind = TY_STRUCT;
	st->name = name;
	st->is_ctx = true;
	st->size = (uint32_t)n * 8;
	st->align = 8;
	st->nfields = n;
	st->fields = arena_alloc(s->arena, sizeof(*st->fields) * (size_t)(n ? n : 1));
	for (i = 0; i < n; i++) {
		const char *pn = btf__name_by_offset(btf, np[i + skip].name_off);
		struct ty_field *f = &st->fields[i];

		f->name =
			pn && *pn ? arena_strdup(s->arena, pn) : arena_printf(s->arena, "arg%d", i);
		f->offset = (uint32_t)i * 8;
		f->type = std_btf_slot_type(s, btf, tp[i + skip].type, 0);
		if (f->type->size > 8 || !f->type->size)
			f->type = &ty_u64; /* by-value aggregates: the raw slot */
	}
	return st;
}
