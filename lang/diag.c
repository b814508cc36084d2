/*
 * diag.c - collecting and rendering diagnostics.
 *
 * Diagnostics are appended in the order they are reported and rendered in
 * that order, gcc-style:
 *
 *   FILE:LINE:COL: error: MSG          (range of one column, or several lines)
 *   FILE:LINE:COL-END: error: MSG      (range on one line; END is exclusive,
 *                                       as bpftrace prints it: 1-based COL of
 *                                       the first character, END = last + 1)
 *   <the source line, verbatim>
 *   <'^' under the first column, '~' under the rest of the range>
 *
 * The range underline stops at the end of the first line of a multi-line
 * range. Tabs of the source line are copied into the underline so it lines
 * up in a terminal; UTF-8 continuation bytes take no column in it; other
 * control bytes of the source line are shown as blanks. A note
 * with a location is rendered the same way with "note:"; one without (from
 * diag_hint) is just "note: MSG". An error without a location is "error: MSG".
 *
 * Invariants: messages are malloc'ed and owned by the set (diag_free); a
 * warning reported while no_warnings is set is recorded but never rendered,
 * and neither are the notes that follow it; nwarnings counts only the
 * warnings that will be shown.
 */
#define _GNU_SOURCE /* open_memstream, fileno */
#include "diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Colours (gcc's): error red, warning magenta, note cyan, underline green. */
#define C_BOLD	  "\033[1m"
#define C_ERROR	  "\033[1;31m"
#define C_WARNING "\033[1;35m"
#define C_NOTE	  "\033[1;36m"
#define C_CARET	  "\033[1;32m"
#define C_RESET	  "\033[0m"

/* Private level for a warning dropped by --no-warnings (never rendered). */
#define DIAG_SUPPRESSED ((enum diag_level)100)

void diag_init(struct diag_set *d, struct source_set *src)
{
	memset(d, 0, sizeof(*d));
	d->src = src;
}

void diag_free(struct diag_set *d)
{
	int i;

	if (!d)
		return;
	for (i = 0; i < d->n; i++)
		free(d->items[i].msg);
	free(d->items);
	d->items = NULL;
	d->n = d->cap = 0;
	d->nerrors = d->nwarnings = 0;
}

static char *vformat(const char *fmt, va_list ap)
{
	va_list ap2;
	char *s;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	s = malloc((size_t)n + 1);
	if (!s) {
		fprintf(stderr, "hawk: out of memory\n");
		exit(1);
	}
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static void diag_add(struct diag_set *d, enum diag_level level, struct loc loc, bool has_loc,
		     const char *fmt, va_list ap)
{
	struct diag *it;

	if (d->n == d->cap) {
		int cap = d->cap ? d->cap * 2 : 16;
		struct diag *items = realloc(d->items, sizeof(*items) * (size_t)cap);

		if (!items) {
			fprintf(stderr, "hawk: out of memory\n");
			exit(1);
		}
		d->items = items;
		d->cap = cap;
	}
	/* Notes follow the fate of the diagnostic they belong to. */
	if (level == DIAG_WARNING && d->no_warnings)
		level = DIAG_SUPPRESSED;
	else if (level == DIAG_NOTE && d->n > 0 && d->items[d->n - 1].level == DIAG_SUPPRESSED)
		level = DIAG_SUPPRESSED;
	it = &d->items[d->n++];
	it->level = level;
	it->loc = loc;
	it->has_loc = has_loc;
	it->msg = vformat(fmt, ap);
	if (level == DIAG_ERROR)
		d->nerrors++;
	else if (level == DIAG_WARNING)
		d->nwarnings++;
}

void diag_error(struct diag_set *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, DIAG_ERROR, loc, true, fmt, ap);
	va_end(ap);
}

void diag_warn(struct diag_set *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, DIAG_WARNING, loc, true, fmt, ap);
	va_end(ap);
}

void diag_note(struct diag_set *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, DIAG_NOTE, loc, true, fmt, ap);
	va_end(ap);
}

void diag_hint(struct diag_set *d, const char *fmt, ...)
{
	struct loc none = {0};
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, DIAG_NOTE, none, false, fmt, ap);
	va_end(ap);
}

void diag_error_noloc(struct diag_set *d, const char *fmt, ...)
{
	struct loc none = {0};
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, DIAG_ERROR, none, false, fmt, ap);
	va_end(ap);
}

static bool want_colour(FILE *out, int colour)
{
	const char *term;

	if (colour >= 0)
		return colour > 0;
	if (getenv("NO_COLOR"))
		return false;
	term = getenv("TERM");
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return isatty(fileno(out));
}

static bool is_utf8_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* The source line and the underline of the range. */
static void render_snippet(FILE *out, const struct source_file *f, struct loc loc, bool colour)
{
	size_t len, i;
	const char *line = source_line(f, loc.first_line, &len);
	size_t first, last;

	if (!line)
		return;
	first = loc.first_column > 0 ? (size_t)loc.first_column : 1;
	if (loc.last_line == loc.first_line && loc.last_column >= loc.first_column)
		last = (size_t)loc.last_column;
	else
		last = len; /* multi-line range: underline to the end of the line */
	if (first > len + 1)
		first = len + 1;
	if (last < first)
		last = first;
	if (last > len + 1)
		last = len > first ? len : first;

	/* control bytes would upset a terminal: shown as blanks */
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		fputc((c < 0x20 && c != '\t') || c == 0x7f ? ' ' : c, out);
	}
	fputc('\n', out);
	for (i = 1; i < first; i++) {
		unsigned char c = (unsigned char)line[i - 1];

		if (c == '\t')
			fputc('\t', out);
		else if (!is_utf8_cont(c))
			fputc(' ', out);
	}
	if (colour)
		fputs(C_CARET, out);
	fputc('^', out);
	for (i = first + 1; i <= last; i++) {
		if (i <= len && is_utf8_cont((unsigned char)line[i - 1]))
			continue;
		fputc('~', out);
	}
	if (colour)
		fputs(C_RESET, out);
	fputc('\n', out);
}

static void render_one(const struct diag_set *d, const struct diag *it, FILE *out, bool colour)
{
	const struct source_file *f = NULL;
	const char *word, *wcol;

	switch (it->level) {
	case DIAG_ERROR:
		word = "error";
		wcol = C_ERROR;
		break;
	case DIAG_WARNING:
		word = "warning";
		wcol = C_WARNING;
		break;
	default:
		word = "note";
		wcol = C_NOTE;
		break;
	}
	if (it->has_loc) {
		f = source_get(d->src, it->loc.file);
		if (colour)
			fputs(C_BOLD, out);
		fprintf(out, "%s:%d:%d", f ? f->name : "<unknown>", it->loc.first_line,
			it->loc.first_column);
		if (it->loc.last_line == it->loc.first_line &&
		    it->loc.last_column > it->loc.first_column)
			fprintf(out, "-%d", it->loc.last_column + 1);
		fputs(":", out);
		if (colour)
			fputs(C_RESET, out);
		fputc(' ', out);
	}
	if (colour)
		fprintf(out, "%s%s:%s %s\n", wcol, word, C_RESET, it->msg);
	else
		fprintf(out, "%s: %s\n", word, it->msg);
	if (it->has_loc && f)
		render_snippet(out, f, it->loc, colour);
}

void diag_render(const struct diag_set *d, FILE *out, int colour)
{
	bool col = want_colour(out, colour);
	int i;

	for (i = 0; i < d->n; i++) {
		if (d->items[i].level == DIAG_SUPPRESSED)
			continue;
		render_one(d, &d->items[i], out, col);
	}
	fflush(out);
}

char *diag_render_string(const struct diag_set *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	diag_render(d, f, 0);
	fclose(f);
	return buf;
}

/*
 * Optimal-string-alignment distance (Levenshtein plus adjacent
 * transpositions, so "pirntf" is one edit from "printf").
 */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, r;
	size_t *d;

	if (la > 256 || lb > 256)
		return SIZE_MAX;
	d = malloc(sizeof(*d) * (la + 1) * (lb + 1));
	if (!d)
		return SIZE_MAX;
#define D(i, j) d[(i) * (lb + 1) + (j)]
	for (i = 0; i <= la; i++)
		D(i, 0) = i;
	for (j = 0; j <= lb; j++)
		D(0, j) = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t v = D(i - 1, j) + 1;

			if (D(i, j - 1) + 1 < v)
				v = D(i, j - 1) + 1;
			if (D(i - 1, j - 1) + cost < v)
				v = D(i - 1, j - 1) + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    D(i - 2, j - 2) + 1 < v)
				v = D(i - 2, j - 2) + 1;
			D(i, j) = v;
		}
	}
	r = D(la, lb);
#undef D
	free(d);
	return r;
}

/*
 * The closest candidate, if it is close enough: at most 1 edit for words of
 * up to 3 characters, then one more per 3 characters, and always fewer
 * edits than the word has characters. Ties go to the earlier candidate.
 */
const char *diag_suggest(const char *word, const char *const *candidates)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX, len, limit;
	int i;

	if (!word || !candidates)
		return NULL;
	len = strlen(word);
	if (len == 0)
		return NULL;
	limit = len <= 3 ? 1 : (len + 2) / 3;
	for (i = 0; candidates[i]; i++) {
		size_t dist = edit_distance(word, candidates[i]);

		if (dist < best_d) {
			best_d = dist;
			best = candidates[i];
		}
	}
	if (!best || best_d > limit || best_d >= len)
		return NULL;
	return best;
}
