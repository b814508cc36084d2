/*
 * iter.c - iter:task, iter:task_file and iter:task_vma (alias it): BPF
 * iterators. The program is a BPF_PROG_TYPE_TRACING in section "iter/NAME",
 * run once per object (task, open file, memory mapping) when hawk reads the
 * iterator; `ctx` is the kernel's `struct bpf_iter__NAME *` from BTF
 * (ctx.task, ctx.file, ctx.fd, ctx.vma; each may be NULL at the end). hawk
 * attaches the iterator, reads it to its end (which runs the program over
 * every object), then stops: the events and maps are printed as usual. An
 * iterator cannot be mixed with other probes. Events go through the ring
 * buffer, read once the iterator ends: a huge walk can overflow it (the
 * lost-events warning says so).
 */
#include "../stdlib.h"
#include "../../runtime/rt.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <string.h>
#include <unistd.h>

STD_PROBE(iter);

static const char *const iter_names[] = {"task", "task_file", "task_vma", NULL};

static bool is_iter(const char *provider)
{
	const struct probe_ops *ops = stdlib_probe(provider);

	return ops == &std_probe_iter;
}

/* The provider of an attach point as written ("iter" of "iter:task"). */
static bool attach_is_iter(struct sema *s, const char *text)
{
	const char *colon = strchr(text, ':');
	char *prov = arena_printf(s->arena, "%.*s", colon ? (int)(colon - text) : (int)strlen(text),
				  text);

	return is_iter(prov);
}

/* Any probe other than an iterator in the program (those already expanded,
 * and the attach points of the probes after this one). */
static const char *other_probe(struct sema *s)
{
	const struct ast_node *pr, *ap;
	int i;

	for (i = 0; i < s->res->nprobes; i++)
		if (s->res->probes[i]->ops != &std_probe_iter)
			return s->res->probes[i]->spec;
	for (pr = s->probe; pr; pr = pr->next) {
		if (pr->kind != AST_PROBE)
			continue;
		for (ap = pr->body; ap; ap = ap->next)
			if (ap->kind == AST_ATTACH && ap->str && !attach_is_iter(s, ap->str))
				return ap->str;
	}
	return NULL;
}

static int iter_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	const char *rest = strchr(spec, ':'), *colon, *other;
	char name[32];
	struct hk_type *st, *ctx;
	const char *hint = NULL;
	struct res_probe *p;
	int i;

	if (!rest || !rest[1])
		goto bad;
	rest++;
	colon = strchr(rest, ':');
	if ((colon ? (size_t)(colon - rest) : strlen(rest)) >= sizeof(name))
		goto bad;
	snprintf(name, sizeof(name), "%.*s", colon ? (int)(colon - rest) : (int)strlen(rest), rest);
	for (i = 0; iter_names[i] && strcmp(iter_names[i], name); i++)
		;
	if (!iter_names[i]) {
		const char *sug = diag_suggest(name, iter_names);

		sema_error(s, ap->loc, "unknown iterator '%s'", name);
		if (sug)
			sema_hint(s, "did you mean '%s'?", sug);
		else
			sema_hint(s, "the iterators are task, task_file and task_vma");
		return -1;
	}
	if (colon) {
		sema_error(s, ap->loc, "iter:%s: pinning the iterator (%s) is not supported", name,
			   colon + 1);
		sema_hint(s, "hawk prints what the iterator finds itself: drop the path");
		return -1;
	}
	other = other_probe(s);
	if (other) {
		sema_error(s, ap->loc, "iterator probes cannot be mixed with other probes ('%s')",
			   other);
		return -1;
	}
	st = stdlib_btf_type(s, arena_printf(s->arena, "struct bpf_iter__%s", name), &hint);
	if (!st) {
		sema_error(s, ap->loc,
			   "iter:%s needs the kernel's BTF type struct bpf_iter__%s%s%s", name,
			   name, hint ? ": " : "", hint ? hint : "");
		return -1;
	}
	stdlib_btf_complete(s, st);
	/* a copy marked as the context: its fields are read directly */
	ctx = arena_alloc(s->arena, sizeof(*ctx));
	*ctx = *st;
	ctx->is_ctx = true;
	p = sema_add_probe(s, &std_probe_iter, arena_printf(s->arena, "iter:%s", name), ap->loc);
	p->func = iter_names[i];
	p->section = arena_printf(s->arena, "iter/%s", name);
	p->prog_type = BPF_PROG_TYPE_TRACING;
	p->data = ty_ptr(s->arena, ctx, AS_KERNEL);
	s->res->uses_btf = true;
	return 0;
bad:
	sema_error(s, ap->loc,
		   "invalid iterator probe '%s': expected iter:task, iter:task_file or "
		   "iter:task_vma",
		   spec);
	return -1;
}

static int iter_check_ident(struct sema *s, struct res_probe *p, struct ast_node *n)
{
	if (strcmp(n->name, "ctx"))
		return 1;
	n->type = p->data;
	return 0;
}

static LLVMValueRef iter_lower_ident(struct cg *cg, struct res_probe *p, struct ast_node *n)
{
	return LLVMBuildPtrToInt(cg->b, cg->ctx, cg->i64, "");
}

/* Attaches the iterator and reads it to its end: that runs the program over
 * every object; then hawk stops (and prints what it found). */
static int iter_attach(struct rt *rt, struct res_probe *p, struct bpf_program *prog,
		       const char **hint)
{
	struct bpf_link *l = bpf_program__attach_iter(prog, NULL);
	char buf[4096];
	ssize_t n;
	int fd;

	if (!l)
		return -errno;
	rt_own_link(rt, l);
	fd = bpf_iter_create(bpf_link__fd(l));
	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		;
	if (n < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	rt_request_stop(rt);
	return 0;
}

static const char *const iter_aliases[] = {"it", NULL};

const struct probe_ops std_probe_iter = {
	.name = "iter",
	.aliases = iter_aliases,
	.expand = iter_expand,
	.check_ident = iter_check_ident,
	.lower_ident = iter_lower_ident,
	.attach = iter_attach,
};
