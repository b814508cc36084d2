/*
 * output_fixture.h - the fixture shared by the test_output_*.c unit tests:
 * an output stream (o) that writes into a memory buffer, and an arena (A)
 * for the types and values a test builds.
 *
 * cap_begin() starts a fresh capture in the given format and cap_end()
 * returns what was written since (valid until the next cap_begin()).
 * fixture_init() and fixture_free() bracket a test's main().
 *
 * open_memstream() needs POSIX 2008: define _POSIX_C_SOURCE 200809L before
 * any system header.
 */
#ifndef HAWK_OUTPUT_FIXTURE_H
#define HAWK_OUTPUT_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "lang/arena.h"
#include "runtime/output.h"

static char *cap_buf;
static size_t cap_len;
static FILE *cap_f;
static struct out o;
static struct arena A;

static inline void cap_begin(enum out_format fmt)
{
	free(cap_buf);
	cap_buf = NULL;
	cap_f = open_memstream(&cap_buf, &cap_len);
	out_init(&o, cap_f, fmt);
}

static inline const char *cap_end(void)
{
	fclose(cap_f);
	return cap_buf;
}

static inline void fixture_init(void)
{
	arena_init(&A);
}

static inline void fixture_free(void)
{
	free(cap_buf);
	cap_buf = NULL;
	arena_free(&A);
}

#endif
