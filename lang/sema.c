/*
 * sema.c - semantic analysis of a parsed program.
 *
 * Order of work (sema_run):
 *   1. top-level items: config blocks, C definitions, unsupported constructs;
 *   2. attach points expanded by their probe modules into res_probe entries;
 *   3. probe bodies checked twice: a quiet pass that learns the key and value
 *      types of every map from every assignment (so a map may be read in a
 *      probe that comes before the one assigning it), then a reporting pass;
 *   4. maps finalised (kind, sizes) into the resource summary.
 * Invariants: every expression node gets a non-NULL type (ty_none on error);
 * nothing is printed here: problems go to the diagnostics set.
 */
#include "sema.h"
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modules.h"
#include "types.h"

#define MAX_LOOP_DEPTH 64

static struct hk_type *check_expr(struct sema *s, struct ast_node *n);
static void check_stmt(struct sema *s, struct ast_node *n);
static void check_block(struct sema *s, struct ast_node *blk, bool new_scope);
static struct hk_type *check_block_expr(struct sema *s, struct ast_node *n);
static struct hk_type *check_if_expr(struct sema *s, struct ast_node *n);
static void check_for_map(struct sema *s, struct ast_node *n);
static void check_fn_return(struct sema *s, struct ast_node *n);

/* ---- diagnostics that respect the quiet pass ---------------------------- */

/* Was this diagnostic reported already (by another copy of a split probe)? */
static bool reported(const struct diag_set *d, enum diag_level lvl, struct loc loc, const char *msg)
{
	int i;

	for (i = 0; i < d->n; i++)
		if (d->items[i].level == lvl && d->items[i].has_loc &&
		    !memcmp(&d->items[i].loc, &loc, sizeof(loc)) && !strcmp(d->items[i].msg, msg))
			return true;
	return false;
}

static void vreport(struct sema *s, enum diag_level lvl, struct loc loc, const char *fmt,
		    va_list ap)
{
	char buf[1024];

	if (s->quiet)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (lvl != DIAG_NOTE)
		s->muted = s->split_for && reported(s->diag, lvl, loc, buf);
	if (s->muted)
		return;
	if (lvl == DIAG_ERROR)
		diag_error(s->diag, loc, "%s", buf);
	else if (lvl == DIAG_WARNING)
		diag_warn(s->diag, loc, "%s", buf);
	else
		diag_note(s->diag, loc, "%s", buf);
	if (lvl == DIAG_ERROR && s->split_for)
		diag_hint(s->diag,
			  "the functions of this probe take different parameters: its body is "
			  "checked for each signature, here for %s",
			  s->split_for);
}

void sema_error(struct sema *s, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(s, DIAG_ERROR, loc, fmt, ap);
	va_end(ap);
}

void sema_warn(struct sema *s, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(s, DIAG_WARNING, loc, fmt, ap);
	va_end(ap);
}

int sema_missing_probe(struct sema *s, struct loc loc, const char *fmt, ...)
{
	const char *mode = s->res->config.missing_probes;
	bool error = !mode || !strcmp(mode, "error");
	va_list ap;

	if (mode && !strcmp(mode, "ignore"))
		return 0;
	va_start(ap, fmt);
	vreport(s, error ? DIAG_ERROR : DIAG_WARNING, loc, fmt, ap);
	va_end(ap);
	return error ? -1 : 0;
}

void sema_hint(struct sema *s, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (s->quiet || s->muted)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	diag_hint(s->diag, "%s", buf);
}

void sema_note(struct sema *s, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(s, DIAG_NOTE, loc, fmt, ap);
	va_end(ap);
}

struct ast_node *sema_arg(struct ast_node *call, int n)
{
	struct ast_node *a = call->body;

	while (a && n-- > 0)
		a = a->next;
	return a;
}

/* ---- constants ------------------------------------------------------------ */

static bool const_eval(struct sema *s, struct ast_node *n, int64_t *v)
{
	int64_t a, b;

	switch (n->kind) {
	case AST_INT:
	case AST_BOOL:
		*v = n->ival;
		return true;
	case AST_POSITIONAL:
		if (n->is_count) {
			*v = s->opt ? s->opt->nparams : 0;
			return true;
		}
		if (n->type && ty_is_int(n->type)) {
			*v = (int64_t)(intptr_t)n->sema_data;
			return true;
		}
		return false;
	case AST_UNOP:
		if (!const_eval(s, n->lhs, &a))
			return false;
		switch (n->op) {
		case '-':
			*v = (int64_t)(0 - (uint64_t)a);
			return true;
		case '~':
			*v = ~a;
			return true;
		case '!':
			*v = !a;
			return true;
		}
		return false;
	case AST_BINOP:
		if (!const_eval(s, n->lhs, &a) || !const_eval(s, n->rhs, &b))
			return false;
		switch (n->op) {
		case '+':
			*v = (int64_t)((uint64_t)a + (uint64_t)b);
			return true;
		case '-':
			*v = (int64_t)((uint64_t)a - (uint64_t)b);
			return true;
		case '*':
			*v = (int64_t)((uint64_t)a * (uint64_t)b);
			return true;
		case '/':
			if (!b)
				return false;
			*v = a / b;
			return true;
		case '%':
			if (!b)
				return false;
			*v = a % b;
			return true;
		case TOK_SHL:
			*v = (int64_t)((uint64_t)a << (b & 63));
			return true;
		case TOK_SHR:
			*v = a >> (b & 63);
			return true;
		case '&':
			*v = a & b;
			return true;
		case '|':
			*v = a | b;
			return true;
		case '^':
			*v = a ^ b;
			return true;
		case TOK_EQ:
			*v = a == b;
			return true;
		case TOK_NE:
			*v = a != b;
			return true;
		case TOK_LAND:
			*v = a && b;
			return true;
		case TOK_LOR:
			*v = a || b;
			return true;
		}
		return false;
	case AST_CALL:
		/* is_str(x)...: answered when checked (builtin_ops.constant) */
		if (n->sema_builtin && n->sema_builtin->constant && n->type &&
		    n->type->kind != TY_NONE) {
			*v = (int64_t)(intptr_t)n->sema_data;
			return true;
		}
		return false;
	default:
		return false;
	}
}

/* Whether c asks a compile-time type question (is_str(x)...): such an `if`
 * checks and generates only its taken branch. */
static bool asks_type(const struct ast_node *c)
{
	if (!c)
		return false;
	if (c->kind == AST_CALL)
		return c->sema_builtin && c->sema_builtin->constant;
	if (c->kind == AST_UNOP || c->kind == AST_BINOP)
		return asks_type(c->lhs) || asks_type(c->rhs);
	return false;
}

int sema_const_int(struct sema *s, struct ast_node *n, int64_t *v)
{
	if (!n)
		return -1;
	check_expr(s, n);
	if (const_eval(s, n, v))
		return 0;
	sema_error(s, n->loc, "expected a constant integer here");
	return -1;
}

/* ---- resources ------------------------------------------------------------- */

struct res_probe *sema_add_probe(struct sema *s, const struct probe_ops *ops, const char *spec,
				 struct loc loc)
{
	struct resources *r = s->res;
	struct res_probe *p = ARENA_NEW(s->arena, struct res_probe);
	struct res_probe **np;
	char *name;
	int i;

	p->ops = ops;
	p->index = r->nprobes;
	p->spec = arena_strdup(s->arena, spec);
	p->loc = loc;
	name = arena_printf(s->arena, "p%d_%s", p->index, spec);
	for (i = 0; name[i]; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9')))
			name[i] = '_';
	if (i > 60)
		name[60] = '\0';
	p->prog_name = name;
	np = ARENA_NEWN(s->arena, struct res_probe *, r->nprobes + 1);
	if (r->nprobes)
		memcpy(np, r->probes, sizeof(*np) * (size_t)r->nprobes);
	np[r->nprobes++] = p;
	r->probes = np;
	if (ops->pid_filter && s->opt && s->opt->target_pid > 0)
		r->filter_pid = s->opt->target_pid;
	if (ops->is_begin)
		r->nbegin++;
	if (ops->is_end)
		r->nend++;

	np = ARENA_NEWN(s->arena, struct res_probe *, s->npoints + 1);
	if (s->npoints)
		memcpy(np, s->points, sizeof(*np) * (size_t)s->npoints);
	np[s->npoints++] = p;
	s->points = np;
	return p;
}

struct res_event *sema_add_event(struct sema *s, enum res_event_kind kind,
				 const struct builtin_ops *ops, struct ast_node *call)
{
	struct resources *r = s->res;
	struct res_event *ev, **nev;

	if (s->quiet)
		return NULL;
	ev = ARENA_NEW(s->arena, struct res_event);
	ev->id = r->nevents;
	ev->kind = kind;
	ev->ops = ops;
	ev->map_id = -1;
	ev->loc = call->loc;
	nev = ARENA_NEWN(s->arena, struct res_event *, r->nevents + 1);
	if (r->nevents)
		memcpy(nev, r->events, sizeof(*nev) * (size_t)r->nevents);
	nev[r->nevents++] = ev;
	r->events = nev;
	call->sema_id = ev->id;
	return ev;
}

static struct res_map *add_map(struct sema *s, const char *name, struct loc loc)
{
	struct res_map *m = ARENA_NEW(s->arena, struct res_map);
	struct resources *r = s->res;
	struct res_map **nm;
	char *elf;
	int i;

	m->name = arena_strdup(s->arena, name);
	m->id = r->nmaps;
	m->loc = loc;
	elf = arena_printf(s->arena, "AT_%s", name + 1);
	for (i = 0; elf[i]; i++)
		if (!((elf[i] >= 'a' && elf[i] <= 'z') || (elf[i] >= 'A' && elf[i] <= 'Z') ||
		      (elf[i] >= '0' && elf[i] <= '9') || elf[i] == '_'))
			elf[i] = '_';
	m->elf_name = elf;
	m->max_entries = r->config.max_map_keys;
	nm = ARENA_NEWN(s->arena, struct res_map *, r->nmaps + 1);
	if (r->nmaps)
		memcpy(nm, r->maps, sizeof(*nm) * (size_t)r->nmaps);
	nm[r->nmaps++] = m;
	r->maps = nm;
	return m;
}

static struct res_map *find_map(struct sema *s, const char *name)
{
	int i;

	for (i = 0; i < s->res->nmaps; i++)
		if (!s->res->maps[i]->internal && !strcmp(s->res->maps[i]->name, name))
			return s->res->maps[i];
	return NULL;
}

static struct res_map *internal_map(struct sema *s, const char *name, const char *elf,
				    enum res_map_kind kind)
{
	struct res_map *m = add_map(s, "@internal", (struct loc){0});

	m->name = name;
	m->elf_name = elf;
	m->internal = true;
	m->kind = kind;
	return m;
}

struct res_map *sema_internal_map(struct sema *s, const char *name, const char *elf_name,
				  enum res_map_kind kind, uint32_t key_size, uint32_t value_size,
				  uint32_t max_entries)
{
	struct res_map *m;
	int i;

	for (i = 0; i < s->res->nmaps; i++)
		if (s->res->maps[i]->internal && !strcmp(s->res->maps[i]->name, name))
			return s->res->maps[i];
	m = internal_map(s, name, elf_name, kind);
	m->key_size = key_size;
	m->value_size = value_size;
	m->max_entries = max_entries;
	return m;
}

/* ---- scopes ------------------------------------------------------------------ */

static void scope_push(struct sema *s)
{
	struct scope *sc = ARENA_NEW(s->arena, struct scope);

	sc->parent = s->scope;
	s->scope = sc;
}

static void scope_pop(struct sema *s)
{
	s->scope = s->scope->parent;
}

static struct scope_var *scope_find(struct sema *s, const char *name)
{
	struct scope *sc;
	int i;

	for (sc = s->scope; sc; sc = sc->parent)
		for (i = 0; i < sc->vars.len; i++) {
			struct scope_var *v = sc->vars.items[i];

			if (!strcmp(v->name, name))
				return v;
		}
	return NULL;
}

static struct scope_var *scope_declare(struct sema *s, struct ast_node *var, struct hk_type *t)
{
	struct scope_var *v = ARENA_NEW(s->arena, struct scope_var);

	/* The quiet pass left the type it learned from every assignment on the
	 * declaring node: start from it so later, bigger values fit. */
	if (var->sema_var && var->sema_var->type && t) {
		struct hk_type *u = ty_unify(s->arena, var->sema_var->type, t);

		if (u)
			t = u;
	}
	v->name = var->name;
	v->type = t;
	v->loc = var->loc;
	v->id = s->nvars++;
	ptrvec_push(s->arena, &s->scope->vars, v);
	return v;
}

/*
 * `$x` read before its first assignment (bpftrace 0.23+): the variable of a
 * later `$x = ...` in the same statement list or an enclosing one, typed
 * by what the quiet pass learned from that assignment; it reads as zero
 * until assigned (codegen zeroes it on entry).
 * NULL when there is no such assignment.
 */
static struct scope_var *declare_before_assign(struct sema *s, struct ast_node *n)
{
	struct scope_var *v = NULL;
	struct hk_type *t = NULL;
	struct scope *sc = NULL, *saved;
	int i, frame = 0, max = (int)(sizeof(s->blocks) / sizeof(s->blocks[0]));

	for (i = (s->nblocks < max ? s->nblocks : max) - 1; i >= 0 && !sc; i--) {
		struct ast_node *st;

		for (st = s->blocks[i].cur; st; st = st->next)
			if (st->kind == AST_ASSIGN && st->op == '=' && st->lhs->kind == AST_VAR &&
			    !strcmp(st->lhs->name, n->name)) {
				if (st->lhs->sema_var && st->lhs->sema_var->type)
					t = st->lhs->sema_var->type;
				sc = s->blocks[i].scope;
				frame = i;
				break;
			}
	}
	if (!sc || !t)
		return NULL;
	saved = s->scope;
	s->scope = sc;
	v = scope_declare(s, n, t);
	s->scope = saved;
	if (!s->quiet) {
		struct ast_node *let = ast_new(s->arena, AST_LET, n->loc);
		struct ast_node *var = ast_new(s->arena, AST_VAR, n->loc);

		var->name = n->name;
		var->sema_var = v;
		var->type = t;
		let->lhs = var;
		let->sema_data = v; /* checked already: check_stmt skips it */
		let->next = s->blocks[frame].zero;
		s->blocks[frame].zero = let;
	}
	sema_warn(s, n->loc, "variable '%s' is used before it is assigned: it reads as zero",
		  n->name);
	return v;
}

/* ---- types of values that are stored (maps, variables, events) ----------- */

/* Integers are kept as 64-bit values in registers; stored values keep the
 * signedness of what was stored, at 64 bits, as bpftrace does. */
static struct hk_type *storage_type(struct sema *s, struct hk_type *t)
{
	int i;

	if (!t)
		return &ty_none;
	if (t->kind == TY_INT && !t->is_enum)
		return ty_int(8, t->is_signed);
	if (t->kind == TY_STRUCT || t->kind == TY_ARRAY)
		stdlib_btf_complete_deep(s, t); /* stored whole: printed with its fields */
	if (t->kind == TY_TUPLE || t->kind == TY_RECORD) {
		struct hk_type **el = ARENA_NEWN(s->arena, struct hk_type *, t->nfields);
		const char **names = NULL;
		bool same = true;

		if (t->kind == TY_RECORD)
			names = ARENA_NEWN(s->arena, const char *, t->nfields);
		for (i = 0; i < t->nfields; i++) {
			el[i] = storage_type(s, t->fields[i].type);
			if (names)
				names[i] = t->fields[i].name;
			if (el[i] != t->fields[i].type)
				same = false;
		}
		return same ? t : ty_tuple(s->arena, el, names, t->nfields);
	}
	return t;
}

static bool storable(const struct hk_type *t)
{
	int i;

	switch (t->kind) {
	case TY_NONE:
	case TY_VOIDPTR_TARGET:
	case TY_AGG:
		return false;
	case TY_TUPLE:
	case TY_RECORD:
		for (i = 0; i < t->nfields; i++)
			if (!storable(t->fields[i].type))
				return false;
		return true;
	default:
		return true;
	}
}

/* ---- expressions ------------------------------------------------------------- */

static const char *const *builtin_and_probe_names(struct sema *s)
{
	return stdlib_builtin_names();
}

static struct hk_type *check_ident(struct sema *s, struct ast_node *n)
{
	const struct builtin_ops *b = stdlib_builtin(n->name);
	const char *sug;
	int i, rc = 1;

	if (s->cur_fn && b && b->probe_ctx) {
		/* a fn body is checked once, for every probe that calls it */
		sema_error(s, n->loc,
			   "'%s' cannot be used in a function (fn %s): it has no probe context",
			   n->name, s->cur_fn->name);
		sema_hint(s, "pass the value as an argument");
		return n->type = &ty_none;
	}
	if (b && b->kind == BI_VARIABLE) {
		n->sema_builtin = b;
		n->type = &ty_none;
		if (b->check(s, n) < 0)
			n->type = &ty_none;
		return n->type;
	}
	/* Probe-specific builtins: every attach point of the probe must know it. */
	for (i = 0; i < s->npoints; i++) {
		struct res_probe *p = s->points[i];

		if (!p->ops->check_ident)
			continue;
		rc = p->ops->check_ident(s, p, n);
		if (rc != 0)
			break;
	}
	if (rc == 0 && s->npoints) {
		if (s->map_loop_depth) {
			sema_error(s, n->loc, "'%s' cannot be used inside a for loop over a map",
				   n->name);
			sema_hint(s, "copy it into a variable before the loop");
			return n->type = &ty_none;
		}
		return n->type;
	}
	if (rc < 0)
		return n->type = &ty_none;
	n->type = &ty_none;
	if (b) {
		sema_error(s, n->loc, "%s() is a function: call it as %s(...)", n->name, n->name);
		return n->type;
	}
	sema_error(s, n->loc, "unknown identifier '%s'", n->name);
	if (s->cur_fn) {
		sema_hint(s,
			  "fn %s has no probe context: probe builtins (args, arg0, retval, "
			  "func...) cannot be used in it; pass the value as an argument",
			  s->cur_fn->name);
		return n->type;
	}
	sug = diag_suggest(n->name, builtin_and_probe_names(s));
	if (sug)
		sema_hint(s, "did you mean '%s'?", sug);
	return n->type;
}

static struct ast_node *find_fn(struct sema *s, const char *name)
{
	for (int i = 0; i < s->fns.len; i++) {
		struct ast_node *f = s->fns.items[i];

		if (!strcmp(f->name, name))
			return f;
	}
	return NULL;
}

/* A fn's declared return type: NULL for void (no type, or `: void`). */
static struct hk_type *fn_ret_type(const struct ast_node *f)
{
	return f->vtype && f->vtype->type ? f->vtype->type : NULL;
}

/* A call of a user-defined function: n->sema_data is the AST_FN. */
static struct hk_type *check_fn_call(struct sema *s, struct ast_node *n, struct ast_node *f)
{
	int nargs = ast_list_len(n->body), nparams = ast_list_len(f->params), i = 0;
	struct ast_node *a, *p;

	n->type = &ty_none;
	for (a = n->body; a; a = a->next)
		check_expr(s, a);
	if (nargs != nparams) {
		sema_error(s, n->loc, "function '%s' takes %d argument%s, %d given", f->name,
			   nparams, nparams == 1 ? "" : "s", nargs);
		sema_note(s, f->loc, "'%s' is defined here", f->name);
		return n->type;
	}
	for (a = n->body, p = f->params; a && p; a = a->next, p = p->next) {
		struct hk_type *want = p->lhs->type;

		i++;
		if (!want || !a->type || a->type->kind == TY_NONE)
			continue;
		if (!ty_compatible(want, a->type) ||
		    (want->kind == TY_STRING && a->type->size > want->size)) {
			sema_error(s, a->loc, "argument %d of '%s' (%s): expected %s, got %s", i,
				   f->name, p->lhs->name, ty_name(s->arena, want),
				   ty_name(s->arena, a->type));
			sema_note(s, p->loc, "the parameter is declared here");
		}
	}
	n->sema_data = f;
	if (fn_ret_type(f))
		n->type = fn_ret_type(f);
	return n->type;
}

/* "did you mean" among the program's fns */
static const char *fn_suggest(struct sema *s, const char *name)
{
	const char **names = ARENA_NEWN(s->arena, const char *, (size_t)s->fns.len + 1);

	for (int i = 0; i < s->fns.len; i++)
		names[i] = ((struct ast_node *)s->fns.items[i])->name;
	names[s->fns.len] = NULL;
	return diag_suggest(name, names);
}

static struct hk_type *check_call(struct sema *s, struct ast_node *n, bool as_map_value)
{
	const struct builtin_ops *b = stdlib_builtin(n->name);
	int nargs = ast_list_len(n->body);
	struct ast_node *a, *f;
	const char *sug;

	n->type = &ty_none;
	if ((f = find_fn(s, n->name)))
		return check_fn_call(s, n, f);
	if (b && s->cur_fn && b->probe_ctx) {
		sema_error(s, n->loc,
			   "%s() cannot be used in a function (fn %s): it has no probe context",
			   n->name, s->cur_fn->name);
		return n->type;
	}
	if (!b) {
		struct loc nl = n->loc;

		/* underline just the name */
		nl.last_line = nl.first_line;
		nl.last_column = nl.first_column + (int)strlen(n->name) - 1;
		sema_error(s, nl, "unknown function '%s'", n->name);
		sug = fn_suggest(s, n->name);
		if (!sug)
			sug = diag_suggest(n->name, stdlib_builtin_names());
		if (sug)
			sema_hint(s, "did you mean '%s'?", sug);
		for (a = n->body; a; a = a->next)
			check_expr(s, a);
		return n->type;
	}
	n->sema_builtin = b;
	if (b->kind == BI_AGG && !as_map_value) {
		sema_error(s, n->loc, "%s() must be assigned directly to a map, as in @x = %s(...)",
			   n->name, n->name);
		return n->type;
	}
	if (nargs < b->min_args || (b->max_args >= 0 && nargs > b->max_args)) {
		if (b->min_args == b->max_args)
			sema_error(s, n->loc, "%s() takes %d argument%s, %d given", n->name,
				   b->min_args, b->min_args == 1 ? "" : "s", nargs);
		else if (b->max_args < 0)
			sema_error(s, n->loc, "%s() takes at least %d argument%s, %d given",
				   n->name, b->min_args, b->min_args == 1 ? "" : "s", nargs);
		else
			sema_error(s, n->loc, "%s() takes %d to %d arguments, %d given", n->name,
				   b->min_args, b->max_args, nargs);
		return n->type;
	}
	if (b->check(s, n) < 0)
		n->type = &ty_none;
	if (!n->type)
		n->type = &ty_none;
	return n->type;
}

/* Every place that writes a map gets a warning event for a failed update
 * ("map full"), sent only when the update fails; its id + 1 is kept on the
 * map node (0: none). */
static void map_update_event(struct sema *s, struct ast_node *map)
{
	static struct hk_type *one[1] = {&ty_s64};
	static uint32_t off[1] = {0};
	struct res_event *ev;

	if (s->quiet || !map || map->kind != AST_MAP)
		return;
	ev = sema_add_event(s, EV_HELPER_ERROR, NULL, map);
	ev->fmt = "map full; can't update element";
	ev->helper = "map_update_elem";
	ev->hint = "try increasing the max_map_keys config or set the size in a map "
		   "declaration, e.g. `let @a = hash(5000)`";
	ev->nargs = 1;
	ev->args = one;
	ev->offsets = off;
	ev->size = 8;
	map->sema_id = ev->id + 1;
}

/* A map used as a value: @m or @m[k]. */
static struct res_map *check_map_ref(struct sema *s, struct ast_node *n, bool assigning)
{
	struct res_map *m = find_map(s, n->name);
	struct hk_type *kt = NULL;

	if (n->lhs) {
		kt = check_expr(s, n->lhs);
		if (!storable(kt)) {
			sema_error(s, n->lhs->loc, "a value of type %s cannot be a map key",
				   ty_name(s->arena, kt));
			kt = NULL;
		} else {
			kt = storage_type(s, kt);
		}
	}
	if (!m) {
		if (!assigning && !s->quiet) {
			sema_error(s, n->loc, "undefined map '%s': it is never assigned", n->name);
			return NULL;
		}
		m = add_map(s, n->name, n->loc);
		m->key = kt;
	} else if (kt || m->key) {
		if (!kt && m->key) {
			sema_error(s, n->loc, "map '%s' is used with a key (%s) elsewhere", n->name,
				   ty_name(s->arena, m->key));
		} else if (kt && !m->key && m->value) {
			if (m->key_size == 0 && !s->quiet && m->value)
				sema_error(s, n->loc, "map '%s' is used without a key elsewhere",
					   n->name);
		} else if (kt && m->key) {
			struct hk_type *u = ty_unify(s->arena, m->key, kt);

			if (!u)
				sema_error(s, n->loc,
					   "type mismatch for %s: it has keys of type %s; this key "
					   "is %s",
					   n->name, ty_name(s->arena, m->key),
					   ty_name(s->arena, kt));
			else
				m->key = u;
		} else if (kt && !m->key) {
			m->key = kt;
		}
	}
	n->sema_map = m;
	return m;
}

static struct hk_type *check_map_read(struct sema *s, struct ast_node *n)
{
	struct res_map *m = check_map_ref(s, n, false);

	n->type = &ty_none;
	if (!m)
		return n->type;
	if (!m->value) {
		if (!s->quiet)
			sema_error(s, n->loc, "map '%s' is read but never assigned a value",
				   n->name);
		return n->type;
	}
	if (m->value->kind == TY_AGG) {
		if (!m->value->agg->lower_combine) {
			sema_error(s, n->loc, "a %s map cannot be used as a value",
				   m->value->agg->type_name);
			sema_note(s, n->loc, "print it with print(%s)", n->name);
			return n->type;
		}
		return n->type = ty_int(8, m->value->is_signed);
	}
	return n->type = m->value;
}

static bool is_string_like(const struct hk_type *t)
{
	return t->kind == TY_STRING;
}

/* Tuples compare with == and != field by field: strings with strings,
 * scalars with scalars, tuples with tuples. */
static bool tuples_comparable(const struct hk_type *l, const struct hk_type *r)
{
	int i;

	if (l->kind != TY_TUPLE || r->kind != TY_TUPLE || l->nfields != r->nfields)
		return false;
	for (i = 0; i < l->nfields; i++) {
		const struct hk_type *a = l->fields[i].type, *b = r->fields[i].type;

		if (!((a->kind == TY_STRING && b->kind == TY_STRING) ||
		      (ty_is_scalar(a) && ty_is_scalar(b)) || tuples_comparable(a, b)))
			return false;
	}
	return true;
}

static struct hk_type *check_binop(struct sema *s, struct ast_node *n)
{
	struct hk_type *l = check_expr(s, n->lhs), *r = check_expr(s, n->rhs);
	const char *op = ast_op_name(n->op);

	if (l->kind == TY_NONE || r->kind == TY_NONE)
		return n->type = &ty_none;
	switch (n->op) {
	case TOK_LAND:
	case TOK_LOR:
		if (!ty_is_scalar(l) || !ty_is_scalar(r)) {
			sema_error(s, n->loc,
				   "operator '%s' needs integer, bool or pointer operands", op);
			return n->type = &ty_none;
		}
		return n->type = &ty_bool;
	case TOK_EQ:
	case TOK_NE:
	case '<':
	case '>':
	case TOK_LE:
	case TOK_GE:
		if (is_string_like(l) && is_string_like(r))
			return n->type = &ty_bool;
		if (ty_is_scalar(l) && ty_is_scalar(r))
			return n->type = &ty_bool;
		if ((n->op == TOK_EQ || n->op == TOK_NE) && tuples_comparable(l, r))
			return n->type = &ty_bool;
		sema_error(s, n->loc, "cannot compare %s with %s", ty_name(s->arena, l),
			   ty_name(s->arena, r));
		return n->type = &ty_none;
	default:
		break;
	}
	if (l->kind == TY_PTR && ty_is_int(r) && (n->op == '+' || n->op == '-'))
		return n->type = l;
	if (!ty_is_int(l) || !ty_is_int(r)) {
		sema_error(s, n->loc, "operator '%s' needs integer operands, not %s and %s", op,
			   ty_name(s->arena, l), ty_name(s->arena, r));
		return n->type = &ty_none;
	}
	/* 64-bit arithmetic: unsigned only when both sides are. */
	{
		bool ls = l->kind == TY_INT && l->is_signed, rs = r->kind == TY_INT && r->is_signed;

		if (n->op == '-')
			return n->type = &ty_s64; /* bpftrace 0.26: subtraction is signed */
		return n->type = (ls || rs) ? &ty_s64 : &ty_u64;
	}
}

static struct hk_type *check_unop(struct sema *s, struct ast_node *n)
{
	struct hk_type *t;

	if (n->op == '&') {
		/* &$x: the address of a variable's storage (BPF stack or scratch),
		 * a kernel pointer; `*$p` reads it back */
		if (n->lhs->kind != AST_VAR) {
			sema_error(s, n->loc, "the address-of operator takes a variable ($x)");
			if (n->lhs->kind == AST_MAP)
				sema_note(s, n->lhs->loc,
					  "map values have no fixed address: copy it into a "
					  "variable first");
			return n->type = &ty_none;
		}
		t = check_expr(s, n->lhs);
		if (t->kind == TY_NONE)
			return n->type = &ty_none;
		return n->type = ty_ptr(s->arena, t, AS_KERNEL);
	}
	t = check_expr(s, n->lhs);

	if (t->kind == TY_NONE)
		return n->type = &ty_none;
	switch (n->op) {
	case '!':
		if (!ty_is_scalar(t))
			break;
		return n->type = &ty_bool;
	case '-':
		if (!ty_is_int(t))
			break;
		return n->type = &ty_s64;
	case '~':
		if (!ty_is_int(t))
			break;
		return n->type = ty_int(8, t->kind == TY_INT && t->is_signed);
	case '*':
		if (t->kind != TY_PTR || !t->elem || t->elem->kind == TY_VOIDPTR_TARGET) {
			sema_error(s, n->loc, "cannot dereference a value of type %s",
				   ty_name(s->arena, t));
			return n->type = &ty_none;
		}
		return n->type = t->elem;
	}
	sema_error(s, n->loc, "operator '%c' cannot be applied to %s", n->op, ty_name(s->arena, t));
	return n->type = &ty_none;
}

static bool is_lvalue(const struct ast_node *n)
{
	return n->kind == AST_VAR || n->kind == AST_MAP;
}

static struct hk_type *check_assign_target(struct sema *s, struct ast_node *lhs, struct hk_type *vt,
					   struct ast_node *rhs);

static struct hk_type *check_incdec(struct sema *s, struct ast_node *n)
{
	struct ast_node *l = n->lhs;
	struct hk_type *t;

	if (!is_lvalue(l)) {
		sema_error(s, n->loc, "'%s' needs a variable or a map element",
			   n->op == TOK_INC ? "++" : "--");
		return n->type = &ty_none;
	}
	if (l->kind == AST_VAR) {
		struct scope_var *v = scope_find(s, l->name);

		if (!v) {
			v = scope_declare(s, l, &ty_s64);
		}
		l->sema_var = v;
		l->type = v->type;
		t = v->type;
	} else {
		struct res_map *m = check_map_ref(s, l, true);

		if (!m)
			return n->type = &ty_none;
		map_update_event(s, l);
		if (!m->value)
			m->value = &ty_s64;
		l->type = m->value;
		t = m->value;
	}
	if (t && t->kind == TY_PTR && l->kind == AST_VAR)
		return n->type = t; /* `$p++` steps over one element */
	if (!t || !ty_is_int(t) || t->kind == TY_BOOL) {
		sema_error(s, n->loc, "'%s' needs an integer, not %s",
			   n->op == TOK_INC ? "++" : "--", ty_name(s->arena, t));
		return n->type = &ty_none;
	}
	return n->type = t;
}

/* "T has no field 'x'" (the probe context is called args), with the closest
 * field name as a suggestion. */
static void no_such_field(struct sema *s, struct loc loc, const struct hk_type *t, const char *name)
{
	const char *names[256];
	const char *sug;
	int i, k = 0;

	for (i = 0; i < t->nfields && k < 255; i++)
		if (t->fields[i].name)
			names[k++] = t->fields[i].name;
	names[k] = NULL;
	sema_error(s, loc, "%s has no field '%s'", t->is_ctx ? "args" : ty_name(s->arena, t), name);
	if (t->why_no_field && (sug = t->why_no_field(s->arena, t, name))) {
		sema_hint(s, "%s", sug);
		return;
	}
	sug = diag_suggest(name, names);
	if (sug)
		sema_hint(s, "did you mean '%s'?", sug);
}

static struct hk_type *check_field(struct sema *s, struct ast_node *n)
{
	struct hk_type *t = check_expr(s, n->lhs);
	const struct ty_field *f;

	if (t->kind == TY_NONE)
		return n->type = &ty_none;
	if (n->kind == AST_ARROW && t->kind == TY_STRUCT && t->is_ctx) {
		/* `args->x` where args is a struct value (uprobe with DWARF) */
	} else if (n->kind == AST_ARROW) {
		if (t->kind != TY_PTR || !t->elem || t->elem->kind != TY_STRUCT) {
			sema_error(s, n->loc, "'->' needs a pointer to a struct, not %s",
				   ty_name(s->arena, t));
			return n->type = &ty_none;
		}
		t = t->elem;
	} else if (t->kind == TY_PTR && t->elem && t->elem->kind == TY_STRUCT) {
		t = t->elem; /* bpftrace 0.26: '.' dereferences pointers too */
	}
	stdlib_btf_complete(s, t); /* kernel structs get their fields on first use */
	if (t->kind == TY_TUPLE && n->is_count) {
		if (n->ival < 0 || n->ival >= t->nfields) {
			sema_error(s, n->loc,
				   "tuple index %lld out of range: the tuple has %d fields",
				   (long long)n->ival, t->nfields);
			return n->type = &ty_none;
		}
		return n->type = t->fields[n->ival].type;
	}
	if (t->kind != TY_STRUCT && t->kind != TY_RECORD) {
		sema_error(s, n->loc, "a value of type %s has no field '%s'", ty_name(s->arena, t),
			   n->name);
		return n->type = &ty_none;
	}
	f = ty_field_find(t, n->name);
	if (!f) {
		no_such_field(s, n->loc, t, n->name);
		return n->type = &ty_none;
	}
	return n->type = f->type;
}

/* The type an AST_TYPE names, or NULL after an error. Integer types, bool,
 * string[N], buffer[N], pointers to them (any depth) and arrays of them;
 * struct/union/enum types come with kernel BTF support. */
static struct hk_type *resolve_type(struct sema *s, struct ast_node *ty)
{
	static const struct {
		const char *name;
		int size;
		bool sgn;
	} ints[] = {
		{"int8", 1, 1},	 {"int16", 2, 1},  {"int32", 4, 1},  {"int64", 8, 1},
		{"uint8", 1, 0}, {"uint16", 2, 0}, {"uint32", 4, 0}, {"uint64", 8, 0},
	};
	struct hk_type *t = NULL;
	enum ty_addrspace as = AS_NONE;
	bool sized = false;
	size_t i;
	int64_t d;

	if (ty->lhs) {
		/* typeof(expr): checked for its type, never evaluated */
		t = check_expr(s, ty->lhs);
		if (t->kind == TY_NONE)
			return NULL;
		sized = true;
	}
	for (i = 0; !t && i < sizeof(ints) / sizeof(ints[0]); i++)
		if (!strcmp(ty->name, ints[i].name))
			t = ty_int(ints[i].size, ints[i].sgn);
	if (!t && !strcmp(ty->name, "bool"))
		t = &ty_bool;
	if (!t && !strcmp(ty->name, "void")) {
		if (!ty->ival) {
			sema_error(s, ty->loc,
				   "type 'void' has no size: only a pointer to it can be used");
			return NULL;
		}
		t = &ty_voidptr_target;
	}
	if (!t && !strcmp(ty->name, "string")) {
		t = ty_string(s->arena, ty->uval ? (uint32_t)ty->uval : s->res->config.max_strlen);
		sized = true;
	}
	if (!t && !strcmp(ty->name, "buffer")) {
		if (!ty->uval) {
			sema_error(s, ty->loc, "a buffer type needs a size, as in buffer[16]");
			return NULL;
		}
		t = ty_buffer(s->arena, (uint32_t)ty->uval);
		sized = true;
	}
	if (!t && s->cdefs && (t = cdecl_find(s->cdefs, ty->name))) {
		/* the script's own C types come before the kernel's */
		if (t->kind == TY_PTR) /* a typedef of a pointer: casts may change `as` */
			t = ty_ptr(s->arena, t->elem, t->as);
	} else if (!t) {
		/* struct/union/enum and typedef names from the kernel's BTF */
		const char *hint = NULL;

		t = stdlib_btf_type(s, ty->name, &hint);
		if (!t) {
			sema_error(s, ty->loc, "unknown type '%s'", ty->name);
			if (hint)
				sema_hint(s, "%s", hint);
			return NULL;
		}
		if (t->kind == TY_VOIDPTR_TARGET && !ty->ival) {
			sema_error(s, ty->loc,
				   "type '%s' has no size: only a pointer to it can be used",
				   ty->name);
			return NULL;
		}
		if (t->kind == TY_PTR) { /* a typedef of a pointer: casts may change `as` */
			t = ty_ptr(s->arena, t->elem, t->as);
		}
		as = AS_KERNEL;
	}
	if (ty->uval && !sized)
		t = ty_array(s->arena, t, (uint32_t)ty->uval);
	for (d = 0; d < ty->ival; d++)
		t = ty_ptr(s->arena, t, as);
	return t;
}

/*
 * sizeof(name) and offsetof(name, f) with a bare name: the scanner cannot
 * tell a typedef's name from a value's, so a name that is a typedef of the
 * script or of the kernel (and not a builtin) becomes the type operand.
 */
static void ident_as_type(struct sema *s, struct ast_node *n)
{
	struct ast_node *id = n->lhs, *ty;

	if (!id || id->kind != AST_IDENT)
		return;
	if (!(s->cdefs && cdecl_find(s->cdefs, id->name)) && !stdlib_type_name(id->name))
		return;
	ty = ARENA_NEW(s->arena, struct ast_node);
	ty->kind = AST_TYPE;
	ty->loc = id->loc;
	ty->name = id->name;
	n->vtype = ty;
	n->lhs = NULL;
}

/* offsetof(struct X, a.b) or offsetof(expr, a.b): a constant (sema_data). */
static struct hk_type *check_offsetof(struct sema *s, struct ast_node *n)
{
	struct hk_type *t;
	const char *p = n->str;
	uint64_t off = 0;

	ident_as_type(s, n);
	t = n->vtype ? resolve_type(s, n->vtype) : check_expr(s, n->lhs);

	if (!t || t->kind == TY_NONE)
		return n->type = &ty_none;
	while (p && *p) {
		const char *dot = strchr(p, '.');
		const char *name = dot ? arena_strndup(s->arena, p, (size_t)(dot - p)) : p;
		const struct ty_field *f;

		stdlib_btf_complete(s, t);
		if (t->kind != TY_STRUCT && t->kind != TY_RECORD) {
			sema_error(s, n->loc, "offsetof needs a struct, not %s",
				   ty_name(s->arena, t));
			return n->type = &ty_none;
		}
		f = ty_field_find(t, name);
		if (!f) {
			no_such_field(s, n->loc, t, name);
			return n->type = &ty_none;
		}
		if (f->bit_size) {
			sema_error(s, n->loc, "offsetof cannot name a bitfield ('%s')", name);
			return n->type = &ty_none;
		}
		off += f->offset;
		t = f->type;
		p = dot ? dot + 1 : "";
	}
	n->sema_data = (void *)(uintptr_t)off;
	return n->type = &ty_u64;
}

static struct hk_type *check_cast(struct sema *s, struct ast_node *n)
{
	struct hk_type *from = check_expr(s, n->lhs), *to;

	if (from->kind == TY_NONE)
		return n->type = &ty_none;
	to = resolve_type(s, n->vtype);
	if (!to)
		return n->type = &ty_none;
	if ((to->kind == TY_INT || to->kind == TY_BOOL || to->kind == TY_PTR) &&
	    ty_is_scalar(from)) {
		if (to->kind == TY_PTR && from->kind == TY_PTR && from->as != AS_NONE)
			to->as = from->as;
		return n->type = to;
	}
	/* an integer's bytes as an array of integers (little-endian, the low
	 * bytes when the array is smaller), and back */
	if (to->kind == TY_ARRAY && to->elem->kind == TY_INT && from->kind == TY_INT &&
	    to->size <= from->size)
		return n->type = to;
	if (to->kind == TY_INT && from->kind == TY_ARRAY && from->elem->kind == TY_INT &&
	    from->size == to->size)
		return n->type = to;
	sema_error(s, n->loc, "cannot cast %s to %s", ty_name(s->arena, from),
		   ty_name(s->arena, to));
	if (to->kind == TY_ARRAY && from->kind == TY_INT)
		sema_hint(s, "an integer converts to an array of at most its own size (%u bytes)",
			  from->size);
	if (to->kind == TY_STRUCT && ty_is_scalar(from))
		sema_hint(s, "did you mean a pointer: (%s *)?", ty_name(s->arena, to));
	return n->type = &ty_none;
}

/* x[i]: a character of a string (int8), an element of an array or of the
 * memory a pointer points at, a field of a tuple (constant i). A constant
 * index is checked here and kept for codegen: sema_id 1, value in ival. */
static struct hk_type *check_index(struct sema *s, struct ast_node *n)
{
	struct hk_type *t = check_expr(s, n->lhs), *it = check_expr(s, n->rhs);
	int64_t v = 0;
	int64_t count = -1;

	if (t->kind == TY_NONE || it->kind == TY_NONE)
		return n->type = &ty_none;
	if (!ty_is_int(it)) {
		sema_error(s, n->rhs->loc, "an index must be an integer, not %s",
			   ty_name(s->arena, it));
		return n->type = &ty_none;
	}
	n->sema_id = const_eval(s, n->rhs, &v);
	n->ival = v;
	switch (t->kind) {
	case TY_STRING:
		count = t->size;
		n->type = &ty_s8;
		break;
	case TY_ARRAY:
		count = t->count;
		n->type = t->elem;
		break;
	case TY_PTR:
		if (!t->elem || t->elem->kind == TY_VOIDPTR_TARGET || !t->elem->size) {
			sema_error(s, n->loc, "cannot index a value of type %s",
				   ty_name(s->arena, t));
			return n->type = &ty_none;
		}
		return n->type = t->elem;
	case TY_TUPLE:
		if (!n->sema_id) {
			sema_error(s, n->rhs->loc, "a tuple index must be a constant");
			return n->type = &ty_none;
		}
		count = t->nfields;
		n->type = n->ival >= 0 && n->ival < count ? t->fields[n->ival].type : &ty_none;
		break;
	default:
		sema_error(s, n->loc, "a value of type %s cannot be indexed", ty_name(s->arena, t));
		return n->type = &ty_none;
	}
	if (n->sema_id && (v < 0 || v >= count)) {
		sema_error(s, n->rhs->loc, "index %lld is out of range for %s", (long long)v,
			   ty_name(s->arena, t));
		return n->type = &ty_none;
	}
	return n->type;
}

static struct hk_type *check_positional(struct sema *s, struct ast_node *n)
{
	const char *v;
	char *end;
	long long x;

	if (n->is_count) {
		n->sema_data = (void *)(intptr_t)(s->opt ? s->opt->nparams : 0);
		return n->type = &ty_s64;
	}
	if (!s->opt || n->ival > s->opt->nparams) {
		if (!s->quiet && (!s->opt || !s->opt->quiet_warnings))
			sema_warn(s, n->loc, "positional parameter $%lld is not set: it reads as 0",
				  (long long)n->ival);
		n->sema_data = (void *)(intptr_t)0;
		return n->type = &ty_s64;
	}
	v = s->opt->params[n->ival - 1];
	errno = 0;
	x = strtoll(v, &end, 0);
	if (*v && !*end && !errno) {
		n->sema_data = (void *)(intptr_t)x;
		return n->type = &ty_s64;
	}
	n->sema_data = (void *)v;
	return n->type = ty_string(s->arena, (uint32_t)strlen(v) + 1);
}

static struct hk_type *check_expr(struct sema *s, struct ast_node *n)
{
	struct hk_type *t, *u;
	struct ast_node *e;
	int i, cnt;

	switch (n->kind) {
	case AST_INT:
		return n->type = n->is_unsigned ? &ty_u64 : &ty_s64;
	case AST_BOOL:
		return n->type = &ty_bool;
	case AST_STR:
		return n->type = ty_string(s->arena, n->slen + 1);
	case AST_POSITIONAL:
		return check_positional(s, n);
	case AST_VAR: {
		struct scope_var *v = scope_find(s, n->name);

		if (!v)
			v = declare_before_assign(s, n);
		if (!v || !v->type) {
			sema_error(s, n->loc, "variable '%s' is used before it is assigned",
				   n->name);
			sema_hint(
				s,
				"a variable is read as zero before its first assignment only when "
				"that assignment comes later in the same block or an enclosing "
				"one");
			return n->type = &ty_none;
		}
		n->sema_var = v;
		return n->type = v->type;
	}
	case AST_MAP:
		return check_map_read(s, n);
	case AST_IDENT:
		return check_ident(s, n);
	case AST_CALL:
		t = check_call(s, n, false);
		if (n->sema_data && !n->sema_builtin && !fn_ret_type(n->sema_data)) {
			sema_error(s, n->loc, "function '%s' returns no value (void)", n->name);
			t = n->type = &ty_none;
		}
		return t;
	case AST_BINOP:
		return check_binop(s, n);
	case AST_UNOP:
		return check_unop(s, n);
	case AST_INCDEC:
		return check_incdec(s, n);
	case AST_TERNARY:
		t = check_expr(s, n->cond);
		if (t->kind != TY_NONE && !ty_is_scalar(t))
			sema_error(s, n->cond->loc,
				   "a condition must be an integer, bool or pointer, not %s",
				   ty_name(s->arena, t));
		t = n->then ? check_expr(s, n->then) : t;
		u = check_expr(s, n->els);
		if (t->kind == TY_NONE || u->kind == TY_NONE)
			return n->type = &ty_none;
		if (!n->then && !ty_is_scalar(t)) {
			sema_error(s, n->loc, "'?:' needs an integer or pointer on its left");
			return n->type = &ty_none;
		}
		n->type = ty_unify(s->arena, t, u);
		if (!n->type) {
			sema_error(s, n->loc,
				   "the two branches of '?:' have different types: %s and %s",
				   ty_name(s->arena, t), ty_name(s->arena, u));
			return n->type = &ty_none;
		}
		if (ty_is_int(n->type) && n->type->kind == TY_INT)
			n->type = ty_int(8, n->type->is_signed);
		return n->type;
	case AST_FIELD:
	case AST_ARROW:
		return check_field(s, n);
	case AST_CAST:
		return check_cast(s, n);
	case AST_TUPLE: {
		struct hk_type **el;

		cnt = ast_list_len(n->body);
		el = ARENA_NEWN(s->arena, struct hk_type *, cnt);
		for (e = n->body, i = 0; e; e = e->next, i++) {
			el[i] = storage_type(s, check_expr(s, e));
			if (el[i]->kind == TY_NONE)
				return n->type = &ty_none;
			if (!storable(el[i])) {
				sema_error(s, e->loc,
					   "a value of type %s cannot be part of a tuple",
					   ty_name(s->arena, el[i]));
				return n->type = &ty_none;
			}
		}
		return n->type = ty_tuple(s->arena, el, NULL, cnt);
	}
	case AST_RECORD: {
		struct hk_type **el;
		const char **names;

		cnt = ast_list_len(n->body);
		el = ARENA_NEWN(s->arena, struct hk_type *, cnt);
		names = ARENA_NEWN(s->arena, const char *, cnt);
		for (e = n->body, i = 0; e; e = e->next, i++) {
			el[i] = storage_type(s, check_expr(s, e->rhs));
			names[i] = e->lhs->name;
			if (el[i]->kind == TY_NONE)
				return n->type = &ty_none;
		}
		return n->type = ty_tuple(s->arena, el, names, cnt);
	}
	case AST_SIZEOF:
		ident_as_type(s, n);
		if (n->lhs) {
			t = check_expr(s, n->lhs);
			n->sema_data = (void *)(uintptr_t)t->size;
			return n->type = &ty_u64;
		}
		if (n->vtype && (t = resolve_type(s, n->vtype))) {
			n->sema_data = (void *)(uintptr_t)t->size;
			return n->type = &ty_u64;
		}
		return n->type = &ty_none;
	case AST_BLOCK:
		return check_block_expr(s, n);
	case AST_IF:
		return check_if_expr(s, n);
	case AST_INDEX:
		return check_index(s, n);
	case AST_OFFSETOF:
		return check_offsetof(s, n);
	default:
		sema_error(s, n->loc, "%s expressions are not supported yet",
			   ast_kind_name(n->kind));
		return n->type = &ty_none;
	}
}

/* `{ stmts; expr }`: the value of the last expression, in a scope of its own. */
static struct hk_type *check_block_expr(struct sema *s, struct ast_node *n)
{
	struct ast_node *st, *last = NULL;
	struct hk_type *t = &ty_none;

	scope_push(s);
	for (st = n->body; st; st = st->next) {
		if (!st->next && st->kind == AST_EXPR_STMT) {
			last = st;
			break;
		}
		check_stmt(s, st);
	}
	if (last)
		t = check_expr(s, last->lhs);
	else
		sema_error(s, n->loc,
			   "this block has no value: its last statement is not an expression");
	scope_pop(s);
	return n->type = t;
}

/* `if (c) { a } else { b }` used as a value: both branches give one. */
static struct hk_type *check_if_expr(struct sema *s, struct ast_node *n)
{
	struct hk_type *c = check_expr(s, n->cond), *a, *b;
	int64_t v;

	if (c->kind != TY_NONE && !ty_is_scalar(c))
		sema_error(s, n->cond->loc,
			   "a condition must be an integer, bool or pointer, not %s",
			   ty_name(s->arena, c));
	if (!n->els) {
		sema_error(s, n->loc, "an if expression needs an else branch");
		return n->type = &ty_none;
	}
	if (asks_type(n->cond) && const_eval(s, n->cond, &v)) {
		/* known when compiling: only the taken arm is checked (sema_id 1 or 2) */
		n->sema_id = v ? 1 : 2;
		n->type = check_expr(s, v ? n->then : n->els);
		if (n->type->kind == TY_INT)
			n->type = ty_int(8, n->type->is_signed);
		return n->type;
	}
	a = check_expr(s, n->then);
	b = check_expr(s, n->els);
	if (a->kind == TY_NONE || b->kind == TY_NONE)
		return n->type = &ty_none;
	n->type = ty_unify(s->arena, a, b);
	if (!n->type) {
		sema_error(s, n->loc,
			   "the branches of this if expression have different types: %s and %s",
			   ty_name(s->arena, a), ty_name(s->arena, b));
		return n->type = &ty_none;
	}
	if (n->type->kind == TY_INT)
		n->type = ty_int(8, n->type->is_signed);
	return n->type;
}

struct hk_type *sema_assign(struct sema *s, struct ast_node *lhs, struct hk_type *vt,
			    struct ast_node *rhs)
{
	return check_assign_target(s, lhs, vt, rhs);
}

struct hk_type *sema_expr(struct sema *s, struct ast_node *n)
{
	return check_expr(s, n);
}

/* ---- statements ---------------------------------------------------------------- */

static struct hk_type *check_assign_target(struct sema *s, struct ast_node *lhs, struct hk_type *vt,
					   struct ast_node *rhs)
{
	if (lhs->kind == AST_VAR) {
		struct scope_var *v = scope_find(s, lhs->name);

		if (!v) {
			v = scope_declare(s, lhs, storage_type(s, vt));
		} else if (!v->type) {
			v->type = storage_type(s, vt);
		} else if (!ty_compatible(v->type, vt)) {
			sema_error(s, loc_span(lhs->loc, rhs->loc),
				   "type mismatch for %s: it holds %s; cannot assign %s", lhs->name,
				   ty_name(s->arena, v->type), ty_name(s->arena, vt));
			sema_note(s, v->loc, "'%s' got its type here", lhs->name);
		} else {
			struct hk_type *u = ty_unify(s->arena, v->type, storage_type(s, vt));

			if (u && s->quiet && !v->fixed)
				v->type = u;
		}
		lhs->sema_var = v;
		return lhs->type = v->type;
	}
	if (lhs->kind == AST_MAP) {
		struct res_map *m = check_map_ref(s, lhs, true);

		if (!m)
			return &ty_none;
		map_update_event(s, lhs);
		if (vt->kind == TY_AGG) {
			if (m->value && (m->value->kind != TY_AGG || !ty_equal(m->value, vt)))
				sema_error(s, loc_span(lhs->loc, rhs->loc),
					   "type mismatch for %s: it holds %s; cannot assign %s",
					   m->name, ty_name(s->arena, m->value),
					   ty_name(s->arena, vt));
			else
				m->value = vt;
		} else if (!m->value) {
			m->value = storage_type(s, vt);
		} else if (m->value->kind == TY_AGG || !ty_compatible(m->value, vt)) {
			sema_error(s, loc_span(lhs->loc, rhs->loc),
				   "type mismatch for %s: it holds %s; cannot assign %s", m->name,
				   ty_name(s->arena, m->value), ty_name(s->arena, vt));
		} else {
			struct hk_type *u = ty_unify(s->arena, m->value, storage_type(s, vt));

			if (u)
				m->value = u;
		}
		return lhs->type = m->value ? m->value : &ty_none;
	}
	if (lhs->kind == AST_IDENT || lhs->kind == AST_POSITIONAL) {
		sema_error(s, lhs->loc, "cannot assign to builtin '%s'",
			   lhs->name ? lhs->name : "positional parameter");
		return &ty_none;
	}
	sema_error(s, lhs->loc, "only variables and map elements can be assigned to");
	return &ty_none;
}

static void check_assign(struct sema *s, struct ast_node *n)
{
	struct hk_type *vt;

	if (n->op == '=' && n->lhs->kind == AST_MAP && n->rhs->kind == AST_CALL &&
	    stdlib_builtin(n->rhs->name) && stdlib_builtin(n->rhs->name)->kind == BI_AGG) {
		s->map_assign_rhs = n;
		vt = check_call(s, n->rhs, true);
		s->map_assign_rhs = NULL;
		if (vt->kind == TY_NONE) {
			check_map_ref(s, n->lhs, true);
			return;
		}
		check_assign_target(s, n->lhs, vt, n->rhs);
		return;
	}
	vt = check_expr(s, n->rhs);
	if (vt->kind == TY_NONE) {
		if (n->rhs->kind == AST_CALL && n->rhs->sema_builtin &&
		    n->rhs->sema_builtin->kind == BI_FUNCTION && s->diag->nerrors == 0 && !s->quiet)
			sema_error(s, n->rhs->loc, "%s() returns no value", n->rhs->name);
		if (n->lhs->kind == AST_MAP)
			check_map_ref(s, n->lhs, true);
		return;
	}
	if (n->op != '=') {
		struct hk_type *lt;

		if (!ty_is_int(vt)) {
			sema_error(s, n->rhs->loc, "compound assignment needs an integer, not %s",
				   ty_name(s->arena, vt));
			return;
		}
		if (n->lhs->kind == AST_VAR && !scope_find(s, n->lhs->name)) {
			sema_error(s, n->lhs->loc, "variable '%s' is used before it is assigned",
				   n->lhs->name);
			return;
		}
		lt = check_assign_target(s, n->lhs, &ty_s64, n->rhs);
		if (lt->kind != TY_NONE && (!ty_is_int(lt) || lt->kind == TY_AGG))
			sema_error(s, n->loc, "compound assignment needs an integer target, not %s",
				   ty_name(s->arena, lt));
		return;
	}
	if (!storable(vt)) {
		sema_error(s, n->rhs->loc, "a value of type %s cannot be stored",
			   ty_name(s->arena, vt));
		return;
	}
	check_assign_target(s, n->lhs, vt, n->rhs);
}

static void check_cond(struct sema *s, struct ast_node *c)
{
	struct hk_type *t = check_expr(s, c);

	if (t->kind != TY_NONE && !ty_is_scalar(t))
		sema_error(s, c->loc, "a condition must be an integer, bool or pointer, not %s",
			   ty_name(s->arena, t));
}

static void check_stmt(struct sema *s, struct ast_node *n)
{
	int64_t v;

	if (n->kind == AST_ASSIGN && n->op == '=' && n->lhs->kind == AST_IDENT &&
	    !strcmp(n->lhs->name, "_")) {
		/* `_ = expr;` evaluates expr and discards its value */
		n->kind = AST_EXPR_STMT;
		n->lhs = n->rhs;
		n->rhs = NULL;
	}
	switch (n->kind) {
	case AST_EXPR_STMT:
		if (n->lhs->kind == AST_CALL)
			check_call(s, n->lhs, false);
		else
			check_expr(s, n->lhs);
		break;
	case AST_ASSIGN:
		check_assign(s, n);
		break;
	case AST_LET: {
		struct hk_type *declared = NULL, *t;

		if (n->sema_data)
			break; /* made by declare_before_assign: its variable is declared */
		if (n->vtype && !(declared = resolve_type(s, n->vtype)))
			break;
		if (!n->rhs) {
			/* `let $x;` gets its type from its first assignment; the quiet
			 * pass left that type on the node, so a read before the
			 * assignment has a type (and reads zero: codegen zeroes it
			 * here). */
			struct hk_type *learned =
				!declared && n->lhs->sema_var ? n->lhs->sema_var->type : NULL;

			n->lhs->sema_var = scope_declare(s, n->lhs, declared);
			n->lhs->sema_var->type = declared ? declared : learned;
			n->lhs->sema_var->fixed = declared != NULL;
			n->lhs->type = declared;
			break;
		}
		t = check_expr(s, n->rhs);
		if (t->kind == TY_NONE)
			break;
		if (declared && declared->kind == TY_STRING && t->kind == TY_STRING &&
		    t->size > declared->size) {
			sema_error(s, n->rhs->loc,
				   "string too long: %s holds at most %u bytes, this is %s",
				   n->lhs->name, declared->size - 1, ty_name(s->arena, t));
			break;
		}
		if (declared && !ty_compatible(declared, t)) {
			sema_error(s, loc_span(n->lhs->loc, n->rhs->loc),
				   "type mismatch for %s: declared %s, cannot assign %s",
				   n->lhs->name, ty_name(s->arena, declared), ty_name(s->arena, t));
			break;
		}
		n->lhs->sema_var =
			scope_declare(s, n->lhs, declared ? declared : storage_type(s, t));
		if (declared) {
			n->lhs->sema_var->type = declared;
			n->lhs->sema_var->fixed = true;
		}
		n->lhs->type = n->lhs->sema_var->type;
		break;
	}
	case AST_IF:
		check_cond(s, n->cond);
		if (asks_type(n->cond) && const_eval(s, n->cond, &v)) {
			/* sema_id: 1 only `then` is live, 2 only `els` */
			n->sema_id = v ? 1 : 2;
			if (v)
				check_block(s, n->then, true);
			else if (n->els && n->els->kind == AST_IF)
				check_stmt(s, n->els);
			else if (n->els)
				check_block(s, n->els, true);
			break;
		}
		check_block(s, n->then, true);
		if (n->els) {
			if (n->els->kind == AST_IF)
				check_stmt(s, n->els);
			else
				check_block(s, n->els, true);
		}
		break;
	case AST_WHILE:
		check_cond(s, n->cond);
		s->loop_depth++;
		check_block(s, n->then, true);
		s->loop_depth--;
		break;
	case AST_UNROLL:
		if (sema_const_int(s, n->lhs, &v) == 0 && (v < 1 || v > 100))
			sema_error(s, n->lhs->loc, "unroll count must be between 1 and 100");
		check_block(s, n->then, true);
		break;
	case AST_FOR_RANGE: {
		struct hk_type *lo = check_expr(s, n->cond), *hi = check_expr(s, n->rhs);

		if ((lo->kind != TY_NONE && !ty_is_int(lo)) ||
		    (hi->kind != TY_NONE && !ty_is_int(hi)))
			sema_error(s, n->loc, "a for range needs integer bounds");
		scope_push(s);
		n->lhs->sema_var = scope_declare(s, n->lhs, &ty_s64);
		n->lhs->type = &ty_s64;
		s->loop_depth++;
		check_block(s, n->then, true);
		s->loop_depth--;
		scope_pop(s);
		break;
	}
	case AST_BREAK:
	case AST_CONTINUE:
		if (!s->loop_depth)
			sema_error(s, n->loc, "'%s' outside of a loop",
				   n->kind == AST_BREAK ? "break" : "continue");
		break;
	case AST_RETURN:
		if (s->cur_fn) {
			check_fn_return(s, n);
			break;
		}
		if (n->lhs)
			check_expr(s, n->lhs);
		break;
	case AST_BLOCK:
		check_block(s, n, true);
		break;
	case AST_FOR_MAP:
		check_for_map(s, n);
		break;
	default:
		sema_error(s, n->loc, "%s statements are not supported yet",
			   ast_kind_name(n->kind));
		break;
	}
}

/* `return [expr];` in a fn body: the value must match the declared type. */
static void check_fn_return(struct sema *s, struct ast_node *n)
{
	struct ast_node *f = s->cur_fn;
	struct hk_type *want = fn_ret_type(f), *t;

	if (!n->lhs) {
		if (want)
			sema_error(s, n->loc, "function '%s' must return a value (%s)", f->name,
				   ty_name(s->arena, want));
		return;
	}
	t = check_expr(s, n->lhs);
	if (!want) {
		sema_error(s, n->lhs->loc, "function '%s' returns no value (void)", f->name);
		return;
	}
	if (t->kind == TY_NONE)
		return;
	if (!ty_compatible(want, t) || (want->kind == TY_STRING && t->size > want->size))
		sema_error(s, n->lhs->loc, "function '%s' returns %s, this is %s", f->name,
			   ty_name(s->arena, want), ty_name(s->arena, t));
}

/* `for ($kv : @m) { }`: $kv is the tuple (key, value) of each element. */
static void check_for_map(struct sema *s, struct ast_node *n)
{
	struct res_map *m = find_map(s, n->rhs->name);
	struct hk_type *el[2];

	if (!m) {
		if (!s->quiet)
			sema_error(s, n->rhs->loc, "undefined map '%s': it is never assigned",
				   n->rhs->name);
		return;
	}
	n->rhs->sema_map = m;
	if (s->cur_fn) {
		sema_error(s, n->loc, "a for loop over a map cannot be used in a function (fn %s)",
			   s->cur_fn->name);
		sema_hint(s, "loop in the probe and call the function in the loop's body");
		return;
	}
	if (n->rhs->lhs) {
		sema_error(s, n->rhs->loc, "a for loop takes a whole map, without a key");
		return;
	}
	if (!m->value) {
		if (!s->quiet)
			sema_error(s, n->rhs->loc, "map '%s' is never assigned a value", m->name);
		return;
	}
	if (!m->key) {
		sema_error(s, n->rhs->loc, "map '%s' has no key: there is nothing to loop over",
			   m->name);
		return;
	}
	el[0] = m->key;
	el[1] = m->value;
	if (m->value->kind == TY_AGG) {
		/* count/sum/min/max/avg: the value summed over the CPUs, as when
		 * the map is read (`@c[k]`) */
		if (!m->value->agg->lower_combine) {
			sema_error(s, n->rhs->loc, "a for loop cannot read the values of %s maps",
				   m->value->agg->type_name);
			sema_note(s, n->rhs->loc, "print it with print(%s)", m->name);
			return;
		}
		el[1] = ty_int(8, m->value->is_signed);
	}
	scope_push(s);
	n->lhs->sema_var = scope_declare(s, n->lhs, ty_tuple(s->arena, el, NULL, 2));
	n->lhs->sema_var->fixed = true;
	n->lhs->type = n->lhs->sema_var->type;
	s->loop_depth++;
	s->map_loop_depth++;
	check_block(s, n->then, true);
	s->map_loop_depth--;
	s->loop_depth--;
	scope_pop(s);
}

/* Puts the `let $x;` nodes of variables read before their assignment in
 * front of st (the statement that read them), so codegen zeroes them there;
 * returns the statement now at st's place in the list (st itself, or its
 * copy when st heads a bare statement list). */
static struct ast_node *insert_zero_lets(struct sema *s, struct ast_node *blk,
					 struct ast_node *prev, struct ast_node *st,
					 struct ast_node **lets)
{
	struct ast_node *last = *lets;

	while (last->next)
		last = last->next;
	if (prev) {
		prev->next = *lets;
		last->next = st;
	} else if (blk->kind == AST_BLOCK) {
		blk->body = *lets;
		last->next = st;
	} else {
		/* st heads the caller's list: st's node becomes the first let
		 * and a copy of st follows the lets */
		struct ast_node *copy = ast_new(s->arena, st->kind, st->loc);
		struct ast_node *first = *lets;

		*copy = *st;
		if (first == last) {
			*st = *first;
			st->next = copy;
		} else {
			last->next = copy;
			*st = *first;
		}
		*lets = NULL;
		return copy;
	}
	*lets = NULL;
	return st;
}

static void check_block(struct sema *s, struct ast_node *blk, bool new_scope)
{
	struct ast_node *st, *prev = NULL;
	int max = (int)(sizeof(s->blocks) / sizeof(s->blocks[0])), me;

	if (!blk)
		return;
	if (new_scope)
		scope_push(s);
	me = s->nblocks++;
	if (me < max) {
		s->blocks[me].scope = s->scope;
		s->blocks[me].zero = NULL;
	}
	for (st = blk->kind == AST_BLOCK ? blk->body : blk; st; prev = st, st = st->next) {
		if (me < max)
			s->blocks[me].cur = st;
		check_stmt(s, st);
		if (me < max && s->blocks[me].zero)
			st = insert_zero_lets(s, blk, prev, st, &s->blocks[me].zero);
	}
	s->nblocks--;
	if (new_scope)
		scope_pop(s);
}

/* ---- probes ------------------------------------------------------------------- */

static const struct probe_ops *probe_type_of(const char *spec, char *prov, size_t len)
{
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);

	if (n >= len)
		n = len - 1;
	memcpy(prov, spec, n);
	prov[n] = '\0';
	return stdlib_probe(prov);
}

static void expand_probe(struct sema *s, struct ast_node *probe)
{
	struct ast_node *ap;
	char prov[64];

	s->points = NULL;
	s->npoints = 0;
	s->probe = probe; /* expand callbacks may look at the probes after it */
	for (ap = probe->body; ap; ap = ap->next) {
		const struct probe_ops *ops = probe_type_of(ap->str, prov, sizeof(prov));

		if (!ops) {
			const char *sug = diag_suggest(prov, stdlib_probe_names());

			diag_error(s->diag, ap->loc, "unknown probe type '%s'", prov);
			if (sug)
				diag_hint(s->diag, "did you mean '%s'?", sug);
			continue;
		}
		ap->sema_probe = ops;
		ops->expand(s, ap, ap->str);
	}
	probe->sema_data = s->points;
	probe->sema_id = s->npoints;
	s->probe = NULL;
}

/* Does the body checked for point a serve point b? */
static bool same_body(struct sema *s, struct res_probe *a, struct res_probe *b)
{
	return a->ops != b->ops || !a->ops->same_body || a->ops->same_body(s, a, b);
}

/*
 * A probe whose body reads a builtin typed from each attach point (uprobe
 * `args` from each function's DWARF) and whose points disagree on it: the
 * points are grouped (each with the first point it fits), the probe keeps
 * the first group, and each other group gets a copy of the predicate and
 * body, inserted after it in the program, with its own points. Each copy is
 * then checked and lowered as a probe of its own: its nodes get their own
 * types. Codegen already makes one program per point, so nothing else
 * changes. Returns the last part (the probe itself when not split).
 */
static struct ast_node *split_probe(struct sema *s, struct ast_node *probe)
{
	struct res_probe **pts = probe->sema_data, **reps;
	const struct probe_ops *asked = NULL;
	int n = probe->sema_id, ngroups = 0, i, g, *group;
	struct ast_node *last = probe;
	bool depends = false;

	if (n < 2)
		return probe;
	for (i = 0; i < n && !depends; i++) {
		const struct probe_ops *ops = pts[i]->ops;

		if (ops == asked || !ops->body_depends)
			continue;
		asked = ops;
		depends = ops->body_depends(s, probe);
	}
	if (!depends)
		return probe;
	group = ARENA_NEWN(s->arena, int, n);
	reps = ARENA_NEWN(s->arena, struct res_probe *, n);
	for (i = 0; i < n; i++) {
		for (g = 0; g < ngroups && !same_body(s, reps[g], pts[i]); g++)
			;
		if (g == ngroups)
			reps[ngroups++] = pts[i];
		group[i] = g;
	}
	if (ngroups == 1)
		return probe;
	for (g = 0; g < ngroups; g++) {
		struct res_probe **mine = ARENA_NEWN(s->arena, struct res_probe *, n);
		struct ast_node *part = probe;
		int m = 0;

		for (i = 0; i < n; i++)
			if (group[i] == g)
				mine[m++] = pts[i];
		if (g) {
			part = ARENA_NEW(s->arena, struct ast_node);
			*part = *probe; /* the same attach point list */
			part->pred = ast_clone(s->arena, probe->pred);
			part->then = ast_clone(s->arena, probe->then);
			part->next = last->next;
			last->next = part;
			last = part;
		}
		part->sema_data = mine;
		part->sema_id = m;
		ptrvec_push(s->arena, &s->split, part);
	}
	return last;
}

/* The attach points a part of a split probe is for ("SPEC" or "SPEC and N
 * more"), NULL when the probe is not split. */
static const char *split_for(struct sema *s, struct ast_node *probe)
{
	int i;

	for (i = 0; i < s->split.len; i++)
		if (s->split.items[i] == probe)
			return probe->sema_id > 1
				       ? arena_printf(s->arena, "%s and %d more",
						      s->points[0]->spec, probe->sema_id - 1)
				       : s->points[0]->spec;
	return NULL;
}

static void check_probe(struct sema *s, struct ast_node *probe)
{
	if (!probe->sema_id)
		return; /* every attach point left out (missing_probes = warn | ignore) */
	s->probe = probe;
	s->points = probe->sema_data;
	s->npoints = probe->sema_id;
	s->split_for = s->quiet ? NULL : split_for(s, probe);
	s->muted = false;
	s->scope = NULL;
	scope_push(s);
	if (probe->pred)
		check_cond(s, probe->pred);
	check_block(s, probe->then, false);
	scope_pop(s);
	s->probe = NULL;
	s->split_for = NULL;
	s->muted = false;
}

/* ---- user-defined functions (fn) ---------------------------------------------------- */

static bool fn_type_ok(const struct hk_type *t)
{
	return t->kind == TY_INT || t->kind == TY_BOOL || t->kind == TY_PTR || t->kind == TY_STRING;
}

/* Registers a fn and resolves its parameter and return types (once). */
static void declare_fn(struct sema *s, struct ast_node *f)
{
	struct ast_node *p, *q, *prev = find_fn(s, f->name);
	struct hk_type *t;

	if (prev) {
		sema_error(s, f->loc, "function '%s' is already defined", f->name);
		sema_note(s, prev->loc, "the first definition is here");
		return;
	}
	if (stdlib_builtin(f->name)) {
		sema_error(s, f->loc, "function '%s' has the name of a builtin", f->name);
		return;
	}
	ptrvec_push(s->arena, &s->fns, f);
	for (p = f->params; p; p = p->next) {
		for (q = f->params; q != p; q = q->next)
			if (!strcmp(q->lhs->name, p->lhs->name))
				sema_error(s, p->lhs->loc, "parameter %s is declared twice",
					   p->lhs->name);
		t = resolve_type(s, p->vtype);
		if (t && !fn_type_ok(t)) {
			sema_error(s, p->vtype->loc,
				   "parameter %s: a function takes integers, bools, pointers and "
				   "strings, not %s",
				   p->lhs->name, ty_name(s->arena, t));
			t = NULL;
		}
		p->lhs->type = t;
	}
	if (f->vtype && !(f->vtype->ival == 0 && f->vtype->uval == 0 && !f->vtype->lhs &&
			  !strcmp(f->vtype->name, "void"))) {
		t = resolve_type(s, f->vtype);
		if (t && !fn_type_ok(t)) {
			sema_error(s, f->vtype->loc,
				   "function '%s': a function returns an integer, bool, pointer or "
				   "string, not %s",
				   f->name, ty_name(s->arena, t));
			t = NULL;
		}
		f->vtype->type = t;
	}
}

/* Whether running the statement list always ends in a return. */
static bool always_returns(const struct ast_node *st)
{
	const struct ast_node *last = NULL;

	for (; st; st = st->next) {
		last = st;
		if (st->kind == AST_RETURN)
			return true;
		if (st->kind == AST_BLOCK && always_returns(st->body))
			return true;
		if (st->kind == AST_IF && st->sema_id == 1 && always_returns(st->then->body))
			return true;
		if (st->kind == AST_IF && st->els) {
			const struct ast_node *e = st->els;
			bool t = st->sema_id == 2 || always_returns(st->then->body);
			bool el = st->sema_id == 1 ||
				  (e->kind == AST_IF ? always_returns(e) : always_returns(e->body));

			if (t && el)
				return true;
		}
	}
	(void)last;
	return false;
}

/* The calls to fns in n (a whole subtree); reports a cycle through f. */
static bool calls_fn(struct sema *s, const struct ast_node *n, const struct ast_node *target,
		     int depth)
{
	struct ast_node *g;

	if (!n || depth > 64)
		return depth > 64;
	for (; n; n = n->next) {
		if (n->kind == AST_CALL && (g = find_fn(s, n->name))) {
			if (g == target || calls_fn(s, g->then, target, depth + 1))
				return true;
		}
		if (calls_fn(s, n->lhs, target, depth) || calls_fn(s, n->rhs, target, depth) ||
		    calls_fn(s, n->cond, target, depth) || calls_fn(s, n->then, target, depth) ||
		    calls_fn(s, n->els, target, depth) || calls_fn(s, n->body, target, depth))
			return true;
	}
	return false;
}

static void check_fn(struct sema *s, struct ast_node *f)
{
	struct ast_node *p;
	struct hk_type *ret = fn_ret_type(f);

	s->cur_fn = f;
	s->probe = NULL;
	s->points = NULL;
	s->npoints = 0;
	s->scope = NULL;
	scope_push(s);
	for (p = f->params; p; p = p->next) {
		if (!p->lhs->type)
			continue;
		p->lhs->sema_var = scope_declare(s, p->lhs, p->lhs->type);
		p->lhs->sema_var->fixed = true;
	}
	check_block(s, f->then, false);
	scope_pop(s);
	s->cur_fn = NULL;
	if (ret && !always_returns(f->then->kind == AST_BLOCK ? f->then->body : f->then))
		sema_error(s, f->loc, "function '%s' does not return a value on every path",
			   f->name);
}

/* ---- config ---------------------------------------------------------------------- */

/* BPFTRACE_X, or HAWK_X when that is set: hawk's own spelling wins, so a
 * user can give hawk a value without changing bpftrace's. */
const char *sema_config_env(const char *bpftrace_name)
{
	char name[128];
	const char *v;

	if (!strncmp(bpftrace_name, "BPFTRACE_", 9) &&
	    (size_t)snprintf(name, sizeof(name), "HAWK_%s", bpftrace_name + 9) < sizeof(name) &&
	    (v = getenv(name)))
		return v;
	return getenv(bpftrace_name);
}

/* ---- maps ---------------------------------------------------------------------------- */

/* A map declared with `let @m = hash(N);`: its kind and size are given.
 * Aggregations are kept per CPU, so their map becomes the per-CPU variant of
 * the declared kind; plain values cannot live in per-CPU maps. */
static void finalize_declared(struct sema *s, struct res_map *m)
{
	bool percpu = m->kind == RM_PERCPU_HASH || m->kind == RM_PERCPU_LRU_HASH;

	m->key_size = m->key ? m->key->size : 8;
	if (m->agg) {
		if (m->kind == RM_HASH)
			m->kind = RM_PERCPU_HASH;
		else if (m->kind == RM_LRU_HASH)
			m->kind = RM_PERCPU_LRU_HASH;
		m->value_size = m->agg->value_size(m->value);
		if (m->agg->bucketed)
			m->key_size = (m->key ? (m->key->size + 7) & ~7u : 0) + 8;
	} else if (percpu) {
		diag_error(s->diag, m->loc,
			   "map '%s' is declared per-CPU, but holds %s: per-CPU maps hold only "
			   "aggregations such as count() or sum()",
			   m->name, ty_name(s->arena, m->value));
	} else {
		m->value_size = m->value->size;
	}
}

/* `let @m = hash(N);` at the top level. */
static void declare_map(struct sema *s, struct ast_node *d)
{
	static const struct {
		const char *name;
		enum res_map_kind kind;
	} kinds[] = {
		{"hash", RM_HASH},
		{"lruhash", RM_LRU_HASH},
		{"percpuhash", RM_PERCPU_HASH},
		{"percpulruhash", RM_PERCPU_LRU_HASH},
	};
	static const char *const names[] = {"hash", "lruhash", "percpuhash", "percpulruhash", NULL};
	struct ast_node *call = d->rhs;
	struct res_map *m;
	int64_t n;
	size_t i;

	if (!call || call->kind != AST_CALL) {
		diag_error(s->diag, d->loc,
			   "a map declaration needs a map type, as in let %s = hash(1000)",
			   d->lhs->name);
		return;
	}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(call->name, kinds[i].name))
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0])) {
		const char *sug = diag_suggest(call->name, names);

		diag_error(s->diag, call->loc, "unknown map type '%s'", call->name);
		diag_hint(s->diag, "%s",
			  sug ? arena_printf(s->arena, "did you mean '%s'?", sug)
			      : "the map types are hash, lruhash, percpuhash and percpulruhash");
		return;
	}
	if (ast_list_len(call->body) != 1 || sema_const_int(s, call->body, &n) < 0 || n < 1 ||
	    n > (1 << 24)) {
		diag_error(s->diag, call->loc,
			   "%s() takes one argument: the largest number of keys, from 1 to %d",
			   call->name, 1 << 24);
		return;
	}
	if (find_map(s, d->lhs->name)) {
		diag_error(s->diag, d->lhs->loc, "map '%s' is declared twice", d->lhs->name);
		return;
	}
	m = add_map(s, d->lhs->name, d->lhs->loc);
	m->declared = true;
	m->kind = kinds[i].kind;
	m->max_entries = (uint32_t)n;
}

static void finalize_maps(struct sema *s)
{
	struct resources *r = s->res;
	int i;

	for (i = 0; i < r->nmaps; i++) {
		struct res_map *m = r->maps[i];

		if (m->internal)
			continue;
		if (!m->value) {
			diag_error(s->diag, m->loc, "map '%s' is never assigned a value", m->name);
			continue;
		}
		m->agg = m->value->kind == TY_AGG ? m->value->agg : NULL;
		if (m->declared) {
			finalize_declared(s, m);
		} else if (m->agg) {
			m->value_size = m->agg->value_size(m->value);
			if (!m->key && m->agg->zero_is_unset) {
				/* A keyless count() is one per-CPU array slot. */
				m->kind = RM_PERCPU_ARRAY;
				m->key_size = 4;
				m->max_entries = 1;
			} else {
				m->kind = RM_PERCPU_HASH;
				m->key_size = m->key ? m->key->size : 8;
				/* Bucketed: the user key (8-aligned, none if keyless), then the
				 * bucket. */
				if (m->agg->bucketed)
					m->key_size = (m->key ? (m->key->size + 7) & ~7u : 0) + 8;
			}
		} else {
			m->kind = RM_HASH;
			m->key_size = m->key ? m->key->size : 8;
			m->value_size = m->value->size;
		}
		if (!m->key_size)
			m->key_size = 1;
	}
}

/* ---- driver ---------------------------------------------------------------------------- */

/* Types a script's C definitions refer to but do not define: the kernel's. */
static struct hk_type *cdef_lookup(void *ud, const char *name)
{
	return stdlib_btf_type(ud, name, NULL);
}

/* struct/union/enum/typedef definitions (lang/cdecl.c); errors point into the text. */
static void check_cdef(struct sema *s, struct ast_node *n)
{
	struct cdecl_error err;
	struct loc l = n->loc;
	size_t i;

	if (!s->cdefs) {
		s->cdefs = ARENA_NEW(s->arena, struct cdecl_types);
		cdecl_init(s->cdefs, s->arena);
		s->cdefs->lookup = cdef_lookup;
		s->cdefs->ud = s;
	}
	if (!cdecl_parse(s->cdefs, n->str, &err))
		return;
	for (i = 0; i < err.offset && n->str[i]; i++) {
		if (n->str[i] == '\n') {
			l.first_line++;
			l.first_column = 1;
		} else {
			l.first_column++;
		}
	}
	l.last_line = l.first_line;
	l.last_column = l.first_column + (int)err.len - 1;
	diag_error(s->diag, l, "%s", err.msg);
}

int sema_run(struct arena *a, struct ast_node *prog, const struct sema_options *opt,
	     struct diag_set *diag, struct resources *res)
{
	struct sema s = {0};
	struct ast_node *it;
	int nerr = diag->nerrors;

	s.arena = a;
	s.diag = diag;
	s.res = res;
	s.opt = opt;
	res->read_error_event = -1;
	config_defaults(&res->config);

	for (it = prog->body; it; it = it->next) {
		switch (it->kind) {
		case AST_CONFIG:
			config_apply_block(diag, &res->config, it);
			break;
		case AST_CDEF:
			if (it->str && it->str[0] == '#')
				break; /* #include/#define: types come from BTF */
			check_cdef(&s, it);
			break;
		case AST_PROBE:
			break;
		case AST_IMPORT:
			diag_error(diag, it->loc, "import is not supported yet");
			break;
		case AST_MACRO:
			diag_error(diag, it->loc, "macros are not supported yet");
			break;
		case AST_MAPDECL:
			declare_map(&s, it);
			break;
		case AST_FN:
			declare_fn(&s, it);
			break;
		default:
			diag_error(diag, it->loc, "unexpected %s at the top level",
				   ast_kind_name(it->kind));
			break;
		}
	}
	config_apply_env(diag, &res->config);

	res->ringbuf = internal_map(&s, "ringbuf", "hawk_ringbuf", RM_RINGBUF);
	if (opt->warn_reads) {
		/* -k: one event for every failed probe read; the place is in the
		 * payload (EV_SITE) */
		static struct hk_type *two[2] = {&ty_s64, &ty_u64};
		static uint32_t offs[2] = {0, 8};
		struct ast_node *where = ast_new(a, AST_INT, prog->loc);
		struct res_event *ev = sema_add_event(&s, EV_HELPER_ERROR, NULL, where);

		ev->fmt = "failed to read memory";
		ev->helper = "probe_read";
		ev->nargs = 2;
		ev->args = two;
		ev->offsets = offs;
		ev->size = 16;
		ev->site_in_payload = true;
		res->read_error_event = ev->id;
	}
	res->ringbuf_size =
		res->config.perf_rb_pages ? res->config.perf_rb_pages * 4096u : 1u << 20;
	{
		uint32_t sz = 4096;

		while (sz < res->ringbuf_size)
			sz <<= 1;
		res->ringbuf_size = sz;
	}
	res->ringbuf->max_entries = res->ringbuf_size;
	/* events the ring buffer had no room for, counted per CPU in slot 0 */
	sema_internal_map(&s, "lost", "hawk_lost", RM_PERCPU_ARRAY, 4, 8, 1);

	for (it = prog->body; it; it = it->next)
		if (it->kind == AST_PROBE)
			expand_probe(&s, it);
	if (diag->nerrors > nerr)
		return -1;
	for (it = prog->body; it; it = it->next)
		if (it->kind == AST_PROBE)
			it = split_probe(&s, it);
	if (diag->nerrors > nerr)
		return -1;
	if (!res->nprobes) {
		diag_error_noloc(diag, "the program has no probes");
		return -1;
	}
	/* Each attach point is one BPF program here, so both limits apply. */
	if ((uint32_t)res->nprobes > res->config.max_probes ||
	    (uint32_t)res->nprobes > res->config.max_bpf_progs) {
		bool p = res->config.max_probes <= res->config.max_bpf_progs;

		diag_error_noloc(diag, "the program has %d attach points, more than config %s = %u",
				 res->nprobes, p ? "max_probes" : "max_bpf_progs",
				 p ? res->config.max_probes : res->config.max_bpf_progs);
		diag_hint(diag, "narrow the wildcards, or raise the limit (BPFTRACE_%s)",
			  p ? "MAX_PROBES" : "MAX_BPF_PROGS");
		return -1;
	}

	for (int i = 0; i < s.fns.len; i++) {
		struct ast_node *f = s.fns.items[i];

		if (calls_fn(&s, f->then, f, 0)) {
			diag_error(diag, f->loc,
				   "function '%s' calls itself (recursion is not allowed)",
				   f->name);
			return -1;
		}
	}
	if (diag->nerrors > nerr)
		return -1;
	s.quiet = true;
	for (int i = 0; i < s.fns.len; i++)
		check_fn(&s, s.fns.items[i]);
	for (it = prog->body; it; it = it->next)
		if (it->kind == AST_PROBE)
			check_probe(&s, it);
	s.quiet = false;
	s.nvars = 0;
	for (int i = 0; i < s.fns.len; i++)
		check_fn(&s, s.fns.items[i]);
	for (it = prog->body; it; it = it->next)
		if (it->kind == AST_PROBE)
			check_probe(&s, it);
	if (diag->nerrors > nerr)
		return -1;
	finalize_maps(&s);
	return diag->nerrors > nerr ? -1 : 0;
}
