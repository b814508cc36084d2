/*
 * test_output_functions.c - what the functions printed in user space print:
 * strftime() timestamps (with %f, %l, %k), cgroup paths, user names, kernel
 * symbols that do not resolve, the messages of time/cat/join/system
 * (out_message), errorf/warnf (out_error, out_errorf) and printf-style text
 * with the resolvers (out_format_alloc). Exact text, in text and JSON.
 *
 * Times are printed in UTC (TZ is set) from a fixed boot-to-wall offset.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output_fixture.h"
#include "lang/resources.h"
#include "lang/types.h"

static const char *text(const struct hk_type *t, const void *d)
{
	cap_begin(OUT_TEXT);
	o.wall_offset_set = true;
	o.wall_offset = 1700000000ll * 1000000000ll; /* 2023-11-14 22:13:20 UTC */
	out_value(&o, t, d);
	return cap_end();
}

static const char *json(const struct hk_type *t, const void *d)
{
	cap_begin(OUT_JSON);
	o.wall_offset_set = true;
	o.wall_offset = 1700000000ll * 1000000000ll;
	out_value_json(&o, t, d);
	return cap_end();
}

static void test_timestamps(void)
{
	struct hk_type ts = {.kind = TY_TIMESTAMP, .size = 8, .align = 8};
	/* 1 h, 2 min, 3.123456789 s after the offset */
	uint64_t ns = 3723123456789ull, early;

	ts.name = "%Y-%m-%d %H:%M:%S";
	CHECK_STR(text(&ts, &ns), "2023-11-14 23:15:23");
	ts.name = "%H:%M:%S.%f";
	CHECK_STR(text(&ts, &ns), "23:15:23.123456");
	ts.name = "%l|%k|%f";
	CHECK_STR(text(&ts, &ns), "123|123456789|123456");
	/* %% stays a literal percent, other conversions are strftime's */
	ts.name = "100%% %j %s";
	CHECK_STR(text(&ts, &ns), "100% 318 1700003723");
	ts.name = "%H:%M";
	CHECK_STR(json(&ts, &ns), "\"23:15\"");
	/* the epoch itself cannot be formatted (bpftrace prints "(?)") */
	early = (uint64_t) - (1700000000ll * 1000000000ll);
	CHECK_STR(text(&ts, &early), "(?)");
	/* an empty result, as strftime() returning 0 */
	ts.name = "";
	CHECK_STR(text(&ts, &ns), "(?)");
}

static const char *fake_cgroup(void *ctx, uint64_t id, const char *filter, char *buf, size_t len)
{
	if (id != 42)
		return "";
	snprintf(buf, len, "%s", filter ? "unified:/filtered" : "unified:/a.slice,cpu:/");
	return buf;
}

static void test_cgroup_path(void)
{
	struct hk_type cp = {.kind = TY_CGROUP_PATH, .size = 8, .align = 8};
	uint64_t id = 42, other = 7;

	/* no resolver: the id */
	CHECK_STR(text(&cp, &id), "42");
	cap_begin(OUT_TEXT);
	o.cgroup_path = fake_cgroup;
	out_value(&o, &cp, &id);
	out_value(&o, &cp, &other);
	cp.name = "unif*";
	out_value(&o, &cp, &id);
	CHECK_STR(cap_end(), "unified:/a.slice,cpu:/unified:/filtered");
	cap_begin(OUT_JSON);
	o.cgroup_path = fake_cgroup;
	out_value_json(&o, &cp, &id);
	CHECK_STR(cap_end(), "\"unified:/filtered\"");
}

static void test_username_ksym(void)
{
	struct hk_type un = {.kind = TY_USERNAME, .size = 8, .align = 8};
	uint64_t root = 0, nobody_knows = 4000000000ull, zero = 0, addr = 0xffffffff81000010ull;

	CHECK_STR(text(&un, &root), "root");
	CHECK_STR(json(&un, &root), "\"root\"");
	CHECK_STR(text(&un, &nobody_knows), ""); /* as bpftrace */
	/* unresolved kernel addresses: streamed as a void * (0 is "0"), and
	 * JSON strings, as bpftrace 0.26's resolve_ksym */
	CHECK_STR(text(&ty_ksym, &zero), "0");
	CHECK_STR(text(&ty_ksym, &addr), "0xffffffff81000010");
	CHECK_STR(json(&ty_ksym, &addr), "\"0xffffffff81000010\"");
}

static void test_messages(void)
{
	cap_begin(OUT_TEXT);
	out_message(&o, "time", "12:00:00\n", 9, false);
	out_message(&o, "cat", "no newline", 10, false);
	out_message(&o, "join", "a b c", 5, true);
	out_message(&o, "syscall", "hi\n", 3, true);
	CHECK_STR(cap_end(), "12:00:00\nno newlinea b c\nhi\n\n");

	cap_begin(OUT_JSON);
	out_message(&o, "time", "12:00:00\n", 9, false);
	out_message(&o, "join", "a \"b\"\tc", 7, true);
	out_message(&o, "syscall", "hi\n", 3, true);
	out_message(&o, "cat", "", 0, false);
	CHECK_STR(cap_end(), "{\"type\": \"time\", \"data\": \"12:00:00\\n\"}\n"
			     "{\"type\": \"join\", \"data\": \"a \\\"b\\\"\\tc\"}\n"
			     "{\"type\": \"syscall\", \"data\": \"hi\\n\"}\n"
			     "{\"type\": \"cat\", \"data\": \"\"}\n");
}

/* errorf/warnf: text goes to o.err, JSON to the output. */
static void test_errorf(void)
{
	struct res_event ev = {.file = "stdin", .loc = {1, 9, 1, 30, 0}};
	struct res_event multi = {.file = "t.bt", .loc = {2, 3, 4, 1, 0}};
	char *ebuf = NULL;
	size_t elen = 0;
	FILE *ef;

	cap_begin(OUT_TEXT);
	ef = open_memstream(&ebuf, &elen);
	o.err = ef;
	out_errorf(&o, &ev, true, "bad 42");
	out_errorf(&o, &ev, false, "careful\n"); /* one trailing newline dropped */
	out_errorf(&o, &multi, true, "spans lines");
	out_error(&o, "failed to open file '%s': %s", "/x", "No such file or directory");
	fclose(ef);
	CHECK_STR(cap_end(), "");
	CHECK_STR(ebuf, "stdin:1:9-31: ERROR: bad 42\n"
			"stdin:1:9-31: WARNING: careful\n"
			"t.bt:2-4: ERROR: spans lines\n"
			"error: failed to open file '/x': No such file or directory\n");
	free(ebuf);

	cap_begin(OUT_JSON);
	out_errorf(&o, &ev, true, "bad 42");
	out_errorf(&o, &multi, false, "w\n");
	CHECK_STR(
		cap_end(),
		"{\"type\": \"errorf\", \"msg\": \"bad 42\", \"filename\": \"stdin\", \"line\": 1, "
		"\"col\": 9}\n"
		"{\"type\": \"warnf\", \"msg\": \"w\\n\", \"filename\": \"t.bt\", \"line\": 2, "
		"\"col\": 3}\n");
}

static const char *fake_ksym(void *ctx, uint64_t addr, char *buf, size_t len)
{
	snprintf(buf, len, "sym_%llx", (unsigned long long)addr);
	return buf;
}

/* cat("/proc/%d/%s", pid, ksym(x)): formatted with the output's resolvers. */
static void test_format_alloc(void)
{
	struct hk_type *types[3] = {&ty_s64, &ty_ksym, NULL};
	uint32_t offs[2] = {0, 8};
	struct res_event ev = {.kind = EV_OTHER, .fmt = "/proc/%d/%s", .nargs = 2};
	unsigned char payload[16];
	int64_t pid = 1234;
	uint64_t addr = 0xabc;
	size_t len = 0;
	char *s;

	ev.args = types;
	ev.offsets = offs;
	ev.size = 16;
	memcpy(payload, &pid, 8);
	memcpy(payload + 8, &addr, 8);
	out_init(&o, NULL, OUT_TEXT);
	o.ksym = fake_ksym;
	s = out_format_alloc(&o, &ev, payload, &len);
	CHECK_STR(s, "/proc/1234/sym_abc");
	CHECK(len == strlen("/proc/1234/sym_abc"));
	free(s);
	ev.fmt = "";
	ev.nargs = 0;
	s = out_format_alloc(&o, &ev, payload, &len);
	CHECK_STR(s, "");
	CHECK(len == 0);
	free(s);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	fixture_init();
	test_timestamps();
	test_cgroup_path();
	test_username_ksym();
	test_messages();
	test_errorf();
	test_format_alloc();
	fixture_free();
	return check_done();
}
