/*
 * ast.c - AST node allocation, lists, names and the S-expression dump.
 *
 * Nodes live in the compilation arena and are zeroed on allocation. Lists
 * are linked through `next` in source order.
 *
 * The dump (ast_dump, used by `-d ast` and the parser's unit tests) is one
 * line, no trailing newline. Each node is `(HEAD ...)`; children follow in
 * the order below, absent optional children are simply left out, and
 * `nil` stands for a missing required child. Names and identifiers are
 * printed bare, strings and attach points quoted with C escapes (\" \\ \n
 * \t \r, \xNN for other control bytes and bytes >= 0x7f).
 *
 *   program      (program ITEM...)
 *   probe        (probe ATTACH... [(pred EXPR)] BLOCK)
 *   attach       (attach "TEXT")  or  (attach "TEXT" :name NAME)
 *   config       (config (= (ident KEY) VALUE)...)
 *   import       (import "PATH")
 *   macro        (macro NAME (params PARAM...) BLOCK)
 *   mapdecl      (mapdecl (map @m) (call hash (int 100)))
 *   cdef         (cdef "RAW C TEXT")
 *   fn           (fn NAME (params (let (var $a) (type T))...) [(type RET)] BLOCK)
 *   block        (block STMT...)  or  (block :expr STMT...) when is_expr
 *   expr stmt    the bare expression (statements never print as expressions)
 *   assign       (= LHS RHS), compound: (+= LHS RHS) (<<= LHS RHS) ...
 *   let          (let (var $x) [(type T)] [INIT])
 *   if           (if [:expr] COND THEN [ELSE])
 *   while        (while COND BLOCK)
 *   for range    (for (var $i) (range LO HI) BLOCK)
 *   for map      (for (var $kv) (map @m) BLOCK)
 *   unroll       (unroll COUNT BLOCK)
 *   break/continue/return   (break) (continue) (return [EXPR])
 *   int          (int 42); with is_unsigned: (int 42 :unsigned) (uval shown)
 *   str          (str "a\n")      bool  (bool true)
 *   var/map      (var $x)  (map @m)  (map @m KEY)  (map @)
 *   ident        (ident pid)      positional  (positional $1)  (positional $#)
 *   call         (call NAME ARG...)
 *   binop        (OP LHS RHS)  e.g. (+ a b) (<< a b) (&& a b)
 *   unop         (OP EXPR)     e.g. (- x) (! x) (~ x) (* p) (& $v)
 *   inc/dec      (pre++ X) (pre-- X) (post++ X) (post-- X)
 *   ternary      (? COND THEN ELSE)  or  (?: COND ELSE)
 *   field/arrow  (. EXPR NAME)  (-> EXPR NAME); tuple index (. EXPR 0)
 *   index        ([] EXPR INDEX)
 *   cast         (cast (type T) EXPR)
 *   tuple        (tuple ELEM...), `()` is (tuple)
 *   record       (record (= (ident NAME) VALUE)...)
 *   sizeof       (sizeof (type T)) or (sizeof EXPR)
 *   offsetof     (offsetof (type T) a.b) or (offsetof EXPR a.b)
 *   type         (type NAME[ STARS][[LEN]]) e.g. (type uint32) (type struct path *)
 *                (type int8[4]) (type string[64]) (type int32 *[4]); an array
 *                whose length is to be inferred, `(uint8[])x`, has uval 0 and
 *                is_count set: (type uint8[])
 *
 * Locations are not part of the dump; tests check them on the nodes.
 */
#define _GNU_SOURCE /* open_memstream */
#include "ast.h"
#include "arena.h"
#include "types.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ast_node *ast_new(struct arena *a, enum ast_kind kind, struct loc loc)
{
	struct ast_node *n = ARENA_NEW(a, struct ast_node);

	n->kind = kind;
	n->loc = loc;
	return n;
}

struct ast_node *ast_append(struct ast_node *head, struct ast_node *item)
{
	struct ast_node *p;

	if (!head)
		return item;
	for (p = head; p->next; p = p->next)
		;
	p->next = item;
	return head;
}

int ast_list_len(const struct ast_node *head)
{
	int n = 0;

	for (; head; head = head->next)
		n++;
	return n;
}

const char *ast_kind_name(enum ast_kind k)
{
	static const char *const names[] = {
		[AST_PROGRAM] = "program",
		[AST_PROBE] = "probe",
		[AST_ATTACH] = "attach",
		[AST_CONFIG] = "config",
		[AST_IMPORT] = "import",
		[AST_MACRO] = "macro",
		[AST_MAPDECL] = "mapdecl",
		[AST_CDEF] = "cdef",
		[AST_FN] = "fn",
		[AST_BLOCK] = "block",
		[AST_EXPR_STMT] = "expr_stmt",
		[AST_ASSIGN] = "assign",
		[AST_LET] = "let",
		[AST_IF] = "if",
		[AST_WHILE] = "while",
		[AST_FOR_RANGE] = "for_range",
		[AST_FOR_MAP] = "for_map",
		[AST_UNROLL] = "unroll",
		[AST_BREAK] = "break",
		[AST_CONTINUE] = "continue",
		[AST_RETURN] = "return",
		[AST_INT] = "int",
		[AST_STR] = "str",
		[AST_BOOL] = "bool",
		[AST_VAR] = "var",
		[AST_MAP] = "map",
		[AST_IDENT] = "ident",
		[AST_POSITIONAL] = "positional",
		[AST_CALL] = "call",
		[AST_BINOP] = "binop",
		[AST_UNOP] = "unop",
		[AST_INCDEC] = "incdec",
		[AST_TERNARY] = "ternary",
		[AST_FIELD] = "field",
		[AST_ARROW] = "arrow",
		[AST_INDEX] = "index",
		[AST_CAST] = "cast",
		[AST_TUPLE] = "tuple",
		[AST_RECORD] = "record",
		[AST_SIZEOF] = "sizeof",
		[AST_OFFSETOF] = "offsetof",
		[AST_TYPE] = "type",
	};

	if ((unsigned)k < sizeof(names) / sizeof(names[0]) && names[k])
		return names[k];
	return "?";
}

const char *ast_op_name(int op)
{
	switch (op) {
	case TOK_SHL:
		return "<<";
	case TOK_SHR:
		return ">>";
	case TOK_EQ:
		return "==";
	case TOK_NE:
		return "!=";
	case TOK_LE:
		return "<=";
	case TOK_GE:
		return ">=";
	case TOK_LAND:
		return "&&";
	case TOK_LOR:
		return "||";
	case TOK_INC:
		return "++";
	case TOK_DEC:
		return "--";
	case '+':
		return "+";
	case '-':
		return "-";
	case '*':
		return "*";
	case '/':
		return "/";
	case '%':
		return "%";
	case '&':
		return "&";
	case '|':
		return "|";
	case '^':
		return "^";
	case '<':
		return "<";
	case '>':
		return ">";
	case '!':
		return "!";
	case '~':
		return "~";
	case '=':
		return "=";
	default:
		return "?";
	}
}

static void dump_quoted(FILE *f, const char *s, size_t len)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (c < 0x20 || c >= 0x7f)
				fprintf(f, "\\x%02x", c);
			else
				fputc(c, f);
		}
	}
	fputc('"', f);
}

static void dump(FILE *f, const struct ast_node *n);
/* -d types: the arena ty_name() writes type names into, or NULL (no types) */
static struct arena *dump_types;

/* " CHILD" for each node of a list. */
static void dump_list(FILE *f, const struct ast_node *n)
{
	for (; n; n = n->next) {
		fputc(' ', f);
		dump(f, n);
	}
}

/* " CHILD" if the child is there. */
static void dump_opt(FILE *f, const struct ast_node *n)
{
	if (n) {
		fputc(' ', f);
		dump(f, n);
	}
}

static const char *str_or(const char *s)
{
	return s ? s : "";
}

static void dump(FILE *f, const struct ast_node *n)
{
	int64_t i;

	if (!n) {
		fputs("nil", f);
		return;
	}
	switch (n->kind) {
	case AST_PROGRAM:
		fputs("(program", f);
		dump_list(f, n->body);
		break;
	case AST_PROBE:
		fputs("(probe", f);
		dump_list(f, n->body);
		if (n->pred) {
			fputs(" (pred ", f);
			dump(f, n->pred);
			fputc(')', f);
		}
		fputc(' ', f);
		dump(f, n->then);
		break;
	case AST_ATTACH:
		fputs("(attach ", f);
		dump_quoted(f, str_or(n->str), strlen(str_or(n->str)));
		if (n->name)
			fprintf(f, " :name %s", n->name);
		break;
	case AST_CONFIG:
		fputs("(config", f);
		dump_list(f, n->body);
		break;
	case AST_IMPORT:
		fputs("(import ", f);
		dump_quoted(f, str_or(n->str), strlen(str_or(n->str)));
		break;
	case AST_MACRO:
		fprintf(f, "(macro %s (params", str_or(n->name));
		dump_list(f, n->params);
		fputs(") ", f);
		dump(f, n->then);
		break;
	case AST_MAPDECL:
		fputs("(mapdecl ", f);
		dump(f, n->lhs);
		fputc(' ', f);
		dump(f, n->rhs);
		break;
	case AST_CDEF:
		fputs("(cdef ", f);
		dump_quoted(f, str_or(n->str), strlen(str_or(n->str)));
		break;
	case AST_FN:
		fprintf(f, "(fn %s (params", str_or(n->name));
		dump_list(f, n->params);
		fputc(')', f);
		dump_opt(f, n->vtype);
		fputc(' ', f);
		dump(f, n->then);
		break;
	case AST_BLOCK:
		fputs(n->is_expr ? "(block :expr" : "(block", f);
		dump_list(f, n->body);
		break;
	case AST_EXPR_STMT:
		dump(f, n->lhs);
		return; /* no parentheses of its own */
	case AST_ASSIGN:
		if (n->op == '=')
			fputs("(= ", f);
		else
			fprintf(f, "(%s= ", ast_op_name(n->op));
		dump(f, n->lhs);
		fputc(' ', f);
		dump(f, n->rhs);
		break;
	case AST_LET:
		fputs("(let ", f);
		dump(f, n->lhs);
		dump_opt(f, n->vtype);
		dump_opt(f, n->rhs);
		break;
	case AST_IF:
		fputs(n->is_expr ? "(if :expr " : "(if ", f);
		dump(f, n->cond);
		fputc(' ', f);
		dump(f, n->then);
		dump_opt(f, n->els);
		break;
	case AST_WHILE:
		fputs("(while ", f);
		dump(f, n->cond);
		fputc(' ', f);
		dump(f, n->then);
		break;
	case AST_FOR_RANGE:
		fputs("(for ", f);
		dump(f, n->lhs);
		fputs(" (range ", f);
		dump(f, n->cond);
		fputc(' ', f);
		dump(f, n->rhs);
		fputs(") ", f);
		dump(f, n->then);
		break;
	case AST_FOR_MAP:
		fputs("(for ", f);
		dump(f, n->lhs);
		fputc(' ', f);
		dump(f, n->rhs);
		fputc(' ', f);
		dump(f, n->then);
		break;
	case AST_UNROLL:
		fputs("(unroll ", f);
		dump(f, n->lhs);
		fputc(' ', f);
		dump(f, n->then);
		break;
	case AST_BREAK:
		fputs("(break", f);
		break;
	case AST_CONTINUE:
		fputs("(continue", f);
		break;
	case AST_RETURN:
		fputs("(return", f);
		dump_opt(f, n->lhs);
		break;
	case AST_INT:
		if (n->is_unsigned)
			fprintf(f, "(int %" PRIu64 " :unsigned", n->uval);
		else
			fprintf(f, "(int %" PRId64, n->ival);
		break;
	case AST_STR:
		fputs("(str ", f);
		dump_quoted(f, str_or(n->str), n->str ? n->slen : 0);
		break;
	case AST_BOOL:
		fprintf(f, "(bool %s", n->ival ? "true" : "false");
		break;
	case AST_VAR:
		fprintf(f, "(var %s", str_or(n->name));
		break;
	case AST_MAP:
		fprintf(f, "(map %s", str_or(n->name));
		dump_opt(f, n->lhs);
		break;
	case AST_IDENT:
		fprintf(f, "(ident %s", str_or(n->name));
		break;
	case AST_POSITIONAL:
		if (n->is_count)
			fputs("(positional $#", f);
		else
			fprintf(f, "(positional $%" PRId64, n->ival);
		break;
	case AST_CALL:
		fprintf(f, "(call %s", str_or(n->name));
		dump_list(f, n->body);
		break;
	case AST_BINOP:
		fprintf(f, "(%s ", ast_op_name(n->op));
		dump(f, n->lhs);
		fputc(' ', f);
		dump(f, n->rhs);
		break;
	case AST_UNOP:
		fprintf(f, "(%s ", ast_op_name(n->op));
		dump(f, n->lhs);
		break;
	case AST_INCDEC:
		fprintf(f, "(%s%s ", n->is_post ? "post" : "pre", ast_op_name(n->op));
		dump(f, n->lhs);
		break;
	case AST_TERNARY:
		fputs(n->then ? "(? " : "(?: ", f);
		dump(f, n->cond);
		dump_opt(f, n->then);
		fputc(' ', f);
		dump(f, n->els);
		break;
	case AST_FIELD:
	case AST_ARROW:
		fputs(n->kind == AST_FIELD ? "(. " : "(-> ", f);
		dump(f, n->lhs);
		fprintf(f, " %s", str_or(n->name));
		break;
	case AST_INDEX:
		fputs("([] ", f);
		dump(f, n->lhs);
		fputc(' ', f);
		dump(f, n->rhs);
		break;
	case AST_CAST:
		fputs("(cast ", f);
		dump(f, n->vtype);
		fputc(' ', f);
		dump(f, n->lhs);
		break;
	case AST_TUPLE:
		fputs("(tuple", f);
		dump_list(f, n->body);
		break;
	case AST_RECORD:
		fputs("(record", f);
		dump_list(f, n->body);
		break;
	case AST_SIZEOF:
		fputs("(sizeof ", f);
		dump(f, n->vtype ? n->vtype : n->lhs);
		break;
	case AST_OFFSETOF:
		fputs("(offsetof ", f);
		dump(f, n->vtype ? n->vtype : n->lhs);
		fprintf(f, " %s", str_or(n->str));
		break;
	case AST_TYPE:
		fprintf(f, "(type %s", str_or(n->name));
		if (n->lhs) {
			fputc(' ', f);
			dump(f, n->lhs);
		}
		if (n->ival > 0)
			fputc(' ', f);
		for (i = 0; i < n->ival; i++)
			fputc('*', f);
		if (n->uval)
			fprintf(f, "[%" PRIu64 "]", n->uval);
		else if (n->is_count)
			fputs("[]", f);
		break;
	default:
		fprintf(f, "(%s", ast_kind_name(n->kind));
		break;
	}
	if (dump_types && n->type)
		fprintf(f, " :type %s", ty_name(dump_types, n->type));
	fputc(')', f);
}

void ast_dump_typed(const struct ast_node *n, struct arena *a, char **buf, size_t *len)
{
	dump_types = a;
	ast_dump(n, buf, len);
	dump_types = NULL;
}

void ast_dump(const struct ast_node *n, char **buf, size_t *len)
{
	FILE *f;

	*buf = NULL;
	*len = 0;
	f = open_memstream(buf, len);
	if (!f)
		return;
	dump(f, n);
	fclose(f);
}

static struct ast_node *clone_list(struct arena *a, const struct ast_node *n)
{
	struct ast_node *head = NULL, **tail = &head;

	for (; n; n = n->next) {
		*tail = ast_clone(a, n);
		tail = &(*tail)->next;
	}
	return head;
}

struct ast_node *ast_clone(struct arena *a, const struct ast_node *n)
{
	struct ast_node *c;

	if (!n)
		return NULL;
	c = arena_alloc(a, sizeof(*c));
	*c = *n;
	c->next = NULL;
	c->lhs = ast_clone(a, n->lhs);
	c->rhs = ast_clone(a, n->rhs);
	c->cond = ast_clone(a, n->cond);
	c->then = ast_clone(a, n->then);
	c->els = ast_clone(a, n->els);
	c->pred = ast_clone(a, n->pred);
	c->vtype = ast_clone(a, n->vtype);
	c->body = clone_list(a, n->body);
	c->params = clone_list(a, n->params);
	return c;
}
