/*
 * btf.c - lazy access to the kernel's BTF and struct member offsets (see
 * btf.h). The BTF is parsed by libbpf the first time a module asks for it;
 * a failed load is remembered too, so it is tried only once.
 */
#include "btf.h"

#include <bpf/btf.h>
#include <errno.h>
#include <stdbool.h>
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
