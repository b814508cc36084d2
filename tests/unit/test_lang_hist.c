/*
 * test_lang_hist.c - hist()/lhist() bucket indexes and ranges (lang/hist.c).
 *
 * The expected buckets come from bpftrace: classic log2 buckets for k = 0,
 * and for hist(x, 3) the ranges of bpftrace's tests/runtime/outputs/
 * hist_2args.json (0..15 one value each, then 8 buckets per power of two).
 */
#include <stdint.h>

#include "check.h"
#include "lang/hist.h"

static int in_bucket(int64_t v, int bits)
{
	uint32_t idx = hist_index(v, bits);
	int64_t lo;
	uint64_t hi;

	hist_range(idx, bits, &lo, &hi);
	if (idx == 0)
		return v < 0;
	if (v < lo)
		return 0;
	return hi == 0 ? idx == hist_nbuckets(bits) - 1 : (uint64_t)v < hi;
}

static void test_log2(void)
{
	int64_t lo;
	uint64_t hi;

	CHECK(hist_nbuckets(0) == 65);
	CHECK(hist_index(-1, 0) == 0);
	CHECK(hist_index(INT64_MIN, 0) == 0);
	CHECK(hist_index(0, 0) == 1);
	CHECK(hist_index(1, 0) == 2);
	CHECK(hist_index(2, 0) == 3);
	CHECK(hist_index(3, 0) == 3);
	CHECK(hist_index(4, 0) == 4);
	CHECK(hist_index(7, 0) == 4);
	CHECK(hist_index(8, 0) == 5);
	CHECK(hist_index(1000, 0) == 11);
	CHECK(hist_index(1024, 0) == 12);
	CHECK(hist_index(INT64_MAX, 0) == 64);

	hist_range(0, 0, &lo, &hi);
	CHECK(lo == INT64_MIN && hi == 0);
	hist_range(1, 0, &lo, &hi);
	CHECK(lo == 0 && hi == 1);
	hist_range(2, 0, &lo, &hi);
	CHECK(lo == 1 && hi == 2);
	hist_range(3, 0, &lo, &hi);
	CHECK(lo == 2 && hi == 4);
	hist_range(11, 0, &lo, &hi);
	CHECK(lo == 512 && hi == 1024);
	hist_range(63, 0, &lo, &hi);
	CHECK(lo == (int64_t)1 << 61 && hi == (uint64_t)1 << 62);
	hist_range(64, 0, &lo, &hi); /* the last bucket: no upper bound */
	CHECK(lo == (int64_t)1 << 62 && hi == 0);
}

static void test_bits(void)
{
	int64_t lo;
	uint64_t hi;
	int64_t v;
	int k, ok;

	/* hist(x, 3): 0..15 are single values, then width 2 from 16. */
	CHECK(hist_nbuckets(3) == 61 * 8 + 1);
	for (v = 0; v < 16; v++)
		CHECK(hist_index(v, 3) == (uint32_t)v + 1);
	CHECK(hist_index(16, 3) == 17);
	CHECK(hist_index(17, 3) == 17);
	CHECK(hist_index(18, 3) == 18);
	hist_range(17, 3, &lo, &hi);
	CHECK(lo == 16 && hi == 18);
	hist_range(hist_index(32, 3), 3, &lo, &hi);
	CHECK(lo == 32 && hi == 36);
	hist_range(hist_index(1000, 3), 3, &lo, &hi);
	CHECK(lo == 960 && hi == 1024);
	hist_range(hist_index(100, 3), 3, &lo, &hi);
	CHECK(lo == 96 && hi == 104);

	/* hist(x, 1): 0..3 single, then [4, 6), [6, 8), [8, 12)... */
	CHECK(hist_index(3, 1) == 4);
	CHECK(hist_index(4, 1) == 5);
	CHECK(hist_index(5, 1) == 5);
	CHECK(hist_index(6, 1) == 6);
	CHECK(hist_index(8, 1) == 7);
	hist_range(7, 1, &lo, &hi);
	CHECK(lo == 8 && hi == 12);

	/* Every value lands in a bucket whose range holds it, the index
	 * never decreases with the value, and the largest value is last. */
	for (k = 0; k <= HIST_MAX_BITS; k++) {
		uint32_t prev = 0;

		ok = 1;
		for (v = -3; v < 70000; v++) {
			uint32_t idx = hist_index(v, k);

			ok &= in_bucket(v, k) && idx >= prev && idx < hist_nbuckets(k);
			prev = idx;
		}
		for (v = 1; v > 0 && v < INT64_MAX / 3; v = v * 3 + 1)
			ok &= in_bucket(v, k) && in_bucket(v - 1, k) && in_bucket(v + 1, k);
		ok &= hist_index(INT64_MAX, k) == hist_nbuckets(k) - 1;
		ok &= in_bucket(INT64_MAX, k);
		CHECK(ok);
	}
}

static void test_lhist(void)
{
	CHECK(lhist_nbuckets(0, 100, 10) == 12);
	CHECK(lhist_index(-1, 0, 100, 10) == 0);
	CHECK(lhist_index(0, 0, 100, 10) == 1);
	CHECK(lhist_index(5, 0, 100, 10) == 1);
	CHECK(lhist_index(10, 0, 100, 10) == 2);
	CHECK(lhist_index(99, 0, 100, 10) == 10);
	CHECK(lhist_index(100, 0, 100, 10) == 11);
	CHECK(lhist_index(1000, 0, 100, 10) == 11);
	CHECK(lhist_index(INT64_MAX, 0, 100, 10) == 11);
	CHECK(lhist_index(INT64_MIN, 0, 100, 10) == 0);
	/* step not dividing the range: the last partial bucket is overflow */
	CHECK(lhist_nbuckets(0, 105, 10) == 12);
	CHECK(lhist_index(104, 0, 105, 10) == 11);
	CHECK(lhist_index(99, 0, 105, 10) == 10);
	/* negative minimum */
	CHECK(lhist_nbuckets(-10, 10, 5) == 6);
	CHECK(lhist_index(-11, -10, 10, 5) == 0);
	CHECK(lhist_index(-10, -10, 10, 5) == 1);
	CHECK(lhist_index(-6, -10, 10, 5) == 1);
	CHECK(lhist_index(-5, -10, 10, 5) == 2);
	CHECK(lhist_index(9, -10, 10, 5) == 4);
	CHECK(lhist_index(10, -10, 10, 5) == 5);
	/* extreme ranges do not overflow */
	CHECK(lhist_index(INT64_MAX, INT64_MIN, INT64_MAX, INT64_MAX) ==
	      lhist_nbuckets(INT64_MIN, INT64_MAX, INT64_MAX) - 1);
	CHECK(lhist_index(0, INT64_MIN, INT64_MAX, INT64_MAX) == 2);
}

int main(void)
{
	test_log2();
	test_bits();
	test_lhist();
	return check_done();
}
