/*
 * test_cg_object.c - proves codegen/cg_object.c by a real load: builds a
 * module with two programs and three BTF-defined maps through the cg_object
 * API, emits it, checks its BTF with bpftool, then loads it with libbpf,
 * attaches the tracepoint, triggers it with getppid() and reads the per-CPU
 * array, the hash map and the ring buffer; runs the raw_tp with BPF_PROG_RUN.
 *
 * Not root: the object is still built, emitted and opened (no kernel needed),
 * then the test prints "SKIP: ..." and exits 0. As root every failure fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "codegen/cg_object.h"
#include "check.h"

#define HASH_TAG    0x1234ULL	  /* second half of the hash map's 16-byte key */
#define BEGIN_MAGIC 0x6861776bULL /* "hawk": the raw_tp's ring buffer record */
#define NCALLS	    10

/* Builds the test module; returns 0 or -1 (with CHECK failures). */
static int build(struct cg_object *o)
{
	LLVMContextRef c = o->ctx;
	LLVMTypeRef i32 = LLVMInt32TypeInContext(c), i64 = LLVMInt64TypeInContext(c);
	LLVMTypeRef ptr = LLVMPointerTypeInContext(c, 0);
	LLVMTypeRef key16 = LLVMArrayType2(i64, 2);
	LLVMValueRef counts, events, pids, tp, begin;
	LLVMBuilderRef b;

	counts = cg_object_map(o, "counts", BPF_MAP_TYPE_PERCPU_ARRAY, 1, 4, 8, 0);
	events = cg_object_map(o, "events", BPF_MAP_TYPE_RINGBUF, 256 * 1024, 0, 0, 0);
	pids = cg_object_map(o, "pids", BPF_MAP_TYPE_HASH, 1024, 16, 8, 0);
	tp = cg_object_prog(o, "getppid_enter", "tracepoint/syscalls/sys_enter_getppid");
	begin = cg_object_prog(o, "hawk_begin", "raw_tp/hawk_begin");
	CHECK(counts && events && pids && tp && begin);
	if (!counts || !events || !pids || !tp || !begin) {
		fprintf(stderr, "%s\n", o->errmsg);
		return -1;
	}
	/* Bad and duplicate names are refused with a message naming them. */
	CHECK(!cg_object_map(o, "counts", BPF_MAP_TYPE_ARRAY, 1, 4, 8, 0));
	CHECK(strstr(o->errmsg, "'counts' is already defined") != NULL);
	CHECK(!cg_object_prog(o, "kprobe:foo", "kprobe/foo"));
	CHECK(strstr(o->errmsg, "not a C identifier") != NULL);

	b = LLVMCreateBuilderInContext(c);

	/* getppid_enter: count in counts[0], record pid_tgid, count per pid_tgid. */
	LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(c, tp, "entry");
	LLVMBasicBlockRef inc = LLVMAppendBasicBlockInContext(c, tp, "inc");
	LLVMBasicBlockRef rec = LLVMAppendBasicBlockInContext(c, tp, "rec");
	LLVMBasicBlockRef hinc = LLVMAppendBasicBlockInContext(c, tp, "hinc");
	LLVMBasicBlockRef hnew = LLVMAppendBasicBlockInContext(c, tp, "hnew");
	LLVMBasicBlockRef out = LLVMAppendBasicBlockInContext(c, tp, "out");
	LLVMPositionBuilderAtEnd(b, entry);
	cg_object_set_loc(o, b, tp, 1, 1);
	LLVMValueRef key = LLVMBuildAlloca(b, i32, "key");
	LLVMValueRef slot = LLVMBuildAlloca(b, i64, "slot");
	LLVMValueRef hkey = LLVMBuildAlloca(b, key16, "hkey");
	LLVMValueRef one = LLVMBuildAlloca(b, i64, "one");
	LLVMValueRef pid = cg_helper_call(o, b, BPF_FUNC_get_current_pid_tgid, i64, NULL, 0);
	cg_object_set_loc(o, b, tp, 2, 5);
	LLVMBuildStore(b, LLVMConstInt(i32, 0, 0), key);
	LLVMValueRef la[] = {counts, key};
	LLVMValueRef p = cg_helper_call(o, b, BPF_FUNC_map_lookup_elem, ptr, la, 2);
	LLVMBuildCondBr(b, LLVMBuildIsNotNull(b, p, ""), inc, rec);

	LLVMPositionBuilderAtEnd(b, inc); /* per-CPU: a plain add through the pointer */
	LLVMValueRef v = LLVMBuildLoad2(b, i64, p, "");
	LLVMBuildStore(b, LLVMBuildAdd(b, v, LLVMConstInt(i64, 1, 0), ""), p);
	LLVMBuildBr(b, rec);

	LLVMPositionBuilderAtEnd(b, rec);
	cg_object_set_loc(o, b, tp, 3, 5);
	LLVMBuildStore(b, pid, slot);
	LLVMValueRef ra[] = {events, slot, LLVMConstInt(i64, 8, 0), LLVMConstInt(i64, 0, 0)};
	cg_helper_call(o, b, BPF_FUNC_ringbuf_output, i64, ra, 4);
	cg_object_set_loc(o, b, tp, 4, 5);
	LLVMValueRef k1 =
		LLVMBuildGEP2(b, i64, hkey, (LLVMValueRef[]){LLVMConstInt(i64, 1, 0)}, 1, "");
	LLVMBuildStore(b, pid, hkey);
	LLVMBuildStore(b, LLVMConstInt(i64, HASH_TAG, 0), k1);
	LLVMValueRef ha[] = {pids, hkey};
	LLVMValueRef hp = cg_helper_call(o, b, BPF_FUNC_map_lookup_elem, ptr, ha, 2);
	LLVMBuildCondBr(b, LLVMBuildIsNotNull(b, hp, ""), hinc, hnew);

	LLVMPositionBuilderAtEnd(b, hinc); /* shared: atomic add in place */
	LLVMBuildAtomicRMW(b, LLVMAtomicRMWBinOpAdd, hp, LLVMConstInt(i64, 1, 0),
			   LLVMAtomicOrderingMonotonic, 0);
	LLVMBuildBr(b, out);

	LLVMPositionBuilderAtEnd(b, hnew); /* insert only when the key is new */
	cg_object_set_loc(o, b, tp, 5, 9);
	LLVMBuildStore(b, LLVMConstInt(i64, 1, 0), one);
	LLVMValueRef ua[] = {pids, hkey, one, LLVMConstInt(i64, BPF_NOEXIST, 0)};
	cg_helper_call(o, b, BPF_FUNC_map_update_elem, i64, ua, 4);
	LLVMBuildBr(b, out);

	LLVMPositionBuilderAtEnd(b, out);
	LLVMBuildRet(b, LLVMConstInt(i64, 0, 0));

	/* hawk_begin: one ring buffer record. */
	LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(c, begin, "entry"));
	cg_object_set_loc(o, b, begin, 7, 1);
	LLVMValueRef bslot = LLVMBuildAlloca(b, i64, "slot");
	LLVMBuildStore(b, LLVMConstInt(i64, BEGIN_MAGIC, 0), bslot);
	LLVMValueRef ba[] = {events, bslot, LLVMConstInt(i64, 8, 0), LLVMConstInt(i64, 0, 0)};
	cg_helper_call(o, b, BPF_FUNC_ringbuf_output, i64, ba, 4);
	LLVMBuildRet(b, LLVMConstInt(i64, 0, 0));

	LLVMDisposeBuilder(b);
	return 0;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Builds and emits the module; returns the object or NULL. */
static void *make_object(size_t *len, double *ms)
{
	struct cg_object o;
	struct timespec t0;
	void *elf = NULL;
	char *err = NULL;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (cg_object_init(&o, "test_cg_object.hk")) {
		fprintf(stderr, "%s\n", o.errmsg);
		CHECK(!"cg_object_init");
		cg_object_dispose(&o);
		return NULL;
	}
	if (build(&o) == 0 && cg_object_emit(&o, &elf, len, &err)) {
		fprintf(stderr, "%s\n", err);
		CHECK(!"cg_object_emit");
		free(err);
	}
	cg_object_dispose(&o);
	*ms = ms_since(&t0);
	return elf;
}

/* Runs `bpftool btf dump file` on the object and checks the maps' BTF. */
static void check_bpftool(const void *elf, size_t len)
{
	char path[] = "/tmp/test_cg_object.XXXXXX", cmd[128], line[512];
	int fd = mkstemp(path);
	FILE *f;
	int anon_structs = 0, members = 0, datasec = 0, vars = 0, funcs = 0, rc;

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(write(fd, elf, len) == (ssize_t)len);
	close(fd);
	snprintf(cmd, sizeof(cmd), "bpftool btf dump file %s 2>&1", path);
	f = popen(cmd, "r");
	CHECK(f != NULL);
	if (!f)
		goto out;
	while (fgets(line, sizeof(line), f)) {
		if (getenv("TEST_VERBOSE"))
			fputs(line, stdout);
		anon_structs += strstr(line, "STRUCT '(anon)'") != NULL;
		members += strstr(line, "'type' type_id=") ||
			   strstr(line, "'max_entries' type_id=") ||
			   strstr(line, "'key' type_id=") || strstr(line, "'value' type_id=");
		datasec += strstr(line, "DATASEC '.maps'") != NULL;
		vars += strstr(line, "] VAR 'counts'") || strstr(line, "] VAR 'events'") ||
			strstr(line, "] VAR 'pids'");
		funcs += strstr(line, "FUNC 'getppid_enter'") || strstr(line, "FUNC 'hawk_begin'");
	}
	rc = pclose(f);
	if (WIFEXITED(rc) && WEXITSTATUS(rc) == 127) {
		printf("note: bpftool not found, BTF dump not checked\n");
		goto out;
	}
	CHECK(rc == 0);
	CHECK(anon_structs == 3);
	CHECK(members == 4 + 2 + 4); /* counts, events (no key/value), pids */
	CHECK(datasec == 1);
	CHECK(vars == 3);
	CHECK(funcs == 2);
out:
	unlink(path);
}

static char libbpf_log[1 << 16];
static size_t libbpf_log_len;

static int log_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int n;

	if (level == LIBBPF_DEBUG || libbpf_log_len >= sizeof(libbpf_log) - 1)
		return 0;
	n = vsnprintf(libbpf_log + libbpf_log_len, sizeof(libbpf_log) - libbpf_log_len, fmt, ap);
	if (n > 0)
		libbpf_log_len += (size_t)n < sizeof(libbpf_log) - libbpf_log_len
					  ? (size_t)n
					  : sizeof(libbpf_log) - libbpf_log_len - 1;
	return 0;
}

struct seen {
	uint64_t pid_tgid;
	int mine, begin, other;
};

static int on_record(void *ctx, void *data, size_t size)
{
	struct seen *s = ctx;
	uint64_t v;

	if (size != 8) {
		s->other++;
		return 0;
	}
	memcpy(&v, data, 8);
	if (v == s->pid_tgid)
		s->mine++;
	else if (v == BEGIN_MAGIC)
		s->begin++;
	return 0;
}

static int ensure_tracefs(void)
{
	struct stat st;

	if (stat("/sys/kernel/tracing/events", &st) == 0 ||
	    stat("/sys/kernel/debug/tracing/events", &st) == 0)
		return 0;
	if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL)) {
		fprintf(stderr, "tracefs: mount on /sys/kernel/tracing failed: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

static void check_kernel(const void *elf, size_t len)
{
	struct bpf_object *obj;
	struct bpf_program *tp, *begin;
	struct bpf_link *link = NULL;
	struct ring_buffer *rb = NULL;
	struct seen seen = {0};
	int err, ncpu;

	obj = bpf_object__open_mem(elf, len, NULL);
	CHECK(obj != NULL);
	if (!obj) {
		fprintf(stderr, "bpf_object__open_mem: %s\n%s", strerror(errno), libbpf_log);
		return;
	}
	tp = bpf_object__find_program_by_name(obj, "getppid_enter");
	begin = bpf_object__find_program_by_name(obj, "hawk_begin");
	CHECK(tp && begin);
	if (!tp || !begin)
		goto out;
	bpf_program__set_type(tp, BPF_PROG_TYPE_TRACEPOINT);
	bpf_program__set_type(begin, BPF_PROG_TYPE_RAW_TRACEPOINT);

	if (geteuid() != 0) {
		printf("SKIP: not root, the object was emitted and opened but not loaded\n");
		goto out;
	}
	libbpf_log_len = 0;
	err = bpf_object__load(obj);
	CHECK(err == 0);
	if (err) {
		fprintf(stderr, "bpf_object__load: %s\n--- libbpf log:\n%s---\n", strerror(-err),
			libbpf_log);
		goto out;
	}

	/* The kernel got func_info and line_info: BTF.ext made it through. */
	struct bpf_prog_info info = {0};
	__u32 info_len = sizeof(info);
	CHECK(bpf_obj_get_info_by_fd(bpf_program__fd(tp), &info, &info_len) == 0);
	CHECK(info.nr_func_info == 1);
	CHECK(info.nr_line_info >= 4);
	CHECK(info.btf_id != 0);
	/* The hash map got typed BTF key/value, the ring buffer none. */
	struct bpf_map *pids = bpf_object__find_map_by_name(obj, "pids");
	struct bpf_map *counts = bpf_object__find_map_by_name(obj, "counts");
	struct bpf_map *events = bpf_object__find_map_by_name(obj, "events");
	CHECK(pids && counts && events);
	if (!pids || !counts || !events)
		goto out;
	CHECK(bpf_map__key_size(pids) == 16 && bpf_map__value_size(pids) == 8);
	CHECK(bpf_map__btf_key_type_id(pids) != 0 && bpf_map__btf_value_type_id(pids) != 0);
	CHECK(bpf_map__btf_key_type_id(counts) != 0);
	CHECK(bpf_map__max_entries(events) == 256 * 1024);

	seen.pid_tgid = ((uint64_t)getpid() << 32) | (uint64_t)syscall(SYS_gettid);
	rb = ring_buffer__new(bpf_map__fd(events), on_record, &seen, NULL);
	CHECK(rb != NULL);
	if (!rb)
		goto out;

	/* Attach, trigger, read. */
	if (ensure_tracefs()) {
		CHECK(!"tracefs");
		goto out;
	}
	link = bpf_program__attach_tracepoint(tp, "syscalls", "sys_enter_getppid");
	CHECK(link != NULL);
	if (!link) {
		fprintf(stderr, "attach tracepoint syscalls:sys_enter_getppid: %s\n%s",
			strerror(errno), libbpf_log);
		goto out;
	}
	for (int i = 0; i < NCALLS; i++)
		syscall(SYS_getppid);
	bpf_link__destroy(link);
	link = NULL;

	ncpu = libbpf_num_possible_cpus();
	CHECK(ncpu > 0);
	if (ncpu > 0) {
		uint64_t *vals = calloc(ncpu, sizeof(*vals)), sum = 0;
		uint32_t k = 0;

		CHECK(vals && bpf_map_lookup_elem(bpf_map__fd(counts), &k, vals) == 0);
		for (int i = 0; vals && i < ncpu; i++)
			sum += vals[i];
		printf("per-CPU count over %d CPUs: %llu\n", ncpu, (unsigned long long)sum);
		CHECK(sum >= NCALLS);
		free(vals);
	}
	uint64_t hk[2] = {seen.pid_tgid, HASH_TAG}, hv = 0;
	CHECK(bpf_map_lookup_elem(bpf_map__fd(pids), hk, &hv) == 0);
	printf("hash count for this thread: %llu\n", (unsigned long long)hv);
	CHECK(hv == NCALLS);

	CHECK(ring_buffer__poll(rb, 100) >= NCALLS);
	printf("ring buffer: %d records from this thread, %d from BEGIN, %d bad\n", seen.mine,
	       seen.begin, seen.other);
	CHECK(seen.mine == NCALLS);
	CHECK(seen.other == 0);

	/* The raw_tp program run once with BPF_PROG_RUN. */
	LIBBPF_OPTS(bpf_test_run_opts, run);
	err = bpf_prog_test_run_opts(bpf_program__fd(begin), &run);
	CHECK(err == 0);
	if (err)
		fprintf(stderr, "BPF_PROG_RUN hawk_begin: %s\n", strerror(errno));
	CHECK(run.retval == 0);
	CHECK(ring_buffer__poll(rb, 100) >= 1);
	printf("ring buffer after BPF_PROG_RUN: %d records from BEGIN\n", seen.begin);
	CHECK(seen.begin == 1);
out:
	bpf_link__destroy(link);
	ring_buffer__free(rb);
	bpf_object__close(obj);
}

/* Errors name the object and what failed; dispose accepts a zeroed struct. */
static void check_errors(void)
{
	struct cg_object o = {0};
	LLVMValueRef fn;
	LLVMBuilderRef b;
	void *elf = NULL;
	size_t len = 0;
	char *err = NULL;

	cg_object_dispose(&o);
	cg_object_dispose(NULL);
	CHECK(cg_object_init(&o, "bad.hk") == 0);
	fn = cg_object_prog(&o, "no_return", "raw_tp/x");
	CHECK(fn != NULL);
	b = LLVMCreateBuilderInContext(o.ctx);
	LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(o.ctx, fn, "entry"));
	LLVMBuildAlloca(b, LLVMInt64TypeInContext(o.ctx), "x"); /* no terminator */
	CHECK(!cg_helper_call(&o, b, 1, LLVMInt64TypeInContext(o.ctx), (LLVMValueRef[6]){0}, 6));
	CHECK(strstr(o.errmsg, "BPF object 'bad.hk': helper 1 called with 6 arguments") != NULL);
	LLVMDisposeBuilder(b);
	CHECK(cg_object_emit(&o, &elf, &len, &err) == -1);
	CHECK(elf == NULL && len == 0 && err != NULL);
	CHECK(err && strncmp(err, "BPF object 'bad.hk': invalid LLVM IR: ", 38) == 0);
	if (getenv("TEST_VERBOSE"))
		printf("expected error: %s\n", err);
	free(err);
	cg_object_dispose(&o);
}

int main(void)
{
	size_t len = 0, len2 = 0;
	double ms, ms2;
	void *elf, *elf2;

	libbpf_set_print(log_libbpf);
	elf = make_object(&len, &ms);
	CHECK(elf != NULL && len > 0);
	if (!elf)
		return check_done();
	/* Again, with the BPF target already initialised: the cost per object. */
	elf2 = make_object(&len2, &ms2);
	CHECK(elf2 && len2 == len && memcmp(elf, elf2, len) == 0); /* deterministic */
	free(elf2);
	printf("init+build+emit: %.2f ms (first), %.2f ms (second); object %zu bytes\n", ms, ms2,
	       len);

	if (getenv("TEST_OBJ_OUT")) { /* keep the object for llvm-objdump, readelf */
		FILE *f = fopen(getenv("TEST_OBJ_OUT"), "w");

		CHECK(f && fwrite(elf, 1, len, f) == len);
		if (f)
			fclose(f);
	}
	check_errors();
	check_bpftool(elf, len);
	check_kernel(elf, len);
	free(elf);
	return check_done();
}
