/*
 * rt_internal.h - the runtime's state, shared by rt.c (lifecycle, events)
 * and maps.c (reading, printing, clearing maps). Not for other folders.
 *
 * Invariants: every handle starts as NULL/-1 and is released once, on the
 * one cleanup path (rt_destroy in rt.c); map_fd[i] is the fd of
 * resources.maps[i] (-1 when the object has no such map).
 */
#ifndef HAWK_RT_INTERNAL_H
#define HAWK_RT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "rt.h"

struct ring_buffer;

enum rt_phase {
	RT_PH_BEGIN, /* begin programs ran: events are kept until after attaching */
	RT_PH_RUN,   /* the main loop */
	RT_PH_DRAIN, /* after exit(): what is left in the ring buffer is dropped */
	RT_PH_END,   /* end programs: events are printed again */
};

struct rt {
	const struct resources *res;
	const struct rt_options *opt;
	struct out out;
	struct bpf_object *obj;
	int *map_fd;
	/* Per map: zero() ran on a per-CPU array slot that means "unset" when all
	 * zero (keyless count): print it as 0 from then on, as bpftrace does. */
	bool *map_zeroed;
	uint64_t *sites_warned; /* -k: places whose failed read was reported */
	size_t nsites_warned;
	int nskipped;  /* probes left out under missing_probes = warn | ignore */
	int nfiltered; /* probes left out by --probe-filter (in unloaded) */
	int ncpus;
	struct ring_buffer *rb;

	/* what attach callbacks handed over */
	struct bpf_link **links;
	int nlinks, links_cap;
	int *fds;
	int nfds, fds_cap;

	/* the event loop */
	int epfd;
	int sig_pipe[2];
	int pidfd;	/* -p target or -c child, -1 if none */
	pid_t child;	/* -c CMD, 0 if none */
	int child_gate; /* write end of the pipe the child waits on before exec */
	pid_t target;	/* -p PID */
	enum rt_phase phase;
	bool stop;   /* leave the main loop */
	bool exited; /* exit() was called */
	int exit_code;

	/* events of begin programs, kept until the probes are attached */
	unsigned char *defer;
	size_t defer_len, defer_cap;
	bool defer_exit;

	unsigned char *warned; /* per event id: a helper error was reported once */
	int lost_map;	       /* index of the internal "lost" map, -1 if none */
	uint64_t lost_seen;    /* losses already reported */

	char *log_buf; /* verifier log of the program that failed to load */
	size_t log_size;
	char **prog_logs; /* -d verifier: one log per res_probe */

	bool child_reaped; /* the -c child ended by itself; child_status is its wait status */
	int child_status;
	bool *unloaded; /* per res_probe, a program left out of the object (never loaded,
			 * attached or run): --probe-filter did not match it, or (--dry-run)
			 * the kernel refused to load it */
};

/* maps.c */
/* Reads map m, combines per-CPU values and prints it (out_map). */
int rt_map_print(struct rt *rt, const struct res_map *m, uint32_t top, uint64_t div);
/* clear(@m): deletes every key (arrays: zeroes every slot). */
int rt_map_clear(struct rt *rt, const struct res_map *m);
/* zero(@m): sets every value to zero, keeping the keys. */
int rt_map_zero(struct rt *rt, const struct res_map *m);
/* Prints every user map in name order, as at exit. */
void rt_print_all_maps(struct rt *rt);

#endif
