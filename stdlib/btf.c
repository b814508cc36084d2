/*
 * btf.c - lazy access to the kernel's BTF and struct member offsets (see
 * btf.h). The BTF is parsed by libbpf the first time a module asks for it;
 * a failed load is remembered too, so it is tried only once. Also the -lv
 * lines of function prototypes (fentry, kprobe, raw tracepoints), typed by
 * libbpf's btf_dump as bpftrace types them.
 */
#include "btf.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct btf *vmlinux;
static bool tried;
static int load_err;

const struct btf *std_btf_vmlinux(void)
{
	if (!tried) {
		tried = true;
		vmlinux = btf__load_vmlinux_btf();
		if (!vmlinux) {
			load_err = errno ? errno : ENOENT;
			vmlinux = NULL;
		}
	}
	if (!vmlinux)
		errno = load_err;
	return vmlinux;
}

int std_btf_each_module(const char *pattern,
			int (*fn)(const struct btf *btf, const char *module, void *arg), void *arg)
{
	const struct btf *vmlinux = std_btf_vmlinux();
	DIR *d = vmlinux ? opendir("/sys/kernel/btf") : NULL;
	struct dirent *e;
	int sum = 0;

	while (d && (e = readdir(d))) {
		char path[512];
		struct btf *mb;

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "vmlinux") ||
		    (pattern && fnmatch(pattern, e->d_name, 0)))
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/btf/%s", e->d_name);
		if (!(mb = btf__parse_split(path, (struct btf *)vmlinux)))
			continue;
		sum += fn(mb, e->d_name, arg);
		btf__free(mb);
	}
	if (d)
		closedir(d);
	return sum;
}

void std_btf_free(void)
{
	btf__free(vmlinux);
	vmlinux = NULL;
	tried = false;
}

/* Skips typedefs and qualifiers. */
static const struct btf_type *resolve(const struct btf *btf, uint32_t id, uint32_t *out_id)
{
	int r = btf__resolve_type(btf, id);

	if (r < 0)
		return NULL;
	if (out_id)
		*out_id = (uint32_t)r;
	return btf__type_by_id(btf, (uint32_t)r);
}

/* Finds member `name` (len bytes) of struct/union t, looking inside
 * anonymous members; adds its bit offset to *bits. */
static int find_member(const struct btf *btf, const struct btf_type *t, const char *name,
		       size_t len, uint32_t *bits, uint32_t *type_id, uint32_t *bitfield)
{
	const struct btf_member *m = btf_members(t);
	int i, n = btf_vlen(t);

	for (i = 0; i < n; i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);
		uint32_t off = btf_member_bit_offset(t, (uint32_t)i);

		if (mn && *mn) {
			if (strlen(mn) == len && !strncmp(mn, name, len)) {
				*bits += off;
				*type_id = m->type;
				*bitfield = btf_member_bitfield_size(t, (uint32_t)i);
				return 0;
			}
			continue;
		}
		/* an anonymous struct or union: its members belong to t */
		{
			const struct btf_type *at = resolve(btf, m->type, NULL);
			uint32_t sub = 0;

			if (at && (btf_is_struct(at) || btf_is_union(at)) &&
			    find_member(btf, at, name, len, &sub, type_id, bitfield) == 0) {
				*bits += off + sub;
				return 0;
			}
		}
	}
	return -ENOENT;
}

int std_btf_member_offset(const char *struct_name, const char *member_path, uint32_t *off,
			  uint32_t *size)
{
	const struct btf *btf = std_btf_vmlinux();
	const struct btf_type *t;
	const char *p = member_path;
	uint32_t bits = 0, type_id = 0, bitfield = 0;
	int32_t id;
	int64_t sz;

	if (!btf)
		return -ENOENT;
	id = btf__find_by_name_kind(btf, struct_name, BTF_KIND_STRUCT);
	if (id < 0)
		id = btf__find_by_name_kind(btf, struct_name, BTF_KIND_UNION);
	if (id < 0)
		return -ENOENT;
	t = btf__type_by_id(btf, (uint32_t)id);
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);

		if (!t || !(btf_is_struct(t) || btf_is_union(t)))
			return -EINVAL;
		if (find_member(btf, t, p, len, &bits, &type_id, &bitfield) < 0)
			return -ENOENT;
		if (bitfield)
			return -EINVAL;
		p += len;
		if (*p == '.')
			p++;
		t = resolve(btf, type_id, NULL);
	}
	if (!type_id || bits % 8)
		return -EINVAL;
	sz = btf__resolve_size(btf, type_id);
	if (sz < 0)
		return -EINVAL;
	*off = bits / 8;
	*size = (uint32_t)sz;
	return 0;
}

struct std_btf_printer {
	const struct btf *btf;
	struct btf_dump *dump;
	char *decl; /* what the dump printed for one type */
	size_t len, cap;
	bool oom;
};

static void printer_print(void *ctx, const char *fmt, va_list ap)
{
	struct std_btf_printer *p = ctx;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(p->decl + p->len, p->cap - p->len, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	if (p->len + (size_t)n >= p->cap) {
		size_t cap = (p->len + (size_t)n + 1) * 2;
		char *d = realloc(p->decl, cap);

		if (!d) {
			p->oom = true;
			return;
		}
		p->decl = d;
		p->cap = cap;
		vsnprintf(p->decl + p->len, p->cap - p->len, fmt, ap);
	}
	p->len += (size_t)n;
}

struct std_btf_printer *std_btf_printer_new(const struct btf *btf)
{
	struct std_btf_printer *p = calloc(1, sizeof(*p));

	if (!p || !(p->decl = malloc(p->cap = 128))) {
		free(p);
		return NULL;
	}
	p->btf = btf;
	p->dump = btf_dump__new(btf, printer_print, p, NULL);
	if (!p->dump) {
		free(p->decl);
		free(p);
		return NULL;
	}
	return p;
}

void std_btf_printer_free(struct std_btf_printer *p)
{
	if (!p)
		return;
	btf_dump__free(p->dump);
	free(p->decl);
	free(p);
}

static bool ident_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* Drops the "___N" a dump adds to the second type of a name it prints
 * ("struct walk_control___2"): the type's name is the one C gives it, whatever
 * else the same listing printed before. */
static void drop_dup_suffixes(char *s)
{
	char *w = s;

	for (char *r = s; *r;) {
		if (r > s && ident_char(r[-1]) && !strncmp(r, "___", 3) && r[3] >= '0' &&
		    r[3] <= '9') {
			char *e = r + 3;

			while (*e >= '0' && *e <= '9')
				e++;
			if (!ident_char(*e)) {
				r = e;
				continue;
			}
		}
		*w++ = *r++;
	}
	*w = '\0';
}

/* "    TYPE NAME\n": the type as a nameless C declaration, as bpftrace spells it. */
static void proto_line(struct std_btf_printer *p, FILE *out, uint32_t type, const char *name)
{
	DECLARE_LIBBPF_OPTS(btf_dump_emit_type_decl_opts, o, .field_name = "");

	p->len = 0;
	p->decl[0] = '\0';
	btf_dump__emit_type_decl(p->dump, type, &o);
	drop_dup_suffixes(p->decl);
	fprintf(out, "    %s %s\n", p->decl, name);
}

char *std_btf_proto_lines(struct std_btf_printer *p, const struct btf_type *proto,
			  const struct btf_type *names, int skip, enum std_btf_lines how)
{
	const struct btf_param *tp = btf_params(proto);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (!out)
		return NULL;
	p->oom = false;
	for (int i = skip, argn = 0; how != STD_BTF_LINES_RETVAL && i < btf_vlen(proto); i++) {
		const char *pn =
			names && how != STD_BTF_LINES_ARGN
				? btf__name_by_offset(p->btf, btf_params(names)[i].name_off)
				: NULL;
		const struct btf_type *t = btf__type_by_id(p->btf, tp[i].type);
		char an[16];

		/* a variadic function's "..." (type 0) has no slot; floating-point
		 * arguments are not in the argN registers */
		if (!tp[i].type || (how == STD_BTF_LINES_ARGN && t && btf_is_float(t)))
			continue;
		snprintf(an, sizeof(an), "arg%d", how == STD_BTF_LINES_ARGN ? argn++ : i - skip);
		proto_line(p, out, tp[i].type, pn && *pn ? pn : an);
	}
	if (how == STD_BTF_LINES_FUNC || how == STD_BTF_LINES_RETVAL) {
		if (proto->type)
			proto_line(p, out, proto->type, "retval");
		else if (how == STD_BTF_LINES_RETVAL)
			fputs("    void\n", out);
	}
	if (fclose(out) || p->oom) {
		free(buf);
		return NULL;
	}
	return buf;
}
