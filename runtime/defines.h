/*
 * defines.h - `#define NAME value` lines as macros, a driver step after
 * imports (runtime/defines.c).
 */
#ifndef HAWK_DEFINES_H
#define HAWK_DEFINES_H

#include "../lang/ast.h"
#include "../lang/diag.h"

struct arena;

/* Adds a macro without parameters for each object-like define with a value
 * of prog's `#...` items. Returns 0 or -1 (errors in d). */
int defines_resolve(struct arena *a, struct source_set *src, struct ast_node *prog,
		    struct diag_set *d);

#endif
