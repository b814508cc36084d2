/*
 * import.c - `import "file.bt";`: the driver reads the imported files,
 * parses each in its own source file (so errors point into it) and splices
 * their top-level items (macros, map declarations, probes...) into the
 * program, after the items of the file that imported them. A path is taken
 * relative to the importing file's folder (the current folder for -e and
 * stdin). A file imported twice is read once; cycles end there.
 */
#include "import.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static struct ast_node *import_one(struct importer *im, struct ast_node *imp, int from)
{
	const struct source_file *sf = source_get(im->src, from);
	char dir[PATH_MAX], path[2 * PATH_MAX + 2], real[PATH_MAX];
	struct ast_node *sub;
	size_t len;
	char *text;
	int i, file;

	if (imp->str[0] == '/')
		snprintf(path, sizeof(path), "%s", imp->str);
	else {
		folder_of(sf->name, dir, sizeof(dir));
		snprintf(path, sizeof(path), "%s/%s", dir, imp->str);
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
