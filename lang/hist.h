/*
 * hist.h - bucket layout shared by the BPF side and the printer.
 *
 * hist(x, bits) (bits 0..5, default 0): power-of-two buckets, each split in
 * 2^bits equal parts, as bpftrace does. Index 0 holds negative values, index 1
 * the value 0; then come ranges from 1 upwards. lhist(x, min, max, step):
 * index 0 is below min, 1..n are [min + (i-1)*step, min + i*step), n+1 is
 * max and above, with n = (max - min) / step.
 */
#ifndef HAWK_HIST_H
#define HAWK_HIST_H

#include <stdint.h>

#define HIST_MAX_BITS 5

uint32_t hist_nbuckets(int bits);
uint32_t hist_index(int64_t v, int bits);
/* The value range of bucket idx: [*lo, *hi), *hi == 0 for the last bucket (no upper bound). */
void hist_range(uint32_t idx, int bits, int64_t *lo, uint64_t *hi);

uint32_t lhist_nbuckets(int64_t min, int64_t max, int64_t step);
uint32_t lhist_index(int64_t v, int64_t min, int64_t max, int64_t step);

#endif
