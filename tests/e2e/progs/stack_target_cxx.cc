// stack_target_cxx N [US] - the C++ twin of stack_target: main ->
// hawk::Shape::outer(int) -> hawk::middle<long>(long) -> hawk::inner(long,
// char const*), N times (N = 0: until killed), sleeping US microseconds
// after each round, hawk::inner making the getppid system call itself
// (see stack_target.c). Names are mangled in the binary; ustack and usym
// print them demangled.
#include <cstdlib>
#include <sys/syscall.h>
#include <time.h>

#include "workload.h"

namespace hawk
{
__attribute__((noinline)) long inner(long i, const char *tag)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "0"((long)SYS_getppid) : "rcx", "r11", "memory");
	return ret + i + (tag ? 1 : 0);
}

template <typename T> __attribute__((noinline)) T middle(T i)
{
	return inner(i, "x") + 1;
}

struct Shape {
	__attribute__((noinline)) long outer(int i)
	{
		return middle<long>(i) + 1;
	}
};
} // namespace hawk

int main(int argc, char **argv)
{
	long n = argc > 1 ? std::strtol(argv[1], nullptr, 0) : 1;
	long us = argc > 2 ? std::strtol(argv[2], nullptr, 0) : 0;
	struct timespec pause = {us / 1000000, (us % 1000000) * 1000};
	long sum = 0;
	hawk::Shape s;

	workload_init();
	for (long i = 0; n == 0 || i < n; i++) {
		sum += s.outer((int)i);
		if (us > 0)
			nanosleep(&pause, nullptr);
	}
	return sum == 0;
}
