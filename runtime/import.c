/*
 * import.c - `import "file.bt";`: the driver reads the imported files,
 * parses each in its own source file (so errors point into it) and splices
 * their top-level items (macros, map declarations, probes...) into the
 * program, after the items of the file that imported them. A path is taken
 * relative to the importing file's folder (the current folder for -e and
 * stdin). A folder imports its .bt files in name order (not when it is
 * world-writable); BPF C files (.c) are refused: hawk has no C compiler.
 * A file imported twice is read once; cycles end there.
 */
#include "import.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../lang/arena.h"
#include "../parser/parse.h"

#define IMPORT_MAX_FILES 64

struct importer {
	struct arena *a;
	struct source_set *src;
	struct diag_set *d;
	char *seen[IMPORT_MAX_FILES];
	int nseen;
};

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		return NULL;
	do {
		if (cap - n < 4096) {
			char *nb = realloc(buf, cap + 65536);

			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
			cap += 65536;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	*len = n;
	return buf;
}

/* The folder of a source name ("." for stdin and bare names). */
static void folder_of(const char *name, char *out, size_t len)
{
	const char *slash = strrchr(name, '/');

	if (!slash || !strcmp(name, "stdin")) {
		snprintf(out, len, ".");
		return;
	}
	snprintf(out, len, "%.*s", (int)(slash - name), name);
}

static int import_items(struct importer *im, struct ast_node *prog, int file);

/* Reads and parses one file (path as given, for messages) and returns its
 * items, with its own imports resolved. */
static struct ast_node *import_file(struct importer *im, struct ast_node *imp, const char *path)
{
	char real[PATH_MAX];
	struct ast_node *sub;
	const char *dot = strrchr(path, '.');
	size_t len;
	char *text;
	int i, file;

	if (dot && !strcmp(dot, ".c")) {
		diag_error(im->d, imp->loc, "cannot import '%s': BPF C files are not supported",
			   imp->str);
		diag_hint(im->d, "hawk compiles without a C compiler: import bpftrace files (.bt), "
				 "headers of type definitions (.h) or folders of .bt files");
		return NULL;
	}
	if (!realpath(path, real)) {
		diag_error(im->d, imp->loc, "cannot import '%s': %s", imp->str, strerror(errno));
		return NULL;
	}
	for (i = 0; i < im->nseen; i++)
		if (!strcmp(im->seen[i], real))
			return NULL; /* already imported */
	if (im->nseen == IMPORT_MAX_FILES) {
		diag_error(im->d, imp->loc, "too many imported files (at most %d)",
			   IMPORT_MAX_FILES);
		return NULL;
	}
	im->seen[im->nseen++] = arena_strdup(im->a, real);
	text = read_file(real, &len);
	if (!text) {
		diag_error(im->d, imp->loc, "cannot import '%s': %s", imp->str, strerror(errno));
		return NULL;
	}
	file = source_add(im->src, arena_strdup(im->a, path), text, len);
	free(text);
	sub = parse_program(im->a, im->src, file, im->d);
	if (!sub)
		return NULL;
	if (import_items(im, sub, file) < 0)
		return NULL;
	return sub->body;
}

static int bt_file(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 3 && !strcmp(e->d_name + n - 3, ".bt");
}

/* A folder: its .bt files in name order. A folder anyone can write to is
 * refused (anyone could add code to the program). */
static struct ast_node *import_folder(struct importer *im, struct ast_node *imp, const char *path,
				      const struct stat *st)
{
	struct dirent **names = NULL;
	struct ast_node *items = NULL;
	char file[2 * PATH_MAX + 2];
	int i, n;

	if ((st->st_mode & S_IWOTH) != 0) {
		diag_error(im->d, imp->loc, "cannot import '%s': the folder is world-writable",
			   imp->str);
		return NULL;
	}
	n = scandir(path, &names, bt_file, alphasort);
	if (n < 0) {
		diag_error(im->d, imp->loc, "cannot import '%s': %s", imp->str, strerror(errno));
		return NULL;
	}
	for (i = 0; i < n; i++) {
		snprintf(file, sizeof(file), "%s/%s", path, names[i]->d_name);
		items = ast_append(items, import_file(im, imp, file));
		free(names[i]);
	}
	free(names);
	return items;
}

static struct ast_node *import_one(struct importer *im, struct ast_node *imp, int from)
{
	const struct source_file *sf = source_get(im->src, from);
	char dir[PATH_MAX], path[2 * PATH_MAX + 2];
	struct stat st;

	if (imp->str[0] == '/')
		snprintf(path, sizeof(path), "%s", imp->str);
	else {
		folder_of(sf->name, dir, sizeof(dir));
		snprintf(path, sizeof(path), "%s/%s", dir, imp->str);
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return import_folder(im, imp, path, &st);
	return import_file(im, imp, path);
}

/* Replaces the AST_IMPORT items of prog by nothing and appends what they import. */
static int import_items(struct importer *im, struct ast_node *prog, int file)
{
	struct ast_node **link = &prog->body, *it, *added = NULL;

	while ((it = *link)) {
		if (it->kind != AST_IMPORT) {
			link = &it->next;
			continue;
		}
		*link = it->next;
		added = ast_append(added, import_one(im, it, file));
	}
	prog->body = ast_append(prog->body, added);
	return 0;
}

int import_resolve(struct arena *a, struct source_set *src, struct ast_node *prog, int file,
		   struct diag_set *d)
{
	struct importer im = {a, src, d, {0}, 0};
	const struct source_file *sf = source_get(src, file);
	char real[PATH_MAX];
	int nerr = d->nerrors;

	if (sf && strcmp(sf->name, "stdin") && realpath(sf->name, real))
		im.seen[im.nseen++] = arena_strdup(a, real);
	import_items(&im, prog, file);
	return d->nerrors > nerr ? -1 : 0;
}
