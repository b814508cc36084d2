/*
 * uprobe_target [N [STR]] - a target for uprobe/uretprobe tests.
 *
 * Calls each of the functions below N times (default 1) in a loop, i from 0
 * to N-1, then exits. They are noinline and externally visible so that each
 * has its own symbol and entry point:
 *
 *   int   hawk_add(int a, int b)            called as hawk_add(i, i + 1), returns a + b
 *   long  hawk_mul64(long a, long b)        called as hawk_mul64(i, 1L << 32), returns a * b
 *   int   hawk_strlen(const char *s)        called with STR (default "hello"), returns its length
 *   int   hawk_negate(int x)                called as hawk_negate(i + 1), returns -x
 *   void  hawk_void(void)                   no arguments, no return value
 *
 * The results are summed into a volatile so the calls are not optimised
 * away; the program prints nothing.
 */
#include <stdlib.h>

#include "workload.h"

#define HAWK_TARGET __attribute__((noinline, used))

HAWK_TARGET int hawk_add(int a, int b)
{
	__asm__ volatile("" ::: "memory");
	return a + b;
}

HAWK_TARGET long hawk_mul64(long a, long b)
{
	__asm__ volatile("" ::: "memory");
	return a * b;
}

HAWK_TARGET int hawk_strlen(const char *s)
{
	int n = 0;
	while (s[n])
		n++;
	__asm__ volatile("" ::: "memory");
	return n;
}

HAWK_TARGET int hawk_negate(int x)
{
	__asm__ volatile("" ::: "memory");
	return -x;
}

HAWK_TARGET void hawk_void(void)
{
	__asm__ volatile("" ::: "memory");
}

volatile long hawk_sink;

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 0) : 1;
	const char *str = argc > 2 ? argv[2] : "hello";

	workload_init();
	for (long i = 0; i < n; i++) {
		hawk_sink += hawk_add((int)i, (int)i + 1);
		hawk_sink += hawk_mul64(i, 1L << 32);
		hawk_sink += hawk_strlen(str);
		hawk_sink += hawk_negate((int)i + 1);
		hawk_void();
	}
	return 0;
}
