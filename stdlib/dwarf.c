/*
 * dwarf.c - DWARF debug info of user-space binaries through libdw (see
 * dwarf.h).
 *
 * Types are converted the way bpftrace reads DWARF, so `print(args)` prints
 * the same text: integers keep their size and sign (char is int8), bool
 * and enums are unsigned integers of their size, char arrays are strings,
 * other arrays TY_ARRAY, pointers point into user memory (AS_USER), typedefs
 * and qualifiers are looked through. Structs, unions and classes come with
 * their fields (anonymous members and base classes flattened, bitfields
 * kept); a struct is cached by its DIE offset before its fields are
 * converted, so `struct node { struct node *next; }` ends, and the number
 * converted per function is bounded (beyond it, pointers to structs point
 * at structs without fields).
 *
 * Parameters are placed by the x86-64 System V rules: integer-class values
 * (integers, pointers, enums, bool) take di si dx cx r8 r9 in order, then
 * 8-byte stack slots above the return address; floats take xmm registers
 * (not readable from pt_regs: left out of args), structs by value take
 * registers or the stack as the ABI says (left out too), and a struct
 * returned in memory takes di first for its hidden pointer.
 */
#define _GNU_SOURCE /* asprintf */
#include "dwarf.h"
#include "../lang/arena.h"
#include "../lang/types.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STRUCTS 4096 /* structs converted with their fields, per function */
#define MAX_DEPTH   64

/* ---- opening binaries -------------------------------------------------------- */

struct dwfile {
	struct dwfile *next;
	char *path;
	Dwfl *dwfl;
	Dwarf *dw; /* NULL: no debug info */
};

static struct dwfile *files;
static char *debuginfo_path; /* NULL: libdw's default (.debug, /usr/lib/debug) */

static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &debuginfo_path,
};

static struct dwfile *dw_open(const char *path)
{
	struct dwfile *f;
	Dwfl_Module *mod;
	Dwarf_Addr bias;

	for (f = files; f; f = f->next)
		if (!strcmp(f->path, path))
			return f;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->path = strdup(path);
	f->dwfl = dwfl_begin(&callbacks);
	if (f->path && f->dwfl) {
		mod = dwfl_report_offline(f->dwfl, f->path, f->path, -1);
		if (dwfl_report_end(f->dwfl, NULL, NULL) == 0 && mod) {
			Dwarf_Off next;
			size_t hsize;

			f->dw = dwfl_module_getdwarf(mod, &bias);
			/* a binary with only .eh_frame has no compilation unit */
			if (f->dw && dwarf_nextcu(f->dw, 0, &next, &hsize, NULL, NULL, NULL) != 0)
				f->dw = NULL;
		}
	}
	f->next = files;
	files = f;
	return f;
}

void std_dwarf_add_debuginfo(const char *path)
{
	static char *dirs; /* the folders given so far, in order */
	static char crc;   /* '+' or '-' when one of them started with it */
	char *d = NULL, *p = NULL;

	if (*path == '+' || *path == '-')
		crc = *path++;
	if (asprintf(&d, "%s%s%s", dirs ? dirs : "", dirs ? ":" : "", path) < 0)
		return;
	/* libdwfl's default, ":.debug:/usr/lib/debug", stays at the end */
	if (asprintf(&p, "%.*s%s::.debug:/usr/lib/debug", crc ? 1 : 0, &crc, d) < 0) {
		free(d);
		return;
	}
	free(dirs);
	free(debuginfo_path);
	dirs = d;
	debuginfo_path = p;
}

bool std_dwarf_available(const char *path)
{
	struct dwfile *f = dw_open(path);

	return f && f->dw;
}

void std_dwarf_free(void)
{
	while (files) {
		struct dwfile *f = files;

		files = f->next;
		if (f->dwfl)
			dwfl_end(f->dwfl);
		free(f->path);
		free(f);
	}
}

/* ---- DIE helpers ------------------------------------------------------------- */

/* The DIE the DW_AT_type of die refers to; false when it has none (void). */
static bool type_of(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute a;
	Dwarf_Die tmp;

	if (!dwarf_attr_integrate(die, DW_AT_type, &a) || !dwarf_formref_die(&a, &tmp))
		return false;
	*out = tmp;
	return true;
}

static bool is_qualifier(int tag)
{
	return tag == DW_TAG_typedef || tag == DW_TAG_const_type || tag == DW_TAG_volatile_type ||
	       tag == DW_TAG_restrict_type || tag == DW_TAG_atomic_type ||
	       tag == DW_TAG_immutable_type;
}

/* Looks through typedefs and qualifiers; false for void. */
static bool peel(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Die t = *die;
	int i;

	for (i = 0; i < MAX_DEPTH && is_qualifier(dwarf_tag(&t)); i++)
		if (!type_of(&t, &t))
			return false;
	*out = t;
	return i < MAX_DEPTH;
}

static uint64_t udata(Dwarf_Die *die, unsigned name, uint64_t dflt)
{
	Dwarf_Attribute a;
	Dwarf_Word v;

	if (!dwarf_attr_integrate(die, name, &a) || dwarf_formudata(&a, &v) != 0)
		return dflt;
	return v;
}

static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;

	return dwarf_attr_integrate(die, DW_AT_name, &a) ? dwarf_formstring(&a) : NULL;
}

static bool is_aggregate(int tag)
{
	return tag == DW_TAG_structure_type || tag == DW_TAG_union_type || tag == DW_TAG_class_type;
}

static bool is_float(Dwarf_Die *t)
{
	uint64_t enc = udata(t, DW_AT_encoding, 0);

	return dwarf_tag(t) == DW_TAG_base_type &&
	       (enc == DW_ATE_float || enc == DW_ATE_complex_float || enc == DW_ATE_decimal_float);
}

/* ---- types ------------------------------------------------------------------- */

struct conv {
	struct arena *a;
	Dwarf *dw;
	struct {
		Dwarf_Off off;
		struct hk_type *t;
	} * tab; /* open addressing, by DIE offset */
	size_t cap, n;
	int nstructs;
};

static struct hk_type **cache_slot(struct conv *c, Dwarf_Off off)
{
	size_t i;

	if (c->n * 2 >= c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 256, j;
		__typeof__(c->tab) nt = calloc(ncap, sizeof(*nt));

		if (!nt)
			return NULL;
		for (j = 0; j < c->cap; j++) {
			if (!c->tab[j].t)
				continue;
			for (i = c->tab[j].off % ncap; nt[i].t; i = (i + 1) % ncap)
				;
			nt[i] = c->tab[j];
		}
		free(c->tab);
		c->tab = nt;
		c->cap = ncap;
	}
	for (i = off % c->cap; c->tab[i].t; i = (i + 1) % c->cap)
		if (c->tab[i].off == off)
			return &c->tab[i].t;
	c->tab[i].off = off;
	return &c->tab[i].t;
}

static void cache_put(struct conv *c, Dwarf_Off off, struct hk_type *t)
{
	struct hk_type **slot = cache_slot(c, off);

	if (slot && !*slot) {
		*slot = t;
		c->n++;
	}
}

static struct hk_type *cache_get(struct conv *c, Dwarf_Off off)
{
	struct hk_type **slot = c->cap ? cache_slot(c, off) : NULL;

	return slot ? *slot : NULL;
}

static struct hk_type *conv(struct conv *c, Dwarf_Die *die, int depth);

static uint32_t align_of(const struct hk_type *t)
{
	switch (t->kind) {
	case TY_ARRAY:
		return t->elem ? align_of(t->elem) : 1;
	case TY_STRUCT:
	case TY_STRING:
		return t->align ? t->align : 1;
	default:
		return t->size >= 8 ? 8 : t->size ? t->size : 1;
	}
}

static struct hk_type *base_type(struct conv *c, Dwarf_Die *t)
{
	uint64_t enc = udata(t, DW_AT_encoding, DW_ATE_unsigned);
	int size = dwarf_bytesize(t);

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return size > 0 ? ty_array(c->a, &ty_u8, (uint32_t)size) : NULL;
	return ty_int(size, enc == DW_ATE_signed || enc == DW_ATE_signed_char);
}

struct fieldvec {
	struct ty_field *v;
	int n, cap;
};

static struct ty_field *field_add(struct fieldvec *fv)
{
	if (fv->n == fv->cap) {
		int ncap = fv->cap ? fv->cap * 2 : 16;
		struct ty_field *nv = realloc(fv->v, sizeof(*nv) * (size_t)ncap);

		if (!nv)
			return NULL;
		fv->v = nv;
		fv->cap = ncap;
	}
	memset(&fv->v[fv->n], 0, sizeof(fv->v[0]));
	return &fv->v[fv->n++];
}

/* Appends the members of aggregate die, at bit offset `base`. */
static void members(struct conv *c, Dwarf_Die *die, uint64_t base, struct fieldvec *fv, int depth)
{
	Dwarf_Die m;

	if (depth > MAX_DEPTH || dwarf_child(die, &m) != 0)
		return;
	do {
		int tag = dwarf_tag(&m);
		uint64_t loc = 0, bits, bitsize;
		const char *name;
		struct hk_type *ft;
		struct ty_field *f;
		Dwarf_Attribute a;
		Dwarf_Die mt, pt;

		if ((tag != DW_TAG_member && tag != DW_TAG_inheritance) ||
		    dwarf_hasattr(&m, DW_AT_declaration) || dwarf_hasattr(&m, DW_AT_external))
			continue;
		if (dwarf_attr_integrate(&m, DW_AT_data_member_location, &a)) {
			Dwarf_Word w;

			if (dwarf_formudata(&a, &w) != 0)
				continue; /* a location expression: virtual bases */
			loc = w;
		}
		bits = base + loc * 8;
		bitsize = udata(&m, DW_AT_bit_size, 0);
		if (bitsize) {
			if (dwarf_hasattr(&m, DW_AT_data_bit_offset)) {
				bits = base + udata(&m, DW_AT_data_bit_offset, 0);
			} else if (dwarf_hasattr(&m, DW_AT_bit_offset)) {
				/* DWARF 2/3: from the storage unit's most significant bit */
				uint64_t storage = udata(&m, DW_AT_byte_size, 0);

				if (!storage && type_of(&m, &mt) && peel(&mt, &pt))
					storage = (uint64_t)dwarf_bytesize(&pt);
				bits = base + loc * 8 + storage * 8 -
				       udata(&m, DW_AT_bit_offset, 0) - bitsize;
			}
		}
		name = tag == DW_TAG_member ? die_name(&m) : NULL;
		if (!type_of(&m, &mt))
			continue;
		if (!name) {
			/* an anonymous struct/union, or a base class: its members are ours */
			if (peel(&mt, &pt) && is_aggregate(dwarf_tag(&pt)))
				members(c, &pt, bits, fv, depth + 1);
			continue;
		}
		ft = conv(c, &mt, depth + 1);
		if (!ft || ft->kind == TY_VOIDPTR_TARGET)
			continue;
		f = field_add(fv);
		if (!f)
			return;
		f->name = arena_strdup(c->a, name);
		f->type = ft;
		f->offset = (uint32_t)(bits / 8);
		if (bitsize) {
			uint32_t need = (uint32_t)((bits % 8 + bitsize + 7) / 8);

			need = need <= 1 ? 1 : need <= 2 ? 2 : need <= 4 ? 4 : 8;
			f->bit_offset = (uint16_t)(bits % 8);
			f->bit_size = (uint16_t)bitsize;
			if (ft->kind != TY_INT || ft->size < need)
				f->type = ty_int((int)need, ft->kind == TY_INT && ft->is_signed);
		}
	} while (dwarf_siblingof(&m, &m) == 0);
}

/* The definition of a struct only declared here (`struct foo;`), by name,
 * in any compilation unit. */
static bool find_definition(struct conv *c, int tag, const char *name, Dwarf_Die *out)
{
	Dwarf_Off off = 0, next;
	size_t hsize;

	while (dwarf_nextcu(c->dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, d;

		if (dwarf_offdie(c->dw, off + hsize, &cu) && dwarf_child(&cu, &d) == 0) {
			do {
				const char *n;

				if (dwarf_tag(&d) != tag || dwarf_hasattr(&d, DW_AT_declaration))
					continue;
				n = dwarf_diename(&d);
				if (n && !strcmp(n, name)) {
					*out = d;
					return true;
				}
			} while (dwarf_siblingof(&d, &d) == 0);
		}
		off = next;
	}
	return false;
}

static struct hk_type *aggregate(struct conv *c, Dwarf_Die *t, int depth)
{
	Dwarf_Off off = dwarf_dieoffset(t);
	struct hk_type *r = cache_get(c, off);
	struct fieldvec fv = {0};
	const char *name = dwarf_diename(t);
	int size, i;

	if (r)
		return r;
	if (dwarf_hasattr(t, DW_AT_declaration) && name) {
		Dwarf_Die def;

		if (find_definition(c, dwarf_tag(t), name, &def)) {
			r = aggregate(c, &def, depth);
			cache_put(c, off, r);
			return r;
		}
	}
	r = arena_alloc(c->a, sizeof(*r));
	size = dwarf_bytesize(t);
	r->kind = TY_STRUCT;
	r->size = size > 0 ? (uint32_t)size : 0;
	r->align = 1;
	r->is_union = dwarf_tag(t) == DW_TAG_union_type;
	r->as = AS_USER;
	r->name = name ? arena_strdup(c->a, name) : NULL;
	r->fields = arena_alloc(c->a, sizeof(*r->fields));
	r->deep_done = true; /* complete: nothing for stdlib_btf_complete_deep to do */
	cache_put(c, off, r);
	if (++c->nstructs > MAX_STRUCTS)
		return r;
	members(c, t, 0, &fv, depth);
	if (fv.n) {
		r->fields = arena_alloc(c->a, sizeof(*r->fields) * (size_t)fv.n);
		memcpy(r->fields, fv.v, sizeof(*r->fields) * (size_t)fv.n);
		r->nfields = fv.n;
	}
	free(fv.v);
	for (i = 0; i < r->nfields; i++)
		if (align_of(r->fields[i].type) > r->align)
			r->align = align_of(r->fields[i].type);
	return r;
}

static struct hk_type *array(struct conv *c, Dwarf_Die *t, int depth)
{
	uint64_t dims[16];
	int ndims = 0, i;
	struct hk_type *r;
	Dwarf_Die et, pe, d;
	bool chr;

	if (!type_of(t, &et))
		return NULL;
	if (dwarf_child(t, &d) == 0) {
		do {
			uint64_t n = 0;

			if (dwarf_tag(&d) != DW_TAG_subrange_type)
				continue;
			if (dwarf_hasattr(&d, DW_AT_count))
				n = udata(&d, DW_AT_count, 0);
			else if (dwarf_hasattr(&d, DW_AT_upper_bound))
				n = udata(&d, DW_AT_upper_bound, 0) + 1 -
				    udata(&d, DW_AT_lower_bound, 0);
			if (ndims < 16)
				dims[ndims++] = n;
		} while (dwarf_siblingof(&d, &d) == 0);
	}
	r = conv(c, &et, depth + 1);
	if (!r || r->kind == TY_VOIDPTR_TARGET)
		return NULL;
	chr = peel(&et, &pe) && dwarf_tag(&pe) == DW_TAG_base_type && dwarf_bytesize(&pe) == 1 &&
	      (udata(&pe, DW_AT_encoding, 0) == DW_ATE_signed_char ||
	       udata(&pe, DW_AT_encoding, 0) == DW_ATE_unsigned_char);
	if (!ndims)
		dims[ndims++] = 0;
	for (i = ndims - 1; i >= 0; i--) {
		if (chr && i == ndims - 1 && dims[i])
			r = ty_string(c->a, (uint32_t)dims[i]);
		else
			r = ty_array(c->a, r, (uint32_t)dims[i]);
	}
	return r;
}

/* The hawk type of type DIE `die` (void: ty_voidptr_target), or NULL when it
 * has none (functions). */
static struct hk_type *conv(struct conv *c, Dwarf_Die *die, int depth)
{
	Dwarf_Die t, p, pp;
	int size;

	if (depth > MAX_DEPTH)
		return NULL;
	if (!peel(die, &t))
		return &ty_voidptr_target;
	switch (dwarf_tag(&t)) {
	case DW_TAG_base_type:
		return base_type(c, &t);
	case DW_TAG_enumeration_type:
		size = dwarf_bytesize(&t);
		return ty_int(size == 1 || size == 2 || size == 8 ? size : 4, false);
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type: {
		struct hk_type *to = NULL;

		if (type_of(&t, &p) && peel(&p, &pp) && dwarf_tag(&pp) != DW_TAG_subroutine_type)
			to = conv(c, &pp, depth + 1);
		return ty_ptr(c->a, to ? to : &ty_voidptr_target, AS_USER);
	}
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
	case DW_TAG_class_type:
		return aggregate(c, &t, depth);
	case DW_TAG_array_type:
		return array(c, &t, depth);
	default:
		return NULL;
	}
}

/* ---- C spelling (bpftrace -lv) -------------------------------------------------- */

static const char *cname(struct arena *a, Dwarf_Die *t, int depth)
{
	const char *n = dwarf_diename(t);
	Dwarf_Die in;
	int tag = dwarf_tag(t);

	if (depth > MAX_DEPTH)
		return "<unknown type>";
	switch (tag) {
	case DW_TAG_base_type:
	case DW_TAG_typedef:
		return n ? n : "<unknown type>";
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
		if (!type_of(t, &in))
			return "void*";
		return arena_printf(a, "%s%s", cname(a, &in, depth + 1),
				    tag == DW_TAG_pointer_type	   ? "*"
				    : tag == DW_TAG_reference_type ? "&"
								   : "&&");
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
	case DW_TAG_union_type:
	case DW_TAG_enumeration_type:
		return arena_printf(a, "%s %s",
				    tag == DW_TAG_union_type	     ? "union"
				    : tag == DW_TAG_enumeration_type ? "enum"
				    : tag == DW_TAG_class_type	     ? "class"
								     : "struct",
				    n ? n : "<anonymous>");
	case DW_TAG_const_type:
	case DW_TAG_volatile_type: {
		const char *q = tag == DW_TAG_const_type ? "const" : "volatile";

		if (!type_of(t, &in))
			return arena_printf(a, "%s void", q);
		if (dwarf_tag(&in) == DW_TAG_pointer_type)
			return arena_printf(a, "%s %s", cname(a, &in, depth + 1), q);
		return arena_printf(a, "%s %s", q, cname(a, &in, depth + 1));
	}
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type:
		return type_of(t, &in) ? cname(a, &in, depth + 1) : "void";
	default:
		return "<unknown type>";
	}
}

/* ---- functions ------------------------------------------------------------------ */

struct findfn {
	uint64_t addr;
	const char *name; /* NULL: by address only */
	Dwarf_Die die;
	bool found;
};

/* Does function die start at addr (its low_pc, or the start of one of its
 * ranges: hot/cold split functions)? */
static bool starts_at(Dwarf_Die *die, uint64_t addr)
{
	Dwarf_Addr lo, base, start, end;
	ptrdiff_t off = 0;

	if (dwarf_lowpc(die, &lo) == 0)
		return lo == addr;
	while ((off = dwarf_ranges(die, off, &base, &start, &end)) > 0)
		if (start == addr)
			return true;
	return false;
}

static int by_addr(Dwarf_Die *die, void *arg)
{
	struct findfn *f = arg;

	if (starts_at(die, f->addr)) {
		f->die = *die;
		f->found = true;
		return DWARF_CB_ABORT;
	}
	return DWARF_CB_OK;
}

static int by_name(Dwarf_Die *die, void *arg)
{
	struct findfn *f = arg;
	const char *n = die_name(die);
	Dwarf_Addr lo;

	if (n && !strcmp(n, f->name) && !dwarf_hasattr(die, DW_AT_declaration) &&
	    (dwarf_lowpc(die, &lo) == 0 || dwarf_hasattr(die, DW_AT_ranges))) {
		f->die = *die;
		f->found = true;
		return DWARF_CB_ABORT;
	}
	return DWARF_CB_OK;
}

static void scan_cus(Dwarf *dw, int (*cb)(Dwarf_Die *, void *), struct findfn *f)
{
	Dwarf_Off off = 0, next;
	size_t hsize;
	Dwarf_Die cu;

	while (!f->found && dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		if (dwarf_offdie(dw, off + hsize, &cu))
			dwarf_getfuncs(&cu, cb, f, 0);
		off = next;
	}
}

/* By address (through .debug_aranges, then every unit), else by name. */
static bool find_func(Dwarf *dw, const char *name, uint64_t addr, Dwarf_Die *out)
{
	struct findfn f = {.addr = addr, .name = name};
	Dwarf_Die cu;

	if (addr && dwarf_addrdie(dw, addr, &cu))
		dwarf_getfuncs(&cu, by_addr, &f, 0);
	if (addr)
		scan_cus(dw, by_addr, &f);
	if (name && *name)
		scan_cus(dw, by_name, &f);
	if (f.found)
		*out = f.die;
	return f.found;
}

/* Does aggregate t hold a float anywhere (then the ABI may pass it in SSE
 * registers)? */
static bool has_float(Dwarf_Die *t, int depth)
{
	Dwarf_Die m, mt, pt;

	if (depth > 8)
		return true;
	if (dwarf_tag(t) == DW_TAG_array_type)
		return type_of(t, &mt) && peel(&mt, &pt) &&
		       (is_float(&pt) || has_float(&pt, depth + 1));
	if (!is_aggregate(dwarf_tag(t)) || dwarf_child(t, &m) != 0)
		return false;
	do {
		if (dwarf_tag(&m) != DW_TAG_member && dwarf_tag(&m) != DW_TAG_inheritance)
			continue;
		if (type_of(&m, &mt) && peel(&mt, &pt) &&
		    (is_float(&pt) || has_float(&pt, depth + 1)))
			return true;
	} while (dwarf_siblingof(&m, &m) == 0);
	return false;
}

static const uint32_t arg_regs[] = {112, 104, 96, 88, 72, 64}; /* di si dx cx r8 r9 */

int std_dwarf_func(struct arena *a, const char *path, const char *name, uint64_t vaddr,
		   struct dwarf_func *out)
{
	struct dwfile *f = dw_open(path);
	struct conv c = {.a = a};
	Dwarf_Die fn, rt, prt, p, *params_of = &fn, origin;
	Dwarf_Attribute attr;
	int n = 0, cap = 0, ngpr = 0, nsse = 0;
	uint32_t stack = 8; /* above the return address */
	bool lost = false, any = false;

	memset(out, 0, sizeof(*out));
	if (!f || !f->dw)
		return -ENODATA;
	if (!find_func(f->dw, name, vaddr, &fn))
		return -ENOENT;
	c.dw = f->dw;
	out->name = arena_strdup(a, die_name(&fn) ? die_name(&fn) : name ? name : "");

	/* the return type; a struct returned in memory takes di for its address */
	if (type_of(&fn, &rt) && peel(&rt, &prt)) {
		int tag = dwarf_tag(&prt);

		out->ret_ctype = cname(a, &rt, 0);
		if (is_aggregate(tag) && dwarf_bytesize(&prt) > 16)
			ngpr = 1;
		if (!is_float(&prt) && !is_aggregate(tag) && tag != DW_TAG_array_type) {
			out->ret = conv(&c, &rt, 0);
			if (out->ret && (out->ret->size > 8 || out->ret->kind == TY_VOIDPTR_TARGET))
				out->ret = NULL;
		}
	} else {
		out->is_void = !type_of(&fn, &rt);
		out->ret_ctype = "void";
	}

	/* a concrete instance may list no parameters of its own: its origin's */
	if (dwarf_child(&fn, &p) == 0) {
		do
			any |= dwarf_tag(&p) == DW_TAG_formal_parameter;
		while (!any && dwarf_siblingof(&p, &p) == 0);
	}
	if (!any && dwarf_attr(&fn, DW_AT_abstract_origin, &attr) &&
	    dwarf_formref_die(&attr, &origin))
		params_of = &origin;

	if (dwarf_child(params_of, &p) == 0) {
		do {
			struct dwarf_param *dp;
			Dwarf_Die pt, ppt;
			int tag, size;

			if (dwarf_tag(&p) == DW_TAG_unspecified_parameters)
				break;
			if (dwarf_tag(&p) != DW_TAG_formal_parameter)
				continue;
			if (n == cap) {
				struct dwarf_param *np;

				cap = cap ? cap * 2 : 8;
				np = arena_alloc(a, sizeof(*np) * (size_t)cap);
				if (n)
					memcpy(np, out->params, sizeof(*np) * (size_t)n);
				out->params = np;
			}
			dp = &out->params[n++];
			dp->name = arena_strdup(a, die_name(&p) ? die_name(&p) : "");
			dp->where = DWP_NONE;
			if (!type_of(&p, &pt) || !peel(&pt, &ppt)) {
				dp->ctype = "void";
				dp->why = "of a type the debug info does not give";
				lost = true;
				continue;
			}
			dp->ctype = cname(a, &pt, 0);
			tag = dwarf_tag(&ppt);
			size = dwarf_bytesize(&ppt);
			if (tag == DW_TAG_pointer_type || tag == DW_TAG_reference_type ||
			    tag == DW_TAG_rvalue_reference_type)
				size = 8;
			if (lost) {
				dp->why = "after a parameter hawk cannot place, so where it is "
					  "passed is not known";
				continue;
			}
			if (is_float(&ppt)) {
				dp->why = "floating-point: it is passed in an SSE (xmm) register, "
					  "which a uprobe cannot read";
				/* xmm0..7, then the stack; long double always the stack */
				if (size <= 8 && nsse < 8)
					nsse++;
				else
					stack += (uint32_t)((size + 7) & ~7);
				continue;
			}
			if (is_aggregate(tag) || size > 8 || size <= 0) {
				uint32_t words = (uint32_t)(size + 7) / 8;

				dp->why = is_aggregate(tag) ? "passed by value: hawk reads no "
							      "struct or union passed by value"
							    : "too large for a register";
				if (size <= 0 || (size <= 16 && has_float(&ppt, 0))) {
					lost = true; /* not worth classifying: stop here */
					continue;
				}
				if (size <= 16 && ngpr + (int)words <= 6)
					ngpr += (int)words;
				else
					stack += words * 8;
				continue;
			}
			dp->type = conv(&c, &pt, 0);
			if (!dp->type || dp->type->kind == TY_VOIDPTR_TARGET) {
				dp->type = NULL;
				dp->why = "of a type hawk cannot read";
				lost = true;
				continue;
			}
			if (ngpr < 6) {
				dp->where = DWP_REG;
				dp->off = arg_regs[ngpr++];
			} else {
				dp->where = DWP_STACK;
				dp->off = stack;
				stack += 8;
			}
		} while (dwarf_siblingof(&p, &p) == 0);
	}
	out->nparams = n;
	free(c.tab);
	return 0;
}

/* ---- source lines --------------------------------------------------------------- */

/* Does path end with suffix, on a component boundary? */
static bool path_ends_with(const char *path, const char *suffix)
{
	size_t lp = strlen(path), ls = strlen(suffix);

	if (!ls || ls > lp || strcmp(path + lp - ls, suffix))
		return false;
	return ls == lp || suffix[0] == '/' || path[lp - ls - 1] == '/';
}

int std_dwarf_line_addr(const char *path, const char *file, int line, int col, uint64_t *addr,
			char *err, size_t errlen)
{
	struct dwfile *f = dw_open(path);
	const char *match = NULL;
	Dwarf_Off off = 0, next;
	Dwarf_Die cu, mcu;
	Dwarf_Lines *lines;
	size_t hsize, nlines, i;

	if (!f || !f->dw) {
		snprintf(err, errlen, "'%s' has no DWARF debug info", path);
		return -ENODATA;
	}
	while (dwarf_nextcu(f->dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Files *fs;
		size_t nf, k;

		if (dwarf_offdie(f->dw, off + hsize, &cu) &&
		    dwarf_getsrcfiles(&cu, &fs, &nf) == 0) {
			for (k = 0; k < nf; k++) {
				const char *src = dwarf_filesrc(fs, k, NULL, NULL);

				if (!src || !path_ends_with(src, file))
					continue;
				if (!match) {
					match = src;
					mcu = cu;
				} else if (strcmp(match, src)) {
					snprintf(err, errlen,
						 "source file '%s' is ambiguous in '%s': it "
						 "matches %s and %s",
						 file, path, match, src);
					return -EINVAL;
				}
			}
		}
		off = next;
	}
	if (!match) {
		snprintf(err, errlen, "no compilation unit of '%s' has the source file '%s'", path,
			 file);
		return -ENOENT;
	}
	/* the first row of the line that begins a statement (where a debugger
	 * puts a breakpoint), else its first row */
	if (dwarf_getsrclines(&mcu, &lines, &nlines) == 0) {
		bool found = false;

		for (i = 0; i < nlines; i++) {
			Dwarf_Line *l = dwarf_onesrcline(lines, i);
			const char *src;
			int ln, lc;
			bool end, stmt;
			Dwarf_Addr a;

			if (!l || dwarf_lineno(l, &ln) || dwarf_linecol(l, &lc) || ln != line ||
			    (col && lc != col) || dwarf_lineendsequence(l, &end) || end)
				continue;
			src = dwarf_linesrc(l, NULL, NULL);
			if (!src || strcmp(src, match) || dwarf_lineaddr(l, &a))
				continue;
			if (!found) {
				*addr = a;
				found = true;
			}
			if (!dwarf_linebeginstatement(l, &stmt) && stmt) {
				*addr = a;
				return 0;
			}
		}
		if (found)
			return 0;
	}
	if (col)
		snprintf(err, errlen, "no code in '%s' for %s:%d:%d (not a statement?)", path,
			 match, line, col);
	else
		snprintf(err, errlen, "no code in '%s' for %s:%d (not a statement?)", path, match,
			 line);
	return -ENOENT;
}
