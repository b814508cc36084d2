/*
 * rawtracepoint.c - rawtracepoint:EVENT and rawtracepoint:MODULE:EVENT
 * (alias rt), with wildcards (rawtracepoint:sched_*). Events are the
 * `btf_trace_<event>` typedefs of the kernel's (or the module's) BTF: a
 * pointer to the prototype `void (void *, ARGS...)`. The program is a
 * BPF_PROG_TYPE_RAW_TRACEPOINT whose context is the tracepoint's arguments
 * as an array of u64:
 *   - arg0..argN: the raw 64-bit values (N below the tracepoint's count);
 *   - args: a struct of the arguments, typed from BTF and named after the
 *     prototype of `__probestub_<event>` (or `__bpf_trace_<event>`), the
 *     kernel functions that carry TP_PROTO's parameter names. Without those
 *     names (and for module events, whose types are in the module's BTF)
 *     only argN is available.
 */
#include "../btf.h"
#include "../stdlib.h"
#include "../../lang/diag.h"
#include "../../runtime/rt.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <fnmatch.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

STD_PROBE(rawtracepoint);

#define TP_PREFIX "btf_trace_"

struct rtp_data {
	int nargs;		 /* the tracepoint's arguments (the void * excluded) */
	struct hk_type *args;	 /* pointer to the ctx struct, or NULL */
	const char *why_no_args; /* when args is NULL */
};

/* The FUNC_PROTO behind typedef `btf_trace_<event>`, or NULL. */
static const struct btf_type *tp_proto(const struct btf *btf, const struct btf_type *td)
{
	const struct btf_type *t = btf__type_by_id(btf, td->type);

	if (!t || !btf_is_ptr(t))
		return NULL;
	t = btf__type_by_id(btf, t->type);
	return t && btf_is_func_proto(t) && btf_vlen(t) >= 1 ? t : NULL;
}

/* The `args` struct of a vmlinux event, or NULL (why set). */
static struct hk_type *build_args(struct sema *s, const struct btf *btf, const char *event,
				  const struct btf_type *proto, const char **why)
{
	static const char *const named[] = {"__probestub_%s", "__bpf_trace_%s"};
	const struct btf_type *fp = NULL;
	size_t k;

	for (k = 0; k < sizeof(named) / sizeof(named[0]) && !fp; k++) {
		int32_t id = btf__find_by_name_kind(btf, arena_printf(s->arena, named[k], event),
						    BTF_KIND_FUNC);
		const struct btf_type *f = id > 0 ? btf__type_by_id(btf, (uint32_t)id) : NULL;
		const struct btf_type *pr = f ? btf__type_by_id(btf, f->type) : NULL;

		if (pr && btf_is_func_proto(pr) && btf_vlen(pr) == btf_vlen(proto))
			fp = pr;
	}
	if (!fp) {
		*why = "the kernel's BTF has no parameter names for it (no __probestub_ or "
		       "__bpf_trace_ function)";
		return NULL;
	}
	return std_btf_ctx_args(s, btf, proto, fp, 1,
				arena_printf(s->arena, "rawtracepoint_%s", event));
}

static void add_point(struct sema *s, struct ast_node *ap, const struct btf *btf,
		      const char *module, const char *event, const struct btf_type *proto)
{
	struct rtp_data *d = arena_alloc(s->arena, sizeof(*d));
	struct res_probe *p;

	d->nargs = btf_vlen(proto) - 1;
	if (module) {
		d->why_no_args = "the types of module tracepoints are not read yet";
	} else {
		struct hk_type *st = build_args(s, btf, event, proto, &d->why_no_args);

		if (st) {
			d->args = ty_ptr(s->arena, st, AS_KERNEL);
			d->args->is_ctx = true;
		}
	}
	p = sema_add_probe(s, &std_probe_rawtracepoint,
			   module ? arena_printf(s->arena, "rawtracepoint:%s:%s", module, event)
				  : arena_printf(s->arena, "rawtracepoint:%s", event),
			   ap->loc);
	p->target = module ? arena_strdup(s->arena, module) : NULL;
	p->func = arena_strdup(s->arena, event);
	p->section = arena_printf(s->arena, "raw_tp/%s", event);
	p->prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT;
	p->data = d;
	s->res->uses_btf = true;
}

/* Adds every event of one BTF matching the pattern; collects names for
 * suggestions when `names` is set. Returns the number added. */
static int scan_btf(struct sema *s, struct ast_node *ap, const struct btf *btf, const char *module,
		    const char *pattern, const char ***names, int *nnames, int *cap)
{
	uint32_t i, n = btf__type_cnt(btf);
	uint32_t first = module ? btf__type_cnt(btf__base_btf(btf)) : 1;
	int added = 0;

	for (i = first; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i), *proto;
		const char *nm;

		if (!t || !btf_is_typedef(t))
			continue;
		nm = btf__name_by_offset(btf, t->name_off);
		if (!nm || strncmp(nm, TP_PREFIX, strlen(TP_PREFIX)))
			continue;
		nm += strlen(TP_PREFIX);
		if (names) {
			if (*nnames + 1 >= *cap) {
				*cap = *cap ? *cap * 2 : 1024;
				*names = realloc(*names, sizeof(**names) * (size_t)*cap);
				if (!*names)
					return added;
			}
			(*names)[(*nnames)++] = nm;
			(*names)[*nnames] = NULL;
		}
		if (fnmatch(pattern, nm, 0))
			continue;
		proto = tp_proto(btf, t);
		if (!proto)
			continue;
		add_point(s, ap, btf, module, nm, proto);
		added++;
	}
	return added;
}

/* scan_btf over one module's BTF, for std_btf_each_module. */
struct scan_arg {
	struct sema *s;
	struct ast_node *ap;
	const char *event;
};

static int scan_module(const struct btf *btf, const char *module, void *arg)
{
	struct scan_arg *a = arg;

	return scan_btf(a->s, a->ap, btf, arena_strdup(a->s->arena, module), a->event, NULL, NULL,
			NULL);
}

static int rtp_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	const char *rest = strchr(spec, ':'), *colon, *event;
	const struct btf *vmlinux = std_btf_vmlinux();
	char module[256] = "";
	const char **names = NULL;
	int nnames = 0, cap = 0, matched = 0;

	if (!rest || !rest[1]) {
		sema_error(s, ap->loc,
			   "invalid raw tracepoint '%s': expected rawtracepoint:EVENT or "
			   "rawtracepoint:MODULE:EVENT",
			   spec);
		return -1;
	}
	rest++;
	colon = strchr(rest, ':');
	if (colon && (strchr(colon + 1, ':') || colon == rest || !colon[1] ||
		      (size_t)(colon - rest) >= sizeof(module))) {
		sema_error(s, ap->loc,
			   "invalid raw tracepoint '%s': expected rawtracepoint:EVENT or "
			   "rawtracepoint:MODULE:EVENT",
			   spec);
		return -1;
	}
	if (colon) {
		memcpy(module, rest, (size_t)(colon - rest));
		module[colon - rest] = '\0';
	}
	event = colon ? colon + 1 : rest;
	if (!vmlinux) {
		sema_error(s, ap->loc, "raw tracepoints need the kernel's BTF: %s",
			   "/sys/kernel/btf/vmlinux cannot be read");
		return -1;
	}
	if (!*module || !fnmatch(module, "vmlinux", 0))
		matched += scan_btf(s, ap, vmlinux, NULL, event, &names, &nnames, &cap);
	if (*module && strcmp(module, "vmlinux")) {
		struct scan_arg sa = {s, ap, event};

		matched += std_btf_each_module(module, scan_module, &sa);
	}
	if (!matched) {
		const char *sug = names ? diag_suggest(event, names) : NULL;

		int rc;

		if (strpbrk(event, "*?[") || strpbrk(module, "*?["))
			rc = sema_missing_probe(s, ap->loc, "no raw tracepoint matches '%s'", spec);
		else if (*module)
			rc = sema_missing_probe(s, ap->loc, "raw tracepoint '%s:%s' does not exist",
						module, event);
		else
			rc = sema_missing_probe(s, ap->loc, "raw tracepoint '%s' does not exist",
						event);
		if (rc == 0) {
			free(names);
			return 0;
		}
		if (sug)
			sema_hint(s, "did you mean '%s'?", sug);
		free(names);
		return -1;
	}
	free(names);
	return 0;
}

/* argN: N, or -1 when the name is not of that form. */
static int arg_index(const char *name)
{
	char *end;
	long v;

	if (strncmp(name, "arg", 3) || name[3] < '0' || name[3] > '9')
		return -1;
	v = strtol(name + 3, &end, 10);
	return *end || v > 64 ? -1 : (int)v;
}

static int rtp_check_ident(struct sema *s, struct res_probe *p, struct ast_node *n)
{
	const struct rtp_data *d = p->data;
	int i;

	if (!strcmp(n->name, "args")) {
		if (!d->args) {
			sema_error(s, n->loc, "'args' is not available in %s: %s", p->spec,
				   d->why_no_args);
			sema_hint(s, "use arg0..arg%d (the raw 64-bit arguments)",
				  d->nargs ? d->nargs - 1 : 0);
			return -1;
		}
		n->type = d->args;
		return 0;
	}
	i = arg_index(n->name);
	if (i < 0)
		return 1;
	if (i >= d->nargs) {
		sema_error(s, n->loc, "'%s' is out of range: %s has %d argument%s", n->name,
			   p->spec, d->nargs, d->nargs == 1 ? "" : "s");
		return -1;
	}
	n->type = &ty_u64;
	return 0;
}

static LLVMValueRef rtp_lower_ident(struct cg *cg, struct res_probe *p, struct ast_node *n)
{
	int i;

	if (!strcmp(n->name, "args"))
		return LLVMBuildPtrToInt(cg->b, cg->ctx, cg->i64, "");
	i = arg_index(n->name);
	return LLVMBuildLoad2(cg->b, cg->i64, cg_gep(cg, cg->ctx, (uint32_t)i * 8), "");
}

static int rtp_attach(struct rt *rt, struct res_probe *p, struct bpf_program *prog,
		      const char **hint)
{
	struct bpf_link *l = bpf_program__attach_raw_tracepoint(prog, p->func);

	if (!l)
		return -errno;
	rt_own_link(rt, l);
	return 0;
}

/* -lv: the arguments as named by __probestub_<event> (else argN), one per
 * line, "    struct task_struct * prev" (std_btf_proto_lines). */
static char *rtp_fields(struct std_btf_printer *pr, const struct btf *btf, const char *event,
			const struct btf_type *proto)
{
	static const char *const named[] = {"__probestub_%s", "__bpf_trace_%s"};
	const struct btf_type *np = NULL;
	char fname[300];

	for (size_t k = 0; k < sizeof(named) / sizeof(named[0]) && !np; k++) {
		int32_t id;
		const struct btf_type *f, *fp;

		snprintf(fname, sizeof(fname), named[k], event);
		id = btf__find_by_name_kind(btf, fname, BTF_KIND_FUNC);
		f = id > 0 ? btf__type_by_id(btf, (uint32_t)id) : NULL;
		fp = f ? btf__type_by_id(btf, f->type) : NULL;
		if (fp && btf_is_func_proto(fp) && btf_vlen(fp) == btf_vlen(proto))
			np = fp;
	}
	return std_btf_proto_lines(pr, proto, np, 1, STD_BTF_LINES_PARAMS);
}

static void rtp_list_btf(struct probe_list *l, const struct btf *btf, const char *module)
{
	uint32_t n = btf__type_cnt(btf);
	uint32_t first = strcmp(module, "vmlinux") ? btf__type_cnt(btf__base_btf(btf)) : 1;
	struct std_btf_printer *pr = probe_list_verbose(l) ? std_btf_printer_new(btf) : NULL;
	char full[512], short_name[512];

	for (uint32_t i = first; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i), *proto;
		const char *nm;
		char *detail = NULL;

		if (!t || !btf_is_typedef(t))
			continue;
		nm = btf__name_by_offset(btf, t->name_off);
		if (!nm || strncmp(nm, TP_PREFIX, strlen(TP_PREFIX)) || !(proto = tp_proto(btf, t)))
			continue;
		nm += strlen(TP_PREFIX);
		/* rawtracepoint:sched_switch is how vmlinux events are written too */
		snprintf(full, sizeof(full), "rawtracepoint:%s:%s", module, nm);
		snprintf(short_name, sizeof(short_name), "rawtracepoint:%s", nm);
		if (!probe_list_match(l, full) &&
		    !(!strcmp(module, "vmlinux") && probe_list_match(l, short_name)))
			continue;
		if (pr)
			detail = rtp_fields(pr, btf, nm, proto);
		probe_list_add(l, full, detail);
		free(detail);
	}
	std_btf_printer_free(pr);
}

static int list_module(const struct btf *btf, const char *module, void *l)
{
	rtp_list_btf(l, btf, module);
	return 0;
}

/* -l: "rawtracepoint:vmlinux:sched_switch", and the events of modules. */
static void rtp_list(struct probe_list *l)
{
	const struct btf *vmlinux = std_btf_vmlinux();

	if (!vmlinux)
		return; /* no BTF: no raw tracepoints hawk can attach */
	rtp_list_btf(l, vmlinux, "vmlinux");
	std_btf_each_module(NULL, list_module, l);
}

static const char *const rtp_aliases[] = {"rt", NULL};

const struct probe_ops std_probe_rawtracepoint = {
	.name = "rawtracepoint",
	.aliases = rtp_aliases,
	.expand = rtp_expand,
	.check_ident = rtp_check_ident,
	.lower_ident = rtp_lower_ident,
	.attach = rtp_attach,
	.list = rtp_list,
	.pid_filter = true,
};
