/*
 * test_parser_tools.c - every bpftrace tool script installed on this
 * machine parses without a diagnostic: Debian's bpftrace package puts them
 * in /usr/sbin (NAME.bt), other distributions under share/bpftrace/tools. The
 * scripts are read where they are installed, never copied here. With none
 * installed, a few tool-like programs written for this test stand in.
 */
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lang/arena.h"
#include "lang/ast.h"
#include "lang/diag.h"
#include "parser/parse.h"

static const char *const patterns[] = {
	"/usr/sbin/*.bt",
	"/usr/share/bpftrace/tools/*.bt",
	"/usr/local/share/bpftrace/tools/*.bt",
	NULL,
};

/* Written for this test in the style of the tools. */
static const char *const stand_ins[] = {
	"#!/usr/bin/env bpftrace\n"
	"#ifndef BPFTRACE_HAVE_BTF\n#include <linux/sched.h>\n#endif\n"
	"BEGIN\n{\n\tprintf(\"Tracing... Hit Ctrl-C to end.\\n\");\n"
	"\tprintf(\"%-8s %-6s %-16s\\n\", \"TIME(ms)\", \"PID\", \"COMM\");\n}\n"
	"tracepoint:syscalls:sys_enter_execve,\ntracepoint:syscalls:sys_enter_execveat\n{\n"
	"\t$task = (struct task_struct *)curtask;\n"
	"\tprintf(\"%-8d %-6d %-16s \", elapsed / 1e6, pid, comm);\n"
	"\tjoin(args.argv);\n}\n",
	"kprobe:vfs_read,\nkprobe:vfs_write\n/comm != \"bpftrace\"/\n{\n"
	"\t@start[tid] = nsecs;\n\t@name[tid] = func;\n}\n"
	"kretprobe:vfs_read,\nkretprobe:vfs_write\n/@start[tid]/\n{\n"
	"\t$dur_us = (nsecs - @start[tid]) / 1000;\n"
	"\t@us[@name[tid]] = hist($dur_us);\n"
	"\t@bytes = lhist((int64)retval, 0, 4096, 256);\n"
	"\tdelete(@start[tid]); delete(@name, tid);\n}\n"
	"interval:s:$1 { time(\"%H:%M:%S\\n\"); print(@us); clear(@us); }\n"
	"END\n{\n\tclear(@start);\n\tclear(@name);\n}\n",
};

static bool parses(const char *name, const char *text, size_t len)
{
	struct arena a;
	struct source_set s;
	struct diag_set d;
	struct ast_node *p;
	int id;

	arena_init(&a);
	source_init(&s, &a);
	diag_init(&d, &s);
	id = source_add(&s, name, text, len);
	p = parse_program(&a, &s, id, &d);
	if (!p || d.n) {
		char *out = diag_render_string(&d);

		fprintf(stderr, "%s:\n%s", name, out ? out : "");
		free(out);
	}
	diag_free(&d);
	arena_free(&a);
	return p != NULL;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = '\0';
			*len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

int main(void)
{
	int found = 0, i;
	size_t k;

	for (i = 0; patterns[i]; i++) {
		glob_t g;

		if (glob(patterns[i], 0, NULL, &g) != 0)
			continue;
		for (k = 0; k < g.gl_pathc; k++) {
			size_t len = 0;
			char *text = slurp(g.gl_pathv[k], &len);

			if (!text)
				continue;
			found++;
			CHECK(parses(g.gl_pathv[k], text, len));
			free(text);
		}
		globfree(&g);
	}
	printf("%d installed tool scripts\n", found);
	for (k = 0; k < sizeof(stand_ins) / sizeof(stand_ins[0]); k++)
		CHECK(parses("stand-in", stand_ins[k], strlen(stand_ins[k])));
	return check_done();
}
