/*
 * config.h - bpftrace's config variables (`config = { ... }` and the
 * BPFTRACE_<KEY> / HAWK_<KEY> environment overrides, which win).
 */
#ifndef HAWK_CONFIG_H
#define HAWK_CONFIG_H

#include <stdbool.h>
#include "ast.h"
#include "diag.h"
#include "resources.h"

/* bpftrace's defaults. */
void config_defaults(struct hk_config *c);
/* Applies a `config = { ... }` block; errors and warnings point into it. */
void config_apply_block(struct diag_set *d, struct hk_config *c, struct ast_node *cfg);
/* Applies the environment (after the blocks: the environment wins). */
void config_apply_env(struct diag_set *d, struct hk_config *c);
/* The kernel gives GPL-only helpers to these licenses only. */
bool config_license_ok(const char *license);

#endif
