/*
 * source.h - program text and source locations.
 *
 * A compilation reads one or more source files (the program, imports). Each
 * is registered once and never moves, so a location is just a file id plus
 * 1-based line/column of its first and last character. bison uses struct loc
 * as its YYLTYPE (first_line/first_column/last_line/last_column).
 */
#ifndef HAWK_SOURCE_H
#define HAWK_SOURCE_H

#include <stddef.h>

struct loc {
	int first_line, first_column; /* 1-based, inclusive */
	int last_line, last_column;   /* 1-based, inclusive */
	int file;		      /* index into the source table */
};

struct source_file {
	const char *name; /* "stdin" for -e, as bpftrace names it, else the path */
	const char *text; /* NUL-terminated */
	size_t len;
};

struct arena;

struct source_set {
	struct arena *arena;
	struct source_file *files;
	int nfiles, cap;
};

void source_init(struct source_set *s, struct arena *a);
/* Registers text (copied into the arena); returns the file id. */
int source_add(struct source_set *s, const char *name, const char *text, size_t len);
const struct source_file *source_get(const struct source_set *s, int file);
/* Returns the start of line `line` (1-based) and its length without '\n'. */
const char *source_line(const struct source_file *f, int line, size_t *len);
struct loc loc_span(struct loc a, struct loc b); /* from a's start to b's end */

#endif
