/*
 * maps.c - reading the program's maps from the kernel and printing them.
 *
 * A map is read whole into two flat arrays (kernel keys, kernel values),
 * per-CPU values are folded with the aggregation's reduce() into a zeroed
 * buffer of reduced_size() bytes, and the entries go to out_map(), which
 * sorts, cuts to top-N and prints. Bucketed aggregations (hist, lhist) keep
 * one kernel entry per (user key, bucket): entries are grouped by the user
 * part of the key and each bucket is reduced into its group's value.
 *
 * Key conventions (see rt.h): keyless maps use u32 0 (arrays) or u64 0
 * (hashes); bucketed keys end with a u64 bucket index. Per-CPU values are
 * laid out by the kernel with a stride of value_size rounded up to 8.
 * An all-zero array slot is absent (never written).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "rt_internal.h"
#include "../lang/modules.h"
#include "../lang/types.h"

struct raw_map {
	unsigned char *keys; /* n kernel keys of key_size bytes */
	unsigned char *vals; /* n kernel values of vlen bytes */
	size_t n;
	uint32_t key_size;
	size_t vlen;	 /* bytes of one kernel value (all CPUs) */
	uint32_t stride; /* bytes of one CPU's value */
	int nvals;	 /* CPUs in one kernel value (1 if not per-CPU) */
};

static bool kind_is_percpu(enum res_map_kind k)
{
	return k == RM_PERCPU_HASH || k == RM_PERCPU_LRU_HASH || k == RM_PERCPU_ARRAY;
}

static bool kind_is_array(enum res_map_kind k)
{
	return k == RM_ARRAY || k == RM_PERCPU_ARRAY;
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void raw_free(struct raw_map *r)
{
	free(r->keys);
	free(r->vals);
	memset(r, 0, sizeof(*r));
}

static void raw_layout(const struct rt *rt, const struct res_map *m, struct raw_map *r)
{
	bool percpu = kind_is_percpu(m->kind);

	r->key_size = kind_is_array(m->kind) ? 4 : m->key_size;
	r->stride = percpu ? (m->value_size + 7) & ~7u : m->value_size;
	r->nvals = percpu ? rt->ncpus : 1;
	r->vlen = (size_t)r->stride * r->nvals;
}

/* Makes room for one more entry. */
static int raw_grow(struct raw_map *r, size_t *cap)
{
	if (r->n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 64;
	unsigned char *k = realloc(r->keys, ncap * (r->key_size ? r->key_size : 1));
	if (!k)
		return -ENOMEM;
	r->keys = k;
	unsigned char *v = realloc(r->vals, ncap * (r->vlen ? r->vlen : 1));
	if (!v)
		return -ENOMEM;
	r->vals = v;
	*cap = ncap;
	return 0;
}

/* Reads every entry of map m (fd) into r. */
static int raw_read(const struct rt *rt, const struct res_map *m, int fd, struct raw_map *r)
{
	size_t cap = 0;
	int err;

	memset(r, 0, sizeof(*r));
	raw_layout(rt, m, r);

	if (kind_is_array(m->kind)) {
		for (uint32_t i = 0; i < m->max_entries; i++) {
			if ((err = raw_grow(r, &cap)))
				return err;
			unsigned char *k = r->keys + r->n * r->key_size;
			unsigned char *v = r->vals + r->n * r->vlen;
			memcpy(k, &i, 4);
			if (bpf_map_lookup_elem(fd, k, v))
				continue;
			if (all_zero(v, r->vlen) && !(rt->map_zeroed && rt->map_zeroed[m->id]))
				continue;
			r->n++;
		}
		return 0;
	}

	/* Hashes: walk the keys. A key deleted under us restarts the walk from
	 * the first key, so the walk is bounded. */
	unsigned char *cur = malloc(r->key_size), *next = malloc(r->key_size);
	uint64_t limit = (uint64_t)m->max_entries * 2 + 16;
	bool first = true;
	err = cur && next ? 0 : -ENOMEM;
	for (uint64_t steps = 0; !err && steps < limit; steps++) {
		if (bpf_map_get_next_key(fd, first ? NULL : cur, next))
			break; /* ENOENT: done */
		first = false;
		memcpy(cur, next, r->key_size);
		if ((err = raw_grow(r, &cap)))
			break;
		memcpy(r->keys + r->n * r->key_size, next, r->key_size);
		if (bpf_map_lookup_elem(fd, next, r->vals + r->n * r->vlen))
			continue; /* deleted meanwhile */
		r->n++;
	}
	free(cur);
	free(next);
	return err;
}

/* Folds one kernel value (all CPUs) into acc. */
static void reduce_value(const struct res_map *m, const struct raw_map *r, void *acc,
			 const unsigned char *val, uint32_t bucket)
{
	for (int cpu = 0; cpu < r->nvals; cpu++)
		m->agg->reduce(m->value, acc, val + (size_t)cpu * r->stride, bucket);
}

static const struct raw_map *cmp_raw;
static size_t cmp_len;

static int cmp_user_key(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = memcmp(cmp_raw->keys + i * cmp_raw->key_size, cmp_raw->keys + j * cmp_raw->key_size,
		       cmp_len);
	if (c)
		return c;
	return i < j ? -1 : i > j;
}

/*
 * Builds the printable entries of a map from its raw contents: *entries
 * (malloc'ed, n of them) point into r and into *store (malloc'ed reduced
 * values). Returns the count or -errno.
 */
static int build_entries(const struct res_map *m, const struct raw_map *r,
			 struct map_entry **entries, unsigned char **store)
{
	const struct agg_ops *agg = m->agg;
	size_t vsize;

	*entries = NULL;
	*store = NULL;
	if (r->n == 0)
		return 0;
	vsize = agg ? agg->reduced_size(m->value) : m->value_size;
	if (vsize == 0)
		vsize = 1;
	struct map_entry *e = calloc(r->n, sizeof(*e));
	unsigned char *s = calloc(r->n, vsize);
	if (!e || !s) {
		free(e);
		free(s);
		return -ENOMEM;
	}
	*entries = e;
	*store = s;

	if (!agg || !agg->bucketed) {
		for (size_t i = 0; i < r->n; i++) {
			const unsigned char *val = r->vals + i * r->vlen;
			unsigned char *acc = s + i * vsize;
			if (agg)
				reduce_value(m, r, acc, val, 0);
			else
				memcpy(acc, val, m->value_size); /* per-CPU plain values: CPU 0 */
			e[i].key = m->key ? r->keys + i * r->key_size : NULL;
			e[i].value = acc;
		}
		return (int)r->n;
	}

	/* Bucketed: group by the user part of the key (all but the last u64). */
	uint32_t ukey = r->key_size >= 8 ? r->key_size - 8 : 0;
	size_t *order = malloc(r->n * sizeof(*order));
	if (!order)
		return -ENOMEM;
	for (size_t i = 0; i < r->n; i++)
		order[i] = i;
	cmp_raw = r;
	cmp_len = m->key && m->key->size < ukey ? m->key->size : ukey; /* skip padding */
	qsort(order, r->n, sizeof(*order), cmp_user_key);

	int n = 0;
	for (size_t i = 0; i < r->n; i++) {
		const unsigned char *key = r->keys + order[i] * r->key_size;
		if (n == 0 || memcmp(key, e[n - 1].key, cmp_len) != 0) {
			e[n].key = key;
			e[n].value = s + (size_t)n * vsize;
			n++;
		}
		uint64_t bucket;
		memcpy(&bucket, key + ukey, 8);
		reduce_value(m, r, (void *)e[n - 1].value, r->vals + order[i] * r->vlen,
			     (uint32_t)bucket);
	}
	if (!m->key)
		for (int i = 0; i < n; i++)
			e[i].key = NULL;
	free(order);
	return n;
}

static int map_fd(const struct rt *rt, const struct res_map *m)
{
	return m->id >= 0 && m->id < rt->res->nmaps ? rt->map_fd[m->id] : -1;
}

int rt_map_print(struct rt *rt, const struct res_map *m, uint32_t top, uint64_t div)
{
	struct raw_map r;
	struct map_entry *entries;
	unsigned char *store;
	int fd = map_fd(rt, m);
	int err, n;

	if (fd < 0)
		return -ENOENT;
	if ((err = raw_read(rt, m, fd, &r))) {
		raw_free(&r);
		return err;
	}
	n = build_entries(m, &r, &entries, &store);
	if (n >= 0)
		out_map(&rt->out, m, entries, n, top, div ? div : 1);
	free(entries);
	free(store);
	raw_free(&r);
	return n < 0 ? n : 0;
}

/* Writes zeros to every existing slot (zero) or deletes every key (clear). */
static int map_reset(struct rt *rt, const struct res_map *m, bool del)
{
	struct raw_map r;
	int fd = map_fd(rt, m);
	int err;

	if (fd < 0)
		return -ENOENT;
	if ((err = raw_read(rt, m, fd, &r))) {
		raw_free(&r);
		return err;
	}
	unsigned char *zero = calloc(1, r.vlen ? r.vlen : 1);
	if (!zero) {
		raw_free(&r);
		return -ENOMEM;
	}
	for (size_t i = 0; i < r.n; i++) {
		const unsigned char *key = r.keys + i * r.key_size;
		if (del && !kind_is_array(m->kind))
			err = bpf_map_delete_elem(fd, key);
		else
			err = bpf_map_update_elem(fd, key, zero,
						  kind_is_array(m->kind) ? BPF_ANY : BPF_EXIST);
		(void)err; /* a key deleted meanwhile is fine */
	}
	/* An array slot zeroed by zero() stays shown (as 0); clear() unsets it. */
	if (kind_is_array(m->kind) && rt->map_zeroed && m->id >= 0)
		rt->map_zeroed[m->id] = !del && (r.n > 0 || rt->map_zeroed[m->id]);
	free(zero);
	raw_free(&r);
	return 0;
}

int rt_map_clear(struct rt *rt, const struct res_map *m)
{
	return map_reset(rt, m, true);
}

int rt_map_zero(struct rt *rt, const struct res_map *m)
{
	return map_reset(rt, m, false);
}

static int cmp_map_name(const void *a, const void *b)
{
	const struct res_map *x = *(const struct res_map *const *)a;
	const struct res_map *y = *(const struct res_map *const *)b;

	return strcmp(x->name, y->name);
}

void rt_print_all_maps(struct rt *rt)
{
	const struct resources *res = rt->res;
	const struct res_map **sorted;
	int n = 0;

	if (res->nmaps <= 0)
		return;
	sorted = malloc(res->nmaps * sizeof(*sorted));
	if (!sorted)
		return;
	for (int i = 0; i < res->nmaps; i++) {
		const struct res_map *m = res->maps[i];
		if (m && !m->internal && m->name && m->kind != RM_RINGBUF &&
		    m->kind != RM_STACK_TRACE)
			sorted[n++] = m;
	}
	qsort(sorted, n, sizeof(*sorted), cmp_map_name);
	for (int i = 0; i < n; i++) {
		int err = rt_map_print(rt, sorted[i], 0, 1);
		if (err && err != -ENOENT)
			fprintf(stderr, "hawk: map '%s': failed to read: %s\n", sorted[i]->name,
				strerror(-err));
	}
	free(sorted);
}
