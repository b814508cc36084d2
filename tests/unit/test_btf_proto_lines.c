/*
 * test_btf_proto_lines.c - the -lv lines of function prototypes
 * (std_btf_proto_lines, stdlib/btf.c) on a BTF built here with libbpf, so no
 * kernel BTF and no root are needed: fentry's "TYPE NAME" lines and retval,
 * a void function (no retval line), kprobe's argN (floating-point arguments
 * left out), kretprobe's retval or "void", raw tracepoints' names from a
 * second prototype with the first parameter skipped, unnamed parameters,
 * variadic "...", and a second struct of the same name printed under its
 * own name (not "NAME___2") by the same printer.
 */
#include <bpf/btf.h>
#include <stdlib.h>
#include <string.h>

#include "stdlib/btf.h"
#include "check.h"

static struct btf *btf;
static int t_int, t_uint, t_char, t_long, t_double, t_ssize, t_cchar_p, t_file_p, t_cb_p;
static int t_wc1_p, t_wc2_p;

static const struct btf_type *proto(int id)
{
	return btf__type_by_id(btf, (uint32_t)id);
}

static int ptr_to(int id)
{
	return btf__add_ptr(btf, id);
}

static void build(void)
{
	int t, cb;

	btf = btf__new_empty();
	t_int = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	t_uint = btf__add_int(btf, "unsigned int", 4, 0);
	t_char = btf__add_int(btf, "char", 1, BTF_INT_CHAR | BTF_INT_SIGNED);
	t_long = btf__add_int(btf, "long", 8, BTF_INT_SIGNED);
	t_double = btf__add_float(btf, "double", 8);
	t_ssize = btf__add_typedef(btf, "ssize_t", t_long);
	t = btf__add_const(btf, t_char);
	t_cchar_p = ptr_to(t);
	t_file_p = ptr_to(btf__add_struct(btf, "file", 0));
	cb = btf__add_func_proto(btf, t_int);
	btf__add_func_param(btf, "", t_uint);
	t_cb_p = ptr_to(cb);
	/* two different structs of one name, as vmlinux has (walk_control) */
	t = btf__add_struct(btf, "walk_control", 4);
	btf__add_field(btf, "a", t_int, 0, 0);
	t_wc1_p = ptr_to(t);
	t = btf__add_struct(btf, "walk_control", 8);
	btf__add_field(btf, "b", t_long, 0, 0);
	t_wc2_p = ptr_to(t);
}

/* ssize_t f(struct file *file, const char *buf, double scale, int (*cb)(unsigned int), int) */
static int proto_f(void)
{
	int id = btf__add_func_proto(btf, t_ssize);

	btf__add_func_param(btf, "file", t_file_p);
	btf__add_func_param(btf, "buf", t_cchar_p);
	btf__add_func_param(btf, "scale", t_double);
	btf__add_func_param(btf, "cb", t_cb_p);
	btf__add_func_param(btf, "", t_int);
	return id;
}

static void test_fentry_and_kprobe(void)
{
	int f = proto_f();
	struct std_btf_printer *p = std_btf_printer_new(btf);
	char *s;

	CHECK(p != NULL);
	if (!p)
		return;
	s = std_btf_proto_lines(p, proto(f), proto(f), 0, STD_BTF_LINES_FUNC);
	CHECK_STR(s, "    struct file * file\n"
		     "    const char * buf\n"
		     "    double scale\n"
		     "    int (*)(unsigned int) cb\n"
		     "    int arg4\n"
		     "    ssize_t retval\n");
	free(s);
	/* the same without the retval line */
	s = std_btf_proto_lines(p, proto(f), proto(f), 0, STD_BTF_LINES_PARAMS);
	CHECK_STR(s, "    struct file * file\n"
		     "    const char * buf\n"
		     "    double scale\n"
		     "    int (*)(unsigned int) cb\n"
		     "    int arg4\n");
	free(s);
	/* kprobe: registers arg0.., the double is not one of them */
	s = std_btf_proto_lines(p, proto(f), NULL, 0, STD_BTF_LINES_ARGN);
	CHECK_STR(s, "    struct file * arg0\n"
		     "    const char * arg1\n"
		     "    int (*)(unsigned int) arg2\n"
		     "    int arg3\n");
	free(s);
	s = std_btf_proto_lines(p, proto(f), NULL, 0, STD_BTF_LINES_RETVAL);
	CHECK_STR(s, "    ssize_t retval\n");
	free(s);
	std_btf_printer_free(p);
}

static void test_void_and_variadic(void)
{
	int v = btf__add_func_proto(btf, 0), va;
	struct std_btf_printer *p = std_btf_printer_new(btf);
	char *s;

	btf__add_func_param(btf, "n", t_int);
	va = btf__add_func_proto(btf, t_int);
	btf__add_func_param(btf, "fmt", t_cchar_p);
	btf__add_func_param(btf, "", 0); /* ... */
	s = std_btf_proto_lines(p, proto(v), proto(v), 0, STD_BTF_LINES_FUNC);
	CHECK_STR(s, "    int n\n");
	free(s);
	s = std_btf_proto_lines(p, proto(v), NULL, 0, STD_BTF_LINES_RETVAL);
	CHECK_STR(s, "    void\n");
	free(s);
	s = std_btf_proto_lines(p, proto(va), proto(va), 0, STD_BTF_LINES_FUNC);
	CHECK_STR(s, "    const char * fmt\n"
		     "    int retval\n");
	free(s);
	/* no parameters and void: nothing */
	s = std_btf_proto_lines(p, proto(btf__add_func_proto(btf, 0)), NULL, 0, STD_BTF_LINES_FUNC);
	CHECK_STR(s, "");
	free(s);
	std_btf_printer_free(p);
}

/* raw tracepoints: `void (void *, ARGS)` named after another prototype */
static void test_skip_and_names(void)
{
	int void_p = ptr_to(0), tp = btf__add_func_proto(btf, 0), named;
	struct std_btf_printer *p = std_btf_printer_new(btf);
	char *s;

	/* a prototype's parameters follow it directly (no type added between) */
	btf__add_func_param(btf, "", void_p);
	btf__add_func_param(btf, "", t_file_p);
	btf__add_func_param(btf, "", t_uint);
	named = btf__add_func_proto(btf, 0);
	btf__add_func_param(btf, "__data", void_p);
	btf__add_func_param(btf, "f", t_file_p);
	btf__add_func_param(btf, "state", t_uint);
	s = std_btf_proto_lines(p, proto(tp), proto(named), 1, STD_BTF_LINES_PARAMS);
	CHECK_STR(s, "    struct file * f\n"
		     "    unsigned int state\n");
	free(s);
	s = std_btf_proto_lines(p, proto(tp), NULL, 1, STD_BTF_LINES_PARAMS);
	CHECK_STR(s, "    struct file * arg0\n"
		     "    unsigned int arg1\n");
	free(s);
	std_btf_printer_free(p);
}

/* one printer for a whole listing: the second walk_control is still named so */
static void test_same_name_twice(void)
{
	int a = btf__add_func_proto(btf, 0), b;
	struct std_btf_printer *p = std_btf_printer_new(btf);
	char *s;

	btf__add_func_param(btf, "wc", t_wc1_p);
	b = btf__add_func_proto(btf, t_wc2_p);
	btf__add_func_param(btf, "wc", t_wc2_p);
	s = std_btf_proto_lines(p, proto(a), proto(a), 0, STD_BTF_LINES_FUNC);
	CHECK_STR(s, "    struct walk_control * wc\n");
	free(s);
	s = std_btf_proto_lines(p, proto(b), proto(b), 0, STD_BTF_LINES_FUNC);
	CHECK_STR(s, "    struct walk_control * wc\n"
		     "    struct walk_control * retval\n");
	free(s);
	std_btf_printer_free(p);
}

int main(void)
{
	build();
	CHECK(btf != NULL && t_wc2_p > 0);
	if (!btf)
		return check_done();
	test_fentry_and_kprobe();
	test_void_and_variadic();
	test_skip_and_names();
	test_same_name_twice();
	btf__free(btf);
	return check_done();
}
