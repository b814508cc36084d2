/*
 * uprobe_args [N [US]] - a target for uprobe tests of arguments, return values,
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
 *   long hawk_nops(i + 100)     four one-byte nops, then returns its argument
 *                               (written in assembly: +1..+4 are instruction
 *                               boundaries whatever the compiler)
 *
 * sleeping US microseconds after each round if given.
 * All are noinline and externally visible (their own symbols); the program
 * prints nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "workload.h"

#define HAWK_TARGET __attribute__((noinline, used))

int hawkup_square(int x);
long hawk_nops(long x);

__asm__(".text\n"
	".globl hawk_nops\n"
	".type hawk_nops, @function\n"
	"hawk_nops:\n"
	"\tnop\n\tnop\n\tnop\n\tnop\n"
	"\tmovq %rdi, %rax\n"
	"\tret\n"
	".size hawk_nops, .-hawk_nops\n");

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
	long us = argc > 2 ? strtol(argv[2], NULL, 0) : 0;

	workload_init();
	for (long i = 0; i < n; i++) {
		hawk_sink2 += hawk_args8(i, -2, 3, -4, 5, -6, 7, -8);
		hawk_sink2 += (long)hawk_greet("hawk", (int)i);
		hawk_sink2 += hawkup_square((int)i + 2);
		hawk_sink2 += getpid();
		hawk_sink2 += hawk_nops(i + 100);
		if (us > 0) {
			struct timespec ts = {us / 1000000, (us % 1000000) * 1000};

			nanosleep(&ts, NULL);
		}
	}
	return 0;
}
