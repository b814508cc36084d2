/*
 * check.h - a minimal unit-test harness: CHECK() records a failure with its
 * line and goes on; check_done() prints "N passed, N failed" and returns the
 * exit status (0 only if nothing failed and something was checked).
 */
#ifndef HAWK_CHECK_H
#define HAWK_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                                              \
	do {                                                                                     \
		if (cond) {                                                                      \
			check_passed++;                                                          \
		} else {                                                                         \
			check_failed++;                                                          \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                                \
	} while (0)

/* Compares two strings and shows both on a mismatch. */
#define CHECK_STR(got, want)                                                                   \
	do {                                                                                   \
		const char *g_ = (got), *w_ = (want);                                          \
		if (g_ && w_ && strcmp(g_, w_) == 0) {                                         \
			check_passed++;                                                        \
		} else {                                                                       \
			check_failed++;                                                        \
			fprintf(stderr,                                                        \
				"%s:%d: CHECK_STR failed\n--- got:\n%s\n--- want:\n%s\n---\n", \
				__FILE__, __LINE__, g_ ? g_ : "(null)", w_ ? w_ : "(null)");   \
		}                                                                              \
	} while (0)

static inline int check_done(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return (check_failed || !check_passed) ? 1 : 0;
}

#endif
