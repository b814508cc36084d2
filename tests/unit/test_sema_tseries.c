/*
 * test_sema_tseries.c - checking tseries(value, interval, num_intervals[,
 * agg]): the map's type, its kernel value size, the unstable-feature warning
 * (once per program) and the exact text of its errors. No root needed.
 */
#include <stdlib.h>
#include <string.h>

#include "sema_fixture.h"

static void run(struct run *r, const char *text)
{
	struct sema_options opt = {0};

	sema_fixture_run(r, text, &opt);
}

static struct res_map *user_map(struct run *r, const char *name)
{
	int i;

	for (i = 0; i < r->res.nmaps; i++)
		if (!r->res.maps[i]->internal && !strcmp(r->res.maps[i]->name, name))
			return r->res.maps[i];
	return NULL;
}

#define ERRS(text, want)                           \
	do {                                       \
		struct run r_;                     \
		char *e_;                          \
		run(&r_, text);                    \
		CHECK(r_.rc != 0);                 \
		e_ = diag_render_string(&r_.d);    \
		CHECK(strstr(e_, want) != NULL);   \
		if (!strstr(e_, want))             \
			fprintf(stderr, "%s", e_); \
		free(e_);                          \
		done(&r_);                         \
	} while (0)

static void test_ok(void)
{
	struct run r;
	struct res_map *m;
	char *e;

	run(&r, "BEGIN { @a = tseries(1, 1s, 20); @b[1] = tseries(-1, 100ms, 1000, \"avg\"); "
		"@c = tseries(2, 1s, 3, \"max\"); }");
	CHECK(r.rc == 0);
	m = user_map(&r, "@a");
	CHECK(m && m->value->kind == TY_AGG && m->agg == stdlib_builtin("tseries")->agg);
	if (m) {
		CHECK(m->value->agg_params[0] == 1000000000 && m->value->agg_params[1] == 20);
		CHECK(m->value_size == 20 * 24);
		CHECK_STR(ty_name(&r.a, m->value), "tseries_t");
	}
	m = user_map(&r, "@b");
	CHECK(m && m->value_size == 1000 * 24 && m->value->is_signed);
	CHECK(m && m->value->agg_params[0] == 100000000);
	/* one warning for the whole program */
	CHECK(r.d.nwarnings == 1 && r.d.nerrors == 0);
	e = diag_render_string(&r.d);
	CHECK(strstr(e, "warning: Script is using an unstable feature. To prevent this "
			"warning "
			"you must explicitly enable the unstable feature in the config e.g. "
			"unstable_tseries=enable") != NULL);
	free(e);
	done(&r);
}

static void test_errors(void)
{
	ERRS("BEGIN { @a = tseries(1, 1s); }", "tseries");
	ERRS("BEGIN { @a = tseries(\"x\", 1s, 5); }",
	     "tseries() argument 1 must be an integer, not string");
	ERRS("BEGIN { @a = tseries(1, 0, 5); }",
	     "tseries() interval must be a positive duration (e.g. 1s)");
	ERRS("BEGIN { @a = tseries(1, 1s, 0); }", "tseries() num_intervals must be from 1 to 1000");
	ERRS("BEGIN { @a = tseries(1, 1s, 1001); }",
	     "tseries() num_intervals must be from 1 to 1000");
	ERRS("BEGIN { @a = tseries(1, 1s, 5, \"median\"); }",
	     "tseries() aggregation must be \"avg\", \"max\", \"min\" or \"sum\", not "
	     "\"median\"");
	ERRS("BEGIN { @a = tseries(1, 1s, 5, 3); }",
	     "tseries() aggregation must be a string literal");
	ERRS("BEGIN { @a = tseries(1, 1s, 5, \"max\"); @a = tseries(1, 1s, 5, \"min\"); }",
	     "type mismatch for @a");
	ERRS("BEGIN { $n = 5; @a = tseries(1, 1s, $n * pid); }", "error:");
	ERRS("BEGIN { $x = tseries(1, 1s, 5); }", "error:");
}

int main(void)
{
	test_ok();
	test_errors();
	return check_done();
}
