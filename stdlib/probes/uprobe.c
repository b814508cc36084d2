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
 * (`f` for f(int) and f()). Each attach point is resolved to
 * a file offset while compiling and attached with
 * bpf_program__attach_uprobe_opts(); -p PID / -c CMD attach to that process
 * only (the kernel filters by its memory map). The context is pt_regs
 * (stdlib/probes/ptregs.c: arg0..N, retval, func, reg()).
 */
#include "ptregs.h"
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

STD_PROBE(uprobe);
STD_PROBE(uretprobe);

static void add_point(struct sema *s, struct ast_node *ap, bool ret, const char *path,
		      const struct usym_elf *e, const char *fname, const char *label,
		      uint64_t vaddr, int64_t off)
{
	struct ptregs_point *d = arena_alloc(s->arena, sizeof(*d));
	struct res_probe *p;

	d->ret = ret;
	d->user = true;
	d->fname = arena_strdup(s->arena, fname);
	d->target = arena_strdup(s->arena, path);
	d->offset = (uint64_t)off;
	d->vaddr = vaddr;
	d->dyn = usyms_elf_is_dyn(e);
	p = sema_add_probe(
		s, ret ? &std_probe_uretprobe : &std_probe_uprobe,
		arena_printf(s->arena, "%s:%s:%s", ret ? "uretprobe" : "uprobe", path, label),
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
			  off);
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
	int err = 0;
	bool cpp = false; /* match demangled names ("..." or cpp:) */
	size_t flen;
	char *plus;

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
	if (usyms_find_binary(target, path, sizeof(path))) {
		sema_error(s, ap->loc,
			   "%s target '%s' not found: no such file, program in $PATH "
			   "or library",
			   kind, target);
		return -1;
	}
	e = usyms_elf(path, &err);
	if (!e) {
		sema_error(s, ap->loc, "cannot read the symbols of '%s': %s", path,
			   err == -ENOEXEC ? "not an ELF file" : strerror(-err));
		return -1;
	}
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
		add_point(s, ap, ret, path, e, sym ? sym->name : "", func, v, off);
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
			  sym->addr + v, off);
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
		if (fpat || probe_list_match(l, name))
			probe_list_add(l, name, NULL); /* aliases repeat: the listing drops them */
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
	.check_ident = ptregs_check_ident,
	.lower_ident = ptregs_lower_ident,
	.attach = up_attach,
	.list = up_list,
	.pt_regs = true,
	.user_space = true,
};

const struct probe_ops std_probe_uretprobe = {
	.name = "uretprobe",
	.aliases = ur_aliases,
	.expand = ur_expand,
	.check_ident = ptregs_check_ident,
	.lower_ident = ptregs_lower_ident,
	.attach = up_attach,
	.list = ur_list,
	.pt_regs = true,
	.user_space = true,
};
