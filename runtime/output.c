/*
 * output.c - everything hawk prints: printf text, values, maps and histograms,
 * as bpftrace 0.26 text or as its NDJSON (-f json).
 *
 * Pure formatting: values arrive as bytes laid out as their hk_type says
 * (little-endian host order, read with memcpy so alignment never matters).
 * Text is built in a growable buffer and written with one fwrite per record,
 * so a record is never interleaved with other output.
 *
 * Conventions kept here (all checked against bpftrace, see the unit tests):
 * - map lines: "@m: v", "@m[k]: v", tuple keys without parentheses; a
 *   multiline value (hist, lhist) is "@m[k]:\n" + its lines + an empty line.
 *   Nothing else adds blank lines; an empty map prints nothing.
 * - sorting: by agg_ops.sort_key when the aggregation has one, by value for
 *   plain integer maps, otherwise by key; ties always fall back to the key, so
 *   the order is deterministic. `top` keeps the last entries.
 * - JSON: {"type": T, "data": D}; objects are spaced ("a": 1, "b": 2),
 *   arrays are not ([1,2]); integers a double cannot hold exactly are strings;
 *   values resolved in user space (symbols, times, paths, names) are strings.
 * - Values that need the running system (ksym, cgroup_path) go through the
 *   resolver hooks of struct out; strftime times, user names and errno texts
 *   are resolved here with libc.
 */
#define _POSIX_C_SOURCE 200809L
#include "output.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "lang/format.h"
#include "lang/hist.h"
#include "lang/modules.h"
#include "lang/resources.h"
#include "lang/types.h"

/* ---- growable text buffer ------------------------------------------------ */

struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_grow(struct sbuf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 256;

	if (b->len + more + 1 <= b->cap)
		return;
	while (cap < b->len + more + 1)
		cap *= 2;
	b->s = realloc(b->s, cap);
	if (!b->s) {
		fputs("hawk: out of memory\n", stderr);
		exit(1);
	}
	b->cap = cap;
}

static void sb_putn(struct sbuf *b, const char *s, size_t n)
{
	sb_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

static void sb_putc(struct sbuf *b, char c)
{
	sb_putn(b, &c, 1);
}

static void sb_fill(struct sbuf *b, char c, int n)
{
	while (n-- > 0)
		sb_putc(b, c);
}

__attribute__((format(printf, 2, 3))) static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	sb_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Writes the buffer out and empties it. */
static void sb_flush(struct sbuf *b, FILE *f)
{
	if (b->len)
		fwrite(b->s, 1, b->len, f);
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

static void sb_free(struct sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

/* ---- scalars ------------------------------------------------------------- */

void out_init(struct out *o, FILE *f, enum out_format format)
{
	memset(o, 0, sizeof(*o));
	o->f = f;
	o->format = format;
	o->trunc_trailer = "..";
}

static uint64_t read_uint(const uint8_t *d, uint32_t size)
{
	uint8_t v8;
	uint16_t v16;
	uint32_t v32;
	uint64_t v64 = 0;

	switch (size) {
	case 1:
		memcpy(&v8, d, 1);
		return v8;
	case 2:
		memcpy(&v16, d, 2);
		return v16;
	case 4:
		memcpy(&v32, d, 4);
		return v32;
	default:
		memcpy(&v64, d, size < 8 ? size : 8);
		return v64;
	}
}

static int64_t read_sint(const uint8_t *d, uint32_t size)
{
	uint64_t v = read_uint(d, size);

	if (size >= 8 || size == 0)
		return (int64_t)v;
	if (v & ((uint64_t)1 << (size * 8 - 1)))
		v |= ~(uint64_t)0 << (size * 8);
	return (int64_t)v;
}

/* Integer-like types: their value as 64 bits, signed or not. */
static bool type_int_value(const struct hk_type *t, const uint8_t *d, uint64_t *v, bool *is_signed)
{
	*is_signed = false;
	switch (t->kind) {
	case TY_INT:
		*is_signed = t->is_signed;
		*v = t->is_signed ? (uint64_t)read_sint(d, t->size) : read_uint(d, t->size);
		return true;
	case TY_BOOL:
		*v = read_uint(d, 1) != 0;
		return true;
	case TY_PTR:
	case TY_KSYM:
	case TY_USYM:
		*v = read_uint(d, 8);
		return true;
	case TY_STRERROR:
		*is_signed = true;
		*v = (uint64_t)read_sint(d, t->size ? t->size : 8);
		return true;
	default:
		return false;
	}
}

/* bpftrace emits integers a double cannot represent exactly as strings. */
static void json_uint(struct sbuf *b, uint64_t v)
{
	double d = (double)v;
	bool exact = v <= ((uint64_t)1 << 53) || (d < 18446744073709551616.0 && (uint64_t)d == v);

	sb_printf(b, exact ? "%" PRIu64 : "\"%" PRIu64 "\"", v);
}

static void json_sint(struct sbuf *b, int64_t v)
{
	double d = (double)v;
	bool exact = (v >= -((int64_t)1 << 53) && v <= ((int64_t)1 << 53)) ||
		     (d < 9223372036854775808.0 && (int64_t)d == v);

	sb_printf(b, exact ? "%" PRId64 : "\"%" PRId64 "\"", v);
}

static void json_string(struct sbuf *b, const char *s, size_t n)
{
	size_t i;

	sb_putc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"':
			sb_puts(b, "\\\"");
			break;
		case '\\':
			sb_puts(b, "\\\\");
			break;
		case '\n':
			sb_puts(b, "\\n");
			break;
		case '\r':
			sb_puts(b, "\\r");
			break;
		case '\t':
			sb_puts(b, "\\t");
			break;
		default:
			if (c < 0x20)
				sb_printf(b, "\\u%04x", c);
			else
				sb_putc(b, (char)c);
		}
	}
	sb_putc(b, '"');
}

/* ---- values -------------------------------------------------------------- */

enum vmode {
	V_TEXT, /* bpftrace's text form */
	V_JSON, /* JSON value */
	V_KEY,	/* text form without the spaces bpftrace drops from JSON keys */
};

static void fmt_value(struct sbuf *b, const struct out *o, const struct hk_type *t,
		      const uint8_t *d, enum vmode m);

/* A string value: up to its NUL; one that fills its whole buffer was cut
 * short and gets the trailer. */
static void fmt_string(struct sbuf *b, const struct out *o, const struct hk_type *t,
		       const uint8_t *d, enum vmode m)
{
	size_t n = strnlen((const char *)d, t->size);
	const char *trailer = o->trunc_trailer ? o->trunc_trailer : "";

	if (m == V_JSON) {
		struct sbuf tmp = {0};

		sb_putn(&tmp, (const char *)d, n);
		if (n == t->size)
			sb_puts(&tmp, trailer);
		json_string(b, tmp.s ? tmp.s : "", tmp.len);
		sb_free(&tmp);
		return;
	}
	sb_putn(b, (const char *)d, n);
	if (n == t->size)
		sb_puts(b, trailer);
}

/* Buffer bytes as %r (printable ASCII kept, others \xNN), %rx (all \xNN) or
 * %rh (space-separated hex pairs). */
static void fmt_buffer_bytes(struct sbuf *b, const uint8_t *p, uint32_t n, char mode)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (mode == 0 && p[i] >= 32 && p[i] <= 126)
			sb_putc(b, (char)p[i]);
		else if (mode == 'h')
			sb_printf(b, i + 1 == n ? "%02x" : "%02x ", p[i]);
		else
			sb_printf(b, "\\x%02x", p[i]);
	}
}

static uint32_t buffer_len(const struct hk_type *t, const uint8_t *d)
{
	uint32_t len = (uint32_t)read_uint(d, 4), cap = t->size > 4 ? t->size - 4 : 0;

	return len > cap ? cap : len;
}

static void fmt_fields(struct sbuf *b, const struct out *o, const struct hk_type *t,
		       const uint8_t *d, enum vmode m)
{
	bool named = t->kind != TY_TUPLE;
	int i;

	if (m == V_JSON)
		sb_puts(b, named ? "{" : "[");
	else if (named)
		sb_puts(b, t->nfields ? (m == V_KEY ? "{" : "{ ") : "{");
	else
		sb_putc(b, '(');
	for (i = 0; i < t->nfields; i++) {
		const struct ty_field *f = &t->fields[i];
		const char *name = f->name ? f->name : "";

		if (i)
			sb_puts(b, m == V_TEXT || (m == V_JSON && named) ? ", " : ",");
		if (named && m == V_JSON) {
			json_string(b, name, strlen(name));
			sb_puts(b, ": ");
		} else if (named) {
			sb_printf(b, m == V_KEY ? ".%s=" : ".%s = ", name);
		}
		if (f->bit_size && f->type->kind == TY_INT) {
			/* A bitfield: the bits [bit_offset, bit_offset + bit_size)
			 * of the field's storage unit at `offset`. */
			uint64_t v = read_uint(d + f->offset, f->type->size) >> f->bit_offset;

			if (f->bit_size < 64)
				v &= ((uint64_t)1 << f->bit_size) - 1;
			if (f->type->is_signed && f->bit_size < 64 &&
			    (v & ((uint64_t)1 << (f->bit_size - 1))))
				v |= ~(uint64_t)0 << f->bit_size;
			if (f->type->is_signed)
				sb_printf(b, "%" PRId64, (int64_t)v);
			else
				sb_printf(b, "%" PRIu64, v);
			continue;
		}
		fmt_value(b, o, f->type, d + f->offset, m);
	}
	if (m == V_JSON)
		sb_puts(b, named ? "}" : "]");
	else if (named)
		sb_puts(b, t->nfields ? (m == V_KEY ? "}" : " }") : "}");
	else
		sb_putc(b, ')');
}

static void fmt_inet(struct sbuf *b, const struct hk_type *t, const uint8_t *d)
{
	/* ntop() layout: int64 address family, then the address bytes. */
	char s[INET6_ADDRSTRLEN] = "";
	int64_t af = t->size >= 8 ? read_sint(d, 8) : 0;

	if (af == AF_INET && t->size >= 12)
		inet_ntop(AF_INET, d + 8, s, sizeof(s));
	else if (af == AF_INET6 && t->size >= 24)
		inet_ntop(AF_INET6, d + 8, s, sizeof(s));
	sb_puts(b, s);
}

/* ---- values resolved in user space: times, cgroup paths, users ---------- */

/* CLOCK_REALTIME - CLOCK_BOOTTIME, taken once (bpftrace's boot time). */
static int64_t wall_offset(const struct out *o)
{
	static bool measured;
	static int64_t offset;
	struct timespec r, bt;

	if (o->wall_offset_set)
		return o->wall_offset;
	if (!measured) {
		clock_gettime(CLOCK_REALTIME, &r);
		clock_gettime(CLOCK_BOOTTIME, &bt);
		offset = ((int64_t)r.tv_sec - (int64_t)bt.tv_sec) * 1000000000 +
			 ((int64_t)r.tv_nsec - (int64_t)bt.tv_nsec);
		measured = true;
	}
	return offset;
}

/* strftime() of a boot-clock timestamp in local time, with bpftrace's
 * extensions %f (microseconds, 6 digits), %l (milliseconds, 3) and %k
 * (nanoseconds, 9) of the second; "(?)" when it cannot be formatted. */
static void fmt_timestamp(struct sbuf *b, const struct out *o, const char *fmt, uint64_t ns)
{
	int64_t wall = (int64_t)ns + wall_offset(o);
	int64_t sec = wall / 1000000000, frac = wall % 1000000000;
	struct sbuf f = {0};
	char out[1024];
	struct tm tm;
	time_t tt;
	size_t i, n;

	if (frac < 0) {
		frac += 1000000000;
		sec--;
	}
	tt = (time_t)sec;
	if (!tt || !fmt || !localtime_r(&tt, &tm)) {
		sb_puts(b, "(?)");
		return;
	}
	for (i = 0; fmt[i]; i++) {
		if (fmt[i] != '%' || !fmt[i + 1]) {
			sb_putc(&f, fmt[i]);
			continue;
		}
		i++;
		if (fmt[i] == 'f')
			sb_printf(&f, "%06" PRId64, frac / 1000);
		else if (fmt[i] == 'l')
			sb_printf(&f, "%03" PRId64, frac / 1000000);
		else if (fmt[i] == 'k')
			sb_printf(&f, "%09" PRId64, frac);
		else
			sb_printf(&f, "%%%c", fmt[i]);
	}
	n = f.s ? strftime(out, sizeof(out), f.s, &tm) : 0;
	sb_puts(b, n ? out : "(?)");
	sb_free(&f);
}

static void fmt_username(struct sbuf *b, uint64_t uid)
{
	struct passwd pw, *res = NULL;
	char buf[1024];

	if (getpwuid_r((uid_t)uid, &pw, buf, sizeof(buf), &res) == 0 && res)
		sb_puts(b, res->pw_name);
}

/* A value printed as text, quoted in JSON. */
static void fmt_resolved(struct sbuf *b, const struct out *o, const struct hk_type *t,
			 const uint8_t *d, enum vmode m)
{
	struct sbuf tmp = {0};
	char buf[4096];
	uint64_t v = read_uint(d, 8);
	const char *s;

	switch (t->kind) {
	case TY_TIMESTAMP:
		fmt_timestamp(&tmp, o, t->name, v);
		break;
	case TY_CGROUP_PATH:
		s = o->cgroup_path ? o->cgroup_path(o->sym_ctx, v, t->name, buf, sizeof(buf))
				   : NULL;
		if (s)
			sb_puts(&tmp, s);
		else
			sb_printf(&tmp, "%" PRIu64, v);
		break;
	default: /* TY_USERNAME */
		fmt_username(&tmp, v);
		break;
	}
	if (m == V_JSON)
		json_string(b, tmp.s ? tmp.s : "", tmp.len);
	else
		sb_putn(b, tmp.s ? tmp.s : "", tmp.len);
	sb_free(&tmp);
}

/* Spaces before each frame of a stack in text: bpftrace indents stacks in
 * map keys by 4, elsewhere (printf, print) by 8. */
static int stack_indent = 8;

/* The name of frame i of stack d (type t) as flags (OUT_FRAME_*) ask, or
 * NULL when it cannot be named. */
static const char *stack_frame(const struct out *o, const struct hk_type *t, const uint8_t *d,
			       uint32_t i, unsigned flags, char *buf, size_t len)
{
	uint64_t addr = read_uint(d + 8 + (size_t)i * 8, 8);
	uint32_t pid = (uint32_t)read_uint(d + 4, 4);

	if (t->as == AS_USER)
		return o->uframe ? o->uframe(o->sym_ctx, pid, addr, flags, buf, len) : NULL;
	if (flags & OUT_FRAME_OFFSET)
		return o->kframe ? o->kframe(o->sym_ctx, addr, buf, len) : NULL;
	return o->ksym ? o->ksym(o->sym_ctx, addr, buf, len) : NULL;
}

static uint32_t stack_frames(const struct hk_type *t, const uint8_t *d)
{
	uint32_t n = (uint32_t)read_uint(d, 4);

	return n > t->count ? t->count : n;
}

static bool stack_build_id(const struct hk_type *t)
{
	return t->name && !strcmp(t->name, "build_id");
}

/* Frame i of a build_id-mode stack (struct bpf_stack_build_id: s32 status,
 * 20-byte build id, u64 offset or address) as "BUILDID SEP0xOFFSET" when the
 * kernel found the file's build id (status 1), else the bare hex address,
 * as bpftrace prints them. */
static void fmt_build_id_frame(struct sbuf *b, const uint8_t *d, uint32_t i, const char *sep)
{
	const uint8_t *f = d + 8 + (size_t)i * 32;
	uint64_t off = read_uint(f + 24, 8);
	int j;

	if (read_uint(f, 4) != 1) {
		sb_printf(b, "%" PRIx64, off);
		return;
	}
	for (j = 0; j < 20; j++)
		sb_printf(b, "%02x", f[4 + j]);
	sb_printf(b, "%s0x%02" PRIx64, sep, off);
}

/* One line per frame, after a newline: "\n        do_syscall_64+527\n..."
 * (bpftrace mode), "\tffffffff8225a29f do_syscall_64+527" (perf; user
 * frames add " (/path/of/binary)") or the bare hex address (raw). Another
 * mode is one more case here. */
static void fmt_stack_text(struct sbuf *b, const struct out *o, const struct hk_type *t,
			   const uint8_t *d)
{
	uint32_t i, n = stack_frames(t, d);
	bool perf = t->name && !strcmp(t->name, "perf");
	bool raw = t->name && !strcmp(t->name, "raw");
	bool user = t->as == AS_USER;
	char sym[1024];

	sb_putc(b, '\n');
	if (stack_build_id(t)) {
		/* not indented, as bpftrace */
		for (i = 0; i < n; i++) {
			fmt_build_id_frame(b, d, i, " ");
			sb_putc(b, '\n');
		}
		return;
	}
	for (i = 0; i < n; i++) {
		uint64_t addr = read_uint(d + 8 + (size_t)i * 8, 8);
		const char *s = NULL;

		if (!raw)
			s = stack_frame(o, t, d, i,
					OUT_FRAME_OFFSET | (perf ? OUT_FRAME_MODULE : 0), sym,
					sizeof(sym));
		if (perf && !s && user) {
			/* as bpftrace: the address, then an unknown module */
			sb_printf(b, "\t%" PRIx64 " 0x%" PRIx64 " ([unknown])\n", addr, addr);
		} else if (perf) {
			sb_printf(b, "\t%" PRIx64 " %s\n", addr, s ? s : "[unknown]");
		} else {
			sb_printf(b, "%*s", stack_indent, "");
			if (s)
				sb_printf(b, "%s\n", s);
			else
				sb_printf(b, raw ? "%" PRIx64 "\n" : "0x%" PRIx64 "\n", addr);
		}
	}
}

/* Folded form (-f folded): the frames root first, function names without
 * offsets, each after a ';' unless it is the line's first word. */
static void fmt_stack_folded(struct sbuf *b, const struct out *o, const struct hk_type *t,
			     const uint8_t *d)
{
	uint32_t i = stack_frames(t, d);
	char sym[1024];

	while (i-- > 0) {
		const char *s;

		if (b->len)
			sb_putc(b, ';');
		if (stack_build_id(t)) {
			fmt_build_id_frame(b, d, i, "+");
			continue;
		}
		s = stack_frame(o, t, d, i, 0, sym, sizeof(sym));
		if (s)
			sb_puts(b, s);
		else
			sb_printf(b, "0x%" PRIx64, read_uint(d + 8 + (size_t)i * 8, 8));
	}
}

static void fmt_value(struct sbuf *b, const struct out *o, const struct hk_type *t,
		      const uint8_t *d, enum vmode m)
{
	char sym[256];
	uint64_t v;
	uint32_t i, n;
	bool sgn;

	switch (t->kind) {
	case TY_NONE:
	case TY_VOIDPTR_TARGET:
		sb_puts(b, "null");
		return;
	case TY_BOOL:
		sb_puts(b, read_uint(d, 1) ? "true" : "false");
		return;
	case TY_INT:
		type_int_value(t, d, &v, &sgn);
		if (t->is_enum && t->enum_name && m != V_JSON) {
			const char *name = t->enum_name(t, (int64_t)v);

			if (name) {
				sb_puts(b, name);
				return;
			}
		}
		if (m == V_JSON)
			sgn ? json_sint(b, (int64_t)v) : json_uint(b, v);
		else if (sgn)
			sb_printf(b, "%" PRId64, (int64_t)v);
		else
			sb_printf(b, "%" PRIu64, v);
		return;
	case TY_STRING:
		fmt_string(b, o, t, d, m);
		return;
	case TY_BUFFER:
		n = buffer_len(t, d);
		if (m == V_JSON) {
			/* bpftrace emits the bytes as (signed) chars. */
			sb_putc(b, '[');
			for (i = 0; i < n; i++)
				sb_printf(b, i ? ",%d" : "%d", (int)(signed char)d[4 + i]);
			sb_putc(b, ']');
		} else {
			fmt_buffer_bytes(b, d + 4, n, 0);
		}
		return;
	case TY_TUPLE:
	case TY_RECORD:
	case TY_STRUCT:
		fmt_fields(b, o, t, d, m);
		return;
	case TY_ARRAY:
		sb_putc(b, '[');
		for (i = 0; t->elem && i < t->count; i++) {
			if (i)
				sb_putc(b, ',');
			fmt_value(b, o, t->elem, d + (size_t)i * t->elem->size, m);
		}
		sb_putc(b, ']');
		return;
	case TY_PTR:
		v = read_uint(d, 8);
		if (m == V_JSON)
			json_uint(b, v);
		else
			sb_printf(b, "0x%" PRIx64, v);
		return;
	case TY_KSYM:
	case TY_USYM: {
		const char *s = NULL;

		v = read_uint(d, 8);
		if (t->kind == TY_KSYM && o->ksym)
			s = o->ksym(o->sym_ctx, v, sym, sizeof(sym));
		if (t->kind == TY_USYM && o->usym)
			s = o->usym(o->sym_ctx, d, sym, sizeof(sym));
		if (!s && t->kind == TY_KSYM) {
			/* bpftrace streams the address as a void *: 0 is "0" */
			snprintf(sym, sizeof(sym), v ? "0x%" PRIx64 : "0", v);
			s = sym;
		}
		if (s && m == V_JSON)
			json_string(b, s, strlen(s));
		else if (s)
			sb_puts(b, s);
		else if (m == V_JSON)
			json_uint(b, v);
		else
			sb_printf(b, "0x%" PRIx64, v);
		return;
	}
	case TY_MACADDR:
		if (m == V_JSON)
			sb_putc(b, '"');
		for (i = 0; i < 6 && i < t->size; i++)
			sb_printf(b, i ? ":%02X" : "%02X", d[i]);
		if (m == V_JSON)
			sb_putc(b, '"');
		return;
	case TY_STRERROR: {
		const char *s;

		type_int_value(t, d, &v, &sgn);
		/* syscall_name(), signal_name(): the type names its values */
		s = t->enum_name ? t->enum_name(t, (int64_t)v) : strerror((int)(int64_t)v);
		if (!s) {
			snprintf(sym, sizeof(sym), "%" PRId64, (int64_t)v);
			s = sym;
		}
		if (m == V_JSON)
			json_string(b, s, strlen(s));
		else
			sb_puts(b, s);
		return;
	}
	case TY_INET:
		if (m == V_JSON) {
			struct sbuf tmp = {0};

			fmt_inet(&tmp, t, d);
			json_string(b, tmp.s ? tmp.s : "", tmp.len);
			sb_free(&tmp);
		} else {
			fmt_inet(b, t, d);
		}
		return;
	case TY_AGG:
		/* Aggregation values are printed by their module (out_value). */
		sb_puts(b, "null");
		return;
	case TY_TIMESTAMP:
	case TY_CGROUP_PATH:
	case TY_USERNAME:
		fmt_resolved(b, o, t, d, m);
		return;
	case TY_STACK: {
		struct sbuf tmp = {0};

		fmt_stack_text(&tmp, o, t, d);
		if (m == V_JSON)
			json_string(b, tmp.s ? tmp.s : "", tmp.len);
		else
			sb_putn(b, tmp.s ? tmp.s : "", tmp.len);
		sb_free(&tmp);
		return;
	}
	default:
		/* Needs run-time resolution this layer does not have: show the
		 * raw first word. */
		v = read_uint(d, t->size < 8 ? t->size : 8);
		if (m == V_JSON)
			json_uint(b, v);
		else
			sb_printf(b, "%" PRIu64, v);
		return;
	}
}

void out_value(struct out *o, const struct hk_type *t, const void *data)
{
	struct sbuf b = {0};

	if (t->kind == TY_AGG && t->agg && t->agg->print) {
		t->agg->print(o, t, data, 1);
		return;
	}
	fmt_value(&b, o, t, data, V_TEXT);
	sb_flush(&b, o->f);
	sb_free(&b);
}

void out_value_json(struct out *o, const struct hk_type *t, const void *data)
{
	struct sbuf b = {0};

	if (t->kind == TY_AGG && t->agg && t->agg->print_json) {
		t->agg->print_json(o, t, data, 1);
		return;
	}
	fmt_value(&b, o, t, data, V_JSON);
	sb_flush(&b, o->f);
	sb_free(&b);
}

/* ---- printf -------------------------------------------------------------- */

/* Appends fmt[from, to) with each "%%" collapsed (see lang/format.c). */
static void fmt_literal(struct sbuf *b, const char *fmt, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++) {
		sb_putc(b, fmt[i]);
		if (fmt[i] == '%' && i + 1 < to && fmt[i + 1] == '%')
			i++;
	}
}

/* "%<flags><width>[.<prec>]" + tail into out (at least 48 bytes); only the
 * flags in `keep` are copied. */
static void spec_cfmt(char *out, const struct fmt_spec *s, const char *keep, bool prec,
		      const char *tail)
{
	char *p = out;
	const char *f;

	*p++ = '%';
	for (f = s->flags; *f; f++)
		if (strchr(keep, *f))
			*p++ = *f;
	if (s->width >= 0)
		p += sprintf(p, "%d", s->width);
	if (prec && s->precision >= 0)
		p += sprintf(p, ".%d", s->precision);
	strcpy(p, tail);
}

/* Pads (and cuts, with a precision) text as "%s" would. */
static void fmt_padded(struct sbuf *b, const struct fmt_spec *s, const char *text, size_t n)
{
	size_t len = n;
	int pad;

	if (s->precision >= 0 && (size_t)s->precision < len)
		len = (size_t)s->precision;
	pad = s->width > (int)len ? s->width - (int)len : 0;
	if (!strchr(s->flags, '-'))
		sb_fill(b, ' ', pad);
	sb_putn(b, text, len);
	if (strchr(s->flags, '-'))
		sb_fill(b, ' ', pad);
}

static void fmt_arg(struct sbuf *b, const struct out *o, const struct fmt_spec *s,
		    const struct hk_type *t, const uint8_t *d)
{
	char cfmt[64];
	uint64_t v;
	bool sgn;

	if (s->conv == FMT_BUF && t->kind == TY_BUFFER) {
		struct sbuf tmp = {0};

		fmt_buffer_bytes(&tmp, d + 4, buffer_len(t, d), s->buf_mode);
		fmt_padded(b, s, tmp.s ? tmp.s : "", tmp.len);
		sb_free(&tmp);
		return;
	}
	if (s->conv == FMT_STR || s->conv == FMT_BUF || !type_int_value(t, d, &v, &sgn)) {
		struct sbuf tmp = {0};

		fmt_value(&tmp, o, t, d, V_TEXT);
		fmt_padded(b, s, tmp.s ? tmp.s : "", tmp.len);
		sb_free(&tmp);
		return;
	}
	switch (s->conv) {
	case FMT_CHAR:
		spec_cfmt(cfmt, s, "-", false, "c");
		sb_printf(b, cfmt, (int)(unsigned char)v);
		return;
	case FMT_PTR:
		spec_cfmt(cfmt, s, "-", false, "p");
		sb_printf(b, cfmt, (void *)(uintptr_t)v);
		return;
	case FMT_INT:
		/* hh and h narrow the value as C would; every other length
		 * prints all 64 bits. */
		if (!strcmp(s->length, "hh"))
			v = (uint64_t)(int64_t)(signed char)v;
		else if (!strcmp(s->length, "h"))
			v = (uint64_t)(int64_t)(short)v;
		spec_cfmt(cfmt, s, "-+ #0", true, (char[]){'l', 'l', s->conv_char, 0});
		sb_printf(b, cfmt, (long long)v);
		return;
	default:
		if (!strcmp(s->length, "hh"))
			v = (unsigned char)v;
		else if (!strcmp(s->length, "h"))
			v = (unsigned short)v;
		spec_cfmt(cfmt, s, "-+ #0", true, (char[]){'l', 'l', s->conv_char, 0});
		sb_printf(b, cfmt, (unsigned long long)v);
		return;
	}
}

static void format_event(struct sbuf *b, const struct out *o, const struct res_event *ev,
			 const uint8_t *payload)
{
	struct fmt_spec stack_specs[32], *specs = stack_specs;
	const char *err;
	size_t err_off, pos = 0;
	int n, i;

	if (!ev->fmt)
		return;
	n = fmt_parse(ev->fmt, NULL, 0, &err, &err_off);
	if (n < 0) {
		sb_puts(b, ev->fmt);
		return;
	}
	if (n > 32) {
		specs = malloc(sizeof(*specs) * (size_t)n);
		if (!specs) {
			fputs("hawk: out of memory\n", stderr);
			exit(1);
		}
	}
	fmt_parse(ev->fmt, specs, n, &err, &err_off);
	for (i = 0; i < n; i++) {
		fmt_literal(b, ev->fmt, pos, specs[i].start);
		if (i < ev->nargs)
			fmt_arg(b, o, &specs[i], ev->args[i], payload + ev->offsets[i]);
		pos = specs[i].end;
	}
	fmt_literal(b, ev->fmt, pos, strlen(ev->fmt));
	if (specs != stack_specs)
		free(specs);
}

void out_printf(struct out *o, const struct res_event *ev, const void *payload)
{
	struct sbuf b = {0}, j = {0};

	format_event(&b, o, ev, payload);
	if (o->format == OUT_JSON) {
		sb_puts(&j, "{\"type\": \"printf\", \"data\": ");
		json_string(&j, b.s ? b.s : "", b.len);
		sb_puts(&j, "}\n");
		sb_flush(&j, o->f);
	} else {
		sb_flush(&b, o->f);
	}
	sb_free(&b);
	sb_free(&j);
}

size_t out_format_string(char *buf, size_t len, const struct res_event *ev, const void *payload)
{
	struct sbuf b = {0};
	struct out o;
	size_t n;

	out_init(&o, NULL, OUT_TEXT);
	format_event(&b, &o, ev, payload);
	n = b.len;
	if (len) {
		size_t c = n < len ? n : len - 1;

		if (c)
			memcpy(buf, b.s, c);
		buf[c] = '\0';
	}
	sb_free(&b);
	return n;
}

char *out_format_alloc(const struct out *o, const struct res_event *ev, const void *payload,
		       size_t *len)
{
	struct sbuf b = {0};

	format_event(&b, o, ev, payload);
	sb_grow(&b, 0);
	b.s[b.len] = '\0';
	*len = b.len;
	return b.s;
}

/* ---- messages: time, cat, join, system, errorf ----------------------------- */

static FILE *err_stream(const struct out *o)
{
	return o->err ? o->err : stderr;
}

void out_message(struct out *o, const char *type, const char *text, size_t len, bool newline)
{
	struct sbuf b = {0};

	if (o->format == OUT_JSON) {
		sb_printf(&b, "{\"type\": \"%s\", \"data\": ", type);
		json_string(&b, text, len);
		sb_puts(&b, "}\n");
	} else {
		sb_putn(&b, text, len);
		if (newline)
			sb_putc(&b, '\n');
	}
	sb_flush(&b, o->f);
	sb_free(&b);
}

void out_errorf(struct out *o, const struct res_event *ev, bool is_error, const char *msg)
{
	const char *file = ev->file ? ev->file : "stdin";
	const struct loc *l = &ev->loc;
	struct sbuf b = {0};
	size_t n = strlen(msg);

	if (o->format == OUT_JSON) {
		sb_printf(&b, "{\"type\": \"%s\", \"msg\": ", is_error ? "errorf" : "warnf");
		json_string(&b, msg, n);
		sb_puts(&b, ", \"filename\": ");
		json_string(&b, file, strlen(file));
		sb_printf(&b, ", \"line\": %d, \"col\": %d}\n", l->first_line, l->first_column);
		sb_flush(&b, o->f);
		sb_free(&b);
		return;
	}
	/* bpftrace's log line: a range of lines, or of columns with an
	 * exclusive end */
	if (n && msg[n - 1] == '\n')
		n--;
	if (l->last_line > l->first_line)
		sb_printf(&b, "%s:%d-%d: ", file, l->first_line, l->last_line);
	else
		sb_printf(&b, "%s:%d:%d-%d: ", file, l->first_line, l->first_column,
			  l->last_column + 1);
	sb_puts(&b, is_error ? "ERROR: " : "WARNING: ");
	sb_putn(&b, msg, n);
	sb_putc(&b, '\n');
	fflush(o->f);
	sb_flush(&b, err_stream(o));
	sb_free(&b);
}

void out_error(struct out *o, const char *fmt, ...)
{
	FILE *f = err_stream(o);
	va_list ap;

	fflush(o->f);
	fputs("error: ", f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}

/* ---- histograms ---------------------------------------------------------- */

/* One bucket as the printer sees it: [lo, hi), open at either end. */
struct bucket {
	bool has_lo, has_hi;
	int64_t lo;
	uint64_t hi;
	char lo_label[32], hi_label[32];
};

/* hist() labels: bounds up to 2N print as numbers; larger ones are
 * 2^p * f with N <= f < 2N and print as (2^(p mod 10) * f) plus the K..E
 * suffix of 1024^(p / 10), as bpftrace does ("[4K, 8K)", "1280", "5K"). */
static void hist_label(char *s, uint64_t v, int bits)
{
	uint64_t n = (uint64_t)1 << bits;
	int p, dec;

	if (v <= 2 * n) {
		sprintf(s, "%" PRIu64, v);
		return;
	}
	p = 63 - __builtin_clzll(v) - bits;
	dec = p / 10;
	sprintf(s, "%" PRIu64 "%s", ((uint64_t)1 << (p - 10 * dec)) * (v >> p),
		(const char *[]){"", "K", "M", "G", "T", "P", "E"}[dec]);
}

static void hist_bucket(struct bucket *k, uint32_t idx, uint32_t nbuckets, int bits)
{
	memset(k, 0, sizeof(*k));
	if (bits < 0)
		bits = 0;
	if (bits > HIST_MAX_BITS)
		bits = HIST_MAX_BITS;
	hist_range(idx, bits, &k->lo, &k->hi);
	k->has_lo = idx != 0;
	k->has_hi = true;
	if (idx != 0 && idx >= hist_nbuckets(bits) - 1)
		k->hi = (uint64_t)1 << 63;
	if (k->has_lo)
		hist_label(k->lo_label, (uint64_t)k->lo, bits);
	hist_label(k->hi_label, k->hi, bits);
	(void)nbuckets;
}

/* lhist() labels: plain numbers, unless step is a multiple of 1024: then
 * multiples of 1M and 1K get an M or K suffix. */
static void lhist_label(char *s, int64_t v, int64_t step)
{
	if (step % 1024 == 0 && v != 0 && v % (1024 * 1024) == 0)
		sprintf(s, "%" PRId64 "M", v / (1024 * 1024));
	else if (step % 1024 == 0 && v != 0 && v % 1024 == 0)
		sprintf(s, "%" PRId64 "K", v / 1024);
	else
		sprintf(s, "%" PRId64, v);
}

static void lhist_bucket(struct bucket *k, uint32_t idx, uint32_t nbuckets, int64_t min,
			 int64_t step)
{
	memset(k, 0, sizeof(*k));
	k->has_lo = idx != 0;
	k->has_hi = idx + 1 < nbuckets;
	k->lo = idx ? min + (int64_t)(idx - 1) * step : 0;
	k->hi = (uint64_t)(min + (int64_t)idx * step);
	if (k->has_lo)
		lhist_label(k->lo_label, k->lo, step);
	if (k->has_hi)
		lhist_label(k->hi_label, (int64_t)k->hi, step);
}

struct hist_desc {
	bool linear;
	int bits;
	int64_t min, step;
};

static void desc_bucket(const struct hist_desc *h, struct bucket *k, uint32_t idx, uint32_t nb)
{
	if (h->linear)
		lhist_bucket(k, idx, nb, h->min, h->step);
	else
		hist_bucket(k, idx, nb, h->bits);
}

/* The printed range: first to last non-zero bucket; false if all are 0. */
static bool hist_span(const uint64_t *buckets, uint32_t n, uint32_t *first, uint32_t *last)
{
	uint32_t i;
	bool any = false;

	for (i = 0; i < n; i++) {
		if (!buckets[i])
			continue;
		if (!any)
			*first = i;
		*last = i;
		any = true;
	}
	return any;
}

static void hist_text(struct out *o, const struct hist_desc *h, const uint64_t *buckets,
		      uint32_t nbuckets, uint64_t div)
{
	struct sbuf b = {0}, label = {0};
	uint32_t first = 0, last = 0, i;
	uint64_t max = 0;

	if (!div)
		div = 1;
	if (!hist_span(buckets, nbuckets, &first, &last))
		return;
	for (i = first; i <= last; i++)
		if (buckets[i] / div > max)
			max = buckets[i] / div;
	for (i = first; i <= last; i++) {
		uint64_t count = buckets[i] / div;
		struct bucket k;
		int bar = 0;

		/* bpftrace scales in single precision and truncates. */
		if (max)
			bar = (int)((float)count / (float)max * 52);
		desc_bucket(h, &k, i, nbuckets);
		label.len = 0;
		if (!k.has_lo)
			sb_printf(&label, "(..., %s)", k.hi_label);
		else if (!k.has_hi)
			sb_printf(&label, "[%s, ...)", k.lo_label);
		else if (k.hi - (uint64_t)k.lo == 1 && !(h->linear && h->step % 1024 == 0))
			sb_printf(&label, "[%s]", k.lo_label);
		else
			sb_printf(&label, "[%s, %s)", k.lo_label, k.hi_label);
		sb_printf(&b, "%-16s%8" PRIu64 " |", label.s, count);
		sb_fill(&b, '@', bar);
		sb_fill(&b, ' ', 52 - bar);
		sb_puts(&b, "|\n");
	}
	sb_flush(&b, o->f);
	sb_free(&b);
	sb_free(&label);
}

static void hist_json(struct out *o, const struct hist_desc *h, const uint64_t *buckets,
		      uint32_t nbuckets, uint64_t div)
{
	struct sbuf b = {0};
	uint32_t first = 0, last = 0, i;

	if (!div)
		div = 1;
	sb_putc(&b, '[');
	if (hist_span(buckets, nbuckets, &first, &last)) {
		for (i = first; i <= last; i++) {
			struct bucket k;

			desc_bucket(h, &k, i, nbuckets);
			sb_puts(&b, i == first ? "{" : ",{");
			if (k.has_lo) {
				sb_puts(&b, "\"min\": ");
				json_sint(&b, k.lo);
				sb_puts(&b, ", ");
			}
			if (k.has_hi) {
				/* JSON ranges are closed: max = next bound - 1. */
				sb_puts(&b, "\"max\": ");
				json_sint(&b, (int64_t)(k.hi - 1));
				sb_puts(&b, ", ");
			}
			sb_printf(&b, "\"count\": %" PRIu64 "}", buckets[i] / div);
		}
	}
	sb_putc(&b, ']');
	sb_flush(&b, o->f);
	sb_free(&b);
}

void out_hist(struct out *o, const uint64_t *buckets, uint32_t nbuckets, int bits, uint64_t div)
{
	struct hist_desc h = {.bits = bits};

	hist_text(o, &h, buckets, nbuckets, div);
}

void out_hist_json(struct out *o, const uint64_t *buckets, uint32_t nbuckets, int bits,
		   uint64_t div)
{
	struct hist_desc h = {.bits = bits};

	hist_json(o, &h, buckets, nbuckets, div);
}

/* As in bpftrace, div does not apply to linear histograms. */
void out_lhist(struct out *o, const uint64_t *buckets, uint32_t nbuckets, int64_t min, int64_t max,
	       int64_t step, uint64_t div)
{
	struct hist_desc h = {.linear = true, .min = min, .step = step > 0 ? step : 1};

	(void)max;
	(void)div;
	hist_text(o, &h, buckets, nbuckets, 1);
}

void out_lhist_json(struct out *o, const uint64_t *buckets, uint32_t nbuckets, int64_t min,
		    int64_t max, int64_t step, uint64_t div)
{
	struct hist_desc h = {.linear = true, .min = min, .step = step > 0 ? step : 1};

	(void)max;
	(void)div;
	hist_json(o, &h, buckets, nbuckets, 1);
}

/* ---- maps ---------------------------------------------------------------- */

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

/* Key order: integers numerically, strings bytewise up to the NUL, tuples
 * and records field by field; anything else by its bytes. */
static int cmp_typed(const struct hk_type *t, const uint8_t *a, const uint8_t *b)
{
	uint64_t va, vb;
	bool sa, sb;
	int i, r;

	if (type_int_value(t, a, &va, &sa) && type_int_value(t, b, &vb, &sb))
		return sa ? cmp_i64((int64_t)va, (int64_t)vb) : cmp_u64(va, vb);
	switch (t->kind) {
	case TY_STRING:
		r = strncmp((const char *)a, (const char *)b, t->size);
		return r < 0 ? -1 : r > 0;
	case TY_TUPLE:
	case TY_RECORD:
	case TY_STRUCT:
		for (i = 0; i < t->nfields; i++) {
			const struct ty_field *f = &t->fields[i];

			r = cmp_typed(f->type, a + f->offset, b + f->offset);
			if (r)
				return r;
		}
		return 0;
	default:
		r = memcmp(a, b, t->size);
		return r < 0 ? -1 : r > 0;
	}
}

struct map_sort {
	const struct res_map *m;
	enum { SORT_KEY, SORT_AGG, SORT_VALUE } by;
};

static _Thread_local const struct map_sort *sort_ctx;

static int cmp_keys(const struct res_map *m, const struct map_entry *x, const struct map_entry *y)
{
	if (!m->key || !x->key || !y->key)
		return 0;
	return cmp_typed(m->key, x->key, y->key);
}

static int cmp_entries(const void *pa, const void *pb)
{
	const struct map_entry *x = pa, *y = pb;
	const struct res_map *m = sort_ctx->m;
	int r = 0;

	if (sort_ctx->by == SORT_AGG)
		r = cmp_i64(m->agg->sort_key(m->value, x->value),
			    m->agg->sort_key(m->value, y->value));
	else if (sort_ctx->by == SORT_VALUE)
		r = cmp_typed(m->value, x->value, y->value);
	return r ? r : cmp_keys(m, x, y);
}

static void map_sort(const struct res_map *m, struct map_entry *e, int n)
{
	struct map_sort s = {.m = m, .by = SORT_KEY};
	const struct map_sort *saved = sort_ctx;

	if (m->agg && m->agg->sort_key)
		s.by = SORT_AGG;
	else if (!m->agg && m->value && m->value->kind == TY_INT)
		s.by = SORT_VALUE;
	sort_ctx = &s;
	qsort(e, (size_t)n, sizeof(*e), cmp_entries);
	sort_ctx = saved;
}

/* "@m[k]" (text) or the JSON key string. */
static void fmt_map_key(struct sbuf *b, const struct out *o, const struct res_map *m,
			const void *key, enum vmode mode)
{
	const struct hk_type *t = m->key;
	struct sbuf tmp = {0};
	int i;

	stack_indent = 4;
	if (t->kind == TY_TUPLE) {
		/* Multi-keys drop the tuple's parentheses: @x[2, 1]. */
		for (i = 0; i < t->nfields; i++) {
			if (i)
				sb_puts(&tmp, mode == V_TEXT ? ", " : ",");
			fmt_value(&tmp, o, t->fields[i].type,
				  (const uint8_t *)key + t->fields[i].offset, mode);
		}
	} else {
		fmt_value(&tmp, o, t, key, mode);
	}
	stack_indent = 8;
	if (mode == V_TEXT)
		sb_putn(b, tmp.s ? tmp.s : "", tmp.len);
	else
		json_string(b, tmp.s ? tmp.s : "", tmp.len);
	sb_free(&tmp);
}

/* A plain (non-aggregation) value, integers divided by div. */
static void fmt_map_value(struct sbuf *b, const struct out *o, const struct hk_type *t,
			  const void *value, uint64_t div, enum vmode mode)
{
	if (div > 1 && t->kind == TY_INT && !t->is_enum) {
		uint8_t q[8];
		struct hk_type t64 = *t;
		uint64_t v;
		bool sgn;

		type_int_value(t, value, &v, &sgn);
		v = sgn ? (uint64_t)((int64_t)v / (int64_t)div) : v / div;
		memcpy(q, &v, 8);
		t64.size = 8;
		fmt_value(b, o, &t64, q, mode);
		return;
	}
	fmt_value(b, o, t, value, mode);
}

static void map_text(struct out *o, const struct res_map *m, const struct map_entry *e, int n,
		     uint64_t div)
{
	const struct agg_ops *agg = m->agg;
	struct sbuf b = {0};
	int i;

	for (i = 0; i < n; i++) {
		sb_puts(&b, m->name);
		if (m->key && e[i].key) {
			sb_putc(&b, '[');
			fmt_map_key(&b, o, m, e[i].key, V_TEXT);
			sb_putc(&b, ']');
		}
		if (agg && agg->multiline) {
			sb_puts(&b, ":\n");
			sb_flush(&b, o->f);
			if (agg->print)
				agg->print(o, m->value, e[i].value, div);
			sb_putc(&b, '\n');
		} else if (agg) {
			sb_puts(&b, ": ");
			sb_flush(&b, o->f);
			if (agg->print)
				agg->print(o, m->value, e[i].value, div);
			sb_putc(&b, '\n');
		} else {
			sb_puts(&b, ": ");
			fmt_map_value(&b, o, m->value, e[i].value, div, V_TEXT);
			sb_putc(&b, '\n');
		}
		sb_flush(&b, o->f);
	}
	sb_free(&b);
}

static void map_json(struct out *o, const struct res_map *m, const struct map_entry *e, int n,
		     uint64_t div)
{
	const struct agg_ops *agg = m->agg;
	const char *type = agg && agg->json_type ? agg->json_type : "map";
	bool keyed = m->key != NULL;
	struct sbuf b = {0};
	int i;

	sb_printf(&b, "{\"type\": \"%s\", \"data\": {", type);
	json_string(&b, m->name, strlen(m->name));
	sb_puts(&b, keyed ? ": {" : ": ");
	for (i = 0; i < n; i++) {
		if (keyed) {
			if (i)
				sb_puts(&b, ", ");
			fmt_map_key(&b, o, m, e[i].key, V_KEY);
			sb_puts(&b, ": ");
		}
		if (agg) {
			sb_flush(&b, o->f);
			if (agg->print_json)
				agg->print_json(o, m->value, e[i].value, div);
		} else {
			fmt_map_value(&b, o, m->value, e[i].value, div, V_JSON);
		}
		if (!keyed)
			break;
	}
	sb_puts(&b, keyed ? "}}}\n" : "}}\n");
	sb_flush(&b, o->f);
	sb_free(&b);
}

/* -f folded prints a map as folded stacks when its key holds a stack and
 * its values are numbers (count, sum..., integers). */
static bool map_is_folded(const struct res_map *m)
{
	const struct hk_type *k = m->key;
	bool stack = false;

	if (!k)
		return false;
	if (k->kind == TY_TUPLE)
		for (int i = 0; i < k->nfields; i++)
			stack |= k->fields[i].type->kind == TY_STACK;
	else
		stack = k->kind == TY_STACK;
	if (m->agg)
		return stack && !m->agg->multiline;
	return stack && m->value && m->value->kind == TY_INT;
}

/* One line per entry, "f1;f2;...;fN value": the key's fields in order,
 * joined by ';', a stack field giving its frames root first (so `@[comm,
 * ustack, kstack]` reads process, user frames, kernel frames, as
 * flamegraph.pl wants). No blank line after the map. */
static void map_folded(struct out *o, const struct res_map *m, const struct map_entry *e, int n,
		       uint64_t div)
{
	const struct hk_type *k = m->key;
	struct sbuf b = {0};
	int i, f, nf = k->kind == TY_TUPLE ? k->nfields : 1;

	for (i = 0; i < n; i++) {
		for (f = 0; f < nf; f++) {
			const struct hk_type *t = k->kind == TY_TUPLE ? k->fields[f].type : k;
			const uint8_t *d = (const uint8_t *)e[i].key +
					   (k->kind == TY_TUPLE ? k->fields[f].offset : 0);

			if (t->kind == TY_STACK) {
				fmt_stack_folded(&b, o, t, d);
				continue;
			}
			if (b.len)
				sb_putc(&b, ';');
			fmt_value(&b, o, t, d, V_TEXT);
		}
		if (!b.len)
			sb_puts(&b, "[unknown]"); /* only empty stacks */
		sb_putc(&b, ' ');
		if (m->agg) {
			sb_flush(&b, o->f);
			if (m->agg->print)
				m->agg->print(o, m->value, e[i].value, div);
		} else {
			fmt_map_value(&b, o, m->value, e[i].value, div, V_TEXT);
		}
		sb_putc(&b, '\n');
		sb_flush(&b, o->f);
	}
	sb_free(&b);
}

void out_map(struct out *o, const struct res_map *m, struct map_entry *entries, int n, uint32_t top,
	     uint64_t div)
{
	if (!div)
		div = 1;
	if (n <= 0)
		return;
	if (!m->key)
		n = 1;
	map_sort(m, entries, n);
	if (top && (uint32_t)n > top) {
		entries += n - (int)top;
		n = (int)top;
	}
	if (o->format == OUT_JSON)
		map_json(o, m, entries, n, div);
	else if (o->format == OUT_FOLDED && map_is_folded(m))
		map_folded(o, m, entries, n, div);
	else
		map_text(o, m, entries, n, div);
}

/* ---- status messages ----------------------------------------------------- */

void out_attached(struct out *o, int nprobes)
{
	if (o->format == OUT_JSON) {
		fprintf(o->f,
			"{\"type\": \"attached_probes\", \"count\": %d, \"data\": {\"probes\": "
			"%d}}\n",
			nprobes, nprobes);
		return;
	}
	fprintf(stderr, "Attached %d %s\n", nprobes, nprobes == 1 ? "probe" : "probes");
}

void out_lost(struct out *o, uint64_t nlost)
{
	if (o->format == OUT_JSON) {
		fprintf(o->f,
			"{\"type\": \"lost_events\", \"count\": %" PRIu64
			", \"data\": {\"events\": %" PRIu64 "}}\n",
			nlost, nlost);
		return;
	}
	fprintf(stderr, "Lost %" PRIu64 " events\n", nlost);
}
