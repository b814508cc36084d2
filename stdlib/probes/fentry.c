/*
 * fentry.c - fentry:FUNC and fexit:FUNC (aliases f/fr, old names
 * kfunc/kretfunc), also fentry:MODULE:FUNC, with wildcards. Functions are the
 * FUNC entries of the kernel's BTF (a module's own BTF for MODULE:FUNC),
 * limited to /sys/kernel/tracing/available_filter_functions when that file
 * can be read (the functions ftrace can patch: no inlined, no notrace ones).
 *
 * The program is a BPF_PROG_TYPE_TRACING in section "fentry/FUNC" or
 * "fexit/FUNC": libbpf finds the function's BTF id (attach_btf_id) when it
 * loads it. Its context is the function's arguments as an array of u64:
 *   - args: a struct of the arguments, named and typed from the function's
 *     BTF prototype (args.filename, args->filename);
 *   - retval (fexit only): the slot after the arguments, typed from the
 *     prototype's return type;
 *   - func: the function's address (bpf_get_func_ip), printed as its name.
 */
#include "../btf.h"
#include "../stdlib.h"
#include "../../lang/diag.h"
#include "../../runtime/rt.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fnmatch.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

STD_PROBE(fentry);
STD_PROBE(fexit);

#define FILTER_FUNCS  "/sys/kernel/tracing/available_filter_functions"
#define H_GET_FUNC_IP 173 /* bpf_get_func_ip */

struct fentry_data {
	bool is_exit;
	int nargs;
	struct hk_type *args;	/* pointer to the ctx struct */
	struct hk_type *retval; /* NULL: the function returns void */
};

/* The names ftrace can patch (sorted, for bsearch), or NULL when the file
 * cannot be read (then every BTF function is a candidate). Read once. */
static struct {
	bool loaded;
	char **names;
	size_t n;
} ftrace_funcs;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void ftrace_funcs_load(void)
{
	size_t cap = 0, lcap = 0;
	char *line = NULL;
	FILE *f;

	ftrace_funcs.loaded = true;
	f = fopen(stdlib_traceable_functions ? stdlib_traceable_functions : FILTER_FUNCS, "re");
	if (!f)
		return;
	while (getline(&line, &lcap, f) > 0) {
		line[strcspn(line, " \t\n")] = '\0';
		if (ftrace_funcs.n == cap) {
			char **nn;

			cap = cap ? cap * 2 : 65536;
			nn = realloc(ftrace_funcs.names, cap * sizeof(*nn));
			if (!nn)
				break;
			ftrace_funcs.names = nn;
		}
		if (!(ftrace_funcs.names[ftrace_funcs.n] = strdup(line)))
			break;
		ftrace_funcs.n++;
	}
	free(line);
	fclose(f);
	qsort(ftrace_funcs.names, ftrace_funcs.n, sizeof(char *), cmp_str);
}

static bool traceable(const char *fn)
{
	if (!ftrace_funcs.loaded)
		ftrace_funcs_load();
	if (!ftrace_funcs.names)
		return true;
	return bsearch(&fn, ftrace_funcs.names, ftrace_funcs.n, sizeof(char *), cmp_str) != NULL;
}

static void add_point(struct sema *s, struct ast_node *ap, const struct probe_ops *ops,
		      const struct btf *btf, const char *module, const char *fn,
		      const struct btf_type *proto)
{
	struct fentry_data *d = arena_alloc(s->arena, sizeof(*d));
	bool is_exit = ops == &std_probe_fexit;
	const char *kind = is_exit ? "fexit" : "fentry";
	struct hk_type *st;
	struct res_probe *p;

	d->is_exit = is_exit;
	d->nargs = btf_vlen(proto);
	st = std_btf_ctx_args(s, btf, proto, proto, 0, arena_printf(s->arena, "%s_%s", kind, fn));
	d->args = ty_ptr(s->arena, st, AS_KERNEL);
	d->args->is_ctx = true;
	if (proto->type) {
		d->retval = std_btf_slot_type(s, btf, proto->type, 0);
		if (d->retval->size > 8 || !d->retval->size)
			d->retval = &ty_u64;
	}
	p = sema_add_probe(s, ops,
			   module ? arena_printf(s->arena, "%s:%s:%s", kind, module, fn)
				  : arena_printf(s->arena, "%s:%s", kind, fn),
			   ap->loc);
	p->target = module ? arena_strdup(s->arena, module) : NULL;
	p->func = arena_strdup(s->arena, fn);
	p->section = arena_printf(s->arena, "%s/%s", kind, fn);
	p->prog_type = BPF_PROG_TYPE_TRACING;
	p->data = d;
	s->res->uses_btf = true;
}

/* Adds every function of one BTF matching the pattern (those of the module
 * itself for split BTF); collects the names for suggestions when `names` is
 * set. Returns the number added. */
static int scan_btf(struct sema *s, struct ast_node *ap, const struct probe_ops *ops,
		    const struct btf *btf, const char *module, const char *pattern,
		    const char ***names, int *nnames, int *cap)
{
	uint32_t i, n = btf__type_cnt(btf);
	uint32_t first = module ? btf__type_cnt(btf__base_btf(btf)) : 1;
	bool wild = strpbrk(pattern, "*?[") != NULL;
	int added = 0;

	for (i = first; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i), *proto;
		const char *nm;

		if (!t || !btf_is_func(t))
			continue;
		nm = btf__name_by_offset(btf, t->name_off);
		if (!nm || !*nm)
			continue;
		if (names) {
			if (*nnames + 1 >= *cap) {
				*cap = *cap ? *cap * 2 : 4096;
				*names = realloc(*names, sizeof(**names) * (size_t)*cap);
				if (!*names)
					return added;
			}
			(*names)[(*nnames)++] = nm;
			(*names)[*nnames] = NULL;
		}
		if (wild ? fnmatch(pattern, nm, 0) : strcmp(pattern, nm))
			continue;
		proto = btf__type_by_id(btf, t->type);
		if (!proto || !btf_is_func_proto(proto) || !traceable(nm))
			continue;
		/* variadic functions cannot be traced */
		if (btf_vlen(proto) && !btf_params(proto)[btf_vlen(proto) - 1].type)
			continue;
		add_point(s, ap, ops, btf, module, nm, proto);
		added++;
		if (!wild)
			break; /* static functions can repeat a name: the first is libbpf's */
	}
	return added;
}

/* scan_btf over one module's BTF, for std_btf_each_module. */
struct scan_arg {
	struct sema *s;
	struct ast_node *ap;
	const struct probe_ops *ops;
	const char *fn;
};

static int scan_module(const struct btf *btf, const char *module, void *arg)
{
	struct scan_arg *a = arg;

	return scan_btf(a->s, a->ap, a->ops, btf, arena_strdup(a->s->arena, module), a->fn, NULL,
			NULL, NULL);
}

static int fentry_expand_kind(struct sema *s, struct ast_node *ap, const char *spec,
			      const struct probe_ops *ops)
{
	const char *rest = strchr(spec, ':'), *colon, *fn;
	const struct btf *vmlinux = std_btf_vmlinux();
	const char *kind = ops == &std_probe_fexit ? "fexit" : "fentry";
	char module[256] = "";
	const char **names = NULL;
	int nnames = 0, cap = 0, matched = 0;

	if (!rest || !rest[1]) {
		sema_error(s, ap->loc,
			   "invalid %s probe '%s': expected %s:FUNCTION or %s:MODULE:FUNCTION",
			   kind, spec, kind, kind);
		return -1;
	}
	rest++;
	colon = strchr(rest, ':');
	if (colon && (strchr(colon + 1, ':') || colon == rest || !colon[1] ||
		      (size_t)(colon - rest) >= sizeof(module))) {
		sema_error(s, ap->loc,
			   "invalid %s probe '%s': expected %s:FUNCTION or %s:MODULE:FUNCTION",
			   kind, spec, kind, kind);
		return -1;
	}
	if (colon) {
		memcpy(module, rest, (size_t)(colon - rest));
		module[colon - rest] = '\0';
	}
	fn = colon ? colon + 1 : rest;
	if (!vmlinux) {
		sema_error(s, ap->loc, "%s probes need the kernel's BTF: %s", kind,
			   "/sys/kernel/btf/vmlinux cannot be read");
		return -1;
	}
	if (!*module || !fnmatch(module, "vmlinux", 0))
		matched += scan_btf(s, ap, ops, vmlinux, NULL, fn, &names, &nnames, &cap);
	if (*module && strcmp(module, "vmlinux")) {
		struct scan_arg sa = {s, ap, ops, fn};

		matched += std_btf_each_module(module, scan_module, &sa);
	}
	if (!matched) {
		const char *sug = names && !strpbrk(fn, "*?[") ? diag_suggest(fn, names) : NULL;

		if (strpbrk(fn, "*?[") || strpbrk(module, "*?["))
			sema_error(s, ap->loc, "no kernel function matches '%s'", spec);
		else if (*module)
			sema_error(s, ap->loc,
				   "kernel function '%s:%s' does not exist or cannot be traced",
				   module, fn);
		else
			sema_error(s, ap->loc,
				   "kernel function '%s' does not exist or cannot be traced", fn);
		if (sug && strcmp(sug, fn))
			sema_hint(s, "did you mean '%s'?", sug);
		free(names);
		return -1;
	}
	free(names);
	return 0;
}

static int fentry_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	return fentry_expand_kind(s, ap, spec, &std_probe_fentry);
}

static int fexit_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	return fentry_expand_kind(s, ap, spec, &std_probe_fexit);
}

static int fentry_check_ident(struct sema *s, struct res_probe *p, struct ast_node *n)
{
	const struct fentry_data *d = p->data;

	if (!strcmp(n->name, "args")) {
		n->type = d->args;
		return 0;
	}
	if (!strcmp(n->name, "func")) {
		n->type = &ty_ksym;
		return 0;
	}
	if (strcmp(n->name, "retval"))
		return 1;
	if (!d->is_exit) {
		sema_error(s, n->loc, "'retval' is only available in fexit probes, not in %s",
			   p->spec);
		sema_hint(s, "use fexit:%s to read the return value", p->func);
		return -1;
	}
	if (!d->retval) {
		sema_error(s, n->loc, "'retval' is not available in %s: the function returns void",
			   p->spec);
		return -1;
	}
	n->type = d->retval;
	return 0;
}

static LLVMValueRef fentry_lower_ident(struct cg *cg, struct res_probe *p, struct ast_node *n)
{
	const struct fentry_data *d = p->data;
	LLVMValueRef v;

	if (!strcmp(n->name, "args"))
		return LLVMBuildPtrToInt(cg->b, cg->ctx, cg->i64, "");
	if (!strcmp(n->name, "func")) {
		LLVMValueRef ctx = cg->ctx;

		return cg_helper(cg, H_GET_FUNC_IP, cg->i64, &ctx, 1);
	}
	/* retval: the slot after the arguments */
	v = LLVMBuildLoad2(cg->b, cg->i64, cg_gep(cg, cg->ctx, (uint32_t)d->nargs * 8), "");
	if (d->retval->size >= 8)
		return v;
	v = LLVMBuildTrunc(cg->b, v,
			   LLVMIntTypeInContext(LLVMGetTypeContext(cg->i64), d->retval->size * 8),
			   "");
	return cg_to_i64(cg, v, d->retval);
}

static int fentry_attach(struct rt *rt, struct res_probe *p, struct bpf_program *prog,
			 const char **hint)
{
	struct bpf_link *l = bpf_program__attach_trace(prog);

	if (!l) {
		int err = -errno;

		if (err == -EOPNOTSUPP || err == -524 /* ENOTSUPP */ || err == -ENODEV)
			*hint = "this kernel cannot attach BPF trampolines here (fentry/fexit "
				"need CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS); use a kprobe "
				"or a tracepoint instead";
		return err;
	}
	rt_own_link(rt, l);
	return 0;
}

/* -l: the traceable functions of one BTF (a module's own for split BTF), as
 * "KIND:MODULE:FUNC" ("fentry:vmlinux:vfs_read"); -lv adds the prototype,
 * "    struct file * file" per parameter and "    ssize_t retval" (bpftrace
 * prints the return type for fentry too). */
static void list_btf(struct probe_list *l, const char *kind, const struct btf *btf,
		     const char *module, const char *fpat)
{
	uint32_t i, n = btf__type_cnt(btf);
	uint32_t first = strcmp(module, "vmlinux") ? btf__type_cnt(btf__base_btf(btf)) : 1;
	struct std_btf_printer *pr = probe_list_verbose(l) ? std_btf_printer_new(btf) : NULL;
	char name[512];

	for (i = first; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i), *proto;
		const char *nm;
		char *detail;

		if (!t || !btf_is_func(t))
			continue;
		nm = btf__name_by_offset(btf, t->name_off);
		proto = btf__type_by_id(btf, t->type);
		if (!nm || !*nm || !proto || !btf_is_func_proto(proto) ||
		    (btf_vlen(proto) && !btf_params(proto)[btf_vlen(proto) - 1].type))
			continue;
		snprintf(name, sizeof(name), "%s:%s:%s", kind, module, nm);
		if ((fpat ? fnmatch(fpat, nm, 0) : !probe_list_match(l, name)) || !traceable(nm))
			continue;
		detail = pr ? std_btf_proto_lines(pr, proto, proto, 0, STD_BTF_LINES_FUNC) : NULL;
		probe_list_add(l, name, detail);
		free(detail);
	}
	std_btf_printer_free(pr);
}

/* list_btf over one module's BTF, for std_btf_each_module. */
struct list_arg {
	struct probe_list *l;
	const char *kind, *fpat;
};

static int list_module(const struct btf *btf, const char *module, void *arg)
{
	struct list_arg *a = arg;

	list_btf(a->l, a->kind, btf, module, a->fpat);
	return 0;
}

/* fentry:vmlinux:FUNC and fentry:MODULE:FUNC for the functions of the
 * kernel's and its modules' BTF ("fentry:FUNC" patterns match the functions
 * of every one); fexit only when the pattern names it. */
static void fentry_list_kind(struct probe_list *l, const struct probe_ops *ops)
{
	const char *pat = probe_list_pattern(l), *mod = NULL, *end, *fpat = NULL;
	const struct btf *vmlinux = std_btf_vmlinux();
	char module[256] = "*";
	struct list_arg la;

	if (pat && strchr(pat, ':') ? !probe_list_names(l, ops) : ops == &std_probe_fexit)
		return;
	if (!vmlinux)
		return;
	/* "fentry:MODULE:FUNC": only the modules that can match */
	if (pat && (mod = strchr(pat, ':')) && (end = strchr(mod + 1, ':')) &&
	    (size_t)(end - mod - 1) < sizeof(module)) {
		memcpy(module, mod + 1, (size_t)(end - mod - 1));
		module[end - mod - 1] = '\0';
	} else if (mod) {
		fpat = mod + 1;
	}
	if (!fnmatch(module, "vmlinux", 0))
		list_btf(l, ops->name, vmlinux, "vmlinux", fpat);
	la.l = l;
	la.kind = ops->name;
	la.fpat = fpat;
	std_btf_each_module(module, list_module, &la);
}

static void fentry_list(struct probe_list *l)
{
	fentry_list_kind(l, &std_probe_fentry);
}

static void fexit_list(struct probe_list *l)
{
	fentry_list_kind(l, &std_probe_fexit);
}

static const char *const fentry_aliases[] = {"f", "kfunc", NULL};
static const char *const fexit_aliases[] = {"fr", "kretfunc", NULL};

const struct probe_ops std_probe_fentry = {
	.name = "fentry",
	.aliases = fentry_aliases,
	.expand = fentry_expand,
	.check_ident = fentry_check_ident,
	.lower_ident = fentry_lower_ident,
	.attach = fentry_attach,
	.list = fentry_list,
	.pid_filter = true,
};

const struct probe_ops std_probe_fexit = {
	.name = "fexit",
	.aliases = fexit_aliases,
	.expand = fexit_expand,
	.check_ident = fentry_check_ident,
	.lower_ident = fentry_lower_ident,
	.attach = fentry_attach,
	.list = fexit_list,
	.pid_filter = true,
};
