/*
 * cache.h - the compile cache (see cache.c): BPF objects by program.
 */
#ifndef HAWK_CACHE_H
#define HAWK_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "../lang/source.h"

/* The key of a compilation; flags are the options that change checking. */
uint64_t cache_key(const struct source_set *src, const char *const *params, int nparams,
		   const char *flags);
/* 0 with *elf (malloc'ed), *len and the scratch size set, or -errno. */
int cache_load(uint64_t key, void **elf, size_t *len, uint32_t *scratch_size);
int cache_store(uint64_t key, const void *elf, size_t len, uint32_t scratch_size);

#endif
