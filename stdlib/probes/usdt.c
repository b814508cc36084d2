/*
 * usdt.c - usdt:BINARY:[PROVIDER:]NAME (alias U): user-space statically
 * defined tracepoints, the `.note.stapsdt` probes of sys/sdt.h (read by
 * stdlib/usdt_notes.c).
 *
 * BINARY is a path, a program found in PATH, a library (short names like
 * `libc` or `c` through the mapped files of -p's process, then
 * /etc/ld.so.cache), or `*`: every file mapped by the -p process (without
 * -p: by any process). PROVIDER and NAME may have wildcards; PROVIDER may be
 * left out when NAME is unique in the binary.
 *
 * Like bpftrace, each location of a probe (a probe used at two call sites
 * has two) is its own program, its arguments lowered at compile time from
 * that location's specification: arg0..argN are constants, registers read
 * from pt_regs or memory read from the process, cut to their size and sign-
 * or zero-extended to 64 bits (int64). The uprobe goes at the location's file
 * offset; a probe with a semaphore passes its file offset as the uprobe's
 * ref_ctr_offset, so the kernel counts tracers in it while attached. With -p
 * or -c, the uprobe fires only in that process.
 *
 * What an object compiled here depends on (each binary's identity) is
 * folded into resources.cache_salt.
 */
#define _GNU_SOURCE /* memmem, strchrnul */
#include "../stdlib.h"
#include "../usdt_notes.h"
#include "../../lang/diag.h"
#include "../../runtime/rt.h"

#include <bpf/libbpf.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

STD_PROBE(usdt);

/* One location of one probe: what lowering and attaching need. */
struct usdt_point {
	const char *path; /* the binary (absolute, symlinks resolved) */
	struct usdt_note note;
};

/* ---- finding the binary ------------------------------------------------------- */

static bool is_regular(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Is file `want` followed by ".so" and nothing or a version ("libc.so.6")? */
static bool so_name(const char *file, const char *want)
{
	size_t n = strlen(want);

	return !strncmp(file, want, n) && !strncmp(file + n, ".so", 3) &&
	       (!file[n + 3] || file[n + 3] == '.');
}

/* Does a library file name (no directory) match a short name? `c` and
 * `libc` match libc.so.6; `libc.so.6` matches itself. */
static bool lib_matches(const char *file, const char *want)
{
	if (!strcmp(file, want) || so_name(file, want))
		return true;
	return strncmp(want, "lib", 3) && !strncmp(file, "lib", 3) && so_name(file + 3, want);
}

/* A file mapped (executable) by process pid whose name matches `want`. */
static bool find_in_maps(int pid, const char *want, char *out, size_t len)
{
	char path[64], line[PATH_MAX + 128];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char perms[8], *file = strchr(line, '/'), *base, *nl;

		if (!file || sscanf(line, "%*s %7s", perms) != 1 || !strchr(perms, 'x'))
			continue;
		if ((nl = strchr(file, '\n')))
			*nl = '\0';
		base = strrchr(file, '/') + 1;
		if (lib_matches(base, want) && strlen(file) < len) {
			strcpy(out, file);
			found = true;
		}
	}
	fclose(f);
	return found;
}

/* A library in /etc/ld.so.cache (the "glibc-ld.so.cache1.1" format): the
 * first x86-64 entry whose name matches `want`. */
static bool find_in_ldcache(const char *want, char *out, size_t len)
{
	static const char magic[] = "glibc-ld.so.cache1.1";
	char *buf = NULL, *hdr;
	bool found = false;
	uint32_t nlibs, i;
	long size;
	FILE *f = fopen("/etc/ld.so.cache", "re");

	if (!f)
		return false;
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 48 || fseek(f, 0, SEEK_SET) ||
	    !(buf = malloc((size_t)size + 1)) || fread(buf, 1, (size_t)size, f) != (size_t)size)
		goto out;
	buf[size] = '\0';
	hdr = memmem(buf, (size_t)size, magic, sizeof(magic) - 1);
	if (!hdr || hdr + 48 > buf + size)
		goto out;
	memcpy(&nlibs, hdr + 20, 4);
	for (i = 0; i < nlibs && hdr + 48 + (i + 1) * 24 <= buf + size; i++) {
		const char *e = hdr + 48 + i * 24;
		int32_t flags;
		uint32_t key, value;
		const char *name, *file;

		memcpy(&flags, e, 4);
		memcpy(&key, e + 4, 4);
		memcpy(&value, e + 8, 4);
		/* FLAG_ELF_LIBC6 (3), with FLAG_X8664_LIB64 (0x0300) or no arch */
		if ((flags & 0xff) != 3 || ((flags & 0xff00) && (flags & 0xff00) != 0x0300))
			continue;
		if (hdr + key >= buf + size || hdr + value >= buf + size)
			continue;
		name = hdr + key;
		file = hdr + value;
		if (lib_matches(name, want) && strlen(file) < len) {
			strcpy(out, file);
			found = true;
			break;
		}
	}
out:
	free(buf);
	fclose(f);
	return found;
}

/* The absolute path of the binary named `name`, or false. */
static bool resolve_binary(const char *name, int pid, char *out, size_t len)
{
	char buf[PATH_MAX];
	const char *path, *p, *end;

	if (strchr(name, '/')) {
		snprintf(buf, sizeof(buf), "%s", name);
		if (!is_regular(buf) && pid > 0 && name[0] == '/')
			snprintf(buf, sizeof(buf), "/proc/%d/root%s", pid, name);
		if (!is_regular(buf))
			return false;
	} else {
		buf[0] = '\0';
		path = getenv("PATH");
		for (p = path ? path : "/usr/bin:/bin"; *p && !buf[0]; p = *end ? end + 1 : end) {
			end = strchrnul(p, ':');
			snprintf(buf, sizeof(buf), "%.*s/%s", (int)(end - p), end == p ? "." : p,
				 name);
			if (!is_regular(buf) || access(buf, X_OK))
				buf[0] = '\0';
		}
		if (!buf[0] && !(pid > 0 && find_in_maps(pid, name, buf, sizeof(buf))) &&
		    !find_in_ldcache(name, buf, sizeof(buf)))
			return false;
	}
	return realpath(buf, out) && strlen(out) < len;
}

const char **std_mapped_files(struct arena *a, int pid, int *count)
{
	struct ptrvec v = {0};
	DIR *d = NULL;
	struct dirent *e;
	int one = pid;

	if (!pid)
		d = opendir("/proc");
	while (one > 0 || (d && (e = readdir(d)))) {
		char path[64], line[PATH_MAX + 128];
		FILE *f;
		int p = one;

		if (!one) {
			if (!isdigit((unsigned char)e->d_name[0]))
				continue;
			p = atoi(e->d_name);
		}
		one = 0;
		snprintf(path, sizeof(path), "/proc/%d/maps", p);
		f = fopen(path, "re");
		if (!f && pid)
			return NULL;
		while (f && fgets(line, sizeof(line), f)) {
			char perms[8], *file = strchr(line, '/'), *nl;
			int i;
			bool seen = false;

			if (!file || sscanf(line, "%*s %7s", perms) != 1 || !strchr(perms, 'x'))
				continue;
			if ((nl = strchr(file, '\n')))
				*nl = '\0';
			if (strstr(file, " (deleted)"))
				continue;
			for (i = 0; i < v.len && !seen; i++)
				seen = !strcmp(v.items[i], file);
			if (!seen)
				ptrvec_push(a, &v, arena_strdup(a, file));
		}
		if (f)
			fclose(f);
		if (!d)
			break;
	}
	if (d)
		closedir(d);
	ptrvec_push(a, &v, NULL);
	*count = v.len - 1;
	return (const char **)v.items;
}

/* ---- expanding an attach point ------------------------------------------------- */

static bool has_wildcard(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static void add_point(struct sema *s, struct ast_node *ap, const char *path,
		      const struct usdt_note *n)
{
	struct usdt_point *d = arena_alloc(s->arena, sizeof(*d));
	struct res_probe *p;

	if (!n->pc_offset || (n->semaphore && !n->sema_offset)) {
		/* n->error says which address no segment holds */
		sema_error(s, ap->loc, "usdt probe '%s:%s' in %s cannot be attached: %s",
			   n->provider, n->name, path, n->error);
		return;
	}
	d->path = path;
	d->note = *n;
	p = sema_add_probe(s, &std_probe_usdt,
			   arena_printf(s->arena, "usdt:%s:%s:%s", path, n->provider, n->name),
			   ap->loc);
	p->target = path;
	p->func = n->name;
	p->section = "uprobe";
	p->prog_type = BPF_PROG_TYPE_KPROBE;
	p->data = d;
}

/*
 * Matches the notes of one file. With no provider given, the name must
 * belong to one provider unless it has wildcards (*ambiguous then names the
 * first two providers). Returns the number of locations added.
 */
static int match_file(struct sema *s, struct ast_node *ap, const struct usdt_file *f,
		      const char *prov, const char *name, const char **ambiguous)
{
	const char *first = NULL;
	int i, added = 0;

	if (!prov && !has_wildcard(name)) {
		for (i = 0; i < f->nnotes; i++) {
			const struct usdt_note *n = &f->notes[i];

			if (strcmp(n->name, name))
				continue;
			if (!first) {
				first = n->provider;
			} else if (strcmp(first, n->provider)) {
				ambiguous[0] = first;
				ambiguous[1] = n->provider;
				return 0;
			}
		}
	}
	for (i = 0; i < f->nnotes; i++) {
		const struct usdt_note *n = &f->notes[i];

		if (prov && fnmatch(prov, n->provider, 0))
			continue;
		if (fnmatch(name, n->name, 0))
			continue;
		add_point(s, ap, f->path, n);
		added++;
	}
	return added;
}

/* "did you mean": the closest provider:name (or name) of a file. */
static const char *suggest(struct sema *s, const struct usdt_file *f, const char *prov,
			   const char *name)
{
	const char **cands = arena_alloc(s->arena, sizeof(*cands) * (size_t)(f->nnotes + 1));
	const char *want = prov ? arena_printf(s->arena, "%s:%s", prov, name) : name;
	int i;

	for (i = 0; i < f->nnotes; i++)
		cands[i] = prov ? arena_printf(s->arena, "%s:%s", f->notes[i].provider,
					       f->notes[i].name)
				: f->notes[i].name;
	cands[i] = NULL;
	return diag_suggest(want, cands);
}

static int usdt_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	char *copy = arena_strdup(s->arena, spec), *parts[4], *p = copy;
	const char *target, *prov, *name, *ambiguous[2] = {NULL, NULL};
	int n = 0, pid = s->opt ? s->opt->target_pid : 0, nfiles = 0, matched = 0, i;
	const char **files;
	char path[PATH_MAX], err[256];
	struct usdt_file one = {0};

	while (n < 4 && p) {
		parts[n++] = p;
		p = strchr(p, ':');
		if (p)
			*p++ = '\0';
	}
	if ((n != 3 && n != 4) || p || !*parts[1] || !*parts[n - 1] || (n == 4 && !*parts[2])) {
		sema_error(s, ap->loc,
			   "invalid usdt probe '%s': expected usdt:BINARY:NAME or "
			   "usdt:BINARY:PROVIDER:NAME",
			   spec);
		return -1;
	}
	target = parts[1];
	prov = n == 4 ? parts[2] : NULL;
	name = parts[n - 1];

	if (!strcmp(target, "*")) {
		if (s->opt && s->opt->has_child) {
			sema_error(s, ap->loc,
				   "usdt probe '%s': '*' needs -p PID, not -c (the command has not "
				   "started yet)",
				   spec);
			sema_hint(s, "name the binary: usdt:PATH:%s%s%s", prov ? prov : "",
				  prov ? ":" : "", name);
			return -1;
		}
		files = std_mapped_files(s->arena, pid, &nfiles);
		if (!files) {
			sema_error(
				s, ap->loc,
				"usdt probe '%s': cannot read the files mapped by process %d: %s",
				spec, pid, strerror(errno));
			return -1;
		}
	} else {
		if (has_wildcard(target)) {
			sema_error(s, ap->loc,
				   "usdt probe '%s': the binary must be a path, a name or '*'",
				   spec);
			return -1;
		}
		if (!resolve_binary(target, pid, path, sizeof(path))) {
			if (strchr(target, '/'))
				sema_error(s, ap->loc, "usdt probe '%s': binary '%s' not found",
					   spec, target);
			else if (pid > 0)
				sema_error(s, ap->loc,
					   "usdt probe '%s': binary '%s' not found (in PATH, the "
					   "files mapped by process %d or /etc/ld.so.cache)",
					   spec, target, pid);
			else
				sema_error(s, ap->loc,
					   "usdt probe '%s': binary '%s' not found (in PATH or "
					   "/etc/ld.so.cache)",
					   spec, target);
			return -1;
		}
		files = arena_alloc(s->arena, sizeof(*files) * 2);
		files[0] = arena_strdup(s->arena, path);
		nfiles = 1;
	}

	for (i = 0; i < nfiles; i++) {
		struct usdt_file f;
		int rc = usdt_read_file(s->arena, files[i], &f, err, sizeof(err));

		if (rc == -ENOENT && pid > 0 && !strcmp(target, "*")) {
			/* a file of another mount namespace (a container): through the
			 * process's root */
			files[i] = arena_printf(s->arena, "/proc/%d/root%s", pid, files[i]);
			rc = usdt_read_file(s->arena, files[i], &f, err, sizeof(err));
		}
		if (rc) {
			if (nfiles > 1)
				continue; /* `*`: files that cannot be read have no probes */
			sema_error(s, ap->loc, "usdt probe '%s': cannot read '%s': %s", spec,
				   files[i], err);
			return -1;
		}
		if (!f.has_notes) {
			if (nfiles > 1)
				continue;
			sema_error(s, ap->loc,
				   "usdt probe '%s': '%s' has no USDT probes (no .note.stapsdt "
				   "section)",
				   spec, files[i]);
			return -1;
		}
		std_salt_file(s, files[i]);
		if (nfiles == 1)
			one = f;
		matched += match_file(s, ap, &f, prov, name, ambiguous);
		if (ambiguous[0]) {
			sema_error(
				s, ap->loc,
				"usdt probe '%s': '%s' is in more than one provider of %s (%s, %s)",
				spec, name, f.path, ambiguous[0], ambiguous[1]);
			sema_hint(s,
				  "name the provider (usdt:%s:%s:%s) or use '*' to attach to all "
				  "of them",
				  target, ambiguous[0], name);
			return -1;
		}
	}
	if (!matched) {
		const char *where =
			nfiles == 1 ? arena_printf(s->arena, "in %s", files[0])
			: pid ? arena_printf(s->arena, "in the files mapped by process %d", pid)
			      : "in the files mapped by any running process";
		const char *sug = nfiles == 1 ? suggest(s, &one, prov, name) : NULL;

		if (has_wildcard(name) || (prov && has_wildcard(prov)) || nfiles != 1)
			sema_error(s, ap->loc, "usdt probe '%s': no probe matches %s", spec, where);
		else
			sema_error(s, ap->loc, "usdt probe '%s': no probe %s%s%s %s", spec,
				   prov ? prov : "", prov ? ":" : "", name, where);
		if (sug)
			sema_hint(s, "did you mean '%s'?", sug);
		return -1;
	}
	return 0;
}

/* ---- arguments --------------------------------------------------------------------- */

/* argN: N, or -1 when the name is not of that form. */
static int arg_index(const char *name)
{
	char *end;
	long v;

	if (strncmp(name, "arg", 3) || name[3] < '0' || name[3] > '9')
		return -1;
	v = strtol(name + 3, &end, 10);
	return *end || v > 1000 ? -1 : (int)v;
}

static int usdt_check_ident(struct sema *s, struct res_probe *p, struct ast_node *n)
{
	const struct usdt_point *d = p->data;
	int i = arg_index(n->name);

	if (i < 0)
		return 1;
	if (d->note.error) {
		sema_error(s, n->loc, "'%s' cannot be read in %s: %s", n->name, p->spec,
			   d->note.error);
		return -1;
	}
	if (i >= d->note.nargs) {
		sema_error(s, n->loc, "'%s' is out of range: %s has %d argument%s", n->name,
			   p->spec, d->note.nargs, d->note.nargs == 1 ? "" : "s");
		return -1;
	}
	n->type = &ty_s64;
	return 0;
}

/* A register's value, shifted for %ah-style names (not yet cut to size). */
static LLVMValueRef load_reg(struct cg *cg, const struct usdt_reg *r)
{
	LLVMValueRef v = LLVMBuildLoad2(cg->b, cg->i64, cg_gep(cg, cg->ctx, (uint32_t)r->off), "");

	if (r->shift)
		v = LLVMBuildLShr(cg->b, v, cg_const(cg, r->shift), "");
	return v;
}

static LLVMTypeRef int_type(struct cg *cg, int size)
{
	return size == 1 ? cg->i8 : size == 2 ? cg->i16 : size == 4 ? cg->i32 : cg->i64;
}

/* v (an iN of size bytes) to i64, sign- or zero-extended. */
static LLVMValueRef widen(struct cg *cg, LLVMValueRef v, const struct usdt_arg *a)
{
	if (a->size == 8)
		return v;
	return a->is_signed ? LLVMBuildSExt(cg->b, v, cg->i64, "")
			    : LLVMBuildZExt(cg->b, v, cg->i64, "");
}

static LLVMValueRef usdt_lower_ident(struct cg *cg, struct res_probe *p, struct ast_node *n)
{
	const struct usdt_point *d = p->data;
	const struct usdt_arg *a = &d->note.args[arg_index(n->name)];
	LLVMValueRef addr, buf;

	switch (a->kind) {
	case USDT_ARG_CONST:
		return cg_const(cg, (uint64_t)a->value);
	case USDT_ARG_REG:
		return widen(
			cg, LLVMBuildTrunc(cg->b, load_reg(cg, &a->reg), int_type(cg, a->size), ""),
			a);
	case USDT_ARG_MEM:
		break;
	}
	addr = cg_const(cg, (uint64_t)a->disp);
	if (a->relocate) {
		/* a link-time address: add the load bias, ip - pc (ip is the probe's
		 * address while the uprobe's handlers run) */
		struct usdt_reg ip = {128, 8, 0};

		addr = LLVMBuildAdd(
			cg->b, addr,
			LLVMBuildSub(cg->b, load_reg(cg, &ip), cg_const(cg, d->note.pc), ""), "");
	}
	if (a->reg.off >= 0)
		addr = LLVMBuildAdd(cg->b, addr, load_reg(cg, &a->reg), "");
	if (a->index.off >= 0)
		addr = LLVMBuildAdd(
			cg->b, addr,
			LLVMBuildMul(cg->b, load_reg(cg, &a->index), cg_const(cg, a->scale), ""),
			"");
	buf = cg_stack_alloc(cg, 8);
	LLVMBuildStore(cg->b, cg_const(cg, 0), buf);
	cg_probe_read(cg, buf, cg_const(cg, a->size), addr, AS_USER, false);
	return widen(cg, LLVMBuildLoad2(cg->b, int_type(cg, a->size), buf, ""), a);
}

/* ---- attaching ------------------------------------------------------------------ */

static int usdt_attach(struct rt *rt, struct res_probe *p, struct bpf_program *prog,
		       const char **hint)
{
	const struct usdt_point *d = p->data;
	int pid = rt_target_pid(rt);
	struct bpf_link *l;
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .ref_ctr_offset = (size_t)d->note.sema_offset);

	l = bpf_program__attach_uprobe_opts(prog, pid > 0 ? pid : -1, d->path,
					    (size_t)d->note.pc_offset, &opts);
	if (!l) {
		int err = -errno;

		if (err == -ENOENT)
			*hint = "the binary is gone (deleted or renamed since hawk read it)";
		else if (d->note.sema_offset && (err == -EINVAL || err == -EOPNOTSUPP))
			*hint = "the probe has a semaphore: the kernel must support uprobe "
				"reference counters (Linux 4.20 or later)";
		return err ? err : -EINVAL;
	}
	rt_own_link(rt, l);
	return 0;
}

/* ---- -l ------------------------------------------------------------------------ */

/* The probes of one file, "usdt:PATH:PROVIDER:NAME", each matching prov and
 * name (NULL prov: any provider; NULL name: the whole name as the listing
 * wants). A file that cannot be read or has no notes lists nothing. */
static void list_file(struct probe_list *l, struct arena *a, const char *path, int pid,
		      const char *prov, const char *name)
{
	struct usdt_file f;
	char err[256];
	int rc = usdt_read_file(a, path, &f, err, sizeof(err));

	if (rc == -ENOENT && pid > 0 && path[0] == '/') {
		path = arena_printf(a, "/proc/%d/root%s", pid, path);
		rc = usdt_read_file(a, path, &f, err, sizeof(err));
	}
	if (rc || !f.has_notes)
		return;
	for (int i = 0; i < f.nnotes; i++) {
		const struct usdt_note *n = &f.notes[i];
		const char *full = arena_printf(a, "usdt:%s:%s:%s", path, n->provider, n->name);

		if (name ? (prov && fnmatch(prov, n->provider, 0)) || fnmatch(name, n->name, 0)
			 : !probe_list_match(l, full))
			continue;
		probe_list_add(l, full, NULL); /* one line for a probe's locations */
	}
}

/*
 * `usdt:BINARY[:[PROVIDER:]NAME]` lists BINARY's probes (BINARY as a usdt
 * probe names it); `usdt:*...` those of every file -p's process maps (without
 * -p: of every process); a pattern without a provider lists those of -p's
 * process's files only.
 */
static void usdt_list(struct probe_list *l)
{
	const char *pat = probe_list_pattern(l), *prov = NULL, *name = NULL, *target = "*";
	int pid = probe_list_pid(l), nfiles = 0, n = 0, i;
	char *parts[3] = {NULL}, *p, path[PATH_MAX];
	const char **files;
	struct arena a;

	if (pat && strchr(pat, ':') && !probe_list_names(l, &std_probe_usdt))
		return;
	if ((!pat || !strchr(pat, ':')) && !pid)
		return;
	arena_init(&a);
	if (pat && strchr(pat, ':')) {
		p = arena_strdup(&a, strchr(pat, ':') + 1);
		while (n < 3 && p) {
			parts[n++] = p;
			p = strchr(p, ':');
			if (p)
				*p++ = '\0';
		}
		target = parts[0];
		name = n >= 2 ? parts[n - 1] : "*";
		prov = n == 3 ? parts[1] : NULL;
		if (p || !*target)
			goto out; /* more parts than a usdt probe has */
	}
	if (!has_wildcard(target)) {
		if (!resolve_binary(target, pid, path, sizeof(path)))
			probe_list_error(l, "usdt binary '%s' not found", target);
		else
			list_file(l, &a, path, pid, prov, name);
		goto out;
	}
	files = std_mapped_files(&a, pid, &nfiles);
	if (!files && pid) {
		probe_list_error(l, "cannot read the files mapped by process %d: %s", pid,
				 strerror(errno));
		goto out;
	}
	for (i = 0; i < nfiles; i++)
		if (!fnmatch(target, files[i], 0))
			list_file(l, &a, files[i], pid, prov, name);
out:
	arena_free(&a);
}

static const char *const usdt_aliases[] = {"U", NULL};

const struct probe_ops std_probe_usdt = {
	.name = "usdt",
	.aliases = usdt_aliases,
	.expand = usdt_expand,
	.check_ident = usdt_check_ident,
	.lower_ident = usdt_lower_ident,
	.attach = usdt_attach,
	.list = usdt_list,
	.pt_regs = true,
	.user_space = true,
};
