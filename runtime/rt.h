/*
 * rt.h - the runtime: load the object, attach, stream events, print maps.
 *
 * The only place (with stdlib probe modules' attach callbacks) that includes
 * libbpf. Phases: open, load, run begin programs, attach, poll, (signal or
 * exit) detach, run end programs, print maps, clean up. Every handle is
 * owned by struct rt and released on one cleanup path in reverse order.
 */
#ifndef HAWK_RT_H
#define HAWK_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../lang/resources.h"
#include "output.h"

struct rt;
struct bpf_link;
struct bpf_object;

struct rt_options {
	enum out_format format; /* -f */
	FILE *out;              /* -o FILE or stdout */
	bool quiet;             /* -q: no "Attached N probes" */
	bool verbose;           /* -v: libbpf debug output */
	bool dry_run;           /* --dry-run: exit after attaching */
	bool debug_verifier;    /* -d verifier: full verifier log */
	int target_pid;         /* -p */
	const char *child_cmd;  /* -c CMD */
	const char *source_name; /* for messages */
};

/* Loads and runs the object until exit()/signal; returns the exit status. */
int rt_run(const struct resources *res, const void *elf, size_t len, const struct rt_options *opt);

/* ---- for probe modules' attach callbacks ---- */
void rt_own_link(struct rt *rt, struct bpf_link *link);
void rt_own_fd(struct rt *rt, int fd);
int rt_ncpus(const struct rt *rt);         /* possible CPUs */
int rt_target_pid(const struct rt *rt);    /* -p PID or the -c child, 0 if none */
/* Makes sure tracefs is mounted (mounts it when root); returns its path or NULL. */
const char *rt_tracefs(void);

#endif
