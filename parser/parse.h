/*
 * parse.h - the parser's public entry points.
 *
 * Lexes and parses one registered source file into an AST_PROGRAM. Syntax
 * errors are reported into `d` (several per run: one error-recovery rule per
 * statement and per probe) and NULL is returned if there was any.
 * Generated flex/bison headers never leave parser/.
 */
#ifndef HAWK_PARSE_H
#define HAWK_PARSE_H

#include <stdbool.h>

#include "../lang/ast.h"
#include "../lang/diag.h"

struct arena;

struct ast_node *parse_program(struct arena *a, struct source_set *src, int file,
			       struct diag_set *d);
/* The same, also collecting the source's comments (arena memory, source
 * order) into *comments: what the formatter needs to keep them. */
struct ast_node *parse_program_comments(struct arena *a, struct source_set *src, int file,
					struct diag_set *d, struct ast_comment **comments);

/*
 * `(name) - x` is a cast when name is a type and a subtraction otherwise.
 * The scanner asks is_type about names it cannot tell by their shape and
 * the script's own typedefs (the driver passes the kernel's BTF typedefs,
 * leaving builtins out). Process-wide; NULL (the default) asks nothing.
 */
void parse_set_type_oracle(bool (*is_type)(const char *name));

#endif
