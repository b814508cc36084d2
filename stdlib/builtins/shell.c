/*
 * shell.c - cat(fmt, args...) and system(fmt, args...), both done in user
 * space when their event arrives. cat() prints a file (at most
 * max_cat_bytes of it) as it is; system() runs the command with /bin/sh,
 * blocking the event loop as bpftrace does, and prints what it wrote to
 * stdout followed by a newline (bpftrace 0.26's text output; JSON type
 * "syscall"). system() needs --unsafe.
 */
#include "fmtcall.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/output.h"
#include "../../runtime/rt.h"

STD_BUILTIN(cat);
STD_BUILTIN(system);

static int cat_check(struct sema *s, struct ast_node *n)
{
	return fmtcall_check(s, n, &std_cat);
}

static void cat_event(struct rt *rt, const struct res_event *ev, const void *data, uint32_t len)
{
	struct out *o = rt_out(rt);
	size_t n, max = rt_resources(rt)->config.max_cat_bytes, got = 0;
	char *path = fmtcall_text(rt, ev, data, len, &n), *buf;
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "re");
	if (!f) {
		out_error(o, "failed to open file '%s': %s", path, strerror(errno));
		free(path);
		return;
	}
	buf = malloc(max ? max : 1);
	if (buf) {
		got = fread(buf, 1, max, f);
		out_message(o, "cat", buf, got, false);
	}
	free(buf);
	fclose(f);
	free(path);
}

const struct builtin_ops std_cat = {
	.name = "cat",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = -1,
	.check = cat_check,
	.lower = fmtcall_lower,
	.event = cat_event,
};

static int system_check(struct sema *s, struct ast_node *n)
{
	n->type = &ty_none;
	if (!s->opt || !s->opt->unsafe) {
		sema_error(s, n->loc, "system() is an unsafe function being used in safe mode");
		sema_hint(s, "run hawk with --unsafe to allow it");
		return -1;
	}
	return fmtcall_check(s, n, &std_system);
}

static void system_event(struct rt *rt, const struct res_event *ev, const void *data, uint32_t len)
{
	struct out *o = rt_out(rt);
	size_t n, used = 0, cap = 4096;
	char *cmd = fmtcall_text(rt, ev, data, len, &n), *buf;
	FILE *p;

	if (!cmd)
		return;
	fflush(o->f); /* what the command writes to stderr comes after it */
	p = popen(cmd, "re");
	if (!p) {
		out_error(o, "cannot run '%s': %s", cmd, strerror(errno));
		free(cmd);
		return;
	}
	buf = malloc(cap);
	while (buf) {
		size_t r = fread(buf + used, 1, cap - used, p);

		used += r;
		if (used < cap)
			break;
		cap *= 2;
		char *nb = realloc(buf, cap);
		if (!nb) {
			free(buf);
			buf = NULL;
		} else {
			buf = nb;
		}
	}
	pclose(p);
	if (buf)
		out_message(o, "syscall", buf, used, true);
	free(buf);
	free(cmd);
}

const struct builtin_ops std_system = {
	.name = "system",
	.kind = BI_FUNCTION,
	.min_args = 1,
	.max_args = -1,
	.check = system_check,
	.lower = fmtcall_lower,
	.event = system_event,
};
