/*
 * cdecl.c - a small parser for the C type definitions of a script (see
 * cdecl.h). Recursive descent over a tiny tokenizer; errors unwind with
 * longjmp to cdecl_parse(), which reports the byte offset of the culprit.
 *
 * Layout follows gcc on LP64: members at their type's alignment (1 when the
 * struct is __attribute__((packed))); a bitfield goes at the next free bit
 * unless it would straddle a storage unit of its type, then at the next unit;
 * a zero-width bitfield moves to the next unit; unnamed bitfields do not
 * align the struct. Plain `char` arrays become strings (as BTF's do), and
 * members of anonymous structs/unions are found as direct members.
 */
#include "cdecl.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "types.h"

struct cdecl_entry {
	struct cdecl_entry *next;
	const char *name; /* "struct Foo", "foo_t", or an enum constant */
	struct hk_type *type;
	int64_t value; /* enum constants: type is NULL */
	bool defined;  /* structs: the body was seen (else only declared) */
};

enum { T_EOF = 0, T_ID = 256, T_NUM, T_SHL, T_SHR };

struct tok {
	int kind;
	size_t off, len;
	uint64_t num;
};

struct parser {
	struct cdecl_types *ct;
	const char *text;
	size_t pos;
	struct tok tok;
	struct cdecl_error *err;
	jmp_buf jb;
};

struct spec {
	struct hk_type *t;
	bool plain_char;  /* `char`: its arrays are strings */
	bool anon_record; /* struct/union without a name, defined here */
};

struct member {
	const char *name; /* NULL: anonymous struct/union or unnamed bitfield */
	struct hk_type *t;
	int width; /* bitfields, else -1 */
	size_t off, len;
};

static void fail(struct parser *p, size_t off, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5), noreturn));

static void fail(struct parser *p, size_t off, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	p->err->offset = off;
	p->err->len = len ? len : 1;
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	longjmp(p->jb, 1);
}

/* ---- tokens ---------------------------------------------------------------------------- */

static bool alpha(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void next(struct parser *p)
{
	const char *s = p->text;
	size_t i = p->pos;

	for (;;) {
		while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
		       s[i] == '\v' || s[i] == '\f' || s[i] == '\\')
			i++;
		if (s[i] == '/' && s[i + 1] == '/') {
			while (s[i] && s[i] != '\n')
				i++;
		} else if (s[i] == '/' && s[i + 1] == '*') {
			const char *e = strstr(s + i + 2, "*/");

			i = e ? (size_t)(e - s) + 2 : strlen(s);
		} else {
			break;
		}
	}
	p->tok.off = i;
	p->tok.num = 0;
	if (!s[i]) {
		p->tok.kind = T_EOF;
		p->tok.len = 0;
	} else if (alpha(s[i])) {
		size_t j = i;

		while (alpha(s[j]) || (s[j] >= '0' && s[j] <= '9'))
			j++;
		p->tok.kind = T_ID;
		p->tok.len = j - i;
	} else if (s[i] >= '0' && s[i] <= '9') {
		char *end;
		size_t j;

		p->tok.num = strtoull(s + i, &end, 0);
		j = (size_t)(end - s);
		while (s[j] == 'u' || s[j] == 'U' || s[j] == 'l' || s[j] == 'L')
			j++;
		p->tok.kind = T_NUM;
		p->tok.len = j - i;
	} else if ((s[i] == '<' || s[i] == '>') && s[i + 1] == s[i]) {
		p->tok.kind = s[i] == '<' ? T_SHL : T_SHR;
		p->tok.len = 2;
	} else {
		p->tok.kind = (unsigned char)s[i];
		p->tok.len = 1;
	}
	p->pos = i + p->tok.len;
}

static bool is_id(const struct parser *p, const char *w)
{
	return p->tok.kind == T_ID && p->tok.len == strlen(w) &&
	       !memcmp(p->text + p->tok.off, w, p->tok.len);
}

static const char *tok_str(const struct parser *p)
{
	return arena_strndup(p->ct->arena, p->text + p->tok.off, p->tok.len);
}

static const char *tok_desc(const struct parser *p)
{
	if (p->tok.kind == T_EOF)
		return "the end of the definition";
	return arena_printf(p->ct->arena, "'%.*s'", (int)p->tok.len, p->text + p->tok.off);
}

static void expect(struct parser *p, int kind, const char *what)
{
	if (p->tok.kind != kind)
		fail(p, p->tok.off, p->tok.len, "expected %s, not %s", what, tok_desc(p));
	next(p);
}

/* Skips const/volatile and friends; returns true if it skipped any. */
static bool skip_quals(struct parser *p)
{
	static const char *const q[] = {
		"const",      "volatile",     "restrict",      "__restrict", "__const",
		"__volatile", "__restrict__", "__volatile__",  "static",     "extern",
		"register",   "inline",	      "__extension__", NULL};
	bool any = false;
	int i;

again:
	for (i = 0; q[i]; i++)
		if (is_id(p, q[i])) {
			next(p);
			any = true;
			goto again;
		}
	return any;
}

/* __attribute__((...)): sets *packed for `packed`, ignores the rest. */
static void attrs(struct parser *p, bool *packed)
{
	while (is_id(p, "__attribute__") || is_id(p, "__attribute") || is_id(p, "__packed")) {
		int depth = 0;

		if (is_id(p, "__packed")) {
			*packed = true;
			next(p);
			continue;
		}
		next(p);
		if (p->tok.kind != '(')
			fail(p, p->tok.off, p->tok.len, "expected '((' after __attribute__");
		do {
			if (p->tok.kind == '(')
				depth++;
			else if (p->tok.kind == ')')
				depth--;
			else if (p->tok.kind == T_EOF)
				fail(p, p->tok.off, 1, "unterminated __attribute__");
			else if (packed && (is_id(p, "packed") || is_id(p, "__packed__")))
				*packed = true;
			next(p);
		} while (depth > 0);
	}
}

/* ---- the registry ---------------------------------------------------------------------- */

static struct cdecl_entry *find_entry(const struct cdecl_types *ct, const char *name)
{
	struct cdecl_entry *e;

	for (e = ct->head; e; e = e->next)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

static struct cdecl_entry *add_entry(struct cdecl_types *ct, const char *name, struct hk_type *t)
{
	struct cdecl_entry *e = ARENA_NEW(ct->arena, struct cdecl_entry);

	e->name = arena_strdup(ct->arena, name);
	e->type = t;
	e->next = ct->head;
	ct->head = e;
	return e;
}

void cdecl_init(struct cdecl_types *ct, struct arena *a)
{
	memset(ct, 0, sizeof(*ct));
	ct->arena = a;
}

struct hk_type *cdecl_find(const struct cdecl_types *ct, const char *name)
{
	const struct cdecl_entry *e = ct ? find_entry(ct, name) : NULL;

	return e ? e->type : NULL;
}

/* The common C typedefs, so definitions need no #include. */
static struct hk_type *builtin_typedef(const char *n)
{
	static const struct {
		const char *name;
		int size;
		bool sgn;
	} tab[] = {
		{"int8_t", 1, 1},    {"int16_t", 2, 1},	  {"int32_t", 4, 1},   {"int64_t", 8, 1},
		{"uint8_t", 1, 0},   {"uint16_t", 2, 0},  {"uint32_t", 4, 0},  {"uint64_t", 8, 0},
		{"u_int8_t", 1, 0},  {"u_int16_t", 2, 0}, {"u_int32_t", 4, 0}, {"u_int64_t", 8, 0},
		{"s8", 1, 1},	     {"s16", 2, 1},	  {"s32", 4, 1},       {"s64", 8, 1},
		{"u8", 1, 0},	     {"u16", 2, 0},	  {"u32", 4, 0},       {"u64", 8, 0},
		{"__s8", 1, 1},	     {"__s16", 2, 1},	  {"__s32", 4, 1},     {"__s64", 8, 1},
		{"__u8", 1, 0},	     {"__u16", 2, 0},	  {"__u32", 4, 0},     {"__u64", 8, 0},
		{"__be16", 2, 0},    {"__be32", 4, 0},	  {"__be64", 8, 0},    {"__le16", 2, 0},
		{"__le32", 4, 0},    {"__le64", 8, 0},	  {"size_t", 8, 0},    {"ssize_t", 8, 1},
		{"uintptr_t", 8, 0}, {"intptr_t", 8, 1},  {"ptrdiff_t", 8, 1}, {"off_t", 8, 1},
		{"loff_t", 8, 1},    {"time_t", 8, 1},	  {"pid_t", 4, 1},     {"uid_t", 4, 0},
		{"gid_t", 4, 0},     {"mode_t", 4, 0},	  {"socklen_t", 4, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(n, tab[i].name))
			return ty_int(tab[i].size, tab[i].sgn);
	return NULL;
}

static bool complete(const struct cdecl_types *ct, const struct hk_type *t)
{
	const struct cdecl_entry *e;

	if (t->kind == TY_VOIDPTR_TARGET)
		return false;
	if (t->kind != TY_STRUCT || t->btf_id || t->size)
		return true;
	for (e = ct->head; e; e = e->next)
		if (e->type == t)
			return e->defined;
	return true;
}

/* ---- constant expressions (array sizes, enum values, bitfield widths) ------------------ */

static int64_t cexpr(struct parser *p, int prec);

static int64_t cprimary(struct parser *p)
{
	int64_t v;

	if (p->tok.kind == T_NUM) {
		v = (int64_t)p->tok.num;
		next(p);
		return v;
	}
	if (p->tok.kind == '(') {
		next(p);
		v = cexpr(p, 0);
		expect(p, ')', "')'");
		return v;
	}
	if (p->tok.kind == '-' || p->tok.kind == '~' || p->tok.kind == '+') {
		int op = p->tok.kind;

		next(p);
		v = cprimary(p);
		return op == '-' ? -v : op == '~' ? ~v : v;
	}
	if (p->tok.kind == T_ID) {
		const struct cdecl_entry *e = find_entry(p->ct, tok_str(p));

		if (!e || e->type)
			fail(p, p->tok.off, p->tok.len, "'%s' is not a constant", tok_str(p));
		next(p);
		return e->value;
	}
	fail(p, p->tok.off, p->tok.len, "expected a constant, not %s", tok_desc(p));
}

static int binprec(int k)
{
	switch (k) {
	case '|':
		return 1;
	case '^':
		return 2;
	case '&':
		return 3;
	case T_SHL:
	case T_SHR:
		return 4;
	case '+':
	case '-':
		return 5;
	case '*':
	case '/':
	case '%':
		return 6;
	default:
		return 0;
	}
}

static int64_t cexpr(struct parser *p, int prec)
{
	int64_t l = cprimary(p), r;

	while (binprec(p->tok.kind) > prec) {
		int op = p->tok.kind;
		struct tok at = p->tok;

		next(p);
		r = cexpr(p, binprec(op));
		switch (op) {
		case '|':
			l |= r;
			break;
		case '^':
			l ^= r;
			break;
		case '&':
			l &= r;
			break;
		case T_SHL:
			l = (int64_t)((uint64_t)l << (r & 63));
			break;
		case T_SHR:
			l >>= (r & 63);
			break;
		case '+':
			l += r;
			break;
		case '-':
			l -= r;
			break;
		case '*':
			l *= r;
			break;
		default:
			if (!r)
				fail(p, at.off, at.len, "division by zero");
			l = op == '/' ? l / r : l % r;
			break;
		}
	}
	return l;
}

/* ---- types ----------------------------------------------------------------------------- */

static bool parse_spec(struct parser *p, struct spec *sp);
static struct hk_type *declarator(struct parser *p, const struct spec *sp, const char **name,
				  size_t *noff, size_t *nlen);

static const char *enum_name_of(const struct hk_type *t, int64_t v)
{
	const struct cdecl_entry *const *names = t->enum_data;
	int i;

	for (i = 0; names && names[i]; i++)
		if (names[i]->value == v)
			return names[i]->name;
	return NULL;
}

static struct hk_type *parse_enum(struct parser *p)
{
	struct cdecl_types *ct = p->ct;
	const char *name = NULL, *key;
	struct cdecl_entry *e, **names;
	struct hk_type *t;
	int64_t v = 0, lo = 0, hi = 0;
	int n = 0, cap = 8;
	bool packed = false;
	size_t noff = p->tok.off, nlen = p->tok.len;

	next(p);
	attrs(p, &packed);
	if (p->tok.kind == T_ID) {
		name = tok_str(p);
		noff = p->tok.off;
		nlen = p->tok.len;
		next(p);
	}
	key = name ? arena_printf(ct->arena, "enum %s", name) : NULL;
	if (p->tok.kind != '{') {
		if (!name)
			fail(p, p->tok.off, p->tok.len, "expected an enum name or '{', not %s",
			     tok_desc(p));
		if ((t = cdecl_find(ct, key)))
			return t;
		if (ct->lookup && (t = ct->lookup(ct->ud, key)))
			return t;
		fail(p, noff, nlen, "unknown type 'enum %s'", name);
	}
	if (key && find_entry(ct, key))
		fail(p, noff, nlen, "redefinition of 'enum %s'", name);
	next(p);
	names = ARENA_NEWN(ct->arena, struct cdecl_entry *, cap + 1);
	while (p->tok.kind != '}') {
		const char *cn;
		size_t coff = p->tok.off, clen = p->tok.len;

		if (p->tok.kind != T_ID)
			fail(p, p->tok.off, p->tok.len, "expected an enumerator name, not %s",
			     tok_desc(p));
		cn = tok_str(p);
		if (find_entry(ct, cn))
			fail(p, coff, clen, "redefinition of '%s'", cn);
		next(p);
		if (p->tok.kind == '=') {
			next(p);
			v = cexpr(p, 0);
		}
		e = add_entry(ct, cn, NULL);
		e->value = v;
		if (n == cap) {
			struct cdecl_entry **nn =
				ARENA_NEWN(ct->arena, struct cdecl_entry *, 2 * cap + 1);

			memcpy(nn, names, sizeof(*nn) * (size_t)n);
			names = nn;
			cap *= 2;
		}
		names[n++] = e;
		if (n == 1 || v < lo)
			lo = v;
		if (n == 1 || v > hi)
			hi = v;
		v++;
		if (p->tok.kind != ',')
			break;
		next(p);
	}
	expect(p, '}', "',' or '}' after an enumerator");
	t = ARENA_NEW(ct->arena, struct hk_type);
	*t = *ty_int(lo < INT32_MIN || hi > (int64_t)UINT32_MAX || (lo < 0 && hi > INT32_MAX) ? 8
											      : 4,
		     lo < 0);
	t->is_enum = true;
	t->name = name;
	t->enum_name = enum_name_of;
	t->enum_data = names;
	if (key)
		add_entry(ct, key, t)->defined = true;
	return t;
}

/* Lays out the members of struct/union r (C rules, see the top of the file). */
static void layout(struct parser *p, struct hk_type *r, struct member *m, int n, bool packed)
{
	uint64_t bit = 0;
	uint32_t al = 1;
	int i, nf = 0, k;

	for (i = 0; i < n; i++)
		nf += m[i].name ? 1 : m[i].width < 0 ? m[i].t->nfields : 0;
	r->fields = ARENA_NEWN(p->ct->arena, struct ty_field, nf ? nf : 1);
	r->nfields = 0;
	for (i = 0; i < n; i++) {
		struct hk_type *t = m[i].t;
		uint32_t ta = packed ? 1 : t->align ? t->align : 1;
		uint64_t pos = r->is_union ? 0 : bit, end;
		struct ty_field *f;

		if (m[i].width >= 0) {
			uint64_t tbits = (uint64_t)t->size * 8, need;

			if (!ty_is_int(t))
				fail(p, m[i].off, m[i].len,
				     "bitfield '%s' needs an integer type, not %s",
				     m[i].name ? m[i].name : "(unnamed)", ty_name(p->ct->arena, t));
			if ((uint64_t)m[i].width > tbits)
				fail(p, m[i].off, m[i].len,
				     "bitfield '%s' is wider (%d bits) than its type (%u bits)",
				     m[i].name ? m[i].name : "(unnamed)", m[i].width,
				     (unsigned)tbits);
			if (m[i].width == 0) {
				if (m[i].name)
					fail(p, m[i].off, m[i].len, "bitfield '%s' has zero width",
					     m[i].name);
				if (!r->is_union)
					bit = (pos + tbits - 1) / tbits * tbits;
				continue;
			}
			if (!packed && pos / tbits != (pos + (uint64_t)m[i].width - 1) / tbits)
				pos = (pos + tbits - 1) / tbits * tbits;
			end = pos + (uint64_t)m[i].width;
			if (m[i].name) {
				if (ta > al)
					al = ta;
				need = (pos % 8 + (uint64_t)m[i].width + 7) / 8;
				need = need <= 1 ? 1 : need <= 2 ? 2 : need <= 4 ? 4 : 8;
				f = &r->fields[r->nfields++];
				f->name = m[i].name;
				f->type = ty_int((int)need, t->kind == TY_INT && t->is_signed);
				f->offset = (uint32_t)(pos / 8);
				f->bit_offset = (uint16_t)(pos % 8);
				f->bit_size = (uint16_t)m[i].width;
			}
		} else {
			pos = (pos + ta * 8u - 1) / (ta * 8u) * (ta * 8u);
			end = pos + (uint64_t)t->size * 8;
			if (ta > al)
				al = ta;
			if (m[i].name) {
				f = &r->fields[r->nfields++];
				f->name = m[i].name;
				f->type = t;
				f->offset = (uint32_t)(pos / 8);
			} else {
				for (k = 0; k < t->nfields; k++) {
					f = &r->fields[r->nfields++];
					*f = t->fields[k];
					f->offset += (uint32_t)(pos / 8);
				}
			}
		}
		if (end > bit)
			bit = end;
	}
	r->align = al;
	r->size = (uint32_t)(((bit + 7) / 8 + al - 1) / al * al);
}

static struct hk_type *parse_record(struct parser *p, bool *anon)
{
	struct cdecl_types *ct = p->ct;
	bool is_union = is_id(p, "union"), packed = false;
	const char *name = NULL, *key = NULL;
	struct cdecl_entry *e = NULL;
	struct hk_type *t;
	struct member *m;
	int n = 0, cap = 16;
	size_t noff = p->tok.off, nlen = p->tok.len;

	next(p);
	attrs(p, &packed);
	if (p->tok.kind == T_ID) {
		name = tok_str(p);
		noff = p->tok.off;
		nlen = p->tok.len;
		next(p);
		key = arena_printf(ct->arena, "%s %s", is_union ? "union" : "struct", name);
	}
	attrs(p, &packed);
	if (p->tok.kind != '{') {
		if (!name)
			fail(p, p->tok.off, p->tok.len, "expected a %s name or '{', not %s",
			     is_union ? "union" : "struct", tok_desc(p));
		if ((t = cdecl_find(ct, key)))
			return t;
		if (ct->lookup && (t = ct->lookup(ct->ud, key)))
			return t;
		/* declared only: completed by a later definition */
		t = ARENA_NEW(ct->arena, struct hk_type);
		t->kind = TY_STRUCT;
		t->align = 1;
		t->is_union = is_union;
		t->name = name;
		add_entry(ct, key, t);
		return t;
	}
	if (key && (e = find_entry(ct, key)) && e->defined)
		fail(p, noff, nlen, "redefinition of '%s'", key);
	if (e) {
		t = e->type;
	} else {
		t = ARENA_NEW(ct->arena, struct hk_type);
		t->kind = TY_STRUCT;
		t->is_union = is_union;
		t->name = name;
		if (key)
			e = add_entry(ct, key, t);
	}
	*anon = !name;
	next(p);
	m = ARENA_NEWN(ct->arena, struct member, cap);
	while (p->tok.kind != '}') {
		struct spec sp;

		if (p->tok.kind == T_EOF)
			fail(p, p->tok.off, 1, "missing '}' at the end of '%s'",
			     key	? key
			     : is_union ? "union"
					: "struct");
		if (!parse_spec(p, &sp))
			fail(p, p->tok.off, p->tok.len, "expected a member type, not %s",
			     tok_desc(p));
		if (p->tok.kind == ';') {
			if (sp.anon_record) {
				if (n == cap) {
					struct member *nm =
						ARENA_NEWN(ct->arena, struct member, 2 * cap);

					memcpy(nm, m, sizeof(*m) * (size_t)n);
					m = nm;
					cap *= 2;
				}
				m[n].t = sp.t;
				m[n].width = -1;
				n++;
			}
			next(p);
			continue;
		}
		for (;;) {
			struct member *cur;

			if (n == cap) {
				struct member *nm = ARENA_NEWN(ct->arena, struct member, 2 * cap);

				memcpy(nm, m, sizeof(*m) * (size_t)n);
				m = nm;
				cap *= 2;
			}
			cur = &m[n++];
			cur->width = -1;
			if (p->tok.kind == ':') { /* unnamed bitfield */
				cur->t = sp.t;
				cur->off = p->tok.off;
				cur->len = 1;
			} else {
				cur->t = declarator(p, &sp, &cur->name, &cur->off, &cur->len);
				if (!complete(ct, cur->t))
					fail(p, cur->off, cur->len,
					     "member '%s' has incomplete type %s", cur->name,
					     ty_name(ct->arena, cur->t));
			}
			if (p->tok.kind == ':') {
				int64_t w;
				size_t woff;

				next(p);
				woff = p->tok.off;
				w = cexpr(p, 0);
				if (w < 0 || w > 64)
					fail(p, woff, 1, "bad bitfield width %lld", (long long)w);
				cur->width = (int)w;
			}
			attrs(p, &packed);
			if (p->tok.kind != ',')
				break;
			next(p);
		}
		if (p->tok.kind != ';')
			fail(p, p->tok.off, p->tok.len, "expected ';' after member '%s', not %s",
			     m[n - 1].name ? m[n - 1].name : "(unnamed)", tok_desc(p));
		next(p);
	}
	next(p);
	attrs(p, &packed);
	layout(p, t, m, n, packed);
	if (e)
		e->defined = true;
	return t;
}

static struct hk_type *base_type(struct parser *p, struct spec *sp)
{
	int nlong = 0, sgn = 0, uns = 0, chr = 0, shrt = 0, in = 0, vd = 0, bl = 0, flt = 0,
	    dbl = 0, any = 0;
	size_t off = p->tok.off;

	for (;; any++) {
		if (is_id(p, "long"))
			nlong++;
		else if (is_id(p, "signed") || is_id(p, "__signed__"))
			sgn++;
		else if (is_id(p, "unsigned"))
			uns++;
		else if (is_id(p, "char"))
			chr++;
		else if (is_id(p, "short"))
			shrt++;
		else if (is_id(p, "int"))
			in++;
		else if (is_id(p, "void"))
			vd++;
		else if (is_id(p, "_Bool") || is_id(p, "bool"))
			bl++;
		else if (is_id(p, "float"))
			flt++;
		else if (is_id(p, "double"))
			dbl++;
		else if (!skip_quals(p))
			break;
		else
			continue;
		next(p);
	}
	if (!(nlong + sgn + uns + chr + shrt + in + vd + bl + flt + dbl))
		return NULL;
	if ((sgn && uns) || nlong > 2 || chr + shrt + vd + bl + flt + dbl > 1 ||
	    ((vd || bl || flt) && (nlong || sgn || uns || in)) || (chr && (nlong || in)) ||
	    (shrt && nlong) || (dbl && (nlong > 1 || sgn || uns || in)))
		fail(p, off, p->tok.off > off ? p->tok.off - off : 1,
		     "invalid combination of type words");
	if (vd)
		return &ty_voidptr_target;
	if (bl)
		return &ty_bool;
	if (flt)
		return ty_int(4, false);
	if (dbl) {
		struct hk_type *ld;

		if (!nlong)
			return ty_int(8, false);
		ld = ty_array(p->ct->arena, &ty_u8, 16); /* long double */
		ld->align = 16;
		return ld;
	}
	if (chr) {
		sp->plain_char = !sgn && !uns;
		return ty_int(1, !uns);
	}
	if (shrt)
		return ty_int(2, !uns);
	return ty_int(nlong ? 8 : 4, !uns);
}

/* A type specifier: base type words, struct/union/enum, or a typedef name.
 * false if the current token starts none. */
static bool parse_spec(struct parser *p, struct spec *sp)
{
	struct cdecl_types *ct = p->ct;

	memset(sp, 0, sizeof(*sp));
	skip_quals(p);
	if (is_id(p, "struct") || is_id(p, "union")) {
		sp->t = parse_record(p, &sp->anon_record);
	} else if (is_id(p, "enum")) {
		sp->t = parse_enum(p);
	} else if ((sp->t = base_type(p, sp))) {
		; /* int, unsigned long... */
	} else if (p->tok.kind == T_ID) {
		const char *n = tok_str(p);
		struct cdecl_entry *e = find_entry(ct, n);

		if (e && e->type)
			sp->t = e->type;
		else if (!(sp->t = builtin_typedef(n)) &&
			 !(ct->lookup && (sp->t = ct->lookup(ct->ud, n))))
			fail(p, p->tok.off, p->tok.len, "unknown type name '%s'", n);
		next(p);
	} else {
		return false;
	}
	skip_quals(p);
	return true;
}

static struct hk_type *arrays(struct parser *p, struct hk_type *t, bool plain_char)
{
	uint32_t dims[8];
	int nd = 0, i;

	while (p->tok.kind == '[') {
		int64_t v = 0;
		size_t off;

		next(p);
		off = p->tok.off;
		if (p->tok.kind != ']')
			v = cexpr(p, 0);
		if (v < 0 || v > 0x7fffffff)
			fail(p, off, 1, "bad array size %lld", (long long)v);
		expect(p, ']', "']'");
		if (nd == 8)
			fail(p, off, 1, "too many array dimensions");
		dims[nd++] = (uint32_t)v;
	}
	for (i = nd - 1; i >= 0; i--) {
		if (i == nd - 1 && plain_char && dims[i])
			t = ty_string(p->ct->arena, dims[i]);
		else
			t = ty_array(p->ct->arena, t, dims[i]);
	}
	return t;
}

/* `* * name [N][M]`, `(*name)(args)` (function pointers are void *). */
static struct hk_type *declarator(struct parser *p, const struct spec *sp, const char **name,
				  size_t *noff, size_t *nlen)
{
	struct hk_type *t = sp->t;
	bool plain_char = sp->plain_char;
	int inner = 0;

	while (p->tok.kind == '*') {
		next(p);
		skip_quals(p);
		t = ty_ptr(p->ct->arena, t, AS_NONE);
		plain_char = false;
	}
	if (p->tok.kind == '(') {
		next(p);
		while (p->tok.kind == '*') {
			next(p);
			skip_quals(p);
			inner++;
		}
		if (!inner)
			fail(p, p->tok.off, p->tok.len, "expected '*' in a declarator");
	}
	if (p->tok.kind != T_ID)
		fail(p, p->tok.off, p->tok.len, "expected a name, not %s", tok_desc(p));
	*name = tok_str(p);
	*noff = p->tok.off;
	*nlen = p->tok.len;
	next(p);
	if (inner) {
		/* (*name)(args): a function pointer */
		if (p->tok.kind == '[')
			fail(p, *noff, *nlen,
			     "arrays of pointers in parentheses are not supported");
		expect(p, ')', "')'");
		if (p->tok.kind == '(') {
			int depth = 0;

			do {
				if (p->tok.kind == '(')
					depth++;
				else if (p->tok.kind == ')')
					depth--;
				else if (p->tok.kind == T_EOF)
					fail(p, p->tok.off, 1, "missing ')'");
				next(p);
			} while (depth > 0);
			t = &ty_voidptr_target;
		}
		while (inner--)
			t = ty_ptr(p->ct->arena, t, AS_NONE);
		return arrays(p, t, false);
	}
	return arrays(p, t, plain_char);
}

static void parse_typedef(struct parser *p)
{
	struct spec sp;

	next(p);
	if (!parse_spec(p, &sp))
		fail(p, p->tok.off, p->tok.len, "expected a type after 'typedef', not %s",
		     tok_desc(p));
	for (;;) {
		const char *name;
		size_t off, len;
		struct hk_type *t = declarator(p, &sp, &name, &off, &len);
		struct cdecl_entry *e = find_entry(p->ct, name);

		if (e && e->type != t)
			fail(p, off, len, "redefinition of '%s'", name);
		if (t->kind == TY_STRUCT && !t->name)
			t->name = name;
		if (!e)
			add_entry(p->ct, name, t)->defined = true;
		if (p->tok.kind != ',')
			break;
		next(p);
	}
}

int cdecl_parse(struct cdecl_types *ct, const char *text, struct cdecl_error *err)
{
	struct parser p = {.ct = ct, .text = text, .err = err};

	memset(err, 0, sizeof(*err));
	if (setjmp(p.jb))
		return -1;
	next(&p);
	while (p.tok.kind != T_EOF) {
		struct spec sp;

		if (is_id(&p, "typedef")) {
			parse_typedef(&p);
		} else if (!parse_spec(&p, &sp)) {
			fail(&p, p.tok.off, p.tok.len,
			     "expected a struct, union, enum or typedef definition, not %s",
			     tok_desc(&p));
		} else if (p.tok.kind != ';') {
			if (p.tok.kind == T_EOF)
				fail(&p, p.tok.off, 1, "expected ';' after the definition");
			fail(&p, p.tok.off, p.tok.len,
			     "expected ';' after the definition, not %s (variables cannot be "
			     "declared here)",
			     tok_desc(&p));
		}
		if (p.tok.kind != ';')
			fail(&p, p.tok.off, p.tok.len ? p.tok.len : 1,
			     "expected ';' after the definition, not %s", tok_desc(&p));
		next(&p);
	}
	return 0;
}
