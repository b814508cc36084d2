/*
 * macro.h - macro expansion, the pass between the parser and sema.
 */
#ifndef HAWK_MACRO_H
#define HAWK_MACRO_H

#include "ast.h"
#include "diag.h"

struct arena;

/* Expands every macro call in prog and removes the macro definitions.
 * Returns 0 or -1 (errors in d). */
int macro_expand(struct arena *a, struct ast_node *prog, struct diag_set *d);

#endif
