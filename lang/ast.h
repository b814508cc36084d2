/*
 * ast.h - the abstract syntax tree of a hawk (bpftrace-language) program.
 *
 * One node struct for every construct, chibicc-style: `kind` says which of
 * the fields below are meaningful (documented per kind). Every node keeps the
 * source range it was parsed from. Lists are singly linked through `next`
 * and always keep insertion (source) order. Sema fills in `type` and the
 * `sema_*` fields; the parser never does.
 */
#ifndef HAWK_AST_H
#define HAWK_AST_H

#include <stdbool.h>
#include <stdint.h>
#include "source.h"

struct arena;
struct hk_type;
struct builtin_ops;
struct probe_ops;
struct res_map;
struct scope_var;

enum ast_kind {
	/* ---- top level ---- */
	AST_PROGRAM, /* body: list of items below, in source order */
	AST_PROBE,   /* body: AST_ATTACH list (attach); pred: predicate or NULL; then: block */
	AST_ATTACH,  /* str: the attach point text as written, e.g.
			"tracepoint:syscalls:sys_enter_*";  name: optional probe name before '='
			(`myname=kprobe:f`) */
	AST_CONFIG,  /* body: AST_ASSIGN list (lhs AST_IDENT name, rhs value) of `config = {...}` */
	AST_IMPORT,  /* str: the imported path */
	AST_MACRO,   /* name; params: list of AST_VAR/AST_MAP/AST_IDENT; then: block */
	AST_MAPDECL, /* `let @m = hash(N);` lhs: AST_MAP (no key); rhs: AST_CALL */
	AST_CDEF,    /* str: C text: #include/#define line or a struct/union/enum definition */
	AST_FN, /* `fn name($a: t, ...): t { }` name; params: AST_LET list; vtype: return type; then
		 */

	/* ---- statements ---- */
	AST_BLOCK,     /* body: statement list. Also a block expression: `{ stmts; expr }`
			  (then the last statement is an AST_EXPR_STMT and is_expr is set) */
	AST_EXPR_STMT, /* lhs: the expression */
	AST_ASSIGN,    /* lhs = rhs; op: '=' or the operator of a compound assignment
			  ('+', '-', '*', '/', '%', '&', '|', '^', TOK_SHL, TOK_SHR) */
	AST_LET,   /* `let $x[: type] [= init];` lhs: AST_VAR; vtype: AST_TYPE or NULL; rhs: init or
		      NULL */
	AST_IF,	   /* cond; then: block; els: block, AST_IF (else if) or NULL.
		      is_expr: used as an expression (`$x = if (c) { 1 } else { 2 }`) */
	AST_WHILE, /* cond; then: body block */
	AST_FOR_RANGE, /* `for ($i : lo..hi) body` lhs: AST_VAR; cond: lo; rhs: hi; then: body */
	AST_FOR_MAP,   /* `for ($kv : @m) body` lhs: AST_VAR; rhs: AST_MAP; then: body */
	AST_UNROLL,    /* `unroll(N) body` lhs: count expr; then: body */
	AST_BREAK,
	AST_CONTINUE,
	AST_RETURN, /* lhs: value or NULL */

	/* ---- expressions ---- */
	AST_INT,	/* ival (uval for literals above INT64_MAX); is_unsigned set for those
			   and for U-suffixed literals. Duration literals (`1s`) are ints in ns. */
	AST_STR,	/* str (escapes resolved, NUL-terminated); slen: bytes without the NUL */
	AST_BOOL,	/* ival: 0 or 1 */
	AST_VAR,	/* name: "$x" (with the '$') */
	AST_MAP,	/* name: "@m" or "@" for the anonymous map; lhs: key expression or NULL.
			   `@m[a, b]` is parsed as key = AST_TUPLE(a, b) */
	AST_IDENT,	/* name: bare identifier: builtin variable (pid, comm, arg0, args...),
			   enum constant or macro parameter */
	AST_POSITIONAL, /* ival: N of $N (1-based); `$#` has ival 0 and is_count set */
	AST_CALL,	/* name: function; body: argument list (may be NULL) */
	AST_BINOP,	/* op lhs rhs: '+','-','*','/','%','&','|','^','<','>', TOK_SHL, TOK_SHR,
			   TOK_EQ, TOK_NE, TOK_LE, TOK_GE, TOK_LAND, TOK_LOR */
	AST_UNOP,	/* op lhs: '-', '!', '~', '*' (deref), '&' (address-of) */
	AST_INCDEC,	/* op: TOK_INC or TOK_DEC; lhs: variable/map/field; is_post: x++ vs ++x */
	AST_TERNARY,	/* cond ? then : els; then NULL for `cond ?: els` */
	AST_FIELD,	/* lhs.name  (also tuple index: lhs.0 -> name "0", ival 0, is_count set) */
	AST_ARROW,	/* lhs->name */
	AST_INDEX,	/* lhs[rhs] */
	AST_CAST,	/* (vtype) lhs */
	AST_TUPLE,	/* body: element list (at least 2, or 1 with a trailing comma) */
	AST_RECORD,	/* body: AST_ASSIGN list, lhs AST_IDENT field name, rhs value */
	AST_SIZEOF,	/* sizeof(vtype) or sizeof(lhs): exactly one is set */
	AST_OFFSETOF,	/* offsetof(vtype, str) with str the (dotted) member path */
	AST_TYPE, /* a type written in the source: name ("uint32", "string", "struct task_struct",
		     "int8"...); ival: pointer depth; uval: array length or string/buffer size
		     (0 if none); name "typeof" with lhs: the type of that expression */
};

/* Token codes shared by the parser and the AST for two-character operators. */
enum ast_op {
	TOK_SHL = 256, /* << */
	TOK_SHR,       /* >> */
	TOK_EQ,	       /* == */
	TOK_NE,	       /* != */
	TOK_LE,	       /* <= */
	TOK_GE,	       /* >= */
	TOK_LAND,      /* && */
	TOK_LOR,       /* || */
	TOK_INC,       /* ++ */
	TOK_DEC,       /* -- */
};

struct ast_node {
	enum ast_kind kind;
	struct loc loc;
	struct ast_node *next; /* next in the list this node belongs to */

	struct ast_node *lhs, *rhs; /* operands, see kinds */
	struct ast_node *cond, *then, *els;
	struct ast_node *body;	 /* child list */
	struct ast_node *params; /* AST_MACRO/AST_FN parameters */
	struct ast_node *pred;	 /* AST_PROBE predicate */
	struct ast_node *vtype;	 /* AST_TYPE for casts, let, sizeof */

	const char *name;
	const char *str;
	uint32_t slen;
	int op;
	int64_t ival;
	uint64_t uval;
	bool is_unsigned, is_post, is_expr, is_count;

	/* ---- filled in by sema ---- */
	struct hk_type *type;			/* expression type */
	const struct builtin_ops *sema_builtin; /* AST_CALL/AST_IDENT bound to a stdlib module */
	const struct probe_ops *sema_probe;	/* AST_ATTACH: its probe type module */
	struct res_map *sema_map;		/* AST_MAP: the map */
	struct scope_var *sema_var;		/* AST_VAR: the variable */
	int sema_id;				/* printf/event id, attach point index... */
	void *sema_data;			/* module-private data */
};

/* A comment of the source (a line comment, a block comment, or the `#!`
 * first line).
 * The parser keeps them aside, in source order, for the formatter (--fmt);
 * they are not part of the tree. C definitions keep theirs in their text. */
struct ast_comment {
	struct loc loc;
	const char *text; /* as written, from its first character; not NUL-terminated */
	uint32_t len;
	struct ast_comment *next;
};

struct ast_node *ast_new(struct arena *a, enum ast_kind kind, struct loc loc);
/* Appends item to the list at *head (keeps source order); returns the head. */
struct ast_node *ast_append(struct ast_node *head, struct ast_node *item);
/* A deep copy of n and everything below it (not of the nodes after it in
 * its list), in arena a (macro expansion, per-signature probe copies). */
struct ast_node *ast_clone(struct arena *a, const struct ast_node *n);
int ast_list_len(const struct ast_node *head);
const char *ast_kind_name(enum ast_kind k);
const char *ast_op_name(int op); /* "+", "<<", "&&" ... */
/* Writes an S-expression dump (for -d ast and the parser's unit tests):
 *   (program (probe (attach "BEGIN") (block (call printf (str "hi")))))    */
void ast_dump(const struct ast_node *n, char **buf, size_t *len);
/* The same after sema, each typed node followed by ":type NAME" (-d types). */
struct arena;
void ast_dump_typed(const struct ast_node *n, struct arena *a, char **buf, size_t *len);

#endif
