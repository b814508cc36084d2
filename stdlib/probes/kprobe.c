/*
 * kprobe.c - kprobe:FUNC, kprobe:MODULE:FUNC, kprobe:FUNC+OFFSET and
 * kretprobe:FUNC (aliases k, kr). Wildcards expand against the functions
 * the kernel lists: tracefs available_filter_functions (the ones that can
 * be traced), else /proc/kallsyms (text symbols). One BPF_PROG_TYPE_KPROBE
 * program per function, in section kprobe/FUNC or kretprobe/FUNC; the
 * context is pt_regs (stdlib/probes/ptregs.c: arg0..N, retval, func,
 * reg()). Attached with bpf_program__attach_kprobe_opts(). A kernel built
 * without CONFIG_KPROBES has neither the kprobe PMU nor tracefs
 * kprobe_events: attaching then fails with one clear message, and
 * --dry-run loads the programs without attaching them.
 */
#include "ptregs.h"
#include "../btf.h"
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
#include <unistd.h>

STD_PROBE(kprobe);
STD_PROBE(kretprobe);

/* The traceable kernel functions, read once: name and module ("" for
 * vmlinux), from available_filter_functions or /proc/kallsyms. */
struct kfunc {
	char *name, *mod;
};

static struct kfunc *kfuncs;
static int nkfuncs = -1;

static void add_kfunc(const char *name, const char *mod, int *cap)
{
	if (nkfuncs == *cap) {
		struct kfunc *n;

		*cap = *cap ? *cap * 2 : 4096;
		n = realloc(kfuncs, sizeof(*n) * (size_t)*cap);
		if (!n)
			return;
		kfuncs = n;
	}
	kfuncs[nkfuncs].name = strdup(name);
	kfuncs[nkfuncs].mod = strdup(mod);
	nkfuncs++;
}

static void read_kfuncs(void)
{
	static const char *const aff[] = {"/sys/kernel/tracing/available_filter_functions",
					  "/sys/kernel/debug/tracing/available_filter_functions"};
	char line[512], name[256], mod[128];
	int cap = 0;
	FILE *f = NULL;
	size_t i;

	if (nkfuncs >= 0)
		return;
	nkfuncs = 0;
	if (stdlib_traceable_functions)
		f = fopen(stdlib_traceable_functions, "re");
	for (i = 0; i < 2 && !f && !stdlib_traceable_functions; i++)
		f = fopen(aff[i], "re");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			mod[0] = '\0';
			if (sscanf(line, "%255s [%127[^]]]", name, mod) >= 1)
				add_kfunc(name, mod, &cap);
		}
		fclose(f);
		if (nkfuncs)
			return;
	}
	f = fopen("/proc/kallsyms", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char type;

		mod[0] = '\0';
		if (sscanf(line, "%*s %c %255s [%127[^]]]", &type, name, mod) >= 2 &&
		    (type == 't' || type == 'T' || type == 'W' || type == 'w'))
			add_kfunc(name, mod, &cap);
	}
	fclose(f);
}

static void add_point(struct sema *s, struct ast_node *ap, bool ret, const char *mod,
		      const char *fn, uint64_t off)
{
	struct ptregs_point *d = arena_alloc(s->arena, sizeof(*d));
	const char *kind = ret ? "kretprobe" : "kprobe";
	const char *where = off ? arena_printf(s->arena, "%s+%llu", fn, (unsigned long long)off)
				: arena_strdup(s->arena, fn);
	struct res_probe *p;

	d->ret = ret;
	d->fname = arena_strdup(s->arena, fn);
	d->target = mod && *mod ? arena_strdup(s->arena, mod) : NULL;
	d->offset = off;
	p = sema_add_probe(s, ret ? &std_probe_kretprobe : &std_probe_kprobe,
			   d->target ? arena_printf(s->arena, "%s:%s:%s", kind, d->target, where)
				     : arena_printf(s->arena, "%s:%s", kind, where),
			   ap->loc);
	p->target = d->target;
	p->func = d->fname;
	p->section = arena_printf(s->arena, "%s/%s", kind, where);
	p->prog_type = BPF_PROG_TYPE_KPROBE;
	p->data = d;
}

static int kp_expand_kind(struct sema *s, struct ast_node *ap, const char *spec, bool ret)
{
	const char *kind = ret ? "kretprobe" : "kprobe";
	const char *rest = strchr(spec, ':'), *colon;
	char mod[128] = "", fn[256];
	uint64_t off = 0;
	char *plus, *end;
	bool wild;
	int i, added = 0, *matched;

	if (!rest || !rest[1]) {
		sema_error(s, ap->loc,
			   "invalid %s '%s': expected %s:FUNCTION or %s:MODULE:FUNCTION", kind,
			   spec, kind, kind);
		return -1;
	}
	rest++;
	colon = strchr(rest, ':');
	if (colon && (strchr(colon + 1, ':') || colon == rest || !colon[1] ||
		      (size_t)(colon - rest) >= sizeof(mod))) {
		sema_error(s, ap->loc,
			   "invalid %s '%s': expected %s:FUNCTION or %s:MODULE:FUNCTION", kind,
			   spec, kind, kind);
		return -1;
	}
	if (colon) {
		memcpy(mod, rest, (size_t)(colon - rest));
		mod[colon - rest] = '\0';
		rest = colon + 1;
	}
	if (strlen(rest) >= sizeof(fn)) {
		sema_error(s, ap->loc, "invalid %s '%s': the function name is too long", kind,
			   spec);
		return -1;
	}
	strcpy(fn, rest);
	plus = strchr(fn, '+');
	if (plus) {
		*plus = '\0';
		errno = 0;
		off = strtoull(plus + 1, &end, 0);
		if (!plus[1] || *end || errno || plus[1] == '-') {
			sema_error(s, ap->loc, "invalid %s '%s': expected FUNCTION+OFFSET", kind,
				   spec);
			return -1;
		}
		if (ret) {
			sema_error(s, ap->loc,
				   "kretprobe '%s': a return probe cannot have an offset", spec);
			return -1;
		}
	}
	wild = strpbrk(fn, "*?[") || strpbrk(mod, "*?[");
	if (wild && plus) {
		sema_error(s, ap->loc,
			   "invalid %s '%s': an offset needs one function, not a wildcard", kind,
			   spec);
		return -1;
	}
	read_kfuncs();
	if (!wild) {
		const char **names;
		const char *sug;
		bool found = nkfuncs == 0; /* nothing listed: let the kernel decide */

		for (i = 0; i < nkfuncs && !found; i++)
			found = !strcmp(kfuncs[i].name, fn) &&
				(!*mod || !strcmp(kfuncs[i].mod, mod));
		if (found) {
			add_point(s, ap, ret, mod, fn, off);
			return 0;
		}
		names = malloc(sizeof(*names) * (size_t)(nkfuncs + 1));
		for (i = 0; names && i < nkfuncs; i++)
			names[i] = kfuncs[i].name;
		if (names)
			names[nkfuncs] = NULL;
		sug = names ? diag_suggest(fn, names) : NULL;
		if (*mod)
			sema_error(s, ap->loc, "kernel function '%s' not found in module '%s'", fn,
				   mod);
		else
			sema_error(s, ap->loc, "kernel function '%s' not found", fn);
		if (sug)
			sema_hint(s, "did you mean '%s'?", sug);
		free(names);
		return -1;
	}
	if (!nkfuncs) {
		sema_error(s, ap->loc,
			   "cannot expand '%s': the kernel lists no functions (no "
			   "available_filter_functions in tracefs, /proc/kallsyms unreadable)",
			   spec);
		return -1;
	}
	matched = malloc(sizeof(*matched) * (size_t)nkfuncs);
	for (i = 0; matched && i < nkfuncs; i++) {
		int j;

		if (fnmatch(fn, kfuncs[i].name, 0) ||
		    (*mod ? fnmatch(mod, kfuncs[i].mod, 0) : false))
			continue;
		/* a name listed twice (static functions of the same name) once */
		for (j = 0; j < added; j++)
			if (!strcmp(kfuncs[matched[j]].name, kfuncs[i].name) &&
			    !strcmp(kfuncs[matched[j]].mod, kfuncs[i].mod))
				break;
		if (j < added)
			continue;
		add_point(s, ap, ret, kfuncs[i].mod, kfuncs[i].name, 0);
		matched[added++] = i;
	}
	free(matched);
	if (!added) {
		sema_error(s, ap->loc, "no kernel function matches '%s'", spec);
		return -1;
	}
	return 0;
}

static int kp_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	return kp_expand_kind(s, ap, spec, false);
}

static int kr_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	return kp_expand_kind(s, ap, spec, true);
}

/* The kprobe PMU (perf_event_open) or tracefs kprobe_events (legacy). */
static bool kernel_has_kprobes(void)
{
	const char *tfs;
	char path[512];

	if (!access("/sys/bus/event_source/devices/kprobe/type", F_OK))
		return true;
	tfs = rt_tracefs();
	if (!tfs)
		return false;
	snprintf(path, sizeof(path), "%s/kprobe_events", tfs);
	return !access(path, F_OK);
}

static int kp_attach(struct rt *rt, struct res_probe *p, struct bpf_program *prog,
		     const char **hint)
{
	const struct ptregs_point *d = p->data;
	LIBBPF_OPTS(bpf_kprobe_opts, opts, .offset = (size_t)d->offset, .retprobe = d->ret);
	struct bpf_link *l;

	if (!kernel_has_kprobes()) {
		if (rt_dry_run(rt))
			return 0; /* loaded and checked by the verifier: all a dry run can do */
		*hint = "this kernel has no kprobe support (built without CONFIG_KPROBES)";
		return -ENOSYS;
	}
	l = bpf_program__attach_kprobe_opts(prog, d->fname, &opts);
	if (!l)
		return -errno;
	rt_own_link(rt, l);
	return 0;
}

/* -lv: the prototypes of the listed functions from BTF, one per BTF (the
 * kernel's, or a module's split BTF) read the first time a function of it is
 * listed: its printer and its FUNCs sorted by name. */
struct kp_func {
	const char *name;
	uint32_t id;
};

struct kp_btf {
	char *mod;	 /* "" for vmlinux */
	struct btf *own; /* a module's BTF (freed), NULL for vmlinux */
	const struct btf *btf;
	struct std_btf_printer *pr;
	struct kp_func *funcs;
	size_t n;
};

static int cmp_kp_func(const void *a, const void *b)
{
	const struct kp_func *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	/* a static function's name can repeat: the first is the one found */
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

static void kp_btf_index(struct kp_btf *b)
{
	uint32_t n = btf__type_cnt(b->btf);
	uint32_t first = b->own ? btf__type_cnt(btf__base_btf(b->btf)) : 1;
	size_t cap = 0;

	for (uint32_t i = first; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(b->btf, i);

		if (!t || !btf_is_func(t))
			continue;
		if (b->n == cap) {
			struct kp_func *f;

			cap = cap ? cap * 2 : 4096;
			if (!(f = realloc(b->funcs, cap * sizeof(*f))))
				return;
			b->funcs = f;
		}
		b->funcs[b->n++] = (struct kp_func){btf__name_by_offset(b->btf, t->name_off), i};
	}
	if (b->n)
		qsort(b->funcs, b->n, sizeof(*b->funcs), cmp_kp_func);
}

/* The BTF of module `mod` ("" for vmlinux), opened once per listing; NULL
 * when it has none. */
static struct kp_btf *kp_btf_of(struct kp_btf **v, size_t *n, const char *mod)
{
	const struct btf *vmlinux = std_btf_vmlinux();
	struct kp_btf *b;
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i].mod, mod))
			return (*v)[i].btf ? &(*v)[i] : NULL;
	if (!(b = realloc(*v, (*n + 1) * sizeof(*b))))
		return NULL;
	*v = b;
	b = &(*v)[(*n)++];
	memset(b, 0, sizeof(*b));
	b->mod = strdup(mod);
	if (!vmlinux || !b->mod)
		return NULL;
	if (*mod) {
		char path[512];

		snprintf(path, sizeof(path), "/sys/kernel/btf/%s", mod);
		if (!(b->own = btf__parse_split(path, (struct btf *)vmlinux)))
			return NULL;
	}
	b->btf = b->own ? b->own : vmlinux;
	if (!(b->pr = std_btf_printer_new(b->btf))) {
		b->btf = NULL;
		return NULL;
	}
	kp_btf_index(b);
	return b;
}

static void kp_btf_free(struct kp_btf *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		std_btf_printer_free(v[i].pr);
		btf__free(v[i].own);
		free(v[i].funcs);
		free(v[i].mod);
	}
	free(v);
}

/* The -lv lines of kprobe (arguments as arg0..) or kretprobe (retval) `fn`
 * of module `mod`, or NULL when its BTF has no such function. */
static char *kp_proto_lines(struct kp_btf **v, size_t *n, const char *mod, const char *fn, bool ret)
{
	struct kp_btf *b = kp_btf_of(v, n, mod);
	struct kp_func *f;
	const struct btf_type *proto;
	size_t lo = 0, hi;

	if (!b || !b->n)
		return NULL;
	/* the first of the name (the lowest id) */
	hi = b->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(b->funcs[mid].name, fn) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	f = lo < b->n && !strcmp(b->funcs[lo].name, fn) ? &b->funcs[lo] : NULL;
	if (!f)
		return NULL;
	proto = btf__type_by_id(b->btf, btf__type_by_id(b->btf, f->id)->type);
	if (!proto || !btf_is_func_proto(proto))
		return NULL;
	return std_btf_proto_lines(b->pr, proto, NULL, 0,
				   ret ? STD_BTF_LINES_RETVAL : STD_BTF_LINES_ARGN);
}

/*
 * -l: the functions a kprobe pattern expands to (available_filter_functions,
 * else /proc/kallsyms), "kprobe:FUNC" or "kprobe:MODULE:FUNC"; nothing on a
 * kernel without kprobes. kretprobes are listed only when the pattern names
 * them. -lv adds, for the functions BTF knows, "    struct file * arg0"
 * lines (kprobe) or "    ssize_t retval" ("    void", kretprobe), as
 * bpftrace 0.24 on.
 */
static void kp_list_kind(struct probe_list *l, const struct probe_ops *ops)
{
	const char *pat = probe_list_pattern(l);
	bool named = probe_list_names(l, ops);
	struct kp_btf *btfs = NULL;
	size_t nbtfs = 0;
	char name[512];

	if (pat && strchr(pat, ':') ? !named : ops == &std_probe_kretprobe)
		return;
	if (!kernel_has_kprobes()) {
		if (named)
			fprintf(stderr,
				"warning: no %ss to list: this kernel has no kprobe support "
				"(built without CONFIG_KPROBES)\n",
				ops->name);
		return;
	}
	read_kfuncs();
	for (int i = 0; i < nkfuncs; i++) {
		char *detail = NULL;

		if (*kfuncs[i].mod)
			snprintf(name, sizeof(name), "%s:%s:%s", ops->name, kfuncs[i].mod,
				 kfuncs[i].name);
		else
			snprintf(name, sizeof(name), "%s:%s", ops->name, kfuncs[i].name);
		if (!probe_list_match(l, name))
			continue;
		if (probe_list_verbose(l))
			detail = kp_proto_lines(&btfs, &nbtfs, kfuncs[i].mod, kfuncs[i].name,
						ops == &std_probe_kretprobe);
		probe_list_add(l, name, detail);
		free(detail);
	}
	kp_btf_free(btfs, nbtfs);
}

static void kp_list(struct probe_list *l)
{
	kp_list_kind(l, &std_probe_kprobe);
}

static void kr_list(struct probe_list *l)
{
	kp_list_kind(l, &std_probe_kretprobe);
}

static const char *const kp_aliases[] = {"k", NULL};
static const char *const kr_aliases[] = {"kr", NULL};

const struct probe_ops std_probe_kprobe = {
	.name = "kprobe",
	.aliases = kp_aliases,
	.expand = kp_expand,
	.check_ident = ptregs_check_ident,
	.lower_ident = ptregs_lower_ident,
	.attach = kp_attach,
	.list = kp_list,
	.pt_regs = true,
	.pid_filter = true,
};

const struct probe_ops std_probe_kretprobe = {
	.name = "kretprobe",
	.aliases = kr_aliases,
	.expand = kr_expand,
	.check_ident = ptregs_check_ident,
	.lower_ident = ptregs_lower_ident,
	.attach = kp_attach,
	.list = kr_list,
	.pt_regs = true,
	.pid_filter = true,
};
