/*
 * test_lang_cdecl.c - the C definition parser (lang/cdecl.c): sizes,
 * alignments, member offsets and bitfield positions compared with what gcc
 * gives on x86-64 for the same definitions, field types (char arrays are
 * strings), enums, typedefs, forward declarations, the lookup of types
 * defined elsewhere, and the errors with their offsets.
 */
#include <string.h>

#include "check.h"
#include "lang/arena.h"
#include "lang/cdecl.h"
#include "lang/types.h"

static struct arena A;
static struct cdecl_types CT;

static int parse(const char *text)
{
	struct cdecl_error err;
	int r = cdecl_parse(&CT, text, &err);

	if (r)
		fprintf(stderr, "cdecl error at %zu: %s\n", err.offset, err.msg);
	return r;
}

static const struct ty_field *F(const char *type, const char *field)
{
	const struct ty_field *f = ty_field_find(cdecl_find(&CT, type), field);

	if (!f)
		fprintf(stderr, "no field %s in %s\n", field, type);
	return f;
}

#define SIZE(type, sz, al)                                                                    \
	do {                                                                                  \
		struct hk_type *t_ = cdecl_find(&CT, type);                                   \
		CHECK(t_ && t_->size == (sz) && t_->align == (al));                           \
		if (t_ && (t_->size != (sz) || t_->align != (al)))                            \
			fprintf(stderr, "%s: size %u align %u\n", type, t_->size, t_->align); \
	} while (0)
#define OFF(type, field, off)                                                           \
	do {                                                                            \
		const struct ty_field *f_ = F(type, field);                             \
		CHECK(f_ && f_->offset == (off));                                       \
		if (f_ && f_->offset != (off))                                          \
			fprintf(stderr, "%s.%s: offset %u\n", type, field, f_->offset); \
	} while (0)
/* a bitfield at bit `bit` from the start of the struct, `w` bits wide */
#define BITS(ty, field, bit, w)                                                               \
	do {                                                                                  \
		const struct ty_field *f_ = F(ty, field);                                     \
		CHECK(f_ && f_->offset * 8 + f_->bit_offset == (bit) && f_->bit_size == (w)); \
		CHECK(f_ && f_->offset + f_->type->size <= cdecl_find(&CT, ty)->size);        \
	} while (0)

/* The definitions given to gcc (same text). */
static const char *const defs[] = {
	"struct Foo { int a; char name[16]; unsigned long long b; struct Foo *next; };",
	"struct Bits { char c; int x : 3; unsigned y : 7; int : 0; short z : 4; "
	"unsigned long long w : 40; };",
	"struct U8 { char a; union { int i; char c[7]; } u; short s; };",
	"struct Anon { int a; union { long l; char b; }; struct { short s1, s2; }; char tail; };",
	"struct __attribute__((packed)) P { char a; int b; long long c; };",
	"struct P2 { char a; int b; short bits : 3; } __attribute__((packed));",
	"typedef struct { uint8_t x; u64 y; __u16 z; size_t n; pid_t pid; bool f; } T_t;",
	"enum E { E_A = 1, E_B, E_C = 1 << 4 };",
	"struct WithEnum { char c; enum E e; int arr[E_B]; };",
	"struct Multi { int m[2][3]; char strs[4][8]; unsigned char bytes[5]; "
	"void (*fn)(int, char *); long double ld; };",
	"struct BF2 { unsigned char a : 3, b : 6; unsigned int c : 30, d : 4; };",
	"struct Mixed { long x; char c : 2; int y : 31; short s; };",
};

static void test_layouts(void)
{
	size_t i;

	for (i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
		CHECK(parse(defs[i]) == 0);

	SIZE("struct Foo", 40, 8);
	OFF("struct Foo", "a", 0);
	OFF("struct Foo", "name", 4);
	OFF("struct Foo", "b", 24);
	OFF("struct Foo", "next", 32);
	CHECK(F("struct Foo", "name")->type->kind == TY_STRING);
	CHECK(F("struct Foo", "name")->type->size == 16);
	CHECK(F("struct Foo", "b")->type == &ty_u64);
	CHECK(F("struct Foo", "a")->type == &ty_s32);
	CHECK(F("struct Foo", "next")->type->kind == TY_PTR);
	CHECK(F("struct Foo", "next")->type->elem == cdecl_find(&CT, "struct Foo"));

	SIZE("struct Bits", 16, 8);
	BITS("struct Bits", "x", 8, 3);
	BITS("struct Bits", "y", 11, 7);
	BITS("struct Bits", "z", 32, 4);
	BITS("struct Bits", "w", 64, 40);
	CHECK(F("struct Bits", "x")->type->is_signed);
	CHECK(!F("struct Bits", "y")->type->is_signed);
	CHECK(F("struct Bits", "w")->type->size == 8);

	SIZE("struct U8", 16, 4);
	OFF("struct U8", "u", 4);
	OFF("struct U8", "s", 12);
	CHECK(F("struct U8", "u")->type->is_union && F("struct U8", "u")->type->size == 8);

	SIZE("struct Anon", 24, 8);
	OFF("struct Anon", "l", 8);
	OFF("struct Anon", "b", 8);
	OFF("struct Anon", "s1", 16);
	OFF("struct Anon", "s2", 18);
	OFF("struct Anon", "tail", 20);

	SIZE("struct P", 13, 1);
	OFF("struct P", "b", 1);
	OFF("struct P", "c", 5);
	SIZE("struct P2", 6, 1);
	OFF("struct P2", "b", 1);
	BITS("struct P2", "bits", 40, 3);

	SIZE("T_t", 40, 8);
	OFF("T_t", "y", 8);
	OFF("T_t", "z", 16);
	OFF("T_t", "n", 24);
	OFF("T_t", "pid", 32);
	OFF("T_t", "f", 36);
	CHECK(F("T_t", "pid")->type == &ty_s32);
	CHECK(F("T_t", "f")->type == &ty_bool);

	SIZE("enum E", 4, 4);
	CHECK(cdecl_find(&CT, "enum E")->is_enum);
	CHECK(!strcmp(cdecl_find(&CT, "enum E")->enum_name(cdecl_find(&CT, "enum E"), 2), "E_B"));
	CHECK(!strcmp(cdecl_find(&CT, "enum E")->enum_name(cdecl_find(&CT, "enum E"), 16), "E_C"));
	SIZE("struct WithEnum", 16, 4);
	OFF("struct WithEnum", "e", 4);
	OFF("struct WithEnum", "arr", 8);
	CHECK(F("struct WithEnum", "arr")->type->count == 2);

	SIZE("struct Multi", 96, 16);
	OFF("struct Multi", "strs", 24);
	OFF("struct Multi", "bytes", 56);
	OFF("struct Multi", "fn", 64);
	OFF("struct Multi", "ld", 80);
	CHECK(F("struct Multi", "m")->type->kind == TY_ARRAY &&
	      F("struct Multi", "m")->type->count == 2);
	CHECK(F("struct Multi", "m")->type->elem->count == 3);
	CHECK(F("struct Multi", "strs")->type->elem->kind == TY_STRING);
	CHECK(F("struct Multi", "bytes")->type->kind == TY_ARRAY); /* unsigned char: not a string */
	CHECK(F("struct Multi", "fn")->type->kind == TY_PTR);

	SIZE("struct BF2", 12, 4);
	BITS("struct BF2", "a", 0, 3);
	BITS("struct BF2", "b", 8, 6);
	BITS("struct BF2", "c", 32, 30);
	BITS("struct BF2", "d", 64, 4);

	SIZE("struct Mixed", 24, 8);
	BITS("struct Mixed", "c", 64, 2);
	BITS("struct Mixed", "y", 96, 31);
	OFF("struct Mixed", "s", 16);
}

static struct hk_type kernel_task = {.kind = TY_STRUCT, .size = 9000, .align = 64, .btf_id = 7};

static struct hk_type *fake_lookup(void *ud, const char *name)
{
	(*(int *)ud)++;
	if (!strcmp(name, "struct task_struct"))
		return &kernel_task;
	if (!strcmp(name, "dev_t"))
		return &ty_u32;
	return NULL;
}

static void test_lookup_and_forward(void)
{
	int calls = 0;

	CT.lookup = fake_lookup;
	CT.ud = &calls;
	CHECK(parse("struct K { struct task_struct *t; dev_t dev; struct task_struct copy; };") ==
	      0);
	CHECK(calls == 3);
	CHECK(F("struct K", "t")->type->elem == &kernel_task);
	OFF("struct K", "dev", 8);
	OFF("struct K", "copy", 64);
	SIZE("struct K", 9088, 64);

	/* pointers to structs defined later (or never) */
	CHECK(parse("struct Node { struct Later *l; int v; };") == 0);
	CHECK(cdecl_find(&CT, "struct Later")->size == 0);
	CHECK(parse("struct Later { long x, y; };") == 0);
	CHECK(F("struct Node", "l")->type->elem == cdecl_find(&CT, "struct Later"));
	SIZE("struct Later", 16, 8);
	CHECK(parse("struct Fwd;") == 0);
	CHECK(parse("typedef struct Foo foo_t, *foo_p; typedef unsigned int myint;") == 0);
	CHECK(cdecl_find(&CT, "foo_t") == cdecl_find(&CT, "struct Foo"));
	CHECK(cdecl_find(&CT, "foo_p")->kind == TY_PTR);
	CHECK(cdecl_find(&CT, "myint") == &ty_u32);
	CHECK(parse("struct UsesTd { myint a; foo_t f; /* comment */ char c; // more\n };") == 0);
	SIZE("struct UsesTd", 56, 8);
	OFF("struct UsesTd", "f", 8);
	CHECK(parse("union V { int i; char s[5]; unsigned long long u : 33; };") == 0);
	SIZE("union V", 8, 8);
	CHECK(cdecl_find(&CT, "union V")->is_union);
	CHECK(parse("enum Neg { N_A = -2, N_B }; struct FlexArr { int n; char data[]; };") == 0);
	CHECK(cdecl_find(&CT, "enum Neg")->is_signed);
	SIZE("struct FlexArr", 4, 4);
	OFF("struct FlexArr", "data", 4);
	CT.lookup = NULL;
}

/* The error and the offset of what it points at. */
static void err_at(const char *text, const char *msg, const char *at)
{
	struct cdecl_error err;

	CHECK(cdecl_parse(&CT, text, &err) == -1);
	if (!strstr(err.msg, msg))
		fprintf(stderr, "got '%s', want '%s'\n", err.msg, msg);
	CHECK(strstr(err.msg, msg) != NULL);
	if (at) {
		CHECK(err.offset == (size_t)(strstr(text, at) - text));
		if (err.offset != (size_t)(strstr(text, at) - text))
			fprintf(stderr, "'%s': offset %zu, want %zu\n", msg, err.offset,
				(size_t)(strstr(text, at) - text));
	} else {
		CHECK(err.offset == strlen(text));
	}
}

static void test_errors(void)
{
	err_at("struct E1 { int a; bogus_t b; };", "unknown type name 'bogus_t'", "bogus_t");
	err_at("struct E2 { int a int b; };", "expected ';' after member 'a'", "int b");
	err_at("struct E3 { int a; }", "expected ';' after the definition", NULL);
	err_at("struct E4 { int a; ", "missing '}'", NULL);
	err_at("struct E5 { struct Nope n; };", "incomplete type struct Nope", "n;");
	err_at("struct E6 { int x : 40; };", "wider (40 bits) than its type (32 bits)", "x :");
	err_at("struct E7 { char *p : 3; };", "needs an integer type", "p :");
	err_at("struct Foo { int again; };", "redefinition of 'struct Foo'", "Foo");
	err_at("struct E8 { int a[N]; };", "'N' is not a constant", "N]");
	err_at("struct E9 { long long long x; };", "invalid combination", "long long long");
	err_at("struct E10 { int a; } var;", "variables cannot be declared here", "var");
	err_at("int x;", "expected ';' after the definition", "x;");
	err_at("struct E11 { unsigned signed a; };", "invalid combination", "unsigned");
	err_at("struct E12 { void v; };", "incomplete type", "v;");
	err_at("enum E { Z };", "redefinition of 'enum E'", "E {");
}

int main(void)
{
	arena_init(&A);
	cdecl_init(&CT, &A);
	test_layouts();
	test_lookup_and_forward();
	test_errors();
	arena_free(&A);
	return check_done();
}
