/*
 * test_rt_run.c - the runtime, driven in-process: programs go through the
 * real pipeline (parse_program, sema_run, cg_program) and rt_run() loads,
 * runs and prints them into a memory stream; the checks are on what a user
 * would see (output, exit status) and on bpftrace's exit-time layout:
 * "\n\n" after the main output, then the maps in name order.
 *
 * Covered: begin/end order and exit codes, events after exit() dropped,
 * maps at exit, print/clear/zero events, JSON value records, a tracepoint
 * stopped by SIGINT, -c CMD and -p PID ending the run, --dry-run, and a
 * verifier rejection (an object built with the cg_object API) reported
 * against the probe's source line with the log's tail.
 *
 * Not root: prints "SKIP: ..." and exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "codegen/cg_object.h"
#include "codegen/codegen.h"
#include "lang/arena.h"
#include "lang/diag.h"
#include "lang/sema.h"
#include "lang/source.h"
#include "parser/parse.h"
#include "runtime/rt.h"
#include "check.h"

struct run {
	char *out;  /* what the program printed (malloc'ed) */
	char *err;  /* what went to stderr during rt_run (malloc'ed) */
	int status; /* rt_run's return, or -1 if it did not compile */
};

/* Runs fn(arg) with stderr redirected into a temporary file; returns its text. */
static char *capture_stderr(void (*fn)(void *), void *arg)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	char *text = NULL;
	size_t len = 0;

	fflush(stderr);
	dup2(fileno(tmp), 2);
	fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	FILE *m = open_memstream(&text, &len);
	int c;
	while ((c = fgetc(tmp)) != EOF)
		fputc(c, m);
	fclose(m);
	fclose(tmp);
	return text;
}

struct job {
	const char *prog;
	const char **params;
	int nparams;
	struct rt_options opt;
	struct run *r;
};

static void do_run(void *arg)
{
	struct job *j = arg;
	struct arena a;
	struct source_set src;
	struct diag_set d;
	struct resources res = {0};
	struct sema_options so = {.params = j->params, .nparams = j->nparams};
	struct cg_options co = {0};
	struct ast_node *prog;
	void *elf = NULL;
	size_t elf_len = 0, out_len = 0;
	FILE *out;

	arena_init(&a);
	source_init(&src, &a);
	diag_init(&d, &src);
	source_add(&src, "stdin", j->prog, strlen(j->prog));
	j->r->status = -1;
	so.target_pid = j->opt.target_pid;
	so.has_child = j->opt.child_cmd != NULL;
	prog = parse_program(&a, &src, 0, &d);
	if (!prog || d.nerrors || sema_run(&a, prog, &so, &d, &res) || d.nerrors ||
	    cg_program(&a, prog, &res, &co, &d, &elf, &elf_len) || d.nerrors) {
		diag_render(&d, stderr, 0);
		j->r->out = strdup("");
	} else {
		out = open_memstream(&j->r->out, &out_len);
		j->opt.out = out;
		j->opt.source_name = "stdin";
		j->opt.src = &src;
		j->r->status = rt_run(&res, elf, elf_len, &j->opt);
		fclose(out);
	}
	free(elf);
	diag_free(&d);
	arena_free(&a);
}

static struct run run_opts(const char *prog, const struct rt_options *opt, const char **params,
			   int nparams)
{
	struct run r = {0};
	struct job j = {.prog = prog, .params = params, .nparams = nparams, .r = &r};

	if (opt)
		j.opt = *opt;
	r.err = capture_stderr(do_run, &j);
	if (r.status == -1 || getenv("TEST_VERBOSE"))
		fprintf(stderr, "--- %s\n--- stdout:\n%s--- stderr:\n%s---\n", prog, r.out, r.err);
	return r;
}

static struct run run(const char *prog)
{
	return run_opts(prog, NULL, NULL, 0);
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

static void test_begin_end(void)
{
	struct run r = run("BEGIN { printf(\"hi\\n\"); exit(); }");
	CHECK(r.status == 0);
	CHECK_STR(r.out, "hi\n\n\n");
	CHECK(strstr(r.err, "Attached 1 probe\n") != NULL);
	run_free(&r);

	r = run("BEGIN { printf(\"a\\n\"); exit(3); } END { printf(\"end\\n\"); }");
	CHECK(r.status == 3);
	CHECK_STR(r.out, "a\nend\n\n\n");
	CHECK(strstr(r.err, "Attached 2 probes\n") != NULL);
	run_free(&r);

	/* the second begin program runs, but its events come after exit() */
	r = run("BEGIN { exit(); } BEGIN { printf(\"dropped\\n\"); }");
	CHECK(r.status == 0);
	CHECK_STR(r.out, "\n\n");
	run_free(&r);

	struct rt_options q = {.quiet = true};
	r = run_opts("BEGIN { exit(); }", &q, NULL, 0);
	CHECK(r.err && strstr(r.err, "Attached") == NULL);
	run_free(&r);
}

static void test_maps_at_exit(void)
{
	struct run r = run("BEGIN { @b = 2; @a = 1; @ = 3; @c[\"x\"] = count(); exit(); }");
	CHECK(r.status == 0);
	CHECK_STR(r.out, "\n\n@: 3\n@a: 1\n@b: 2\n@c[x]: 1\n");
	run_free(&r);

	/* clear() and zero() are events handled after the begin program */
	r = run("BEGIN { @a[1] = 1; @a[2] = 2; clear(@a); @b = 5; zero(@b); exit(); }");
	CHECK_STR(r.out, "\n\n@b: 0\n");
	run_free(&r);

	/* print(@m, top): the last `top` entries of the sorted map */
	r = run("BEGIN { @[1] = 10; @[2] = 30; @[3] = 20; print(@, 2); clear(@); exit(); }");
	CHECK(strncmp(r.out, "@[3]: 20\n@[2]: 30\n", 18) == 0);
	CHECK(strstr(r.out, "@[1]") == NULL);
	run_free(&r);

	r = run("config = { print_maps_on_exit = false } BEGIN { @a = 1; exit(); }");
	if (r.status == 0)
		CHECK_STR(r.out, "\n\n");
	run_free(&r);
}

static void test_json(void)
{
	struct rt_options j = {.format = OUT_JSON};
	struct run r = run_opts("BEGIN { print(5); @x = 3; exit(); }", &j, NULL, 0);

	CHECK(r.status == 0);
	CHECK(strstr(r.out, "{\"type\": \"value\", \"data\": 5}\n") != NULL);
	CHECK(strstr(r.out, "{\"type\": \"map\", \"data\": {\"@x\": 3}}\n") != NULL);
	CHECK(strstr(r.out, "\n\n") == NULL); /* no text-mode end marker */
	run_free(&r);
}

/* A tracepoint counted until SIGINT: a helper process makes 5 getppid()
 * calls once the probe is surely attached, then interrupts us. */
static void test_sigint(void)
{
	pid_t helper = fork();

	if (helper == 0) {
		pid_t parent = getppid();
		usleep(400 * 1000);
		for (int i = 0; i < 5; i++)
			syscall(SYS_getppid);
		usleep(100 * 1000);
		kill(parent, SIGINT);
		_exit(0);
	}
	char pid[32];
	snprintf(pid, sizeof(pid), "%d", (int)helper);
	const char *params[] = {pid};
	struct run r =
		run_opts("tracepoint:syscalls:sys_enter_getppid /pid == $1/ { @ = count(); }", NULL,
			 params, 1);
	waitpid(helper, NULL, 0);
	CHECK(r.status == 0);
	CHECK_STR(r.out, "\n\n@: 5\n");
	run_free(&r);
}

static void test_child_and_pid(void)
{
	struct rt_options c = {.child_cmd = "sh -c 'exit 0'"};
	struct run r =
		run_opts("tracepoint:syscalls:sys_enter_getppid { @ = count(); }", &c, NULL, 0);
	CHECK(r.status == 0);
	CHECK(strncmp(r.out, "\n\n", 2) == 0);
	run_free(&r);

	pid_t sleeper = fork();
	if (sleeper == 0) {
		usleep(300 * 1000);
		_exit(0);
	}
	struct rt_options p = {.target_pid = sleeper};
	r = run_opts("tracepoint:syscalls:sys_enter_getppid { @ = count(); }", &p, NULL, 0);
	CHECK(r.status == 0);
	waitpid(sleeper, NULL, 0);
	run_free(&r);

	struct rt_options d = {.dry_run = true};
	r = run_opts("BEGIN { printf(\"no\\n\"); } tracepoint:syscalls:sys_enter_getppid { }", &d,
		     NULL, 0);
	CHECK(r.status == 0);
	CHECK_STR(r.out, "");
	CHECK(strstr(r.err, "Attached") == NULL);
	run_free(&r);
}

/* An object the verifier rejects: a map value dereferenced without the
 * NULL check, in a begin program. */
struct bad_job {
	struct run *r;
};

static void do_bad(void *arg)
{
	struct bad_job *bj = arg;
	struct cg_object o = {0};
	void *elf = NULL;
	size_t len = 0;
	char *err = NULL;

	bj->r->status = -1;
	if (cg_object_init(&o, "stdin")) {
		CHECK(!"cg_object_init");
		return;
	}
	LLVMContextRef c = o.ctx;
	LLVMTypeRef i32 = LLVMInt32TypeInContext(c), i64 = LLVMInt64TypeInContext(c);
	LLVMTypeRef ptr = LLVMPointerTypeInContext(c, 0);
	LLVMValueRef rb = cg_object_map(&o, "hawk_ringbuf", BPF_MAP_TYPE_RINGBUF, 4096, 0, 0, 0);
	LLVMValueRef h = cg_object_map(&o, "AT_x", BPF_MAP_TYPE_HASH, 16, 4, 8, 0);
	LLVMValueRef fn = cg_object_prog(&o, "p_bad", "raw_tp/hawk_begin");
	CHECK(rb && h && fn);
	if (!rb || !h || !fn) {
		cg_object_dispose(&o);
		return;
	}
	LLVMBuilderRef b = LLVMCreateBuilderInContext(c);
	LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(c, fn, "entry"));
	cg_object_set_loc(&o, b, fn, 1, 9);
	LLVMValueRef key = LLVMBuildAlloca(b, i32, "key");
	LLVMBuildStore(b, LLVMConstInt(i32, 0, 0), key);
	LLVMValueRef args[] = {h, key};
	LLVMValueRef p = cg_helper_call(&o, b, BPF_FUNC_map_lookup_elem, ptr, args, 2);
	LLVMValueRef v = LLVMBuildLoad2(b, i64, p, "");
	LLVMBuildRet(b, v);
	LLVMDisposeBuilder(b);
	if (cg_object_emit(&o, &elf, &len, &err)) {
		CHECK(!"cg_object_emit");
		fprintf(stderr, "%s\n", err);
		free(err);
		cg_object_dispose(&o);
		return;
	}
	cg_object_dispose(&o);

	struct res_map ringbuf = {.name = "ringbuf",
				  .elf_name = "hawk_ringbuf",
				  .id = 0,
				  .kind = RM_RINGBUF,
				  .internal = true,
				  .max_entries = 4096};
	struct res_map x = {.name = "@x",
			    .elf_name = "AT_x",
			    .id = 1,
			    .kind = RM_HASH,
			    .key_size = 4,
			    .value_size = 8,
			    .max_entries = 16};
	struct res_map *maps[] = {&ringbuf, &x};
	extern const struct probe_ops std_probe_begin;
	struct res_probe begin = {.ops = &std_probe_begin,
				  .spec = "BEGIN",
				  .prog_name = "p_bad",
				  .prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT,
				  .loc = {1, 1, 1, 5, 0}};
	struct res_probe *probes[] = {&begin};
	struct resources res = {.maps = maps,
				.nmaps = 2,
				.probes = probes,
				.nprobes = 1,
				.ringbuf = &ringbuf,
				.ringbuf_size = 4096};
	size_t out_len;
	FILE *out = open_memstream(&bj->r->out, &out_len);
	struct rt_options opt = {.out = out, .source_name = "stdin"};
	bj->r->status = rt_run(&res, elf, len, &opt);
	fclose(out);
	free(elf);
}

static void test_verifier_error(void)
{
	struct run r = {0};
	struct bad_job bj = {&r};

	r.err = capture_stderr(do_bad, &bj);
	CHECK(r.status == 1);
	CHECK(r.err &&
	      strstr(r.err, "stdin:1:1: error: the BPF verifier rejected probe 'BEGIN'\n"));
	CHECK(r.err && strstr(r.err, "invalid mem access"));
	if (getenv("TEST_VERBOSE"))
		fprintf(stderr, "%s", r.err);
	run_free(&r);
}

int main(void)
{
	if (geteuid() != 0) {
		printf("SKIP: loading BPF needs root\n");
		return 0;
	}
	alarm(60); /* a hung run fails the test instead of blocking ctest */
	test_begin_end();
	test_maps_at_exit();
	test_json();
	test_sigint();
	test_child_and_pid();
	test_verifier_error();
	return check_done();
}
