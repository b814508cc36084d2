/*
 * uprobe.c - uprobe:BINARY:FUNC and uretprobe:BINARY:FUNC (aliases u, ur).
 *
 * BINARY is a path, a program found in $PATH, or a library by short name
 * (libc, libc.so.6; runtime/usyms.c). FUNC is a function name, a wildcard
 * over the binary's function symbols (.symtab and .dynsym; one program per
 * distinct address), FUNC+OFFSET (inside the function), or an address in
 * the ELF file (0x1234, as nm prints it). C++ functions can be named
 * demangled: `"ns::f(int)"` (quoted) or `cpp:ns::f` (bpftrace's language
 * prefix) match the demangled name, whole or without its parameter list,
 * wildcards included; a plain name that no symbol has also tries that
 * (`f` for f(int) and f()). With DWARF debug info, BINARY@FILE:LINE or
 * BINARY@FILE:LINE:COL is the first instruction of that source line
 * (stdlib/dwarf.c). Each attach point is resolved to a file offset while
 * compiling and attached with bpf_program__attach_uprobe_opts(); -p PID /
 * -c CMD attach to that process only (the kernel filters by its memory
 * map). The context is pt_regs (stdlib/probes/ptregs.c: arg0..N, retval,
 * func, reg()).
 *
 * With DWARF, `args` (uprobe at a function's entry) is a struct value of the
 * function's parameters, named and typed from the debug info and read from
 * where the x86-64 ABI puts them (registers, then the stack); `retval`
 * (uretprobe) gets the function's return type. The debug info is read only
 * when a probe uses them. A wildcard whose functions take different
 * parameters gives each signature its own copy of a body that reads args
 * (body_depends/same_body, split_probe in lang/sema.c); a parameter left out
 * of args (floating-point, struct by value) is named in the error for
 * args.NAME with the reason (why_no_field).
 */
#include "ptregs.h"
#include "../dwarf.h"
#include "../../lang/diag.h"
#include "../../runtime/rt.h"
#include "../../runtime/usyms.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

STD_PROBE(uprobe);
STD_PROBE(uretprobe);

static void add_point(struct sema *s, struct ast_node *ap, bool ret, const char *path,
		      const struct usym_elf *e, const char *fname, const char *label,
		      uint64_t vaddr, int64_t off, bool entry)
{
	struct ptregs_point *d = arena_alloc(s->arena, sizeof(*d));
	struct res_probe *p;

	d->ret = ret;
	d->entry = entry;
	d->user = true;
	d->fname = arena_strdup(s->arena, fname);
	d->target = arena_strdup(s->arena, path);
	d->offset = (uint64_t)off;
	d->vaddr = vaddr;
	d->dyn = usyms_elf_is_dyn(e);
	p = sema_add_probe(s, ret ? &std_probe_uretprobe : &std_probe_uprobe,
			   arena_printf(s->arena, "%s:%s%s%s", ret ? "uretprobe" : "uprobe", path,
					*label == '@' ? "" : ":", label),
			   ap->loc);
	p->target = d->target;
	p->func = d->fname;
	p->section = ret ? "uretprobe" : "uprobe";
	p->prog_type = BPF_PROG_TYPE_KPROBE;
	p->data = d;
}

/* A number (decimal or 0x hex) filling the whole string. */
static bool parse_num(const char *str, uint64_t *v)
{
	char *end;

	if (!*str || *str < '0' || *str > '9')
		return false;
	errno = 0;
	*v = strtoull(str, &end, 0);
	return !*end && !errno;
}

/* A demangled name without its parameter list: "ns::f(int) const" -> "ns::f". */
static const char *base_name(const char *shown, char *buf, size_t len)
{
	const char *paren = strchr(shown, '(');

	if (!paren || (size_t)(paren - shown) >= len)
		return shown;
	memcpy(buf, shown, (size_t)(paren - shown));
	buf[paren - shown] = '\0';
	return buf;
}

/* Does a function match a demangled-name pattern (whole, or its base name)? */
static bool cpp_match(const char *pat, const struct usym *sym)
{
	const char *shown = usyms_name(sym);
	char base[1024];

	if (!strcmp(shown, sym->name))
		return !fnmatch(pat, shown, 0); /* not a C++ name */
	return !fnmatch(pat, shown, 0) || !fnmatch(pat, base_name(shown, base, sizeof(base)), 0);
}

/* The name `func` shows: demangled unless config cpp_demangle is off. */
static const char *func_label(struct sema *s, const struct usym *sym)
{
	return s->res->config.cpp_demangle ? usyms_name(sym) : sym->name;
}

/* Names of the functions, for "did you mean" (malloc'ed array). */
static const char **func_names(const struct usym_elf *e)
{
	int n, i, k = 0;
	const struct usym *syms = usyms_elf_syms(e, &n);
	const char **names = malloc(sizeof(*names) * (size_t)(n + 1));

	for (i = 0; names && i < n; i++)
		if (syms[i].is_func)
			names[k++] = syms[i].name;
	if (names)
		names[k] = NULL;
	return names;
}

/* The binary a uprobe names (found as usyms_find_binary finds it; its path
 * into path) and its symbols, or NULL after an error at the attach point. */
static struct usym_elf *open_target(struct sema *s, struct ast_node *ap, const char *kind,
				    const char *bin, char *path, size_t len)
{
	struct usym_elf *e;
	int err = 0;

	if (usyms_find_binary(bin, path, len)) {
		sema_error(s, ap->loc,
			   "%s target '%s' not found: no such file, program in $PATH or library",
			   kind, bin);
		return NULL;
	}
	e = usyms_elf(path, &err);
	if (!e)
		sema_error(s, ap->loc, "cannot read the symbols of '%s': %s", path,
			   err == -ENOEXEC ? "not an ELF file" : strerror(-err));
	return e;
}

/* BINARY@FILE:LINE[:COL]: `target` starts BINARY, `at` is its '@'. */
static int up_expand_line(struct sema *s, struct ast_node *ap, const char *spec, const char *target,
			  const char *at, bool ret)
{
	const char *kind = ret ? "uretprobe" : "uprobe";
	char bin[PATH_MAX], path[PATH_MAX], file[PATH_MAX], err[2 * PATH_MAX + 128];
	const char *c1 = strrchr(at + 1, ':'), *p;
	uint64_t line = 0, col = 0, addr;
	const struct usym *sym;
	struct usym_elf *e;
	int64_t off;
	int rc;

	const char *fend = c1;
	bool ok = c1 && parse_num(c1 + 1, &line);

	if (ok) {
		for (p = c1 - 1; p > at && *p >= '0' && *p <= '9'; p--)
			;
		if (p > at && *p == ':' && p + 1 < c1 && c1 - p < 20) {
			char num[24];

			/* FILE:LINE:COL */
			memcpy(num, p + 1, (size_t)(c1 - p - 1));
			num[c1 - p - 1] = '\0';
			col = line;
			ok = parse_num(num, &line);
			fend = p;
		}
	}
	if (!ok || at == target || (size_t)(at - target) >= sizeof(bin) || fend == at + 1 ||
	    (size_t)(fend - at - 1) >= sizeof(file) || !line || line > INT_MAX || col > INT_MAX) {
		sema_error(s, ap->loc, "invalid %s '%s': expected %s:BINARY@FILE:LINE[:COLUMN]",
			   kind, spec, kind);
		return -1;
	}
	if (ret) {
		sema_error(s, ap->loc, "uretprobe '%s': a return probe cannot be at a source line",
			   spec);
		sema_hint(s, "use uprobe:%.*s", (int)strlen(target), target);
		return -1;
	}
	memcpy(bin, target, (size_t)(at - target));
	bin[at - target] = '\0';
	memcpy(file, at + 1, (size_t)(fend - at - 1));
	file[fend - at - 1] = '\0';
	if (!(e = open_target(s, ap, kind, bin, path, sizeof(path))))
		return -1;
	rc = std_dwarf_line_addr(path, file, (int)line, (int)col, &addr, err, sizeof(err));
	if (rc) {
		sema_error(s, ap->loc, "cannot place %s '%s': %s", kind, spec, err);
		if (rc == -ENODATA)
			sema_hint(s, "source lines need debug info: build the program with -g");
		return -1;
	}
	off = usyms_elf_offset(e, addr, true);
	if (off < 0) {
		sema_error(s, ap->loc, "%s '%s': address 0x%llx is not in an executable segment",
			   kind, spec, (unsigned long long)addr);
		return -1;
	}
	sym = usyms_elf_at(e, addr);
	add_point(s, ap, ret, path, e, sym ? sym->name : "", arena_strdup(s->arena, at), addr, off,
		  sym && sym->addr == addr);
	return 0;
}

/* Adds an attach point for each function matching the wildcard func (cpp:
 * matching demangled names, cpp_match), one per address, spelled with the
 * symbol's own (mangled) name. Returns how many. */
static int add_matches(struct sema *s, struct ast_node *ap, bool ret, const char *path,
		       const struct usym_elf *e, const char *func, bool cpp)
{
	int i, n, added = 0;
	const struct usym *syms = usyms_elf_syms(e, &n);

	for (i = 0; i < n; i++) {
		int64_t off;

		if (!syms[i].is_func ||
		    (cpp ? !cpp_match(func, &syms[i]) : fnmatch(func, syms[i].name, 0) != 0))
			continue;
		/* aliases share an address: attach once */
		if (i && syms[i - 1].addr == syms[i].addr && syms[i - 1].is_func &&
		    (cpp ? cpp_match(func, &syms[i - 1]) : !fnmatch(func, syms[i - 1].name, 0)))
			continue;
		off = usyms_elf_offset(e, syms[i].addr, true);
		if (off < 0)
			continue;
		add_point(s, ap, ret, path, e, func_label(s, &syms[i]), syms[i].name, syms[i].addr,
			  off, true);
		added++;
	}
	return added;
}

static int up_expand_kind(struct sema *s, struct ast_node *ap, const char *spec, bool ret)
{
	const char *kind = ret ? "uretprobe" : "uprobe";
	const char *first = strchr(spec, ':'), *last = strrchr(spec, ':'), *q;
	char target[PATH_MAX], path[PATH_MAX], func[512];
	const struct usym *sym;
	struct usym_elf *e;
	uint64_t v;
	bool cpp = false; /* match demangled names ("..." or cpp:) */
	size_t flen;
	char *plus;

	if (first) {
		const char *at = strchr(first + 1, '@'), *colon = strchr(first + 1, ':');

		if (at && (!colon || at < colon))
			return up_expand_line(s, ap, spec, first + 1, at, ret);
	}
	/* BINARY ends before a quoted function, before cpp:, else at the last ':' */
	if (first && (q = strstr(first + 1, ":\"")) && q > first + 1) {
		last = q;
		cpp = true;
	} else if (first && (q = strstr(first + 1, ":cpp:")) && q > first + 1) {
		last = q + 4;
		cpp = true;
	}
	if (!first || first == last || last == first + 1 || !last[1] ||
	    (size_t)(last - first - 1) >= sizeof(target) || strlen(last + 1) >= sizeof(func)) {
		sema_error(s, ap->loc, "invalid %s '%s': expected %s:BINARY:FUNCTION", kind, spec,
			   kind);
		return -1;
	}
	if (cpp && last[1] == '"') {
		memcpy(target, first + 1, (size_t)(last - first - 1));
		target[last - first - 1] = '\0';
		strcpy(func, last + 2);
		flen = strlen(func);
		if (!flen || func[flen - 1] != '"') {
			sema_error(s, ap->loc, "invalid %s '%s': unterminated quoted function name",
				   kind, spec);
			return -1;
		}
		func[flen - 1] = '\0';
	} else {
		size_t tlen = (size_t)(last - first - 1) - (cpp ? 4 : 0);

		memcpy(target, first + 1, tlen);
		target[tlen] = '\0';
		strcpy(func, last + 1);
	}
	if (strpbrk(target, "*?[")) {
		sema_error(s, ap->loc, "invalid %s '%s': wildcards in the binary are not supported",
			   kind, spec);
		return -1;
	}
	if (!(e = open_target(s, ap, kind, target, path, sizeof(path))))
		return -1;
	if (cpp)
		goto wildcard;

	/* an address in the ELF file */
	if (parse_num(func, &v)) {
		int64_t off = usyms_elf_offset(e, v, true);

		if (off < 0) {
			sema_error(s, ap->loc,
				   "address 0x%llx is not in an executable segment of '%s'",
				   (unsigned long long)v, path);
			return -1;
		}
		sym = usyms_elf_at(e, v);
		add_point(s, ap, ret, path, e, sym ? sym->name : "", func, v, off,
			  sym && sym->addr == v);
		return 0;
	}

	/* FUNC+OFFSET */
	plus = strchr(func, '+');
	if (plus) {
		*plus = '\0';
		if (!parse_num(plus + 1, &v) || strpbrk(func, "*?[")) {
			sema_error(s, ap->loc, "invalid %s '%s': expected FUNCTION+OFFSET", kind,
				   spec);
			return -1;
		}
		if (ret) {
			sema_error(s, ap->loc,
				   "uretprobe '%s': a return probe cannot have an offset", spec);
			return -1;
		}
	} else {
		v = 0;
	}

	/* one name, or a wildcard */
	if (!strpbrk(func, "*?[")) {
		int64_t off;

		sym = usyms_elf_find(e, func);
		/* not a symbol: perhaps a C++ function's name without its parameters */
		if ((!sym || !sym->is_func) && !plus &&
		    add_matches(s, ap, ret, path, e, func, true))
			return 0;
		if (!sym || !sym->is_func) {
			const char **names = func_names(e);
			const char *sug = names ? diag_suggest(func, names) : NULL;

			sema_error(s, ap->loc, "no function '%s' in '%s'", func, path);
			if (sug)
				sema_hint(s, "did you mean '%s'?", sug);
			free(names);
			return -1;
		}
		if (plus && sym->size && v >= sym->size) {
			sema_error(s, ap->loc, "offset %llu is outside '%s' (%llu bytes)",
				   (unsigned long long)v, func, (unsigned long long)sym->size);
			return -1;
		}
		off = usyms_elf_offset(e, sym->addr + v, true);
		if (off < 0) {
			sema_error(s, ap->loc, "'%s' in '%s' is not in an executable segment", func,
				   path);
			return -1;
		}
		add_point(s, ap, ret, path, e, func_label(s, sym),
			  plus ? arena_printf(s->arena, "%s+%llu", func, (unsigned long long)v)
			       : func,
			  sym->addr + v, off, !v);
		return 0;
	}
wildcard:
	/* a wildcard, or a C++ name */
	if (!add_matches(s, ap, ret, path, e, func, cpp)) {
		sema_error(s, ap->loc, "no function in '%s' matches '%s'", path, func);
		return -1;
	}
	return 0;
}

static int up_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	return up_expand_kind(s, ap, spec, false);
}

static int ur_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	return up_expand_kind(s, ap, spec, true);
}

/* ---- args and retval from DWARF ------------------------------------------------ */

struct up_dwarf {
	int status;		       /* 0, -ENODATA (no debug info), -ENOENT (no function) */
	struct dwarf_func fn;	       /* the function */
	struct hk_type *args;	       /* struct of its readable parameters */
	const struct dwarf_param **at; /* the parameter of each field of args */
};

/* args.NAME where NAME is a parameter left out of args: why. */
static const char *missing_param(struct arena *a, const struct hk_type *t, const char *name)
{
	const struct dwarf_func *fn = t->enum_data;
	int i;

	for (i = 0; i < fn->nparams; i++) {
		const struct dwarf_param *dp = &fn->params[i];

		if (dp->where == DWP_NONE && !strcmp(dp->name, name))
			return arena_printf(a, "parameter '%s' of %s (%s) is %s", name, fn->name,
					    dp->ctype, dp->why ? dp->why : "not readable");
	}
	return NULL;
}

/* The point's function from the binary's DWARF, looked up once. */
static struct up_dwarf *point_dwarf(struct sema *s, struct ptregs_point *d)
{
	struct up_dwarf *u = d->dwarf;
	struct hk_type **types;
	const char **names;
	int i, n = 0;

	if (u)
		return u;
	u = arena_alloc(s->arena, sizeof(*u));
	d->dwarf = u;
	std_salt_file(s, d->target);
	u->status = std_dwarf_func(s->arena, d->target, d->fname, d->vaddr, &u->fn);
	if (u->status)
		return u;
	types = arena_alloc(s->arena, sizeof(*types) * (size_t)(u->fn.nparams + 1));
	names = arena_alloc(s->arena, sizeof(*names) * (size_t)(u->fn.nparams + 1));
	u->at = arena_alloc(s->arena, sizeof(*u->at) * (size_t)(u->fn.nparams + 1));
	for (i = 0; i < u->fn.nparams; i++) {
		const struct dwarf_param *dp = &u->fn.params[i];

		if (dp->where == DWP_NONE || !*dp->name)
			continue;
		types[n] = dp->type;
		names[n] = dp->name;
		u->at[n++] = dp;
	}
	/* laid out like a C struct of those fields */
	u->args = ty_tuple(s->arena, types, names, n);
	u->args->kind = TY_STRUCT;
	u->args->name = arena_printf(s->arena, "uprobe_args_%s", u->fn.name);
	u->args->is_ctx = true;
	u->args->deep_done = true;
	u->args->why_no_field = missing_param;
	u->args->enum_data = &u->fn;
	if (!u->args->fields)
		u->args->fields = arena_alloc(s->arena, sizeof(*u->args->fields));
	return u;
}

/* Do two args structs hold the same fields at the same places? */
static bool same_args(const struct hk_type *a, const struct hk_type *b)
{
	int i;

	if (a->nfields != b->nfields || a->size != b->size)
		return false;
	for (i = 0; i < a->nfields; i++)
		if (strcmp(a->fields[i].name, b->fields[i].name) ||
		    a->fields[i].offset != b->fields[i].offset ||
		    !ty_equal(a->fields[i].type, b->fields[i].type))
			return false;
	return true;
}

static int args_check(struct sema *s, struct res_probe *p, struct ast_node *n)
{
	struct ptregs_point *d = p->data;
	struct up_dwarf *u;

	if (d->ret) {
		sema_error(s, n->loc, "'args' is not available in uretprobe probes");
		sema_hint(s, "read the arguments in a uprobe and keep them in a map keyed by tid "
			     "to use them on return");
		return -1;
	}
	if (!d->entry) {
		sema_error(s, n->loc,
			   "'args' is only available at a function's entry, not in %s: the "
			   "parameters may have left their registers",
			   p->spec);
		return -1;
	}
	u = point_dwarf(s, d);
	if (u->status == -ENODATA) {
		sema_error(s, n->loc, "'args' in %s needs debug info, and '%s' has no DWARF",
			   p->spec, d->target);
		sema_hint(s, "build it with -g, install its debug info (a -dbg or -dbgsym "
			     "package) or name the folder of its debug file with --debuginfo; "
			     "arg0..argN read the registers without it");
		return -1;
	}
	if (u->status) {
		sema_error(s, n->loc, "'args': the DWARF of '%s' does not describe function '%s'",
			   d->target, d->fname);
		return -1;
	}
	if (!u->args->nfields) {
		sema_error(s, n->loc, "'args' of %s is empty: %s", u->fn.name,
			   u->fn.nparams ? "hawk cannot read its parameters (floating-point or "
					   "structs passed by value)"
					 : "the function has no parameters");
		return -1;
	}
	n->type = u->args;
	return 0;
}

/* Does the tree at n (a list) read `args`? */
static bool reads_args(const struct ast_node *n)
{
	for (; n; n = n->next)
		if ((n->kind == AST_IDENT && !strcmp(n->name, "args")) || reads_args(n->lhs) ||
		    reads_args(n->rhs) || reads_args(n->cond) || reads_args(n->then) ||
		    reads_args(n->els) || reads_args(n->body) || reads_args(n->pred))
			return true;
	return false;
}

/* A body reading args depends on each function's parameters (split_probe
 * in lang/sema.c gives every signature its own copy). */
static bool up_body_depends(struct sema *s, struct ast_node *probe)
{
	(void)s;
	return reads_args(probe->pred) || reads_args(probe->then);
}

/* Do the two points' functions have the same args? Points whose args are
 * an error (no DWARF, not at the entry, no parameters) fit any: the error
 * is reported once, as without a split. */
static bool up_same_body(struct sema *s, struct res_probe *a, struct res_probe *b)
{
	struct ptregs_point *da = a->data, *db = b->data;
	struct up_dwarf *ua, *ub;

	if (da->ret || db->ret || !da->entry || !db->entry)
		return true;
	ua = point_dwarf(s, da);
	ub = point_dwarf(s, db);
	if (ua->status || ub->status || !ua->args->nfields || !ub->args->nfields)
		return true;
	return ua->args == ub->args || same_args(ua->args, ub->args);
}

/* retval: the function's return type when the DWARF gives one a register
 * holds, else uint64. */
static struct hk_type *retval_type(struct sema *s, struct ptregs_point *d)
{
	struct up_dwarf *u;

	if (!d->entry)
		return &ty_u64;
	if (!std_dwarf_available(d->target)) {
		std_salt_file(s, d->target); /* rebuilt with -g, retval gets a type */
		return &ty_u64;
	}
	u = point_dwarf(s, d);
	return u->status || !u->fn.ret ? &ty_u64 : u->fn.ret;
}

static int up_check_ident(struct sema *s, struct res_probe *p, struct ast_node *n)
{
	struct ptregs_point *d = p->data;
	struct hk_type *prev, *t;
	int rc;

	if (!strcmp(n->name, "args"))
		return args_check(s, p, n);
	if (strcmp(n->name, "retval") || !d->ret)
		return ptregs_check_ident(s, p, n);
	prev = p != s->points[0] ? n->type : NULL;
	rc = ptregs_check_ident(s, p, n);
	if (rc)
		return rc;
	t = retval_type(s, d);
	/* the functions of one probe disagree: the raw register */
	n->type = prev && !ty_equal(prev, t) ? &ty_u64 : t;
	return 0;
}

static LLVMValueRef load_reg(struct cg *cg, uint32_t off)
{
	return LLVMBuildLoad2(cg->b, cg->i64, cg_gep(cg, cg->ctx, off), "");
}

static LLVMValueRef up_lower_ident(struct cg *cg, struct res_probe *p, struct ast_node *n)
{
	const struct ptregs_point *d = p->data;
	const struct up_dwarf *u = d->dwarf;

	if (!strcmp(n->name, "args") && u && !u->status) {
		const struct hk_type *st = n->type;
		LLVMValueRef buf = cg_alloc(cg, st->size ? st->size : 8), v;
		int i;

		cg_zero(cg, buf, st->size);
		for (i = 0; i < st->nfields; i++) {
			const struct dwarf_param *dp = u->at[i];
			const struct ty_field *f = &st->fields[i];

			if (dp->where == DWP_REG) {
				v = load_reg(cg, dp->off);
			} else {
				/* above the return address, in user memory */
				LLVMValueRef slot = cg_alloc(cg, 8);

				LLVMBuildStore(cg->b, cg_const(cg, 0), slot);
				cg_probe_read(cg, slot, cg_const(cg, 8),
					      LLVMBuildAdd(cg->b, load_reg(cg, 152),
							   cg_const(cg, dp->off), ""),
					      AS_USER, false);
				v = LLVMBuildLoad2(cg->b, cg->i64, slot, "");
			}
			cg_store(cg, cg_gep(cg, buf, f->offset), f->type, v, &ty_u64);
		}
		return buf;
	}
	if (!strcmp(n->name, "retval") && n->type->kind == TY_INT && n->type->size < 8) {
		LLVMValueRef v = load_reg(cg, 80);

		v = LLVMBuildTrunc(
			cg->b, v,
			LLVMIntTypeInContext(LLVMGetTypeContext(cg->i64), n->type->size * 8), "");
		return cg_to_i64(cg, v, n->type);
	}
	return ptregs_lower_ident(cg, p, n);
}

static int up_attach(struct rt *rt, struct res_probe *p, struct bpf_program *prog,
		     const char **hint)
{
	const struct ptregs_point *d = p->data;
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = d->ret);
	int pid = rt_target_pid(rt);
	struct bpf_link *l;

	l = bpf_program__attach_uprobe_opts(prog, pid > 0 ? pid : -1, d->target, (size_t)d->offset,
					    &opts);
	if (!l) {
		int err = -errno;

		if (err == -ESRCH)
			*hint = "the process is gone";
		return err;
	}
	rt_own_link(rt, l);
	return 0;
}

/* ---- -l ------------------------------------------------------------------------ */

/* -lv: a function's parameters from the binary's DWARF, one "    TYPE NAME"
 * line each, as bpftrace prints them for uprobes (not uretprobes, which have
 * no args); malloc'ed, NULL without DWARF. */
static char *dwarf_params(const char *path, const struct usym *sym)
{
	struct dwarf_func fn;
	struct arena a;
	char *out = NULL;
	size_t len = 0;
	FILE *f;
	int i;

	if (!std_dwarf_available(path))
		return NULL;
	arena_init(&a);
	f = open_memstream(&out, &len);
	if (f && !std_dwarf_func(&a, path, sym->name, sym->addr, &fn)) {
		for (i = 0; i < fn.nparams; i++)
			fprintf(f, "    %s%s%s\n", fn.params[i].ctype,
				*fn.params[i].name ? " " : "", fn.params[i].name);
	}
	if (f)
		fclose(f);
	arena_free(&a);
	if (out && !*out) {
		free(out);
		out = NULL;
	}
	return out;
}

/* The functions of one binary that a uprobe can go on, "KIND:PATH:NAME" for
 * each whose name matches fpat (NULL: whose whole name the listing wants). */
static void list_binary(struct probe_list *l, const char *kind, const char *path, const char *fpat)
{
	const struct usym *syms;
	struct usym_elf *e;
	int err = 0, n, i;
	char name[PATH_MAX + 600];

	e = usyms_elf(path, &err);
	if (!e)
		return;
	syms = usyms_elf_syms(e, &n);
	for (i = 0; i < n; i++) {
		if (!syms[i].is_func || (fpat && fnmatch(fpat, syms[i].name, 0)) ||
		    usyms_elf_offset(e, syms[i].addr, true) < 0)
			continue;
		snprintf(name, sizeof(name), "%s:%s:%s", kind, path, syms[i].name);
		if (fpat || probe_list_match(l, name)) {
			/* aliases repeat: the listing drops them */
			char *detail = probe_list_verbose(l) && !strcmp(kind, "uprobe")
					       ? dwarf_params(path, &syms[i])
					       : NULL;

			probe_list_add(l, name, detail);
			free(detail);
		}
	}
}

/*
 * `uprobe:BINARY:FUNC` lists BINARY's functions (BINARY as a uprobe names
 * it: a path, a program or a library); `uprobe:*:FUNC` and, for uprobe only,
 * a pattern without a provider list those of every file -p's process maps.
 * Without a binary or a process there is nothing to list.
 */
static void up_list_kind(struct probe_list *l, const struct probe_ops *ops)
{
	const char *pat = probe_list_pattern(l), *rest, *last;
	int pid = probe_list_pid(l), nfiles = 0, i;
	char target[PATH_MAX], path[PATH_MAX];
	const char *fpat = NULL, **files;
	struct arena a;

	if (pat && strchr(pat, ':')) {
		if (!probe_list_names(l, ops))
			return;
		rest = strchr(pat, ':') + 1;
		last = strrchr(rest, ':');
		if (!last)
			last = rest + strlen(rest);
		if ((size_t)(last - rest) >= sizeof(target))
			return;
		memcpy(target, rest, (size_t)(last - rest));
		target[last - rest] = '\0';
		fpat = *last && last[1] ? last + 1 : "*";
		if (!strpbrk(target, "*?[")) {
			if (usyms_find_binary(target, path, sizeof(path))) {
				probe_list_error(l,
						 "%s target '%s' not found: no such file, program "
						 "in $PATH or library",
						 ops->name, target);
				return;
			}
			list_binary(l, ops->name, path, fpat);
			return;
		}
	} else if (ops != &std_probe_uprobe) {
		return;
	} else {
		strcpy(target, "*");
	}
	if (!pid)
		return;
	arena_init(&a);
	files = std_mapped_files(&a, pid, &nfiles);
	for (i = 0; files && i < nfiles; i++)
		if (!fnmatch(target, files[i], 0))
			list_binary(l, ops->name, files[i], fpat);
	arena_free(&a);
}

static void up_list(struct probe_list *l)
{
	up_list_kind(l, &std_probe_uprobe);
}

static void ur_list(struct probe_list *l)
{
	up_list_kind(l, &std_probe_uretprobe);
}

static const char *const up_aliases[] = {"u", NULL};
static const char *const ur_aliases[] = {"ur", NULL};

const struct probe_ops std_probe_uprobe = {
	.name = "uprobe",
	.aliases = up_aliases,
	.expand = up_expand,
	.check_ident = up_check_ident,
	.body_depends = up_body_depends,
	.same_body = up_same_body,
	.lower_ident = up_lower_ident,
	.attach = up_attach,
	.list = up_list,
	.pt_regs = true,
	.user_space = true,
};

const struct probe_ops std_probe_uretprobe = {
	.name = "uretprobe",
	.aliases = ur_aliases,
	.expand = ur_expand,
	.check_ident = up_check_ident,
	.lower_ident = up_lower_ident,
	.attach = up_attach,
	.list = ur_list,
	.pt_regs = true,
	.user_space = true,
};
