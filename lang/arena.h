/*
 * arena.h - one bump allocator per compilation.
 *
 * Every AST node, type, string and resource record of a compilation lives in
 * one arena and is released with it. Allocation failure is fatal (the arena
 * prints one line and exits 1): a tracer that cannot allocate a few KiB has
 * nothing sensible left to do. All allocation goes through arena_alloc(), so
 * tests can count or fail it through arena_fail_after.
 */
#ifndef HAWK_ARENA_H
#define HAWK_ARENA_H

#include <stddef.h>
#include <stdarg.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head; /* newest chunk first */
	size_t total;		  /* bytes handed out, for -d stats */
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);		 /* accepts a zeroed or freed arena */
void *arena_alloc(struct arena *a, size_t size); /* zeroed, 16-aligned */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/* Growable array of pointers backed by the arena (old storage is abandoned). */
struct ptrvec {
	void **items;
	int len, cap;
};
void ptrvec_push(struct arena *a, struct ptrvec *v, void *item);

#define ARENA_NEW(a, T)	    ((T *)arena_alloc((a), sizeof(T)))
#define ARENA_NEWN(a, T, n) ((T *)arena_alloc((a), sizeof(T) * (size_t)(n)))

#endif
