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

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../lang/resources.h"
#include "output.h"

struct rt;
struct source_set;
struct bpf_link;
struct bpf_object;

struct rt_options {
	enum out_format format;	 /* -f */
	FILE *out;		 /* -o FILE or stdout */
	bool quiet;		 /* -q: no "Attached N probes" */
	bool verbose;		 /* -v: libbpf warnings and info */
	bool dry_run;		 /* --dry-run: exit after attaching */
	bool debug_verifier;	 /* -d verifier: full verifier log */
	int target_pid;		 /* -p */
	const char *child_cmd;	 /* -c CMD */
	const char *source_name; /* for messages */
	/* Added by the runtime's owner (all optional, zero is fine): */
	bool debug_libbpf;	      /* -d libbpf: all of libbpf's messages, debug level too */
	const struct source_set *src; /* renders errors with their source line; may be NULL */
	int colour;		      /* diagnostics colour: -1 auto, 0 off, 1 on */
	bool test;		      /* --test: run the test:NAME probes only */
	/* --probe-filter: only the probes whose expanded attach point (res_probe.spec)
	 * the regex matches are loaded, attached or run; BEGIN and END always are */
	const regex_t *probe_filter;
};

/*
 * Payloads of the map events (after the struct event_hdr); the map is
 * res_event.map_id:
 *   EV_PRINT:  struct ev_print_payload (top 0: all entries; div 0 or 1: none)
 *   EV_CLEAR, EV_ZERO: no payload
 * EV_EXIT: an int64 code at args offset 0 (no args: code 0).
 *
 * Kernel keys of keyless maps (res_map.key == NULL): u32 0 for RM_ARRAY and
 * RM_PERCPU_ARRAY, u64 0 for the hash kinds. Bucketed aggregations append a
 * u64 bucket index to the user key (keyless: the key is just the bucket).
 * An array slot whose bytes are all zero (on every CPU) counts as absent:
 * it is not printed, as bpftrace never prints a map that was never written.
 *
 * Internal maps the runtime knows by res_map.name:
 *   "scratch"  ARRAY, max_entries set to the number of possible CPUs
 *   "globals"  ARRAY, slot 0 holds u64s: offset 0 hawk's start time (boot
 *              clock, ns; for elapsed), offset 8 the -c child's pid (cpid),
 *              written before any program runs
 *   "lost"     ARRAY or PERCPU_ARRAY of u64, slot 0: events the BPF side
 *              could not write to the ring buffer; new losses are reported
 *              (out_lost) as they happen and at exit
 */
struct ev_print_payload {
	uint64_t top;
	uint64_t div;
};

/* Loads and runs the object until exit()/signal; returns the exit status. */
int rt_run(const struct resources *res, const void *elf, size_t len, const struct rt_options *opt);

/* ---- for probe modules' attach callbacks ---- */
void rt_own_link(struct rt *rt, struct bpf_link *link);
void rt_own_fd(struct rt *rt, int fd);
int rt_ncpus(const struct rt *rt);	/* possible CPUs */
int rt_target_pid(const struct rt *rt); /* -p PID or the -c child, 0 if none */
bool rt_dry_run(const struct rt *rt);	/* --dry-run */
/* The output events are printed to (EV_OTHER handlers print through it). */
struct out *rt_out(struct rt *rt);
const struct resources *rt_resources(const struct rt *rt);
/* Stops the run as exit(code) does (for EV_OTHER handlers). */
void rt_request_exit(struct rt *rt, int code);
/* Stops the run as the end of the traced process does: the events already
 * written are printed, then end probes and maps (iterators, once read). */
void rt_request_stop(struct rt *rt);
/* Makes sure tracefs is mounted (mounts it when root); returns its path or NULL. */
const char *rt_tracefs(void);

/* --info (runtime/info.c): the kernel's and the build's features. */
int rt_info(FILE *out);

#endif
