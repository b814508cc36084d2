/*
 * import.h - `import "file.bt";` resolution, a driver step after parsing.
 */
#ifndef HAWK_IMPORT_H
#define HAWK_IMPORT_H

#include "../lang/ast.h"
#include "../lang/diag.h"

struct arena;

/* Reads, parses and splices in every imported file (recursively).
 * Returns 0 or -1 (errors in d). */
int import_resolve(struct arena *a, struct source_set *src, struct ast_node *prog, int file,
		   struct diag_set *d);

#endif
