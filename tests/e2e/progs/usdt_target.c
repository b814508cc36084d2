/*
 * usdt_target [N [STR [MS]]] - a target for usdt probe tests.
 *
 * Runs N iterations (default 1; 0: until killed), i from 0, sleeping MS
 * milliseconds after each if given; each iteration fires, in this order:
 *
 *   hawk:consts   constants ($N):  (int8)-5, (uint16)65535, (int32)-100000,
 *                                  (uint64)0x123456789abcdef0
 *   hawk:regs     registers (%r):  (int8)(-1 - i), (uint16)(60000 + i),
 *                                  (int32)(-1000 * (i + 1)), (uint64)(2^63 + i),
 *                                  (int64)(-7 - i)
 *   hawk:mem      memory:          (int16)(-300 - i) and (uint32)(4000000000 + i) on
 *                                  the stack (off(%rsp)), hawk_global (int64, -42 - i)
 *                                  as sym(%rip), hawk_table[i % 4] (uint8: 201..204)
 *                                  through base and index registers (base,index,1)
 *   hawk:str      a string pointer: STR (default "hello"), and its length
 *   hawk:twice    i, from two call sites (two locations of one probe)
 *   hawk:gated    the semaphore's value, only when hawk_gated_semaphore is non-zero
 *                 (as HAWK_GATED_ENABLED() says: a tracer is attached)
 *   hawk:dup, hawk2:dup  the same probe name in two providers, arg0 = 1 or 2
 *
 * then, once at exit, hawk2:done with the number of times hawk:gated fired.
 * Each probe's argument kinds are forced with sdt.h's STAP_SDT_ARG_CONSTRAINT
 * (n: constants, r: registers, m: memory), whatever the optimisation level.
 * Built as a normal (PIE, dynamic) executable, like uprobe_target.
 */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "workload.h"

/* sdt.h expands STAP_SDT_ARG_CONSTRAINT where a probe is used: it can
 * change between probes. */
#define STAP_SDT_ARG_CONSTRAINT nor
#include <sys/sdt.h>

/*
 * A probe with a semaphore: sdt.h only emits semaphore references for every
 * probe of a file (_SDT_HAS_SEMAPHORES, as `dtrace -h` headers do); these
 * two of its macros are redefined around the one probe that has one.
 */
__extension__ unsigned short hawk_gated_semaphore __attribute__((unused))
__attribute__((section(".probes")));
#define HAWK_GATED_ENABLED() __builtin_expect(hawk_gated_semaphore, 0)

volatile int64_t hawk_global = -42;
uint32_t hawk_table[5] = {201, 202, 203, 204, 205};
volatile long hawk_sink;

static __attribute__((noinline)) void fire_consts(void)
{
#undef STAP_SDT_ARG_CONSTRAINT
#define STAP_SDT_ARG_CONSTRAINT n
	STAP_PROBE4(hawk, consts, (int8_t)-5, (uint16_t)65535, (int32_t)-100000,
		    (uint64_t)0x123456789abcdef0ull);
#undef STAP_SDT_ARG_CONSTRAINT
#define STAP_SDT_ARG_CONSTRAINT nor
}

static __attribute__((noinline)) void fire_regs(long i)
{
	int8_t a = (int8_t)(-1 - i);
	uint16_t b = (uint16_t)(60000 + i);
	int32_t c = (int32_t)(-1000 * (i + 1));
	uint64_t d = (1ull << 63) + (uint64_t)i;
	int64_t e = -7 - i;

#undef STAP_SDT_ARG_CONSTRAINT
#define STAP_SDT_ARG_CONSTRAINT r
	STAP_PROBE5(hawk, regs, a, b, c, d, e);
#undef STAP_SDT_ARG_CONSTRAINT
#define STAP_SDT_ARG_CONSTRAINT nor
}

static __attribute__((noinline)) void fire_mem(long i)
{
	int16_t a = (int16_t)(-300 - i);
	uint32_t b = (uint32_t)(4000000000u + (uint32_t)i);

	hawk_global = -42 - i;
#undef STAP_SDT_ARG_CONSTRAINT
#define STAP_SDT_ARG_CONSTRAINT m
	STAP_PROBE3(hawk, mem, a, b, hawk_global);
#undef STAP_SDT_ARG_CONSTRAINT
#define STAP_SDT_ARG_CONSTRAINT nor
}

static __attribute__((noinline)) void fire_index(const uint32_t *table, long k)
{
#undef STAP_SDT_ARG_CONSTRAINT
#define STAP_SDT_ARG_CONSTRAINT m
	STAP_PROBE2(hawk, index, table[k], table[k + 1]);
#undef STAP_SDT_ARG_CONSTRAINT
#define STAP_SDT_ARG_CONSTRAINT nor
}

static __attribute__((noinline)) void fire_str(const char *s)
{
	long n = 0;

	while (s[n])
		n++;
	STAP_PROBE2(hawk, str, s, n);
}

static __attribute__((noinline)) void fire_twice(long i)
{
	STAP_PROBE1(hawk, twice, i);
	hawk_sink += i;
	STAP_PROBE1(hawk, twice, i);
}

/* Only fires when a tracer set the semaphore; returns 1 if it did. */
static __attribute__((noinline)) int fire_gated(void)
{
	if (HAWK_GATED_ENABLED()) {
		unsigned short v = hawk_gated_semaphore;

		/* the semaphore variant of sdt.h's probe macro (see above) */
#undef _SDT_SEMAPHORE
#define _SDT_SEMAPHORE(p, n) _SDT_ASM_1(_SDT_ASM_ADDR p##_##n##_semaphore)
		STAP_PROBE1(hawk, gated, v);
#undef _SDT_SEMAPHORE
#define _SDT_SEMAPHORE(p, n) _SDT_ASM_1(_SDT_ASM_ADDR 0)
		return 1;
	}
	return 0;
}

static __attribute__((noinline)) void fire_dup(void)
{
	STAP_PROBE1(hawk, dup, 1);
	STAP_PROBE1(hawk2, dup, 2);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 0) : 1;
	const char *str = argc > 2 ? argv[2] : "hello";
	long ms = argc > 3 ? strtol(argv[3], NULL, 0) : 0;
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	long gated = 0;

	workload_init();
	for (long i = 0; n == 0 || i < n; i++) {
		fire_consts();
		fire_regs(i);
		fire_mem(i);
		fire_index(hawk_table, i % 4);
		fire_str(str);
		fire_twice(i);
		gated += fire_gated();
		fire_dup();
		if (ms > 0)
			nanosleep(&ts, NULL);
	}
	STAP_PROBE1(hawk2, done, gated);
	return 0;
}
