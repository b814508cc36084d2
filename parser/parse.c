/*
 * parse.c - the parser's driver, plus the scanner's helpers that are
 * easier to read as plain C than as flex actions: positions, integer
 * literals, keywords, attach points.
 *
 * parse_program() scans the registered text in place (flex copies it into
 * its own buffer, released by yylex_destroy before returning), so a parse
 * leaves nothing allocated but arena memory and diagnostics. It returns
 * NULL when the parse reported any error, even one it recovered from.
 */
#include "../parser/parse.h"
#include "parser_priv.h"
#include "parser.h"
#include "lexer.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ---------------- nodes ---------------- */

struct pnode {
	struct ast_node n; /* first: a pnode is used as its ast_node */
	int height;	   /* 1 for a leaf */
	bool trailing;	   /* AST_BLOCK: ends with an expression and no ';' */
};

struct ast_node *parse_new(struct arena *a, enum ast_kind kind, struct loc loc)
{
	struct pnode *p = ARENA_NEW(a, struct pnode);

	p->n.kind = kind;
	p->n.loc = loc;
	p->height = 1;
	return &p->n;
}

void parse_set_trailing(struct ast_node *block, bool trailing)
{
	((struct pnode *)block)->trailing = trailing;
}

bool parse_trailing(const struct ast_node *block)
{
	return ((const struct pnode *)block)->trailing;
}

static int height(const struct ast_node *n)
{
	return n ? ((const struct pnode *)n)->height : 0;
}

static int max_height(int h, const struct ast_node *n)
{
	return height(n) > h ? height(n) : h;
}

struct ast_node *parse_fin(struct parse_ctx *pc, struct ast_node *n)
{
	const struct ast_node *c;
	int h = 0;

	if (!n)
		return n;
	h = max_height(h, n->lhs);
	h = max_height(h, n->rhs);
	h = max_height(h, n->cond);
	h = max_height(h, n->then);
	h = max_height(h, n->els);
	h = max_height(h, n->pred);
	h = max_height(h, n->vtype);
	for (c = n->body; c; c = c->next)
		h = max_height(h, c);
	for (c = n->params; c; c = c->next)
		h = max_height(h, c);
	((struct pnode *)n)->height = h + 1;
	if (h + 1 > PARSE_MAX_DEPTH && !pc->too_deep) {
		struct loc l = n->loc;

		/* point at where the construct starts */
		l.last_line = l.first_line;
		l.last_column = l.first_column;
		diag_error(pc->diag, l, "program is nested too deeply (more than %d levels)",
			   PARSE_MAX_DEPTH);
		pc->too_deep = true;
	}
	return n;
}

/* ---------------- positions ---------------- */

void lex_advance(struct lexer_state *ls, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ls->lastc = ls->pos;
		if (s[i] == '\n') {
			ls->pos.line++;
			ls->pos.col = 1;
		} else {
			ls->pos.col++;
		}
	}
	ls->pos.off += n;
}

struct loc lex_loc_from(const struct lexer_state *ls, struct lex_pos a)
{
	struct loc l;

	l.first_line = a.line;
	l.first_column = a.col;
	l.last_line = ls->lastc.line;
	l.last_column = ls->lastc.col;
	l.file = ls->file;
	if (l.last_line < l.first_line ||
	    (l.last_line == l.first_line && l.last_column < l.first_column)) {
		l.last_line = l.first_line;
		l.last_column = l.first_column;
	}
	return l;
}

struct loc lex_loc(const struct lexer_state *ls)
{
	return lex_loc_from(ls, ls->prev);
}

struct loc lex_eof_loc(const struct lexer_state *ls)
{
	const char *t = ls->sf->text;
	size_t end = ls->sf->len, i;
	struct loc l = {1, 1, 1, 1, ls->file};
	int line = 1, col = 1;

	while (end > 0 && (t[end - 1] == ' ' || t[end - 1] == '\t' || t[end - 1] == '\n' ||
			   t[end - 1] == '\r' || t[end - 1] == '\v' || t[end - 1] == '\f'))
		end--;
	if (end == 0)
		return l;
	for (i = 0; i < end; i++) {
		if (t[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	l.first_line = l.last_line = line;
	l.first_column = l.last_column = col;
	return l;
}

size_t lex_ident_len(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && (s[n] == '_' || (s[n] >= 'a' && s[n] <= 'z') ||
			   (s[n] >= 'A' && s[n] <= 'Z') || (n > 0 && s[n] >= '0' && s[n] <= '9')))
		n++;
	return n;
}

void lex_str_append(struct lexer_state *ls, const char *s, size_t n)
{
	if (ls->slen + n + 1 > ls->scap) {
		size_t cap = ls->scap ? ls->scap : 64;
		char *p;

		while (cap < ls->slen + n + 1)
			cap *= 2;
		p = realloc(ls->sbuf, cap);
		if (!p) {
			fprintf(stderr, "hawk: out of memory\n");
			exit(1);
		}
		ls->sbuf = p;
		ls->scap = cap;
	}
	memcpy(ls->sbuf + ls->slen, s, n);
	ls->slen += n;
}

void lex_comment(struct lexer_state *ls, struct lex_pos start)
{
	struct ast_comment *c;

	if (!ls->keep_comments)
		return;
	c = ARENA_NEW(ls->arena, struct ast_comment);
	c->loc = lex_loc_from(ls, start);
	c->text = ls->sf->text + start.off;
	c->len = (uint32_t)(ls->pos.off - start.off);
	if (ls->comments_tail)
		ls->comments_tail->next = c;
	else
		ls->comments = c;
	ls->comments_tail = c;
}

/* ---------------- words ---------------- */

static bool word_is(const char *s, size_t len, const char *w)
{
	return strlen(w) == len && memcmp(s, w, len) == 0;
}

int lex_keyword(const char *s, size_t len)
{
	static const struct {
		const char *word;
		int tok;
	} kw[] = {
		{"if", T_IF},
		{"else", T_ELSE},
		{"while", T_WHILE},
		{"for", T_FOR},
		{"unroll", T_UNROLL},
		{"let", T_LET},
		{"return", T_RETURN},
		{"break", T_BREAK},
		{"continue", T_CONTINUE},
		{"import", T_IMPORT},
		{"sizeof", T_SIZEOF},
		{"offsetof", T_OFFSETOF},
		{"true", T_TRUE},
		{"false", T_FALSE},
		{"struct", T_STRUCT},
		{"union", T_UNION},
		{"enum", T_ENUM},
		/* builtin type names */
		{"bool", T_TYPE},
		{"string", T_TYPE},
		{"buffer", T_TYPE},
		{"inet", T_TYPE},
		{"void", T_TYPE},
		{"int8", T_TYPE},
		{"int16", T_TYPE},
		{"int32", T_TYPE},
		{"int64", T_TYPE},
		{"uint8", T_TYPE},
		{"uint16", T_TYPE},
		{"uint32", T_TYPE},
		{"uint64", T_TYPE},
	};
	size_t i;

	for (i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (word_is(s, len, kw[i].word))
			return kw[i].tok;
	return T_IDENT;
}

bool lex_typedef_like(const char *s, size_t len)
{
	static const char *const names[] = {
		"u8",	  "u16",    "u32",    "u64",	"s8",	  "s16",  "s32",
		"s64",	  "__u8",   "__u16",  "__u32",	"__u64",  "__s8", "__s16",
		"__s32",  "__s64",  "char",   "short",	"int",	  "long", "__be16",
		"__be32", "__be64", "__le16", "__le32", "__le64", NULL,
	};
	int i;

	if (len > 2 && s[len - 2] == '_' && s[len - 1] == 't')
		return true;
	for (i = 0; names[i]; i++)
		if (word_is(s, len, names[i]))
			return true;
	return false;
}

/* ---------------- type names in casts ---------------- */

static bool (*type_oracle)(const char *name);

void parse_set_type_oracle(bool (*is_type)(const char *name))
{
	type_oracle = is_type;
}

struct lex_name {
	struct lex_name *next;
	char *name;
};

static bool name_listed(const struct lex_name *l, const char *s, size_t n)
{
	for (; l; l = l->next)
		if (word_is(s, n, l->name))
			return true;
	return false;
}

static void name_add(struct lexer_state *ls, struct lex_name **l, const char *s, size_t n)
{
	struct lex_name *e;

	if (name_listed(*l, s, n))
		return;
	e = ARENA_NEW(ls->arena, struct lex_name);
	e->name = arena_strndup(ls->arena, s, n);
	e->next = *l;
	*l = e;
}

static bool is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Skips blanks and comments from p; returns where the next token starts. */
static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\v' ||
		    *p == '\f') {
			p++;
		} else if (p + 1 < end && p[0] == '/' && p[1] == '/') {
			while (p < end && *p != '\n')
				p++;
		} else if (p + 1 < end && p[0] == '/' && p[1] == '*') {
			for (p += 2; p + 1 < end && !(p[0] == '*' && p[1] == '/'); p++)
				;
			p = p + 2 < end ? p + 2 : end;
		} else {
			break;
		}
	}
	return p;
}

void lex_note_typedef(struct lexer_state *ls, size_t start, size_t end)
{
	static const char *const c_words[] = {
		"typedef",  "struct", "union",	  "enum",	   "const",  "volatile", "signed",
		"unsigned", "char",   "short",	  "int",	   "long",   "void",	 "float",
		"double",   "_Bool",  "restrict", "__attribute__", "packed", "aligned",	 NULL,
	};
	const char *text = ls->sf->text, *p, *q;
	size_t from = start, i;
	int depth = 0;

	/* the declarators come after the body of an inline struct/union/enum */
	for (i = start; i < end; i++) {
		if (text[i] == '{')
			depth++;
		else if (text[i] == '}' && --depth == 0)
			from = i + 1;
	}
	/* a declarator's name is an identifier followed by ',' ';' '[' or ')' */
	for (p = text + from; p < text + end;) {
		int k;

		if (!is_ident_char(*p) || (*p >= '0' && *p <= '9')) {
			p++;
			continue;
		}
		for (q = p; q < text + end && is_ident_char(*q); q++)
			;
		for (k = 0; c_words[k]; k++)
			if (word_is(p, (size_t)(q - p), c_words[k]))
				break;
		if (!c_words[k]) {
			const char *f = skip_blanks(q, text + end);

			if (f < text + end && (*f == ',' || *f == ';' || *f == '[' || *f == ')'))
				name_add(ls, &ls->typedefs, p, (size_t)(q - p));
		}
		p = q;
	}
}

void lex_note_macro_name(struct lexer_state *ls, const char *s, size_t n)
{
	name_add(ls, &ls->macro_names, s, n);
}

/* Whether the '(' before the identifier just scanned can open a cast: not
 * when a word comes before it (`f(x)`, `if (x)`, `sizeof(x)`), but
 * `return (T)x`. */
static bool cast_paren(const struct lexer_state *ls)
{
	const char *text = ls->sf->text, *p = text + ls->prev.off, *w;

	while (p > text && p[-1] != '(')
		p--;
	if (p > text)
		p--;
	while (p > text && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\r' || p[-1] == '\n'))
		p--;
	for (w = p; w > text && is_ident_char(w[-1]); w--)
		;
	return w == p || word_is(w, (size_t)(p - w), "return");
}

bool lex_cast_type(struct lexer_state *ls, const char *s, size_t n)
{
	const char *end = ls->sf->text + ls->sf->len;
	const char *p = skip_blanks(ls->sf->text + ls->pos.off, end);
	char *name;

	if (p >= end || *p != ')' || !cast_paren(ls))
		return false;
	p = skip_blanks(p + 1, end);
	if (p >= end)
		return false;
	/* `(name)` then an operand: only a cast reads so (`(myint)1`, `(T)$x`) */
	if (is_ident_char(*p) || *p == '"' || *p == '$' || *p == '@' || *p == '(' || *p == '~' ||
	    (*p == '!' && (p + 1 >= end || p[1] != '=')))
		return true;
	/* `(name) - x`, `(name) * p`, `(name) & x`: a cast if name is a type */
	if (p + 1 >= end || p[1] == '=' ||
	    !((*p == '-' && p[1] != '-' && p[1] != '>') || *p == '*' || (*p == '&' && p[1] != '&')))
		return false;
	if (ls->in_macro && name_listed(ls->macro_names, s, n))
		return false; /* a macro parameter */
	if (name_listed(ls->typedefs, s, n))
		return true;
	if (!type_oracle)
		return false;
	name = arena_strndup(ls->arena, s, n);
	return type_oracle(name);
}

struct ast_node *lex_attach(struct lexer_state *ls, const char *text, size_t len, struct loc loc)
{
	struct ast_node *n = parse_new(ls->arena, AST_ATTACH, loc);
	size_t id = lex_ident_len(text, len);

	if (id > 0 && id < len && text[id] == '=') {
		n->name = arena_strndup(ls->arena, text, id);
		text += id + 1;
		len -= id + 1;
		if (len == 0)
			diag_error(ls->diag, loc, "missing attach point after '%s='", n->name);
	}
	n->str = arena_strndup(ls->arena, text, len);
	return n;
}

/* ---------------- integer literals ---------------- */

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/* C suffixes: u, l, ul, lu, ll, ull, llu, in any case. Sets *is_unsigned. */
static bool c_suffix(const char *s, bool *is_unsigned)
{
	bool u = false;
	int l = 0;

	for (; *s; s++) {
		if ((*s == 'u' || *s == 'U') && !u) {
			u = true;
		} else if ((*s == 'l' || *s == 'L') && l < 2) {
			l++;
			/* "lL" is not a suffix */
			if (l == 2 && s[-1] != *s)
				return false;
		} else {
			return false;
		}
	}
	if (u)
		*is_unsigned = true;
	return true;
}

/* Multiplies, reporting overflow. */
static bool mul_ok(uint64_t *v, uint64_t m)
{
	if (m && *v > UINT64_MAX / m)
		return false;
	*v *= m;
	return true;
}

struct ast_node *lex_number(struct lexer_state *ls, const char *text, size_t len, struct loc loc)
{
	static const struct {
		const char *suffix;
		uint64_t ns;
	} durations[] = {
		{"ns", 1ULL},
		{"us", 1000ULL},
		{"ms", 1000000ULL},
		{"s", 1000000000ULL},
		{"m", 60ULL * 1000000000ULL},
		{"h", 3600ULL * 1000000000ULL},
		{"d", 86400ULL * 1000000000ULL},
	};
	struct ast_node *n = parse_new(ls->arena, AST_INT, loc);
	char buf[128];
	size_t i, k = 0;
	const char *p;
	uint64_t v = 0;
	int base = 10;
	bool is_unsigned = false, too_big = false;

	/* Drop digit separators: 1_000_000. */
	for (i = 0; i < len && k + 1 < sizeof(buf); i++)
		if (text[i] != '_')
			buf[k++] = text[i];
	buf[k] = '\0';
	if (i < len) {
		diag_error(ls->diag, loc, "integer literal is too long");
		return n;
	}
	p = buf;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
		if (digit_value(*p) >= 16) {
			diag_error(ls->diag, loc, "hexadecimal literal '%.*s' has no digits",
				   (int)len, text);
			return n;
		}
	} else if (p[0] == '0' && p[1] >= '0' && p[1] <= '9') {
		base = 8;
		p++;
	}
	for (; *p && digit_value(*p) < (base == 16 ? 16 : 10); p++) {
		int d = digit_value(*p);

		if (d >= base) {
			diag_error(ls->diag, loc, "invalid digit '%c' in octal literal '%.*s'", *p,
				   (int)len, text);
			return n;
		}
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			too_big = true;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	/* Scientific notation: 1e6 is 1000000 (integers only). */
	if (base == 10 && (*p == 'e' || *p == 'E') && p[1] >= '0' && p[1] <= '9') {
		unsigned long e = 0;

		for (p++; *p >= '0' && *p <= '9'; p++) {
			e = e * 10 + (unsigned long)(*p - '0');
			if (e > 100)
				e = 100;
		}
		while (e-- > 0 && !too_big)
			if (!mul_ok(&v, 10))
				too_big = true;
	}
	if (*p) {
		bool done = false;

		if (base != 16) {
			for (i = 0; i < sizeof(durations) / sizeof(durations[0]); i++) {
				if (strcmp(p, durations[i].suffix) == 0) {
					if (!too_big && !mul_ok(&v, durations[i].ns))
						too_big = true;
					done = true;
					break;
				}
			}
		}
		if (!done && !c_suffix(p, &is_unsigned)) {
			diag_error(ls->diag, loc, "invalid suffix '%s' on integer literal", p);
			return n;
		}
	}
	if (too_big) {
		diag_error(ls->diag, loc, "integer literal '%.*s' is too large", (int)len, text);
		return n;
	}
	if (v > (uint64_t)INT64_MAX)
		is_unsigned = true;
	n->uval = v;
	n->ival = (int64_t)v;
	n->is_unsigned = is_unsigned;
	return n;
}

/* ---------------- driver ---------------- */

struct ast_node *parse_program(struct arena *a, struct source_set *src, int file,
			       struct diag_set *d)
{
	return parse_program_comments(a, src, file, d, NULL);
}

struct ast_node *parse_program_comments(struct arena *a, struct source_set *src, int file,
					struct diag_set *d, struct ast_comment **comments)
{
	const struct source_file *sf = source_get(src, file);
	struct lexer_state ls;
	struct parse_ctx pc;
	YY_BUFFER_STATE buf;
	yyscan_t scanner;
	int errors = d->nerrors, rc;

	if (comments)
		*comments = NULL;
	if (!sf) {
		diag_error_noloc(d, "no source file %d", file);
		return NULL;
	}
	if (sf->len > INT_MAX - 2) {
		diag_error_noloc(d, "%s: program is too large", sf->name);
		return NULL;
	}
	memset(&ls, 0, sizeof(ls));
	ls.arena = a;
	ls.diag = d;
	ls.sf = sf;
	ls.file = file;
	ls.pos.line = ls.pos.col = 1;
	ls.prev = ls.lastc = ls.pos;
	ls.keep_comments = comments != NULL;
	memset(&pc, 0, sizeof(pc));
	pc.arena = a;
	pc.diag = d;
	pc.sf = sf;
	pc.file = file;

	if (yylex_init_extra(&ls, &scanner)) {
		diag_error_noloc(d, "cannot start the scanner");
		return NULL;
	}
	buf = yy_scan_bytes(sf->text, (int)sf->len, scanner);
	lexer_start(scanner);
	rc = yyparse(scanner, &pc);
	yy_delete_buffer(buf, scanner);
	yylex_destroy(scanner);
	free(ls.sbuf);
	if (comments)
		*comments = ls.comments;

	if (rc != 0 && d->nerrors == errors)
		diag_error_noloc(d, "%s: parse failed", sf->name);
	if (rc != 0 || d->nerrors > errors)
		return NULL;
	return pc.program;
}
