/*
 * output.h - everything hawk prints for a program: printf text, values and
 * maps, as text (byte-for-byte bpftrace 0.26) or as NDJSON (-f json).
 *
 * Pure formatting: no libbpf here. The caller reads kernel maps, combines the
 * per-CPU values (agg_ops.reduce) and hands over entries with reduced values.
 */
#ifndef HAWK_OUTPUT_H
#define HAWK_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct hk_type;
struct res_map;
struct res_event;

enum out_format {
	OUT_TEXT, /* bpftrace's text output */
	OUT_JSON, /* one JSON object per line: {"type": ..., "data": ...} */
	/* text, but maps keyed by stacks print as folded stacks (hawk's own):
	 * "key;outer;...;inner value" per entry, for flamegraph.pl */
	OUT_FOLDED,
};

/* What the uframe hook puts in a frame's name. */
enum {
	OUT_FRAME_OFFSET = 1, /* "func+off" */
	OUT_FRAME_MODULE = 2, /* then " (/path/of/binary)" (perf mode) */
};

struct out {
	FILE *f;
	enum out_format format;
	const char *trunc_trailer; /* appended to strings that filled their buffer: ".." */
	/* Resolves a kernel address for ksym values; NULL prints hex. */
	const char *(*ksym)(void *ctx, uint64_t addr, char *buf, size_t len);
	void *sym_ctx;
	/* Resolves a cgroup id for cgroup_path values ("unified:/a.slice"),
	 * limited to the hierarchies matching filter (NULL: all); NULL prints
	 * the id. Called with sym_ctx. */
	const char *(*cgroup_path)(void *ctx, uint64_t id, const char *filter, char *buf,
				   size_t len);
	/* Names one frame of a kernel stack, "func+off"; NULL prints hex. */
	const char *(*kframe)(void *ctx, uint64_t addr, char *buf, size_t len);
	/* Names one frame of a user stack of process pid, as flags
	 * (OUT_FRAME_*) ask; NULL prints hex. */
	const char *(*uframe)(void *ctx, uint32_t pid, uint64_t addr, unsigned flags, char *buf,
			      size_t len);
	/* Text-mode messages that are not the program's output (errorf, warnf,
	 * cat errors); NULL: stderr. */
	FILE *err;
	/* Boot clock to wall clock for strftime() values: CLOCK_REALTIME -
	 * CLOCK_BOOTTIME in ns, measured once on first use unless set. */
	bool wall_offset_set;
	int64_t wall_offset;
	/* Resolves a usym value (layout below: the address and where it was
	 * taken) to the containing function's name; NULL prints hex. Called
	 * with sym_ctx. */
	const char *(*usym)(void *ctx, const void *value, char *buf, size_t len);
};

/*
 * Layouts of the value types printed here that sema builds per call:
 *   TY_TIMESTAMP    u64 ns on the boot clock; type->name: the strftime
 *                   format (with bpftrace's %f microseconds, %l milliseconds,
 *                   %k nanoseconds)
 *   TY_CGROUP_PATH  u64 cgroup id; type->name: the hierarchy filter or NULL
 *   TY_USERNAME     u64 uid, printed as the user's name ("" if unknown)
 *   TY_INET         int64 address family, then 4 or 16 address bytes
 *   TY_MACADDR      6 bytes
 *   TY_STRERROR     an errno value, printed as its text
 *   TY_USYM         16 bytes: u64 address, u32 pid, u32 probe index + 1 (a
 *                   uprobe's; 0: none), then (size 24) u64 load bias of
 *                   that probe's binary in the process
 *   TY_STACK        u32 frame count, u32 pid (user stacks), then type->count
 *                   u64 addresses innermost first; type->name: the mode
 *                   (bpftrace, perf, raw); type->as: AS_KERNEL or AS_USER
 */

void out_init(struct out *o, FILE *f, enum out_format format);

/* One value as it appears in a map key, a map value or print(): 42, abc
 * (strings unquoted in text), (1, abc), { .a = 1, .b = x }, true. */
void out_value(struct out *o, const struct hk_type *t, const void *data);
/* JSON form: 42, "abc", [1,"abc"], {"a": 1}, true. */
void out_value_json(struct out *o, const struct hk_type *t, const void *data);

/* printf(): formats ev->fmt with the arguments laid out in payload at
 * ev->offsets (types ev->args), writes it (text) or a printf JSON record. */
void out_printf(struct out *o, const struct res_event *ev, const void *payload);
/* The same into a buffer (for system(), cat() paths); returns its length. */
size_t out_format_string(char *buf, size_t len, const struct res_event *ev, const void *payload);
/* The same with o's resolvers, malloc'ed and NUL-terminated (length in
 * *len); NULL if out of memory. */
char *out_format_alloc(const struct out *o, const struct res_event *ev, const void *payload,
		       size_t *len);

/* What time(), cat(), join() and system() print: text writes it as is (then
 * a newline if `newline`), JSON as {"type": type, "data": "text"}. */
void out_message(struct out *o, const char *type, const char *text, size_t len, bool newline);
/* errorf()/warnf() at the call ev->loc in ev->file: text writes
 * "FILE:LINE:COL-END: ERROR: msg" (WARNING for warnf; one trailing newline of
 * msg dropped) to o->err, JSON {"type": "errorf", "msg": ..., "filename": ...,
 * "line": N, "col": N} to the output. */
void out_errorf(struct out *o, const struct res_event *ev, bool is_error, const char *msg);
/* A problem found while printing ("error: cannot open ..."): flushes the
 * output, then writes "error: MSG" to o->err. */
void out_error(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A map's entries, each a key (res_map.key layout; NULL for keyless maps) and
 * a reduced value (agg_ops reduced layout, or the value type's layout). */
struct map_entry {
	const void *key;
	const void *value;
};

/* Prints a whole map as bpftrace does at exit and for print(@m, top, div):
 * sorts entries in place (by agg_ops.sort_key or by key), keeps the last `top`
 * (0: all), divides by div (1: none), and ends the map with bpftrace's blank
 * line. An empty map prints nothing in text mode. */
void out_map(struct out *o, const struct res_map *m, struct map_entry *entries, int n, uint32_t top,
	     uint64_t div);

/* Histogram bodies (the lines after "@h[k]:"): log2 buckets of hist(x, bits)
 * and linear buckets of lhist(x, min, max, step). Index layout: lang/hist.h. */
void out_hist(struct out *o, const uint64_t *buckets, uint32_t nbuckets, int bits, uint64_t div);
void out_lhist(struct out *o, const uint64_t *buckets, uint32_t nbuckets, int64_t min, int64_t max,
	       int64_t step, uint64_t div);
void out_hist_json(struct out *o, const uint64_t *buckets, uint32_t nbuckets, int bits,
		   uint64_t div);
void out_lhist_json(struct out *o, const uint64_t *buckets, uint32_t nbuckets, int64_t min,
		    int64_t max, int64_t step, uint64_t div);

/* A status or runtime message outside the program's own output; text mode
 * writes it to stderr, JSON mode as {"type": type, ...} on the output. */
void out_attached(struct out *o, int nprobes); /* "Attached N probes" */
void out_lost(struct out *o, uint64_t nlost);  /* lost events */

#endif
