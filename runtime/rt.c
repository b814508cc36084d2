/*
 * rt.c - the runtime: load the BPF object, run begin programs, attach,
 * stream events from the ring buffer, stop, detach, run end programs,
 * print the maps.
 *
 * Phases of rt_run(), each a function below:
 *   open      bpf_object__open_mem; program types, scratch and ring buffer
 *             sizes set before load
 *   load      bpf_object__load; on failure the verifier log is mapped back
 *             to the probe and its source line
 *   child     -c CMD forked (its pid is cpid), held on a pipe until attached
 *   begin     begin programs run once (BPF_PROG_TEST_RUN) before anything is
 *             attached; their events are kept aside: `BEGIN { exit(); }`
 *             attaches nothing, and they print after "Attached N probes" as
 *             in bpftrace (which attaches before reading them)
 *   attach    every other probe through its module's attach callback
 *   poll      one epoll set: the ring buffer, a self-pipe written by the
 *             signal handler, a pidfd for -p PID or the -c child
 *   stop      links destroyed (from several threads: closing a tracepoint's
 *             perf event takes 50-150 ms of kernel time), end programs run,
 *             their events drained, maps printed
 *   cleanup   one path, handles released in reverse order (rt_destroy)
 *
 * Invariants: struct rt handles are NULL/-1 until acquired and released
 * only by rt_destroy(); events are dispatched only from the thread running
 * rt_run(); after exit() the events still queued from the main phase are
 * dropped (bpftrace stops printing them too), those of end programs are not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <inttypes.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "rt_internal.h"
#include "syms.h"
#include "usyms.h"
#include "../lang/diag.h"
#include "../lang/modules.h"
#include "../lang/source.h"
#include "../lang/types.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

#define LOG_BUF_SIZE	   (4u << 20)  /* verifier log of a failing program */
#define DEBUG_LOG_BUF_SIZE (16u << 20) /* -d verifier: per program */
#define LOG_TAIL_LINES	   20
#define MAX_DETACH_THREADS 8

enum { TAG_RINGBUF = 1, TAG_SIGNAL, TAG_PIDFD };

/* ---- libbpf messages ---------------------------------------------------- */

static int libbpf_level; /* 0: none, 1: warnings and info (-v), 2: all (-d libbpf) */
/* While loading: the program libbpf reports as failed ("prog 'NAME': ..."
 * messages). After a failed load libbpf has closed every program's fd, so
 * this is the only way to tell which program the verifier rejected. */
static bool load_capture;
static char load_failed_prog[256];

static void capture_failed_prog(const char *fmt, va_list ap)
{
	char msg[512];
	const char *start, *end;

	if (load_failed_prog[0])
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	start = strstr(msg, "prog '");
	if (!start || (!strstr(msg, "failed to load") && !strstr(msg, "load failed")))
		return;
	start += 6;
	end = strchr(start, '\'');
	if (end && (size_t)(end - start) < sizeof(load_failed_prog))
		snprintf(load_failed_prog, sizeof(load_failed_prog), "%.*s", (int)(end - start),
			 start);
}

static int libbpf_print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (load_capture && level == LIBBPF_WARN) {
		va_list copy;
		va_copy(copy, ap);
		capture_failed_prog(fmt, copy);
		va_end(copy);
	}
	if (libbpf_level == 0 || (level == LIBBPF_DEBUG && libbpf_level < 2))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* ---- signals ------------------------------------------------------------ */

static volatile sig_atomic_t sig_received;
static int sig_write_fd = -1;
static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void on_signal(int sig)
{
	int saved = errno;

	sig_received = sig;
	if (sig_write_fd >= 0 && write(sig_write_fd, "s", 1) < 0) {
		/* the pipe is full: a wake-up is pending anyway */
	}
	errno = saved;
}

/* self:signal probes: the signal number goes down the pipe (never 's'); the
 * event loop runs the probes of that signal. */
static sigset_t self_signals;

static void on_self_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	if (sig_write_fd >= 0 && write(sig_write_fd, &c, 1) < 0) {
		/* the pipe is full: this one is dropped */
	}
	errno = saved;
}

static void signals_install(struct rt *rt)
{
	struct sigaction sa = {.sa_handler = on_signal};

	sig_received = 0;
	sig_write_fd = rt->sig_pipe[1];
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		sigaction(stop_signals[i], &sa, NULL);
	sigemptyset(&self_signals);
	sa.sa_handler = on_self_signal;
	for (int i = 0; i < rt->res->nprobes; i++) {
		const struct res_probe *p = rt->res->probes[i];

		if (p->ops && p->ops->is_self && !sigismember(&self_signals, (int)p->period)) {
			sigaddset(&self_signals, (int)p->period);
			sigaction((int)p->period, &sa, NULL);
		}
	}
}

static void signals_restore(void)
{
	struct sigaction sa = {.sa_handler = SIG_DFL};

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		sigaction(stop_signals[i], &sa, NULL);
	/* self signals stay caught (ignored) until hawk exits: one that arrives
	 * while the maps are printed must not kill it */
	sa.sa_handler = SIG_IGN;
	for (int sig = 1; sig < 32; sig++)
		if (sigismember(&self_signals, sig))
			sigaction(sig, &sa, NULL);
	sig_write_fd = -1;
}

/* ---- messages ----------------------------------------------------------- */

/* "FILE:LINE:COL: error: MSG" with the source line when we have it. */
static void error_at(struct rt *rt, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void error_at(struct rt *rt, struct loc loc, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fflush(rt->out.f);
	if (rt->opt->src && loc.first_line > 0) {
		struct diag_set d;
		diag_init(&d, (struct source_set *)rt->opt->src);
		diag_error(&d, loc, "%s", msg);
		diag_render(&d, stderr, rt->opt->colour);
		diag_free(&d);
	} else if (loc.first_line > 0) {
		fprintf(stderr, "%s:%d:%d: error: %s\n",
			rt->opt->source_name ? rt->opt->source_name : "stdin", loc.first_line,
			loc.first_column, msg);
	} else {
		fprintf(stderr, "error: %s\n", msg);
	}
}

static void error_noloc(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void error_noloc(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void hint(const char *msg)
{
	if (msg)
		fprintf(stderr, "hint: %s\n", msg);
}

/* ---- the accessors modules use ------------------------------------------ */

void rt_own_link(struct rt *rt, struct bpf_link *link)
{
	if (!link)
		return;
	if (rt->nlinks == rt->links_cap) {
		int cap = rt->links_cap ? rt->links_cap * 2 : 16;
		struct bpf_link **l = realloc(rt->links, cap * sizeof(*l));
		if (!l) {
			fprintf(stderr, "hawk: out of memory\n");
			exit(1); /* the kernel releases the links with the process */
		}
		rt->links = l;
		rt->links_cap = cap;
	}
	rt->links[rt->nlinks++] = link;
}

void rt_own_fd(struct rt *rt, int fd)
{
	if (fd < 0)
		return;
	if (rt->nfds == rt->fds_cap) {
		int cap = rt->fds_cap ? rt->fds_cap * 2 : 16;
		int *f = realloc(rt->fds, cap * sizeof(*f));
		if (!f) {
			fprintf(stderr, "hawk: out of memory\n");
			exit(1);
		}
		rt->fds = f;
		rt->fds_cap = cap;
	}
	rt->fds[rt->nfds++] = fd;
}

int rt_ncpus(const struct rt *rt)
{
	return rt->ncpus;
}

bool rt_dry_run(const struct rt *rt)
{
	return rt->opt->dry_run;
}

int rt_target_pid(const struct rt *rt)
{
	return rt->target ? rt->target : rt->child;
}

struct out *rt_out(struct rt *rt)
{
	return &rt->out;
}

const struct resources *rt_resources(const struct rt *rt)
{
	return rt->res;
}

void rt_request_exit(struct rt *rt, int code)
{
	if (rt->phase == RT_PH_END) {
		rt->exit_code = code; /* exit() in an end probe: just the status */
		return;
	}
	rt->exited = true;
	rt->exit_code = code;
	rt->stop = true;
}

void rt_request_stop(struct rt *rt)
{
	rt->stop = true;
}

/* ---- events ------------------------------------------------------------- */

static void helper_error(struct rt *rt, const struct res_event *ev, int64_t rc);
static void site_error(struct rt *rt, const struct res_event *ev, int64_t rc, uint64_t site);

static void warn_event(struct rt *rt, uint32_t id, const char *what)
{
	static uint32_t warned = UINT32_MAX;

	if (warned == id)
		return;
	warned = id;
	fflush(rt->out.f);
	fprintf(stderr, "hawk: warning: event %u: %s\n", id, what);
}

static void print_value_event(struct rt *rt, const struct res_event *ev, const unsigned char *p)
{
	const void *v = p + (ev->offsets ? ev->offsets[0] : 0);

	if (ev->nargs < 1)
		return;
	if (rt->out.format == OUT_JSON) {
		fputs("{\"type\": \"value\", \"data\": ", rt->out.f);
		out_value_json(&rt->out, ev->args[0], v);
		fputs("}\n", rt->out.f);
	} else {
		out_value(&rt->out, ev->args[0], v);
		fputc('\n', rt->out.f);
	}
}

static const struct res_map *event_map(struct rt *rt, const struct res_event *ev)
{
	if (ev->map_id < 0 || ev->map_id >= rt->res->nmaps)
		return NULL;
	return rt->res->maps[ev->map_id];
}

/* Handles one ring buffer record (event_hdr + payload). */
static void dispatch(struct rt *rt, const void *data, size_t size)
{
	const struct event_hdr *hdr = data;
	const unsigned char *payload = (const unsigned char *)data + sizeof(*hdr);
	uint32_t len = (uint32_t)(size - sizeof(*hdr));
	const struct res_event *ev;
	const struct res_map *m;
	int err = 0;

	if (size < sizeof(*hdr))
		return;
	if (rt->phase == RT_PH_DRAIN || (rt->exited && rt->phase == RT_PH_RUN))
		return; /* after exit(): dropped */
	if (hdr->id >= (uint32_t)rt->res->nevents || !(ev = rt->res->events[hdr->id])) {
		warn_event(rt, hdr->id, "unknown event id");
		return;
	}
	if (ev->kind != EV_OTHER && len < ev->size) {
		warn_event(rt, hdr->id, "payload shorter than its arguments");
		return;
	}

	switch (ev->kind) {
	case EV_PRINTF:
		out_printf(&rt->out, ev, payload);
		break;
	case EV_EXIT: {
		int64_t code = 0;
		if (ev->nargs > 0 && ev->offsets && len >= ev->offsets[0] + 8)
			memcpy(&code, payload + ev->offsets[0], 8);
		rt_request_exit(rt, (int)code);
		break;
	}
	case EV_PRINT: {
		struct ev_print_payload pp = {0, 1};
		if (len >= sizeof(pp))
			memcpy(&pp, payload, sizeof(pp));
		if ((m = event_map(rt, ev)))
			err = rt_map_print(rt, m, (uint32_t)pp.top, pp.div ? pp.div : 1);
		break;
	}
	case EV_PRINT_VALUE:
		print_value_event(rt, ev, payload);
		break;
	case EV_CLEAR:
		if ((m = event_map(rt, ev)))
			err = rt_map_clear(rt, m);
		break;
	case EV_ZERO:
		if ((m = event_map(rt, ev)))
			err = rt_map_zero(rt, m);
		break;
	case EV_HELPER_ERROR: {
		int64_t rc = 0;

		if (len >= 8)
			memcpy(&rc, payload, 8);
		if (ev->site_in_payload) {
			uint64_t site = 0;

			if (len >= 16)
				memcpy(&site, payload + 8, 8);
			site_error(rt, ev, rc, site);
			break;
		}
		helper_error(rt, ev, rc);
		break;
	}
	case EV_OTHER:
		if (ev->ops && ev->ops->event)
			ev->ops->event(rt, ev, payload, len);
		else
			warn_event(rt, hdr->id, "no handler for this event");
		break;
	}
	if (err) {
		fflush(rt->out.f);
		fprintf(stderr, "hawk: warning: map '%s': %s\n", m ? m->name : "?", strerror(-err));
	}
}

/* A BPF helper failed at a place in the program (e.g. a full map): said
 * once per place, with its source line, as a warning; JSON: a helper_error
 * record. */
static void report_helper_error(struct rt *rt, const struct res_event *ev, int64_t rc,
				struct loc loc, const char *helper);

static void helper_error(struct rt *rt, const struct res_event *ev, int64_t rc)
{
	if (!rt->warned)
		rt->warned = calloc((size_t)rt->res->nevents, 1);
	if (!rt->warned || rt->warned[ev->id])
		return;
	rt->warned[ev->id] = 1;
	report_helper_error(rt, ev, rc, ev->loc, ev->helper);
}

/* A helper error shared by many places (-k failed reads): once per place. */
static void site_error(struct rt *rt, const struct res_event *ev, int64_t rc, uint64_t site)
{
	static const char *const helpers[] = {"probe_read",	   "probe_read_str",
					      "probe_read_kernel", "probe_read_kernel_str",
					      "probe_read_user",   "probe_read_user_str"};
	uint64_t key = site | 1ull << 63;
	struct loc loc = {0};
	int h = EV_SITE_HELPER(site);

	for (size_t i = 0; i < rt->nsites_warned; i++)
		if (rt->sites_warned[i] == key)
			return;
	if (rt->nsites_warned % 16 == 0) {
		uint64_t *p = realloc(rt->sites_warned, (rt->nsites_warned + 16) * sizeof(*p));

		if (!p)
			return;
		rt->sites_warned = p;
	}
	rt->sites_warned[rt->nsites_warned++] = key;
	loc.file = EV_SITE_FILE(site);
	loc.first_line = loc.last_line = EV_SITE_LINE(site);
	loc.first_column = loc.last_column = EV_SITE_COL(site);
	report_helper_error(rt, ev, rc, loc, h < 6 ? helpers[h] : ev->helper);
}

static void report_helper_error(struct rt *rt, const struct res_event *ev, int64_t rc,
				struct loc loc, const char *helper)
{
	const char *err = strerror((int)(rc < 0 ? -rc : rc));
	char msg[256];

	/* a failed read (-k) says what bpftrace says: "Failed to probe_read_user:
	 * Bad address (-14)"; other helper errors (map full) their own text */
	if (ev->site_in_payload)
		snprintf(msg, sizeof(msg), "Failed to %s: %s (%lld)", helper, err, (long long)rc);
	else
		snprintf(msg, sizeof(msg), "%s", ev->fmt);
	if (rt->out.format == OUT_JSON) {
		fprintf(rt->out.f,
			"{\"type\": \"helper_error\", \"msg\": \"%s\", \"helper\": \"%s\", "
			"\"retcode\": %lld, \"line\": %d, \"col\": %d}\n",
			msg, helper, (long long)rc, loc.first_line, loc.first_column);
		return;
	}
	fflush(rt->out.f);
	if (rt->opt->src) {
		struct diag_set d;

		diag_init(&d, (struct source_set *)rt->opt->src);
		diag_warn(&d, loc, "%s", msg);
		if (ev->hint)
			diag_hint(&d, "%s", ev->hint);
		if (!ev->site_in_payload)
			diag_hint(&d, "helper %s returned %lld (%s)", helper, (long long)rc, err);
		diag_render(&d, stderr, rt->opt->colour);
		diag_free(&d);
	} else {
		fprintf(stderr, "%s:%d:%d: warning: %s (helper %s returned %lld)\n",
			rt->opt->source_name ? rt->opt->source_name : "stdin", loc.first_line,
			loc.first_column, msg, helper, (long long)rc);
	}
}

/* Keeps a begin program's event until the probes are attached. */
static void defer_event(struct rt *rt, const void *data, size_t size)
{
	const struct event_hdr *hdr = data;
	size_t need = 8 + ((size + 7) & ~(size_t)7);

	if (size >= sizeof(*hdr) && hdr->id < (uint32_t)rt->res->nevents &&
	    rt->res->events[hdr->id] && rt->res->events[hdr->id]->kind == EV_EXIT)
		rt->defer_exit = true;
	if (rt->defer_len + need > rt->defer_cap) {
		size_t cap = rt->defer_cap ? rt->defer_cap * 2 : 4096;
		while (cap < rt->defer_len + need)
			cap *= 2;
		unsigned char *p = realloc(rt->defer, cap);
		if (!p) {
			warn_event(rt, hdr->id, "out of memory, event lost");
			return;
		}
		rt->defer = p;
		rt->defer_cap = cap;
	}
	uint64_t sz = size;
	memcpy(rt->defer + rt->defer_len, &sz, 8);
	memcpy(rt->defer + rt->defer_len + 8, data, size);
	rt->defer_len += need;
}

static void replay_deferred(struct rt *rt)
{
	size_t off = 0;

	while (off < rt->defer_len) {
		uint64_t sz;
		memcpy(&sz, rt->defer + off, 8);
		dispatch(rt, rt->defer + off + 8, sz);
		off += 8 + ((sz + 7) & ~(uint64_t)7);
	}
	free(rt->defer);
	rt->defer = NULL;
	rt->defer_len = rt->defer_cap = 0;
}

static int on_ringbuf(void *ctx, void *data, size_t size)
{
	struct rt *rt = ctx;

	if (rt->phase == RT_PH_BEGIN)
		defer_event(rt, data, size);
	else
		dispatch(rt, data, size);
	return 0;
}

/* ---- open and load ------------------------------------------------------ */

static struct bpf_program *probe_prog(struct rt *rt, const struct res_probe *p)
{
	return p->prog_name ? bpf_object__find_program_by_name(rt->obj, p->prog_name) : NULL;
}

static bool is_special(const struct res_probe *p)
{
	return p->ops && (p->ops->is_begin || p->ops->is_end || p->ops->is_self || p->ops->is_test);
}

static int phase_open(struct rt *rt, const void *elf, size_t len)
{
	const struct resources *res = rt->res;
	int err;

	/* config log_size (bpftrace's default 1000000) or at least what a
	 * failing program's log needs for the mapped error. */
	rt->log_size = res->config.log_size > LOG_BUF_SIZE ? res->config.log_size : LOG_BUF_SIZE;
	if (!rt->log_buf)
		rt->log_buf = malloc(rt->log_size); /* untouched unless a load fails */
	if (!rt->log_buf)
		return -ENOMEM;
	rt->log_buf[0] = '\0';

	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = "hawk", .kernel_log_buf = rt->log_buf,
		    .kernel_log_size = rt->log_size, .kernel_log_level = 0);
	rt->obj = bpf_object__open_mem(elf, len, &oo);
	if (!rt->obj) {
		err = -errno;
		rt->obj = NULL;
		error_noloc("failed to open the BPF object: %s", strerror(-err));
		return err;
	}

	if (rt->opt->debug_verifier && !rt->prog_logs) {
		rt->prog_logs = calloc(res->nprobes ? res->nprobes : 1, sizeof(*rt->prog_logs));
		if (!rt->prog_logs)
			return -ENOMEM;
	}
	for (int i = 0; i < res->nprobes; i++) {
		const struct res_probe *p = res->probes[i];
		struct bpf_program *prog = probe_prog(rt, p);
		if (!prog) {
			error_at(rt, p->loc, "probe '%s': no program '%s' in the BPF object",
				 p->spec, p->prog_name ? p->prog_name : "(null)");
			return -ENOENT;
		}
		if (p->prog_type)
			bpf_program__set_type(prog, (enum bpf_prog_type)p->prog_type);
		bpf_program__set_autoload(prog, !(rt->unloaded && rt->unloaded[i]));
		if (rt->prog_logs &&
		    (rt->prog_logs[i] || (rt->prog_logs[i] = malloc(DEBUG_LOG_BUF_SIZE)))) {
			rt->prog_logs[i][0] = '\0';
			bpf_program__set_log_buf(prog, rt->prog_logs[i], DEBUG_LOG_BUF_SIZE);
			bpf_program__set_log_level(prog, 1 | 2); /* every instruction */
		}
	}

	for (int i = 0; i < res->nmaps; i++) {
		const struct res_map *m = res->maps[i];
		struct bpf_map *map;
		if (!m || !m->elf_name ||
		    !(map = bpf_object__find_map_by_name(rt->obj, m->elf_name)))
			continue;
		if (m->internal && m->name && strncmp(m->name, "scratch", 7) == 0 &&
		    (m->kind == RM_ARRAY || m->kind == RM_HASH))
			err = bpf_map__set_max_entries(map, (uint32_t)rt->ncpus);
		else if (m == res->ringbuf && res->ringbuf_size)
			err = bpf_map__set_max_entries(map, res->ringbuf_size);
		else
			err = 0;
		if (err) {
			error_noloc("map '%s': cannot set its size: %s", m->name, strerror(-err));
			return err;
		}
	}
	return 0;
}

/* The program whose load failed, as libbpf reported it. */
static struct bpf_program *failed_prog(struct rt *rt)
{
	if (!load_failed_prog[0])
		return NULL;
	return bpf_object__find_program_by_name(rt->obj, load_failed_prog);
}

static int probe_index(struct rt *rt, const struct bpf_program *prog)
{
	const char *name = bpf_program__name(prog);

	for (int i = 0; i < rt->res->nprobes; i++)
		if (rt->res->probes[i]->prog_name &&
		    strcmp(rt->res->probes[i]->prog_name, name) == 0)
			return i;
	return -1;
}

/* Prints the whole log, or its last `lines` lines. */
static void print_log(const char *log, int lines)
{
	size_t len = strlen(log);
	const char *start = log;

	while (len && log[len - 1] == '\n')
		len--;
	if (lines > 0) {
		int seen = 0;
		for (size_t i = len; i > 0; i--) {
			if (log[i - 1] == '\n' && ++seen == lines) {
				start = log + i;
				break;
			}
		}
		if (start != log)
			fprintf(stderr,
				"... (%d last lines of the verifier log; -d verifier shows it "
				"all)\n",
				lines);
	}
	fprintf(stderr, "%.*s\n", (int)(len - (size_t)(start - log)), start);
}

/*
 * The source line of the rejected instruction: the last "; TEXT @ FILE:LINE"
 * line-info comment in the log (kernels 6.x print them when the object has
 * BTF line info), if FILE is our program. Returns the line or 0.
 */
static int log_source_line(const char *log, const char *file)
{
	size_t flen = strlen(file);
	int line = 0;

	for (const char *p = log; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *eol = strchr(p, '\n'), *at;
		if (*p != ';')
			continue;
		if (!eol)
			eol = p + strlen(p);
		/* the last " @ " of the line, then FILE:LINE up to the end of line */
		at = NULL;
		for (const char *q = p; q + 3 <= eol; q++)
			if (q[0] == ' ' && q[1] == '@' && q[2] == ' ')
				at = q + 3;
		if (at && (size_t)(eol - at) > flen && strncmp(at, file, flen) == 0 &&
		    at[flen] == ':') {
			int l = atoi(at + flen + 1);
			if (l > 0)
				line = l;
		}
	}
	return line;
}

static void report_load_failure(struct rt *rt, int err)
{
	struct bpf_program *prog = failed_prog(rt);
	int idx = prog ? probe_index(rt, prog) : -1;
	const char *log = NULL;

	if (idx >= 0 && rt->prog_logs && rt->prog_logs[idx])
		log = rt->prog_logs[idx];
	else if (rt->log_buf)
		log = rt->log_buf;
	if (idx >= 0 && (!log || !log[0])) {
		/* the kernel refused the program before verifying it: one line */
		const struct res_probe *p = rt->res->probes[idx];

		fprintf(stderr, "%s:%d:%d: error: probe '%s': the kernel refused to load it: %s\n",
			rt->opt->source_name ? rt->opt->source_name : "stdin", p->loc.first_line,
			p->loc.first_column, p->spec, strerror(-err));
		return;
	}
	if (!prog || !log || !log[0]) {
		error_noloc("failed to load the BPF object: %s", strerror(-err));
		if (err == -EPERM || err == -EACCES)
			hint("hawk needs root (or CAP_BPF, CAP_PERFMON and CAP_SYS_RESOURCE)");
		return;
	}
	if (idx < 0) {
		error_noloc("the BPF verifier rejected program '%s'", bpf_program__name(prog));
		print_log(log, rt->opt->debug_verifier ? 0 : LOG_TAIL_LINES);
		return;
	}

	const struct res_probe *p = rt->res->probes[idx];
	const char *name = rt->opt->source_name ? rt->opt->source_name : "stdin";
	int line = log_source_line(log, name);
	fflush(rt->out.f);
	if (rt->opt->src && p->loc.first_line > 0) {
		struct diag_set d;
		diag_init(&d, (struct source_set *)rt->opt->src);
		diag_error(&d, p->loc, "the BPF verifier rejected probe '%s'", p->spec);
		if (line > 0 && line != p->loc.first_line) {
			size_t len = 0;
			const struct source_file *f = source_get(rt->opt->src, p->loc.file);
			const char *text = f ? source_line(f, line, &len) : NULL;
			const char *t = text;
			while (t && (size_t)(t - text) < len && (*t == ' ' || *t == '\t'))
				t++;
			if (text && len > (size_t)(t - text)) {
				struct loc l = {line, (int)(t - text) + 1, line, (int)len,
						p->loc.file};
				diag_note(&d, l, "the rejected instruction comes from this line");
			}
		}
		diag_render(&d, stderr, rt->opt->colour);
		diag_free(&d);
	} else {
		error_at(rt, p->loc, "the BPF verifier rejected probe '%s'", p->spec);
		if (line > 0 && line != p->loc.first_line)
			fprintf(stderr, "note: the rejected instruction comes from line %d\n",
				line);
	}
	print_log(log, rt->opt->debug_verifier ? 0 : LOG_TAIL_LINES);
}

/*
 * The internal "globals" array (see rt.h): slot 0 holds u64 values at fixed
 * offsets: 0 the start time on the boot clock (`elapsed` subtracts it from
 * nsecs), 8 the pid of the -c child (`cpid`). Writes one of them; a map too
 * small for that offset is left alone.
 */
static int set_global(struct rt *rt, uint32_t offset, uint64_t value)
{
	const struct resources *res = rt->res;

	for (int i = 0; i < res->nmaps; i++) {
		const struct res_map *m = res->maps[i];
		if (!m || !m->internal || !m->name || strcmp(m->name, "globals") != 0 ||
		    rt->map_fd[i] < 0 || m->value_size < offset + 8)
			continue;
		unsigned char *v = calloc(1, m->value_size);
		uint32_t key = 0;
		int err;
		if (!v)
			return -ENOMEM;
		bpf_map_lookup_elem(rt->map_fd[i], &key, v);
		memcpy(v + offset, &value, 8);
		err = bpf_map_update_elem(rt->map_fd[i], &key, v, BPF_ANY) ? -errno : 0;
		free(v);
		if (err) {
			error_noloc("map '%s': cannot be written: %s", m->name, strerror(-err));
			return err;
		}
	}
	return 0;
}

/* exit() also leaves its request at globals offset 16 (code + 1), in case
 * its event was lost to a full ring buffer: true if it is there. */
static bool exit_flag(struct rt *rt, int *code)
{
	const struct resources *res = rt->res;

	for (int i = 0; i < res->nmaps; i++) {
		const struct res_map *m = res->maps[i];
		uint64_t v[3] = {0};
		uint32_t key = 0;

		if (!m || !m->internal || !m->name || strcmp(m->name, "globals") != 0 ||
		    !rt->map_fd || rt->map_fd[i] < 0 || m->value_size < sizeof(v))
			continue;
		if (bpf_map_lookup_elem(rt->map_fd[i], &key, v) == 0 && v[2]) {
			*code = (int)(v[2] - 1);
			return true;
		}
	}
	return false;
}

static void check_exit_flag(struct rt *rt)
{
	int code;

	if (!rt->exited && exit_flag(rt, &code))
		rt_request_exit(rt, code);
}

static int init_globals(struct rt *rt)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return set_global(rt, 0, (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
}

/* --dry-run: a probe whose program the kernel refuses outright (no verifier
 * log: an fentry where BPF trampolines are not allowed) was checked when it
 * compiled; leave it out, with every other program of its type (refused the
 * same way), say so, and load the rest. Returns 0 when the object should be
 * opened and loaded again. */
static int dry_run_skip(struct rt *rt, int err)
{
	struct bpf_program *prog = failed_prog(rt);
	int idx = prog ? probe_index(rt, prog) : -1, more = 0;
	const struct res_probe *p;

	if (!rt->opt->dry_run || idx < 0 || (rt->log_buf && rt->log_buf[0]) ||
	    (rt->prog_logs && rt->prog_logs[idx] && rt->prog_logs[idx][0]))
		return -1;
	if (!rt->unloaded && !(rt->unloaded = calloc((size_t)rt->res->nprobes, sizeof(bool))))
		return -1;
	if (rt->unloaded[idx])
		return -1;
	p = rt->res->probes[idx];
	for (int i = 0; i < rt->res->nprobes; i++) {
		const struct res_probe *q = rt->res->probes[i];

		if (rt->unloaded[i] || q->ops != p->ops || q->prog_type != p->prog_type)
			continue;
		rt->unloaded[i] = true;
		more += i != idx;
	}
	if (more)
		fprintf(stderr,
			"warning: probe '%s' and %d more not loaded: the kernel refused it (%s); "
			"checked when compiling only\n",
			p->spec, more, strerror(-err));
	else
		fprintf(stderr,
			"warning: probe '%s' not loaded: the kernel refused it (%s); checked when "
			"compiling only\n",
			p->spec, strerror(-err));
	bpf_object__close(rt->obj);
	rt->obj = NULL;
	return 0;
}

static int phase_load(struct rt *rt, bool *retry)
{
	const struct resources *res = rt->res;
	int err;

	*retry = false;
	load_capture = true;
	load_failed_prog[0] = '\0';
	if (rt->log_buf)
		rt->log_buf[0] = '\0';
	err = bpf_object__load(rt->obj);
	load_capture = false;
	if (err && !dry_run_skip(rt, err)) {
		*retry = true; /* the caller opens and loads it again without the program */
		return err;
	}
	if (err) {
		report_load_failure(rt, err);
		return err;
	}
	if (rt->prog_logs) {
		for (int i = 0; i < res->nprobes; i++) {
			if (!rt->prog_logs[i])
				continue;
			fprintf(stderr, "verifier log of probe '%s':\n", res->probes[i]->spec);
			print_log(rt->prog_logs[i], 0);
		}
	}

	rt->map_fd = malloc((res->nmaps ? res->nmaps : 1) * sizeof(*rt->map_fd));
	rt->map_zeroed = calloc(res->nmaps ? res->nmaps : 1, sizeof(*rt->map_zeroed));
	if (!rt->map_fd || !rt->map_zeroed)
		return -ENOMEM;
	for (int i = 0; i < res->nmaps; i++) {
		const struct res_map *m = res->maps[i];
		struct bpf_map *map = m && m->elf_name
					      ? bpf_object__find_map_by_name(rt->obj, m->elf_name)
					      : NULL;
		rt->map_fd[i] = map ? bpf_map__fd(map) : -1;
		if (m && m->internal && m->name && strcmp(m->name, "lost") == 0 &&
		    (m->kind == RM_ARRAY || m->kind == RM_PERCPU_ARRAY) && m->value_size >= 8)
			rt->lost_map = i;
	}
	if (!res->ringbuf || res->ringbuf->id < 0 || res->ringbuf->id >= res->nmaps ||
	    rt->map_fd[res->ringbuf->id] < 0) {
		error_noloc("the BPF object has no event ring buffer");
		return -ENOENT;
	}
	if ((err = init_globals(rt)))
		return err;
	rt->rb = ring_buffer__new(rt->map_fd[res->ringbuf->id], on_ringbuf, rt, NULL);
	if (!rt->rb) {
		err = -errno;
		error_noloc("cannot open the event ring buffer: %s", strerror(-err));
		return err;
	}
	return 0;
}

/* Reports events the BPF side could not write (the internal "lost" map). */
static void check_lost(struct rt *rt)
{
	const struct res_map *m;
	uint64_t *v, total = 0;
	uint32_t key = 0;
	int n;

	if (rt->lost_map < 0 || rt->map_fd[rt->lost_map] < 0)
		return;
	m = rt->res->maps[rt->lost_map];
	n = m->kind == RM_PERCPU_ARRAY ? rt->ncpus : 1;
	v = calloc(n, 8);
	if (!v)
		return;
	if (bpf_map_lookup_elem(rt->map_fd[rt->lost_map], &key, v) == 0)
		for (int i = 0; i < n; i++)
			total += v[i];
	free(v);
	if (total > rt->lost_seen) {
		fflush(rt->out.f);
		out_lost(&rt->out, total - rt->lost_seen);
		rt->lost_seen = total;
	}
}

/* ---- the event loop set-up, -p and -c ------------------------------------ */

static int epoll_add(struct rt *rt, int fd, uint32_t tag)
{
	struct epoll_event e = {.events = EPOLLIN, .data.u32 = tag};

	return epoll_ctl(rt->epfd, EPOLL_CTL_ADD, fd, &e) ? -errno : 0;
}

static int phase_loop_setup(struct rt *rt)
{
	int err;

	rt->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (rt->epfd < 0)
		return -errno;
	if ((err = epoll_add(rt, ring_buffer__epoll_fd(rt->rb), TAG_RINGBUF)) ||
	    (err = epoll_add(rt, rt->sig_pipe[0], TAG_SIGNAL)))
		return err;
	if (rt->opt->target_pid > 0) {
		rt->target = rt->opt->target_pid;
		rt->pidfd = (int)syscall(SYS_pidfd_open, rt->target, 0);
		if (rt->pidfd < 0) {
			err = -errno;
			if (err == -ESRCH) {
				error_noloc("no process with pid %d", (int)rt->target);
				return err;
			}
			/* no pidfd_open: the loop falls back to polling the pid */
		} else if ((err = epoll_add(rt, rt->pidfd, TAG_PIDFD))) {
			return err;
		}
	}
	return 0;
}

/* Splits CMD at blanks, honouring '...' and "..." quotes and backslashes. */
static char **split_cmd(const char *cmd)
{
	size_t n = strlen(cmd);
	char **argv = calloc(n / 2 + 2, sizeof(*argv));
	char *buf = malloc(n + 1), *o = buf;
	int argc = 0;

	if (!argv || !buf) {
		free(argv);
		free(buf);
		return NULL;
	}
	for (const char *s = cmd; *s;) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		argv[argc++] = o;
		char q = 0;
		for (; *s && (q || (*s != ' ' && *s != '\t' && *s != '\n')); s++) {
			if (q && *s == q)
				q = 0;
			else if (!q && (*s == '\'' || *s == '"'))
				q = *s;
			else if (*s == '\\' && q != '\'' && s[1])
				*o++ = *++s;
			else
				*o++ = *s;
		}
		*o++ = '\0';
	}
	argv[argc] = NULL;
	if (argc == 0) {
		free(buf);
		free(argv);
		return NULL;
	}
	return argv;
}

/* 0 if `cmd` names a file we can execute (looked up in PATH when it has no
 * slash), else -errno: checked before anything runs, as bpftrace does. */
static int check_executable(const char *cmd)
{
	const char *path = getenv("PATH"), *p, *end;
	char full[PATH_MAX];
	struct stat st;
	int err = -ENOENT;

	if (strchr(cmd, '/')) {
		if (stat(cmd, &st))
			return -errno;
		if (!S_ISREG(st.st_mode) || access(cmd, X_OK))
			return -EACCES;
		return 0;
	}
	for (p = path ? path : "/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		snprintf(full, sizeof(full), "%.*s/%s", (int)(end - p), end == p ? "." : p, cmd);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(full, X_OK) == 0)
				return 0;
			err = -EACCES;
		}
	}
	return err;
}

/* Forks the -c child; it waits on a pipe until the probes are attached. */
static int start_child(struct rt *rt)
{
	char **argv = split_cmd(rt->opt->child_cmd);
	int gate[2];
	int err;

	if (!argv) {
		error_noloc("-c: empty command");
		return -EINVAL;
	}
	err = check_executable(argv[0]);
	if (err) {
		error_noloc("cannot run '%s': %s", argv[0], strerror(-err));
		goto out;
	}
	if (pipe2(gate, O_CLOEXEC)) {
		err = -errno;
		goto out;
	}
	fflush(NULL);
	rt->child = fork();
	if (rt->child < 0) {
		err = -errno;
		rt->child = 0;
		close(gate[0]);
		close(gate[1]);
		error_noloc("cannot start '%s': %s", rt->opt->child_cmd, strerror(-err));
		goto out;
	}
	if (rt->child == 0) {
		char go;
		signals_restore();
		close(gate[1]);
		if (read(gate[0], &go, 1) != 1)
			_exit(0); /* hawk gave up before attaching */
		execvp(argv[0], argv);
		fprintf(stderr, "error: cannot run '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(gate[0]);
	rt->child_gate = gate[1];
	rt->pidfd = (int)syscall(SYS_pidfd_open, rt->child, 0);
	err = rt->pidfd >= 0 ? epoll_add(rt, rt->pidfd, TAG_PIDFD) : 0;
	if (!err)
		err = set_global(rt, 8, (uint64_t)rt->child);
out:
	free(argv[0]);
	free(argv);
	return err;
}

static void release_child(struct rt *rt)
{
	if (rt->child_gate < 0)
		return;
	if (write(rt->child_gate, "g", 1) != 1)
		fprintf(stderr, "hawk: warning: cannot start the -c command: %s\n",
			strerror(errno));
	close(rt->child_gate);
	rt->child_gate = -1;
}

static bool pid_gone(struct rt *rt)
{
	if (rt->child && !rt->child_reaped &&
	    waitpid(rt->child, &rt->child_status, WNOHANG) == rt->child)
		rt->child_reaped = true;
	if (rt->child)
		return rt->child_reaped;
	return rt->target && kill(rt->target, 0) && errno == ESRCH;
}

/* ---- begin, attach, end ---------------------------------------------------- */

static int run_special(struct rt *rt, bool begin)
{
	for (int i = 0; i < rt->res->nprobes; i++) {
		const struct res_probe *p = rt->res->probes[i];
		if (!p->ops || (begin ? !p->ops->is_begin : !p->ops->is_end))
			continue;
		struct bpf_program *prog = probe_prog(rt, p);
		LIBBPF_OPTS(bpf_test_run_opts, opts);
		int err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
		if (err) {
			err = -errno;
			error_at(rt, p->loc, "probe '%s': failed to run: %s", p->spec,
				 strerror(-err));
			return err;
		}
	}
	return 0;
}

/* --probe-filter: marks the probes whose spec the regex does not match as
 * unloaded (BEGIN and END are never filtered). */
static int filter_probes(struct rt *rt)
{
	const struct resources *res = rt->res;
	int kept = 0;

	if (!rt->unloaded && !(rt->unloaded = calloc((size_t)res->nprobes, sizeof(bool))))
		return -ENOMEM;
	for (int i = 0; i < res->nprobes; i++) {
		const struct res_probe *p = res->probes[i];

		if (p->ops && (p->ops->is_begin || p->ops->is_end))
			continue;
		if (p->spec && regexec(rt->opt->probe_filter, p->spec, 0, NULL, 0) == 0) {
			kept++;
		} else {
			rt->unloaded[i] = true;
			rt->nfiltered++;
		}
	}
	if (!kept && rt->nfiltered)
		fprintf(stderr,
			"hawk: warning: --probe-filter matches none of the program's probes\n");
	return 0;
}

/* --test: runs each test:NAME probe once, in declaration order, printing
 * what it prints, then "PASS NAME" or "FAIL NAME: why" and a summary line.
 * Returns the exit status: 1 when a test failed (or there were none). */
static int run_tests(struct rt *rt)
{
	int passed = 0, failed = 0;
	bool json = rt->out.format == OUT_JSON;

	rt->phase = RT_PH_RUN;
	for (int i = 0; i < rt->res->nprobes; i++) {
		const struct res_probe *p = rt->res->probes[i];
		struct timespec t0, t1;
		char why[128] = "";

		if (!p->ops || !p->ops->is_test || (rt->unloaded && rt->unloaded[i]))
			continue;
		LIBBPF_OPTS(bpf_test_run_opts, opts);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (bpf_prog_test_run_opts(bpf_program__fd(probe_prog(rt, p)), &opts))
			snprintf(why, sizeof(why), "failed to run: %s", strerror(errno));
		else if (opts.retval)
			snprintf(why, sizeof(why), "returned %d", (int)opts.retval);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ring_buffer__consume(rt->rb);
		rt->exited = false; /* exit() ends a test, not the run */
		rt->stop = false;
		uint64_t ns = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000u +
			      (uint64_t)(t1.tv_nsec - t0.tv_nsec);
		if (json)
			fprintf(rt->out.f,
				"{\"type\": \"test_result\", \"data\": {\"%s\": {\"duration\": "
				"%" PRIu64 ", \"passed\": %s}}}\n",
				p->func, ns, why[0] ? "false" : "true");
		else if (why[0])
			fprintf(rt->out.f, "FAIL %s: %s\n", p->func, why);
		else
			fprintf(rt->out.f, "PASS %s\n", p->func);
		why[0] ? failed++ : passed++;
	}
	if (!json)
		fprintf(rt->out.f, "%d passed, %d failed\n", passed, failed);
	fflush(rt->out.f);
	if (!passed && !failed)
		error_noloc("--test: the program has no test:NAME probes");
	return failed || (!passed && !failed) ? 1 : 0;
}

/* Runs the self:signal probes of signal sig, in declaration order. */
static int run_self(struct rt *rt, int sig)
{
	for (int i = 0; i < rt->res->nprobes; i++) {
		const struct res_probe *p = rt->res->probes[i];
		if (!p->ops || !p->ops->is_self || (int)p->period != sig ||
		    (rt->unloaded && rt->unloaded[i]))
			continue;
		LIBBPF_OPTS(bpf_test_run_opts, opts);
		if (bpf_prog_test_run_opts(bpf_program__fd(probe_prog(rt, p)), &opts)) {
			int err = -errno;
			error_at(rt, p->loc, "probe '%s': failed to run: %s", p->spec,
				 strerror(-err));
			return err;
		}
	}
	return 0;
}

static int phase_attach(struct rt *rt)
{
	const char *mp = rt->res->config.missing_probes;
	int missing = mp && !strcmp(mp, "warn") ? 1 : mp && !strcmp(mp, "ignore") ? 2 : 0;

	for (int i = 0; i < rt->res->nprobes; i++) {
		const struct res_probe *p = rt->res->probes[i];
		const char *h = NULL;
		int err;

		if (sig_received)
			return 0; /* the loop sees the signal and stops at once */
		if (is_special(p) || (rt->unloaded && rt->unloaded[i]))
			continue;
		if (!p->ops || !p->ops->attach) {
			error_at(rt, p->loc, "probe '%s': this probe type cannot be attached yet",
				 p->spec);
			return -EOPNOTSUPP;
		}
		err = p->ops->attach(rt, (struct res_probe *)p, probe_prog(rt, p), &h);
		if (err == -ENOSYS && h) {
			error_at(rt, p->loc, "probe '%s': %s", p->spec, h);
			return err;
		}
		if (err && missing) {
			/* config missing_probes = warn | ignore: go on without it. */
			if (missing == 1) {
				fflush(rt->out.f);
				fprintf(stderr,
					"hawk: warning: probe '%s' skipped: failed to attach: %s\n",
					p->spec, strerror(err < 0 ? -err : err));
			}
			rt->nskipped++;
			continue;
		}
		if (err) {
			error_at(rt, p->loc, "probe '%s': failed to attach: %s", p->spec,
				 strerror(err < 0 ? -err : err));
			hint(h);
			return err < 0 ? err : -err;
		}
	}
	return 0;
}

/* ---- detach ------------------------------------------------------------ */

struct detach_job {
	struct rt *rt;
	int first, step;
};

static void *detach_worker(void *arg)
{
	struct detach_job *j = arg;
	struct rt *rt = j->rt;
	int total = rt->nlinks + rt->nfds;

	for (int i = j->first; i < total; i += j->step) {
		if (i < rt->nlinks)
			bpf_link__destroy(rt->links[i]);
		else
			close(rt->fds[i - rt->nlinks]);
	}
	return NULL;
}

/*
 * Destroys every link and closes every fd the probes handed over. Closing a
 * tracepoint's perf event waits for RCU grace periods in the kernel, 50-150
 * ms each when done one after another; several threads let them overlap.
 * One thread per link or fd, at most 8 (20 tracepoints here: 0.7 s on one
 * thread, 0.12-0.18 s on eight). HAWK_DETACH_THREADS overrides the count.
 */
static void detach_all(struct rt *rt)
{
	int total = rt->nlinks + rt->nfds;
	int nthreads = total;
	const char *env = getenv("HAWK_DETACH_THREADS");
	pthread_t tids[MAX_DETACH_THREADS];
	struct detach_job jobs[MAX_DETACH_THREADS];
	int started = 0;

	if (env && *env)
		nthreads = atoi(env);
	if (nthreads > MAX_DETACH_THREADS)
		nthreads = MAX_DETACH_THREADS;
	if (nthreads < 1)
		nthreads = 1;
	if (total == 0)
		goto done;
	for (int t = 0; t < nthreads; t++)
		jobs[t] = (struct detach_job){rt, t, nthreads};
	/* thread 0's share runs here */
	for (int t = 1; t < nthreads; t++)
		if (pthread_create(&tids[started], NULL, detach_worker, &jobs[t]) == 0)
			started++;
		else
			detach_worker(&jobs[t]);
	detach_worker(&jobs[0]);
	for (int t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
done:
	free(rt->links);
	free(rt->fds);
	rt->links = NULL;
	rt->fds = NULL;
	rt->nlinks = rt->links_cap = rt->nfds = rt->fds_cap = 0;
}

/* ---- poll ---------------------------------------------------------------- */

static int run_self(struct rt *rt, int sig);

/* What the signal pipe says: 's' a stop signal, else a self:signal number. */
static void on_signal_pipe(struct rt *rt)
{
	char buf[64];
	ssize_t n;

	while ((n = read(rt->sig_pipe[0], buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == 's')
				rt->stop = true;
			else if (!rt->stop && run_self(rt, (unsigned char)buf[i]) == 0)
				ring_buffer__consume(rt->rb);
		}
	}
	if (sig_received)
		rt->stop = true;
}

static int phase_poll(struct rt *rt)
{
	struct epoll_event evs[8];
	/* Without a pidfd for -p/-c, the process is checked every 100 ms; the
	 * exit() flag (for exit events lost to a full ring buffer) every 250. */
	int timeout = (rt->target || rt->child) && rt->pidfd < 0 ? 100 : 250;

	while (!rt->stop) {
		int n = epoll_wait(rt->epfd, evs, 8, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0 && pid_gone(rt))
			rt->stop = true;
		if (n == 0)
			check_exit_flag(rt);
		for (int i = 0; i < n; i++) {
			switch (evs[i].data.u32) {
			case TAG_RINGBUF: {
				int err = ring_buffer__consume(rt->rb);
				uint64_t lost = rt->lost_seen;
				if (err < 0 && err != -EINTR)
					return err;
				check_lost(rt);
				if (rt->lost_seen != lost)
					check_exit_flag(rt); /* the exit event may be among them */
				break;
			}
			case TAG_SIGNAL:
				on_signal_pipe(rt);
				break;
			case TAG_PIDFD:
				rt->stop = true; /* the traced process exited */
				pid_gone(rt);	 /* reap the -c child: its status is reported */
				break;
			}
		}
	}
	return 0;
}

/* ---- rt_run -------------------------------------------------------------- */

static void rt_destroy(struct rt *rt)
{
	if (rt->child_gate >= 0)
		close(rt->child_gate); /* the child, still waiting, exits */
	if (rt->child > 0 && !rt->child_reaped) {
		if (waitpid(rt->child, NULL, WNOHANG) == 0) {
			kill(rt->child, SIGTERM);
			waitpid(rt->child, NULL, 0);
		}
	}
	/* A -c command that failed by itself is reported; hawk's status stays
	 * exit()'s, 0 or 1 (bpftrace's rules). */
	if (rt->child_reaped && WIFEXITED(rt->child_status) && WEXITSTATUS(rt->child_status))
		fprintf(stderr, "hawk: the command '%s' exited with status %d\n",
			rt->opt->child_cmd, WEXITSTATUS(rt->child_status));
	else if (rt->child_reaped && WIFSIGNALED(rt->child_status))
		fprintf(stderr, "hawk: the command '%s' was killed by signal %d (%s)\n",
			rt->opt->child_cmd, WTERMSIG(rt->child_status),
			strsignal(WTERMSIG(rt->child_status)));
	if (rt->nlinks || rt->nfds)
		detach_all(rt);
	if (rt->pidfd >= 0)
		close(rt->pidfd);
	if (rt->epfd >= 0)
		close(rt->epfd);
	ring_buffer__free(rt->rb);
	bpf_object__close(rt->obj);
	if (rt->sig_pipe[0] >= 0)
		close(rt->sig_pipe[0]);
	if (rt->sig_pipe[1] >= 0)
		close(rt->sig_pipe[1]);
	if (rt->prog_logs)
		for (int i = 0; i < rt->res->nprobes; i++)
			free(rt->prog_logs[i]);
	free(rt->prog_logs);
	free(rt->unloaded);
	free(rt->log_buf);
	free(rt->map_fd);
	free(rt->map_zeroed);
	free(rt->sites_warned);
	free(rt->defer);
	free(rt->warned);
	free(rt->links);
	free(rt->fds);
}

int rt_run(const struct resources *res, const void *elf, size_t len, const struct rt_options *opt)
{
	struct rt rt_s = {0}, *rt = &rt_s;
	int status = 1;

	/* init: every handle -1/NULL until acquired */
	rt->res = res;
	rt->opt = opt;
	rt->epfd = rt->pidfd = rt->child_gate = rt->lost_map = -1;
	rt->sig_pipe[0] = rt->sig_pipe[1] = -1;
	out_init(&rt->out, opt->out ? opt->out : stdout, opt->format);
	rt->out.ksym = syms_ksym; /* kallsyms is read on the first ksym printed */
	rt->out.cgroup_path = syms_cgroup_path;
	rt->out.usym = usyms_out_hook; /* /proc/PID/maps and ELF symbols, when printed */
	usyms_set_resources(res);
	rt->out.kframe = syms_ksym_off;
	rt->out.uframe = usyms_frame_hook;
	if (res->config.str_trunc_trailer)
		rt->out.trunc_trailer = res->config.str_trunc_trailer;
	rt->ncpus = libbpf_num_possible_cpus();
	if (rt->ncpus <= 0) {
		error_noloc("cannot count the possible CPUs: %s", strerror(-rt->ncpus));
		return 1;
	}
	libbpf_level = opt->debug_libbpf ? 2 : opt->verbose ? 1 : 0;
	libbpf_set_print(libbpf_print_fn);
	if (pipe2(rt->sig_pipe, O_CLOEXEC | O_NONBLOCK)) {
		error_noloc("cannot create a pipe: %s", strerror(errno));
		return 1;
	}
	signals_install(rt);

	if (res->nprobes == 0) {
		error_noloc("no probes to attach");
		goto out;
	}

	/* --probe-filter: the other probes stay out of the object */
	if (opt->probe_filter && filter_probes(rt))
		goto out;

	/* open, load (--dry-run: without the programs the kernel refuses) */
	for (;;) {
		bool retry;

		if (phase_open(rt, elf, len))
			goto out;
		if (!phase_load(rt, &retry))
			break;
		if (!retry)
			goto out;
	}
	if (phase_loop_setup(rt))
		goto out;

	/* --test: the test probes only, then a summary */
	if (opt->test) {
		status = run_tests(rt);
		goto out;
	}

	/* the -c child exists (cpid) but waits until the probes are attached */
	if (opt->child_cmd && start_child(rt))
		goto out;

	/* begin: run before anything is attached; keep the events */
	rt->phase = RT_PH_BEGIN;
	if (!opt->dry_run) {
		if (run_special(rt, true))
			goto out;
		ring_buffer__consume(rt->rb);
		{
			int code;

			/* exit() whose event the ring buffer had no room for */
			if (exit_flag(rt, &code))
				rt->defer_exit = true;
		}
	}

	/* attach (not when a begin program already called exit()) */
	if (!rt->defer_exit && phase_attach(rt))
		goto out;
	if (opt->dry_run) {
		status = 0;
		goto out;
	}
	if (!opt->quiet && !sig_received)
		out_attached(&rt->out, res->nprobes - rt->nskipped - rt->nfiltered);

	/* poll: the begin events first, then the ring buffer until a stop */
	rt->phase = RT_PH_RUN;
	replay_deferred(rt);
	if (!rt->exited)
		release_child(rt);
	if (!rt->stop && phase_poll(rt) < 0)
		fprintf(stderr, "hawk: warning: event loop: %s\n", strerror(errno));
	signals_restore();

	/* stop: detach, drain what the probes left, run the end programs */
	detach_all(rt);
	rt->phase = rt->exited ? RT_PH_DRAIN : RT_PH_RUN;
	ring_buffer__consume(rt->rb);
	rt->phase = RT_PH_END;
	if (run_special(rt, false))
		goto out;
	ring_buffer__consume(rt->rb);
	check_lost(rt);

	/* maps: bpftrace ends the main output with two newlines in text mode */
	if (rt->out.format == OUT_TEXT)
		fputs("\n\n", rt->out.f);
	if (res->config.print_maps_on_exit)
		rt_print_all_maps(rt);
	fflush(rt->out.f);
	status = rt->exit_code;
out:
	signals_restore();
	rt_destroy(rt);
	return status;
}
