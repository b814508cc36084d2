/*
 * source.c - the table of source files of one compilation.
 *
 * Invariants: a registered file's text is copied into the arena, is
 * NUL-terminated (it may also hold NUL bytes inside, `len` says how long it
 * is) and never changes afterwards. File ids are dense indexes from 0 in
 * registration order. The `files` array itself may be reallocated when it
 * grows (in the arena: the old copy stays valid and identical, so a
 * source_file pointer obtained earlier still reads the same data).
 */
#include "source.h"
#include "arena.h"

#include <string.h>

void source_init(struct source_set *s, struct arena *a)
{
	s->arena = a;
	s->files = NULL;
	s->nfiles = 0;
	s->cap = 0;
}

int source_add(struct source_set *s, const char *name, const char *text, size_t len)
{
	struct source_file *f;

	if (s->nfiles == s->cap) {
		int cap = s->cap ? s->cap * 2 : 4;
		struct source_file *files = ARENA_NEWN(s->arena, struct source_file, cap);

		if (s->nfiles)
			memcpy(files, s->files, sizeof(*files) * (size_t)s->nfiles);
		s->files = files;
		s->cap = cap;
	}
	f = &s->files[s->nfiles];
	f->name = arena_strdup(s->arena, name ? name : "stdin");
	f->text = arena_strndup(s->arena, text ? text : "", text ? len : 0);
	f->len = text ? len : 0;
	return s->nfiles++;
}

const struct source_file *source_get(const struct source_set *s, int file)
{
	if (!s || file < 0 || file >= s->nfiles)
		return NULL;
	return &s->files[file];
}

const char *source_line(const struct source_file *f, int line, size_t *len)
{
	const char *p, *end, *nl;
	int cur = 1;

	if (!f || line < 1)
		return NULL;
	p = f->text;
	end = f->text + f->len;
	while (cur < line) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return NULL;
		p = nl + 1;
		cur++;
	}
	/* A file ending in '\n' has no line after it. */
	if (p == end && line > 1 && p[-1] == '\n')
		return NULL;
	nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl)
		nl = end;
	if (nl > p && nl[-1] == '\r')
		nl--;
	if (len)
		*len = (size_t)(nl - p);
	return p;
}

struct loc loc_span(struct loc a, struct loc b)
{
	struct loc r = a;

	r.last_line = b.last_line;
	r.last_column = b.last_column;
	return r;
}
