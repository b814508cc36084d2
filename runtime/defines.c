/*
 * defines.c - object-like `#define NAME value` lines of a script, a driver
 * step after imports: each becomes a macro without parameters,
 * `macro NAME() { value }`, so NAME is usable bare wherever an expression
 * is (lang/macro.c expands it, and one define may use another). The value
 * is parsed as an expression: integer literals (C suffixes u/l dropped),
 * string literals, or any expression of the language. The macro text is
 * parsed as a source of the same name whose define line is at the same
 * line number, so errors in the value point at that line.
 * Function-like defines `#define F(x) ...` are an error (use a macro); a
 * define without a value (an include guard) is ignored, as before.
 */
#include "defines.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../lang/arena.h"
#include "../parser/parse.h"

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* value (len bytes) without line continuations, comments and integer suffixes. */
static char *clean_value(struct arena *a, const char *v, size_t len)
{
	char *out = arena_alloc(a, len + 1), quote = 0;
	size_t i = 0, n = 0;

	while (i < len) {
		char c = v[i];

		if (quote) {
			out[n++] = c;
			if (c == '\\' && i + 1 < len)
				out[n++] = v[++i];
			else if (c == quote)
				quote = 0;
			i++;
		} else if (c == '"' || c == '\'') {
			quote = c;
			out[n++] = v[i++];
		} else if (c == '\\' && i + 1 < len && v[i + 1] == '\n') {
			out[n++] = ' ';
			i += 2;
		} else if (c == '/' && i + 1 < len && v[i + 1] == '/') {
			while (i < len && v[i] != '\n')
				i++;
		} else if (c == '/' && i + 1 < len && v[i + 1] == '*') {
			const char *end = strstr(v + i + 2, "*/");

			i = end && (size_t)(end - v) < len ? (size_t)(end - v) + 2 : len;
			out[n++] = ' ';
		} else if (isdigit((unsigned char)c) && (n == 0 || !ident_char(out[n - 1]))) {
			/* a number: copy it, then drop u/l suffixes */
			while (i < len && (isxdigit((unsigned char)v[i]) || v[i] == 'x' ||
					   v[i] == 'X' || v[i] == '_'))
				out[n++] = v[i++];
			while (i < len && strchr("uUlL", v[i]))
				i++;
		} else {
			out[n++] = v[i++];
		}
	}
	while (n && isspace((unsigned char)out[n - 1]))
		n--;
	out[n] = 0;
	return out;
}

/* One `#...` item: 0 if it is not a define (or has no value), 1 with *macro
 * set to its macro item, -1 after an error. */
static int one_define(struct arena *a, struct source_set *src, struct ast_node *it,
		      struct diag_set *d, struct ast_node **macro)
{
	const char *p = it->str + 1, *name, *val;
	const struct source_file *sf = source_get(src, it->loc.file);
	size_t nlen, plen, tlen;
	struct ast_node *sub;
	char *text, *value;
	int file, i;

	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "define", 6) || !isspace((unsigned char)p[6]))
		return 0;
	p += 6;
	while (*p == ' ' || *p == '\t')
		p++;
	name = p;
	while (ident_char(*p))
		p++;
	nlen = (size_t)(p - name);
	if (!nlen || isdigit((unsigned char)*name)) {
		diag_error(d, it->loc, "#define needs a name");
		return -1;
	}
	if (*p == '(') {
		diag_error(d, it->loc, "function-like #define '%.*s(...)' is not supported",
			   (int)nlen, name);
		diag_hint(d, "write a macro instead: macro %.*s(...) { ... }", (int)nlen, name);
		return -1;
	}
	val = p;
	value = clean_value(a, val, strlen(val));
	if (!value[strspn(value, " \t\r\n")])
		return 0; /* no value: an include guard */

	/* line-1 newlines, then the macro, on the define's line */
	plen = (size_t)(it->loc.first_line > 1 ? it->loc.first_line - 1 : 0);
	tlen = plen + nlen + strlen(value) + 32;
	text = malloc(tlen);
	if (!text)
		return -1;
	memset(text, '\n', plen);
	snprintf(text + plen, tlen - plen, "macro %.*s() { %s }\n", (int)nlen, name, value);
	file = source_add(src, sf ? sf->name : "#define", text, strlen(text));
	free(text);
	i = d->nerrors;
	sub = parse_program(a, src, file, d);
	if (!sub || d->nerrors > i || !sub->body || sub->body->kind != AST_MACRO ||
	    sub->body->next) {
		if (d->nerrors == i)
			diag_error(d, it->loc, "cannot read the value of #define %.*s", (int)nlen,
				   name);
		return -1;
	}
	*macro = sub->body;
	return 1;
}

int defines_resolve(struct arena *a, struct source_set *src, struct ast_node *prog,
		    struct diag_set *d)
{
	struct ast_node *it, *added = NULL, *m;
	int rc = 0;

	for (it = prog->body; it; it = it->next) {
		int r;

		if (it->kind != AST_CDEF || !it->str || it->str[0] != '#')
			continue;
		m = NULL;
		r = one_define(a, src, it, d, &m);
		if (r < 0)
			rc = -1;
		else if (r > 0)
			added = ast_append(added, m);
	}
	prog->body = ast_append(prog->body, added);
	return rc;
}
