/*
 * format.h - printf-style format strings as bpftrace accepts them.
 *
 * Shared by sema (checking the arguments against the format) and the runtime
 * (formatting). Specifiers: %d %i %u %o %x %X %c %s %p %%, %r %rx %rh
 * (buffers), flags "-+ #0", width, precision, length modifiers hh h l ll j z t.
 */
#ifndef HAWK_FORMAT_H
#define HAWK_FORMAT_H

#include <stddef.h>
#include <stdint.h>

enum fmt_conv {
	FMT_INT,  /* d i */
	FMT_UINT, /* u o x X */
	FMT_CHAR, /* c */
	FMT_STR,  /* s (also ksym, usym, inet, enum... values) */
	FMT_PTR,  /* p */
	FMT_BUF,  /* r rx rh */
};

struct fmt_spec {
	size_t start, end; /* byte offsets of the whole "%...X" in the format */
	enum fmt_conv conv;
	char conv_char;	      /* 'd', 'x', 'r'... */
	char buf_mode;	      /* FMT_BUF: 0, 'x' or 'h' */
	char flags[8];	      /* NUL-terminated subset of "-+ #0" */
	int width, precision; /* -1 when absent */
	char length[3];	      /* "", "hh", "h", "l", "ll", "j", "z", "t" */
};

/* Parses fmt into at most max specs; returns how many arguments the format
 * takes, or -1 with *err (a static message) and *err_offset set. */
int fmt_parse(const char *fmt, struct fmt_spec *specs, int max, const char **err,
	      size_t *err_offset);

#endif
