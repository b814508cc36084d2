/*
 * parser.y - the hawk (bpftrace-language) grammar: LALR(1), pure, no
 * conflicts (%expect 0), struct loc as the location type.
 *
 * Program: items in any order (the order rules of bpftrace are left to
 * sema): T_CDEF (#include/#define lines, struct/union/enum definitions as
 * raw text), `config = { k = v; ... }`, `import "x";`, `macro n(a, $b, @c)
 * { }`, `fn n($a: t): t { }`, `let @m = hash(N);` and probes
 * `[name=]ap[, ap...] [/pred/] { }`. The scanner decides what is an attach
 * point (see lexer.l).
 *
 * Statements: a block is `{ stmt... }`. Simple statements (expressions,
 * assignments, let, return, break, continue, import) end with ';', except
 * the last one of a block; compound statements (if, while, for, unroll,
 * nested blocks) need none. Stray ';' are allowed.
 *
 * `if` and `{ }` are both statements and expressions. At the start of a
 * statement they are statements: expressions there come from the *_ns
 * ("no statement keyword") copies of the expression rules, whose leftmost
 * primary can be neither `if` nor `{`; everywhere else they are
 * expressions (`$x = if (c) { 1 } else { 2 }`, `$a = { let $b = 1; $b }`).
 * The condition of an if is a unary expression, so `if (a > b) {}` is the
 * parenthesised form and `if $x {}` / `if !$x {}` the bare one.
 *
 * A block's is_expr is set when its value is used (block expression,
 * macro body, arm of an if expression) and it ends with an expression with
 * no ';' (or with an if/else or a nested block with a value, which is then
 * wrapped into an expression statement). Blocks used as statements (probe,
 * fn, loop bodies, if statements, nested blocks) never have is_expr.
 *
 * Assignments are statements, not expressions: `unary = expr` and
 * `unary op= expr`, the target checked to be a variable, map, field,
 * index, dereference or `_` (discard). Casts are `(type) unary`; which
 * parenthesised names are types is decided by the scanner (lexer.l).
 *
 * Limits: bison's stack (YYMAXDEPTH, 10000) bounds nesting; a tree deeper
 * than PARSE_MAX_DEPTH (a long `a + b + ...` chain) is reported too, so
 * later passes can recurse safely. Both are errors, never crashes.
 *
 * Precedence (loosest first): ?: then || && | ^ & (== !=) (< > <= >=)
 * (<< >>) (+ -) (* / %), then unary (- ! ~ * & ++ -- casts), then postfix
 * (. -> [] ++ --). Binary operators associate to the left, ?: to the right.
 *
 * Errors: every syntax error goes to diag with the location of the
 * offending token and the tokens that were expected (custom report,
 * LAC-exact). Recovery: inside a block, skip to the next ';' or '}'; at
 * top level, skip to the start of the next item (the scanner only makes
 * attach points and top-level keywords at top level, so this resyncs on
 * the next probe).
 */
%code requires {
#include "parser_priv.h"

#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif

#define YYLTYPE struct loc
#define YYLTYPE_IS_DECLARED 1
#define YYLTYPE_IS_TRIVIAL 1

/* Like bison's default, and keeps `file`. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                            \
	do {                                                                   \
		if (N) {                                                       \
			(Cur).first_line = YYRHSLOC(Rhs, 1).first_line;        \
			(Cur).first_column = YYRHSLOC(Rhs, 1).first_column;    \
			(Cur).last_line = YYRHSLOC(Rhs, N).last_line;          \
			(Cur).last_column = YYRHSLOC(Rhs, N).last_column;      \
			(Cur).file = YYRHSLOC(Rhs, 1).file;                    \
		} else {                                                       \
			(Cur).first_line = (Cur).last_line =                   \
				YYRHSLOC(Rhs, 0).last_line;                    \
			(Cur).first_column = (Cur).last_column =               \
				YYRHSLOC(Rhs, 0).last_column;                  \
			(Cur).file = YYRHSLOC(Rhs, 0).file;                    \
		}                                                              \
	} while (0)

/* A list being built: O(1) append. */
struct slist {
	struct ast_node *head, *tail;
};
}

%code provides {
int yylex(YYSTYPE *lval, YYLTYPE *lloc, yyscan_t scanner);
void lexer_start(yyscan_t scanner);
}

%code {
#include <string.h>

static void yyerror(YYLTYPE *loc, yyscan_t scanner, struct parse_ctx *pc, const char *msg);

static struct ast_node *mk(struct parse_ctx *pc, enum ast_kind k, YYLTYPE loc)
{
	return parse_new(pc->arena, k, loc);
}

static struct ast_node *mk_bin(struct parse_ctx *pc, int op, struct ast_node *l,
			       struct ast_node *r, YYLTYPE loc)
{
	struct ast_node *n = mk(pc, AST_BINOP, loc);

	n->op = op;
	n->lhs = l;
	n->rhs = r;
	return parse_fin(pc, n);
}

static struct ast_node *mk_un(struct parse_ctx *pc, enum ast_kind k, int op,
			      struct ast_node *x, YYLTYPE loc)
{
	struct ast_node *n = mk(pc, k, loc);

	n->op = op;
	n->lhs = x;
	return parse_fin(pc, n);
}

static struct slist list1(struct ast_node *n)
{
	struct slist l = {n, n};

	return l;
}

static struct slist list_add(struct slist l, struct ast_node *n)
{
	if (!n)
		return l;
	if (!l.head) {
		l.head = l.tail = n;
		return l;
	}
	l.tail->next = n;
	l.tail = n;
	return l;
}

static struct slist list_none(void)
{
	struct slist l = {NULL, NULL};

	return l;
}

/* A block used as a statement: its value, if any, is discarded. Blocks
 * are made that way; this only documents the intent at the call sites. */
static struct ast_node *block_as_stmt(struct ast_node *b)
{
	if (b)
		b->is_expr = false;
	return b;
}

static void if_expr_arms(struct parse_ctx *pc, struct ast_node *n);

/*
 * A block whose value is used. It is an expression block (is_expr) if it
 * ends with an expression and no ';'. If it ends with an if/else (or a
 * nested block that has a value), that statement becomes the value:
 * wrapped in an AST_EXPR_STMT, marked is_expr, its arms converted too.
 */
static struct ast_node *block_as_value(struct parse_ctx *pc, struct ast_node *b)
{
	struct ast_node *last, *prev = NULL, *es;

	if (!b || b->kind != AST_BLOCK || !b->body)
		return b;
	if (parse_trailing(b)) {
		b->is_expr = true;
		return b;
	}
	for (last = b->body; last->next; last = last->next)
		prev = last;
	if (last->kind == AST_IF && last->els) {
		if_expr_arms(pc, last);
	} else if (last->kind == AST_BLOCK) {
		block_as_value(pc, last);
		if (!last->is_expr)
			return b;
	} else {
		return b;
	}
	es = mk(pc, AST_EXPR_STMT, last->loc);
	es->lhs = last;
	if (prev)
		prev->next = es;
	else
		b->body = es;
	b->is_expr = true;
	parse_fin(pc, es);
	return parse_fin(pc, b);
}

/* An if used as an expression: its arms (and else-ifs) are values. */
static void if_expr_arms(struct parse_ctx *pc, struct ast_node *n)
{
	n->is_expr = true;
	block_as_value(pc, n->then);
	if (n->els && n->els->kind == AST_BLOCK)
		block_as_value(pc, n->els);
	else if (n->els && n->els->kind == AST_IF)
		if_expr_arms(pc, n->els);
}

/* Reports an assignment to something that cannot be assigned. */
static void check_lvalue(struct parse_ctx *pc, struct ast_node *n, bool compound)
{
	switch (n->kind) {
	case AST_VAR:
	case AST_MAP:
	case AST_FIELD:
	case AST_ARROW:
	case AST_INDEX:
		return;
	case AST_IDENT:
		if (!compound && n->name && strcmp(n->name, "_") == 0)
			return; /* `_ = expr;` discards a value */
		break;
	case AST_UNOP:
		if (n->op == '*')
			return;
		break;
	default:
		break;
	}
	diag_error(pc->diag, n->loc, "cannot assign to this expression");
	diag_hint(pc->diag, "the left side of an assignment must be a variable ($x), a map "
			    "(@m, @m[k]) or a field");
}

/* `T[N]`: the array length must be a positive literal; `T[]` (len is a
 * node with is_count) leaves it to be inferred: uval 0, is_count set. */
static void set_array_len(struct parse_ctx *pc, struct ast_node *t, struct ast_node *len)
{
	if (!len)
		return;
	if (len->is_count) {
		t->is_count = true;
		return;
	}
	if (len->uval == 0 || len->uval > 0xffffffffu)
		diag_error(pc->diag, len->loc, "array size must be between 1 and 4294967295");
	t->uval = len->uval;
}
}

%define api.pure full
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%param {yyscan_t scanner}
%parse-param {struct parse_ctx *pc}

%initial-action {
	@$.file = pc->file;
}

%union {
	struct ast_node *node;
	const char *str;
	int op;
	struct slist list;
}

%token <node> T_ATTACH "attach point"
%token <node> T_CDEF "C definition"
%token T_CONFIG "'config'"
%token T_TOP_IMPORT "top-level 'import'"
%token T_TOP_LET "top-level 'let'"
%token T_MACRO "'macro'"
%token T_FN "'fn'"
%token T_ENDPRED "'/' ending the predicate"

%token <str> T_IDENT "identifier"
%token <str> T_TYPE "type"
%token <str> T_TYPE_IDENT "type name"
%token <str> T_VAR "variable"
%token <str> T_MAP "map"
%token <node> T_INT "integer"
%token <node> T_STR "string"
%token <node> T_POSITIONAL "positional parameter"

%token T_IF "'if'"
%token T_ELSE "'else'"
%token T_WHILE "'while'"
%token T_FOR "'for'"
%token T_UNROLL "'unroll'"
%token T_LET "'let'"
%token T_RETURN "'return'"
%token T_BREAK "'break'"
%token T_CONTINUE "'continue'"
%token T_IMPORT "'import'"
%token T_SIZEOF "'sizeof'"
%token T_OFFSETOF "'offsetof'"
%token T_TYPEOF "'typeof'"
%token T_TRUE "'true'"
%token T_FALSE "'false'"
%token T_STRUCT "'struct'"
%token T_UNION "'union'"
%token T_ENUM "'enum'"

%token T_ARROW "'->'"
%token T_INC "'++'"
%token T_DEC "'--'"
%token T_SHL "'<<'"
%token T_SHR "'>>'"
%token T_EQ "'=='"
%token T_NE "'!='"
%token T_LE "'<='"
%token T_GE "'>='"
%token T_LAND "'&&'"
%token T_LOR "'||'"
%token T_DOTDOT "'..'"
%token <op> T_ASSIGN_OP "compound assignment"

%left T_LOR
%left T_LAND
%left '|'
%left '^'
%left '&'
%left T_EQ T_NE
%left '<' '>' T_LE T_GE
%left T_SHL T_SHR
%left '+' '-'
%left '*' '/' '%'
/* `@m[k]` is a map with a key, not an index into the map `@m`. */
%precedence MAP_ALONE
%precedence '['

%type <node> item probe pred_opt config config_entry import macro macro_param fn fn_param
%type <node> ret_opt mapdecl block simple_stmt compound_stmt if_stmt else_opt
%type <node> expr expr_ns ternary ternary_ns bin bin_ns unary unary_ns postfix postfix_ns
%type <node> primary primary_ns if_expr map call paren sizeof offsetof
%type <node> type type_base anno_type array_opt let_type_opt let_init_opt
%type <list> items attach_list config_entries macro_params macro_params_opt
%type <list> fn_params fn_params_opt stmts args args_opt tuple_rest record_fields
%type <str> tname member
%type <op> ptrs

%%

program
	: items {
		struct ast_node *n = mk(pc, AST_PROGRAM, @$);

		n->loc.first_line = n->loc.first_column = 1;
		n->body = $1.head;
		pc->program = n;
	}
	;

items
	: %empty { $$ = list_none(); }
	| items item { $$ = list_add($1, $2); }
	;

item
	: probe
	| T_CDEF
	| config
	| import
	| macro
	| fn
	| mapdecl
	| ';' { $$ = NULL; }
	| error { $$ = NULL; }
	;

/* ---------------- top-level items ---------------- */

probe
	: attach_list pred_opt block {
		$$ = mk(pc, AST_PROBE, @$);
		$$->body = $1.head;
		$$->pred = $2;
		$$->then = block_as_stmt($3);
		parse_fin(pc, $$);
	}
	;

attach_list
	: T_ATTACH { $$ = list1($1); }
	| attach_list ',' T_ATTACH { $$ = list_add($1, $3); }
	;

pred_opt
	: %empty { $$ = NULL; }
	| '/' expr T_ENDPRED { $$ = $2; }
	;

config
	: T_CONFIG '=' '{' config_entries '}' {
		$$ = mk(pc, AST_CONFIG, @$);
		$$->body = $4.head;
		parse_fin(pc, $$);
	}
	| T_CONFIG '=' '{' config_entries config_entry '}' {
		$$ = mk(pc, AST_CONFIG, @$);
		$$->body = list_add($4, $5).head;
		parse_fin(pc, $$);
	}
	;

config_entries
	: %empty { $$ = list_none(); }
	| config_entries config_entry ';' { $$ = list_add($1, $2); }
	| config_entries ';' { $$ = $1; }
	;

config_entry
	: T_IDENT '=' expr {
		$$ = mk(pc, AST_ASSIGN, @$);
		$$->op = '=';
		$$->lhs = mk(pc, AST_IDENT, @1);
		$$->lhs->name = $1;
		$$->rhs = $3;
		parse_fin(pc, $$);
	}
	;

import
	: T_TOP_IMPORT T_STR ';' {
		$$ = mk(pc, AST_IMPORT, @$);
		$$->str = $2->str;
		parse_fin(pc, $$);
	}
	;

macro
	: T_MACRO T_IDENT '(' macro_params_opt ')' block {
		$$ = mk(pc, AST_MACRO, @$);
		$$->name = $2;
		$$->params = $4.head;
		$$->then = block_as_value(pc, $6);
		parse_fin(pc, $$);
	}
	;

macro_params_opt
	: %empty { $$ = list_none(); }
	| macro_params
	;

macro_params
	: macro_param { $$ = list1($1); }
	| macro_params ',' macro_param { $$ = list_add($1, $3); }
	;

macro_param
	: T_IDENT { $$ = mk(pc, AST_IDENT, @$); $$->name = $1; }
	| T_VAR { $$ = mk(pc, AST_VAR, @$); $$->name = $1; }
	| T_MAP { $$ = mk(pc, AST_MAP, @$); $$->name = $1; }
	;

fn
	: T_FN T_IDENT '(' fn_params_opt ')' ret_opt block {
		$$ = mk(pc, AST_FN, @$);
		$$->name = $2;
		$$->params = $4.head;
		$$->vtype = $6;
		$$->then = block_as_stmt($7);
		parse_fin(pc, $$);
	}
	;

fn_params_opt
	: %empty { $$ = list_none(); }
	| fn_params
	;

fn_params
	: fn_param { $$ = list1($1); }
	| fn_params ',' fn_param { $$ = list_add($1, $3); }
	;

fn_param
	: T_VAR ':' anno_type {
		$$ = mk(pc, AST_LET, @$);
		$$->lhs = mk(pc, AST_VAR, @1);
		$$->lhs->name = $1;
		$$->vtype = $3;
		parse_fin(pc, $$);
	}
	;

ret_opt
	: %empty { $$ = NULL; }
	| ':' anno_type { $$ = $2; }
	;

mapdecl
	: T_TOP_LET T_MAP '=' call ';' {
		$$ = mk(pc, AST_MAPDECL, @$);
		$$->lhs = mk(pc, AST_MAP, @2);
		$$->lhs->name = $2;
		$$->rhs = $4;
		parse_fin(pc, $$);
	}
	;

/* ---------------- statements ---------------- */

block
	: '{' stmts '}' {
		$$ = mk(pc, AST_BLOCK, @$);
		$$->body = $2.head;
		parse_fin(pc, $$);
	}
	| '{' stmts simple_stmt '}' {
		$$ = mk(pc, AST_BLOCK, @$);
		$$->body = list_add($2, $3).head;
		parse_set_trailing($$, $3->kind == AST_EXPR_STMT);
		parse_fin(pc, $$);
	}
	| '{' stmts error '}' {
		$$ = mk(pc, AST_BLOCK, @$);
		$$->body = $2.head;
		parse_fin(pc, $$);
	}
	;

stmts
	: %empty { $$ = list_none(); }
	| stmts simple_stmt ';' { $$ = list_add($1, $2); }
	| stmts compound_stmt { $$ = list_add($1, $2); }
	| stmts ';' { $$ = $1; }
	| stmts error ';' { $$ = $1; }
	;

simple_stmt
	: expr_ns {
		$$ = mk(pc, AST_EXPR_STMT, @$);
		$$->lhs = $1;
		parse_fin(pc, $$);
	}
	| unary_ns '=' expr {
		check_lvalue(pc, $1, false);
		$$ = mk(pc, AST_ASSIGN, @$);
		$$->op = '=';
		$$->lhs = $1;
		$$->rhs = $3;
		parse_fin(pc, $$);
	}
	| unary_ns T_ASSIGN_OP expr {
		check_lvalue(pc, $1, true);
		$$ = mk(pc, AST_ASSIGN, @$);
		$$->op = $2;
		$$->lhs = $1;
		$$->rhs = $3;
		parse_fin(pc, $$);
	}
	| T_LET T_VAR let_type_opt let_init_opt {
		$$ = mk(pc, AST_LET, @$);
		$$->lhs = mk(pc, AST_VAR, @2);
		$$->lhs->name = $2;
		$$->vtype = $3;
		$$->rhs = $4;
		parse_fin(pc, $$);
	}
	| T_RETURN { $$ = mk(pc, AST_RETURN, @$); }
	| T_RETURN expr {
		$$ = mk(pc, AST_RETURN, @$);
		$$->lhs = $2;
		parse_fin(pc, $$);
	}
	| T_BREAK { $$ = mk(pc, AST_BREAK, @$); }
	| T_CONTINUE { $$ = mk(pc, AST_CONTINUE, @$); }
	| T_IMPORT T_STR {
		$$ = mk(pc, AST_IMPORT, @$);
		$$->str = $2->str;
		parse_fin(pc, $$);
	}
	;

let_type_opt
	: %empty { $$ = NULL; }
	| ':' anno_type { $$ = $2; }
	;

let_init_opt
	: %empty { $$ = NULL; }
	| '=' expr { $$ = $2; }
	;

compound_stmt
	: if_stmt
	| T_WHILE '(' expr ')' block {
		$$ = mk(pc, AST_WHILE, @$);
		$$->cond = $3;
		$$->then = block_as_stmt($5);
		parse_fin(pc, $$);
	}
	| T_FOR '(' T_VAR ':' expr T_DOTDOT expr ')' block {
		$$ = mk(pc, AST_FOR_RANGE, @$);
		$$->lhs = mk(pc, AST_VAR, @3);
		$$->lhs->name = $3;
		$$->cond = $5;
		$$->rhs = $7;
		$$->then = block_as_stmt($9);
		parse_fin(pc, $$);
	}
	| T_FOR '(' T_VAR ':' expr ')' block {
		$$ = mk(pc, AST_FOR_MAP, @$);
		$$->lhs = mk(pc, AST_VAR, @3);
		$$->lhs->name = $3;
		$$->rhs = $5;
		$$->then = block_as_stmt($7);
		if ($5->kind != AST_MAP || $5->lhs)
			diag_error(pc->diag, @5,
				   "a for loop iterates over a map (`@m`) or a range (`lo..hi`)");
		parse_fin(pc, $$);
	}
	| T_UNROLL '(' expr ')' block {
		$$ = mk(pc, AST_UNROLL, @$);
		$$->lhs = $3;
		$$->then = block_as_stmt($5);
		parse_fin(pc, $$);
	}
	| block { $$ = block_as_stmt($1); }
	;

if_stmt
	: T_IF unary block else_opt {
		$$ = mk(pc, AST_IF, @$);
		$$->cond = $2;
		$$->then = block_as_stmt($3);
		$$->els = $4;
		parse_fin(pc, $$);
	}
	;

else_opt
	: %empty { $$ = NULL; }
	| T_ELSE block { $$ = block_as_stmt($2); }
	| T_ELSE if_stmt { $$ = $2; }
	;

/* ---------------- expressions ---------------- */

expr
	: ternary
	;

expr_ns
	: ternary_ns
	;

ternary
	: bin
	| bin '?' expr ':' ternary {
		$$ = mk(pc, AST_TERNARY, @$);
		$$->cond = $1;
		$$->then = $3;
		$$->els = $5;
		parse_fin(pc, $$);
	}
	| bin '?' ':' ternary {
		$$ = mk(pc, AST_TERNARY, @$);
		$$->cond = $1;
		$$->els = $4;
		parse_fin(pc, $$);
	}
	;

ternary_ns
	: bin_ns
	| bin_ns '?' expr ':' ternary {
		$$ = mk(pc, AST_TERNARY, @$);
		$$->cond = $1;
		$$->then = $3;
		$$->els = $5;
		parse_fin(pc, $$);
	}
	| bin_ns '?' ':' ternary {
		$$ = mk(pc, AST_TERNARY, @$);
		$$->cond = $1;
		$$->els = $4;
		parse_fin(pc, $$);
	}
	;

bin
	: unary
	| bin T_LOR bin { $$ = mk_bin(pc, TOK_LOR, $1, $3, @$); }
	| bin T_LAND bin { $$ = mk_bin(pc, TOK_LAND, $1, $3, @$); }
	| bin '|' bin { $$ = mk_bin(pc, '|', $1, $3, @$); }
	| bin '^' bin { $$ = mk_bin(pc, '^', $1, $3, @$); }
	| bin '&' bin { $$ = mk_bin(pc, '&', $1, $3, @$); }
	| bin T_EQ bin { $$ = mk_bin(pc, TOK_EQ, $1, $3, @$); }
	| bin T_NE bin { $$ = mk_bin(pc, TOK_NE, $1, $3, @$); }
	| bin '<' bin { $$ = mk_bin(pc, '<', $1, $3, @$); }
	| bin '>' bin { $$ = mk_bin(pc, '>', $1, $3, @$); }
	| bin T_LE bin { $$ = mk_bin(pc, TOK_LE, $1, $3, @$); }
	| bin T_GE bin { $$ = mk_bin(pc, TOK_GE, $1, $3, @$); }
	| bin T_SHL bin { $$ = mk_bin(pc, TOK_SHL, $1, $3, @$); }
	| bin T_SHR bin { $$ = mk_bin(pc, TOK_SHR, $1, $3, @$); }
	| bin '+' bin { $$ = mk_bin(pc, '+', $1, $3, @$); }
	| bin '-' bin { $$ = mk_bin(pc, '-', $1, $3, @$); }
	| bin '*' bin { $$ = mk_bin(pc, '*', $1, $3, @$); }
	| bin '/' bin { $$ = mk_bin(pc, '/', $1, $3, @$); }
	| bin '%' bin { $$ = mk_bin(pc, '%', $1, $3, @$); }
	;

bin_ns
	: unary_ns
	| bin_ns T_LOR bin { $$ = mk_bin(pc, TOK_LOR, $1, $3, @$); }
	| bin_ns T_LAND bin { $$ = mk_bin(pc, TOK_LAND, $1, $3, @$); }
	| bin_ns '|' bin { $$ = mk_bin(pc, '|', $1, $3, @$); }
	| bin_ns '^' bin { $$ = mk_bin(pc, '^', $1, $3, @$); }
	| bin_ns '&' bin { $$ = mk_bin(pc, '&', $1, $3, @$); }
	| bin_ns T_EQ bin { $$ = mk_bin(pc, TOK_EQ, $1, $3, @$); }
	| bin_ns T_NE bin { $$ = mk_bin(pc, TOK_NE, $1, $3, @$); }
	| bin_ns '<' bin { $$ = mk_bin(pc, '<', $1, $3, @$); }
	| bin_ns '>' bin { $$ = mk_bin(pc, '>', $1, $3, @$); }
	| bin_ns T_LE bin { $$ = mk_bin(pc, TOK_LE, $1, $3, @$); }
	| bin_ns T_GE bin { $$ = mk_bin(pc, TOK_GE, $1, $3, @$); }
	| bin_ns T_SHL bin { $$ = mk_bin(pc, TOK_SHL, $1, $3, @$); }
	| bin_ns T_SHR bin { $$ = mk_bin(pc, TOK_SHR, $1, $3, @$); }
	| bin_ns '+' bin { $$ = mk_bin(pc, '+', $1, $3, @$); }
	| bin_ns '-' bin { $$ = mk_bin(pc, '-', $1, $3, @$); }
	| bin_ns '*' bin { $$ = mk_bin(pc, '*', $1, $3, @$); }
	| bin_ns '/' bin { $$ = mk_bin(pc, '/', $1, $3, @$); }
	| bin_ns '%' bin { $$ = mk_bin(pc, '%', $1, $3, @$); }
	;

unary
	: postfix
	| '-' unary { $$ = mk_un(pc, AST_UNOP, '-', $2, @$); }
	| '!' unary { $$ = mk_un(pc, AST_UNOP, '!', $2, @$); }
	| '~' unary { $$ = mk_un(pc, AST_UNOP, '~', $2, @$); }
	| '*' unary { $$ = mk_un(pc, AST_UNOP, '*', $2, @$); }
	| '&' unary { $$ = mk_un(pc, AST_UNOP, '&', $2, @$); }
	| T_INC unary { $$ = mk_un(pc, AST_INCDEC, TOK_INC, $2, @$); }
	| T_DEC unary { $$ = mk_un(pc, AST_INCDEC, TOK_DEC, $2, @$); }
	| '(' type ')' unary {
		$$ = mk(pc, AST_CAST, @$);
		$$->vtype = $2;
		$$->lhs = $4;
		parse_fin(pc, $$);
	}
	;

unary_ns
	: postfix_ns
	| '-' unary { $$ = mk_un(pc, AST_UNOP, '-', $2, @$); }
	| '!' unary { $$ = mk_un(pc, AST_UNOP, '!', $2, @$); }
	| '~' unary { $$ = mk_un(pc, AST_UNOP, '~', $2, @$); }
	| '*' unary { $$ = mk_un(pc, AST_UNOP, '*', $2, @$); }
	| '&' unary { $$ = mk_un(pc, AST_UNOP, '&', $2, @$); }
	| T_INC unary { $$ = mk_un(pc, AST_INCDEC, TOK_INC, $2, @$); }
	| T_DEC unary { $$ = mk_un(pc, AST_INCDEC, TOK_DEC, $2, @$); }
	| '(' type ')' unary {
		$$ = mk(pc, AST_CAST, @$);
		$$->vtype = $2;
		$$->lhs = $4;
		parse_fin(pc, $$);
	}
	;

postfix
	: primary
	| postfix '.' T_IDENT {
		$$ = mk_un(pc, AST_FIELD, 0, $1, @$);
		$$->name = $3;
		parse_fin(pc, $$);
	}
	| postfix '.' T_INT {
		$$ = mk_un(pc, AST_FIELD, 0, $1, @$);
		$$->name = arena_printf(pc->arena, "%llu", (unsigned long long)$3->uval);
		$$->ival = $3->ival;
		$$->is_count = true;
		parse_fin(pc, $$);
	}
	| postfix T_ARROW T_IDENT {
		$$ = mk_un(pc, AST_ARROW, 0, $1, @$);
		$$->name = $3;
		parse_fin(pc, $$);
	}
	| postfix '[' expr ']' {
		$$ = mk_un(pc, AST_INDEX, 0, $1, @$);
		$$->rhs = $3;
		parse_fin(pc, $$);
	}
	| postfix T_INC {
		$$ = mk_un(pc, AST_INCDEC, TOK_INC, $1, @$);
		$$->is_post = true;
		parse_fin(pc, $$);
	}
	| postfix T_DEC {
		$$ = mk_un(pc, AST_INCDEC, TOK_DEC, $1, @$);
		$$->is_post = true;
		parse_fin(pc, $$);
	}
	;

postfix_ns
	: primary_ns
	| postfix_ns '.' T_IDENT {
		$$ = mk_un(pc, AST_FIELD, 0, $1, @$);
		$$->name = $3;
		parse_fin(pc, $$);
	}
	| postfix_ns '.' T_INT {
		$$ = mk_un(pc, AST_FIELD, 0, $1, @$);
		$$->name = arena_printf(pc->arena, "%llu", (unsigned long long)$3->uval);
		$$->ival = $3->ival;
		$$->is_count = true;
		parse_fin(pc, $$);
	}
	| postfix_ns T_ARROW T_IDENT {
		$$ = mk_un(pc, AST_ARROW, 0, $1, @$);
		$$->name = $3;
		parse_fin(pc, $$);
	}
	| postfix_ns '[' expr ']' {
		$$ = mk_un(pc, AST_INDEX, 0, $1, @$);
		$$->rhs = $3;
		parse_fin(pc, $$);
	}
	| postfix_ns T_INC {
		$$ = mk_un(pc, AST_INCDEC, TOK_INC, $1, @$);
		$$->is_post = true;
		parse_fin(pc, $$);
	}
	| postfix_ns T_DEC {
		$$ = mk_un(pc, AST_INCDEC, TOK_DEC, $1, @$);
		$$->is_post = true;
		parse_fin(pc, $$);
	}
	;

primary
	: primary_ns
	| block { $$ = block_as_value(pc, $1); }
	| if_expr
	;

primary_ns
	: T_INT
	| T_STR
	| T_POSITIONAL
	| T_TRUE { $$ = mk(pc, AST_BOOL, @$); $$->ival = 1; }
	| T_FALSE { $$ = mk(pc, AST_BOOL, @$); }
	| T_VAR { $$ = mk(pc, AST_VAR, @$); $$->name = $1; }
	| T_IDENT { $$ = mk(pc, AST_IDENT, @$); $$->name = $1; }
	| map
	| call
	| paren
	| sizeof
	| offsetof
	;

if_expr
	: T_IF unary block {
		$$ = mk(pc, AST_IF, @$);
		$$->cond = $2;
		$$->then = $3;
		if_expr_arms(pc, $$);
		parse_fin(pc, $$);
	}
	| T_IF unary block T_ELSE block {
		$$ = mk(pc, AST_IF, @$);
		$$->cond = $2;
		$$->then = $3;
		$$->els = $5;
		if_expr_arms(pc, $$);
		parse_fin(pc, $$);
	}
	| T_IF unary block T_ELSE if_expr {
		$$ = mk(pc, AST_IF, @$);
		$$->cond = $2;
		$$->then = $3;
		$$->els = $5;
		if_expr_arms(pc, $$);
		parse_fin(pc, $$);
	}
	;

map
	: T_MAP %prec MAP_ALONE { $$ = mk(pc, AST_MAP, @$); $$->name = $1; }
	| T_MAP '[' args ']' {
		$$ = mk(pc, AST_MAP, @$);
		$$->name = $1;
		if ($3.head != $3.tail) {
			$$->lhs = mk(pc, AST_TUPLE, loc_span($3.head->loc, $3.tail->loc));
			$$->lhs->body = $3.head;
			parse_fin(pc, $$->lhs);
		} else {
			$$->lhs = $3.head;
		}
		parse_fin(pc, $$);
	}
	;

call
	: T_IDENT '(' args_opt ')' {
		$$ = mk(pc, AST_CALL, @$);
		$$->name = $1;
		$$->body = $3.head;
		parse_fin(pc, $$);
	}
	;

args_opt
	: %empty { $$ = list_none(); }
	| args
	;

args
	: expr { $$ = list1($1); }
	| args ',' expr { $$ = list_add($1, $3); }
	;

paren
	: '(' expr ')' { $$ = $2; }
	| '(' ')' { $$ = mk(pc, AST_TUPLE, @$); }
	| '(' expr ',' ')' {
		$$ = mk(pc, AST_TUPLE, @$);
		$$->body = $2;
		parse_fin(pc, $$);
	}
	| '(' expr ',' tuple_rest ')' {
		$$ = mk(pc, AST_TUPLE, @$);
		$2->next = $4.head;
		$$->body = $2;
		parse_fin(pc, $$);
	}
	| '(' expr ',' tuple_rest ',' ')' {
		$$ = mk(pc, AST_TUPLE, @$);
		$2->next = $4.head;
		$$->body = $2;
		parse_fin(pc, $$);
	}
	| '(' record_fields ')' {
		$$ = mk(pc, AST_RECORD, @$);
		$$->body = $2.head;
		parse_fin(pc, $$);
	}
	| '(' record_fields ',' ')' {
		$$ = mk(pc, AST_RECORD, @$);
		$$->body = $2.head;
		parse_fin(pc, $$);
	}
	;

tuple_rest
	: expr { $$ = list1($1); }
	| tuple_rest ',' expr { $$ = list_add($1, $3); }
	;

record_fields
	: T_IDENT '=' expr {
		struct ast_node *n = mk(pc, AST_ASSIGN, @$);

		n->op = '=';
		n->lhs = mk(pc, AST_IDENT, @1);
		n->lhs->name = $1;
		n->rhs = $3;
		$$ = list1(parse_fin(pc, n));
	}
	| record_fields ',' T_IDENT '=' expr {
		struct ast_node *n = mk(pc, AST_ASSIGN, loc_span(@3, @5));

		n->op = '=';
		n->lhs = mk(pc, AST_IDENT, @3);
		n->lhs->name = $3;
		n->rhs = $5;
		$$ = list_add($1, parse_fin(pc, n));
	}
	;

sizeof
	: T_SIZEOF '(' type ')' {
		$$ = mk(pc, AST_SIZEOF, @$);
		$$->vtype = $3;
		parse_fin(pc, $$);
	}
	| T_SIZEOF '(' expr ')' {
		$$ = mk(pc, AST_SIZEOF, @$);
		$$->lhs = $3;
		parse_fin(pc, $$);
	}
	;

offsetof
	: T_OFFSETOF '(' type ',' member ')' {
		$$ = mk(pc, AST_OFFSETOF, @$);
		$$->vtype = $3;
		$$->str = $5;
		parse_fin(pc, $$);
	}
	| T_OFFSETOF '(' expr ',' member ')' {
		$$ = mk(pc, AST_OFFSETOF, @$);
		$$->lhs = $3;
		$$->str = $5;
		parse_fin(pc, $$);
	}
	;

member
	: T_IDENT
	| member '.' T_IDENT { $$ = arena_printf(pc->arena, "%s.%s", $1, $3); }
	;

/* ---------------- types ---------------- */

type
	: type_base ptrs array_opt {
		$$ = $1;
		$$->loc = @$;
		$$->ival = $2;
		set_array_len(pc, $$, $3);
	}
	;

/* In `let $x: T` and fn signatures any identifier can name a type. */
anno_type
	: type
	| T_IDENT ptrs array_opt {
		$$ = mk(pc, AST_TYPE, @$);
		$$->name = $1;
		$$->ival = $2;
		set_array_len(pc, $$, $3);
		parse_fin(pc, $$);
	}
	;

type_base
	: T_TYPE { $$ = mk(pc, AST_TYPE, @$); $$->name = $1; }
	| T_TYPE_IDENT { $$ = mk(pc, AST_TYPE, @$); $$->name = $1; }
	| T_STRUCT tname {
		$$ = mk(pc, AST_TYPE, @$);
		$$->name = arena_printf(pc->arena, "struct %s", $2);
		parse_fin(pc, $$);
	}
	| T_UNION tname {
		$$ = mk(pc, AST_TYPE, @$);
		$$->name = arena_printf(pc->arena, "union %s", $2);
		parse_fin(pc, $$);
	}
	| T_ENUM tname {
		$$ = mk(pc, AST_TYPE, @$);
		$$->name = arena_printf(pc->arena, "enum %s", $2);
		parse_fin(pc, $$);
	}
	| T_TYPEOF '(' expr ')' {
		/* the type of an expression (not evaluated) */
		$$ = mk(pc, AST_TYPE, @$);
		$$->name = "typeof";
		$$->lhs = $3;
		parse_fin(pc, $$);
	}
	;

tname
	: T_IDENT
	| T_TYPE_IDENT
	;

ptrs
	: %empty { $$ = 0; }
	| ptrs '*' { $$ = $1 + 1; }
	;

array_opt
	: %empty { $$ = NULL; }
	| '[' T_INT ']' { $$ = $2; }
	| '[' ']' { $$ = mk(pc, AST_INT, @$); $$->is_count = true; }
	;

%%

/* A short description of the token at `loc` for "unexpected ..." */
static void describe_token(struct parse_ctx *pc, yysymbol_kind_t sym, const YYLTYPE *loc,
			   char *buf, size_t size)
{
	const char *what = yysymbol_name(sym);
	size_t len = 0;
	const char *line = NULL;

	switch (sym) {
	case YYSYMBOL_T_IDENT:
	case YYSYMBOL_T_TYPE_IDENT:
	case YYSYMBOL_T_TYPE:
	case YYSYMBOL_T_VAR:
	case YYSYMBOL_T_MAP:
	case YYSYMBOL_T_INT:
	case YYSYMBOL_T_POSITIONAL:
	case YYSYMBOL_T_ATTACH:
		line = source_line(pc->sf, loc->first_line, &len);
		break;
	default:
		break;
	}
	if (line && loc->last_line == loc->first_line && loc->first_column >= 1 &&
	    loc->last_column >= loc->first_column && (size_t)loc->last_column <= len &&
	    loc->last_column - loc->first_column < 40) {
		snprintf(buf, size, "%s '%.*s'", what, loc->last_column - loc->first_column + 1,
			 line + loc->first_column - 1);
		return;
	}
	snprintf(buf, size, "%s", what);
}

static bool name_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

/* Tokens that can start an expression. */
static bool expr_start(yysymbol_kind_t s)
{
	static const char *const chars[] = {"'('", "'-'", "'!'", "'~'", "'*'", "'&'", "'{'", NULL};

	switch (s) {
	case YYSYMBOL_T_INT:
	case YYSYMBOL_T_STR:
	case YYSYMBOL_T_POSITIONAL:
	case YYSYMBOL_T_TRUE:
	case YYSYMBOL_T_FALSE:
	case YYSYMBOL_T_VAR:
	case YYSYMBOL_T_IDENT:
	case YYSYMBOL_T_MAP:
	case YYSYMBOL_T_SIZEOF:
	case YYSYMBOL_T_OFFSETOF:
	case YYSYMBOL_T_INC:
	case YYSYMBOL_T_DEC:
	case YYSYMBOL_T_IF:
		return true;
	default:
		return name_in(yysymbol_name(s), chars);
	}
}

/* Tokens that can start a statement (besides expressions). */
static bool stmt_start(yysymbol_kind_t s)
{
	static const char *const chars[] = {"'{'", "';'", NULL};

	switch (s) {
	case YYSYMBOL_T_LET:
	case YYSYMBOL_T_IF:
	case YYSYMBOL_T_WHILE:
	case YYSYMBOL_T_FOR:
	case YYSYMBOL_T_UNROLL:
	case YYSYMBOL_T_RETURN:
	case YYSYMBOL_T_BREAK:
	case YYSYMBOL_T_CONTINUE:
	case YYSYMBOL_T_IMPORT:
		return true;
	default:
		return name_in(yysymbol_name(s), chars);
	}
}

/* Tokens that continue an expression (binary, postfix and assignment). */
static bool operator_token(yysymbol_kind_t s)
{
	static const char *const chars[] = {"'+'", "'-'", "'*'", "'/'", "'%'", "'&'", "'|'",
					    "'^'", "'<'", "'>'", "'?'", "'.'", "'['", "'='",
					    NULL};

	switch (s) {
	case YYSYMBOL_T_SHL:
	case YYSYMBOL_T_SHR:
	case YYSYMBOL_T_EQ:
	case YYSYMBOL_T_NE:
	case YYSYMBOL_T_LE:
	case YYSYMBOL_T_GE:
	case YYSYMBOL_T_LAND:
	case YYSYMBOL_T_LOR:
	case YYSYMBOL_T_ARROW:
	case YYSYMBOL_T_INC:
	case YYSYMBOL_T_DEC:
	case YYSYMBOL_T_ASSIGN_OP:
		return true;
	default:
		return name_in(yysymbol_name(s), chars);
	}
}

/* Tokens that can start a top-level item. */
static bool item_start(yysymbol_kind_t s)
{
	switch (s) {
	case YYSYMBOL_T_ATTACH:
	case YYSYMBOL_T_CDEF:
	case YYSYMBOL_T_CONFIG:
	case YYSYMBOL_T_TOP_IMPORT:
	case YYSYMBOL_T_TOP_LET:
	case YYSYMBOL_T_MACRO:
	case YYSYMBOL_T_FN:
		return true;
	default:
		return strcmp(yysymbol_name(s), "';'") == 0;
	}
}

/*
 * "syntax error, unexpected X, expecting A, B or C". Tokens that can start
 * a statement are summed up as "statement", those that can start an
 * expression as "expression", those that continue one as "operator", those
 * that can start a top-level item as "probe"; the list is left out when it
 * would be longer than five.
 */
static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner, struct parse_ctx *pc)
{
	yysymbol_kind_t exp[YYNTOKENS];
	const char *names[YYNTOKENS + 3];
	int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
	int nnames = 0, i, j;
	bool stmt = false, expr = false, item = false, oper = false, said_stmt = false,
	     said_expr = false, said_item = false, said_oper = false;
	char msg[1024], tok[128];
	size_t len;

	(void)scanner;
	if (n < 0)
		n = 0;
	for (j = 0; j < n; j++) {
		stmt |= exp[j] == YYSYMBOL_T_LET;
		expr |= exp[j] == YYSYMBOL_T_INT;
		item |= exp[j] == YYSYMBOL_T_ATTACH;
		oper |= strcmp(yysymbol_name(exp[j]), "'+'") == 0 ||
			strcmp(yysymbol_name(exp[j]), "'.'") == 0;
	}
	for (i = 0; i < n; i++) {
		if (stmt && (stmt_start(exp[i]) || expr_start(exp[i]))) {
			if (!said_stmt)
				names[nnames++] = "statement";
			said_stmt = true;
		} else if (expr && expr_start(exp[i])) {
			if (!said_expr)
				names[nnames++] = "expression";
			said_expr = true;
		} else if (oper && operator_token(exp[i])) {
			if (!said_oper)
				names[nnames++] = "operator";
			said_oper = true;
		} else if (item && item_start(exp[i])) {
			if (!said_item)
				names[nnames++] = "probe";
			said_item = true;
		} else {
			names[nnames++] = yysymbol_name(exp[i]);
		}
	}
	describe_token(pc, yypcontext_token(ctx), yypcontext_location(ctx), tok, sizeof(tok));
	len = (size_t)snprintf(msg, sizeof(msg), "syntax error, unexpected %s", tok);
	if (nnames > 0 && nnames <= 5) {
		for (i = 0; i < nnames && len < sizeof(msg); i++) {
			const char *sep = i == 0 ? ", expecting " : i == nnames - 1 ? " or " : ", ";

			len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s%s", sep, names[i]);
		}
	}
	diag_error(pc->diag, *yypcontext_location(ctx), "%s", msg);
	return 0;
}

static void yyerror(YYLTYPE *loc, yyscan_t scanner, struct parse_ctx *pc, const char *msg)
{
	(void)scanner;
	if (strcmp(msg, "memory exhausted") == 0)
		diag_error(pc->diag, *loc, "program is nested too deeply");
	else
		diag_error(pc->diag, *loc, "%s", msg);
}
