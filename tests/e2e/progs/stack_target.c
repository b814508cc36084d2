/*
 * stack_target N [US] - a known call chain for user stack tests: main ->
 * hawk_outer -> hawk_middle -> hawk_inner, N times (N = 0: until killed),
 * sleeping US microseconds after each round. hawk_inner makes the getppid
 * system call itself (an inline `syscall` instruction, not libc's wrapper),
 * so a probe on sys_enter_getppid stops inside hawk_inner with its frame set
 * up: a frame-pointer walk (bpf_get_stack) then names every function of the
 * chain in order. Built -O0 -fno-omit-frame-pointer, dynamic PIE (see
 * CMakeLists.txt); stack_target_static is the same program linked statically.
 */
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>

#include "workload.h"

__attribute__((noinline)) long hawk_inner(long i)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "0"((long)SYS_getppid) : "rcx", "r11", "memory");
	return ret + i;
}

__attribute__((noinline)) long hawk_middle(long i)
{
	return hawk_inner(i) + 1;
}

__attribute__((noinline)) long hawk_outer(long i)
{
	return hawk_middle(i) + 1;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 0) : 1;
	long us = argc > 2 ? strtol(argv[2], NULL, 0) : 0;
	struct timespec pause = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000};
	long sum = 0;

	workload_init();
	for (long i = 0; n == 0 || i < n; i++) {
		sum += hawk_outer(i);
		if (us > 0)
			nanosleep(&pause, NULL);
	}
	return sum == 0; /* use sum: nothing is optimized away */
}
