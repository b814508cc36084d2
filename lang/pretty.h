/*
 * pretty.h - the program formatter behind `hawk --fmt`.
 *
 * Prints a parsed program in one canonical layout (two-space indentation,
 * one statement per line, spaces around binary operators, parentheses only
 * where precedence needs them) with every comment of the source kept. It
 * needs the tree, the comments the parser kept aside (parse_program_comments)
 * and the source text: integer and string literals are copied as written
 * (`0x10`, `5ms`, `"\033[1m"`), C definitions verbatim.
 *
 * Invariants: the output parses to the same tree (ast_dump equal) and
 * formatting it again changes nothing.
 */
#ifndef HAWK_PRETTY_H
#define HAWK_PRETTY_H

#include <stddef.h>

struct ast_node;
struct ast_comment;
struct source_file;

/* Returns the formatted program (malloc'ed, NUL-terminated, ends with a
 * newline unless empty) and its length in *len; NULL if out of memory. */
char *pretty_program(const struct ast_node *prog, const struct source_file *sf,
		     const struct ast_comment *comments, size_t *len);

#endif
