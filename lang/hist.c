/*
 * hist.c - bucket index math for hist() and lhist(), shared by the BPF side
 * (which must compute the same index) and the printer.
 *
 * hist(x, k), N = 2^k buckets per power of two (k = bits, 0..5):
 *   index 0              x < 0
 *   index x + 1          0 <= x < 2N (one value per bucket)
 *   otherwise, with p = floor(log2(x)) (p > k) and m = (x >> (p - k)) - N
 *   (0 <= m < N, which N-th of [2^p, 2^(p+1)) x falls in):
 *   index (p - k + 1) * N + m + 1
 * For k = 0 this is the classic log2 histogram: 0 for negatives, 1 for 0,
 * 2 for 1, 3 for [2, 4), 4 for [4, 8)... The exclusive upper bound of bucket
 * j >= N is B(j) = 2^((j >> k) - 1) * (N + (j & (N - 1))) (B(j) = j for
 * N <= j <= 2N), so bucket i > 2N covers [B(i - 1), B(i)). The largest int64
 * lands in index (64 - k) * N, hence (64 - k) * N + 1 buckets.
 *
 * lhist(x, min, max, step), n = (max - min) / step:
 *   index 0 for x < min, (x - min) / step + 1 up to n + 1, and n + 1 for
 *   everything from min + n * step upwards (so x == max lands in n + 1 when
 *   step divides max - min, as bpftrace prints it: "[max, ...)").
 *
 * Invariants: every function is total (no UB for any int64 input); indexes
 * are always < the matching *_nbuckets().
 */
#include "hist.h"

static int hist_bits(int bits)
{
	if (bits < 0)
		return 0;
	return bits > HIST_MAX_BITS ? HIST_MAX_BITS : bits;
}

uint32_t hist_nbuckets(int bits)
{
	int k = hist_bits(bits);

	return (uint32_t)(64 - k) * (1u << k) + 1;
}

uint32_t hist_index(int64_t v, int bits)
{
	int k = hist_bits(bits);
	uint64_t n = 1u << k, x = (uint64_t)v;
	int p;

	if (v < 0)
		return 0;
	if (x < 2 * n)
		return (uint32_t)x + 1;
	p = 63 - __builtin_clzll(x);
	return (uint32_t)((uint64_t)(p - k + 1) * n + ((x >> (p - k)) - n) + 1);
}

/* B(j) above: the exclusive upper bound of bucket j, for j >= N. */
static uint64_t hist_bound(uint32_t j, int k)
{
	uint32_t n = 1u << k;

	return ((uint64_t)1 << ((j >> k) - 1)) * (n + (j & (n - 1)));
}

void hist_range(uint32_t idx, int bits, int64_t *lo, uint64_t *hi)
{
	int k = hist_bits(bits);
	uint32_t n = 1u << k;

	if (idx == 0) {
		*lo = INT64_MIN;
		*hi = 0;
		return;
	}
	if (idx <= 2 * n) {
		*lo = idx - 1;
		*hi = idx;
		return;
	}
	*lo = (int64_t)hist_bound(idx - 1, k);
	*hi = idx >= hist_nbuckets(k) - 1 ? 0 : hist_bound(idx, k);
}

uint32_t lhist_nbuckets(int64_t min, int64_t max, int64_t step)
{
	if (step <= 0 || max <= min)
		return 2;
	return (uint32_t)(((uint64_t)max - (uint64_t)min) / (uint64_t)step) + 2;
}

uint32_t lhist_index(int64_t v, int64_t min, int64_t max, int64_t step)
{
	uint32_t last = lhist_nbuckets(min, max, step) - 1;
	uint64_t i;

	if (v < min)
		return 0;
	if (v > max || step <= 0)
		return last;
	i = ((uint64_t)v - (uint64_t)min) / (uint64_t)step + 1;
	return i > last ? last : (uint32_t)i;
}
