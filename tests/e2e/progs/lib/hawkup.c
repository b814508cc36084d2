/*
 * libhawkup.so - a shared library for uprobe tests (uprobe_args links it).
 *
 *   int hawkup_square(int x)   returns x * x
 */
#define HAWK_TARGET __attribute__((noinline, used, visibility("default")))

HAWK_TARGET int hawkup_square(int x)
{
	__asm__ volatile("" ::: "memory");
	return x * x;
}
