/*
 * uprobe_dwarf [N] - a target for uprobe `args` typed from DWARF (built with
 * -g; uprobe_dwarf_nodebug is the same program built without debug info).
 *
 * Calls, N times (default 1), i from 0 to N-1:
 *
 *   hawk_ints(-8 - i, 200, -1600, 60000, -70000, 4000000000, -5000000000, i)
 *       int8, uint8, int16, uint16, int32, uint32, int64, uint64 (the
 *       seventh and eighth are passed on the stack); returns i
 *   hawk_str("dwarf", i)            returns the length of the string plus i (int)
 *   hawk_point(&p, GREEN, i % 2)    p = { .x = 10 + i, .y = -20, .name = "pt",
 *                                   .tag = "tag", .next = NULL, .flags = 5 };
 *                                   returns the address of a static struct
 *   hawk_mixed(1.5, 7 + i, 2.5, "mix")  doubles between integers: n and s are
 *                                   in the first two integer registers
 *   hawk_neg(i)                     returns -(i + 1) as a short
 *   hawk_sig_int(40 + i)            int v; and hawk_sig_str("sig", 50 + i): const char *v,
 *                                   long n: one wildcard (hawk_sig_*), two signatures
 *   hawk_byval(q, 100 + i, t, -7)   q = {1, 2} (16 bytes: rdi, rsi), after in rdx,
 *                                   t = {3, 4, 5} (24 bytes: on the stack), last in rcx
 *
 * The line marked HAWK_LINE_MARK below is a statement of its own, for
 * source-line probes (uprobe:BIN@uprobe_dwarf.c:LINE). All functions are
 * noinline and externally visible; the program prints nothing.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"

#define HAWK_TARGET __attribute__((noinline, used))

enum hawk_color { RED = 1, GREEN = 2, BLUE = 4 };

struct hawk_point {
	int x;
	long y;
	const char *name;
	char tag[8];
	struct hawk_point *next;
	unsigned flags : 3;
};

/* by value: two integer registers */
struct hawk_pair {
	long a, b;
};

/* by value: in memory, on the stack */
struct hawk_triple {
	long a, b, c;
};

volatile long hawk_sink;

HAWK_TARGET uint64_t hawk_ints(int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e, uint32_t f,
			       int64_t g, uint64_t h)
{
	__asm__ volatile("" ::: "memory");
	hawk_sink += a + b + c + d + e + f + g;
	return h;
}

HAWK_TARGET int hawk_str(const char *s, int n)
{
	__asm__ volatile("" ::: "memory");
	return (int)strlen(s) + n;
}

static struct hawk_point hawk_static_point = {.x = 99, .name = "static"};

HAWK_TARGET struct hawk_point *hawk_point(struct hawk_point *p, enum hawk_color c, bool on)
{
	__asm__ volatile("" ::: "memory");
	hawk_sink += p->x + c + on;
	return &hawk_static_point;
}

HAWK_TARGET long hawk_mixed(double a, int n, double b, const char *s)
{
	__asm__ volatile("" ::: "memory");
	return (long)(a + b) + n + s[0];
}

HAWK_TARGET short hawk_neg(int i)
{
	__asm__ volatile("" ::: "memory");
	return (short)-(i + 1);
}

HAWK_TARGET long hawk_sig_int(int v)
{
	__asm__ volatile("" ::: "memory");
	return v;
}

HAWK_TARGET long hawk_sig_str(const char *v, long n)
{
	__asm__ volatile("" ::: "memory");
	return v[0] + n;
}

HAWK_TARGET long hawk_byval(struct hawk_pair q, long after, struct hawk_triple t, long last)
{
	__asm__ volatile("" ::: "memory");
	return q.a + q.b + after + t.a + t.b + t.c + last;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 0) : 1;

	workload_init();
	for (long i = 0; i < n; i++) {
		struct hawk_point p = {.x = 10 + (int)i, .y = -20, .name = "pt", .next = NULL};

		strcpy(p.tag, "tag");
		p.flags = 5;
		hawk_sink += (long)hawk_ints((int8_t)(-8 - i), 200, -1600, 60000, -70000,
					     4000000000u, -5000000000, (uint64_t)i);
		hawk_sink += hawk_str("dwarf", (int)i);
		hawk_sink += hawk_point(&p, GREEN, i % 2)->x;
		hawk_sink += hawk_mixed(1.5, 7 + (int)i, 2.5, "mix");
		hawk_sink += hawk_sig_int(40 + (int)i);
		hawk_sink += hawk_sig_str("sig", 50 + i);
		hawk_sink += hawk_byval((struct hawk_pair){1, 2}, 100 + i,
					(struct hawk_triple){3, 4, 5}, -7);
		hawk_sink += hawk_neg((int)i); /* HAWK_LINE_MARK */
	}
	return 0;
}
