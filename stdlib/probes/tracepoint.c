/*
 * tracepoint.c - tracepoint:CATEGORY:NAME (alias t), with wildcards in
 * either part. Each match becomes one program; its `args` are typed from the
 * tracefs format file of just that tracepoint (no BTF, no headers):
 * integers by size and sign, `char *` as pointers (user memory for syscalls),
 * char arrays as strings, `__data_loc char[]` as strings read from the record.
 */
#include "../stdlib.h"
#include "../../runtime/rt.h"

#include <bpf/libbpf.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

STD_PROBE(tracepoint);

/* One field line: "field:const char * filename;	offset:24;	size:8;	signed:0;" */
static int parse_field(struct sema *s, char *line, struct ty_field *f, bool user)
{
	char *decl = strstr(line, "field:"), *semi, *p, *name, *br;
	int off, size, sgn = 0;
	bool is_ptr, is_char, data_loc;
	uint32_t count = 0;

	if (!decl)
		return -1;
	decl += 6;
	semi = strchr(decl, ';');
	if (!semi)
		return -1;
	*semi = '\0';
	p = strstr(semi + 1, "offset:");
	if (!p || sscanf(p, "offset:%d;", &off) != 1)
		return -1;
	p = strstr(p, "size:");
	if (!p || sscanf(p, "size:%d;", &size) != 1)
		return -1;
	p = strstr(p, "signed:");
	if (p)
		sscanf(p, "signed:%d;", &sgn);
	data_loc = strstr(decl, "__data_loc") != NULL;
	/* "char comm[16]": the brackets follow the name; "__data_loc char[] name": they don't */
	br = data_loc ? NULL : strrchr(decl, '[');
	if (br) {
		count = (uint32_t)strtoul(br + 1, NULL, 10);
		*br = '\0';
	}
	/* the name is the last identifier of the declaration */
	p = decl + strlen(decl);
	while (p > decl && isspace((unsigned char)p[-1]))
		*--p = '\0';
	name = p;
	while (name > decl && (isalnum((unsigned char)name[-1]) || name[-1] == '_'))
		name--;
	if (!*name)
		return -1;
	is_ptr = strchr(decl, '*') != NULL;
	is_char = strstr(decl, "char") != NULL;
	f->name = arena_strdup(s->arena, name);
	f->offset = (uint32_t)off;
	if (data_loc) {
		f->type = ty_string(s->arena, s->res->config.max_strlen);
		f->type->data_loc = true;
	} else if (is_ptr) {
		/* one pointer level per '*': argv is `const char *const *` */
		const char *q;
		int depth = 0;

		for (q = decl; *q; q++)
			depth += *q == '*';
		f->type = is_char ? &ty_s8 : &ty_u8;
		while (depth--)
			f->type = ty_ptr(s->arena, f->type, user ? AS_USER : AS_KERNEL);
	} else if (br && is_char) {
		f->type = ty_string(s->arena, (uint32_t)size);
	} else if (br && count && size % (int)count == 0 && (size / (int)count) <= 8) {
		f->type = ty_array(s->arena, ty_int(size / (int)count, sgn), count);
	} else if (size == 1 || size == 2 || size == 4 || size == 8) {
		f->type = ty_int(size, sgn);
	} else {
		f->type = ty_array(s->arena, &ty_u8, (uint32_t)size);
	}
	return 0;
}

/* Builds the `args` struct type from events/CAT/NAME/format. */
static struct hk_type *read_format(struct sema *s, const char *tracefs, const char *cat,
				   const char *name)
{
	char path[512], line[1024];
	struct ty_field fields[128];
	struct hk_type *st;
	FILE *f;
	int n = 0;
	uint32_t end = 0;
	bool user = !strcmp(cat, "syscalls");

	snprintf(path, sizeof(path), "%s/events/%s/%s/format", tracefs, cat, name);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f) && n < 128) {
		struct ty_field fl = {0};

		if (!strstr(line, "field:") || strstr(line, "common_"))
			continue;
		if (parse_field(s, line, &fl, user) < 0)
			continue;
		fields[n++] = fl;
		if (fl.offset + fl.type->size > end)
			end = fl.offset + fl.type->size;
	}
	fclose(f);
	st = ARENA_NEW(s->arena, struct hk_type);
	st->kind = TY_STRUCT;
	st->name = arena_printf(s->arena, "tracepoint_%s_%s", cat, name);
	st->is_ctx = true;
	st->size = end;
	st->align = 8;
	st->nfields = n;
	st->fields = ARENA_NEWN(s->arena, struct ty_field, n ? n : 1);
	memcpy(st->fields, fields, sizeof(fields[0]) * (size_t)n);
	return st;
}

static int add_point(struct sema *s, struct ast_node *ap, const char *tracefs, const char *cat,
		     const char *name)
{
	struct res_probe *p;
	struct hk_type *args = read_format(s, tracefs, cat, name);

	if (!args)
		return -1;
	p = sema_add_probe(s, &std_probe_tracepoint,
			   arena_printf(s->arena, "tracepoint:%s:%s", cat, name), ap->loc);
	p->target = arena_strdup(s->arena, cat);
	p->func = arena_strdup(s->arena, name);
	p->section = arena_printf(s->arena, "tracepoint/%s/%s", cat, name);
	p->prog_type = BPF_PROG_TYPE_TRACEPOINT;
	p->data = ty_ptr(s->arena, args, AS_KERNEL);
	((struct hk_type *)p->data)->is_ctx = true;
	return 0;
}

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* The entry of DIR nearest to WORD by edit distance (sema's arena holds
 * it), or NULL: "did you mean" for a misspelt category or event. */
static const char *nearest_entry(struct sema *s, const char *dir, const char *word)
{
	const char **names = NULL;
	const char *best = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n + 2 > cap) {
			const char **more;

			cap = cap ? cap * 2 : 64;
			more = realloc(names, cap * sizeof(*names));
			if (!more)
				break;
			names = more;
		}
		names[n++] = arena_strdup(s->arena, e->d_name);
	}
	closedir(d);
	if (names) {
		names[n] = NULL;
		best = diag_suggest(word, names);
	}
	free(names);
	return best;
}

static int tp_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	const char *tracefs, *rest = strchr(spec, ':'), *colon;
	char cat[256], name[256], path[512];
	int matched = 0;
	DIR *cd, *nd;
	struct dirent *ce, *ne;

	if (!rest) {
		sema_error(s, ap->loc, "invalid tracepoint '%s': expected tracepoint:CATEGORY:NAME",
			   spec);
		return -1;
	}
	rest++;
	tracefs = rt_tracefs();
	colon = strchr(rest, ':');
	if (!colon || strchr(colon + 1, ':') || colon == rest || !colon[1] ||
	    (size_t)(colon - rest) >= sizeof(cat) || strlen(colon + 1) >= sizeof(name)) {
		sema_error(s, ap->loc, "invalid tracepoint '%s': expected tracepoint:CATEGORY:NAME",
			   spec);
		return -1;
	}
	memcpy(cat, rest, (size_t)(colon - rest));
	cat[colon - rest] = '\0';
	strcpy(name, colon + 1);
	if (!tracefs) {
		sema_error(s, ap->loc, "cannot read tracepoints: tracefs is not mounted");
		sema_note(s, ap->loc, "mount it with: mount -t tracefs nodev /sys/kernel/tracing");
		return -1;
	}
	if (!has_glob(cat) && !has_glob(name)) {
		if (add_point(s, ap, tracefs, cat, name) == 0)
			return 0;
		if (sema_missing_probe(s, ap->loc, "tracepoint '%s:%s' does not exist", cat,
				       name) == 0)
			return 0;
		snprintf(path, sizeof(path), "%s/events/%s", tracefs, cat);
		if (access(path, F_OK) != 0) {
			const char *sug;

			snprintf(path, sizeof(path), "%s/events", tracefs);
			sug = nearest_entry(s, path, cat);
			if (sug)
				sema_hint(s, "did you mean 'tracepoint:%s:%s'?", sug, name);
			else
				sema_note(s, ap->loc,
					  "there is no tracepoint category '%s'; list them with: "
					  "hawk -l 'tracepoint:*'",
					  cat);
		} else {
			const char *sug = nearest_entry(s, path, name);

			if (sug)
				sema_hint(s, "did you mean 'tracepoint:%s:%s'?", cat, sug);
			else
				sema_note(s, ap->loc,
					  "list the category with: hawk -l 'tracepoint:%s:*'", cat);
		}
		return -1;
	}
	snprintf(path, sizeof(path), "%s/events", tracefs);
	cd = opendir(path);
	if (!cd) {
		sema_error(s, ap->loc, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	while ((ce = readdir(cd))) {
		/* ftrace's own events (function, timerlat...) cannot take BPF programs */
		if (ce->d_name[0] == '.' || fnmatch(cat, ce->d_name, 0) ||
		    (!strcmp(ce->d_name, "ftrace") && strcmp(cat, "ftrace")))
			continue;
		snprintf(path, sizeof(path), "%s/events/%s", tracefs, ce->d_name);
		nd = opendir(path);
		if (!nd)
			continue;
		while ((ne = readdir(nd))) {
			if (ne->d_name[0] == '.' || fnmatch(name, ne->d_name, 0))
				continue;
			if (add_point(s, ap, tracefs, ce->d_name, ne->d_name) == 0)
				matched++;
		}
		closedir(nd);
	}
	closedir(cd);
	if (!matched) {
		sema_error(s, ap->loc, "no tracepoint matches '%s'", spec);
		return -1;
	}
	return 0;
}

static int tp_check_ident(struct sema *s, struct res_probe *p, struct ast_node *n)
{
	if (strcmp(n->name, "args"))
		return 1;
	n->type = p->data;
	return 0;
}

static LLVMValueRef tp_lower_ident(struct cg *cg, struct res_probe *p, struct ast_node *n)
{
	return LLVMBuildPtrToInt(cg->b, cg->ctx, cg->i64, "");
}

static int tp_attach(struct rt *rt, struct res_probe *p, struct bpf_program *prog,
		     const char **hint)
{
	struct bpf_link *l = bpf_program__attach_tracepoint(prog, p->target, p->func);

	if (!l)
		return -errno;
	rt_own_link(rt, l);
	return 0;
}

/* -lv: the format file's fields, "    const char * filename" (bpftrace's form). */
static char *tp_fields(const char *tracefs, const char *cat, const char *name)
{
	char path[512], line[1024];
	char *buf = NULL;
	size_t len = 0;
	FILE *f, *m;

	snprintf(path, sizeof(path), "%s/events/%s/%s/format", tracefs, cat, name);
	if (!(f = fopen(path, "re")))
		return NULL;
	if (!(m = open_memstream(&buf, &len))) {
		fclose(f);
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		char *decl = strstr(line, "field:"), *semi;

		if (!decl || strstr(line, "common_"))
			continue;
		decl += 6;
		if ((semi = strchr(decl, ';')))
			*semi = '\0';
		fprintf(m, "    %s\n", decl);
	}
	fclose(f);
	fclose(m);
	return buf;
}

static void tp_list_one(struct probe_list *l, const char *tracefs, const char *cat,
			const char *name)
{
	char full[512];
	char *detail = NULL;

	snprintf(full, sizeof(full), "tracepoint:%s:%s", cat, name);
	if (!probe_list_match(l, full))
		return;
	if (probe_list_verbose(l))
		detail = tp_fields(tracefs, cat, name);
	probe_list_add(l, full, detail);
	free(detail);
}

/* -l: available_events ("cat:name" lines), else the events/ directories. */
static void tp_list(struct probe_list *l)
{
	const char *tracefs = rt_tracefs();
	char path[512], line[512];
	FILE *f;

	if (!tracefs) {
		fprintf(stderr, "warning: cannot list tracepoints: tracefs is not mounted (mount "
				"it with: mount -t tracefs nodev /sys/kernel/tracing)\n");
		return;
	}
	snprintf(path, sizeof(path), "%s/available_events", tracefs);
	if ((f = fopen(path, "re"))) {
		while (fgets(line, sizeof(line), f)) {
			char *colon = strchr(line, ':');

			line[strcspn(line, "\n")] = '\0';
			if (!colon)
				continue;
			*colon = '\0';
			tp_list_one(l, tracefs, line, colon + 1);
		}
		fclose(f);
		return;
	}
	snprintf(path, sizeof(path), "%s/events", tracefs);
	DIR *cd = opendir(path);
	struct dirent *ce, *ne;

	while (cd && (ce = readdir(cd))) {
		DIR *nd;

		if (ce->d_name[0] == '.' || !strcmp(ce->d_name, "ftrace"))
			continue;
		snprintf(path, sizeof(path), "%s/events/%s", tracefs, ce->d_name);
		if (!(nd = opendir(path)))
			continue;
		while ((ne = readdir(nd))) {
			char id[1024];

			snprintf(id, sizeof(id), "%s/%s/id", path, ne->d_name);
			if (ne->d_name[0] != '.' && access(id, F_OK) == 0)
				tp_list_one(l, tracefs, ce->d_name, ne->d_name);
		}
		closedir(nd);
	}
	if (cd)
		closedir(cd);
}

static const char *const tp_aliases[] = {"t", NULL};

const struct probe_ops std_probe_tracepoint = {
	.name = "tracepoint",
	.aliases = tp_aliases,
	.expand = tp_expand,
	.check_ident = tp_check_ident,
	.lower_ident = tp_lower_ident,
	.attach = tp_attach,
	.list = tp_list,
	.pid_filter = true,
};
