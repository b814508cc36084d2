/*
 * config.c - bpftrace's config variables: `config = { key = value; ... }`
 * blocks and their BPFTRACE_<KEY> environment overrides (the environment
 * wins). One table row per key says its kind, where it lives in struct
 * hk_config, its old name and the values it takes.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum cfg_kind {
	CFG_UINT,	/* an integer >= min (and <= max when max != 0) */
	CFG_BOOL,	/* true/false, 1/0 */
	CFG_STR,	/* a string */
	CFG_NAME,	/* one of `choices`, as an identifier or a string */
	CFG_UNSTABLE,	/* error, warn or enable (enum hk_unstable) */
	CFG_DEPRECATED, /* accepted with a warning; no effect */
};

struct cfg_key {
	const char *name;
	enum cfg_kind kind;
	size_t off; /* in struct hk_config (not for CFG_DEPRECATED) */
	const char *old_name;
	const char *const *choices; /* CFG_NAME */
	uint64_t min, max;
};

static const char *const stack_modes[] = {"bpftrace", "perf", "raw", "build_id", NULL};
static const char *const missing_modes[] = {"error", "warn", "ignore", NULL};
static const char *const symbol_caches[] = {"PER_PID", "PER_PROGRAM", "NONE", NULL};
static const char *const unstable_modes[] = {"error", "warn", "enable", NULL};

#define OFF(f) offsetof(struct hk_config, f)

static const struct cfg_key keys[] = {
	{"max_strlen", CFG_UINT, OFF(max_strlen), "strlen", NULL, 1, 65536},
	{"max_map_keys", CFG_UINT, OFF(max_map_keys), "map_keys_max", NULL, 1, 0},
	{"max_cat_bytes", CFG_UINT, OFF(max_cat_bytes), "cat_bytes_max", NULL, 0, 0},
	{"max_probes", CFG_UINT, OFF(max_probes), NULL, NULL, 1, 0},
	{"max_bpf_progs", CFG_UINT, OFF(max_bpf_progs), NULL, NULL, 1, 0},
	{"log_size", CFG_UINT, OFF(log_size), NULL, NULL, 1, 0},
	{"on_stack_limit", CFG_UINT, OFF(on_stack_limit), NULL, NULL, 0, 0},
	{"perf_rb_pages", CFG_UINT, OFF(perf_rb_pages), NULL, NULL, 0, 0},
	{"stack_mode", CFG_NAME, OFF(stack_mode), NULL, stack_modes, 0, 0},
	{"str_trunc_trailer", CFG_STR, OFF(str_trunc_trailer), NULL, NULL, 0, 0},
	{"missing_probes", CFG_NAME, OFF(missing_probes), NULL, missing_modes, 0, 0},
	{"print_maps_on_exit", CFG_BOOL, OFF(print_maps_on_exit), NULL, NULL, 0, 0},
	{"cache_user_symbols", CFG_NAME, OFF(cache_user_symbols), NULL, symbol_caches, 0, 0},
	{"cpp_demangle", CFG_BOOL, OFF(cpp_demangle), NULL, NULL, 0, 0},
	{"lazy_symbolication", CFG_BOOL, OFF(lazy_symbolication), NULL, NULL, 0, 0},
	{"license", CFG_STR, OFF(license), NULL, NULL, 0, 0},
	{"use_blazesym", CFG_BOOL, OFF(use_blazesym), NULL, NULL, 0, 0},
	{"show_debug_info", CFG_BOOL, OFF(show_debug_info), NULL, NULL, 0, 0},
	{"unstable_tseries", CFG_UNSTABLE, OFF(unstable_tseries), NULL, NULL, 0, 0},
	{"unstable_dw_ustack", CFG_UNSTABLE, OFF(unstable_dw_ustack), NULL, NULL, 0, 0},
	{"unstable_typeinfo", CFG_UNSTABLE, OFF(unstable_typeinfo), NULL, NULL, 0, 0},
	{"unstable_import_statement", CFG_UNSTABLE, OFF(unstable_import_statement), NULL, NULL, 0,
	 0},
	{"symbol_source", CFG_DEPRECATED, 0, NULL, NULL, 0, 0},
	{"max_type_res_iterations", CFG_DEPRECATED, 0, NULL, NULL, 0, 0},
	{"unstable_addr", CFG_DEPRECATED, 0, NULL, NULL, 0, 0},
	{"unstable_import", CFG_DEPRECATED, 0, NULL, NULL, 0, 0},
	{"unstable_macro", CFG_DEPRECATED, 0, NULL, NULL, 0, 0},
	{"unstable_map_decl", CFG_DEPRECATED, 0, NULL, NULL, 0, 0},
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

void config_defaults(struct hk_config *c)
{
	memset(c, 0, sizeof(*c));
	c->max_strlen = 1024;
	c->max_map_keys = 4096;
	c->max_cat_bytes = 10240;
	c->max_probes = 1024;
	c->max_bpf_progs = 1024;
	c->log_size = 1000000;
	c->on_stack_limit = 32;
	c->print_maps_on_exit = true;
	c->str_trunc_trailer = "..";
	c->stack_mode = "bpftrace";
	c->missing_probes = "error";
	c->cache_user_symbols = "PER_PID";
	c->cpp_demangle = true;
	c->lazy_symbolication = true;
	c->license = "GPL";
	c->unstable_tseries = HK_UNSTABLE_WARN;
	c->unstable_dw_ustack = HK_UNSTABLE_WARN;
	c->unstable_typeinfo = HK_UNSTABLE_ERROR;
	c->unstable_import_statement = HK_UNSTABLE_ERROR;
}

static const struct cfg_key *find_key(const char *name, bool *renamed)
{
	*renamed = false;
	for (size_t i = 0; i < NKEYS; i++) {
		if (!strcmp(keys[i].name, name))
			return &keys[i];
		if (keys[i].old_name && !strcmp(keys[i].old_name, name)) {
			*renamed = true;
			return &keys[i];
		}
	}
	return NULL;
}

static int choice_index(const struct cfg_key *k, const char *v)
{
	const char *const *set = k->kind == CFG_UNSTABLE ? unstable_modes : k->choices;

	for (int i = 0; set[i]; i++)
		if (!strcasecmp(set[i], v))
			return i;
	return -1;
}

/* "a, b or c" for messages. */
static void choice_list(const struct cfg_key *k, char *buf, size_t len)
{
	const char *const *set = k->kind == CFG_UNSTABLE ? unstable_modes : k->choices;
	size_t n = 0, used = 0;

	while (set[n])
		n++;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s'%s'",
					 i == 0	      ? ""
					 : i == n - 1 ? " or "
						      : ", ",
					 set[i]);
}

static void *field(struct hk_config *c, const struct cfg_key *k)
{
	return (char *)c + k->off;
}

/* Sets key k from an integer; returns NULL or a message about why not. */
static const char *set_uint(struct hk_config *c, const struct cfg_key *k, uint64_t v)
{
	if (v < k->min)
		return k->min == 1 ? "must be a positive integer" : "is too small";
	if ((k->max && v > k->max) || v > UINT32_MAX)
		return "is too large";
	*(uint32_t *)field(c, k) = (uint32_t)v;
	return NULL;
}

/* Sets a name-valued key; the value must outlive the config (AST or environment). */
static const char *set_name(struct hk_config *c, const struct cfg_key *k, const char *v)
{
	int i = choice_index(k, v);

	if (i < 0)
		return "has no such value";
	if (k->kind == CFG_UNSTABLE)
		*(enum hk_unstable *)field(c, k) = (enum hk_unstable)i;
	else
		*(const char **)field(c, k) = k->choices[i];
	return NULL;
}

static void bad_value(struct diag_set *d, struct loc loc, bool has_loc, const struct cfg_key *k,
		      const char *why, const char *origin)
{
	char list[128];

	switch (k->kind) {
	case CFG_NAME:
	case CFG_UNSTABLE:
		choice_list(k, list, sizeof(list));
		if (has_loc)
			diag_error(d, loc, "config '%s' must be %s", k->name, list);
		else
			diag_error_noloc(d, "%s: config '%s' must be %s", origin, k->name, list);
		return;
	case CFG_BOOL:
		why = "must be true or false";
		break;
	default:
		break;
	}
	if (has_loc) {
		if (k->kind == CFG_UINT && k->max)
			diag_error(d, loc, "config '%s' must be an integer from %llu to %llu",
				   k->name, (unsigned long long)k->min, (unsigned long long)k->max);
		else
			diag_error(d, loc, "config '%s' %s", k->name, why);
	} else {
		diag_error_noloc(d, "%s: config '%s' %s", origin, k->name, why);
	}
}

static void apply_entry(struct diag_set *d, struct hk_config *c, struct ast_node *a)
{
	const char *name = a->lhs->name, *why = NULL;
	const struct ast_node *v = a->rhs;
	bool renamed;
	const struct cfg_key *k = find_key(name, &renamed);

	if (!k) {
		const char *names[NKEYS + 1];
		const char *sug;

		for (size_t i = 0; i < NKEYS; i++)
			names[i] = keys[i].name;
		names[NKEYS] = NULL;
		sug = diag_suggest(name, names);
		diag_error(d, a->lhs->loc, "unknown config key '%s'", name);
		if (sug)
			diag_hint(d, "did you mean '%s'?", sug);
		return;
	}
	if (renamed)
		diag_warn(d, a->lhs->loc, "config '%s' is renamed: use '%s'", name, k->name);
	switch (k->kind) {
	case CFG_DEPRECATED:
		diag_warn(d, a->lhs->loc, "config '%s' is deprecated and has no effect", name);
		return;
	case CFG_UINT:
		if (v->kind != AST_INT || v->ival < 0)
			why = "must be a non-negative integer";
		else
			why = set_uint(c, k, (uint64_t)v->ival);
		break;
	case CFG_BOOL:
		if ((v->kind != AST_INT && v->kind != AST_BOOL) || v->ival < 0 || v->ival > 1)
			why = "must be true or false";
		else
			*(bool *)field(c, k) = v->ival != 0;
		break;
	case CFG_STR:
		if (v->kind != AST_STR)
			why = "must be a string";
		else
			*(const char **)field(c, k) = v->str;
		break;
	case CFG_NAME:
	case CFG_UNSTABLE:
		if (v->kind == AST_STR || v->kind == AST_IDENT)
			why = set_name(c, k, v->kind == AST_STR ? v->str : v->name);
		else
			why = "must be a name";
		break;
	}
	if (why)
		bad_value(d, v->loc, true, k, why, NULL);
}

void config_apply_block(struct diag_set *d, struct hk_config *c, struct ast_node *cfg)
{
	for (struct ast_node *a = cfg->body; a; a = a->next) {
		apply_entry(d, c, a);
		if (!strcmp(a->lhs->name, "license") && a->rhs->kind == AST_STR &&
		    !config_license_ok(a->rhs->str))
			diag_error(d, a->rhs->loc,
				   "config license '%s' is not GPL-compatible: the kernel would "
				   "refuse "
				   "the GPL-only helpers hawk uses",
				   a->rhs->str);
	}
}

bool config_license_ok(const char *l)
{
	static const char *const ok[] = {"GPL",
					 "GPL v2",
					 "GPL and additional rights",
					 "Dual BSD/GPL",
					 "Dual MIT/GPL",
					 "Dual MPL/GPL",
					 NULL};

	for (int i = 0; ok[i]; i++)
		if (!strcmp(l, ok[i]))
			return true;
	return false;
}

/* Reads "BPFTRACE_<KEY>" (or its HAWK_ spelling, which wins). */
static const char *env_value(const struct cfg_key *k, char *var, size_t len)
{
	static const char *const prefixes[] = {"HAWK_", "BPFTRACE_"};

	for (int p = 0; p < 2; p++) {
		size_t n = (size_t)snprintf(var, len, "%s", prefixes[p]);
		for (const char *s = k->name; *s && n + 1 < len; s++)
			var[n++] = (char)toupper((unsigned char)*s);
		var[n] = '\0';
		const char *v = getenv(var);
		if (v)
			return v;
	}
	return NULL;
}

void config_apply_env(struct diag_set *d, struct hk_config *c)
{
	for (size_t i = 0; i < NKEYS; i++) {
		const struct cfg_key *k = &keys[i];
		char var[64];
		const char *v, *why = NULL;

		if (k->kind == CFG_DEPRECATED || !(v = env_value(k, var, sizeof(var))))
			continue;
		switch (k->kind) {
		case CFG_UINT: {
			char *end;
			unsigned long long n;

			errno = 0;
			n = strtoull(v, &end, 0);
			if (!*v || *end || errno || v[0] == '-')
				why = "must be a non-negative integer";
			else
				why = set_uint(c, k, n);
			break;
		}
		case CFG_BOOL:
			if (!strcmp(v, "1") || !strcasecmp(v, "true"))
				*(bool *)field(c, k) = true;
			else if (!strcmp(v, "0") || !strcasecmp(v, "false"))
				*(bool *)field(c, k) = false;
			else
				why = "must be true or false";
			break;
		case CFG_STR:
			*(const char **)field(c, k) = v;
			break;
		case CFG_NAME:
		case CFG_UNSTABLE:
			why = set_name(c, k, v);
			break;
		case CFG_DEPRECATED:
			break;
		}
		if (!why && k->off == OFF(license) && !config_license_ok(v))
			why = "must name a GPL-compatible license";
		if (why) {
			char origin[160];

			snprintf(origin, sizeof(origin), "%s='%s'", var, v);
			bad_value(d, (struct loc){0}, false, k, why, origin);
		}
	}
}
