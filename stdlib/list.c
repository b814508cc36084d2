/*
 * list.c - `hawk -l [PATTERN]` and `-lv`: the probes this kernel offers.
 *
 * Each probe module that can enumerate its probes has a `list` callback
 * (lang/modules.h) that calls probe_list_add() with full probe names; this
 * file filters them by the pattern (shell wildcards, as bpftrace), sorts,
 * drops duplicates and prints one per line, with the -lv detail lines after
 * each name. `-lv 'struct task_struct'` prints a kernel type from BTF.
 *
 * Patterns: "PROVIDER:REST" asks only that provider's module (aliases are
 * accepted: "t:syscalls:*"); a pattern without ':' matches the whole name or
 * its last part ("sys_enter_open*" finds tracepoint:syscalls:sys_enter_open).
 * Modules whose probes come from a named binary or a process (uprobe, usdt)
 * read the pattern and -p's pid themselves (probe_list_pattern/pid).
 */
#include "btf.h"
#include "stdlib.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct list_entry {
	char *name, *detail;
	size_t seq; /* the order added: of one name, the first added is printed */
};

struct probe_list {
	const char *pattern; /* NULL: everything */
	bool bare;	     /* the pattern has no provider part */
	bool verbose;
	int pid;	      /* -p PID, 0: none */
	const char *provider; /* the pattern's provider part (may have wildcards), or NULL */
	int status;	      /* 1 after probe_list_error() */
	struct list_entry *v;
	size_t n, cap;
};

bool probe_list_verbose(const struct probe_list *l)
{
	return l->verbose;
}

const char *probe_list_pattern(const struct probe_list *l)
{
	return l->pattern;
}

int probe_list_pid(const struct probe_list *l)
{
	return l->pid;
}

void probe_list_error(struct probe_list *l, const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	l->status = 1;
}

bool probe_list_names(const struct probe_list *l, const struct probe_ops *ops)
{
	return l->provider && !fnmatch(l->provider, ops->name, 0);
}

bool probe_list_match(const struct probe_list *l, const char *name)
{
	const char *last;

	if (!l->pattern || !fnmatch(l->pattern, name, 0))
		return true;
	if (!l->bare)
		return false;
	last = strrchr(name, ':');
	/* "software:cpu-clock:" ends in ':': its last part is the event */
	if (last && !last[1]) {
		const char *p = last;

		while (p > name && p[-1] != ':')
			p--;
		char part[256];
		size_t len = (size_t)(last - p);

		if (len >= sizeof(part))
			return false;
		memcpy(part, p, len);
		part[len] = '\0';
		return !fnmatch(l->pattern, part, 0);
	}
	return last && !fnmatch(l->pattern, last + 1, 0);
}

void probe_list_add(struct probe_list *l, const char *name, const char *detail)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		struct list_entry *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].name = strdup(name);
	l->v[l->n].detail = detail && l->verbose ? strdup(detail) : NULL;
	l->v[l->n].seq = l->n;
	if (l->v[l->n].name)
		l->n++;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct list_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	/* -lv: a static function's name can repeat with another prototype in
	 * the BTF; the first (the one fentry attaches to) is printed */
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static void print_btf_vprintf(void *ctx, const char *fmt, va_list ap)
{
	vfprintf(ctx, fmt, ap);
}

/* `struct X`, `union X`, `enum X` or a typedef name, printed as C from BTF. */
static int list_type(FILE *out, const char *spec)
{
	const struct btf *btf = std_btf_vmlinux();
	const char *name = spec;
	int kind = BTF_KIND_TYPEDEF;
	const struct btf_type *t;
	struct btf_dump *d;
	int32_t id;

	if (!strncmp(spec, "struct ", 7))
		kind = BTF_KIND_STRUCT, name = spec + 7;
	else if (!strncmp(spec, "union ", 6))
		kind = BTF_KIND_UNION, name = spec + 6;
	else if (!strncmp(spec, "enum ", 5))
		kind = BTF_KIND_ENUM, name = spec + 5;
	while (*name == ' ')
		name++;
	if (!btf) {
		fprintf(stderr,
			"error: cannot list '%s': the kernel's BTF "
			"(/sys/kernel/btf/vmlinux) cannot be read\n",
			spec);
		return 1;
	}
	id = btf__find_by_name_kind(btf, name, kind);
	if (id < 0 && kind == BTF_KIND_ENUM)
		id = btf__find_by_name_kind(btf, name, BTF_KIND_ENUM64);
	if (id <= 0) {
		fprintf(stderr, "error: no type '%s' in the kernel's BTF\n", spec);
		return 1;
	}
	t = btf__type_by_id(btf, (uint32_t)id);
	d = btf_dump__new(btf, print_btf_vprintf, out, NULL);
	if (!d)
		return 1;
	if (btf_is_composite(t)) {
		const struct btf_member *m = btf_members(t);

		/* only this type's members, not the types they use */
		fprintf(out, "%s %s {\n", btf_is_struct(t) ? "struct" : "union", name);
		for (int i = 0; i < btf_vlen(t); i++, m++) {
			const char *mn = btf__name_by_offset(btf, m->name_off);
			uint32_t bits = btf_member_bitfield_size(t, (uint32_t)i);
			DECLARE_LIBBPF_OPTS(btf_dump_emit_type_decl_opts, o, .field_name = mn);

			fputc('\t', out);
			btf_dump__emit_type_decl(d, m->type, &o);
			if (bits)
				fprintf(out, ":%u", bits);
			fputs(";\n", out);
		}
		fputs("};\n", out);
	} else {
		btf_dump__dump_type(d, (uint32_t)id);
	}
	btf_dump__free(d);
	return 0;
}

int stdlib_list_probes(FILE *out, const char *pattern, bool verbose, int pid)
{
	struct probe_list l = {.pattern = pattern, .verbose = verbose, .pid = pid};
	const char *const *names = stdlib_probe_names();
	const struct probe_ops *only = NULL;
	char provider[64];
	const char *colon;

	if (pattern && (!strncmp(pattern, "struct ", 7) || !strncmp(pattern, "union ", 6) ||
			!strncmp(pattern, "enum ", 5)))
		return list_type(out, pattern);
	if (pattern && !*pattern)
		l.pattern = NULL;
	if (pid > 0 && kill(pid, 0) && errno == ESRCH) {
		fprintf(stderr, "error: no process with pid %d\n", pid);
		return 1;
	}
	colon = pattern ? strchr(pattern, ':') : NULL;
	l.bare = pattern && !colon;
	/* "t:syscalls:*" is "tracepoint:syscalls:*", and only tracepoints are read */
	if (colon && (size_t)(colon - pattern) < sizeof(provider)) {
		memcpy(provider, pattern, (size_t)(colon - pattern));
		provider[colon - pattern] = '\0';
		l.provider = provider;
		if (!strpbrk(provider, "*?[") && (only = stdlib_probe(provider))) {
			char *canon = malloc(strlen(only->name) + strlen(colon) + 1);

			if (!canon)
				return 1;
			sprintf(canon, "%s%s", only->name, colon);
			l.pattern = canon;
			l.provider = only->name;
		}
	}
	for (size_t i = 0; names[i]; i++) {
		const struct probe_ops *ops = stdlib_probe(names[i]);

		if (ops && ops->list && (!only || only == ops))
			ops->list(&l);
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(l.v[0]), cmp_entry);
	/* several modules or spellings can name one probe: print it once (the
	 * previous name is freed only once the next one is compared with it) */
	for (size_t i = 0; i < l.n; i++) {
		if (i == 0 || strcmp(l.v[i].name, l.v[i - 1].name)) {
			fprintf(out, "%s\n", l.v[i].name);
			if (l.v[i].detail)
				fputs(l.v[i].detail, out);
		}
		if (i) {
			free(l.v[i - 1].name);
			free(l.v[i - 1].detail);
		}
	}
	if (l.n) {
		free(l.v[l.n - 1].name);
		free(l.v[l.n - 1].detail);
	}
	free(l.v);
	if (only)
		free((char *)l.pattern);
	return l.status;
}
