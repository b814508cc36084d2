/*
 * types.h - the types of hawk values.
 *
 * Types are plain structs allocated in the compilation arena; the common
 * scalar types are static singletons (ty_u64, ty_bool...). Sizes are the
 * in-memory sizes used in BPF maps and in events, so the runtime can decode a
 * value from its type alone. Aggregations (count_t, hist_t...) are TY_AGG and
 * point at their stdlib module, which knows their layout and printing.
 */
#ifndef HAWK_TYPES_H
#define HAWK_TYPES_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct agg_ops;

enum ty_kind {
	TY_NONE,	   /* no value: statements, void calls */
	TY_BOOL,	   /* true/false, 1 byte */
	TY_INT,		   /* integers of 1, 2, 4 or 8 bytes, signed or not */
	TY_STRING,	   /* NUL-terminated characters, capacity `size` bytes */
	TY_BUFFER,	   /* buf(): u32 length then `size - 4` bytes */
	TY_TUPLE,	   /* (a, b, ...): fields laid out C-style */
	TY_RECORD,	   /* (x = a, y = b): like a tuple, with field names */
	TY_PTR,		   /* pointer to `elem` (8 bytes) */
	TY_ARRAY,	   /* `count` elements of `elem` */
	TY_STRUCT,	   /* struct or union from BTF or from the script */
	TY_AGG,		   /* aggregation value (count_t, hist_t...): see agg */
	TY_KSYM,	   /* kernel address printed as a symbol (u64) */
	TY_USYM,	   /* user address printed as a symbol: u64 addr, u32 pid */
	TY_STACK,	   /* kstack/ustack frames (stdlib/builtins/stack.c) */
	TY_INET,	   /* ntop() result */
	TY_TIMESTAMP,	   /* strftime() argument */
	TY_MACADDR,	   /* macaddr() result, 6 bytes */
	TY_CGROUP_PATH,	   /* cgroup_path() result */
	TY_STRERROR,	   /* strerror() result: an int printed as text */
	TY_VOIDPTR_TARGET, /* the pointee of void *: size 1, cannot be read */
	TY_USERNAME,	   /* username: a uid (u64) printed as the user's name */
};

enum ty_addrspace {
	AS_NONE,   /* not known: reads use the helper that fits the probe */
	AS_KERNEL, /* kernel memory */
	AS_USER,   /* user memory */
};

struct ty_field {
	const char *name; /* NULL for tuple fields */
	struct hk_type *type;
	uint32_t offset;	       /* bytes from the start */
	uint16_t bit_offset, bit_size; /* bitfields: bit_size != 0 */
};

struct hk_type {
	enum ty_kind kind;
	uint32_t size;	      /* bytes */
	uint32_t align;	      /* bytes */
	bool is_signed;	      /* TY_INT */
	bool is_union;	      /* TY_STRUCT */
	bool deep_done;	      /* TY_STRUCT: nested structs completed (stdlib_btf_complete_deep) */
	bool is_enum;	      /* TY_INT that came from an enum (printed by name) */
	bool is_ctx;	      /* pointer to the probe context (args) */
	bool data_loc;	      /* TY_STRING read from a tracepoint __data_loc field */
	enum ty_addrspace as; /* TY_PTR, TY_STRUCT read through a pointer */
	const char *name;     /* struct/enum name, NULL otherwise */
	struct hk_type *elem; /* TY_PTR pointee, TY_ARRAY element */
	uint32_t count;	      /* TY_ARRAY element count */
	struct ty_field *fields; /* TY_TUPLE, TY_RECORD, TY_STRUCT */
	int nfields;
	const struct agg_ops *agg; /* TY_AGG */
	uint32_t agg_arg;	   /* TY_AGG: module-specific (hist bits...) */
	int64_t agg_params[3];	   /* TY_AGG: lhist min, max, step */
	int btf_id;		   /* TY_STRUCT/enum from kernel BTF, else 0 */
	const char *(*enum_name)(const struct hk_type *t, int64_t v); /* enums */
	/* A probe context struct (is_ctx): why it has no field `name` (a
	 * parameter it cannot read), NULL when it has none by that name. */
	const char *(*why_no_field)(struct arena *a, const struct hk_type *t, const char *name);
	void *enum_data; /* enum_name's and why_no_field's data */
};

extern struct hk_type ty_none, ty_bool;
extern struct hk_type ty_u8, ty_u16, ty_u32, ty_u64;
extern struct hk_type ty_s8, ty_s16, ty_s32, ty_s64;
extern struct hk_type ty_ksym, ty_voidptr_target;

struct hk_type *ty_int(int bytes, bool is_signed); /* singleton */
struct hk_type *ty_string(struct arena *a, uint32_t size);
struct hk_type *ty_buffer(struct arena *a, uint32_t data_len);
struct hk_type *ty_ptr(struct arena *a, struct hk_type *to, enum ty_addrspace as);
struct hk_type *ty_array(struct arena *a, struct hk_type *elem, uint32_t count);
/* Builds a tuple or record from n element types (names NULL for tuples);
 * computes offsets with C alignment. */
struct hk_type *ty_tuple(struct arena *a, struct hk_type **elems, const char **names, int n);
struct hk_type *ty_agg(struct arena *a, const struct agg_ops *ops, uint32_t size);

bool ty_is_int(const struct hk_type *t);    /* TY_INT or TY_BOOL */
bool ty_is_scalar(const struct hk_type *t); /* fits a register: int, bool, ptr, ksym */
bool ty_equal(const struct hk_type *a, const struct hk_type *b);
/* Can a value of type `from` be stored where `to` is expected (after
 * widening ints and shorter strings)? */
bool ty_compatible(const struct hk_type *to, const struct hk_type *from);
/* The type both can be stored as (bigger int, longer string...), or NULL. */
struct hk_type *ty_unify(struct arena *a, struct hk_type *x, struct hk_type *y);
/* "uint64", "string[16]", "(int64, string[16])", "count_t", "struct task_struct *". */
const char *ty_name(struct arena *a, const struct hk_type *t);
const struct ty_field *ty_field_find(const struct hk_type *t, const char *name);

#endif
