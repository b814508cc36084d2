/*
 * test_output_hist.c - histogram bodies (out_hist, out_lhist) and their JSON.
 *
 * The expected text was produced by bpftrace 0.17 from the same data (see
 * the bpftrace program above each case), byte for byte; rows are the same in
 * 0.26. Where 0.26 prints differently (single-value lhist buckets as "[3]",
 * JSON arrays without spaces) the expectation follows 0.26.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "output_fixture.h"
#include "lang/hist.h"

/* Buckets as the kernel would fill them. */
static uint64_t hb[2000];

static void h_reset(void)
{
	memset(hb, 0, sizeof(hb));
}

static void h_add(int64_t v, int bits, int times)
{
	hb[hist_index(v, bits)] += (uint64_t)times;
}

static void l_add(int64_t v, int64_t min, int64_t max, int64_t step, int times)
{
	hb[lhist_index(v, min, max, step)] += (uint64_t)times;
}

/* @h = hist(1); @h = hist(2); @h = hist(3); @h = hist(1000); */
static void test_hist_basic(void)
{
	h_reset();
	h_add(1, 0, 1);
	h_add(2, 0, 1);
	h_add(3, 0, 1);
	h_add(1000, 0, 1);
	cap_begin(OUT_TEXT);
	out_hist(&o, hb, hist_nbuckets(0), 0, 1);
	CHECK_STR(
		cap_end(),
		"[1]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		"[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[4, 8)                 0 |                                                    |\n"
		"[8, 16)                0 |                                                    |\n"
		"[16, 32)               0 |                                                    |\n"
		"[32, 64)               0 |                                                    |\n"
		"[64, 128)              0 |                                                    |\n"
		"[128, 256)             0 |                                                    |\n"
		"[256, 512)             0 |                                                    |\n"
		"[512, 1K)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          "
		"|\n");

	cap_begin(OUT_JSON);
	out_hist_json(&o, hb, hist_nbuckets(0), 0, 1);
	CHECK_STR(cap_end(), "[{\"min\": 1, \"max\": 1, \"count\": 1},"
			     "{\"min\": 2, \"max\": 3, \"count\": 2},"
			     "{\"min\": 4, \"max\": 7, \"count\": 0},"
			     "{\"min\": 8, \"max\": 15, \"count\": 0},"
			     "{\"min\": 16, \"max\": 31, \"count\": 0},"
			     "{\"min\": 32, \"max\": 63, \"count\": 0},"
			     "{\"min\": 64, \"max\": 127, \"count\": 0},"
			     "{\"min\": 128, \"max\": 255, \"count\": 0},"
			     "{\"min\": 256, \"max\": 511, \"count\": 0},"
			     "{\"min\": 512, \"max\": 1023, \"count\": 1}]");
}

/* @n = hist(-5); @n = hist(0) x2; @n = hist(1); @n = hist(7) x3; */
static void test_hist_negative(void)
{
	h_reset();
	h_add(-5, 0, 1);
	h_add(0, 0, 2);
	h_add(1, 0, 1);
	h_add(7, 0, 3);
	cap_begin(OUT_TEXT);
	out_hist(&o, hb, hist_nbuckets(0), 0, 1);
	CHECK_STR(
		cap_end(),
		"(..., 0)               1 |@@@@@@@@@@@@@@@@@                                   |\n"
		"[0]                    2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                  |\n"
		"[1]                    1 |@@@@@@@@@@@@@@@@@                                   |\n"
		"[2, 4)                 0 |                                                    |\n"
		"[4, 8)                 3 "
		"|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");

	cap_begin(OUT_JSON);
	out_hist_json(&o, hb, hist_nbuckets(0), 0, 1);
	CHECK_STR(cap_end(), "[{\"max\": -1, \"count\": 1},"
			     "{\"min\": 0, \"max\": 0, \"count\": 2},"
			     "{\"min\": 1, \"max\": 1, \"count\": 1},"
			     "{\"min\": 2, \"max\": 3, \"count\": 0},"
			     "{\"min\": 4, \"max\": 7, \"count\": 3}]");
}

/* K/M/G/T suffixes: @big = hist(5000), hist(70000), hist(3000000) x2. The
 * rows past 4M are 0.26's labels (0.17 overflows a 32-bit int there). */
static void test_hist_suffixes(void)
{
	h_reset();
	h_add(5000, 0, 1);
	h_add(70000, 0, 1);
	h_add(3000000, 0, 2);
	cap_begin(OUT_TEXT);
	out_hist(&o, hb, hist_nbuckets(0), 0, 1);
	CHECK_STR(
		cap_end(),
		"[4K, 8K)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		"[8K, 16K)              0 |                                                    |\n"
		"[16K, 32K)             0 |                                                    |\n"
		"[32K, 64K)             0 |                                                    |\n"
		"[64K, 128K)            1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		"[128K, 256K)           0 |                                                    |\n"
		"[256K, 512K)           0 |                                                    |\n"
		"[512K, 1M)             0 |                                                    |\n"
		"[1M, 2M)               0 |                                                    |\n"
		"[2M, 4M)               2 "
		"|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");

	h_reset();
	h_add(5000000000LL, 0, 1);
	h_add(6000000000000LL, 0, 3);
	h_add(INT64_MAX, 0, 1);
	cap_begin(OUT_TEXT);
	out_hist(&o, hb, hist_nbuckets(0), 0, 1);
	{
		const char *t = cap_end();

		CHECK(!strncmp(t,
			       "[4G, 8G)               1 |@@@@@@@@@@@@@@@@@                    "
			       "               |\n",
			       strlen("[4G, 8G)               1 |")));
		CHECK(strstr(t, "\n[4T, 8T)               3 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@"
				"@@@@@@@@@@@@@@@@@@@@|\n") != NULL);
		CHECK(strstr(t, "\n[1P, 2P)               0 |") != NULL);
		CHECK(strstr(t, "\n[4E, 8E)               1 |@@@@@@@@@@@@@@@@@               "
				"                    |\n") != NULL);
	}
	/* JSON of the top bucket: 2^63 - 1 does not fit a double: a string */
	h_reset();
	h_add(INT64_MAX, 0, 1);
	cap_begin(OUT_JSON);
	out_hist_json(&o, hb, hist_nbuckets(0), 0, 1);
	CHECK_STR(
		cap_end(),
		"[{\"min\": 4611686018427387904, \"max\": \"9223372036854775807\", \"count\": 1}]");
	/* hist(10 * 1024 * 1024 * 1024): bpftrace's hist_10g.json */
	h_reset();
	h_add(10LL * 1024 * 1024 * 1024, 0, 1);
	cap_begin(OUT_JSON);
	out_hist_json(&o, hb, hist_nbuckets(0), 0, 1);
	CHECK_STR(cap_end(), "[{\"min\": 8589934592, \"max\": 17179869183, \"count\": 1}]");
}

/* Bar rounding: counts 3, 13, 5, 7, 11, 9, 1, 6, 10, 12 in the buckets of
 * 1, 2, 4... 512 (float scaling, truncated). */
static void test_hist_bars(void)
{
	static const int counts[] = {3, 13, 5, 7, 11, 9, 1, 6, 10, 12};
	unsigned i;

	h_reset();
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		h_add((int64_t)1 << i, 0, counts[i]);
	cap_begin(OUT_TEXT);
	out_hist(&o, hb, hist_nbuckets(0), 0, 1);
	CHECK_STR(
		cap_end(),
		"[1]                    3 |@@@@@@@@@@@@                                        |\n"
		"[2, 4)                13 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[4, 8)                 5 |@@@@@@@@@@@@@@@@@@@@                                |\n"
		"[8, 16)                7 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@                        |\n"
		"[16, 32)              11 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@        |\n"
		"[32, 64)               9 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                |\n"
		"[64, 128)              1 |@@@@                                                |\n"
		"[128, 256)             6 |@@@@@@@@@@@@@@@@@@@@@@@@                            |\n"
		"[256, 512)            10 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@            |\n"
		"[512, 1K)             12 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@    "
		"|\n");

	/* div divides counts (print(@h, 0, 2)); the bar scales to the divided max */
	cap_begin(OUT_TEXT);
	out_hist(&o, hb, hist_nbuckets(0), 0, 4);
	CHECK_STR(
		cap_end(),
		"[1]                    0 |                                                    |\n"
		"[2, 4)                 3 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[4, 8)                 1 |@@@@@@@@@@@@@@@@@                                   |\n"
		"[8, 16)                1 |@@@@@@@@@@@@@@@@@                                   |\n"
		"[16, 32)               2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                  |\n"
		"[32, 64)               2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                  |\n"
		"[64, 128)              0 |                                                    |\n"
		"[128, 256)             1 |@@@@@@@@@@@@@@@@@                                   |\n"
		"[256, 512)             2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                  |\n"
		"[512, 1K)              3 "
		"|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
}

/* hist(x, 3): single values up to 15, then 8 buckets per power of two; the
 * JSON ranges are those of bpftrace's hist_2args.json. */
static void test_hist_bits(void)
{
	int64_t v;

	h_reset();
	for (v = 14; v < 40; v++)
		h_add(v, 3, 1);
	h_add(1280, 3, 1);
	h_add(5120, 3, 2);
	h_add(9000, 3, 1);
	cap_begin(OUT_TEXT);
	out_hist(&o, hb, hist_nbuckets(3), 3, 1);
	{
		const char *t = cap_end();

		CHECK(!strncmp(t, "[14]                   1 |", 26));
		CHECK(strstr(t, "\n[15]                   1 |@@@@@@@@@@@@@ ") != NULL);
		CHECK(strstr(t, "\n[16, 18)               2 |@@@@@@@@@@@@@@@@@@@@@@@@@@ ") != NULL);
		CHECK(strstr(t, "\n[36, 40)               4 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@"
				"@@@@@@@@@@@@@@@@@|\n") != NULL);
		CHECK(strstr(t, "\n[32, 36)               4 |") != NULL);
		CHECK(strstr(t, "\n[36, 40)               4 |") != NULL);
		/* labels are 2^p * f (8 <= f < 16); only p >= 10 gets a suffix */
		CHECK(strstr(t, "\n[1152, 1280)           0 |") != NULL);
		CHECK(strstr(t, "\n[1280, 1408)           1 |") != NULL);
		/* 5120 = 2^9 * 10: still no suffix; 9216 = 2^10 * 9 is 9K */
		CHECK(strstr(t, "\n[4608, 5120)           0 |") != NULL);
		CHECK(strstr(t, "\n[5120, 5632)           2 |") != NULL);
		CHECK(strstr(t, "\n[8K, 9K)               1 |") != NULL);
		CHECK(strstr(t, "\n[7680, 8K)             0 |") != NULL);
		CHECK(strstr(t, "[9K, 10K)") == NULL);
	}
	h_reset();
	h_add(15, 3, 1);
	h_add(16, 3, 1);
	h_add(17, 3, 1);
	h_add(1000, 3, 1);
	cap_begin(OUT_JSON);
	out_hist_json(&o, hb, hist_nbuckets(3), 3, 1);
	{
		const char *t = cap_end();

		CHECK(!strncmp(t,
			       "[{\"min\": 15, \"max\": 15, \"count\": 1},"
			       "{\"min\": 16, \"max\": 17, \"count\": 2},"
			       "{\"min\": 18, \"max\": 19, \"count\": 0},",
			       strlen("[{\"min\": 15, \"max\": 15, \"count\": 1},"
				      "{\"min\": 16, \"max\": 17, \"count\": 2},"
				      "{\"min\": 18, \"max\": 19, \"count\": 0},")));
		CHECK(strstr(t, ",{\"min\": 896, \"max\": 959, \"count\": 0},"
				"{\"min\": 960, \"max\": 1023, \"count\": 1}]") != NULL);
	}
}

/* @l = lhist(-1 | 5 | 25 x2 | 100 | 1000, 0, 100, 10) */
static void test_lhist(void)
{
	h_reset();
	l_add(-1, 0, 100, 10, 1);
	l_add(5, 0, 100, 10, 1);
	l_add(25, 0, 100, 10, 2);
	l_add(100, 0, 100, 10, 1);
	l_add(1000, 0, 100, 10, 1);
	cap_begin(OUT_TEXT);
	out_lhist(&o, hb, lhist_nbuckets(0, 100, 10), 0, 100, 10, 1);
	CHECK_STR(
		cap_end(),
		"(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		"[0, 10)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		"[10, 20)               0 |                                                    |\n"
		"[20, 30)               2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[30, 40)               0 |                                                    |\n"
		"[40, 50)               0 |                                                    |\n"
		"[50, 60)               0 |                                                    |\n"
		"[60, 70)               0 |                                                    |\n"
		"[70, 80)               0 |                                                    |\n"
		"[80, 90)               0 |                                                    |\n"
		"[90, 100)              0 |                                                    |\n"
		"[100, ...)             2 "
		"|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");

	cap_begin(OUT_JSON);
	out_lhist_json(&o, hb, lhist_nbuckets(0, 100, 10), 0, 100, 10, 1);
	CHECK_STR(cap_end(), "[{\"max\": -1, \"count\": 1},"
			     "{\"min\": 0, \"max\": 9, \"count\": 1},"
			     "{\"min\": 10, \"max\": 19, \"count\": 0},"
			     "{\"min\": 20, \"max\": 29, \"count\": 2},"
			     "{\"min\": 30, \"max\": 39, \"count\": 0},"
			     "{\"min\": 40, \"max\": 49, \"count\": 0},"
			     "{\"min\": 50, \"max\": 59, \"count\": 0},"
			     "{\"min\": 60, \"max\": 69, \"count\": 0},"
			     "{\"min\": 70, \"max\": 79, \"count\": 0},"
			     "{\"min\": 80, \"max\": 89, \"count\": 0},"
			     "{\"min\": 90, \"max\": 99, \"count\": 0},"
			     "{\"min\": 100, \"count\": 2}]");

	/* div has no effect on linear histograms (as in bpftrace) */
	cap_begin(OUT_TEXT);
	out_lhist(&o, hb, lhist_nbuckets(0, 100, 10), 0, 100, 10, 1000);
	CHECK(!strncmp(cap_end(), "(..., 0)               1 |", 26));

	/* Only the overflow bucket */
	h_reset();
	l_add(500, 0, 100, 10, 4);
	cap_begin(OUT_TEXT);
	out_lhist(&o, hb, lhist_nbuckets(0, 100, 10), 0, 100, 10, 1);
	CHECK_STR(cap_end(), "[100, ...)             4 "
			     "|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
}

/* Bar rounding in lhist: @q = lhist(1 x29, 15 x7, 25 x19, 45 x1, 0, 50, 10) */
static void test_lhist_bars(void)
{
	h_reset();
	l_add(1, 0, 50, 10, 29);
	l_add(15, 0, 50, 10, 7);
	l_add(25, 0, 50, 10, 19);
	l_add(45, 0, 50, 10, 1);
	cap_begin(OUT_TEXT);
	out_lhist(&o, hb, lhist_nbuckets(0, 50, 10), 0, 50, 10, 1);
	CHECK_STR(
		cap_end(),
		"[0, 10)               29 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[10, 20)               7 |@@@@@@@@@@@@                                        |\n"
		"[20, 30)              19 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                  |\n"
		"[30, 40)               0 |                                                    |\n"
		"[40, 50)               1 |@                                                   "
		"|\n");
}

/* Steps that are multiples of 1024 get K/M labels:
 * @lk = lhist(2048 | 5000 | 20000, 0, 10240, 1024) */
static void test_lhist_suffixes(void)
{
	h_reset();
	l_add(2048, 0, 10240, 1024, 1);
	l_add(5000, 0, 10240, 1024, 1);
	l_add(20000, 0, 10240, 1024, 1);
	cap_begin(OUT_TEXT);
	out_lhist(&o, hb, lhist_nbuckets(0, 10240, 1024), 0, 10240, 1024, 1);
	CHECK_STR(
		cap_end(),
		"[2K, 3K)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[3K, 4K)               0 |                                                    |\n"
		"[4K, 5K)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[5K, 6K)               0 |                                                    |\n"
		"[6K, 7K)               0 |                                                    |\n"
		"[7K, 8K)               0 |                                                    |\n"
		"[8K, 9K)               0 |                                                    |\n"
		"[9K, 10K)              0 |                                                    |\n"
		"[10K, ...)             1 "
		"|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");

	h_reset();
	l_add(0, 0, 4 << 20, 1 << 20, 1);
	l_add(3 << 20, 0, 4 << 20, 1 << 20, 1);
	cap_begin(OUT_TEXT);
	out_lhist(&o, hb, lhist_nbuckets(0, 4 << 20, 1 << 20), 0, 4 << 20, 1 << 20, 1);
	CHECK_STR(
		cap_end(),
		"[0, 1M)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[1M, 2M)               0 |                                                    |\n"
		"[2M, 3M)               0 |                                                    |\n"
		"[3M, 4M)               1 "
		"|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
}

/* Step 1: 0.26 prints single-value buckets as "[3]" (0.17: "[3, 4)").
 * @l1 = lhist(3 | 5, 0, 10, 1); negative ranges too. */
static void test_lhist_single_and_negative(void)
{
	h_reset();
	l_add(3, 0, 10, 1, 1);
	l_add(5, 0, 10, 1, 1);
	cap_begin(OUT_TEXT);
	out_lhist(&o, hb, lhist_nbuckets(0, 10, 1), 0, 10, 1, 1);
	CHECK_STR(
		cap_end(),
		"[3]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[4]                    0 |                                                    |\n"
		"[5]                    1 "
		"|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");

	h_reset();
	l_add(-20, -10, 10, 5, 1);
	l_add(-7, -10, 10, 5, 2);
	l_add(3, -10, 10, 5, 1);
	cap_begin(OUT_TEXT);
	out_lhist(&o, hb, lhist_nbuckets(-10, 10, 5), -10, 10, 5, 1);
	CHECK_STR(
		cap_end(),
		"(..., -10)             1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		"[-10, -5)              2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[-5, 0)                0 |                                                    |\n"
		"[0, 5)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          "
		"|\n");
	cap_begin(OUT_JSON);
	out_lhist_json(&o, hb, lhist_nbuckets(-10, 10, 5), -10, 10, 5, 1);
	CHECK_STR(cap_end(),
		  "[{\"max\": -11, \"count\": 1},{\"min\": -10, \"max\": -6, \"count\": 2},"
		  "{\"min\": -5, \"max\": -1, \"count\": 0},"
		  "{\"min\": 0, \"max\": 4, \"count\": 1}]");
}

static void test_empty(void)
{
	h_reset();
	cap_begin(OUT_TEXT);
	out_hist(&o, hb, hist_nbuckets(0), 0, 1);
	out_lhist(&o, hb, lhist_nbuckets(0, 100, 10), 0, 100, 10, 1);
	CHECK_STR(cap_end(), "");
	/* bpftrace's hist_zero.json: an all-zero histogram is [] */
	cap_begin(OUT_JSON);
	out_hist_json(&o, hb, hist_nbuckets(0), 0, 1);
	out_lhist_json(&o, hb, lhist_nbuckets(0, 100, 10), 0, 100, 10, 1);
	CHECK_STR(cap_end(), "[][]");
}

int main(void)
{
	fixture_init();
	test_hist_basic();
	test_hist_negative();
	test_hist_suffixes();
	test_hist_bars();
	test_hist_bits();
	test_lhist();
	test_lhist_bars();
	test_lhist_suffixes();
	test_lhist_single_and_negative();
	test_empty();
	fixture_free();
	return check_done();
}
