/*
 * test_sema_config.c - config blocks and their environment overrides
 * (lang/config.c): every key's value checks, renamed and deprecated keys,
 * the BPFTRACE_ and HAWK_ spellings (the environment wins), and the exact
 * text of each diagnostic. No root needed: only BEGIN probes.
 */
#include <stdlib.h>
#include <string.h>

#include "sema_fixture.h"

static void run(struct run *r, const char *text)
{
	struct sema_options opt = {0};

	sema_fixture_run(r, text, &opt);
}

/* Checks the whole rendered diagnostic text; ok: whether sema succeeds. */
static void expect(const char *text, int ok, const char *want)
{
	struct run r;
	char *e;

	run(&r, text);
	CHECK(ok ? r.rc == 0 : r.rc != 0);
	e = diag_render_string(&r.d);
	CHECK_STR(e, want);
	free(e);
	done(&r);
}

static void test_values(void)
{
	struct run r;

	run(&r, "config = { max_strlen = 128; stack_mode = perf; missing_probes = \"warn\"; "
		"cpp_demangle = false; license = \"Dual BSD/GPL\"; unstable_tseries = enable; "
		"max_probes = 7; log_size = 5000 } BEGIN { }");
	CHECK(r.rc == 0);
	CHECK(r.res.config.max_strlen == 128);
	CHECK_STR(r.res.config.stack_mode, "perf");
	CHECK_STR(r.res.config.missing_probes, "warn");
	CHECK(!r.res.config.cpp_demangle);
	CHECK_STR(r.res.config.license, "Dual BSD/GPL");
	CHECK(r.res.config.unstable_tseries == HK_UNSTABLE_ENABLE);
	CHECK(r.res.config.max_probes == 7);
	CHECK(r.res.config.log_size == 5000);
	done(&r);

	/* defaults */
	run(&r, "BEGIN { }");
	CHECK(r.res.config.max_strlen == 1024 && r.res.config.max_map_keys == 4096);
	CHECK(r.res.config.max_cat_bytes == 10240 && r.res.config.on_stack_limit == 32);
	CHECK(r.res.config.print_maps_on_exit && r.res.config.cpp_demangle);
	CHECK_STR(r.res.config.missing_probes, "error");
	CHECK_STR(r.res.config.stack_mode, "bpftrace");
	CHECK_STR(r.res.config.license, "GPL");
	CHECK(r.res.config.unstable_tseries == HK_UNSTABLE_WARN);
	CHECK(r.res.config.unstable_import_statement == HK_UNSTABLE_ERROR);
	done(&r);
}

static void test_env(void)
{
	struct run r;

	/* the environment wins over the block; HAWK_ wins over BPFTRACE_ */
	setenv("BPFTRACE_MAX_STRLEN", "200", 1);
	setenv("BPFTRACE_STACK_MODE", "raw", 1);
	setenv("HAWK_STACK_MODE", "perf", 1);
	setenv("BPFTRACE_PRINT_MAPS_ON_EXIT", "0", 1);
	run(&r, "config = { max_strlen = 64 } BEGIN { }");
	CHECK(r.rc == 0);
	CHECK(r.res.config.max_strlen == 200);
	CHECK_STR(r.res.config.stack_mode, "perf");
	CHECK(!r.res.config.print_maps_on_exit);
	done(&r);
	unsetenv("BPFTRACE_MAX_STRLEN");
	unsetenv("BPFTRACE_STACK_MODE");
	unsetenv("HAWK_STACK_MODE");
	unsetenv("BPFTRACE_PRINT_MAPS_ON_EXIT");

	setenv("BPFTRACE_MAX_MAP_KEYS", "lots", 1);
	expect("BEGIN { }", 0,
	       "error: BPFTRACE_MAX_MAP_KEYS='lots': config 'max_map_keys' must be a "
	       "non-negative integer\n");
	unsetenv("BPFTRACE_MAX_MAP_KEYS");
	setenv("BPFTRACE_MISSING_PROBES", "maybe", 1);
	expect("BEGIN { }", 0,
	       "error: BPFTRACE_MISSING_PROBES='maybe': config 'missing_probes' must be "
	       "'error', 'warn' or 'ignore'\n");
	unsetenv("BPFTRACE_MISSING_PROBES");
	setenv("BPFTRACE_LICENSE", "Proprietary", 1);
	expect("BEGIN { }", 0,
	       "error: BPFTRACE_LICENSE='Proprietary': config 'license' must name a "
	       "GPL-compatible license\n");
	unsetenv("BPFTRACE_LICENSE");
	setenv("BPFTRACE_MAX_PROBES", "1", 1);
	expect("BEGIN { } END { }", 0,
	       "error: the program has 2 attach points, more than config max_probes = 1\n"
	       "note: narrow the wildcards, or raise the limit (BPFTRACE_MAX_PROBES)\n");
	unsetenv("BPFTRACE_MAX_PROBES");
}

static void test_errors(void)
{
	expect("config = { stack_mode = foo } BEGIN { }", 0,
	       "stdin:1:25-28: error: config 'stack_mode' must be 'bpftrace', 'perf', 'raw' or "
	       "'build_id'\n"
	       "config = { stack_mode = foo } BEGIN { }\n"
	       "                        ^~~\n");
	expect("config = { max_strlen = 0 } BEGIN { }", 0,
	       "stdin:1:25: error: config 'max_strlen' must be an integer from 1 to 65536\n"
	       "config = { max_strlen = 0 } BEGIN { }\n"
	       "                        ^\n");
	expect("config = { cpp_demangle = 2 } BEGIN { }", 0,
	       "stdin:1:27: error: config 'cpp_demangle' must be true or false\n"
	       "config = { cpp_demangle = 2 } BEGIN { }\n"
	       "                          ^\n");
	expect("config = { str_trunc_trailer = 3 } BEGIN { }", 0,
	       "stdin:1:32: error: config 'str_trunc_trailer' must be a string\n"
	       "config = { str_trunc_trailer = 3 } BEGIN { }\n"
	       "                               ^\n");
	expect("config = { unstable_tseries = on } BEGIN { }", 0,
	       "stdin:1:31-33: error: config 'unstable_tseries' must be 'error', 'warn' or "
	       "'enable'\n"
	       "config = { unstable_tseries = on } BEGIN { }\n"
	       "                              ^~\n");
	expect("config = { license = \"MIT\" } BEGIN { }", 0,
	       "stdin:1:22-27: error: config license 'MIT' is not GPL-compatible: the kernel "
	       "would refuse the GPL-only helpers hawk uses\n"
	       "config = { license = \"MIT\" } BEGIN { }\n"
	       "                     ^~~~~\n");
	expect("config = { max_map_keys = -1 } BEGIN { }", 0,
	       "stdin:1:27-29: error: config 'max_map_keys' must be a non-negative integer\n"
	       "config = { max_map_keys = -1 } BEGIN { }\n"
	       "                          ^~\n");
	/* warnings: compilation goes on */
	expect("config = { unstable_macro = 1 } BEGIN { }", 1,
	       "stdin:1:12-26: warning: config 'unstable_macro' is deprecated and has no effect\n"
	       "config = { unstable_macro = 1 } BEGIN { }\n"
	       "           ^~~~~~~~~~~~~~\n");
	expect("config = { map_keys_max = 10 } BEGIN { }", 1,
	       "stdin:1:12-24: warning: config 'map_keys_max' is renamed: use 'max_map_keys'\n"
	       "config = { map_keys_max = 10 } BEGIN { }\n"
	       "           ^~~~~~~~~~~~\n");
	expect("config = { max_stack_mode = 1 } BEGIN { }", 0,
	       "stdin:1:12-26: error: unknown config key 'max_stack_mode'\n"
	       "config = { max_stack_mode = 1 } BEGIN { }\n"
	       "           ^~~~~~~~~~~~~~\n"
	       "note: did you mean 'stack_mode'?\n");
}

int main(void)
{
	test_values();
	test_env();
	test_errors();
	return check_done();
}
