/*
 * pretty.c - the program formatter behind `hawk --fmt` (see pretty.h).
 *
 * Layout. Top-level items are separated by one blank line (consecutive C
 * definitions, imports and map declarations keep the source's spacing).
 * A probe is `ap1, ap2 /pred/ {` when its attach points fit in 80 columns,
 * else one attach point per line and the predicate and '{' on a line of
 * their own. Blocks are indented by two spaces, one statement per line,
 * every simple statement ends with ';' except the value of a block
 * expression; one blank line between statements is kept where the source
 * has one or more. Empty blocks are `{}`.
 *
 * Expressions get spaces around binary operators and after commas, none
 * inside parentheses, and parentheses only where precedence (or the scanner:
 * `- -x`, a statement starting with `if`) needs them: the tree has no
 * parenthesis nodes, so the source's redundant ones are dropped.
 *
 * Comments. The parser hands them over aside, in source order, with their
 * places. Before each item (statement, config entry, top-level item) the
 * comments that come before it are printed on lines of their own, at the
 * item's indentation; comments inside a statement's header (attach points,
 * predicate, condition, an expression before its first block) move to lines
 * of their own just above it; a comment that follows an item on the item's
 * last line (and comes before the next item) stays at the end of that line,
 * as does one right after a '{'. Comments at the end of a block go before
 * its '}'. No comment is ever dropped or duplicated: each is printed once,
 * in source order relative to the items around it.
 */
#define _GNU_SOURCE
#include "pretty.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "source.h"

#define INDENT_WIDTH 2
#define LINE_WIDTH   80

/* Precedence levels, loosest first (parser.y's order). */
enum {
	P_TERNARY,
	P_LOR,
	P_LAND,
	P_BOR,
	P_BXOR,
	P_BAND,
	P_EQ,
	P_REL,
	P_SHIFT,
	P_ADD,
	P_MUL,
	P_UNARY,
	P_POSTFIX,
	P_PRIMARY,
};

struct pr {
	FILE *f;
	const struct source_file *sf;
	size_t *lines; /* byte offset of each line's start; lines[0] unused */
	int nlines;
	const struct ast_comment *c; /* the next comment to print */
	int indent;		     /* levels */
	int last_line;		     /* source line the last printed item ended on */
	bool emitted;		     /* anything printed in the current list */
	bool top;		     /* printing top-level items */
	bool after_node;	     /* top level: the last item was a node, not a comment */
	enum ast_kind prev_kind;     /* top level: that node's kind */
};

static void expr(struct pr *p, const struct ast_node *n, int min);
static void block(struct pr *p, const struct ast_node *b);
static void if_chain(struct pr *p, const struct ast_node *n);

/* ---------------- source positions ---------------- */

static bool before(int l1, int c1, int l2, int c2)
{
	return l1 < l2 || (l1 == l2 && c1 < c2);
}

static bool comment_before(const struct ast_comment *c, int line, int col)
{
	return c && before(c->loc.first_line, c->loc.first_column, line, col);
}

/* The text of source line `line` (without '\n'), or NULL. */
static const char *line_text(const struct pr *p, int line, size_t *len)
{
	size_t start, end;

	if (line < 1 || line > p->nlines)
		return NULL;
	start = p->lines[line];
	end = line < p->nlines ? p->lines[line + 1] - 1 : p->sf->len;
	*len = end - start;
	return p->sf->text + start;
}

static bool blank_text(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\v' && s[i] != '\f')
			return false;
	return true;
}

/* Whether a line strictly between lines a and b is blank. */
static bool blank_between(const struct pr *p, int a, int b)
{
	for (int l = a + 1; l < b; l++) {
		size_t len;
		const char *s = line_text(p, l, &len);

		if (s && blank_text(s, len))
			return true;
	}
	return false;
}

/* The source text of a one-line node (a literal), or NULL. */
static const char *node_text(const struct pr *p, const struct ast_node *n, size_t *len)
{
	size_t llen;
	const char *s;

	if (n->loc.first_line != n->loc.last_line)
		return NULL;
	s = line_text(p, n->loc.first_line, &llen);
	if (!s || n->loc.first_column < 1 || n->loc.last_column < n->loc.first_column ||
	    (size_t)n->loc.last_column > llen)
		return NULL;
	*len = (size_t)(n->loc.last_column - n->loc.first_column + 1);
	return s + n->loc.first_column - 1;
}

/* ---------------- comments and spacing ---------------- */

static void put_indent(struct pr *p)
{
	fprintf(p->f, "%*s", p->indent * INDENT_WIDTH, "");
}

/*
 * Prints a comment. Trailing blanks of each of its lines go; a block
 * comment that started its line keeps its continuation lines' alignment:
 * those that begin with the first line's indentation get the new one
 * instead.
 */
static void put_comment(struct pr *p, const struct ast_comment *c, bool own_line)
{
	const char *s = c->text, *end = c->text + c->len, *old = NULL;
	size_t oldlen = 0, llen;
	const char *line = line_text(p, c->loc.first_line, &llen);

	if (own_line && line && c->loc.first_column >= 1 &&
	    blank_text(line, (size_t)c->loc.first_column - 1)) {
		old = line;
		oldlen = (size_t)c->loc.first_column - 1;
	}
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;

		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		fwrite(s, 1, (size_t)(e - s), p->f);
		if (!nl)
			break;
		fputc('\n', p->f);
		s = nl + 1;
		if (old && (size_t)(end - s) >= oldlen && memcmp(s, old, oldlen) == 0 &&
		    (size_t)(end - s) > oldlen) {
			s += oldlen;
			put_indent(p);
		}
	}
}

/* Whether the top-level item kind is a one-line item whose runs keep the
 * source's spacing (#include lines, imports, map declarations). */
static bool one_liner(enum ast_kind k)
{
	return k == AST_CDEF || k == AST_IMPORT || k == AST_MAPDECL;
}

/* A blank line before an item starting on source line `line` (node: the
 * item, NULL for a comment), if the layout wants one. */
static void gap(struct pr *p, int line, const struct ast_node *node)
{
	bool src_blank = p->emitted && blank_between(p, p->last_line, line);
	bool blank;

	if (!p->emitted)
		blank = false;
	else if (p->top && p->after_node)
		blank = !(one_liner(p->prev_kind) && !src_blank &&
			  (!node || node->kind == p->prev_kind));
	else
		blank = src_blank;
	if (blank)
		fputc('\n', p->f);
}

/* Prints, each on a line of its own, the comments before (line, col); with
 * `spacing`, blank lines go between them as the layout wants. */
static void flush(struct pr *p, int line, int col, bool spacing)
{
	while (comment_before(p->c, line, col)) {
		const struct ast_comment *c = p->c;

		if (spacing)
			gap(p, c->loc.first_line, NULL);
		put_indent(p);
		put_comment(p, c, true);
		fputc('\n', p->f);
		p->last_line = c->loc.last_line;
		p->emitted = true;
		p->after_node = false;
		p->c = c->next;
	}
}

/* Appends the comments that start on source line `line` before (lline,
 * lcol) (the next item) to the current output line. */
static void trailing(struct pr *p, int line, int lline, int lcol)
{
	while (p->c && p->c->loc.first_line == line && comment_before(p->c, lline, lcol)) {
		const struct ast_comment *c = p->c;

		fputc(' ', p->f);
		put_comment(p, c, false);
		if (c->loc.last_line > p->last_line)
			p->last_line = c->loc.last_line;
		p->c = c->next;
		if (c->len >= 2 && c->text[1] == '/')
			break; /* a line comment ends the line */
	}
}

/* Where the first block inside n starts (INT_MAX lines if none): comments
 * before it belong to n's header. */
static void first_block(const struct ast_node *n, int *line, int *col)
{
	const struct ast_node *c;

	if (!n)
		return;
	if (n->kind == AST_BLOCK) {
		if (before(n->loc.first_line, n->loc.first_column, *line, *col)) {
			*line = n->loc.first_line;
			*col = n->loc.first_column;
		}
		return;
	}
	first_block(n->lhs, line, col);
	first_block(n->rhs, line, col);
	first_block(n->cond, line, col);
	first_block(n->then, line, col);
	first_block(n->els, line, col);
	first_block(n->pred, line, col);
	for (c = n->body; c; c = c->next)
		first_block(c, line, col);
}

/* The end of n's header: comments before it move above n. */
static void header_end(const struct ast_node *n, int *line, int *col)
{
	*line = INT_MAX;
	*col = INT_MAX;
	switch (n->kind) {
	case AST_CDEF:
	case AST_IMPORT:
	case AST_MAPDECL:
	case AST_CONFIG:
		break;
	default:
		first_block(n, line, col);
		break;
	}
	if (*line == INT_MAX || n->kind == AST_CONFIG) {
		/* no block: the whole item (a config's entries place their own) */
		*line = n->kind == AST_CONFIG ? n->loc.first_line : n->loc.last_line;
		*col = n->kind == AST_CONFIG ? n->loc.first_column : n->loc.last_column + 1;
	}
}

/* ---------------- expressions ---------------- */

static int binop_prec(int op)
{
	switch (op) {
	case TOK_LOR:
		return P_LOR;
	case TOK_LAND:
		return P_LAND;
	case '|':
		return P_BOR;
	case '^':
		return P_BXOR;
	case '&':
		return P_BAND;
	case TOK_EQ:
	case TOK_NE:
		return P_EQ;
	case '<':
	case '>':
	case TOK_LE:
	case TOK_GE:
		return P_REL;
	case TOK_SHL:
	case TOK_SHR:
		return P_SHIFT;
	case '+':
	case '-':
		return P_ADD;
	default:
		return P_MUL;
	}
}

static int prec(const struct ast_node *n)
{
	switch (n->kind) {
	case AST_TERNARY:
		return P_TERNARY;
	case AST_BINOP:
		return binop_prec(n->op);
	case AST_UNOP:
	case AST_CAST:
		return P_UNARY;
	case AST_INCDEC:
		return n->is_post ? P_POSTFIX : P_UNARY;
	case AST_FIELD:
	case AST_ARROW:
	case AST_INDEX:
		return P_POSTFIX;
	default:
		return P_PRIMARY;
	}
}

/* The node whose text starts n's text (n itself if it starts with its own
 * token or a parenthesis). */
static const struct ast_node *leftmost(const struct ast_node *n)
{
	for (;;) {
		const struct ast_node *l = NULL;
		int min = P_PRIMARY;

		switch (n->kind) {
		case AST_BINOP:
			l = n->lhs;
			min = prec(n);
			break;
		case AST_TERNARY:
			l = n->cond;
			min = P_LOR;
			break;
		case AST_FIELD:
		case AST_ARROW:
		case AST_INDEX:
			l = n->lhs;
			min = P_POSTFIX;
			break;
		case AST_INCDEC:
			if (n->is_post) {
				l = n->lhs;
				min = P_POSTFIX;
			}
			break;
		default:
			break;
		}
		if (!l || prec(l) < min)
			return n;
		n = l;
	}
}

/* Writes s as a string literal. */
static void put_string(struct pr *p, const char *s, size_t len)
{
	fputc('"', p->f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(p->f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", p->f);
		else if (c == '\t')
			fputs("\\t", p->f);
		else if (c == '\r')
			fputs("\\r", p->f);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(p->f, "\\x%02x", c);
		else
			fputc(c, p->f);
	}
	fputc('"', p->f);
}

static void type(struct pr *p, const struct ast_node *t)
{
	fputs(t->name ? t->name : "?", p->f);
	if (t->ival > 0) {
		fputc(' ', p->f);
		for (int64_t i = 0; i < t->ival; i++)
			fputc('*', p->f);
	}
	if (t->uval)
		fprintf(p->f, "[%llu]", (unsigned long long)t->uval);
	else if (t->is_count)
		fputs("[]", p->f);
}

static void list(struct pr *p, const struct ast_node *n)
{
	for (; n; n = n->next) {
		expr(p, n, P_TERNARY);
		if (n->next)
			fputs(", ", p->f);
	}
}

/* Whether prefix operator op written right before operand's text would
 * scan as another token (`- -x` is not `--x`, `& &x` not `&&x`). */
static bool glues(int op, const struct ast_node *operand)
{
	const struct ast_node *l = leftmost(operand);

	if (op == '-' || op == TOK_DEC)
		return (l->kind == AST_UNOP && l->op == '-') ||
		       (l->kind == AST_INCDEC && !l->is_post && l->op == TOK_DEC);
	if (op == '&')
		return l->kind == AST_UNOP && l->op == '&';
	return false;
}

static void operand(struct pr *p, int op, const struct ast_node *x)
{
	if (glues(op, x) && prec(x) >= P_UNARY) {
		fputc('(', p->f);
		expr(p, x, P_TERNARY);
		fputc(')', p->f);
	} else {
		expr(p, x, P_UNARY);
	}
}

static void expr(struct pr *p, const struct ast_node *n, int min)
{
	size_t len;
	const char *s;

	if (!n)
		return;
	if (prec(n) < min) {
		fputc('(', p->f);
		expr(p, n, P_TERNARY);
		fputc(')', p->f);
		return;
	}
	switch (n->kind) {
	case AST_INT:
		if ((s = node_text(p, n, &len)))
			fwrite(s, 1, len, p->f);
		else if (n->is_unsigned)
			fprintf(p->f, "%lluU", (unsigned long long)n->uval);
		else
			fprintf(p->f, "%lld", (long long)n->ival);
		break;
	case AST_STR:
		if ((s = node_text(p, n, &len)) && len >= 2 && s[0] == '"' && s[len - 1] == '"')
			fwrite(s, 1, len, p->f);
		else
			put_string(p, n->str ? n->str : "", n->slen);
		break;
	case AST_BOOL:
		fputs(n->ival ? "true" : "false", p->f);
		break;
	case AST_VAR:
	case AST_IDENT:
		fputs(n->name, p->f);
		break;
	case AST_POSITIONAL:
		if (n->is_count)
			fputs("$#", p->f);
		else
			fprintf(p->f, "$%lld", (long long)n->ival);
		break;
	case AST_MAP:
		fputs(n->name, p->f);
		if (n->lhs) {
			fputc('[', p->f);
			if (n->lhs->kind == AST_TUPLE && n->lhs->body && n->lhs->body->next)
				list(p, n->lhs->body); /* @m[a, b] */
			else
				expr(p, n->lhs, P_TERNARY);
			fputc(']', p->f);
		}
		break;
	case AST_CALL:
		fprintf(p->f, "%s(", n->name);
		list(p, n->body);
		fputc(')', p->f);
		break;
	case AST_BINOP:
		expr(p, n->lhs, prec(n));
		fprintf(p->f, " %s ", ast_op_name(n->op));
		expr(p, n->rhs, prec(n) + 1);
		break;
	case AST_UNOP:
		fputs(ast_op_name(n->op), p->f);
		operand(p, n->op, n->lhs);
		break;
	case AST_INCDEC:
		if (n->is_post) {
			expr(p, n->lhs, P_POSTFIX);
			fputs(ast_op_name(n->op), p->f);
		} else {
			fputs(ast_op_name(n->op), p->f);
			operand(p, n->op, n->lhs);
		}
		break;
	case AST_CAST:
		fputc('(', p->f);
		type(p, n->vtype);
		fputc(')', p->f);
		expr(p, n->lhs, P_UNARY);
		break;
	case AST_TERNARY:
		expr(p, n->cond, P_LOR);
		if (n->then) {
			fputs(" ? ", p->f);
			expr(p, n->then, P_TERNARY);
			fputs(" : ", p->f);
		} else {
			fputs(" ?: ", p->f);
		}
		expr(p, n->els, P_TERNARY);
		break;
	case AST_FIELD:
	case AST_ARROW:
		expr(p, n->lhs, P_POSTFIX);
		fprintf(p->f, "%s%s", n->kind == AST_FIELD ? "." : "->", n->name);
		break;
	case AST_INDEX:
		expr(p, n->lhs, P_POSTFIX);
		fputc('[', p->f);
		expr(p, n->rhs, P_TERNARY);
		fputc(']', p->f);
		break;
	case AST_TUPLE:
		fputc('(', p->f);
		list(p, n->body);
		if (n->body && !n->body->next)
			fputc(',', p->f);
		fputc(')', p->f);
		break;
	case AST_RECORD:
		fputc('(', p->f);
		for (const struct ast_node *f = n->body; f; f = f->next) {
			fprintf(p->f, "%s = ", f->lhs->name);
			expr(p, f->rhs, P_TERNARY);
			if (f->next)
				fputs(", ", p->f);
		}
		fputc(')', p->f);
		break;
	case AST_SIZEOF:
	case AST_OFFSETOF:
		fputs(n->kind == AST_SIZEOF ? "sizeof(" : "offsetof(", p->f);
		if (n->vtype)
			type(p, n->vtype);
		else
			expr(p, n->lhs, P_TERNARY);
		if (n->kind == AST_OFFSETOF)
			fprintf(p->f, ", %s", n->str);
		fputc(')', p->f);
		break;
	case AST_IF:
		if_chain(p, n);
		break;
	case AST_BLOCK:
		block(p, n);
		break;
	default:
		fprintf(p->f, "/* %s */", ast_kind_name(n->kind));
		break;
	}
}

/* An expression at the start of a statement: one that would start with
 * `if` or `{` (and so read as a statement) is parenthesised. */
static void stmt_expr(struct pr *p, const struct ast_node *n)
{
	const struct ast_node *l = leftmost(n);

	if (l->kind == AST_IF || l->kind == AST_BLOCK) {
		fputc('(', p->f);
		expr(p, n, P_TERNARY);
		fputc(')', p->f);
	} else {
		expr(p, n, P_TERNARY);
	}
}

/* ---------------- statements ---------------- */

static void if_chain(struct pr *p, const struct ast_node *n)
{
	fputs("if (", p->f);
	expr(p, n->cond, P_TERNARY);
	fputs(") ", p->f);
	block(p, n->then);
	if (n->els) {
		fputs(" else ", p->f);
		if (n->els->kind == AST_IF)
			if_chain(p, n->els);
		else
			block(p, n->els);
	}
}

/* The text of one statement, from its indentation to before its newline.
 * `value`: the last statement of a block expression (no ';'). */
static void stmt(struct pr *p, const struct ast_node *s, bool value)
{
	switch (s->kind) {
	case AST_EXPR_STMT:
		if (value && (s->lhs->kind == AST_IF || s->lhs->kind == AST_BLOCK)) {
			/* a block expression's value: an if/else or a block */
			expr(p, s->lhs, P_TERNARY);
			return;
		}
		stmt_expr(p, s->lhs);
		break;
	case AST_ASSIGN:
		stmt_expr(p, s->lhs);
		if (s->op == '=')
			fputs(" = ", p->f);
		else
			fprintf(p->f, " %s= ", ast_op_name(s->op));
		expr(p, s->rhs, P_TERNARY);
		break;
	case AST_LET:
		fprintf(p->f, "let %s", s->lhs->name);
		if (s->vtype) {
			fputs(": ", p->f);
			type(p, s->vtype);
		}
		if (s->rhs) {
			fputs(" = ", p->f);
			expr(p, s->rhs, P_TERNARY);
		}
		break;
	case AST_RETURN:
		fputs("return", p->f);
		if (s->lhs) {
			fputc(' ', p->f);
			expr(p, s->lhs, P_TERNARY);
		}
		break;
	case AST_BREAK:
		fputs("break", p->f);
		break;
	case AST_CONTINUE:
		fputs("continue", p->f);
		break;
	case AST_IMPORT:
		fputs("import ", p->f);
		put_string(p, s->str ? s->str : "", s->str ? strlen(s->str) : 0);
		break;
	case AST_IF:
		if_chain(p, s);
		return;
	case AST_WHILE:
		fputs("while (", p->f);
		expr(p, s->cond, P_TERNARY);
		fputs(") ", p->f);
		block(p, s->then);
		return;
	case AST_FOR_RANGE:
		fprintf(p->f, "for (%s : ", s->lhs->name);
		expr(p, s->cond, P_TERNARY);
		fputs("..", p->f);
		expr(p, s->rhs, P_TERNARY);
		fputs(") ", p->f);
		block(p, s->then);
		return;
	case AST_FOR_MAP:
		fprintf(p->f, "for (%s : ", s->lhs->name);
		expr(p, s->rhs, P_TERNARY);
		fputs(") ", p->f);
		block(p, s->then);
		return;
	case AST_UNROLL:
		fputs("unroll(", p->f);
		expr(p, s->lhs, P_TERNARY);
		fputs(") ", p->f);
		block(p, s->then);
		return;
	case AST_BLOCK:
		block(p, s);
		return;
	default:
		fprintf(p->f, "/* %s */", ast_kind_name(s->kind));
		break;
	}
	if (!value)
		fputc(';', p->f);
}

/*
 * The items of a block or config (`n` the list), each on its own line with
 * the comments around it; (eline, ecol) is the closing '}'. `entry` prints
 * one item.
 */
static void items(struct pr *p, const struct ast_node *n, int eline, int ecol, bool value,
		  void (*entry)(struct pr *, const struct ast_node *, bool))
{
	for (; n; n = n->next) {
		int hl, hc;

		flush(p, n->loc.first_line, n->loc.first_column, true);
		gap(p, n->loc.first_line, n);
		header_end(n, &hl, &hc);
		flush(p, hl, hc, false);
		put_indent(p);
		entry(p, n, value && !n->next);
		p->emitted = true;
		p->last_line = n->loc.last_line;
		if (n->next)
			trailing(p, n->loc.last_line, n->next->loc.first_line,
				 n->next->loc.first_column);
		else
			trailing(p, n->loc.last_line, eline, ecol);
		fputc('\n', p->f);
	}
	flush(p, eline, ecol, true);
}

/* `{ ... }` from '{' to '}' (no newline after it); `open_line` is where its
 * '{' is in the source (for a comment right after it). */
static void braces(struct pr *p, const struct ast_node *list, int open_line, int eline, int ecol,
		   bool value, void (*entry)(struct pr *, const struct ast_node *, bool))
{
	bool top = p->top, emitted = p->emitted;

	if (!list && !comment_before(p->c, eline, ecol)) {
		fputs("{}", p->f);
		return;
	}
	fputc('{', p->f);
	if (list)
		trailing(p, open_line, list->loc.first_line, list->loc.first_column);
	else
		trailing(p, open_line, eline, ecol);
	fputc('\n', p->f);
	p->top = false;
	p->emitted = false;
	p->indent++;
	items(p, list, eline, ecol, value, entry);
	p->indent--;
	put_indent(p);
	fputc('}', p->f);
	p->top = top;
	p->emitted = emitted;
	p->last_line = eline;
}

static void block(struct pr *p, const struct ast_node *b)
{
	braces(p, b->body, b->loc.first_line, b->loc.last_line, b->loc.last_column, b->is_expr,
	       stmt);
}

static void config_entry(struct pr *p, const struct ast_node *e, bool value)
{
	fprintf(p->f, "%s = ", e->lhs->name);
	expr(p, e->rhs, P_TERNARY);
	fputc(';', p->f);
}

/* ---------------- top level ---------------- */

static void predicate(struct pr *p, const struct ast_node *pred)
{
	const struct ast_node *l = leftmost(pred);

	/* a predicate starting with a dereference gets a space: a slash and a star would open a
	 * comment */
	fputs(l->kind == AST_UNOP && l->op == '*' ? "/ " : "/", p->f);
	expr(p, pred, P_TERNARY);
	fputc('/', p->f);
}

static void attach_text(struct pr *p, const struct ast_node *ap)
{
	if (ap->name)
		fprintf(p->f, "%s=", ap->name);
	fputs(ap->str, p->f);
}

static void probe(struct pr *p, const struct ast_node *n)
{
	const struct ast_node *ap;
	size_t width = 0;
	bool split;

	for (ap = n->body; ap; ap = ap->next)
		width += (ap->name ? strlen(ap->name) + 1 : 0) + strlen(ap->str) +
			 (ap->next ? 2 : 0);
	if (n->pred && n->body && n->body->next && width + 2 <= LINE_WIDTH) {
		/* the predicate counts too: measure it (comments stay where they are) */
		struct pr m = *p;
		char *buf = NULL;
		size_t len = 0;

		m.f = open_memstream(&buf, &len);
		if (m.f) {
			predicate(&m, n->pred);
			fclose(m.f);
			width += len + 1;
		}
		free(buf);
	}
	split = n->body && n->body->next && width + 2 > LINE_WIDTH;
	for (ap = n->body; ap; ap = ap->next) {
		attach_text(p, ap);
		if (ap->next)
			fputs(split ? ",\n" : ", ", p->f);
	}
	if (split)
		fputc('\n', p->f);
	if (n->pred) {
		if (!split)
			fputc(' ', p->f);
		predicate(p, n->pred);
		fputc(' ', p->f);
	} else if (!split) {
		fputc(' ', p->f);
	}
	block(p, n->then);
}

static void params(struct pr *p, const struct ast_node *n)
{
	fputc('(', p->f);
	for (; n; n = n->next) {
		if (n->kind == AST_LET) {
			fprintf(p->f, "%s: ", n->lhs->name);
			type(p, n->vtype);
		} else {
			fputs(n->name, p->f);
		}
		if (n->next)
			fputs(", ", p->f);
	}
	fputc(')', p->f);
}

static void item(struct pr *p, const struct ast_node *n)
{
	switch (n->kind) {
	case AST_PROBE:
		probe(p, n);
		break;
	case AST_CDEF:
		fputs(n->str, p->f);
		break;
	case AST_CONFIG:
		fputs("config = ", p->f);
		braces(p, n->body, n->loc.first_line, n->loc.last_line, n->loc.last_column, false,
		       config_entry);
		break;
	case AST_IMPORT:
		fputs("import ", p->f);
		put_string(p, n->str ? n->str : "", n->str ? strlen(n->str) : 0);
		fputc(';', p->f);
		break;
	case AST_MACRO:
		fprintf(p->f, "macro %s", n->name);
		params(p, n->params);
		fputc(' ', p->f);
		block(p, n->then);
		break;
	case AST_FN:
		fprintf(p->f, "fn %s", n->name);
		params(p, n->params);
		if (n->vtype) {
			fputs(": ", p->f);
			type(p, n->vtype);
		}
		fputc(' ', p->f);
		block(p, n->then);
		break;
	case AST_MAPDECL:
		fprintf(p->f, "let %s = ", n->lhs->name);
		expr(p, n->rhs, P_TERNARY);
		fputc(';', p->f);
		break;
	default:
		fprintf(p->f, "/* %s */", ast_kind_name(n->kind));
		break;
	}
}

static void program(struct pr *p, const struct ast_node *prog)
{
	const struct ast_node *n;

	p->top = true;
	for (n = prog->body; n; n = n->next) {
		int hl, hc;

		flush(p, n->loc.first_line, n->loc.first_column, true);
		gap(p, n->loc.first_line, n);
		header_end(n, &hl, &hc);
		flush(p, hl, hc, false);
		item(p, n);
		p->emitted = true;
		p->after_node = true;
		p->prev_kind = n->kind;
		p->last_line = n->loc.last_line;
		if (n->next)
			trailing(p, n->loc.last_line, n->next->loc.first_line,
				 n->next->loc.first_column);
		else
			trailing(p, n->loc.last_line, INT_MAX, INT_MAX);
		fputc('\n', p->f);
	}
	flush(p, INT_MAX, INT_MAX, true);
}

char *pretty_program(const struct ast_node *prog, const struct source_file *sf,
		     const struct ast_comment *comments, size_t *len)
{
	struct pr p = {0};
	char *buf = NULL;
	size_t i;
	int n = 1;

	*len = 0;
	for (i = 0; i < sf->len; i++)
		n += sf->text[i] == '\n';
	p.lines = malloc(((size_t)n + 1) * sizeof(*p.lines));
	if (!p.lines)
		return NULL;
	p.lines[1] = 0;
	p.nlines = 1;
	for (i = 0; i < sf->len; i++)
		if (sf->text[i] == '\n')
			p.lines[++p.nlines] = i + 1;
	p.sf = sf;
	p.c = comments;
	p.f = open_memstream(&buf, len);
	if (!p.f) {
		free(p.lines);
		return NULL;
	}
	if (prog)
		program(&p, prog);
	else
		flush(&p, INT_MAX, INT_MAX, true);
	if (fclose(p.f)) {
		free(buf);
		buf = NULL;
	}
	free(p.lines);
	return buf;
}
