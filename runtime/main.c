/*
 * main.c - the hawk command line: bpftrace's options, then the pipeline
 *
 *   read program -> parse_program -> sema_run -> cg_program -> rt_run
 *
 * (--fmt stops after the parser: run_fmt prints the program formatted.)
 * Usage errors (unknown options, missing or bad values) print one line and
 * "Try 'hawk --help'." on stderr and exit 2; compile errors are rendered
 * diagnostics and exit 1; a run exits with exit()'s code, 0, or 1 on errors.
 * A program given with -e or read from stdin is named "stdin", as bpftrace
 * names it; a file keeps its path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../codegen/codegen.h"
#include "../lang/arena.h"
#include "../lang/ast.h"
#include "../lang/diag.h"
#include "../lang/macro.h"
#include "../lang/modules.h"
#include "../lang/pretty.h"
#include "cache.h"
#include "defines.h"
#include "import.h"
#include "../lang/resources.h"
#include "../lang/sema.h"
#include "../lang/source.h"
#include "../parser/parse.h"
#include "rt.h"
#include "usyms.h"
#include "../stdlib/dwarf.h"

#ifndef HAWK_VERSION
#define HAWK_VERSION "0.0.0"
#endif

enum {
	OPT_DRY_RUN = 1000,
	OPT_TEST,
	OPT_EMIT_ELF,
	OPT_EMIT_LLVM,
	OPT_UNSAFE,
	OPT_NO_WARNINGS,
	OPT_NO_CACHE,
	OPT_INFO,
	OPT_INCLUDE,
	OPT_USDT_FILE_ACTIVATION,
	OPT_NO_FEATURE,
	OPT_PROBE_FILTER,
	OPT_FMT,
	OPT_VERIFY_LLVM_IR,
	OPT_TRACEABLE_FUNCTIONS,
	OPT_MODE,
	OPT_DEBUGINFO,
};

struct args {
	const char *prog_text; /* -e */
	const char *prog_file; /* FILE or "-" */
	const char **params;   /* $1... */
	int nparams;
	const char **named; /* --name[=value] after `--`, for getopt() */
	int nnamed;
	const char **all; /* every argument after the program (the cache key) */
	int nall;
	const char *output;	/* -o */
	enum out_format format; /* -f */
	int buffering;		/* -B: _IOLBF (default), _IOFBF, _IONBF */
	bool quiet, verbose, dry_run, unsafe, no_warnings, no_cache, warn_reads, test, verify_ir,
		debuginfo;
	bool dump_ast, dump_types, dump_ir, dump_ir_opt, debug_verifier, debug_libbpf;
	const char *emit_elf, *emit_llvm;
	int pid;
	const char *cmd;
	bool list, info;
	bool fmt;		  /* --fmt: print the program formatted, run nothing */
	const char *probe_filter; /* --probe-filter REGEX */
	regex_t probe_filter_re;  /* ... compiled */
};

static void usage(FILE *f)
{
	fputs("hawk - a bpftrace-compatible tracer\n"
	      "\n"
	      "USAGE:\n"
	      "    hawk [options] filename [args...]\n"
	      "    hawk [options] - <stdin input>\n"
	      "    hawk [options] -e 'program' [args...]\n"
	      "    hawk -l [pattern]      list probes (-lv: with their arguments)\n"
	      "    hawk --info            what this kernel supports\n"
	      "\n"
	      "OPTIONS:\n"
	      "    -e 'program'   execute this program\n"
	      "    -h, --help     show this help message\n"
	      "    -V, --version  hawk version\n"
	      "    -l, --list [PATTERN]\n"
	      "                   list probes matching PATTERN ('tracepoint:syscalls:*open*');\n"
	      "                   -lv also prints their arguments, -lv 'struct X' a kernel type\n"
	      "    --info         report the kernel's and the build's features\n"
	      "    -v, --verbose  verbose messages (libbpf's warnings too)\n"
	      "\n"
	      "    -p, --pid PID  trace only process PID (and with -l, list its uprobes/usdt);\n"
	      "                   stop when it exits\n"
	      "    -c, --cmd CMD  run CMD once the probes are attached; stop when it exits\n"
	      "\n"
	      "    -o, --output FILE\n"
	      "                   write the output to FILE\n"
	      "    -f FORMAT      output format ('text', 'json', 'folded': maps keyed by stacks\n"
	      "                   as folded stacks, for flamegraph.pl)\n"
	      "    -B MODE        output buffering mode ('line', 'full', 'none')\n"
	      "    -q, --quiet    keep messages quiet\n"
	      "    -k             report failed memory reads at run time (once per statement)\n"
	      "    --debuginfo DIR[:DIR...]\n"
	      "                   also look for separate debug files in DIR (DIR/.build-id,\n"
	      "                   debug links; relative: beside the binary); repeatable\n"
	      "    --no-warnings  disable all warning messages\n"
	      "    --no-cache     compile even if a cached object of this program exists\n"
	      "    --unsafe       allow unsafe/destructive functionality\n"
	      "\n"
	      "DEVELOPER OPTIONS:\n"
	      "    --fmt          print the program formatted (with -o FILE: into FILE), run\n"
	      "                   nothing\n"
	      "    --probe-filter REGEX\n"
	      "                   only load and attach the probes whose names match REGEX\n"
	      "                   (BEGIN and END always run)\n"
	      "    --mode MODE    'run' (the default), 'test' (as --test) or 'format' (as --fmt)\n"
	      "    --traceable-functions FILE\n"
	      "                   kernel functions kprobe/fentry may use, in place of\n"
	      "                   tracefs available_filter_functions\n"
	      "    -I DIR, --include FILE\n"
	      "                   accepted; hawk reads no C headers (types come from BTF)\n"
	      "    --usdt-file-activation\n"
	      "                   accepted; semaphores are always counted by the kernel\n"
	      "    --no-feature kprobe_multi,uprobe_multi,kprobe_session\n"
	      "                   accepted; hawk never uses these kernel features\n"
	      "\n"
	      "TROUBLESHOOTING OPTIONS:\n"
	      "    --dry-run      terminate execution right after attaching all the probes\n"
	      "    --test         run the test:NAME probes (each once), print a summary\n"
	      "    -d, --debug STAGE\n"
	      "                   debug info for a stage of hawk's execution\n"
	      "                   ('all', 'ast', 'types', 'codegen', 'codegen-opt', 'libbpf',\n"
	      "                   'verifier')\n"
	      "    --emit-elf FILE\n"
	      "                   (dry run) write the BPF ELF object to FILE\n"
	      "    --emit-llvm FILE\n"
	      "                   write the LLVM IR to FILE\n"
	      "    --verify-llvm-ir\n"
	      "                   verify the LLVM IR after every optimisation pass too\n"
	      "\n"
	      "ENVIRONMENT:\n"
	      "    NO_COLOR, BPFTRACE_COLOR=auto|always|never\n"
	      "                   colour of diagnostics (auto: only on a terminal)\n"
	      "    BPFTRACE_MAX_STRLEN, BPFTRACE_MAX_MAP_KEYS, BPFTRACE_PRINT_MAPS_ON_EXIT\n"
	      "                   as bpftrace; every BPFTRACE_X may be spelled HAWK_X (which "
	      "wins)\n"
	      "\n"
	      "EXAMPLES:\n"
	      "    hawk -e 'BEGIN { printf(\"hello\\n\"); exit(); }'\n"
	      "    hawk -e 'tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }'\n"
	      "        count openat() calls by process name until Ctrl-C\n",
	      f);
}

/* A usage error: one line, the --help pointer, exit status 2. */
static void __attribute__((noreturn, format(printf, 1, 2))) usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("hawk: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	fputs("Try 'hawk --help'.\n", stderr);
	exit(2);
}

static void parse_debug_stages(struct args *a, const char *arg)
{
	char *copy = strdup(arg), *save = NULL;

	if (!copy)
		exit(1);
	for (char *s = strtok_r(copy, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		bool all = strcmp(s, "all") == 0;
		bool known = all;
		if (all || strcmp(s, "ast") == 0)
			a->dump_ast = known = true;
		if (all || strcmp(s, "codegen") == 0)
			a->dump_ir = known = true;
		if (all || strcmp(s, "codegen-opt") == 0)
			a->dump_ir_opt = known = true;
		if (all || strcmp(s, "verifier") == 0)
			a->debug_verifier = known = true;
		if (all || strcmp(s, "libbpf") == 0)
			a->debug_libbpf = known = true;
		if (all || strcmp(s, "types") == 0)
			a->dump_types = known = true;
		if (!known)
			usage_error("invalid debug stage '%s' (expected 'all', 'ast', 'types', "
				    "'codegen', 'codegen-opt', 'libbpf' or 'verifier')",
				    s);
	}
	free(copy);
}

static int parse_pid(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > 0x400000)
		usage_error("invalid pid '%s'", s);
	return (int)v;
}

/*
 * `#!/usr/local/bin/hawk -q -v` runs the script as `hawk "-q -v" script
 * args...`: Linux hands everything after the interpreter's path to it as one
 * argument. Split that argument on blanks (as bpftrace does) when it is one:
 * it starts with '-', holds a blank, and the next argument is a file whose
 * first line is a `#!` line containing it. `#!/usr/bin/env -S hawk -q` needs
 * nothing: env splits the line itself. Returns argv, or a new argv.
 */
static char **split_shebang_options(int *argcp, char **argv)
{
	int argc = *argcp, n = 0;
	char line[4096], *copy, *save = NULL, **nargv;
	FILE *f;

	if (argc < 3 || argv[1][0] != '-' || !strpbrk(argv[1], " \t"))
		return argv;
	if (!(f = fopen(argv[2], "r")))
		return argv;
	if (!fgets(line, sizeof(line), f) || strncmp(line, "#!", 2) || !strstr(line, argv[1])) {
		fclose(f);
		return argv;
	}
	fclose(f);
	copy = strdup(argv[1]);
	nargv = calloc((size_t)argc + strlen(argv[1]) + 1, sizeof(*nargv));
	if (!copy || !nargv)
		exit(1);
	nargv[n++] = argv[0];
	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		nargv[n++] = w;
	for (int i = 2; i < argc; i++)
		nargv[n++] = argv[i];
	nargv[n] = NULL;
	*argcp = n;
	return nargv; /* lives until exit, as argv does */
}

static void parse_args(int argc, char **argv, struct args *a)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{"verbose", no_argument, NULL, 'v'},
		{"quiet", no_argument, NULL, 'q'},
		{"output", required_argument, NULL, 'o'},
		{"debug", required_argument, NULL, 'd'},
		{"pid", required_argument, NULL, 'p'},
		{"cmd", required_argument, NULL, 'c'},
		{"list", no_argument, NULL, 'l'},
		{"btf", no_argument, NULL, 'b'},
		{"warnings", no_argument, NULL, 'k'},
		{"include", required_argument, NULL, OPT_INCLUDE},
		{"dry-run", no_argument, NULL, OPT_DRY_RUN},
		{"test", no_argument, NULL, OPT_TEST},
		{"emit-elf", required_argument, NULL, OPT_EMIT_ELF},
		{"emit-llvm", required_argument, NULL, OPT_EMIT_LLVM},
		{"unsafe", no_argument, NULL, OPT_UNSAFE},
		{"no-warnings", no_argument, NULL, OPT_NO_WARNINGS},
		{"no-cache", no_argument, NULL, OPT_NO_CACHE},
		{"info", no_argument, NULL, OPT_INFO},
		{"usdt-file-activation", no_argument, NULL, OPT_USDT_FILE_ACTIVATION},
		{"no-feature", required_argument, NULL, OPT_NO_FEATURE},
		{"probe-filter", required_argument, NULL, OPT_PROBE_FILTER},
		{"fmt", no_argument, NULL, OPT_FMT},
		{"verify-llvm-ir", no_argument, NULL, OPT_VERIFY_LLVM_IR},
		{"traceable-functions", required_argument, NULL, OPT_TRACEABLE_FUNCTIONS},
		{"mode", required_argument, NULL, OPT_MODE},
		{"debuginfo", required_argument, NULL, OPT_DEBUGINFO},
		{NULL, 0, NULL, 0},
	};
	int c;

	a->format = OUT_TEXT;
	a->buffering = _IOLBF;
	opterr = 0;
	/* ':' first: a missing value is reported as ':' rather than '?' */
	while ((c = getopt_long(argc, argv, ":d:bB:f:e:hlp:vqc:Vo:I:k", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			a->prog_text = optarg;
			break;
		case 'o':
			a->output = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				a->format = OUT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				a->format = OUT_JSON;
			else if (strcmp(optarg, "folded") == 0)
				a->format = OUT_FOLDED;
			else
				usage_error(
					"invalid output format '%s' (expected 'text', 'json' or "
					"'folded')",
					optarg);
			break;
		case 'B':
			if (strcmp(optarg, "line") == 0)
				a->buffering = _IOLBF;
			else if (strcmp(optarg, "full") == 0)
				a->buffering = _IOFBF;
			else if (strcmp(optarg, "none") == 0)
				a->buffering = _IONBF;
			else
				usage_error(
					"invalid buffering mode '%s' (expected 'line', 'full' or "
					"'none')",
					optarg);
			break;
		case 'q':
			a->quiet = true;
			break;
		case 'v':
			a->verbose = true;
			break;
		case 'd':
			parse_debug_stages(a, optarg);
			break;
		case 'p':
			a->pid = parse_pid(optarg);
			break;
		case 'c':
			a->cmd = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("hawk v%s\n", HAWK_VERSION);
			exit(0);
		case 'b':
			break; /* accepted, no effect (as in bpftrace) */
		case 'k':
			a->warn_reads = true;
			break;
		case OPT_DRY_RUN:
			a->dry_run = true;
			break;
		case OPT_TEST:
			a->test = true;
			break;
		case OPT_EMIT_ELF:
			a->emit_elf = optarg;
			break;
		case OPT_EMIT_LLVM:
			a->emit_llvm = optarg;
			break;
		case OPT_UNSAFE:
			a->unsafe = true;
			break;
		case OPT_NO_WARNINGS:
			a->no_warnings = true;
			break;
		case OPT_NO_CACHE:
			a->no_cache = true;
			break;
		case 'l':
			a->list = true;
			break;
		case 'I':
		case OPT_INCLUDE:
			/* hawk reads no C headers: types come from kernel BTF and
			 * the script's own definitions, and #include lines are
			 * skipped; these options are accepted in the same way */
			break;
		case OPT_INFO:
			a->info = true;
			break;
		case OPT_USDT_FILE_ACTIVATION:
			/* a no-op in bpftrace 0.24+ too: semaphores are counted by
			 * the kernel (uprobe reference counters) in every process */
			break;
		case OPT_NO_FEATURE: {
			/* hawk attaches one link per probe point and never uses
			 * these kernel features, so turning them off changes
			 * nothing; the names are still checked */
			char *list = strdup(optarg), *save = NULL;

			for (char *w = list ? strtok_r(list, ",", &save) : NULL; w;
			     w = strtok_r(NULL, ",", &save))
				if (strcmp(w, "kprobe_multi") && strcmp(w, "uprobe_multi") &&
				    strcmp(w, "kprobe_session"))
					usage_error("--no-feature: unknown feature '%s' (expected "
						    "kprobe_multi, uprobe_multi or kprobe_session)",
						    w);
			free(list);
			break;
		}
		case OPT_DEBUGINFO:
			/* more folders for separate debug files: DWARF (uprobe
			 * args, source lines) and user symbols */
			if (!*optarg)
				usage_error("--debuginfo: expected DIR[:DIR...]");
			std_dwarf_add_debuginfo(optarg);
			usyms_set_debuginfo(optarg);
			a->debuginfo = true;
			break;
		case OPT_VERIFY_LLVM_IR:
			a->verify_ir = true;
			break;
		case OPT_TRACEABLE_FUNCTIONS:
			if (access(optarg, R_OK) != 0)
				usage_error("--traceable-functions: cannot read '%s': %s", optarg,
					    strerror(errno));
			stdlib_traceable_functions = optarg;
			break;
		case OPT_MODE:
			if (strcmp(optarg, "format") == 0)
				a->fmt = true;
			else if (strcmp(optarg, "test") == 0)
				a->test = true;
			else if (strcmp(optarg, "run") == 0)
				;
			else
				usage_error(
					"--mode: '%s' is not supported (hawk knows run, test and "
					"format)",
					optarg);
			break;
		case OPT_PROBE_FILTER: {
			int err;

			if (a->probe_filter)
				regfree(&a->probe_filter_re);
			a->probe_filter = optarg;
			err = regcomp(&a->probe_filter_re, optarg, REG_EXTENDED | REG_NOSUB);
			if (err) {
				char msg[256];

				regerror(err, &a->probe_filter_re, msg, sizeof(msg));
				usage_error("invalid --probe-filter regex '%s': %s", optarg, msg);
			}
			break;
		}
		case OPT_FMT:
			a->fmt = true;
			break;
		case ':':
			if (strncmp(argv[optind - 1], "--", 2) == 0)
				usage_error("option '%s' requires a value", argv[optind - 1]);
			usage_error("option '-%c' requires a value", optopt);
		case '?':
		default:
			if (strncmp(argv[optind - 1], "--", 2) == 0 || optopt <= 0 || optopt >= 128)
				usage_error("unknown option '%s'", argv[optind - 1]);
			usage_error("unknown option '-%c'", optopt);
		}
	}

	if (a->pid && a->cmd)
		usage_error("-p and -c cannot be used together");
	if (a->fmt && a->test)
		usage_error("--fmt and --test cannot be used together");
	if (a->fmt && a->list)
		usage_error("--fmt and -l cannot be used together");
	if (a->info)
		exit(rt_info(stdout));
	if (a->list && !a->prog_text) {
		/* -l [PATTERN], -lv: list probes (or print a kernel type) and exit;
		 * -l -e PROGRAM lists the program's probes, after checking it */
		if (optind + 1 < argc)
			usage_error("-l takes at most one pattern");
		fflush(stdout);
		exit(stdlib_list_probes(stdout, optind < argc ? argv[optind] : NULL, a->verbose,
					a->pid));
	}
	if (!a->prog_text) {
		if (optind >= argc) {
			if (argc == 1) {
				usage(stderr);
				exit(1); /* as bpftrace */
			}
			usage_error("no program given (use -e 'program' or a file name)");
		}
		a->prog_file = argv[optind++];
	}
	/* after the program: positional parameters and, after `--` (getopt_long
	 * stops there), named arguments `--name[=value]` */
	a->all = (const char **)argv + optind;
	a->nall = argc - optind;
	a->params = calloc((size_t)a->nall + 1, sizeof(*a->params));
	a->named = calloc((size_t)a->nall + 1, sizeof(*a->named));
	if (!a->params || !a->named)
		exit(1);
	for (int i = 0; i < a->nall; i++) {
		if (strncmp(a->all[i], "--", 2) == 0 && a->all[i][2])
			a->named[a->nnamed++] = a->all[i];
		else
			a->params[a->nparams++] = a->all[i];
	}
}

/* Reads all of f into a malloc'ed, NUL-terminated buffer. */
/* Programs are read whole; anything bigger than this is not one. */
#define PROGRAM_MAX (16u << 20)

static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	while (buf) {
		n += fread(buf + n, 1, cap - n - 1, f);
		if (ferror(f)) {
			free(buf);
			return NULL;
		}
		if (feof(f))
			break;
		if (cap - n - 1 == 0) {
			char *nb;

			if (cap >= PROGRAM_MAX) { /* /dev/zero, a log file...: not a program */
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (buf) {
		buf[n] = '\0';
		*len = n;
	}
	return buf;
}

/* Diagnostics colour: never with NO_COLOR or BPFTRACE_COLOR=never (or
 * HAWK_COLOR); always with BPFTRACE_COLOR=always; else only on a terminal. */
static int diag_colour(void)
{
	const char *c = sema_config_env("BPFTRACE_COLOR");

	if (getenv("NO_COLOR"))
		return 0;
	if (c && strcmp(c, "never") == 0)
		return 0;
	if (c && strcmp(c, "always") == 0)
		return 1;
	return -1;
}

static int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		int err = errno;
		fprintf(stderr, "hawk: cannot write '%s': %s\n", path, strerror(err));
		return -1;
	}
	return 0;
}

/* Writes data to path through a temporary file beside it, renamed over it
 * at the end (so `--fmt -o f.bt f.bt` rewrites f.bt safely; an existing
 * file keeps its mode). */
static int write_file_atomic(const char *path, const char *data, size_t len)
{
	char *tmp = NULL;
	struct stat st;
	FILE *f = NULL;
	int fd, err = 0;

	if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
		return -1;
	fd = mkstemp(tmp);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		err = errno;
		if (fd >= 0)
			close(fd);
		fprintf(stderr, "hawk: cannot write '%s': %s\n", path, strerror(err));
		free(tmp);
		return -1;
	}
	if (stat(path, &st) == 0)
		fchmod(fd, st.st_mode & 07777);
	if (fwrite(data, 1, len, f) != len)
		err = errno ? errno : EIO;
	if (fclose(f) && !err)
		err = errno;
	if (!err && rename(tmp, path))
		err = errno;
	if (err) {
		fprintf(stderr, "hawk: cannot write '%s': %s\n", path, strerror(err));
		unlink(tmp);
	}
	free(tmp);
	return err ? -1 : 0;
}

/* --fmt: parse (nothing else: no imports, no sema, no kernel), print the
 * program formatted to stdout or -o FILE. Exit status 0, or 1 with the
 * parser's diagnostics. */
static int run_fmt(const struct args *a, struct arena *arena, struct source_set *src, int file,
		   struct diag_set *diag, int colour)
{
	struct ast_comment *comments = NULL;
	struct ast_node *prog = parse_program_comments(arena, src, file, diag, &comments);
	char *out;
	size_t len;
	int status = 0;

	if (!prog || diag->nerrors) {
		diag_render(diag, stderr, colour);
		return 1;
	}
	out = pretty_program(prog, source_get(src, file), comments, &len);
	if (!out) {
		fprintf(stderr, "hawk: out of memory\n");
		return 1;
	}
	if (a->output)
		status = write_file_atomic(a->output, out, len) ? 1 : 0;
	else if (fwrite(out, 1, len, stdout) != len || fflush(stdout))
		status = 1;
	free(out);
	return status;
}

int main(int argc, char **argv)
{
	struct args a = {0};
	struct arena arena;
	struct source_set src;
	struct diag_set diag;
	struct resources res;
	struct ast_node *prog;
	const char *name = "stdin";
	char *text = NULL;
	size_t len = 0;
	void *elf = NULL;
	size_t elf_len = 0;
	FILE *out = stdout;
	int colour;

	/* hawk's calls into LLVM bind lazily, once libhawk-llvm.so is loaded
	 * (cg_llvm_load); binding everything at start-up would bind them to
	 * nothing: run again without it */
	if (getenv("LD_BIND_NOW") && !getenv("HAWK_REEXEC")) {
		unsetenv("LD_BIND_NOW");
		setenv("HAWK_REEXEC", "1", 1);
		execv("/proc/self/exe", argv);
	}
	unsetenv("HAWK_REEXEC");
	colour = diag_colour();
	int status = 1;
	int file;

	argv = split_shebang_options(&argc, argv);
	parse_args(argc, argv, &a);
	if (a.pid && kill(a.pid, 0) && errno == ESRCH) {
		fprintf(stderr, "error: no process with pid %d\n", a.pid);
		return 1;
	}

	/* read the program */
	if (a.prog_text) {
		len = strlen(a.prog_text);
	} else if (strcmp(a.prog_file, "-") == 0) {
		if (!(text = read_all(stdin, &len))) {
			fprintf(stderr, "hawk: cannot read the program from stdin: %s\n",
				strerror(errno));
			return 1;
		}
	} else {
		FILE *f = fopen(a.prog_file, "r");
		if (!f || !(text = read_all(f, &len))) {
			fprintf(stderr, "hawk: cannot read '%s': %s\n", a.prog_file,
				strerror(errno));
			if (f)
				fclose(f);
			return 1;
		}
		fclose(f);
		name = a.prog_file;
	}

	arena_init(&arena);
	source_init(&src, &arena);
	diag_init(&diag, &src);
	diag.no_warnings = a.no_warnings;
	file = source_add(&src, name, a.prog_text ? a.prog_text : text, len);
	free(text);
	if (a.fmt) {
		status = run_fmt(&a, &arena, &src, file, &diag, colour);
		goto out;
	}

	/* parse (`(name) - x` is a cast when name is a kernel typedef) */
	parse_set_type_oracle(stdlib_type_name);
	prog = parse_program(&arena, &src, file, &diag);
	if (prog && import_resolve(&arena, &src, prog, file, &diag) == 0)
		defines_resolve(&arena, &src, prog, &diag);
	if (!prog || diag.nerrors) {
		diag_render(&diag, stderr, colour);
		goto out;
	}
	if (a.dump_ast) {
		char *buf = NULL;
		size_t blen = 0;
		ast_dump(prog, &buf, &blen);
		if (buf) {
			fwrite(buf, 1, blen, stderr);
			fputc('\n', stderr);
			free(buf);
		}
	}

	/* sema */
	struct sema_options so = {
		.params = a.params,
		.nparams = a.nparams,
		.unsafe = a.unsafe,
		.warn_reads = a.warn_reads,
		.quiet_warnings = a.no_warnings,
		.target_pid = a.pid,
		.has_child = a.cmd != NULL,
		.named = a.named,
		.nnamed = a.nnamed,
	};
	memset(&res, 0, sizeof(res));
	if (macro_expand(&arena, prog, &diag) || sema_run(&arena, prog, &so, &diag, &res) ||
	    diag.nerrors) {
		diag_render(&diag, stderr, colour);
		goto out;
	}
	if (a.dump_types) {
		char *buf = NULL;
		size_t blen = 0;
		ast_dump_typed(prog, &arena, &buf, &blen);
		if (buf) {
			fwrite(buf, 1, blen, stderr);
			fputc('\n', stderr);
			free(buf);
		}
	}

	if (a.list) {
		/* -l -e: the probes the program attaches, expanded, in order */
		for (int i = 0; i < res.nprobes; i++) {
			const struct res_probe *p = res.probes[i];
			bool special = p->ops && (p->ops->is_begin || p->ops->is_end);

			if (!a.probe_filter || special ||
			    regexec(&a.probe_filter_re, p->spec, 0, NULL, 0) == 0)
				printf("%s\n", p->spec);
		}
		status = 0;
		goto out;
	}

	/* codegen */
	struct cg_options co = {
		.source_name = name,
		.emit_llvm = a.emit_llvm,
		.verify_ir = a.verify_ir,
		.dump_ir = a.dump_ir,
		.dump_ir_opt = a.dump_ir_opt,
	};
	/* A cached object skips codegen (and LLVM) altogether. */
	bool use_cache = !a.no_cache && !a.dump_ir && !a.dump_ir_opt && !a.emit_llvm &&
			 !res.no_cache && !a.verify_ir && !stdlib_traceable_functions &&
			 !a.debuginfo;
	uint64_t key = 0;
	uint32_t scratch_size = 0;
	bool cached = false;
	if (use_cache) {
		char flags[96];

		/* filter_pid: -p's pid is a constant in the code of filtered probes */
		snprintf(flags, sizeof(flags), "unsafe=%d child=%d k=%d salt=%llx pid=%d", a.unsafe,
			 a.cmd != NULL, a.warn_reads, (unsigned long long)res.cache_salt,
			 res.filter_pid);
		key = cache_key(&src, a.all, a.nall, flags);
		if (cache_load(key, &elf, &elf_len, &scratch_size) == 0) {
			cg_scratch_resource(&arena, &res, scratch_size);
			cached = true;
			if (a.verbose)
				fprintf(stderr, "hawk: using the cached object %016llx\n",
					(unsigned long long)key);
		}
	}
	if (!cached) {
		if (cg_program(&arena, prog, &res, &co, &diag, &elf, &elf_len) || diag.nerrors) {
			diag_render(&diag, stderr, colour);
			goto out;
		}
		for (int i = 0; use_cache && i < res.nmaps; i++)
			if (res.maps[i]->internal && !strcmp(res.maps[i]->name, "scratch") &&
			    cache_store(key, elf, elf_len, res.maps[i]->value_size) == 0 &&
			    a.verbose)
				fprintf(stderr, "hawk: cached the object as %016llx\n",
					(unsigned long long)key);
	}
	if (diag.n)
		diag_render(&diag, stderr, colour); /* warnings */
	if (a.emit_elf) {
		status = write_file(a.emit_elf, elf, elf_len) ? 1 : 0;
		goto out;
	}

	/* run */
	if (a.output && !(out = fopen(a.output, "w"))) {
		fprintf(stderr, "hawk: cannot open output file '%s': %s\n", a.output,
			strerror(errno));
		goto out;
	}
	setvbuf(out, NULL, a.buffering, 0);
	struct rt_options ro = {
		.format = a.format,
		.out = out,
		.quiet = a.quiet,
		.verbose = a.verbose,
		.dry_run = a.dry_run,
		.test = a.test,
		.debug_verifier = a.debug_verifier,
		.target_pid = a.pid,
		.child_cmd = a.cmd,
		.source_name = name,
		.debug_libbpf = a.debug_libbpf,
		.src = &src,
		.colour = colour,
		.probe_filter = a.probe_filter ? &a.probe_filter_re : NULL,
	};
	status = rt_run(&res, elf, elf_len, &ro);
	if (out != stdout && fclose(out)) {
		fprintf(stderr, "hawk: cannot write '%s': %s\n", a.output, strerror(errno));
		status = status ? status : 1;
	}
out:
	free(elf);
	diag_free(&diag);
	arena_free(&arena);
	return status;
}
