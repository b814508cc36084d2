/*
 * test_output_printf.c - printf() formatting (out_printf, out_format_string).
 *
 * Expected strings were checked against bpftrace 0.17 where it supports the
 * format (flags, widths, %c, %p, %r...). Where hawk follows bpftrace 0.26
 * instead, the case says so: integers print all 64 bits (0.17 passed them to
 * a 32-bit %d), "%%" prints "%" (0.17 printed "%%"), hh/h still narrow.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "output_fixture.h"
#include "lang/resources.h"
#include "lang/types.h"

/* An event under construction: arguments appended with their types, each
 * at its natural alignment in the payload. */
struct ev {
	struct res_event e;
	struct hk_type *types[16];
	uint32_t offs[16];
	unsigned char payload[1024];
	uint32_t size;
};

static void ev_init(struct ev *v, const char *fmt)
{
	memset(v, 0, sizeof(*v));
	v->e.kind = EV_PRINTF;
	v->e.fmt = fmt;
	v->e.args = v->types;
	v->e.offsets = v->offs;
	v->e.map_id = -1;
}

static void ev_arg(struct ev *v, struct hk_type *t, const void *data)
{
	uint32_t al = t->align ? t->align : 1;

	v->size = (v->size + al - 1) / al * al;
	v->types[v->e.nargs] = t;
	v->offs[v->e.nargs++] = v->size;
	memcpy(v->payload + v->size, data, t->size);
	v->size += t->size;
	v->e.size = v->size;
}

static void ev_int(struct ev *v, struct hk_type *t, int64_t x)
{
	ev_arg(v, t, &x); /* little-endian: the low bytes come first */
}

static void ev_str(struct ev *v, uint32_t size, const char *s)
{
	char buf[256] = {0};

	strncpy(buf, s, sizeof(buf) - 1);
	ev_arg(v, ty_string(&A, size), buf);
}

static void ev_buf(struct ev *v, uint32_t cap, const void *bytes, uint32_t len)
{
	unsigned char buf[256] = {0};

	memcpy(buf, &len, 4);
	memcpy(buf + 4, bytes, len);
	ev_arg(v, ty_buffer(&A, cap), buf);
}

static const char *run(struct ev *v)
{
	cap_begin(OUT_TEXT);
	out_printf(&o, &v->e, v->payload);
	return cap_end();
}

static void test_ints(void)
{
	struct ev v;

	ev_init(&v, "[%5d] [%-5d] [%05d] [%.3d] [%8.3d]\n");
	ev_int(&v, &ty_s64, 42);
	ev_int(&v, &ty_s64, 42);
	ev_int(&v, &ty_s64, 42);
	ev_int(&v, &ty_s64, 7);
	ev_int(&v, &ty_s64, 7);
	CHECK_STR(run(&v), "[   42] [42   ] [00042] [007] [     007]\n");

	ev_init(&v, "[%+d] [% d] [%#x] [%#o] [%X] [%o] [%i]\n");
	ev_int(&v, &ty_s64, 42);
	ev_int(&v, &ty_s64, 42);
	ev_int(&v, &ty_s64, 255);
	ev_int(&v, &ty_s64, 8);
	ev_int(&v, &ty_u64, 255);
	ev_int(&v, &ty_u64, 8);
	ev_int(&v, &ty_s32, -12);
	CHECK_STR(run(&v), "[+42] [ 42] [0xff] [010] [FF] [10] [-12]\n");

	/* 0.26: all 64 bits, read by type size and signedness */
	ev_init(&v, "[%d] [%u] [%x] [%d] [%d] [%x] [%u]\n");
	ev_int(&v, &ty_s64, 5000000000LL);
	ev_int(&v, &ty_s64, -1);
	ev_int(&v, &ty_s64, -1);
	ev_int(&v, &ty_s8, -1);
	ev_int(&v, &ty_u8, 255);
	ev_int(&v, &ty_s32, -1);
	ev_int(&v, &ty_u32, 0xffffffffu);
	CHECK_STR(run(&v), "[5000000000] [18446744073709551615] [ffffffffffffffff] [-1] [255] "
			   "[ffffffffffffffff] [4294967295]\n");

	ev_init(&v, "%.0d|%5.0d|%d|%d\n");
	ev_int(&v, &ty_s64, 0);
	ev_int(&v, &ty_s64, 0);
	ev_int(&v, &ty_bool, 1);
	ev_int(&v, &ty_s16, -300);
	CHECK_STR(run(&v), "|     |1|-300\n");
}

static void test_length_modifiers(void)
{
	struct ev v;

	/* bpftrace's printf_length_modifiers case: hh and h narrow */
	ev_init(&v, "%hhx %hx %x %jx\n");
	ev_int(&v, &ty_s64, 0x12345678abcdefLL);
	ev_int(&v, &ty_s64, 0x12345678abcdefLL);
	ev_int(&v, &ty_s64, 0x12345678abcdefLL);
	ev_int(&v, &ty_s64, 0x12345678abcdefLL);
	CHECK_STR(run(&v), "ef cdef 12345678abcdef 12345678abcdef\n");

	/* 0.17: [44] [4464] [-1] [-1] [18446744073709551615] [1] [2] [3] */
	ev_init(&v, "[%hhd] [%hd] [%ld] [%lld] [%lu] [%zd] [%jd] [%td]\n");
	ev_int(&v, &ty_s64, 300);
	ev_int(&v, &ty_s64, 70000);
	ev_int(&v, &ty_s64, -1);
	ev_int(&v, &ty_s64, -1);
	ev_int(&v, &ty_s64, -1);
	ev_int(&v, &ty_s64, 1);
	ev_int(&v, &ty_s64, 2);
	ev_int(&v, &ty_s64, 3);
	CHECK_STR(run(&v), "[44] [4464] [-1] [-1] [18446744073709551615] [1] [2] [3]\n");

	ev_init(&v, "%lx %llx %hhu\n");
	ev_int(&v, &ty_s64, -1);
	ev_int(&v, &ty_s64, 0x12345678abcdefLL);
	ev_int(&v, &ty_s64, -1);
	CHECK_STR(run(&v), "ffffffffffffffff 12345678abcdef 255\n");
}

static void test_chars_ptrs(void)
{
	struct ev v;

	ev_init(&v, "[%c] [%c%c] %5c|%-3c|\n");
	ev_int(&v, &ty_s64, 65);
	ev_int(&v, &ty_s64, 104);
	ev_int(&v, &ty_s64, 105);
	ev_int(&v, &ty_s64, 65);
	ev_int(&v, &ty_s64, 66);
	CHECK_STR(run(&v), "[A] [hi]     A|B  |\n");

	/* bpftrace's printf_char case */
	ev_init(&v, "%c%c%c%c\n");
	ev_int(&v, &ty_s64, 0x41);
	ev_int(&v, &ty_s64, 0x42);
	ev_int(&v, &ty_s64, 0x43);
	ev_int(&v, &ty_s64, 0x44);
	CHECK_STR(run(&v), "ABCD\n");

	ev_init(&v, "[%p] [%p] [%-10p]\n");
	ev_int(&v, &ty_u64, 0);
	ev_int(&v, &ty_u64, 4096);
	ev_int(&v, ty_ptr(&A, &ty_u8, AS_KERNEL), 0x32);
	CHECK_STR(run(&v), "[(nil)] [0x1000] [0x32      ]\n");
}

static void test_strings(void)
{
	struct ev v;

	ev_init(&v, "[%s] [%10s] [%-10s] [%.2s] [%s|]\n");
	ev_str(&v, 16, "abc");
	ev_str(&v, 16, "abc");
	ev_str(&v, 16, "abc");
	ev_str(&v, 16, "abc");
	ev_str(&v, 16, "");
	CHECK_STR(run(&v), "[abc] [       abc] [abc       ] [ab] [|]\n");

	ev_init(&v, "%-8s|%8s|\n");
	ev_str(&v, 16, "bpftrace");
	ev_str(&v, 16, "bpftrace");
	CHECK_STR(run(&v), "bpftrace|bpftrace|\n");

	/* a string that fills its buffer was truncated: bpftrace's trailer */
	ev_init(&v, "P: %s\n");
	ev_str(&v, 5, "/usr/bin");
	CHECK_STR(run(&v), "P: /usr/..\n");
	o.trunc_trailer = "_xxx";
	cap_begin(OUT_TEXT);
	o.trunc_trailer = "_xxx";
	out_printf(&o, &v.e, v.payload);
	CHECK_STR(cap_end(), "P: /usr/_xxx\n");

	/* bpftrace's printf_more_arguments case */
	ev_init(&v, "%dst: %sa; %dnd: %sb;; %drd: %sc;;; %dth: %sd;;;;\n");
	ev_int(&v, &ty_s64, 1);
	ev_str(&v, 8, "a");
	ev_int(&v, &ty_s64, 2);
	ev_str(&v, 8, "ab");
	ev_int(&v, &ty_s64, 3);
	ev_str(&v, 8, "abc");
	ev_int(&v, &ty_s64, 4);
	ev_str(&v, 8, "abcd");
	CHECK_STR(run(&v), "1st: aa; 2nd: abb;; 3rd: abcc;;; 4th: abcdd;;;;\n");
}

static const char *enum_name(const struct hk_type *t, int64_t v)
{
	return v == 1 ? "ONE" : v == 2 ? "TWO" : NULL;
}

static void test_s_of_other_types(void)
{
	struct hk_type *elems[2], en = ty_s64;
	const char *names[2] = {"a", "b"};
	unsigned char tup[32] = {0};
	struct hk_type *tt;
	struct ev v;
	int64_t one = 1;

	/* %s prints any value in its text form (0.26); %d of an enum is its
	 * number, %s its name (bpftrace's enum_symbolized_printf) */
	en.is_enum = true;
	en.enum_name = enum_name;
	ev_init(&v, "%d %s %d %s %d %s|%s|%5s|%s\n");
	ev_int(&v, &en, 1);
	ev_int(&v, &en, 1);
	ev_int(&v, &en, 2);
	ev_int(&v, &en, 2);
	ev_int(&v, &en, 99999);
	ev_int(&v, &en, 99999);
	ev_int(&v, &ty_s64, -5);
	ev_int(&v, &ty_bool, 1);
	elems[0] = &ty_s64;
	elems[1] = ty_string(&A, 8);
	tt = ty_tuple(&A, elems, NULL, 2);
	memcpy(tup, &one, 8);
	memcpy(tup + 8, "abc", 3);
	ev_arg(&v, tt, tup);
	CHECK_STR(run(&v), "1 ONE 2 TWO 99999 99999|-5| true|(1, abc)\n");

	ev_init(&v, "%s\n");
	ev_arg(&v, ty_tuple(&A, elems, names, 2), tup);
	CHECK_STR(run(&v), "{ .a = 1, .b = abc }\n");
}

static void test_buffers(void)
{
	struct ev v;

	/* 0.17: [ab\x0acd\x00] [\x61\x62] [61 62] */
	ev_init(&v, "[%r] [%rx] [%rh]\n");
	ev_buf(&v, 8, "ab\ncd\0", 6);
	ev_buf(&v, 8, "ab", 2);
	ev_buf(&v, 8, "ab", 2);
	CHECK_STR(run(&v), "[ab\\x0acd\\x00] [\\x61\\x62] [61 62]\n");

	/* bpftrace's buf_no_ascii and buf_no_ascii_no_escaping cases */
	ev_init(&v, "%rx|%rh|%-8r|%8r|%rhello\n");
	ev_buf(&v, 6, "Hello\0", 6);
	ev_buf(&v, 6, "Hello\0", 6);
	ev_buf(&v, 6, "ab", 2);
	ev_buf(&v, 6, "ab", 2);
	ev_buf(&v, 6, "\xff", 1);
	CHECK_STR(run(&v), "\\x48\\x65\\x6c\\x6c\\x6f\\x00|48 65 6c 6c 6f 00|ab      |      ab|"
			   "ffello\n");

	/* a length beyond the capacity is clamped */
	ev_init(&v, "%r\n");
	ev_buf(&v, 2, "xyz", 2);
	memcpy(v.payload, &(uint32_t){100}, 4);
	CHECK_STR(run(&v), "xy\n");
}

static void test_percent_and_text(void)
{
	struct ev v;

	ev_init(&v, "100%% done, 50%! left, a%qb %d%%\n");
	ev_int(&v, &ty_s64, 7);
	CHECK_STR(run(&v), "100% done, 50%! left, a%qb 7%\n");

	ev_init(&v, "hi!\n");
	CHECK_STR(run(&v), "hi!\n");

	ev_init(&v, "value: %dms100\n");
	ev_int(&v, &ty_s64, 100);
	CHECK_STR(run(&v), "value: 100ms100\n");

	ev_init(&v, "%-%%d %");
	CHECK_STR(run(&v), "%-%d %");

	/* an invalid format (sema rejects it) is written as is */
	ev_init(&v, "x %*d\n");
	CHECK_STR(run(&v), "x %*d\n");
}

static void test_json(void)
{
	struct ev v;

	/* bpftrace's json-output printf and printf_escaping cases */
	ev_init(&v, "test %d");
	ev_int(&v, &ty_s64, 5);
	cap_begin(OUT_JSON);
	out_printf(&o, &v.e, v.payload);
	CHECK_STR(cap_end(), "{\"type\": \"printf\", \"data\": \"test 5\"}\n");

	ev_init(&v, "test \r \n \t \\ \" bar\x01\x1f\x7f");
	cap_begin(OUT_JSON);
	out_printf(&o, &v.e, v.payload);
	out_printf(&o, &v.e, v.payload);
	CHECK_STR(cap_end(), "{\"type\": \"printf\", \"data\": \"test \\r \\n \\t \\\\ \\\" "
			     "bar\\u0001\\u001f\x7f\"}\n"
			     "{\"type\": \"printf\", \"data\": \"test \\r \\n \\t \\\\ \\\" "
			     "bar\\u0001\\u001f\x7f\"}\n");

	/* UTF-8 passes through */
	ev_init(&v, "caf\xc3\xa9 %s\n");
	ev_str(&v, 8, "\xe2\x9c\x93");
	cap_begin(OUT_JSON);
	out_printf(&o, &v.e, v.payload);
	CHECK_STR(cap_end(), "{\"type\": \"printf\", \"data\": \"caf\xc3\xa9 \xe2\x9c\x93\\n\"}\n");
}

static void test_format_string(void)
{
	char buf[64];
	struct ev v;

	ev_init(&v, "/proc/%d/%s");
	ev_int(&v, &ty_u32, 1234);
	ev_str(&v, 16, "maps");
	CHECK(out_format_string(buf, sizeof(buf), &v.e, v.payload) == 15);
	CHECK_STR(buf, "/proc/1234/maps");
	/* snprintf-like: the full length, a truncated NUL-terminated copy */
	CHECK(out_format_string(buf, 8, &v.e, v.payload) == 15);
	CHECK_STR(buf, "/proc/1");
	CHECK(out_format_string(NULL, 0, &v.e, v.payload) == 15);
}

int main(void)
{
	fixture_init();
	test_ints();
	test_length_modifiers();
	test_chars_ptrs();
	test_strings();
	test_s_of_other_types();
	test_buffers();
	test_percent_and_text();
	test_json();
	test_format_string();
	fixture_free();
	return check_done();
}
