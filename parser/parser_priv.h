/*
 * parser_priv.h - state shared by the flex scanner (lexer.l), the bison
 * grammar (parser.y) and the driver (parse.c). Private to parser/.
 *
 * The scanner works on the whole source text in memory and tracks its own
 * position (line, column, byte offset) so every token carries an exact
 * struct loc: 1-based, last line/column inclusive, `file` set.
 */
#ifndef HAWK_PARSER_PRIV_H
#define HAWK_PARSER_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lang/arena.h"
#include "../lang/ast.h"
#include "../lang/diag.h"
#include "../lang/source.h"

/* A point in the source text. */
struct lex_pos {
	int line, col; /* 1-based */
	size_t off;    /* byte offset from the start of the text */
};

/* The scanner's extra state (flex yyextra). */
struct lexer_state {
	struct arena *arena;
	struct diag_set *diag;
	const struct source_file *sf;
	int file;
	struct lex_pos pos;   /* the next character to scan */
	struct lex_pos prev;  /* the first character of the current match */
	struct lex_pos lastc; /* the last character scanned */
	int depth;	      /* '{' nesting depth in expression mode */
	int last_tok;	      /* the token returned last (0 before the first) */
	int comment_ret;      /* start condition to resume after a comment */
	struct lex_pos start; /* start of a token built from several matches */
	char *sbuf;	      /* string literal being built (malloc'ed) */
	size_t slen, scap;
	int cdepth;		      /* '{' nesting inside a C definition */
	bool ctypedef;		      /* the C definition is a typedef (ends at ';') */
	size_t cdef_end;	      /* offset just past the C definition so far */
	struct lex_pos cdef_last;     /* its last character */
	struct lex_name *typedefs;    /* names the script's typedefs define */
	struct lex_name *macro_names; /* the current macro's name and parameters */
	bool in_macro;		      /* scanning a `macro` item */
	bool keep_comments;	      /* collect comments (for the formatter) */
	struct ast_comment *comments, *comments_tail;
};

/* The parser's state (bison parse-param). */
struct parse_ctx {
	struct arena *arena;
	struct diag_set *diag;
	const struct source_file *sf;
	int file;
	struct ast_node *program; /* the result */
	bool too_deep;		  /* the nesting error was reported */
};

/*
 * Deepest AST a parse accepts. The grammar itself never recurses (bison
 * keeps an explicit stack, limited to YYMAXDEPTH), but left-associative
 * chains such as `1 + 1 + ... + 1` build trees as deep as they are long,
 * and the passes after the parser walk trees recursively. Real programs
 * stay far below this.
 */
#define PARSE_MAX_DEPTH 1000

/* A node made by the parser or the scanner: an ast_node that also knows
 * its height (private to parser/; every node of a parsed AST is one). */
struct ast_node *parse_new(struct arena *a, enum ast_kind kind, struct loc loc);
/* Whether a block ends with an expression and no ';' (its value). */
void parse_set_trailing(struct ast_node *block, bool trailing);
bool parse_trailing(const struct ast_node *block);
/* Sets n's height from its children's and reports (once) a tree deeper
 * than PARSE_MAX_DEPTH. Returns n. */
struct ast_node *parse_fin(struct parse_ctx *pc, struct ast_node *n);

/* ---- helpers implemented in parse.c, used by the scanner ---- */

/* Moves ls->pos over n characters of s (which must be the text at ls->pos). */
void lex_advance(struct lexer_state *ls, const char *s, size_t n);
/* The location from ls->prev to ls->lastc. */
struct loc lex_loc(const struct lexer_state *ls);
/* The location from a to ls->lastc. */
struct loc lex_loc_from(const struct lexer_state *ls, struct lex_pos a);
/* Where "unexpected end of file" points: just after the last non-blank. */
struct loc lex_eof_loc(const struct lexer_state *ls);
/* An integer literal (decimal, hex, octal, 1e6, 1_000, 10UL, 5ms...) as an
 * AST_INT; on a malformed or too large literal reports an error and
 * returns a 0 literal. */
struct ast_node *lex_number(struct lexer_state *ls, const char *text, size_t len, struct loc loc);
/* Token for an identifier in expression mode: a keyword's token, T_TYPE for
 * builtin type names (*type_name set), or T_IDENT. */
int lex_keyword(const char *s, size_t len);
/* Names that read as a type in a cast even with no '*': "*_t" typedefs,
 * u8..u64, s8..s64, __u8..__s64, char, short, int, long. */
bool lex_typedef_like(const char *s, size_t len);
/* Records the names a typedef (the text from start to end) defines. */
void lex_note_typedef(struct lexer_state *ls, size_t start, size_t end);
/* Records a name of the macro being scanned (its name or a parameter). */
void lex_note_macro_name(struct lexer_state *ls, const char *s, size_t n);
/* Whether the identifier s just scanned, after a '(' and before a ')', is
 * a type: `(name)` followed by an operand (`(T)1`, `(T)$x`), or followed by
 * '-', '*' or '&' when the name is a script typedef or, asked through
 * parse_set_type_oracle(), a kernel type (and not a macro parameter). */
bool lex_cast_type(struct lexer_state *ls, const char *s, size_t n);
/* Appends bytes to the string literal being built. */
void lex_str_append(struct lexer_state *ls, const char *s, size_t n);
/* An AST_ATTACH for the text of an attach point ("name=" split off). */
struct ast_node *lex_attach(struct lexer_state *ls, const char *text, size_t len, struct loc loc);
/* Records the comment from `start` to the last character scanned, if
 * comments are being kept. */
void lex_comment(struct lexer_state *ls, struct lex_pos start);
/* The length of the identifier at the start of s. */
size_t lex_ident_len(const char *s, size_t len);

#endif
