/*
 * test_output_values.c - single values in text and JSON (out_value,
 * out_value_json): integers, bools, strings and their truncation trailer,
 * tuples, records, structs (with bitfields), arrays, buffers, pointers,
 * symbols, enums and the special types.
 *
 * Expected forms are bpftrace's: print() cases of its runtime tests
 * ("(1, 2, string)", "{ .m = 2, .n = 3 }", "[1,2,3,4]", JSON
 * [1,2,"string"], {"m": 2, "n": 3}, [0,{"m": 2, "n": 3}], [true,false]).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "output_fixture.h"
#include "lang/types.h"

static const char *text(const struct hk_type *t, const void *d)
{
	cap_begin(OUT_TEXT);
	out_value(&o, t, d);
	return cap_end();
}

static const char *json(const struct hk_type *t, const void *d)
{
	cap_begin(OUT_JSON);
	out_value_json(&o, t, d);
	return cap_end();
}

static struct hk_type *tuple2(struct hk_type *a, struct hk_type *b, const char *na, const char *nb)
{
	struct hk_type *e[2] = {a, b};
	const char *names[2] = {na, nb};

	return ty_tuple(&A, e, na ? names : NULL, 2);
}

static void test_ints(void)
{
	int64_t s = -3;
	uint64_t u = UINT64_MAX;
	int8_t s8 = -128;
	uint8_t u8 = 200;
	int16_t s16 = -2;
	uint32_t u32 = 4000000000u;
	uint8_t b = 1, f = 0;

	CHECK_STR(text(&ty_s64, &s), "-3");
	CHECK_STR(text(&ty_u64, &u), "18446744073709551615");
	CHECK_STR(text(&ty_s8, &s8), "-128");
	CHECK_STR(text(&ty_u8, &u8), "200");
	CHECK_STR(text(&ty_s16, &s16), "-2");
	CHECK_STR(text(&ty_u32, &u32), "4000000000");
	CHECK_STR(text(&ty_bool, &b), "true");
	CHECK_STR(text(&ty_bool, &f), "false");
	CHECK_STR(json(&ty_s64, &s), "-3");
	CHECK_STR(json(&ty_bool, &b), "true");
	CHECK_STR(json(&ty_u32, &u32), "4000000000");
	/* integers a double cannot hold exactly are strings in JSON */
	CHECK_STR(json(&ty_u64, &u), "\"18446744073709551615\"");
	u = (1ull << 53) + 1;
	CHECK_STR(json(&ty_u64, &u), "\"9007199254740993\"");
	u = 1ull << 60;
	CHECK_STR(json(&ty_u64, &u), "1152921504606846976");
	s = INT64_MIN + 1;
	CHECK_STR(json(&ty_s64, &s), "\"-9223372036854775807\"");
	s = INT64_MIN;
	CHECK_STR(json(&ty_s64, &s), "-9223372036854775808");
}

static void test_strings(void)
{
	struct hk_type *s8 = ty_string(&A, 8), *s4 = ty_string(&A, 4);
	char v[8] = "abc", full[4] = {'a', 'b', 'c', 'd'};
	char esc[8] = "a\"b\\\n\t";

	CHECK_STR(text(s8, v), "abc");
	CHECK_STR(json(s8, v), "\"abc\"");
	/* filled buffer: truncated, trailer appended (text and JSON) */
	CHECK_STR(text(s4, full), "abcd..");
	CHECK_STR(json(s4, full), "\"abcd..\"");
	cap_begin(OUT_TEXT);
	o.trunc_trailer = "";
	out_value(&o, s4, full);
	CHECK_STR(cap_end(), "abcd");
	CHECK_STR(json(s8, esc), "\"a\\\"b\\\\\\n\\t\"");
	/* bpftrace's scalar_str case: "a b \n d e" */
	{
		struct hk_type *s16 = ty_string(&A, 16);
		char w[16] = "a b \n d e";

		CHECK_STR(json(s16, w), "\"a b \\n d e\"");
		CHECK_STR(text(s16, w), "a b \n d e");
	}
}

static void test_tuples_records(void)
{
	struct hk_type *str = ty_string(&A, 8), *t, *rec, *inner, *outer, *e3[3];
	unsigned char d[64] = {0};
	int64_t one = 1, two = 2, m3 = -3;

	/* (1, 2, "string") */
	e3[0] = &ty_s64;
	e3[1] = &ty_s64;
	e3[2] = ty_string(&A, 8);
	t = ty_tuple(&A, e3, NULL, 3);
	memcpy(d, &one, 8);
	memcpy(d + 8, &two, 8);
	memcpy(d + 16, "string", 6);
	CHECK_STR(text(t, d), "(1, 2, string)");
	CHECK_STR(json(t, d), "[1,2,\"string\"]");

	/* (1, "two", -3) with an int32 */
	e3[1] = str;
	e3[2] = &ty_s32;
	t = ty_tuple(&A, e3, NULL, 3);
	memset(d, 0, sizeof(d));
	memcpy(d, &one, 8);
	memcpy(d + 8, "two", 3);
	memcpy(d + 16, &m3, 4);
	CHECK_STR(text(t, d), "(1, two, -3)");
	CHECK_STR(json(t, d), "[1,\"two\",-3]");

	/* records: { .m = 2, .n = 3 } / {"m": 2, "n": 3} */
	rec = tuple2(&ty_s32, &ty_s32, "m", "n");
	memset(d, 0, sizeof(d));
	d[0] = 2;
	d[4] = 3;
	CHECK_STR(text(rec, d), "{ .m = 2, .n = 3 }");
	CHECK_STR(json(rec, d), "{\"m\": 2, \"n\": 3}");

	/* (0, struct) -> [0,{"m": 2, "n": 3}] */
	outer = tuple2(&ty_s64, rec, NULL, NULL);
	memset(d, 0, sizeof(d));
	d[8] = 2;
	d[12] = 3;
	CHECK_STR(json(outer, d), "[0,{\"m\": 2, \"n\": 3}]");
	CHECK_STR(text(outer, d), "(0, { .m = 2, .n = 3 })");

	/* nested tuples */
	inner = tuple2(&ty_s64, &ty_s64, NULL, NULL);
	outer = tuple2(&ty_s64, inner, NULL, NULL);
	memset(d, 0, sizeof(d));
	d[0] = 1;
	d[8] = 4;
	d[16] = 5;
	CHECK_STR(text(outer, d), "(1, (4, 5))");
	CHECK_STR(json(outer, d), "[1,[4,5]]");

	/* (true, false) */
	t = tuple2(&ty_bool, &ty_bool, NULL, NULL);
	memset(d, 0, sizeof(d));
	d[0] = 1;
	CHECK_STR(json(t, d), "[true,false]");
	CHECK_STR(text(t, d), "(true, false)");

	/* an empty record */
	rec = ty_tuple(&A, NULL, (const char *[]){NULL}, 0);
	CHECK_STR(text(rec, d), "{}");
	CHECK_STR(json(rec, d), "{}");
}

static void test_structs_arrays(void)
{
	struct hk_type st = {.kind = TY_STRUCT, .size = 8, .align = 4, .name = "Foo"};
	struct ty_field f[3] = {
		{.name = "a", .type = &ty_s32, .offset = 0},
		{.name = "flag", .type = &ty_u32, .offset = 4, .bit_offset = 0, .bit_size = 1},
		{.name = "neg", .type = &ty_s32, .offset = 4, .bit_offset = 1, .bit_size = 3},
	};
	struct hk_type *arr, *arr2, *y, *a, *outer;
	int32_t iv[4] = {1, 2, 3, 4};
	unsigned char d[32] = {0};
	uint32_t bits = 1 | (6u << 1); /* flag 1, neg = 0b110 = -2 */

	st.fields = f;
	st.nfields = 3;
	d[0] = 7;
	memcpy(d + 4, &bits, 4);
	CHECK_STR(text(&st, d), "{ .a = 7, .flag = 1, .neg = -2 }");
	CHECK_STR(json(&st, d), "{\"a\": 7, \"flag\": 1, \"neg\": -2}");

	arr = ty_array(&A, &ty_s32, 4);
	CHECK_STR(text(arr, iv), "[1,2,3,4]");
	CHECK_STR(json(arr, iv), "[1,2,3,4]");
	arr2 = ty_array(&A, ty_array(&A, &ty_s32, 2), 2);
	{
		int32_t m[4] = {5, 6, 7, 8};

		CHECK_STR(text(arr2, m), "[[5,6],[7,8]]");
		CHECK_STR(json(arr2, m), "[[5,6],[7,8]]");
	}
	/* struct Foo { struct { int m[1] } y; struct { int n; } a; } */
	y = ty_tuple(&A, (struct hk_type *[]){ty_array(&A, &ty_s32, 1)}, (const char *[]){"m"}, 1);
	a = ty_tuple(&A, (struct hk_type *[]){&ty_s32}, (const char *[]){"n"}, 1);
	outer = tuple2(y, a, "y", "a");
	memset(d, 0, sizeof(d));
	d[0] = 2;
	d[4] = 3;
	CHECK_STR(json(outer, d), "{\"y\": {\"m\": [2]}, \"a\": {\"n\": 3}}");
	CHECK_STR(text(outer, d), "{ .y = { .m = [2] }, .a = { .n = 3 } }");
}

static const char *ksym_cb(void *ctx, uint64_t addr, char *buf, size_t len)
{
	if (addr != 0xffffffff81000000ull)
		return NULL;
	snprintf(buf, len, "%s", (const char *)ctx);
	return buf;
}

static const char *enum_name(const struct hk_type *t, int64_t v)
{
	return v == 333 ? "FOO" : NULL;
}

static void test_special(void)
{
	struct hk_type *p = ty_ptr(&A, &ty_s16, AS_KERNEL), en = ty_s64;
	struct hk_type usym = {.kind = TY_USYM, .size = 16, .align = 8};
	struct hk_type mac = {.kind = TY_MACADDR, .size = 6, .align = 1};
	struct hk_type serr = {.kind = TY_STRERROR, .size = 8, .align = 8};
	struct hk_type inet = {.kind = TY_INET, .size = 24, .align = 8};
	struct hk_type none = {.kind = TY_NONE};
	uint64_t addr = 0x32, k = 0xffffffff81000000ull, k2 = 0xffffffff81000010ull;
	int64_t e = 333, e2 = 4, err7 = 7;
	unsigned char m[6] = {5, 4, 3, 2, 1, 0xab}, in[24] = {0};

	/* bpftrace's print_hex_values: text 0x32, JSON 50 */
	CHECK_STR(text(p, &addr), "0x32");
	CHECK_STR(json(p, &addr), "50");

	CHECK_STR(text(&ty_ksym, &k), "0xffffffff81000000");
	cap_begin(OUT_TEXT);
	o.ksym = ksym_cb;
	o.sym_ctx = "do_nanosleep";
	out_value(&o, &ty_ksym, &k);
	out_value(&o, &ty_ksym, &k2);
	CHECK_STR(cap_end(), "do_nanosleep0xffffffff81000010");
	cap_begin(OUT_JSON);
	o.ksym = ksym_cb;
	o.sym_ctx = "do_nanosleep";
	out_value_json(&o, &ty_ksym, &k);
	CHECK_STR(cap_end(), "\"do_nanosleep\"");

	/* bpftrace's usym case: an unresolved usym prints as hex */
	addr = 1;
	CHECK_STR(text(&usym, &addr), "0x1");

	/* enums: names in text, numbers in JSON (enum_not_symbolized) */
	en.is_enum = true;
	en.enum_name = enum_name;
	CHECK_STR(text(&en, &e), "FOO");
	CHECK_STR(json(&en, &e), "333");
	CHECK_STR(text(&en, &e2), "4");

	CHECK_STR(text(&mac, m), "05:04:03:02:01:AB");
	CHECK_STR(json(&mac, m), "\"05:04:03:02:01:AB\"");
	/* bpftrace's strerror case */
	CHECK_STR(text(&serr, &err7), "Argument list too long");
	CHECK_STR(json(&serr, &err7), "\"Argument list too long\"");

	in[0] = 2; /* AF_INET */
	in[8] = 127;
	in[11] = 1;
	CHECK_STR(text(&inet, in), "127.0.0.1");
	CHECK_STR(json(&inet, in), "\"127.0.0.1\"");
	memset(in, 0, sizeof(in));
	in[0] = 10; /* AF_INET6 */
	in[23] = 1;
	CHECK_STR(text(&inet, in), "::1");

	CHECK_STR(text(&none, in), "null");
	CHECK_STR(json(&none, in), "null");
}

static void test_buffers(void)
{
	struct hk_type *b = ty_buffer(&A, 8);
	unsigned char d[12] = {0};
	uint32_t len = 8;

	/* bpftrace's buf_map_key: "ok_key" then two NULs */
	memcpy(d, &len, 4);
	memcpy(d + 4, "ok_key", 6);
	CHECK_STR(text(b, d), "ok_key\\x00\\x00");
	len = 3;
	memcpy(d, &len, 4);
	d[6] = 0xff;
	CHECK_STR(json(b, d), "[111,107,-1]");
}

int main(void)
{
	fixture_init();
	test_ints();
	test_strings();
	test_tuples_records();
	test_structs_arrays();
	test_special();
	test_buffers();
	fixture_free();
	return check_done();
}
