/*
 * getopt.c - getopt("name"[, default[, "description"]]): a named program
 * argument given after `--` on the command line (`hawk prog.bt -- --n=5
 * --verbose`). Its type is the default's: a bool without a default or with a
 * bool one (`--name` alone is true, `--name=false` false), an integer with
 * an integer default, a string with a string default. The value is a
 * constant of the compiled program: the compile cache keys objects by every
 * argument, named ones included.
 */
#include "../stdlib.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The value of --name[=value]: NULL when absent; "" + *bare when given bare. */
static const char *named_value(const struct sema *s, const char *name, bool *bare)
{
	size_t len = strlen(name);
	const char *found = NULL;

	*bare = false;
	for (int i = 0; s->opt && i < s->opt->nnamed; i++) {
		const char *a = s->opt->named[i] + 2; /* past "--" */

		if (strncmp(a, name, len) || (a[len] && a[len] != '='))
			continue;
		*bare = !a[len];
		found = a[len] ? a + len + 1 : ""; /* the last one wins */
	}
	return found;
}

static int getopt_check(struct sema *s, struct ast_node *n)
{
	struct ast_node *name = sema_arg(n, 0), *def = sema_arg(n, 1), *desc = sema_arg(n, 2);
	const char *v;
	bool bare;
	int64_t iv = 0;

	n->type = &ty_bool;
	if (name->kind != AST_STR || !name->str[0]) {
		sema_error(s, name->loc, "getopt() takes the argument's name as a string literal");
		return -1;
	}
	if (desc && desc->kind != AST_STR) {
		sema_error(s, desc->loc, "getopt()'s description must be a string literal");
		return -1;
	}
	v = named_value(s, name->str, &bare);
	if (def && def->kind == AST_STR) {
		struct ast_node *str = ast_new(s->arena, AST_STR, n->loc);

		str->str = arena_strdup(s->arena, v ? v : def->str);
		str->slen = (uint32_t)strlen(str->str);
		str->type = ty_string(s->arena, str->slen + 1);
		n->type = str->type;
		n->sema_data = str;
		return 0;
	}
	if (!def || def->kind == AST_BOOL) {
		iv = def ? def->ival : 0;
		if (v && (bare || !strcmp(v, "true") || !strcmp(v, "1")))
			iv = 1;
		else if (v && (!strcmp(v, "false") || !strcmp(v, "0")))
			iv = 0;
		else if (v) {
			sema_error(s, n->loc,
				   "named argument '--%s' is a flag: '%s' is not true or false",
				   name->str, v);
			return -1;
		}
		n->sema_data = (void *)(intptr_t)iv;
		return 0;
	}
	if (!std_is_const(def)) {
		sema_error(s, def->loc,
			   "getopt()'s default must be a literal: a bool, an integer "
			   "or a string");
		return -1;
	}
	if (sema_const_int(s, def, &iv) < 0)
		return -1;
	if (v) {
		char *end;

		errno = 0;
		iv = strtoll(v, &end, 0);
		if (!*v || *end || errno) {
			sema_error(s, n->loc, "named argument '--%s' must be an integer, not '%s'",
				   name->str, v);
			return -1;
		}
	}
	n->type = &ty_s64;
	n->sema_data = (void *)(intptr_t)iv;
	return 0;
}

static LLVMValueRef getopt_lower(struct cg *cg, struct ast_node *n)
{
	if (n->type->kind == TY_STRING)
		return cg_expr(cg, n->sema_data); /* the AST_STR made by check */
	return cg_const(cg, (uint64_t)(intptr_t)n->sema_data);
}

const struct builtin_ops std_getopt = {
	.name = "getopt",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = 3,
	.check = getopt_check,
	.lower = getopt_lower,
};
