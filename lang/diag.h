/*
 * diag.h - diagnostics: collected, then rendered gcc-style.
 *
 *   stdin:1:12-18: error: unknown function 'cont'
 *   BEGIN { @ = cont(); }
 *               ~~~~~~
 *   note: did you mean 'count'?
 *
 * Every pass reports through diag_error()/diag_warn()/diag_note(); nothing
 * prints or exits directly. A note attaches to the diagnostic before it.
 * Rendering: "FILE:LINE:COL: error: MSG", then the source line, then a caret
 * under the first column and '~' under the rest of the range (on that line).
 * Colour only when the stream is a terminal and colour is not turned off.
 */
#ifndef HAWK_DIAG_H
#define HAWK_DIAG_H

#include <stdio.h>
#include <stdbool.h>
#include "source.h"

enum diag_level {
	DIAG_ERROR,   /* compilation fails */
	DIAG_WARNING, /* reported, compilation goes on */
	DIAG_NOTE,    /* extra line for the previous diagnostic */
};

struct diag {
	enum diag_level level;
	struct loc loc;
	bool has_loc; /* false for messages about the whole program */
	char *msg;
};

struct diag_set {
	struct source_set *src;
	struct diag *items;
	int n, cap;
	int nerrors, nwarnings;
	bool no_warnings; /* --no-warnings */
};

void diag_init(struct diag_set *d, struct source_set *src);
void diag_free(struct diag_set *d);
void diag_error(struct diag_set *d, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warn(struct diag_set *d, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_note(struct diag_set *d, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A note with no location: printed as "note: MSG". */
void diag_hint(struct diag_set *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An error with no location (e.g. about the command line). */
void diag_error_noloc(struct diag_set *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Renders all diagnostics in order. colour: -1 auto (isatty), 0 off, 1 on. */
void diag_render(const struct diag_set *d, FILE *out, int colour);
/* Renders one into a malloc'ed string (no colour); for unit tests. */
char *diag_render_string(const struct diag_set *d);

/* Levenshtein-based suggestion among candidates (NULL-terminated), or NULL. */
const char *diag_suggest(const char *word, const char *const *candidates);

#endif
