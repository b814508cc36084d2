/*
 * sema_fixture.h - what the sema unit tests share: parse and check a program
 * held in memory (named "stdin", as -e programs are), keep the diagnostics
 * and resources for the checks, and free it all.
 */
#ifndef HAWK_SEMA_FIXTURE_H
#define HAWK_SEMA_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lang/arena.h"
#include "lang/diag.h"
#include "lang/modules.h"
#include "lang/sema.h"
#include "lang/types.h"
#include "parser/parse.h"

struct run {
	struct arena a;
	struct source_set src;
	struct diag_set d;
	struct resources res;
	struct ast_node *prog; /* the checked program (NULL: it did not parse) */
	int rc;		       /* sema_run's result; -2 when the program did not parse */
};

static inline void sema_fixture_run(struct run *r, const char *text, const struct sema_options *opt)
{
	struct ast_node *prog;
	int id;

	memset(r, 0, sizeof(*r));
	arena_init(&r->a);
	source_init(&r->src, &r->a);
	diag_init(&r->d, &r->src);
	id = source_add(&r->src, "stdin", text, strlen(text));
	prog = parse_program(&r->a, &r->src, id, &r->d);
	r->prog = prog;
	r->rc = prog ? sema_run(&r->a, prog, opt, &r->d, &r->res) : -2;
}

static inline void done(struct run *r)
{
	diag_free(&r->d);
	arena_free(&r->a);
}

/* "KEY -> VALUE" of a user map, or "(none)". */
static inline const char *map_types(struct run *r, const char *name)
{
	int i;

	for (i = 0; i < r->res.nmaps; i++) {
		struct res_map *m = r->res.maps[i];

		if (!m->internal && !strcmp(m->name, name))
			return arena_printf(&r->a, "%s -> %s",
					    m->key ? ty_name(&r->a, m->key) : "-",
					    ty_name(&r->a, m->value));
	}
	return "(none)";
}

#endif
