/*
 * uprobe_args [N] - a target for uprobe tests of arguments, return values,
 * shared libraries and libc. Built twice: uprobe_args (PIE) and
 * uprobe_args_nopie (position dependent); both link libhawkup.so (from
 * lib/hawkup.c, found next to them through the rpath $ORIGIN).
 *
 * Calls, N times (default 1), i from 0 to N-1:
 *
 *   long hawk_args8(a..h)       eight longs: (i, -2, 3, -4, 5, -6, 7, -8); returns their sum
 *   const char *hawk_greet(s, n) s = "hawk", n = i; returns "greet:hawk"
 *   int hawkup_square(i + 2)    in libhawkup.so: returns (i + 2) squared
 *   getpid()                    through libc
 *
 * All are noinline and externally visible (their own symbols); the program
 * prints nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workload.h"

#define HAWK_TARGET __attribute__((noinline, used))

int hawkup_square(int x);

HAWK_TARGET long hawk_args8(long a, long b, long c, long d, long e, long f, long g, long h)
{
	__asm__ volatile("" ::: "memory");
	return a + b + c + d + e + f + g + h;
}

static char greeting[64];

HAWK_TARGET const char *hawk_greet(const char *s, int n)
{
	__asm__ volatile("" ::: "memory");
	strcpy(greeting, "greet:");
	strncat(greeting, s, sizeof(greeting) - 7);
	return n >= 0 ? greeting : NULL;
}

volatile long hawk_sink2;

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 0) : 1;

	workload_init();
	for (long i = 0; i < n; i++) {
		hawk_sink2 += hawk_args8(i, -2, 3, -4, 5, -6, 7, -8);
		hawk_sink2 += (long)hawk_greet("hawk", (int)i);
		hawk_sink2 += hawkup_square((int)i + 2);
		hawk_sink2 += getpid();
	}
	return 0;
}
