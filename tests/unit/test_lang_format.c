/*
 * test_lang_format.c - printf format parsing (lang/format.c): specifiers,
 * flags, widths, length modifiers, "%%", text that only looks like a
 * specifier, and the errors.
 */
#include <string.h>

#include "check.h"
#include "lang/format.h"

static void test_basic(void)
{
	struct fmt_spec s[8];
	const char *err = NULL;
	size_t off = 0;
	const char *f = "pid %d comm %s x=%x X=%X u=%u o=%o i=%i c=%c p=%p\n";

	CHECK(fmt_parse(f, s, 8, &err, &off) == 9);
	CHECK(s[0].conv == FMT_INT && s[0].conv_char == 'd');
	CHECK(s[0].start == 4 && s[0].end == 6);
	CHECK(s[1].conv == FMT_STR && s[1].conv_char == 's');
	CHECK(s[2].conv == FMT_UINT && s[2].conv_char == 'x');
	CHECK(s[3].conv == FMT_UINT && s[3].conv_char == 'X');
	CHECK(s[4].conv == FMT_UINT && s[4].conv_char == 'u');
	CHECK(s[5].conv == FMT_UINT && s[5].conv_char == 'o');
	CHECK(s[6].conv == FMT_INT && s[6].conv_char == 'i');
	CHECK(s[7].conv == FMT_CHAR);
	/* more specifiers than room: counted, not stored */
	CHECK(fmt_parse(f, s, 2, &err, &off) == 9);
	CHECK(fmt_parse(f, NULL, 0, &err, &off) == 9);
	CHECK(fmt_parse("no args\n", s, 8, &err, &off) == 0);
	CHECK(fmt_parse("", s, 8, &err, &off) == 0);
}

static void test_flags_width(void)
{
	struct fmt_spec s[8];
	const char *err = NULL;
	size_t off = 0;

	CHECK(fmt_parse("%-8d|%08.3x|%+ #5o|%.2s|%5.s", s, 8, &err, &off) == 5);
	CHECK(!strcmp(s[0].flags, "-") && s[0].width == 8 && s[0].precision == -1);
	CHECK(!strcmp(s[1].flags, "0") && s[1].width == 8 && s[1].precision == 3);
	CHECK(!strcmp(s[2].flags, "+ #") && s[2].width == 5);
	CHECK(s[3].width == -1 && s[3].precision == 2);
	CHECK(s[4].width == 5 && s[4].precision == 0);
	CHECK(s[4].start == 24 && s[4].end == 28);
	/* repeated flags are kept once */
	CHECK(fmt_parse("%--5d", s, 8, &err, &off) == 1);
	CHECK(!strcmp(s[0].flags, "-") && s[0].width == 5);
}

static void test_length(void)
{
	struct fmt_spec s[8];
	const char *err = NULL;
	size_t off = 0;

	CHECK(fmt_parse("%hhd %hd %ld %lld %jd %zu %tx", s, 8, &err, &off) == 7);
	CHECK(!strcmp(s[0].length, "hh") && s[0].conv == FMT_INT);
	CHECK(!strcmp(s[1].length, "h"));
	CHECK(!strcmp(s[2].length, "l"));
	CHECK(!strcmp(s[3].length, "ll"));
	CHECK(!strcmp(s[4].length, "j"));
	CHECK(!strcmp(s[5].length, "z") && s[5].conv == FMT_UINT);
	CHECK(!strcmp(s[6].length, "t") && s[6].conv_char == 'x');
	CHECK(s[0].end == 4 && s[3].start == 13 && s[3].end == 17);
}

static void test_buffers(void)
{
	struct fmt_spec s[8];
	const char *err = NULL;
	size_t off = 0;

	CHECK(fmt_parse("%r %rx %rh %-6r", s, 8, &err, &off) == 4);
	CHECK(s[0].conv == FMT_BUF && s[0].buf_mode == 0 && s[0].end == 2);
	CHECK(s[1].conv == FMT_BUF && s[1].buf_mode == 'x' && s[1].end == 6);
	CHECK(s[2].conv == FMT_BUF && s[2].buf_mode == 'h' && s[2].end == 10);
	CHECK(s[3].conv == FMT_BUF && s[3].width == 6);
}

static void test_literal_percent(void)
{
	struct fmt_spec s[8];
	const char *err = NULL;
	size_t off = 0;

	CHECK(fmt_parse("100%%\n", s, 8, &err, &off) == 0);
	CHECK(fmt_parse("%%d %d", s, 8, &err, &off) == 1);
	CHECK(s[0].start == 4);
	/* like bpftrace, a "%" that starts no specifier is text */
	CHECK(fmt_parse("100%\n", s, 8, &err, &off) == 0);
	CHECK(fmt_parse("a%qb %d", s, 8, &err, &off) == 1);
	CHECK(s[0].start == 5);
	CHECK(fmt_parse("%", s, 8, &err, &off) == 0);
	CHECK(fmt_parse("%5", s, 8, &err, &off) == 0);
	CHECK(fmt_parse("%-%%d", s, 8, &err, &off) == 0);
}

static void test_errors(void)
{
	struct fmt_spec s[8];
	const char *err = NULL;
	size_t off = 0;

	CHECK(fmt_parse("x %*d", s, 8, &err, &off) == -1);
	CHECK(err && strstr(err, "'*' width") && off == 3);
	err = NULL;
	CHECK(fmt_parse("%.*s", s, 8, &err, &off) == -1);
	CHECK(err && strstr(err, "'*' precision") && off == 2);
	err = NULL;
	CHECK(fmt_parse("ok %d then %f", s, 8, &err, &off) == -1);
	CHECK(err && strstr(err, "floating-point") && off == 11);
	err = NULL;
	CHECK(fmt_parse("%n", s, 8, &err, &off) == -1);
	CHECK(err && strstr(err, "%n") && off == 0);
	err = NULL;
	CHECK(fmt_parse("%99999d", s, 8, &err, &off) == -1);
	CHECK(err && strstr(err, "width is too large"));
}

int main(void)
{
	test_basic();
	test_flags_width();
	test_length();
	test_buffers();
	test_literal_percent();
	test_errors();
	return check_done();
}
