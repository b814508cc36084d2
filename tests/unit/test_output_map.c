/*
 * test_output_map.c - whole maps (out_map): layout, sorting, top/div, JSON,
 * and the status records (out_attached, out_lost).
 *
 * The aggregations here are small fakes of the stdlib ones (count, sum, avg,
 * stats, hist, lhist) with the same reduced layouts. Expected text is what
 * bpftrace 0.17 printed for the same maps (see the program before each
 * case), with the 0.26 changes: stats as a record, no trailing space after
 * "@h:", no blank line after avg/stats maps, ties ordered by key.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output_fixture.h"
#include "lang/hist.h"
#include "lang/modules.h"
#include "lang/resources.h"
#include "lang/types.h"

/* ---- fake aggregations ---- */

static int64_t u64_sort(const struct hk_type *t, const void *v)
{
	return (int64_t) * (const uint64_t *)v;
}

static void u64_print(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	fprintf(o->f, "%" PRIu64, *(const uint64_t *)v / div);
}

static const struct agg_ops count_ops = {
	.name = "count",
	.type_name = "count_t",
	.sort_key = u64_sort,
	.print = u64_print,
	.json_type = "map",
	.print_json = u64_print,
};

static int64_t s64_sort(const struct hk_type *t, const void *v)
{
	return *(const int64_t *)v;
}

static void s64_print(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	fprintf(o->f, "%" PRId64, *(const int64_t *)v / (int64_t)div);
}

static const struct agg_ops sum_ops = {
	.name = "sum",
	.type_name = "sum_t",
	.sort_key = s64_sort,
	.print = s64_print,
	.json_type = "map",
	.print_json = s64_print,
};

struct avg_val {
	int64_t total;
	uint64_t count;
};

static int64_t avg_of(const void *v)
{
	const struct avg_val *a = v;

	return a->count ? a->total / (int64_t)a->count : 0;
}

static int64_t avg_sort(const struct hk_type *t, const void *v)
{
	return avg_of(v);
}

static void avg_print(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	fprintf(o->f, "%" PRId64, avg_of(v) / (int64_t)div);
}

static const struct agg_ops avg_ops = {
	.name = "avg",
	.type_name = "avg_t",
	.sort_key = avg_sort,
	.print = avg_print,
	.json_type = "stats",
	.print_json = avg_print,
};

static void stats_print(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	const struct avg_val *a = v;

	fprintf(o->f, "{ .count = %" PRIu64 ", .average = %" PRId64 ", .total = %" PRId64 " }",
		a->count, avg_of(v) / (int64_t)div, a->total);
}

static void stats_print_json(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	const struct avg_val *a = v;

	fprintf(o->f, "{\"count\": %" PRIu64 ", \"average\": %" PRId64 ", \"total\": %" PRId64 "}",
		a->count, avg_of(v) / (int64_t)div, a->total);
}

static const struct agg_ops stats_ops = {
	.name = "stats",
	.type_name = "stats_t",
	.sort_key = avg_sort,
	.print = stats_print,
	.json_type = "stats",
	.print_json = stats_print_json,
};

static int64_t hist_total(const struct hk_type *t, const void *v)
{
	const uint64_t *b = v;
	uint32_t i, n = t->agg_params[2] ? lhist_nbuckets(t->agg_params[0], t->agg_params[1],
							  t->agg_params[2])
					 : hist_nbuckets((int)t->agg_arg);
	int64_t sum = 0;

	for (i = 0; i < n; i++)
		sum += (int64_t)b[i];
	return sum;
}

static void hist_print(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	out_hist(o, v, hist_nbuckets((int)t->agg_arg), (int)t->agg_arg, div);
}

static void hist_print_json(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	out_hist_json(o, v, hist_nbuckets((int)t->agg_arg), (int)t->agg_arg, div);
}

static const struct agg_ops hist_ops = {
	.name = "hist",
	.type_name = "hist_t",
	.bucketed = true,
	.sort_key = hist_total,
	.multiline = true,
	.print = hist_print,
	.json_type = "hist",
	.print_json = hist_print_json,
};

static void lhist_print(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	const int64_t *p = t->agg_params;

	out_lhist(o, v, lhist_nbuckets(p[0], p[1], p[2]), p[0], p[1], p[2], div);
}

static void lhist_print_json(struct out *o, const struct hk_type *t, const void *v, uint64_t div)
{
	const int64_t *p = t->agg_params;

	out_lhist_json(o, v, lhist_nbuckets(p[0], p[1], p[2]), p[0], p[1], p[2], div);
}

static const struct agg_ops lhist_ops = {
	.name = "lhist",
	.type_name = "lhist_t",
	.bucketed = true,
	.sort_key = hist_total,
	.multiline = true,
	.print = lhist_print,
	.json_type = "hist",
	.print_json = lhist_print_json,
};

/* ---- helpers ---- */

static struct res_map *mkmap(const char *name, struct hk_type *key, struct hk_type *value)
{
	struct res_map *m = ARENA_NEW(&A, struct res_map);

	m->name = name;
	m->key = key;
	m->value = value;
	m->agg = value->kind == TY_AGG ? value->agg : NULL;
	return m;
}

static struct hk_type *agg(const struct agg_ops *ops, uint32_t size)
{
	return ty_agg(&A, ops, size);
}

static const char *print_map(enum out_format fmt, struct res_map *m, struct map_entry *e, int n,
			     uint32_t top, uint64_t div)
{
	cap_begin(fmt);
	out_map(&o, m, e, n, top, div);
	return cap_end();
}

/* A string key of capacity 16. */
static char *skey(const char *s)
{
	char *k = arena_alloc(&A, 16);

	strncpy(k, s, 15);
	return k;
}

static void *u64v(uint64_t v)
{
	uint64_t *p = arena_alloc(&A, 8);

	*p = v;
	return p;
}

static void *s64v(int64_t v)
{
	int64_t *p = arena_alloc(&A, 8);

	*p = v;
	return p;
}

/* ---- cases ---- */

/* BEGIN { @c = count(); @b = (int8)-3; } */
static void test_scalars(void)
{
	struct res_map *c = mkmap("@c", NULL, agg(&count_ops, 8));
	struct res_map *b = mkmap("@b", NULL, &ty_s8);
	struct map_entry e = {NULL, u64v(1)};
	int8_t m3 = -3;
	struct map_entry eb = {NULL, &m3};

	CHECK_STR(print_map(OUT_TEXT, c, &e, 1, 0, 1), "@c: 1\n");
	CHECK_STR(print_map(OUT_JSON, c, &e, 1, 0, 1),
		  "{\"type\": \"map\", \"data\": {\"@c\": 1}}\n");
	CHECK_STR(print_map(OUT_TEXT, b, &eb, 1, 0, 1), "@b: -3\n");
	CHECK_STR(print_map(OUT_JSON, b, &eb, 1, 0, 1),
		  "{\"type\": \"map\", \"data\": {\"@b\": -3}}\n");
	/* an empty map prints nothing */
	CHECK_STR(print_map(OUT_TEXT, c, &e, 0, 0, 1), "");
	CHECK_STR(print_map(OUT_JSON, c, &e, 0, 0, 1), "");
}

/* @c["x"] = count() x1, @c["y"] x2, @c["z"] x3 -> sorted by count */
static void test_count_sorted(void)
{
	struct res_map *m = mkmap("@c", ty_string(&A, 16), agg(&count_ops, 8));
	struct map_entry e[3] = {
		{skey("z"), u64v(3)},
		{skey("x"), u64v(1)},
		{skey("y"), u64v(2)},
	};

	CHECK_STR(print_map(OUT_TEXT, m, e, 3, 0, 1), "@c[x]: 1\n@c[y]: 2\n@c[z]: 3\n");
	CHECK_STR(print_map(OUT_JSON, m, e, 3, 0, 1),
		  "{\"type\": \"map\", \"data\": {\"@c\": {\"x\": 1, \"y\": 2, \"z\": 3}}}\n");
	/* print(@c, 2): the last two; print(@c, 0, 2): divided */
	CHECK_STR(print_map(OUT_TEXT, m, e, 3, 2, 1), "@c[y]: 2\n@c[z]: 3\n");
	CHECK_STR(print_map(OUT_TEXT, m, e, 3, 0, 2), "@c[x]: 0\n@c[y]: 1\n@c[z]: 1\n");
	CHECK_STR(print_map(OUT_TEXT, m, e, 3, 10, 0), "@c[x]: 1\n@c[y]: 2\n@c[z]: 3\n");
}

/* @s[1] = sum(10); @s[2] = sum(-5); @s[3] = sum(3); -> -5, 3, 10 */
static void test_sum_signed(void)
{
	struct res_map *m = mkmap("@s", &ty_s64, agg(&sum_ops, 8));
	struct map_entry e[3] = {
		{s64v(1), s64v(10)},
		{s64v(2), s64v(-5)},
		{s64v(3), s64v(3)},
	};

	CHECK_STR(print_map(OUT_TEXT, m, e, 3, 0, 1), "@s[2]: -5\n@s[3]: 3\n@s[1]: 10\n");
	CHECK_STR(print_map(OUT_JSON, m, e, 3, 0, 1),
		  "{\"type\": \"map\", \"data\": {\"@s\": {\"2\": -5, \"3\": 3, \"1\": 10}}}\n");
}

/* Plain integer values sort by value:
 * @x[(int8)-1] = 1; @x[(int8)5] = 2; @x[(int8)-7] = 3;
 * @y["b"] = 1; @y["a"] = 2; @y["ab"] = 7; */
static void test_plain_int_maps(void)
{
	int8_t k1 = -1, k2 = 5, k3 = -7;
	struct res_map *x = mkmap("@x", &ty_s8, &ty_s64);
	struct res_map *y = mkmap("@y", ty_string(&A, 16), &ty_s64);
	struct map_entry ex[3] = {{&k3, s64v(3)}, {&k2, s64v(2)}, {&k1, s64v(1)}};
	struct map_entry ey[3] = {
		{skey("ab"), s64v(7)}, {skey("a"), s64v(2)}, {skey("b"), s64v(1)}};

	CHECK_STR(print_map(OUT_TEXT, x, ex, 3, 0, 1), "@x[-1]: 1\n@x[5]: 2\n@x[-7]: 3\n");
	CHECK_STR(print_map(OUT_JSON, x, ex, 3, 0, 1),
		  "{\"type\": \"map\", \"data\": {\"@x\": {\"-1\": 1, \"5\": 2, \"-7\": 3}}}\n");
	CHECK_STR(print_map(OUT_TEXT, y, ey, 3, 0, 1), "@y[b]: 1\n@y[a]: 2\n@y[ab]: 7\n");
	/* div applies to plain integer values */
	CHECK_STR(print_map(OUT_TEXT, y, ey, 3, 0, 2), "@y[b]: 0\n@y[a]: 1\n@y[ab]: 3\n");
	/* bpftrace's json-output map case */
	{
		struct map_entry em[2] = {{skey("key2"), s64v(3)}, {skey("key1"), s64v(2)}};
		struct res_map *mm = mkmap("@map", ty_string(&A, 16), &ty_s64);

		CHECK_STR(
			print_map(OUT_JSON, mm, em, 2, 0, 1),
			"{\"type\": \"map\", \"data\": {\"@map\": {\"key1\": 2, \"key2\": 3}}}\n");
	}
}

/* Multi-keys: @z[2, "b"] = 1; @z[1, "c"] = 1; @z[1, "a"] = 1; equal values
 * are ordered by key (bpftrace leaves their order unspecified). */
static void test_tuple_keys(void)
{
	struct hk_type *e2[2] = {&ty_s64, ty_string(&A, 8)};
	struct hk_type *kt = ty_tuple(&A, e2, NULL, 2);
	struct res_map *z = mkmap("@z", kt, &ty_s64);
	unsigned char *k[3];
	struct map_entry e[3];
	static const struct {
		int64_t n;
		const char *s;
	} keys[3] = {{2, "b"}, {1, "c"}, {1, "a"}};
	int i;

	for (i = 0; i < 3; i++) {
		k[i] = arena_alloc(&A, kt->size);
		memcpy(k[i], &keys[i].n, 8);
		strcpy((char *)k[i] + 8, keys[i].s);
		e[i].key = k[i];
		e[i].value = s64v(1);
	}
	CHECK_STR(print_map(OUT_TEXT, z, e, 3, 0, 1), "@z[1, a]: 1\n@z[1, c]: 1\n@z[2, b]: 1\n");
	CHECK_STR(
		print_map(OUT_JSON, z, e, 3, 0, 1),
		"{\"type\": \"map\", \"data\": {\"@z\": {\"1,a\": 1, \"1,c\": 1, \"2,b\": 1}}}\n");

	/* bpftrace's json-output complex case: @complex[comm, 2] = 5 */
	{
		struct hk_type *c2[2] = {ty_string(&A, 16), &ty_s64};
		struct hk_type *ct = ty_tuple(&A, c2, NULL, 2);
		struct res_map *c = mkmap("@complex", ct, &ty_s64);
		unsigned char *ck = arena_alloc(&A, ct->size);
		int64_t two = 2;
		struct map_entry ce = {ck, s64v(5)};

		strcpy((char *)ck, "bpftrace");
		memcpy(ck + 16, &two, 8);
		CHECK_STR(print_map(OUT_JSON, c, &ce, 1, 0, 1),
			  "{\"type\": \"map\", \"data\": {\"@complex\": {\"bpftrace,2\": 5}}}\n");
		CHECK_STR(print_map(OUT_TEXT, c, &ce, 1, 0, 1), "@complex[bpftrace, 2]: 5\n");
	}
}

/* Non-integer values sort by key:
 * @str[1] = "hello"; @str[2] = "abc"; @tup[1] = (1, "two", -3); */
static void test_other_values(void)
{
	struct hk_type *s = ty_string(&A, 16);
	struct res_map *m = mkmap("@str", &ty_s64, s);
	struct map_entry e[2] = {{s64v(2), skey("abc")}, {s64v(1), skey("hello")}};
	struct hk_type *t3[3] = {&ty_s64, ty_string(&A, 8), &ty_s64};
	struct hk_type *tt = ty_tuple(&A, t3, NULL, 3);
	struct res_map *tm = mkmap("@tup", &ty_s64, tt);
	unsigned char *tv = arena_alloc(&A, tt->size);
	int64_t one = 1, m3 = -3;
	struct map_entry te = {s64v(1), tv};

	CHECK_STR(print_map(OUT_TEXT, m, e, 2, 0, 1), "@str[1]: hello\n@str[2]: abc\n");
	CHECK_STR(
		print_map(OUT_JSON, m, e, 2, 0, 1),
		"{\"type\": \"map\", \"data\": {\"@str\": {\"1\": \"hello\", \"2\": \"abc\"}}}\n");
	memcpy(tv, &one, 8);
	strcpy((char *)tv + 8, "two");
	memcpy(tv + 16, &m3, 8);
	CHECK_STR(print_map(OUT_TEXT, tm, &te, 1, 0, 1), "@tup[1]: (1, two, -3)\n");
	CHECK_STR(print_map(OUT_JSON, tm, &te, 1, 0, 1),
		  "{\"type\": \"map\", \"data\": {\"@tup\": {\"1\": [1,\"two\",-3]}}}\n");

	/* keys keep the spaces in their data; keyless tuple values are JSON arrays */
	{
		struct res_map *sp = mkmap("@m", ty_string(&A, 16), &ty_s64);
		struct map_entry se = {skey("a b"), s64v(1)};
		struct hk_type *in2[2] = {&ty_s64, &ty_s64};
		struct hk_type *t5[4] = {&ty_s64, &ty_s64, ty_string(&A, 8),
					 ty_tuple(&A, in2, NULL, 2)};
		struct hk_type *vt = ty_tuple(&A, t5, NULL, 4);
		struct res_map *at = mkmap("@", NULL, vt);
		unsigned char *v = arena_alloc(&A, vt->size);
		struct map_entry ae = {NULL, v};

		CHECK_STR(print_map(OUT_JSON, sp, &se, 1, 0, 1),
			  "{\"type\": \"map\", \"data\": {\"@m\": {\"a b\": 1}}}\n");
		v[0] = 1;
		v[8] = 2;
		strcpy((char *)v + 16, "string");
		v[24] = 4;
		v[32] = 5;
		/* bpftrace's json-output tuple case */
		CHECK_STR(print_map(OUT_JSON, at, &ae, 1, 0, 1),
			  "{\"type\": \"map\", \"data\": {\"@\": [1,2,\"string\",[4,5]]}}\n");
		CHECK_STR(print_map(OUT_TEXT, at, &ae, 1, 0, 1), "@: (1, 2, string, (4, 5))\n");
	}
}

/* @av["a"] = avg(10), avg(21); @av["b"] = avg(4);
 * @st: the same with stats() -- 0.26 prints stats as a record and adds no
 * blank line after either map (0.17 did). */
static void test_avg_stats(void)
{
	struct res_map *av = mkmap("@av", ty_string(&A, 16), agg(&avg_ops, 16));
	struct res_map *st = mkmap("@st", ty_string(&A, 16), agg(&stats_ops, 16));
	struct avg_val a = {31, 2}, b = {4, 1};
	struct map_entry e[2] = {{skey("a"), &a}, {skey("b"), &b}};

	CHECK_STR(print_map(OUT_TEXT, av, e, 2, 0, 1), "@av[b]: 4\n@av[a]: 15\n");
	CHECK_STR(print_map(OUT_JSON, av, e, 2, 0, 1),
		  "{\"type\": \"stats\", \"data\": {\"@av\": {\"b\": 4, \"a\": 15}}}\n");
	CHECK_STR(print_map(OUT_TEXT, st, e, 2, 0, 1),
		  "@st[b]: { .count = 1, .average = 4, .total = 4 }\n"
		  "@st[a]: { .count = 2, .average = 15, .total = 31 }\n");
	CHECK_STR(
		print_map(OUT_JSON, st, e, 2, 0, 1),
		"{\"type\": \"stats\", \"data\": {\"@st\": {\"b\": {\"count\": 1, \"average\": 4, "
		"\"total\": 4}, \"a\": {\"count\": 2, \"average\": 15, \"total\": 31}}}}\n");

	/* bpftrace's stats case: @stats = stats(2); @stats = stats(10); */
	{
		struct res_map *s1 = mkmap("@stats", NULL, agg(&stats_ops, 16));
		struct avg_val v = {12, 2};
		struct map_entry se = {NULL, &v};

		CHECK_STR(print_map(OUT_TEXT, s1, &se, 1, 0, 1),
			  "@stats: { .count = 2, .average = 6, .total = 12 }\n");
		CHECK_STR(print_map(OUT_JSON, s1, &se, 1, 0, 1),
			  "{\"type\": \"stats\", \"data\": {\"@stats\": {\"count\": 2, "
			  "\"average\": 6, "
			  "\"total\": 12}}}\n");
	}

	/* bpftrace's print_avg_map_args: @[a..d] = avg(10..40); print(@, 2, 10) */
	{
		struct res_map *m = mkmap("@", ty_string(&A, 16), agg(&avg_ops, 16));
		struct avg_val v[4] = {{10, 1}, {20, 1}, {30, 1}, {40, 1}};
		struct map_entry pe[4] = {{skey("c"), &v[2]},
					  {skey("a"), &v[0]},
					  {skey("d"), &v[3]},
					  {skey("b"), &v[1]}};

		CHECK_STR(print_map(OUT_TEXT, m, pe, 4, 2, 10), "@[c]: 3\n@[d]: 4\n");
		CHECK_STR(print_map(OUT_JSON, m, pe, 4, 2, 10),
			  "{\"type\": \"stats\", \"data\": {\"@\": {\"c\": 3, \"d\": 4}}}\n");
		CHECK_STR(print_map(OUT_JSON, m, pe, 4, 10, 10),
			  "{\"type\": \"stats\", \"data\": {\"@\": {\"a\": 1, \"b\": 2, \"c\": 3, "
			  "\"d\": 4}}}\n");
	}
}

static uint64_t *hist_of(int bits, const int64_t *vals, int n)
{
	uint64_t *b = arena_alloc(&A, sizeof(uint64_t) * hist_nbuckets(bits));
	int i;

	for (i = 0; i < n; i++)
		b[hist_index(vals[i], bits)]++;
	return b;
}

/* @h[1] = hist(3); @h[2] = hist(5); @h[2] = hist(7); -- every value is
 * followed by a blank line; 0.17 wrote "@h[1]: " with a trailing space. */
static void test_hist_maps(void)
{
	struct hk_type *ht = agg(&hist_ops, 8);
	struct res_map *h = mkmap("@h", &ty_s64, ht);
	struct res_map *hs = mkmap("@h", NULL, ht);
	struct map_entry e[2] = {
		{s64v(2), hist_of(0, (int64_t[]){5, 7}, 2)},
		{s64v(1), hist_of(0, (int64_t[]){3}, 1)},
	};

	CHECK_STR(
		print_map(OUT_TEXT, h, e, 2, 0, 1),
		"@h[1]:\n"
		"[2, 4)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"\n"
		"@h[2]:\n"
		"[4, 8)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"\n");
	/* out_map sorted e in place: e[1] is key 2 now */
	CHECK(*(int64_t *)e[1].key == 2);
	CHECK_STR(
		print_map(OUT_TEXT, hs, &e[1], 1, 0, 1),
		"@h:\n"
		"[4, 8)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"\n");
	/* an all-zero histogram (after zero()): the header and the blank line;
	 * JSON: bpftrace's hist_zero.json */
	{
		struct map_entry z = {NULL, hist_of(0, NULL, 0)};
		struct res_map *hz = mkmap("@hist", NULL, ht);

		CHECK_STR(print_map(OUT_TEXT, hz, &z, 1, 0, 1), "@hist:\n\n");
		CHECK_STR(print_map(OUT_JSON, hz, &z, 1, 0, 1),
			  "{\"type\": \"hist\", \"data\": {\"@hist\": []}}\n");
	}
	/* bpftrace's print_hist_with_top_arg and print_hist_with_large_top_arg:
	 * @[1] = hist(10); @[2] = hist(20); @[3] = hist(30); print(@, 2) */
	{
		struct res_map *m = mkmap("@", &ty_s64, ht);
		struct map_entry t[3] = {
			{s64v(3), hist_of(0, (int64_t[]){30}, 1)},
			{s64v(1), hist_of(0, (int64_t[]){10}, 1)},
			{s64v(2), hist_of(0, (int64_t[]){20}, 1)},
		};

		CHECK_STR(print_map(OUT_JSON, m, t, 3, 2, 1),
			  "{\"type\": \"hist\", \"data\": {\"@\": {\"2\": [{\"min\": 16, \"max\": "
			  "31, "
			  "\"count\": 1}], \"3\": [{\"min\": 16, \"max\": 31, \"count\": 1}]}}}\n");
		CHECK_STR(
			print_map(OUT_JSON, m, t, 3, 10, 1),
			"{\"type\": \"hist\", \"data\": {\"@\": {\"1\": [{\"min\": 8, \"max\": 15, "
			"\"count\": 1}], \"2\": [{\"min\": 16, \"max\": 31, \"count\": 1}], \"3\": "
			"[{\"min\": 16, \"max\": 31, \"count\": 1}]}}}\n");
		CHECK_STR(print_map(OUT_TEXT, m, t, 3, 2, 1),
			  "@[2]:\n"
			  "[16, 32)               1 "
			  "|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
			  "\n"
			  "@[3]:\n"
			  "[16, 32)               1 "
			  "|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
			  "\n");
	}
	/* histogram maps are ordered by their total count */
	{
		struct hk_type *st = ty_string(&A, 16);
		struct res_map *m = mkmap("@", st, ht);
		struct map_entry t[2] = {
			{skey("bpftrace"), hist_of(0, (int64_t[]){2, 2, 2}, 3)},
			{skey("curl"), hist_of(0, (int64_t[]){-1, 0, 511, 1024, 1025}, 5)},
		};

		CHECK_STR(print_map(OUT_JSON, m, t, 2, 0, 1),
			  "{\"type\": \"hist\", \"data\": {\"@\": {\"bpftrace\": [{\"min\": 2, "
			  "\"max\": "
			  "3, \"count\": 3}], \"curl\": [{\"max\": -1, \"count\": 1},{\"min\": 0, "
			  "\"max\": 0, \"count\": 1},{\"min\": 1, \"max\": 1, \"count\": "
			  "0},{\"min\": "
			  "2, \"max\": 3, \"count\": 0},{\"min\": 4, \"max\": 7, \"count\": "
			  "0},{\"min\": "
			  "8, \"max\": 15, \"count\": 0},{\"min\": 16, \"max\": 31, \"count\": "
			  "0},{\"min\": 32, \"max\": 63, \"count\": 0},{\"min\": 64, \"max\": 127, "
			  "\"count\": 0},{\"min\": 128, \"max\": 255, \"count\": 0},{\"min\": 256, "
			  "\"max\": 511, \"count\": 1},{\"min\": 512, \"max\": 1023, \"count\": "
			  "0},{\"min\": 1024, \"max\": 2047, \"count\": 2}]}}}\n");
	}
}

/* @l = lhist(5, 0, 100, 10) and a keyed lhist in JSON (bpftrace's
 * lhist_multiple case). */
static void test_lhist_maps(void)
{
	struct hk_type *lt = agg(&lhist_ops, 8);
	uint32_t nb = lhist_nbuckets(0, 100, 10);
	uint64_t *b1 = arena_alloc(&A, 8 * nb), *b2 = arena_alloc(&A, 8 * nb);
	struct res_map *l, *ls;
	struct map_entry e = {NULL, b1};
	struct map_entry k[2] = {{skey("curl"), b2}, {skey("bpftrace"), b1}};

	lt->agg_params[0] = 0;
	lt->agg_params[1] = 100;
	lt->agg_params[2] = 10;
	l = mkmap("@l", NULL, lt);
	ls = mkmap("@stats", ty_string(&A, 16), lt);
	b1[lhist_index(5, 0, 100, 10)]++;
	CHECK_STR(
		print_map(OUT_TEXT, l, &e, 1, 0, 1),
		"@l:\n"
		"[0, 10)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"\n");
	b1[lhist_index(1000, 0, 100, 10)]++;
	b2[lhist_index(50, 0, 100, 10)]++;
	CHECK_STR(
		print_map(OUT_JSON, ls, k, 2, 0, 1),
		"{\"type\": \"hist\", \"data\": {\"@stats\": {\"curl\": [{\"min\": 50, \"max\": "
		"59, "
		"\"count\": 1}], \"bpftrace\": [{\"min\": 0, \"max\": 9, \"count\": 1},{\"min\": "
		"10, "
		"\"max\": 19, \"count\": 0},{\"min\": 20, \"max\": 29, \"count\": 0},{\"min\": 30, "
		"\"max\": 39, \"count\": 0},{\"min\": 40, \"max\": 49, \"count\": 0},{\"min\": 50, "
		"\"max\": 59, \"count\": 0},{\"min\": 60, \"max\": 69, \"count\": 0},{\"min\": 70, "
		"\"max\": 79, \"count\": 0},{\"min\": 80, \"max\": 89, \"count\": 0},{\"min\": 90, "
		"\"max\": 99, \"count\": 0},{\"min\": 100, \"count\": 1}]}}}\n");
}

/* Key sorting for non-integer values: ints numerically (signed and
 * unsigned), strings bytewise, tuples field by field. */
static void test_key_order(void)
{
	struct hk_type *s = ty_string(&A, 16);
	struct res_map *m = mkmap("@k", &ty_u64, s);
	struct map_entry e[3] = {
		{u64v(UINT64_MAX), skey("max")},
		{u64v(10), skey("ten")},
		{u64v(9), skey("nine")},
	};
	struct res_map *sm = mkmap("@s", s, s);
	struct map_entry se[4] = {{skey("b"), skey("1")},
				  {skey("ab"), skey("2")},
				  {skey("a"), skey("3")},
				  {skey("B"), skey("4")}};

	CHECK_STR(print_map(OUT_TEXT, m, e, 3, 0, 1),
		  "@k[9]: nine\n@k[10]: ten\n@k[18446744073709551615]: max\n");
	CHECK_STR(print_map(OUT_TEXT, sm, se, 4, 0, 1),
		  "@s[B]: 4\n@s[a]: 3\n@s[ab]: 2\n@s[b]: 1\n");
	CHECK_STR(print_map(OUT_TEXT, sm, se, 4, 1, 1), "@s[b]: 1\n");
}

static void test_status(void)
{
	char *err_buf = NULL;
	size_t err_len = 0;
	FILE *saved = stderr;

	cap_begin(OUT_JSON);
	out_attached(&o, 1);
	out_attached(&o, 3);
	out_lost(&o, 7);
	CHECK_STR(cap_end(),
		  "{\"type\": \"attached_probes\", \"count\": 1, \"data\": {\"probes\": 1}}\n"
		  "{\"type\": \"attached_probes\", \"count\": 3, \"data\": {\"probes\": 3}}\n"
		  "{\"type\": \"lost_events\", \"count\": 7, \"data\": {\"events\": 7}}\n");

	/* text mode: stderr (0.26), nothing on the output */
	stderr = open_memstream(&err_buf, &err_len);
	cap_begin(OUT_TEXT);
	out_attached(&o, 1);
	out_attached(&o, 20);
	out_lost(&o, 5);
	CHECK_STR(cap_end(), "");
	fclose(stderr);
	stderr = saved;
	CHECK_STR(err_buf, "Attached 1 probe\nAttached 20 probes\nLost 5 events\n");
	free(err_buf);
}

/* ---- stacks: frames named by fake hooks ---- */

/* user frames 0x1000 + i name "ufN+i", 0xdead is unknown; kernel frames
 * 0xffff0000 + i name "kfN" (+i with an offset) */
static const char *fake_uframe(void *ctx, uint32_t pid, uint64_t addr, unsigned flags, char *buf,
			       size_t len)
{
	int n;

	if (addr == 0xdead || pid != 42)
		return NULL;
	n = snprintf(buf, len, "uf%d", (int)(addr >> 4 & 0xf));
	if (flags & OUT_FRAME_OFFSET)
		n += snprintf(buf + n, len - (size_t)n, "+%d", (int)(addr & 0xf));
	if (flags & OUT_FRAME_MODULE)
		snprintf(buf + n, len - (size_t)n, " (/bin/x)");
	return buf;
}

static const char *fake_ksym(void *ctx, uint64_t addr, char *buf, size_t len)
{
	snprintf(buf, len, "kf%d", (int)(addr >> 4 & 0xf));
	return buf;
}

static const char *fake_kframe(void *ctx, uint64_t addr, char *buf, size_t len)
{
	snprintf(buf, len, "kf%d+%d", (int)(addr >> 4 & 0xf), (int)(addr & 0xf));
	return buf;
}

static struct hk_type *stack_type(const char *mode, uint32_t limit, bool user)
{
	struct hk_type *t = ARENA_NEW(&A, struct hk_type);

	t->kind = TY_STACK;
	t->name = mode;
	t->count = limit;
	t->as = user ? AS_USER : AS_KERNEL;
	t->size = 8 + 8 * limit;
	t->align = 8;
	return t;
}

/* A stack value of limit slots holding n addresses (innermost first). */
static void *stack_val(uint32_t limit, uint32_t pid, const uint64_t *addrs, uint32_t n)
{
	unsigned char *v = arena_alloc(&A, 8 + 8 * limit);

	memset(v, 0, 8 + 8 * limit);
	memcpy(v, &n, 4);
	memcpy(v + 4, &pid, 4);
	memcpy(v + 8, addrs, 8 * n);
	return v;
}

static const char *print_stack_map(enum out_format fmt, struct res_map *m, struct map_entry *e,
				   int n)
{
	cap_begin(fmt);
	o.uframe = fake_uframe;
	o.kframe = fake_kframe;
	o.ksym = fake_ksym;
	out_map(&o, m, e, n, 0, 1);
	return cap_end();
}

static void test_stack_maps(void)
{
	static const uint64_t u[3] = {0x1012, 0x1023, 0xdead}, k[2] = {0xffff0011, 0xffff0025};
	struct hk_type *us = stack_type("bpftrace", 4, true), *up = stack_type("perf", 4, true);
	struct res_map *m = mkmap("@u", us, agg(&count_ops, 8));
	struct res_map *p = mkmap("@p", up, agg(&count_ops, 8));
	struct map_entry e = {stack_val(4, 42, u, 3), u64v(7)};
	struct map_entry ep = {stack_val(4, 42, u, 3), u64v(2)};

	/* bpftrace layout: 4 spaces in keys, an unknown frame in hex */
	CHECK_STR(print_stack_map(OUT_TEXT, m, &e, 1),
		  "@u[\n    uf1+2\n    uf2+3\n    0xdead\n]: 7\n");
	/* perf: the address, the name and the binary; unknown as bpftrace */
	CHECK_STR(
		print_stack_map(OUT_TEXT, p, &ep, 1),
		"@p[\n\t1012 uf1+2 (/bin/x)\n\t1023 uf2+3 (/bin/x)\n\tdead 0xdead ([unknown])\n]: "
		"2\n");
	/* folded: root first, no offsets, no trailing blank line */
	CHECK_STR(print_stack_map(OUT_FOLDED, m, &e, 1), "0xdead;uf2;uf1 7\n");

	/* @[comm, ustack, kstack] = count(): comm, user root..leaf, kernel root..leaf */
	{
		struct hk_type *f[3] = {ty_string(&A, 16), stack_type("bpftrace", 3, true),
					stack_type("bpftrace", 2, false)};
		struct hk_type *kt = ty_tuple(&A, f, NULL, 3);
		struct res_map *t = mkmap("@", kt, agg(&count_ops, 8));
		unsigned char *key = arena_alloc(&A, kt->size), *key2 = arena_alloc(&A, kt->size);
		struct map_entry te[2] = {{key, u64v(5)}, {key2, u64v(1)}};

		memset(key, 0, kt->size);
		strcpy((char *)key, "app");
		memcpy(key + kt->fields[1].offset, stack_val(3, 42, u, 2), f[1]->size);
		memcpy(key + kt->fields[2].offset, stack_val(2, 0, k, 2), f[2]->size);
		/* a kernel-only sample: the user stack is empty */
		memset(key2, 0, kt->size);
		strcpy((char *)key2, "idle");
		memcpy(key2 + kt->fields[2].offset, stack_val(2, 0, k, 1), f[2]->size);
		CHECK_STR(print_stack_map(OUT_FOLDED, t, te, 2),
			  "idle;kf1 1\napp;uf2;uf1;kf2;kf1 5\n");
		/* (sorted in place: idle first) */
		CHECK_STR(print_stack_map(OUT_TEXT, t, te, 1), "@[idle, \n, \n    kf1+1\n]: 1\n");
	}
	/* -f folded leaves other maps as text */
	{
		struct res_map *c = mkmap("@c", ty_string(&A, 16), agg(&count_ops, 8));
		struct map_entry ce = {skey("x"), u64v(1)};

		CHECK_STR(print_stack_map(OUT_FOLDED, c, &ce, 1), "@c[x]: 1\n");
	}
}

int main(void)
{
	fixture_init();
	test_scalars();
	test_count_sorted();
	test_sum_signed();
	test_plain_int_maps();
	test_tuple_keys();
	test_other_values();
	test_avg_stats();
	test_hist_maps();
	test_lhist_maps();
	test_key_order();
	test_status();
	test_stack_maps();
	fixture_free();
	return check_done();
}
