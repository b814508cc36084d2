/*
 * sema.h - semantic analysis: types, scopes, maps, probes, resources.
 *
 * sema_run() checks a parsed program, types every expression node (n->type),
 * binds identifiers and calls to stdlib modules, expands attach points into
 * res_probe entries, infers map key/value types across all probes and fills
 * in the resource summary for codegen and the runtime. It runs two passes
 * over the probes: the first (quiet) learns map types from every
 * assignment, the second checks and reports against them.
 */
#ifndef HAWK_SEMA_H
#define HAWK_SEMA_H

#include <stdbool.h>
#include "arena.h"
#include "cdecl.h"
#include "ast.h"
#include "diag.h"
#include "resources.h"

struct scope_var {
	const char *name;     /* "$x" */
	struct hk_type *type; /* NULL until assigned */
	struct loc loc;	      /* declaration or first assignment */
	int id;		      /* unique in the program */
	bool fixed;	      /* its type was declared (`let $x: uint16`): never widened */
	bool zero_init;	      /* read before its first assignment: codegen zeroes it on entry */
	void *cg;	      /* codegen: its storage */
};

struct scope {
	struct scope *parent;
	struct ptrvec vars; /* struct scope_var * */
};

struct sema_options {
	const char **params; /* positional parameters $1..$N */
	int nparams;
	bool unsafe;	 /* --unsafe: allow system(), signal()... */
	bool warn_reads; /* -k: report failed probe reads at run time */
	bool quiet_warnings;
	int target_pid;	    /* -p, 0 if none */
	bool has_child;	    /* -c CMD: cpid is valid */
	const char **named; /* named arguments after `--`: "--name" or "--name=value" (getopt) */
	int nnamed;
};

struct sema {
	struct arena *arena;
	struct diag_set *diag;
	struct resources *res;
	const struct sema_options *opt;
	bool quiet;		   /* first pass: no diagnostics, no resources */
	struct ast_node *probe;	   /* the AST_PROBE being checked */
	struct res_probe **points; /* its expanded attach points */
	int npoints;
	struct scope *scope;
	/* The statement lists being checked, innermost last: a variable read
	 * before it is assigned is looked up in the statements still to come. */
	struct sema_block {
		struct ast_node *cur;  /* the statement being checked */
		struct scope *scope;   /* where the list's variables live */
		struct ast_node *zero; /* `let $x;` nodes to insert before cur */
	} blocks[32];
	int nblocks;
	int loop_depth;
	int map_loop_depth; /* inside `for ($kv : @m)`: the probe context is not reachable */
	int nvars;
	struct ptrvec maps;		 /* struct res_map *, by first mention */
	struct ast_node *map_assign_rhs; /* the aggregation call being assigned, if any */
	void *btf_cache;		 /* stdlib/btf_types.c: kernel types converted so far */
	struct cdecl_types *cdefs;	 /* lang/cdecl.c: the script's C type definitions */
	struct ptrvec fns;		 /* the program's AST_FN items (user-defined functions) */
	struct ast_node *cur_fn;	 /* the fn whose body is being checked, or NULL */
	/* Probes split into copies of their body (split_probe): every part (the
	 * AST_PROBE nodes), and while one is checked, the attach points it is for. */
	struct ptrvec split;
	const char *split_for;
	bool muted; /* the last error repeated one already reported: drop its notes too */
};

/* Checks prog and fills res (zeroed by the caller). Returns 0 or -1 (errors in diag). */
int sema_run(struct arena *a, struct ast_node *prog, const struct sema_options *opt,
	     struct diag_set *diag, struct resources *res);

/* ---- for stdlib modules ---- */
/* Types an expression; returns its type (never NULL: ty_none on error). */
struct hk_type *sema_expr(struct sema *s, struct ast_node *n);
/* Checks storing a value of type vt (from the node rhs) into lhs, a variable
 * or a map element, declaring the variable if it is new. Returns lhs's type. */
struct hk_type *sema_assign(struct sema *s, struct ast_node *lhs, struct hk_type *vt,
			    struct ast_node *rhs);
/* Registers an expanded attach point of the current probe. */
struct res_probe *sema_add_probe(struct sema *s, const struct probe_ops *ops, const char *spec,
				 struct loc loc);
/* Registers an event (printf, exit...) and returns it (NULL in the quiet pass). */
struct res_event *sema_add_event(struct sema *s, enum res_event_kind kind,
				 const struct builtin_ops *ops, struct ast_node *call);
/* An internal map (not printed), created once by name. */
struct res_map *sema_internal_map(struct sema *s, const char *name, const char *elf_name,
				  enum res_map_kind kind, uint32_t key_size, uint32_t value_size,
				  uint32_t max_entries);
/* Diagnostics that respect the quiet pass. */
void sema_error(struct sema *s, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void sema_warn(struct sema *s, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void sema_note(struct sema *s, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A probe whose target does not exist (no such tracepoint, function...):
 * under config missing_probes = error an error (returns -1: the caller adds
 * its notes and fails), under warn a warning, under ignore nothing (both
 * return 0: the caller leaves the attach point out and goes on). */
int sema_missing_probe(struct sema *s, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A note without a location ("note: did you mean 'count'?"). */
void sema_hint(struct sema *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The n-th argument of a call (0-based) or NULL. */
struct ast_node *sema_arg(struct ast_node *call, int n);
/* Requires a compile-time integer constant; returns 0 and sets *v, or -1 after an error. */
int sema_const_int(struct sema *s, struct ast_node *n, int64_t *v);

/* The value of a BPFTRACE_* configuration variable; its HAWK_* spelling
 * (HAWK_MAX_STRLEN for BPFTRACE_MAX_STRLEN) wins when both are set. */
const char *sema_config_env(const char *bpftrace_name);

#endif
