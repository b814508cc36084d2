/*
 * resources.h - what sema hands to codegen and the runtime.
 *
 * The runtime never sees the AST: everything it needs to load, attach, decode
 * events and print maps is here. All of it lives in the compilation arena.
 *
 * Event wire format (BPF ring buffer): every record starts with a
 * struct event_hdr; `id` indexes resources.events; the payload that follows
 * is laid out as the event's res_event describes (args at their offsets).
 */
#ifndef HAWK_RESOURCES_H
#define HAWK_RESOURCES_H

#include <stdbool.h>
#include <stdint.h>
#include "source.h"

struct hk_type;
struct agg_ops;
struct builtin_ops;
struct probe_ops;

enum res_map_kind {
	RM_HASH,	    /* BPF_MAP_TYPE_HASH */
	RM_PERCPU_HASH,	    /* BPF_MAP_TYPE_PERCPU_HASH */
	RM_LRU_HASH,	    /* BPF_MAP_TYPE_LRU_HASH */
	RM_PERCPU_LRU_HASH, /* BPF_MAP_TYPE_LRU_PERCPU_HASH */
	RM_ARRAY,	    /* BPF_MAP_TYPE_ARRAY (keyless maps: one slot) */
	RM_PERCPU_ARRAY,    /* BPF_MAP_TYPE_PERCPU_ARRAY (keyless aggregations, scratch) */
	RM_RINGBUF,	    /* BPF_MAP_TYPE_RINGBUF (events) */
	RM_STACK_TRACE,	    /* BPF_MAP_TYPE_STACK_TRACE */
};

/* A map of the program (@name) or an internal one (ring buffer, scratch). */
struct res_map {
	const char *name;     /* "@m", "@"; internal maps: "ringbuf", "scratch" */
	const char *elf_name; /* symbol in the object: "AT_m", "AT_", "hawk_ringbuf" */
	int id;		      /* index in resources.maps */
	enum res_map_kind kind;
	bool internal;		   /* not a user map: never printed */
	bool declared;		   /* `let @m = hash(N)` */
	struct hk_type *key;	   /* user key type; NULL for a keyless map */
	struct hk_type *value;	   /* value type (TY_AGG for aggregations) */
	const struct agg_ops *agg; /* == value->agg, or NULL */
	uint32_t key_size;	   /* kernel key size (bucketed aggregations append a u64 bucket) */
	uint32_t value_size;	   /* kernel value size (per CPU for per-CPU maps) */
	uint32_t max_entries;
	struct loc loc; /* first mention */
};

enum res_event_kind {
	EV_PRINTF,	 /* printf(fmt, args...): format + args */
	EV_EXIT,	 /* exit([code]): arg 0 = int64 code */
	EV_PRINT,	 /* print(@m[, top[, div]]) : map_id, top, div in the payload */
	EV_PRINT_VALUE,	 /* print(expr): one arg */
	EV_CLEAR,	 /* clear(@m): map_id */
	EV_ZERO,	 /* zero(@m): map_id */
	EV_HELPER_ERROR, /* a BPF helper failed (e.g. map full): fmt is the message, helper
			  * the helper's name, arg 0 its int64 return code */
	EV_OTHER,	 /* handled by `ops->event` (time, cat, system, join, errorf...) */
};

/* A message the BPF side sends to user space. */
struct res_event {
	int id;
	enum res_event_kind kind;
	const struct builtin_ops *ops; /* the module that emits (and prints) it */
	const char *fmt;	       /* printf-style format or NULL */
	int nargs;
	struct hk_type **args; /* argument types */
	uint32_t *offsets;     /* argument offsets in the payload */
	uint32_t size;	       /* payload size (after the header) */
	int map_id;	       /* EV_PRINT/EV_CLEAR/EV_ZERO: the map; else -1 */
	struct loc loc;	       /* the call in the source */
	const char *file;      /* its source file name (errorf/warnf print it) */
	const char *helper;    /* EV_HELPER_ERROR: the BPF helper, "map_update_elem" */
	const char *hint;      /* EV_HELPER_ERROR: advice printed with the warning */
	/* EV_HELPER_ERROR shared by many places (-k read failures): the place and
	 * the helper are in the payload's second word (ev_site_*), not in loc. */
	bool site_in_payload;
};

/* The second payload word of a site_in_payload helper error: source file,
 * line, column and which probe-read helper (0 probe_read, 1 _str, 2 _kernel,
 * 3 _kernel_str, 4 _user, 5 _user_str). */
#define EV_SITE(file, line, col, helper)                                       \
	(((uint64_t)(file)&0xffff) << 48 | ((uint64_t)(line)&0xffffff) << 24 | \
	 ((uint64_t)(col)&0xfffff) << 4 | ((uint64_t)(helper)&0xf))
#define EV_SITE_FILE(w)	  ((int)((w) >> 48))
#define EV_SITE_LINE(w)	  ((int)(((w) >> 24) & 0xffffff))
#define EV_SITE_COL(w)	  ((int)(((w) >> 4) & 0xfffff))
#define EV_SITE_HELPER(w) ((int)((w)&0xf))

struct event_hdr {
	uint32_t id; /* resources.events index */
	uint32_t cpu;
};

/* One BPF program: one attach point of one probe (wildcards are expanded). */
struct res_probe {
	const struct probe_ops *ops;
	int index;	    /* in resources.probes */
	const char *spec;   /* the expanded attach point: "tracepoint:syscalls:sys_enter_openat" */
	const char *target; /* probe-type specific fields of the spec */
	const char *func;
	uint64_t period;       /* profile/interval/software: period or frequency */
	bool freq;	       /* period is a frequency in Hz */
	const char *prog_name; /* function symbol in the object */
	const char *section;   /* ELF section of the program */
	int prog_type;	       /* enum bpf_prog_type */
	void *data;	       /* probe-type private data (e.g. tracepoint fields) */
	struct loc loc;	       /* the attach point in the source */
};

/* The three-way switch of bpftrace's unstable_* config keys. */
enum hk_unstable { HK_UNSTABLE_ERROR, HK_UNSTABLE_WARN, HK_UNSTABLE_ENABLE };

/* bpftrace's config variables (lang/config.c holds the defaults and the
 * table of keys). */
struct hk_config {
	uint32_t max_strlen;		/* 1024 */
	uint32_t max_map_keys;		/* 4096 */
	uint32_t max_cat_bytes;		/* 10240 */
	uint32_t max_probes;		/* 1024: attach points */
	uint32_t max_bpf_progs;		/* 1024 */
	uint32_t log_size;		/* 1000000: verifier log buffer */
	uint32_t on_stack_limit;	/* 32 */
	uint32_t perf_rb_pages;		/* 0: automatic */
	bool print_maps_on_exit;	/* true */
	bool cpp_demangle;		/* true */
	bool lazy_symbolication;	/* true */
	bool use_blazesym;		/* false: accepted, hawk has its own symbolizer */
	bool show_debug_info;		/* false */
	const char *str_trunc_trailer;	/* ".." */
	const char *stack_mode;		/* "bpftrace" */
	const char *missing_probes;	/* "error" */
	const char *cache_user_symbols; /* "PER_PID" */
	const char *license;		/* "GPL" */
	enum hk_unstable unstable_tseries, unstable_dw_ustack;	       /* warn */
	enum hk_unstable unstable_typeinfo, unstable_import_statement; /* error */
};

struct resources {
	struct res_map **maps;
	int nmaps;
	struct res_event **events;
	int nevents;
	struct res_probe **probes;
	int nprobes;
	struct res_map *ringbuf; /* the event ring buffer (always present) */
	uint32_t ringbuf_size;	 /* bytes, a power of two */
	struct hk_config config;
	bool uses_btf; /* the program needs kernel BTF */
	bool no_cache; /* compile-time values that can change at run time (cgroupid()): never cached
			*/
	int nbegin, nend;     /* counts of begin/end programs */
	int read_error_event; /* -k: the shared "failed to read memory" event, or -1 */
	/* What probe expansion read besides the program (usdt: each binary's path and
	 * identity), hashed: part of the compile cache's key; 0 if nothing. */
	uint64_t cache_salt;
	/* -p's pid: probes whose ops have pid_filter run only for this process
	 * (a constant in the code: part of the cache key); 0: no filter. */
	int filter_pid;
};

#endif
