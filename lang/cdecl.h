/*
 * cdecl.h - C type definitions written in a script (struct, union, enum,
 * typedef), turned into hawk types with the C layout of x86-64/arm64 (LP64,
 * gcc's rules for bitfields and __attribute__((packed))).
 *
 * A struct cdecl_types holds every type the script defined, by name:
 * "struct Foo", "union U", "enum E" and typedef names. Types a definition
 * refers to are looked up there first, then among the common C typedefs
 * (uint32_t, u64, __s16, size_t, pid_t...), then through `lookup` (sema:
 * the kernel's BTF). A pointer to a struct that is not known anywhere is a
 * pointer to an incomplete struct that a later definition completes.
 */
#ifndef HAWK_CDECL_H
#define HAWK_CDECL_H

#include <stddef.h>

struct arena;
struct hk_type;
struct cdecl_entry;

struct cdecl_types {
	struct arena *arena;
	struct cdecl_entry *head;
	/* types defined elsewhere ("struct task_struct", "dev_t"), or NULL */
	struct hk_type *(*lookup)(void *ud, const char *name);
	void *ud;
};

struct cdecl_error {
	size_t offset; /* byte offset in the text of what is wrong */
	size_t len;    /* its length (at least 1) */
	char msg[256];
};

void cdecl_init(struct cdecl_types *ct, struct arena *a);
/* Parses the definitions in text and registers the types. Returns 0, or -1
 * with *err filled in (definitions before the error stay registered). */
int cdecl_parse(struct cdecl_types *ct, const char *text, struct cdecl_error *err);
/* A type the script defined ("struct Foo", "foo_t"), or NULL. Incomplete
 * structs (only declared) are returned too: their size is 0. */
struct hk_type *cdecl_find(const struct cdecl_types *ct, const char *name);

#endif
