/*
 * format.c - parsing printf-style format strings the way bpftrace reads them.
 *
 * A specifier is "%" [flags "-+ #0"]* [width] ["." precision] [length]
 * conversion, with conversions d i u o x X c s p and r, rx, rh (buffers).
 * "%%" is a literal percent sign and takes no argument. Like bpftrace, a "%"
 * that does not start a valid specifier ("100%", "%q") is plain text. Errors:
 * "*" widths/precisions, floating-point conversions and %n.
 *
 * Invariants: specs come out in format order with non-overlapping
 * [start, end) ranges; the return value counts every specifier even when
 * more than `max` were found (only the first `max` are stored). The runtime
 * walks the same specs, so the text between them is the literal output with
 * each "%%" collapsed to "%" (scanning from the segment start, as here).
 */
#include "format.h"

#include <string.h>

#define FMT_MAX_WIDTH 4096

static int fmt_fail(const char **err, size_t *err_offset, const char *msg, size_t off)
{
	if (err)
		*err = msg;
	if (err_offset)
		*err_offset = off;
	return -1;
}

/* Reads a decimal number at fmt[*i]; -1 if there are no digits, -2 if it is
 * too large. */
static int fmt_number(const char *fmt, size_t *i)
{
	int v = -1;

	while (fmt[*i] >= '0' && fmt[*i] <= '9') {
		if (v < 0)
			v = 0;
		v = v * 10 + (fmt[*i] - '0');
		if (v > FMT_MAX_WIDTH)
			return -2;
		(*i)++;
	}
	return v;
}

/* Parses the specifier starting at fmt[pos] == '%'. Returns 1 and fills *s
 * for a valid one, 0 when this "%" is plain text, -1 on error. */
static int fmt_spec_at(const char *fmt, size_t pos, struct fmt_spec *s, const char **err,
		       size_t *err_offset)
{
	size_t i = pos + 1, nflags = 0;
	int v;

	memset(s, 0, sizeof(*s));
	s->start = pos;
	s->width = s->precision = -1;
	while (fmt[i] && strchr("-+ #0", fmt[i])) {
		if (!memchr(s->flags, fmt[i], nflags) && nflags < sizeof(s->flags) - 1)
			s->flags[nflags++] = fmt[i];
		i++;
	}
	if (fmt[i] == '*')
		return fmt_fail(err, err_offset, "'*' width is not supported in format strings", i);
	v = fmt_number(fmt, &i);
	if (v == -2)
		return fmt_fail(err, err_offset, "format width is too large", pos);
	s->width = v;
	if (fmt[i] == '.') {
		i++;
		if (fmt[i] == '*')
			return fmt_fail(err, err_offset,
					"'*' precision is not supported in format strings", i);
		v = fmt_number(fmt, &i);
		if (v == -2)
			return fmt_fail(err, err_offset, "format precision is too large", pos);
		s->precision = v < 0 ? 0 : v;
	}
	if ((fmt[i] == 'h' && fmt[i + 1] == 'h') || (fmt[i] == 'l' && fmt[i + 1] == 'l')) {
		s->length[0] = fmt[i];
		s->length[1] = fmt[i + 1];
		i += 2;
	} else if (fmt[i] && strchr("hljzt", fmt[i])) {
		s->length[0] = fmt[i++];
	}
	s->conv_char = fmt[i];
	switch (fmt[i]) {
	case 'd':
	case 'i':
		s->conv = FMT_INT;
		break;
	case 'u':
	case 'o':
	case 'x':
	case 'X':
		s->conv = FMT_UINT;
		break;
	case 'c':
		s->conv = FMT_CHAR;
		break;
	case 's':
		s->conv = FMT_STR;
		break;
	case 'p':
		s->conv = FMT_PTR;
		break;
	case 'r':
		s->conv = FMT_BUF;
		if (fmt[i + 1] == 'x' || fmt[i + 1] == 'h')
			s->buf_mode = fmt[++i];
		break;
	case 'e':
	case 'E':
	case 'f':
	case 'F':
	case 'g':
	case 'G':
	case 'a':
	case 'A':
		return fmt_fail(err, err_offset,
				"floating-point format specifiers are not supported", pos);
	case 'n':
		return fmt_fail(err, err_offset, "the %n format specifier is not supported", pos);
	default:
		return 0;
	}
	s->end = i + 1;
	return 1;
}

int fmt_parse(const char *fmt, struct fmt_spec *specs, int max, const char **err,
	      size_t *err_offset)
{
	struct fmt_spec s;
	size_t i = 0;
	int n = 0, r;

	if (!fmt)
		return 0;
	while (fmt[i]) {
		if (fmt[i] != '%') {
			i++;
			continue;
		}
		if (fmt[i + 1] == '%') {
			i += 2;
			continue;
		}
		r = fmt_spec_at(fmt, i, &s, err, err_offset);
		if (r < 0)
			return -1;
		if (r == 0) {
			i++;
			continue;
		}
		if (n < max && specs)
			specs[n] = s;
		n++;
		i = s.end;
	}
	return n;
}
