/*
 * macro.c - expands bpftrace macros before sema.
 *
 *   macro add($x, @m, e) { $y = $x + e; @m = $y; $y }
 *
 * A call add($a, @q, 5 * 2) is replaced by a copy of the body in which
 *   - a $x parameter is the caller's variable itself (passed by reference),
 *   - an @m parameter is the caller's map,
 *   - a bare-name parameter is a copy of the argument expression,
 *   - every other variable of the body gets a name of its own for this
 *     expansion (hygiene: the macro cannot see or clobber the caller's $y).
 * A call used as a statement becomes a block statement; used as a value, a
 * block expression. A macro without parameters can also be used bare
 * (`two` for `two()`). Macros may call macros; recursion is an error.
 * Invariant: after macro_expand() no AST_CALL names a macro and no AST_MACRO
 * item is left for sema to see (they are unlinked from the program).
 */
#include "macro.h"

#include <string.h>

#include "arena.h"

#define MACRO_MAX_DEPTH 32

struct expander {
	struct arena *a;
	struct diag_set *d;
	struct ast_node **macros;
	int nmacros;
	int serial; /* expansions so far: makes hygienic names unique */
};

static struct ast_node *find_macro(struct expander *x, const char *name)
{
	int i;

	for (i = 0; i < x->nmacros; i++)
		if (!strcmp(x->macros[i]->name, name))
			return x->macros[i];
	return NULL;
}

struct subst {
	struct ast_node *macro;
	struct ast_node *args[16];
	int nargs;
	int serial;
};

/* Rewrites a copied macro body for one call (see the file comment). */
static void substitute(struct expander *x, struct subst *s, struct ast_node *n)
{
	struct ast_node *p;
	int i;

	for (; n; n = n->next) {
		for (p = s->macro->params, i = 0; p; p = p->next, i++) {
			if (!p->name || !n->name || strcmp(p->name, n->name) || n->kind != p->kind)
				continue;
			if (n->kind == AST_VAR) {
				n->name = s->args[i]->name; /* the caller's variable */
			} else if (n->kind == AST_MAP) {
				n->name = s->args[i]->name; /* the caller's map; keep our key */
			} else if (n->kind == AST_IDENT) {
				/* the caller's expression: its names are the caller's */
				struct ast_node *next = n->next, *arg = ast_clone(x->a, s->args[i]);

				arg->next = next;
				*n = *arg;
				goto next_node;
			}
			goto children;
		}
		if (n->kind == AST_VAR && n->name && n->name[0] == '$')
			n->name = arena_printf(x->a, "$%s__%s%d", n->name + 1, s->macro->name,
					       s->serial);
	children:
		substitute(x, s, n->lhs);
		substitute(x, s, n->rhs);
		substitute(x, s, n->cond);
		substitute(x, s, n->then);
		substitute(x, s, n->els);
		substitute(x, s, n->body);
	next_node:;
	}
}

static void expand_node(struct expander *x, struct ast_node *n, bool is_stmt, int depth);

static void expand_list(struct expander *x, struct ast_node *n, bool stmts, int depth)
{
	for (; n; n = n->next)
		expand_node(x, n, stmts, depth);
}

/* Replaces the macro call n (in place) with the expanded body. */
static void expand_call(struct expander *x, struct ast_node *n, struct ast_node *m, bool is_stmt,
			int depth)
{
	struct subst s = {0};
	struct ast_node *a, *p, *body, *next = n->next;
	struct loc loc = n->loc;
	int want = ast_list_len(m->params);

	if (depth >= MACRO_MAX_DEPTH) {
		diag_error(x->d, n->loc, "macro '%s' expands too deeply (is it recursive?)",
			   m->name);
		n->body = NULL;
		return;
	}
	if (ast_list_len(n->body) != want || want > 16) {
		diag_error(x->d, n->loc, "macro '%s' takes %d argument%s, %d given", m->name, want,
			   want == 1 ? "" : "s", ast_list_len(n->body));
		diag_note(x->d, m->loc, "'%s' is defined here", m->name);
		n->body = NULL;
		return;
	}
	for (a = n->body, p = m->params; a; a = a->next, p = p->next) {
		if ((p->kind == AST_VAR && a->kind != AST_VAR) ||
		    (p->kind == AST_MAP && (a->kind != AST_MAP || a->lhs))) {
			diag_error(x->d, a->loc, "macro '%s' expects %s for '%s'", m->name,
				   p->kind == AST_VAR ? "a variable ($name)" : "a map (@name)",
				   p->name);
			n->body = NULL;
			return;
		}
		s.args[s.nargs++] = a;
	}
	s.macro = m;
	s.serial = ++x->serial;
	body = ast_clone(x->a, m->then);
	substitute(x, &s, body->body);
	*n = *body;
	n->next = next;
	n->loc = loc;
	if (!is_stmt)
		n->is_expr = true;
	expand_list(x, n->body, true, depth + 1);
}

static void expand_node(struct expander *x, struct ast_node *n, bool is_stmt, int depth)
{
	struct ast_node *m;

	if (!n)
		return;
	/* A call of a macro without a value, as a statement: a block statement. */
	if (n->kind == AST_EXPR_STMT && n->lhs && n->lhs->kind == AST_CALL &&
	    (m = find_macro(x, n->lhs->name)) && !m->then->is_expr) {
		struct ast_node *next = n->next;

		*n = *n->lhs;
		n->next = next;
		expand_call(x, n, m, true, depth);
		return;
	}
	if (n->kind == AST_IDENT && (m = find_macro(x, n->name)) && !m->params) {
		/* a macro without parameters can be used bare: `two` is `two()` */
		n->kind = AST_CALL;
		n->body = NULL;
		expand_call(x, n, m, is_stmt, depth);
		return;
	}
	if (n->kind == AST_CALL && (m = find_macro(x, n->name))) {
		expand_list(x, n->body, false, depth); /* arguments first */
		expand_call(x, n, m, is_stmt, depth);
		return;
	}
	expand_node(x, n->lhs, false, depth);
	expand_node(x, n->rhs, false, depth);
	expand_node(x, n->cond, false, depth);
	expand_node(x, n->pred, false, depth);
	expand_node(x, n->then, true, depth);
	expand_node(x, n->els, true, depth);
	expand_list(x, n->body, n->kind == AST_BLOCK || n->kind == AST_PROBE, depth);
}

int macro_expand(struct arena *a, struct ast_node *prog, struct diag_set *d)
{
	struct expander x = {a, d, NULL, 0, 0};
	struct ast_node *it, **link;
	int n = 0, nerr = d->nerrors;

	for (it = prog->body; it; it = it->next)
		if (it->kind == AST_MACRO)
			n++;
	if (!n)
		return 0;
	x.macros = ARENA_NEWN(a, struct ast_node *, n);
	for (link = &prog->body; *link;) {
		it = *link;
		if (it->kind != AST_MACRO) {
			link = &it->next;
			continue;
		}
		if (find_macro(&x, it->name)) {
			diag_error(d, it->loc, "macro '%s' is defined twice", it->name);
		} else {
			x.macros[x.nmacros++] = it;
		}
		*link = it->next; /* sema never sees macro definitions */
	}
	for (it = prog->body; it; it = it->next)
		if (it->kind == AST_PROBE || it->kind == AST_FN) /* fn bodies may use macros */
			expand_node(&x, it, false, 0);
	return d->nerrors > nerr ? -1 : 0;
}
